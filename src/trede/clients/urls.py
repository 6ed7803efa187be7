from django.urls import path

from trede.clients import views

urlpatterns = [
    path("clienten/<id:client_id>/", views.dossier, name="client-dossier"),
    path("clienten/<id:client_id>/doel/", views.purpose, name="client-purpose"),
    path("clienten/<id:client_id>/ladder/", views.ladder_create, name="ladder-create"),
    path("clienten/<id:client_id>/omstandigheden/", views.circumstances_create, name="circumstances-create"),
]
