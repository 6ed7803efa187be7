"""A compiled (Numba) kernel for the hot per-person parts of the monthly step; the NumPy engine stays the reference.

Two loops over persons are compiled: the refresh of the screening bound and next due month (engine.Batch._refresh)
and the exact resolution of the month's event draw of the screened candidates (engine.Batch._events). They compute
the same numbers in the same order of floating-point operations as the NumPy code (products left to right, sums
of the event probabilities in their column order, no fast-math, no fused multiply-add), fed the same uint32 draws
from rng.py, so the results are bit-identical (tests/simulation/test_kernel.py compares every result array).
Everything else (entries, due things, allocation, the bookkeeping of events) is shared NumPy code.

The kernel is chosen per run: `kernel="numba"` or `"numpy"`; None (the default) takes Numba when it imports,
else NumPy. Numba is optional: without it this module still imports and `available()` is False.
"""

from __future__ import annotations

import numpy as np

try:  # optional dependency
    import numba
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    numba = None

KERNELS = ("numba", "numpy")
TWO32 = 4294967296.0
MAX_U32 = 4294967295
BIG = 32767  # engine.INF
# States, programmes and event columns: the engine's codes (engine.py asserts that they agree).
WAITING, ON, BASIC_JOB, WORK, OFF, GONE = range(6)
NONE, TRIAL = 0, 4
ON_GONE, ON_DOWN, ON_OTHER, ON_BREACH, ON_UP, ON_WORK = range(6)
OFF_GONE, OFF_RETURN = 0, 1
JOB_GONE, JOB_DROP, JOB_WORK = 0, 1, 2
# Scalars of the model, in this order in the `scalars` array.
SCALARS = (
    "sanction_work",
    "trial_conversion",
    "policy_exempt",
    "ws_return",
    "jc_return",
    "gone_off",
    "bj_conversion",
    "bj_to_work",
    "bj_drop",
)
# Tables of the model (float64), in this order in the `tables` tuple.
TABLES = (
    "work_dur",
    "work_lad",
    "work_age",
    "prog_work",
    "other_dur",
    "other_age",
    "prog_other",
    "gone_age",
    "up",
    "prog_up",
    "down",
    "prog_down",
    "prog_breach",
    "ret_work",
    "ret_other",
    "svc_work",
    "svc_up",
)


def available() -> bool:
    """Whether the Numba kernel can be used (numba imports)."""
    return numba is not None


def default() -> str:
    return "numba" if available() else "numpy"


def resolve(kernel: str | None) -> str:
    """The kernel to use: None takes the default; asking for "numba" without numba installed is an error."""
    if kernel is None:
        return default()
    if kernel not in KERNELS:
        raise ValueError(f"unknown kernel {kernel!r}: one of {', '.join(KERNELS)}")
    if kernel == "numba" and not available():
        raise ImportError("the numba kernel needs the numba package (pip install numba), or use kernel='numpy'")
    return kernel


def _jit(f):
    return numba.njit(nogil=True, cache=True)(f) if numba is not None else f


@_jit
def _count_le(edges, x):
    """np.searchsorted(edges, x, side="right") for a sorted array: how many edges are <= x."""
    k = 0
    while k < edges.shape[0] and edges[k] <= x:
        k += 1
    return k


