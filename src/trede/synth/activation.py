"""Synthetic activation: providers, the activity catalogue, referrals with their events, participation, and the
ladder steps that go with them. Part of the generator (trede.synth.generator), vectorised and deterministic.

Three phases, like the rest of the generator:

1. `simulate` (population phase, all clients at once): per benefit spell an on/off process of taking part in
   something. It starts ACTIVATION_BURN_IN_DAYS before the two-year window so that the window opens in a steady
   state; the hazard of starting depends on the distance to work, health and age, and is multiplied in the last
   year (the push, profile.ACTIVATION_PUSH_*). Each spell has a kind (informal care for people with care duties,
   volunteer work, a course, ...) and a log-normal duration per kind; a spell that runs into the end of benefit ends
   on that day, one that runs past `today` is ongoing. Spells that ended more than a year before the window are
   left out of the data (they are before the history).
2. `catalogue` (before the first chunk): a few providers per district and some for the whole municipality, and
   activities of every kind sized on the places the simulated spells hold today (times CAPACITY_MARGIN).
3. `chunk_rows` (per chunk of clients): referrals for the spells that did not come on the client's word (with a
   waiting list first for some, and the steps proposed -> accepted -> started -> active -> ended as ReferralEvents),
   referrals that came to nothing (declined, withdrawn), open referrals today, each to an activity of the right kind
   that fits the client's health and Dutch; participation rows; and the ladder measurements with steps that agree
   with what the client was doing on the day (taking part: step 3 or 4; otherwise the client's own resting step).

Invariants, by construction (tests/synth check them in the database):
- a participation lies within one benefit period (start on or after its start, end on or before its end; an open
  end only while the period runs today); referral events are dated within the period, in order, none in the future;
- at most `capacity` referrals hold a place (proposed, accepted, started, active) per activity today: places are
  handed out in chunk order, and a referral that finds no free place that fits is put on the waiting list (open
  proposals) or the participation is recorded as the client's own (ongoing ones);
- a referral is not voluntary only for a tegenprestatie activity where the policy is "enforced" and the client has
  the obligation and no exemption from it on the day of the proposal (the shipped policy is "voluntary": then every
  referral is voluntary);
- an ongoing participation has its next follow-up contact: the start or the last follow-up + follow_up_months (for
  FOLLOW_UP_OVERDUE_SHARE the last one due has not been held yet, so the date has passed);
- only offered activities receive referrals; every offered tegenprestatie says why it displaces no paid job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trede.activation.models import Activity, Participation, Provider, Referral, ReferralEvent
from trede.clients.models import LadderMeasurement
from trede.synth import profile as P

KINDS = P.PARTICIPATION_KINDS
ACTIVITY_KINDS = KINDS[:8]
assert ACTIVITY_KINDS == (
    "volunteer_work",
    "tegenprestatie",
    "course",
    "language",
    "health",
    "debts",
    "social_contact",
    "work_experience",
)
VOLUNTEER, TEGENPRESTATIE, INFORMAL_CARE = 0, 1, KINDS.index("informal_care")
LOAD_ORDER = {"light": 0, "medium": 1, "heavy": 2}
HEALTH_MAX_LOAD = {"none": 2, "some": 1, "severe": 0}  # trede.activation.rules.HEALTH_MAX_LOAD
LANGUAGE_ORDER = {"": -1, "below_1f": 0, "1f": 1, "2f": 2, "3f": 3}  # "" = no Dutch needed
OFFERED, CLOSED, DRAFT = "offered", "closed", "draft"
NEVER = 10**9


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 3, *stream])))


# --------------------------------------------------------------------------------------------------
# Phase 1: spells of participation for everyone


@dataclass
class Spells:
    """Participation spells of all clients, sorted by owner (0-based client index) and start."""

    owner: np.ndarray
    start: np.ndarray  # day number
    end: np.ndarray  # day number; -1: ongoing today
    kind: np.ndarray  # index into KINDS
    self_found: np.ndarray  # recorded on the client's word (no referral)
    period_start: np.ndarray  # first day of the benefit period the spell lies in
    exit: np.ndarray  # ended because the benefit ended (end == the period's last day)
    near_cut: float  # distance to work below which a client counts as close to work (lowest quarter on benefit)
    rest_step: np.ndarray  # per client: the ladder step when not taking part (profile.REST_STEP_SHARES)

    def range_of(self, lo: int, hi: int) -> slice:
        """The rows of clients lo..hi-1."""
        return slice(int(np.searchsorted(self.owner, lo)), int(np.searchsorted(self.owner, hi)))


def kind_weights(*, z, far, near, age, health, dutch, debts, social, care) -> np.ndarray:
    """Weight of each participation kind per client (rows), from the client's circumstances (profile comments)."""
    n = len(z)
    low_dutch = np.isin(dutch, ["below_1f", "1f"])
    ill = health != "none"
    w = np.zeros((n, len(KINDS)))
    w[:, 0] = 1.0 + 0.4 * far
    w[:, 1] = 0.45
    w[:, 2] = np.maximum(0.5 + 0.5 * near - 0.3 * (age >= 55), 0.1)
    w[:, 3] = 0.15 + 2.2 * low_dutch
    w[:, 4] = 0.3 + 0.7 * ill
    w[:, 5] = 0.15 + 0.7 * (debts == "problematic")
    w[:, 6] = 0.35 + 1.0 * (social == "isolated")
    w[:, 7] = (0.15 + 0.8 * near + 0.3 * ~far) * (health != "severe") * (age < 60)
    w[:, 8] = 1.4 * care
    return w


def draw_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row, with probability proportional to the row's weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((cum < u[:, None]).sum(axis=1), weights.shape[1] - 1)


