"""The activation dashboard's pages (policy figures)."""

from django.urls import path

from trede.activation import dashboard_views

urlpatterns = [
    path("activering/cijfers/", dashboard_views.activation_dashboard, name="activation-dashboard"),
]
