"""From a pilot's measured effect to a lever's effect size in a simulation scenario (issue 10: "effect sizes of levers
come from evidence.md or from the municipality's own pilots, each with its source shown"). Pure: no ORM, only the
pilot's stored results (pilots.report) and the engine's scenario schema (trede.simulation.scenario).

The engine's levers multiply a monthly hazard: of leaving benefit for work (coaching, cohort, tegenprestatie, wage
subsidy, sanctions) or of a step up the participation ladder (coaching, cohort, tegenprestatie). A pilot measures:

- paid_work_12m (0/1): a share per arm after 12 months. With a constant monthly hazard h over T months the share is
  p = 1 - exp(-h T), so h = -ln(1 - p) / T and the ratio of the arms' hazards is ln(1 - p_i) / ln(1 - p_c) (T drops
  out). The interval: the ITT interval in percentage points added to the control share, converted the same way.
- months_on_benefit (duration): the Cox hazard ratio of leaving benefit for any reason, used as it is (with a note
  that it covers every exit, not only work).
- ladder_step_up (0/1): a share per arm over the pilot's follow-up, converted like paid_work_12m.

The intention-to-treat effect counts everyone drawn into the intervention arm, whether they got it or not; in the
engine the multiplier acts on those who take part in the lever, so an effect diluted by crossovers is carried over
diluted (conservative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.pilots import rules
from trede.simulation import scenario as S

WORK, LADDER = "work", "ladder"
PAID_WORK_MONTHS = rules.PAID_WORK_MONTHS

# Which of the pilot's outcomes can stand for which kind of lever.
FITTING = {WORK: ("paid_work_12m", "months_on_benefit"), LADDER: ("ladder_step_up",)}


@dataclass(frozen=True)
class Lever:
    parameter: str  # the scenario parameter the pilot's value goes into
    kind: str  # WORK or LADDER
    label: str  # what it is, in plain Dutch (for the radio button)
    acts_on: str  # who the multiplier acts on in the engine
    switch_from: str = ""  # the shipped scenario whose switches turn the lever on ("" when the baseline has it on)

    @property
    def table(self) -> str:
        return self.parameter.split(".")[0]

    @property
    def slug(self) -> str:
        return self.parameter.replace(".", "-")


LEVERS: dict[str, Lever] = {
    lever.parameter: lever
    for lever in (
        Lever(
            "coaching.work_effect",
            WORK,
            gettext_lazy("Intensieve begeleiding (coaching): kans op werk"),
            gettext_lazy("Geldt voor wie een coachingsplaats heeft, zolang de coaching duurt."),
            switch_from="utrecht_initiative",
        ),
        Lever(
            "cohort.work_effect",
            WORK,
            gettext_lazy("Cohortaanpak (iedereen wordt opgeroepen, daarna intensief contact): kans op werk"),
            gettext_lazy("Geldt voor wie is opgeroepen, in de maanden van intensief contact."),
            switch_from="amsterdam_cohort",
        ),
        Lever(
            "tegenprestatie.work_effect",
            WORK,
            gettext_lazy("Tegenprestatie: kans op werk"),
            gettext_lazy("Geldt voor wie een tegenprestatie doet, zolang die duurt."),
        ),
        Lever(
            "wage_subsidy.work_effect",
            WORK,
            gettext_lazy("Loonkostensubsidie: kans op werk"),
            gettext_lazy("Geldt voor wie recht heeft op loonkostensubsidie, zolang die in de bijstand zit."),
        ),
        Lever(
            "sanctions.work_effect",
            WORK,
            gettext_lazy("Maatregel (verlaging van de uitkering): kans op werk"),
            gettext_lazy("Geldt in de maanden na een maatregel."),
        ),
        Lever(
            "coaching.ladder_effect",
            LADDER,
            gettext_lazy("Intensieve begeleiding (coaching): kans op een hogere trede"),
            gettext_lazy("Geldt voor wie een coachingsplaats heeft, zolang de coaching duurt."),
            switch_from="utrecht_initiative",
        ),
        Lever(
            "cohort.ladder_effect",
            LADDER,
            gettext_lazy("Cohortaanpak: kans op een hogere trede"),
            gettext_lazy("Geldt voor wie is opgeroepen, in de maanden van intensief contact."),
            switch_from="amsterdam_cohort",
        ),
        Lever(
            "tegenprestatie.ladder_effect",
            LADDER,
            gettext_lazy("Tegenprestatie: kans op een hogere trede"),
            gettext_lazy("Geldt voor wie een tegenprestatie doet, zolang die duurt."),
        ),
    )
}

SWITCH_LABELS = {
    "coaching.places": gettext_lazy("Coachingsplaatsen per 10.000 klanten"),
    "coaching.segments": gettext_lazy("Voor wie"),
    "coaching.order": gettext_lazy("Wie het eerst een plaats krijgt"),
    "cohort.enabled": gettext_lazy("Cohorten oproepen"),
    "cohort.pace_months": gettext_lazy("Maanden tussen twee cohorten"),
    "cohort.order": gettext_lazy("Wie het eerst wordt opgeroepen"),
    "cohort.exclude_exempt": gettext_lazy("Cliënten met een ontheffing overslaan"),
}
WORDS = {
    "near": gettext_lazy("dicht bij werk"),
    "middle": gettext_lazy("tussenin"),
    "far": gettext_lazy("ver van werk"),
    "longest_first": gettext_lazy("wie het langst in de bijstand zit"),
    "shortest_first": gettext_lazy("wie het kortst in de bijstand zit"),
    "random": gettext_lazy("willekeurig"),
}


@dataclass(frozen=True)
class Conversion:
    """A pilot outcome as a multiplier of a monthly hazard: value with its 95% interval (low, high), or the reason
    it cannot be one (value None)."""

    outcome: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    n: int | None = None
    measured: str = ""  # what was measured, in words with the figures
    explanation: str = ""  # how it was converted, in plain Dutch
    reason: str = ""  # why there is no value
    clamped: bool = False

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def label(self) -> str:
        return str(rules.OUTCOMES[self.outcome].label)

    @property
    def figures(self) -> dict[str, str]:
        """value, low and high in words for the page (rounded; "" when missing)."""
        pairs = (("value", self.value), ("low", self.low), ("high", self.high))
        return {k: num(v) if v is not None else "" for k, v in pairs}


def num(x: float, digits: int = 2) -> str:
    """A number in the language's notation, rounded (number_format alone cuts off the digits)."""
    return number_format(round(x, digits), decimal_pos=digits, use_l10n=True)


