"""A compiled (Numba) kernel for the hot per-person parts of the monthly step; the NumPy engine stays the reference.

Compiled: the month's draws, made and compared with the screening bound in one loop (`screen`: NumPy's Philox4x64-10
bit for bit); the due things and the events of the screened persons, applied person by person (`apply`); the
refresh of the screening bound and next due month (`refresh`, also called by `apply` for the persons it changed);
the choice of persons for capacity-limited places in every replication at once (`choose`). They compute the same
numbers in the same order of floating-point operations as the NumPy code (products left to right, sums of the
event probabilities in their column order, no fast-math, no fused multiply-add), on the same uint32 draws as rng.py,
so the results are bit-identical (tests/simulation/test_kernel.py compares every result array). Entries and the
eligibility masks are shared NumPy code.

The kernel is chosen per run: `kernel="numba"` or `"numpy"`; None (the default) takes Numba when it imports,
else NumPy. Numba is optional: without it this module still imports and `available()` is False."""

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
ON_GONE, ON_DOWN, ON_OTHER, ON_BREACH, ON_WORK, ON_UP = range(6)
OFF_GONE, OFF_RETURN = 0, 1
JOB_GONE, JOB_DROP, JOB_WORK = 0, 1, 2
NONE_PROG = 0
RETURN_WINDOWS = (6, 12, 24)  # engine.RETURN_WINDOWS
# The accumulators (engine.ACC) that apply adds to, in this order in its `ai` array (their rows in acc).
ACC_USED = (
    "months_on",
    "months_sanction",
    "months_part_time",
    "months_basic_job",
    "months_work",
    "months_off",
    "months_cohort",
    "months_tegenprestatie",
    "months_coaching",
    "months_trial",
    "months_wage_subsidy",
    "months_job_coaching",
    "exits_work",
    "exits_work_job",
    "exits_work_followed",
    "exits_other",
    "exits_gone",
    "gone_off",
    "returns",
    "returns_12m_work",
    "leavers_6",
    "leavers_12",
    "leavers_24",
    "returns_6",
    "returns_12",
    "returns_24",
    "sanctions",
    "trial_contracts",
    "exits_pension",
    "durable",
)
(
    A_MONTHS_ON, A_MONTHS_SANCTION, A_PART_TIME, A_MONTHS_BASIC_JOB, A_MONTHS_WORK, A_MONTHS_OFF, A_MONTHS_COHORT,
    A_MONTHS_TEGEN, A_MONTHS_COACHING, A_MONTHS_TRIAL, A_MONTHS_WS, A_MONTHS_JC, A_EXITS_WORK, A_EXITS_WORK_JOB,
    A_EXITS_WORK_FOLLOWED, A_EXITS_OTHER, A_EXITS_GONE, A_GONE_OFF, A_RETURNS, A_RETURNS_12M_WORK, A_LEAVERS_6,
    A_LEAVERS_12, A_LEAVERS_24, A_RETURNS_6, A_RETURNS_12, A_RETURNS_24, A_SANCTIONS, A_TRIAL_CONTRACTS,
    A_EXITS_PENSION, A_DURABLE,
) = range(len(ACC_USED))  # fmt: skip
# The curves (engine.CURVES) that apply adds to, in this order in its `ci` array.
CURVES_USED = ("exits_work", "exits_other", "returns", "sanctions")
C_EXITS_WORK, C_EXITS_OTHER, C_RETURNS, C_SANCTIONS = range(len(CURVES_USED))
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
    "ws_work",
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
    """Compiled without the GIL, cached on disk (next to this file, or Numba's user cache when that is read-only);
    without any writable cache directory compiled in each process instead."""
    if numba is None:
        return f
    try:
        return numba.njit(nogil=True, cache=True)(f)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(nogil=True)(f)


# NumPy's Philox4x64-10 (rng.py draws with it): its constants (Salmon et al. 2011, Random123)
PHILOX_M0, PHILOX_M1 = 0xD2E7470EE14C6C93, 0xCA5A826395121157
PHILOX_W0, PHILOX_W1 = 0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B