@_jit
def probabilities(idx, t, bound, person, lanes, tables, scalars, edges, age_edges):
    """engine.Batch.probabilities: (state, probabilities (len(idx), 6)) of the flat persons idx in month t, the
    same operations in the same order. The arrays are taken out of their tuples once, outside the loop (inside it
    every array would be reference-counted per person)."""
    state, since, ladder, prog, prog_end, sanc_end, ws_end, jc_end = person
    age0, entry, pool, s_work, s_other, s_breach, s_part_time = lanes
    (work_dur, work_lad, work_age, prog_work, other_dur, other_age, prog_other, gone_age, up_t, prog_up, down_t,
     prog_down, prog_breach, ret_work, ret_other, svc_work, svc_up) = tables  # fmt: skip
    sanction_work, trial_conversion, policy_exempt = scalars[0], scalars[1], scalars[2] != 0.0
    ws_return, jc_return, gone_off = scalars[3], scalars[4], scalars[5]
    bj_conversion, bj_to_work, bj_drop = scalars[6], scalars[7], scalars[8]
    bj_bound = max(bj_conversion, bj_to_work)
    n = idx.shape[0]
    sts = np.empty(n, dtype=np.int8)
    probs = np.zeros((n, 6), dtype=np.float64)
    for k in range(n):
        j = idx[k]
        st = state[j]
        sts[k] = st
        b = _count_le(edges, np.int32(t) - np.int32(since[j]))
        if st == ON:
            a = _count_le(age_edges, np.int32(age0[j]) + (np.int32(t) - np.int32(entry[j])))
            lad = np.intp(ladder[j]) - 1
            g = np.intp(prog[j])
            q = pool[j]
            w = s_work[j] * work_dur[b]
            w *= work_lad[lad]
            w *= work_age[a]
            w *= svc_work[q]
            w *= prog_work[g]
            if sanc_end[j] > t:
                w *= sanction_work
            if g == TRIAL:
                w = trial_conversion if prog_end[j] <= t + 1 or bound else 0.0
            probs[k, ON_WORK] = w
            o = s_other[j] * other_dur[b]
            o *= other_age[a]
            o *= prog_other[g]
            probs[k, ON_OTHER] = o
            probs[k, ON_GONE] = gone_age[a]
            u = up_t[lad] * svc_up[q]
            u *= prog_up[g]
            if policy_exempt and lad == 3:
                u *= s_part_time[j]
            probs[k, ON_UP] = u
            probs[k, ON_DOWN] = down_t[lad] * prog_down[g]
            probs[k, ON_BREACH] = s_breach[j] * prog_breach[g]
        elif st == WORK or st == OFF:  # noqa: SIM109 - plain comparisons for Numba
            if st == WORK:
                r = ret_work[b]
                if ws_end[j] > t:
                    r *= ws_return
                if jc_end[j] > t:
                    r *= jc_return
            else:
                r = ret_other[b]
            probs[k, OFF_RETURN] = r
            probs[k, OFF_GONE] = gone_off
        elif st == BASIC_JOB:
            if bound:
                probs[k, JOB_WORK] = bj_bound
                probs[k, JOB_DROP] = bj_drop
            elif prog_end[j] <= t + 1:
                probs[k, JOB_WORK] = bj_conversion
                probs[k, JOB_DROP] = 0.0
            else:
                probs[k, JOB_WORK] = bj_to_work
                probs[k, JOB_DROP] = bj_drop
            probs[k, JOB_GONE] = gone_off
        total = probs[k, 0] + probs[k, 1]
        for c in range(2, 6):
            total += probs[k, c]
        if total > 1.0:
            for c in range(6):
                probs[k, c] = probs[k, c] / total
    return sts, probs


@_jit
def events(cand, u, t, person, lanes, tables, scalars, edges, age_edges):
    """The event of each candidate (flat index cand[k], draw u[k]): its state and the event column 0..5, or 6 for
    none (engine.Batch._events: floor(min(cumulative, 1) * 2**32) <= u picks the next column)."""
    st, probs = probabilities(cand, t, False, person, lanes, tables, scalars, edges, age_edges)
    n = cand.shape[0]
    ev = np.empty(n, dtype=np.int64)
    for k in range(n):
        uk = np.uint64(u[k])
        c = 0.0
        e = 0
        for col in range(6):
            c += probs[k, col]
            if uk >= np.uint64(min(c, 1.0) * TWO32):
                e += 1
        ev[k] = e
    return st, ev


@_jit
def refresh(
    idx,
    t,
    inclusive,
    ub,
    next_due,
    pension,
    segment,
    trigger_edges,
    durable_at,
    person,
    lanes,
    tables,
    scalars,
    edges,
    age_edges,
):
    """engine.Batch._refresh over the flat indexes idx (repeats do no harm): the screening bound ub (uint32) as of
    month t with the drifting factors at their largest, and the next due month (int16), in place."""
    state, since, ladder, prog, prog_end, sanc_end, ws_end, jc_end = person
    n_seg = trigger_edges.shape[0] // 6
    after = t - 1 if inclusive else t
    sts, probs = probabilities(idx, t, True, person, lanes, tables, scalars, edges, age_edges)
    for k in range(idx.shape[0]):
        j = idx[k]
        st = sts[k]
        if st == GONE or st == WAITING:  # noqa: SIM109
            continue
        total = probs[k, 0] + probs[k, 1]
        for c in range(2, 6):
            total += probs[k, c]
        total = min(total, 1.0)
        if total < 0.0:
            total = 0.0
        thr = np.uint64(total * TWO32)
        ub[j] = np.uint32(min(thr, np.uint64(MAX_U32)))
        pen = np.int32(pension[j])
        nd = pen if pen > after else np.int32(BIG)
        s = np.int32(since[j])
        d = after - s
        first = np.int32(BIG)
        r = np.intp(st) * n_seg + np.intp(segment[j])
        for c in range(trigger_edges.shape[1]):
            edge = trigger_edges[r, c]
            if edge > d and edge < first:
                first = edge
        if s + first < nd:
            nd = s + first
        g = prog[j]
        if (st == ON and g != NONE) or st == BASIC_JOB:
            pe = np.int32(prog_end[j])
            if pe > after and pe < nd:
                nd = pe
            if (st == ON and g == TRIAL) or st == BASIC_JOB:
                last = pe - 1
                if last > after and last < nd:
                    nd = last
        if st == ON:
            e = np.int32(sanc_end[j])
            if e > after and e < nd:
                nd = e
        if st == WORK:
            for e in (np.int32(ws_end[j]), np.int32(jc_end[j]), np.int32(durable_at[j])):
                if e > after and e < BIG and e < nd:
                    nd = e
        next_due[j] = np.int16(nd)


__all__ = ["KERNELS", "available", "default", "events", "probabilities", "refresh", "resolve"]
