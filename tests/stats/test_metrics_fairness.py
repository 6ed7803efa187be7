import numpy as np
import pandas as pd
import pytest

from trede.stats.fairness import MIN_GROUP, age_band, fairness_report
from trede.stats.metrics import brier, calibration, concordance, outcome_at


def test_outcome_at_horizon_leaves_out_spells_censored_before_it():
    known, worked = outcome_at(np.array([3, 5, 14, 20]), np.array([1, 0, 1, 0]), 12)
    assert known.tolist() == [True, False, True, True]
    assert worked.tolist() == [True, False, False, False]


def test_brier_and_calibration_of_a_perfect_and_a_useless_forecast():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 5000)
    worked = rng.uniform(0, 1, 5000) < p
    durations = np.where(worked, 6.0, 24.0)
    events = worked.astype(int)
    score, n = brier(durations, events, p, 12)
    assert n == 5000 and score == pytest.approx(np.mean(p * (1 - p)), abs=0.01)
    bins = calibration(durations, events, p, 12)
    assert len(bins) == 10 and all(abs(b.predicted - b.observed) < 0.06 for b in bins)
    useless, _ = brier(durations, events, np.full(5000, 0.5), 12)
    assert useless > score


def test_concordance_is_one_for_a_perfect_ranking_and_half_for_noise():
    d = np.arange(1, 101, dtype=float)
    assert concordance(d, np.ones(100), d) == pytest.approx(1.0)
    noise = np.random.default_rng(1).permutation(d)
    assert abs(concordance(d, np.ones(100), noise) - 0.5) < 0.1


def _population(n=2000, seed=2):
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b"], n)
    p12 = rng.uniform(0.05, 0.6, n)
    worked = rng.uniform(0, 1, n) < p12
    route = np.where(p12 > 0.3, "work", "participation")
    return pd.DataFrame(
        {
            "group": group,
            "p12": p12,
            "duration": np.where(worked, 5.0, 30.0),
            "event": worked.astype(int),
            "route": route,
        }
    )


def test_equal_groups_raise_no_flags_and_small_groups_are_suppressed():
    df = _population()
    df.loc[:9, "group"] = "tiny"
    rows = {r.group: r for r in fairness_report(df, attributes=["group"], tolerance=0.06)}
    assert rows["tiny"].suppressed and rows["tiny"].predicted_12 is None and rows["tiny"].n < MIN_GROUP
    assert not rows["a"].flags and not rows["b"].flags
    assert rows["a"].n + rows["b"].n + rows["tiny"].n == len(df)
    assert 0 < rows["a"].parked_but_worked < 1


def test_a_group_that_is_parked_more_often_is_flagged():
    df = _population()
    # group b: everyone advised activation only, although their chances are the same
    df.loc[df.group == "b", "route"] = "participation"
    rows = {r.group: r for r in fairness_report(df, attributes=["group"], tolerance=0.05)}
    assert "route:participation" in rows["b"].flags
    assert rows["b"].route_shares["participation"] == 1.0


def test_age_bands():
    assert age_band(np.array([18, 26, 27, 49, 50, 66])).tolist() == ["<27", "<27", "27-49", "27-49", "50+", "50+"]


def test_kaplan_meier_share_matches_lifelines_and_calibration_is_not_fooled_by_censoring():
    from lifelines import KaplanMeierFitter

    from trede.stats.metrics import km_share_by

    rng = np.random.default_rng(5)
    n = 4000
    p = rng.uniform(0.1, 0.6, n)
    # true time to work: exponential with P(work within 12) = p; half of the spells are cut off early (ongoing)
    rate = -np.log(1 - p) / 12
    t_work = rng.exponential(1 / rate)
    cut = np.where(rng.uniform(size=n) < 0.5, rng.uniform(1, 12, n), 60.0)
    durations, events = np.minimum(t_work, cut), (t_work <= cut).astype(int)
    expected = 1 - KaplanMeierFitter().fit(durations, events).predict(12)
    assert km_share_by(durations, events, 12) == pytest.approx(expected, abs=1e-9)
    bins = calibration(durations, events, p, 12)
    assert sum(b.n for b in bins) == n
    assert all(abs(b.predicted - b.observed) < 0.06 for b in bins)
    # the naive share among known outcomes is biased upwards: this is what the Kaplan-Meier estimate avoids
    known, worked = outcome_at(durations, events, 12)
    assert worked[known].mean() - p.mean() > 0.08
