"""The intake endpoints: recording an intake (with the estimate exactly as shown when a model is in use, without
one otherwise), the answers the dossier gives, the route decision with its brake (a route with less help than
advised waits for a team lead of the team who did not decide), and the same permission rules, access logging with
a purpose and field errors as the other dossier endpoints."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trede.clients.services import benefit_period_start, circumstances_record, ladder_measure
from trede.core.models import AccessRecord, AuditRecord
from trede.intake.models import Assessment, RouteDecision
from trede.intake.rules import ASKED, DERIVED
from trede.intake.services import FILE_FORMAT, model_activate, model_import
from trede.obligations.models import Obligation
from trede.stats.time_to_work import ALLOWED_FACTORS, TimeToWorkModel

pytestmark = pytest.mark.django_db


def url(client, suffix: str) -> str:
    return f"/api/v1/clients/{client.pk}/{suffix}"


# --------------------------------------------------------------------------------------------------
# Helpers: a hand-made model (no fitting: fast), a client with a dossier, the answers of an intake

WEIGHTS = {"worked_last_2_years": -0.8, "health=some": 0.3, "health=severe": 0.9, "debts=problematic": 0.4}
WEIGHTS["ladder_step"] = -0.15


def model_parameters() -> dict:
    """A Weibull time-to-work model whose median is about 6 months for someone who worked recently and about 29
    for someone who did not, has problematic debts and stands on ladder step 1."""
    numeric_reference = {"age": 40.0, "work_experience_years": 5.0, "benefit_months": 12.0, "ladder_step": 3.0}
    references = {f: spec.get("reference", numeric_reference.get(f)) for f, spec in ALLOWED_FACTORS.items()}
    factors = list(ALLOWED_FACTORS)
    shape = TimeToWorkModel(factors, np.zeros(1), 0.0, np.zeros((1, 1)), references).to_dict()["columns"]
    coef = np.array([math.log(30), *[WEIGHTS.get(column, 0.0) for column in shape]])
    model = TimeToWorkModel(factors, coef, math.log(1.3), np.eye(len(coef) + 1) * 1e-4, references)
    return json.loads(json.dumps(model.to_dict()))


@pytest.fixture
def active_model(administrator):
    content = json.dumps({"format": FILE_FORMAT, "parameters": model_parameters()}).encode()
    version = model_import(actor=administrator, content=content, name="test.json")
    return model_activate(actor=administrator, version=version)


@pytest.fixture
def dossier(client_of, caseworker, today):
    """`caseworker`'s client (45 or so), on benefit for 200 days, circumstances and a ladder step recorded."""
    benefit_period_start(actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=200))
    recorded = today - dt.timedelta(days=100)
    circumstances_record(
        actor=caseworker,
        client=client_of,
        recorded_on=recorded,
        education="middle",
        work_experience_years=6,
        last_worked_year=recorded.year - 1,
        dutch_level="2f",
        health="none",
        care_duties=False,
        debts="none",
        social="good",
    )
    ladder_measure(actor=caseworker, client=client_of, step=3, measured_on=recorded + dt.timedelta(days=5))
    return client_of


@pytest.fixture
def young_client(make_client, caseworker, today):
    """A client of 22: the rule set advises the youth route, with or without a model."""
    return make_client(caseworker, birth_date=today.replace(year=today.year - 22) - dt.timedelta(days=30))


def full_answers(today: dt.date, **values) -> dict:
    """Every asked factor known, each answer about ten days before the intake."""
    on = str(today - dt.timedelta(days=10))
    base = {
        "education": "middle",
        "work_experience_years": 6,
        "worked_last_2_years": 1,
        "dutch_level": "2f",
        "health": "none",
        "care_duties": 0,
        "debts": "none",
        "social": "good",
        "ladder_step": 3,
    } | values
    return {factor: {"value": value, "on": on} for factor, value in base.items()}


def record(api_as, user, client, today, answers=None, **extra):
    body = {"assessed_on": str(today), "answers": full_answers(today) if answers is None else answers, **extra}
    return api_as(user).post(url(client, "assessments/"), body, format="json")


def decide(api_as, user, client, route: str, *, reason: str = "", **extra):
    body = {"route": route, "reason": reason, **extra}
    return api_as(user).post(url(client, "route-decisions/"), body, format="json")


