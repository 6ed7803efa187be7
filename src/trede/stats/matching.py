"""Explainable matching of clients and vacancies (issue 6): hard filters first, then a transparent score.

Pure NumPy, no Django. The caller (the employers app) turns its records into column arrays, one small dataclass per
side (Clients, Vacancies; from_records() takes plain dicts with the model's choice values), and reads back ranked
lists whose every number can be shown: the score, its components, the weights, and the reasons that block a pair.
The score ranks candidates for a person to look at; it decides nothing (GDPR art. 22, EU AI Act annex III 5a: a
caseworker or adviser decides, can add what the data miss and must deviate where needed).

Inputs (one row per client or vacancy; ordinal levels as integers, -1 = not known)
    Clients   id; experience: up to k ISCO-08 codes (trede.stats.occupations) per client, "" or -1 for an empty slot,
              with experience_years; preference: up to p preferred codes; education 0-3 (EDUCATION: none, low,
              middle, high); dutch 0-3 (DUTCH: below_1f, 1f, 2f, 3f); health 0-2 (HEALTH: no, some, severe
              limitations); max_load 0-2 (LOAD: light, medium, heavy), by default from health (MAX_LOAD_BY_HEALTH,
              or the caller's own assessment, e.g. an occupational physician's); hours wanted per week (NaN not
              known); driving licence; home x, y in km (RD coordinates / 1000 will do; NaN not known); exempt from
              the work obligation on the date (computed by the caller with trede's one exemption function); on the
              route to work.
    Vacancies id; occupation (one ISCO-08 code); required education and Dutch level (-1: none required); whether
              the Dutch level is a hard requirement; physical load 0-2; hours per week; driving licence required;
              workplace x, y in km.

Hard filters, a bitmask per pair (Block; codes in BLOCK_CODES, texts in TEXTS)
    exempt             the client is exempt from the work obligation on the date: ALWAYS blocked, whatever else
    not_on_work_route  the client is not on the route to work
    physical_load      the vacancy's load is above the client's max_load
    driving_licence    a licence is required and the client has none
    travel_time        estimated travel time above the limit for generally accepted work: up to 3 hours a day, there
                       and back (Participatiewet art. 9 lid 1a with art. 18 lid 4; Travel.max_minutes_per_day)
    language           the client's Dutch level is below a hard requirement of the vacancy
    A fact that is not known (level -1, NaN) never blocks: it is listed as unknown in the explanation, so that the
    person reading the list checks it. A blocked pair is never ranked above an unblocked one, whatever its score.

Travel time (Travel): distance as the crow flies × detour factor / door-to-door speed, plus a fixed time per trip
for walking and waiting, twice a day. Defaults (trede's assumptions, to be replaced by the municipality's own
figures from its region): detour 1.3 (roads and lines are about 20-40 % longer than the straight line), 30 km/h
door to door (public transport and bicycle for people without a car), 10 minutes per trip. With these the limit of
180 minutes a day is reached at about 31 km. One mode for everyone on purpose: a driving licence is not a car.

Score: a weighted sum of six components, each in [0, 1] (weights normalised to sum 1, so the score is in [0, 1]):
    experience  max over the client's experience of similarity(occupation, experience) × years credit, where years
                credit = clamp(years / EXPERIENCE_FULL_YEARS, EXPERIENCE_MIN_CREDIT, 1): two years count fully, any
                recorded experience at least a quarter (similarity: ISCO prefix depth, see occupations)
    preference  max over the client's preferred occupations of the similarity
    education   1 when the client's level is at least the required one, 0.5 one level below, 0 two or more below;
                no penalty for a higher level (generally accepted work is any work, whatever one's education)
    language    the same scale for the Dutch level (also when the requirement is hard: then the pair is blocked)
    hours       min(wanted, offered) / max(wanted, offered): fewer hours than wanted keeps someone on benefit,
                more may not fit care duties
    travel      1 - travel minutes per day / the limit, clipped to [0, 1]: shorter is better
    A component whose input is not known is 0.5 (neutral) and listed as unknown. DEFAULT_WEIGHTS are trede's
    defaults; the caller passes the rule set's weights.

Ranking: unblocked pairs by score (descending), ties by id (ascending); blocked ones only on request ("why not"),
after all unblocked ones, in the same order. Deterministic: the same input gives the same list.
    match_vacancy(vacancy, clients, top=N)  a shortlist of clients for one vacancy
    match_client(client, vacancies, top=N)  a list of vacancies for one client
    match_all(vacancies, clients, top=N)    a shortlist for every vacancy, in chunks of about chunk_pairs pairs
                                            (memory-bounded; vacancies are taken in occupation order so that a
                                            chunk computes the occupation part once per distinct code)
    score_pairs(vacancies, clients)         every pair's score, components and block bits (small inputs)
    explain(vacancies, i, clients, j)       one pair in words: why (per component) and why not (per block)
Explanation texts are Dutch, in TEXTS keyed by code, marked with gettext_noop (a no-op here) so that Django's
makemessages picks them up; the caller passes its gettext as `translate`.

Performance (bench/matching.py): per pair a handful of vectorised operations on float32/int16/uint8 arrays; the
per-client parts (fit tables per required level, load and language blocks, encoded codes, years credit) are
computed once when Clients is built, so a pair costs table look-ups and a few arithmetic operations, and a shortlist
is selected (argpartition) among the unblocked candidates only. On a 2-core machine: about 15 ms for one vacancy
against 400,000 clients, about 1.5 s for 2,000 vacancies against 35,000 clients, under 100 MB at the default chunk.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields

import numpy as np

from trede.stats import occupations


def gettext_noop(text: str) -> str:
    """Marks a text for translation (Django's makemessages knows this name) without importing Django."""
    return text


# --- levels ----------------------------------------------------------------------------------------------------
UNKNOWN = -1
EDUCATION = {"none": 0, "low": 1, "middle": 2, "high": 3}  # trede.clients.models.Education
DUTCH = {"below_1f": 0, "1f": 1, "2f": 2, "3f": 3}  # trede.clients.models.LanguageLevel
HEALTH = {"none": 0, "some": 1, "severe": 2}  # trede.clients.models.Health
LOAD = {"light": 0, "medium": 1, "heavy": 2}  # trede.employers.models.PhysicalLoad
# Severe limitations: light work only; some: up to medium. Not known: no limitation is recorded, so none is applied
# (and the explanation says the health is not known). Full and lasting unfitness is an exemption (art. 9 lid 5).
MAX_LOAD_BY_HEALTH = {UNKNOWN: 2, 0: 2, 1: 1, 2: 0}

EXPERIENCE_FULL_YEARS = 2.0
EXPERIENCE_MIN_CREDIT = 0.25
NEUTRAL = 0.5  # the component of a fact that is not known
NEAR = 0.5  # from this similarity on, the explanation calls an occupation "comparable work" (a shared sub-major group)


class Block(enum.IntFlag):
    EXEMPT = 1
    NOT_ON_WORK_ROUTE = 2
    PHYSICAL_LOAD = 4
    DRIVING_LICENCE = 8
    TRAVEL_TIME = 16
    LANGUAGE = 32


BLOCK_CODES: dict[Block, str] = {
    Block.EXEMPT: "exempt",
    Block.NOT_ON_WORK_ROUTE: "not_on_work_route",
    Block.PHYSICAL_LOAD: "physical_load",
    Block.DRIVING_LICENCE: "driving_licence",
    Block.TRAVEL_TIME: "travel_time",
    Block.LANGUAGE: "language",
}

COMPONENTS = ("experience", "preference", "education", "language", "hours", "travel")
DEFAULT_WEIGHTS: dict[str, float] = {
    "experience": 0.30,
    "preference": 0.15,
    "education": 0.15,
    "language": 0.10,
    "hours": 0.15,
    "travel": 0.15,
}

# --- texts (Dutch; the caller translates with gettext) ---------------------------------------------------------
COMPONENT_LABELS = {
    "experience": gettext_noop("Ervaring"),
    "preference": gettext_noop("Voorkeur"),
    "education": gettext_noop("Opleiding"),
    "language": gettext_noop("Taal"),
    "hours": gettext_noop("Uren"),
    "travel": gettext_noop("Reistijd"),
}
TEXTS = {
    # why not: one per block reason
    "exempt": gettext_noop("Heeft op deze datum ontheffing van de arbeidsplicht."),
    "not_on_work_route": gettext_noop("Volgt nu geen route naar werk."),
    "physical_load": gettext_noop("Het werk is lichamelijk zwaarder dan de gezondheid toelaat."),
    "driving_licence": gettext_noop("Voor dit werk is een rijbewijs nodig en de cliënt heeft er geen."),
    "travel_time": gettext_noop(
        "De reistijd is ongeveer %(minutes)s minuten per dag heen en terug. Dat is meer dan %(limit)s minuten: "
        "de grens voor algemeen geaccepteerde arbeid."
    ),
    "language": gettext_noop("Het taalniveau Nederlands is lager dan de vacature als harde eis stelt."),
    # why: per component
    "experience_same": gettext_noop("Heeft %(years)s jaar ervaring in dit werk (%(occupation)s)."),
    "experience_near": gettext_noop("Heeft %(years)s jaar ervaring in vergelijkbaar werk (%(occupation)s)."),
    "experience_other": gettext_noop(
        "Heeft %(years)s jaar ervaring in ander werk van hetzelfde soort (%(occupation)s)."
    ),
    "experience_none": gettext_noop("Heeft geen ervaring in dit soort werk (voor zover bekend)."),
    "preference_same": gettext_noop("Wil graag dit werk doen (%(occupation)s)."),
    "preference_near": gettext_noop("Wil graag vergelijkbaar werk doen (%(occupation)s)."),
    "preference_other": gettext_noop("Wil liever ander werk doen (%(occupation)s)."),
    "preference_none": gettext_noop("Heeft geen voorkeur voor een beroep opgegeven."),
    "education_not_required": gettext_noop("Voor dit werk is geen opleiding nodig."),
    "education_fits": gettext_noop("Het opleidingsniveau past bij de vacature."),
    "education_below": gettext_noop("Het opleidingsniveau is lager dan de vacature vraagt."),
    "language_not_required": gettext_noop("De vacature vraagt geen bepaald taalniveau."),
    "language_fits": gettext_noop("Het taalniveau Nederlands past bij de vacature."),
    "language_below": gettext_noop("Het taalniveau Nederlands is lager dan de vacature vraagt."),
    "hours_same": gettext_noop("Wil %(wanted)s uur per week werken, net als de vacature."),
    "hours_differ": gettext_noop("Wil %(wanted)s uur per week werken; de vacature is voor %(offered)s uur."),
    "travel": gettext_noop("Reistijd ongeveer %(minutes)s minuten per dag heen en terug (%(km)s km hemelsbreed)."),
    # not known: the reader checks these
    "occupation_unknown": gettext_noop("Het beroep van de vacature is niet vastgelegd."),
    "education_unknown": gettext_noop("Het opleidingsniveau is niet bekend."),
    "language_unknown": gettext_noop("Het taalniveau Nederlands is niet bekend."),
    "hours_unknown": gettext_noop("Niet bekend hoeveel uur de cliënt wil werken."),
    "travel_unknown": gettext_noop("De reistijd is niet bekend: het adres ontbreekt."),
    "health_unknown": gettext_noop("De gezondheid is niet vastgelegd: bespreek wat de cliënt lichamelijk aankan."),
    "load_unknown": gettext_noop("De lichamelijke belasting van het werk is niet vastgelegd."),
}


def block_codes(mask: int) -> list[str]:
    """The codes of the reasons in a block bitmask, in BLOCK_CODES order."""
    return [code for bit, code in BLOCK_CODES.items() if int(mask) & bit]


@dataclass(frozen=True)
class Travel:
    """Travel time estimated from the straight-line distance (see the module docstring)."""

    speed_kmh: float = 30.0
    detour: float = 1.3
    overhead_minutes: float = 10.0  # per trip: walking to the stop or the bike, waiting
    max_minutes_per_day: float = 180.0  # there and back; generally accepted work (art. 9 lid 1a)

    def __post_init__(self) -> None:
        if self.speed_kmh <= 0 or self.detour < 1 or self.overhead_minutes < 0 or self.max_minutes_per_day <= 0:
            raise ValueError("travel: speed > 0, detour >= 1, overhead >= 0 and a positive limit")

    def minutes_per_day(self, distance_km):
        """Minutes per day, there and back, for a straight-line distance in km (NaN stays NaN)."""
        return 2.0 * (self.overhead_minutes + np.asarray(distance_km) * (self.detour * 60.0 / self.speed_kmh))

    @property
    def max_distance_km(self) -> float:
        """The straight-line distance at which the limit is reached."""
        one_way = self.max_minutes_per_day / 2.0 - self.overhead_minutes
        return max(one_way, 0.0) * self.speed_kmh / (60.0 * self.detour)


def normalised_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """DEFAULT_WEIGHTS updated with `weights`, scaled to sum 1. Unknown names and negative weights are refused."""
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown score component {name!r}: one of {', '.join(COMPONENTS)}")
        merged[name] = float(value)
    if any(not np.isfinite(v) or v < 0 for v in merged.values()) or sum(merged.values()) <= 0:
        raise ValueError("weights must be finite, at least 0, and not all 0")
    total = sum(merged.values())
    return {name: merged[name] / total for name in COMPONENTS}


# --- inputs ----------------------------------------------------------------------------------------------------


def _vector(name: str, value, n: int | None, dtype) -> np.ndarray:
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0 and n is not None:
        arr = np.full(n, arr, dtype=dtype)
    if arr.ndim != 1 or (n is not None and len(arr) != n):
        raise ValueError(f"{name}: expected a 1-d array of length {n}, got shape {arr.shape}")
    return arr


def _levels(name: str, value, n: int, top: int) -> np.ndarray:
    arr = _vector(name, value, n, np.int8)
    if ((arr < UNKNOWN) | (arr > top)).any():
        raise ValueError(f"{name}: levels are -1 (not known) or 0 to {top}")
    return arr


def _codes(name: str, value, n: int) -> np.ndarray:
    """(n, k) codes -> level-major encoded array (4, k, n), contiguous per level and slot."""
    arr = np.asarray(value)
    if arr.ndim == 1 and len(arr) == n and arr.dtype.kind in "iuUO":
        arr = arr.reshape(n, 1)
    if arr.ndim != 2 or arr.shape[0] != n:
        if arr.size == 0:
            arr = np.zeros((n, 0), dtype=np.int16)
        else:
            raise ValueError(f"{name}: expected an (n, k) array of codes, got shape {arr.shape}")
    enc = occupations.encode(arr)
    return np.ascontiguousarray(np.moveaxis(enc, -1, 0).transpose(0, 2, 1))


def _fit_table(levels: np.ndarray) -> np.ndarray:
    """(5, n) float32: row r + 1 = the fit for a required level r in -1..3 (see the score in the module docstring)."""
    out = np.empty((5, len(levels)), dtype=np.float32)
    out[0] = 1.0  # nothing required
    for r in range(4):
        gap = r - levels.astype(np.int16)
        out[r + 1] = np.where(levels < 0, NEUTRAL, np.clip(1.0 - 0.5 * gap, 0.0, 1.0))
    return out


@dataclass(frozen=True, eq=False, kw_only=True)
class Clients:
    """Clients as column arrays (see the module docstring). Per-client tables for matching are derived once."""

    id: np.ndarray
    experience: np.ndarray
    experience_years: np.ndarray
    preference: np.ndarray
    education: np.ndarray
    dutch: np.ndarray
    health: np.ndarray
    hours: np.ndarray
    licence: np.ndarray
    x: np.ndarray
    y: np.ndarray
    exempt: np.ndarray
    work_route: np.ndarray
    max_load: np.ndarray | None = None
    # derived
    _exp: np.ndarray = field(init=False, repr=False)
    _pref: np.ndarray = field(init=False, repr=False)
    _years_credit: np.ndarray = field(init=False, repr=False)
    _edu_fit: np.ndarray = field(init=False, repr=False)
    _lang_fit: np.ndarray = field(init=False, repr=False)
    _lang_block: np.ndarray = field(init=False, repr=False)
    _load_block: np.ndarray = field(init=False, repr=False)
    _static: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = object.__setattr__
        ids = _vector("id", self.id, None, np.int64)
        n = len(ids)
        s(self, "id", ids)
        exp = _codes("experience", self.experience, n)
        years = np.asarray(self.experience_years, dtype=np.float32)
        if years.ndim == 1 and exp.shape[1] == 1:
            years = years.reshape(n, 1)
        if years.shape != (n, exp.shape[1]):
            if years.size == 0 and exp.shape[1] == 0:
                years = np.zeros((n, 0), dtype=np.float32)
            else:
                raise ValueError(f"experience_years: expected shape {(n, exp.shape[1])}, got {years.shape}")
        s(self, "experience_years", years)
        s(self, "_exp", exp)
        s(self, "_pref", _codes("preference", self.preference, n))
        credit = np.clip(np.nan_to_num(years, nan=0.0) / EXPERIENCE_FULL_YEARS, EXPERIENCE_MIN_CREDIT, 1.0)
        s(self, "_years_credit", np.ascontiguousarray(np.where(exp[0].T >= 0, credit, 0.0).T.astype(np.float32)))
        for name, top in (("education", 3), ("dutch", 3), ("health", 2)):
            s(self, name, _levels(name, getattr(self, name), n, top))
        if self.max_load is None:
            lookup = np.array([MAX_LOAD_BY_HEALTH[h] for h in (0, 1, 2, UNKNOWN)], dtype=np.int8)
            s(self, "max_load", lookup[self.health])  # index -1 is the last entry: UNKNOWN
        else:
            s(self, "max_load", _levels("max_load", self.max_load, n, 2))
            if (self.max_load < 0).any():
                raise ValueError("max_load: 0 to 2 (leave it out to derive it from health)")
        hours = _vector("hours", self.hours, n, np.float32)
        if (hours < 0).any():
            raise ValueError("hours: at least 0 (NaN when not known)")
        s(self, "hours", hours)
        for name in ("licence", "exempt", "work_route"):
            s(self, name, _vector(name, getattr(self, name), n, bool))
        for name in ("x", "y"):
            s(self, name, _vector(name, getattr(self, name), n, np.float32))
        s(self, "_edu_fit", _fit_table(self.education))
        s(self, "_lang_fit", _fit_table(self.dutch))
        s(self, "_lang_block", np.stack([(self.dutch >= 0) & (self.dutch < r) for r in range(-1, 4)]))
        s(self, "_load_block", np.stack([self.max_load < load for load in range(-1, 3)]))
        static = np.where(self.exempt, np.uint8(Block.EXEMPT), np.uint8(0))
        static |= np.where(self.work_route, np.uint8(0), np.uint8(Block.NOT_ON_WORK_ROUTE))
        s(self, "_static", static)

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index) -> Clients:
        """The clients at `index` (an array of positions, or a boolean mask), derived tables included."""
        return _take(self, index, _CLIENT_AXES)

    @classmethod
    def from_records(cls, records: Iterable[Mapping], *, slots: int = 3, preference_slots: int = 3) -> Clients:
        """From dicts with the model's choice values: id, experience [(code, years), ...], preference [code, ...],
        education ("none".."high"), dutch ("below_1f".."3f"), health ("none", "some", "severe"), hours, licence,
        x, y, exempt, work_route, and optionally max_load ("light".."heavy"). None or a missing key: not known."""
        rows = list(records)
        n = len(rows)
        exp = np.full((n, slots), "", dtype=object)  # not "<U4": a malformed longer code must fail, not be cut
        years = np.zeros((n, slots), dtype=np.float32)
        pref = np.full((n, preference_slots), "", dtype=object)
        for i, r in enumerate(rows):
            items = list(r.get("experience") or [])
            if len(items) > slots:  # keep the longest experience
                items = sorted(items, key=lambda item: -(item[1] or 0))[:slots]
            for j, (code, yrs) in enumerate(items):
                exp[i, j], years[i, j] = code, np.nan if yrs is None else yrs
            for j, code in enumerate(list(r.get("preference") or [])[:preference_slots]):
                pref[i, j] = code

        def level(key: str, scale: dict[str, int]) -> np.ndarray:
            return np.array([scale[r[key]] if r.get(key) else UNKNOWN for r in rows], dtype=np.int8)

        def num(key: str) -> np.ndarray:
            return np.array([np.nan if r.get(key) is None else r[key] for r in rows], dtype=np.float32)

        has_max_load = any(r.get("max_load") for r in rows)
        return cls(
            id=np.array([r["id"] for r in rows], dtype=np.int64),
            experience=exp,
            experience_years=years,
            preference=pref,
            education=level("education", EDUCATION),
            dutch=level("dutch", DUTCH),
            health=level("health", HEALTH),
            hours=num("hours"),
            licence=np.array([bool(r.get("licence")) for r in rows]),
            x=num("x"),
            y=num("y"),
            exempt=np.array([bool(r.get("exempt")) for r in rows]),
            work_route=np.array([bool(r.get("work_route")) for r in rows]),
            max_load=(
                np.array(
                    [
                        LOAD[r["max_load"]] if r.get("max_load") else MAX_LOAD_BY_HEALTH[h]
                        for r, h in zip(rows, level("health", HEALTH), strict=True)
                    ],
                    dtype=np.int8,
                )
                if has_max_load
                else None
            ),
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class Vacancies:
    """Vacancies as column arrays (see the module docstring)."""

    id: np.ndarray
    occupation: np.ndarray
    education: np.ndarray
    dutch: np.ndarray
    dutch_hard: np.ndarray
    load: np.ndarray
    hours: np.ndarray
    licence: np.ndarray
    x: np.ndarray
    y: np.ndarray
    _occ: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = object.__setattr__
        ids = _vector("id", self.id, None, np.int64)
        m = len(ids)
        s(self, "id", ids)
        occ = np.asarray(self.occupation)
        if occ.shape != (m,):
            raise ValueError(f"occupation: expected {m} codes, got shape {occ.shape}")
        s(self, "_occ", occupations.encode(occ) if m else np.zeros((0, 4), dtype=np.int16))
        for name, top in (("education", 3), ("dutch", 3), ("load", 2)):
            s(self, name, _levels(name, getattr(self, name), m, top))
        hours = _vector("hours", self.hours, m, np.float32)
        if (hours <= 0).any():
            raise ValueError("hours: more than 0 (NaN when not known)")
        s(self, "hours", hours)
        for name in ("dutch_hard", "licence"):
            s(self, name, _vector(name, getattr(self, name), m, bool))
        for name in ("x", "y"):
            s(self, name, _vector(name, getattr(self, name), m, np.float32))

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index) -> Vacancies:
        """The vacancies at `index` (an array of positions, or a boolean mask)."""
        return _take(self, index, {})

    @classmethod
    def from_records(cls, records: Iterable[Mapping]) -> Vacancies:
        """From dicts: id, occupation (code), education / dutch ("" or None: none required), dutch_hard, load
        ("light".."heavy"; None: not known), hours, licence, x, y."""
        rows = list(records)

        def level(key: str, scale: dict[str, int]) -> np.ndarray:
            return np.array([scale[r[key]] if r.get(key) else UNKNOWN for r in rows], dtype=np.int8)

        def num(key: str) -> np.ndarray:
            return np.array([np.nan if r.get(key) is None else r[key] for r in rows], dtype=np.float32)

        return cls(
            id=np.array([r["id"] for r in rows], dtype=np.int64),
            occupation=np.array([r.get("occupation") or "" for r in rows], dtype=object),
            education=level("education", EDUCATION),
            dutch=level("dutch", DUTCH),
            dutch_hard=np.array([bool(r.get("dutch_hard")) for r in rows]),
            load=level("load", LOAD),
            hours=num("hours"),
            licence=np.array([bool(r.get("licence")) for r in rows]),
            x=num("x"),
            y=num("y"),
        )


