"""Pure rules of the route decision ("de knip"). No ORM: given the facts and the rule-set values, the advice.

Routes, from most to least help towards paid work:
  youth        — under the youth age (27): the 4-week search period (Participatiewet art. 41 lid 4) and the
                 municipality's intensive youth approach; never parked.
  work         — traject naar werk: estimated time to work at or below the threshold.
  participation— activering en participatie: estimated time to work above the threshold ("de knip").
  exemption_review — beoordeling ontheffing: severe health limitations make an exemption review the first step.
The advice is an advice: a person decides; a route with less help than advised needs a reason and a second
person (team lead), as a deliberate brake on parking people (profiling.md: moving someone down needs an extra
check).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

ROUTE_ORDER = ("youth", "work", "participation", "exemption_review")  # most help first


@dataclass(frozen=True)
class Advice:
    route: str | None  # None: no advice possible (no estimate); the caseworker decides alone
    code: str  # why, as a fact that is stored; advice_text() words it in the reader's language
    facts: dict

    @property
    def reason(self) -> str:
        return advice_text(self.code, self.facts)


def advice_text(code: str, facts: dict) -> str:
    """The reason of an advice in plain words, in the language of whoever reads it."""
    if code == "youth":
        return _("jonger dan %(age)d: eigen jongerenaanpak met een zoektermijn van %(w)d weken") % facts
    if code == "severe_health":
        return _("ernstige gezondheidsbeperkingen: eerst beoordelen of een ontheffing past")
    if code == "no_estimate":
        return _("geen schatting mogelijk: de klantmanager beslist zonder advies")
    if code == "at_most_threshold":
        return _("geschatte tijd tot werk %(m).0f maanden, niet meer dan %(t).0f") % facts
    if code == "above_threshold":
        return _("geschatte tijd tot werk %(m).0f maanden, meer dan %(t).0f") % facts
    return code


def route_advice(
    *,
    age: int,
    median_months: float | None,
    severe_health: bool,
    threshold_months: float,
    youth_age: int,
    search_weeks: int = 4,
) -> Advice:
    """The advice of the rule set (Participatiewet art. 41 lid 4 for the youth route; the threshold is local)."""
    if age < youth_age:
        return Advice("youth", "youth", {"age": youth_age, "w": search_weeks})
    if severe_health:
        return Advice("exemption_review", "severe_health", {})
    if median_months is None:
        return Advice(None, "no_estimate", {})
    facts = {"m": median_months, "t": threshold_months}
    if median_months <= threshold_months:
        return Advice("work", "at_most_threshold", facts)
    return Advice("participation", "above_threshold", facts)


def less_help(chosen: str, advised: str | None) -> bool:
    """True when the chosen route gives less help towards work than the advised one."""
    if advised is None:
        return False
    return ROUTE_ORDER.index(chosen) > ROUTE_ORDER.index(advised)


def decision_requirements(*, chosen: str, advised: str | None, reason: str) -> dict[str, list[str]]:
    """What a route decision still needs: a written reason when it departs from the advice."""
    problems: dict[str, list[str]] = {}
    if chosen not in ROUTE_ORDER:
        problems["route"] = [_("onbekende route")]
    elif advised is not None and chosen != advised and not reason.strip():
        problems["reason"] = [_("Schrijf op waarom u afwijkt van het advies.")]
    return problems


# --------------------------------------------------------------------------------------------------
# The intake's factors: what a caseworker answers, and how answers and effects read in plain Dutch.

# The factors the intake asks, in the order of the form (the model's inputs are trede.stats.ALLOWED_FACTORS).
# age and benefit_months follow from the dossier (birth date, start of benefit) and are not asked.
ASKED = (
    "education",
    "work_experience_years",
    "worked_last_2_years",
    "dutch_level",
    "health",
    "care_duties",
    "debts",
    "social",
    "ladder_step",
)
DERIVED = ("age", "benefit_months")


def factor_label(factor: str) -> str:
    return {
        "age": _("Leeftijd"),
        "education": _("Hoogste opleiding"),
        "work_experience_years": _("Jaren werkervaring"),
        "worked_last_2_years": _("Werkervaring in de laatste 2 jaar"),
        "dutch_level": _("Taalniveau Nederlands"),
        "health": _("Gezondheid"),
        "care_duties": _("Zorgtaken"),
        "debts": _("Schulden"),
        "social": _("Sociale situatie"),
        "benefit_months": _("Duur van de uitkering"),
        "ladder_step": _("Trede op de participatieladder"),
    }.get(factor, factor)


def effect_text(factor: str, months: float) -> str:
    """'Werkervaring in de laatste 2 jaar: -5 maanden' (a missing answer: 'onbekend, telt niet mee')."""
    if months != months:  # nan: the answer is missing
        return _("%(f)s: onbekend, telt niet mee") % {"f": factor_label(factor)}
    rounded = round(months)
    if rounded == 0:
        return _("%(f)s: geen verschil") % {"f": factor_label(factor)}
    return _("%(f)s: %(m)+d maanden") % {"f": factor_label(factor), "m": rounded}


def answers_problems(answers: dict, *, assessed_on) -> dict[str, list[str]]:
    """Check intake answers: {factor: {"value": v or None, "on": date or None}}. A known answer needs the date
    it is about, and that date cannot lie after the intake. A missing answer stays missing."""
    problems: dict[str, list[str]] = {}
    for factor, answer in answers.items():
        if factor not in ASKED and factor not in DERIVED:
            problems[factor] = [_("onbekende vraag")]
            continue
        if answer.get("value") is None:
            continue
        day = answer.get("on")
        if day is None:
            problems[factor] = [_("Vul de datum van dit antwoord in.")]
        elif day > assessed_on:
            problems[factor] = [_("De datum van dit antwoord ligt na de intake.")]
    return problems


def age_band(age: int) -> str:
    return "<27" if age < 27 else ("27-49" if age < 50 else "50+")


# The profile that "clients like this one" share, for the honest prospects: few factors, so that groups are
# large enough to say something, and each one a factor the caseworker recognises.
SIMILAR_BY = ("age_band", "education", "worked_last_2_years", "health")


def similar_key(profile: dict) -> str | None:
    """The similar-profile key of a profile, or None when one of its parts is unknown."""
    age = profile.get("age")
    parts = [age_band(int(age)) if age is not None else None]
    parts += [profile.get(f) for f in SIMILAR_BY[1:]]
    if any(p is None for p in parts):
        return None
    parts[2] = int(parts[2])
    return "|".join(str(p) for p in parts)


def route_obligations(route: str, mapping: dict) -> list[str]:
    """The obligations a route decision opens, from the rule set (local parameter route_obligations)."""
    return list(mapping.get(route, []))


def route_advice_vector(age, median_months, severe_health, *, threshold_months: float, youth_age: int):
    """route_advice for whole arrays (scoring a caseload, the fairness report): the same order of rules."""
    import numpy as np

    age = np.asarray(age, dtype=float)
    median = np.asarray(median_months, dtype=float)
    severe = np.asarray(severe_health, dtype=bool)
    return np.select(
        [age < youth_age, severe, np.isnan(median), median <= threshold_months],
        ["youth", "exemption_review", "", "work"],
        "participation",
    )