def signed(x: float, digits: int = 1) -> str:
    return ("+" if x > 0 else "−" if x < 0 else "") + num(abs(x), digits)


def hazard_ratio(p_intervention: float, p_control: float) -> float:
    """The ratio of two constant monthly hazards from the shares (0 to 1) that left within the same months:
    ln(1 - p_i) / ln(1 - p_c). ValueError when the control share is not strictly between 0 and 1 or the
    intervention share is 1 or more (an infinite hazard)."""
    if not 0 < p_control < 1:
        raise ValueError("the control share must lie strictly between 0 and 1")
    if p_intervention >= 1:
        raise ValueError("a share of 1 or more has no finite hazard")
    return math.log1p(-p_intervention) / math.log1p(-p_control)


def monthly_hazard(p: float, months: int) -> float:
    """The constant monthly hazard h with 1 - exp(-h * months) = p."""
    return -math.log1p(-p) / months


def _binary(o: dict, *, months: int, what: str) -> Conversion:
    name = o["name"]
    e = o.get("itt") or {}
    keys = ("mean_intervention", "mean_control", "ci_low", "ci_high")
    if o.get("error") or e.get("suppressed", True) or any(e.get(k) is None for k in keys):
        return Conversion(name, reason=_("Te weinig mensen in een groep om het effect te tonen."))
    pi, pc = e["mean_intervention"], e["mean_control"]
    if not (0 < pi < 100 and 0 < pc < 100):
        return Conversion(
            name,
            reason=_(
                "In een groep had 0%% of 100%% dit resultaat. Dan is er geen kans per maand uit te rekenen, en "
                "dus geen vermenigvuldiger."
            )
            % {},
        )
    value = hazard_ratio(pi / 100, pc / 100)
    lo_share, hi_share = pc + e["ci_low"], pc + e["ci_high"]
    low = hazard_ratio(lo_share / 100, pc / 100) if lo_share < 100 else None
    high = hazard_ratio(hi_share / 100, pc / 100) if hi_share < 100 else None
    measured = _(
        "%(what)s: %(pi)s%% in de interventiegroep, %(pc)s%% in de controlegroep (verschil %(d)s procentpunt, "
        "95%%-interval %(lo)s tot %(hi)s)"
    ) % {
        "what": what,
        "pi": num(pi, 1),
        "pc": num(pc, 1),
        "d": signed(pi - pc),
        "lo": signed(e["ci_low"]),
        "hi": signed(e["ci_high"]),
    }
    explanation = _(
        "Stel dat de kans elke maand even groot is. Dan komt %(pc)s%% in %(m)d maanden neer op %(hc)s%% per maand, "
        "en %(pi)s%% op %(hi)s%% per maand. De interventie vermenigvuldigt de kans per maand dus met %(r)s "
        "(ln(1 − %(pi_f)s) / ln(1 − %(pc_f)s)). Het interval: de grenzen van het verschil opgeteld bij de "
        "controlegroep (%(lo_s)s%% en %(hi_s)s%%), op dezelfde manier omgerekend."
    ) % {
        "pc": num(pc, 1),
        "pi": num(pi, 1),
        "m": months,
        "hc": num(100 * monthly_hazard(pc / 100, months), 2),
        "hi": num(100 * monthly_hazard(pi / 100, months), 2),
        "r": num(value, 2),
        "pi_f": num(pi / 100, 3),
        "pc_f": num(pc / 100, 3),
        "lo_s": num(lo_share, 1),
        "hi_s": num(hi_share, 1),
    }
    if high is None:
        explanation += (
            " "
            + _("De bovengrens komt op 100%% of meer: daar hoort geen eindige kans per maand bij, dus geen bovengrens.")
            % {}
        )
    return Conversion(name, value, low, high, e.get("n"), measured, explanation)


