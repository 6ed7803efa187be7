from django.urls import path

from trede.core import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/inzage/", views.access_log, name="access-log"),
    path("beheer/regelsets/", views.rulesets, name="rulesets"),
]