def awaiting_decision(api_as, caseworker, young_client, today) -> dict:
    """The youth route is advised; the caseworker chooses 'work' (less help), with the reason."""
    assessment = record(api_as, caseworker, young_client, today).json()
    response = decide(
        api_as, caseworker, young_client, "work", reason="Heeft al een baan op het oog", assessment=assessment["id"]
    )
    assert response.status_code == 201, response.content
    return response.json()


# --------------------------------------------------------------------------------------------------
# Permissions: the same rules as every dossier endpoint

READS = ["assessments/", "assessments/dossier-answers/", "route-decisions/"]


@pytest.mark.parametrize("suffix", READS)
@pytest.mark.parametrize(
    "role_fixture,status,purpose",
    [
        ("caseworker", 200, None),
        ("team_lead", 200, "supervision"),
        ("colleague", 200, "consultation"),
        ("colleague", 400, None),
        ("outsider", 403, None),
        ("analyst", 403, None),
        ("administrator", 403, None),
        ("auditor", 403, "api"),
    ],
)
def test_reads_need_access_and_are_logged_with_their_purpose(
    request, api_as, client_of, suffix, role_fixture, status, purpose
):
    user = request.getfixturevalue(role_fixture)
    response = api_as(user).get(url(client_of, suffix), {"purpose": purpose} if purpose else {})
    assert response.status_code == status, response.content
    access = AccessRecord.objects.get(actor=user, client_id=client_of.pk, channel="api")
    assert access.path == url(client_of, suffix)
    if status == 200:
        assert (access.granted, access.purpose) == (True, purpose or "api")
    else:
        assert access.granted is False
        body = response.content.decode()
        for secret in (client_of.bsn, client_of.first_name, client_of.surname):
            assert secret not in body
    if status == 400:  # a colleague must say why (no default), as on every dossier read
        assert list(response.json()) == ["purpose"]


# audit action: the request
WRITES = {
    "assessment_record": lambda api_as, user, client, today: record(api_as, user, client, today),
    "route_decide": lambda api_as, user, client, today: decide(api_as, user, client, "work"),
}


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize(
    "role_fixture,allowed",
    [
        ("caseworker", True),
        ("team_lead", True),
        ("colleague", False),
        ("outsider", False),
        ("analyst", False),
        ("administrator", False),
        ("auditor", False),
    ],
)
def test_writes_own_caseworker_and_team_lead_only(request, api_as, client_of, today, name, role_fixture, allowed):
    user = request.getfixturevalue(role_fixture)
    response = WRITES[name](api_as, user, client_of, today)
    audited = AuditRecord.objects.filter(client_id=client_of.pk, action__in=["assessment_record", "route_decide"])
    if allowed:
        assert response.status_code == 201, response.content
        assert [(a.action, a.actor) for a in audited] == [(name, user)]
    else:
        assert response.status_code == 403, response.content
        assert not audited.exists()
        assert not Assessment.objects.exists() and not RouteDecision.objects.exists()
        assert AccessRecord.objects.get(actor=user, client_id=client_of.pk).granted is False


def test_another_teams_client_and_an_unknown_client_are_refused(api_as, caseworker, team_lead, other_team_client):
    for user in (caseworker, team_lead):
        for suffix in READS:
            assert api_as(user).get(url(other_team_client, suffix)).status_code == 403
    assert api_as(team_lead).get("/api/v1/clients/987654/assessments/").status_code == 403
    assert api_as(team_lead).get("/api/v1/clients/99999999999999999999/route-decisions/").status_code == 404


# --------------------------------------------------------------------------------------------------
# Recording an intake


