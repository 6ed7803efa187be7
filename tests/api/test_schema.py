"""The OpenAPI 3 schema at /api/v1/schema/ is valid, lists every endpoint, is generated without warnings and is
served only to an authenticated caller."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token

from trede.api import urls as api_urls


def _schema_paths() -> set[str]:
    """Every endpoint of trede.api.urls as the schema names it (/api/v1/clients/{client_id}/...)."""
    out = set()
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "schema":
            continue
        route = re.sub(r"<int:pk>", "{id}", str(pattern.pattern))
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        out.add(f"/api/v1/{route}")
    return out


@pytest.fixture
def spec(api_as, analyst):
    response = api_as(analyst).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_needs_an_authenticated_caller(db, api, client, caseworker):
    assert api.get("/api/v1/schema/", {"format": "json"}).status_code in (401, 403)
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    token = Token.objects.create(user=caseworker)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/schema/", {"format": "json"}).status_code == 200
    client.force_login(caseworker)  # a signed-in session works too
    assert client.get("/api/v1/schema/").status_code == 200


def test_schema_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_schema_lists_every_endpoint(spec):
    expected = _schema_paths()
    assert len(expected) >= 17
    assert expected <= set(spec["paths"])
    assert {p for p in spec["paths"] if p.startswith("/api/v1/")} == expected


def test_schema_documents_token_auth_purpose_and_errors(spec):
    assert "tokenAuth" in spec["components"]["securitySchemes"]
    detail = spec["paths"]["/api/v1/clients/{client_id}/"]["get"]
    names = {p["name"] for p in detail["parameters"]}
    assert {"client_id", "purpose", "X-Purpose"} <= names
    assert {"200", "401", "403"} <= set(detail["responses"])
    register = spec["paths"]["/api/v1/clients/"]["post"]
    assert {"201", "400", "401", "403"} <= set(register["responses"])
    assert "bsn" in spec["components"]["schemas"]["ClientRegisterRequest"]["properties"]


def test_schema_documents_the_purpose_per_relationship(spec):
    parameters = spec["paths"]["/api/v1/clients/{client_id}/contacts/"]["get"]["parameters"]
    purpose = {p["name"]: p for p in parameters}
    for name in ("purpose", "X-Purpose"):
        text = purpose[name]["description"]
        for word in ("guidance", "supervision", "substitution", "consultation", "no default", "400", "access log"):
            assert word in text, (name, word)
    assert "400" in spec["paths"]["/api/v1/clients/{client_id}/contacts/"]["get"]["responses"]


def test_schema_documents_search_in_the_body(spec):
    search = spec["paths"]["/api/v1/clients/search/"]
    assert set(search) == {"post"}
    operation = search["post"]
    assert "BSN" in operation["summary"] + operation["description"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert spec["components"]["schemas"][body]["required"] == ["search"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert (
        ok
        == spec["paths"]["/api/v1/clients/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert {"400", "401", "403"} <= set(operation["responses"])
    assert "page" in {p["name"] for p in operation["parameters"]}
    listed = {p["name"]: p for p in spec["paths"]["/api/v1/clients/"]["get"]["parameters"]}
    assert "/api/v1/clients/search/" in listed["search"]["description"]


def test_schema_enums_are_precise(spec):
    schemas = spec["components"]["schemas"]
    assert set(schemas["ObligationEnum"]["enum"]) == {
        "work_obligation",
        "cooperation",
        "tegenprestatie",
        "language_requirement",
    }
    assert schemas["StepEnum"]["enum"] == [1, 2, 3, 4, 5, 6]
    assert "ChannelEnum" in schemas and "GroundEnum" in schemas


def test_schema_generation_has_no_warnings(db, tmp_path):
    """What CI runs: `trede spectacular --validate --fail-on-warn`."""
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