if numba is not None:
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    @intrinsic
    def _mulhilo(typingctx, a, b):
        """(high, low) 64-bit halves of the 128-bit product of two uint64 (one multiplication on x86-64)."""
        sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64)

        def codegen(context, builder, signature, args):
            wide = ir.IntType(128)
            product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
            lo = builder.trunc(product, ir.IntType(64))
            hi = builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))
            return context.make_tuple(builder, signature.return_type, [hi, lo])

        return sig, codegen

    @intrinsic
    def _prefetch(typingctx, arr, i):
        """A hint to load arr[i] into the cache (LLVM's prefetch: read, keep): the next persons' data are fetched
        while this one is worked on, instead of one cache miss after the other."""
        sig = types.void(arr, i)

        def codegen(context, builder, signature, args):
            from numba.core import cgutils

            aryty = signature.args[0]
            ary = context.make_array(aryty)(context, builder, args[0])
            ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
            i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
            fn = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]), "llvm.prefetch.p0"
            )
            builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return sig, codegen
else:  # pragma: no cover

    def _prefetch(arr, i):
        pass

    def _mulhilo(a, b):
        p = int(a) * int(b)
        return np.uint64(p >> 64), np.uint64(p & 0xFFFFFFFFFFFFFFFF)


AHEAD = 12  # persons to fetch ahead in the loops over scattered persons (speed only)


@_jit
def _count_le(edges, x):
    """np.searchsorted(edges, x, side="right") for a sorted array: how many edges are <= x (no early exit: a
    branch that depends on the person would be mispredicted often)."""
    k = 0
    for m in range(edges.shape[0]):
        k += edges[m] <= x
    return k


