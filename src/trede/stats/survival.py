"""Survival analysis on spells: one code path for trede's own benefit spells and for published data sets.

A spell is a duration and an event flag (1 = the event happened at the end of the spell, 0 = censored: the spell
ended otherwise or is still running). Time to paid work: exit to work is the event; other exits and running
spells are censored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


class SpellError(ValueError):
    """The spell data cannot be used; the message says which column and why."""


def prepare_spells(frame: pd.DataFrame, *, duration: str, event: str, covariates: Sequence[str] = ()) -> pd.DataFrame:
    """Check and normalise spells: numeric durations >= 0, events 0/1, covariates present and numeric.

    Returns a new frame with columns `duration`, `event` and the covariates (in that order). Rows are never
    dropped silently: missing values are an error naming the column and how many rows.
    """
    missing_cols = [c for c in (duration, event, *covariates) if c not in frame.columns]
    if missing_cols:
        raise SpellError(f"missing columns: {', '.join(missing_cols)}")
    out = pd.DataFrame({"duration": pd.to_numeric(frame[duration], errors="coerce")})
    ev = frame[event]
    if ev.dtype == bool:
        ev = ev.astype(int)
    out["event"] = pd.to_numeric(ev, errors="coerce")
    for c in covariates:
        out[c] = pd.to_numeric(frame[c], errors="coerce")
    for c in out.columns:
        n = int(out[c].isna().sum())
        if n:
            raise SpellError(f"{c}: {n} missing or non-numeric value(s)")
    if (out["duration"] < 0).any():
        raise SpellError(f"duration: {int((out['duration'] < 0).sum())} negative value(s)")
    if not out["event"].isin([0, 1]).all():
        raise SpellError("event: values must be 0 (censored) or 1 (event)")
    out["event"] = out["event"].astype(int)
    return out.reset_index(drop=True)


def km_median(durations: Sequence[float], events: Sequence[int]) -> float:
    """Kaplan-Meier median survival time (the first time the survival curve is at or below 0.5; inf if never)."""
    from lifelines import KaplanMeierFitter

    return float(KaplanMeierFitter().fit(np.asarray(durations), np.asarray(events)).median_survival_time_)


@dataclass(frozen=True)
class CoxResult:
    coefficients: dict[str, float]
    standard_errors: dict[str, float]
    likelihood_ratio: float
    concordance: float
    n: int
    events: int


def fit_cox(spells: pd.DataFrame, covariates: Sequence[str]) -> CoxResult:
    """Cox proportional hazards with Efron ties on prepared spells."""
    from lifelines import CoxPHFitter

    fitter = CoxPHFitter().fit(spells[["duration", "event", *covariates]], "duration", "event")
    return CoxResult(
        coefficients={k: float(v) for k, v in fitter.params_.items()},
        standard_errors={k: float(v) for k, v in fitter.standard_errors_.items()},
        likelihood_ratio=float(fitter.log_likelihood_ratio_test().test_statistic),
        concordance=float(fitter.concordance_index_),
        n=len(spells),
        events=int(spells["event"].sum()),
    )
