"""The same permission rules as the screens, for every endpoint, with access logging.

Caseworker: own caseload read/write; a colleague's client read only; another team's client nothing. Team lead:
write on the team's clients (and the only one who (re)assigns). Policy analyst, administrator, auditor, a provider's
staff (even for a client referred to the provider) and the employer adviser: 403 on every client endpoint, and never a
name or a BSN in the answer. Every refusal is in the access log.

Employer services (employers, contact persons, vacancies, the shortlist): the employer adviser and the team lead;
caseworkers read the open vacancies; durability also the policy analyst; everyone else 403.

The purpose of a read follows the relationship: own client guidance/api (default api), team lead supervision/api
(default api), a colleague's client only substitution/consultation and no default (400 naming `purpose`, logged
as refused). An id too large for the database is 404, not 500, and not logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trede.activation.services import participation_end, participation_record, referral_propose
from trede.caseload.services import action_item_add
from trede.clients.services import benefit_period_start
from trede.core.models import AccessRecord, AuditRecord
from trede.core.roles import Purpose
from trede.employers import services as es
from trede.employers.models import ContactPerson, Employer, Vacancy
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db

READS = [
    "",
    "household/",
    "benefit-periods/",
    "circumstances/",
    "ladder-measurements/",
    "exemptions/",
    "contacts/",
    "action-items/",
    "assignments/",
    "referrals/",
    "participations/",
    "tegenprestatie/",
    "vacancies/",
    "matches/",
    "job-referrals/",
    "placements/",
    "exits/",
    "work-profiles/",
]

NO_DOSSIER_ROLES = ["analyst", "administrator", "auditor", "provider_user", "adviser"]


def url(client, suffix: str) -> str:
    return f"/api/v1/clients/{client.pk}/{suffix}"


def _benefit_period(client, today):
    return benefit_period_start(actor=None, client=client, start_on=today - dt.timedelta(days=100)).pk


def _exemption(client, today):
    return exemption_grant(
        actor=None,
        client=client,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=10),
        end_on=today + dt.timedelta(days=60),
        reason="Mantelzorg voor moeder",
    ).pk


def _action_item(client, today):
    return action_item_add(
        actor=None,
        client=client,
        description="CV bijwerken",
        responsible="client",
        deadline=today + dt.timedelta(days=14),
    ).pk


def _referral(client, today, ctx):
    return referral_propose(actor=ctx["caseworker"], client=client, activity=ctx["activity"], on=today).pk


def _participation(client, today, ctx, *, stopped: bool = False):
    participation = participation_record(
        actor=ctx["caseworker"],
        client=client,
        kind="informal_care",
        description="Zorgt voor moeder",
        hours_per_week=10,
        start_on=today - dt.timedelta(days=60),
    )
    if stopped:
        participation_end(actor=ctx["caseworker"], participation=participation, end_on=today, reason="Moeder verhuisd")
    return participation.pk


def _job_referral(client, today, ctx):
    return es.referral_create(actor=ctx["caseworker"], vacancy=ctx["vacancy"], client=client, on=today).pk


def _placement(client, today, ctx, kind: str):
    start = today - dt.timedelta(days=10)
    extra = {
        "trial": {"end_on": start + dt.timedelta(days=30), "intended_contract": "Vast contract"},
        "climbing": {"promised_training": "Heftruckcertificaat", "training_due_on": today + dt.timedelta(days=30)},
        "regular": {},
    }[kind]
    return es.placement_start(
        actor=ctx["caseworker"],
        client=client,
        employer=ctx["employer"],
        kind=kind,
        start_on=start,
        hours_per_week=24,
        **extra,
    ).pk


def _follow_up(client, today, ctx):
    _benefit_period(client, today)
    job_exit = es.exit_register(
        actor=ctx["caseworker"],
        client=client,
        exit_on=today - dt.timedelta(days=40),
        employer_name="Eigen zaak",
        hours_per_week=32,
        contract_type="permanent",
        hourly_wage=Decimal("16.00"),
    )
    return job_exit.follow_ups.order_by("months").first().pk


def _sanction_case(client, today, ctx, *, draft: bool = False) -> str:
    """A sanction case of the client (open, or with a draft decision): the path of the step to take on it."""
    from trede.obligations.services import obligation_impose
    from trede.sanctions import services as ss

    cw = ctx["caseworker"]
    start = today - dt.timedelta(days=400)
    benefit_period_start(actor=cw, client=client, start_on=start)
    obligation_impose(actor=cw, client=client, kind="work_obligation", start_on=start)
    case = ss.case_open(
        actor=cw, client=client, category="refused_work", breach_on=today - dt.timedelta(days=40), description="x"
    )
    if not draft:
        return f"sanction-cases/{case.pk}/hearing/"
    ss.hearing_schedule(actor=cw, case=case, invited_on=today - dt.timedelta(days=35))
    ss.hearing_record(actor=cw, case=case, responded=False)
    ss.assessment_record(actor=cw, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    decision = ss.decision_propose(actor=cw, case=case, start_on=today)
    return f"sanction-cases/{case.pk}/decisions/{decision.pk}/approve/"


# name: (method, suffix(client, today, ctx), payload(today, ctx), audit action)
WRITES = {
    "client_update": ("patch", lambda c, t, x: "", lambda t, x: {"city": "Utrecht"}, "client_update"),
    "household_member_add": (
        "post",
        lambda c, t, x: "household/members/",
        lambda t, x: {"role": "child", "first_name": "Sem", "birth_date": "2020-02-02"},
        "household_member_add",
    ),
    "benefit_period_start": (
        "post",
        lambda c, t, x: "benefit-periods/",
        lambda t, x: {"start_on": str(t - dt.timedelta(days=3)), "norm": "single"},
        "benefit_period_start",
    ),
    "benefit_period_end": (
        "post",
        lambda c, t, x: f"benefit-periods/{_benefit_period(c, t)}/end/",
        lambda t, x: {"end_on": str(t), "exit_reason": "work"},
        "benefit_period_end",
    ),
    "circumstances_record": (
        "post",
        lambda c, t, x: "circumstances/",
        lambda t, x: {
            "recorded_on": str(t),
            "education": "middle",
            "work_experience_years": 4,
            "last_worked_year": t.year - 2,
            "dutch_level": "2f",
            "health": "some",
            "debts": "none",
            "social": "limited",
            "care_duties": True,
            "care_note": "Zorgt voor moeder",
        },
        "circumstances_record",
    ),
    "ladder_measure": (
        "post",
        lambda c, t, x: "ladder-measurements/",
        lambda t, x: {"step": 3, "measured_on": str(t), "note": "Vrijwilligerswerk"},
        "ladder_measure",
    ),
    "exemption_grant": (
        "post",
        lambda c, t, x: "exemptions/",
        lambda t, x: {
            "obligation": "tegenprestatie",
            "ground": "urgent_reasons",
            "start_on": str(t),
            "review_on": str(t + dt.timedelta(days=180)),
            "reason": "Ernstige ziekte",
        },
        "exemption_grant",
    ),
    "exemption_end": (
        "post",
        lambda c, t, x: f"exemptions/{_exemption(c, t)}/end/",
        lambda t, x: {"ended_on": str(t), "end_reason": "Weer hersteld"},
        "exemption_end",
    ),
    "contact_record": (
        "post",
        lambda c, t, x: "contacts/",
        lambda t, x: {"contact_on": str(t), "channel": "phone", "summary": "Gebeld over sollicitaties"},
        "contact_record",
    ),
    "action_item_add": (
        "post",
        lambda c, t, x: "action-items/",
        lambda t, x: {
            "description": "Inschrijven bij uitzendbureau",
            "responsible": "client",
            "deadline": str(t + dt.timedelta(days=14)),
        },
        "action_item_add",
    ),
    "action_item_complete": (
        "post",
        lambda c, t, x: f"action-items/{_action_item(c, t)}/complete/",
        lambda t, x: {"done_on": str(t)},
        "action_item_complete",
    ),
    "assignment_assign": (
        "post",
        lambda c, t, x: "assignments/",
        lambda t, x: {"caseworker": x["colleague"].pk, "reason": "Verlof van Anna"},
        "assignment_assign",
    ),
    "referral_propose": (
        "post",
        lambda c, t, x: "referrals/",
        lambda t, x: {"activity": x["activity"].pk, "on": str(t), "note": "Houdt van tuinieren"},
        "referral_propose",
    ),
    "referral_move": (
        "post",
        lambda c, t, x: f"referrals/{_referral(c, t, x)}/move/",
        lambda t, x: {"to": "accepted", "on": str(t)},
        "referral_accepted",
    ),
    "participation_record": (
        "post",
        lambda c, t, x: "participations/",
        lambda t, x: {
            "participation_kind": "volunteer_work",
            "description": "Buurthuis",
            "hours_per_week": 6,
            "start_on": str(t),
        },
        "participation_start",
    ),
    "participation_follow_up": (
        "post",
        lambda c, t, x: f"participations/{_participation(c, t, x)}/follow-up/",
        lambda t, x: {"contact_on": str(t), "channel": "phone", "summary": "Gaat goed"},
        "participation_follow_up",
    ),
    "participation_end": (
        "post",
        lambda c, t, x: f"participations/{_participation(c, t, x)}/end/",
        lambda t, x: {"end_on": str(t), "reason": "Te zwaar", "next_step": "care"},
        "participation_end",
    ),
    "participation_next_step": (
        "post",
        lambda c, t, x: f"participations/{_participation(c, t, x, stopped=True)}/next-step/",
        lambda t, x: {"next_step": "work_route", "note": "Naar de werkroute"},
        "participation_next_step",
    ),
    "match_record": (
        "post",
        lambda c, t, x: "matches/",
        lambda t, x: {"vacancy": x["vacancy"].pk, "match_status": "discussed"},
        "match_record",
    ),
    "job_referral_create": (
        "post",
        lambda c, t, x: "job-referrals/",
        lambda t, x: {"vacancy": x["vacancy"].pk, "on": str(t)},
        "job_referral_create",
    ),
    "job_referral_move": (
        "post",
        lambda c, t, x: f"job-referrals/{_job_referral(c, t, x)}/move/",
        lambda t, x: {"to": "sent", "on": str(t)},
        "job_referral_sent",
    ),
    "placement_start": (
        "post",
        lambda c, t, x: "placements/",
        lambda t, x: {
            "placement_kind": "regular",
            "employer": x["employer"].pk,
            "start_on": str(t),
            "hours_per_week": 24,
        },
        "placement_start",
    ),
    "placement_extend": (
        "post",
        lambda c, t, x: f"placements/{_placement(c, t, x, 'trial')}/extend/",
        lambda t, x: {"extended_until": str(t + dt.timedelta(days=50))},
        "placement_extend",
    ),
    "placement_training_started": (
        "post",
        lambda c, t, x: f"placements/{_placement(c, t, x, 'climbing')}/training-started/",
        lambda t, x: {"started_on": str(t)},
        "placement_training_started",
    ),
    "placement_end": (
        "post",
        lambda c, t, x: f"placements/{_placement(c, t, x, 'regular')}/end/",
        lambda t, x: {"end_on": str(t), "outcome": "contract"},
        "placement_end",
    ),
    "exit_register": (
        "post",
        lambda c, t, x: _benefit_period(c, t) and "exits/",
        lambda t, x: {
            "exit_on": str(t),
            "employer_name": "Eigen zaak",
            "hours_per_week": 32,
            "contract_type": "permanent",
            "hourly_wage": "16.00",
        },
        "exit_register",
    ),
    "follow_up_record": (
        "post",
        lambda c, t, x: f"follow-ups/{_follow_up(c, t, x)}/record/",
        lambda t, x: {"done_on": str(t), "still_working": True, "off_benefit": True, "needs_job_coach": False},
        "follow_up_record",
    ),
    "work_profile_record": (
        "post",
        lambda c, t, x: "work-profiles/",
        lambda t, x: {"experience": [{"code": "9112", "years": 2}], "preferences": ["5120"], "hours_wanted": 24},
        "work_profile_record",
    ),
    "sanction_case_open": (
        "post",
        lambda c, t, x: "sanction-cases/",
        lambda t, x: {"category": "refused_work", "breach_on": str(t), "description": "Werk geweigerd"},
        "sanction_case_open",
    ),
    "sanction_hearing_schedule": (
        "post",
        lambda c, t, x: _sanction_case(c, t, x),
        lambda t, x: {"invited_on": str(t)},
        "hearing_schedule",
    ),
    "sanction_decision_approve": (
        "post",
        lambda c, t, x: _sanction_case(c, t, x, draft=True),
        lambda t, x: {},
        "decision_approve",
    ),
}

# Who may write what on `caseworker`'s own client.
WRITERS = {
    "caseworker": set(WRITES) - {"assignment_assign", "sanction_decision_approve"},  # a team lead approves
    "team_lead": set(WRITES),
    "colleague": set(),
    "outsider": set(),
    "analyst": set(),
    "administrator": set(),
    "auditor": set(),
    "provider_user": set(),
    "adviser": set(),
}


def _assert_refused(response, client, user, *, expected_records: int = 1):
    assert response.status_code == 403, response.content
    body = response.content.decode()
    for secret in (client.bsn, client.first_name, client.surname):
        assert secret not in body
    refused = AccessRecord.objects.filter(actor=user, client_id=client.pk, granted=False, channel="api")
    assert refused.count() == expected_records


@pytest.mark.parametrize("suffix", READS)
@pytest.mark.parametrize(
    "role_fixture,allowed,purpose",
    [
        ("caseworker", True, None),
        ("colleague", True, "substitution"),
        ("team_lead", True, None),
        ("outsider", False, None),
        ("analyst", False, None),
        ("administrator", False, None),
        ("auditor", False, None),
        ("provider_user", False, None),
        ("adviser", False, None),
    ],
)
def test_read(request, api_as, client_of, suffix, role_fixture, allowed, purpose):
    user = request.getfixturevalue(role_fixture)
    response = api_as(user).get(url(client_of, suffix), {"purpose": purpose} if purpose else {})
    if allowed:
        assert response.status_code == 200, response.content
        record = AccessRecord.objects.get(actor=user, client_id=client_of.pk)
        assert (record.granted, record.purpose, record.channel, record.path) == (
            True,
            purpose or "api",
            "api",
            url(client_of, suffix),
        )
        assert len(record.trace_id) == 32
    else:
        _assert_refused(response, client_of, user)


# -- the purpose of a dossier read follows the relationship (as on the screens)

OWN, LEAD, COLLEAGUE = "caseworker", "team_lead", "colleague"

# relationship (user fixture on `caseworker`'s client) -> (allowed purposes, default)
PURPOSE_RULES = {
    OWN: ({"guidance", "api"}, "api"),
    LEAD: ({"supervision", "api"}, "api"),
    COLLEAGUE: ({"substitution", "consultation"}, None),
}


@pytest.mark.parametrize("via", ["query", "header"])
@pytest.mark.parametrize("purpose", [None, *Purpose.values, "curiosity"])
@pytest.mark.parametrize("relationship", list(PURPOSE_RULES))
def test_purpose_per_relationship(request, api_as, client_of, relationship, purpose, via):
    user = request.getfixturevalue(relationship)
    allowed, default = PURPOSE_RULES[relationship]
    c = api_as(user)
    if purpose is None:
        response = c.get(url(client_of, ""))
    elif via == "query":
        response = c.get(url(client_of, ""), {"purpose": purpose})
    else:
        response = c.get(url(client_of, ""), HTTP_X_PURPOSE=purpose)
    record = AccessRecord.objects.get(actor=user, client_id=client_of.pk, channel="api")
    expected = purpose or default
    if expected in allowed:
        assert response.status_code == 200, response.content
        assert (record.granted, record.purpose) == (True, expected)
    else:
        assert response.status_code == 400, response.content
        body = response.json()
        assert list(body) == ["purpose"]
        for choice in allowed:  # the message names the purposes that fit
            assert choice in body["purpose"][0]
        for secret in (client_of.bsn, client_of.first_name, client_of.surname):
            assert secret not in response.content.decode()
        # the refused attempt is logged, with the stated purpose if it is one the log knows
        assert (record.granted, record.purpose) == (False, purpose if purpose in Purpose.values else "")


def test_colleague_without_a_purpose_is_refused_on_every_read(api_as, colleague, client_of):
    c = api_as(colleague)
    for suffix in READS:
        response = c.get(url(client_of, suffix))
        assert (response.status_code, list(response.json())) == (400, ["purpose"]), suffix
    assert AccessRecord.objects.filter(actor=colleague, granted=False).count() == len(READS)
    assert not AccessRecord.objects.filter(actor=colleague, granted=True).exists()


def test_query_parameter_wins_over_the_header(api_as, colleague, client_of):
    response = api_as(colleague).get(url(client_of, ""), {"purpose": "consultation"}, HTTP_X_PURPOSE="api")
    assert response.status_code == 200
    assert AccessRecord.objects.get(actor=colleague).purpose == "consultation"


@pytest.mark.parametrize("purpose", [None, "api", "consultation", "curiosity"])
def test_without_access_the_answer_is_403_whatever_the_purpose(api_as, outsider, client_of, purpose):
    """No 400 about the purpose for someone without access: it would tell them the client exists."""
    response = api_as(outsider).get(url(client_of, ""), {"purpose": purpose} if purpose else {})
    _assert_refused(response, client_of, outsider)


def test_write_with_a_purpose_that_does_not_fit_is_refused(api_as, caseworker, client_of, today):
    response = api_as(caseworker).post(
        url(client_of, "contacts/") + "?purpose=consultation",
        {"contact_on": str(today), "channel": "phone", "summary": "x"},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["purpose"])
    assert not client_of.contacts.exists()
    assert AccessRecord.objects.get(actor=caseworker).granted is False


# -- ids too large for the database


HUGE = 99999999999999999999
MAX_ID = 2**63 - 1


@pytest.mark.parametrize("suffix", READS)
def test_huge_client_id_is_404_and_not_logged(api_as, caseworker, suffix):
    response = api_as(caseworker).get(f"/api/v1/clients/{HUGE}/{suffix}")
    assert response.status_code == 404, response.content
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("client_id,status", [(MAX_ID, 403), (MAX_ID + 1, 404)])
def test_largest_storable_client_id(api_as, caseworker, client_id, status):
    response = api_as(caseworker).get(f"/api/v1/clients/{client_id}/", {"purpose": "api"})
    assert response.status_code == status
    assert AccessRecord.objects.filter(client_id=client_id, granted=False).exists() == (status == 403)


def test_huge_ids_in_writes_and_filters(api, api_as, team_lead, client_of):
    c = api_as(team_lead)
    assert c.post(f"/api/v1/clients/{HUGE}/contacts/", {}, format="json").status_code == 404
    for suffix in (
        f"action-items/{HUGE}/complete/",
        f"benefit-periods/{HUGE}/end/",
        f"exemptions/{HUGE}/end/",
        f"referrals/{HUGE}/move/",
        f"participations/{HUGE}/follow-up/",
        f"participations/{HUGE}/end/",
        f"participations/{HUGE}/next-step/",
        f"job-referrals/{HUGE}/move/",
        f"placements/{HUGE}/extend/",
        f"placements/{HUGE}/training-started/",
        f"placements/{HUGE}/end/",
        f"follow-ups/{HUGE}/record/",
        f"sanction-cases/{HUGE}/hearing/",
        f"sanction-cases/{HUGE}/hearing/record/",
        f"sanction-cases/{HUGE}/assessment/",
        f"sanction-cases/{HUGE}/decisions/",
        f"sanction-cases/{HUGE}/decisions/{HUGE}/approve/",
        f"sanction-cases/{HUGE}/decisions/{HUGE}/send/",
        f"sanction-cases/{HUGE}/decisions/{HUGE}/reconsider/",
        f"sanction-cases/{HUGE}/decisions/{HUGE}/revise/",
        f"sanction-cases/{HUGE}/decisions/{HUGE}/objections/",
        f"sanction-cases/{HUGE}/objections/{HUGE}/decide/",
        f"sanction-cases/{HUGE}/objections/{HUGE}/extend/",
        f"sanction-cases/{HUGE}/objections/{HUGE}/appeals/",
        f"sanction-cases/{HUGE}/appeals/{HUGE}/decide/",
    ):
        assert c.post(url(client_of, suffix), {}, format="json").status_code == 404, suffix
    listed = c.get("/api/v1/clients/", {"caseworker": HUGE})
    assert (listed.status_code, list(listed.json())) == (400, ["caseworker"])
    searched = c.post("/api/v1/clients/search/", {"search": "x", "caseworker": HUGE}, format="json")
    assert (searched.status_code, list(searched.json())) == (400, ["caseworker"])
    assigned = c.post(url(client_of, "assignments/"), {"caseworker": HUGE, "reason": "x"}, format="json")
    assert (assigned.status_code, list(assigned.json())) == (400, ["caseworker"])
    assert api.get(f"/api/v1/clients/{HUGE}/").status_code == 401
    assert not AccessRecord.objects.filter(client_id__gt=client_of.pk).exists()


@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize("role_fixture", list(WRITERS))
def test_write(
    request, api_as, client_of, caseworker, colleague, make_activity, employer, make_vacancy, today, name, role_fixture
):
    user = request.getfixturevalue(role_fixture)
    method, suffix, payload, action = WRITES[name]
    ctx = {
        "colleague": colleague,
        "caseworker": caseworker,
        "activity": make_activity(),
        "employer": employer,
        "vacancy": make_vacancy(),
    }
    path = url(client_of, suffix(client_of, today, ctx))
    audits_before = AuditRecord.objects.filter(client_id=client_of.pk).count()
    last_audit = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(api_as(user), method)(path, payload(today, ctx), format="json")
    if name in WRITERS[role_fixture]:
        assert response.status_code in (200, 201), response.content
        # the request's own audit record, by the caller (a service may write more than one, e.g. an action item)
        assert AuditRecord.objects.filter(client_id=client_of.pk, id__gt=last_audit, action=action, actor=user).exists()
        assert AccessRecord.objects.filter(actor=user, client_id=client_of.pk, granted=True).exists()
    else:
        _assert_refused(response, client_of, user)
        assert AuditRecord.objects.filter(client_id=client_of.pk).count() == audits_before


SANCTION_READS = ["sanction-cases/", "sanction-cases/{case}/"]


@pytest.mark.parametrize("suffix", SANCTION_READS)
@pytest.mark.parametrize(
    "role_fixture,allowed,purpose",
    [
        ("caseworker", True, None),
        ("team_lead", True, None),
        ("colleague", False, "substitution"),  # the sanction screens need write access: so does the API
        ("outsider", False, None),
        ("analyst", False, None),
        ("administrator", False, None),
        ("auditor", False, None),
        ("provider_user", False, None),
        ("adviser", False, None),
    ],
)
def test_sanction_reads_need_write_access(request, api_as, client_of, today, suffix, role_fixture, allowed, purpose):
    from trede.sanctions.services import case_open

    case = case_open(
        actor=request.getfixturevalue("caseworker"),
        client=client_of,
        category="insufficient_responsibility",
        breach_on=today,
        description="x",
    )
    user = request.getfixturevalue(role_fixture)
    path = url(client_of, suffix.format(case=case.pk))
    response = api_as(user).get(path, {"purpose": purpose} if purpose else {})
    if allowed:
        assert response.status_code == 200, response.content
        record = AccessRecord.objects.get(actor=user, client_id=client_of.pk)
        assert (record.granted, record.purpose, record.path) == (True, "api", path)
    else:
        _assert_refused(response, client_of, user)


@pytest.mark.parametrize("suffix", READS)
def test_another_teams_client_is_refused_and_logged(api_as, caseworker, team_lead, other_team_client, suffix):
    for user in (caseworker, team_lead):
        response = api_as(user).get(url(other_team_client, suffix))
        _assert_refused(response, other_team_client, user)


def test_refused_attempt_keeps_the_stated_purpose(api_as, outsider, client_of):
    api_as(outsider).get(url(client_of, ""), {"purpose": "consultation"})
    record = AccessRecord.objects.get(actor=outsider)
    assert (record.granted, record.purpose) == (False, "consultation")


def test_unknown_client_is_refused_like_one_out_of_reach(api_as, caseworker):
    response = api_as(caseworker).get("/api/v1/clients/999999/")
    assert response.status_code == 403
    assert AccessRecord.objects.filter(actor=caseworker, client_id=999999, granted=False).exists()


def test_client_without_current_assignment_is_out_of_reach(api_as, make_client, caseworker, team_lead):
    orphan = make_client(None)
    for user in (caseworker, team_lead):
        assert api_as(user).get(url(orphan, "")).status_code == 403


@pytest.mark.parametrize("role_fixture", NO_DOSSIER_ROLES)
def test_roles_without_dossiers_see_no_clients_at_all(request, api_as, client_of, district, role_fixture):
    user = request.getfixturevalue(role_fixture)
    c = api_as(user)
    listed = c.get("/api/v1/clients/", {"search": client_of.surname})
    assert listed.status_code == 403
    assert client_of.surname not in listed.content.decode()
    registered = c.post(
        "/api/v1/clients/",
        {"bsn": "111222333", "first_name": "A", "surname": "B", "birth_date": "1990-01-01", "district": district.code},
        format="json",
    )
    assert registered.status_code == 403
    assert not type(client_of).objects.filter(bsn="111222333").exists()
    searched = c.post("/api/v1/clients/search/", {"search": client_of.bsn}, format="json")
    assert searched.status_code == 403
    assert client_of.surname not in searched.content.decode()
    assert c.get("/api/v1/team/caseworkers/").status_code == 403


def test_client_list_is_the_callers_reach(
    api_as, caseworker, colleague, team_lead, client_of, colleague_client, other_team_client
):
    def ids(user):
        response = api_as(user).get("/api/v1/clients/")
        assert response.status_code == 200
        return {c["id"] for c in response.json()["results"]}

    assert ids(caseworker) == {client_of.pk}
    assert ids(colleague) == {colleague_client.pk}
    assert ids(team_lead) == {client_of.pk, colleague_client.pk}
    assert not AccessRecord.objects.exists()  # a caseload list is no dossier read


def test_colleague_may_read_with_a_purpose(api_as, colleague, client_of):
    response = api_as(colleague).get(url(client_of, ""), HTTP_X_PURPOSE="substitution")
    assert response.status_code == 200
    assert response.json()["access"] == "read"
    assert AccessRecord.objects.get(actor=colleague).purpose == "substitution"


def test_team_caseworkers(api_as, team_lead, caseworker, colleague, outsider):
    response = api_as(team_lead).get("/api/v1/team/caseworkers/")
    assert response.status_code == 200
    assert {u["username"] for u in response.json()["results"]} == {"anna", "bram"}


# -- employer services: who may use the adviser's endpoints

ADVISERS = {"adviser", "team_lead"}
EMPLOYER_ROLES = ["adviser", "team_lead", "caseworker", "analyst", "administrator", "auditor", "provider_user"]

# name: (method, path(ctx), payload(ctx), roles allowed)
EMPLOYER_ENDPOINTS = {
    "employer_list": ("get", lambda x: "employers/", None, ADVISERS),
    "employer_create": (
        "post",
        lambda x: "employers/",
        lambda x: {"name": "Nieuw BV", "sector": "G", "adviser": x["adviser"].pk},
        ADVISERS,
    ),
    "employer_detail": ("get", lambda x: f"employers/{x['employer'].pk}/", None, ADVISERS),
    "employer_update": ("patch", lambda x: f"employers/{x['employer'].pk}/", lambda x: {"agreements": "x"}, ADVISERS),
    "contacts": ("get", lambda x: f"employers/{x['employer'].pk}/contacts/", None, ADVISERS),
    "contact_create": (
        "post",
        lambda x: f"employers/{x['employer'].pk}/contacts/",
        lambda x: {"name": "Piet", "phone": "06-1"},
        ADVISERS,
    ),
    "employer_vacancies": ("get", lambda x: f"employers/{x['employer'].pk}/vacancies/", None, ADVISERS),
    "vacancy_create": (
        "post",
        lambda x: f"employers/{x['employer'].pk}/vacancies/",
        lambda x: {"title": "Schoonmaker"},
        ADVISERS,
    ),
    "vacancy_list": ("get", lambda x: "vacancies/", None, ADVISERS | {"caseworker"}),
    "vacancy_detail": ("get", lambda x: f"vacancies/{x['vacancy'].pk}/", None, ADVISERS | {"caseworker"}),
    "vacancy_update": ("patch", lambda x: f"vacancies/{x['vacancy'].pk}/", lambda x: {"title": "x"}, ADVISERS),
    "shortlist": ("get", lambda x: f"vacancies/{x['vacancy'].pk}/shortlist/", None, ADVISERS),
    "durability": ("get", lambda x: "durability/", None, ADVISERS | {"analyst"}),
}


def _employer_state():
    return (Employer.objects.count(), ContactPerson.objects.count(), list(Vacancy.objects.values("pk", "title")))


@pytest.mark.parametrize("name", list(EMPLOYER_ENDPOINTS))
@pytest.mark.parametrize("role_fixture", EMPLOYER_ROLES)
def test_employer_services(request, api_as, adviser, employer, make_vacancy, name, role_fixture):
    user = request.getfixturevalue(role_fixture)
    method, path, payload, allowed = EMPLOYER_ENDPOINTS[name]
    ctx = {"adviser": adviser, "employer": employer, "vacancy": make_vacancy()}
    before, audits = _employer_state(), AuditRecord.objects.count()
    kwargs = {"format": "json"} if payload else {}
    response = getattr(api_as(user), method)(f"/api/v1/{path(ctx)}", payload(ctx) if payload else None, **kwargs)
    if role_fixture in allowed:
        assert response.status_code in (200, 201), response.content
        if method != "get":
            assert AuditRecord.objects.filter(actor=user, id__gt=audits).exists()
    else:
        assert response.status_code == 403, response.content
        assert (_employer_state(), AuditRecord.objects.count()) == (before, audits)
    assert not AccessRecord.objects.exists()  # no client in any of these answers (the shortlist has no candidates)
