from django.urls import path

from trede.activation import views

urlpatterns = [
    path("activiteiten/", views.activities, name="activities"),
    path("activiteiten/nieuw/", views.activity_edit, name="activity-create"),
    path("activiteiten/<id:activity_id>/", views.activity_detail, name="activity-detail"),
    path("activiteiten/<id:activity_id>/wijzigen/", views.activity_edit, name="activity-edit"),
    path("clienten/<id:client_id>/verwijzen/", views.referral_create, name="referral-create"),
    path("clienten/<id:client_id>/verwijzingen/<id:referral_id>/", views.referral_move, name="referral-move"),
    path("clienten/<id:client_id>/deelname/nieuw/", views.participation_create, name="participation-create"),
    path(
        "clienten/<id:client_id>/deelname/<id:participation_id>/vervolg/",
        views.participation_follow_up,
        name="participation-follow-up",
    ),
    path(
        "clienten/<id:client_id>/deelname/<id:participation_id>/stoppen/",
        views.participation_end,
        name="participation-end",
    ),
    path(
        "clienten/<id:client_id>/deelname/<id:participation_id>/volgende-stap/",
        views.participation_next_step,
        name="participation-next-step",
    ),
    path("aanbieder/verwijzingen/", views.provider_referrals, name="provider-referrals"),
    path("aanbieder/verwijzingen/<id:referral_id>/", views.provider_referral, name="provider-referral"),
    path("beheer/aanbieders/", views.providers, name="providers"),
    path("beheer/aanbieders/<id:provider_id>/", views.provider_edit, name="provider-edit"),
]