def test_intake_without_an_active_model_has_no_estimate(api_as, caseworker, dossier, today):
    answers = full_answers(today)
    del answers["debts"]  # left out: unknown
    answers["social"] = {"value": None, "on": str(today)}  # unknown, its date dropped
    response = record(api_as, caseworker, dossier, today, answers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["estimate"], body["model_version"]) == (None, None)
    assert body["advice"] == {"route": None, "reason": "geen schatting mogelijk: de klantmanager beslist zonder advies"}
    assert body["assessed_by"]["username"] == "anna"
    assert list(body["answers"]) == [*DERIVED, *ASKED]
    ten_days_ago = str(today - dt.timedelta(days=10))
    assert body["answers"]["education"] == {"value": "middle", "on": ten_days_ago, "source": "intake"}
    assert body["answers"]["worked_last_2_years"] == {"value": 1, "on": ten_days_ago, "source": "intake"}
    # missing answers stay missing, never filled in from the dossier
    assert body["answers"]["debts"] == {"value": None, "on": None, "source": "intake"}
    assert body["answers"]["social"] == {"value": None, "on": None, "source": "intake"}
    # age and time on benefit come from the dossier
    assert body["answers"]["age"]["source"] == "dossier"
    assert body["answers"]["benefit_months"] == {
        "value": round(200 / 30.4375, 1),
        "on": str(today - dt.timedelta(days=200)),
        "source": "dossier",
    }
    assessment = Assessment.objects.get()
    assert (assessment.assessed_by, assessment.answers["debts"]["value"]) == (caseworker, None)
    assert AuditRecord.objects.get(action="assessment_record").actor == caseworker
    listed = api_as(caseworker).get(url(dossier, "assessments/")).json()["results"]
    assert listed == [body]


def test_intake_with_an_active_model_keeps_the_estimate_as_shown(api_as, caseworker, dossier, today, active_model):
    response = record(api_as, caseworker, dossier, today)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["model_version"] == active_model.number == 1
    estimate = body["estimate"]
    assert 3 < estimate["median"] < 12
    low, high = estimate["median_band"]
    assert low < estimate["median"] < high
    assert set(estimate["p_work"]) == set(estimate["p_band"]) == {"6", "12", "24"}
    assert estimate["p_work"]["6"] < estimate["p_work"]["12"] < estimate["p_work"]["24"]
    effects = {e["factor"]: e for e in estimate["effects"]}
    assert set(effects) == set(ALLOWED_FACTORS)
    worked = effects["worked_last_2_years"]
    assert (worked["value"], worked["reference"]) == (1, 0)
    assert worked["months"] < -1
    assert worked["text"] == f"Werkervaring in de laatste 2 jaar: {round(worked['months']):+d} maanden"
    assert effects["education"]["text"] == "Hoogste opleiding: geen verschil"
    assert estimate["beyond_history"] is False
    assert body["advice"]["route"] == "work"
    # the list shows what was stored, in a constant number of queries
    c = api_as(caseworker)
    with CaptureQueriesContext(connection) as one:
        first = c.get(url(dossier, "assessments/")).json()["results"]
    assert first == [body]
    record(
        api_as,
        caseworker,
        dossier,
        today,
        full_answers(today, worked_last_2_years=0, debts="problematic", ladder_step=1),
    )
    record(api_as, caseworker, dossier, today, full_answers(today, ladder_step=None))
    with CaptureQueriesContext(connection) as three:
        listed = c.get(url(dossier, "assessments/")).json()["results"]
    assert len(three) == len(one)
    by_id = {a["id"]: a for a in listed}
    assert len(by_id) == 3
    newest = listed[0]  # a missing answer the model needs: no estimate, no model version
    assert (newest["estimate"], newest["model_version"], newest["answers"]["ladder_step"]["value"]) == (
        None,
        None,
        None,
    )
    assert listed[1]["advice"]["route"] == "participation" and listed[1]["estimate"]["median"] > 24


def test_the_effects_and_messages_follow_the_users_language(api_as, caseworker, dossier, today, active_model):
    caseworker.language = "en"
    caseworker.save()
    body = record(api_as, caseworker, dossier, today).json()
    worked = next(e for e in body["estimate"]["effects"] if e["factor"] == "worked_last_2_years")
    assert "months" in worked["text"] and "maanden" not in worked["text"]
    future = record(api_as, caseworker, dossier, today + dt.timedelta(days=1))
    assert future.json() == {"assessed_on": ["The intake cannot be in the future."]}


