"""The simulated population as compact NumPy columns: a caseload at month 0 (the stock) and the people who will
apply later (the inflow), one row per person.

Two ways in:
- `synthetic(n, seed)`: a synthetic caseload of any size (100 to 406,000, the national scale) drawn from the shares
  of trede.synth.profile (the synthetic municipality's calibration targets, each with its source; no Django);
- `population_from_frame(frame)`: a municipality's own caseload, one row per client on benefit, as a pandas
  DataFrame with the columns of FRAME_COLUMNS (an extract of trede's data).
`with_inflow(rate, horizon)` then adds the people who apply during the horizon: for a synthetic population drawn
from the inflow profile below, for a municipality's caseload copied from its own recent entrants (on benefit less
than a year). The inflow belongs to the population, not to a scenario, so that every scenario sees the same
people (common random numbers).

Static columns only: what changes month by month lives in the engine (engine.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from trede.simulation import rng as R
from trede.simulation.scenario import HOUSEHOLDS, ROUTES, SEGMENTS
from trede.synth import profile as P  # pure constants with their sources (no Django)

AGE_BANDS = ("18-26", "27-34", "35-44", "45-54", "55-66", "67+")  # for results and the caseload extract
AGE_BAND_YEARS = ((18, 27), (27, 35), (35, 45), (45, 55), (55, 67), (67, 70))
STARTS = ("stock", "inflow")  # on benefit at month 0, or applied later
PENSION_MONTHS = 12 * P.STATE_PENSION_AGE  # state pension (AOW) at 67: the benefit ends
ADULT_MONTHS = 12 * P.ADULT_AGE
MIN_PEOPLE, MAX_PEOPLE = 100, 406_000  # synthetic sizes (issue 10: 100 to the national 406,000)
FRAME_COLUMNS = (
    "client_key",
    "age_band",
    "household_type",
    "district",
    "route",
    "ladder_step",
    "months_on_benefit",
    "exempt_work",
)

# Distance to work and ladder step of the synthetic stock. population.md: roughly half the caseload is far from
# work (profile.FAR_FROM_WORK_SHARE), never under 27; the quarter closest to work is "near" (as in synth.generator).
NEAR_SHARE = 0.25
# Ladder steps 1-5 by distance to work (near, middle, far). Assumption. For the far group: population.md,
# Amsterdam's share of active clients (step 3 or higher) in the far group was 25% before its push.
LADDER_SHARES = (
    (0.02, 0.10, 0.30, 0.25, 0.33),
    (0.05, 0.25, 0.35, 0.20, 0.15),
    (0.25, 0.50, 0.17, 0.08, 0.00),
)
EXEMPT_SHARE = P.EXEMPTION_SHARE  # population.md: about 10% exempt from the work obligation (Divosa 2017)
# Who applies (the inflow). Assumptions: entrants are younger and closer to work than the stock: the age bands of
# the leavers in profile.AGE_BANDS_LEAVERS (in a steady caseload inflow and outflow match), and of those aged 27
# and over 45% near, 35% middle, 20% far from work.
INFLOW_SEGMENT_SHARES = (0.45, 0.35, 0.20)
LADDER_UNKNOWN = (3, 3, 2)  # a frame's unknown ladder step (0), by distance to work: the most common step above


@dataclass(frozen=True)
class Population:
    """One row per person; index = person number (the random numbers are keyed on it)."""

    client_key: np.ndarray  # int64: the municipality's pseudonymous key, or 1..n for synthetic people
    age_months: np.ndarray  # int16: age in months at the start of the benefit in the model (month 0 or entry)
    segment: np.ndarray  # int8: index into scenario.SEGMENTS (near, middle, far)
    route: np.ndarray  # int8: index into scenario.ROUTES (none, work, participation, youth)
    household: np.ndarray  # int8: index into scenario.HOUSEHOLDS
    district: np.ndarray  # int16: index into `districts`
    ladder: np.ndarray  # int8: 1-5 at the start
    duration: np.ndarray  # int16: months on benefit at the start (0 for the inflow)
    exempt: np.ndarray  # bool: an individual exemption from the work obligation
    entry_month: np.ndarray  # int16: 0 for the stock, the month of application for the inflow (sorted)
    districts: tuple[str, ...]
    origin: str = "synthetic"  # "synthetic" or "frame"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.client_key)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and len(value) != n:
                raise ValueError(f"column {f.name} has {len(value)} rows, not {n}")
        if n and np.any(np.diff(self.entry_month) < 0):
            raise ValueError("entry_month must be sorted (the stock first, then the inflow by month)")
        if n and (self.ladder.min() < 1 or self.ladder.max() > 5):
            raise ValueError("ladder must be 1-5 on benefit")

    @property
    def n(self) -> int:
        return len(self.client_key)

    @property
    def n_stock(self) -> int:
        return int(np.searchsorted(self.entry_month, 1))

    @property
    def age_band(self) -> np.ndarray:
        """int8 index into AGE_BANDS, by age at the start."""
        edges = np.array([12 * hi for _, hi in AGE_BAND_YEARS[:-1]], dtype=np.int32)
        return np.searchsorted(edges, self.age_months.astype(np.int32), side="right").astype(np.int8)

    @property
    def start(self) -> np.ndarray:
        """int8 index into STARTS."""
        return (self.entry_month > 0).astype(np.int8)

    def take(self, index: np.ndarray) -> Population:
        """The rows at `index` (must keep entry_month sorted)."""
        kw = {
            f.name: getattr(self, f.name)[index] for f in fields(self) if isinstance(getattr(self, f.name), np.ndarray)
        }
        return replace(self, **kw)

    def summary(self) -> dict:
        """Counts and shares for a report."""
        stock = self.entry_month == 0
        out = {"people": self.n, "stock": int(stock.sum()), "inflow": int((~stock).sum()), "origin": self.origin}
        for name, codes, labels in (
            ("segment", self.segment, SEGMENTS),
            ("route", self.route, ROUTES),
            ("age_band", self.age_band, AGE_BANDS),
            ("household", self.household, HOUSEHOLDS),
        ):
            counts = np.bincount(codes[stock], minlength=len(labels))
            out[name] = {label: int(c) for label, c in zip(labels, counts, strict=True)}
        out["exempt_share"] = float(self.exempt[stock].mean()) if stock.any() else 0.0
        out["mean_duration_months"] = float(self.duration[stock].mean()) if stock.any() else 0.0
        return out


def allocate(gen: np.random.Generator, n: int, shares) -> np.ndarray:
    """Exactly n labels 0..k-1 with counts matching `shares` (largest remainder), in random order."""
    shares = np.asarray(shares, dtype=np.float64)
    shares = shares / shares.sum()
    raw = shares * n
    counts = np.floor(raw).astype(np.int64)
    counts[np.argsort(-(raw - counts), kind="stable")[: n - counts.sum()]] += 1
    return gen.permutation(np.repeat(np.arange(len(shares)), counts))


def _ages(gen: np.random.Generator, n: int, bands) -> np.ndarray:
    """Ages in months, uniform within the (lo, hi, share) bands in years."""
    band = allocate(gen, n, [b[2] for b in bands])
    lo = np.array([12 * b[0] for b in bands])[band]
    hi = np.array([12 * b[1] for b in bands])[band]
    return (lo + np.floor(gen.random(n) * (hi - lo))).astype(np.int16)


def _households(gen: np.random.Generator, age_months: np.ndarray) -> np.ndarray:
    """Household kind by age (profile.HOUSEHOLD_BY_AGE; its kinds are the first five of HOUSEHOLDS)."""
    assert tuple(P.HOUSEHOLD_KINDS) == HOUSEHOLDS[:5]
    out = np.zeros(len(age_months), dtype=np.int8)
    years = age_months / 12
    for name, mask in (("young", years < 27), ("middle", (years >= 27) & (years < 50)), ("older", years >= 50)):
        idx = np.flatnonzero(mask)
        out[idx] = gen.choice(5, size=len(idx), p=np.asarray(P.HOUSEHOLD_BY_AGE[name]))
    return out


def _ladder(gen: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    out = np.zeros(len(segment), dtype=np.int8)
    for s, shares in enumerate(LADDER_SHARES):
        idx = np.flatnonzero(segment == s)
        out[idx] = 1 + gen.choice(5, size=len(idx), p=np.asarray(shares) / sum(shares))
    return out


def _exempt(gen: np.random.Generator, segment: np.ndarray, household: np.ndarray, share: float) -> np.ndarray:
    """Exactly round(share * n) exemptions, more likely far from work and for single parents (art. 9 lid 4, 9a)."""
    n = len(segment)
    m = round(share * n)
    weight = 1.0 + (segment == 2) + 2.0 * (household == HOUSEHOLDS.index("single_parent"))
    keys = np.log(gen.random(n)) / weight
    out = np.zeros(n, dtype=bool)
    if m:
        out[np.argpartition(-keys, m - 1)[:m]] = True
    return out


def _routes(segment: np.ndarray, age_months: np.ndarray) -> np.ndarray:
    """Youth approach under 27, participation for the far group, otherwise the route to work."""
    return np.where(
        age_months < 12 * 27,
        ROUTES.index("youth"),
        np.where(segment == 2, ROUTES.index("participation"), ROUTES.index("work")),
    ).astype(np.int8)


def synthetic(n: int, seed: int = 2026) -> Population:
    """A synthetic caseload of n people on benefit at month 0 (deterministic for n and seed)."""
    if not MIN_PEOPLE <= n <= MAX_PEOPLE:
        raise ValueError(f"a synthetic population has {MIN_PEOPLE:,} to {MAX_PEOPLE:,} people, not {n:,}")
    gen = R.generator(seed, R.POPULATION, 1)
    age = _ages(gen, n, P.AGE_BANDS_STOCK)
    # Distance to work: older goes with further (as in synth.generator); half of those 27+ is far.
    z = 0.55 * (age / 12 - 42) / 12 + gen.standard_normal(n)
    segment = np.ones(n, dtype=np.int8)
    adult = np.flatnonzero(age >= 12 * 27)
    n_far = min(len(adult), round(P.FAR_FROM_WORK_SHARE * n))
    far = adult[np.argsort(-z[adult], kind="stable")[:n_far]]
    segment[far] = 2
    near = (z < np.quantile(z, NEAR_SHARE)) & (segment != 2)
    segment[near] = 0
    # Months on benefit: exponential by distance to work (profile.DURATION_MEAN_YEARS_*), at most since 18.
    mean_years = np.array([P.DURATION_MEAN_YEARS_NEAR, P.DURATION_MEAN_YEARS_MIDDLE, P.DURATION_MEAN_YEARS_FAR])
    duration = np.floor(gen.exponential(12 * mean_years[segment])).astype(np.int64)
    room = np.maximum(age.astype(np.int64) - ADULT_MONTHS, 1)
    duration = np.where(duration > room, np.floor(gen.random(n) * room), duration).astype(np.int16)
    household = _households(gen, age)
    district = allocate(gen, n, [d[2] for d in P.DISTRICTS]).astype(np.int16)
    return Population(
        client_key=np.arange(1, n + 1, dtype=np.int64),
        age_months=age,
        segment=segment,
        route=_routes(segment, age),
        household=household,
        district=district,
        ladder=_ladder(gen, segment),
        duration=duration,
        exempt=_exempt(gen, segment, household, EXEMPT_SHARE),
        entry_month=np.zeros(n, dtype=np.int16),
        districts=tuple(d[1] for d in P.DISTRICTS),
        origin="synthetic",
    )


def inflow_counts(n_stock: int, per_year: float, horizon: int) -> np.ndarray:
    """Applicants per month 0..horizon-1 (month 0: none, the stock is there), evenly spread and rounded so that
    the cumulative count is round(per_year * n_stock * months / 12)."""
    if per_year < 0:
        raise ValueError("the inflow per year cannot be negative")
    months = np.arange(horizon + 1, dtype=np.float64)
    cum = np.floor(per_year * n_stock * months / 12 + 0.5).astype(np.int64)
    counts = np.diff(cum)  # counts[t] arrive at month t + 1
    out = np.zeros(horizon, dtype=np.int64)
    out[1:] = counts[: horizon - 1]
    return out


def with_inflow(pop: Population, per_year: float, horizon: int, seed: int = 2026) -> Population:
    """The stock plus the people who apply in months 1..horizon-1: `per_year` times the stock each year."""
    if pop.n_stock != pop.n:
        raise ValueError("this population has an inflow already")
    counts = inflow_counts(pop.n, per_year, horizon)
    m = int(counts.sum())
    if m == 0:
        return pop
    entry = np.repeat(np.arange(horizon, dtype=np.int16), counts)
    gen = R.generator(seed, R.POPULATION, 2)
    if pop.origin == "synthetic":
        new = _synthetic_inflow(gen, m, len(pop.districts))
        notes = pop.notes
    else:
        recent = np.flatnonzero(pop.duration < 12)
        notes = pop.notes
        if len(recent) < 10:
            recent = np.arange(pop.n)
            notes = (*notes, "fewer than 10 clients on benefit under a year: the inflow copies the whole caseload")
        pick = recent[gen.integers(0, len(recent), m)]
        new = pop.take(pick)
        new = replace(new, duration=np.zeros(m, dtype=np.int16))
    key0 = int(pop.client_key.max()) + 1 if pop.origin == "synthetic" else -1
    client_key = (
        np.arange(key0, key0 + m, dtype=np.int64) if key0 > 0 else -np.arange(1, m + 1, dtype=np.int64)
    )  # a frame's applicants are new people: negative keys, never a real client's
    cols = {}
    for f in fields(pop):
        a = getattr(pop, f.name)
        if isinstance(a, np.ndarray):
            b = {"entry_month": entry, "client_key": client_key}.get(f.name, getattr(new, f.name))
            cols[f.name] = np.concatenate([a, b.astype(a.dtype)])
    return replace(pop, notes=notes, **cols)


def _synthetic_inflow(gen: np.random.Generator, m: int, n_districts: int) -> Population:
    age = _ages(gen, m, P.AGE_BANDS_LEAVERS)
    segment = allocate(gen, m, INFLOW_SEGMENT_SHARES).astype(np.int8)
    young_far = (segment == 2) & (age < 12 * 27)
    segment[young_far] = 1  # under-27s are never in the far group (population.md)
    household = _households(gen, age)
    return Population(
        client_key=np.arange(m, dtype=np.int64),
        age_months=age,
        segment=segment,
        route=_routes(segment, age),
        household=household,
        district=allocate(gen, m, [d[2] for d in P.DISTRICTS][:n_districts]).astype(np.int16),
        ladder=_ladder(gen, segment),
        duration=np.zeros(m, dtype=np.int16),
        exempt=_exempt(gen, segment, household, EXEMPT_SHARE),
        entry_month=np.zeros(m, dtype=np.int16),
        districts=(),
    )


class FrameError(ValueError):
    """A caseload frame that cannot be used; the message names the column and the bad values."""


def population_from_frame(frame, seed: int = 2026) -> Population:
    """A municipality's caseload (one row per client on benefit) as a Population.

    Columns (FRAME_COLUMNS): client_key (int), age_band (AGE_BANDS), household_type (HOUSEHOLDS: the codes of
    clients.HouseholdKind, or "other" when not known), district (text; empty: "unknown"), route ("work",
    "participation", "youth", "exemption_review" counts as no route, or None), ladder_step (1-6, 0 unknown:
    LADDER_UNKNOWN by distance to work; step 6 on benefit counts as 5), months_on_benefit (>= 0), exempt_work
    (bool). The age within the band is drawn uniformly (seeded). Distance to work is derived: never far under 27;
    far on the participation route, or without a route at ladder step 1-2 or after 5 years; near on the route to
    work or youth approach under 2 years on benefit at step 3 or higher; middle otherwise."""
    import pandas as pd

    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise FrameError(f"columns missing: {', '.join(missing)}")
    n = len(frame)
    if n == 0:
        raise FrameError("the caseload is empty")

    def codes(column: str, labels: tuple[str, ...], aliases: dict | None = None) -> np.ndarray:
        values = frame[column].astype(object).where(frame[column].notna(), None)
        values = values.map(lambda v: (aliases or {}).get(v, v))
        bad = sorted({str(v) for v in values if v not in labels})
        if bad:
            raise FrameError(
                f"column {column}: unknown values {', '.join(bad[:5])} (allowed: {', '.join(map(str, labels))})"
            )
        lookup = {label: i for i, label in enumerate(labels)}
        return values.map(lookup).to_numpy(dtype=np.int64)

    band = codes("age_band", AGE_BANDS)
    household = codes("household_type", HOUSEHOLDS, {None: "other"}).astype(np.int8)
    route = codes("route", ROUTES, {None: "none", "exemption_review": "none"}).astype(np.int8)
    ladder = pd.to_numeric(frame["ladder_step"], errors="coerce").fillna(0).to_numpy()
    if np.any((ladder < 0) | (ladder > 6) | (ladder != np.floor(ladder))):
        raise FrameError("column ladder_step: whole numbers 0-6 only (0: not known)")
    months = pd.to_numeric(frame["months_on_benefit"], errors="coerce").to_numpy()
    if np.any(~np.isfinite(months)) or np.any(months < 0):
        raise FrameError("column months_on_benefit: a number of months >= 0 for every client")
    keys = pd.to_numeric(frame["client_key"], errors="coerce").to_numpy()
    if np.any(~np.isfinite(keys)) or len(np.unique(keys)) != n:
        raise FrameError("column client_key: a distinct whole number for every client")
    exempt = frame["exempt_work"].fillna(False).astype(bool).to_numpy()
    district_text = frame["district"].astype(object).where(frame["district"].notna(), "unknown").map(str)
    districts = tuple(sorted(set(district_text)))
    district = district_text.map({d: i for i, d in enumerate(districts)}).to_numpy(dtype=np.int16)

    gen = R.generator(seed, R.POPULATION, 3)
    lo = np.array([12 * a for a, _ in AGE_BAND_YEARS])[band]
    hi = np.array([12 * b for _, b in AGE_BAND_YEARS])[band]
    age = (lo + np.floor(gen.random(n) * (hi - lo))).astype(np.int16)
    duration = np.minimum(months, 12 * 60).astype(np.int16)
    young = age < 12 * 27
    is_route = {r: route == ROUTES.index(r) for r in ROUTES}
    known = ladder > 0
    far = ~young & (is_route["participation"] | (is_route["none"] & ((known & (ladder <= 2)) | (duration >= 60))))
    near = ~far & (is_route["work"] | is_route["youth"]) & (duration < 24) & (~known | (ladder >= 3))
    segment = np.where(far, 2, np.where(near, 0, 1)).astype(np.int8)
    ladder = np.where(known, np.minimum(ladder, 5), np.asarray(LADDER_UNKNOWN)[segment]).astype(np.int8)
    notes = ()
    if (~known).any():
        notes = (f"{int((~known).sum()):,} clients without a ladder step: step set by distance to work",)
    return Population(
        client_key=keys.astype(np.int64),
        age_months=age,
        segment=segment,
        route=route,
        household=household,
        district=district,
        ladder=ladder,
        duration=duration,
        exempt=exempt,
        entry_month=np.zeros(n, dtype=np.int16),
        districts=districts,
        origin="frame",
        notes=notes,
    )


def frame_from_population(pop: Population):
    """The inverse view (the stock as a caseload frame): for tests and for exporting a synthetic caseload."""
    import pandas as pd

    stock = slice(0, pop.n_stock)
    return pd.DataFrame(
        {
            "client_key": pop.client_key[stock],
            "age_band": np.asarray(AGE_BANDS, dtype=object)[pop.age_band[stock]],
            "household_type": np.asarray(HOUSEHOLDS, dtype=object)[pop.household[stock]],
            "district": np.asarray(pop.districts, dtype=object)[pop.district[stock]],
            "route": [None if r == 0 else ROUTES[r] for r in pop.route[stock]],
            "ladder_step": pop.ladder[stock].astype(np.int64),
            "months_on_benefit": pop.duration[stock].astype(np.int64),
            "exempt_work": pop.exempt[stock],
        }
    )


def scale(count: int, reference: int, n_stock: int) -> int:
    """A capacity given for a caseload of `reference` (0: as is), scaled to this population's stock."""
    if reference <= 0:
        return int(count)
    return int(math.floor(count * n_stock / reference + 0.5))