def _duration(o: dict) -> Conversion:
    name = o["name"]
    h = o.get("hazard_ratio") or {}
    if o.get("error") or h.get("suppressed", True) or any(h.get(k) is None for k in ("hr", "ci_low", "ci_high")):
        return Conversion(name, reason=_("Te weinig mensen in een groep om het effect te tonen."))
    measured = _("vertrek uit de bijstand om welke reden ook: hazard ratio %(h)s (95%%-interval %(lo)s tot %(hi)s)") % {
        "h": num(h["hr"]),
        "lo": num(h["ci_low"]),
        "hi": num(h["ci_high"]),
    }
    explanation = _(
        "De hazard ratio is al een vermenigvuldiger van de kans per maand: we nemen hem over zoals hij is. Let op: "
        "de pilot mat vertrek uit de bijstand om welke reden ook (werk, maar ook bijvoorbeeld studie of een "
        "partner met inkomen). Het scenario gebruikt hem als effect op uitstroom naar werk."
    )
    return Conversion(name, h["hr"], h["ci_low"], h["ci_high"], h.get("n"), measured, explanation)


def convert(outcome: dict, *, follow_up_months: int) -> Conversion:
    """One outcome of a pilot's results (pilots.report._outcome) as a multiplier of a monthly hazard."""
    name = outcome["name"]
    if name == "paid_work_12m":
        return _binary(outcome, months=PAID_WORK_MONTHS, what=_("betaald werk binnen 12 maanden"))
    if name == "ladder_step_up":
        what = _("hogere trede binnen de looptijd van %(m)d maanden") % {"m": follow_up_months}
        return _binary(outcome, months=follow_up_months, what=what)
    if name == "months_on_benefit":
        return _duration(outcome)
    return Conversion(name, reason=_("Deze uitkomst past bij geen van de hefbomen van de simulatie."))


def conversions(results: dict, *, follow_up_months: int) -> list[Conversion]:
    """Every outcome of the pilot that fits a lever, converted (or with the reason it cannot be), in the order of
    the results."""
    fitting = {name for names in FITTING.values() for name in names}
    return [convert(o, follow_up_months=follow_up_months) for o in results.get("outcomes", []) if o["name"] in fitting]


def offer(results: dict, *, follow_up_months: int) -> tuple[list[Conversion], list[Lever]]:
    """For the page: the fitting outcomes converted (kept within the levers' range, or with the reason they cannot
    be used), and the levers that at least one usable outcome fits."""
    found = conversions(results, follow_up_months=follow_up_months)
    shown = []
    for c in found:
        lever = next((lv for lv in LEVERS.values() if fits(lv.parameter, c.outcome)), None)
        shown.append(bounded(c, lever.parameter) if c.ok and lever else c)
    return shown, levers_for(found)


def fits(lever: str, outcome: str) -> bool:
    return lever in LEVERS and outcome in FITTING[LEVERS[lever].kind]


def levers_for(usable: list[Conversion]) -> list[Lever]:
    """The levers at least one of the usable conversions fits."""
    names = {c.outcome for c in usable if c.ok}
    return [lever for lever in LEVERS.values() if names & set(FITTING[lever.kind])]


