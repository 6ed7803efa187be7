from django.urls import path

from trede.sanctions import views

urlpatterns = [
    path("clienten/<id:client_id>/maatregelen/nieuw/", views.case_create, name="sanction-case-create"),
    path("clienten/<id:client_id>/maatregelen/<id:case_id>/", views.case_detail, name="sanction-case"),
    path(
        "clienten/<id:client_id>/maatregelen/<id:case_id>/besluiten/<id:decision_id>/brief/",
        views.decision_letter,
        name="sanction-decision-letter",
    ),
    path("maatregelen/", views.overview, name="sanctions"),
]
