from django.urls import path

from trede.employers import views

urlpatterns = [
    path("werkgevers/", views.employers, name="employers"),
    path("werkgevers/nieuw/", views.employer_edit, name="employer-create"),
    path("werkgevers/duurzaamheid/", views.durability, name="durability"),
    path("werkgevers/eerlijkheid/", views.matching_fairness, name="matching-fairness"),
    path("werkgevers/<id:employer_id>/", views.employer_detail, name="employer-detail"),
    path("werkgevers/<id:employer_id>/wijzigen/", views.employer_edit, name="employer-edit"),
    path("werkgevers/<id:employer_id>/contactpersonen/nieuw/", views.contact_create, name="contact-person-create"),
    path("werkgevers/<id:employer_id>/vacatures/nieuw/", views.vacancy_edit, name="vacancy-create"),
    path("vacatures/", views.vacancies, name="vacancies"),
    path("vacatures/<id:vacancy_id>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacatures/<id:vacancy_id>/wijzigen/", views.vacancy_edit, name="vacancy-edit"),
    path("clienten/<id:client_id>/vacatures/", views.job_referral_create, name="job-referral-create"),
    path("clienten/<id:client_id>/sollicitaties/<id:referral_id>/", views.job_referral_move, name="job-referral-move"),
    path("clienten/<id:client_id>/plaatsingen/nieuw/", views.placement_create, name="placement-create"),
    path("clienten/<id:client_id>/plaatsingen/<id:placement_id>/", views.placement_detail, name="placement-detail"),
    path("clienten/<id:client_id>/uitstroom/", views.exit_create, name="exit-create"),
    path("clienten/<id:client_id>/vacatures/<id:vacancy_id>/match/", views.match_record, name="match-record"),
    path("clienten/<id:client_id>/werkprofiel/", views.work_profile_create, name="work-profile-create"),
    path("clienten/<id:client_id>/nazorg/<id:follow_up_id>/", views.follow_up_record, name="follow-up-record"),
]
