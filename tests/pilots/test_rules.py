"""The outcomes of a pilot measured from benefit periods and ladder measurements: hand-built histories with known
answers, and a property test against a plain one-client-at-a-time reading of the definitions."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.pilots import rules

S = dt.date(2024, 1, 1)
E = dt.date(2025, 1, 1)  # 12 months of follow-up
W = E


def d(days: int) -> dt.date:
    return S + dt.timedelta(days=days)


def measure(units, periods, ladder=()):
    u = pd.DataFrame(units, columns=["client_id", "start", "end", "work_end"])
    p = pd.DataFrame(list(periods), columns=["client_id", "start_on", "end_on", "exit_reason"])
    lad = pd.DataFrame(list(ladder), columns=["client_id", "measured_on", "step"])
    return rules.measure_outcomes(u, p, lad)


def test_known_histories():
    units = [(i, S, E, W) for i in range(1, 8)]
    periods = [
        (1, d(-400), None, ""),  # 1: still on benefit
        (2, d(-100), d(60), "work"),  # 2: to work after two months, stays off
        (3, d(-100), d(30), "other"),  # 3: leaves, comes back after 100 days, still on
        (3, d(130), None, ""),
        (4, d(-50), d(90), "moved"),  # 4: moves away after 3 months
        (5, d(-50), d(300), "education"),  # 5: leaves late (within the last 6 months)
        (6, d(-10), d(20), "work"),  # 6: to work, back, to work again
        (6, d(40), d(100), "work"),
        (7, d(-10), None, ""),  # 7: on benefit, ladder measurements only
    ]
    ladder = [(7, d(-20), 2), (7, d(100), 3), (7, d(200), 2), (1, d(50), 5), (5, d(10), 3)]
    out = measure(units, periods, ladder)
    month = rules.MONTH_DAYS
    nan = np.nan

    expected = {
        # client: (paid work, durable, months, left, step up, return)
        1: (1, 0, 366 / month, 0, nan, 0),  # step 5 measured: paid work (supported); no baseline ladder
        2: (1, 1, 60 / month, 1, nan, 0),
        3: (0, 0, 30 / month, 1, nan, 1),
        4: (nan, nan, 90 / month, 0, nan, nan),  # moved: censored, outcomes unknown
        5: (0, 0, 300 / month, 1, nan, 0),  # left 66 days before the end: not yet durable
        6: (1, 1, 20 / month, 1, nan, 1),  # off again more than 6 months before the end
        7: (0, 0, 366 / month, 0, 0, 0),  # last measurement (2) is not above the baseline (2)
    }
    columns = ["paid_work_12m", "durable_exit", "months_on_benefit", "left_benefit", "ladder_step_up",
               "return_to_benefit"]  # fmt: skip
    for client, values in expected.items():
        got = out.loc[client, columns].to_numpy(dtype=float)
        np.testing.assert_allclose(got, np.array(values, dtype=float), equal_nan=True, err_msg=f"client {client}")


def test_ladder_step_up_needs_a_higher_step_after_the_start():
    units = [(1, S, E, W), (2, S, E, W), (3, S, E, W)]
    periods = [(c, d(-100), None, "") for c in (1, 2, 3)]
    ladder = [
        (1, d(-30), 2), (1, d(0), 3), (1, d(50), 4),  # baseline is the one on S itself (3): 4 > 3
        (2, d(-30), 2), (2, d(400), 5),  # after the end: does not count
        (3, d(-30), 2), (3, d(50), 3), (3, d(50), 2),  # two on one day: the later recorded one counts
    ]  # fmt: skip
    out = measure(units, periods, ladder)
    assert out.loc[1, "ladder_step_up"] == 1
    assert out.loc[2, "ladder_step_up"] == 0
    assert out.loc[3, "ladder_step_up"] == 0


def test_not_on_benefit_at_the_start_is_missing_and_short_follow_up_has_no_durable_exit():
    short_end = d(100)
    out = measure([(1, S, E, W), (2, S, short_end, short_end)], [(1, d(10), None, ""), (2, d(-5), d(20), "work")])
    assert out.loc[1].isna().all()
    assert math.isnan(out.loc[2, "durable_exit"]) and out.loc[2, "paid_work_12m"] == 1


def test_a_client_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        measure([(1, S, E, W), (1, S, E, W)], [])


# --------------------------------------------------------------------------------------------------
# Property: the vectorised definitions equal a plain reading, client by client


def reference(start, end, work_end, periods, ladder):
    """The module's definitions, one client, written as plainly as possible (days as ints)."""
    current = [p for p in periods if p[0] <= start and (p[1] is None or p[1] >= start)]
    if not current:
        return dict.fromkeys(
            ["paid_work_12m", "durable_exit", "months_on_benefit", "left_benefit", "ladder_step_up",
             "return_to_benefit"], math.nan)  # fmt: skip
    cur = max(current, key=lambda p: p[0])
    exit_day, reason = cur[1], cur[2]
    left = exit_day is not None and exit_day <= end
    moved = left and reason == "moved"
    months = ((exit_day if left else end) - start) / rules.MONTH_DAYS
    later = left and any(exit_day < p[0] <= end for p in periods)
    ret = float(later) if (later or not moved) else math.nan
    on_late = any(p[0] <= end and (p[1] is None or p[1] >= end - rules.DURABLE_DAYS) for p in periods)
    durable = float(not on_late)
    if end - rules.DURABLE_DAYS < start or (moved and not later):
        durable = math.nan
    work = any(p[2] == "work" and p[1] is not None and start <= p[1] <= work_end for p in periods) or any(
        s >= rules.PAID_WORK_STEP and start < day <= work_end for day, s in ladder
    )
    started = [p for p in periods if p[0] <= work_end]
    last = max(started, key=lambda p: p[0]) if started else None
    moved_window = last is not None and last[2] == "moved" and last[1] is not None and start <= last[1] <= work_end
    paid = float(work) if (work or not moved_window) else math.nan
    before = [s for day, s in ladder if day <= start]
    after = [s for day, s in ladder if start < day <= end]
    step_up = math.nan if not before else float(bool(after) and after[-1] > before[-1])
    return {
        "paid_work_12m": paid,
        "durable_exit": durable,
        "months_on_benefit": months,
        "left_benefit": float(left and not moved),
        "ladder_step_up": step_up,
        "return_to_benefit": ret,
    }