@pytest.mark.parametrize(
    "answers,field",
    [
        ({"hobby": {"value": "golf", "on": "2024-01-01"}}, "hobby"),
        ({"age": {"value": 30, "on": "2024-01-01"}}, "age"),  # follows from the dossier, never asked
        ({"benefit_months": {"value": 3, "on": "2024-01-01"}}, "benefit_months"),
        ({"education": {"value": "phd", "on": "2024-01-01"}}, "education"),
        ({"education": "high"}, "education"),
        ({"health": {"value": "none", "on": "gisteren"}}, "health"),
        ({"work_experience_years": {"value": -1, "on": "2024-01-01"}}, "work_experience_years"),
        ({"worked_last_2_years": {"value": 2, "on": "2024-01-01"}}, "worked_last_2_years"),
        ({"ladder_step": {"value": 7, "on": "2024-01-01"}}, "ladder_step"),
        ({"debts": {"value": "none"}}, "debts"),  # a known answer needs its date (the service says so)
        ({"social": {"value": "good", "on": "2999-01-01"}}, "social"),  # not after the intake
    ],
)
def test_bad_answers_are_400_under_the_factor_and_nothing_is_saved(api_as, caseworker, dossier, today, answers, field):
    response = record(api_as, caseworker, dossier, today, answers)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not Assessment.objects.exists()
    assert not AuditRecord.objects.filter(action="assessment_record").exists()


def test_bad_intake_bodies(api_as, caseworker, dossier, today):
    cases = [
        ({"assessed_on": str(today + dt.timedelta(days=1)), "answers": {}}, ["assessed_on"]),  # the service
        ({"assessed_on": str(today), "answers": ["education"]}, ["answers"]),
        ({"assessed_on": str(today)}, ["answers"]),
        ({"answers": {}}, ["assessed_on"]),
    ]
    c = api_as(caseworker)
    for body, fields in cases:
        response = c.post(url(dossier, "assessments/"), body, format="json")
        assert (response.status_code, list(response.json())) == (400, fields), body
    assert not Assessment.objects.exists()
    # every answer unknown is an intake too (without estimate)
    assert (
        c.post(url(dossier, "assessments/"), {"assessed_on": str(today), "answers": {}}, format="json").status_code
        == 201
    )


def test_dossier_answers(api_as, caseworker, dossier, today, active_model):
    c = api_as(caseworker)
    body = c.get(url(dossier, "assessments/dossier-answers/")).json()
    recorded = today - dt.timedelta(days=100)
    assert (body["on"], body["model_version"]) == (str(today), active_model.number)
    assert body["answers"]["education"] == {"value": "middle", "on": str(recorded), "source": "dossier"}
    assert body["answers"]["ladder_step"] == {
        "value": 3,
        "on": str(recorded + dt.timedelta(days=5)),
        "source": "dossier",
    }
    assert body["answers"]["worked_last_2_years"]["value"] == 1
    assert body["answers"]["care_duties"]["value"] == 0
    assert list(body["answers"]) == [*DERIVED, *ASKED]
    # before anything was recorded the dossier knows nothing but the age
    earlier = c.get(url(dossier, "assessments/dossier-answers/"), {"on": str(today - dt.timedelta(days=300))}).json()
    assert earlier["answers"]["education"] == {"value": None, "on": None, "source": ""}
    assert earlier["answers"]["benefit_months"]["value"] is None
    assert earlier["answers"]["age"]["value"] is not None
    # the pre-filled answers can be sent back as they are
    asked = {f: {"value": a["value"], "on": a["on"]} for f, a in body["answers"].items() if f in ASKED}
    assert record(api_as, caseworker, dossier, today, asked).status_code == 201
    for bad in (str(today + dt.timedelta(days=1)), "morgen"):
        response = c.get(url(dossier, "assessments/dossier-answers/"), {"on": bad})
        assert (response.status_code, list(response.json())) == (400, ["on"])


def test_dossier_answers_without_a_model(api_as, colleague, dossier):
    response = api_as(colleague).get(url(dossier, "assessments/dossier-answers/"), HTTP_X_PURPOSE="substitution")
    assert response.status_code == 200
    assert response.json()["model_version"] is None
    assert AccessRecord.objects.get(actor=colleague).purpose == "substitution"


# --------------------------------------------------------------------------------------------------
# Deciding the route, and the brake on less help


