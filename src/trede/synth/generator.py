"""The synthetic municipality: vectorised, deterministic generation of clients and their two-year history.

`generate(spec)` yields, chunk by chunk, column batches (NumPy arrays keyed by model field attname) for every
table; `trede.synth.loader` writes them into the database. The generator does not touch the database: ids are
relative (1, 2, ...) and the loader shifts them (and every foreign key) past the rows already there. So the same
seed, size, `today` and caseload norm give the same rows, byte for byte (see `digest`).

Validity by construction, because the load bypasses the services:
- every BSN passes the elfproef and is unique (a reserved range of prefixes, `bsn_with_check_digit`);
- benefit periods of a client never overlap, at most one is open, clients are 18+ when a period starts;
- exactly one current assignment per client on benefit, none for a client off benefit;
- exemptions follow `trede.obligations.rules.exemption_problems` under the legal rule set, as they were granted:
  grounds only for the obligations they may lift, an end or review date, never a review after the end date,
  art. 9a only for single parents with a child under 5 on the start date, once, at most 60 months, review within
  6 months, art. 9a and art. 9 lid 4 (child under 12) ending at the latest the day before the youngest such child
  reaches the age, and never two exemptions from the same obligation at the same time;
- art. 9a exemptions that ran past their first review date were re-examined every 6 months (ExemptionReview, as
  `trede.obligations.rules.review_problems` wants it): each review on the date the previous one set, the next at
  most 6 months on and not after the end date; a few have their latest review overdue. Exemption.review_on is the
  latest next_review_on, so the review date at grant is the first review's reviewed_on;
- activation (providers, activities, referrals, participation) and routes and employer services (route decisions,
  employers, vacancies, work profiles, referrals to vacancies, placements, exits to work with their follow-ups)
  follow the invariants listed in trede.synth.activation and trede.synth.employers, and sanction cases (hearings,
  assessments, decisions, objections, appeals) those of trede.synth.sanctions, each on its own random stream.

Columns: int64 (relative ids and numbers; -1 is NULL), float64 (NaN is NULL), datetime64[D] (dates; NaT is NULL),
datetime64[s] (timestamps, UTC), bool, and object arrays of str (None is NULL; decimals and JSON as their text) or of
bool (a nullable boolean: None is NULL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from trede.activation.models import Activity, Participation, Provider, Referral, ReferralEvent
from trede.caseload.models import ActionItem, Assignment, ContactMoment, Team, TeamMember
from trede.clients.models import (
    BenefitPeriod,
    Circumstances,
    Client,
    District,
    Household,
    HouseholdMember,
    LadderMeasurement,
)
from trede.core.models import User
from trede.core.rules import bsn_with_check_digit
from trede.employers.models import ContactPerson, Employer, Exit, FollowUp, Match, Placement, Vacancy, WorkProfile
from trede.employers.models import Referral as JobReferral
from trede.employers.models import ReferralEvent as JobReferralEvent
from trede.intake.models import RouteDecision
from trede.obligations.models import Exemption, ExemptionReview, Obligation
from trede.synth import activation as A
from trede.synth import employers as E
from trede.synth import profile as P
from trede.synth import sanctions as S

CHUNK_SIZE = 20_000  # clients per chunk; part of the definition of the output (determinism), not a tuning knob
MIN_CLIENTS, MAX_CLIENTS = 10, 1_000_000
# The BSNs the generator hands out: 8-digit prefixes from SYNTH_BSN_FIRST_PREFIX on, plus the check digit. About
# one prefix in eleven has no valid check digit and is skipped, so 2 * MAX_CLIENTS prefixes hold every run.
# `trede synth --clear` refuses to delete clients whose BSN lies outside this range (they may be real people).
SYNTH_BSN_PREFIX_END = P.SYNTH_BSN_FIRST_PREFIX + 2 * MAX_CLIENTS  # exclusive
SYNTH_BSN_FIRST = f"{P.SYNTH_BSN_FIRST_PREFIX:08d}0"
SYNTH_BSN_LAST = f"{SYNTH_BSN_PREFIX_END - 1:08d}9"
TeamDistrict = Team.districts.through

# Every model the generator writes, in load order (foreign keys point backwards).
MODELS: tuple = (
    District,
    Team,
    TeamDistrict,
    User,
    TeamMember,
    Provider,
    Activity,
    Employer,
    ContactPerson,
    Vacancy,
    Client,
    Household,
    HouseholdMember,
    BenefitPeriod,
    Circumstances,
    LadderMeasurement,
    Obligation,
    Exemption,
    ExemptionReview,
    ContactMoment,
    ActionItem,
    Assignment,
    Referral,
    ReferralEvent,
    Participation,
    RouteDecision,
    WorkProfile,
    Match,
    JobReferral,
    JobReferralEvent,
    Placement,
    Exit,
    FollowUp,
    *S.MODELS,
)

STAY, LEFT, LEFT_RETURNED, NEW, NEW_LEFT, PENSION = range(6)
assert tuple(P.HISTORY_TYPES) == ("stay", "left", "left_returned", "new", "new_left", "pension")
ON_TYPES = (STAY, LEFT_RETURNED, NEW)
OLD_START_TYPES = (STAY, LEFT, LEFT_RETURNED, PENSION)
WORK_REASON = "work"
NAT = np.datetime64("NaT", "D")
TAALEIS_IN_FORCE = dt.date(2016, 1, 1)  # Wet taaleis Participatiewet (Stb. 2015, 357), in force 1 January 2016
YEAR = 365.25


@dataclass(frozen=True)
class Spec:
    """What to generate. `today` is the last day of the history; `caseload_norm`, `follow_up_months` and
    `tegenprestatie_policy` come from the local rules (the defaults are those of the shipped rule set)."""

    clients: int
    seed: int
    today: dt.date
    caseload_norm: int
    follow_up_months: int = 3
    tegenprestatie_policy: str = "voluntary"
    # employer services and routes: the values of the shipped rule sets (spec_rules takes them from a rule set)
    youth_age: int = 27
    route_review_months: int = 6
    route_obligations: tuple = (  # (route, obligations a decision opens), by route name
        ("exemption_review", ()),
        ("participation", ("cooperation",)),
        ("work", ("work_obligation",)),
        ("youth", ("work_obligation",)),
    )
    exit_follow_up_months: tuple = (1, 6, 12)
    minimum_wage_hourly_cents: int = 1471
    holiday_pay_pct: int = 8
    wage_subsidy_cap_pct: int = 70
    wage_subsidy_flat_pct: int = 50
    wage_subsidy_flat_months: int = 6
    trial_placement_months: int = 2
    trial_extension_months: int = 4
    # sanctions: the rule values trede.synth.sanctions needs (canonical JSON, see sanctions.rules_text)
    sanction_rules: str = S.SHIPPED_RULES_TEXT

    def __post_init__(self) -> None:
        if not MIN_CLIENTS <= self.clients <= MAX_CLIENTS:
            raise ValueError(f"clients must be between {MIN_CLIENTS} and {MAX_CLIENTS}")
        if not isinstance(self.today, dt.date):
            raise ValueError("today must be a date")
        if self.caseload_norm <= 0:
            raise ValueError("caseload_norm must be positive")
        if self.follow_up_months <= 0:
            raise ValueError("follow_up_months must be positive")
        if self.tegenprestatie_policy not in ("enforced", "voluntary", "not_enforced"):
            raise ValueError("tegenprestatie_policy must be enforced, voluntary or not_enforced")
        if self.minimum_wage_hourly_cents <= 0 or self.trial_placement_months <= 0 or self.youth_age <= 18:
            raise ValueError("minimum wage and trial placement months must be positive, the youth age above 18")
        if not self.exit_follow_up_months or min(self.exit_follow_up_months) <= 0:
            raise ValueError("exit_follow_up_months must be positive months")


SPEC_RULES = (
    "follow_up_months",
    "tegenprestatie_policy",
    "youth_age",
    "route_review_months",
    "route_obligations",
    "exit_follow_up_months",
    "minimum_wage_hourly_cents",
    "holiday_pay_pct",
    "wage_subsidy_cap_pct",
    "wage_subsidy_flat_pct",
    "wage_subsidy_flat_months",
    "trial_placement_months",
    "trial_extension_months",
)


def spec_rules(rules) -> dict:
    """The Spec fields that come from the rules valid on `today` (core.selectors.rules_on), as keyword arguments;
    a key the rule set lacks keeps the default (the shipped value)."""
    out: dict = {}
    for key in SPEC_RULES:
        try:
            value = rules[key]
        except KeyError:
            continue
        if key == "route_obligations":
            value = tuple((route, tuple(kinds)) for route, kinds in sorted(dict(value).items()))
        elif key == "exit_follow_up_months":
            value = tuple(sorted({int(m) for m in value}))
        elif key == "tegenprestatie_policy":
            value = str(value)
        else:
            value = int(value)
        out[key] = value
    out["sanction_rules"] = S.rules_text(rules)
    return out


@dataclass
class Batch:
    """Rows of one table: column attname -> array, all of the same length."""

    model: type
    cols: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0


# --------------------------------------------------------------------------------------------------
# Small vectorised helpers (dates are int64 days since 1970-01-01)


def day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def add_months_days(days: np.ndarray, months) -> np.ndarray:
    """Vectorised trede.core.rules.add_months on day numbers (clamped to the month's last day)."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    dom = (d - month.astype("datetime64[D]")).astype("int64")
    target = month + np.asarray(months, dtype="int64")
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype("int64")
    return (first + np.minimum(dom, length - 1)).astype("int64")


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970


def as_date(days: np.ndarray, null: np.ndarray | None = None) -> np.ndarray:
    out = np.asarray(days, dtype="int64").astype("datetime64[D]")
    if null is not None:
        out = out.copy()
        out[null] = NAT
    return out


def as_timestamp(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return (np.asarray(days, dtype="int64") * 86_400 + np.asarray(seconds, dtype="int64")).astype("datetime64[s]")


def uniform_int(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform integers in [lo, hi] (inclusive, elementwise); hi < lo is clamped to lo."""
    lo = np.asarray(lo, dtype="int64")
    hi = np.maximum(np.asarray(hi, dtype="int64"), lo)
    shape = np.broadcast(lo, hi).shape
    return lo + np.floor(rng.random(shape) * (hi - lo + 1)).astype("int64")


def allocate(rng: np.random.Generator, n: int, shares) -> np.ndarray:
    """Exactly n labels 0..k-1 with counts matching `shares` (largest remainder), in random order."""
    shares = np.asarray(shares, dtype="float64")
    shares = shares / shares.sum()
    raw = shares * n
    counts = np.floor(raw).astype("int64")
    counts[np.argsort(-(raw - counts), kind="stable")[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.arange(len(shares)), counts))


def ordered_category(score: np.ndarray, shares: dict[str, float], ref: np.ndarray) -> np.ndarray:
    """Cut a score into ordered categories whose shares among `ref` rows match `shares` (low score first)."""
    names = list(shares)
    cum = np.cumsum([shares[k] for k in names])[:-1] / sum(shares.values())
    base = score[ref] if ref.any() else score
    cuts = np.quantile(base, cum)
    return np.array(names, dtype=object)[np.searchsorted(cuts, score)]


def choose_weighted(rng: np.random.Generator, weights: np.ndarray, m: int) -> np.ndarray:
    """Indexes of m items drawn without replacement with probability proportional to weights (> 0)."""
    eligible = np.flatnonzero(weights > 0)
    m = min(m, len(eligible))
    if m <= 0:
        return np.empty(0, dtype="int64")
    keys = np.log(rng.random(len(eligible))) / weights[eligible]
    return np.sort(eligible[np.argpartition(-keys, m - 1)[:m]])


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For per-item counts: (item index of every row, rank of the row within its item)."""
    counts = np.asarray(counts, dtype="int64")
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def obj(values) -> np.ndarray:
    """A 1-d object array of the values as they are (tuples stay tuples, numpy strings become str)."""
    values = list(values)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = str(v) if isinstance(v, np.str_) else v
    return out


def pick(rng: np.random.Generator, options, n: int, p=None) -> np.ndarray:
    return obj(options)[rng.choice(len(options), size=n, p=p)]


ORIGINS = list(P.NAME_ORIGINS)


def draw_origin(rng: np.random.Generator, n: int, migrant_share: float) -> np.ndarray:
    """-1 for Dutch origin, else the index of the origin in profile.NAME_ORIGINS."""
    weights = np.array([o["weight"] for o in P.NAME_ORIGINS.values()])
    which = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return np.where(rng.random(n) < migrant_share, which, -1)


def person_names(rng: np.random.Generator, origin: np.ndarray, female: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First names and (prefix, surname) tuples that go together with each person's origin."""
    n = len(origin)
    first = np.where(female, pick(rng, P.FIRST_NAMES_DUTCH_F, n), pick(rng, P.FIRST_NAMES_DUTCH_M, n))
    surname = pick(rng, P.SURNAMES_DUTCH, n)
    for k, names in enumerate(P.NAME_ORIGINS.values()):
        m = origin == k
        c = int(m.sum())
        first[m] = np.where(female[m], pick(rng, names["female"], c), pick(rng, names["male"], c))
        surname[m] = pick(rng, names["surnames"], c)
    return first, surname


def in_spans(rng, lo1, hi1, lo2, hi2) -> np.ndarray:
    """A uniform day in [lo1, hi1] U [lo2, hi2] per row (second span empty when hi2 < lo2)."""
    len1 = np.maximum(hi1 - lo1 + 1, 0)
    len2 = np.maximum(hi2 - lo2 + 1, 0)
    x = np.floor(rng.random(len(lo1)) * (len1 + len2)).astype("int64")
    return np.where(x < len1, lo1 + x, lo2 + (x - len1))


# --------------------------------------------------------------------------------------------------
# Phase 1: who is who, for all clients at once (cheap: a few arrays of N)


@dataclass
class Population:
    n: int
    today: int
    window_start: int
    kind: np.ndarray  # history type
    on: np.ndarray  # on benefit today
    birth: np.ndarray
    age: np.ndarray  # years at today (float)
    female: np.ndarray
    origin: np.ndarray  # -1: Dutch, else index into profile.NAME_ORIGINS
    household: np.ndarray  # index into P.HOUSEHOLD_KINDS
    district: np.ndarray  # 0-based
    z: np.ndarray  # distance to work (higher = further)
    far: np.ndarray
    education: np.ndarray
    health: np.ndarray
    debts: np.ndarray
    social: np.ndarray
    dutch: np.ndarray
    care: np.ndarray
    work_years: np.ndarray
    p0_start: np.ndarray  # earlier ended period (-1: none)
    p0_end: np.ndarray
    p0_reason: np.ndarray
    p1_start: np.ndarray
    p1_end: np.ndarray  # -1: open
    p1_reason: np.ndarray
    p2_start: np.ndarray  # return period (-1: none), always open
    caseworker: np.ndarray  # 0-based caseworker of the (last) assignment
    staff: Staff
    spells: A.Spells | None = None  # participation (trede.synth.activation.simulate)


@dataclass
class Staff:
    district_teams: list[list[int]]  # per district: the team indexes that serve it
    team_names: list[str]
    team_of_caseworker: np.ndarray
    hours: np.ndarray
    caseworkers_of_team: list[np.ndarray]
    first_names: np.ndarray  # caseworkers then team leads
    last_names: np.ndarray

    @property
    def n_caseworkers(self) -> int:
        return len(self.team_of_caseworker)

    @property
    def n_teams(self) -> int:
        return len(self.team_names)

    def lead_user(self, team: np.ndarray) -> np.ndarray:
        """Relative user id of the team lead of each team index."""
        return self.n_caseworkers + np.asarray(team, dtype="int64") + 1


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def population(spec: Spec) -> Population:
    rng = rng_for(spec.seed, 0)
    n = spec.clients
    today = day_number(spec.today)
    w = today - P.HISTORY_DAYS

    kind = allocate(rng, n, list(P.HISTORY_TYPES.values()))
    # Ages at today: the stock (on benefit) and the leavers follow their own bands (profile.py).
    age_days = np.zeros(n, dtype="int64")
    for types, bands in ((ON_TYPES, P.AGE_BANDS_STOCK), ((LEFT, NEW_LEFT), P.AGE_BANDS_LEAVERS)):
        idx = np.flatnonzero(np.isin(kind, types))
        band = allocate(rng, len(idx), [b[2] for b in bands])
        lo = np.array([b[0] for b in bands])[band] * YEAR + 31  # at least a month past the birthday
        hi = np.array([b[1] for b in bands])[band] * YEAR - 1
        age_days[idx] = np.floor(lo + rng.random(len(idx)) * (hi - lo)).astype("int64")
    birth = today - age_days
    pension = np.flatnonzero(kind == PENSION)
    pension_day = uniform_int(rng, np.full(len(pension), w + 5), today - 1)  # 67th birthday within the window
    birth[pension] = add_months_days(pension_day, -12 * P.STATE_PENSION_AGE)
    adult = add_months_days(birth, 12 * P.ADULT_AGE)  # 18th birthday

    # Too young for a period that started before the window: they came in within it.
    young_old = np.isin(kind, OLD_START_TYPES) & (adult > w - 30)
    kind[young_old & (kind == LEFT)] = NEW_LEFT
    kind[young_old & np.isin(kind, (STAY, LEFT_RETURNED))] = NEW
    kind[(kind == NEW_LEFT) & (np.maximum(adult, w) > today - 61)] = NEW
    on = np.isin(kind, ON_TYPES)
    age = (today - birth) / YEAR

    band_name = np.where(age < 27, "young", np.where(age < 50, "middle", "older"))
    household = np.zeros(n, dtype="int64")
    for name, shares in P.HOUSEHOLD_BY_AGE.items():
        idx = np.flatnonzero(band_name == name)
        household[idx] = rng.choice(len(shares), size=len(idx), p=shares)
    single_parent = household == P.HOUSEHOLD_KINDS.index("single_parent")

    # Women: single parents mostly mothers, the rest filled up to the exact target share (per stock / leavers).
    female = np.zeros(n, dtype=bool)
    for group in (on, ~on):
        idx = np.flatnonzero(group)
        target = round(P.WOMEN_SHARE * len(idx))
        sp = idx[single_parent[idx]]
        female[sp] = rng.random(len(sp)) < P.SINGLE_PARENT_WOMEN_SHARE
        rest = rng.permutation(idx[~single_parent[idx]])
        female[rest[: max(0, target - int(female[sp].sum()))]] = True
    origin = draw_origin(rng, n, P.MIGRANT_ORIGIN_SHARE)
    speaking = [k for k, o in enumerate(P.NAME_ORIGINS.values()) if o["dutch_speaking"]]
    dutch_speaking = (origin < 0) | np.isin(origin, speaking)

    # Distance to work: older, longer on benefit and less healthy go together; leavers were closer to work.
    age_z = (age - 42) / 12
    z = 0.55 * age_z + rng.standard_normal(n)
    z[~on] -= 0.6
    z[kind == NEW] -= 1.0  # new entrants are closer to work than those who stayed (the far group stays)
    z[kind == STAY] += 0.3
    z[kind == LEFT_RETURNED] -= 0.3
    z[age < 27] -= 0.5
    zs = (z - z[on].mean()) / z[on].std()
    far = (zs >= np.quantile(zs[on], 1 - P.FAR_FROM_WORK_SHARE)) & (age >= 27)
    near = zs < np.quantile(zs[on], 0.25)

    def noise() -> np.ndarray:
        return rng.standard_normal(n)

    education = ordered_category(0.6 * zs + 0.8 * noise(), P.EDUCATION_SHARES, on)
    health = ordered_category(0.5 * zs + 0.3 * age_z + 0.8 * noise(), P.HEALTH_SHARES, on)
    debts = ordered_category(0.35 * zs - 0.15 * age_z + 0.9 * noise(), P.DEBTS_SHARES, on)
    social = ordered_category(0.5 * zs + 0.85 * noise(), P.SOCIAL_SHARES, on)
    dutch_score = 0.35 * zs + 0.25 * age_z + 0.9 * noise()
    dutch = np.empty(n, dtype=object)
    for group, shares in (
        (~dutch_speaking, P.DUTCH_LEVEL_SHARES_OTHER),
        (dutch_speaking, P.DUTCH_LEVEL_SHARES_DUTCH_SPEAKING),
    ):
        dutch[group] = ordered_category(dutch_score[group], shares, on[group])
    with_children = np.isin(
        household, [P.HOUSEHOLD_KINDS.index("single_parent"), P.HOUSEHOLD_KINDS.index("couple_children")]
    )
    care = np.where(
        single_parent,
        rng.random(n) < 0.85,
        np.where(with_children, rng.random(n) < 0.5, rng.random(n) < P.CARE_DUTIES_OTHERS_SHARE),
    )
    frac = np.clip(0.5 - 0.18 * zs + 0.2 * noise(), 0.0, 0.95)
    work_years = np.floor(np.maximum(age - 17, 0) * frac).astype("int64")
    work_years[far & (rng.random(n) < 0.15)] = 0

    # Benefit periods. Long-term clients started before the window, long-tailed by distance to work.
    mean_years = np.where(
        far, P.DURATION_MEAN_YEARS_FAR, np.where(near, P.DURATION_MEAN_YEARS_NEAR, P.DURATION_MEAN_YEARS_MIDDLE)
    )
    before = np.maximum(1, np.floor(rng.exponential(mean_years * YEAR)).astype("int64"))
    room = w - adult  # days between the 18th birthday and the window
    before = np.where(before > room, uniform_int(rng, 1, np.maximum(room, 1)), before)
    p1_start = w - before
    p1_end = np.full(n, -1, dtype="int64")
    p2_start = np.full(n, -1, dtype="int64")
    new_lo = np.maximum(w, adult)
    m = kind == NEW
    p1_start[m] = uniform_int(rng, new_lo[m], today - 1)
    m = kind == NEW_LEFT
    p1_start[m] = uniform_int(rng, new_lo[m], today - 61)
    p1_end[m] = uniform_int(rng, p1_start[m] + 30, today - 1)
    m = kind == LEFT
    p1_end[m] = uniform_int(rng, np.full(m.sum(), w), today - 1)
    m = kind == LEFT_RETURNED
    p1_end[m] = uniform_int(rng, np.full(m.sum(), w), today - 61)
    p2_start[m] = p1_end[m] + uniform_int(rng, 30, np.minimum(365, today - 1 - p1_end[m]))
    m = kind == PENSION
    p1_end[m] = add_months_days(adult[m], 12 * (P.STATE_PENSION_AGE - P.ADULT_AGE)) - 1

    gone = np.isin(kind, (LEFT, NEW_LEFT))
    p1_reason = np.full(n, "", dtype=object)
    p1_reason[gone] = pick(rng, P.EXIT_REASONS_GONE, int(gone.sum()), list(P.EXIT_REASONS_GONE.values()))
    m = kind == LEFT_RETURNED
    p1_reason[m] = pick(rng, P.EXIT_REASONS_RETURNING, int(m.sum()), list(P.EXIT_REASONS_RETURNING.values()))
    p1_reason[kind == PENSION] = "other_benefit"

    # An earlier, ended period (a return from before the window) for some.
    p0_start = np.full(n, -1, dtype="int64")
    p0_end = np.full(n, -1, dtype="int64")
    room0 = np.minimum(p1_start, w) - adult
    has0 = (rng.random(n) < P.EARLIER_PERIOD_SHARE) & (room0 > 400)
    gap = uniform_int(rng, 60, np.minimum(1500, room0 - 200))
    p0_end[has0] = (np.minimum(p1_start - gap, w - 1))[has0]
    length = uniform_int(rng, 90, 1800)
    p0_start[has0] = np.maximum(adult, p0_end - length)[has0]
    too_short = has0 & (p0_end - p0_start < 30)
    p0_start[too_short] = -1
    p0_end[too_short] = -1
    p0_reason = np.full(n, "", dtype=object)
    has0 = p0_start >= 0
    p0_reason[has0] = pick(rng, P.EXIT_REASONS_RETURNING, int(has0.sum()), list(P.EXIT_REASONS_RETURNING.values()))

    district = allocate(rng, n, [d[2] for d in P.DISTRICTS])
    staff, caseworker = _staff(rng, spec, on, district)
    pop = Population(
        n=n,
        today=today,
        window_start=w,
        kind=kind,
        on=on,
        birth=birth,
        age=age,
        female=female,
        origin=origin,
        household=household,
        district=district,
        z=zs,
        far=far,
        education=education,
        health=health,
        debts=debts,
        social=social,
        dutch=dutch,
        care=care,
        work_years=work_years,
        p0_start=p0_start,
        p0_end=p0_end,
        p0_reason=p0_reason,
        p1_start=p1_start,
        p1_end=p1_end,
        p1_reason=p1_reason,
        p2_start=p2_start,
        caseworker=caseworker,
        staff=staff,
    )
    pop.spells = A.simulate(pop, spec)  # its own random stream: the rows above do not depend on it
    return pop


def _staff(rng: np.random.Generator, spec: Spec, on: np.ndarray, district: np.ndarray) -> tuple[Staff, np.ndarray]:
    """Teams and caseworkers sized on the caseload norm, and each client's (last) caseworker."""
    n_districts = len(P.DISTRICTS)
    hours_options = np.array(list(P.CASEWORKER_HOURS))
    hours_p = np.array(list(P.CASEWORKER_HOURS.values()))
    mean_fte = float((hours_options * hours_p).sum() / 36)
    n_cw = max(1, round(int(on.sum()) / (spec.caseload_norm * mean_fte)))  # estimate, for the number of teams
    n_teams = min(2 * n_districts, max(1, math.ceil(n_cw / P.CASEWORKERS_PER_TEAM)))
    if n_cw >= 4:
        n_teams = max(n_teams, 2)
    load = np.bincount(district[on], minlength=n_districts).astype("float64")
    names = [d[1] for d in P.DISTRICTS]

    # Which teams serve which district; per client the team.
    district_teams: list[list[int]] = [[] for _ in range(n_districts)]
    team_names: list[str] = []
    client_team = np.zeros(len(district), dtype="int64")
    if n_teams <= n_districts:
        team_load = np.zeros(n_teams)
        groups: list[list[int]] = [[] for _ in range(n_teams)]
        for d in np.argsort(-load, kind="stable"):
            t = int(np.argmin(team_load))
            groups[t].append(int(d))
            team_load[t] += load[d]
        for t, group in enumerate(groups):
            group.sort()
            label = " / ".join(names[d] for d in group)
            team_names.append(f"Team {label}" if len(label) <= 90 else f"Team {names[group[0]]} e.o.")
            for d in group:
                district_teams[d].append(t)
                client_team[district == d] = t
    else:
        doubled = set(np.argsort(-load, kind="stable")[: n_teams - n_districts].tolist())
        for d in range(n_districts):
            suffixes = ("A", "B") if d in doubled else ("",)
            for suffix in suffixes:
                district_teams[d].append(len(team_names))
                team_names.append(f"Team {names[d]} {suffix}".rstrip())
            idx = np.flatnonzero(district == d)
            client_team[idx] = np.array(district_teams[d])[rng.integers(0, len(suffixes), len(idx))]

    # Caseworkers per team: added one by one (the first full time, then random hours) while that brings the
    # team's full-time equivalents closer to its stock / norm, so that clients per FTE stay near the norm.
    team_stock = np.bincount(client_team[on], minlength=n_teams).astype("float64")
    team_of_cw_list: list[int] = []
    hours_list: list[int] = []
    for t in range(n_teams):
        target = team_stock[t] / spec.caseload_norm
        fte = 0.0
        while True:
            h = 36 if fte == 0 else int(rng.choice(hours_options, p=hours_p))
            if fte > 0 and abs(fte + h / 36 - target) >= abs(fte - target):
                h = int(hours_options[np.argmin(np.abs(fte + hours_options / 36 - target))])  # a part-timer fits
                if abs(fte + h / 36 - target) >= abs(fte - target):
                    break
            team_of_cw_list.append(t)
            hours_list.append(h)
            fte += h / 36
    team_of_cw = np.array(team_of_cw_list, dtype="int64")
    hours = np.array(hours_list, dtype="int64")
    caseworkers_of_team = [np.flatnonzero(team_of_cw == t) for t in range(n_teams)]

    # Clients of a team shared over its caseworkers in proportion to their hours.
    caseworker = np.zeros(len(district), dtype="int64")
    for t in range(n_teams):
        cws = caseworkers_of_team[t]
        weights = hours[cws] / hours[cws].sum()
        for group in (on, ~on):
            idx = rng.permutation(np.flatnonzero((client_team == t) & group))
            cut = np.floor(np.cumsum(weights)[:-1] * len(idx) + 0.5).astype("int64")
            caseworker[idx] = cws[np.searchsorted(cut, np.arange(len(idx)), side="right")]

    n_users = len(team_of_cw) + n_teams
    female = rng.random(n_users) < 0.7
    first, sur = person_names(rng, draw_origin(rng, n_users, 0.3), female)
    last = obj([f"{p} {s}".strip() for p, s in sur])
    staff = Staff(
        district_teams=district_teams,
        team_names=team_names,
        team_of_caseworker=team_of_cw,
        hours=hours,
        caseworkers_of_team=caseworkers_of_team,
        first_names=first,
        last_names=last,
    )
    return staff, caseworker


# --------------------------------------------------------------------------------------------------
# Global tables: districts, teams, users


def staff_batches(pop: Population, spec: Spec) -> list[Batch]:
    staff = pop.staff
    rng = rng_for(spec.seed, 1)
    nd = len(P.DISTRICTS)
    districts = Batch(
        District,
        {
            "id": np.arange(1, nd + 1),
            "code": obj([d[0] for d in P.DISTRICTS]),
            "name": obj([d[1] for d in P.DISTRICTS]),
            "x_km": np.array([P.DISTRICT_CENTRES_KM[d[0]][0] for d in P.DISTRICTS], dtype="float64"),
            "y_km": np.array([P.DISTRICT_CENTRES_KM[d[0]][1] for d in P.DISTRICTS], dtype="float64"),
        },
    )
    teams = Batch(Team, {"id": np.arange(1, staff.n_teams + 1), "name": obj(staff.team_names)})
    pairs = [(t, d) for d, ts in enumerate(staff.district_teams) for t in ts]
    pairs.sort()
    links = Batch(
        TeamDistrict,
        {
            "id": np.arange(1, len(pairs) + 1),
            "team_id": np.array([t + 1 for t, _ in pairs], dtype="int64"),
            "district_id": np.array([d + 1 for _, d in pairs], dtype="int64"),
        },
    )
    n_cw, n_teams = staff.n_caseworkers, staff.n_teams
    n_users = n_cw + n_teams
    usernames = [f"{P.USERNAME_PREFIX}km-{i + 1:04d}" for i in range(n_cw)] + [
        f"{P.USERNAME_PREFIX}tl-{t + 1:02d}" for t in range(n_teams)
    ]
    emails = [
        f"{P.ascii_slug(f)}.{P.ascii_slug(last)}.{i + 1}@{P.MUNICIPALITY.lower()}.example.org"
        for i, (f, last) in enumerate(zip(staff.first_names, staff.last_names, strict=True))
    ]
    joined = uniform_int(rng, np.full(n_users, pop.today - 4000), pop.today - 30)
    users = Batch(
        User,
        {
            "id": np.arange(1, n_users + 1),
            "password": obj(["!synthetic-account-without-login"] * n_users),  # unusable (Django: starts with "!")
            "is_superuser": np.zeros(n_users, dtype=bool),
            "username": obj(usernames),
            "first_name": staff.first_names,
            "last_name": staff.last_names,
            "email": obj(emails),
            "is_staff": np.zeros(n_users, dtype=bool),
            "is_active": np.ones(n_users, dtype=bool),
            "date_joined": as_timestamp(joined, 8 * 3600 + uniform_int(rng, np.zeros(n_users), 3600)),
            "role": obj(["caseworker"] * n_cw + ["team_lead"] * n_teams),
            "language": obj(["nl"] * n_users),
        },
    )
    members = Batch(
        TeamMember,
        {
            "id": np.arange(1, n_users + 1),
            "user_id": np.arange(1, n_users + 1),
            "team_id": np.concatenate([staff.team_of_caseworker, np.arange(n_teams)]) + 1,
            "hours_per_week": np.concatenate([staff.hours, np.full(n_teams, 36)]).astype("int64"),
        },
    )
    return [districts, teams, links, users, members]


# --------------------------------------------------------------------------------------------------
# Phase 2: the rows of one chunk of clients


class _Ids:
    """Relative id counters per model, continued across chunks."""

    def __init__(self) -> None:
        self.next: dict[type, int] = {}

    def take(self, model: type, n: int) -> np.ndarray:
        start = self.next.get(model, 1)
        self.next[model] = start + n
        return np.arange(start, start + n, dtype="int64")


def _bsns(start_prefix: int, n: int) -> tuple[list[str], int]:
    out: list[str] = []
    prefix = start_prefix
    while len(out) < n:
        bsn = bsn_with_check_digit(prefix)
        prefix += 1
        if bsn is not None:
            out.append(bsn)
    return out, prefix


POSTCODE_LETTERS = [
    a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ" if a + b not in ("SA", "SD", "SS")
]


def chunk_batches(
    pop: Population,
    spec: Spec,
    chunk: int,
    lo: int,
    hi: int,
    ids: _Ids,
    bsn_prefix: int,
    catalogue: A.Catalogue,
    market: E.Market,
) -> tuple[list[Batch], int]:
    """All rows of the clients lo..hi-1 (0-based). Returns the batches and the next free BSN prefix."""
    rng = rng_for(spec.seed, 2, chunk)
    n = hi - lo
    sl = slice(lo, hi)
    today, w = pop.today, pop.window_start
    cid = np.arange(lo + 1, hi + 1, dtype="int64")  # relative client ids == household ids
    on = pop.on[sl]
    kind = pop.kind[sl]
    birth = pop.birth[sl]
    age = pop.age[sl]
    female = pop.female[sl]
    origin = pop.origin[sl]
    district = pop.district[sl]
    hh_kind = np.array(P.HOUSEHOLD_KINDS, dtype=object)[pop.household[sl]]
    p0s, p0e, p0r = pop.p0_start[sl], pop.p0_end[sl], pop.p0_reason[sl]
    p1s, p1e, p1r = pop.p1_start[sl], pop.p1_end[sl], pop.p1_reason[sl]
    p2s = pop.p2_start[sl]
    returned = p2s >= 0
    ps = np.where(returned, p2s, p1s)  # start of the latest period
    out: list[Batch] = []

    # ---- clients
    bsns, bsn_prefix = _bsns(bsn_prefix, n)
    first, sur = person_names(rng, origin, female)
    mixed = (origin >= 0) & (rng.random(n) < 0.08)  # e.g. married to or born of a Dutch-origin partner
    sur[mixed] = pick(rng, P.SURNAMES_DUTCH, int(mixed.sum()))
    prefix = obj([s[0] for s in sur])
    surname = obj([s[1] for s in sur])
    street = np.empty(n, dtype=object)
    postcode = np.empty(n, dtype=object)
    letters = np.array(POSTCODE_LETTERS, dtype=object)[rng.integers(0, len(POSTCODE_LETTERS), n)]
    numbers = rng.integers(0, 10, n)
    for d, (_code, _name, _w, pc, streets) in enumerate(P.DISTRICTS):
        m = district == d
        street[m] = pick(rng, streets, int(m.sum()))
        postcode[m] = [f"{pc + k} {lt}" for k, lt in zip(numbers[m], letters[m], strict=True)]
    house = rng.integers(1, 240, n)
    addition = pick(rng, ("", "", "", "", "", "", "A", "B", "-1", "-2", "-3"), n)
    house_number = obj([f"{h}{a}" for h, a in zip(house, addition, strict=True)])
    has_email = rng.random(n) < 0.55
    email = obj(
        [
            f"{P.ascii_slug(f)}.{P.ascii_slug(s)}{c % 97}@example.org" if e else ""
            for f, s, c, e in zip(first, surname, cid, has_email, strict=True)
        ]
    )
    review = np.full(n, -1, dtype="int64")
    r = rng.random(n)
    review = np.where(
        r < P.REVIEW_OVERDUE_SHARE,
        today - uniform_int(rng, np.ones(n), 120),
        np.where(
            r < P.REVIEW_OVERDUE_SHARE + P.REVIEW_DUE_SOON_SHARE,
            today + uniform_int(rng, np.zeros(n), 27),
            today + uniform_int(rng, 28, 365),
        ),
    )
    first_start = np.where(p0s >= 0, p0s, p1s)
    out.append(
        Batch(
            Client,
            {
                "id": cid,
                "bsn": obj(bsns),
                "first_name": first,
                "surname_prefix": prefix,
                "surname": surname,
                "birth_date": as_date(birth),
                "gender": np.where(female, "f", "m").astype(object),
                "street": street,
                "house_number": house_number,
                "postcode": postcode,
                "city": obj([P.MUNICIPALITY] * n),
                "district_id": district.astype("int64") + 1,
                "phone": obj([""] * n),
                "email": email,
                "next_review_on": as_date(review, null=~on),
                "created_at": as_timestamp(
                    np.maximum(first_start, w - 3650), 8 * 3600 + uniform_int(rng, np.zeros(n), 30_000)
                ),
            },
        )
    )
    out.append(Batch(Household, {"id": cid, "client_id": cid, "kind": hh_kind}))

    # ---- household members: children (with birth dates), partners, co-residents
    parent = np.isin(hh_kind, ["single_parent", "couple_children"])
    n_children = np.where(parent, rng.choice(4, size=n, p=P.CHILDREN_COUNT_P) + 1, 0)
    owner, _rank = expand(n_children)
    max_child_days = np.minimum(18 * YEAR - 1, np.maximum(age[owner] - 18, 0) * YEAR).astype("int64")
    child_birth = today - uniform_int(rng, np.zeros(len(owner)), max_child_days)
    partnered = np.isin(hh_kind, ["couple", "couple_children"])
    p_idx = np.flatnonzero(partnered)
    partner_birth = np.minimum(
        birth[p_idx] + np.round(rng.normal(0, 4 * YEAR, len(p_idx))).astype("int64"), today - 18 * 366
    )
    cost = np.flatnonzero(hh_kind == "cost_sharers")
    n_co = rng.integers(1, 3, len(cost))
    co_owner_local, _ = expand(n_co)
    co_owner = cost[co_owner_local]
    co_age = np.where(age[co_owner] >= 45, uniform_int(rng, 18 * 366, 30 * 365), uniform_int(rng, 20 * 366, 60 * 365))
    m_owner = np.concatenate([owner, p_idx, co_owner])
    m_role = np.concatenate(
        [
            np.full(len(owner), "child", dtype=object),
            np.full(len(p_idx), "partner", dtype=object),
            np.full(len(co_owner), "co_resident", dtype=object),
        ]
    )
    m_birth = np.concatenate([child_birth, partner_birth, today - co_age])
    m_name = np.concatenate(
        [
            pick(rng, P.CHILD_NAMES, len(owner)),
            pick(rng, P.ADULT_CO_RESIDENT_NAMES, len(p_idx)),
            pick(rng, P.ADULT_CO_RESIDENT_NAMES, len(co_owner)),
        ]
    )
    order = np.lexsort((m_birth, m_owner))
    out.append(
        Batch(
            HouseholdMember,
            {
                "id": ids.take(HouseholdMember, len(order)),
                "household_id": cid[m_owner[order]],
                "role": m_role[order],
                "first_name": m_name[order],
                "birth_date": as_date(m_birth[order]),
            },
        )
    )
    # the youngest child's birth day per client (-1: none), for the single-parent exemptions
    youngest = np.full(n, -1, dtype="int64")
    np.maximum.at(youngest, owner, child_birth)

    # ---- benefit periods
    norm = np.where(
        np.isin(hh_kind, ["couple", "couple_children"]),
        "couple",
        np.where(hh_kind == "cost_sharers", "cost_sharer", "single"),
    ).astype(object)
    has0 = p0s >= 0
    bp_owner = np.concatenate([np.flatnonzero(has0), np.arange(n), np.flatnonzero(returned)])
    bp_start = np.concatenate([p0s[has0], p1s, p2s[returned]])
    bp_end = np.concatenate([p0e[has0], p1e, np.full(int(returned.sum()), -1)])
    bp_reason = np.concatenate([p0r[has0], p1r, np.full(int(returned.sum()), "", dtype=object)])
    order = np.lexsort((bp_start, bp_owner))
    bp_ids = ids.take(BenefitPeriod, len(order))
    bp_id_of_row = np.empty(len(order), dtype="int64")
    bp_id_of_row[order] = bp_ids
    n0 = int(has0.sum())
    p0_id = np.full(n, -1, dtype="int64")
    p0_id[has0] = bp_id_of_row[:n0]
    p1_id = bp_id_of_row[n0 : n0 + n]
    out.append(
        Batch(
            BenefitPeriod,
            {
                "id": bp_ids,
                "client_id": cid[bp_owner[order]],
                "start_on": as_date(bp_start[order]),
                "end_on": as_date(bp_end[order], null=bp_end[order] < 0),
                "norm": norm[bp_owner[order]],
                "exit_reason": bp_reason[order],
            },
        )
    )

    # Activity spans within the window: [lo1, hi1] in the first period, [lo2, hi2] in the return period.
    lo1 = np.maximum(p1s, w)
    hi1 = np.where(p1e >= 0, p1e, today - 1)
    lo2 = np.where(returned, p2s, 1)
    hi2 = np.where(returned, today - 1, 0)
    last_lo = np.where(returned, lo2, lo1)
    last_hi = np.where(returned, hi2, hi1)

    # ---- assignments: the last one (current when on benefit), some with an earlier one (history)
    staff = pop.staff
    cw = pop.caseworker[sl]
    team = staff.team_of_caseworker[cw]
    team_size = np.array([len(c) for c in staff.caseworkers_of_team])[team]
    other = (
        np.array(
            [staff.caseworkers_of_team[t][rng.integers(0, len(staff.caseworkers_of_team[t]))] for t in team],
            dtype="int64",
        )
        if n
        else np.zeros(0, dtype="int64")
    )
    other = np.where(other == cw, -1, other)
    r_lo = np.maximum(ps + 30, w)
    reassigned = (
        on & ~returned & (rng.random(n) < P.REASSIGNED_SHARE) & (team_size > 1) & (other >= 0) & (r_lo <= today - 14)
    )
    r_day = uniform_int(rng, r_lo, today - 14)
    last_start = np.where(kind == NEW, p1s, np.maximum(ps, today - uniform_int(rng, 0, int(4 * YEAR))))
    last_start = np.where(returned, p2s, last_start)
    last_start = np.where(reassigned, r_day, last_start)
    off = ~on
    last_start = np.where(off, np.maximum(p1s, p1e - uniform_int(rng, 0, int(4 * YEAR))), last_start)
    last_end = np.where(off, p1e, -1)
    prev_cw = np.full(n, -1, dtype="int64")
    prev_start = np.full(n, -1, dtype="int64")
    prev_end = np.full(n, -1, dtype="int64")
    prev_cw[reassigned] = other[reassigned]
    prev_start[reassigned] = np.maximum(ps, r_day - uniform_int(rng, 180, int(4 * YEAR)))[reassigned]
    prev_end[reassigned] = r_day[reassigned] - 1
    same = rng.random(n) < 0.5
    prev_cw[returned] = np.where(same | (other < 0), cw, other)[returned]
    prev_start[returned] = np.maximum(p1s, p1e - uniform_int(rng, 0, int(3 * YEAR)))[returned]
    prev_end[returned] = p1e[returned]
    has_prev = prev_cw >= 0

    def caseworker_at(owner_idx: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Relative user id of the caseworker responsible on `day` (best effort before the known history)."""
        use_prev = has_prev[owner_idx] & (day < last_start[owner_idx])
        return np.where(use_prev, prev_cw[owner_idx], cw[owner_idx]) + 1

    a_owner = np.concatenate([np.flatnonzero(has_prev), np.arange(n)])
    a_cw = np.concatenate([prev_cw[has_prev], cw])
    a_start = np.concatenate([prev_start[has_prev], last_start])
    a_end = np.concatenate([prev_end[has_prev], last_end])
    a_reason = np.concatenate(
        [
            pick(rng, P.ASSIGNMENT_REASONS_INITIAL, int(has_prev.sum())),
            np.where(
                reassigned,
                pick(rng, P.ASSIGNMENT_REASONS_CHANGE[:4], n),
                np.where(returned, P.ASSIGNMENT_REASONS_CHANGE[4], pick(rng, P.ASSIGNMENT_REASONS_INITIAL, n)),
            ),
        ]
    ).astype(object)
    order = np.lexsort((a_start, a_owner))
    a_team = staff.team_of_caseworker[a_cw[order]]
    assignments = Batch(
        Assignment,
        {
            "id": ids.take(Assignment, len(order)),
            "client_id": cid[a_owner[order]],
            "caseworker_id": a_cw[order] + 1,
            "team_id": a_team + 1,
            "start_on": as_date(a_start[order]),
            "end_on": as_date(a_end[order], null=a_end[order] < 0),
            "assigned_by_id": staff.lead_user(a_team),
            "reason": a_reason[order],
        },
    )

    # ---- circumstances: the current facts, and for some an earlier recording that differed a little
    two = (rng.random(n) < 0.55) & (last_hi - lo1 > 60)
    rec_last = np.where(
        two, uniform_int(rng, np.maximum(lo1 + 31, last_lo), last_hi), uniform_int(rng, lo1, np.minimum(lo1 + 60, hi1))
    )
    rec_first = np.where(two, uniform_int(rng, lo1, np.minimum(lo1 + 30, rec_last - 1)), rec_last)
    education, health = pop.education[sl], pop.health[sl]
    debts, social, dutch = pop.debts[sl], pop.social[sl], pop.dutch[sl]
    care = pop.care[sl]
    earlier_debts = np.where(two & (debts == "some") & (rng.random(n) < 0.4), "problematic", debts)
    earlier_social = np.where(two & (social == "limited") & (rng.random(n) < 0.25), "isolated", social)
    earlier_dutch = np.where(two & (dutch == "1f") & (rng.random(n) < 0.3), "below_1f", dutch)
    work_years = pop.work_years[sl]
    # the last job ended shortly before benefit for those close to work, longer before for those far from it
    gap = (rng.random(n) * 3 * YEAR * np.clip(1 + 0.9 * pop.z[sl], 0.15, 3.0)).astype("int64")
    last_worked = np.where(work_years > 0, year_of(first_start - gap), -1)
    last_worked = np.where(last_worked >= 0, np.maximum(last_worked, year_of(birth) + 16), -1)
    last_worked = np.where(last_worked > year_of(rec_first), year_of(rec_first), last_worked)
    c_owner = np.concatenate([np.flatnonzero(two), np.arange(n)])
    c_day = np.concatenate([rec_first[two], rec_last])
    first_rows = np.arange(len(c_owner)) < int(two.sum())

    def both(earlier: np.ndarray, current: np.ndarray) -> np.ndarray:
        return np.where(first_rows, earlier[c_owner], current[c_owner]).astype(object)

    c_health = health[c_owner]
    health_note = np.where(c_health == "none", "", pick(rng, P.HEALTH_NOTES["some"], len(c_owner)))
    health_note = np.where(c_health == "severe", pick(rng, P.HEALTH_NOTES["severe"], len(c_owner)), health_note)
    health_note = np.where(rng.random(len(c_owner)) < 0.6, health_note, "")
    c_care = care[c_owner]
    care_note = np.where(c_care & (rng.random(len(c_owner)) < 0.7), pick(rng, P.CARE_NOTES, len(c_owner)), "")
    order = np.lexsort((c_day, c_owner))
    out.append(
        Batch(
            Circumstances,
            {
                "id": ids.take(Circumstances, len(order)),
                "client_id": cid[c_owner[order]],
                "recorded_on": as_date(c_day[order]),
                "recorded_by_id": caseworker_at(c_owner, c_day)[order],
                "education": education[c_owner][order].astype(object),
                "work_experience_years": work_years[c_owner][order],
                "last_worked_year": last_worked[c_owner][order],
                "dutch_level": both(earlier_dutch, dutch)[order],
                "health": c_health[order].astype(object),
                "health_note": health_note[order].astype(object),
                "care_duties": c_care[order],
                "care_note": care_note[order].astype(object),
                "debts": both(earlier_debts, debts)[order],
                "social": both(earlier_social, social)[order],
                "note": obj([""] * len(order)),
            },
        )
    )

    # ---- ladder measurements: 1-4 in two years (the days; the steps follow what the client was doing on the day and
    # are set with the activation rows below, trede.synth.activation); step 6 at a work exit
    z = pop.z[sl]
    k = rng.choice(4, size=n, p=(0.30, 0.35, 0.25, 0.10)) + 1
    l_owner, _ = expand(k)
    l_day = in_spans(rng, lo1[l_owner], hi1[l_owner], lo2[l_owner], hi2[l_owner])
    order = np.lexsort((l_day, l_owner))
    l_owner, l_day = l_owner[order], l_day[order]
    # drawn as before the steps moved to the activation rows, so that every later row stays the same
    rng.standard_normal(n)
    rng.choice([0.0, 0.5, -0.4], size=n, p=(0.7, 0.2, 0.1))
    six = np.flatnonzero((p1r == WORK_REASON) & (p1e >= w))
    l_note = pick(rng, P.LADDER_NOTES, len(l_owner) + len(six))

    # ---- exemptions (on benefit: about 10% exempt from the work obligation today; history; leavers)
    # (owner, obligation, ground, start, end, review, ended_on, end_reason, tag); tag: the row's index among the
    # art. 9a exemptions (their reviews point at it), else -1
    ex_rows: list[tuple] = []

    def add_rows(owner_idx, obligation, ground, start, end, review, ended=None, end_reason=None, tag=None) -> None:
        m = len(owner_idx)
        if not m:
            return
        ended = np.full(m, -1, dtype="int64") if ended is None else ended
        end_reason = np.full(m, "", dtype=object) if end_reason is None else end_reason
        tag = np.full(m, -1, dtype="int64") if tag is None else tag
        ex_rows.append(
            (
                owner_idx,
                np.full(m, obligation, dtype=object),
                np.full(m, ground, dtype=object),
                start,
                end,
                review,
                ended,
                end_reason,
                tag,
            )
        )

    on_idx = np.flatnonzero(on)
    target = round(P.EXEMPTION_SHARE * len(on_idx))
    taken = np.zeros(n, dtype=bool)
    sp = hh_kind == "single_parent"
    young_age = np.where(youngest >= 0, today - youngest, 10**6)
    # art. 9a: single parent, child under 5 (with a month's margin today), granted within the last ~3 years (the
    # youngest child was born by then, so it is the youngest under 5 on the start date); it ends at the latest
    # after 60 months and the day before that child turns 5, so it still runs today
    weights = (on & sp & (young_age < 5 * 365 - 30)).astype("float64")
    a = choose_weighted(rng, weights, round(target * P.EXEMPTION_GROUND_SHARES["single_parent_under_5"]))
    taken[a] = True
    a_lo = np.maximum.reduce([ps[a], youngest[a], np.full(len(a), today - P.EXEMPTION_9A_MAX_AGE_DAYS)])
    a_hi = np.minimum(today - 1, add_months_days(youngest[a], 60) - 1)
    a_s = uniform_int(rng, a_lo, a_hi)
    a_end = np.minimum(add_months_days(a_s, 60) - 1, add_months_days(youngest[a], 60) - 1)
    a_granted_review = np.minimum.reduce([a_s + uniform_int(rng, 120, 181), add_months_days(a_s, 6), a_end])
    # the 6-monthly re-examinations: each on the date the previous one set, while that date has passed
    rv_tag, rv_on, rv_next = [], [], []
    a_review = a_granted_review.copy()
    going = np.ones(len(a), dtype=bool)
    overdue = rng.random(len(a)) < P.EXEMPTION_REVIEW_OVERDUE_SHARE  # the latest review not done yet
    while True:
        due = going & (a_review < today)
        if not due.any():
            break
        months = np.where(rng.random(len(a)) < P.EXEMPTION_REVIEW_SHORTER_SHARE, 3, 6)
        nxt = np.minimum(add_months_days(a_review, months), a_end)  # a_end >= today > a_review
        done = due & ~(overdue & (nxt >= today))
        k = np.flatnonzero(done)
        rv_tag.append(k)
        rv_on.append(a_review[k])
        rv_next.append(nxt[k])
        a_review = np.where(done, nxt, a_review)
        going = done
    add_rows(a, "work_obligation", "single_parent_under_5", a_s, a_end, a_review, tag=np.arange(len(a)))
    # art. 9 lid 4: single parent, child under 12, no childcare; ends at the latest the day before the youngest
    # child turns 12 (a year or more away: that child is under 11 today), often sooner (childcare found by then)
    weights = (on & sp & ~taken & (young_age < 11 * 365)).astype("float64")
    b = choose_weighted(rng, weights, round(target * P.EXEMPTION_GROUND_SHARES["single_parent_no_childcare"]))
    taken[b] = True
    b_s = uniform_int(rng, np.maximum.reduce([ps[b], youngest[b], np.full(len(b), today - 365)]), today - 1)
    b_lapse = add_months_days(youngest[b], 12 * 12) - 1
    b_end = np.where(
        rng.random(len(b)) < 0.3, b_lapse, np.minimum(b_lapse, today + uniform_int(rng, np.ones(len(b)), 365))
    )
    b_review = np.minimum(b_s + uniform_int(rng, 90, 365), b_end)
    add_rows(b, "work_obligation", "single_parent_no_childcare", b_s, b_end, b_review)
    # art. 9 lid 5: fully and permanently unfit (work, cooperation; tegenprestatie not imposed on them)
    weights = (on & ~taken & (health == "severe") & (age >= 35)).astype("float64")
    c = choose_weighted(rng, weights, round(target * P.EXEMPTION_GROUND_SHARES["fully_disabled"]))
    taken[c] = True
    c_s = uniform_int(rng, np.maximum(ps[c], today - 1500), today - 1)
    c_review = np.maximum(c_s, today + uniform_int(rng, -60, 700))
    for obligation in ("work_obligation", "cooperation"):
        add_rows(c, obligation, "fully_disabled", c_s, np.full(len(c), -1), c_review)
    # art. 9 lid 2: urgent reasons, the rest, weighted towards health problems and care
    weights = np.where(
        on & ~taken,
        0.3 + 3.0 * (health == "severe") + 1.5 * (health == "some") + 1.5 * care + 0.8 * (debts == "problematic"),
        0.0,
    )
    d = choose_weighted(rng, weights, target - len(a) - len(b) - len(c))
    taken[d] = True
    d_s = uniform_int(rng, np.maximum(ps[d], today - 420), today - 1)
    d_review = add_months_days(d_s, np.where(rng.random(len(d)) < 0.75, 12, 6))
    d_end = np.where(rng.random(len(d)) < 0.25, today + uniform_int(rng, 1, 300), -1)
    d_review = np.where(d_end >= 0, np.minimum(d_review, d_end), d_review)  # never after the end date
    add_rows(d, "work_obligation", "urgent_reasons", d_s, d_end, d_review)

    # history: an earlier urgent-reasons exemption that ended (early, or on its end date) before any current one
    current_start = np.full(n, today, dtype="int64")
    current_start[a], current_start[b], current_start[c], current_start[d] = a_s, b_s, c_s, d_s
    h_lo = np.maximum(ps, w)
    h_room = current_start - 30 - h_lo
    h = np.flatnonzero(on & (h_room > 90) & (rng.random(n) < np.where(taken, 0.35, P.EXEMPTION_HISTORY_SHARE)))
    h_s = uniform_int(rng, h_lo[h], h_lo[h] + h_room[h] - 90)
    h_end = uniform_int(rng, h_s + 60, current_start[h] - 30)
    early = rng.random(len(h)) < 0.5
    add_rows(
        h,
        "work_obligation",
        "urgent_reasons",
        h_s,
        np.where(early, -1, h_end),
        np.where(early, add_months_days(h_s, 12), -1),
        np.where(early, h_end, -1),
        np.where(early, pick(rng, P.EXEMPTION_END_REASONS, len(h)), "").astype(object),
    )
    # leavers: an exemption during their period, ended with the benefit
    gone = np.flatnonzero(~on & (p1e - lo1 > 60) & (rng.random(n) < 0.08))
    g_s = uniform_int(rng, lo1[gone], p1e[gone] - 30)
    add_rows(
        gone,
        "work_obligation",
        "urgent_reasons",
        g_s,
        np.full(len(gone), -1),
        add_months_days(g_s, 12),
        p1e[gone],
        np.full(len(gone), P.EXEMPTION_END_BENEFIT, dtype=object),
    )

    # ---- obligations: work and cooperation for every period in the window; language; tegenprestatie
    o_rows: list[tuple] = []

    def add_obligation(owner_idx, kind_name, start, end) -> None:
        o_rows.append((owner_idx, np.full(len(owner_idx), kind_name, dtype=object), start, end))

    all_idx = np.arange(n)
    ret = np.flatnonzero(returned)
    for kind_name in ("work_obligation", "cooperation"):
        add_obligation(all_idx, kind_name, p1s, p1e)
        add_obligation(ret, kind_name, p2s[ret], np.full(len(ret), -1))
    lang = np.flatnonzero(np.isin(earlier_dutch, ["below_1f"]) | (dutch == "below_1f"))
    lang_start = np.maximum(ps[lang], max(day_number(TAALEIS_IN_FORCE), 0))
    lang_end = np.where(returned[lang], -1, p1e[lang])
    improved = dutch[lang] != "below_1f"
    lang_end = np.where(improved, np.maximum(rec_last[lang], lang_start), lang_end)
    add_obligation(lang, "language_requirement", lang_start, lang_end)
    # language exemptions (art. 18b) for some below 1F still obliged today
    open_lang = lang[~improved & on[lang]]
    le = open_lang[rng.random(len(open_lang)) < P.LANGUAGE_UNABLE_SHARE]
    le_start = np.maximum(ps[le], max(day_number(TAALEIS_IN_FORCE), 0))
    le_s = uniform_int(rng, np.maximum(le_start, today - 400), today - 1)
    add_rows(le, "language_requirement", "language_unable", le_s, np.full(len(le), -1), add_months_days(le_s, 12))
    # tegenprestatie for some long-term clients (not the fully disabled); lifted too for urgent-reason exemptions
    fully = np.zeros(n, dtype=bool)
    fully[c] = True
    tp = np.flatnonzero(on & ~returned & (ps < w) & ~fully & (rng.random(n) < P.TEGENPRESTATIE_SHARE))
    tp_start = uniform_int(rng, np.full(len(tp), w), today - 30)
    add_obligation(tp, "tegenprestatie", tp_start, np.full(len(tp), -1))
    tp_start_of = np.full(n, 10**9, dtype="int64")
    tp_start_of[tp] = tp_start
    lift = (tp_start_of[d] <= d_s) & (rng.random(len(d)) < 0.6)
    add_rows(d[lift], "tegenprestatie", "urgent_reasons", d_s[lift], d_end[lift], d_review[lift])

    # ---- activation: referrals, their events, participation, and the ladder steps that go with them
    tp_exempt_start = np.full(n, A.NEVER, dtype="int64")
    tp_exempt_end = np.full(n, A.NEVER, dtype="int64")
    tp_exempt_start[d[lift]] = d_s[lift]
    tp_exempt_end[d[lift]] = np.where(d_end[lift] >= 0, d_end[lift], A.NEVER)
    facts = A.ChunkFacts(
        lo=lo,
        cid=cid,
        on=on,
        p1s=p1s,
        p1e=p1e,
        p1r=p1r,
        p2s=p2s,
        w=w,
        today=today,
        ladder_owner=l_owner,
        ladder_day=l_day,
        ladder_note=l_note[: len(l_owner)],
        six=six,
        six_note=l_note[len(l_owner) :],
        tp_start=np.where(tp_start_of < 10**9, tp_start_of, A.NEVER),
        tp_exempt_start=tp_exempt_start,
        tp_exempt_end=tp_exempt_end,
    )
    out += A.chunk_rows(pop, spec, chunk, hi, facts, ids, catalogue, caseworker_at)

    o_owner = np.concatenate([r[0] for r in o_rows])
    o_kind = np.concatenate([r[1] for r in o_rows])
    o_start = np.concatenate([r[2] for r in o_rows])
    o_end = np.concatenate([r[3] for r in o_rows])
    order = np.lexsort((o_start, o_kind, o_owner))
    out.append(
        Batch(
            Obligation,
            {
                "id": ids.take(Obligation, len(order)),
                "client_id": cid[o_owner[order]],
                "kind": o_kind[order],
                "start_on": as_date(o_start[order]),
                "end_on": as_date(o_end[order], null=o_end[order] < 0),
                "note": obj([""] * len(order)),
            },
        )
    )

    e_owner = np.concatenate([r[0] for r in ex_rows])
    e_obl = np.concatenate([r[1] for r in ex_rows])
    e_ground = np.concatenate([r[2] for r in ex_rows])
    e_start = np.concatenate([r[3] for r in ex_rows]).astype("int64")
    e_end = np.concatenate([r[4] for r in ex_rows]).astype("int64")
    e_review = np.concatenate([r[5] for r in ex_rows]).astype("int64")
    e_ended = np.concatenate([r[6] for r in ex_rows]).astype("int64")
    e_end_reason = np.concatenate([r[7] for r in ex_rows])
    e_tag = np.concatenate([r[8] for r in ex_rows])
    order = np.lexsort((e_start, e_obl, e_owner))
    e_owner, e_obl, e_ground = e_owner[order], e_obl[order], e_ground[order]
    e_start, e_end, e_review, e_ended = e_start[order], e_end[order], e_review[order], e_ended[order]
    reasons = np.empty(len(order), dtype=object)
    for ground, texts in P.EXEMPTION_REASONS.items():
        m = e_ground == ground
        reasons[m] = pick(rng, texts, int(m.sum()))
    e_ids = ids.take(Exemption, len(order))
    e_tag = e_tag[order]
    id_of_tag = np.zeros(len(a), dtype="int64")
    id_of_tag[e_tag[e_tag >= 0]] = e_ids[e_tag >= 0]
    out.append(
        Batch(
            Exemption,
            {
                "id": e_ids,
                "client_id": cid[e_owner],
                "obligation": e_obl,
                "ground": e_ground,
                "start_on": as_date(e_start),
                "end_on": as_date(e_end, null=e_end < 0),
                "review_on": as_date(e_review, null=e_review < 0),
                "reason": reasons,
                "granted_by_id": caseworker_at(e_owner, e_start),
                "granted_at": as_timestamp(e_start, 9 * 3600 + uniform_int(rng, np.zeros(len(order)), 25_000)),
                "ended_on": as_date(e_ended, null=e_ended < 0),
                "end_reason": e_end_reason[order],
            },
        )
    )
    rv_tag_all = np.concatenate(rv_tag) if rv_tag else np.zeros(0, dtype="int64")
    rv_on_all = np.concatenate(rv_on) if rv_on else np.zeros(0, dtype="int64")
    rv_next_all = np.concatenate(rv_next) if rv_next else np.zeros(0, dtype="int64")
    rv_exemption = id_of_tag[rv_tag_all]
    order = np.lexsort((rv_on_all, rv_exemption))
    rv_owner = a[rv_tag_all[order]]
    rv_on_all, rv_next_all = rv_on_all[order], rv_next_all[order]
    rv_note = pick(rng, P.EXEMPTION_REVIEW_NOTES, len(order))
    out.append(
        Batch(
            ExemptionReview,
            {
                "id": ids.take(ExemptionReview, len(order)),
                "exemption_id": rv_exemption[order],
                "reviewed_on": as_date(rv_on_all),
                "reviewed_by_id": caseworker_at(rv_owner, rv_on_all),
                "next_review_on": as_date(rv_next_all),
                "note": rv_note,
            },
        )
    )

    # ---- contact moments: one recent contact for most clients on benefit, some none for > 90 days
    years = (np.maximum(hi1 - lo1 + 1, 0) + np.maximum(hi2 - lo2 + 1, 0)) / YEAR
    rate = np.where(
        z > 0.5,
        P.CONTACTS_PER_YEAR_FAR,
        np.where(z < -0.5, P.CONTACTS_PER_YEAR_NEAR, (P.CONTACTS_PER_YEAR_FAR + P.CONTACTS_PER_YEAR_NEAR) / 2),
    )
    free = rng.poisson(rate * years)
    r = rng.random(n)
    silent = on & (r < P.NO_RECENT_CONTACT_SHARE)
    none_at_all = on & (r < P.NO_CONTACT_AT_ALL_SHARE)
    cap = np.where(silent, today - P.CONTACT_NORM_DAYS - 1, today - 1)
    c_hi1, c_hi2 = np.minimum(hi1, cap), np.minimum(hi2, cap)
    span = np.maximum(c_hi1 - lo1 + 1, 0) + np.maximum(c_hi2 - lo2 + 1, 0)
    free = np.where((span > 0) & ~none_at_all, free, 0)
    recent = on & ~silent
    f_owner, _ = expand(free)
    f_day = in_spans(rng, lo1[f_owner], c_hi1[f_owner], lo2[f_owner], c_hi2[f_owner])
    r_owner = np.flatnonzero(recent)
    r_day = uniform_int(rng, np.maximum(last_lo[r_owner], today - P.CONTACT_NORM_DAYS + 1), today - 1)
    k_owner = np.concatenate([f_owner, r_owner])
    k_day = np.concatenate([f_day, r_day])
    order = np.lexsort((k_day, k_owner))
    k_owner, k_day = k_owner[order], k_day[order]
    channel_names = list(P.CONTACT_TEMPLATES)
    channel = rng.choice(len(channel_names), size=len(k_owner), p=(0.35, 0.08, 0.30, 0.07, 0.15, 0.05))
    summary = np.empty(len(k_owner), dtype=object)
    for ci, name in enumerate(channel_names):
        m = channel == ci
        summary[m] = _summaries(name)[rng.integers(0, len(_summaries(name)), int(m.sum()))]
    out.append(
        Batch(
            ContactMoment,
            {
                "id": ids.take(ContactMoment, len(k_owner)),
                "client_id": cid[k_owner],
                "contact_on": as_date(k_day),
                "channel": np.array(channel_names, dtype=object)[channel],
                "summary": summary,
                "recorded_by_id": caseworker_at(k_owner, k_day),
                "created_at": as_timestamp(k_day, 7 * 3600 + uniform_int(rng, np.zeros(len(k_owner)), 34_000)),
            },
        )
    )

    # ---- action plan items: open, overdue and done ones for clients on benefit; done ones for leavers
    k = np.where(on, rng.choice(5, size=n, p=(0.15, 0.30, 0.27, 0.17, 0.11)), rng.integers(0, 2, n))
    i_owner, _ = expand(k)
    created = in_spans(rng, lo1[i_owner], hi1[i_owner], lo2[i_owner], hi2[i_owner])
    deadline = created + uniform_int(rng, np.full(len(i_owner), 14), 120)
    i_on = on[i_owner]
    p_done = np.where(deadline < today, 0.75, 0.2)
    done = (rng.random(len(i_owner)) < p_done) | ~i_on
    done_hi = np.where(i_on, np.minimum(today - 1, deadline + 20), np.minimum(deadline, hi1[i_owner]))
    done_on = np.where(done, uniform_int(rng, created, np.maximum(done_hi, created)), -1)
    responsible = rng.choice(3, size=len(i_owner), p=(0.6, 0.25, 0.15))
    partner_note = np.where(responsible == 2, pick(rng, P.ACTION_PARTNERS, len(i_owner)), "").astype(object)
    order = np.lexsort((created, i_owner))
    out.append(
        Batch(
            ActionItem,
            {
                "id": ids.take(ActionItem, len(order)),
                "client_id": cid[i_owner[order]],
                "description": pick(rng, P.ACTION_DESCRIPTIONS, len(order)),
                "responsible": np.array(["client", "caseworker", "partner"], dtype=object)[responsible[order]],
                "responsible_note": partner_note[order],
                "deadline": as_date(deadline[order]),
                "done_on": as_date(done_on[order], null=done_on[order] < 0),
                "created_by_id": caseworker_at(i_owner, created)[order],
                "created_on": as_date(created[order]),
            },
        )
    )
    # ---- routes and employer services: route decisions, work profiles, referrals to vacancies, placements, exits
    dutch_levels = ("below_1f", "1f", "2f", "3f")
    e_last = np.minimum(np.where(e_end >= 0, e_end, E.NEVER), np.where(e_ended >= 0, e_ended, E.NEVER))
    work_facts = E.WorkFacts(
        lo=lo,
        cid=cid,
        on=on,
        p0s=p0s,
        p0e=p0e,
        p0r=p0r,
        p1s=p1s,
        p1e=p1e,
        p1r=p1r,
        p2s=p2s,
        p0_id=p0_id,
        p1_id=p1_id,
        dutch_min=np.minimum(
            np.select([dutch == x for x in dutch_levels], range(4), 0),
            np.select([earlier_dutch == x for x in dutch_levels], range(4), 0),
        ),
        team=team,
        exemptions={
            obligation: (e_owner[m], e_start[m], e_last[m], e_ground[m])
            for obligation in ("work_obligation", "cooperation", "tegenprestatie", "language_requirement")
            for m in [e_obl == obligation]
        },
        w=w,
        today=today,
    )
    out += E.chunk_rows(pop, spec, chunk, hi, work_facts, ids, market, caseworker_at)
    # ---- sanction cases: on obligations in force and not exempt on the breach day (trede.synth.sanctions)
    urgent_from = np.full(n, S.NEVER, dtype="int64")
    urgent = e_ground == "urgent_reasons"
    np.minimum.at(urgent_from, e_owner[urgent], e_start[urgent])
    sanction_facts = S.SanctionFacts(
        lo=lo,
        cid=cid,
        today=today,
        w=w,
        spans=(lo1, hi1, lo2, hi2),
        age=age,
        female=female,
        health=health,
        care=care,
        recorded_from=rec_first,
        norm=norm,
        exemptions={
            obligation: (e_owner[m], e_start[m], e_last[m])
            for obligation in ("work_obligation", "cooperation", "language_requirement")
            for m in [e_obl == obligation]
        },
        urgent_from=urgent_from,
        language=(lang, lang_start, lang_end),
    )
    out += S.chunk_rows(pop, spec, chunk, hi, sanction_facts, ids, caseworker_at)
    out.append(assignments)
    return out, bsn_prefix


_SUMMARY_CACHE: dict[str, np.ndarray] = {}


def _summaries(channel: str) -> np.ndarray:
    """Every summary a channel's templates can produce (a few hundred): rows pick one by index."""
    if channel not in _SUMMARY_CACHE:
        texts = [
            t.format(topic=topic, agreement=agreement).strip()
            for t in P.CONTACT_TEMPLATES[channel]
            for topic in P.CONTACT_TOPICS
            for agreement in P.CONTACT_AGREEMENTS
        ]
        texts = [s[0].upper() + s[1:] for s in dict.fromkeys(texts)]
        _SUMMARY_CACHE[channel] = obj(texts)
    return _SUMMARY_CACHE[channel]


# --------------------------------------------------------------------------------------------------
# The whole municipality


def generate(spec: Spec, pop: Population | None = None) -> Iterator[tuple[int, list[Batch]]]:
    """Yield (clients done so far, batches): first the staff (0 clients), then one item per chunk."""
    pop = pop if pop is not None else population(spec)
    catalogue, catalogue_batches = A.catalogue(pop, spec, pop.spells)
    market, market_batches = E.market(pop, spec)
    yield 0, staff_batches(pop, spec) + catalogue_batches + market_batches
    ids = _Ids()
    bsn_prefix = P.SYNTH_BSN_FIRST_PREFIX
    for chunk, lo in enumerate(range(0, spec.clients, CHUNK_SIZE)):
        hi = min(lo + CHUNK_SIZE, spec.clients)
        batches, bsn_prefix = chunk_batches(pop, spec, chunk, lo, hi, ids, bsn_prefix, catalogue, market)
        if bsn_prefix > SYNTH_BSN_PREFIX_END:  # pragma: no cover - impossible for clients <= MAX_CLIENTS
            raise RuntimeError("the generator ran out of its reserved BSN range")
        yield hi, batches


def is_synthetic_bsn(bsn: str | None) -> bool:
    """True when `bsn` lies in the range the generator hands out (SYNTH_BSN_FIRST..SYNTH_BSN_LAST)."""
    return bsn is not None and len(bsn) == 9 and bsn.isdigit() and SYNTH_BSN_FIRST <= bsn <= SYNTH_BSN_LAST


def digest(spec: Spec) -> str:
    """SHA-256 of every generated row (relative ids): equal for equal specs, different otherwise."""
    from trede.synth.loader import copy_text

    h = hashlib.sha256()
    for _done, batches in generate(spec):
        for batch in batches:
            h.update(batch.model._meta.label.encode())
            h.update(copy_text(batch, {}, postgres=True).encode())
    return h.hexdigest()