@st.composite
def histories(draw):
    n = draw(st.integers(1, 6))
    clients = []
    for cid in range(1, n + 1):
        day = draw(st.integers(-300, 50))
        periods = []
        for _ in range(draw(st.integers(0, 3))):
            length = draw(st.integers(0, 300))
            end = None if draw(st.booleans()) else day + length
            periods.append((day, end, "" if end is None else draw(st.sampled_from(["work", "moved", "other"]))))
            if end is None:
                break
            day = end + draw(st.integers(1, 200))
        ladder = sorted(
            draw(st.lists(st.tuples(st.integers(-200, 500), st.integers(1, 6)), max_size=4)), key=lambda x: x[0]
        )
        follow = draw(st.integers(30, 500))
        clients.append((cid, periods, ladder, follow))
    return clients


@settings(max_examples=150, deadline=None)
@given(histories())
def test_vectorised_outcomes_equal_the_plain_definitions(clients):
    base = np.datetime64(S, "D")

    def day(k):
        return None if k is None else (base + np.timedelta64(k, "D")).astype(dt.date)

    def seen(ps, follow):
        """What the selector passes on: periods started by the end, those ending later still running."""
        return [(a, None if b is not None and b > follow else b, "" if b is not None and b > follow else r)
                for a, b, r in ps if a <= follow]  # fmt: skip

    units, periods, ladder = [], [], []
    for cid, ps, lad, follow in clients:
        units.append((cid, S, day(follow), day(min(follow, 366))))
        periods += [(cid, day(a), day(b), r) for a, b, r in seen(ps, follow)]
        ladder += [(cid, day(k), s) for k, s in lad if k <= follow]
    out = measure(units, periods, ladder)
    for cid, ps, lad, follow in clients:
        ref = reference(0, follow, min(follow, 366), seen(ps, follow), [(k, s) for k, s in lad if k <= follow])
        for column, value in ref.items():
            got = float(out.loc[cid, column])
            assert (math.isnan(got) and math.isnan(value)) or got == pytest.approx(value), (cid, column, got, value)


def test_power_summary_agrees_with_the_statistics():
    from trede.stats.evaluation.power import minimum_detectable_effect, sample_size

    p = rules.plan_power(n=800, baseline_pct=20, effect_pp=5, weights=(1, 1))
    mde = minimum_detectable_effect(800, measure="proportion", baseline=0.2)
    assert p.mde_pp == pytest.approx(100 * mde.effect)
    need = sample_size(0.05, measure="proportion", baseline=0.2)
    assert p.needed == need.n and p.enough is (need.n <= 800)
    clustered = rules.plan_power(n=800, baseline_pct=20, effect_pp=5, weights=(1, 1), icc=0.05, cluster_size=40)
    assert clustered.design_effect == pytest.approx(1 + 39 * 0.05)
    assert clustered.mde_pp > p.mde_pp and clustered.needed > p.needed
    assert rules.plan_power(n=800, baseline_pct=None, effect_pp=None, weights=(1, 1)).problem