def test_following_the_advice_is_in_force_at_once(api_as, caseworker, young_client, today):
    assessment = record(api_as, caseworker, young_client, today).json()
    assert assessment["advice"]["route"] == "youth"
    response = decide(api_as, caseworker, young_client, "youth", assessment=assessment["id"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_force"
    assert body["advice"] == {"route": "youth", "reason": assessment["advice"]["reason"]}
    assert (body["assessment"], body["decided_on"], body["decided_by"]["username"]) == (
        assessment["id"],
        str(today),
        "anna",
    )
    assert body["obligations"] == [{"obligation": "work_obligation", "opened": True, "exempt": False}]
    assert body["review_on"] is not None
    assert (body["confirmed_by"], body["confirmed_on"], body["note"]) == (None, None, "")
    assert Obligation.objects.filter(client=young_client, kind="work_obligation").exists()
    assert AuditRecord.objects.get(action="route_decide").actor == caseworker
    listed = api_as(caseworker).get(url(young_client, "route-decisions/")).json()["results"]
    assert listed == [body]


def test_departing_from_the_advice_needs_a_reason(api_as, caseworker, young_client, today):
    assessment = record(api_as, caseworker, young_client, today).json()
    for route, reason in (("participation", ""), ("work", "   ")):
        response = decide(api_as, caseworker, young_client, route, reason=reason, assessment=assessment["id"])
        assert response.status_code == 400, response.content
        assert response.json() == {"reason": ["Schrijf op waarom u afwijkt van het advies."]}
    assert not RouteDecision.objects.exists()
    assert not Obligation.objects.filter(client=young_client).exists()
    assert not AuditRecord.objects.filter(action="route_decide").exists()


def test_the_reason_error_in_english(api_as, caseworker, young_client, today):
    caseworker.language = "en"
    caseworker.save()
    assessment = record(api_as, caseworker, young_client, today).json()
    response = decide(api_as, caseworker, young_client, "work", assessment=assessment["id"])
    assert response.json() == {"reason": ["Write down why you depart from the advice."]}


def test_less_help_waits_and_only_a_team_lead_of_the_team_confirms(
    api_as, caseworker, colleague, team_lead, make_user, other_team, young_client, today
):
    decision = awaiting_decision(api_as, caseworker, young_client, today)
    assert (decision["status"], decision["obligations"], decision["review_on"]) == ("awaiting", [], None)
    assert not Obligation.objects.filter(client=young_client).exists()
    confirm = url(young_client, f"route-decisions/{decision['id']}/confirm/")
    # the caseworker who decided and a colleague are no team lead, the other team's lead has no access: 403, logged
    for user in (caseworker, colleague, make_user("team_lead", "ingrid", other_team)):
        response = api_as(user).post(confirm, {"note": "Akkoord"}, format="json")
        assert response.status_code == 403, response.content
        assert AccessRecord.objects.filter(actor=user, path=confirm, granted=False).exists()
    # the team lead confirms: in force today, the route's obligations open
    response = api_as(team_lead).post(confirm, {"note": "Akkoord, eerst de baan"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_force"
    assert (body["confirmed_by"]["username"], body["confirmed_on"], body["note"]) == (
        "dirk",
        str(today),
        "Akkoord, eerst de baan",
    )
    assert body["obligations"] == [{"obligation": "work_obligation", "opened": True, "exempt": False}]
    assert body["decided_by"]["username"] == "anna"
    assert AuditRecord.objects.get(action="route_confirm").actor == team_lead
    # once confirmed it waits no more
    again = api_as(team_lead).post(confirm, {}, format="json")
    assert (again.status_code, list(again.json())) == (400, ["non_field_errors"])


def test_a_team_lead_does_not_confirm_their_own_decision(api_as, team_lead, make_user, team, young_client, today):
    decision = awaiting_decision(api_as, team_lead, young_client, today)
    confirm = url(young_client, f"route-decisions/{decision['id']}/confirm/")
    response = api_as(team_lead).post(confirm, {"note": "Akkoord"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"non_field_errors": ["Een tweede persoon bevestigt: u nam dit besluit zelf."]}
    assert RouteDecision.objects.get().status == "awaiting"
    assert not AuditRecord.objects.filter(action="route_confirm").exists()
    second = make_user("team_lead", "hanna", team)
    assert api_as(second).post(confirm, {}, format="json").json()["status"] == "in_force"


def test_decline_needs_a_note_and_keeps_the_route_in_force(api_as, caseworker, team_lead, young_client, today):
    decision = awaiting_decision(api_as, caseworker, young_client, today)
    decline = url(young_client, f"route-decisions/{decision['id']}/decline/")
    c = api_as(team_lead)
    for body in ({}, {"note": "  "}):
        response = c.post(decline, body, format="json")
        assert (response.status_code, list(response.json())) == (400, ["note"])
    assert RouteDecision.objects.get().status == "awaiting"
    response = c.post(decline, {"note": "Eerst de jongerenaanpak proberen"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["note"]) == ("declined", "Eerst de jongerenaanpak proberen")
    assert not Obligation.objects.filter(client=young_client).exists()
    assert AuditRecord.objects.get(action="route_decline").actor == team_lead
    # the caseworker decides again
    assert decide(api_as, caseworker, young_client, "youth").json()["status"] == "in_force"


def test_one_decision_waits_at_a_time(api_as, caseworker, young_client, today):
    awaiting_decision(api_as, caseworker, young_client, today)
    response = decide(api_as, caseworker, young_client, "youth")
    assert (response.status_code, list(response.json())) == (400, ["route"])
    assert RouteDecision.objects.count() == 1


def test_leaving_out_the_assessment_does_not_skip_the_brake(api_as, caseworker, young_client, today):
    """Without an assessment id the latest intake's advice counts (else 'no advice' would let less help through)."""
    assessment = record(api_as, caseworker, young_client, today).json()
    response = decide(api_as, caseworker, young_client, "participation")
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    response = decide(api_as, caseworker, young_client, "participation", reason="Eerst schulden regelen")
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["assessment"]) == ("awaiting", assessment["id"])


def test_without_advice_less_help_than_the_route_in_force_waits(api_as, caseworker, dossier, today):
    assert decide(api_as, caseworker, dossier, "work").json()["status"] == "in_force"
    response = decide(api_as, caseworker, dossier, "participation")
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    response = decide(api_as, caseworker, dossier, "participation", reason="Eerst stabiliseren")
    assert response.json()["status"] == "awaiting"


def test_the_assessment_must_be_the_clients_own(api_as, caseworker, dossier, young_client, today):
    other = record(api_as, caseworker, young_client, today).json()
    expected = {"assessment": ["Deze cliënt heeft geen intake met dit nummer."]}
    for assessment in (other["id"], other["id"] + 1000):  # another client's and none at all: the same answer
        response = decide(api_as, caseworker, dossier, "work", assessment=assessment)
        assert (response.status_code, response.json()) == (400, expected)
    response = decide(api_as, caseworker, dossier, "work", assessment=2**63)
    assert (response.status_code, list(response.json())) == (400, ["assessment"])
    assert not RouteDecision.objects.exists()


def test_bad_decision_bodies(api_as, caseworker, dossier, today):
    cases = [
        ({"route": "parking"}, ["route"]),
        ({}, ["route"]),
        ({"route": "work", "decided_on": str(today + dt.timedelta(days=1))}, ["decided_on"]),
    ]
    for body, fields in cases:
        response = api_as(caseworker).post(url(dossier, "route-decisions/"), body, format="json")
        assert (response.status_code, list(response.json())) == (400, fields), body
    assert not RouteDecision.objects.exists()


def test_a_decision_of_another_client_is_404(api_as, caseworker, team_lead, young_client, make_client, today):
    decision = awaiting_decision(api_as, caseworker, young_client, today)
    other = make_client(caseworker, first_name="Ole")
    for action in ("confirm", "decline"):
        response = api_as(team_lead).post(
            url(other, f"route-decisions/{decision['id']}/{action}/"), {"note": "x"}, format="json"
        )
        assert response.status_code == 404
    assert RouteDecision.objects.get().status == "awaiting"


def test_route_decisions_list_in_constant_queries(api_as, caseworker, team_lead, young_client, today):
    c = api_as(team_lead)
    decision = awaiting_decision(api_as, caseworker, young_client, today)
    with CaptureQueriesContext(connection) as one:
        first = c.get(url(young_client, "route-decisions/")).json()["results"]
    assert [d["status"] for d in first] == ["awaiting"]
    assert first[0]["advice"]["route"] == "youth" and first[0]["advice"]["reason"]
    c.post(url(young_client, f"route-decisions/{decision['id']}/decline/"), {"note": "Nee"}, format="json")
    decide(api_as, caseworker, young_client, "youth")
    with CaptureQueriesContext(connection) as three:
        listed = c.get(url(young_client, "route-decisions/")).json()["results"]
    assert len(three) == len(one)
    assert [d["status"] for d in listed] == ["in_force", "declined"]
    assert listed[1]["confirmed_by"]["username"] == "dirk"
