"""Activation figures, pure (no Django): the share of the caseload that is active month by month, with Wilson
intervals, and how long participation lasts (Kaplan-Meier).

Month-ends as bits. A client's months are an integer mask: bit k is set when the client was in a state on the k-th
month-end of the series (k = 0 the oldest). The database hands over, per group of clients with the same masks, the
mask of the month-ends on benefit, the mask of those on which the client was active, and the route masks; here they
are counted per group and month. Masks of at most MAX_MONTHS bits fit a 64-bit integer.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

MAX_MONTHS = 60
Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal distribution
MONTH_DAYS = 30.4375  # average days in a month (365.25 / 12)


# --------------------------------------------------------------------------------------------------
# Month-ends


def month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last `months` month-ends on or before `today`, oldest first (today itself when it is a month-end)."""
    if not 0 < months <= MAX_MONTHS:
        raise ValueError(f"months must be between 1 and {MAX_MONTHS}")
    last = today if (today + dt.timedelta(days=1)).day == 1 else today.replace(day=1) - dt.timedelta(days=1)
    out = [last]
    while len(out) < months:
        out.append(out[-1].replace(day=1) - dt.timedelta(days=1))
    return out[::-1]


def month_number(day: dt.date) -> int:
    """year * 12 + month: consecutive months have consecutive numbers (the database computes the same)."""
    return day.year * 12 + day.month


def span_mask(first: int, last: int, months: int) -> int:
    """The mask of month-end indexes first..last-1, clipped to 0..months (the database computes the same)."""
    lo, hi = max(0, min(first, months)), max(0, min(last, months))
    return (1 << hi) - (1 << lo) if hi > lo else 0


def bit_counts(masks: np.ndarray, weight: np.ndarray, months: int) -> np.ndarray:
    """For each month-end k: the total weight of the rows whose mask has bit k set (one pass over the bytes)."""
    masks = np.ascontiguousarray(np.asarray(masks, dtype="int64").astype("<u8"))
    bits = np.unpackbits(masks.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")[:, :months]
    weight = np.asarray(weight, dtype="int64")
    if (weight == 1).all():
        return bits.sum(axis=0, dtype="int64")
    return weight @ bits.astype("int64")


def counts_per_month(
    group: np.ndarray, population: np.ndarray, active: np.ndarray, weight: np.ndarray, n_groups: int, months: int
) -> tuple[np.ndarray, np.ndarray]:
    """(n, a): per group (rows) and month-end (columns), how many were in the population and how many of them were
    active. `population` and `active` are month masks per row, `weight` how many clients a row stands for."""
    n = np.zeros((n_groups, months), dtype="int64")
    a = np.zeros((n_groups, months), dtype="int64")
    group = np.asarray(group, dtype="int64")
    population = np.asarray(population, dtype="int64")
    both = np.asarray(active, dtype="int64") & population
    weight = np.asarray(weight, dtype="int64")
    for g in range(n_groups):
        rows = group == g if n_groups > 1 else slice(None)
        n[g] = bit_counts(population[rows], weight[rows], months)
        a[g] = bit_counts(both[rows], weight[rows], months)
    return n, a


# --------------------------------------------------------------------------------------------------
# Shares


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share k/n (95% by default); (nan, nan) when n is 0.

    Unlike the normal approximation it stays within [0, 1] and behaves for shares near 0 or 1 and small n."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = 0.0 if k == 0 else max(0.0, centre - half)  # exact at the ends (no rounding residue)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """k of n, with the share and its 95% Wilson interval."""

    k: int
    n: int

    @property
    def share(self) -> float:
        return self.k / self.n if self.n else math.nan

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.k, self.n)


# --------------------------------------------------------------------------------------------------
# How long participation lasts


@dataclass(frozen=True)
class Durations:
    """Kaplan-Meier summary of spells (months). None where the data cannot say: the median while more than half
    still run, a bound the interval does not reach, a share after a time no spell was followed that long."""

    spells: int
    ended: int
    median: float | None
    median_low: float | None
    median_high: float | None
    still_6: float | None  # share still running after 6 months
    still_6_low: float | None
    still_6_high: float | None
    still_12: float | None
    still_12_low: float | None
    still_12_high: float | None


def _finite(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def spell_durations(days: np.ndarray, ended: np.ndarray, count: np.ndarray | None = None) -> Durations:
    """Kaplan-Meier (lifelines) of spells given as duration in days, whether the spell ended (else censored: still
    running) and how many spells each row stands for (the database counts equal spells once). The median with
    its 95% interval (lifelines' median_survival_times of the pointwise exponential Greenwood band), and the share
    still running after 6 and 12 months with the band at that time. Months are days / 30.4375."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    days = np.asarray(days, dtype="float64")
    ended = np.asarray(ended, dtype=bool)
    count = np.ones(len(days), dtype="int64") if count is None else np.asarray(count, dtype="int64")
    keep = count > 0
    days, ended, count = days[keep], ended[keep], count[keep]
    spells, n_ended = int(count.sum()), int(count[ended].sum())
    if spells == 0:
        return Durations(0, 0, *([None] * 9))
    months = days / MONTH_DAYS
    kmf = KaplanMeierFitter().fit(months, ended.astype(int), weights=count)
    band = kmf.confidence_interval_survival_function_
    median = _finite(kmf.median_survival_time_)
    low = high = None
    if median is not None:
        bounds = median_survival_times(band)
        low, high = _finite(bounds.iloc[0, 0]), _finite(bounds.iloc[0, 1])
    follow = float(months.max())

    def at(t: float) -> tuple[float | None, float | None, float | None]:
        if t > follow:
            return None, None, None
        value = float(kmf.survival_function_at_times(t).iloc[0])
        row = band.loc[:t].iloc[-1]
        return value, float(row.iloc[0]), float(row.iloc[1])

    return Durations(spells, n_ended, median, low, high, *at(6.0), *at(12.0))
