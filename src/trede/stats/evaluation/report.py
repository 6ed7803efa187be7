"""The pre-registered analysis of a pilot, and the monitoring figures that may be seen before it.

Two separate entry points, so that the Django layer can show the first at any time and the second only from the
analysis date (no peeking):

- monitor(plan, frame): enrolment per arm and stratum, crossovers (clients who did not get their arm), attrition
  (clients whose primary outcome is missing) and the balance of the baseline factors between the arms. It reads
  no outcome value: the outcome columns are reduced to "missing or not" before anything else is done.
- analyse(plan, frame): the monitoring figures plus, per outcome, the pre-registered estimates: the ITT difference
  (conventional and robust errors, 95% interval), the ITT adjusted for the baseline factors, for durations the
  Kaplan-Meier curves per arm, the log-rank test and the Cox hazard ratio (unadjusted and adjusted), the complier
  effect when people crossed over, and for the primary outcome the pre-registered subgroups (corrected for multiple
  testing) and, when the plan asks for it, a bootstrap interval (on Dask when TREDE_DASK_SCHEDULER is set).
  Given `today` before the plan's analysis date it refuses, unless safety_monitor=True (which the report records).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trede.stats.evaluation import bootstrap as boot
from trede.stats.evaluation.design import (
    Outcome,
    OutcomeKind,
    PilotPlan,
    binary_array,
    check_frame,
    covariate_matrix,
    numeric_array,
)
from trede.stats.evaluation.durations import DurationAnalysis, HazardRatio, duration_effect
from trede.stats.evaluation.effects import (
    ComplierEffect,
    Effect,
    SubgroupAnalysis,
    adjusted_difference,
    complier_effect,
    difference_in_means,
    subgroup_effects,
)

SMD_THRESHOLD = 0.1


# --------------------------------------------------------------------------------------------------
# Monitoring (no outcomes)


@dataclass(frozen=True)
class ArmMonitor:
    arm: str
    assigned: int
    received: int | None  # received the intervention (None: not recorded)
    crossovers: int | None  # did not get their arm
    attrition: int  # primary outcome missing
    clusters: int | None = None

    @property
    def attrition_share(self) -> float:
        return self.attrition / self.assigned if self.assigned else 0.0


@dataclass(frozen=True)
class StratumMonitor:
    stratum: tuple
    n_intervention: int
    n_control: int


@dataclass(frozen=True)
class ArmBalance:
    """Baseline factor by arm: means, the standardised mean difference and the variance ratio."""

    factor: str
    mean_intervention: float
    mean_control: float
    smd: float
    variance_ratio: float
    n_intervention: int
    n_control: int

    @property
    def imbalanced(self) -> bool:
        return abs(self.smd) >= SMD_THRESHOLD


@dataclass(frozen=True)
class Monitoring:
    n: int
    arms: tuple[ArmMonitor, ArmMonitor]  # intervention, control
    strata: tuple[StratumMonitor, ...]
    balance: tuple[ArmBalance, ...]

    @property
    def imbalanced(self) -> tuple[str, ...]:
        return tuple(b.factor for b in self.balance if b.imbalanced)


def arm_balance(frame: pd.DataFrame, assignment: str, covariates: Sequence[str]) -> tuple[ArmBalance, ...]:
    """Balance of the baseline factors between the arms (text factors: one row per level but the first)."""
    z = binary_array(frame, assignment).astype(bool)
    if not covariates:
        return ()
    x, names = covariate_matrix(frame, covariates)
    x1, x0 = x[z], x[~z]
    m1, m0 = x1.mean(axis=0), x0.mean(axis=0)
    v1, v0 = x1.var(axis=0, ddof=1), x0.var(axis=0, ddof=1)
    pooled = np.sqrt((v1 + v0) / 2)
    return tuple(
        ArmBalance(
            factor=name,
            mean_intervention=float(m1[j]),
            mean_control=float(m0[j]),
            smd=float((m1[j] - m0[j]) / pooled[j]) if pooled[j] > 0 else 0.0,
            variance_ratio=float(v1[j] / v0[j]) if v0[j] > 0 else float("nan"),
            n_intervention=int(z.sum()),
            n_control=int((~z).sum()),
        )  # fmt: skip
        for j, name in enumerate(names)
    )


def monitor(plan: PilotPlan, frame: pd.DataFrame) -> Monitoring:
    """Enrolment, crossovers, attrition and baseline balance per arm; no outcome values are read."""
    check_frame(plan, frame, outcomes=False)
    missing_primary = [c for c in plan.primary.columns if c not in frame.columns]
    if missing_primary:
        raise ValueError(f"pilot data: missing column(s) {', '.join(missing_primary)}")
    lost = frame[list(plan.primary.columns)].isna().any(axis=1).to_numpy()  # only whether it is missing
    design = [plan.assignment_column, *plan.baseline_columns()]
    if plan.received_column and plan.received_column in frame.columns:
        design.append(plan.received_column)
    if plan.cluster_column:
        design.append(plan.cluster_column)
    visible = frame[list(dict.fromkeys(design))]
    z = binary_array(visible, plan.assignment_column).astype(bool)
    received = None
    if plan.received_column and plan.received_column in visible.columns:
        received = binary_array(visible, plan.received_column).astype(bool)
    arms = []
    for name, mask, gets in ((plan.arm_names[0], z, True), (plan.arm_names[1], ~z, False)):
        rec = None if received is None else int(received[mask].sum())
        cross = None if received is None else int((received[mask] != gets).sum())
        clusters = int(visible.loc[mask, plan.cluster_column].nunique()) if plan.cluster_column else None
        arms.append(ArmMonitor(name, int(mask.sum()), rec, cross, int(lost[mask].sum()), clusters))
    strata = []
    if plan.strata:
        counts = visible.groupby(list(plan.strata), sort=True, observed=True)[plan.assignment_column].agg(
            ["sum", "size"]
        )
        for key, row in counts.iterrows():
            key = key if isinstance(key, tuple) else (key,)
            strata.append(StratumMonitor(tuple(_plain(k) for k in key), int(row["sum"]), int(row["size"] - row["sum"])))
    balance = arm_balance(visible, plan.assignment_column, plan.covariates)
    return Monitoring(len(visible), (arms[0], arms[1]), tuple(strata), balance)


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


# --------------------------------------------------------------------------------------------------
# Outcome analysis


@dataclass(frozen=True)
class OutcomeResult:
    outcome: Outcome
    primary: bool
    n: int  # people with this outcome
    missing: int  # people whose outcome is missing
    itt: Effect | None = None
    adjusted: Effect | None = None
    duration: DurationAnalysis | None = None
    hazard_ratio_adjusted: HazardRatio | None = None
    complier: ComplierEffect | None = None
    subgroups: SubgroupAnalysis | None = None
    bootstrap: boot.BootstrapInterval | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PilotReport:
    plan: PilotPlan
    monitoring: Monitoring
    outcomes: tuple[OutcomeResult, ...]
    deviations: tuple[str, ...]
    n: int
    safety_monitor: bool = False
    randomised: bool = True

    @property
    def primary(self) -> OutcomeResult:
        return self.outcomes[0]


def bootstrap_primary(plan: PilotPlan, frame: pd.DataFrame, outcome: Outcome) -> boot.BootstrapInterval:
    """The bootstrap interval of the plan (plan.bootstrap replications, seed plan.seed), resampling within arm and
    stratum (whole clusters within arm for a cluster design): of the adjusted ITT (the ITT without factors) for a
    0/1 or numeric outcome; for a duration of the difference in the Kaplan-Meier share with the event by the end of
    follow-up (plan.follow_up_months)."""
    z = binary_array(frame, plan.assignment_column)
    strata_cols = [plan.assignment_column, *plan.strata]
    if outcome.kind is OutcomeKind.DURATION:
        d = numeric_array(frame, outcome.column)
        e = binary_array(frame, outcome.event, allow_missing=True)
        keep = ~(np.isnan(d) | np.isnan(e))
        data = {"d": d[keep], "e": e[keep], "z": z[keep]}
        statistic = functools.partial(km_difference_statistic, horizon=float(plan.follow_up_months))
    else:
        y = numeric_array(frame, outcome.column)
        keep = ~np.isnan(y)
        data = {"y": y[keep], "z": z[keep]}
        statistic = boot.difference_in_means_statistic
        if plan.covariates:
            w, _ = covariate_matrix(frame.loc[keep], plan.covariates)
            data["w"] = w - w.mean(axis=0)
            statistic = boot.adjusted_difference_statistic
    sub = frame.loc[keep]
    strata = list(sub[strata_cols].astype(str).agg("|".join, axis=1))
    clusters = sub[plan.cluster_column].to_numpy() if plan.cluster_column else None
    if clusters is not None:
        strata = list(sub[plan.assignment_column].astype(str))  # clusters lie within an arm
    return boot.bootstrap(
        statistic, data, replications=plan.bootstrap, seed=int(plan.seed), alpha=plan.alpha, strata=strata,
        clusters=clusters,
    )  # fmt: skip


def km_difference_statistic(data, idx, *, horizon: float) -> float:
    """Difference (intervention minus control) in the Kaplan-Meier share with the event by `horizon`."""
    d, e, z = data["d"][idx], data["e"][idx], data["z"][idx]
    out = []
    for arm in (1, 0):
        m = z == arm
        if not m.any():
            return float("nan")
        out.append(1 - _km_at(d[m], e[m], horizon))
    return float(out[0] - out[1])


def _km_at(d: np.ndarray, e: np.ndarray, t: float) -> float:
    times, inverse = np.unique(d, return_inverse=True)
    deaths = np.bincount(inverse, weights=e)
    removed = np.bincount(inverse)
    at_risk = d.size - np.concatenate(([0], np.cumsum(removed)[:-1]))
    factors = 1 - deaths / at_risk
    return float(np.prod(factors[times <= t]))


def _analyse_outcome(plan: PilotPlan, frame: pd.DataFrame, outcome: Outcome, primary: bool) -> OutcomeResult:
    kw = {"assignment": plan.assignment_column, "cluster": plan.cluster_column, "alpha": plan.alpha}
    notes: list[str] = []
    has_received = bool(plan.received_column and plan.received_column in frame.columns)
    crossed = False
    if has_received:
        crossed = not np.array_equal(
            binary_array(frame, plan.received_column), binary_array(frame, plan.assignment_column)
        )
    if outcome.kind is OutcomeKind.DURATION:
        analysis = duration_effect(
            frame, duration=outcome.column, event=outcome.event, arm_names=plan.arm_names,
            times=np.arange(0, plan.follow_up_months + 1), **kw,
        )  # fmt: skip
        adjusted = None
        if plan.covariates:
            adjusted = duration_effect(
                frame, duration=outcome.column, event=outcome.event, covariates=plan.covariates,
                arm_names=plan.arm_names, times=[0], **kw,
            ).hazard_ratio  # fmt: skip
        if crossed:
            notes.append("no complier effect for a duration (the hazard ratio is by assignment: intention to treat)")
        if primary and plan.subgroups:
            notes.append("subgroups are analysed for 0/1 and numeric outcomes only")
        result = OutcomeResult(
            outcome, primary, analysis.n, analysis.missing, duration=analysis, hazard_ratio_adjusted=adjusted,
            notes=tuple(notes),
        )  # fmt: skip
    else:
        if outcome.kind is OutcomeKind.BINARY:
            binary_array(frame, outcome.column, allow_missing=True)  # refuses values other than 0, 1 or missing
        itt = difference_in_means(frame, outcome.column, **kw)
        adjusted = adjusted_difference(frame, outcome.column, plan.covariates, **kw) if plan.covariates else None
        complier = None
        if crossed:
            try:
                complier = complier_effect(
                    frame, outcome.column, received=plan.received_column, covariates=plan.covariates, **kw
                )
            except ValueError as exc:  # e.g. take-up did not differ between the arms: say so, keep the ITT
                notes.append(f"no complier effect: {exc}")
        subgroups = None
        if primary and plan.subgroups:
            subgroups = subgroup_effects(frame, outcome.column, plan.subgroups, correction=plan.correction, **kw)
        result = OutcomeResult(
            outcome, primary, itt.n, itt.missing, itt=itt, adjusted=adjusted, complier=complier, subgroups=subgroups,
            notes=tuple(notes),
        )  # fmt: skip
    if primary and plan.bootstrap:
        from dataclasses import replace

        result = replace(result, bootstrap=bootstrap_primary(plan, frame, outcome))
    return result


def _deviations(plan: PilotPlan, monitoring: Monitoring, outcomes: Sequence[OutcomeResult]) -> list[str]:
    out = []
    for arm in monitoring.arms:
        if arm.crossovers:
            out.append(f"{arm.crossovers} of {arm.assigned} in the {arm.arm} arm did not get their arm (crossovers)")
        if arm.attrition:
            out.append(
                f"{arm.attrition} of {arm.assigned} in the {arm.arm} arm have no primary outcome "
                f"({arm.attrition_share:.1%}, attrition)"
            )
    if monitoring.imbalanced:
        out.append(
            "baseline factors with a standardised difference of 0.1 or more between the arms: "
            + ", ".join(monitoring.imbalanced)
        )
    for result in outcomes:
        if result.subgroups and result.subgroups.skipped:
            levels = ", ".join(f"{f}={lv}" for f, lv, _ in result.subgroups.skipped)
            out.append(f"{result.outcome.name}: subgroups too small to estimate: {levels}")
        if result.complier and result.complier.first_stage_f < 10:
            out.append(f"{result.outcome.name}: weak instrument for the complier effect (F < 10)")
    return out


def analyse(
    plan: PilotPlan,
    frame: pd.DataFrame,
    *,
    today: dt.date | None = None,
    safety_monitor: bool = False,
    deviations: Sequence[str] = (),
) -> PilotReport:
    """Run the pre-registered analysis (see the module). `deviations`: recorded deviations from the plan, listed
    before the ones found in the data (crossovers, attrition, imbalance, small subgroups, a weak instrument)."""
    if today is not None and plan.analysis_date is not None and today < plan.analysis_date and not safety_monitor:
        raise ValueError(
            f"the pre-registered analysis date is {plan.analysis_date.isoformat()}: no outcome analysis before it "
            "(only the safety monitor, deliberately opened)"
        )
    check_frame(plan, frame, outcomes=True)
    monitoring = monitor(plan, frame)
    outcomes = tuple(_analyse_outcome(plan, frame, o, i == 0) for i, o in enumerate(plan.outcomes))
    found = _deviations(plan, monitoring, outcomes)
    return PilotReport(
        plan=plan, monitoring=monitoring, outcomes=outcomes, deviations=(*deviations, *found), n=len(frame),
        safety_monitor=safety_monitor,
    )  # fmt: skip