def bounded(conversion: Conversion, parameter: str) -> Conversion:
    """The conversion with value, low and high kept within the parameter's allowed range (a note when clamped)."""
    spec = S.SCHEMA[parameter]
    lo = 0.0 if spec.kind in ("mult", "prob") else spec.lo
    hi = 1.0 if spec.kind == "prob" else spec.hi
    notes = []

    def clamp(x: float | None, which: str) -> float | None:
        if x is None:
            return None
        if lo is not None and x < lo:
            notes.append(
                _("%(w)s (%(x)s) ligt onder de laagste toegestane waarde: in het scenario %(b)s.")
                % {"w": which, "x": num(x), "b": num(lo)}
            )
            return lo
        if hi is not None and x > hi:
            notes.append(
                _("%(w)s (%(x)s) ligt boven de hoogste toegestane waarde: in het scenario %(b)s.")
                % {"w": which, "x": num(x), "b": num(hi)}
            )
            return hi
        return x

    value = clamp(conversion.value, _("De waarde"))
    low = clamp(conversion.low, _("De ondergrens"))
    high = clamp(conversion.high, _("De bovengrens"))
    if not notes:
        return conversion
    explanation = " ".join([conversion.explanation, *notes])
    return replace(conversion, value=value, low=low, high=high, explanation=explanation, clamped=True)


def switches(lever: Lever) -> list[tuple[str, object, str]]:
    """What turns the lever on: the parameters of the lever's table (not its effects) that the shipped scenario of
    the approach sets, as (parameter, value, source), in the schema's order. Empty when the baseline has it on."""
    if not lever.switch_from:
        return []
    sc = S.load(lever.switch_from)
    own = str(S.SCENARIO_DIR / f"{lever.switch_from}.toml")
    return [
        (path, sc.values[path], sc.sources[path])
        for path in S.SCHEMA
        if path.startswith(f"{lever.table}.") and not path.endswith("_effect") and sc.origins.get(path) == own
    ]


def switch_title(lever: Lever) -> str:
    """The title of the shipped scenario whose switches turn the lever on ("" when the baseline has it on)."""
    return S.load(lever.switch_from).title if lever.switch_from else ""


def show(value) -> str:
    """A switch's value in words."""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, str):
        return str(WORDS.get(value, value))
    return str(value)


def switch_rows(lever: Lever) -> list[tuple[str, str]]:
    """The switches as (label, value) in words, for the page."""
    return [(str(SWITCH_LABELS.get(path, path)), show(value)) for path, value, _source in switches(lever)]


def acts(sc: S.Scenario, lever: Lever) -> bool:
    """Whether the lever's multiplier acts on anyone in the scenario (the engine's own conditions)."""
    table = lever.table
    if table == "coaching":
        return sc["coaching.places"] > 0 and bool(sc["coaching.segments"])
    if table == "cohort":
        return bool(sc["cohort.enabled"]) and sc["cohort.size"] > 0 and bool(sc["cohort.routes"])
    if table == "tegenprestatie":
        willing = sc["tegenprestatie.regime"] == "enforced" or sc["tegenprestatie.take_up"] > 0
        return sc["tegenprestatie.regime"] != "none" and sc["tegenprestatie.places_per_1000"] > 0 and willing
    if table == "wage_subsidy":
        return sc["wage_subsidy.share"] > 0 and bool(sc["wage_subsidy.segments"])
    if table == "sanctions":
        breach = sc["sanctions.breach_per_month"] * sc["sanctions.culpable_share"]
        return sc["sanctions.regime"] != "none" and breach > 0
    return False


def scenario_toml(*, name: str, title: str, description: str, values: dict[str, tuple[object, str]]) -> str:
    """A scenario extending the baseline that sets `values` (parameter -> (value, source)), grouped by table."""
    lines = [
        "[scenario]",
        f"name = {S.toml_value(name)}",
        f"title = {S.toml_value(title)}",
        f"description = {S.toml_value(description)}",
        'extends = "baseline"',
    ]
    tables: dict[str, list[str]] = {}
    for path in S.SCHEMA:
        if path in values:
            head, leaf = path.rsplit(".", 1)
            value, source = values[path]
            tables.setdefault(head, []).append(
                f"{leaf} = {{ value = {S.toml_value(value)}, source = {S.toml_value(source)} }}"
            )
    for head, rows in tables.items():
        lines += ["", f"[{head}]", *rows]
    return "\n".join(lines) + "\n"
