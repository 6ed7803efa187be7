"""ITT, regression adjustment, subgroups, multiple testing and the complier effect against statsmodels and against
closed forms; refusals on bad input."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.sandbox.regression.gmm import IV2SLS
from statsmodels.stats.multitest import multipletests

from trede.stats.evaluation.effects import (
    adjust_p_values,
    adjusted_difference,
    benjamini_hochberg,
    complier_effect,
    difference_in_means,
    holm,
    subgroup_effects,
)


def pilot(n=1500, seed=0, clusters=None, noncompliance=0.2, effect=1.0):
    rng = np.random.default_rng(seed)
    f = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.integers(0, 2, n),
            "group": rng.choice(["a", "b", "c"], n),
            "route": rng.choice(["work", "participation"], n),
        }
    )
    if clusters:
        f["cw"] = rng.integers(0, clusters, n)
        f["assigned"] = (f.cw % 2).astype(int)
        u = rng.normal(0, 0.5, clusters)[f.cw]
    else:
        f["assigned"] = rng.integers(0, 2, n)
        u = 0
    comply = rng.random(n) > noncompliance
    f["received"] = np.where(comply, f.assigned, 1 - f.assigned)
    noise = rng.normal(size=n) * (1 + f.x2)  # heteroskedastic: HC1 differs from the conventional error
    f["y"] = 2 + effect * f.received + 0.8 * f.x1 - 0.5 * f.x2 + (f.group == "b") * 0.7 + u + noise
    f["work"] = (f.y > 2.5).astype(int)
    return f


def test_difference_in_means_equals_ols_with_hc1_and_conventional_errors():
    f = pilot()
    e = difference_in_means(f, "y")
    ref = sm.OLS(f.y, sm.add_constant(f.assigned.astype(float))).fit()
    hc1 = sm.OLS(f.y, sm.add_constant(f.assigned.astype(float))).fit(cov_type="HC1", use_t=True)
    assert e.estimate == pytest.approx(ref.params["assigned"], rel=1e-12)
    assert e.se_conventional == pytest.approx(ref.bse["assigned"], rel=1e-10)
    assert e.se == pytest.approx(hc1.bse["assigned"], rel=1e-10)
    low, high = hc1.conf_int().loc["assigned"]
    assert (e.ci_low, e.ci_high) == (pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
    assert e.p_value == pytest.approx(hc1.pvalues["assigned"], rel=1e-8)
    low_c, high_c = ref.conf_int().loc["assigned"]
    assert e.ci_low_conventional == pytest.approx(low_c) and e.ci_high_conventional == pytest.approx(high_c)
    assert e.n == 1500 and e.n_intervention == int(f.assigned.sum())
    assert e.mean_intervention == pytest.approx(f.y[f.assigned == 1].mean())
    # the conventional error is the pooled two-sample t-test's
    y1, y0 = f.y[f.assigned == 1], f.y[f.assigned == 0]
    pooled = ((len(y1) - 1) * y1.var() + (len(y0) - 1) * y0.var()) / (len(f) - 2)
    assert e.se_conventional == pytest.approx(np.sqrt(pooled * (1 / len(y1) + 1 / len(y0))))


def test_cluster_robust_error_equals_statsmodels_cr1():
    f = pilot(clusters=40)
    e = difference_in_means(f, "y", cluster="cw")
    ref = sm.OLS(f.y, sm.add_constant(f.assigned.astype(float))).fit(
        cov_type="cluster", cov_kwds={"groups": f.cw}, use_t=True
    )
    assert e.se_kind == "CR1" and e.clusters == 40
    assert e.se == pytest.approx(ref.bse["assigned"], rel=1e-10)
    low, high = ref.conf_int().loc["assigned"]
    assert e.ci_low == pytest.approx(low, rel=1e-9) and e.ci_high == pytest.approx(high, rel=1e-9)
    assert e.se > e.se_conventional  # clustered outcomes: the naive error is too small


def test_adjustment_equals_ols_on_the_factors_with_text_as_dummies():
    f = pilot()
    e = adjusted_difference(f, "y", ["x1", "x2", "group"])
    x = pd.get_dummies(f[["assigned", "x1", "x2", "group"]], columns=["group"], drop_first=True, dtype=float)
    ref = sm.OLS(f.y, sm.add_constant(x)).fit(cov_type="HC1")
    assert e.estimate == pytest.approx(ref.params["assigned"], rel=1e-10)
    assert e.se == pytest.approx(ref.bse["assigned"], rel=1e-9)
    assert "group=b" in e.note and "group=c" in e.note
    assert e.se < difference_in_means(f, "y").se  # the factors predict y: a narrower interval


def test_missing_outcomes_are_counted_not_imputed():
    f = pilot()
    f.loc[:99, "y"] = np.nan
    e = difference_in_means(f, "y")
    assert e.missing == 100 and e.n == 1400
    assert e.estimate == pytest.approx(difference_in_means(f.iloc[100:], "y").estimate)


@pytest.mark.parametrize("seed", range(5))
def test_holm_and_benjamini_hochberg_equal_statsmodels(seed):
    p = np.random.default_rng(seed).uniform(0, 0.2, 12) ** 2
    assert holm(p) == pytest.approx(multipletests(p, method="holm")[1], rel=1e-12)
    assert benjamini_hochberg(p) == pytest.approx(multipletests(p, method="fdr_bh")[1], rel=1e-12)
    assert adjust_p_values(p, "fdr_bh") == pytest.approx(benjamini_hochberg(p))


def test_subgroup_effects_per_level_with_correction_and_heterogeneity():
    f = pilot(n=3000)
    f.loc[f.route == "work", "y"] += 1.5 * f.loc[f.route == "work", "assigned"]  # a larger effect on this route
    s = subgroup_effects(f, "y", ["route", "group"], correction="holm")
    assert [(e.subgroup, e.level) for e in s.effects] == [
        ("route", "participation"),
        ("route", "work"),
        ("group", "a"),
        ("group", "b"),
        ("group", "c"),
    ]
    for e in s.effects:
        part = f[f[e.subgroup] == e.level]
        assert e.estimate == pytest.approx(difference_in_means(part, "y").estimate)
        assert e.n == len(part)
    assert [e.p_adjusted for e in s.effects] == pytest.approx(list(holm([e.p_value for e in s.effects])))
    route = next(h for h in s.heterogeneity if h.subgroup == "route")
    work = f.route == "work"
    x = np.column_stack([np.ones(len(f)), f.assigned, work, work * f.assigned])
    ref = sm.OLS(f.y.to_numpy(), x).fit(cov_type="HC1", use_t=True)
    assert route.p_value == pytest.approx(float(ref.t_test([0, 0, 0, 1]).pvalue), rel=1e-8)
    assert route.p_value < 0.001
    group = next(h for h in s.heterogeneity if h.subgroup == "group")
    assert group.df == 2


def test_a_subgroup_level_too_small_is_skipped_and_listed():
    f = pilot(n=400)
    f["rare"] = "common"
    f.loc[f.index[:3], "rare"] = "rare"
    f.loc[f.index[:3], "assigned"] = 1
    s = subgroup_effects(f, "y", ["rare"])
    assert [e.level for e in s.effects] == ["common"]
    assert s.skipped[0][:2] == ("rare", "rare")
    assert s.heterogeneity == ()


def test_complier_effect_equals_wald_ratio_and_statsmodels_2sls():
    f = pilot(n=4000, noncompliance=0.25, effect=2.0)
    c = complier_effect(f, "y")
    itt = difference_in_means(f, "y").estimate
    first = f.received[f.assigned == 1].mean() - f.received[f.assigned == 0].mean()
    assert c.effect.estimate == pytest.approx(itt / first, rel=1e-10)  # the Wald estimator
    assert c.first_stage == pytest.approx(first)
    ref = IV2SLS(f.y, sm.add_constant(f.received.astype(float)), sm.add_constant(f.assigned.astype(float))).fit()
    assert c.effect.estimate == pytest.approx(ref.params["received"], rel=1e-10)
    assert c.effect.se_conventional == pytest.approx(ref.bse["received"], rel=1e-10)
    # robust error: the influence function of the Wald estimator, HC1-scaled
    z, d, y = f.assigned.to_numpy(float), f.received.to_numpy(float), f.y.to_numpy()
    b = c.effect.estimate
    a = y.mean() - b * d.mean()
    resid = y - a - b * d
    psi = (z - z.mean()) * resid / np.mean((z - z.mean()) * (d - d.mean()))
    n = len(y)
    assert c.effect.se == pytest.approx(np.sqrt((psi**2).sum() / n**2 * n / (n - 2)), rel=1e-8)
    assert c.crossovers_intervention == int(((f.assigned == 1) & (f.received == 0)).sum())
    assert c.crossovers_control == int(((f.assigned == 0) & (f.received == 1)).sum())
    assert c.first_stage_f > 10
    assert abs(c.effect.estimate - 2.0) < 3 * c.effect.se


def test_complier_effect_with_covariates_equals_statsmodels_2sls():
    f = pilot(n=2000)
    c = complier_effect(f, "y", covariates=["x1", "x2"])
    exog = sm.add_constant(f[["received", "x1", "x2"]].astype(float))
    instr = sm.add_constant(f[["assigned", "x1", "x2"]].astype(float))
    ref = IV2SLS(f.y, exog, instr).fit()
    assert c.effect.estimate == pytest.approx(ref.params["received"], rel=1e-10)
    assert c.effect.se_conventional == pytest.approx(ref.bse["received"], rel=1e-8)


@pytest.mark.parametrize(
    ("change", "call", "message"),
    [
        (lambda f: f.drop(columns="y"), lambda f: difference_in_means(f, "y"), "missing column"),
        (lambda f: f.assign(assigned=1), lambda f: difference_in_means(f, "y"), "control arm has 0"),
        (lambda f: f.assign(assigned=0), lambda f: difference_in_means(f, "y"), "intervention arm has 0"),
        (lambda f: f.assign(assigned=f.assigned * 2), lambda f: difference_in_means(f, "y"), "0 or 1"),
        (lambda f: f.assign(assigned="yes"), lambda f: difference_in_means(f, "y"), "not 0 or 1"),
        (lambda f: f.assign(y="many"), lambda f: difference_in_means(f, "y"), "non-numeric"),
        (lambda f: f.assign(x1=np.nan), lambda f: adjusted_difference(f, "y", ["x1"]), "missing value"),
        (lambda f: f.assign(x3=f.x1 * 2), lambda f: adjusted_difference(f, "y", ["x1", "x3"]), "collinear"),
        (lambda f: f, lambda f: adjusted_difference(f, "y", []), "at least one"),
        (lambda f: f.assign(received=f.assigned), lambda f: complier_effect(f, "y"), "nobody crossed over"),
        (lambda f: f, lambda f: subgroup_effects(f, "y", []), "no subgroups"),
        (lambda f: f.assign(cw=np.nan), lambda f: difference_in_means(f, "y", cluster="cw"), "missing"),
    ],
)
def test_bad_input_is_refused(change, call, message):
    with pytest.raises(ValueError, match=message):
        call(change(pilot(n=200)))
