"""Scenarios: plain TOML files in which every parameter carries its source.

A scenario file has a [scenario] table (name, Dutch title and description, optionally `extends` another scenario)
and parameters, each an inline table with a value and where the value comes from:

    [scenario]
    name = "stockholm_caseload"
    title = "Stockholm: kleine caseloads en coaching op het werk"
    title_en = "Stockholm: small caseloads and coaching on the job"
    description = "..."
    extends = "baseline"

    [service.participation]
    clients_per_caseworker = { value = 27, source = "population.md: Stockholm's job centres 25-30" }

A scenario that extends another one inherits every parameter it does not set (with that parameter's source), so a
variant lists only what differs. After merging, every parameter of SCHEMA must be present, known, of the right kind
and range, and have a non-empty source; otherwise ScenarioError names the file and the parameter.

Shipped scenarios live in trede/simulation/scenarios/*.toml (`shipped()`); `load()` takes a shipped name or a path,
`from_text()` the text of a saved scenario (the web app keeps them in the database).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"

SEGMENTS = ("near", "middle", "far")  # distance to work
ROUTES = ("none", "work", "participation", "youth")  # route at the start ("none": no route known)
POOLS = ("work", "participation", "youth")  # caseworker teams (a client without route: by distance to work)
HOUSEHOLDS = ("single", "single_parent", "couple", "couple_children", "cost_sharers", "other")
AGE_CLASSES = ("18-26", "27-49", "50-59", "60-66")  # for the hazards (age bands for results: population.py)
DURATION_BANDS = ("0-5", "6-11", "12-23", "24-59", "60-119", "120+")  # months on (or off) benefit
DURATION_EDGES = (6, 12, 24, 60, 120)
LADDER_ON_BENEFIT = (1, 2, 3, 4, 5)
ORDERS = ("longest_first", "shortest_first", "random")


class ScenarioError(ValueError):
    """A scenario that cannot be used. `parameter` is the dotted name (or "" for the file as a whole), `problem` a
    short code (unknown, missing, source, type, range, choice, file, extends, syntax) for a translated message."""

    def __init__(self, message: str, *, parameter: str = "", problem: str = "", origin: str = "") -> None:
        where = f"{origin}: " if origin else ""
        what = f"parameter '{parameter}': " if parameter else ""
        super().__init__(f"{where}{what}{message}")
        self.parameter = parameter
        self.problem = problem
        self.origin = origin
        self.detail = message


class _KindError(ValueError):
    """A value of the wrong kind (not a number, a list of the wrong length...)."""


@dataclass(frozen=True)
class Param:
    """One parameter of the schema: its kind and bounds, and what it means (English, for the docs and the UI)."""

    kind: str  # prob (0..1), mult (>= 0), num (>= lo), int, bool, choice, choices (list), vector (of prob/mult)
    doc: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    length: int = 0  # vectors
    item: str = "prob"  # vectors: prob or mult
    unit: str = ""

    def check(self, value: Any) -> Any:
        """The value in its canonical Python form, or ValueError with the reason."""
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise _KindError(f"must be true or false, not {value!r}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"must be one of {', '.join(self.choices)}, not {value!r}")
            return value
        if self.kind == "choices":
            if (
                not isinstance(value, list)
                or any(v not in self.choices for v in value)
                or len(set(value)) != len(value)
            ):
                raise ValueError(f"must be a list of distinct values from {', '.join(self.choices)}, not {value!r}")
            return tuple(value)
        if self.kind == "vector":
            if not isinstance(value, list) or len(value) != self.length:
                raise _KindError(f"must be a list of {self.length} numbers, not {value!r}")
            return tuple(_number(v, self.item, None, None) for v in value)
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise _KindError(f"must be a whole number, not {value!r}")
            _bounds(value, self.lo, self.hi)
            return value
        return _number(value, self.kind, self.lo, self.hi)


def _bounds(x: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and x < lo:
        raise ValueError(f"must be at least {lo:g}, not {x:g}")
    if hi is not None and x > hi:
        raise ValueError(f"must be at most {hi:g}, not {x:g}")


def _number(value: Any, kind: str, lo: float | None, hi: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _KindError(f"must be a number, not {value!r}")
    x = float(value)
    if kind == "prob":
        _bounds(x, 0.0, 1.0)
    elif kind == "mult":
        _bounds(x, 0.0, None)
    _bounds(x, lo, hi)
    return x


def _vec(n: int, doc: str, item: str = "prob") -> Param:
    return Param("vector", doc, length=n, item=item)


P_MONTH = "monthly probability"
SCHEMA: dict[str, Param] = {
    # Hazards of the baseline: monthly probabilities before multipliers (calibrated: calibration.py)
    "hazards.work.segment": _vec(3, f"{P_MONTH} of leaving benefit for work, by distance to work (near, middle, far)"),
    "hazards.work.duration": _vec(
        6, "work-exit multiplier by months on benefit (0-5, 6-11, 12-23, 24-59, 60-119, 120+)", "mult"
    ),
    "hazards.work.ladder": _vec(5, "work-exit multiplier by ladder step 1-5", "mult"),
    "hazards.work.age": _vec(4, "work-exit multiplier by age (18-26, 27-49, 50-59, 60-66)", "mult"),
    "hazards.work.exempt": Param("mult", "work-exit multiplier for a client with an individual exemption"),
    "hazards.other.segment": _vec(
        3,
        f"{P_MONTH} of leaving benefit for another reason with a possible return (education, partner's income, "
        "other), by distance to work",
    ),
    "hazards.other.duration": _vec(6, "other-exit multiplier by months on benefit", "mult"),
    "hazards.other.age": _vec(4, "other-exit multiplier by age", "mult"),
    "hazards.gone.age": _vec(
        4,
        f"{P_MONTH} of leaving for good while on benefit (moving away, another benefit, death), by age; "
        "state pension at 67 comes apart",
    ),
    "hazards.gone.off_benefit": Param(
        "prob", f"{P_MONTH} that someone off benefit leaves the municipality's view for good"
    ),
    "hazards.ladder.up": _vec(4, f"{P_MONTH} of one ladder step up from step 1, 2, 3, 4"),
    "hazards.ladder.down": _vec(4, f"{P_MONTH} of one ladder step down from step 2, 3, 4, 5"),
    "hazards.returns.work": _vec(
        6,
        f"{P_MONTH} of coming back on benefit after leaving for work, by months off benefit "
        "(0-5, 6-11, 12-23, 24-59, 60-119, 120+)",
    ),
    "hazards.returns.other": _vec(
        6, f"{P_MONTH} of coming back after leaving for another reason, by months off benefit"
    ),
    # Caseworkers: capacity per route and contact frequency
    "service.work.clients_per_caseworker": Param(
        "num", "clients per caseworker (FTE) on the route to work: sets the staff", lo=1.0
    ),
    "service.work.contacts_per_year": Param("num", "contacts a client on the route to work should have a year", lo=0.0),
    "service.participation.clients_per_caseworker": Param(
        "num", "clients per caseworker on the participation route", lo=1.0
    ),
    "service.participation.contacts_per_year": Param("num", "contacts a year on the participation route", lo=0.0),
    "service.youth.clients_per_caseworker": Param("num", "clients per caseworker in the youth approach", lo=1.0),
    "service.youth.contacts_per_year": Param("num", "contacts a year in the youth approach", lo=0.0),
    "service.contacts_per_fte_month": Param(
        "num", "client contacts one caseworker (FTE) can hold a month: the capacity", lo=1.0
    ),
    "effects.contacts.reference.work": Param(
        "num", "contacts a year at which the work route's hazards are calibrated", lo=0.01
    ),
    "effects.contacts.reference.participation": Param("num", "the same for the participation route", lo=0.01),
    "effects.contacts.reference.youth": Param("num", "the same for the youth approach", lo=0.01),
    "effects.contacts.work_elasticity": Param(
        "num", "work-exit multiplier = (contacts achieved / reference) ** elasticity", lo=0.0, hi=2.0
    ),
    "effects.contacts.ladder_elasticity": Param(
        "num", "ladder-up multiplier = (contacts achieved / reference) ** elasticity", lo=0.0, hi=2.0
    ),
    # Sanctions (art. 18)
    "sanctions.regime": Param(
        "choice", "sanction regime (none: no sanctions at all)", choices=("strict", "standard", "lenient", "none")
    ),
    "sanctions.breach_per_month": Param(
        "prob", f"{P_MONTH} that a client with obligations breaches one and a case starts"
    ),
    "sanctions.culpable_share": Param("prob", "share of cases that end in a sanction (culpability, art. 18 lid 9)"),
    "sanctions.months": Param("int", "months of reduction per sanction", lo=1, hi=12),
    "sanctions.reduction": Param("prob", "share of the benefit withheld in those months"),
    "sanctions.effect_months": Param(
        "int", "months from the sanction in which its effect on the work exit lasts", lo=1, hi=60
    ),
    "sanctions.work_effect": Param("mult", "work-exit multiplier in those months"),
    # Tegenprestatie (art. 9 lid 1c)
    "tegenprestatie.regime": Param(
        "choice",
        "enforced: required of everyone eligible; voluntary: for those willing; none",
        choices=("enforced", "voluntary", "none"),
    ),
    "tegenprestatie.routes": Param("choices", "routes it applies to", choices=ROUTES),
    "tegenprestatie.min_months_on_benefit": Param("int", "only after this many months on benefit", lo=0, hi=600),
    "tegenprestatie.places_per_1000": Param("num", "places per 1,000 clients on benefit at the start", lo=0.0),
    "tegenprestatie.months": Param("int", "months one tegenprestatie lasts", lo=1, hi=60),
    "tegenprestatie.take_up": Param("prob", "voluntary regime: share of clients willing to take it up"),
    "tegenprestatie.work_effect": Param("mult", "work-exit multiplier while doing it (lock-in)"),
    "tegenprestatie.ladder_effect": Param("mult", "ladder-up multiplier while doing it"),
    "tegenprestatie.breach_effect": Param("mult", "breach multiplier while it is required"),
    "tegenprestatie.other_effect": Param("mult", "other-exit multiplier while it is required (deterrence)"),
    "tegenprestatie.cost_per_month": Param(
        "num", "cost per participant a month (guidance, organisation)", lo=0.0, unit="EUR"
    ),
    # Cohort approach
    "cohort.enabled": Param("bool", "call clients in cohort by cohort"),
    "cohort.size": Param("int", "clients per cohort", lo=0),
    "cohort.reference_caseload": Param(
        "int", "caseload the size refers to; the size scales with the population (0: as is)", lo=0
    ),
    "cohort.pace_months": Param("int", "months between two cohorts", lo=1, hi=120),
    "cohort.start_month": Param("int", "month of the first cohort", lo=0),
    "cohort.routes": Param("choices", "routes whose clients are called in", choices=ROUTES),
    "cohort.exclude_exempt": Param("bool", "leave out clients with an exemption"),
    "cohort.min_months_on_benefit": Param("int", "only clients at least this long on benefit", lo=0, hi=600),
    "cohort.order": Param("choice", "who first", choices=ORDERS),
    "cohort.months": Param("int", "months of the intensive phase after the invitation", lo=1, hi=60),
    "cohort.work_effect": Param("mult", "work-exit multiplier in the intensive phase"),
    "cohort.ladder_effect": Param("mult", "ladder-up multiplier in the intensive phase"),
    "cohort.breach_effect": Param("mult", "breach multiplier in the intensive phase (no-shows)"),
    "cohort.cost_per_month": Param("num", "cost per client a month in the intensive phase", lo=0.0, unit="EUR"),
    # Intensive coaching of the group far from work
    "coaching.places": Param("int", "coaching places at the same time", lo=0),
    "coaching.reference_caseload": Param("int", "caseload the places refer to (0: as is)", lo=0),
    "coaching.segments": Param("choices", "who is eligible, by distance to work", choices=SEGMENTS),
    "coaching.months": Param("int", "months of coaching", lo=1, hi=60),
    "coaching.order": Param("choice", "who first", choices=ORDERS),
    "coaching.work_effect": Param("mult", "work-exit multiplier while coached"),
    "coaching.ladder_effect": Param("mult", "ladder-up multiplier while coached"),
    "coaching.cost_per_month": Param("num", "cost per client a month", lo=0.0, unit="EUR"),
    # Trial placements (proefplaatsing)
    "trial.places": Param("int", "trial placements at the same time", lo=0),
    "trial.reference_caseload": Param("int", "caseload the places refer to (0: as is)", lo=0),
    "trial.routes": Param("choices", "routes whose clients are placed", choices=ROUTES),
    "trial.min_ladder": Param("int", "lowest ladder step for a trial", lo=1, hi=5),
    "trial.months": Param("int", "months of a trial (2, extendable to at most 6)", lo=1, hi=6),
    "trial.conversion": Param("prob", "share of trials that end in a contract (an exit to work)"),
    "trial.order": Param("choice", "who first", choices=ORDERS),
    "trial.cost_per_month": Param("num", "cost per trial a month (guidance)", lo=0.0, unit="EUR"),
    # Wage subsidy (art. 10d) and job coaching after a placement
    "wage_subsidy.share": Param("prob", "share of the eligible clients who get a wage subsidy when they start work"),
    "wage_subsidy.segments": Param("choices", "eligible, by distance to work (reduced wage value)", choices=SEGMENTS),
    "wage_subsidy.months": Param("int", "months of subsidy", lo=0, hi=600),
    "wage_subsidy.monthly_eur": Param("num", "subsidy a month", lo=0.0, unit="EUR"),
    "wage_subsidy.work_effect": Param("mult", "work-exit multiplier for eligible clients on benefit"),
    "wage_subsidy.return_effect": Param("mult", "return multiplier while subsidised"),
    "job_coaching.share": Param("prob", "share of those who start work who get a job coach"),
    "job_coaching.months": Param("int", "months of job coaching", lo=0, hi=120),
    "job_coaching.return_effect": Param("mult", "return multiplier while coached"),
    "job_coaching.cost_per_month": Param("num", "cost a month", lo=0.0, unit="EUR"),
    # Basic jobs (second labour market)
    "basic_jobs.places": Param("int", "basic jobs at the same time", lo=0),
    "basic_jobs.reference_caseload": Param("int", "caseload the places refer to (0: as is)", lo=0),
    "basic_jobs.segments": Param("choices", "eligible, by distance to work", choices=SEGMENTS),
    "basic_jobs.min_months_on_benefit": Param("int", "only clients at least this long on benefit", lo=0, hi=600),
    "basic_jobs.order": Param("choice", "who first", choices=ORDERS),
    "basic_jobs.months": Param("int", "months of a basic job (0: without end)", lo=0, hi=600),
    "basic_jobs.monthly_cost_eur": Param("num", "wage cost a month (the benefit stops)", lo=0.0, unit="EUR"),
    "basic_jobs.to_work_per_month": Param("prob", f"{P_MONTH} of moving on to a regular job"),
    "basic_jobs.conversion": Param("prob", "at the end: share moving on to a regular job (else back on benefit)"),
    "basic_jobs.drop_out_per_month": Param("prob", f"{P_MONTH} of dropping out, back on benefit"),
    # Exemption policy
    "exemption.policy": Param(
        "choice",
        "individual: exemptions as granted; everyone: no obligations for anyone (basic-income-like)",
        choices=("individual", "everyone"),
    ),
    "exemption.work_effect": Param("mult", "work-exit multiplier for clients exempt by the policy (not individually)"),
    "exemption.part_time_effect": Param(
        "mult", "multiplier on the step from 4 to 5 (part-time work beside the benefit) for them"
    ),
    # Costs
    "costs.benefit_per_month.single": Param("num", "benefit a month, single", lo=0.0, unit="EUR"),
    "costs.benefit_per_month.single_parent": Param("num", "benefit a month, single parent", lo=0.0, unit="EUR"),
    "costs.benefit_per_month.couple": Param("num", "benefit a month, couple", lo=0.0, unit="EUR"),
    "costs.benefit_per_month.couple_children": Param(
        "num", "benefit a month, couple with children", lo=0.0, unit="EUR"
    ),
    "costs.benefit_per_month.cost_sharers": Param(
        "num", "benefit a month, living with cost sharers", lo=0.0, unit="EUR"
    ),
    "costs.benefit_per_month.other": Param("num", "benefit a month, household not known", lo=0.0, unit="EUR"),
    "costs.part_time_benefit_share": Param("prob", "share of the benefit still paid at ladder step 5 (part-time work)"),
    "costs.staff_per_fte_year": Param(
        "num", "cost of one caseworker (FTE) a year, overhead included", lo=0.0, unit="EUR"
    ),
}
HEADER_KEYS = {"name", "title", "title_en", "description", "extends"}


@dataclass(frozen=True)
class Scenario:
    """A complete, validated scenario: every SCHEMA parameter with its value and source."""

    name: str
    title: str
    description: str
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    origins: Mapping[str, str] = field(default_factory=dict)  # parameter -> the file (or text) that set it
    title_en: str = ""

    def __getitem__(self, path: str) -> Any:
        try:
            return self.values[path]
        except KeyError:
            raise KeyError(f"unknown parameter {path!r}") from None

    @property
    def digest(self) -> str:
        """A short fingerprint of the values (not the texts): equal digests simulate equally."""
        blob = json.dumps({k: self.values[k] for k in sorted(self.values)}, sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def rows(self) -> list[dict]:
        """Every parameter as a row (for reports and screens): parameter, value, unit, source, meaning."""
        return [
            {
                "parameter": path,
                "value": _show(self.values[path]),
                "unit": spec.unit,
                "source": self.sources[path],
                "meaning": spec.doc,
                "set_in": self.origins.get(path, ""),
            }
            for path, spec in SCHEMA.items()
        ]

    def replace(self, changes: Mapping[str, Any], *, source: str, name: str | None = None) -> Scenario:
        """A new scenario with some values changed (each checked), all with the given source."""
        values = dict(self.values)
        sources = dict(self.sources)
        origins = dict(self.origins)
        for path, value in changes.items():
            spec = _spec(path, "replace")
            values[path] = _checked(spec, path, value, "replace")
            sources[path] = _source(source, path, "replace")
            origins[path] = "replace"
        return Scenario(
            name=name or self.name,
            title=self.title,
            description=self.description,
            values=values,
            sources=sources,
            origins=origins,
            title_en=self.title_en,
        )

    def to_toml(self) -> str:
        """The scenario as one self-contained TOML text (no `extends`): every parameter with its source."""
        lines = ["[scenario]"]
        for key in ("name", "title", "title_en", "description"):
            value = getattr(self, key)
            if value:
                lines.append(f"{key} = {toml_value(value)}")
        table = None
        for path in SCHEMA:
            head, leaf = path.rsplit(".", 1)
            if head != table:
                lines += ["", f"[{head}]"]
                table = head
            value = self.values[path]
            value = list(value) if isinstance(value, tuple) else value
            lines.append(f"{leaf} = {{ value = {toml_value(value)}, source = {toml_value(self.sources[path])} }}")
        return "\n".join(lines) + "\n"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def toml_value(value: Any) -> str:
    """A value as TOML (strings as JSON strings, which TOML's basic strings accept; tuples and lists as arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _spec(path: str, origin: str) -> Param:
    try:
        return SCHEMA[path]
    except KeyError:
        close = difflib.get_close_matches(path, list(SCHEMA), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ScenarioError(f"unknown parameter{hint}", parameter=path, problem="unknown", origin=origin) from None


def _checked(spec: Param, path: str, value: Any, origin: str) -> Any:
    try:
        return spec.check(value)
    except _KindError as exc:
        raise ScenarioError(str(exc), parameter=path, problem="type", origin=origin) from None
    except ValueError as exc:
        problem = "choice" if spec.kind in ("choice", "choices") else "range"
        raise ScenarioError(str(exc), parameter=path, problem=problem, origin=origin) from None


def _source(source: Any, path: str, origin: str) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ScenarioError(
            "has no source: say where the value comes from", parameter=path, problem="source", origin=origin
        )
    return source.strip()


def _flatten(data: Mapping[str, Any], origin: str, prefix: str = "") -> dict[str, tuple[Any, str]]:
    """Parameter path -> (raw value, source). A table with a 'value' key is a parameter."""
    out: dict[str, tuple[Any, str]] = {}
    for key, node in data.items():
        path = f"{prefix}{key}"
        if not isinstance(node, dict):
            raise ScenarioError(
                'must be written as { value = ..., source = "..." }', parameter=path, problem="source", origin=origin
            )
        if "value" in node:
            extra = set(node) - {"value", "source", "note"}
            if extra:
                raise ScenarioError(f"unexpected keys {sorted(extra)}", parameter=path, problem="type", origin=origin)
            _spec(path, origin)
            out[path] = (node["value"], _source(node.get("source"), path, origin))
        else:
            out.update(_flatten(node, origin, prefix=f"{path}."))
    return out


def shipped() -> list[str]:
    """Names of the shipped scenarios (baseline first)."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    return sorted(names, key=lambda n: (n != "baseline", n))


def _resolve(ref: str, base_dir: Path | None) -> Path:
    candidate = Path(ref)
    if candidate.suffix == ".toml" or "/" in ref or "\\" in ref:
        if not candidate.is_absolute() and base_dir is not None and not candidate.exists():
            candidate = base_dir / candidate
        return candidate
    return SCENARIO_DIR / f"{ref}.toml"


def load(ref: str | Path) -> Scenario:
    """A shipped scenario by name ("baseline") or a scenario file by path."""
    path = _resolve(str(ref), None)
    if not path.is_file():
        names = ", ".join(shipped())
        raise ScenarioError(f"no scenario file {ref!s} (shipped scenarios: {names})", problem="file", origin=str(ref))
    return from_text(path.read_text(encoding="utf-8"), origin=str(path), base_dir=path.parent)


def from_text(text: str, *, origin: str = "<text>", base_dir: Path | None = None) -> Scenario:
    """A scenario from its TOML text (a saved scenario); `extends` finds shipped names or paths from base_dir."""
    return _from_text(text, origin=origin, base_dir=base_dir, seen=())


def _from_text(text: str, *, origin: str, base_dir: Path | None, seen: tuple[str, ...]) -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", problem="syntax", origin=origin) from None
    head = data.pop("scenario", None)
    if not isinstance(head, dict) or not isinstance(head.get("name"), str) or not head["name"].strip():
        raise ScenarioError(
            "needs a [scenario] table with a name", parameter="scenario.name", problem="missing", origin=origin
        )
    unknown = set(head) - HEADER_KEYS
    if unknown:
        raise ScenarioError(
            f"unknown keys {sorted(unknown)} in [scenario]", parameter="scenario", problem="unknown", origin=origin
        )
    for key in ("title", "title_en", "description", "extends"):
        if key in head and not isinstance(head[key], str):
            raise ScenarioError("must be text", parameter=f"scenario.{key}", problem="type", origin=origin)
    own = _flatten(data, origin)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    origins: dict[str, str] = {}
    if head.get("extends"):
        ref = head["extends"]
        parent_path = _resolve(ref, base_dir)
        key = str(parent_path.resolve()) if parent_path.exists() else str(parent_path)
        if key in seen:
            raise ScenarioError(
                f"extends itself through {ref}", parameter="scenario.extends", problem="extends", origin=origin
            )
        if not parent_path.is_file():
            raise ScenarioError(
                f"extends {ref}, which does not exist", parameter="scenario.extends", problem="extends", origin=origin
            )
        parent = _from_text(
            parent_path.read_text(encoding="utf-8"),
            origin=str(parent_path),
            base_dir=parent_path.parent,
            seen=(*seen, key),
        )
        values.update(parent.values)
        sources.update(parent.sources)
        origins.update(parent.origins)
    for path, (raw, source) in own.items():
        values[path] = _checked(SCHEMA[path], path, raw, origin)
        sources[path] = source
        origins[path] = origin
    missing = [p for p in SCHEMA if p not in values]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ScenarioError(
            f"missing{more}; extend 'baseline' to inherit", parameter=missing[0], problem="missing", origin=origin
        )
    _check_together(values, origin)
    return Scenario(
        name=head["name"].strip(),
        title=head.get("title", head["name"]).strip(),
        title_en=head.get("title_en", "").strip(),
        description=head.get("description", "").strip(),
        values=values,
        sources=sources,
        origins=origins,
    )


def _check_together(values: Mapping[str, Any], origin: str) -> None:
    """Rules between parameters."""
    if values["sanctions.effect_months"] < values["sanctions.months"]:
        raise ScenarioError(
            "must be at least sanctions.months", parameter="sanctions.effect_months", problem="range", origin=origin
        )


def load_many(refs: Iterable[str | Path]) -> list[Scenario]:
    """Several scenarios; names must differ (results are keyed on them)."""
    scenarios = [load(r) for r in refs]
    names = [s.name for s in scenarios]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ScenarioError(f"scenario names must differ: {', '.join(dupes)}", problem="file")
    return scenarios
