"""Power: minimum detectable effect and required size agree with statsmodels (NormalIndPower, TTestIndPower,
proportion_effectsize) in the standard cases; the design effect for cluster randomisation; refusals."""

import math

import pytest
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from trede.stats.evaluation.power import design_effect, minimum_detectable_effect, power_for, sample_size

CASES = [(0.05, 0.8, 1.0), (0.05, 0.9, 2.0), (0.01, 0.8, 0.5), (0.1, 0.8, 1.0)]


@pytest.mark.parametrize(("alpha", "power", "ratio"), CASES)
@pytest.mark.parametrize(("p0", "diff"), [(0.2, 0.05), (0.35, 0.1), (0.5, -0.08)])
def test_size_for_a_difference_in_proportions(alpha, power, ratio, p0, diff):
    r = sample_size(diff, measure="proportion", baseline=p0, alpha=alpha, power=power, ratio=ratio)
    h = proportion_effectsize(p0 + diff, p0)
    expected = NormalIndPower().solve_power(abs(h), power=power, alpha=alpha, ratio=1 / ratio)
    assert r.n_intervention_exact == pytest.approx(expected, rel=1e-6)
    assert r.n_control_exact == pytest.approx(expected / ratio, rel=1e-6)
    assert r.n_intervention == math.ceil(r.n_intervention_exact) and r.n_control == math.ceil(r.n_control_exact)
    assert r.standardised_effect == pytest.approx(h)
    # with the rounded sizes the power is at least the target
    achieved = NormalIndPower().power(abs(h), r.n_intervention, alpha, ratio=r.n_control / r.n_intervention)
    assert achieved >= power


@pytest.mark.parametrize(("alpha", "power", "ratio"), CASES)
@pytest.mark.parametrize("test", ["z", "t"])
@pytest.mark.parametrize("d", [0.1, 0.3, 0.8])
def test_size_for_a_difference_in_means(alpha, power, ratio, test, d):
    r = sample_size(d * 4.0, measure="mean", sd=4.0, alpha=alpha, power=power, ratio=ratio, test=test)
    solver = NormalIndPower() if test == "z" else TTestIndPower()
    expected = solver.solve_power(d, power=power, alpha=alpha, ratio=1 / ratio)
    assert r.n_intervention_exact == pytest.approx(expected, rel=1e-5)
    assert r.standardised_effect == pytest.approx(d)


@pytest.mark.parametrize(("alpha", "power", "ratio"), CASES)
@pytest.mark.parametrize("n", [200, 2000, 35_000])
def test_minimum_detectable_effect_is_the_effect_with_the_target_power(alpha, power, ratio, n):
    r = minimum_detectable_effect(n, measure="mean", sd=2.5, alpha=alpha, power=power, ratio=ratio)
    assert r.n_intervention + r.n_control == n
    assert r.n_intervention / r.n_control == pytest.approx(ratio, rel=0.02)
    sm = NormalIndPower()
    # statsmodels' power at our MDE is the target, and its own solution agrees
    assert sm.power(r.standardised_effect, r.n_intervention, alpha, ratio=r.n_control / r.n_intervention) == (
        pytest.approx(power, abs=1e-9)
    )
    expected = sm.solve_power(
        None, nobs1=r.n_intervention, alpha=alpha, power=power, ratio=r.n_control / r.n_intervention
    )
    assert r.standardised_effect == pytest.approx(expected, rel=1e-4)  # solve_power stops at its own tolerance
    assert r.effect == pytest.approx(r.standardised_effect * 2.5)


@pytest.mark.parametrize("n", [20, 300, 3000])
def test_minimum_detectable_effect_with_the_t_test(n):
    r = minimum_detectable_effect(n, measure="mean", sd=1.0, test="t")
    expected = TTestIndPower().solve_power(None, nobs1=r.n_intervention, alpha=0.05, power=0.8, ratio=1.0)
    assert r.standardised_effect == pytest.approx(expected, rel=1e-5)
    assert TTestIndPower().power(r.standardised_effect, r.n_intervention, 0.05, ratio=1.0) == pytest.approx(
        0.8, abs=1e-8
    )


@pytest.mark.parametrize("direction", ["increase", "decrease"])
def test_minimum_detectable_difference_in_proportions(direction):
    r = minimum_detectable_effect(4000, baseline=0.3, direction=direction)
    assert r.intervention_value == pytest.approx(0.3 + r.effect)
    assert (r.effect > 0) == (direction == "increase")
    h = proportion_effectsize(r.intervention_value, 0.3)
    assert h == pytest.approx(r.standardised_effect, abs=1e-10)
    assert NormalIndPower().power(abs(h), 2000, 0.05, ratio=1.0) == pytest.approx(0.8, abs=1e-9)
    # the size needed for that effect is the planned size again
    back = sample_size(r.effect, baseline=0.3)
    assert back.n_intervention_exact == pytest.approx(2000, rel=1e-6)


def test_power_for_given_sizes_equals_statsmodels():
    r = power_for(1000, 500, 0.05, baseline=0.2)
    expected = NormalIndPower().power(proportion_effectsize(0.25, 0.2), 1000, 0.05, ratio=0.5)
    assert r.power == pytest.approx(expected, rel=1e-10)
    t = power_for(30, 30, 0.5, measure="mean", sd=1.0, test="t")
    assert t.power == pytest.approx(TTestIndPower().power(0.5, 30, 0.05, ratio=1.0), rel=1e-8)


def test_cluster_design_effect_inflates_the_size_and_counts_clusters():
    assert design_effect(0.0, 350) == 1.0
    assert design_effect(0.05, 21) == pytest.approx(2.0)
    assert design_effect(0.05, 21, cv=0.5) == pytest.approx(1 + (1.25 * 21 - 1) * 0.05)
    plain = sample_size(0.05, baseline=0.3)
    clustered = sample_size(0.05, baseline=0.3, icc=0.05, cluster_size=21)
    assert clustered.design_effect == pytest.approx(2.0)
    assert clustered.n_intervention_exact == pytest.approx(2 * plain.n_intervention_exact)
    assert clustered.clusters_intervention == math.ceil(clustered.n_intervention_exact / 21)
    assert clustered.n_intervention == clustered.clusters_intervention * 21
    assert plain.clusters is None
    # a fixed number of people detects a larger effect when they come in clusters
    assert minimum_detectable_effect(4200, baseline=0.3, icc=0.05, cluster_size=21).effect == pytest.approx(
        minimum_detectable_effect(2100, baseline=0.3).effect, rel=1e-3
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sample_size(0.05), "baseline proportion"),
        (lambda: sample_size(0.05, baseline=1.2), "baseline proportion"),
        (lambda: sample_size(0.9, baseline=0.3), r"proportion in \(0, 1\)"),
        (lambda: sample_size(0.3, measure="mean"), "standard deviation"),
        (lambda: sample_size(0, baseline=0.3), "non-zero"),
        (lambda: sample_size(0.05, baseline=0.3, power=0.01), "power"),
        (lambda: sample_size(0.05, baseline=0.3, alpha=0), "alpha"),
        (lambda: sample_size(0.05, baseline=0.3, ratio=-1), "ratio"),
        (lambda: sample_size(0.05, baseline=0.3, icc=1.0), "intra-cluster"),
        (lambda: minimum_detectable_effect(3, baseline=0.3), "at least 4"),
        (lambda: minimum_detectable_effect(10, baseline=0.02, direction="decrease"), "plan more people"),
        (lambda: sample_size(0.05, baseline=0.3, test="t"), "z-test"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
