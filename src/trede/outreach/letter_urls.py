"""URLs of the invitation letters (outreach.letter_views)."""

from django.urls import path

from trede.outreach import letter_views

urlpatterns = [
    path("oproepen/<id:campaign_id>/cohorten/<id:number>/brieven/", letter_views.cohort_letters, name="cohort-letters"),
    path(
        "oproepen/<id:campaign_id>/cohorten/<id:number>/brieven/maken/",
        letter_views.cohort_letters_generate,
        name="cohort-letters-generate",
    ),
    path(
        "oproepen/<id:campaign_id>/cohorten/<id:number>/brieven/afdrukken.pdf",
        letter_views.cohort_letters_download,
        name="cohort-letters-download",
    ),
    path("clienten/<id:client_id>/brieven/<id:letter_id>/", letter_views.client_letter, name="client-letter"),
    path("beheer/brieven/", letter_views.letter_templates, name="letter-templates"),
]
