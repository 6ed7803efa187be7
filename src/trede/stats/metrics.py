"""Accuracy of a time-to-work model on held-out spells: concordance, the Brier score and calibration of the
probability of work within a horizon.

Spells censored before the horizon have no known outcome there. Leaving them out of the observed share would bias
it upwards (whoever found work early is always "known"), so calibration compares the mean predicted probability
with the Kaplan-Meier estimate of work within the horizon, which uses every spell. The Brier score needs an
outcome per person and is computed on the spells with a known outcome (and says how many)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def outcome_at(durations: np.ndarray, events: np.ndarray, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """(known, worked): whether the outcome at `horizon` is known, and if so whether work came by then."""
    durations, events = np.asarray(durations, float), np.asarray(events, int)
    worked = (events == 1) & (durations <= horizon)
    known = worked | (durations >= horizon)
    return known, worked


def concordance(durations, events, predicted_median) -> float:
    """Harrell's C: how often, of two comparable spells, the shorter predicted time belongs to the shorter spell."""
    from lifelines.utils import concordance_index

    return float(concordance_index(np.asarray(durations), np.asarray(predicted_median), np.asarray(events)))


def brier(durations, events, p_work, horizon: float) -> tuple[float, int]:
    """Brier score of P(work within horizon) over spells with a known outcome, and how many that were."""
    known, worked = outcome_at(durations, events, horizon)
    p = np.asarray(p_work, float)[known]
    return (float(np.mean((p - worked[known]) ** 2)) if known.any() else float("nan")), int(known.sum())


def km_share_by(durations, events, horizon: float) -> float:
    """Kaplan-Meier estimate of the share with work within `horizon` (1 - S(horizon)); nan without spells."""
    d, e = np.asarray(durations, float), np.asarray(events, int)
    if len(d) == 0:
        return float("nan")
    times, first = np.unique(d, return_index=True)
    order = np.argsort(d, kind="stable")
    d_sorted, e_sorted = d[order], e[order]
    at_risk = len(d) - np.searchsorted(d_sorted, times, side="left")
    deaths = np.add.reduceat(e_sorted, np.searchsorted(d_sorted, times, side="left"))
    keep = times <= horizon
    survival = np.prod(1 - deaths[keep] / at_risk[keep])
    return float(1 - survival)


@dataclass(frozen=True)
class CalibrationBin:
    predicted: float
    observed: float
    n: int


def calibration(durations, events, p_work, horizon: float, bins: int = 10) -> list[CalibrationBin]:
    """Mean predicted vs Kaplan-Meier observed share with work within the horizon, in bins of equal size by
    the prediction (deciles by default); n is the number of spells in the bin."""
    p = np.asarray(p_work, float)
    d, e = np.asarray(durations, float), np.asarray(events, int)
    if len(p) == 0:
        return []
    order = np.argsort(p, kind="stable")
    out = []
    for chunk in np.array_split(order, min(bins, len(p))):
        if len(chunk):
            out.append(CalibrationBin(float(p[chunk].mean()), km_share_by(d[chunk], e[chunk], horizon), len(chunk)))
    return out
