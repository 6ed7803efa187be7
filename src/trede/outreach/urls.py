from django.urls import path

from trede.outreach import views

urlpatterns = [
    path("oproepen/", views.campaigns, name="campaigns"),
    path("oproepen/nieuw/", views.campaign_new, name="campaign-create"),
    path("oproepen/<id:campaign_id>/", views.campaign_detail, name="campaign-detail"),
    path("oproepen/<id:campaign_id>/plannen/", views.campaign_plan_view, name="campaign-plan"),
    path(
        "oproepen/<id:campaign_id>/cohorten/<id:number>/inplannen/",
        views.cohort_schedule_view,
        name="cohort-schedule",
    ),
    path("agenda/", views.agenda, name="agenda"),
    path(
        "clienten/<id:client_id>/afspraken/<id:appointment_id>/uitkomst/",
        views.appointment_outcome,
        name="appointment-outcome",
    ),
]
