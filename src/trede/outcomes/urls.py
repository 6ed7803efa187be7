from django.urls import path

from trede.outcomes import views

urlpatterns = [path("cijfers/", views.overview, name="figures")]
