"""The vectorised microsimulation: one step per month over NumPy columns, no Python loop over persons.

The model (docs/simulation.md has it in words)
    States: WAITING (applies later), ON benefit, BASIC_JOB (a subsidised job of the second labour market, off
    benefit), WORK (left for work), OFF (left for another reason; may come back), GONE (state pension at 67, moved
    away, another benefit, death: out of view for good).
    Each month, in this order:
      1. entries: the stock at month 0, then each month's applicants (population.entry_month);
      2. due things (the state pension, the end of a programme, trial or basic job, the 12-month durability check;
         the ends of a sanction's effect, a wage subsidy or a job coach change hazards only and need no step);
      3. allocation (capacity-limited, `Batch.allocate`): cohort invitations (cohorts of `cohort.size`
         every `cohort.pace_months`), tegenprestatie places, intensive coaching places, trial placements,
         basic-job places, and the caseworker contact capacity of each team (pool);
      4. events: one competing-risk draw per person (rng.EVENT): for someone on benefit an exit to work, an exit
         for another reason, leaving for good, a ladder step up or down, or a breach that leads to a sanction;
         off benefit a return (or leaving for good); in a basic job a move to regular work, dropping out or
         leaving. Events take effect from the next month.
    A month's monthly probabilities are the scenario's base hazards times multipliers (model docs below); when
    they add up to more than 1 they are scaled down to sum 1. The draw u (uint32) picks event j when
    floor(c_{j-1} 2^32) <= u < floor(c_j 2^32) with c the cumulative probabilities in the fixed order of
    ON_EVENTS / OFF_EVENTS / JOB_EVENTS.

Speed without changing a single draw: every person carries an upper bound `ub` of this month's total event
probability (kept valid by recomputing it whenever a factor changes, and by bounding the factors that drift, the
duration band, age class and caseworker capacity, with their largest future value). Only the persons with
u <= ub (a few percent) are resolved exactly; the others cannot have an event. The result is the same as
resolving everyone exactly (tests/simulation compare with the one-person-at-a-time reference.py).

Replications run in batches (`Batch`, `Lanes`): R copies of the population side by side, person-major, each with
its own draws, capacity and counts, so that NumPy's per-call cost is shared; the results are those of running
each replication alone.

Accounting is by cell (route x segment x age band x household x district x start, see `Prepared.cell`) with the
"remaining horizon" trick: entering a spell at month s adds H - s months to the cell, leaving at month e subtracts
H - e, so that every spell counts its months inside the horizon without a per-person counter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trede.simulation import kernel as K
from trede.simulation import rng as R
from trede.simulation.population import ADULT_MONTHS, PENSION_MONTHS, Population, scale
from trede.simulation.scenario import (
    DURATION_EDGES,
    HOUSEHOLDS,
    ORDERS,
    POOLS,
    ROUTES,
    SEGMENTS,
    Scenario,
)

MAX_HORIZON = 240  # months (20 years): month numbers and counters fit in int16
INF = np.int16(32767)
WAITING, ON, BASIC_JOB, WORK, OFF, GONE = range(6)
STATES = ("waiting", "on_benefit", "basic_job", "work", "off_other", "gone")
NONE, COHORT, TEGEN, COACHING, TRIAL = range(5)
PROGRAMMES = ("none", "cohort", "tegenprestatie", "coaching", "trial")
BASIC_JOB_PROGRAMME = 5  # for allocation only: basic jobs are a state, not a programme
ALLOCATION_ORDER = (COHORT, TEGEN, COACHING, TRIAL, BASIC_JOB_PROGRAMME)
# The order of the events on the unit interval of the month's draw: what scenarios change most comes last, so that a
# change in one hazard moves as few other events as possible (common random numbers stay in step). Work comes before
# the step up the ladder: both change with contact, and so a person's exit to work starts at the same point of the
# interval in every scenario (only its length changes; measured: the variance of a paired difference in the outflow
# to work falls from an 8-fold to a 10-fold-plus reduction against independent seeds).
ON_EVENTS = ("gone", "down", "other", "breach", "work", "up")
OFF_EVENTS = ("gone", "return")
JOB_EVENTS = ("gone", "drop_out", "work")
ON_COL = {name: k for k, name in enumerate(ON_EVENTS)}
OFF_COL = {name: k for k, name in enumerate(OFF_EVENTS)}
JOB_COL = {name: k for k, name in enumerate(JOB_EVENTS)}
AGE_EDGES_MONTHS = np.array([27 * 12, 50 * 12, 60 * 12], dtype=np.int32)  # hazard age classes 18-26/27-49/50-59/60+
EDGES = np.array(DURATION_EDGES, dtype=np.int32)
PREFILTER_FROM = 4096  # allocation: rank all eligible persons up to this many, else only those inside a cut-off
BATCH_PEOPLE = 400_000  # replications run together until their lanes hold about this many persons (speed only)
BATCH_CELLS = 300_000  # ... and their accumulators at most this many cells (memory: 35 sums of 8 bytes each)
MIN_CONTACTS_PER_YEAR = 1.0  # assumption: even without planned contacts a client is seen about once a year
KEY_ORDER, KEY_WILLING, KEY_SUBSIDY, KEY_COACH = range(R.KEY_LANES)
# Per person and replication, the columns only the persons changed in a month touch (Batch); per person, the
# constants the kernel reads (Prepared). 16 and 8 bytes: a cache line holds whole records.
RECORD = np.dtype(
    [("prog_end", "<i2"), ("sanc_end", "<i2"), ("ws_end", "<i2"), ("jc_end", "<i2"), ("durable_at", "<i2"),
     ("ws_trait", "?"), ("jc_trait", "?"), ("spare", "<i4")]
)  # fmt: skip
CONSTANTS = np.dtype([("cell", "<i4"), ("born", "<i2"), ("kind", "i1"), ("route", "i1")])

# Accumulators per cell (sums over persons and months). Months are counted inside the horizon.
ACC = (
    "months_on",  # months on benefit
    "months_sanction",  # months with a benefit reduction
    "months_part_time",  # months on benefit at ladder step 5 (part-time work beside the benefit)
    "months_basic_job",
    "months_work",  # months off benefit after leaving for work
    "months_off",  # months off benefit after leaving for another reason
    "months_cohort",
    "months_tegenprestatie",
    "months_coaching",
    "months_trial",
    "months_wage_subsidy",
    "months_job_coaching",
    "exits_work",  # from benefit to work
    "exits_work_job",  # from a basic job to regular work
    "exits_work_followed",  # exits to work (either) with 12 months left inside the horizon
    "durable",  # of those: still off benefit 12 months later (same spell)
    "exits_other",  # from benefit, another reason (may come back)
    "exits_gone",  # from benefit, for good (moved away, another benefit, death)
    "exits_pension",  # from benefit at state-pension age
    "basic_job_starts",  # from benefit into a basic job
    "gone_off",  # left for good while off benefit or in a basic job (incl. pension)
    "returns",  # came back on benefit
    "returns_12m_work",  # came back within 12 months after leaving for work (of exits_work_followed)
    "leavers_6",  # exits to work, another reason or for good (not pension) with 6 months inside the horizon
    "leavers_12",
    "leavers_24",
    "returns_6",  # of those: back within 6 months
    "returns_12",
    "returns_24",
    "sanctions",
    "trials",
    "trial_contracts",
    "invited",  # cohort invitations
    "entries",  # the stock at month 0 and the applicants
)
RETURN_WINDOWS = (6, 12, 24)
DURATION_PROFILE = (12, 24, 60, 120)  # end-of-horizon caseload by months on benefit: <12, 12-23, 24-59, 60-119, 120+
A = {name: k for k, name in enumerate(ACC)}
CURVES = (
    "on_benefit",
    "basic_job",
    "work",
    "off_other",
    "gone",
    "exits_work",
    "exits_other",
    "returns",
    "sanctions",
    "entries",
)
C = {name: k for k, name in enumerate(CURVES)}
_ACC_USED = np.array([A[name] for name in K.ACC_USED], dtype=np.int64)  # rows of acc that kernel.apply uses
_CURVES_USED = np.array([C[name] for name in K.CURVES_USED], dtype=np.int64)
# kernel.py repeats the codes (it imports nothing from here): they must agree.
assert [WAITING, ON, BASIC_JOB, WORK, OFF, GONE, NONE, TRIAL, int(INF)] == [
    K.WAITING, K.ON, K.BASIC_JOB, K.WORK, K.OFF, K.GONE, K.NONE, K.TRIAL, K.BIG
]  # fmt: skip
assert [ON_COL[e] for e in ("gone", "down", "other", "breach", "work", "up")] == list(range(6)) == [
    K.ON_GONE, K.ON_DOWN, K.ON_OTHER, K.ON_BREACH, K.ON_WORK, K.ON_UP
]  # fmt: skip
assert tuple(RETURN_WINDOWS) == K.RETURN_WINDOWS and PROGRAMMES[1:] == tuple(
    name.removeprefix("months_") for name in K.ACC_USED[K.A_MONTHS_COHORT : K.A_MONTHS_TRIAL + 1]
)
assert [OFF_COL["gone"], OFF_COL["return"], JOB_COL["gone"], JOB_COL["drop_out"], JOB_COL["work"]] == [
    K.OFF_GONE, K.OFF_RETURN, K.JOB_GONE, K.JOB_DROP, K.JOB_WORK
]  # fmt: skip


class Model:
    """A scenario compiled for one population and horizon: numbers and small arrays, shared by all replications."""

    def __init__(self, scenario: Scenario, prep: Prepared, horizon: int) -> None:
        population = prep.population
        if not 1 <= horizon <= MAX_HORIZON:
            raise ValueError(f"the horizon is 1 to {MAX_HORIZON} months, not {horizon}")
        s = scenario
        self.scenario = scenario
        self.horizon = horizon
        f = np.float64

        def arr(path: str) -> np.ndarray:
            return np.asarray(s[path], dtype=f)

        self.work_seg = arr("hazards.work.segment")
        self.work_dur = arr("hazards.work.duration")
        self.work_lad = arr("hazards.work.ladder")
        self.work_age = arr("hazards.work.age")
        self.work_exempt = float(s["hazards.work.exempt"])
        self.other_seg = arr("hazards.other.segment")
        self.other_dur = arr("hazards.other.duration")
        self.other_age = arr("hazards.other.age")
        self.gone_age = arr("hazards.gone.age")
        self.gone_off = float(s["hazards.gone.off_benefit"])
        self.up = np.array([*s["hazards.ladder.up"], 0.0], dtype=f)  # by step 1..5 (no step up from 5 on benefit)
        self.down = np.array([0.0, *s["hazards.ladder.down"]], dtype=f)  # by step 1..5
        self.ret_work = arr("hazards.returns.work")
        self.ret_other = arr("hazards.returns.other")
        # Caseworkers per team (pool), fixed at the start from the stock and the caseload norm.
        stock = population.entry_month == 0
        pool = prep.pool
        counts = np.bincount(pool[stock], minlength=len(POOLS)).astype(f)
        per = np.array([s[f"service.{p}.clients_per_caseworker"] for p in POOLS], dtype=f)
        self.staff_fte = counts / per
        self.capacity = self.staff_fte * float(s["service.contacts_per_fte_month"])  # contacts a month
        self.desired = np.array([s[f"service.{p}.contacts_per_year"] for p in POOLS], dtype=f)
        self.reference = np.array([s[f"effects.contacts.reference.{p}"] for p in POOLS], dtype=f)
        self.e_work = float(s["effects.contacts.work_elasticity"])
        self.e_ladder = float(s["effects.contacts.ladder_elasticity"])
        top = np.maximum(self.desired, MIN_CONTACTS_PER_YEAR) / self.reference
        self.service_work_max = top**self.e_work
        self.service_up_max = top**self.e_ladder
        # Sanctions
        self.sanctions_on = s["sanctions.regime"] != "none"
        self.breach = float(s["sanctions.breach_per_month"]) * float(s["sanctions.culpable_share"])
        self.sanction_months = int(s["sanctions.months"])
        self.sanction_reduction = float(s["sanctions.reduction"])
        self.sanction_effect_months = int(s["sanctions.effect_months"])
        self.sanction_work = float(s["sanctions.work_effect"])
        # Exemptions
        self.policy_exempt = s["exemption.policy"] == "everyone"
        self.exemption_work = float(s["exemption.work_effect"])
        self.part_time_effect = float(s["exemption.part_time_effect"])
        # Programmes: multipliers by programme (none, cohort, tegenprestatie, coaching, trial)
        self.prog_work = np.array(
            [1.0, s["cohort.work_effect"], s["tegenprestatie.work_effect"], s["coaching.work_effect"], 1.0], dtype=f
        )
        self.prog_up = np.array(
            [1.0, s["cohort.ladder_effect"], s["tegenprestatie.ladder_effect"], s["coaching.ladder_effect"], 0.0],
            dtype=f,
        )
        self.prog_down = np.array([1.0, 1.0, 1.0, 1.0, 0.0], dtype=f)
        self.prog_breach = np.array(
            [1.0, s["cohort.breach_effect"], s["tegenprestatie.breach_effect"], 1.0, 1.0], dtype=f
        )
        tp_required = s["tegenprestatie.regime"] == "enforced"
        self.prog_other = np.array(
            [1.0, 1.0, s["tegenprestatie.other_effect"] if tp_required else 1.0, 1.0, 1.0], dtype=f
        )
        if not tp_required:
            self.prog_breach[TEGEN] = 1.0  # a voluntary tegenprestatie is no obligation to breach
        self.prog_months = np.array(
            [0, s["cohort.months"], s["tegenprestatie.months"], s["coaching.months"], s["trial.months"]], dtype=np.int16
        )
        self.prog_cost = np.array(
            [
                0.0,
                s["cohort.cost_per_month"],
                s["tegenprestatie.cost_per_month"],
                s["coaching.cost_per_month"],
                s["trial.cost_per_month"],
            ],
            dtype=f,
        )
        self.trial_conversion = float(s["trial.conversion"])
        n_stock = int(stock.sum())
        self.cohort_on = bool(s["cohort.enabled"]) and s["cohort.size"] > 0
        self.cohort_size = scale(s["cohort.size"], s["cohort.reference_caseload"], n_stock)
        self.cohort_pace = int(s["cohort.pace_months"])
        self.cohort_start = int(s["cohort.start_month"])
        self.cohort_routes = _mask(s["cohort.routes"], ROUTES)
        self.cohort_exclude_exempt = bool(s["cohort.exclude_exempt"])
        self.cohort_min = int(s["cohort.min_months_on_benefit"])
        self.cohort_order = s["cohort.order"]
        self.tp_regime = s["tegenprestatie.regime"]
        self.tp_routes = _mask(s["tegenprestatie.routes"], ROUTES)
        self.tp_min = int(s["tegenprestatie.min_months_on_benefit"])
        self.tp_places = int(np.floor(s["tegenprestatie.places_per_1000"] * n_stock / 1000 + 0.5))
        self.tp_take_up = float(s["tegenprestatie.take_up"])
        self.coach_places = scale(s["coaching.places"], s["coaching.reference_caseload"], n_stock)
        self.coach_segments = _mask(s["coaching.segments"], SEGMENTS)
        self.coach_order = s["coaching.order"]
        self.trial_places = scale(s["trial.places"], s["trial.reference_caseload"], n_stock)
        self.trial_routes = _mask(s["trial.routes"], ROUTES)
        self.trial_min_ladder = int(s["trial.min_ladder"])
        self.trial_order = s["trial.order"]
        self.ws_share = float(s["wage_subsidy.share"])
        self.ws_segments = _mask(s["wage_subsidy.segments"], SEGMENTS)
        self.ws_months = int(s["wage_subsidy.months"])
        self.ws_cost = float(s["wage_subsidy.monthly_eur"])
        self.ws_work = float(s["wage_subsidy.work_effect"])
        self.ws_return = float(s["wage_subsidy.return_effect"])
        self.jc_share = float(s["job_coaching.share"])
        self.jc_months = int(s["job_coaching.months"])
        self.jc_return = float(s["job_coaching.return_effect"])
        self.jc_cost = float(s["job_coaching.cost_per_month"])
        self.bj_places = scale(s["basic_jobs.places"], s["basic_jobs.reference_caseload"], n_stock)
        self.bj_segments = _mask(s["basic_jobs.segments"], SEGMENTS)
        self.bj_min = int(s["basic_jobs.min_months_on_benefit"])
        self.bj_order = s["basic_jobs.order"]
        self.bj_months = int(s["basic_jobs.months"])
        self.bj_cost = float(s["basic_jobs.monthly_cost_eur"])
        self.bj_to_work = float(s["basic_jobs.to_work_per_month"])
        self.bj_conversion = float(s["basic_jobs.conversion"])
        self.bj_drop = float(s["basic_jobs.drop_out_per_month"])
        # Costs
        self.benefit = np.array([s[f"costs.benefit_per_month.{h}"] for h in HOUSEHOLDS], dtype=f)
        self.part_time_share = float(s["costs.part_time_benefit_share"])
        self.staff_cost_year = float(s["costs.staff_per_fte_year"])
        # Bounds for the factors that drift with time: the largest value from here on.
        self.work_dur_ub = _suffix_max(self.work_dur)
        self.other_dur_ub = _suffix_max(self.other_dur)
        self.work_age_ub = _suffix_max(self.work_age)
        self.other_age_ub = _suffix_max(self.other_age)
        self.gone_age_ub = _suffix_max(self.gone_age)
        self.ret_work_ub = _suffix_max(self.ret_work)
        self.ret_other_ub = _suffix_max(self.ret_other)
        # Per-person constants of this scenario (the formula's static factors, in its order; see probabilities).
        ind = prep.exempt
        self.pol = (np.full(prep.n, self.policy_exempt) & ~ind) if self.policy_exempt else np.zeros(prep.n, bool)
        exf = np.where(ind, self.work_exempt, np.where(self.pol, self.exemption_work, 1.0))
        self.s_work = self.work_seg[prep.segment] * exf  # times the wage-subsidy factor per replication
        self.s_other = self.other_seg[prep.segment]
        obliged = ~(ind | self.pol) & self.sanctions_on
        self.s_breach = np.where(obliged, self.breach, 0.0)
        self.s_part_time = np.where(self.pol, self.part_time_effect, 1.0)
        # The same constants by Prepared.kind (the kernel's compact form): computed with the same operations, so
        # they are bit-identical to the per-person arrays above.
        kinds = np.arange(len(POOLS) * len(SEGMENTS) * 2)
        k_ind = kinds % 2 == 1
        k_seg = (kinds // 2) % len(SEGMENTS)
        k_pol = (np.full(len(kinds), self.policy_exempt) & ~k_ind) if self.policy_exempt else np.zeros(len(kinds), bool)
        k_exf = np.where(k_ind, self.work_exempt, np.where(k_pol, self.exemption_work, 1.0))
        self.kind_tables = (
            self.work_seg[k_seg] * k_exf,
            self.other_seg[k_seg],
            np.where(~(k_ind | k_pol) & self.sanctions_on, self.breach, 0.0),
            np.where(k_pol, self.part_time_effect, 1.0),
            (kinds // (2 * len(SEGMENTS))).astype(np.int64),  # the team (pool)
        )
        exempt_any = ind | self.policy_exempt
        route, seg = prep.route, prep.segment
        cohort = self.cohort_routes[route]
        if self.cohort_exclude_exempt:
            cohort = cohort & ~exempt_any
        tegen = self.tp_routes[route]
        if self.tp_regime == "enforced":
            tegen = tegen & ~exempt_any
        self.eligible_static = {
            COHORT: cohort,
            TEGEN: tegen,
            COACHING: self.coach_segments[seg],
            TRIAL: self.trial_routes[route] & ~ind,
            BASIC_JOB_PROGRAMME: self.bj_segments[seg],
        }
        self.min_months = {
            COHORT: self.cohort_min,
            TEGEN: self.tp_min,
            COACHING: 0,
            TRIAL: 0,
            BASIC_JOB_PROGRAMME: self.bj_min,
        }
        self.order = {
            COHORT: self.cohort_order,
            TEGEN: "random",
            COACHING: self.coach_order,
            TRIAL: self.trial_order,
            BASIC_JOB_PROGRAMME: self.bj_order,
        }

    def service(self, on_pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """This month's contact multipliers per pool (work exit, ladder up) from the clients on benefit per pool:
        contacts achieved = min(desired, capacity * 12 / clients), at least MIN_CONTACTS_PER_YEAR; the multiplier
        is (achieved / reference) ** elasticity."""
        clients = np.maximum(on_pool.astype(np.float64), 1.0)
        achieved = np.minimum(self.desired, self.capacity * 12.0 / clients)
        ratio = np.maximum(achieved, MIN_CONTACTS_PER_YEAR) / self.reference
        return ratio**self.e_work, ratio**self.e_ladder


def _mask(values, labels) -> np.ndarray:
    return np.array([label in values for label in labels], dtype=bool)


def _suffix_max(a: np.ndarray) -> np.ndarray:
    return np.maximum.accumulate(a[::-1])[::-1].copy()


def pool_of(pop: Population) -> np.ndarray:
    """The caseworker team of each person: the route at the start; without a route, participation when far from
    work, else the work team. A client stays with that team (also after turning 27)."""
    route = pop.route
    pool = np.where(
        route == ROUTES.index("work"),
        POOLS.index("work"),
        np.where(
            route == ROUTES.index("participation"),
            POOLS.index("participation"),
            np.where(route == ROUTES.index("youth"), POOLS.index("youth"), -1),
        ),
    )
    pool = np.where(pool < 0, np.where(pop.segment == 2, POOLS.index("participation"), POOLS.index("work")), pool)
    return pool.astype(np.int8)


@dataclass(frozen=True)
class Cells:
    """The grouping of results: each person's cell, and each cell's route, segment, age band, household,
    district and start."""

    cell: np.ndarray  # int32 per person
    shape: tuple[int, ...]  # (routes, segments, age bands, households, districts, starts)
    names: tuple[str, ...] = ("route", "segment", "age_band", "household", "district", "start")

    @property
    def n(self) -> int:
        return int(np.prod(self.shape))

    def coords(self) -> np.ndarray:
        """(n_cells, 6) index of every cell in each dimension."""
        return np.stack(np.unravel_index(np.arange(self.n), self.shape), axis=1)


def cells_of(pop: Population) -> Cells:
    shape = (len(ROUTES), len(SEGMENTS), 6, len(HOUSEHOLDS), max(1, len(pop.districts)), 2)
    cell = np.ravel_multi_index(
        (
            pop.route.astype(np.int64),
            pop.segment.astype(np.int64),
            pop.age_band.astype(np.int64),
            pop.household.astype(np.int64),
            pop.district.astype(np.int64),
            pop.start.astype(np.int64),
        ),
        shape,
    ).astype(np.int32)
    return Cells(cell=cell, shape=shape)


class Prepared:
    """A population with the per-person constants the engine needs (shared by every replication and scenario)."""

    def __init__(self, population: Population) -> None:
        pop = population
        self.population = pop
        self.n = pop.n
        self.entry = pop.entry_month.astype(np.int16)
        self.segment = pop.segment
        self.route = pop.route
        self.pool = pool_of(pop)
        self.household = pop.household
        self.ladder0 = pop.ladder
        self.duration0 = pop.duration
        self.exempt = pop.exempt
        age0 = pop.age_months.astype(np.int32)
        entry = pop.entry_month.astype(np.int32)
        self.age0 = age0
        # For the kernel, side by side in one record per person (see RECORD): the month of birth (age in month t:
        # t - born), the cell, the route and the kind (below).
        self.const = const = np.zeros(pop.n, dtype=CONSTANTS)
        const["born"] = entry - age0
        # Month of the state pension (may be <= the entry month: then at once).
        self.pension = np.clip(entry + PENSION_MONTHS - age0, -1, INF).astype(np.int16)
        self.cells = cells_of(pop)
        self.cell = self.cells.cell
        # The kernel's compact code of the per-person constants of a scenario (Model.kind_tables): team, distance
        # to work and an individual exemption, so that it reads one byte per person instead of four floats.
        const["kind"] = (self.pool.astype(np.int16) * len(SEGMENTS) + pop.segment) * 2 + pop.exempt
        const["cell"], const["route"] = self.cell, pop.route
        # First and last person (exclusive) entering at each month: entrants are sorted by month.
        self.entry_end = np.searchsorted(pop.entry_month, np.arange(MAX_HORIZON + 1), side="right")
        if np.any(age0 < ADULT_MONTHS):
            raise ValueError("everyone in the population must be 18 or older")

    # Views of the record (properties, so that a pickled copy keeps them side by side)
    born = property(lambda self: self.const["born"])
    kind = property(lambda self: self.const["kind"])
    k_cell = property(lambda self: self.const["cell"])
    k_route = property(lambda self: self.const["route"])


@dataclass
class RepResult:
    """What one replication of one scenario returns: sums per cell, the end state per cell, curves per month."""

    acc: np.ndarray  # (len(ACC), n_cells) int64
    end_state: np.ndarray  # (n_cells, len(STATES)) int64: persons per state after the last month
    end_ladder: np.ndarray  # (n_cells, 6) int64: persons on benefit per ladder step 1-5 at the end; [:, 0] unused
    curves: np.ndarray  # (horizon, len(ROUTES), len(CURVES)) int64
    pool_months: np.ndarray  # (len(POOLS),) int64: client-months on benefit per team
    end_duration: np.ndarray  # (len(DURATION_PROFILE) + 1,) int64: on benefit at the end by months on benefit


class Lanes:
    """The per-person constants of a batch of R replications, laid out person-major: flat index j = i * R + r
    is person i in replication r (so the persons who have entered by month t are still a prefix). The cell, route
    and pool codes carry the replication (code + r * size), so that one bincount serves all replications."""

    def __init__(self, model: Model, prep: Prepared, reps: int) -> None:
        self.R = reps
        self.n = prep.n * reps

        def tile(a: np.ndarray) -> np.ndarray:
            return a if reps == 1 else np.repeat(a, reps)

        rep_of = np.tile(np.arange(reps, dtype=np.int64), prep.n) if reps > 1 else np.zeros(prep.n, np.int64)
        self.rep_of = rep_of
        self.n_cells = prep.cells.n
        self.cell = tile(prep.cell).astype(np.int64) + rep_of * self.n_cells
        self.route = tile(prep.route).astype(np.int64) + rep_of * len(ROUTES)
        self.pool = tile(prep.pool).astype(np.int64) + rep_of * len(POOLS)
        self.segment = tile(prep.segment)
        self.entry = tile(prep.entry)
        self.age0 = tile(prep.age0)
        self.pension = tile(prep.pension)
        self.exempt = tile(prep.exempt)
        self.duration0 = tile(prep.duration0)
        self.ladder0 = tile(prep.ladder0)
        self.s_work = tile(model.s_work)
        self.s_other = tile(model.s_other)
        self.s_breach = tile(model.s_breach)
        self.s_part_time = tile(model.s_part_time)
        self.eligible_static = {k: tile(v) for k, v in model.eligible_static.items()}
        self.entry_end = prep.entry_end * reps


class Batch:
    """Some replications of one scenario, run together: the monthly loop over the columns of R copies of the
    population (Lanes). Every replication draws its own random numbers (rng keyed on its number), keeps its own
    capacity and counts, and gives its own RepResult: the batching changes nothing in the results.

    kernel: "numba" runs the refresh of the screening bound and the resolution of the event draws compiled
    (kernel.py), "numpy" in NumPy; None takes Numba when it imports. Both give identical results."""

    def __init__(
        self,
        model: Model,
        prep: Prepared,
        seed: int,
        replications: list[int] | range,
        *,
        chunk: int | None = None,
        kernel: str | None = None,
    ) -> None:
        self.kernel = K.resolve(kernel)
        self.m = model
        self.p = prep
        self.seed = seed
        self.reps = [int(r) for r in replications]
        self.R = len(self.reps)
        self.chunk = chunk
        self.L = L = Lanes(model, prep, self.R)
        n = L.n
        self.H = model.horizon
        self.state = np.zeros(n, dtype=np.int8)
        self.since = np.zeros(n, dtype=np.int16)  # first month of the current spell (stock: -months on benefit)
        self.ladder = L.ladder0.copy()
        self.prog = np.zeros(n, dtype=np.int8)
        # The columns that only the changed persons of a month touch (a few percent, scattered) lie side by side
        # in one record per person, so that touching a person reads one cache line instead of one per column;
        # the columns that every month scans in full stay arrays of their own. (Speed only: these are views.)
        rec = np.zeros(n, dtype=RECORD)
        self.prog_end = rec["prog_end"]  # programme, trial or basic job: first month after it
        self.sanc_end = rec["sanc_end"]  # first month after the sanction's effect window (0: none)
        self.ws_end = rec["ws_end"]
        self.jc_end = rec["jc_end"]
        self.durable_at = rec["durable_at"]
        self.durable_at[:] = INF
        self.next_due = np.full(n, INF, dtype=np.int16)
        self.ub = np.zeros(n, dtype=np.uint32)
        self.invited = np.zeros(n, dtype=bool)
        keys = np.stack([R.person_keys(seed, r, prep.n) for r in self.reps], axis=2).reshape(R.KEY_LANES, n)
        self.key_order = keys[KEY_ORDER]
        self.willing = keys[KEY_WILLING] < R.threshold(model.tp_take_up)
        self.ws_trait = rec["ws_trait"]
        self.ws_trait[:] = (keys[KEY_SUBSIDY] < R.threshold(model.ws_share)) & model.ws_segments[L.segment]
        self.jc_trait = rec["jc_trait"]
        self.jc_trait[:] = keys[KEY_COACH] < R.threshold(model.jc_share)
        self.s_work = L.s_work * np.where(self.ws_trait, model.ws_work, 1.0)
        self.n_cells = L.n_cells * self.R  # cells of all replications (cell + r * n_cells)
        self.acc = np.zeros((len(ACC), self.n_cells), dtype=np.int64)
        self.curves = np.zeros((self.H, len(ROUTES) * self.R, len(CURVES)), dtype=np.int64)
        self.count = np.zeros((len(ROUTES) * self.R, len(STATES)), dtype=np.int64)  # persons per route and state
        self.on_pool = np.zeros(len(POOLS) * self.R, dtype=np.int64)
        self.prog_count = np.zeros((self.R, len(PROGRAMMES)), dtype=np.int64)
        self.n_jobs = np.zeros(self.R, dtype=np.int64)
        self.pool_months = np.zeros(len(POOLS) * self.R, dtype=np.int64)
        self.svc_work_max = np.tile(model.service_work_max, self.R)
        self.svc_up_max = np.tile(model.service_up_max, self.R)
        self.svc_work = self.svc_work_max.copy()
        self.svc_up = self.svc_up_max.copy()
        self.cut: dict[tuple[int, int], int] = {}  # allocation: the last priority cut-off per programme and lane
        self._pend_i: list[np.ndarray] = []
        self._pend_v: list[np.ndarray] = []
        self._pend_c: list[np.ndarray] = []
        self._dirty: list[np.ndarray] = []

    # ------------------------------------------------------------------------------------------------
    # Bookkeeping helpers (all on index arrays: sparse). Sums are collected and added once a month.

    def _add(self, name: str, idx: np.ndarray, values) -> None:
        if len(idx):
            self._pend_i.append(self.L.cell[idx] + A[name] * self.n_cells)
            self._pend_v.append(values if isinstance(values, np.ndarray) else np.full(len(idx), values, np.int64))

    def _curve(self, t: int, name: str, idx: np.ndarray) -> None:
        if len(idx):
            self._pend_c.append((t * self.count.shape[0] + self.L.route[idx]) * len(CURVES) + C[name])

    def _flush(self) -> None:
        if self._pend_i:
            np.add.at(self.acc.reshape(-1), np.concatenate(self._pend_i), np.concatenate(self._pend_v))
            self._pend_i, self._pend_v = [], []
        if self._pend_c:
            np.add.at(self.curves.reshape(-1), np.concatenate(self._pend_c), 1)
            self._pend_c = []

    def _move(self, idx: np.ndarray, new: int) -> None:
        """Change the state (and the counts per route and state, and the clients on benefit per pool)."""
        if not len(idx):
            return
        old = self.state[idx].astype(np.int64)
        route = self.L.route[idx] * len(STATES)
        size = self.count.size
        delta = np.bincount(route + new, minlength=size) - np.bincount(route + old, minlength=size)
        self.count += delta.reshape(self.count.shape)
        was_on = old == ON
        if was_on.any():
            self.on_pool -= np.bincount(self.L.pool[idx[was_on]], minlength=self.on_pool.size)
        if new == ON:
            self.on_pool += np.bincount(self.L.pool[idx], minlength=self.on_pool.size)
        self.state[idx] = new

    def _count_programmes(self, idx: np.ndarray, prog: np.ndarray, sign: int) -> None:
        code = self.L.rep_of[idx] * len(PROGRAMMES) + prog
        self.prog_count += sign * np.bincount(code, minlength=self.prog_count.size).reshape(self.prog_count.shape)

    def _remaining(self, e) -> np.ndarray:
        """Months from month e to the end of the horizon (>= 0)."""
        return np.maximum(self.H - np.asarray(e, dtype=np.int64), 0)

    def _enter_on(self, idx: np.ndarray, e: int, since=None) -> None:
        self._move(idx, ON)
        self.since[idx] = e if since is None else since
        rem = self._remaining(e)
        self._add("months_on", idx, rem)
        self._add("months_part_time", idx[self.ladder[idx] == 5], rem)
        self.prog[idx] = NONE
        self.sanc_end[idx] = 0

    def _leave_on(self, idx: np.ndarray, e: int) -> None:
        """Close the spell on benefit from month e: months, part-time, programme, sanction."""
        rem = self._remaining(e)
        self._add("months_on", idx, -rem)
        self._add("months_part_time", idx[self.ladder[idx] == 5], -rem)
        prog = self.prog[idx]
        inprog = prog != NONE
        if inprog.any():
            j = idx[inprog]
            pj = prog[inprog]
            self._count_programmes(j, pj, -1)
            left = np.maximum(np.minimum(self.prog_end[j].astype(np.int64), self.H) - e, 0)
            for k in np.flatnonzero(np.bincount(pj)):
                sel = pj == k
                self._add(f"months_{PROGRAMMES[k]}", j[sel], -left[sel])
            self.prog[j] = NONE
        sanc = self.sanc_end[idx]
        had = sanc > 0
        if had.any():
            j = idx[had]
            red_end = sanc[had].astype(np.int64) - self.m.sanction_effect_months + self.m.sanction_months
            cut = red_end > e
            self._add("months_sanction", j[cut], -(np.minimum(red_end[cut], self.H) - e))
            self.sanc_end[j] = 0

    def _leavers(self, idx: np.ndarray, e: int) -> None:
        """Count leavers (to work, another reason or for good) with w months of the horizon left after leaving."""
        for w in RETURN_WINDOWS:
            if e + w <= self.H:
                self._add(f"leavers_{w}", idx, 1)

    def _enter_work(self, idx: np.ndarray, e: int) -> None:
        self._move(idx, WORK)
        self.since[idx] = e
        self._add("months_work", idx, self._remaining(e))
        self._leavers(idx, e)
        if e + 12 <= self.H:
            self._add("exits_work_followed", idx, 1)
            self.durable_at[idx] = e + 12
        m = self.m
        if m.ws_months > 0:
            j = idx[self.ws_trait[idx]]
            self.ws_end[j] = e + m.ws_months
            self._add("months_wage_subsidy", j, min(m.ws_months, self.H - e))
        if m.jc_months > 0:
            j = idx[self.jc_trait[idx]]
            self.jc_end[j] = e + m.jc_months
            self._add("months_job_coaching", j, min(m.jc_months, self.H - e))

    def _leave_work(self, idx: np.ndarray, e: int) -> None:
        self._add("months_work", idx, -self._remaining(e))
        for end, name in ((self.ws_end, "months_wage_subsidy"), (self.jc_end, "months_job_coaching")):
            running = end[idx] > e
            if running.any():
                j = idx[running]
                self._add(name, j, -(np.minimum(end[j].astype(np.int64), self.H) - e))
            end[idx] = 0
        self.durable_at[idx] = INF

    def _leave_state(self, idx: np.ndarray, e: int) -> None:
        """Close whatever spell the persons are in (before a move)."""
        st = self.state[idx]
        for s in np.flatnonzero(np.bincount(st)):
            j = idx[st == s]
            if s == ON:
                self._leave_on(j, e)
            elif s == WORK:
                self._leave_work(j, e)
            elif s == OFF:
                self._add("months_off", j, -self._remaining(e))
            elif s == BASIC_JOB:
                self._add("months_basic_job", j, -self._remaining(e))
                self.n_jobs -= np.bincount(self.L.rep_of[j], minlength=self.R)

    # ------------------------------------------------------------------------------------------------
    # Probabilities (exact, or the upper bound for screening)

    def _kernel_args(self, bound: bool) -> tuple:
        """The arrays kernel.events and kernel.refresh read (see kernel.TABLES and kernel.SCALARS)."""
        m, p = self.m, self.L
        person = (
            self.state,
            self.since,
            self.ladder,
            self.prog,
            self.prog_end,
            self.sanc_end,
            self.ws_end,
            self.jc_end,
        )
        # the per-person constants once per person (prep, model), not per replication: less memory to go through
        dims = np.array([self.R, len(POOLS), len(ROUTES), p.n_cells, PENSION_MONTHS], dtype=np.int64)
        lanes = (dims, self.p.born, self.p.kind, self.ws_trait, *m.kind_tables)
        tables = (
            m.work_dur_ub if bound else m.work_dur,
            m.work_lad,
            m.work_age_ub if bound else m.work_age,
            m.prog_work,
            m.other_dur_ub if bound else m.other_dur,
            m.other_age_ub if bound else m.other_age,
            m.prog_other,
            m.gone_age_ub if bound else m.gone_age,
            m.up,
            m.prog_up,
            m.down,
            m.prog_down,
            m.prog_breach,
            m.ret_work_ub if bound else m.ret_work,
            m.ret_other_ub if bound else m.ret_other,
            self.svc_work_max if bound else self.svc_work,
            self.svc_up_max if bound else self.svc_up,
        )
        scalars = np.array([float(getattr(m, name)) for name in K.SCALARS], dtype=np.float64)
        return person, lanes, tables, scalars, EDGES, AGE_EDGES_MONTHS

    def probabilities(self, idx: np.ndarray, t: int, bound: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(state of each person, monthly event probabilities (len(idx), 6)) in the order of ON_EVENTS, OFF_EVENTS
        or JOB_EVENTS by state (unused columns 0), scaled to sum 1 where they add up to more.

        On benefit, with b the duration band, l the ladder step - 1, a the age class, q the pool, g the programme:
            work   = s_work * work_dur[b] * work_ladder[l] * work_age[a] * service_work[q] * prog_work[g] * sanction
                     (s_work = work_segment * exemption factor * wage-subsidy factor; sanction = sanction effect
                     while its window runs, else 1; in a trial: the conversion in its last month, else 0)
            other  = other_segment * other_dur[b] * other_age[a] * prog_other[g]
            gone   = gone_age[a]
            up     = ladder_up[l] * service_up[q] * prog_up[g] * part-time effect (policy-exempt at step 4)
            down   = ladder_down[l] * prog_down[g]
            breach = breach * culpable share (with obligations, else 0) * prog_breach[g]
        Off benefit: return = returns[b] (* wage-subsidy and job-coach effects while they run), gone = gone_off.
        Basic job: work = to_work (the conversion in its last month), drop out (0 in its last month), gone.
        With bound=True the drifting factors take their largest value from month t on (duration band, age class,
        the effects of a sanction, wage subsidy or job coach while they last (at least 1),
        contact capacity, the last month of a trial or basic job)."""
        m, p = self.m, self.L
        n = len(idx)
        out = np.zeros((n, 6), dtype=np.float64)
        st = self.state[idx]
        band = np.searchsorted(EDGES, t - self.since[idx].astype(np.int32), side="right")
        on = np.flatnonzero(st == ON)
        if len(on):
            i = idx[on]
            b = band[on]
            a = np.searchsorted(AGE_EDGES_MONTHS, p.age0[i] + (t - p.entry[i].astype(np.int32)), side="right")
            lad = self.ladder[i].astype(np.intp) - 1
            prog = self.prog[i]
            pool = p.pool[i]
            svc_w = self.svc_work_max if bound else self.svc_work
            svc_u = self.svc_up_max if bound else self.svc_up
            work_age = m.work_age_ub if bound else m.work_age
            other_age = m.other_age_ub if bound else m.other_age
            gone_age = m.gone_age_ub if bound else m.gone_age
            w = self.s_work[i] * (m.work_dur_ub if bound else m.work_dur)[b]
            w *= m.work_lad[lad]
            w *= work_age[a]
            w *= svc_w[pool]
            w *= m.prog_work[prog]
            sanc = self.sanc_end[i] > t
            if sanc.any():
                w *= np.where(sanc, max(m.sanction_work, 1.0) if bound else m.sanction_work, 1.0)
            trial = prog == TRIAL
            if trial.any():
                last = (self.prog_end[i] <= t + 1) | bound
                w = np.where(trial, np.where(last, m.trial_conversion, 0.0), w)
            col = out[on]
            col[:, ON_COL["work"]] = w
            o = p.s_other[i] * (m.other_dur_ub if bound else m.other_dur)[b]
            o *= other_age[a]
            o *= m.prog_other[prog]
            col[:, ON_COL["other"]] = o
            col[:, ON_COL["gone"]] = gone_age[a]
            up = m.up[lad] * svc_u[pool]
            up *= m.prog_up[prog]
            if m.policy_exempt:
                up *= np.where(lad == 3, p.s_part_time[i], 1.0)
            col[:, ON_COL["up"]] = up
            col[:, ON_COL["down"]] = m.down[lad] * m.prog_down[prog]
            col[:, ON_COL["breach"]] = p.s_breach[i] * m.prog_breach[prog]
            out[on] = col
        off = np.flatnonzero((st == WORK) | (st == OFF))
        if len(off):
            i = idx[off]
            is_work = st[off] == WORK
            r = np.where(is_work, (m.ret_work_ub if bound else m.ret_work)[band[off]], 0.0)
            r = np.where(is_work, r, (m.ret_other_ub if bound else m.ret_other)[band[off]])
            ws_return = max(m.ws_return, 1.0) if bound else m.ws_return
            jc_return = max(m.jc_return, 1.0) if bound else m.jc_return
            r *= np.where(is_work & (self.ws_end[i] > t), ws_return, 1.0)
            r *= np.where(is_work & (self.jc_end[i] > t), jc_return, 1.0)
            out[off, OFF_COL["return"]] = r
            out[off, OFF_COL["gone"]] = m.gone_off
        job = np.flatnonzero(st == BASIC_JOB)
        if len(job):
            i = idx[job]
            if bound:
                out[job, JOB_COL["work"]] = max(m.bj_conversion, m.bj_to_work)
                out[job, JOB_COL["drop_out"]] = m.bj_drop
            else:
                last = self.prog_end[i] <= t + 1
                out[job, JOB_COL["work"]] = np.where(last, m.bj_conversion, m.bj_to_work)
                out[job, JOB_COL["drop_out"]] = np.where(last, 0.0, m.bj_drop)
            out[job, JOB_COL["gone"]] = m.gone_off
        total = out[:, 0] + out[:, 1]  # added in order, as the reference does
        for j in range(2, 6):
            total += out[:, j]
        over = total > 1.0
        if over.any():
            out[over] = out[over] / total[over, None]
        return st, out

    def _refresh(self, t: int, *, inclusive: bool) -> None:
        """Recompute the screening bound (as of month t) and the next due month of everyone marked dirty. Before
        the month's due check (inclusive) a thing due at t itself counts; after it, only later ones."""
        if not self._dirty:
            return
        parts = len(self._dirty)
        idx = np.concatenate(self._dirty) if parts > 1 else self._dirty[0]  # repeats do no harm
        self._dirty = []
        if self.kernel == "numba":
            if parts > 1:
                idx = np.sort(idx)  # in memory order: fewer cache misses in the compiled loop
            K.refresh(idx, t, inclusive, self.ub, self.next_due, self.durable_at, *self._kernel_args(True))
            return
        st = self.state[idx]
        self.next_due[idx[st == GONE]] = INF  # nothing is due any more
        keep = (st != GONE) & (st != WAITING)
        idx, st = idx[keep], st[keep]
        if not len(idx):
            return
        _, probs = self.probabilities(idx, t, bound=True)
        total = probs[:, 0] + probs[:, 1]
        for j in range(2, 6):
            total += probs[:, j]
        total = np.minimum(total, 1.0)
        self.ub[idx] = np.minimum(R.threshold(total), np.uint64(0xFFFFFFFF)).astype(np.uint32)
        p = self.L
        big = np.int32(INF)
        after = t - 1 if inclusive else t  # due months must be > after
        # The pension; the age classes and duration bands need no refresh (the bound takes their largest factor
        # from here on).
        pension = p.pension[idx].astype(np.int32)
        nd = np.where(pension > after, pension, big)
        # The end of a programme or basic job and the durability check change something. The end of a sanction's
        # effect, a trial's or basic job's last month and the end of a wage subsidy or job coach change hazards
        # only, and the bound already takes the larger value while they last (probabilities): no refresh needed.
        timed = ((st == ON) & (self.prog[idx] != NONE)) | (st == BASIC_JOB)
        if timed.any():
            pe = self.prog_end[idx].astype(np.int32)
            nd = np.where(timed & (pe > after), np.minimum(nd, pe), nd)
        is_work = st == WORK
        if is_work.any():
            e = self.durable_at[idx].astype(np.int32)
            nd = np.where(is_work & (e > after) & (e < big), np.minimum(nd, e), nd)
        self.next_due[idx] = nd.astype(np.int16)

    # ------------------------------------------------------------------------------------------------
    # The month

    def step(self, t: int) -> None:
        p = self.L
        lo, hi = (0 if t == 0 else int(p.entry_end[t - 1])), int(p.entry_end[t])
        if hi > lo:
            self._entries(np.arange(lo, hi), t)
        self._refresh(t, inclusive=True)  # last month's changes and the entrants
        active = hi
        if self.kernel == "numba":
            self._apply_compiled(True, active, None, None, t)  # _due, refreshed at once
        else:
            due = np.flatnonzero(self.next_due[:active] == t)
            if len(due):
                self._due(due, t)
        self.allocate(t, active)
        self._refresh(t, inclusive=False)
        svc_work, svc_up = self.m.service(self.on_pool.reshape(self.R, len(POOLS)))
        self.svc_work, self.svc_up = svc_work.reshape(-1), svc_up.reshape(-1)
        self.curves[t, :, C["on_benefit"]] = self.count[:, ON]
        self.curves[t, :, C["basic_job"]] = self.count[:, BASIC_JOB]
        self.curves[t, :, C["work"]] = self.count[:, WORK]
        self.curves[t, :, C["off_other"]] = self.count[:, OFF]
        self.curves[t, :, C["gone"]] = self.count[:, GONE]
        self.pool_months += self.on_pool
        if self.kernel == "numba":  # the same draws, compared with the bound as they are made
            hi = np.array([R.key(self.seed, r, t, R.EVENT)[1] for r in self.reps], dtype=np.uint64)
            cand, u = K.screen(np.uint64(self.seed), hi, active // self.R, self.ub)
        else:
            u = self.draws(t, active)
            cand = np.flatnonzero(u <= self.ub[:active])
            u = u[cand]
        if len(cand):
            self._events(cand, u, t)
        self._flush()

    def _entries(self, idx: np.ndarray, t: int) -> None:
        p = self.L
        self.count[:, WAITING] += np.bincount(p.route[idx], minlength=self.count.shape[0])
        self._add("entries", idx, 1)
        self._curve(t, "entries", idx)
        old = p.pension[idx] <= t  # past state-pension age: no benefit
        if old.any():
            self._move(idx[old], GONE)
            self._add("gone_off", idx[old], 1)
            idx = idx[~old]
        since = (t - p.duration0[idx].astype(np.int32)) if t == 0 else t
        self._enter_on(idx, t, since=since)
        self._dirty.append(idx)

    def _due(self, idx: np.ndarray, t: int) -> None:
        p = self.L
        # state pension
        pen = (p.pension[idx] <= t) & (self.state[idx] != GONE)
        if pen.any():
            j = idx[pen]
            was_on = self.state[j] == ON
            self._add("exits_pension", j[was_on], 1)
            self._add("gone_off", j[~was_on], 1)
            self._leave_state(j, t)
            self._move(j, GONE)
            idx = idx[~pen]
        st = self.state[idx]
        pe = self.prog_end[idx]
        # end of a programme (a converted trial has left already)
        ended = idx[(st == ON) & (self.prog[idx] != NONE) & (pe == t)]
        if len(ended):
            self._count_programmes(ended, self.prog[ended], -1)
            self.prog[ended] = NONE
        # end of a basic job without a regular job: back on benefit
        back = idx[(st == BASIC_JOB) & (pe == t)]
        if len(back):
            self._leave_state(back, t)
            self._enter_on(back, t)
        # durability: still off benefit 12 months after leaving for work
        dur = idx[(st == WORK) & (self.durable_at[idx] == t)]
        if len(dur):
            self._add("durable", dur[self.since[dur].astype(np.int32) == t - 12], 1)
            self.durable_at[dur] = INF
        self._dirty.append(idx)

    def _events(self, cand: np.ndarray, u: np.ndarray, t: int) -> None:
        if self.kernel == "numba":
            self._events_compiled(cand, u, t)
            return
        st, probs = self.probabilities(cand, t)
        thr = (np.minimum(np.cumsum(probs, axis=1), 1.0) * R.TWO32).astype(np.uint64)
        ev = (u[:, None].astype(np.uint64) >= thr).sum(axis=1)  # 0..5: the event; 6: none
        hit = ev < 6
        if not hit.any():
            return
        cand, st, ev = cand[hit], st[hit], ev[hit]
        e = t + 1
        self._dirty.append(cand)
        code = st.astype(np.int64) * 8 + ev
        for c in np.flatnonzero(np.bincount(code)):
            idx = cand[code == c]
            s, k = divmod(int(c), 8)
            if s == ON:
                self._on_event(ON_EVENTS[k], idx, t, e)
            elif s in (WORK, OFF):
                self._off_event(OFF_EVENTS[k], idx, t, e)
            elif s == BASIC_JOB:
                self._job_event(JOB_EVENTS[k], idx, t, e)

    def _events_compiled(self, cand: np.ndarray, u: np.ndarray, t: int) -> None:
        """_events in kernel.apply: the same events, applied person by person, added straight to the sums; the
        persons changed are refreshed for month t + 1 at once (what step(t + 1) would do first)."""
        self._apply_compiled(False, len(cand), cand, u, t)

    def _apply_compiled(self, due: bool, active: int, cand: np.ndarray | None, u: np.ndarray | None, t: int) -> None:
        m = self.m
        q = self.p
        person, lanes, tables, scalars, edges, age_edges = self._kernel_args(False)
        bound = self._kernel_args(True)[2]
        extra = (self.durable_at, self.jc_trait, q.k_cell, q.k_route)
        sums = (self.acc, self.curves[t], self.count, self.on_pool, self.prog_count, self.n_jobs)
        ints = np.array([m.sanction_effect_months, m.sanction_months, m.ws_months, m.jc_months], dtype=np.int64)
        K.apply(
            due, active, cand if cand is not None else np.empty(0, dtype=np.int64),
            u if u is not None else np.empty(0, dtype=np.uint32), t, self.H, self.ub, self.next_due,
            person, lanes, tables, scalars, edges, age_edges, bound, extra, sums, ints, _ACC_USED, _CURVES_USED,
        )  # fmt: skip

    def _on_event(self, name: str, idx: np.ndarray, t: int, e: int) -> None:
        if name == "work":
            self._add("trial_contracts", idx[self.prog[idx] == TRIAL], 1)
            self._add("exits_work", idx, 1)
            self._leave_on(idx, e)
            self._enter_work(idx, e)
            self._curve(t, "exits_work", idx)
        elif name == "other":
            self._leave_on(idx, e)
            self._move(idx, OFF)
            self.since[idx] = e
            self._add("months_off", idx, self._remaining(e))
            self._add("exits_other", idx, 1)
            self._leavers(idx, e)
            self._curve(t, "exits_other", idx)
        elif name == "gone":
            self._leave_on(idx, e)
            self._move(idx, GONE)
            self._add("exits_gone", idx, 1)
            self._leavers(idx, e)
        elif name == "up":
            self._add("months_part_time", idx[self.ladder[idx] == 4], self._remaining(e))
            self.ladder[idx] += 1
        elif name == "down":
            self._add("months_part_time", idx[self.ladder[idx] == 5], -self._remaining(e))
            self.ladder[idx] -= 1
        else:  # breach: a sanction from next month
            self._sanction(idx, e)
            self._curve(t, "sanctions", idx)

    def _off_event(self, name: str, idx: np.ndarray, t: int, e: int) -> None:
        if name == "return":
            was_work = self.state[idx] == WORK
            since = self.since[idx].astype(np.int32)
            d = e - since
            self._add("returns_12m_work", idx[was_work & (d < 12) & (since + 12 <= self.H)], 1)
            for w in RETURN_WINDOWS:
                self._add(f"returns_{w}", idx[(d < w) & (since + w <= self.H)], 1)
            self._add("returns", idx, 1)
            self._curve(t, "returns", idx)
            self._leave_state(idx, e)
            self._enter_on(idx, e)
        else:
            self._leave_state(idx, e)
            self._move(idx, GONE)
            self._add("gone_off", idx, 1)

    def _job_event(self, name: str, idx: np.ndarray, t: int, e: int) -> None:
        self._leave_state(idx, e)
        if name == "work":
            self._add("exits_work_job", idx, 1)
            self._enter_work(idx, e)
            self._curve(t, "exits_work", idx)
        elif name == "drop_out":
            self._enter_on(idx, e)
        else:
            self._move(idx, GONE)
            self._add("gone_off", idx, 1)
            self._leavers(idx, e)

    def _sanction(self, idx: np.ndarray, e: int) -> None:
        """A sanction from month e: months of reduction (a running one is replaced) and the effect window."""
        m = self.m
        sanc = self.sanc_end[idx]
        had = sanc > 0
        if had.any():
            red_end = sanc[had].astype(np.int64) - m.sanction_effect_months + m.sanction_months
            cut = red_end > e
            self._add("months_sanction", idx[had][cut], -(np.minimum(red_end[cut], self.H) - e))
        self._add("months_sanction", idx, min(m.sanction_months, self.H - e))
        self._add("sanctions", idx, 1)
        self.sanc_end[idx] = e + m.sanction_effect_months

    # ------------------------------------------------------------------------------------------------
    # Allocation: the capacity-limited steps

    def allocate(self, t: int, active: int) -> None:
        """Fill the places at the start of month t, in ALLOCATION_ORDER: a cohort (every cohort.pace_months),
        tegenprestatie, coaching and trial places, basic jobs; each replication its own places. A person takes
        part in one programme at a time. The contact capacity of the caseworkers is applied after this, as the
        month's contact multipliers."""
        m = self.m
        cohort_month = m.cohort_on and t >= m.cohort_start and (t - m.cohort_start) % m.cohort_pace == 0
        pc = self.prog_count
        free = {
            COHORT: np.full(self.R, m.cohort_size if cohort_month else 0),
            TEGEN: m.tp_places - pc[:, TEGEN] if m.tp_regime != "none" else np.zeros(self.R, np.int64),
            COACHING: m.coach_places - pc[:, COACHING],
            TRIAL: m.trial_places - pc[:, TRIAL],
            BASIC_JOB_PROGRAMME: m.bj_places - self.n_jobs,
        }
        for programme in ALLOCATION_ORDER:
            k = free[programme]
            if not (k > 0).any():
                continue
            if self.kernel == "numba":
                chosen = self._choose_compiled(programme, np.asarray(k, dtype=np.int64), t, active)
                if len(chosen):
                    self._start(programme, chosen, t)
                continue
            ok = self.eligible_mask(programme, t, active)
            for lane in np.flatnonzero(k > 0):
                chosen = self.choose(programme, int(k[lane]), t, ok, int(lane))
                if len(chosen):
                    self._start(programme, chosen, t)

    def eligible_mask(self, programme: int, t: int, active: int) -> np.ndarray:
        """Who may get a place this month (bool over the active persons of every replication)."""
        m = self.m
        ok = self.L.eligible_static[programme][:active] & (self.state[:active] == ON)
        ok &= self.prog[:active] == NONE
        months = m.min_months[programme]
        if months > 0:
            ok &= self.since[:active] <= t - months
        if programme == COHORT:
            ok &= ~self.invited[:active]
        elif programme == TEGEN and m.tp_regime == "voluntary":
            ok &= self.willing[:active]
        elif programme == TRIAL:
            ok &= self.ladder[:active] >= m.trial_min_ladder
        return ok

    def choose(self, programme: int, k: int, t: int, ok_all: np.ndarray, lane: int) -> np.ndarray:
        """The k eligible persons of one replication with the best priority: the longest on benefit first
        (smallest spell start), the shortest first, or at random (the replication's fixed key); ties by that key,
        then by person number. Exact, but fast: only persons inside a priority cut-off are ranked, the cut-off
        widened until it holds k eligible persons (or everyone). Returns flat indexes."""
        Rn = self.R
        active = len(ok_all)
        ok = ok_all[lane::Rn]
        order = self.m.order[programme]
        since = self.since[:active][lane::Rn]
        key = self.key_order[:active][lane::Rn]
        cut = (programme, lane)
        count = np.count_nonzero(ok)
        if count <= k:  # room for everyone eligible
            return np.flatnonzero(ok) * Rn + lane
        if count <= PREFILTER_FROM:  # few enough to rank them all
            sel = np.flatnonzero(ok)
            if order == "random":
                prio = key[sel].astype(np.int64)
            else:
                s = since[sel].astype(np.int64) + 40000
                prio = ((s if order == "longest_first" else 80000 - s) << 32) | key[sel].astype(np.int64)
        elif order == "random":
            q = self.cut.get(cut, 0) or max(1 << 20, int(R.TWO32 * min(1.0, 4.0 * k / max(len(ok), 1))))
            while True:
                sel = np.flatnonzero(ok & (key < q)) if q < (1 << 32) else np.flatnonzero(ok)
                if len(sel) >= k or q >= (1 << 32):
                    break
                q = min(1 << 32, q * 4)
            prio = key[sel].astype(np.int64)
        else:
            longest = order == "longest_first"
            c = self.cut.get(cut, -720 if longest else t - 6)
            step = 12
            while True:
                sel = np.flatnonzero(ok & ((since <= c) if longest else (since >= c)))
                done = (c >= t) if longest else (c <= -32000)
                if len(sel) >= k or done:
                    break
                c = c + step if longest else c - step
                step *= 2
            s = since[sel].astype(np.int64) + 40000
            prio = ((s if longest else 80000 - s) << 32) | key[sel].astype(np.int64)
        if len(sel) > k:
            kth = prio[np.argpartition(prio, k - 1)[:k]].max()
            # ties at the k-th priority: by person number (argpartition's choice among equals is not defined)
            strict = sel[prio < kth]
            tied = sel[prio == kth]
            sel = np.concatenate([strict, tied[: k - len(strict)]])
        chosen = np.sort(sel)
        if len(chosen):
            if order == "random":
                self.cut[cut] = int(min(1 << 32, max(1 << 20, 2 * (int(key[chosen].max()) + 1))))
            else:
                self.cut[cut] = int(since[chosen].max() if order == "longest_first" else since[chosen].min())
        return chosen * Rn + lane

    def _choose_compiled(self, programme: int, places: np.ndarray, t: int, active: int) -> np.ndarray:
        """choose for every replication at once, in kernel.choose: the same persons. As in choose, only the
        persons inside a priority cut-off are ranked (one cut-off for the batch, from last month's choice with a
        margin); when that leaves a replication short of places, everyone eligible is ranked."""
        m = self.m
        order = m.order[programme]
        code = {"random": K.ORDER_RANDOM, "longest_first": K.ORDER_LONGEST, "shortest_first": K.ORDER_SHORTEST}[order]
        ok = self.eligible_mask(programme, t, active)
        if np.count_nonzero(ok) <= places.min():  # room for everyone eligible in every replication
            return np.flatnonzero(ok)
        since, key = self.since[:active], self.key_order[:active]
        c = self.cut.get((programme, -1))
        step = 12
        while c is not None:  # widen the cut-off until every replication has its places filled, or rank everyone
            pre = ok & ((key < c) if order == "random" else (since <= c) if order == "longest_first" else (since >= c))
            chosen = K.choose(np.flatnonzero(pre), self.R, places, self.since, self.key_order, code)
            got = np.bincount(chosen % self.R, minlength=self.R) if self.R > 1 else np.array([len(chosen)])
            if (got >= places).all():
                break
            if order == "random":
                c = c * 4 if c * 4 < (1 << 32) else None
            else:
                c = c + step if order == "longest_first" else c - step
                step *= 2
                c = c if step < 4096 else None
        else:
            chosen = K.choose(np.flatnonzero(ok), self.R, places, self.since, self.key_order, code)
        if len(chosen):
            if order == "random":
                self.cut[(programme, -1)] = max(1 << 20, 2 * (int(self.key_order[chosen].max()) + 1))
            elif order == "longest_first":
                self.cut[(programme, -1)] = int(self.since[chosen].max())
            else:
                self.cut[(programme, -1)] = int(self.since[chosen].min())
        return chosen

    def _start(self, programme: int, chosen: np.ndarray, t: int) -> None:
        m = self.m
        self._dirty.append(chosen)
        if programme == BASIC_JOB_PROGRAMME:
            self._leave_on(chosen, t)
            self._move(chosen, BASIC_JOB)
            self.n_jobs += np.bincount(self.L.rep_of[chosen], minlength=self.R)
            self.since[chosen] = t
            self.prog_end[chosen] = t + m.bj_months if m.bj_months > 0 else INF
            self._add("months_basic_job", chosen, self._remaining(t))
            self._add("basic_job_starts", chosen, 1)
            return
        months = int(m.prog_months[programme])
        self.prog[chosen] = programme
        self.prog_end[chosen] = min(t + months, int(INF))
        self._count_programmes(chosen, self.prog[chosen], +1)
        self._add(f"months_{PROGRAMMES[programme]}", chosen, min(months, self.H - t))
        if programme == COHORT:
            self.invited[chosen] = True
            self._add("invited", chosen, 1)
        elif programme == TRIAL:
            self._add("trials", chosen, 1)

    # ------------------------------------------------------------------------------------------------

    def draws(self, t: int, active: int) -> np.ndarray:
        """This month's event draws of the active persons of every replication (person-major)."""
        n = active // self.R
        if self.R == 1:
            return R.uint32_chunked(self.seed, self.reps[0], t, R.EVENT, n, self.chunk)
        u = np.empty((n, self.R), dtype=np.uint32)
        for lane, r in enumerate(self.reps):
            u[:, lane] = R.uint32_chunked(self.seed, r, t, R.EVENT, n, self.chunk)
        return u.reshape(-1)

    def results(self) -> list[RepResult]:
        self._flush()
        L, R_ = self.L, self.R
        nc = L.n_cells
        end_state = np.bincount(L.cell * len(STATES) + self.state, minlength=nc * R_ * len(STATES)).reshape(
            R_, nc, len(STATES)
        )
        on = self.state == ON
        end_ladder = np.bincount(L.cell[on] * 6 + self.ladder[on], minlength=nc * R_ * 6).reshape(R_, nc, 6)
        months = self.H - self.since[on].astype(np.int64)
        band = np.searchsorted(DURATION_PROFILE, months, side="right")
        end_duration = np.bincount(L.rep_of[on] * 5 + band, minlength=R_ * 5).reshape(R_, 5)
        curves = self.curves.reshape(self.H, R_, len(ROUTES), len(CURVES))
        pool_months = self.pool_months.reshape(R_, len(POOLS))
        return [
            RepResult(
                acc=self.acc[:, lane * nc : (lane + 1) * nc].copy(),
                end_state=end_state[lane].astype(np.int64),
                end_ladder=end_ladder[lane].astype(np.int64),
                curves=curves[:, lane].copy(),
                pool_months=pool_months[lane].copy(),
                end_duration=end_duration[lane].astype(np.int64),
            )
            for lane in range(R_)
        ]

    def run(self) -> list[RepResult]:
        for t in range(self.H):
            self.step(t)
        return self.results()


def Replication(
    model: Model, prep: Prepared, seed: int, replication: int, *, chunk: int | None = None, kernel: str | None = None
) -> Batch:
    """A batch of one replication (its run() returns a list of one RepResult)."""
    return Batch(model, prep, seed, [replication], chunk=chunk, kernel=kernel)


def batch_size(prep: Prepared, replications: int) -> int:
    """Replications to run together: about BATCH_PEOPLE persons, and at most BATCH_CELLS result cells."""
    by_people = BATCH_PEOPLE // max(prep.n, 1)
    by_cells = BATCH_CELLS // max(prep.cells.n, 1)
    return max(1, min(replications, by_people, by_cells))


def simulate(
    scenario: Scenario,
    population: Population | Prepared,
    *,
    horizon: int,
    seed: int,
    replications: range | list[int],
    chunk: int | None = None,
    batch: int | None = None,
    kernel: str | None = None,
) -> list[RepResult]:
    """Run the given replications of one scenario in this process (runner.py spreads them over workers).
    kernel: "numba", "numpy" or None (Numba when it imports); the results are the same."""
    prep = population if isinstance(population, Prepared) else Prepared(population)
    model = Model(scenario, prep, horizon)
    reps = list(replications)
    size = batch or batch_size(prep, len(reps))
    out: list[RepResult] = []
    for lo in range(0, len(reps), size):
        out += Batch(model, prep, seed, reps[lo : lo + size], chunk=chunk, kernel=kernel).run()
    return out


__all__ = [
    "ACC",
    "CURVES",
    "MAX_HORIZON",
    "Model",
    "ORDERS",
    "PROGRAMMES",
    "Prepared",
    "Batch",
    "RepResult",
    "Replication",
    "STATES",
    "simulate",
]
