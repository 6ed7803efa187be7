"""The sanction endpoints: a case from the breach through the prechecks, the hearing, the culpability assessment, the
proposal of the rule set, approval by a second person (a team lead who did not propose it), the decision letter, an
objection whose outcome is a new decision, and an appeal; every step through the service, audited, and refused with
the service's own message (400, nothing saved) when it is out of turn. Only the client's caseworker and a team lead of
the team reach a case (a colleague with read access to the dossier does not, as on the screens); the overview is for
team leads and auditors and shows aggregates only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from trede.clients.services import benefit_period_start
from trede.core.models import AccessRecord, AuditRecord, User
from trede.core.rules import add_months
from trede.core.workdays import term_end
from trede.obligations.services import exemption_grant, obligation_impose
from trede.sanctions import services as ss
from trede.sanctions.models import Appeal, Assessment, Decision, Hearing, Objection, SanctionCase

pytestmark = pytest.mark.django_db


def url(client, suffix: str = "") -> str:
    return f"/api/v1/clients/{client.pk}/sanction-cases/{suffix}"


def fresh(user) -> User:
    """The user as token authentication loads it on each request."""
    return User.objects.get(pk=user.pk)


def ok(response, code: int = 200) -> dict:
    assert response.status_code == code, response.content
    return response.json()


def refused(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()


def state() -> tuple:
    """Everything a sanction step can write: to show that a refused step saved nothing."""
    return (
        list(SanctionCase.objects.values_list("pk", "status", "closed_reason").order_by("pk")),
        list(Hearing.objects.values_list("pk", "responded", "statement").order_by("pk")),
        Assessment.objects.count(),
        list(Decision.objects.values_list("pk", "status", "pct", "months", "sent_on").order_by("pk")),
        list(Objection.objects.values_list("pk", "outcome", "extended").order_by("pk")),
        list(Appeal.objects.values_list("pk", "outcome").order_by("pk")),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def on_benefit(client_of, caseworker, today):
    start = today - dt.timedelta(days=400)
    benefit_period_start(actor=caseworker, client=client_of, start_on=start, norm="single")
    obligation_impose(actor=caseworker, client=client_of, kind="work_obligation", start_on=start)
    obligation_impose(actor=caseworker, client=client_of, kind="cooperation", start_on=start)
    return client_of


def open_case(api, client, today, *, category="refused_work", days_ago=40, **extra) -> dict:
    body = {
        "category": category,
        "breach_on": str(today - dt.timedelta(days=days_ago)),
        "description": "Aangeboden werk als orderpicker geweigerd zonder reden.",
        **extra,
    }
    return ok(api.post(url(client), body, format="json"), 201)


def assessed_case(actor, client, today, *, days_ago=40) -> SanctionCase:
    """A case through the services up to a culpable finding."""
    case = ss.case_open(
        actor=actor,
        client=client,
        category="refused_work",
        breach_on=today - dt.timedelta(days=days_ago),
        description="Werk geweigerd.",
    )
    ss.hearing_schedule(actor=actor, case=case, invited_on=today - dt.timedelta(days=days_ago - 5))
    ss.hearing_record(actor=actor, case=case, responded=True, statement="Ik had geen vervoer.")
    ss.assessment_record(actor=actor, case=case, finding="full", reasoning="Er was een fiets.", assessed_on=today)
    return case


def sent_decision(caseworker, team_lead, client, today, *, days_ago=60, sent_days_ago=10) -> Decision:
    case = assessed_case(caseworker, client, today, days_ago=days_ago)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    ss.decision_approve(actor=team_lead, decision=decision)
    return ss.decision_send(actor=caseworker, decision=decision, sent_on=today - dt.timedelta(days=sent_days_ago))


# --------------------------------------------------------------------------------------------------
# The whole way, through the API only


def test_a_case_from_breach_to_appeal(api_as, caseworker, team_lead, on_benefit, today):
    me, lead = api_as(fresh(caseworker)), api_as(fresh(team_lead))
    case = open_case(me, on_benefit, today)
    case_url = url(on_benefit, f"{case['id']}/")
    assert case["case_status"] == "open" and case["breach_number"] == 1
    assert case["checks"]["may_proceed"] is True and case["checks"]["blocks"] == []
    assert case["checks"]["facts"] == {
        "obligation_in_force": True,
        "exempt": False,
        "communicated_in_writing": False,
        "health_limitation": False,
        "care_duty": False,
        "urgent_reasons": False,
    }
    # refusing work exists without a letter: the caseworker weighs whether the client knew (not a block)
    assert [c["check"] for c in case["checks"]["weigh"]] == ["no_letter"]
    assert case["next_steps"] == ["hearing_schedule"] and case["proposal"] is None
    assert AuditRecord.objects.filter(action="sanction_case_open", actor=caseworker, client_id=on_benefit.pk).exists()

    invited = today - dt.timedelta(days=30)
    case = ok(me.post(f"{case_url}hearing/", {"invited_on": str(invited)}, format="json"))
    assert case["case_status"] == "hearing" and case["next_steps"] == ["hearing_record"]
    assert case["hearing"]["respond_by"] == str(term_end(invited, days=14))
    [hearing_term] = case["deadlines"]
    assert (hearing_term["deadline"], hearing_term["record"], hearing_term["passed"]) == ("hearing", case["id"], True)
    assert hearing_term["due"] == case["hearing"]["respond_by"] and "4:8" in hearing_term["source"]

    case = ok(
        me.post(
            f"{case_url}hearing/record/",
            {"responded": True, "statement": "Ik kon mijn kinderen niet naar school brengen."},
            format="json",
        )
    )
    assert case["hearing"]["responded"] is True and case["hearing"]["recorded_by"]["username"] == "anna"
    assert case["deadlines"] == [] and case["next_steps"] == ["assessment_record"]

    case = ok(
        me.post(f"{case_url}assessment/", {"finding": "full", "reasoning": "Opvang was geregeld."}, format="json")
    )
    assert case["case_status"] == "assessed" and case["assessment"]["finding"] == "full"
    assert case["assessment"]["assessed_on"] == str(today)
    # the proposal of the rule set valid on the breach date: a first refusal of work, 100% for 1 month
    assert {k: case["proposal"][k] for k in ("pct", "months", "text")} == {
        "pct": 100,
        "months": 1,
        "text": "100% gedurende 1 maand",
    }
    assert "art. 18 lid 4" in case["proposal"]["article"] and case["next_steps"] == ["decision_propose"]

    case = ok(me.post(f"{case_url}decisions/", {"start_on": str(today)}, format="json"))
    [draft] = case["decisions"]
    assert (draft["decision_status"], draft["pct"], draft["months"]) == ("draft", 100, 1)
    assert (draft["norm_amount_cents"], draft["reduction_cents"]) == (140150, 140150)
    assert draft["end_on"] == str(add_months(today, 1) - dt.timedelta(days=1)) and draft["schedule"] == []
    assert case["proposal"] is None and case["next_steps"] == ["decision_approve"]
    decision_url = f"{case_url}decisions/{draft['id']}/"

    # approval: a team lead only (a caseworker: 403, and nothing written)
    before = state()
    assert me.post(f"{decision_url}approve/", {}, format="json").status_code == 403
    assert state() == before
    case = ok(lead.post(f"{decision_url}approve/", {}, format="json"))
    assert case["decisions"][0]["decision_status"] == "approved"
    assert case["decisions"][0]["approved_by"]["username"] == "dirk"
    assert case["next_steps"] == ["decision_send"]

    case = ok(me.post(f"{decision_url}send/", {"sent_on": str(today)}, format="json"))
    sent = case["decisions"][0]
    assert (case["case_status"], sent["decision_status"], sent["sent_on"], sent["letter"]) == (
        "decided",
        "sent",
        str(today),
        True,
    )
    kinds = {d["deadline"]: d for d in case["deadlines"]}
    assert set(kinds) == {"objection_term", "reconsideration"}
    assert kinds["objection_term"]["due"] == str(term_end(today, weeks=6))
    assert set(case["next_steps"]) == {"objection_register", "decision_reconsider", "decision_revise"}
    pdf = Decision.objects.get(pk=sent["id"]).pdf
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(pdf))).pages).split())
    assert "Ik kon mijn kinderen niet naar school brengen" in text and "€ 1.401,50 per maand minder" in text
    # sent: never changed again (a second send is refused with the service's message)
    before = state()
    again = refused(me.post(f"{decision_url}send/", {}, format="json"))
    assert again == {"non_field_errors": ["Alleen een goedgekeurd besluit kan worden verstuurd."]}
    assert state() == before

    case = ok(me.post(f"{decision_url}objections/", {"received_on": str(today)}, format="json"))
    [objection] = case["decisions"][0]["objections"]
    assert objection["late"] is False and objection["objection_outcome"] == ""
    # the objection term is over once an objection is in; the decision term runs (sorted by the last day)
    assert sorted(d["deadline"] for d in case["deadlines"]) == ["objection_decision", "reconsideration"]
    assert [d["due"] for d in case["deadlines"]] == sorted(d["due"] for d in case["deadlines"])
    assert {d["record"] for d in case["deadlines"] if d["deadline"] == "objection_decision"} == {objection["id"]}
    assert {"objection_decide", "objection_extend"} <= set(case["next_steps"])
    objection_url = f"{case_url}objections/{objection['id']}/"

    case = ok(me.post(f"{objection_url}extend/", {}, format="json"))
    extended = case["decisions"][0]["objections"][0]
    assert extended["extended"] is True and extended["decide_by"] > objection["decide_by"]
    case = ok(
        me.post(
            f"{objection_url}decide/",
            {
                "objection_outcome": "partly",
                "reasoning": "De zorg voor de kinderen speelde mee.",
                "pct": 50,
                "months": 1,
            },
            format="json",
        )
    )
    old, new = case["decisions"]
    assert (old["decision_status"], old["pct"]) == ("sent", 100)  # the old decision is never edited
    assert (new["supersedes"], new["decision_status"], new["pct"], new["reduction_cents"]) == (
        old["id"],
        "draft",
        50,
        70075,
    )
    assert old["objections"][0]["objection_outcome"] == "partly"
    assert old["objections"][0]["new_decision"] == new["id"]
    ok(lead.post(f"{case_url}decisions/{new['id']}/approve/", {}, format="json"))
    case = ok(me.post(f"{case_url}decisions/{new['id']}/send/", {}, format="json"))
    assert case["decisions"][1]["decision_status"] == "sent"
    assert [d["record"] for d in case["deadlines"] if d["deadline"] == "objection_term"] == [new["id"]]

    case = ok(
        me.post(f"{objection_url}appeals/", {"court": "Rechtbank Midden-Nederland"}, format="json"),
    )
    [appeal] = case["decisions"][0]["objections"][0]["appeals"]
    assert appeal["court"] == "Rechtbank Midden-Nederland" and appeal["appeal_outcome"] == ""
    case = ok(
        me.post(
            f"{case_url}appeals/{appeal['id']}/decide/",
            {"appeal_outcome": "rejected", "note": "Het beroep is ongegrond."},
            format="json",
        )
    )
    assert case["decisions"][0]["objections"][0]["appeals"][0]["appeal_outcome"] == "rejected"

    for action, actor in (
        ("hearing_schedule", caseworker),
        ("hearing_record", caseworker),
        ("assessment_record", caseworker),
        ("decision_propose", caseworker),
        ("decision_approve", team_lead),
        ("decision_send", caseworker),
        ("objection_register", caseworker),
        ("objection_extend", caseworker),
        ("objection_decide", caseworker),
        ("decision_on_objection", caseworker),
        ("appeal_register", caseworker),
        ("appeal_decide", caseworker),
    ):
        assert AuditRecord.objects.filter(action=action, actor=actor, client_id=on_benefit.pk).exists(), action
    listed = ok(me.get(url(on_benefit)))["results"]
    assert [(c["id"], c["case_status"]) for c in listed] == [(case["id"], "decided")]


def test_not_culpable_closes_the_case_without_a_sanction(api_as, caseworker, on_benefit, today):
    me = api_as(fresh(caseworker))
    case = open_case(me, on_benefit, today, days_ago=40)
    case_url = url(on_benefit, f"{case['id']}/")
    ok(me.post(f"{case_url}hearing/", {"invited_on": str(today - dt.timedelta(days=30))}, format="json"))
    ok(me.post(f"{case_url}hearing/record/", {"responded": False}, format="json"))  # the term has passed
    case = ok(
        me.post(f"{case_url}assessment/", {"finding": "none", "reasoning": "Lag in het ziekenhuis."}, format="json")
    )
    assert case["case_status"] == "no_sanction" and case["closed_reason"] and case["next_steps"] == []
    assert case["proposal"] is None
    before = state()
    body = refused(me.post(f"{case_url}decisions/", {"start_on": str(today)}, format="json"))
    assert body == {"non_field_errors": ["Een besluit kan pas na het horen en de beoordeling van de verwijtbaarheid."]}
    assert state() == before


def test_an_exempt_obligation_stops_the_case_and_nothing_further_is_possible(api_as, caseworker, on_benefit, today):
    exemption_grant(
        actor=caseworker,
        client=on_benefit,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=60),
        review_on=today + dt.timedelta(days=60),
        reason="Zorg voor een ziek kind",
    )
    me = api_as(fresh(caseworker))
    case = open_case(me, on_benefit, today)
    assert case["case_status"] == "stopped" and case["checks"]["may_proceed"] is False
    assert case["checks"]["facts"]["exempt"] is True
    assert [c["check"] for c in case["checks"]["blocks"]] == ["exempt"]
    assert "ontheffing" in case["closed_reason"] and case["next_steps"] == []
    before = state()
    body = refused(me.post(url(on_benefit, f"{case['id']}/hearing/"), {}, format="json"))
    assert body == {"non_field_errors": ["Deze zaak kan niet (meer) naar het horen."]}
    assert state() == before


def test_a_no_show_without_a_letter_on_file_is_stopped(api_as, caseworker, on_benefit, today):
    case = open_case(api_as(fresh(caseworker)), on_benefit, today, category="no_show")
    assert case["case_status"] == "stopped" and [c["check"] for c in case["checks"]["blocks"]] == ["no_letter"]


# --------------------------------------------------------------------------------------------------
# Bad input: 400 with the service's message, under the field the caller sent, and nothing saved


def test_refusals_name_the_field_and_save_nothing(api_as, caseworker, team_lead, on_benefit, today):
    me = api_as(fresh(caseworker))
    before = state()
    assert set(refused(me.post(url(on_benefit), {"category": "refused_work"}, format="json"))) == {
        "breach_on",
        "description",
    }
    future = refused(
        me.post(
            url(on_benefit),
            {"category": "refused_work", "breach_on": str(today + dt.timedelta(days=1)), "description": "x"},
            format="json",
        )
    )
    assert future == {"breach_on": ["Deze datum ligt in de toekomst."]}
    blank = refused(
        me.post(
            url(on_benefit),
            {"category": "refused_work", "breach_on": str(today), "description": "   "},
            format="json",
        )
    )
    assert list(blank) == ["description"]
    assert state() == before

    case = open_case(me, on_benefit, today, days_ago=10)
    case_url = url(on_benefit, f"{case['id']}/")
    before = state()
    early = refused(me.post(f"{case_url}hearing/", {"invited_on": str(today - dt.timedelta(days=20))}, format="json"))
    assert early == {"invited_on": ["De uitnodiging ligt vóór de gedraging."]}
    assert refused(me.post(f"{case_url}assessment/", {"finding": "full", "reasoning": "x"}, format="json")) == {
        "non_field_errors": ["Leg eerst het horen vast: de zienswijze of dat de cliënt niet reageerde."]
    }
    assert state() == before

    ok(me.post(f"{case_url}hearing/", {"invited_on": str(today - dt.timedelta(days=3))}, format="json"))
    before = state()
    premature = refused(me.post(f"{case_url}hearing/record/", {"responded": False}, format="json"))
    assert list(premature) == ["responded"] and "kan nog reageren tot en met" in premature["responded"][0]
    no_statement = refused(me.post(f"{case_url}hearing/record/", {"responded": True}, format="json"))
    assert no_statement == {"statement": ["Schrijf op wat de cliënt zegt (de zienswijze)."]}
    assert state() == before
    ok(me.post(f"{case_url}hearing/record/", {"responded": True, "statement": "Ik was ziek."}, format="json"))
    before = state()
    no_reason = refused(me.post(f"{case_url}assessment/", {"finding": "partial", "reasoning": " "}, format="json"))
    assert no_reason == {"reasoning": ["Schrijf op waarom: de motivering is verplicht."]}
    assert state() == before
    ok(me.post(f"{case_url}assessment/", {"finding": "partial", "reasoning": "Deels."}, format="json"))
    before = state()
    higher = refused(
        me.post(
            f"{case_url}decisions/",
            {"start_on": str(today), "pct": 100, "months": 3, "lowered_reason": "x"},
            format="json",
        )
    )
    assert list(higher) == ["months"] and "alleen korter" in higher["months"][0]
    # lower without a reason: the service's `reason` is the API's `lowered_reason`
    unexplained = refused(me.post(f"{case_url}decisions/", {"start_on": str(today), "pct": 50}, format="json"))
    assert unexplained == {
        "lowered_reason": ["Schrijf de reden op: welke dringende redenen of omstandigheden er zijn."]
    }
    assert list(refused(me.post(f"{case_url}decisions/", {"start_on": str(today), "pct": 101}, format="json"))) == [
        "pct"
    ]
    assert list(
        refused(me.post(f"{case_url}decisions/", {"start_on": str(today), "spread_over": 4}, format="json"))
    ) == ["spread_over"]
    assert state() == before
    spread = ok(me.post(f"{case_url}decisions/", {"start_on": str(today), "spread_over": 3}, format="json"))
    assert spread["decisions"][0]["schedule"] == [34, 33, 33]  # art. 18 lid 5: the first month carries a third


def test_the_one_who_proposed_cannot_approve(api_as, team_lead, make_client, caseworker, today):
    client = make_client(caseworker)
    start = today - dt.timedelta(days=400)
    benefit_period_start(actor=caseworker, client=client, start_on=start)
    obligation_impose(actor=caseworker, client=client, kind="work_obligation", start_on=start)
    case = assessed_case(team_lead, client, today)
    decision = ss.decision_propose(actor=team_lead, case=case, start_on=today)
    before = state()
    body = refused(api_as(fresh(team_lead)).post(url(client, f"{case.pk}/decisions/{decision.pk}/approve/"), {}))
    assert body == {"non_field_errors": ["Een tweede persoon keurt het besluit goed, niet wie het voorstelde."]}
    assert state() == before


def test_objection_refusals(api_as, caseworker, team_lead, on_benefit, today):
    decision = sent_decision(caseworker, team_lead, on_benefit, today)
    objection = ss.objection_register(actor=caseworker, decision=decision, received_on=today)
    me = api_as(fresh(caseworker))
    base = url(on_benefit, f"{decision.case_id}/objections/{objection.pk}/")
    before = state()
    not_lower = refused(
        me.post(
            f"{base}decide/",
            {"objection_outcome": "partly", "reasoning": "x", "pct": 100, "months": 1},
            format="json",
        )
    )
    assert not_lower == {"pct": ["Bij deels gegrond wordt de maatregel lager dan in het besluit."]}
    assert list(refused(me.post(f"{base}decide/", {"objection_outcome": "upheld", "reasoning": ""}))) == ["reasoning"]
    assert list(refused(me.post(f"{base}appeals/", {"court": "Rechtbank"}, format="json"))) == ["non_field_errors"]
    assert state() == before
    ok(me.post(f"{base}decide/", {"objection_outcome": "rejected", "reasoning": "De regels zijn gevolgd."}))
    before = state()
    twice = refused(me.post(f"{base}decide/", {"objection_outcome": "upheld", "reasoning": "x"}, format="json"))
    assert twice == {"objection_outcome": ["Op dit bezwaar is al beslist."]}  # the service's `outcome`, renamed
    assert state() == before


def test_a_late_objection_is_registered_and_marked(api_as, caseworker, team_lead, on_benefit, today):
    decision = sent_decision(caseworker, team_lead, on_benefit, today, days_ago=120, sent_days_ago=60)
    before = ok(api_as(fresh(caseworker)).get(url(on_benefit, f"{decision.case_id}/")))
    assert "objection_term" not in {d["deadline"] for d in before["deadlines"]}  # the client's term is over
    case = ok(
        api_as(fresh(caseworker)).post(url(on_benefit, f"{decision.case_id}/decisions/{decision.pk}/objections/"))
    )
    assert case["decisions"][0]["objections"][0]["late"] is True


def test_records_of_another_case_or_client_are_not_found(api_as, caseworker, team_lead, on_benefit, make_client, today):
    other = make_client(caseworker, first_name="Sem")
    start = today - dt.timedelta(days=400)
    benefit_period_start(actor=caseworker, client=other, start_on=start)
    obligation_impose(actor=caseworker, client=other, kind="work_obligation", start_on=start)
    theirs = sent_decision(caseworker, team_lead, other, today)
    mine = assessed_case(caseworker, on_benefit, today)
    me = api_as(fresh(caseworker))
    before = state()
    assert me.get(url(on_benefit, f"{theirs.case_id}/")).status_code == 404
    assert me.post(url(on_benefit, f"{mine.pk}/decisions/{theirs.pk}/objections/"), {}).status_code == 404
    assert me.post(url(on_benefit, f"{theirs.case_id}/hearing/"), {}).status_code == 404
    huge = 99999999999999999999
    assert me.post(url(on_benefit, f"{mine.pk}/decisions/{huge}/send/"), {}).status_code == 404
    assert me.post(url(on_benefit, f"{huge}/hearing/"), {}).status_code == 404
    assert state() == before


def test_evidence_must_be_the_clients_own(api_as, caseworker, on_benefit, make_client, make_activity, today):
    from trede.activation.services import referral_propose

    other = make_client(caseworker, first_name="Sem")
    activity = make_activity()
    theirs = referral_propose(actor=caseworker, client=other, activity=activity, on=today)
    before = state()
    body = refused(
        api_as(fresh(caseworker)).post(
            url(on_benefit),
            {
                "category": "action_plan",
                "breach_on": str(today),
                "description": "Niet gekomen.",
                "activity_referral": theirs.pk,
            },
            format="json",
        )
    )
    assert list(body) == ["activity_referral"]
    assert state() == before


def test_the_case_page_costs_a_constant_number_of_queries(api_as, caseworker, team_lead, on_benefit, today):
    decision = sent_decision(caseworker, team_lead, on_benefit, today)
    me = api_as(fresh(caseworker))
    path = url(on_benefit, f"{decision.case_id}/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            ok(me.get(path))
        return len(queries)

    small = count()
    objection = ss.objection_register(actor=caseworker, decision=decision, received_on=today)
    ss.objection_decide(
        actor=caseworker, objection=objection, outcome="partly", reasoning="x", decided_on=today, pct=50, months=1
    )
    ss.appeal_register(actor=caseworker, objection=objection, lodged_on=today, court="Rechtbank")
    # one more query at most: the rules of another day (the objection's term) for its deadline
    assert count() <= small + 1


# --------------------------------------------------------------------------------------------------
# Who may use the sanction endpoints


@pytest.mark.parametrize(
    "role_fixture,allowed,purpose",
    [
        ("caseworker", True, None),
        ("team_lead", True, "supervision"),
        ("colleague", False, "substitution"),  # read access to the dossier, but the sanction screens need write
        ("outsider", False, None),
        ("analyst", False, None),
        ("administrator", False, None),
        ("auditor", False, None),
    ],
)
def test_who_reads_a_case(request, api_as, caseworker, team_lead, on_benefit, today, role_fixture, allowed, purpose):
    decision = sent_decision(caseworker, team_lead, on_benefit, today)
    user = request.getfixturevalue(role_fixture)
    AccessRecord.objects.all().delete()
    c = api_as(fresh(user))
    for path in (url(on_benefit), url(on_benefit, f"{decision.case_id}/")):
        response = c.get(path, {"purpose": purpose} if purpose else {})
        records = AccessRecord.objects.filter(actor=user, client_id=on_benefit.pk, path=path)
        if allowed:
            assert response.status_code == 200, response.content
            assert [(r.granted, r.purpose, r.channel) for r in records] == [(True, purpose or "api", "api")]
        else:
            assert response.status_code == 403, response.content
            body = response.content.decode()
            assert on_benefit.bsn not in body and on_benefit.surname not in body and "orderpicker" not in body
            assert [(r.granted, r.purpose) for r in records] == [(False, purpose or "")]


@pytest.mark.parametrize("role_fixture", ["colleague", "outsider", "analyst", "auditor", "administrator"])
def test_who_may_not_take_a_step(request, api_as, caseworker, team_lead, on_benefit, today, role_fixture):
    case = assessed_case(caseworker, on_benefit, today)
    draft = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    user = request.getfixturevalue(role_fixture)
    c = api_as(fresh(user))
    before = state()
    for suffix, body in (
        ("", {"category": "refused_work", "breach_on": str(today), "description": "x"}),
        (f"{case.pk}/decisions/{draft.pk}/approve/", {}),
        (f"{case.pk}/decisions/{draft.pk}/send/", {}),
    ):
        assert c.post(url(on_benefit, suffix), body, format="json").status_code == 403, suffix
    assert state() == before
    assert AccessRecord.objects.filter(actor=user, granted=False).count() == 3


def test_a_team_lead_of_another_team_reaches_no_case(api_as, make_user, other_team, caseworker, on_benefit, today):
    stranger = make_user("team_lead", "erik", other_team)
    case = assessed_case(caseworker, on_benefit, today)
    c = api_as(fresh(stranger))
    assert c.get(url(on_benefit, f"{case.pk}/")).status_code == 403
    assert c.post(url(on_benefit, f"{case.pk}/decisions/"), {"start_on": str(today)}).status_code == 403
    assert not Decision.objects.exists()


# --------------------------------------------------------------------------------------------------
# The overview


@pytest.mark.parametrize(
    "role_fixture,allowed",
    [
        ("team_lead", True),
        ("auditor", True),
        ("caseworker", False),
        ("analyst", False),
        ("administrator", False),
    ],
)
def test_the_overview_is_for_team_leads_and_auditors(request, api_as, role_fixture, allowed):
    response = api_as(fresh(request.getfixturevalue(role_fixture))).get("/api/v1/sanctions/overview/")
    assert response.status_code == (200 if allowed else 403)


def test_the_overview_counts_by_stage_and_finding_and_hides_small_groups(
    api_as, caseworker, team_lead, auditor, on_benefit, make_client, today
):
    sent_decision(caseworker, team_lead, on_benefit, today)
    others = [make_client(caseworker, first_name=f"K{i}") for i in range(11)]
    start = today - dt.timedelta(days=400)
    for c in others:
        benefit_period_start(actor=caseworker, client=c, start_on=start)
    obligation_impose(actor=caseworker, client=others[0], kind="work_obligation", start_on=start)
    ss.case_open(
        actor=caseworker, client=others[0], category="refused_work", breach_on=today, description="Werk geweigerd."
    )
    ss.case_open(actor=caseworker, client=others[1], category="refused_work", breach_on=today, description="Idem.")
    AccessRecord.objects.all().delete()
    body = ok(api_as(fresh(auditor)).get("/api/v1/sanctions/overview/"))
    assert {r["case_status"]: r["cases"] for r in body["by_stage"]} == {"decided": 1, "open": 1, "stopped": 1}
    assert {r["finding"]: r["cases"] for r in body["by_finding"]} == {None: 2, "full": 1}
    # 3 cases and 1 reduction are too few to show, also in the total (it would reveal a hidden district's figures)
    assert body["total"] == {
        "n": 12,
        "cases": None,
        "sanctions": None,
        "cases_per_100": None,
        "sanctions_per_100": None,
    }
    assert body["small_group"] == 10 and body["on"] == str(today)
    groups = {(r["attribute"], r["group"]): r for r in body["rows"]}
    assert groups[("district", "Centrum")]["n"] == 12
    assert groups[("district", "Centrum")]["cases"] is None  # 3 cases: a small count is hidden, and its rate
    assert groups[("district", "Centrum")]["cases_per_100"] is None
    assert all(r["n"] is None or r["n"] >= 10 for r in body["rows"])
    text = str(body)
    assert on_benefit.surname not in text and on_benefit.bsn not in text
    assert not AccessRecord.objects.exists()  # aggregates only: no dossier read


def test_a_revision_once_the_client_complies_is_a_new_decision(api_as, caseworker, team_lead, on_benefit, today):
    case = assessed_case(caseworker, on_benefit, today, days_ago=60)
    start = today - dt.timedelta(days=10)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=start)
    ss.decision_approve(actor=team_lead, decision=decision)
    ss.decision_send(actor=caseworker, decision=decision, sent_on=start)
    me = api_as(fresh(caseworker))
    revise = url(on_benefit, f"{case.pk}/decisions/{decision.pk}/revise/")
    assert "decision_revise" in ok(me.get(url(on_benefit, f"{case.pk}/")))["next_steps"]
    before = state()
    assert list(refused(me.post(revise, {"complies_on": str(today), "reason": " "}, format="json"))) == ["reason"]
    late = refused(me.post(revise, {"complies_on": str(today + dt.timedelta(days=1)), "reason": "x"}, format="json"))
    assert list(late) == ["complies_on"]
    assert state() == before
    complies = today - dt.timedelta(days=2)
    body = ok(me.post(revise, {"complies_on": str(complies), "reason": "Solliciteert weer elke week."}))
    old, new = body["decisions"]
    assert (old["decision_status"], old["end_on"]) == ("sent", str(decision.end_on))  # never edited
    assert (new["supersedes"], new["decision_status"], new["pct"]) == (old["id"], "draft", 100)
    assert new["end_on"] == str(complies - dt.timedelta(days=1))
    assert "decision_approve" in body["next_steps"] and "decision_revise" not in body["next_steps"]
    assert AuditRecord.objects.filter(action="decision_revise", actor=caseworker).exists()
