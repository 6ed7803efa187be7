from django.urls import path

from trede.pilots import views

urlpatterns = [
    path("pilots/", views.pilot_list, name="pilots"),
    path("pilots/nieuw/", views.pilot_create, name="pilot-create"),
    path("pilots/power/", views.pilot_power, name="pilot-power"),
    path("pilots/uit-oproep/", views.pilot_from_campaign, name="pilot-from-campaign"),
    path("pilots/wat-werkt/", views.pilot_register_list, name="pilots-register"),
    path("pilots/vergelijken/", views.observational, name="pilots-observational"),
    path("pilots/<id:pilot_id>/", views.pilot_detail, name="pilot-detail"),
    path("pilots/<id:pilot_id>/wijzigen/", views.pilot_edit, name="pilot-edit"),
    path("pilots/<id:pilot_id>/vastleggen/", views.pilot_register, name="pilot-register"),
    path("pilots/<id:pilot_id>/loting/", views.pilot_randomise, name="pilot-randomise"),
    path("pilots/<id:pilot_id>/monitor/", views.pilot_monitor, name="pilot-monitor"),
    path("pilots/<id:pilot_id>/veiligheid/", views.pilot_safety, name="pilot-safety"),
    path("pilots/<id:pilot_id>/analyseren/", views.pilot_analyse, name="pilot-analyse"),
    path("pilots/<id:pilot_id>/rapport/", views.pilot_report, name="pilot-report"),
    path("pilots/<id:pilot_id>/rapport.pdf", views.pilot_report_pdf, name="pilot-report-pdf"),
    path("pilots/<id:pilot_id>/scenario/", views.pilot_scenario, name="pilot-scenario"),
    path(
        "clienten/<id:client_id>/pilots/<id:assignment_id>/ontvangen/",
        views.crossover,
        name="pilot-crossover",
    ),
]
