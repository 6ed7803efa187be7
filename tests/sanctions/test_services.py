"""The due process as the only path: prechecks stop what may not proceed, no decision without a hearing record and a
culpability assessment, the proposal comes from the rule set of the breach date, lower only with a reason, a second
person approves, a sent decision never changes, an objection outcome is a new decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trede.clients.services import benefit_period_start, circumstances_record
from trede.obligations.services import exemption_grant, obligation_impose
from trede.sanctions import services as ss
from trede.sanctions.models import Decision, SanctionCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_benefit(client_of, caseworker, today):
    benefit_period_start(actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=400), norm="single")
    obligation_impose(
        actor=caseworker, client=client_of, kind="work_obligation", start_on=today - dt.timedelta(days=400)
    )
    obligation_impose(actor=caseworker, client=client_of, kind="cooperation", start_on=today - dt.timedelta(days=400))
    return client_of


def open_case(actor, client, today, *, category="refused_work", days_ago=40):
    return ss.case_open(
        actor=actor,
        client=client,
        category=category,
        breach_on=today - dt.timedelta(days=days_ago),
        description="Aangeboden werk als orderpicker geweigerd zonder reden.",
    )


def through_hearing(case, caseworker, today, *, days_ago=30):
    ss.hearing_schedule(actor=caseworker, case=case, invited_on=today - dt.timedelta(days=days_ago))
    ss.hearing_record(actor=caseworker, case=case, responded=True, statement="Ik had geen vervoer.")


def test_an_exempt_obligation_stops_the_case_at_once_and_that_is_recorded(caseworker, on_benefit, today):
    exemption_grant(
        actor=caseworker,
        client=on_benefit,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=60),
        review_on=today + dt.timedelta(days=60),
        reason="Zorg voor een ziek kind",
    )
    case = open_case(caseworker, on_benefit, today)
    assert case.status == "stopped" and "ontheffing" in case.closed_reason
    with pytest.raises(ValidationError):
        ss.hearing_schedule(actor=caseworker, case=case, invited_on=today)


def test_no_decision_without_a_hearing_record_and_a_culpability_assessment(caseworker, on_benefit, today):
    case = open_case(caseworker, on_benefit, today)
    with pytest.raises(ValidationError):
        ss.decision_propose(actor=caseworker, case=case, start_on=today)
    with pytest.raises(ValidationError):
        ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="x", assessed_on=today)
    ss.hearing_schedule(actor=caseworker, case=case, invited_on=today - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as early:  # the client can still respond: 'did not respond' is premature
        ss.hearing_record(actor=caseworker, case=case, responded=False)
    assert "responded" in early.value.message_dict
    ss.hearing_record(actor=caseworker, case=case, responded=True, statement="Ik was ziek.")
    with pytest.raises(ValidationError) as no_reason:
        ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning=" ", assessed_on=today)
    assert "reasoning" in no_reason.value.message_dict
    assert not Decision.objects.exists()


def test_not_culpable_ends_the_case_without_a_sanction(caseworker, on_benefit, today):
    case = open_case(caseworker, on_benefit, today)
    through_hearing(case, caseworker, today)
    ss.assessment_record(
        actor=caseworker, case=case, finding="none", reasoning="Opgenomen in het ziekenhuis.", assessed_on=today
    )
    case.refresh_from_db()
    assert case.status == "no_sanction" and case.closed_reason
    with pytest.raises(ValidationError):
        ss.decision_propose(actor=caseworker, case=case, start_on=today)


def test_the_decision_follows_the_rule_set_a_second_person_approves_and_it_never_changes_after_sending(
    caseworker, team_lead, on_benefit, today
):
    case = open_case(caseworker, on_benefit, today)
    through_hearing(case, caseworker, today)
    ss.assessment_record(
        actor=caseworker, case=case, finding="full", reasoning="Geen geldige reden.", assessed_on=today
    )
    with pytest.raises(ValidationError):  # higher than proposed is never allowed
        ss.decision_propose(actor=caseworker, case=case, start_on=today, pct=100, months=3, lowered_reason="x")
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    # a first breach of a uniform work obligation: 100% for the ordinance's 1 month
    assert (decision.pct, decision.months) == (100, 1)
    assert decision.reduction_cents == 140150  # the single norm of the rule set
    with pytest.raises(ValidationError):
        ss.decision_send(actor=caseworker, decision=decision, sent_on=today)  # not approved yet
    with pytest.raises(ValidationError):
        ss.decision_approve(actor=caseworker, decision=decision)  # not a team lead
    ss.decision_approve(actor=team_lead, decision=decision)
    ss.decision_send(actor=caseworker, decision=decision, sent_on=today)
    decision.refresh_from_db()
    assert decision.status == "sent" and SanctionCase.objects.get().status == "decided"
    with pytest.raises(ValidationError):
        ss.decision_approve(actor=team_lead, decision=decision)


def test_a_team_lead_who_proposed_cannot_approve_their_own_decision(team_lead, make_client, caseworker, today):
    c = make_client(caseworker)
    benefit_period_start(actor=caseworker, client=c, start_on=today - dt.timedelta(days=400))
    obligation_impose(actor=caseworker, client=c, kind="work_obligation", start_on=today - dt.timedelta(days=400))
    case = open_case(team_lead, c, today)
    through_hearing(case, team_lead, today)
    ss.assessment_record(actor=team_lead, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    decision = ss.decision_propose(actor=team_lead, case=case, start_on=today)
    with pytest.raises(ValidationError):
        ss.decision_approve(actor=team_lead, decision=decision)


def test_lowering_needs_a_reason_and_partly_culpable_may_lower(caseworker, team_lead, on_benefit, today):
    circumstances_record(
        actor=caseworker,
        client=on_benefit,
        recorded_on=today - dt.timedelta(days=100),
        education="low",
        work_experience_years=1,
        dutch_level="2f",
        health="some",
        debts="problematic",
        social="limited",
    )
    case = open_case(caseworker, on_benefit, today)
    assert "health" in [code for code, _text in case.checks["weigh"]]  # to weigh at the hearing
    through_hearing(case, caseworker, today)
    ss.assessment_record(
        actor=caseworker, case=case, finding="partial", reasoning="Rugklachten speelden mee.", assessed_on=today
    )
    with pytest.raises(ValidationError) as no_reason:
        ss.decision_propose(actor=caseworker, case=case, start_on=today, pct=50, months=1)
    assert "reason" in no_reason.value.message_dict
    decision = ss.decision_propose(
        actor=caseworker, case=case, start_on=today, pct=50, months=1, lowered_reason="Gezondheid en schulden"
    )
    assert (decision.proposed_pct, decision.pct, decision.reduction_cents) == (100, 50, 70075)


def test_the_second_breach_within_12_months_after_a_sanction_escalates(caseworker, team_lead, on_benefit, today):
    first = open_case(caseworker, on_benefit, today, days_ago=200)
    ss.hearing_schedule(actor=caseworker, case=first, invited_on=today - dt.timedelta(days=190))
    ss.hearing_record(actor=caseworker, case=first, responded=False)
    ss.assessment_record(actor=caseworker, case=first, finding="full", reasoning="Geen reden.", assessed_on=today)
    d1 = ss.decision_propose(actor=caseworker, case=first, start_on=today - dt.timedelta(days=150))
    ss.decision_approve(actor=team_lead, decision=d1)
    ss.decision_send(actor=caseworker, decision=d1, sent_on=today - dt.timedelta(days=150))
    second = open_case(caseworker, on_benefit, today, category="not_keeping_work", days_ago=20)
    assert second.breach_number == 2  # uniform obligations count together (art. 18 lid 6)
    through_hearing(second, caseworker, today, days_ago=19)
    ss.assessment_record(actor=caseworker, case=second, finding="full", reasoning="Geen reden.", assessed_on=today)
    d2 = ss.decision_propose(actor=caseworker, case=second, start_on=today)
    assert (d2.pct, d2.months) == (100, 2)


def test_an_objection_outcome_is_a_new_decision_and_the_old_one_stays(caseworker, team_lead, on_benefit, today):
    case = open_case(caseworker, on_benefit, today, days_ago=60)
    through_hearing(case, caseworker, today, days_ago=50)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    ss.decision_approve(actor=team_lead, decision=decision)
    ss.decision_send(actor=caseworker, decision=decision, sent_on=today - dt.timedelta(days=10))
    objection = ss.objection_register(actor=caseworker, decision=decision, received_on=today)
    assert not objection.late and objection.term_ends_on > today and objection.decide_by > objection.term_ends_on
    with pytest.raises(ValidationError):  # partly upheld but not lower
        ss.objection_decide(
            actor=caseworker, objection=objection, outcome="partly", reasoning="x", decided_on=today, pct=100, months=1
        )
    ss.objection_decide(
        actor=caseworker, objection=objection, outcome="upheld", reasoning="De brief kwam niet aan.", decided_on=today
    )
    objection.refresh_from_db()
    new = objection.new_decision
    assert new.supersedes_id == decision.pk and new.pct == 0 and new.reduction_cents == 0
    decision.refresh_from_db()
    assert decision.status == "sent" and decision.pct == 100  # the old decision is never edited
    appeal = ss.appeal_register(
        actor=caseworker, objection=objection, lodged_on=today, court="Rechtbank Midden-Nederland"
    )
    ss.appeal_decide(actor=caseworker, appeal=appeal, outcome="withdrawn", decided_on=today)


def test_an_activity_referral_is_evidence_that_the_duty_was_made_known(caseworker, administrator, on_benefit, today):
    from trede.activation.services import activity_save, provider_save, referral_propose

    provider = provider_save(actor=administrator, name="Buurtwerk Oost", kind="welfare", phone="030-7654321")
    activity = activity_save(
        actor=administrator,
        provider=provider,
        name="Taalcafé",
        kind="volunteer_work",
        district=None,
        location="Buurthuis",
        hours_per_week=4,
        physical_load="light",
        language_level="",
        capacity=5,
        contact_name="Ria",
        status="offered",
    )
    referral = referral_propose(
        actor=caseworker, client=on_benefit, activity=activity, on=today - dt.timedelta(days=60)
    )
    facts = ss.precheck_facts(on_benefit, "action_plan", today - dt.timedelta(days=40), activity_referral=referral)
    assert facts["communicated_in_writing"] is True
    # before the referral was proposed it proves nothing
    early = ss.precheck_facts(on_benefit, "action_plan", today - dt.timedelta(days=70), activity_referral=referral)
    assert early["communicated_in_writing"] is False
    case = ss.case_open(
        actor=caseworker,
        client=on_benefit,
        category="action_plan",
        breach_on=today - dt.timedelta(days=40),
        description="Niet verschenen bij het taalcafé.",
        activity_referral=referral,
    )
    assert case.activity_referral_id == referral.pk and case.checks["facts"]["communicated_in_writing"] is True


def test_a_revision_ends_the_reduction_early_as_a_new_decision_that_a_second_person_approves(
    caseworker, team_lead, on_benefit, today
):
    case = open_case(caseworker, on_benefit, today, days_ago=60)
    through_hearing(case, caseworker, today, days_ago=50)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    start = today - dt.timedelta(days=20)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=start)
    ss.decision_approve(actor=team_lead, decision=decision)
    ss.decision_send(actor=caseworker, decision=decision, sent_on=start)
    with pytest.raises(ValidationError) as no_reason:
        ss.decision_revise(actor=caseworker, decision=decision, complies_on=today - dt.timedelta(days=5), reason=" ")
    assert "reason" in no_reason.value.message_dict
    new = ss.decision_revise(
        actor=caseworker,
        decision=decision,
        complies_on=today - dt.timedelta(days=5),
        reason="Werkt sinds vorige week mee aan het plan van aanpak.",
    )
    assert new.status == "draft" and new.supersedes_id == decision.pk
    assert new.end_on == today - dt.timedelta(days=6) and new.end_on < decision.end_on and new.pct == 100
    assert "art. 18 lid 11" in new.reason
    with pytest.raises(ValidationError):
        ss.decision_approve(actor=caseworker, decision=new)  # a second person, a team lead
    ss.decision_approve(actor=team_lead, decision=new)
    ss.decision_send(actor=caseworker, decision=new, sent_on=today)
    decision.refresh_from_db()
    assert decision.status == "sent" and decision.end_on > new.end_on  # the old decision is never edited
    with pytest.raises(ValidationError):  # only the decision in force can be revised
        ss.decision_revise(actor=caseworker, decision=decision, complies_on=today, reason="Nogmaals")
    objection = ss.objection_register(actor=caseworker, decision=decision, received_on=today)
    with pytest.raises(ValidationError):  # the revision replaced it: decide against the newest decision
        ss.objection_decide(
            actor=caseworker, objection=objection, outcome="upheld", reasoning="Brief kwam niet aan.", decided_on=today
        )


def test_a_client_who_complied_before_the_reduction_began_gets_no_reduction(caseworker, team_lead, on_benefit, today):
    case = open_case(caseworker, on_benefit, today, days_ago=60)
    through_hearing(case, caseworker, today, days_ago=50)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    ss.decision_approve(actor=team_lead, decision=decision)
    ss.decision_send(actor=caseworker, decision=decision, sent_on=today)
    new = ss.decision_revise(actor=caseworker, decision=decision, complies_on=today, reason="Kwam de dag erna.")
    assert (new.pct, new.months, new.reduction_cents, new.end_on) == (0, 0, 0, None)


def test_a_uniform_reduction_spread_over_three_months_and_its_letter(caseworker, team_lead, on_benefit, today):
    import io

    from pypdf import PdfReader

    from trede.sanctions import letters

    case = open_case(caseworker, on_benefit, today, days_ago=60)
    through_hearing(case, caseworker, today, days_ago=50)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    with pytest.raises(ValidationError) as too_long:
        ss.decision_propose(actor=caseworker, case=case, start_on=today, spread_over=4)
    assert "spread_over" in too_long.value.message_dict
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today, spread_over=3)
    assert (decision.pct, decision.months, decision.schedule) == (100, 1, [34, 33, 33])
    assert decision.reduction_cents == 140150 * 34 // 100  # the first month's
    assert decision.end_on == ss.rules.reduction_last_day(today, 3)
    text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(letters.decision_pdf(decision, sent_on=today))).pages
        ).split()
    )
    assert "maand 1: 34%, € 476,51 minder" in text and "maand 3: 33%" in text and "lid 5" in text


def test_an_ordinance_reduction_is_not_spread(caseworker, on_benefit, today):
    case = open_case(caseworker, on_benefit, today, category="insufficient_responsibility", days_ago=60)
    through_hearing(case, caseworker, today, days_ago=50)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    with pytest.raises(ValidationError) as refused:
        ss.decision_propose(actor=caseworker, case=case, start_on=today, spread_over=2)
    assert "spread_over" in refused.value.message_dict and not case.decisions.exists()
