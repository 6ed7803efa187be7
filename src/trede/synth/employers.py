"""Synthetic routes and employer services: route decisions, employer advisers, employers with contact persons,
vacancies, work profiles, matches, referrals to vacancies with their steps, placements, exits to work and their
follow-ups. Part of the generator (trede.synth.generator), vectorised and deterministic, its own random streams.

Two phases, like trede.synth.activation:

1. `market` (before the first chunk): employer advisers (users "synth-wg-0001", ...), employers (SBI sectors weighted
   like the work people leaving social assistance find, profile.SECTORS; a fixed adviser per district), their
   contact persons, and vacancies: about profile.OPEN_VACANCIES_PER_CLIENT open ones per client on benefit (2,000 in
   a city of 35,000), a few drafts that are not complete, and the vacancies of the history (filled or closed), each
   open for a while. A vacancy's occupation is an ISCO-08 unit group of the shipped table (trede.stats.occupations);
   load, licence, language and education follow the occupation.
2. `chunk_rows` (per chunk of clients):
   - route decisions in force (intake.RouteDecision): for most clients on benefit (the latest (re)assessment), for
     those who left within the history (one in their period) and, for some, an earlier one with another route. The
     advice follows the intake's rule (under the youth age: youth; severe health: exemption review; far from work or
     long on benefit: participation; otherwise work); the decision mostly follows it, with a reason where it does
     not, and a team lead's confirmation where it gives less help; whoever is fully unfit (art. 9 lid 5) gets the
     exemption review;
   - work profiles (experience as ISCO codes with years that add up to no more than the years worked, preferences,
     hours wanted, driving licence) for clients on the route to work and some others, recorded before their first
     referral;
   - referrals to vacancies through rules.TRANSITIONS, each step a ReferralEvent: the ones that led to the job of an
     exit to work (a share of the exits within the history), ones that came to nothing (withdrawn, not hired after
     the CV, the interview or a trial placement) while on the route to work, and open ones today;
   - placements: trial placements (2 months, some extended, never beyond 2 + 4; the intended contract stated) that led
     to a contract or not, jobs with wage subsidy (the amount from employers.rules.wage_subsidy_monthly with the rule
     set's values; a flat rate while not assessed, at most 6 months), climbing jobs (training promised by a date;
     some missed), regular jobs;
   - an Exit for every benefit period the generator ends with exit reason "work" (the employer, hours, contract and an
     hourly wage at or above the minimum wage), with follow-ups at 1, 6 and 12 months: the past ones done, still off
     benefit exactly when the client has not started a new benefit period by then;
   - matches: the one behind each referral (proposed, with a score and its parts), and some discussed or declined.

Invariants, by construction (tests/synth check them in the database): a referral or placement only for a client
without an exemption from the work obligation on its date (the proposal, the placement's start), on benefit then,
whose health allows the vacancy's physical load, who has a licence where the vacancy needs one and meets a hard
language requirement, to a vacancy that was open on the day of the proposal; at most one open referral per client and
vacancy (a client has at most one open referral); no more people hired than a vacancy has positions; events in the
order of rules.TRANSITIONS, dated within the benefit period and never in the future; trial placements within the
legal limits; wages at or above the minimum wage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from trede.core.models import User
from trede.employers.models import (
    ContactPerson,
    Employer,
    Exit,
    FollowUp,
    Match,
    Placement,
    Vacancy,
    WorkProfile,
)
from trede.employers.models import Referral as JobReferral
from trede.employers.models import ReferralEvent as JobReferralEvent
from trede.intake.models import RouteDecision
from trede.synth import profile as P

NEVER = 10**9
YEAR = 365.25
ROUTES = ("youth", "work", "participation", "exemption_review")  # intake.rules.ROUTE_ORDER: most help first
YOUTH, WORK, PARTICIPATION, EXEMPTION_REVIEW = range(4)
NO_ROUTE = -1
HEALTH_MAX_LOAD = {"none": 2, "some": 1, "severe": 0}  # trede.stats.matching.MAX_LOAD_BY_HEALTH
LOADS = ("light", "medium", "heavy")
EDUCATIONS = ("none", "low", "middle", "high")
DUTCH_LEVELS = ("below_1f", "1f", "2f", "3f")
OPEN, DRAFT, FILLED, CLOSED = range(4)
STATUS_NAMES = ("open", "draft", "filled", "closed")
SECTOR_KEYS = tuple(P.SECTORS)
KVK_FIRST = 90_000_001  # generated KvK numbers: 8 digits from here (the loader checks they are free)
CANDIDATES = 16  # vacancies looked at per referral: the adviser picks the one that fits best
WEIGHTS = {"experience": 0.30, "preference": 0.15, "education": 0.15, "language": 0.10, "hours": 0.15, "travel": 0.15}
PLACEMENT_KINDS = tuple(P.PLACEMENT_KIND_SHARES)  # regular, trial, wage_subsidy, climbing
REGULAR, TRIAL, WAGE_SUBSIDY, CLIMBING = (
    PLACEMENT_KINDS.index(k) for k in ("regular", "trial", "wage_subsidy", "climbing")
)


DISTANCE_KM = np.array(
    [
        [np.hypot(a[0] - b[0], a[1] - b[1]) for b in (P.DISTRICT_CENTRES_KM[d[0]] for d in P.DISTRICTS)]
        for a in (P.DISTRICT_CENTRES_KM[d[0]] for d in P.DISTRICTS)
    ]
)


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 4, *stream])))


def kvk_numbers(n: int) -> list[str]:
    return [f"{KVK_FIRST + i:08d}" for i in range(n)]


def _sizes(on: int) -> dict[str, int]:
    """How many open vacancies, drafts, earlier vacancies, employers and advisers for `on` clients on benefit."""
    n_open = max(3, round(P.OPEN_VACANCIES_PER_CLIENT * on))
    return {
        "open": n_open,
        "draft": max(1, round(P.DRAFT_VACANCY_SHARE * n_open)),
        "history": max(3, round(P.HISTORY_VACANCIES_PER_OPEN * n_open)),
        "employers": max(3, round(P.EMPLOYERS_PER_OPEN_VACANCY * n_open)),
        "advisers": max(2, round(n_open / P.OPEN_VACANCIES_PER_ADVISER)),
    }


def employer_count(pop) -> int:
    """The employers the generator makes for this population (their KvK numbers: kvk_numbers(n))."""
    return _sizes(int(pop.on.sum()))["employers"]


def _occupation_table() -> tuple[np.ndarray, np.ndarray]:
    """Every occupation of the sectors with its weight in the labour market of the caseload (sector x occupation)."""
    weight: dict[str, float] = {}
    for sector in P.SECTORS.values():
        total = sum(sector["occupations"].values())
        for code, w in sector["occupations"].items():
            weight[code] = weight.get(code, 0.0) + sector["weight"] * w / total
    codes = np.array(list(weight), dtype="int64")
    p = np.array(list(weight.values()))
    return codes, p / p.sum()


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """ISCO prefix similarity of four-digit codes as integers (trede.stats.occupations: same unit 1.0, minor 0.75,
    sub-major 0.5, major 0.25); -1 on either side: 0."""
    a, b = np.asarray(a, dtype="int64"), np.asarray(b, dtype="int64")
    known = (a >= 0) & (b >= 0)
    depth = (a // 1000 == b // 1000).astype("int64")
    depth += (a // 100 == b // 100) & (depth == 1)
    depth += (a // 10 == b // 10) & (depth == 2)
    depth += (a == b) & (depth == 3)
    return np.where(known, depth / 4.0, 0.0)


# --------------------------------------------------------------------------------------------------
# Phase 1: advisers, employers, contact persons, vacancies


@dataclass
class Market:
    """The vacancies as arrays (index = relative id - 1) and the hires so far (across chunks)."""

    employer: np.ndarray
    occupation: np.ndarray  # four-digit ISCO code as an integer
    district: np.ndarray
    load: np.ndarray  # 0 light .. 2 heavy
    licence: np.ndarray
    dutch: np.ndarray  # -1: none required
    dutch_hard: np.ndarray
    education: np.ndarray
    hours: np.ndarray
    contract: np.ndarray
    contract_months: np.ndarray  # -1: permanent
    wage: np.ndarray  # hourly wage in cents used for an exit (at or above the minimum wage)
    offers: dict[str, np.ndarray]
    status: np.ndarray
    opened: np.ndarray
    closed: np.ndarray  # NEVER while open
    positions: np.ndarray
    hired: np.ndarray  # filled chunk by chunk
    history: np.ndarray  # indexes of filled and closed vacancies, by opening day
    history_opened: np.ndarray
    open_now: np.ndarray  # indexes of open vacancies, by opening day
    open_now_opened: np.ndarray
    employer_adviser: np.ndarray  # relative user id of each employer's adviser
    employer_weight: np.ndarray
    employer_sector: np.ndarray
    n_advisers: int
    first_adviser: int  # relative user id

    def adviser_of(self, vacancy: np.ndarray) -> np.ndarray:
        return self.employer_adviser[self.employer[vacancy]]


def market(pop, spec) -> tuple[Market, list]:
    """Employer advisers, employers, contact persons and vacancies (Batches). Deterministic for the spec."""
    from trede.stats import occupations
    from trede.synth.generator import (
        Batch,
        allocate,
        as_date,
        as_timestamp,
        draw_origin,
        obj,
        person_names,
        uniform_int,
    )

    rng = _rng(spec.seed, 1)
    today, w = pop.today, pop.window_start
    nd = len(P.DISTRICTS)
    size = _sizes(int(pop.on.sum()))
    min_wage = spec.minimum_wage_hourly_cents
    staff = pop.staff
    user_base = staff.n_caseworkers + staff.n_teams  # the advisers come after the caseworkers and team leads

    # ---- advisers: one or more per district (or a few districts each), named like the generated caseworkers
    n_adv = size["advisers"]
    female = rng.random(n_adv) < 0.55
    first, sur = person_names(rng, draw_origin(rng, n_adv, 0.3), female)
    last = [f"{p} {s}".strip() for p, s in sur]
    joined = uniform_int(rng, np.full(n_adv, today - 4000), today - 30)
    advisers = Batch(
        User,
        {
            "id": user_base + np.arange(1, n_adv + 1),
            "password": obj(["!synthetic-account-without-login"] * n_adv),
            "is_superuser": np.zeros(n_adv, dtype=bool),
            "username": obj([f"{P.USERNAME_PREFIX}wg-{i + 1:04d}" for i in range(n_adv)]),
            "first_name": first,
            "last_name": obj(last),
            "email": obj(
                [
                    f"{P.ascii_slug(f)}.{P.ascii_slug(s)}.wg{i + 1}@{P.MUNICIPALITY.lower()}.example.org"
                    for i, (f, s) in enumerate(zip(first, last, strict=True))
                ]
            ),
            "is_staff": np.zeros(n_adv, dtype=bool),
            "is_active": np.ones(n_adv, dtype=bool),
            "date_joined": as_timestamp(joined, 8 * 3600 + uniform_int(rng, np.zeros(n_adv), 3600)),
            "role": obj(["employer_adviser"] * n_adv),
            "language": obj(["nl"] * n_adv),
        },
    )

    # ---- employers: sector, district, size (how many vacancies they bring), the district's adviser
    n_emp = size["employers"]
    sector_w = np.array([P.SECTORS[k]["weight"] for k in SECTOR_KEYS])
    e_sector = allocate(rng, n_emp, sector_w)
    e_district = allocate(rng, n_emp, [d[2] for d in P.DISTRICTS])
    e_weight = rng.lognormal(0.0, 1.0, n_emp)
    advisers_of_district = [np.flatnonzero(np.arange(n_adv) % nd == d) for d in range(nd)]
    e_adviser = np.zeros(n_emp, dtype="int64")
    for d in range(nd):
        m = np.flatnonzero(e_district == d)
        pool = advisers_of_district[d] if len(advisers_of_district[d]) else np.array([d % n_adv])
        e_adviser[m] = pool[np.arange(len(m)) % len(pool)]
    e_adviser_user = user_base + e_adviser + 1
    names, seen = [], set()
    pattern_i = rng.integers(0, 1000, n_emp)
    word_i = rng.integers(0, len(P.EMPLOYER_WORDS), n_emp)
    noun_i = rng.integers(0, len(P.EMPLOYER_NOUNS), n_emp)
    sur_i = rng.integers(0, len(P.SURNAMES_DUTCH), n_emp)
    for e in range(n_emp):
        patterns = P.SECTORS[SECTOR_KEYS[e_sector[e]]]["names"]
        prefix, surname = P.SURNAMES_DUTCH[sur_i[e]]
        surname = f"{prefix[0].upper()}{prefix[1:]} {surname}".strip() if prefix else surname
        name = patterns[pattern_i[e] % len(patterns)].format(
            surname=surname, word=P.EMPLOYER_WORDS[word_i[e]], noun=P.EMPLOYER_NOUNS[noun_i[e]]
        )
        if name in seen:
            name = f"{name} {P.DISTRICTS[e_district[e]][1]}"
        k = 2
        base = name
        while name in seen:
            name = f"{base} {k}"
            k += 1
        seen.add(name)
        names.append(name)
    streets = [d[4] for d in P.DISTRICTS]
    e_street = [
        streets[d][int(x) % len(streets[d])] for d, x in zip(e_district, rng.integers(0, 100, n_emp), strict=True)
    ]
    e_number = rng.integers(1, 300, n_emp)
    social_return = rng.random(n_emp) < P.SOCIAL_RETURN_SHARE
    pso = obj(list(P.PSO_LEVELS))[rng.choice(len(P.PSO_LEVELS), n_emp, p=list(P.PSO_LEVELS.values()))]
    agreements = np.where(
        social_return,
        "Social return: 5% van de opdrachtwaarde besteed aan werk voor mensen met afstand tot de arbeidsmarkt.",
        "",
    ).astype(object)
    e_created = uniform_int(rng, np.full(n_emp, w - 3000), w - 30)
    employers = Batch(
        Employer,
        {
            "id": np.arange(1, n_emp + 1),
            "name": obj(names),
            "kvk_number": obj(kvk_numbers(n_emp)),
            "sector": obj(SECTOR_KEYS)[e_sector],
            "adviser_id": e_adviser_user,
            "address": obj([f"{s} {k}, {P.MUNICIPALITY}" for s, k in zip(e_street, e_number, strict=True)]),
            "district_id": e_district + 1,
            "social_return": social_return,
            "pso_level": pso,
            "agreements": agreements,
            "active": rng.random(n_emp) < 0.97,
            "created_at": as_timestamp(e_created, 9 * 3600 + uniform_int(rng, np.zeros(n_emp), 25_000)),
        },
    )

    # ---- contact persons: 1-3 per employer, reachable by phone, e-mail or both
    n_contacts = rng.choice(3, n_emp, p=(0.5, 0.35, 0.15)) + 1
    c_emp = np.repeat(np.arange(n_emp), n_contacts)
    first_contact = np.cumsum(n_contacts) - n_contacts  # 0-based
    n_c = len(c_emp)
    c_female = rng.random(n_c) < 0.5
    c_first, c_sur = person_names(rng, draw_origin(rng, n_c, 0.3), c_female)
    c_last = [f"{p} {s}".strip() for p, s in c_sur]
    reach = rng.choice(3, n_c, p=(0.2, 0.2, 0.6))  # 0 phone only, 1 e-mail only, 2 both
    phones = [f"06-{x:08d}" for x in rng.integers(10_000_000, 99_999_999, n_c)]
    domains = [f"{P.ascii_slug(n)}.synth.example.org" for n in names]
    contacts = Batch(
        ContactPerson,
        {
            "id": np.arange(1, n_c + 1),
            "employer_id": c_emp + 1,
            "name": obj([f"{f} {s}" for f, s in zip(c_first, c_last, strict=True)]),
            "role": obj(P.CONTACT_ROLES)[rng.integers(0, len(P.CONTACT_ROLES), n_c)],
            "phone": obj([ph if r != 1 else "" for ph, r in zip(phones, reach, strict=True)]),
            "email": obj(
                [
                    f"{P.ascii_slug(f)}.{P.ascii_slug(s)}@{domains[e]}" if r != 0 else ""
                    for f, s, e, r in zip(c_first, c_last, c_emp, reach, strict=True)
                ]
            ),
        },
    )

    # ---- vacancies: open now, drafts, and those of the history (filled or closed)
    n_open, n_draft, n_hist = size["open"], size["draft"], size["history"]
    m = n_open + n_draft + n_hist
    status = np.concatenate([np.full(n_open, OPEN), np.full(n_draft, DRAFT), np.full(n_hist, FILLED)])
    hist = np.arange(n_open + n_draft, m)
    status[hist[rng.random(n_hist) >= P.FILLED_SHARE]] = CLOSED
    v_emp = rng.choice(n_emp, m, p=e_weight / e_weight.sum())
    v_sector = e_sector[v_emp]
    occupation = np.zeros(m, dtype="int64")
    for k, key in enumerate(SECTOR_KEYS):
        rows = np.flatnonzero(v_sector == k)
        occ = P.SECTORS[key]["occupations"]
        codes = np.array(list(occ), dtype="int64")
        weights = np.array(list(occ.values()), dtype="float64")
        occupation[rows] = codes[rng.choice(len(codes), len(rows), p=weights / weights.sum())]
    codes_str = [f"{c:04d}" for c in occupation]
    v_district = np.where(rng.random(m) < 0.8, e_district[v_emp], rng.integers(0, nd, m))
    heavy = np.isin(occupation, np.array(P.HEAVY_OCCUPATIONS, dtype="int64"))
    light = np.isin(occupation, np.array(P.LIGHT_OCCUPATIONS, dtype="int64"))
    load = np.where(heavy, 2, np.where(light, 0, 1)) + np.where(rng.random(m) < 0.15, rng.choice([-1, 1], m), 0)
    load = np.clip(load, 0, 2)
    licence_p = np.array([P.LICENCE_OCCUPATIONS.get(c, 0.03) for c in codes_str])
    licence = rng.random(m) < licence_p
    major = occupation // 1000
    r = rng.random(m)
    education = np.where(
        major <= 3,
        np.where(major == 2, 3, np.where(r < 0.5, 2, 3)),
        np.where(major == 9, np.where(r < 0.55, 0, 1), np.where(r < 0.6, 1, 2)),
    )
    levels = list(P.LANGUAGE_LEVEL_SHARES)
    dutch = np.array([-1, 1, 2, 3])[rng.choice(len(levels), m, p=list(P.LANGUAGE_LEVEL_SHARES.values()))]
    facing = np.isin(occupation, np.array([4222, 4224, 5223, 5230, 5311, 5312, 5321, 5322, 3412, 3221]))
    dutch = np.where(facing, np.maximum(dutch, 2), dutch)
    dutch_hard = (dutch >= 0) & (rng.random(m) < np.where(facing, 2 * P.LANGUAGE_HARD_SHARE, P.LANGUAGE_HARD_SHARE))
    hours = np.array(
        [
            P.SECTORS[SECTOR_KEYS[k]]["hours"][int(x) % len(P.SECTORS[SECTOR_KEYS[k]]["hours"])]
            for k, x in zip(v_sector, rng.integers(0, 1000, m), strict=True)
        ],
        dtype="int64",
    )
    agency_p = np.array([P.SECTORS[k]["agency"] for k in SECTOR_KEYS])[v_sector]
    on_call_p = np.array([P.SECTORS[k]["on_call"] for k in SECTOR_KEYS])[v_sector]
    r = rng.random(m)
    rest = 1 - agency_p - on_call_p
    fixed_p = rest * P.CONTRACT_SHARES["fixed"] / sum(P.CONTRACT_SHARES.values())
    contract = np.where(
        r < agency_p,
        "agency",
        np.where(
            r < agency_p + on_call_p, "on_call", np.where(r < agency_p + on_call_p + fixed_p, "fixed", "permanent")
        ),
    ).astype(object)
    contract_months = np.full(m, -1, dtype="int64")
    for kind, options in P.CONTRACT_MONTHS.items():
        rows = np.flatnonzero(contract == kind)
        contract_months[rows] = np.array(options)[rng.integers(0, len(options), len(rows))]
    premium = rng.exponential(np.where(major == 9, P.WAGE_PREMIUM_MEAN["elementary"], P.WAGE_PREMIUM_MEAN["other"]))
    wage = np.ceil(min_wage * (1 + np.minimum(premium, 1.5))).astype("int64")  # cents, at least the minimum
    wage_band = rng.random(m) < 0.6
    wage_max = np.where(wage_band, np.ceil(wage * (1 + rng.random(m) * 0.15)).astype("int64"), -1)
    cao = obj([P.SECTORS[SECTOR_KEYS[k]]["cao"] for k in v_sector])
    with_scale = (cao != "") & (rng.random(m) < P.WAGE_SCALE_SHARE)
    scale_only = with_scale & (rng.random(m) < P.WAGE_SCALE_ONLY_SHARE)
    scale_names = np.array(
        ["loongroep A", "loongroep B", "loongroep C", "schaal 1", "schaal 2", "schaal 3"], dtype=object
    )
    wage_scale = np.where(with_scale, cao + ", " + scale_names[rng.integers(0, len(scale_names), m)], "").astype(object)
    offers = {
        key: rng.random(m) < np.where(status == FILLED, min(1.0, share * 1.4), share)
        for key, share in P.OFFER_SHARES.items()
    }
    positions = np.where(rng.random(m) < 0.6, 1, np.where(rng.random(m) < 0.5, 2, rng.integers(3, 6, m)))

    opened = np.zeros(m, dtype="int64")
    closed = np.full(m, NEVER, dtype="int64")
    o = np.flatnonzero(status == OPEN)
    opened[o] = uniform_int(rng, np.full(len(o), today - 100), today - 1)
    d_ = np.flatnonzero(status == DRAFT)
    opened[d_] = uniform_int(rng, np.full(len(d_), today - 30), today - 1)
    lo_len, hi_len = P.VACANCY_OPEN_DAYS
    opened[hist] = uniform_int(rng, np.full(n_hist, w - 240), today - 1 - lo_len)
    closed[hist] = np.minimum(opened[hist] + uniform_int(rng, np.full(n_hist, lo_len), hi_len), today - 1)
    start_on = opened + uniform_int(rng, np.full(m, 7), 45)
    v_contact = first_contact[v_emp] + np.floor(rng.random(m) * n_contacts[v_emp]).astype("int64")
    title = obj([P.VACANCY_TITLES.get(c) or occupations.name_of(c) for c in codes_str])
    tasks = obj([P.TASK_TEXTS[SECTOR_KEYS[k]] for k in v_sector])
    v_street = [streets[d][int(x) % len(streets[d])] for d, x in zip(v_district, rng.integers(0, 100, m), strict=True)]
    location = obj([f"{s} {k}, {P.MUNICIPALITY}" for s, k in zip(v_street, rng.integers(1, 300, m), strict=True)])
    wage_min = np.where(scale_only, -1, wage)
    wage_max = np.where(scale_only, -1, wage_max)
    contact_id = v_contact + 1
    # drafts: one or two things still missing (rules.vacancy_missing), so that they cannot open
    d_missing = rng.integers(0, 4, len(d_))
    contact_id[d_[d_missing == 0]] = -1
    wage_min[d_[d_missing == 1]] = -1
    wage_max[d_[d_missing == 1]] = -1
    wage_scale[d_[d_missing == 1]] = ""
    tasks[d_[d_missing == 2]] = ""
    start_none = np.zeros(m, dtype=bool)
    start_none[d_[d_missing == 3]] = True
    vac_batch = Batch(
        Vacancy,
        {
            "id": np.arange(1, m + 1),
            "employer_id": v_emp + 1,
            "title": title,
            "occupation": obj(codes_str),
            "tasks": tasks,
            "wage_min": _cents(wage_min),
            "wage_max": _cents(wage_max),
            "wage_scale": wage_scale,
            "hours_per_week": hours,
            "contract_type": contract,
            "contract_months": contract_months,
            "education": obj(EDUCATIONS)[education],
            "language_level": np.where(dutch >= 0, obj(DUTCH_LEVELS)[np.maximum(dutch, 0)], "").astype(object),
            "language_required": dutch_hard,
            "physical_load": obj(LOADS)[load],
            "driving_licence": licence,
            "location": location,
            "district_id": v_district + 1,
            "start_on": as_date(start_on, null=start_none),
            "contact_id": contact_id,
            "positions": positions.astype("int64"),
            "offers_trial_placement": offers["trial_placement"],
            "offers_wage_subsidy": offers["wage_subsidy"],
            "offers_job_coach": offers["job_coach"],
            "offers_training": offers["training"],
            "status": obj(STATUS_NAMES)[status],
            "created_by_id": e_adviser_user[v_emp],
            "created_at": as_timestamp(opened, 8 * 3600 + uniform_int(rng, np.zeros(m), 30_000)),
        },
    )
    history = hist[np.argsort(opened[hist], kind="stable")]
    open_now = o[np.argsort(opened[o], kind="stable")]
    mk = Market(
        employer=v_emp,
        occupation=occupation,
        district=v_district,
        load=load,
        licence=licence,
        dutch=dutch,
        dutch_hard=dutch_hard,
        education=education,
        hours=hours,
        contract=contract,
        contract_months=contract_months,
        wage=wage,
        offers=offers,
        status=status,
        opened=opened,
        closed=closed,
        positions=positions.astype("int64"),
        hired=np.zeros(m, dtype="int64"),
        history=history,
        history_opened=opened[history],
        open_now=open_now,
        open_now_opened=opened[open_now],
        employer_adviser=e_adviser_user,
        employer_weight=e_weight,
        employer_sector=e_sector,
        n_advisers=n_adv,
        first_adviser=user_base + 1,
    )
    return mk, [advisers, employers, contacts, vac_batch]


def _cents(cents: np.ndarray) -> np.ndarray:
    """Amounts in cents (-1: NULL) as decimal strings for a DecimalField column."""
    return obj_or_none([f"{c // 100}.{c % 100:02d}" if c >= 0 else None for c in np.asarray(cents).tolist()])


def obj_or_none(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


# --------------------------------------------------------------------------------------------------
# Phase 2: one chunk of clients


@dataclass
class WorkFacts:
    """What chunk_rows needs of the rest of the chunk (0-based local client indexes)."""

    lo: int
    cid: np.ndarray
    on: np.ndarray
    p0s: np.ndarray
    p0e: np.ndarray
    p0r: np.ndarray
    p1s: np.ndarray
    p1e: np.ndarray
    p1r: np.ndarray
    p2s: np.ndarray
    p0_id: np.ndarray  # relative BenefitPeriod ids (-1: none)
    p1_id: np.ndarray
    dutch_min: np.ndarray  # the lower of the recorded Dutch levels, 0-3
    team: np.ndarray  # team index of the (last) caseworker
    exemptions: dict  # obligation -> (owner, start, last day (NEVER: open), ground), sorted by owner
    w: int
    today: int


class Spans:
    """Intervals per owner (sorted by owner): does one cover a day?"""

    def __init__(self, owner, start, last) -> None:
        order = np.argsort(owner, kind="stable")
        self.owner, self.start, self.last = owner[order], start[order], last[order]

    def covers(self, owner: np.ndarray, day: np.ndarray) -> np.ndarray:
        out = np.zeros(len(owner), dtype=bool)
        if not len(self.owner) or not len(owner):
            return out
        first = np.searchsorted(self.owner, owner, side="left")
        stop = np.searchsorted(self.owner, owner, side="right")
        for j in range(int((stop - first).max())):
            i = first + j
            has = i < stop
            ii = np.where(has, i, 0)
            out |= has & (self.start[ii] <= day) & (day <= self.last[ii])
        return out


class _Events:
    """Referral events collected per category, as (referral row, day, seq, from, to, reason, by adviser)."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []

    def add(self, rows, day, seq: int, frm: str, to: str, reason=None, adviser: bool = False) -> None:
        rows = np.asarray(rows, dtype="int64")
        if not len(rows):
            return
        k = len(rows)
        reason = np.full(k, "", dtype=object) if reason is None else np.asarray(reason, dtype=object)
        self.parts.append(
            (
                rows,
                np.asarray(day, dtype="int64"),
                np.full(k, seq),
                np.full(k, frm, dtype=object),
                np.full(k, to, dtype=object),
                reason,
                np.full(k, adviser),
            )
        )

    def arrays(self) -> list[np.ndarray]:
        if not self.parts:
            return [np.zeros(0, dtype="int64")] * 3 + [np.zeros(0, dtype=object)] * 3 + [np.zeros(0, dtype=bool)]
        return [np.concatenate([p[i] for p in self.parts]) for i in range(7)]


