"""Power before a pilot starts: the minimum detectable effect for a planned size, or the size needed for an effect.

Two-sided test at level alpha, two arms with allocation ratio `ratio` = intervention : control (2.0 for 2:1).
- Means: standardised effect d = difference / sd; the z-test (statsmodels NormalIndPower) or, with test="t", the
  two-sample t-test with the noncentral t (statsmodels TTestIndPower).
- Proportions: Cohen's h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)) (statsmodels proportion_effectsize) with the z-test;
  the arcsine scale stabilises the variance, and the result is turned back into the proportion p1 of the
  intervention arm and the difference p1 - p0 in percentage points.
- Cluster randomisation (caseworkers, districts): the design effect DE = 1 + ((cv^2 + 1) m - 1) ICC (Eldridge et al.
  2006; cv = 0 for clusters of equal size m) divides the people into an effective size; the size needed is the
  effective size times DE, and the clusters are that size over m, rounded up.
The power includes both tails, as statsmodels does, so the solutions agree with its solve_power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import optimize, stats


class Measure(StrEnum):
    PROPORTION = "proportion"
    MEAN = "mean"


@dataclass(frozen=True)
class PowerResult:
    """A power calculation. n_* are people (with clusters: individuals, the clusters apart); effect is the absolute
    difference (proportions as a fraction: 0.05 = 5 percentage points), standardised_effect is h or d."""

    solved_for: str  # "effect", "size" or "power"
    measure: Measure
    test: str
    alpha: float
    power: float
    ratio: float
    n_intervention: int
    n_control: int
    effect: float
    standardised_effect: float
    baseline: float | None  # proportion in the control arm
    intervention_value: float | None  # proportion in the intervention arm at this effect
    sd: float | None
    design_effect: float
    icc: float
    cluster_size: float
    clusters_intervention: int | None
    clusters_control: int | None
    n_intervention_exact: float  # the unrounded solution (effective size times the design effect)
    n_control_exact: float

    @property
    def n(self) -> int:
        return self.n_intervention + self.n_control

    @property
    def clusters(self) -> int | None:
        if self.clusters_intervention is None:
            return None
        return self.clusters_intervention + self.clusters_control


def design_effect(icc: float = 0.0, cluster_size: float = 1.0, cv: float = 0.0) -> float:
    """1 + ((cv^2 + 1) m - 1) ICC; 1 for individual randomisation."""
    if not 0 <= icc < 1:
        raise ValueError(f"the intra-cluster correlation must lie in [0, 1), not {icc}")
    if cluster_size < 1:
        raise ValueError(f"the cluster size must be at least 1, not {cluster_size}")
    if cv < 0:
        raise ValueError("the coefficient of variation of cluster sizes cannot be negative")
    return 1.0 + ((cv**2 + 1.0) * cluster_size - 1.0) * icc


def _power_std(d: float, n1: float, n0: float, alpha: float, test: str) -> float:
    """Power of the two-sided test for standardised effect d with (effective) arm sizes n1, n0."""
    nobs = 1.0 / (1.0 / n1 + 1.0 / n0)
    nc = d * math.sqrt(nobs)
    if test == "z":
        crit = stats.norm.isf(alpha / 2)
        return float(stats.norm.sf(crit - nc) + stats.norm.cdf(-crit - nc))
    df = n1 + n0 - 2
    crit = stats.t.isf(alpha / 2, df)
    upper = stats.nct.sf(crit, df, nc)
    lower = stats.nct.cdf(-crit, df, nc)
    # far tails: the noncentral t can return nan where the probability is 0 to machine precision
    return float(np.nan_to_num(upper, nan=1.0 if nc > 0 else 0.0) + np.nan_to_num(lower, nan=0.0))


def _check_common(alpha: float, power: float | None, ratio: float, test: str) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")
    if power is not None and not alpha < power < 1:
        raise ValueError(f"power must lie between alpha and 1, not {power}")
    if not ratio > 0 or not math.isfinite(ratio):
        raise ValueError(f"the allocation ratio must be positive, not {ratio}")
    if test not in ("z", "t"):
        raise ValueError("test must be 'z' or 't'")


def _measure_args(measure, baseline, sd, test):
    measure = Measure(measure)
    if measure is Measure.PROPORTION:
        if baseline is None or not 0 < baseline < 1:
            raise ValueError("a difference in proportions needs the baseline proportion (control arm), in (0, 1)")
        if test != "z":
            raise ValueError("proportions use the z-test (arcsine scale)")
    elif sd is None or not sd > 0:
        raise ValueError("a difference in means needs the standard deviation of the outcome, > 0")
    return measure


def _split(n: int, ratio: float) -> tuple[int, int]:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 4:
        raise ValueError(f"the planned size must be a whole number of at least 4 people, not {n}")
    n1 = round(n * ratio / (1 + ratio))
    n1 = min(max(n1, 2), n - 2)
    return n1, n - n1


def _clusters(n1: float, n0: float, cluster_size: float, icc: float) -> tuple[int | None, int | None]:
    if cluster_size <= 1 and icc == 0:
        return None, None
    return math.ceil(n1 / cluster_size - 1e-9), math.ceil(n0 / cluster_size - 1e-9)


def _from_h(baseline: float, h: float) -> float:
    angle = math.asin(math.sqrt(baseline)) + h / 2
    if not 0 <= angle <= math.pi / 2:
        raise ValueError("no effect within 0-100% can be detected at this size; plan more people")
    return math.sin(angle) ** 2


def power_for(
    n_intervention: int,
    n_control: int,
    effect: float,
    *,
    measure: str = "proportion",
    baseline: float | None = None,
    sd: float | None = None,
    alpha: float = 0.05,
    icc: float = 0.0,
    cluster_size: float = 1.0,
    cv: float = 0.0,
    test: str = "z",
) -> PowerResult:
    """The power to detect `effect` (absolute difference) with the given arm sizes."""
    _check_common(alpha, None, 1.0, test)
    measure = _measure_args(measure, baseline, sd, test)
    if n_intervention < 2 or n_control < 2:
        raise ValueError("each arm needs at least 2 people")
    de = design_effect(icc, cluster_size, cv)
    if measure is Measure.PROPORTION:
        p1 = baseline + effect
        if not 0 < p1 < 1:
            raise ValueError(f"baseline + effect must be a proportion in (0, 1), not {p1}")
        std = 2 * (math.asin(math.sqrt(p1)) - math.asin(math.sqrt(baseline)))
    else:
        p1 = None
        std = effect / sd
    pw = _power_std(abs(std), n_intervention / de, n_control / de, alpha, test)
    c1, c0 = _clusters(n_intervention, n_control, cluster_size, icc)
    return PowerResult(
        "power", measure, test, alpha, pw, n_intervention / n_control, int(n_intervention), int(n_control),
        float(effect), float(std), baseline, p1, sd, de, icc, cluster_size, c1, c0,
        float(n_intervention), float(n_control),
    )  # fmt: skip


def minimum_detectable_effect(
    n: int,
    *,
    measure: str = "proportion",
    baseline: float | None = None,
    sd: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    icc: float = 0.0,
    cluster_size: float = 1.0,
    cv: float = 0.0,
    test: str = "z",
    direction: str = "increase",
) -> PowerResult:
    """The smallest effect the planned `n` people (split by `ratio`) detect with the given power.

    For proportions the effect is reported as the difference p1 - p0 for an increase (direction="increase") or a
    decrease ("decrease") from the baseline; the two differ on the proportion scale.
    """
    _check_common(alpha, power, ratio, test)
    measure = _measure_args(measure, baseline, sd, test)
    if direction not in ("increase", "decrease"):
        raise ValueError("direction must be 'increase' or 'decrease'")
    n1, n0 = _split(n, ratio)
    de = design_effect(icc, cluster_size, cv)
    e1, e0 = n1 / de, n0 / de
    if test == "t" and e1 + e0 <= 3:
        raise ValueError("too few people (after the design effect) for a t-test")
    top = 30.0 / math.sqrt(1.0 / (1.0 / e1 + 1.0 / e0))  # a noncentrality of 30: power 1 for any alpha used
    std = optimize.brentq(lambda d: _power_std(d, e1, e0, alpha, test) - power, 1e-12, top, xtol=1e-14, rtol=1e-13)
    if measure is Measure.PROPORTION:
        p1 = _from_h(baseline, std if direction == "increase" else -std)
        effect = p1 - baseline
        std = std if direction == "increase" else -std
    else:
        p1 = None
        effect = std * sd
    c1, c0 = _clusters(n1, n0, cluster_size, icc)
    return PowerResult(
        "effect", measure, test, alpha, power, n1 / n0, n1, n0, float(effect), float(std), baseline, p1, sd, de,
        icc, cluster_size, c1, c0, float(n1), float(n0),
    )  # fmt: skip


def sample_size(
    effect: float,
    *,
    measure: str = "proportion",
    baseline: float | None = None,
    sd: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    icc: float = 0.0,
    cluster_size: float = 1.0,
    cv: float = 0.0,
    test: str = "z",
) -> PowerResult:
    """The people needed per arm to detect `effect` (absolute difference: p1 - p0, or a difference in means).

    n_intervention_exact is the unrounded solution (comparable with statsmodels' solve_power(nobs1=None) times the
    design effect); n_intervention and n_control are rounded up to whole people (and to whole clusters, when the
    design is clustered: then the people are clusters times the cluster size, rounded up).
    """
    _check_common(alpha, power, ratio, test)
    measure = _measure_args(measure, baseline, sd, test)
    if not effect or not math.isfinite(effect):
        raise ValueError("the effect must be a non-zero number")
    if measure is Measure.PROPORTION:
        p1 = baseline + effect
        if not 0 < p1 < 1:
            raise ValueError(f"baseline + effect must be a proportion in (0, 1), not {p1:g}")
        std = 2 * (math.asin(math.sqrt(p1)) - math.asin(math.sqrt(baseline)))
    else:
        p1 = None
        std = effect / sd
    de = design_effect(icc, cluster_size, cv)
    low = 2.0 if test == "z" else 1.5 + 1e-9

    def gap(n1: float) -> float:
        return _power_std(abs(std), n1, n1 / ratio, alpha, test) - power

    high = 10.0
    while gap(high) < 0:
        high *= 10
        if high > 1e12:
            raise ValueError("the effect is too small to detect with any feasible size")
    low = max(low, 1.0 + 1.0 / ratio) if test == "t" else low
    e1 = low if gap(low) >= 0 else optimize.brentq(gap, low, high, xtol=1e-10, rtol=1e-13)
    x1, x0 = e1 * de, e1 / ratio * de
    c1, c0 = _clusters(x1, x0, cluster_size, icc)
    if c1 is not None:
        n1, n0 = math.ceil(c1 * cluster_size - 1e-9), math.ceil(c0 * cluster_size - 1e-9)
    else:
        n1, n0 = math.ceil(x1 - 1e-9), math.ceil(x0 - 1e-9)
    return PowerResult(
        "size", measure, test, alpha, power, ratio, n1, n0, float(effect), float(std), baseline, p1, sd, de, icc,
        cluster_size, c1, c0, float(x1), float(x0),
    )  # fmt: skip