# axis of the rows in the derived arrays (all others: axis 0)
_CLIENT_AXES = {
    "_exp": 2,
    "_pref": 2,
    "_years_credit": 1,
    "_edu_fit": 1,
    "_lang_fit": 1,
    "_lang_block": 1,
    "_load_block": 1,
}


def _take(obj, index, axes: dict[str, int]):
    index = np.atleast_1d(np.asarray(index))
    index = np.flatnonzero(index) if index.dtype == bool else index.astype(np.intp)
    new = object.__new__(type(obj))
    for f in fields(obj):
        value = getattr(obj, f.name)
        object.__setattr__(new, f.name, None if value is None else np.take(value, index, axis=axes.get(f.name, 0)))
    return new


# --- pairs -----------------------------------------------------------------------------------------------------
_SIM_BY_DEPTH = np.asarray(occupations.SIMILARITY_BY_DEPTH, dtype=np.float32)


def _best_similarity(targets: np.ndarray, codes: np.ndarray, credit: np.ndarray | None) -> np.ndarray:
    """For encoded target codes (u, 4) and a side's encoded slots (4, k, n): (u, n) float32, the best similarity
    over the slots, each times its credit (k, n) when given."""
    u, (_, k, n) = len(targets), codes.shape
    best = np.zeros((u, n), dtype=np.float32)
    if k == 0 or u == 0:
        return best
    t = np.where(targets < 0, -2, targets).astype(np.int16)  # -2 never equals a client's level (>= -1)
    related = occupations.related_units(targets[:, 3])
    depth = np.empty((u, n), dtype=np.int8)
    for j in range(k):
        depth[...] = 0
        for level in range(4):
            depth += codes[level, j][None, :] == t[:, level][:, None]
        sim = _SIM_BY_DEPTH[depth]
        if related.size:
            hit = np.zeros((u, n), dtype=bool)
            for r in range(related.shape[1]):
                hit |= codes[3, j][None, :] == related[:, r][:, None]
            np.maximum(sim, occupations.RELATED_SIMILARITY, out=sim, where=hit)
        if credit is not None:
            sim *= credit[j][None, :]
        np.maximum(best, sim, out=best)
    return best


