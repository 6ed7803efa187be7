"""The generator on its own (no database): determinism, BSNs, calibration of the population, date helpers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from trede.clients.models import Client
from trede.core.rules import add_months, bsn_is_valid, bsn_with_check_digit
from trede.obligations.models import Exemption, ExemptionReview
from trede.synth import profile as P
from trede.synth.generator import (
    LEFT_RETURNED,
    NEW,
    STAY,
    Spec,
    add_months_days,
    allocate,
    day_number,
    digest,
    generate,
    population,
)

TODAY = dt.date(2026, 11, 24)


def spec(n: int = 2000, seed: int = 7, today: dt.date = TODAY) -> Spec:
    return Spec(clients=n, seed=seed, today=today, caseload_norm=350)


def test_same_seed_and_size_give_identical_rows():
    assert digest(spec(1500)) == digest(spec(1500))


def test_other_seed_size_or_day_give_other_rows():
    base = digest(spec(1500))
    assert digest(spec(1500, seed=8)) != base
    assert digest(spec(1501)) != base
    assert digest(spec(1500, today=TODAY - dt.timedelta(days=1))) != base


def test_spec_refuses_impossible_sizes():
    with pytest.raises(ValueError):
        spec(5)
    with pytest.raises(ValueError):
        Spec(clients=100, seed=1, today=TODAY, caseload_norm=0)


def test_bsns_are_valid_unique_and_synthetic():
    bsns = [
        b
        for _done, batches in generate(spec(3000))
        for batch in batches
        if batch.model is Client
        for b in batch.cols["bsn"]
    ]
    assert len(bsns) == 3000 == len(set(bsns))
    assert all(bsn_is_valid(b) for b in bsns)
    # from the reserved range, in order, each one what the kernel's helper makes of its prefix
    prefixes = [int(b[:8]) for b in bsns]
    assert prefixes[0] >= P.SYNTH_BSN_FIRST_PREFIX and prefixes == sorted(prefixes)
    assert all(bsn_with_check_digit(p) == b for p, b in zip(prefixes, bsns, strict=True))


def test_population_matches_the_targets():
    pop = population(spec(2000))
    on = pop.on
    stock = int(on.sum())
    assert 0.62 < stock / pop.n < 0.78  # the rest left within the two years
    assert abs(pop.female[on].mean() - P.WOMEN_SHARE) < 0.01
    assert abs((pop.age[on] < 27).mean() - P.UNDER_27_SHARE) < 0.02
    assert abs((pop.age[on] >= 50).mean() - P.AGE_50_PLUS_SHARE) < 0.02
    assert pop.age[on].min() >= 18 and pop.age[on].max() < P.STATE_PENSION_AGE
    # far from work: never under 27, long on benefit (population.md: Rotterdam > 11 years on average)
    assert not (pop.far & (pop.age < 27)).any()
    far = pop.far & on
    ended = np.where(pop.p1_end >= 0, pop.p1_end, pop.today)
    earlier = np.where(pop.p0_start >= 0, pop.p0_end - pop.p0_start, 0)
    returned = np.where(pop.p2_start >= 0, pop.today - pop.p2_start, 0)
    years_on_benefit = (ended - pop.p1_start + earlier + returned) / 365.25
    assert years_on_benefit[far].mean() > 10
    assert years_on_benefit[far & (pop.kind == STAY)].mean() > 11
    assert years_on_benefit[on & ~pop.far].mean() < 5
    health = pop.health[on]
    assert abs(np.isin(health, ["some", "severe"]).mean() - 0.5) < 0.03  # half call themselves ill
    assert (pop.education[on] == "high").mean() < 0.12  # mostly low education


def test_history_is_consistent_per_client():
    pop = population(spec(4000))
    adult = add_months_days(pop.birth, 12 * P.ADULT_AGE)
    assert (pop.p1_start >= adult).all()
    has0 = pop.p0_start >= 0
    assert (pop.p0_start[has0] >= adult[has0]).all() and (pop.p0_end[has0] < pop.p1_start[has0]).all()
    ended = pop.p1_end >= 0
    assert (pop.p1_end[ended] >= pop.p1_start[ended]).all()
    assert (pop.p1_end[ended] >= pop.window_start).all()  # exits within the two years
    returned = pop.p2_start >= 0
    assert (pop.kind[returned] == LEFT_RETURNED).all()
    assert (pop.p2_start[returned] > pop.p1_end[returned]).all() and (pop.p2_start < pop.today).all()
    # on benefit today: the last period is open
    assert (pop.on == ((pop.p1_end < 0) | returned)).all()
    assert (pop.p1_start[pop.kind == NEW] >= pop.window_start).all()


def test_allocate_gives_exact_counts():
    rng = np.random.default_rng(1)
    labels = allocate(rng, 1001, [0.56, 0.44])
    assert (labels == 0).sum() == 561 and len(labels) == 1001


@pytest.mark.parametrize("months", [-804, -216, -12, 1, 6, 12, 60])
def test_vectorised_add_months_matches_the_kernel(months):
    days = np.arange(day_number(dt.date(2023, 12, 25)), day_number(dt.date(2024, 3, 5)))
    days = np.concatenate([days, [day_number(dt.date(2020, 2, 29)), day_number(dt.date(2019, 8, 31))]])
    got = add_months_days(days, months)
    for d, g in zip(days, got, strict=True):
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(d))
        assert dt.date(1970, 1, 1) + dt.timedelta(days=int(g)) == add_months(day, months)


def test_art_9a_reviews_every_six_months_some_overdue():
    """One chunk of 20,000 clients (no database): the art. 9a exemptions, their re-examinations and the share of
    reviews overdue. The rules per row are checked in the database (tests/synth/test_load.py)."""
    today = np.datetime64(TODAY)
    batches = {b.model: b.cols for _done, bs in generate(spec(20_000)) for b in bs}
    ex, rv = batches[Exemption], batches[ExemptionReview]
    a9 = ex["ground"] == "single_parent_under_5"
    ids = ex["id"][a9]
    assert len(ids) > 100 and set(rv["exemption_id"]) <= set(ids)
    assert (ex["review_on"][a9] <= ex["end_on"][a9]).all()
    ran = ex["start_on"][a9] + np.timedelta64(183, "D") < today  # ran longer than 6 months
    reviewed = np.isin(ids, rv["exemption_id"])
    assert reviewed[ran].mean() > 0.9  # the others: their first review is overdue
    # the first review 4 to 6 months after the start: none in the first four months
    assert not reviewed[ex["start_on"][a9] + np.timedelta64(120, "D") >= today].any()
    # each review in the past, the next after it, at most 6 months on; the latest sets Exemption.review_on
    assert (rv["reviewed_on"] < today).all() and (rv["next_review_on"] > rv["reviewed_on"]).all()
    on_day = [add_months(d.astype(dt.date), 6) for d in rv["reviewed_on"]]
    assert all(n.astype(dt.date) <= m for n, m in zip(rv["next_review_on"], on_day, strict=True))
    latest = {}
    for e, n in zip(rv["exemption_id"], rv["next_review_on"], strict=True):
        latest[e] = max(latest.get(e, n), n)
    review_on = dict(zip(ex["id"], ex["review_on"], strict=True))
    assert all(review_on[e] == n for e, n in latest.items())
    overdue = (ex["review_on"][a9] < today).mean()
    assert 0.01 < overdue < 0.15
