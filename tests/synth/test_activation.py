"""Synthetic activation (trede.synth.activation): providers, the catalogue, referrals with their events and
participation, checked against the rules the services apply, and against the calibration targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pytest
from django.db import transaction

from trede.activation import rules
from trede.activation.models import (
    PLACE_HOLDING,
    Activity,
    ActivityStatus,
    Participation,
    Provider,
    Referral,
    ReferralEvent,
)
from trede.clients.models import BenefitPeriod, Circumstances, Client, District, LadderMeasurement
from trede.core.rules import add_months
from trede.obligations.models import Exemption, Obligation
from trede.obligations.rules import Period, is_exempt_in
from trede.synth import profile as P
from trede.synth.generator import Spec, generate
from trede.synth.loader import SynthError, synth_clear, synth_load
from trede.synth.report import active_share, on_benefit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def load(n: int = 1500, seed: int = 11, **kw):
    return synth_load(Spec(clients=n, seed=seed, today=TODAY, caseload_norm=350, **kw), clear=False, progress=False)


def _periods() -> dict[int, list[BenefitPeriod]]:
    out = defaultdict(list)
    for p in BenefitPeriod.objects.order_by("client_id", "start_on"):
        out[p.client_id].append(p)
    return out


def _period_of(periods: list[BenefitPeriod], start: dt.date) -> BenefitPeriod | None:
    for p in periods:
        if p.start_on <= start and (p.end_on is None or start <= p.end_on):
            return p
    return None


def test_participation_lies_within_a_benefit_period_and_running_ones_have_a_follow_up():
    load()
    periods = _periods()
    rows = list(Participation.objects.all())
    assert len(rows) > 500
    kinds = Counter(p.kind for p in rows)
    assert {"informal_care", "volunteer_work", "tegenprestatie", "course", "language"} <= set(kinds)
    overdue = 0
    for p in rows:
        period = _period_of(periods[p.client_id], p.start_on)
        assert period is not None, (p.pk, p.start_on)
        if p.end_on is None:
            assert period.end_on is None  # running today only while the benefit runs
            # the next contact: the start or the last follow-up + follow_up_months (3 in the shipped rules)
            assert p.follow_up_on is not None and not p.end_reason and not p.next_step
            k = next(j for j in range(1, 200) if add_months(p.start_on, 3 * j) == p.follow_up_on)
            assert add_months(p.start_on, 3 * (k - 1)) <= TODAY  # the one before has passed
            overdue += p.follow_up_on <= TODAY
        else:
            assert p.start_on <= p.end_on <= TODAY and p.follow_up_on is None and p.end_reason
            assert period.end_on is None or p.end_on <= period.end_on
            if period.end_on == p.end_on:  # stopped with the benefit
                assert p.end_reason in (P.PARTICIPATION_END_WORK, P.PARTICIPATION_END_BENEFIT)
        assert p.start_on <= TODAY and 0 < p.hours_per_week <= 40
        if p.source == "client":
            assert p.referral_id is None
            assert not p.counts_as_tegenprestatie or p.kind in ("volunteer_work", "informal_care")
        else:
            assert p.referral_id is not None
    running = [p for p in rows if p.end_on is None]
    assert 0 < overdue < 0.2 * len(running)
    assert Counter(p.source for p in rows)["client"] > 0.1 * len(rows)


def test_referrals_move_through_the_state_machine_within_the_benefit_period():
    load()
    periods = _periods()
    events = defaultdict(list)
    for e in ReferralEvent.objects.order_by("referral_id", "on", "id"):
        events[e.referral_id].append(e)
    referrals = list(Referral.objects.select_related("activity"))
    assert len(referrals) > 500 and set(events) == {r.pk for r in referrals}
    statuses = Counter(r.status for r in referrals)
    assert {"ended", "active", "declined", "withdrawn", "waiting", "proposed", "accepted"} <= set(statuses)
    users = set(Client.objects.values_list("assignments__caseworker_id", flat=True))
    for r in referrals:
        chain = events[r.pk]
        assert chain[0].from_status == "" and chain[0].on == r.proposed_on
        for a, b in zip(chain, chain[1:], strict=False):
            assert b.from_status == a.to_status and a.on <= b.on
        for e in chain:
            assert e.to_status in rules.TRANSITIONS.get(e.from_status, {"waiting", "proposed"})
            assert e.on <= TODAY
            assert e.to_status not in rules.REASON_REQUIRED or e.reason
        assert r.status == chain[-1].to_status and r.status_on == chain[-1].on
        period = _period_of(periods[r.client_id], r.proposed_on)
        assert period is not None and (period.end_on is None or chain[-1].on <= period.end_on)
        if r.is_open:
            assert period.end_on is None  # nothing open for someone off benefit
        assert r.activity.status == ActivityStatus.OFFERED
        assert r.voluntary  # the shipped policy offers the tegenprestatie voluntarily
        assert r.created_by_id in users
    # a referral that started became the participation, with the activity's kind, name and hours
    for p in Participation.objects.filter(source="referral").select_related("referral__activity"):
        r, a = p.referral, p.referral.activity
        assert (p.kind, p.description, p.hours_per_week) == (a.kind, a.name, a.hours_per_week)
        assert p.counts_as_tegenprestatie == a.is_tegenprestatie
        started = next(e for e in events[r.pk] if e.to_status == "started")
        assert started.on == p.start_on
        assert (r.status in rules.PARTICIPATING) == (p.end_on is None)
        assert r.status != "ended" or r.status_on == p.end_on
    assert not Referral.objects.filter(status__in=["started", "active", "ended"], participation__isnull=True).exists()


def test_capacity_fit_and_one_open_referral_per_client_and_activity():
    load(2500)
    holding = Counter(Referral.objects.filter(status__in=PLACE_HOLDING).values_list("activity_id", flat=True))
    activities = {a.pk: a for a in Activity.objects.all()}
    assert holding and all(n <= activities[a].capacity for a, n in holding.items())
    open_pairs = Counter(
        Referral.objects.filter(status__in=["waiting", *PLACE_HOLDING]).values_list("client_id", "activity_id")
    )
    assert set(open_pairs.values()) == {1}
    # the activity fits the client's current health and Dutch (the district may differ: a note, never a block)
    current = {}
    for c in Circumstances.objects.order_by("client_id", "recorded_on", "id"):
        current[c.client_id] = c
    districts = dict(Client.objects.values_list("pk", "district_id"))
    for r in Referral.objects.filter(status__in=PLACE_HOLDING):
        a, c = activities[r.activity_id], current[r.client_id]
        fit = rules.activity_fit(
            physical_load=a.physical_load,
            language_level=a.language_level,
            hours_per_week=a.hours_per_week,
            activity_district_id=a.district_id,
            health=c.health,
            dutch_level=c.dutch_level,
            care_duties=c.care_duties,
            client_district_id=districts[r.client_id],
        )
        assert fit.fits, (r.pk, fit.blocks)


def test_the_catalogue():
    load(800)
    activities = list(Activity.objects.select_related("provider"))
    assert {a.kind for a in activities} == {k for k, _label in Activity._meta.get_field("kind").choices}
    for a in activities:
        assert a.is_tegenprestatie == (a.kind == "tegenprestatie")
        if a.is_tegenprestatie and a.status == ActivityStatus.OFFERED:
            assert len(a.no_displacement) > 50  # art. 9 lid 1c: why it displaces no paid job
        assert 0 < a.hours_per_week <= 40 and a.capacity > 0 and a.contact_name
    assert any(a.status == "draft" and a.is_tegenprestatie and not a.no_displacement for a in activities)
    assert any(a.district_id is None for a in activities)  # for the whole municipality
    for district in District.objects.all():
        kinds = {a.provider.kind for a in activities if a.district_id == district.pk}
        assert {"welfare", "neighbourhood_team", "community_centre"} <= kinds
        assert len({a.kind for a in activities if a.district_id in (district.pk, None)}) == 8


def test_share_active_rises_over_the_last_year_as_in_amsterdam():
    load(3000)
    year_ago, now = active_share(add_months(TODAY, -12)), active_share(TODAY)
    two_years_ago = active_share(add_months(TODAY, -23))
    assert abs(year_ago - P.ACTIVE_SHARE_YEAR_AGO) < 0.04, year_ago
    assert abs(now - P.ACTIVE_SHARE_TODAY) < 0.04, now
    assert abs(two_years_ago - year_ago) < 0.04  # steady before the push
    # step 3 or higher mostly with a participation running; on step 1-2 a minority takes part
    stock = set(on_benefit(TODAY).values_list("pk", flat=True))
    latest = {}
    for client_id, step in LadderMeasurement.objects.order_by("client_id", "measured_on", "id").values_list(
        "client_id", "step"
    ):
        latest[client_id] = step
    running = set(Participation.objects.filter(end_on__isnull=True).values_list("client_id", flat=True))
    high = [c for c in stock if latest.get(c, 0) >= 3]
    low = [c for c in stock if latest.get(c, 0) in (1, 2)]
    assert sum(c in running for c in high) / len(high) > 0.5
    assert 0.05 < sum(c in running for c in low) / len(low) < 0.4
    ever = set(Participation.objects.values_list("client_id", flat=True))
    assert sum(c in ever for c in high) / len(high) > 0.7


def test_places_are_counted_across_chunks_and_generation_is_deterministic():
    """Two chunks (no database): the places held today never exceed the capacity over the whole run."""
    spec = Spec(clients=25_000, seed=3, today=TODAY, caseload_norm=350)
    rows = defaultdict(list)
    for _done, batches in generate(spec):
        for b in batches:
            rows[b.model].append(b.cols)
    activity = {k: np.concatenate([c[k] for c in rows[Activity]]) for k in rows[Activity][0]}
    referral = {k: np.concatenate([c[k] for c in rows[Referral]]) for k in rows[Referral][0]}
    assert len(rows[Referral]) == 2  # one batch per chunk
    held = np.isin(referral["status"], list(PLACE_HOLDING))
    taken = np.bincount(referral["activity_id"][held] - 1, minlength=len(activity["id"]))
    assert (taken <= activity["capacity"]).all()
    assert taken.sum() > 0.3 * activity["capacity"][activity["status"] == "offered"].sum()
    again = [b.cols["status"] for _d, bs in generate(spec) for b in bs if b.model is Referral]
    assert all((a == b).all() for a, b in zip(again, [c["status"] for c in rows[Referral]], strict=True))


def test_an_enforced_tegenprestatie_is_never_required_of_an_exempt_client():
    load(2500, tegenprestatie_policy="enforced")
    required = Referral.objects.filter(voluntary=False).select_related("activity")
    assert required.exists()
    obligations = defaultdict(list)
    for o in Obligation.objects.filter(kind="tegenprestatie"):
        obligations[o.client_id].append(Period(o.start_on, o.end_on))
    exemptions = defaultdict(list)
    for e in Exemption.objects.filter(obligation="tegenprestatie"):
        exemptions[e.client_id].append(Period(e.start_on, e.effective_end))
    for r in Referral.objects.select_related("activity"):
        imposed = is_exempt_in(obligations[r.client_id], r.proposed_on)  # "covered by a period"
        exempt = is_exempt_in(exemptions[r.client_id], r.proposed_on)
        assert r.voluntary == rules.referral_voluntary(
            is_tegenprestatie=r.activity.is_tegenprestatie, policy="enforced", imposed=imposed, exempt=exempt
        ), r.pk
    assert any(not r.voluntary for r in required)


def test_clear_removes_the_generated_providers_and_a_name_taken_blocks_the_load(monkeypatch):
    monkeypatch.setenv("TREDE_DEMO", "1")
    load(300)
    assert Provider.objects.count() > 8
    own = Provider.objects.create(name="Eigen aanbieder", kind="other", email="info@eigenaanbieder.example.org")
    with transaction.atomic():
        removed = synth_clear()
    assert removed["activation.Provider"] > 8
    assert list(Provider.objects.values_list("pk", flat=True)) == [own.pk]  # not made by the generator: kept
    assert not Activity.objects.exists() and not Referral.objects.exists() and not Participation.objects.exists()
    Provider.objects.create(name="Wijkteam Noord", kind="neighbourhood_team")
    with pytest.raises(SynthError, match="Wijkteam Noord"):
        load(300)
