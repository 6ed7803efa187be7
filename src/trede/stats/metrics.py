"""Accuracy of a time-to-work model on held-out spells: concordance, the Brier score and calibration of the
probability of work within a horizon. Spells censored before the horizon have no known outcome there and are
left out of the horizon metrics (and counted, so the report can say how many)."""

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


@dataclass(frozen=True)
class CalibrationBin:
    predicted: float
    observed: float
    n: int


def calibration(durations, events, p_work, horizon: float, bins: int = 10) -> list[CalibrationBin]:
    """Predicted vs observed share with work within the horizon, in bins of equal size (deciles by default)."""
    known, worked = outcome_at(durations, events, horizon)
    p = np.asarray(p_work, float)[known]
    y = worked[known].astype(float)
    if len(p) == 0:
        return []
    order = np.argsort(p, kind="stable")
    out = []
    for chunk in np.array_split(order, min(bins, len(p))):
        if len(chunk):
            out.append(CalibrationBin(float(p[chunk].mean()), float(y[chunk].mean()), int(len(chunk))))
    return out
