from django.urls import path

from trede.intake import views

urlpatterns = [
    path("clienten/<id:client_id>/intake/nieuw/", views.intake_start, name="intake-start"),
    path("clienten/<id:client_id>/intake/<id:assessment_id>/", views.assessment_detail, name="assessment-detail"),
    path("clienten/<id:client_id>/route/<id:decision_id>/bevestigen/", views.route_review, name="route-review"),
    path("routes/bevestigen/", views.route_awaiting, name="route-awaiting"),
    path("model/", views.model_page, name="model"),
    path("model/importeren/", views.model_import_view, name="model-import"),
    path("model/<id:number>/activeren/", views.model_activate_view, name="model-activate"),
    path("model/<id:number>/bestand/", views.model_download, name="model-download"),
]
