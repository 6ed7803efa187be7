from django.urls import path

from trede.scenarios import views

urlpatterns = [
    path("simulatie/", views.index, name="simulation"),
    path("simulatie/scenario/<slug:name>/", views.scenario_detail, name="simulation-scenario"),
    path("simulatie/kalibratie/", views.calibration, name="simulation-calibration"),
    path("simulatie/runs/<int:pk>/", views.run_detail, name="simulation-run"),
    path("simulatie/runs/<int:pk>/<str:name>.<str:fmt>", views.run_file, name="simulation-run-file"),
]
