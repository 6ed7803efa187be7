"""Token authentication, 401 without it, and /me/."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/api/v1/me/", "/api/v1/clients/", "/api/v1/clients/1/", "/api/v1/clients/1/contacts/", "/api/v1/districts/"],
)
def test_unauthenticated_gets_401(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_unauthenticated_write_gets_401_and_stores_nothing(api, client_of):
    response = api.post(
        f"/api/v1/clients/{client_of.pk}/contacts/",
        {"contact_on": "2024-01-01", "channel": "phone", "summary": "x"},
        format="json",
    )
    assert response.status_code == 401
    assert not client_of.contacts.exists()


def test_token_authentication(api, caseworker, client_of):
    token = Token.objects.create(user=caseworker)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "anna"
    assert me.json()["role"] == "caseworker"
    assert me.json()["language"] == "nl"
    assert me.json()["team"] is not None
    listed = api.get("/api/v1/clients/")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["results"]] == [client_of.pk]


def test_token_created_by_the_operator_command_works(api, caseworker):
    call_command("drf_create_token", "anna", stdout=__import__("io").StringIO())
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=caseworker).key}")
    assert api.get("/api/v1/me/").status_code == 200


def test_invalid_token_gets_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert api.get("/api/v1/me/").status_code == 401


def test_inactive_user_token_gets_401(api, caseworker):
    token = Token.objects.create(user=caseworker)
    caseworker.is_active = False
    caseworker.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("role_fixture", ["analyst", "administrator", "auditor", "team_lead"])
def test_me_for_every_role(request, api_as, role_fixture):
    user = request.getfixturevalue(role_fixture)
    response = api_as(user).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["role"] == user.role


def test_answers_in_the_users_language(api_as, caseworker):
    caseworker.language = "en"
    caseworker.save()
    response = api_as(caseworker).post("/api/v1/clients/", {}, format="json")
    assert response.status_code == 400
    assert response.headers["Content-Language"] == "en"
