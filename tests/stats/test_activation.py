"""trede.stats.activation (pure): month-ends, month masks and their counts, Wilson intervals, and Kaplan-Meier
durations checked against a hand computation."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.stats.activation import (
    MONTH_DAYS,
    Share,
    bit_counts,
    counts_per_month,
    month_ends,
    month_number,
    span_mask,
    spell_durations,
    wilson,
)


def test_month_ends_are_the_last_days_of_the_months_before_today():
    assert month_ends(dt.date(2026, 11, 24), 3) == [dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31)]
    assert month_ends(dt.date(2026, 10, 31), 2) == [dt.date(2026, 9, 30), dt.date(2026, 10, 31)]  # today counts
    ends = month_ends(dt.date(2025, 3, 1), 24)
    assert ends[0] == dt.date(2023, 3, 31) and ends[-1] == dt.date(2025, 2, 28) and len(set(ends)) == 24
    assert all(month_number(b) - month_number(a) == 1 for a, b in zip(ends, ends[1:], strict=False))
    with pytest.raises(ValueError):
        month_ends(dt.date(2026, 1, 1), 0)


def test_span_mask():
    assert span_mask(0, 24, 24) == (1 << 24) - 1
    assert span_mask(2, 5, 24) == 0b11100
    assert span_mask(-3, 2, 24) == 0b11 and span_mask(22, 99, 24) == (1 << 22) | (1 << 23)
    assert span_mask(5, 5, 24) == 0 and span_mask(6, 5, 24) == 0


def test_counts_per_month_by_hand():
    # three groups, four month-ends; a row's active months count only within its population months
    group = np.array([0, 0, 1, 2, 2])
    population = np.array([0b1111, 0b0011, 0b1100, 0b0110, 0b1111])
    active = np.array([0b1010, 0b1111, 0b0000, 0b0100, 0b1000])
    weight = np.array([1, 2, 5, 1, 3])
    n, a = counts_per_month(group, population, active, weight, 3, 4)
    assert n.tolist() == [[3, 3, 1, 1], [0, 0, 5, 5], [3, 4, 4, 3]]
    assert a.tolist() == [[2, 3, 0, 1], [0, 0, 0, 0], [0, 0, 1, 3]]
    # weights of one: the fast path gives the same as the weighted one
    assert bit_counts(population, np.ones(5), 4).tolist() == [3, 4, 4, 3]
    assert bit_counts(population, weight, 4).tolist() == [6, 7, 10, 9]
    empty = counts_per_month(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), 2, 4)
    assert empty[0].sum() == 0 and empty[0].shape == (2, 4)


def test_wilson_interval_known_values():
    # Wilson (1927); e.g. Newcombe (1998), table I: 8 of 10 -> 0.490-0.943, 0 of 10 -> 0-0.278
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert wilson(10, 10)[1] == pytest.approx(1.0) and all(math.isnan(x) for x in wilson(0, 0))
    share = Share(45, 100)
    assert share.share == 0.45 and share.interval[0] < 0.45 < share.interval[1]


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_contains_the_share_and_stays_in_0_1(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_kaplan_meier_against_a_hand_computation():
    """Spells of 2, 3, 3, 5 and 8 months; the second 3 and the 8 still running (censored).

    S(2) = 4/5 = 0.8, S(3) = 0.8 * 3/4 = 0.6, S(5) = 0.6 * 1/2 = 0.3: the median is 5 months. The exponential
    Greenwood band at 6 months: sum d/(n(n-d)) = 1/20 + 1/12 + 1/2, v = sum / ln(S)^2, bounds S^exp(+-1.96 sqrt v).
    The median's interval: the lower band first reaches 0.5 at 2 months; the upper band never does (open)."""
    months = np.array([2, 3, 3, 5, 8], dtype="float64")
    ended = np.array([True, True, False, True, False])
    d = spell_durations(months * MONTH_DAYS, ended)
    assert (d.spells, d.ended) == (5, 3)
    assert d.median == pytest.approx(5.0)
    assert d.median_low == pytest.approx(2.0) and d.median_high is None
    greenwood = 1 / 20 + 1 / 12 + 1 / 2
    v = greenwood / math.log(0.3) ** 2
    z = 1.959963984540054
    assert d.still_6 == pytest.approx(0.3)
    assert d.still_6_low == pytest.approx(0.3 ** math.exp(z * math.sqrt(v)))
    assert d.still_6_high == pytest.approx(0.3 ** math.exp(-z * math.sqrt(v)))
    assert d.still_12 is None  # nobody was followed for 12 months
    # counted rows give exactly what the spells one by one give
    counted = spell_durations(
        np.array([2, 3, 3, 5, 8]) * MONTH_DAYS, ended, np.array([1, 1, 1, 1, 1])
    ) == spell_durations(np.array([2, 3, 3, 5, 8, 8]) * MONTH_DAYS, np.r_[ended, False], np.array([1, 1, 1, 1, 1, 0]))
    assert counted


def test_kaplan_meier_with_counts_equals_the_spells_one_by_one():
    rng = np.random.default_rng(3)
    days = rng.integers(0, 700, 400)
    ended = rng.random(400) < 0.7
    pairs, counts = np.unique(np.c_[days, ended], axis=0, return_counts=True)
    one_by_one = spell_durations(days, ended)
    grouped = spell_durations(pairs[:, 0], pairs[:, 1].astype(bool), counts)
    assert one_by_one == grouped


def test_kaplan_meier_without_spells_or_events():
    assert spell_durations(np.zeros(0), np.zeros(0, dtype=bool)).spells == 0
    running = spell_durations(np.array([100.0, 400.0]), np.array([False, False]))
    assert running.median is None and running.still_6 == 1.0 and running.ended == 0
