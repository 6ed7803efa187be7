"""Populations: synthetic shares from synth.profile, a municipality's caseload frame, and the inflow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trede.simulation import population as P
from trede.simulation.scenario import HOUSEHOLDS, ROUTES
from trede.synth import profile


def test_synthetic_population_follows_the_profile():
    pop = P.synthetic(20_000, 1)
    assert pop.n == pop.n_stock == 20_000
    assert pop.exempt.sum() == round(profile.EXEMPTION_SHARE * 20_000)
    young = pop.age_months < 27 * 12
    assert abs(young.mean() - profile.UNDER_27_SHARE) < 0.01
    assert not (pop.segment[young] == 2).any()  # under-27s are never in the far group
    assert abs((pop.segment == 2).mean() - profile.FAR_FROM_WORK_SHARE) < 0.01
    assert (pop.route[young] == ROUTES.index("youth")).all()
    assert (pop.route[pop.segment == 2] == ROUTES.index("participation")).all()
    active_far = (pop.ladder[pop.segment == 2] >= 3).mean()
    assert abs(active_far - 0.25) < 0.02  # population.md: 25% of the far group active
    assert (pop.duration <= pop.age_months - 18 * 12).all()
    assert set(np.unique(pop.household)) <= set(range(5))


def test_synthetic_is_deterministic_and_sized():
    a, b = P.synthetic(500, 3), P.synthetic(500, 3)
    assert all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("age_months", "segment", "duration", "ladder"))
    assert not np.array_equal(P.synthetic(500, 4).duration, a.duration)
    for bad in (99, 406_001):
        with pytest.raises(ValueError):
            P.synthetic(bad)


def test_inflow_counts_add_up_and_come_sorted():
    counts = P.inflow_counts(1200, 0.16, 120)
    assert counts[0] == 0 and counts.sum() == round(0.16 * 1200 * 119 / 12)
    pop = P.with_inflow(P.synthetic(1200, 2), 0.16, 120, 2)
    assert pop.n_stock == 1200 and pop.n == 1200 + counts.sum()
    assert (np.diff(pop.entry_month) >= 0).all() and (pop.duration[1200:] == 0).all()
    assert len(np.unique(pop.client_key)) == pop.n
    with pytest.raises(ValueError):
        P.with_inflow(pop, 0.1, 12)


def test_frame_round_trip():
    pop = P.synthetic(300, 5)
    frame = P.frame_from_population(pop)
    assert list(frame.columns) == list(P.FRAME_COLUMNS)
    back = P.population_from_frame(frame, 5)
    assert np.array_equal(back.age_band, pop.age_band)
    assert np.array_equal(back.household, pop.household)
    assert np.array_equal(back.route, pop.route)
    assert np.array_equal(back.ladder, pop.ladder)
    assert np.array_equal(back.duration, pop.duration)
    assert np.array_equal(back.exempt, pop.exempt)
    assert [back.districts[i] for i in back.district] == [pop.districts[i] for i in pop.district]


def _frame(**changes):
    frame = pd.DataFrame(
        {
            "client_key": [1, 2, 3, 4],
            "age_band": ["18-26", "27-34", "55-66", "67+"],
            "household_type": ["single", "single_parent", "cost_sharers", None],
            "district": ["Noord", "Zuid", None, "Noord"],
            "route": ["youth", "work", "participation", None],
            "ladder_step": [0, 3, 2, 6],
            "months_on_benefit": [3, 10, 200, 80],
            "exempt_work": [False, True, False, False],
        }
    )
    for key, value in changes.items():
        frame[key] = value
    return frame


def test_frame_codes_and_derived_distance_to_work():
    pop = P.population_from_frame(_frame())
    assert pop.origin == "frame" and pop.n == 4
    assert [HOUSEHOLDS[h] for h in pop.household] == ["single", "single_parent", "cost_sharers", "other"]
    assert pop.districts == ("Noord", "Zuid", "unknown")
    assert pop.segment.tolist() == [0, 0, 2, 2]  # youth near; work <2 years near; participation far; none after 5y far
    assert pop.ladder.tolist() == [3, 3, 2, 5]  # unknown: by distance to work; 6 on benefit counts as 5
    assert pop.notes and "ladder" in pop.notes[0]
    assert pop.age_months[3] >= 67 * 12  # 67+: leaves at once for the state pension in the engine


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("household_type", ["single", "alone", "single", "single"], "household_type"),
        ("age_band", ["18-26", "27-34", "90+", "67+"], "age_band"),
        ("route", ["youth", "bus", None, None], "route"),
        ("ladder_step", [1, 2, 9, 3], "ladder_step"),
        ("months_on_benefit", [1, -2, 3, 4], "months_on_benefit"),
        ("client_key", [1, 1, 2, 3], "client_key"),
    ],
)
def test_frame_errors_name_the_column(column, value, words):
    with pytest.raises(P.FrameError) as err:
        P.population_from_frame(_frame(**{column: value}))
    assert words in str(err.value)


def test_frame_needs_its_columns():
    with pytest.raises(P.FrameError) as err:
        P.population_from_frame(_frame().drop(columns=["route"]))
    assert "route" in str(err.value)


def test_frame_route_exemption_review_counts_as_no_route():
    pop = P.population_from_frame(_frame(route=["youth", "exemption_review", "participation", None]))
    assert pop.route[1] == ROUTES.index("none")


def test_inflow_of_a_frame_copies_its_recent_entrants():
    stock = P.population_from_frame(P.frame_from_population(P.synthetic(600, 8)))
    grown = P.with_inflow(stock, 1.0, 24)
    new = np.arange(stock.n, grown.n)
    assert (grown.client_key[new] < 0).all()  # applicants are new people, never a client's key
    recent = stock.duration < 12
    assert set(grown.age_months[new]) <= set(stock.age_months[recent])
    assert (grown.duration[new] == 0).all() and not grown.notes
    small = P.with_inflow(P.population_from_frame(_frame()), 1.0, 24)
    assert any("whole caseload" in note for note in small.notes)