def chunk_rows(pop, spec, chunk: int, hi: int, facts: WorkFacts, ids, mk: Market, caseworker_at) -> list:
    """Route decisions, work profiles, matches, referrals to vacancies with their events, placements, exits to work
    and follow-ups of the clients facts.lo..hi-1."""
    from trede.employers import rules as employer_rules
    from trede.synth.generator import Batch, add_months_days, as_date, as_timestamp, obj, pick, uniform_int

    rng = _rng(spec.seed, 2, chunk)
    lo = facts.lo
    n = hi - lo
    today, w = facts.today, facts.w
    cid = facts.cid
    sl = slice(lo, hi)
    on, p1s, p1e, p1r, p2s = facts.on, facts.p1s, facts.p1e, facts.p1r, facts.p2s
    returned = p2s >= 0
    ps = np.where(returned, p2s, p1s)  # start of the latest period
    birth = pop.birth[sl]
    health, z, far = pop.health[sl], pop.z[sl], pop.far[sl]
    district = pop.district[sl]
    education = np.select([pop.education[sl] == e for e in EDUCATIONS], range(4), 0)
    max_load = np.select([health == h for h in HEALTH_MAX_LOAD], list(HEALTH_MAX_LOAD.values()), 0)
    dutch_min = facts.dutch_min
    staff = pop.staff
    lead_of = staff.lead_user(facts.team)
    exempt_work = Spans(*facts.exemptions["work_obligation"][:3])
    ex_all = {k: Spans(*v[:3]) for k, v in facts.exemptions.items()}
    fo, fs, fl, fg = facts.exemptions["work_obligation"]
    fully = Spans(fo[fg == "fully_disabled"], fs[fg == "fully_disabled"], fl[fg == "fully_disabled"])
    route_obligations = dict(spec.route_obligations)
    youth_age = spec.youth_age

    # ---- the client's side of work: licence, experience (ISCO codes with years), preferences, hours wanted
    occ_codes, occ_p = _occupation_table()
    skilled = np.array(list(P.SKILLED_OCCUPATIONS), dtype="int64")
    skilled_p = np.array(list(P.SKILLED_OCCUPATIONS.values()), dtype="float64")
    origin = pop.origin[sl]
    licence = rng.random(n) < np.where(origin < 0, P.LICENCE_SHARE["dutch_origin"], P.LICENCE_SHARE["migrant_origin"])
    licence &= (today - birth) / YEAR >= 19
    work_years = pop.work_years[sl]
    n_exp = np.where(work_years > 0, 1 + (work_years >= 4) + ((work_years >= 10) & (rng.random(n) < 0.5)), 0)
    n_exp = np.minimum(n_exp, work_years)
    exp = occ_codes[rng.choice(len(occ_codes), (n, 3), p=occ_p)]
    use_skilled = (education[:, None] >= 2) & (rng.random((n, 3)) < 0.3)
    exp = np.where(use_skilled, skilled[rng.choice(len(skilled), (n, 3), p=skilled_p / skilled_p.sum())], exp)
    exp = np.where(np.arange(3)[None, :] < n_exp[:, None], exp, -1)
    # years per occupation: at least one each, the rest shared out; together never more than the years worked
    share = rng.dirichlet(np.ones(3), n) * (exp >= 0)
    share = share / np.maximum(share.sum(axis=1, keepdims=True), 1e-9)
    spare = np.maximum(work_years - n_exp, 0)[:, None]
    exp_years = np.where(exp >= 0, 1 + np.floor(share * spare), 0).astype("int64")
    exp_years = np.minimum(exp_years, 60)
    n_pref = rng.choice(3, n, p=(0.3, 0.45, 0.25))
    pref = occ_codes[rng.choice(len(occ_codes), (n, 2), p=occ_p)]
    pref[:, 0] = np.where((exp[:, 0] >= 0) & (rng.random(n) < 0.5), exp[:, 0], pref[:, 0])
    pref = np.where(np.arange(2)[None, :] < n_pref[:, None], pref, -1)
    pref[:, 1] = np.where(pref[:, 1] == pref[:, 0], -1, pref[:, 1])
    single_parent = pop.household[sl] == P.HOUSEHOLD_KINDS.index("single_parent")
    hours_wanted = np.where(
        single_parent,
        np.array([12, 16, 20, 24])[rng.integers(0, 4, n)],
        np.array([20, 24, 32, 36, 38, 40])[rng.integers(0, 6, n)],
    )
    hours_wanted = np.where(rng.random(n) < 0.1, -1, hours_wanted)

    def fits(cand: np.ndarray, owner: np.ndarray, day: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Which candidate vacancies (rows: referrals) were open on the day and fit the client's health, licence and
        Dutch (the hard constraints)."""
        ok = valid & (mk.opened[cand] <= day[:, None]) & (mk.closed[cand] >= day[:, None])
        ok &= mk.load[cand] <= max_load[owner][:, None]
        ok &= ~mk.licence[cand] | licence[owner][:, None]
        ok &= ~mk.dutch_hard[cand] | (mk.dutch[cand] <= dutch_min[owner][:, None])
        return ok

    def choose(owner, day, pool, pool_opened, span, extra=None) -> np.ndarray:
        """The best fitting vacancy among CANDIDATES drawn from the pool that opened within `span` days before the
        day (-1: none fits). Best: the client's experience and preferences, then the shorter journey."""
        k = len(owner)
        if not k or not len(pool):
            return np.full(k, -1, dtype="int64")
        first = np.searchsorted(pool_opened, day - span, side="left")
        stop = np.searchsorted(pool_opened, day, side="right")
        size = stop - first
        draw = first[:, None] + np.floor(rng.random((k, CANDIDATES)) * size[:, None]).astype("int64")
        valid = size[:, None] > 0
        cand = pool[np.clip(draw, 0, len(pool) - 1)]
        ok = fits(cand, owner, day, valid)
        if extra is not None:
            ok &= extra(cand)
        occ = mk.occupation[cand]
        sim = np.maximum(
            (similarity(occ[:, :, None], exp[owner][:, None, :])).max(axis=2),
            (similarity(occ[:, :, None], pref[owner][:, None, :])).max(axis=2),
        )
        dist = DISTANCE_KM[district[owner][:, None], mk.district[cand]]
        pref_score = np.where(ok, 1 + 2 * sim - dist / 20 + 0.6 * rng.random((k, CANDIDATES)), -np.inf)
        best = np.argmax(pref_score, axis=1)
        found = np.isfinite(pref_score[np.arange(k), best])
        return np.where(found, cand[np.arange(k), best], -1)

    # ================================================================================================
    # 1. exits to work within the history that came through a referral: dates, the vacancy (filled, with room)
    work1 = (p1r == "work") & (p1e >= w)
    via = work1 & (rng.random(n) < P.EXIT_VIA_REFERRAL_SHARE)
    kinds = list(P.PLACEMENT_KIND_SHARES)
    v_kind = rng.choice(len(kinds), n, p=list(P.PLACEMENT_KIND_SHARES.values()))
    extended = rng.random(n) < P.TRIAL_EXTENDED_SHARE
    trial_months = np.where(
        extended,
        rng.integers(spec.trial_placement_months + 1, spec.trial_placement_months + spec.trial_extension_months + 1, n),
        spec.trial_placement_months,
    )
    t_start = add_months_days(p1e + 1, -trial_months)
    t_planned = add_months_days(t_start, spec.trial_placement_months) - 1
    t_until = np.where(
        extended,
        np.minimum(
            add_months_days(t_start, trial_months) - 1,
            add_months_days(t_start, spec.trial_placement_months + spec.trial_extension_months) - 1,
        ),
        -1,
    )
    t_end = np.where(extended, np.minimum(p1e - 1, t_until), np.minimum(p1e - 1, t_planned))
    is_trial = v_kind == TRIAL
    # a trial placement lies within the benefit period; if it cannot, the job came without one
    v_kind = np.where(is_trial & (t_start < p1s + 14), REGULAR, v_kind)
    is_trial = v_kind == TRIAL
    h_day = np.where(is_trial, t_end, p1e - uniform_int(rng, np.zeros(n), 21))
    iv_day = np.where(
        is_trial, np.maximum(t_start - uniform_int(rng, np.ones(n), 10), 0), h_day - uniform_int(rng, np.full(n, 2), 14)
    )
    sent_day = iv_day - uniform_int(rng, np.full(n, 2), 10)
    prop_day = sent_day - uniform_int(rng, np.ones(n), 5)
    place_day = np.where(is_trial, t_start, p1e)
    via &= prop_day >= p1s + 14
    via &= ~exempt_work.covers(np.arange(n), prop_day) & ~exempt_work.covers(np.arange(n), place_day)
    via_idx = np.flatnonzero(via)
    via_vac = np.full(n, -1, dtype="int64")
    flag_of_kind = {TRIAL: "trial_placement", WAGE_SUBSIDY: "wage_subsidy", CLIMBING: "training"}
    todo = via_idx
    for _round in range(3):
        if not len(todo):
            break

        def extra(cand, kinds_=v_kind[todo]):
            ok = (mk.status[cand] == FILLED) & (mk.hired[cand] < mk.positions[cand])
            for kind, flag in flag_of_kind.items():
                ok &= (kinds_[:, None] != kind) | mk.offers[flag][cand]
            return ok

        chosen = choose(todo, prop_day[todo], mk.history, mk.history_opened, P.VACANCY_OPEN_DAYS[1], extra)
        got = chosen >= 0
        # places left, handed out in client order
        c_todo, c_vac = todo[got], chosen[got]
        order = np.lexsort((c_todo, c_vac))
        c_todo, c_vac = c_todo[order], c_vac[order]
        rank = np.arange(len(c_vac)) - np.searchsorted(c_vac, c_vac, side="left")
        room = mk.positions[c_vac] - mk.hired[c_vac]
        take = rank < room
        via_vac[c_todo[take]] = c_vac[take]
        np.add.at(mk.hired, c_vac[take], 1)
        todo = np.setdiff1d(todo, c_todo[take])
        todo = todo[np.isin(todo, c_todo[~take])]  # only those who lost a place to another try again
    via = via_vac >= 0
    via_idx = np.flatnonzero(via)

    # ================================================================================================
    # 2. route decisions: the one in force now, one in the period of those who left, an earlier one for some
    cur = on & (today - ps >= 21) & (rng.random(n) < P.ROUTE_DECISION_SHARE)
    c_idx = np.flatnonzero(cur)
    c_day = uniform_int(rng, np.maximum(ps[c_idx] + 14, today - P.ROUTE_DECISION_RECENT_DAYS), today - 1)
    ended = (p1e >= w) & (p1e - 7 >= p1s + 14) & ((rng.random(n) < P.ROUTE_DECISION_SHARE) | via)
    e_idx = np.flatnonzero(ended)
    e_hi = np.where(via[e_idx], prop_day[e_idx] - 1, p1e[e_idx] - 7)
    e_lo = np.minimum(np.maximum(p1s[e_idx] + 14, e_hi - 400), e_hi)
    e_day = uniform_int(rng, e_lo, e_hi)
    cur_day_of = np.full(n, -1, dtype="int64")
    cur_day_of[c_idx] = c_day
    early = cur & (rng.random(n) < P.ROUTE_EARLIER_SHARE)
    early &= np.maximum(ps + 14, w - 200) <= cur_day_of - 120
    a_idx = np.flatnonzero(early)
    a_day = uniform_int(rng, np.maximum(ps[a_idx] + 14, w - 200), cur_day_of[a_idx] - 120)
    d_owner = np.concatenate([c_idx, e_idx, a_idx])
    d_day = np.concatenate([c_day, e_day, a_day])
    d_kind = np.concatenate([np.zeros(len(c_idx), "int64"), np.ones(len(e_idx), "int64"), np.full(len(a_idx), 2)])
    d_pstart = np.concatenate([ps[c_idx], p1s[e_idx], ps[a_idx]])
    nd_ = len(d_owner)
    age_d = (d_day - birth[d_owner]) / YEAR
    years_on = (d_day - d_pstart) / YEAR
    severe = health[d_owner] == "severe"
    far_d = far[d_owner] | ((z[d_owner] > 0) & (years_on >= P.ROUTE_LONG_ON_BENEFIT_YEARS))
    advised = np.where(
        age_d < youth_age, YOUTH, np.where(severe, EXEMPTION_REVIEW, np.where(far_d, PARTICIPATION, WORK))
    )
    r = rng.random(nd_)
    route = advised.copy()
    route = np.where((advised == EXEMPTION_REVIEW) & (r < P.ROUTE_SEVERE_TO_PARTICIPATION), PARTICIPATION, route)
    route = np.where(
        (advised == EXEMPTION_REVIEW)
        & (r >= P.ROUTE_SEVERE_TO_PARTICIPATION)
        & (r < P.ROUTE_SEVERE_TO_PARTICIPATION + 0.05),
        WORK,
        route,
    )
    route = np.where((advised == PARTICIPATION) & (r < P.ROUTE_PARTICIPATION_TO_WORK), WORK, route)
    route = np.where((advised == WORK) & (r < P.ROUTE_WORK_TO_PARTICIPATION), PARTICIPATION, route)
    # the earlier decision: another route than the one in force now
    if len(a_idx):
        now_route = np.full(n, NO_ROUTE)
        now_route[c_idx] = route[: len(c_idx)]
        k = np.arange(len(c_idx) + len(e_idx), nd_)
        later = now_route[d_owner[k]]
        route[k] = np.where(
            later == PARTICIPATION,
            WORK,
            np.where(later == WORK, PARTICIPATION, np.where(later == EXEMPTION_REVIEW, PARTICIPATION, route[k])),
        )
        route[k] = np.where(age_d[k] < youth_age, YOUTH, route[k])
    # who left for work through a referral was on the route to work; whoever is fully unfit: the exemption review
    via_row = (d_kind == 1) & via[d_owner]
    route = np.where(via_row, np.where(age_d < youth_age, YOUTH, WORK), route)
    route = np.where(fully.covers(d_owner, d_day), EXEMPTION_REVIEW, route)
    no_advice = rng.random(nd_) < P.ROUTE_NO_ADVICE_SHARE
    advised = np.where(no_advice, NO_ROUTE, advised)
    differs = (advised >= 0) & (route != advised)
    reason = np.full(nd_, "", dtype=object)
    for (adv, chosen), texts in P.ROUTE_REASONS.items():
        m_ = differs & (advised == ROUTES.index(adv)) & (route == ROUTES.index(chosen))
        reason[m_] = pick(rng, texts, int(m_.sum()))
    reason[differs & (reason == "")] = "Afgeweken van het advies na het gesprek met de klant."
    less_help = (advised >= 0) & (route > advised)  # ROUTES is ordered from most help to least
    confirmed_on = np.where(less_help, np.minimum(d_day + uniform_int(rng, np.ones(nd_), 10), today), -1)
    obligations = np.empty(nd_, dtype=object)
    flags = np.zeros((nd_, 2), dtype=bool)
    for ri, name in enumerate(ROUTES):
        m_ = route == ri
        kinds_r = route_obligations.get(name, ())
        for j, kind in enumerate(kinds_r[:2]):
            spans = ex_all.get(kind)
            flags[m_, j] = spans.covers(d_owner[m_], d_day[m_]) if spans is not None else False
    for ri, name in enumerate(ROUTES):
        kinds_r = route_obligations.get(name, ())[:2]
        for bits in ((False, False), (True, False), (False, True), (True, True)):
            m_ = (route == ri) & (flags[:, 0] == bits[0]) & (flags[:, 1] == bits[1])
            if m_.any():
                obligations[m_] = json.dumps(
                    [{"kind": k, "opened": False, "exempt": bool(bits[j])} for j, k in enumerate(kinds_r)]
                )
    order = np.lexsort((d_day, d_owner))
    batches = [
        Batch(
            RouteDecision,
            {
                "id": ids.take(RouteDecision, nd_),
                "client_id": cid[d_owner[order]],
                "decided_on": as_date(d_day[order]),
                "decided_by_id": caseworker_at(d_owner[order], d_day[order]),
                "advised_route": np.where(advised >= 0, obj(ROUTES)[np.maximum(advised, 0)], "").astype(object)[order],
                "route": obj(ROUTES)[route[order]],
                "reason": reason[order],
                "status": obj(["in_force"] * nd_),
                "confirmed_by_id": np.where(less_help, lead_of[d_owner], -1)[order],
                "confirmed_on": as_date(confirmed_on[order], null=confirmed_on[order] < 0),
                "confirmation_note": np.where(less_help, pick(rng, P.ROUTE_CONFIRMATION_NOTES, nd_), "").astype(object)[
                    order
                ],
                "review_on": as_date(add_months_days(d_day, spec.route_review_months)[order]),
                "obligations": obligations[order],
            },
        )
    ]
    route_now = np.full(n, NO_ROUTE)
    route_now[c_idx] = route[: len(c_idx)]

    # spans on the route to work (work or youth), for the referrals that came to nothing
    on_work_route = route <= WORK
    next_day = np.full(nd_, NEVER, dtype="int64")
    o2 = np.lexsort((d_day, d_owner))
    same = d_owner[o2][1:] == d_owner[o2][:-1]
    next_day[o2[:-1][same]] = d_day[o2][1:][same]
    period_last = np.where(d_kind == 1, p1e[d_owner], today - 1)
    span_hi = np.minimum(next_day - 1, period_last)

    # ================================================================================================
    # 3. open referrals today: clients on the route to work, not exempt
    open_status = list(P.OPEN_JOB_STATUS_SHARES)
    o_cand = on & (route_now <= WORK) & (route_now >= 0) & ~exempt_work.covers(np.arange(n), np.full(n, today))
    o_cand &= cur_day_of <= today - 30
    o_cand &= rng.random(n) < P.OPEN_JOB_REFERRAL_SHARE
    o_idx = np.flatnonzero(o_cand)
    no = len(o_idx)
    o_st = rng.choice(len(open_status), no, p=list(P.OPEN_JOB_STATUS_SHARES.values()))
    o_ext = (o_st == 3) & (rng.random(no) < P.TRIAL_EXTENDED_SHARE)
    o_t = np.where(
        o_ext,
        uniform_int(rng, np.full(no, today - 170), today - 62),
        uniform_int(rng, np.full(no, today - 50), today - 1),
    )
    o_iv = np.where(
        o_st == 3, o_t - uniform_int(rng, np.ones(no), 10), uniform_int(rng, np.full(no, today - 14), today - 1)
    )
    o_sent = np.where(
        o_st >= 2, o_iv - uniform_int(rng, np.full(no, 2), 10), uniform_int(rng, np.full(no, today - 14), today - 1)
    )
    o_prop = np.where(
        o_st >= 1, o_sent - uniform_int(rng, np.ones(no), 5), uniform_int(rng, np.full(no, today - 20), today - 1)
    )
    o_lo = np.maximum(cur_day_of[o_idx], ps[o_idx])
    keep = (
        (o_prop >= o_lo)
        & ~exempt_work.covers(o_idx, o_prop)
        & ~exempt_work.covers(o_idx, np.where(o_st == 3, o_t, o_prop))
    )
    o_idx, o_st, o_ext, o_t, o_iv, o_sent, o_prop = (x[keep] for x in (o_idx, o_st, o_ext, o_t, o_iv, o_sent, o_prop))
    o_vac = choose(o_idx, o_prop, mk.open_now, mk.open_now_opened, 10**6, lambda cand: mk.status[cand] == OPEN)
    keep = o_vac >= 0
    o_idx, o_st, o_ext, o_t, o_iv, o_sent, o_prop, o_vac = (
        x[keep] for x in (o_idx, o_st, o_ext, o_t, o_iv, o_sent, o_prop, o_vac)
    )
    open_day_of = np.full(n, NEVER, dtype="int64")
    open_day_of[o_idx] = o_prop

    # ================================================================================================
    # 4. referrals that came to nothing, while on the route to work
    limit = np.minimum(
        span_hi, np.where(d_kind == 1, np.where(via[d_owner], prop_day[d_owner] - 1, NEVER), open_day_of[d_owner] - 1)
    )
    span_lo = d_day
    room = limit - span_lo - 30
    count = np.where(
        on_work_route & (room > 0), rng.poisson(P.FAILED_REFERRALS_PER_YEAR * np.maximum(room, 0) / YEAR), 0
    )
    f_dec = np.repeat(np.arange(nd_), count)
    f_owner = d_owner[f_dec]
    nf = len(f_dec)
    outcomes = list(P.FAILED_OUTCOME_SHARES)
    f_out = rng.choice(len(outcomes), nf, p=list(P.FAILED_OUTCOME_SHARES.values()))  # withdrawn, sent, interview, trial
    f_prop = uniform_int(rng, span_lo[f_dec], limit[f_dec] - 30)
    f_sent = f_prop + uniform_int(rng, np.ones(nf), 5)
    f_with_sent = (f_out >= 1) | (rng.random(nf) < 0.5)
    f_iv = f_sent + uniform_int(rng, np.full(nf, 3), 14)
    f_t = f_iv + uniform_int(rng, np.full(nf, 3), 14)
    f_ext = (f_out == 3) & (rng.random(nf) < P.TRIAL_EXTENDED_SHARE)
    f_planned = add_months_days(f_t, spec.trial_placement_months) - 1
    f_until = np.where(
        f_ext,
        add_months_days(
            f_t,
            rng.integers(
                spec.trial_placement_months + 1, spec.trial_placement_months + spec.trial_extension_months + 1, nf
            ),
        )
        - 1,
        -1,
    )
    f_last = np.select(
        [f_out == 0, f_out == 1, f_out == 2],
        [
            np.where(f_with_sent, f_sent, f_prop) + uniform_int(rng, np.full(nf, 2), 20),
            f_sent + uniform_int(rng, np.full(nf, 5), 25),
            f_iv + uniform_int(rng, np.ones(nf), 10),
        ],
        np.where(f_ext, f_until, f_planned) - uniform_int(rng, np.zeros(nf), 20),
    )
    keep = (f_last <= limit[f_dec]) & ~exempt_work.covers(f_owner, f_prop)
    keep &= (f_out != 3) | ~exempt_work.covers(f_owner, f_t)
    f_dec, f_owner, f_out, f_prop, f_sent, f_with_sent, f_iv, f_t, f_ext, f_planned, f_until, f_last = (
        x[keep]
        for x in (f_dec, f_owner, f_out, f_prop, f_sent, f_with_sent, f_iv, f_t, f_ext, f_planned, f_until, f_last)
    )
    f_vac = choose(
        f_owner,
        f_prop,
        mk.history,
        mk.history_opened,
        P.VACANCY_OPEN_DAYS[1],
        lambda cand, out=f_out: (out[:, None] != 3) | mk.offers["trial_placement"][cand],
    )

    # ================================================================================================
    # 5. all referrals: the ones behind a job, open ones, failed ones; one per client and vacancy
    r_owner = np.concatenate([via_idx, o_idx, f_owner])
    r_vac = np.concatenate([via_vac[via_idx], o_vac, f_vac])
    r_cat = np.concatenate([np.zeros(len(via_idx), "int64"), np.ones(len(o_idx), "int64"), np.full(len(f_owner), 2)])
    r_sub = np.concatenate([np.arange(len(via_idx)), np.arange(len(o_idx)), np.arange(len(f_owner))])
    ok = r_vac >= 0
    key = r_owner * (len(mk.status) + 1) + r_vac
    first_of_key = np.zeros(len(key), dtype=bool)
    first_of_key[np.unique(np.where(ok, key, -1 - np.arange(len(key))), return_index=True)[1]] = True
    ok &= first_of_key
    r_owner, r_vac, r_cat, r_sub = r_owner[ok], r_vac[ok], r_cat[ok], r_sub[ok]
    keep_f = r_sub[r_cat == 2]
    f_dec, f_owner, f_out, f_prop, f_sent, f_with_sent, f_iv, f_t, f_ext, f_planned, f_until, f_last, f_vac = (
        x[keep_f]
        for x in (
            f_dec,
            f_owner,
            f_out,
            f_prop,
            f_sent,
            f_with_sent,
            f_iv,
            f_t,
            f_ext,
            f_planned,
            f_until,
            f_last,
            f_vac,
        )
    )
    nv, no, nf = len(via_idx), len(o_idx), len(f_owner)
    nr = nv + no + nf
    v_rows, o_rows, f_rows = np.arange(nv), nv + np.arange(no), nv + no + np.arange(nf)
    r_owner = np.concatenate([via_idx, o_idx, f_owner])
    r_vac = np.concatenate([via_vac[via_idx], o_vac, f_vac])
    r_prop = np.concatenate([prop_day[via_idx], o_prop, f_prop])

    ev = _Events()
    # the ones behind a job: proposed -> sent -> interview -> (trial placement) -> hired
    vt = is_trial[via_idx]
    ev.add(v_rows, prop_day[via_idx], 0, "", "proposed")
    ev.add(v_rows, sent_day[via_idx], 1, "proposed", "sent", adviser=True)
    ev.add(v_rows, iv_day[via_idx], 2, "sent", "interview", adviser=True)
    ev.add(v_rows[vt], t_start[via_idx][vt], 3, "interview", "trial_placement")
    ev.add(v_rows[vt], h_day[via_idx][vt], 4, "trial_placement", "hired")
    ev.add(v_rows[~vt], h_day[via_idx][~vt], 4, "interview", "hired", adviser=True)
    # open today
    ev.add(o_rows, o_prop, 0, "", "proposed")
    m_ = o_st >= 1
    ev.add(o_rows[m_], o_sent[m_], 1, "proposed", "sent", adviser=True)
    m_ = o_st >= 2
    ev.add(o_rows[m_], o_iv[m_], 2, "sent", "interview", adviser=True)
    m_ = o_st == 3
    ev.add(o_rows[m_], o_t[m_], 3, "interview", "trial_placement")
    # came to nothing
    ev.add(f_rows, f_prop, 0, "", "proposed")
    m_ = f_with_sent
    ev.add(f_rows[m_], f_sent[m_], 1, "proposed", "sent", adviser=True)
    m_ = f_out >= 2
    ev.add(f_rows[m_], f_iv[m_], 2, "sent", "interview", adviser=True)
    m_ = f_out == 3
    ev.add(f_rows[m_], f_t[m_], 3, "interview", "trial_placement")
    f_reason = np.where(
        f_out == 0,
        pick(rng, P.WITHDRAWN_REASONS, nf),
        np.where(f_out == 3, pick(rng, P.TRIAL_NO_CONTRACT_REASONS, nf), pick(rng, P.NOT_HIRED_REASONS, nf)),
    ).astype(object)
    for frm_sent in (False, True):
        m_ = (f_out == 0) & (f_with_sent == frm_sent)
        ev.add(f_rows[m_], f_last[m_], 4, "sent" if frm_sent else "proposed", "withdrawn", f_reason[m_])
    for out_i, frm in ((1, "sent"), (2, "interview"), (3, "trial_placement")):
        m_ = f_out == out_i
        ev.add(f_rows[m_], f_last[m_], 4, frm, "not_hired", f_reason[m_], adviser=out_i < 3)
    e_row, e_day, e_seq, e_from, e_to, e_reason, e_adv = ev.arrays()

    r_order = np.lexsort((np.arange(nr), r_prop, r_owner))
    r_ids = np.empty(nr, dtype="int64")
    r_ids[r_order] = ids.take(JobReferral, nr)
    e_order = np.lexsort((e_seq, e_day, r_ids[e_row]))
    e_row, e_day, e_from, e_to, e_reason, e_adv = (x[e_order] for x in (e_row, e_day, e_from, e_to, e_reason, e_adv))
    last = np.ones(len(e_row), dtype=bool)
    last[:-1] = e_row[1:] != e_row[:-1]
    r_status = np.empty(nr, dtype=object)
    r_status_on = np.zeros(nr, dtype="int64")
    r_status[e_row[last]] = e_to[last]
    r_status_on[e_row[last]] = e_day[last]
    e_owner = r_owner[e_row]
    e_by = np.where(e_adv, mk.adviser_of(r_vac[e_row]), caseworker_at(e_owner, e_day))
    ro = r_order
    batches.append(
        Batch(
            JobReferral,
            {
                "id": r_ids[ro],
                "vacancy_id": r_vac[ro] + 1,
                "client_id": cid[r_owner[ro]],
                "status": r_status[ro],
                "status_on": as_date(r_status_on[ro]),
                "created_by_id": caseworker_at(r_owner[ro], r_prop[ro]),
            },
        )
    )
    ne = len(e_row)
    batches.append(
        Batch(
            JobReferralEvent,
            {
                "id": ids.take(JobReferralEvent, ne),
                "referral_id": r_ids[e_row],
                "from_status": e_from,
                "to_status": e_to,
                "on": as_date(e_day),
                "reason": e_reason,
                "by_id": e_by,
                "at": as_timestamp(e_day, 8 * 3600 + uniform_int(rng, np.zeros(ne), 32_000)),
            },
        )
    )

    # ================================================================================================
    # 6. placements: the jobs behind exits, trial placements that came to nothing, trial placements running now
    v_owner = via_idx
    v_vac = via_vac[via_idx]
    v_k = v_kind[via_idx]
    v_ret = returned[via_idx]
    v_start = np.where(v_k == TRIAL, t_start[via_idx], p1e[via_idx])
    v_end = np.where(v_k == TRIAL, t_end[via_idx], np.where(v_ret, p2s[via_idx] - 1, -1))
    v_until = np.where((v_k == TRIAL) & extended[via_idx], t_until[via_idx], -1)
    v_outcome = np.where(v_k == TRIAL, "contract", np.where(v_ret, "no_contract", "")).astype(object)
    v_reason = np.where((v_k != TRIAL) & v_ret, pick(rng, P.PLACEMENT_ENDED_REASONS, nv), "").astype(object)
    ft = np.flatnonzero(f_out == 3)
    ot = np.flatnonzero(o_st == 3)
    o_until = np.where(
        o_ext[ot], add_months_days(o_t[ot], spec.trial_placement_months + spec.trial_extension_months) - 1, -1
    )
    pl_row = np.concatenate([v_rows, f_rows[ft], o_rows[ot]])  # the referral row of each placement
    pl_owner = np.concatenate([v_owner, f_owner[ft], o_idx[ot]])
    pl_vac = np.concatenate([v_vac, f_vac[ft], o_vac[ot]])
    pl_kind = np.concatenate([v_k, np.full(len(ft), TRIAL), np.full(len(ot), TRIAL)])
    pl_start = np.concatenate([v_start, f_t[ft], o_t[ot]])
    pl_end = np.concatenate([v_end, f_last[ft], add_months_days(o_t[ot], spec.trial_placement_months) - 1])
    pl_until = np.concatenate([v_until, np.where(f_ext[ft], f_until[ft], -1), o_until])
    pl_outcome = np.concatenate(
        [v_outcome, np.full(len(ft), "no_contract", dtype=object), np.full(len(ot), "", dtype=object)]
    )
    pl_reason = np.concatenate([v_reason, f_reason[ft], np.full(len(ot), "", dtype=object)])
    npl = len(pl_row)
    pl_hours = mk.hours[pl_vac]
    intended = np.where(pl_kind == TRIAL, pick(rng, P.INTENDED_CONTRACTS, npl), "").astype(object)
    # wage subsidy (art. 10d): the wage value assessed (and reassessed yearly), or a flat rate for at most 6 months
    ws = pl_kind == WAGE_SUBSIDY
    running = pl_end < 0
    unassessed = ws & running & (pl_start >= add_months_days(np.full(npl, today), -spec.wage_subsidy_flat_months) + 1)
    unassessed &= rng.random(npl) < P.WAGE_VALUE_UNASSESSED_SHARE
    wv = np.where(ws & ~unassessed, uniform_int(rng, np.full(npl, P.WAGE_VALUE_PCT[0]), P.WAGE_VALUE_PCT[1]), -1)
    a0 = pl_start - uniform_int(rng, np.zeros(npl), 20)
    months_since = (today - a0) // 30.44
    k_re = np.where(running, np.maximum(months_since // 12 - (rng.random(npl) < 0.1), 0), 0).astype("int64")
    assessed = np.where(ws & ~unassessed, add_months_days(a0, 12 * k_re), -1)
    review = np.where(
        unassessed,
        add_months_days(pl_start, spec.wage_subsidy_flat_months),
        np.where(ws, add_months_days(np.maximum(assessed, 0), 12), -1),
    )
    minimum = Decimal(spec.minimum_wage_hourly_cents) / 100
    subsidy = np.full(npl, None, dtype=object)
    for i in np.flatnonzero(ws):
        subsidy[i] = str(
            employer_rules.wage_subsidy_monthly(
                hours_per_week=int(pl_hours[i]),
                wage_value_pct=None if wv[i] < 0 else int(wv[i]),
                minimum_wage_hourly=minimum,
                holiday_pay_pct=spec.holiday_pay_pct,
                cap_pct=spec.wage_subsidy_cap_pct,
                flat_pct=spec.wage_subsidy_flat_pct,
            )
        )
    # climbing job: the promised training starts by a date; some never start
    cl = pl_kind == CLIMBING
    due = np.where(cl, pl_start + uniform_int(rng, np.full(npl, 60), 180), -1)
    last_known = np.where(running, today - 1, np.minimum(pl_end, today - 1))
    passed = cl & (due <= last_known)
    missed = passed & (rng.random(npl) < P.CLIMBING_TRAINING_MISSED_SHARE)
    early = cl & ~passed & (rng.random(npl) < 0.2) & (pl_start <= last_known)
    started = np.where(
        passed & ~missed,
        uniform_int(rng, np.maximum(pl_start, due - 40), due),
        np.where(early, uniform_int(rng, pl_start, np.minimum(due, last_known)), -1),
    )
    pl_order = np.lexsort((pl_start, pl_owner))
    pl_ids = np.empty(npl, dtype="int64")
    pl_ids[pl_order] = ids.take(Placement, npl)
    po = pl_order
    batches.append(
        Batch(
            Placement,
            {
                "id": pl_ids[po],
                "client_id": cid[pl_owner[po]],
                "employer_id": mk.employer[pl_vac[po]] + 1,
                "vacancy_id": pl_vac[po] + 1,
                "referral_id": r_ids[pl_row[po]],
                "kind": obj(PLACEMENT_KINDS)[pl_kind[po]],
                "start_on": as_date(pl_start[po]),
                "end_on": as_date(pl_end[po], null=pl_end[po] < 0),
                "hours_per_week": pl_hours[po],
                "extended_until": as_date(pl_until[po], null=pl_until[po] < 0),
                "intended_contract": intended[po],
                "wage_value_pct": wv[po],
                "wage_value_assessed_on": as_date(assessed[po], null=assessed[po] < 0),
                "wage_value_review_on": as_date(review[po], null=review[po] < 0),
                "subsidy_monthly": subsidy[po],
                "promised_training": np.where(cl, pick(rng, P.PROMISED_TRAININGS, npl), "").astype(object)[po],
                "training_due_on": as_date(due[po], null=due[po] < 0),
                "training_started_on": as_date(started[po], null=started[po] < 0),
                "outcome": pl_outcome[po],
                "outcome_reason": pl_reason[po],
                "created_by_id": caseworker_at(pl_owner[po], pl_start[po]),
            },
        )
    )
    placement_of_client = np.full(n, -1, dtype="int64")
    placement_of_client[v_owner] = pl_ids[:nv]

    # ================================================================================================
    # 7. exits to work: every benefit period that ended with "work" (within the history or before it)
    p0 = np.flatnonzero((facts.p0r == "work") & (facts.p0s >= 0))
    p1 = np.flatnonzero(p1r == "work")
    x_owner = np.concatenate([p1, p0])
    x_period = np.concatenate([facts.p1_id[p1], facts.p0_id[p0]])
    x_on = np.concatenate([p1e[p1], facts.p0e[p0]])
    x_back = np.concatenate([np.where(returned[p1], p2s[p1], NEVER), p1s[p0]])  # the next benefit period
    nx = len(x_owner)
    x_via = np.concatenate([via[p1], np.zeros(len(p0), dtype=bool)])
    x_vac = np.where(x_via, via_vac[x_owner], 0)
    known = ~x_via & (rng.random(nx) < np.where(np.arange(nx) < len(p1), P.EXIT_KNOWN_EMPLOYER_SHARE, 0.3))
    emp_p = mk.employer_weight / mk.employer_weight.sum()
    x_employer = np.where(x_via, mk.employer[x_vac], np.where(known, rng.choice(len(emp_p), nx, p=emp_p), -1))
    x_name = np.where(x_employer < 0, pick(rng, P.OWN_EMPLOYER_NAMES, nx), "").astype(object)
    r_c = rng.random(nx)
    own_contract = np.where(
        r_c < 0.5, "fixed", np.where(r_c < 0.7, "agency", np.where(r_c < 0.85, "permanent", "on_call"))
    ).astype(object)
    own_months = np.full(nx, -1, dtype="int64")
    for kind, options in P.CONTRACT_MONTHS.items():
        m_ = own_contract == kind
        own_months[m_] = np.array(options)[rng.integers(0, len(options), int(m_.sum()))]
    x_contract = np.where(x_via, mk.contract[x_vac], own_contract).astype(object)
    x_months = np.where(x_via, mk.contract_months[x_vac], own_months)
    x_hours = np.where(x_via, mk.hours[x_vac], np.array([12, 16, 20, 24, 28, 32, 36, 38, 40])[rng.integers(0, 9, nx)])
    own_wage = np.ceil(spec.minimum_wage_hourly_cents * (1 + np.minimum(rng.exponential(0.07, nx), 1.0))).astype(
        "int64"
    )
    x_wage = np.where(x_via, np.maximum(mk.wage[x_vac], spec.minimum_wage_hourly_cents), own_wage)
    x_placement = np.where(x_via, placement_of_client[x_owner], -1)
    x_order = np.lexsort((x_on, x_owner))
    x_ids = np.empty(nx, dtype="int64")
    x_ids[x_order] = ids.take(Exit, nx)
    xo = x_order
    batches.append(
        Batch(
            Exit,
            {
                "id": x_ids[xo],
                "client_id": cid[x_owner[xo]],
                "benefit_period_id": x_period[xo],
                "exit_on": as_date(x_on[xo]),
                "employer_id": np.where(x_employer[xo] >= 0, x_employer[xo] + 1, -1),
                "employer_name": x_name[xo],
                "placement_id": x_placement[xo],
                "hours_per_week": x_hours[xo].astype("int64"),
                "contract_type": x_contract[xo],
                "contract_months": np.where(x_contract[xo] == "permanent", -1, x_months[xo]),
                "hourly_wage": _cents(x_wage[xo]),
                "recorded_by_id": caseworker_at(x_owner[xo], x_on[xo]),
            },
        )
    )
    # follow-ups at 1, 6 and 12 months: the past ones done (most), still off benefit = no new benefit period yet
    months = np.array(spec.exit_follow_up_months, dtype="int64")
    fu_x = np.repeat(np.arange(nx), len(months))
    fu_m = np.tile(months, nx)
    fu_due = add_months_days(x_on[fu_x], fu_m)
    nfu = len(fu_x)
    fu_done = (fu_due <= today - 1) & (rng.random(nfu) < np.where(fu_due <= today - 30, P.FOLLOW_UP_DONE_SHARE, 0.5))
    done_on = np.clip(fu_due + uniform_int(rng, np.full(nfu, -3), 20), x_on[fu_x], today - 1)
    off = x_back[fu_x] > done_on
    working = np.where(
        off, rng.random(nfu) < P.FOLLOW_UP_STILL_WORKING_OFF_BENEFIT, rng.random(nfu) < P.FOLLOW_UP_STILL_WORKING_BACK
    )
    coach = working & (rng.random(nfu) < P.FOLLOW_UP_JOB_COACH_SHARE)

    def maybe(values: np.ndarray) -> np.ndarray:
        out = np.empty(nfu, dtype=object)
        out[:] = [bool(v) if d else None for v, d in zip(values.tolist(), fu_done.tolist(), strict=True)]
        return out

    fo = np.lexsort((fu_m, x_ids[fu_x]))
    fu_owner = x_owner[fu_x]
    batches.append(
        Batch(
            FollowUp,
            {
                "id": ids.take(FollowUp, nfu),
                "exit_id": x_ids[fu_x][fo],
                "months": fu_m[fo],
                "due_on": as_date(fu_due[fo]),
                "done_on": as_date(done_on[fo], null=~fu_done[fo]),
                "still_working": maybe(working)[fo],
                "off_benefit": maybe(off)[fo],
                "needs_job_coach": maybe(coach)[fo],
                "note": np.where(fu_done, pick(rng, P.FOLLOW_UP_NOTES, nfu), "").astype(object)[fo],
                "done_by_id": np.where(fu_done, caseworker_at(fu_owner, done_on), -1)[fo],
            },
        )
    )

    # ================================================================================================
    # 8. matches: the one behind each referral (proposed), and some discussed or declined for open vacancies
    xm = on & (route_now >= 0) & (route_now <= WORK) & ~exempt_work.covers(np.arange(n), np.full(n, today))
    xm &= rng.random(n) < P.EXTRA_MATCH_SHARE
    xm_idx = np.flatnonzero(xm)
    xm_day = uniform_int(rng, np.maximum(np.maximum(ps[xm_idx], cur_day_of[xm_idx]), today - 60), today - 1)
    xm_vac = choose(xm_idx, xm_day, mk.open_now, mk.open_now_opened, 10**6, lambda cand: mk.status[cand] == OPEN)
    keep = xm_vac >= 0
    xm_idx, xm_day, xm_vac = xm_idx[keep], xm_day[keep], xm_vac[keep]
    m_owner = np.concatenate([r_owner, xm_idx])
    m_vac = np.concatenate([r_vac, xm_vac])
    m_day = np.concatenate([r_prop, xm_day])
    declined = rng.random(len(xm_idx)) < 0.5
    m_status = np.concatenate(
        [np.full(nr, "proposed", dtype=object), np.where(declined, "declined", "discussed").astype(object)]
    )
    m_reason = np.concatenate(
        [np.full(nr, "", dtype=object), np.where(declined, pick(rng, P.MATCH_DECLINE_REASONS, len(xm_idx)), "")]
    ).astype(object)
    key = m_owner * (len(mk.status) + 1) + m_vac
    _u, first = np.unique(key, return_index=True)
    first = np.sort(first)
    m_owner, m_vac, m_day, m_status, m_reason = (x[first] for x in (m_owner, m_vac, m_day, m_status, m_reason))
    comp = _components(m_owner, m_vac, mk, exp, exp_years, pref, education, dutch_min, hours_wanted, district)
    score = sum(WEIGHTS[k] * comp[k] for k in WEIGHTS)
    comp_json = obj(
        [
            "{" + ", ".join(f'"{k}": {v:.3f}' for k, v in zip(WEIGHTS, row, strict=True)) + "}"
            for row in np.column_stack([comp[k] for k in WEIGHTS]).tolist()
        ]
    )
    nm = len(m_owner)
    mo = np.lexsort((m_day, m_owner))
    batches.append(
        Batch(
            Match,
            {
                "id": ids.take(Match, nm),
                "vacancy_id": m_vac[mo] + 1,
                "client_id": cid[m_owner[mo]],
                "status": m_status[mo],
                "reason": m_reason[mo],
                "score": np.round(score, 4)[mo],
                "components": comp_json[mo],
                "on": as_date(m_day[mo]),
                "by_id": caseworker_at(m_owner[mo], m_day[mo]),
            },
        )
    )

    # ================================================================================================
    # 9. work profiles: clients on the route to work and some others; everyone referred, before the first referral
    route_key = np.where(route_now >= 0, obj(ROUTES)[np.maximum(route_now, 0)], "")
    share = np.array([P.WORK_PROFILE_SHARE[k] for k in route_key.tolist()])
    referred = np.zeros(n, dtype=bool)
    referred[r_owner] = True
    r_pstart = np.concatenate([p1s[via_idx], ps[o_idx], d_pstart[f_dec]])
    first_ref = np.full(n, NEVER, dtype="int64")
    np.minimum.at(first_ref, r_owner, r_prop)
    pstart_ref = np.full(n, -1, dtype="int64")
    at_first = r_prop == first_ref[r_owner]
    pstart_ref[r_owner[at_first]] = r_pstart[at_first]
    has = referred | (rng.random(n) < share)
    wp = np.flatnonzero(has)
    rec = np.where(
        referred[wp],
        uniform_int(rng, np.maximum(pstart_ref[wp], first_ref[wp] - 120), first_ref[wp]),
        np.where(
            on[wp],
            uniform_int(rng, np.maximum(ps[wp], today - 365), today - 1),
            uniform_int(rng, np.maximum(p1s[wp], p1e[wp] - 365), np.maximum(p1e[wp], p1s[wp])),
        ),
    )
    experience = obj(
        [
            "[" + ", ".join(f'{{"code": "{c:04d}", "years": {y}}}' for c, y in zip(cs, ys, strict=True) if c >= 0) + "]"
            for cs, ys in zip(exp[wp].tolist(), exp_years[wp].tolist(), strict=True)
        ]
    )
    preferences = obj(["[" + ", ".join(f'"{c:04d}"' for c in cs if c >= 0) + "]" for cs in pref[wp].tolist()])
    nw = len(wp)
    batches.insert(
        1,
        Batch(
            WorkProfile,
            {
                "id": ids.take(WorkProfile, nw),
                "client_id": cid[wp],
                "recorded_on": as_date(rec),
                "recorded_by_id": caseworker_at(wp, rec),
                "experience": experience,
                "preferences": preferences,
                "hours_wanted": hours_wanted[wp],
                "driving_licence": licence[wp],
                "note": obj([""] * nw),
            },
        ),
    )
    return batches


def _components(owner, vac, mk: Market, exp, exp_years, pref, education, dutch, hours_wanted, district) -> dict:
    """The score's parts as trede.stats.matching computes them (without related occupations): per pair."""
    occ = mk.occupation[vac][:, None]
    credit = np.clip(exp_years[owner] / 2.0, 0.25, 1.0)
    experience = (similarity(occ, exp[owner]) * credit).max(axis=1)
    preference = similarity(occ, pref[owner]).max(axis=1)

    def fit(required: np.ndarray, level: np.ndarray) -> np.ndarray:
        return np.where(required < 0, 1.0, np.clip(1.0 - 0.5 * (required - level), 0.0, 1.0))

    wanted = hours_wanted[owner].astype("float64")
    offered = mk.hours[vac].astype("float64")
    hours = np.where(wanted < 0, 0.5, np.minimum(wanted, offered) / np.maximum(np.maximum(wanted, offered), 1))
    minutes = 2.0 * (10.0 + DISTANCE_KM[district[owner], mk.district[vac]] * 1.3 * 60.0 / 30.0)
    return {
        "experience": experience,
        "preference": preference,
        "education": fit(mk.education[vac], education[owner]),
        "language": fit(mk.dutch[vac], dutch[owner]),
        "hours": hours,
        "travel": np.clip(1.0 - minutes / 180.0, 0.0, 1.0),
    }