def simulate(pop, spec) -> Spells:
    """The on/off process of taking part, per benefit spell (module docstring)."""
    rng = _rng(spec.seed, 0)
    n, today, w = pop.n, pop.today, pop.window_start
    push = today - P.ACTIVATION_PUSH_DAYS
    on = pop.on
    near_cut = float(np.quantile(pop.z[on], 0.25)) if on.any() else -np.inf
    near = pop.z < near_cut
    weights = kind_weights(
        z=pop.z,
        far=pop.far,
        near=near,
        age=pop.age,
        health=pop.health,
        dutch=pop.dutch,
        debts=pop.debts,
        social=pop.social,
        care=pop.care,
    )
    health_factor = np.select(
        [pop.health == h for h in P.ACTIVATION_HEALTH_FACTOR], list(P.ACTIVATION_HEALTH_FACTOR.values()), 1.0
    )
    rate = (
        P.ACTIVATION_START_RATE
        * np.exp(-P.ACTIVATION_Z_EFFECT * pop.z)
        * health_factor
        * np.where(pop.age >= 60, 0.7, 1.0)
    )
    gain = np.where(pop.far, P.ACTIVATION_PUSH_GAIN_FAR, P.ACTIVATION_PUSH_GAIN_NEAR)

    # spans: the first period from the burn-in on, and the return period (always running today)
    returned = np.flatnonzero(pop.p2_start >= 0)
    span_owner = np.concatenate([np.arange(n), returned])
    s = np.concatenate([np.maximum(pop.p1_start, w - P.ACTIVATION_BURN_IN_DAYS), pop.p2_start[returned]])
    e = np.concatenate([np.where(pop.p1_end >= 0, pop.p1_end, today - 1), np.full(len(returned), today - 1)])
    running = np.concatenate([pop.p1_end < 0, np.ones(len(returned), dtype=bool)])
    period_start = np.concatenate([pop.p1_start, pop.p2_start[returned]])
    b, g = rate[span_owner], gain[span_owner]
    medians = np.array([P.PARTICIPATION_DURATION[k][0] for k in KINDS], dtype="float64")
    sigmas = np.array([P.PARTICIPATION_DURATION[k][1] for k in KINDS])

    t = s.astype("float64")
    alive = s <= e
    rows: list[tuple] = []
    for _ in range(P.ACTIVATION_MAX_SPELLS):
        x = rng.exponential(size=len(t))
        # piecewise constant hazard: b before the push, b * g after it (memoryless, so the rest of the draw
        # carries over into the push)
        before = t < push
        first = t + x / b
        start = np.where(
            before & (first < push),
            first,
            np.where(before, push + (x - b * (push - t)) / (b * g), t + x / (b * g)),
        )
        start = np.floor(np.minimum(start, 4e7)).astype("int64")
        ok = alive & (start <= e)
        kind = draw_rows(rng, weights[span_owner])
        length = np.clip(np.round(medians[kind] * np.exp(sigmas[kind] * rng.standard_normal(len(t)))), 14, 1825)
        end = start + length.astype("int64") - 1
        over = end >= e
        ongoing = ok & over & running
        exit_ = ok & over & ~running
        end = np.where(exit_, e, np.where(ongoing, -1, end))
        self_found = (kind == INFORMAL_CARE) | (
            (kind == VOLUNTEER) & (rng.random(len(t)) < P.SELF_FOUND_VOLUNTEER_SHARE)
        )
        k = np.flatnonzero(ok)
        rows.append((span_owner[k], start[k], end[k], kind[k], self_found[k], period_start[k], exit_[k]))
        t = (end + 1).astype("float64")
        alive = ok & ~ongoing & ~exit_
        if not alive.any():
            break
    # the resting ladder step: cut on the clients on benefit today, so the shares hold for them
    score = -0.9 * pop.z + 0.6 * rng.standard_normal(n)
    cuts = np.quantile(score[on] if on.any() else score, np.cumsum(list(P.REST_STEP_SHARES.values()))[:-1])
    rest_step = np.array(list(P.REST_STEP_SHARES), dtype="int64")[np.searchsorted(cuts, score)]
    cols = [np.concatenate([r[i] for r in rows]) for i in range(7)] if rows else [np.zeros(0, "int64")] * 7
    owner, start, end, kind, self_found, pstart, exit_ = cols
    keep = (end < 0) | (end >= w - 365)  # the history: spells that ended more than a year before it are left out
    order = np.lexsort((start[keep], owner[keep]))
    return Spells(
        owner=owner[keep][order].astype("int64"),
        start=start[keep][order].astype("int64"),
        end=end[keep][order].astype("int64"),
        kind=kind[keep][order].astype("int64"),
        self_found=self_found[keep][order].astype(bool),
        period_start=pstart[keep][order].astype("int64"),
        exit=exit_[keep][order].astype(bool),
        near_cut=near_cut,
        rest_step=rest_step,
    )


# --------------------------------------------------------------------------------------------------
# Phase 2: providers and activities


@dataclass
class Catalogue:
    """The activities as arrays (index = relative id - 1), and the places held so far (across chunks)."""

    kind: np.ndarray  # index into ACTIVITY_KINDS
    district: np.ndarray  # 0-based; -1: the whole municipality
    load: np.ndarray  # LOAD_ORDER
    language: np.ndarray  # LANGUAGE_ORDER
    capacity: np.ndarray
    hours: np.ndarray
    tegenprestatie: np.ndarray
    offered: np.ndarray
    name: np.ndarray
    taken: np.ndarray  # places held today, filled chunk by chunk

    def eligible(self, kind: int, district: int, max_load: int, dutch: int, *, anywhere: bool = False) -> np.ndarray:
        """Offered activities of a kind in the district (or for the whole municipality) that fit."""
        m = self.offered & (self.kind == kind) & (self.load <= max_load) & (self.language <= dutch)
        if not anywhere:
            m &= (self.district == district) | (self.district < 0)
        return np.flatnonzero(m)


