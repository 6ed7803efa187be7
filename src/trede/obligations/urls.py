from django.urls import path

from trede.obligations import views

urlpatterns = [
    path("clienten/<id:client_id>/ontheffingen/nieuw/", views.exemption_create, name="exemption-create"),
    path(
        "clienten/<id:client_id>/ontheffingen/<id:exemption_id>/beeindigen/",
        views.exemption_stop,
        name="exemption-end",
    ),
    path(
        "clienten/<id:client_id>/ontheffingen/<id:exemption_id>/herbeoordelen/",
        views.exemption_review_create,
        name="exemption-review",
    ),
]
