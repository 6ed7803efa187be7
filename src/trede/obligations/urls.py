from django.urls import path

from trede.obligations import views

urlpatterns = [
    path("clienten/<int:client_id>/ontheffingen/nieuw/", views.exemption_create, name="exemption-create"),
    path(
        "clienten/<int:client_id>/ontheffingen/<int:exemption_id>/beeindigen/",
        views.exemption_stop,
        name="exemption-end",
    ),
    path(
        "clienten/<int:client_id>/ontheffingen/<int:exemption_id>/herbeoordelen/",
        views.exemption_review_create,
        name="exemption-review",
    ),
]