@_jit
def probabilities(idx, t, bound, person, lanes, tables, scalars, edges, age_edges):
    """engine.Batch.probabilities: (state, probabilities (len(idx), 6)) of the flat persons idx in month t, the
    same operations in the same order. The arrays are taken out of their tuples once, outside the loop (inside it
    every array would be reference-counted per person). The per-person constants come from small tables by the
    person's kind (engine.Prepared.kind, Model.kind_tables): one byte per person to read instead of four floats."""
    state, since, ladder, prog, prog_end, sanc_end, ws_end, jc_end = person
    dims, born, kind, ws_trait, k_work, k_other, k_breach, k_part_time, k_pool = lanes
    R, n_pools = dims[0], dims[1]
    (work_dur, work_lad, work_age, prog_work, other_dur, other_age, prog_other, gone_age, up_t, prog_up, down_t,
     prog_down, prog_breach, ret_work, ret_other, svc_work, svc_up) = tables  # fmt: skip
    sanction_work, trial_conversion, policy_exempt = scalars[0], scalars[1], scalars[2] != 0.0
    ws_return, jc_return, gone_off = scalars[3], scalars[4], scalars[5]
    bj_conversion, bj_to_work, bj_drop, ws_work = scalars[6], scalars[7], scalars[8], scalars[9]
    bj_bound = max(bj_conversion, bj_to_work)
    if bound:  # while they last; after that the factor is 1 (engine.Batch.probabilities)
        sanction_work, ws_return, jc_return = max(sanction_work, 1.0), max(ws_return, 1.0), max(jc_return, 1.0)
    n = idx.shape[0]
    sts = np.empty(n, dtype=np.int8)
    probs = np.zeros((n, 6), dtype=np.float64)
    for k in range(n):
        if k + AHEAD < n:  # the data of a person further on, to the cache already
            f = idx[k + AHEAD]
            _prefetch(state, f)
            _prefetch(since, f)
            _prefetch(ladder, f)
            _prefetch(prog, f)
            _prefetch(prog_end, f)  # its record (engine.RECORD)
            _prefetch(born, f if R == 1 else f // R)  # its constants (engine.CONSTANTS)
        j = idx[k]
        i = j if R == 1 else j // R  # the person (per-person constants are stored once, not per replication)
        st = state[j]
        sts[k] = st
        b = _count_le(edges, np.int32(t) - np.int32(since[j]))
        if st == ON:
            kd = kind[i]
            a = _count_le(age_edges, np.int32(t) - np.int32(born[i]))
            lad = np.intp(ladder[j]) - 1
            g = np.intp(prog[j])
            q = k_pool[kd] + (j - i * R) * n_pools
            sw = k_work[kd] * ws_work if ws_trait[j] else k_work[kd]  # engine.Batch.s_work
            w = sw * work_dur[b]
            w *= work_lad[lad]
            w *= work_age[a]
            w *= svc_work[q]
            w *= prog_work[g]
            if sanc_end[j] > t:
                w *= sanction_work
            if g == TRIAL:
                w = trial_conversion if prog_end[j] <= t + 1 or bound else 0.0
            probs[k, ON_WORK] = w
            o = k_other[kd] * other_dur[b]
            o *= other_age[a]
            o *= prog_other[g]
            probs[k, ON_OTHER] = o
            probs[k, ON_GONE] = gone_age[a]
            u = up_t[lad] * svc_up[q]
            u *= prog_up[g]
            if policy_exempt and lad == 3:
                u *= k_part_time[kd]
            probs[k, ON_UP] = u
            probs[k, ON_DOWN] = down_t[lad] * prog_down[g]
            probs[k, ON_BREACH] = k_breach[kd] * prog_breach[g]
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
def refresh(idx, t, inclusive, ub, next_due, durable_at, person, lanes, tables, scalars, edges, age_edges):
    """engine.Batch._refresh over the flat indexes idx (repeats do no harm): the screening bound ub (uint32) as of
    month t with the drifting factors at their largest, and the next due month (int16), in place."""
    state, since, ladder, prog, prog_end, sanc_end, ws_end, jc_end = person
    dims, born = lanes[0], lanes[1]
    R, pension_months = dims[0], np.int32(dims[4])
    after = t - 1 if inclusive else t
    sts, probs = probabilities(idx, t, True, person, lanes, tables, scalars, edges, age_edges)
    for k in range(idx.shape[0]):
        j = idx[k]
        st = sts[k]
        if st == GONE or st == WAITING:  # noqa: SIM109
            if st == GONE:
                next_due[j] = BIG  # nothing is due any more
            continue
        total = probs[k, 0] + probs[k, 1]
        for c in range(2, 6):
            total += probs[k, c]
        total = min(total, 1.0)
        if total < 0.0:
            total = 0.0
        thr = np.uint64(total * TWO32)
        ub[j] = np.uint32(min(thr, np.uint64(MAX_U32)))
        i = j if R == 1 else j // R
        pen = min(max(np.int32(born[i]) + pension_months, np.int32(-1)), np.int32(BIG))  # engine.Prepared.pension
        nd = pen if pen > after else np.int32(BIG)
        if (st == ON and prog[j] != NONE) or st == BASIC_JOB:
            pe = np.int32(prog_end[j])
            if pe > after and pe < nd:
                nd = pe
        if st == WORK:
            e = np.int32(durable_at[j])
            if e > after and e < BIG and e < nd:
                nd = e
        next_due[j] = np.int16(nd)


@_jit
def apply(
    due, active, cand, u, t, H, ub, next_due, person, lanes, tables, scalars, edges, age_edges, bound, extra, sums,
    ints, ai, ci,
):  # fmt: skip
    """The month's changes, person by person, added straight to the sums, and the screening bound and next due
    month of everyone changed refreshed at once (while their data are at hand).

    due=True: engine.Batch._due for everyone with next_due == t among the first `active` flat persons (cand and u
    are not used then): the state pension, the end of a programme or basic job, the durability check at 12
    months; then refresh(t, inclusive=False), as the engine does after the allocation (the persons the allocation
    changes are refreshed again after it). due=False: engine.Batch._events, the event draw u[k] of each candidate
    cand[k] resolved (as `events`) and applied; then refresh(t + 1, inclusive=True), as the engine does at the
    start of the next month (nothing else changes these persons before then). The NumPy engine applies the same
    changes group by group; every change touches one person, and the shared counts and sums are integer
    additions, so the order does not matter. Returns the flat indexes of the persons changed.

    tables: the exact tables (events); bound: the tables of the screening bound (refresh)
    extra = (durable_at, jc_trait, cell, route): cell and route per person (not per replication)
    sums = (acc (len(ACC), cells), curves of month t (routes, len(CURVES)), count (routes, len(STATES)),
            on_pool, prog_count (R, len(PROGRAMMES)), n_jobs)
    ints = (sanction_effect_months, sanction_months, ws_months, jc_months)"""
    state, since, ladder, prog, prog_end, sanc_end, ws_end, jc_end = person
    durable_at, jc_trait, cell, route = extra
    dims, born, kind, ws_trait, k_pool = lanes[0], lanes[1], lanes[2], lanes[3], lanes[8]
    R, n_pools, n_routes, n_cells, pension_months = dims[0], dims[1], dims[2], dims[3], np.int32(dims[4])
    acc, curves_t, count, on_pool, prog_count, n_jobs = sums
    sem, sm, ws_months, jc_months = ints[0], ints[1], ints[2], ints[3]

    def move(j, i, rep, c, rt, s, new, e):
        """Close the spell in state s from month e, change the state, open the spell in state new from month e
        (engine._leave_state / _leave_on / _leave_work, _move, _enter_on / _enter_work)."""
        rem = max(H - e, 0)
        if s == ON:
            acc[ai[A_MONTHS_ON], c] -= rem
            if ladder[j] == 5:
                acc[ai[A_PART_TIME], c] -= rem
            g = np.intp(prog[j])
            if g != NONE_PROG:
                prog_count[rep, g] -= 1
                left = max(min(np.int64(prog_end[j]), H) - e, 0)
                acc[ai[A_MONTHS_COHORT + g - 1], c] -= left
                prog[j] = NONE_PROG
            sanc = np.int64(sanc_end[j])
            if sanc > 0:
                red_end = sanc - sem + sm
                if red_end > e:
                    acc[ai[A_MONTHS_SANCTION], c] -= min(red_end, H) - e
                sanc_end[j] = 0
        elif s == WORK:
            acc[ai[A_MONTHS_WORK], c] -= rem
            end = np.int64(ws_end[j])
            if end > e:
                acc[ai[A_MONTHS_WS], c] -= min(end, H) - e
            ws_end[j] = 0
            end = np.int64(jc_end[j])
            if end > e:
                acc[ai[A_MONTHS_JC], c] -= min(end, H) - e
            jc_end[j] = 0
            durable_at[j] = BIG
        elif s == OFF:
            acc[ai[A_MONTHS_OFF], c] -= rem
        elif s == BASIC_JOB:
            acc[ai[A_MONTHS_BASIC_JOB], c] -= rem
            n_jobs[rep] -= 1
        count[rt, s] -= 1
        count[rt, new] += 1
        q = k_pool[kind[i]] + rep * n_pools
        if s == ON:
            on_pool[q] -= 1
        if new == ON:
            on_pool[q] += 1
        state[j] = new
        if new == ON:
            since[j] = e
            acc[ai[A_MONTHS_ON], c] += rem
            if ladder[j] == 5:
                acc[ai[A_PART_TIME], c] += rem
            prog[j] = NONE_PROG
            sanc_end[j] = 0
        elif new == WORK:
            since[j] = e
            acc[ai[A_MONTHS_WORK], c] += rem
            if e + 12 <= H:
                acc[ai[A_EXITS_WORK_FOLLOWED], c] += 1
                durable_at[j] = e + 12
            if ws_months > 0 and ws_trait[j]:
                ws_end[j] = e + ws_months
                acc[ai[A_MONTHS_WS], c] += min(ws_months, H - e)
            if jc_months > 0 and jc_trait[j]:
                jc_end[j] = e + jc_months
                acc[ai[A_MONTHS_JC], c] += min(jc_months, H - e)
        elif new == OFF:
            since[j] = e
            acc[ai[A_MONTHS_OFF], c] += rem

    def leavers(c, e):
        """engine._leavers: a leaver with 6, 12 and 24 months of the horizon left after leaving."""
        if e + 6 <= H:
            acc[ai[A_LEAVERS_6], c] += 1
        if e + 12 <= H:
            acc[ai[A_LEAVERS_12], c] += 1
        if e + 24 <= H:
            acc[ai[A_LEAVERS_24], c] += 1

    if due:
        n_hit = 0
        for j in range(active):
            n_hit += next_due[j] == t
        hit = np.empty(n_hit, dtype=np.int64)
        h = 0
        for j in range(active):
            if next_due[j] == t:
                hit[h] = j
                h += 1
        for k in range(n_hit):
            if k + AHEAD < n_hit:
                f = hit[k + AHEAD]
                _prefetch(state, f)
                _prefetch(since, f)
                _prefetch(ladder, f)
                _prefetch(prog, f)
                _prefetch(prog_end, f)
                _prefetch(born, f if R == 1 else f // R)
            j = hit[k]
            s = state[j]
            i = j if R == 1 else j // R
            rep = j - i * R
            c = np.int64(cell[i]) + rep * n_cells
            rt = np.int64(route[i]) + rep * n_routes
            pension = min(max(np.int32(born[i]) + pension_months, np.int32(-1)), np.int32(BIG))
            if pension <= t and s != GONE:  # the state pension
                acc[ai[A_EXITS_PENSION if s == ON else A_GONE_OFF], c] += 1
                move(j, i, rep, c, rt, s, GONE, t)
            elif s == ON and prog[j] != NONE_PROG and prog_end[j] == t:  # the end of a programme
                prog_count[rep, np.intp(prog[j])] -= 1
                prog[j] = NONE_PROG
            elif s == BASIC_JOB and prog_end[j] == t:  # the end of a basic job without a regular job
                move(j, i, rep, c, rt, s, ON, t)
            elif s == WORK and durable_at[j] == t:  # still off benefit 12 months after leaving for work?
                if np.int32(since[j]) == t - 12:
                    acc[ai[A_DURABLE], c] += 1
                durable_at[j] = BIG
        refresh(hit, t, False, ub, next_due, durable_at, person, lanes, bound, scalars, edges, age_edges)
        return hit

    st_all, ev_all = events(cand, u, t, person, lanes, tables, scalars, edges, age_edges)
    n_hit = 0
    for k in range(cand.shape[0]):
        if ev_all[k] < 6:
            n_hit += 1
    hit = np.empty(n_hit, dtype=np.int64)
    e = t + 1
    rem = max(H - e, 0)
    h = 0
    for k in range(cand.shape[0]):
        ev = ev_all[k]
        if ev >= 6:
            continue
        j = cand[k]
        hit[h] = j
        h += 1
        s = st_all[k]
        i = j if R == 1 else j // R
        rep = j - i * R
        c = np.int64(cell[i]) + rep * n_cells
        rt = np.int64(route[i]) + rep * n_routes
        if s == ON:
            if ev == ON_WORK:
                if prog[j] == TRIAL:
                    acc[ai[A_TRIAL_CONTRACTS], c] += 1
                acc[ai[A_EXITS_WORK], c] += 1
                curves_t[rt, ci[C_EXITS_WORK]] += 1
                move(j, i, rep, c, rt, s, WORK, e)
                leavers(c, e)
            elif ev == ON_OTHER:
                acc[ai[A_EXITS_OTHER], c] += 1
                curves_t[rt, ci[C_EXITS_OTHER]] += 1
                move(j, i, rep, c, rt, s, OFF, e)
                leavers(c, e)
            elif ev == ON_GONE:
                acc[ai[A_EXITS_GONE], c] += 1
                move(j, i, rep, c, rt, s, GONE, e)
                leavers(c, e)
            elif ev == ON_UP:
                if ladder[j] == 4:
                    acc[ai[A_PART_TIME], c] += rem
                ladder[j] += 1
            elif ev == ON_DOWN:
                if ladder[j] == 5:
                    acc[ai[A_PART_TIME], c] -= rem
                ladder[j] -= 1
            else:  # breach: a sanction from next month (engine._sanction)
                sanc = np.int64(sanc_end[j])
                if sanc > 0:
                    red_end = sanc - sem + sm
                    if red_end > e:
                        acc[ai[A_MONTHS_SANCTION], c] -= min(red_end, H) - e
                acc[ai[A_MONTHS_SANCTION], c] += min(sm, H - e)
                acc[ai[A_SANCTIONS], c] += 1
                sanc_end[j] = e + sem
                curves_t[rt, ci[C_SANCTIONS]] += 1
        elif s == WORK or s == OFF:  # noqa: SIM109 - plain comparisons for Numba
            if ev == OFF_RETURN:
                sn = np.int64(since[j])
                d = e - sn
                if s == WORK and d < 12 and sn + 12 <= H:
                    acc[ai[A_RETURNS_12M_WORK], c] += 1
                if d < 6 and sn + 6 <= H:
                    acc[ai[A_RETURNS_6], c] += 1
                if d < 12 and sn + 12 <= H:
                    acc[ai[A_RETURNS_12], c] += 1
                if d < 24 and sn + 24 <= H:
                    acc[ai[A_RETURNS_24], c] += 1
                acc[ai[A_RETURNS], c] += 1
                curves_t[rt, ci[C_RETURNS]] += 1
                move(j, i, rep, c, rt, s, ON, e)
            else:
                acc[ai[A_GONE_OFF], c] += 1
                move(j, i, rep, c, rt, s, GONE, e)
        elif s == BASIC_JOB:
            if ev == JOB_WORK:
                acc[ai[A_EXITS_WORK_JOB], c] += 1
                curves_t[rt, ci[C_EXITS_WORK]] += 1
                move(j, i, rep, c, rt, s, WORK, e)
                leavers(c, e)
            elif ev == JOB_DROP:
                move(j, i, rep, c, rt, s, ON, e)
            else:
                acc[ai[A_GONE_OFF], c] += 1
                move(j, i, rep, c, rt, s, GONE, e)
                leavers(c, e)
    refresh(hit, t + 1, True, ub, next_due, durable_at, person, lanes, bound, scalars, edges, age_edges)
    return hit


@_jit
def _philox(c0, k0, k1):
    """Philox4x64-10 of the counter (c0, 0, 0, 0) under the key (k0, k1): the four uint64 of one block."""
    c1 = c2 = c3 = np.uint64(0)
    m0, m1 = np.uint64(PHILOX_M0), np.uint64(PHILOX_M1)
    w0, w1 = np.uint64(PHILOX_W0), np.uint64(PHILOX_W1)
    for r in range(10):
        if r > 0:
            k0 = k0 + w0
            k1 = k1 + w1
        hi0, lo0 = _mulhilo(m0, c0)
        hi1, lo1 = _mulhilo(m1, c2)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


@_jit
def screen(k0, k1s, n, ub):
    """The month's event draws of persons 0..n-1 in every replication r of a batch (key (k0, k1s[r]): rng.key)
    compared with their screening bound at once: the flat indexes j = person * R + r with draw <= ub[j], and their
    draws. The draws are rng.uint32's, bit for bit: NumPy's Philox raises the counter before each block, so the
    persons 8b..8b+7 come from counter b + 1, two uint32 per uint64, the low half first."""
    R = k1s.shape[0]
    cand = np.empty(n * R, dtype=np.int64)
    draws = np.empty(n * R, dtype=np.uint32)
    m = 0
    low = np.uint64(0xFFFFFFFF)
    for b in range((n + 7) // 8):
        for r in range(R):
            x0, x1, x2, x3 = _philox(np.uint64(b + 1), k0, k1s[r])
            for q in range(4):
                x = x0 if q == 0 else (x1 if q == 1 else (x2 if q == 2 else x3))
                for h in range(2):
                    p = 8 * b + 2 * q + h
                    if p < n:
                        u = np.uint32((x >> np.uint64(32 * h)) & low)
                        j = p * R + r
                        if u <= ub[j]:
                            cand[m] = j
                            draws[m] = u
                            m += 1
    return cand[:m], draws[:m]


ORDER_RANDOM, ORDER_LONGEST, ORDER_SHORTEST = range(3)  # engine.Batch.choose's orders, as codes


@_jit
def _heap_down(hp, hi, lo, size, pos):
    """Sift the entry at pos down in the max-heap hp/hi[lo : lo + size] (ordered by (priority, person))."""
    while True:
        c = 2 * pos + 1
        if c >= size:
            return
        if c + 1 < size and (
            hp[lo + c + 1] > hp[lo + c] or (hp[lo + c + 1] == hp[lo + c] and hi[lo + c + 1] > hi[lo + c])
        ):
            c += 1
        a, b = lo + pos, lo + c
        if hp[b] > hp[a] or (hp[b] == hp[a] and hi[b] > hi[a]):
            hp[a], hp[b] = hp[b], hp[a]
            hi[a], hi[b] = hi[b], hi[a]
            pos = c
        else:
            return


@_jit
def choose(eligible, R, places, since, key, order):
    """engine.Batch.choose for every replication of a batch at once: among the eligible flat indexes (sorted), in
    each lane r the places[r] persons with the best priority, i.e. the smallest (priority, person) pairs (the same
    choice: ties by person number), kept in a bounded max-heap per lane. Returns the chosen flat indexes, sorted."""
    offset = np.zeros(R + 1, dtype=np.int64)
    for r in range(R):
        offset[r + 1] = offset[r] + max(places[r], 0)
    hp = np.empty(offset[R], dtype=np.int64)
    hi = np.empty(offset[R], dtype=np.int64)
    size = np.zeros(R, dtype=np.int64)
    for x in range(eligible.shape[0]):
        j = eligible[x]
        i = j if R == 1 else j // R
        r = j - i * R
        lo = offset[r]
        k = offset[r + 1] - lo
        if k == 0:
            continue
        if order == ORDER_RANDOM:
            p = np.int64(key[j])
        else:
            sn = np.int64(since[j]) + 40000
            p = ((sn if order == ORDER_LONGEST else 80000 - sn) << 32) | np.int64(key[j])
        n = size[r]
        if n < k:  # room: add it and sift it up
            pos = n
            hp[lo + pos], hi[lo + pos] = p, i
            while pos > 0:
                up = (pos - 1) // 2
                if hp[lo + pos] > hp[lo + up] or (hp[lo + pos] == hp[lo + up] and hi[lo + pos] > hi[lo + up]):
                    hp[lo + pos], hp[lo + up] = hp[lo + up], hp[lo + pos]
                    hi[lo + pos], hi[lo + up] = hi[lo + up], hi[lo + pos]
                    pos = up
                else:
                    break
            size[r] = n + 1
        elif p < hp[lo] or (p == hp[lo] and i < hi[lo]):  # better than the worst chosen so far: replace it
            hp[lo], hi[lo] = p, i
            _heap_down(hp, hi, lo, n, 0)
    total = 0
    for r in range(R):
        total += size[r]
    out = np.empty(total, dtype=np.int64)
    h = 0
    for r in range(R):
        for x in range(size[r]):
            out[h] = hi[offset[r] + x] * R + r
            h += 1
    out.sort()
    return out


__all__ = [
    "KERNELS",
    "apply",
    "available",
    "choose",
    "default",
    "events",
    "probabilities",
    "refresh",
    "resolve",
    "screen",
]