PROVIDER_FOR_KIND = {
    "volunteer_work": "community_centre",
    "tegenprestatie": "welfare",
    "course": "welfare",
    "language": "community_centre",
    "health": "neighbourhood_team",
    "debts": "neighbourhood_team",
    "social_contact": "community_centre",
    "work_experience": "welfare",
}
CITY_PROVIDER_FOR_KIND = {
    "work_experience": "municipality",
    "language": "education",
    "course": "education",
    "tegenprestatie": "other",
    "debts": "welfare",
}


def place_demand(pop, spells: Spells) -> np.ndarray:
    """Places held today per (district, activity kind): the referral spells running today, plus the open
    proposals expected among the others on benefit."""
    nd = len(P.DISTRICTS)
    demand = np.zeros((nd, len(ACTIVITY_KINDS)))
    m = (spells.end < 0) & ~spells.self_found
    np.add.at(demand, (pop.district[spells.owner[m]], spells.kind[m]), 1.0)
    holding_open = P.OPEN_REFERRAL_SHARE * (P.OPEN_STATUS_SHARES["proposed"] + P.OPEN_STATUS_SHARES["accepted"])
    on_d = np.bincount(pop.district[pop.on], minlength=nd)
    kind_share = demand.sum(axis=0) / max(demand.sum(), 1.0)
    return demand + holding_open * on_d[:, None] * kind_share[None, :]


