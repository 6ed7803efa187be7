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


# --------------------------------------------------------------------------------------------------
# Kaplan-Meier curves with their pointwise band, for plots and at-risk tables


@dataclass(frozen=True)
class KMCurve:
    """A Kaplan-Meier curve as a step function: row i holds the value from times[i] up to the next time.

    - times: time 0 and every distinct observed duration (event or censoring), ascending; or the requested times.
    - survival: the Kaplan-Meier estimate S(t).
    - lower, upper: the pointwise (1 - alpha) band by the exponential Greenwood ("log-log") formula, as lifelines.
    - at_risk: people still at risk at t (duration >= t).
    - events, censored: events and censorings in the interval (previous time, t] (on the full curve: at t itself;
      with requested times: since the previous requested time, the convention of R's summary.survfit).
    - n, total_events: people and events the curve rests on; median: the first time S(t) <= 0.5 (inf if never).

    The arrays are read-only. `rows()` gives one tuple per time for a template. Two curves are equal when every
    field is.
    """

    times: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    n: int
    total_events: int
    median: float
    alpha: float

    def __eq__(self, other) -> bool:
        if not isinstance(other, KMCurve):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, f), getattr(other, f), equal_nan=True)
            if isinstance(getattr(self, f), np.ndarray)
            else getattr(self, f) == getattr(other, f)
            for f in self.__dataclass_fields__
        )

    __hash__ = None

    def rows(self) -> list[tuple[float, float, float, float, int, int, int]]:
        """(time, survival, lower, upper, at_risk, events, censored) per time."""
        return list(
            zip(
                self.times.tolist(),
                self.survival.tolist(),
                self.lower.tolist(),
                self.upper.tolist(),
                self.at_risk.tolist(),
                self.events.tolist(),
                self.censored.tolist(),
                strict=True,
            )
        )

    def at(self, t: float) -> float:
        """S(t) of the step function (1 before the first time)."""
        k = int(np.searchsorted(self.times, t, side="right")) - 1
        return 1.0 if k < 0 else float(self.survival[k])


def _check_km_input(durations, events) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(durations, dtype=float).ravel()
    e = np.asarray(events)
    if e.dtype == bool:
        e = e.astype(int)
    e = np.asarray(e, dtype=float).ravel()
    if d.shape != e.shape:
        raise SpellError(f"durations ({d.size}) and events ({e.size}) differ in length")
    if d.size == 0:
        raise SpellError("no spells: a Kaplan-Meier curve needs at least one person")
    if np.isnan(d).any():
        raise SpellError(f"duration: {int(np.isnan(d).sum())} missing value(s)")
    if (d < 0).any():
        raise SpellError(f"duration: {int((d < 0).sum())} negative value(s)")
    if not np.isin(e, (0.0, 1.0)).all():
        raise SpellError("event: values must be 0 (censored) or 1 (event)")
    return d, e.astype(np.int64)


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


def km_curve(durations, events, *, alpha: float = 0.05, times=None) -> KMCurve:
    """The Kaplan-Meier curve of spells with its pointwise (1 - alpha) band (exponential Greenwood, as lifelines).

    `times` (optional, ascending): evaluate the step function at these times instead of at every observed time
    (for an at-risk table under a plot, or one value per month). Raises SpellError (a ValueError) on empty input,
    lengths that differ, missing or negative durations, or events other than 0/1.
    """
    from scipy.stats import norm

    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")
    d, e = _check_km_input(durations, events)
    n = d.size
    grid = np.unique(np.concatenate(([0.0], d)))
    idx = np.searchsorted(grid, d)
    deaths = np.bincount(idx, weights=e, minlength=grid.size).astype(np.int64)
    removed = np.bincount(idx, minlength=grid.size).astype(np.int64)
    at_risk = n - np.concatenate(([0], np.cumsum(removed)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - deaths / at_risk)
        var_term = deaths / (at_risk.astype(float) * (at_risk - deaths))
        var_term[~np.isfinite(var_term)] = 0.0  # at_risk == deaths: S drops to 0, lifelines adds nothing
        greenwood = np.cumsum(var_term)
        z = norm.ppf(1 - alpha / 2)
        v = np.log(survival)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(greenwood) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(greenwood) / v))
    lower = np.where(np.isnan(lower), 1.0, lower)
    upper = np.where(np.isnan(upper), 1.0, upper)
    below = np.nonzero(survival <= 0.5)[0]
    median = float(grid[below[0]]) if below.size else float("inf")
    censored = removed - deaths
    if times is not None:
        t = np.asarray(times, dtype=float).ravel()
        if t.size == 0 or np.isnan(t).any():
            raise ValueError("times: give at least one time and no missing values")
        if (np.diff(t) < 0).any():
            raise ValueError("times must be ascending")
        k = np.searchsorted(grid, t, side="right") - 1
        inside = k >= 0
        kk = np.where(inside, k, 0)
        survival = np.where(inside, survival[kk], 1.0)
        lower = np.where(inside, lower[kk], 1.0)
        upper = np.where(inside, upper[kk], 1.0)
        sorted_d = np.sort(d)
        at_risk = n - np.searchsorted(sorted_d, t, side="left")
        cum_deaths = np.concatenate(([0], np.cumsum(deaths)))[k + 1]
        cum_censored = np.concatenate(([0], np.cumsum(censored)))[k + 1]
        deaths = np.diff(cum_deaths, prepend=0)
        censored = np.diff(cum_censored, prepend=0)
        grid = t
    return KMCurve(
        times=_frozen(grid),
        survival=_frozen(survival),
        lower=_frozen(lower),
        upper=_frozen(upper),
        at_risk=_frozen(at_risk.astype(np.int64)),
        events=_frozen(deaths.astype(np.int64)),
        censored=_frozen(censored.astype(np.int64)),
        n=int(n),
        total_events=int(e.sum()),
        median=median,
        alpha=float(alpha),
    )


def km_curves(durations, events, groups, *, alpha: float = 0.05, times=None) -> dict:
    """km_curve per group (keys in sorted order of the group labels); every group must have at least one person."""
    d = np.asarray(durations, dtype=float).ravel()
    e = np.asarray(events).ravel()
    g = np.asarray(groups).ravel()
    if not d.size == e.size == g.size:
        raise SpellError(f"durations ({d.size}), events ({e.size}) and groups ({g.size}) differ in length")
    if d.size == 0:
        raise SpellError("no spells: a Kaplan-Meier curve needs at least one person")
    if pd.isna(g).any():
        raise SpellError(f"group: {int(pd.isna(g).sum())} missing value(s)")
    labels = sorted(pd.unique(g).tolist())
    return {label: km_curve(d[g == label], e[g == label], alpha=alpha, times=times) for label in labels}