@dataclass(frozen=True)
class Pairs:
    """Every (vacancy, client) pair of two small sets: (m, n) arrays."""

    score: np.ndarray
    blocks: np.ndarray
    components: dict[str, np.ndarray]
    minutes: np.ndarray  # travel per day, there and back (NaN: not known)
    distance: np.ndarray  # km, straight line
    weights: dict[str, float]


def _pairs(v: Vacancies, c: Clients, weights: dict[str, float], travel: Travel) -> Pairs:
    m, n = len(v), len(c)
    # occupation: once per distinct code among the vacancies
    if m:
        uniq, inverse = np.unique(v._occ, axis=0, return_inverse=True)
        inverse = inverse.ravel()
    else:
        uniq, inverse = np.zeros((0, 4), dtype=np.int16), np.zeros(0, dtype=np.intp)
    known_occ = uniq[:, 0] >= 0
    exp_u = _best_similarity(uniq, c._exp, c._years_credit)
    pref_u = _best_similarity(uniq, c._pref, None)
    exp_u[~known_occ] = NEUTRAL
    pref_u[~known_occ] = NEUTRAL
    experience, preference = exp_u[inverse], pref_u[inverse]
    # education and language: rows of the per-client fit tables
    education = c._edu_fit[v.education.astype(np.intp) + 1]
    language = c._lang_fit[v.dutch.astype(np.intp) + 1]
    # hours
    wanted, offered = c.hours[None, :], v.hours[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        hours = np.minimum(wanted, offered) / np.maximum(wanted, offered)
    hours[np.isnan(hours)] = NEUTRAL  # not known (0 / 0 too)
    # travel
    distance = np.hypot(v.x[:, None] - c.x[None, :], v.y[:, None] - c.y[None, :])
    minutes = travel.minutes_per_day(distance).astype(np.float32)
    limit = np.float32(travel.max_minutes_per_day)
    travel_fit = np.clip(1.0 - minutes / limit, 0.0, 1.0)
    travel_fit[np.isnan(travel_fit)] = NEUTRAL
    # hard filters
    blocks = np.empty((m, n), dtype=np.uint8)
    blocks[...] = c._static[None, :]
    np.bitwise_or(blocks, np.uint8(Block.PHYSICAL_LOAD), out=blocks, where=c._load_block[v.load.astype(np.intp) + 1])
    np.bitwise_or(blocks, np.uint8(Block.DRIVING_LICENCE), out=blocks, where=v.licence[:, None] & ~c.licence[None, :])
    np.bitwise_or(blocks, np.uint8(Block.TRAVEL_TIME), out=blocks, where=minutes > limit)
    np.bitwise_or(
        blocks,
        np.uint8(Block.LANGUAGE),
        out=blocks,
        where=v.dutch_hard[:, None] & c._lang_block[v.dutch.astype(np.intp) + 1],
    )
    components = {
        "experience": experience,
        "preference": preference,
        "education": education,
        "language": language,
        "hours": hours.astype(np.float32, copy=False),
        "travel": travel_fit.astype(np.float32, copy=False),
    }
    score = np.zeros((m, n), dtype=np.float32)
    for name in COMPONENTS:
        if weights[name]:
            score += np.float32(weights[name]) * components[name]
    np.clip(score, 0.0, 1.0, out=score)  # rounding of the float32 sum
    return Pairs(score, blocks, components, minutes, distance.astype(np.float32, copy=False), weights)


def score_pairs(
    vacancies: Vacancies, clients: Clients, *, weights: Mapping[str, float] | None = None, travel: Travel | None = None
) -> Pairs:
    """Score, components and block bits of every pair: (len(vacancies), len(clients)) arrays. For small sets (the
    memory is about 40 bytes per pair); match_all ranks large ones in chunks."""
    return _pairs(vacancies, clients, normalised_weights(weights), travel or Travel())


# --- ranking ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """One ranked list: the clients for a vacancy, or the vacancies for a client. Unblocked entries first (score
    descending, id ascending), then the blocked ones asked for, in the same order. index points into the ranked
    side's arrays; every other array is aligned with it."""

    index: np.ndarray
    id: np.ndarray
    score: np.ndarray
    blocks: np.ndarray
    components: dict[str, np.ndarray]
    minutes: np.ndarray
    distance: np.ndarray
    weights: dict[str, float]
    considered: int  # candidates looked at
    eligible: int  # of which not blocked
    blocked_by: dict[str, int]  # per reason: how many candidates it blocks (a candidate may have several)

    def __len__(self) -> int:
        return len(self.index)

    def reasons(self, i: int) -> list[str]:
        return block_codes(int(self.blocks[i]))

    def rows(self) -> list[dict]:
        """Plain Python values per entry, for a template or JSON."""
        return [
            {
                "index": int(self.index[i]),
                "id": int(self.id[i]),
                "score": float(self.score[i]),
                "blocked": bool(self.blocks[i]),
                "reasons": self.reasons(i),
                "components": {k: float(a[i]) for k, a in self.components.items()},
                "minutes": None if np.isnan(self.minutes[i]) else float(self.minutes[i]),
                "distance_km": None if np.isnan(self.distance[i]) else float(self.distance[i]),
            }
            for i in range(len(self))
        ]