def _providers(on_district: np.ndarray) -> tuple[list[tuple[str, str, int]], dict[tuple[int, str], list[int]]]:
    """(name, kind, district or -1) per provider, and the providers of each (district, kind): a few per district
    (a community centre more per 15,000 clients on benefit), some for the whole municipality."""
    providers: list[tuple[str, str, int]] = []
    by_kind: dict[tuple[int, str], list[int]] = {}
    for d, (_code, dname, _w, _pc, streets) in enumerate(P.DISTRICTS):
        for pkind, pattern in P.PROVIDERS_PER_DISTRICT:
            count = 1 + int(on_district[d] // 15_000) if pkind == "community_centre" else 1
            for i in range(min(count, len(streets))):
                name = pattern.format(district=dname, street=streets[i], municipality=P.MUNICIPALITY)
                by_kind.setdefault((d, pkind), []).append(len(providers))
                providers.append((name, pkind, d))
    for pkind, pattern in P.CITY_PROVIDERS:
        by_kind.setdefault((-1, pkind), []).append(len(providers))
        providers.append((pattern.format(municipality=P.MUNICIPALITY), pkind, -1))
    return providers, by_kind


def provider_email(name: str) -> str:
    """The e-mail address of a generated provider: how `trede synth --clear` recognises the generator's own."""
    return f"info@{P.ascii_slug(name)}.synth.example.org"


def provider_names(pop) -> list[str]:
    """The names of the providers the generator makes for this population (the loader checks they are free)."""
    on_d = np.bincount(pop.district[pop.on], minlength=len(P.DISTRICTS))
    return [name for name, _kind, _d in _providers(on_d)[0]]


def catalogue(pop, spec, spells: Spells) -> tuple[Catalogue, list]:
    """Providers and activities (Batches), sized on the places held today. Deterministic for the spec."""
    from trede.synth.generator import Batch, as_timestamp, obj, person_names, uniform_int

    rng = _rng(spec.seed, 1)
    w = pop.window_start
    nd = len(P.DISTRICTS)
    municipality = P.MUNICIPALITY
    on_d = np.bincount(pop.district[pop.on], minlength=nd)

    providers, by_kind = _providers(on_d)

    # activities: per kind the city-wide share of places is the share of its templates that are city-wide
    demand = place_demand(pop, spells) * P.CAPACITY_MARGIN
    rows: list[dict] = []

    def add(kind: int, district: int, template: tuple, capacity: int, status: str, serial: int) -> None:
        name, description, hours, load, language, _city = template
        streets = P.DISTRICTS[max(district, 0)][4]
        dname = P.DISTRICTS[district][1] if district >= 0 else municipality
        street = streets[serial % len(streets)]
        kname = ACTIVITY_KINDS[kind]
        pkind = (CITY_PROVIDER_FOR_KIND.get(kname, "other")) if district < 0 else PROVIDER_FOR_KIND[kname]
        options = by_kind[(district, pkind)]
        rows.append(
            {
                "kind": kind,
                "district": district,
                "name": name.format(district=dname, street=street),
                "description": description,
                "hours": hours,
                "load": load,
                "language": language,
                "capacity": capacity,
                "status": status,
                "provider": options[serial % len(options)],
                "street": street,
                "tegenprestatie": kname == "tegenprestatie",
            }
        )

    def places(lo_hi: tuple[int, int], need: float) -> list[int]:
        caps: list[int] = []
        while sum(caps) < need or not caps:
            caps.append(int(rng.integers(lo_hi[0], lo_hi[1] + 1)))
        return caps

    for k, kname in enumerate(ACTIVITY_KINDS):
        templates = P.ACTIVITY_TEMPLATES[kname]
        local = [t for t in templates if not t[5]]
        city = [t for t in templates if t[5]]
        city_share = len(city) / len(templates)
        for d in range(nd):
            if not local:
                continue
            for i, cap in enumerate(places(P.ACTIVITY_PLACES, demand[d, k] * (1 - city_share))):
                add(k, d, local[i % len(local)], cap, OFFERED, i)
        if city:
            for i, cap in enumerate(places(P.CITY_ACTIVITY_PLACES, demand[:, k].sum() * city_share)):
                add(k, -1, city[i % len(city)], cap, OFFERED, i)
    # a few that receive no referrals: a stopped summer programme per district, a tegenprestatie still in draft
    # (its reason why it displaces no paid job is not written yet, so it cannot be offered)
    social = ACTIVITY_KINDS.index("social_contact")
    for d in range(nd):
        add(social, d, ("Zomerprogramma {district}", "Uitjes in de zomer.", 4, "light", "", False), 15, CLOSED, d)
    add(
        TEGENPRESTATIE,
        -1,
        ("Klussen in het park", "Onderhoud van paden en banken.", 8, "heavy", "", True),
        12,
        DRAFT,
        0,
    )

    n_p, n_a = len(providers), len(rows)
    provider_slugs = [P.ascii_slug(name) for name, _k, _d in providers]
    provider_batch = Batch(
        Provider,
        {
            "id": np.arange(1, n_p + 1, dtype="int64"),
            "name": obj([p[0] for p in providers]),
            "kind": obj([p[1] for p in providers]),
            "phone": obj([""] * n_p),
            "email": obj([provider_email(p[0]) for p in providers]),
            "active": np.ones(n_p, dtype=bool),
        },
    )
    female = rng.random(n_a) < 0.6
    first, sur = person_names(rng, np.full(n_a, -1), female)
    last = [f"{p} {s}".strip() for p, s in sur]
    role = rng.integers(0, len(P.ACTIVITY_CONTACT_ROLES), n_a)
    tp = np.array([r["tegenprestatie"] for r in rows])
    status = np.array([r["status"] for r in rows], dtype=object)
    no_displacement = np.where(
        tp & (status != DRAFT), obj(P.NO_DISPLACEMENT_TEXTS)[rng.integers(0, len(P.NO_DISPLACEMENT_TEXTS), n_a)], ""
    ).astype(object)
    created = uniform_int(rng, np.full(n_a, w - 2000), w - 60)
    activity_batch = Batch(
        Activity,
        {
            "id": np.arange(1, n_a + 1, dtype="int64"),
            "provider_id": np.array([r["provider"] + 1 for r in rows], dtype="int64"),
            "name": obj([r["name"] for r in rows]),
            "kind": obj([ACTIVITY_KINDS[r["kind"]] for r in rows]),
            "description": obj([r["description"] for r in rows]),
            "district_id": np.array([r["district"] + 1 if r["district"] >= 0 else -1 for r in rows], dtype="int64"),
            "location": obj([f"{r['street']} {1 + (7 * i) % 180}, {municipality}" for i, r in enumerate(rows)]),
            "hours_per_week": np.array([r["hours"] for r in rows], dtype="int64"),
            "physical_load": obj([r["load"] for r in rows]),
            "language_level": obj([r["language"] for r in rows]),
            "capacity": np.array([r["capacity"] for r in rows], dtype="int64"),
            "contact_name": obj([f"{f} {s}" for f, s in zip(first, last, strict=True)]),
            "contact_phone": obj([""] * n_a),
            "contact_email": obj(
                [
                    f"{P.ascii_slug(f)}.{P.ACTIVITY_CONTACT_ROLES[r].replace('ö', 'o')}@"
                    f"{provider_slugs[row['provider']]}.synth.example.org"
                    for f, r, row in zip(first, role, rows, strict=True)
                ]
            ),
            "is_tegenprestatie": tp,
            "no_displacement": no_displacement,
            "status": status,
            "created_at": as_timestamp(created, 9 * 3600 + uniform_int(rng, np.zeros(n_a), 20_000)),
        },
    )
    cat = Catalogue(
        kind=np.array([r["kind"] for r in rows], dtype="int64"),
        district=np.array([r["district"] for r in rows], dtype="int64"),
        load=np.array([LOAD_ORDER[r["load"]] for r in rows], dtype="int64"),
        language=np.array([LANGUAGE_ORDER[r["language"]] for r in rows], dtype="int64"),
        capacity=np.array([r["capacity"] for r in rows], dtype="int64"),
        hours=np.array([r["hours"] for r in rows], dtype="int64"),
        tegenprestatie=tp,
        offered=status == OFFERED,
        name=obj([r["name"] for r in rows]),
        taken=np.zeros(n_a, dtype="int64"),
    )
    return cat, [provider_batch, activity_batch]


# --------------------------------------------------------------------------------------------------
# Phase 3: one chunk of clients


def assign(
    rng: np.random.Generator,
    cat: Catalogue,
    kind: np.ndarray,
    district: np.ndarray,
    max_load: np.ndarray,
    dutch: np.ndarray,
    holding: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(activity, placed): a fitting activity (0-based index; -1 when none fits anywhere) for each referral, and
    whether a place-holding referral got a free place there.

    Place-holding referrals take a free place of a fitting activity in the district or for the whole municipality,
    else one elsewhere; the most restricted (health, Dutch) are served first. The others, and place-holding ones
    that found no free place, get any fitting one (in the district when there is one).
    """
    out = np.full(len(kind), -1, dtype="int64")
    placed = np.zeros(len(kind), dtype=bool)
    if not len(kind):
        return out, placed
    key = ((kind * 8 + district) * 3 + max_load) * 5 + (dutch + 1)
    combos, inverse = np.unique(key, return_inverse=True)
    order = np.lexsort(((combos // 5) % 3, combos % 5))  # the most restricted first
    for c in order:
        rows = np.flatnonzero(inverse == c)
        i0 = rows[0]
        k, d, ml, du = int(kind[i0]), int(district[i0]), int(max_load[i0]), int(dutch[i0])
        near = cat.eligible(k, d, ml, du)
        wide = cat.eligible(k, d, ml, du, anywhere=True)
        todo = rows[holding[rows]]
        for pool in (near, wide):
            if not len(todo) or not len(pool):
                continue
            room = cat.capacity[pool] - cat.taken[pool]
            slots = np.repeat(pool, np.maximum(room, 0))
            m = min(len(todo), len(slots))
            if m:
                chosen = slots[rng.choice(len(slots), size=m, replace=False)]
                out[todo[:m]] = chosen
                placed[todo[:m]] = True
                np.add.at(cat.taken, chosen, 1)
            todo = todo[m:]
        free = rows[out[rows] < 0]
        pool = near if len(near) else wide
        if len(free) and len(pool):
            out[free] = pool[rng.integers(0, len(pool), len(free))]
    return out, placed


@dataclass
class ChunkFacts:
    """What chunk_rows needs of the rest of the chunk (0-based local client indexes)."""

    lo: int
    cid: np.ndarray  # relative client ids
    on: np.ndarray
    p1s: np.ndarray
    p1e: np.ndarray
    p1r: np.ndarray
    p2s: np.ndarray
    w: int
    today: int
    ladder_owner: np.ndarray  # the measurement rows drawn by the generator (sorted by owner, day)
    ladder_day: np.ndarray
    ladder_note: np.ndarray
    six: np.ndarray  # local indexes of the clients who left for work in the window (step 6 on their exit day)
    six_note: np.ndarray
    tp_start: np.ndarray  # start of the tegenprestatie obligation per client (NEVER: none)
    tp_exempt_start: np.ndarray  # an exemption from the tegenprestatie per client: start (NEVER: none) and end
    tp_exempt_end: np.ndarray  # (NEVER: open)


def _covering(owner: np.ndarray, day: np.ndarray, s_owner, s_start, s_end) -> np.ndarray:
    """For (owner, day) pairs: is a spell of that owner running on the day? Spells sorted by owner, start."""
    out = np.zeros(len(owner), dtype=bool)
    if not len(s_owner) or not len(owner):
        return out
    first = np.searchsorted(s_owner, owner, side="left")
    last = np.searchsorted(s_owner, owner, side="right")
    most = int((last - first).max()) if len(first) else 0
    end = np.where(s_end < 0, NEVER, s_end)
    for j in range(most):
        i = first + j
        has = i < last
        ii = np.where(has, i, 0)
        out |= has & (s_start[ii] <= day) & (day <= end[ii])
    return out


def chunk_rows(pop, spec, chunk: int, hi: int, facts: ChunkFacts, ids, cat: Catalogue, caseworker_at) -> list:
    """Referrals, events, participations and ladder measurements of the clients facts.lo..hi-1."""
    from trede.synth.generator import Batch, add_months_days, as_date, as_timestamp, obj, pick, uniform_int

    rng = _rng(spec.seed, 2, chunk)
    lo = facts.lo
    n = hi - lo
    today, w = facts.today, facts.w
    cid = facts.cid
    sp = pop.spells
    r = sp.range_of(lo, hi)
    owner = sp.owner[r] - lo
    start, end, kind = sp.start[r], sp.end[r], sp.kind[r]
    self_found, pstart, exit_ = sp.self_found[r].copy(), sp.period_start[r], sp.exit[r]
    ns = len(owner)
    ongoing = end < 0
    district = pop.district[lo:hi]
    health = pop.health[lo:hi]
    dutch = pop.dutch[lo:hi]
    max_load = np.select([health == h for h in HEALTH_MAX_LOAD], list(HEALTH_MAX_LOAD.values()), 0)
    dutch_ord = np.select([dutch == d for d in ("below_1f", "1f", "2f", "3f")], [0, 1, 2, 3], 0)
    on = facts.on
    ps_now = np.where(facts.p2s >= 0, facts.p2s, facts.p1s)  # start of the latest period

    # ---- referral spells: the days of the proposal (after a waiting list for some), acceptance and the rest
    ref = ~self_found
    waiting_first = ref & (rng.random(ns) < P.WAITING_FIRST_SHARE)
    d_prop = np.maximum(start - uniform_int(rng, np.full(ns, 7), 40), pstart)
    d_wait = np.maximum(d_prop - uniform_int(rng, np.full(ns, 14), 120), pstart)
    d_acc = uniform_int(rng, d_prop, start)
    last_day = np.where(ongoing, today - 1, end)
    d_active = start + uniform_int(rng, np.full(ns, 14), 42)
    becomes_active = d_active < last_day + (~ongoing)  # before the end (or by yesterday while running)
    becomes_active &= d_active <= today - 1

    # ---- referrals that came to nothing, before some of the referral spells
    f_of = np.flatnonzero(ref & (rng.random(ns) < P.FAILED_BEFORE_START_SHARE))
    f_prop = np.maximum(start[f_of] - uniform_int(rng, np.full(len(f_of), 40), 240), pstart[f_of])
    f_end = np.minimum(f_prop + uniform_int(rng, np.full(len(f_of), 3), 60), np.maximum(d_prop[f_of] - 1, f_prop))
    f_declined = rng.random(len(f_of)) < 0.6
    f_via_accept = f_declined & (rng.random(len(f_of)) < 0.3)
    f_from_waiting = ~f_declined & (rng.random(len(f_of)) < 0.3)
    f_owner, f_kind = owner[f_of], kind[f_of]

    # ---- open referrals today, for clients on benefit who do not take part through a referral now
    busy = np.zeros(n, dtype=bool)
    busy[owner[ongoing & ref]] = True
    o_owner = np.flatnonzero(on & ~busy & (ps_now <= today - 30) & (rng.random(n) < P.OPEN_REFERRAL_SHARE))
    near = pop.z[lo:hi] < sp.near_cut
    weights = kind_weights(
        z=pop.z[lo:hi],
        far=pop.far[lo:hi],
        near=near,
        age=pop.age[lo:hi],
        health=health,
        dutch=dutch,
        debts=pop.debts[lo:hi],
        social=pop.social[lo:hi],
        care=pop.care[lo:hi],
    )[:, : len(ACTIVITY_KINDS)]
    o_kind = draw_rows(rng, weights[o_owner])
    statuses = list(P.OPEN_STATUS_SHARES)
    o_status = np.array(statuses, dtype=object)[
        rng.choice(len(statuses), size=len(o_owner), p=list(P.OPEN_STATUS_SHARES.values()))
    ]
    o_lo = np.maximum(ps_now[o_owner], today - 150)
    o_prop = np.where(
        o_status == "waiting",
        uniform_int(rng, o_lo, today - 1),
        np.where(
            o_status == "proposed",
            uniform_int(rng, np.maximum(o_lo, today - 21), today - 1),
            uniform_int(rng, np.maximum(o_lo, today - 40), today - 2),
        ),
    )
    o_acc = uniform_int(rng, o_prop + 1, np.minimum(o_prop + 14, today - 1))

    # ---- activities: place-holding ones first within the capacity that is left
    s_ref = np.flatnonzero(ref)
    a_kind = np.concatenate([kind[s_ref], f_kind, o_kind])
    a_owner = np.concatenate([owner[s_ref], f_owner, o_owner])
    holding = np.concatenate(
        [ongoing[s_ref], np.zeros(len(f_of), dtype=bool), np.isin(o_status, ["proposed", "accepted"])]
    )
    activity, placed = assign(rng, cat, a_kind, district[a_owner], max_load[a_owner], dutch_ord[a_owner], holding)
    n1, n2 = len(s_ref), len(f_of)
    s_activity = np.full(ns, -1, dtype="int64")
    s_activity[s_ref] = np.where(holding[:n1] & ~placed[:n1], -1, activity[:n1])
    f_activity = activity[n1 : n1 + n2]
    o_activity = activity[n1 + n2 :]
    # no free place that fits: a running participation is recorded on the client's word, an open proposal waits
    lost = ref & (s_activity < 0)
    self_found[lost] = True
    ref &= ~lost
    o_status = np.where(holding[n1 + n2 :] & ~placed[n1 + n2 :], "waiting", o_status).astype(object)
    o_keep = o_activity >= 0
    o_owner, o_kind, o_status, o_activity = o_owner[o_keep], o_kind[o_keep], o_status[o_keep], o_activity[o_keep]
    o_prop, o_acc = o_prop[o_keep], o_acc[o_keep]
    f_keep = f_activity >= 0
    f_of, f_owner, f_kind, f_activity = f_of[f_keep], f_owner[f_keep], f_kind[f_keep], f_activity[f_keep]
    f_prop, f_end, f_declined = f_prop[f_keep], f_end[f_keep], f_declined[f_keep]
    f_via_accept, f_from_waiting = f_via_accept[f_keep], f_from_waiting[f_keep]

    # ---- referral rows: spells, failed, open (in that order before sorting)
    s_ref = np.flatnonzero(ref)
    n_r, n_f, n_o = len(s_ref), len(f_of), len(o_owner)
    rr_owner = np.concatenate([owner[s_ref], f_owner, o_owner])
    rr_activity = np.concatenate([s_activity[s_ref], f_activity, o_activity])
    rr_first = np.concatenate(
        [
            np.where(waiting_first[s_ref], d_wait[s_ref], d_prop[s_ref]),
            np.where(f_from_waiting, f_prop - uniform_int(rng, np.full(n_f, 1), 30), f_prop),
            o_prop,
        ]
    )
    rr_first[n_r : n_r + n_f] = np.maximum(rr_first[n_r : n_r + n_f], pstart[f_of])
    # events: (referral row, day, seq, from, to, reason)
    ev: list[tuple] = []

    def event(rows, day, seq, frm, to, reason=None) -> None:
        rows = np.asarray(rows, dtype="int64")
        if not len(rows):
            return
        reason = np.full(len(rows), "", dtype=object) if reason is None else reason
        ev.append((rows, np.asarray(day, dtype="int64"), np.full(len(rows), seq), frm, to, reason))

    def const(value: str, m: int) -> np.ndarray:
        return np.full(m, value, dtype=object)

    # spells
    sr = np.arange(n_r)
    wf = waiting_first[s_ref]
    event(
        sr[wf],
        d_wait[s_ref][wf],
        0,
        const("", int(wf.sum())),
        const("waiting", int(wf.sum())),
        const(P.WAITING_REASON, int(wf.sum())),
    )
    event(sr, d_prop[s_ref], 1, np.where(wf, "waiting", "").astype(object), const("proposed", n_r))
    event(sr, d_acc[s_ref], 2, const("proposed", n_r), const("accepted", n_r))
    event(sr, start[s_ref], 3, const("accepted", n_r), const("started", n_r))
    act = becomes_active[s_ref]
    event(sr[act], d_active[s_ref][act], 4, const("started", int(act.sum())), const("active", int(act.sum())))
    done = ~ongoing[s_ref]
    end_reason = np.where(
        exit_,
        np.where(facts.p1r[owner] == "work", P.PARTICIPATION_END_WORK, P.PARTICIPATION_END_BENEFIT),
        pick(rng, P.PARTICIPATION_END_REASONS, ns),
    ).astype(object)
    end_reason[(kind == ACTIVITY_KINDS.index("course")) & ~exit_] = "Cursus afgelopen."
    event(
        sr[done],
        end[s_ref][done],
        5,
        np.where(act[done], "active", "started").astype(object),
        const("ended", int(done.sum())),
        end_reason[s_ref][done],
    )
    # failed
    fr = n_r + np.arange(n_f)
    fw = f_from_waiting
    event(
        fr[fw],
        rr_first[fr][fw],
        0,
        const("", int(fw.sum())),
        const("waiting", int(fw.sum())),
        const(P.WAITING_REASON, int(fw.sum())),
    )
    event(fr, f_prop, 1, np.where(fw, "waiting", "").astype(object), const("proposed", n_f))
    acc_day = uniform_int(rng, f_prop, f_end)
    event(
        fr[f_via_accept],
        acc_day[f_via_accept],
        2,
        const("proposed", int(f_via_accept.sum())),
        const("accepted", int(f_via_accept.sum())),
    )
    f_to = np.where(f_declined, "declined", "withdrawn").astype(object)
    f_reason = np.where(
        f_declined, pick(rng, P.REFERRAL_DECLINE_REASONS, n_f), pick(rng, P.REFERRAL_WITHDRAW_REASONS, n_f)
    ).astype(object)
    event(fr, f_end, 3, np.where(f_via_accept, "accepted", "proposed").astype(object), f_to, f_reason)
    # open
    orr = n_r + n_f + np.arange(n_o)
    ow = o_status == "waiting"
    event(
        orr[ow],
        o_prop[ow],
        0,
        const("", int(ow.sum())),
        const("waiting", int(ow.sum())),
        const(P.WAITING_REASON, int(ow.sum())),
    )
    event(orr[~ow], o_prop[~ow], 1, const("", int((~ow).sum())), const("proposed", int((~ow).sum())))
    oa = o_status == "accepted"
    event(orr[oa], o_acc[oa], 2, const("proposed", int(oa.sum())), const("accepted", int(oa.sum())))

    e_row = np.concatenate([x[0] for x in ev])
    e_day = np.concatenate([x[1] for x in ev])
    e_seq = np.concatenate([x[2] for x in ev])
    e_from = np.concatenate([x[3] for x in ev]).astype(object)
    e_to = np.concatenate([x[4] for x in ev]).astype(object)
    e_reason = np.concatenate([x[5] for x in ev]).astype(object)

    # referral order: by client, first day; events follow their referral
    n_ref = n_r + n_f + n_o
    ref_order = np.lexsort((np.arange(n_ref), rr_first, rr_owner))
    ref_ids = np.empty(n_ref, dtype="int64")
    ref_ids[ref_order] = ids.take(Referral, n_ref)
    eorder = np.lexsort((e_seq, e_day, ref_ids[e_row]))
    e_row, e_day, e_from, e_to, e_reason = e_row[eorder], e_day[eorder], e_from[eorder], e_to[eorder], e_reason[eorder]
    # the status today is the last event's; its day is status_on
    last = np.ones(len(e_row), dtype=bool)
    last[:-1] = e_row[1:] != e_row[:-1]
    status = np.empty(n_ref, dtype=object)
    status_on = np.zeros(n_ref, dtype="int64")
    status[e_row[last]] = e_to[last]
    status_on[e_row[last]] = e_day[last]
    # voluntary unless the municipality enforces the tegenprestatie and the client has it without exemption
    voluntary = np.ones(n_ref, dtype=bool)
    if spec.tegenprestatie_policy == "enforced":
        is_tp = cat.tegenprestatie[rr_activity]
        imposed = facts.tp_start[rr_owner] <= rr_first
        exempt = (facts.tp_exempt_start[rr_owner] <= rr_first) & (rr_first <= facts.tp_exempt_end[rr_owner])
        voluntary = ~(is_tp & imposed & ~exempt)
    ro = ref_order
    batches = [
        Batch(
            Referral,
            {
                "id": ref_ids[ro],
                "client_id": cid[rr_owner[ro]],
                "activity_id": rr_activity[ro] + 1,
                "status": status[ro],
                "voluntary": voluntary[ro],
                "proposed_on": as_date(rr_first[ro]),
                "status_on": as_date(status_on[ro]),
                "note": obj([""] * n_ref),
                "created_by_id": caseworker_at(rr_owner[ro], rr_first[ro]),
            },
        ),
        Batch(
            ReferralEvent,
            {
                "id": ids.take(ReferralEvent, len(e_row)),
                "referral_id": ref_ids[e_row],
                "from_status": e_from,
                "to_status": e_to,
                "on": as_date(e_day),
                "reason": e_reason,
                "by_id": caseworker_at(rr_owner[e_row], e_day),
                "at": as_timestamp(e_day, 8 * 3600 + uniform_int(rng, np.zeros(len(e_row)), 32_000)),
            },
        ),
    ]

    # ---- participations
    referral_of = np.full(ns, -1, dtype="int64")
    referral_of[s_ref] = ref_ids[:n_r]
    act_of = np.where(ref, s_activity, 0)
    kinds = np.array(KINDS, dtype=object)[kind]
    description = np.empty(ns, dtype=object)
    description[ref] = cat.name[act_of[ref]]
    for kname, texts in P.SELF_REPORTED.items():
        m = ~ref & (kinds == kname)
        description[m] = pick(rng, texts, int(m.sum()))
    m = ~ref & ~np.isin(kinds, list(P.SELF_REPORTED))
    description[m] = pick(rng, P.SELF_REPORTED["other"], int(m.sum()))
    hours = np.where(
        ref,
        cat.hours[act_of],
        np.where(kind == INFORMAL_CARE, uniform_int(rng, np.full(ns, 4), 20), uniform_int(rng, np.full(ns, 3), 12)),
    )
    has_tp = facts.tp_start[owner] <= start
    counts_tp = np.where(
        ref,
        cat.tegenprestatie[act_of],
        np.isin(kind, [VOLUNTEER, INFORMAL_CARE]) & has_tp & (rng.random(ns) < 0.3),
    )
    # next follow-up of a running participation: start or last follow-up + months; some overdue
    months = spec.follow_up_months
    elapsed = np.asarray(today, "int64").astype("datetime64[D]").astype("datetime64[M]").astype("int64") - start.astype(
        "datetime64[D]"
    ).astype("datetime64[M]").astype("int64")
    k_done = np.maximum(elapsed // months, 0)
    due = add_months_days(start, months * k_done)
    k_done = np.where(due > today, np.maximum(k_done - 1, 0), k_done)
    held = add_months_days(start, months * k_done)  # the last planned date on or before today
    upcoming = add_months_days(start, months * (k_done + 1))
    overdue = (k_done >= 1) & (rng.random(ns) < P.FOLLOW_UP_OVERDUE_SHARE)
    follow_up = np.where(ongoing, np.where(overdue, held, upcoming), -1)
    steps = list(P.NEXT_STEPS)
    next_step = np.array(steps, dtype=object)[rng.choice(len(steps), size=ns, p=list(P.NEXT_STEPS.values()))]
    next_step = np.where(exit_, np.where(facts.p1r[owner] == "work", "paid_work", ""), next_step)
    next_step = np.where(ongoing, "", next_step).astype(object)
    part_reason = np.where(ongoing, "", end_reason).astype(object)
    porder = np.lexsort((start, owner))  # already in this order; kept explicit
    batches.append(
        Batch(
            Participation,
            {
                "id": ids.take(Participation, ns),
                "client_id": cid[owner[porder]],
                "kind": kinds[porder],
                "description": description[porder],
                "hours_per_week": hours[porder].astype("int64"),
                "start_on": as_date(start[porder]),
                "end_on": as_date(end[porder], null=ongoing[porder]),
                "source": np.where(ref, "referral", "client").astype(object)[porder],
                "referral_id": referral_of[porder],
                "counts_as_tegenprestatie": counts_tp[porder].astype(bool),
                "follow_up_on": as_date(follow_up[porder], null=follow_up[porder] < 0),
                "end_reason": part_reason[porder],
                "next_step": next_step[porder],
                "next_step_note": obj([""] * ns),
                "recorded_by_id": caseworker_at(owner[porder], start[porder]),
            },
        )
    )

    # ---- ladder measurements: the generator's days, a first one at intake for newcomers, one before the window
    l_owner, l_day, l_note = facts.ladder_owner, facts.ladder_day.copy(), facts.ladder_note
    new = facts.p1s >= w  # came on benefit within the window: measured at intake
    first_row = np.ones(len(l_owner), dtype=bool)
    first_row[1:] = l_owner[1:] != l_owner[:-1]
    hi1 = np.where(facts.p1e >= 0, facts.p1e, today - 1)
    intake_day = np.minimum(facts.p1s + uniform_int(rng, np.full(n, 3), 42), hi1)
    moved = first_row & new[l_owner]
    l_day[moved] = np.minimum(intake_day[l_owner[moved]], l_day[moved])
    b_owner = np.flatnonzero(facts.p1s < w)
    b_day = uniform_int(rng, np.maximum(facts.p1s[b_owner], w - 365), w - 1)
    rest = sp.rest_step[lo:hi]
    m_owner = np.concatenate([l_owner, b_owner])
    m_day = np.concatenate([l_day, b_day])
    m_note = np.concatenate([l_note, pick(rng, P.LADDER_NOTES, len(b_owner))])
    main = kind != INFORMAL_CARE
    taking_part = _covering(m_owner, m_day, owner[main], start[main], end[main])
    caring = _covering(m_owner, m_day, owner[~main], start[~main], end[~main])
    nm = len(m_owner)
    near_m = near[m_owner]
    part_step = 3 + (rng.random(nm) < np.where(near_m, 0.45, 0.25)) + (near_m & (rng.random(nm) < 0.1))
    noise = np.where(rng.random(nm) < P.LADDER_NOISE_SHARE, rng.choice([-1, 1], size=nm), 0)
    rest_step = np.clip(rest[m_owner] + noise, 1, 5)
    care_step = np.where(rng.random(nm) < P.INFORMAL_CARE_STEP3_SHARE, np.maximum(rest_step, 3), rest_step)
    step = np.where(taking_part, part_step, np.where(caring, care_step, rest_step)).astype("int64")
    # a work exit: step 6 on the last day of benefit
    m_owner = np.concatenate([m_owner, facts.six])
    m_day = np.concatenate([m_day, facts.p1e[facts.six]])
    step = np.concatenate([step, np.full(len(facts.six), 6, dtype="int64")])
    m_note = np.concatenate([m_note, facts.six_note])
    order = np.lexsort((m_day, m_owner))
    batches.insert(
        0,
        Batch(
            LadderMeasurement,
            {
                "id": ids.take(LadderMeasurement, len(order)),
                "client_id": cid[m_owner[order]],
                "step": step[order],
                "measured_on": as_date(m_day[order]),
                "measured_by_id": caseworker_at(m_owner[order], m_day[order]),
                "note": m_note[order],
            },
        ),
    )
    return batches
