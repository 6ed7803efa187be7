"""Synthetic routes and employer services (trede.synth.employers): district centres, route decisions, employers,
vacancies, work profiles, referrals to vacancies with their steps, placements, exits to work and their follow-ups,
checked against the rules the services apply and against the calibration targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from trede.caseload.models import Assignment, TeamMember
from trede.clients.models import BenefitPeriod, Circumstances, Client, District
from trede.core.models import User
from trede.core.rules import add_months
from trede.core.selectors import rules_on
from trede.employers import rules
from trede.employers.models import (
    ContactPerson,
    Employer,
    Exit,
    FollowUp,
    Match,
    Placement,
    Referral,
    ReferralEvent,
    Vacancy,
    WorkProfile,
)
from trede.employers.selectors import OPEN_REFERRAL, durability
from trede.intake.models import RouteDecision
from trede.intake.rules import less_help
from trede.obligations.models import Exemption
from trede.obligations.rules import Period, is_exempt_in
from trede.stats import occupations
from trede.synth import profile as P
from trede.synth.employers import HEALTH_MAX_LOAD, LOADS, similarity
from trede.synth.generator import Spec, spec_rules
from trede.synth.loader import synth_clear, synth_load
from trede.synth.report import on_benefit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
LEGAL_START = dt.date(2015, 1, 1)  # the shipped legal rule set's first day
DUTCH = {"below_1f": 0, "1f": 1, "2f": 2, "3f": 3}


def load(n: int = 2500, seed: int = 7, **kw):
    return synth_load(Spec(clients=n, seed=seed, today=TODAY, caseload_norm=350, **kw), clear=False, progress=False)


@pytest.fixture(scope="module")
def municipality(django_db_setup, django_db_blocker):
    """One generated municipality for the read-only checks of this module (rolled back at the end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = load()
        yield result
        transaction.set_rollback(True)


def _periods() -> dict[int, list[BenefitPeriod]]:
    out = defaultdict(list)
    for p in BenefitPeriod.objects.order_by("client_id", "start_on"):
        out[p.client_id].append(p)
    return out


def _within(periods: list[BenefitPeriod], day: dt.date) -> BenefitPeriod | None:
    for p in periods:
        if p.start_on <= day and (p.end_on is None or day <= p.end_on):
            return p
    return None


def _exemptions(obligation: str = "work_obligation") -> dict[int, list[Period]]:
    out = defaultdict(list)
    for e in Exemption.objects.filter(obligation=obligation):
        ends = [d for d in (e.end_on, e.ended_on) if d is not None]
        out[e.client_id].append(Period(e.start_on, min(ends) if ends else None))
    return out


def _latest(model, field: str) -> dict[int, object]:
    out = {}
    for client_id, value in model.objects.order_by("client_id", "-recorded_on", "-id").values_list("client_id", field):
        out.setdefault(client_id, value)
    return out


def test_district_centres_lie_a_few_km_apart():
    load(300)
    centres = list(District.objects.values_list("code", "x_km", "y_km"))
    assert len(centres) == len(P.DISTRICTS) and all(x is not None and y is not None for _c, x, y in centres)
    for _a, xa, ya in centres:
        others = [((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5 for _b, xb, yb in centres if (xb, yb) != (xa, ya)]
        assert len(others) == len(centres) - 1  # no two districts share a centre
        assert min(others) >= 2.0 and max(others) <= 15.0  # a city: a few km apart, all well within travel limits


def test_matches_are_scored_like_the_engine():
    assert similarity(9112, 9112) == 1.0 and similarity(9112, 9111) == 0.75 and similarity(9112, 9129) == 0.5
    assert similarity(9112, 9333) == 0.25 and similarity(9112, 5223) == 0.0 and similarity(-1, 9112) == 0.0
    for a, b in (("9112", "9111"), ("9112", "9333"), ("5120", "5131")):
        assert similarity(int(a), int(b)) == occupations.SIMILARITY_BY_DEPTH[occupations.shared_depth(a, b)]


def test_spec_takes_the_rule_set_values():
    kw = spec_rules(rules_on(TODAY))
    assert kw["minimum_wage_hourly_cents"] == 1471 and kw["exit_follow_up_months"] == (1, 6, 12)
    assert dict(kw["route_obligations"])["participation"] == ("cooperation",)
    spec = Spec(clients=100, seed=1, today=TODAY, caseload_norm=350, **kw)
    assert spec == Spec(clients=100, seed=1, today=TODAY, caseload_norm=350)  # the shipped values are the defaults
    with pytest.raises(ValueError):
        Spec(clients=100, seed=1, today=TODAY, caseload_norm=350, minimum_wage_hourly_cents=0)


def test_clear_removes_employer_services_and_the_generated_advisers(monkeypatch):
    monkeypatch.setenv("TREDE_DEMO", "1")
    load(400)
    assert Employer.objects.exists() and Exit.objects.exists() and RouteDecision.objects.exists()
    with transaction.atomic():
        removed = synth_clear()
    for model in (
        Employer,
        ContactPerson,
        Vacancy,
        Referral,
        ReferralEvent,
        Placement,
        Exit,
        FollowUp,
        Match,
        WorkProfile,
        RouteDecision,
    ):
        assert not model.objects.exists(), model
        assert removed.get(model._meta.label), model
    assert not User.objects.filter(role="employer_adviser").exists()
    load(400)  # and again: the KvK numbers and names are free once more
    assert Employer.objects.exists()


def test_route_decisions_for_most_clients_on_benefit_consistent_with_the_profile(municipality):
    stock = on_benefit(TODAY)
    n_stock = stock.count()
    decisions = list(RouteDecision.objects.select_related("decided_by", "confirmed_by"))
    assert decisions and all(d.status == "in_force" for d in decisions)
    latest: dict[int, RouteDecision] = {}
    for d in sorted(decisions, key=lambda d: (d.decided_on, d.pk)):
        latest[d.client_id] = d
    with_route = stock.filter(pk__in=list(latest)).count()
    assert with_route / n_stock > 0.8  # most clients on benefit have a route in force
    periods = _periods()
    teams = dict(TeamMember.objects.values_list("user_id", "team_id"))
    client_teams = defaultdict(set)
    for client_id, team_id in Assignment.objects.values_list("client_id", "team_id"):
        client_teams[client_id].add(team_id)
    clients = {c.pk: c for c in Client.objects.all()}
    health = _latest(Circumstances, "health")
    fully = {e.client_id: e for e in Exemption.objects.filter(ground="fully_disabled")}
    for d in decisions:
        assert d.decided_on < TODAY and _within(periods[d.client_id], d.decided_on) is not None, d.pk
        assert d.decided_by.role == "caseworker" and teams[d.decided_by_id] in client_teams[d.client_id], d.pk
        assert d.review_on == add_months(d.decided_on, 6)
        if d.advised_route and d.route != d.advised_route:
            assert d.reason.strip(), d.pk
        if less_help(d.route, d.advised_route or None):  # less help than advised: a team lead confirmed it
            assert d.confirmed_by.role == "team_lead" and d.confirmed_by_id != d.decided_by_id, d.pk
            assert d.decided_on <= d.confirmed_on <= TODAY
        else:
            assert d.confirmed_by_id is None
        age = (d.decided_on - clients[d.client_id].birth_date).days / 365.25
        disabled = d.client_id in fully and fully[d.client_id].start_on <= d.decided_on
        if disabled:
            assert d.route == "exemption_review", d.pk
        elif age < 27 and d.advised_route:
            assert d.advised_route == "youth", d.pk
        if d.advised_route == "exemption_review":
            assert health[d.client_id] == "severe"
        kinds = [o["kind"] for o in d.obligations]
        assert kinds == {
            "youth": ["work_obligation"],
            "work": ["work_obligation"],
            "participation": ["cooperation"],
        }.get(d.route, [])
    # the mix of routes in force today
    routes = Counter(latest[c].route for c in stock.filter(pk__in=list(latest)).values_list("pk", flat=True))
    assert set(routes) == {"youth", "work", "participation", "exemption_review"}
    assert routes["participation"] == max(routes.values())  # half of the caseload is far from work
    assert 0.15 < (routes["work"] + routes["youth"]) / n_stock < 0.55
    assert any(d.reason for d in decisions) and any(d.confirmed_by_id for d in decisions)
    assert Counter(d.client_id for d in decisions).most_common(1)[0][1] >= 2  # some changed route


def test_employers_advisers_contacts_and_vacancies(municipality):
    advisers = User.objects.filter(role="employer_adviser")
    assert advisers.count() >= 2
    assert all(u.username.startswith(f"{P.USERNAME_PREFIX}wg-") and not u.has_usable_password() for u in advisers)
    employers = list(Employer.objects.select_related("adviser"))
    assert employers and all(e.adviser.role == "employer_adviser" for e in employers)
    kvk = [e.kvk_number for e in employers]
    assert len(set(kvk)) == len(kvk) and all(len(k) == 8 and k.isdigit() for k in kvk)
    sectors = Counter(e.sector for e in employers)
    assert set(sectors) <= set(P.SECTORS) and {"G", "N", "H", "I", "Q"} <= set(sectors)
    assert all(c.phone or c.email for c in ContactPerson.objects.all())
    assert len({e.name for e in employers}) == len(employers)
    vacancies = list(Vacancy.objects.all())
    by_status = Counter(v.status for v in vacancies)
    n_stock = on_benefit(TODAY).count()
    assert by_status["open"] == pytest.approx(P.OPEN_VACANCIES_PER_CLIENT * n_stock, rel=0.05)  # 2,000 per 35,000
    assert 0 < by_status["draft"] < by_status["open"] / 5 and by_status["filled"] and by_status["closed"]
    minimum = Decimal(rules_on(TODAY)["minimum_wage_hourly_cents"]) / 100
    for v in vacancies:
        facts = {f: getattr(v, f) for f in rules.REQUIRED if f not in ("wage", "contact")} | {
            "wage_min": v.wage_min,
            "wage_scale": v.wage_scale,
            "contact": v.contact_id,
        }
        missing = rules.vacancy_missing(facts)
        assert (missing == []) == (v.status != "draft"), (v.pk, v.status, missing)
        assert occupations.get(v.occupation) is not None and len(v.occupation) == 4
        if v.wage_min is not None:
            assert v.wage_min >= minimum and (v.wage_max is None or v.wage_max >= v.wage_min)
        if v.contact_id:
            assert v.contact.employer_id == v.employer_id
        assert v.created_by_id == v.employer.adviser_id
    # most vacancies are elementary or service work, in the sectors' occupations
    majors = Counter(v.occupation[0] for v in vacancies)
    assert (majors["9"] + majors["5"] + majors["8"]) / len(vacancies) > 0.7


def test_work_profiles_use_the_occupations_table_and_the_years_worked(municipality):
    profiles = list(WorkProfile.objects.all())
    assert profiles
    years_worked = _latest(Circumstances, "work_experience_years")
    for p in profiles:
        assert all(occupations.get(e["code"]) is not None for e in p.experience)
        assert all(isinstance(e["years"], int) and 1 <= e["years"] <= 60 for e in p.experience)
        assert sum(e["years"] for e in p.experience) <= years_worked[p.client_id], p.pk
        assert all(occupations.get(c) is not None for c in p.preferences) and len(set(p.preferences)) == len(
            p.preferences
        )
        assert p.hours_wanted is None or 1 <= p.hours_wanted <= 60
        assert p.recorded_on < TODAY
    # clients on the route to work have one (most of them)
    latest = {}
    for d in RouteDecision.objects.order_by("decided_on", "pk"):
        latest[d.client_id] = d.route
    on_work_route = {c for c in on_benefit(TODAY).values_list("pk", flat=True) if latest.get(c) in ("work", "youth")}
    with_profile = {p.client_id for p in profiles}
    assert len(on_work_route & with_profile) / len(on_work_route) > 0.8


def test_referrals_follow_the_state_machine_and_respect_the_hard_constraints(municipality):
    periods = _periods()
    exempt = _exemptions()
    health = _latest(Circumstances, "health")
    dutch = {}
    for client_id, level in Circumstances.objects.order_by("client_id", "recorded_on").values_list(
        "client_id", "dutch_level"
    ):
        dutch[client_id] = min(dutch.get(client_id, 9), DUTCH[level])
    licence = _latest(WorkProfile, "driving_licence")
    referrals = list(Referral.objects.select_related("vacancy").prefetch_related("events"))
    statuses = Counter(r.status for r in referrals)
    assert {"hired", "not_hired", "withdrawn", "proposed", "sent", "interview", "trial_placement"} <= set(statuses)
    hired = Counter()
    open_pairs = Counter()
    for r in referrals:
        events = sorted(r.events.all(), key=lambda e: (e.on, e.pk))
        assert events[0].from_status == "" and events[0].to_status == "proposed"
        for prev, nxt in zip(events, events[1:], strict=False):
            assert nxt.from_status == prev.to_status and nxt.to_status in rules.TRANSITIONS[prev.to_status], r.pk
            assert prev.on <= nxt.on
        for e in events:
            assert e.on < TODAY and (e.to_status not in rules.REASON_REQUIRED or e.reason.strip())
            assert _within(periods[r.client_id], e.on) is not None, (r.pk, e.to_status, e.on)
        assert r.status == events[-1].to_status and r.status_on == events[-1].on
        proposed = events[0].on
        v = r.vacancy
        assert v.created_at.date() <= proposed, r.pk  # the vacancy was open on the day of the proposal
        assert not is_exempt_in(exempt[r.client_id], proposed), r.pk
        assert LOADS.index(v.physical_load) <= HEALTH_MAX_LOAD[health[r.client_id]], r.pk
        assert not v.driving_licence or licence[r.client_id], r.pk
        assert not v.language_required or dutch[r.client_id] >= DUTCH[v.language_level], r.pk
        if r.status in OPEN_REFERRAL:
            assert v.status == "open", r.pk
            open_pairs[(r.client_id, r.vacancy_id)] += 1
        else:
            assert v.status != "draft"
        hired[r.vacancy_id] += r.status == "hired"
    assert max(open_pairs.values()) == 1  # one open referral per client and vacancy
    positions = dict(Vacancy.objects.values_list("pk", "positions"))
    assert all(n <= positions[v] for v, n in hired.items())
    # every referral has its match, recorded as proposed on the day of the proposal
    matches = {(m.client_id, m.vacancy_id): m for m in Match.objects.all()}
    for r in referrals:
        m = matches[(r.client_id, r.vacancy_id)]
        assert m.status == "proposed" and m.on == min(e.on for e in r.events.all())
    parts = {"experience", "preference", "education", "language", "hours", "travel"}
    assert all(0 <= m.score <= 1 and set(m.components) == parts for m in matches.values())
    assert all(m.reason for m in matches.values() if m.status == "declined")
    assert {"proposed", "discussed", "declined"} <= {m.status for m in matches.values()}


def test_placements_within_the_legal_limits(municipality):
    periods = _periods()
    exempt = _exemptions()
    health = _latest(Circumstances, "health")
    placements = list(Placement.objects.select_related("vacancy", "referral"))
    kinds = Counter(p.kind for p in placements)
    assert {"trial", "wage_subsidy", "climbing", "regular"} <= set(kinds)
    missed = 0
    for p in placements:
        legal = rules_on(p.start_on)
        assert not is_exempt_in(exempt[p.client_id], p.start_on), p.pk
        assert LOADS.index(p.vacancy.physical_load) <= HEALTH_MAX_LOAD[health[p.client_id]], p.pk
        assert p.referral.client_id == p.client_id and p.referral.vacancy_id == p.vacancy_id
        assert p.employer_id == p.vacancy.employer_id and p.start_on < TODAY
        if p.kind == "trial":
            # a trial placement keeps the benefit: it lies within a benefit period
            assert _within(periods[p.client_id], p.start_on) is not None, p.pk
            last, last_extended = rules.trial_limits(
                p.start_on, months=legal["trial_placement_months"], extension_months=legal["trial_extension_months"]
            )
            assert p.intended_contract.strip()
            if p.extended_until is None:
                assert p.end_on <= last, p.pk
            else:
                assert last < p.extended_until <= last_extended and p.end_on <= p.extended_until, p.pk
            assert (p.outcome == "") == (p.referral.status == "trial_placement")
            assert p.outcome != "contract" or p.referral.status == "hired"
        if p.kind == "wage_subsidy":
            assert p.subsidy_monthly == rules.wage_subsidy_monthly(
                hours_per_week=p.hours_per_week,
                wage_value_pct=p.wage_value_pct,
                minimum_wage_hourly=Decimal(legal["minimum_wage_hourly_cents"]) / 100,
                holiday_pay_pct=legal["holiday_pay_pct"],
                cap_pct=legal["wage_subsidy_cap_pct"],
                flat_pct=legal["wage_subsidy_flat_pct"],
            )
            if p.wage_value_pct is None:  # the flat rate for at most 6 months
                assert p.wage_value_review_on <= add_months(p.start_on, legal["wage_subsidy_flat_months"])
            else:
                assert p.wage_value_assessed_on and p.wage_value_review_on > p.wage_value_assessed_on
        if p.kind == "climbing":
            assert p.promised_training and p.training_due_on > p.start_on
            assert p.training_started_on is None or p.start_on <= p.training_started_on < TODAY
            missed += rules.training_missed(
                training_due_on=p.training_due_on, training_started_on=p.training_started_on, on=TODAY
            )
        if p.outcome == "no_contract":
            assert p.outcome_reason and p.end_on
    assert missed > 0  # some climbing jobs' training never started


def test_every_work_exit_is_registered_with_follow_ups_consistent_with_the_benefit_data(municipality):
    exits = list(Exit.objects.select_related("benefit_period", "placement"))
    work_periods = set(BenefitPeriod.objects.filter(exit_reason="work").values_list("pk", flat=True))
    assert {x.benefit_period_id for x in exits} == work_periods and len(exits) == len(work_periods)
    starts = defaultdict(list)
    for client_id, start in BenefitPeriod.objects.values_list("client_id", "start_on"):
        starts[client_id].append(start)
    via_placement = 0
    for x in exits:
        legal = rules_on(max(x.exit_on, LEGAL_START))
        assert x.exit_on == x.benefit_period.end_on and x.client_id == x.benefit_period.client_id
        assert x.hourly_wage >= Decimal(legal["minimum_wage_hourly_cents"]) / 100
        assert (x.employer_id is None) != (x.employer_name == "")
        assert (x.contract_months is None) == (x.contract_type == "permanent")
        if x.placement_id:
            via_placement += 1
            assert x.placement.client_id == x.client_id and x.placement.employer_id == x.employer_id
        follow_ups = sorted(x.follow_ups.all(), key=lambda f: f.months)
        assert [f.months for f in follow_ups] == [1, 6, 12]
        for f in follow_ups:
            assert f.due_on == add_months(x.exit_on, f.months)
            if f.done_on is None:
                assert f.still_working is None and f.off_benefit is None and f.done_by_id is None
            else:
                assert x.exit_on <= f.done_on < TODAY and f.due_on <= TODAY
                back = any(x.exit_on < s <= f.done_on for s in starts[x.client_id])
                assert f.off_benefit == (not back), (x.pk, f.months)
                assert f.done_by_id is not None
    assert via_placement > 0
    due = FollowUp.objects.filter(due_on__lt=TODAY - dt.timedelta(days=30))
    assert due.filter(done_on__isnull=False).count() / due.count() > 0.8  # the past ones done, most of them
    assert FollowUp.objects.filter(due_on__gte=TODAY, done_on__isnull=True).exists()  # and some still to come
    # CBS: after 18 months 72% still employed without benefit: still working and off benefit at 12 months
    twelve = FollowUp.objects.filter(months=12, done_on__isnull=False)
    lasting = twelve.filter(still_working=True, off_benefit=True).count() / twelve.count()
    assert 0.6 < lasting < 0.85


def test_durability_by_employer_instrument_and_route(municipality):
    for by in ("employer", "instrument", "route"):
        rows = durability(by=by, today=TODAY)
        assert rows and any(r.exits for r in rows), by
    instruments = {r.label for r in durability(by="instrument", today=TODAY) if r.exits}
    assert "none" in instruments and instruments & {"trial", "regular", "wage_subsidy"}
    routes = {r.label for r in durability(by="route", today=TODAY) if r.exits}
    assert "work" in routes
