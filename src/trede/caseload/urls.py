from django.urls import path

from trede.caseload import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("te-doen/", views.due, name="due"),
    path("clienten/nieuw/", views.client_register, name="client-register"),
    path("team/", views.team, name="team"),
    path("clienten/<id:client_id>/toedelen/", views.reassign, name="client-reassign"),
    path("clienten/<id:client_id>/contact/", views.contact_create, name="contact-create"),
    path("clienten/<id:client_id>/acties/nieuw/", views.action_create, name="action-create"),
    path(
        "clienten/<id:client_id>/acties/<id:item_id>/afronden/",
        views.action_complete,
        name="action-complete",
    ),
    path("beheer/gebruikers/", views.staff, name="staff"),
    path("beheer/gebruikers/<id:user_id>/actief/", views.staff_active, name="staff-active"),
]
