"""Validation errors as JSON that name the field; nothing half-saved on an error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from trede.api.exceptions import exception_handler
from trede.caseload.models import Assignment, ContactMoment
from trede.clients.models import Client
from trede.core.models import AuditRecord
from trede.obligations.models import Exemption
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(api_as, caseworker, district):
    def post(user=None, **overrides):
        payload = {
            "bsn": "111222333",
            "first_name": "Kees",
            "surname": "de Vries",
            "birth_date": "1985-03-04",
            "district": district.code,
            **overrides,
        }
        return api_as(user or caseworker).post("/api/v1/clients/", payload, format="json")

    return post


def _nothing_stored():
    assert not Client.objects.exists()
    assert not AuditRecord.objects.filter(model="clients.Client").exists()


@pytest.mark.parametrize("bsn", ["111222334", "12345678", "abcdefghi", "000000000"])
def test_invalid_bsn(register, bsn):
    response = register(bsn=bsn)
    assert response.status_code == 400
    assert list(response.json()) == ["bsn"]
    assert response.json()["bsn"] and all(isinstance(m, str) for m in response.json()["bsn"])
    _nothing_stored()


def test_known_bsn(register, client_of):
    response = register(bsn=client_of.bsn)
    assert response.status_code == 400
    assert "bsn" in response.json()
    assert Client.objects.count() == 1


def test_unknown_district(register):
    response = register(district="XYZ")
    assert response.status_code == 400
    assert list(response.json()) == ["district"]
    _nothing_stored()


def test_service_reports_every_field_at_once(register):
    future = dt.date.today() + dt.timedelta(days=400)
    response = register(bsn="123", district="XYZ", birth_date=str(future), postcode="0000 XX")
    assert response.status_code == 400
    assert set(response.json()) == {"bsn", "district", "birth_date", "postcode"}
    _nothing_stored()


def test_serializer_errors_name_the_field(register):
    response = register(surname="", birth_date="yesterday", gender="q")
    assert response.status_code == 400
    assert set(response.json()) == {"surname", "birth_date", "gender"}
    _nothing_stored()


def test_model_validation_errors_name_the_field(register):
    response = register(email="not-an-email")
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_contact_in_the_future(api_as, caseworker, client_of, today):
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/contacts/",
        {"contact_on": str(today + dt.timedelta(days=1)), "channel": "phone", "summary": "Gebeld"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["contact_on"]
    assert not ContactMoment.objects.exists()
    assert not AuditRecord.objects.filter(action="contact_record").exists()


def test_overlapping_exemption(api_as, caseworker, client_of, today):
    exemption_grant(
        actor=None,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=30),
        reason="Ziekte",
    )
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/exemptions/",
        {
            "obligation": "work_obligation",
            "ground": "urgent_reasons",
            "start_on": str(today),
            "end_on": str(today + dt.timedelta(days=90)),
            "reason": "Nog steeds ziek",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["start_on"]
    assert Exemption.objects.count() == 1
    assert AuditRecord.objects.filter(action="exemption_grant").count() == 1


def test_exemption_ground_that_does_not_lift_the_obligation(api_as, caseworker, client_of, today):
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/exemptions/",
        {
            "obligation": "language_requirement",
            "ground": "urgent_reasons",
            "start_on": str(today),
            "review_on": str(today + dt.timedelta(days=90)),
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ground" in response.json()
    assert not Exemption.objects.exists()


def test_second_open_benefit_period(api_as, caseworker, client_of, today):
    c = api_as(caseworker)
    path = f"/api/v1/clients/{client_of.pk}/benefit-periods/"
    assert c.post(path, {"start_on": str(today - dt.timedelta(days=30))}, format="json").status_code == 201
    response = c.post(path, {"start_on": str(today)}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["start_on"]
    assert client_of.benefit_periods.count() == 1


def test_ladder_step_out_of_range(api_as, caseworker, client_of, today):
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/ladder-measurements/", {"step": 7, "measured_on": str(today)}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["step"]


def test_patch_invalid_postcode_and_review_in_the_past(api_as, caseworker, client_of, today):
    c = api_as(caseworker)
    path = f"/api/v1/clients/{client_of.pk}/"
    response = c.patch(path, {"postcode": "12AB34"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["postcode"])
    response = c.patch(path, {"city": "Utrecht", "next_review_on": str(today - dt.timedelta(days=1))}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["next_review_on"])
    client_of.refresh_from_db()
    assert client_of.city == ""  # the update in the same request was rolled back
    assert not AuditRecord.objects.filter(action="client_update").exists()


def test_unknown_purpose(api_as, caseworker, client_of):
    response = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/", {"purpose": "curiosity"})
    assert (response.status_code, list(response.json())) == (400, ["purpose"])


def test_unknown_district_in_the_list_filter(api_as, caseworker):
    response = api_as(caseworker).get("/api/v1/clients/", {"district": "XYZ"})
    assert (response.status_code, list(response.json())) == (400, ["district"])


def test_unknown_sort(api_as, caseworker):
    response = api_as(caseworker).get("/api/v1/clients/", {"sort": "bsn"})
    assert (response.status_code, list(response.json())) == (400, ["sort"])


def test_assign_to_a_caseworker_of_another_team(api_as, team_lead, outsider, client_of):
    response = api_as(team_lead).post(
        f"/api/v1/clients/{client_of.pk}/assignments/", {"caseworker": outsider.pk, "reason": "x"}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["caseworker"])
    assert Assignment.objects.filter(client=client_of).count() == 1


def test_reassign_without_reason(api_as, team_lead, colleague, client_of):
    response = api_as(team_lead).post(
        f"/api/v1/clients/{client_of.pk}/assignments/", {"caseworker": colleague.pk}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    assert Assignment.objects.filter(client=client_of, end_on__isnull=True).get().caseworker_id != colleague.pk


# -- the exception handler itself


def _handle(exc):
    return exception_handler(exc, {}).data


def test_handler_field_dict():
    assert _handle(DjangoValidationError({"contact_on": "In de toekomst."})) == {"contact_on": ["In de toekomst."]}


def test_handler_non_field_errors():
    assert _handle(DjangoValidationError("Mis.")) == {"non_field_errors": ["Mis."]}
    assert _handle(DjangoValidationError(["Een.", "Twee."])) == {"non_field_errors": ["Een.", "Twee."]}
    assert _handle(DjangoValidationError({"__all__": ["Samen."], "bsn": ["Fout."]})) == {
        "non_field_errors": ["Samen."],
        "bsn": ["Fout."],
    }


def test_handler_interpolates_params():
    exc = DjangoValidationError({"step": DjangoValidationError("Trede %(n)s bestaat niet.", params={"n": 9})})
    assert _handle(exc) == {"step": ["Trede 9 bestaat niet."]}
