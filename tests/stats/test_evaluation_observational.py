"""Observational comparisons: propensity score against statsmodels, weights and matching against hand
computation, the balance table and the overlap diagnostics; every result flagged as not randomised."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from trede.stats.evaluation.observational import (
    balance_table,
    ipw_effect,
    matching_effect,
    overlap_diagnostics,
    propensity_score,
)


def confounded(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    f = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.integers(0, 2, n), "g": rng.choice(["a", "b"], n)})
    e = 1 / (1 + np.exp(-(-0.3 + 1.0 * f.x1 + 0.8 * f.x2)))
    f["t"] = (rng.random(n) < e).astype(int)
    f["y"] = 1 + 2.0 * f.t + 3 * f.x1 + 1.5 * f.x2 + rng.normal(size=n)  # true effect 2, confounded by x1, x2
    return f


def test_propensity_score_equals_statsmodels_logit():
    f = confounded()
    m = propensity_score(f, treatment="t", covariates=["x1", "x2", "g"])
    x = pd.get_dummies(f[["x1", "x2", "g"]], columns=["g"], drop_first=True, dtype=float)
    ref = sm.Logit(f.t, sm.add_constant(x)).fit(disp=0)
    assert np.array(m.coefficients) == pytest.approx(ref.params.to_numpy(), rel=1e-8)
    assert m.scores == pytest.approx(ref.predict(), rel=1e-8)
    assert m.names == ("x1", "x2", "g=b") and m.n == 3000


@pytest.mark.parametrize("estimand", ["ATE", "ATT"])
def test_ipw_removes_measured_confounding_and_is_flagged(estimand):
    f = confounded()
    r = ipw_effect(f, outcome="y", treatment="t", covariates=["x1", "x2"], estimand=estimand)
    assert r.randomised is False and "not a randomised result" in r.warning
    assert r.naive_difference > 4  # the raw comparison is badly biased
    assert abs(r.estimate - 2.0) < 3 * r.se
    e = r.propensity.scores
    t = f.t.to_numpy()
    w = np.where(t == 1, 1 / e, 1 / (1 - e)) if estimand == "ATE" else np.where(t == 1, 1.0, e / (1 - e))
    y = f.y.to_numpy()
    by_hand = np.average(y[t == 1], weights=w[t == 1]) - np.average(y[t == 0], weights=w[t == 0])
    assert r.estimate == pytest.approx(by_hand, rel=1e-10)
    ref = sm.WLS(y, sm.add_constant(t.astype(float)), weights=w).fit(cov_type="HC1")
    assert r.se == pytest.approx(ref.bse[1], rel=1e-8)
    assert all(abs(row.smd_after) < 0.1 for row in r.balance)
    assert all(abs(row.smd_before) > abs(row.smd_after) for row in r.balance)
    assert r.n == 3000 and r.n_treated + r.n_control == 3000 and r.dropped == 0


def test_trimming_drops_extreme_scores_and_counts_them():
    f = confounded()
    r = ipw_effect(f, outcome="y", treatment="t", covariates=["x1", "x2"], trim=0.1)
    e = propensity_score(f, treatment="t", covariates=["x1", "x2"]).scores
    assert r.dropped == int(((e < 0.1) | (e > 0.9)).sum()) > 0
    assert r.n == 3000 - r.dropped


def test_matching_by_hand_on_a_small_example():
    f = pd.DataFrame(
        {
            "x": [0.0, 1.0, 2.0, 0.1, 0.9, 2.2, 5.0, 1.05],
            "t": [1, 1, 1, 0, 0, 0, 0, 0],
            "y": [10.0, 12.0, 15.0, 9.0, 10.0, 11.0, 30.0, 13.0],
        }
    )
    r = matching_effect(f, outcome="y", treatment="t", covariates=["x"], caliper=None)
    logit = np.log(r.propensity.scores / (1 - r.propensity.scores))
    controls = np.arange(3, 8)
    matches = [controls[np.argmin(np.abs(logit[controls] - logit[i]))] for i in range(3)]
    diffs = f.y.to_numpy()[:3] - f.y.to_numpy()[matches]
    assert r.estimate == pytest.approx(diffs.mean())
    assert r.estimand == "ATT" and r.randomised is False
    assert r.n_treated == 3 and r.n_control == len(set(matches))


def test_matching_removes_measured_confounding_and_the_caliper_drops():
    f = confounded()
    r = matching_effect(f, outcome="y", treatment="t", covariates=["x1", "x2"])
    assert abs(r.estimate - 2.0) < 3 * r.se
    assert all(abs(row.smd_after) < 0.1 for row in r.balance)
    tight = matching_effect(f, outcome="y", treatment="t", covariates=["x1", "x2"], caliper=0.002)
    assert tight.dropped > 0 and tight.n_treated + tight.dropped == int(f.t.sum())


def test_balance_table_and_overlap_by_hand():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 2))
    t = (rng.random(500) < 0.4).astype(int)
    x[t == 1, 0] += 0.5
    rows = balance_table(x, ["a", "b"], t)
    sd = np.sqrt((x[t == 1, 0].var() + x[t == 0, 0].var()) / 2)
    assert rows[0].smd_before == pytest.approx((x[t == 1, 0].mean() - x[t == 0, 0].mean()) / sd)
    assert rows[0].smd_after == pytest.approx(rows[0].smd_before)  # no weights: unchanged
    scores = np.clip(0.3 + 0.2 * x[:, 0], 0.01, 0.99)
    o = overlap_diagnostics(scores, t, np.ones(500))
    assert sum(o.histogram_treated) == o.n_treated == int(t.sum())
    assert sum(o.histogram_control) == o.n_control
    assert o.ess_treated == pytest.approx(t.sum())
    assert o.extreme_low == int((scores < 0.1).sum())
    assert o.treated_outside == int(
        ((scores[t == 1] < scores[t == 0].min()) | (scores[t == 1] > scores[t == 0].max())).sum()
    )


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "t": [1, 1, 1, 1], "y": [1.0, 2, 3, 4]}), {}, "at least 2"),
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "t": [0, 0, 1, 1], "y": [1.0, 2, 3, 4]}), {}, "separate"),
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "t": [0, 1, 0, 1]}), {}, "missing column"),
        (pd.DataFrame({"x": [1.0, 2, 3, 4], "t": [0, 1, 0, 1], "y": [1.0, 2, 3, 4]}), {"estimand": "ATC"}, "ATE"),
        (
            pd.DataFrame({"x": [1.0, 2, 3, 4], "t": [0, 1, 0, 1], "y": [1.0, 2, 3, 4]}),
            {"covariates": []},
            "at least one",
        ),
    ],
)
def test_bad_input_is_refused(frame, kwargs, message):
    kwargs = {"outcome": "y", "treatment": "t", "covariates": ["x"], **kwargs}
    with pytest.raises(ValueError, match=message):
        ipw_effect(frame, **kwargs)
