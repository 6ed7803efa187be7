"""Durations (time to paid work, months on benefit until exit): Kaplan-Meier per arm, log-rank, Cox hazard ratio.

The Cox model has the assignment (1 = intervention) and, when pre-registered, baseline factors (text factors as 0/1
columns per level); ties are handled by Efron's method (lifelines, as R's coxph). The hazard ratio is exp(b) with
the interval exp(b -/+ z se); with cluster randomisation the robust (sandwich) error clustered on the unit. A hazard
ratio above 1 for time to work means the intervention arm finds work sooner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trede.stats.evaluation.design import binary_array, covariate_matrix, numeric_array, require_columns
from trede.stats.survival import KMCurve, km_curve


@dataclass(frozen=True)
class HazardRatio:
    outcome: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    log_hazard_ratio: float
    se: float
    p_value: float
    alpha: float
    n: int
    events: int
    n_intervention: int
    n_control: int
    events_intervention: int
    events_control: int
    missing: int = 0
    covariates: tuple[str, ...] = ()
    robust: bool = False
    clusters: int | None = None
    ties: str = "efron"
    randomised: bool = True


@dataclass(frozen=True)
class DurationAnalysis:
    outcome: str
    curves: dict[str, KMCurve]  # arm name -> curve
    logrank_statistic: float
    logrank_p: float
    hazard_ratio: HazardRatio
    n: int
    events: int
    missing: int


def _spells(frame, duration, event, assignment, cluster):
    require_columns(frame, [duration, event, assignment, *([cluster] if cluster else [])], "duration analysis")
    d = numeric_array(frame, duration)
    e = binary_array(frame, event, allow_missing=True)
    z = binary_array(frame, assignment)
    keep = ~(np.isnan(d) | np.isnan(e))
    if (d[keep] < 0).any():
        raise ValueError(f"{duration}: {int((d[keep] < 0).sum())} negative value(s)")
    n1 = int(z[keep].sum())
    n0 = int(keep.sum() - n1)
    if n1 == 0 or n0 == 0:
        raise ValueError(f"{duration}: the {'intervention' if n1 == 0 else 'control'} arm has no spells")
    return d, e, z, keep, n1, n0


def cox_hazard_ratio(
    frame: pd.DataFrame,
    *,
    duration: str,
    event: str,
    assignment: str = "assigned",
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    alpha: float = 0.05,
) -> HazardRatio:
    """Cox proportional hazards (Efron ties) of the spells on the assignment and the baseline factors."""
    from lifelines import CoxPHFitter

    d, e, z, keep, n1, n0 = _spells(frame, duration, event, assignment, cluster)
    if e[keep].sum() == 0:
        raise ValueError(f"{duration}: no events, so no hazard ratio")
    data = pd.DataFrame({"_duration": d[keep], "_event": e[keep].astype(int), "_assigned": z[keep]})
    names = ()
    if covariates:
        w, names = covariate_matrix(frame.loc[keep], covariates)
        for i, _name in enumerate(names):
            data[f"_w{i}"] = w[:, i]
    clusters = None
    kwargs = {}
    if cluster:
        codes = pd.factorize(frame.loc[keep, cluster], sort=True)[0]
        data["_cluster"] = codes
        clusters = int(codes.max()) + 1
        kwargs["cluster_col"] = "_cluster"
    fitter = CoxPHFitter(alpha=alpha)
    fitter.fit(data, "_duration", "_event", robust=bool(cluster), **kwargs)
    b = float(fitter.params_["_assigned"])
    se = float(fitter.standard_errors_["_assigned"])
    zq = float(stats.norm.ppf(1 - alpha / 2))
    ee = e[keep]
    zz = z[keep]
    return HazardRatio(
        outcome=duration, hazard_ratio=float(np.exp(b)), ci_low=float(np.exp(b - zq * se)),
        ci_high=float(np.exp(b + zq * se)), log_hazard_ratio=b, se=se, p_value=float(2 * stats.norm.sf(abs(b / se))),
        alpha=alpha, n=n1 + n0, events=int(ee.sum()), n_intervention=n1, n_control=n0,
        events_intervention=int(ee[zz == 1].sum()), events_control=int(ee[zz == 0].sum()),
        missing=int((~keep).sum()), covariates=tuple(covariates), robust=bool(cluster), clusters=clusters,
    )  # fmt: skip


def logrank(durations, events, groups) -> tuple[float, float]:
    """Log-rank chi-square statistic (1 df) and p-value for two groups (0/1)."""
    from lifelines.statistics import logrank_test

    g = np.asarray(groups)
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=int)
    result = logrank_test(d[g == 1], d[g == 0], e[g == 1], e[g == 0])
    return float(result.test_statistic), float(result.p_value)


def duration_effect(
    frame: pd.DataFrame,
    *,
    duration: str,
    event: str,
    assignment: str = "assigned",
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    alpha: float = 0.05,
    times: Sequence[float] | None = None,
    arm_names: tuple[str, str] = ("intervention", "control"),
) -> DurationAnalysis:
    """Kaplan-Meier curve per arm (at `times` when given), the log-rank test, and the Cox hazard ratio."""
    d, e, z, keep, n1, n0 = _spells(frame, duration, event, assignment, cluster)
    dk, ek, zk = d[keep], e[keep].astype(int), z[keep]
    curves = {
        arm_names[0]: km_curve(dk[zk == 1], ek[zk == 1], alpha=alpha, times=times),
        arm_names[1]: km_curve(dk[zk == 0], ek[zk == 0], alpha=alpha, times=times),
    }
    statistic, p = logrank(dk, ek, zk)
    hr = cox_hazard_ratio(
        frame, duration=duration, event=event, assignment=assignment, covariates=covariates, cluster=cluster,
        alpha=alpha,
    )  # fmt: skip
    return DurationAnalysis(duration, curves, statistic, p, hr, n1 + n0, int(ek.sum()), int((~keep).sum()))
