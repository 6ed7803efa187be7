"""Synthetic sanction cases (trede.synth.sanctions), checked in the database against what the services and the rules
would do: never a case on an obligation the client was exempt from on the breach date (the one exemption function),
the prechecks' facts as the services gather them, the breach number as the earlier cases stood when the case was
opened, hearing records before assessments and decisions, the proposal of the rule set valid on the breach date, lower
only with a reason, approval by a team lead who did not propose, the terms of the procedure on the working-day
calendar, objection outcomes as new decisions; and a spread over every stage, category and breach number."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from trede.caseload.models import TeamMember
from trede.clients.models import BenefitPeriod, Client
from trede.core.models import User
from trede.core.selectors import rules_on
from trede.obligations.selectors import active_obligations, is_exempt
from trede.sanctions import rules
from trede.sanctions import selectors as sanction_selectors
from trede.sanctions.models import Appeal, Assessment, Decision, Hearing, Objection, SanctionCase
from trede.sanctions.services import precheck_facts
from trede.synth import sanctions as S
from trede.synth.generator import Spec, spec_rules
from trede.synth.loader import synth_clear, synth_load

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def load(n: int = 12000, seed: int = 7):
    return synth_load(Spec(clients=n, seed=seed, today=TODAY, caseload_norm=350), clear=False, progress=False)


@pytest.fixture(scope="module")
def municipality(django_db_setup, django_db_blocker):
    """One generated municipality for the read-only checks of this module (rolled back at the end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = load()
        yield result
        transaction.set_rollback(True)


def _cases() -> list[SanctionCase]:
    return list(
        SanctionCase.objects.select_related("client", "hearing", "assessment", "created_by")
        .prefetch_related("decisions__objections__appeals")
        .order_by("client_id", "breach_on", "pk")
    )


def test_the_spec_carries_the_sanction_rules_of_the_rule_set():
    kw = spec_rules(rules_on(TODAY))
    assert kw["sanction_rules"] == S.SHIPPED_RULES_TEXT  # the shipped values are the defaults
    legal = rules_on(TODAY)
    assert all(S.SHIPPED_RULES[key] == legal[key] for key in S.RULE_KEYS)


def test_clear_removes_the_sanction_cases(monkeypatch):
    monkeypatch.setenv("TREDE_DEMO", "1")
    load(1500)
    assert SanctionCase.objects.exists() and Decision.objects.exists()
    with transaction.atomic():
        removed = synth_clear()
    for model in (SanctionCase, Hearing, Assessment, Decision, Objection, Appeal):
        assert not model.objects.exists(), model
    assert removed.get(SanctionCase._meta.label)


def test_the_demo_caseworker_has_a_case_in_every_stage_made_through_the_services(monkeypatch):
    from django.core.management import call_command

    from trede.core.models import AuditRecord
    from trede.synth.demo import DEMO_SANCTIONS

    monkeypatch.setenv("TREDE_DEMO", "1")
    call_command("createdemo", clients=1500, no_progress=True, stdout=io.StringIO())
    caseworker = User.objects.get(username="klantmanager")
    lead = User.objects.get(username="teamleider")
    made = AuditRecord.objects.filter(action="sanction_case_open", actor=caseworker).values_list("object_pk")
    cases = list(
        SanctionCase.objects.filter(pk__in=[int(pk) for (pk,) in made]).prefetch_related("decisions__objections")
    )
    assert len(cases) == len(DEMO_SANCTIONS)
    assert Counter(c.status for c in cases) == {
        "open": 1,
        "hearing": 3,  # the term runs; the term has passed; the view is in and culpability waits
        "assessed": 1,  # a draft decision for the team lead
        "no_sanction": 1,
        "decided": 2,
        "stopped": 1,
    }
    for case in cases:
        assert case.created_by_id == caseworker.pk and case.breach_number == 1
        assert not case.checks["facts"]["exempt"]
        for d in case.decisions.all():
            assert d.decided_by_id == caseworker.pk
            assert d.approved_by_id in (None, lead.pk) and (d.status == "draft") == (d.approved_by_id is None)
            if d.status == "sent":
                assert d.pdf
    assert sum(1 for c in cases for d in c.decisions.all() for _o in d.objections.all()) == 1
    for action in ("hearing_schedule", "hearing_record", "assessment_record", "decision_propose", "decision_send"):
        assert AuditRecord.objects.filter(action=action, actor=caseworker).exists(), action
    assert AuditRecord.objects.filter(action="decision_approve", actor=lead).count() == 2
    audits = AuditRecord.objects.count()
    call_command("createdemo", clients=1500, no_progress=True, stdout=io.StringIO())
    assert AuditRecord.objects.count() == audits  # once: a second call writes nothing


def test_volumes_and_a_spread_over_stages_categories_and_breach_numbers(municipality):
    cases = _cases()
    on_benefit = BenefitPeriod.objects.filter(end_on__isnull=True).count()
    per_100_per_year = 100 * len(cases) / on_benefit / 2
    assert 2.5 < per_100_per_year < 7.5  # about 5 a year per 100 on benefit (with the leavers' cases)
    stages = Counter(c.status for c in cases)
    assert set(stages) == {"stopped", "open", "hearing", "assessed", "no_sanction", "decided"}
    assert stages["decided"] > stages["no_sanction"] > stages["stopped"]
    assert {"draft", "approved", "sent"} <= {d.status for c in cases for d in c.decisions.all()}
    objections = [o for c in cases for d in c.decisions.all() for o in d.objections.all()]
    outcomes = Counter(o.outcome for o in objections)
    assert outcomes[""] and outcomes["rejected"] and (outcomes["partly"] or outcomes["upheld"])
    assert any(o.late for o in objections) and any(o.extended for o in objections)
    assert Appeal.objects.exists()
    categories = Counter(c.category for c in cases)
    assert len(categories) >= 10 and categories.most_common(1)[0][0] == "no_show"
    assert "tegenprestatie" not in categories
    assert {1, 2} <= {c.breach_number for c in cases}
    findings = Counter(Assessment.objects.values_list("finding", flat=True))
    assert set(findings) == {"full", "partial", "none"} and findings["full"] > findings["none"]
    # the overview of issue 7 has something to show: younger clients and men are sanctioned more often
    overview = sanction_selectors.overview(TODAY)
    rows = {(r["attribute"], r["group"]): r for r in overview["rows"]}
    assert rows[("age", "<27")]["cases_per_100"] > rows[("age", "50+")]["cases_per_100"]


def test_never_a_case_on_an_obligation_the_client_was_exempt_from(municipality):
    cases = _cases()
    checked = 0
    for case in cases:
        obligation = rules.category(case.category).obligation
        assert case.breach_on < TODAY and case.created_at.date() >= case.breach_on, case.pk
        period = BenefitPeriod.objects.filter(client_id=case.client_id, start_on__lte=case.breach_on).order_by(
            "-start_on"
        )[0]
        assert period.end_on is None or case.breach_on <= period.end_on, case.pk  # on benefit that day
        if obligation is None:
            continue
        assert not is_exempt(client_id=case.client_id, obligation=obligation, on=case.breach_on), case.pk
        # and the obligation was imposed on the client that day (the language requirement too)
        in_force = active_obligations(case.breach_on).filter(client_id=case.client_id, kind=obligation)
        assert in_force.exists(), case.pk
        checked += 1
    assert checked > 0.9 * len(cases)


def test_the_prechecks_are_the_services_and_the_rules(municipality):
    """The facts kept with each case are what services.precheck_facts gathers on the breach date (the letter on file
    aside: outreach letters are not generated), and the checks and the breach number are what rules.prechecks gives
    for them with the client's earlier cases as they stood when the case was opened."""
    cases = _cases()
    by_client = defaultdict(list)
    for case in cases:
        by_client[case.client_id].append(case)
    legal = rules_on(TODAY)
    for case in cases:
        facts = case.checks["facts"]
        gathered = precheck_facts(case.client, case.category, case.breach_on)
        assert {k: v for k, v in facts.items() if k != "communicated_in_writing"} == {
            k: v for k, v in gathered.items() if k != "communicated_in_writing"
        }, case.pk
        opened = case.created_at.date()
        earlier = []
        for other in by_client[case.client_id]:
            if other.pk == case.pk:
                continue
            sent = [d for d in sorted(other.decisions.all(), key=lambda d: d.pk) if d.status == "sent"]
            sent = [d for d in sent if d.sent_on <= opened]
            imposed = sent[0].sent_on if sent and sent[-1].pct > 0 and sent[-1].months > 0 else None
            earlier.append(rules.EarlierBreach(other.category, other.breach_on, imposed))
        check = rules.prechecks(
            category_key=case.category, breach_on=case.breach_on, earlier=earlier, rules=legal, **facts
        )
        assert case.checks["may_proceed"] == check.may_proceed, case.pk
        assert case.checks["blocks"] == [[c.code, c.text] for c in check.blocks], case.pk
        assert case.checks["weigh"] == [[c.code, c.text] for c in check.weigh], case.pk
        assert case.breach_number == check.breach_number, case.pk
        # the only stopped cases: no letter where the obligation exists only in writing
        if case.status == "stopped":
            assert [c[0] for c in case.checks["blocks"]] == ["no_letter"] and case.closed_reason
            assert rules.category(case.category).written_notice
        else:
            assert check.may_proceed and not case.closed_reason or case.status == "no_sanction"


def test_every_stage_has_exactly_the_records_it_needs(municipality):
    legal = rules_on(TODAY)
    for case in _cases():
        hearing = getattr(case, "hearing", None)
        assessment = getattr(case, "assessment", None)
        decisions = sorted(case.decisions.all(), key=lambda d: d.pk)
        sent = [d for d in decisions if d.status == "sent"]
        if case.status in ("stopped", "open"):
            assert hearing is None and assessment is None and not decisions, case.pk
            continue
        assert hearing is not None, case.pk
        assert case.created_at.date() <= hearing.invited_on < TODAY
        assert hearing.respond_by == rules.hearing_deadline(hearing.invited_on, legal).due
        if hearing.responded:
            assert hearing.statement and hearing.invited_on < hearing.held_on <= hearing.respond_by
            assert hearing.recorded_by_id == case.created_by_id
        elif hearing.responded is False:
            assert not hearing.statement and hearing.respond_by < TODAY  # recorded only after the term
        if case.status == "hearing":
            assert assessment is None and not decisions, case.pk
            continue
        # an assessment only after the hearing was recorded
        assert hearing.responded is not None and assessment is not None, case.pk
        assert assessment.reasoning and assessment.assessed_on < TODAY
        assert assessment.assessed_on >= (hearing.held_on or hearing.respond_by)
        if case.status == "no_sanction":
            assert assessment.finding == "none" and case.closed_reason and not decisions, case.pk
            continue
        assert assessment.finding in ("full", "partial"), case.pk
        assert (case.status == "decided") == bool(sent), case.pk
        for d in decisions:
            assert d.decided_on >= assessment.assessed_on


def test_decisions_follow_the_rule_set_and_a_second_person_approves(municipality):
    roles = dict(User.objects.values_list("pk", "role"))
    teams = dict(TeamMember.objects.values_list("user_id", "team_id"))
    norms = {}
    for client_id, start, norm in BenefitPeriod.objects.order_by("start_on").values_list(
        "client_id", "start_on", "norm"
    ):
        norms.setdefault(client_id, []).append((start, norm))
    lowered = 0
    for d in Decision.objects.select_related("case", "case__assessment", "supersedes"):
        case = d.case
        legal = rules_on(case.breach_on)
        proposal = rules.proposal(case.category, case.breach_number, legal)
        assert (d.proposed_pct, d.proposed_months) == (proposal.pct, proposal.months), d.pk
        assert d.article == proposal.article
        norm = [n for start, n in norms[case.client_id] if start <= case.breach_on][-1]
        assert d.norm_amount_cents == legal["benefit_norm_cents"][norm]
        assert d.reduction_cents == rules.monthly_reduction(d.norm_amount_cents, d.pct)
        assert d.end_on == (rules.reduction_last_day(d.start_on, d.months) if d.months else None)
        assert roles[d.decided_by_id] == "caseworker"
        if d.status != "draft":
            assert roles[d.approved_by_id] == "team_lead" and d.approved_by_id != d.decided_by_id, d.pk
            assert teams[d.approved_by_id] == teams[d.decided_by_id]
            assert d.decided_on <= d.approved_on < TODAY
        else:
            assert d.approved_by_id is None and d.sent_on is None
        if d.status == "sent":
            assert d.approved_on <= d.sent_on < TODAY
        else:
            assert d.sent_on is None
        if d.supersedes_id is None:
            assert d.pct <= d.proposed_pct and d.months <= d.proposed_months
            if (d.pct, d.months) != (proposal.pct, proposal.months):
                lowered += 1
                assert not rules.lowered(proposal, d.pct, d.months, d.lowered_reason), d.pk
            if case.assessment.finding == "partial":
                assert d.pct < d.proposed_pct, d.pk  # partly culpable: lower
        else:
            old = d.supersedes
            assert old.status == "sent" and old.case_id == d.case_id and d.start_on == old.start_on
            assert d.pct <= old.pct and d.months <= old.months and (d.pct, d.months) != (old.pct, old.months)
            assert d.from_objection.decision_id == old.pk and d.decided_on == d.from_objection.decided_on
        if d.reconsidered_on is not None:
            assert d.status == "sent" and d.pct > 0 and d.reconsideration_note
            assert d.reconsidered_on <= rules.reconsideration_deadline(d.start_on, legal).due
    assert lowered > 0


def test_objections_and_appeals_keep_their_terms(municipality):
    legal = rules_on(TODAY)
    for o in Objection.objects.select_related("decision", "new_decision"):
        d = o.decision
        assert d.status == "sent" and d.pct > 0 and d.supersedes_id is None
        assert o.term_ends_on == rules.objection_deadline(d.sent_on, legal).due
        assert o.late == (o.received_on > o.term_ends_on) and d.sent_on < o.received_on < TODAY
        assert o.decide_by == rules.objection_decision_deadline(o.term_ends_on, legal, extended=o.extended).due
        if o.outcome:
            assert o.received_on < o.decided_on < TODAY and o.outcome_reasoning
            assert (o.new_decision_id is not None) == (o.outcome in ("upheld", "partly")), o.pk
            if o.outcome == "upheld":
                assert (o.new_decision.pct, o.new_decision.months) == (0, 0)
        else:
            assert o.decided_on is None and o.new_decision_id is None
        if o.heard_on is not None:
            assert o.received_on < o.heard_on < (o.decided_on or TODAY)
    for a in Appeal.objects.select_related("objection"):
        assert a.objection.outcome in ("rejected", "partly") and a.objection.decided_on < a.lodged_on < TODAY
        assert a.court and (a.outcome == "") == (a.decided_on is None)
        if a.decided_on:
            assert a.lodged_on < a.decided_on < TODAY and a.note


def test_the_due_page_has_sanction_deadlines(municipality):
    clients = Client.objects.all()
    assert sanction_selectors.hearings_due(clients, today=TODAY).exists()  # some hearings were never recorded
    assert sanction_selectors.reconsiderations_due(clients, today=TODAY, horizon_days=28, months=3).exists()


def _bench():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "sanctions.py"
    spec = importlib.util.spec_from_file_location("trede_bench_sanctions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_measures_the_overview_and_the_due_page(municipality):
    bench = _bench()
    lines: list[str] = []
    result = bench.run(print=lines.append, today=TODAY, requests=2)
    assert result.note == "", result.note
    for page in (result.overview_lead, result.overview_auditor, result.due_caseworker, result.due_lead):
        assert page.queries > 0 and page.p95 >= page.p50 > 0, page
    assert result.cases == SanctionCase.objects.count()
    assert set(result.sections) == {"hearings past their term", "objections to decide", "reductions to reconsider"}
    assert result.sections["hearings past their term"][1] > 0  # the caseworker with the most sanction items
    text = "\n".join(lines)
    assert "overview as team lead" in text and "due page as caseworker" in text