def _top(key: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest keys >= 0, by key descending then id ascending (exact at the cut-off)."""
    if k <= 0 or key.size == 0:
        return np.zeros(0, dtype=np.intp)
    if k < key.size:
        part = np.argpartition(key, key.size - k)[key.size - k :]
        threshold = max(key[part].min(), 0.0)
        candidates = np.flatnonzero(key >= threshold)
    else:
        candidates = np.flatnonzero(key >= 0)
    order = np.lexsort((ids[candidates], -key[candidates]))
    return candidates[order[:k]]


def _rank_line(score: np.ndarray, blocks: np.ndarray, ids: np.ndarray, *, top: int, blocked: int) -> np.ndarray:
    """Positions in one line (all candidates of one vacancy or one client): top unblocked, then blocked. Each part
    is selected among its own candidates only (usually few are unblocked: that keeps the selection cheap)."""
    free = blocks == 0
    part = np.flatnonzero(free)
    chosen = part[_top(score[part], ids[part], top)]
    if blocked > 0:
        part = np.flatnonzero(~free)
        chosen = np.concatenate([chosen, part[_top(score[part], ids[part], blocked)]])
    return chosen


def _ranking(pairs: Pairs, line, ids: np.ndarray, chosen: np.ndarray) -> Ranking:
    blocks = pairs.blocks[line]
    return Ranking(
        index=chosen.astype(np.int64),
        id=ids[chosen],
        score=pairs.score[line][chosen],
        blocks=blocks[chosen],
        components={k: a[line][chosen] for k, a in pairs.components.items()},
        minutes=pairs.minutes[line][chosen],
        distance=pairs.distance[line][chosen],
        weights=pairs.weights,
        considered=int(blocks.size),
        eligible=int(np.count_nonzero(blocks == 0)),
        blocked_by={code: int(np.count_nonzero(blocks & bit)) for bit, code in BLOCK_CODES.items()},
    )


def match_vacancy(
    vacancy: Vacancies,
    clients: Clients,
    *,
    top: int = 20,
    blocked: int = 0,
    weights: Mapping[str, float] | None = None,
    travel: Travel | None = None,
) -> Ranking:
    """The `top` best unblocked clients for one vacancy (a Vacancies of length 1), then the `blocked` best-scoring
    blocked ones ("why not")."""
    if len(vacancy) != 1:
        raise ValueError("match_vacancy takes one vacancy: use vacancies.take([i]) or match_all")
    pairs = _pairs(vacancy, clients, normalised_weights(weights), travel or Travel())
    chosen = _rank_line(pairs.score[0], pairs.blocks[0], clients.id, top=top, blocked=blocked)
    return _ranking(pairs, (0, slice(None)), clients.id, chosen)


def match_client(
    client: Clients,
    vacancies: Vacancies,
    *,
    top: int = 20,
    blocked: int = 0,
    weights: Mapping[str, float] | None = None,
    travel: Travel | None = None,
) -> Ranking:
    """The `top` best unblocked vacancies for one client (a Clients of length 1), then `blocked` blocked ones."""
    if len(client) != 1:
        raise ValueError("match_client takes one client: use clients.take([i])")
    pairs = _pairs(vacancies, client, normalised_weights(weights), travel or Travel())
    chosen = _rank_line(pairs.score[:, 0], pairs.blocks[:, 0], vacancies.id, top=top, blocked=blocked)
    return _ranking(pairs, (slice(None), 0), vacancies.id, chosen)


def match_all(
    vacancies: Vacancies,
    clients: Clients,
    *,
    top: int = 20,
    blocked: int = 0,
    weights: Mapping[str, float] | None = None,
    travel: Travel | None = None,
    chunk_pairs: int = 1_000_000,
    progress: Callable[[int, int], None] | None = None,
) -> list[Ranking]:
    """A Ranking of clients for every vacancy, in the vacancies' order. Vacancies are scored in chunks of about
    `chunk_pairs` pairs (at least one vacancy per chunk), so memory stays near 40 bytes × chunk_pairs whatever the
    sizes; `progress(done, total)` is called after each chunk."""
    w, t = normalised_weights(weights), travel or Travel()
    m, n = len(vacancies), len(clients)
    rows = max(1, chunk_pairs // max(n, 1))
    # occupation order (stable): a chunk then holds few distinct codes, and the occupation part is per code
    order = np.lexsort(tuple(vacancies._occ[:, level] for level in (3, 2, 1, 0))) if m else np.zeros(0, np.intp)
    out: list[Ranking | None] = [None] * m
    for start in range(0, m, rows):
        part = order[start : start + rows]
        pairs = _pairs(vacancies.take(part), clients, w, t)
        for line, position in enumerate(part):
            chosen = _rank_line(pairs.score[line], pairs.blocks[line], clients.id, top=top, blocked=blocked)
            out[position] = _ranking(pairs, (line, slice(None)), clients.id, chosen)
        if progress is not None:
            progress(min(start + rows, m), m)
    return out  # type: ignore[return-value]


# --- explanation -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One pair in words. `why` and `why_not` are rendered texts; the codes are kept beside them."""

    score: float
    blocked: bool
    reasons: list[str]  # block codes
    components: dict[str, float]
    weights: dict[str, float]
    contributions: dict[str, float]  # weight × component: they add up to the score
    why: list[tuple[str, str]]  # (component, text)
    why_not: list[tuple[str, str]]  # (block code, text)
    unknown: list[tuple[str, str]]  # (code, text): facts that were not known


def _number(value: float, lang: str, decimals: int = 0) -> str:
    text = f"{value:.{decimals}f}"
    if decimals and text.endswith("0" * decimals):
        text = text[: -decimals - 1]
    return text.replace(".", ",") if lang == "nl" else text


def explain(
    vacancies: Vacancies,
    vacancy: int,
    clients: Clients,
    client: int,
    *,
    weights: Mapping[str, float] | None = None,
    travel: Travel | None = None,
    lang: str = "nl",
    translate: Callable[[str], str] | None = None,
) -> Explanation:
    """Why the client at position `client` fits the vacancy at position `vacancy`, and what blocks the pair.
    Occupation names come from the ISCO table in `lang`; the texts go through `translate` (identity by default:
    Dutch)."""
    tr = translate or (lambda text: text)
    t = travel or Travel()
    v, c = vacancies.take([vacancy]), clients.take([client])
    pairs = _pairs(v, c, normalised_weights(weights), t)
    comp = {k: float(a[0, 0]) for k, a in pairs.components.items()}
    mask = int(pairs.blocks[0, 0])

    def text(code: str, **params) -> str:
        return tr(TEXTS[code]) % params if params else tr(TEXTS[code])

    why: list[tuple[str, str]] = []
    unknown: list[tuple[str, str]] = []
    occ_code = str(occupations.decode(v._occ[0]))
    # experience and preference: the slot that gave the component
    if not occ_code:
        unknown.append(("occupation_unknown", text("occupation_unknown")))
    else:
        exp_codes = [str(x) for x in occupations.decode(np.moveaxis(c._exp[:, :, 0], 0, -1))]
        sims = [occupations.similarity(occ_code, x) if x else 0.0 for x in exp_codes]
        credit = c._years_credit[:, 0]
        best = int(np.argmax([s * cr for s, cr in zip(sims, credit, strict=True)])) if sims else -1
        if best >= 0 and sims[best] > 0:
            years = float(np.nan_to_num(c.experience_years[0, best]))
            code = (
                "experience_same"
                if sims[best] == 1.0
                else "experience_near"
                if sims[best] >= NEAR
                else "experience_other"
            )
            name = occupations.name_of(exp_codes[best], lang)
            why.append(("experience", text(code, occupation=name, years=_number(years, lang, 1))))
        else:
            why.append(("experience", text("experience_none")))
        pref_codes = [str(x) for x in occupations.decode(np.moveaxis(c._pref[:, :, 0], 0, -1)) if x]
        psims = [occupations.similarity(occ_code, x) for x in pref_codes]
        if not pref_codes:
            why.append(("preference", text("preference_none")))
        else:
            best = int(np.argmax(psims))
            code = "preference_same" if psims[best] == 1.0 else "preference_near" if psims[best] >= NEAR else None
            if code is None:
                code, best = "preference_other", 0
            why.append(("preference", text(code, occupation=occupations.name_of(pref_codes[best], lang))))
    # education and language
    for comp_name, required, level in (
        ("education", int(v.education[0]), int(c.education[0])),
        ("language", int(v.dutch[0]), int(c.dutch[0])),
    ):
        if required < 0:
            why.append((comp_name, text(f"{comp_name}_not_required")))
        elif level < 0:
            unknown.append((f"{comp_name}_unknown", text(f"{comp_name}_unknown")))
        else:
            why.append((comp_name, text(f"{comp_name}_fits" if level >= required else f"{comp_name}_below")))
    # hours
    wanted, offered = float(c.hours[0]), float(v.hours[0])
    if np.isnan(wanted) or np.isnan(offered):
        unknown.append(("hours_unknown", text("hours_unknown")))
    else:
        params = {"wanted": _number(wanted, lang, 1), "offered": _number(offered, lang, 1)}
        why.append(("hours", text("hours_same" if wanted == offered else "hours_differ", **params)))
    # travel
    minutes, km = float(pairs.minutes[0, 0]), float(pairs.distance[0, 0])
    if np.isnan(minutes):
        unknown.append(("travel_unknown", text("travel_unknown")))
    else:
        rounded = _number(5 * round(minutes / 5), lang)
        why.append(("travel", text("travel", minutes=rounded, km=_number(km, lang, 1))))
    if int(c.health[0]) < 0:
        unknown.append(("health_unknown", text("health_unknown")))
    if int(v.load[0]) < 0:
        unknown.append(("load_unknown", text("load_unknown")))
    why_not = []
    for code in block_codes(mask):
        if code == "travel_time":
            params = {"minutes": _number(5 * round(minutes / 5), lang), "limit": _number(t.max_minutes_per_day, lang)}
            why_not.append((code, text(code, **params)))
        else:
            why_not.append((code, text(code)))
    w = pairs.weights
    return Explanation(
        score=float(pairs.score[0, 0]),
        blocked=bool(mask),
        reasons=block_codes(mask),
        components=comp,
        weights=dict(w),
        contributions={k: w[k] * comp[k] for k in COMPONENTS},
        why=why,
        why_not=why_not,
        unknown=unknown,
    )
