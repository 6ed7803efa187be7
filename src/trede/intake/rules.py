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
    reason: str


def route_advice(
    *,
    age: int,
    median_months: float | None,
    severe_health: bool,
    threshold_months: float,
    youth_age: int,
) -> Advice:
    if age < youth_age:
        return Advice(
            "youth", _("jonger dan %(age)d: eigen jongerenaanpak met zoektermijn van 4 weken") % {"age": youth_age}
        )
    if severe_health:
        return Advice("exemption_review", _("ernstige gezondheidsbeperkingen: eerst beoordelen of een ontheffing past"))
    if median_months is None:
        return Advice(None, _("geen schatting mogelijk: de klantmanager beslist zonder advies"))
    facts = {"m": median_months, "t": threshold_months}
    if median_months <= threshold_months:
        return Advice("work", _("geschatte tijd tot werk %(m).0f maanden, niet meer dan %(t).0f") % facts)
    return Advice("participation", _("geschatte tijd tot werk %(m).0f maanden, meer dan %(t).0f") % facts)


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
