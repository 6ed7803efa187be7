from django.urls import path

from trede.outcomes import views

urlpatterns = [
    path("cijfers/", views.overview, name="figures"),
    path("cijfers/uitkomsten/", views.outcomes_dashboard, name="outcomes-dashboard"),
    path("cijfers/cohorten/", views.outcomes_cohorts, name="outcomes-cohorts"),
    path("cijfers/export/", views.outcomes_exports, name="outcomes-exports"),
]
