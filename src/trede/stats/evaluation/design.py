"""The pilot plan: what is compared, how units are randomised, and the pre-registered analysis.

A plan is an immutable value. The Django layer stores it and freezes it at registration; the pure code here checks
that it is complete and consistent (`PilotPlan(...)` raises ValueError otherwise) and that a data frame has what the
plan needs (`check_frame`).

The analysis frame has one row per client with:
- the assignment column (default "assigned"): 1 = intervention arm, 0 = control arm (as randomised; with cluster
  randomisation every member has their cluster's arm);
- optionally the received column (default "received"): 1 = the client actually got the intervention; where it
  differs from the assignment the client is a crossover, and the complier effect is estimated;
- the stratum columns, the baseline factors (covariates) and the subgroup columns of the plan;
- per outcome its column (for a duration: the duration column and the event column); a missing outcome is
  attrition (lost to follow-up) and is counted, never imputed;
- with cluster randomisation the cluster column (the caseworker or district of the client).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd


class Unit(StrEnum):
    """The unit of randomisation: clients one by one, or whole caseloads (caseworker) or districts."""

    CLIENT = "client"
    CASEWORKER = "caseworker"
    DISTRICT = "district"


class OutcomeKind(StrEnum):
    BINARY = "binary"  # 0/1, e.g. paid work within 12 months, durable exit, ladder step up, return to benefit
    CONTINUOUS = "continuous"  # e.g. months on benefit, earnings
    DURATION = "duration"  # time to an event with censoring, e.g. months to paid work


class Correction(StrEnum):
    """Correction of the subgroup p-values for multiple testing."""

    HOLM = "holm"  # family-wise error rate (Holm 1979)
    BH = "fdr_bh"  # false discovery rate (Benjamini & Hochberg 1995)


@dataclass(frozen=True)
class Outcome:
    """An outcome: `column` holds it (for a duration: the time, with `event` the 0/1 event column)."""

    name: str
    kind: OutcomeKind
    column: str
    event: str | None = None
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "kind", OutcomeKind(self.kind))
        if not self.name or not self.column:
            raise ValueError("an outcome needs a name and a column")
        if self.kind is OutcomeKind.DURATION and not self.event:
            raise ValueError(f"outcome {self.name}: a duration needs its event column")
        if self.kind is not OutcomeKind.DURATION and self.event:
            raise ValueError(f"outcome {self.name}: only a duration has an event column")

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.event) if self.event else (self.column,)


@dataclass(frozen=True)
class PilotPlan:
    """A pilot: the question, the two arms, the design and the pre-registered analysis.

    weights: the allocation ratio as (intervention, control), e.g. (2, 1) puts two in the intervention arm for each
    one in the control arm. icc and cluster_size are the planning assumptions for a cluster design (power only).
    bootstrap: replications for a bootstrap interval of the primary effect (0 = none).
    """

    question: str
    intervention: str
    control: str
    primary: Outcome
    secondary: tuple[Outcome, ...] = ()
    unit: Unit = Unit.CLIENT
    strata: tuple[str, ...] = ()
    covariates: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()
    weights: tuple[int, int] = (1, 1)
    correction: Correction = Correction.HOLM
    alpha: float = 0.05
    seed: int = 0
    follow_up_months: int = 12
    analysis_date: dt.date | None = None
    bootstrap: int = 0
    assignment_column: str = "assigned"
    received_column: str | None = "received"
    cluster_column: str | None = None
    id_column: str = "client_id"
    icc: float = 0.0
    cluster_size: float = 1.0
    arm_names: tuple[str, str] = field(default=("intervention", "control"))

    def __post_init__(self):
        for name in ("secondary", "strata", "covariates", "subgroups", "weights", "arm_names"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "correction", Correction(self.correction))
        problems = []
        if not self.question.strip():
            problems.append("the question is empty")
        if not self.intervention.strip() or not self.control.strip():
            problems.append("describe both the intervention and the control condition")
        if len(self.weights) != 2 or any(
            not isinstance(w, int | np.integer) or isinstance(w, bool) or w < 1 for w in self.weights
        ):
            problems.append(f"weights must be two whole numbers >= 1 (intervention, control), not {self.weights}")
        if not 0 < self.alpha < 0.5:
            problems.append(f"alpha must lie between 0 and 0.5, not {self.alpha}")
        if not isinstance(self.seed, int | np.integer) or not 0 <= self.seed < 2**64:
            problems.append("the seed must be a whole number from 0 to 2**64 - 1")
        if self.follow_up_months < 1:
            problems.append("the follow-up period must be at least one month")
        if self.bootstrap < 0 or (0 < self.bootstrap < 100):
            problems.append("bootstrap replications: 0 (none) or at least 100")
        if self.unit is not Unit.CLIENT and not self.cluster_column:
            problems.append(f"randomisation by {self.unit} needs the cluster column (the {self.unit} of each client)")
        if not 0 <= self.icc < 1:
            problems.append("the intra-cluster correlation must lie in [0, 1)")
        if self.cluster_size < 1:
            problems.append("the cluster size must be at least 1")
        names = [o.name for o in self.outcomes]
        if len(set(names)) != len(names):
            problems.append("outcome names must differ")
        for label, cols in (("strata", self.strata), ("covariates", self.covariates), ("subgroups", self.subgroups)):
            if len(set(cols)) != len(cols):
                problems.append(f"{label}: a column is named twice")
        reserved = {self.assignment_column, self.received_column, self.cluster_column, self.id_column} - {None}
        for label, cols in (("covariates", self.covariates), ("subgroups", self.subgroups), ("strata", self.strata)):
            clash = reserved.intersection(cols)
            if clash:
                problems.append(f"{label} cannot include the design column(s) {', '.join(sorted(clash))}")
        outcome_cols = {c for o in self.outcomes for c in o.columns}
        clash = outcome_cols.intersection((*self.covariates, *self.strata, *self.subgroups))
        if clash:
            problems.append(f"an outcome cannot also be a baseline factor: {', '.join(sorted(clash))}")
        if problems:
            raise ValueError("invalid pilot plan: " + "; ".join(problems))

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return (self.primary, *self.secondary)

    @property
    def clustered(self) -> bool:
        return self.unit is not Unit.CLIENT

    @property
    def ratio(self) -> float:
        """Intervention : control as one number (2.0 for 2:1)."""
        return self.weights[0] / self.weights[1]

    def baseline_columns(self) -> tuple[str, ...]:
        """Columns known before randomisation (strata, covariates, subgroups), each once."""
        return tuple(dict.fromkeys((*self.strata, *self.covariates, *self.subgroups)))


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str = "the data") -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def binary_array(frame: pd.DataFrame, column: str, *, allow_missing: bool = False) -> np.ndarray:
    """A 0/1 column as float (nan where missing and allowed); anything else is refused."""
    s = frame[column]
    if s.dtype == bool:
        s = s.astype(int)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    bad_text = s.notna().to_numpy() & np.isnan(values)
    if bad_text.any():
        raise ValueError(f"{column}: {int(bad_text.sum())} value(s) that are not 0 or 1")
    nan = np.isnan(values)
    if nan.any() and not allow_missing:
        raise ValueError(f"{column}: {int(nan.sum())} missing value(s)")
    if not np.isin(values[~nan], (0.0, 1.0)).all():
        raise ValueError(
            f"{column}: values must be 0 or 1 (found {sorted(set(values[~nan].tolist()) - {0.0, 1.0})[:5]})"
        )
    return values


def numeric_array(frame: pd.DataFrame, column: str, *, allow_missing: bool = True) -> np.ndarray:
    s = frame[column]
    if s.dtype == bool:
        s = s.astype(int)
    values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    bad = s.notna().to_numpy() & np.isnan(values)
    if bad.any():
        raise ValueError(f"{column}: {int(bad.sum())} non-numeric value(s)")
    if not allow_missing and np.isnan(values).any():
        raise ValueError(f"{column}: {int(np.isnan(values).sum())} missing value(s)")
    if np.isinf(values).any():
        raise ValueError(f"{column}: infinite value(s)")
    return values


def covariate_matrix(frame: pd.DataFrame, covariates: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Baseline factors as a float matrix: numbers and booleans as they are, text or categories as 0/1 columns per
    level (the first level in sorted order left out). Missing values are refused (counted per column), and
    columns that do not vary are left out (a factor that is the same for everyone cannot adjust anything)."""
    require_columns(frame, covariates, "baseline factors")
    blocks: list[np.ndarray] = []
    names: list[str] = []
    for c in covariates:
        s = frame[c]
        n_missing = int(s.isna().sum())
        if n_missing:
            raise ValueError(f"baseline factor {c}: {n_missing} missing value(s) (impute or drop them before)")
        if s.dtype == bool or pd.api.types.is_numeric_dtype(s):
            col = s.to_numpy(dtype=float)
            if np.ptp(col) > 0:
                blocks.append(col[:, None])
                names.append(c)
        else:
            levels = sorted(pd.unique(s.astype(str)))
            codes = s.astype(str).to_numpy()
            for level in levels[1:]:
                blocks.append((codes == level).astype(float)[:, None])
                names.append(f"{c}={level}")
    if not blocks:
        return np.empty((len(frame), 0)), ()
    return np.hstack(blocks), tuple(names)


def check_frame(plan: PilotPlan, frame: pd.DataFrame, *, outcomes: bool = True) -> None:
    """Raise ValueError when the frame lacks a column the plan needs, when the assignment is not 0/1, or when an arm
    is empty. outcomes=False checks only what monitoring reads (no outcome columns)."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError("the data must be a pandas DataFrame")
    if len(frame) == 0:
        raise ValueError("the data has no rows")
    columns = [plan.assignment_column, *plan.baseline_columns()]
    if plan.cluster_column:
        columns.append(plan.cluster_column)
    if outcomes:
        columns += [c for o in plan.outcomes for c in o.columns]
    require_columns(frame, columns, "pilot data")
    z = binary_array(frame, plan.assignment_column)
    n1 = int(z.sum())
    if n1 == 0 or n1 == len(z):
        arm = plan.arm_names[0] if n1 == 0 else plan.arm_names[1]
        raise ValueError(f"the {arm} arm is empty: nobody to compare with")
    if plan.received_column and plan.received_column in frame.columns:
        binary_array(frame, plan.received_column)
