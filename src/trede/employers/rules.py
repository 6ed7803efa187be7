"""Pure rules of employer services: when a vacancy is complete enough to publish, the referral's states, the legal
limits of a trial placement (Participatiewet art. 8a lid 2 d), the wage subsidy (art. 10d), a climbing job's promised
training, and the follow-up moments after an exit to work. No ORM: the facts come from the caller."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from trede.core.rules import add_months

# --- vacancy completeness ----------------------------------------------------------------------------------------
# field -> what the adviser reads when it is missing. A vacancy lacking any of these is not shown to caseworkers or
# clients: the documented failure is a vacancy without wage, hours or a contact person.
REQUIRED = {
    "wage": _("het loon (bruto uurloon of cao-schaal)"),
    "hours_per_week": _("de uren per week"),
    "contract_type": _("de soort contract"),
    "contract_months": _("de duur van het contract"),
    "tasks": _("de taken"),
    "occupation": _("het beroep (ISCO-code)"),
    "education": _("de opleiding die nodig is"),
    "physical_load": _("de lichamelijke belasting"),
    "location": _("de werkplek"),
    "start_on": _("de startdatum"),
    "contact": _("een contactpersoon"),
}


def vacancy_missing(v: dict) -> list[str]:
    """The keys of REQUIRED that a vacancy (as a dict of its fields) lacks; empty when it may be published."""
    missing = []
    if v.get("wage_min") in (None, "") and not (v.get("wage_scale") or "").strip():
        missing.append("wage")
    for key in ("hours_per_week", "start_on", "contact"):
        if v.get(key) in (None, ""):
            missing.append(key)
    for key in ("contract_type", "tasks", "occupation", "education", "physical_load", "location"):
        if not str(v.get(key) or "").strip():
            missing.append(key)
    if v.get("contract_type") and v.get("contract_type") != "permanent" and not v.get("contract_months"):
        missing.append("contract_months")
    return [k for k in REQUIRED if k in missing]


# --- the referral to an employer ---------------------------------------------------------------------------------
TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"sent", "withdrawn"}),
    "sent": frozenset({"interview", "not_hired", "withdrawn"}),
    "interview": frozenset({"trial_placement", "hired", "not_hired", "withdrawn"}),
    "trial_placement": frozenset({"hired", "not_hired"}),
    "hired": frozenset(),
    "not_hired": frozenset(),
    "withdrawn": frozenset(),
}
REASON_REQUIRED = frozenset({"not_hired", "withdrawn"})


def transition_problem(*, current: str, target: str, reason: str) -> str | None:
    if target not in TRANSITIONS:
        return str(_("Onbekende status."))
    if target not in TRANSITIONS.get(current, frozenset()):
        return str(_("Deze stap kan niet vanuit de huidige status van de verwijzing."))
    if target in REASON_REQUIRED and not (reason or "").strip():
        return str(_("Schrijf de reden op."))
    return None


# --- trial placement (art. 8a lid 2 d) ---------------------------------------------------------------------------


def trial_limits(start_on: dt.date, *, months: int, extension_months: int) -> tuple[dt.date, dt.date]:
    """The last day of a trial placement without and with the longest extension the law allows."""
    last = add_months(start_on, months) - dt.timedelta(days=1)
    last_extended = add_months(start_on, months + extension_months) - dt.timedelta(days=1)
    return last, last_extended


def trial_problems(
    *,
    start_on: dt.date,
    end_on: dt.date | None,
    extended_until: dt.date | None,
    intended_contract: str,
    months: int,
    extension_months: int,
) -> dict[str, str]:
    """What is wrong with a trial placement under the legal limits (field -> message)."""
    problems: dict[str, str] = {}
    last, last_extended = trial_limits(start_on, months=months, extension_months=extension_months)
    if end_on is None:
        problems["end_on"] = str(_("Een proefplaatsing heeft een einddatum."))
    elif end_on > last:
        problems["end_on"] = str(
            _("Een proefplaatsing duurt hoogstens %(n)d maanden: uiterlijk tot en met %(d)s.")
            % {"n": months, "d": last.strftime("%d-%m-%Y")}
        )
    if extended_until is not None:
        if end_on is not None and extended_until <= end_on:
            problems["extended_until"] = str(_("De verlenging moet na de einddatum liggen."))
        elif extended_until > last_extended:
            problems["extended_until"] = str(
                _("Verlengen kan met hoogstens %(n)d maanden: uiterlijk tot en met %(d)s.")
                % {"n": extension_months, "d": last_extended.strftime("%d-%m-%Y")}
            )
    if not (intended_contract or "").strip():
        problems["intended_contract"] = str(_("Schrijf op welk contract de werkgever na de proefplaatsing wil geven."))
    return problems


# --- wage subsidy (art. 10d) -------------------------------------------------------------------------------------
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
CENT = Decimal("0.01")


def wage_subsidy_monthly(
    *,
    hours_per_week: int,
    wage_value_pct: int | None,
    minimum_wage_hourly: Decimal,
    holiday_pay_pct: int,
    cap_pct: int,
    flat_pct: int,
) -> Decimal:
    """The monthly wage subsidy: minimum wage plus holiday pay minus the wage value, at most cap_pct (70%) of minimum
    wage plus holiday pay. While the wage value is not assessed (None): a flat flat_pct (50%), for at most 6 months
    (the caller checks the period). Part-time in proportion to the hours."""
    base = Decimal(hours_per_week) * WEEKS_PER_MONTH * minimum_wage_hourly * (1 + Decimal(holiday_pay_pct) / 100)
    if wage_value_pct is None:
        share = Decimal(flat_pct) / 100
    else:
        if not 0 <= wage_value_pct <= 100:
            raise ValueError("wage value is a percentage from 0 to 100")
        share = min(Decimal(100 - wage_value_pct), Decimal(cap_pct)) / 100
    return (base * share).quantize(CENT, rounding=ROUND_HALF_UP)


# --- climbing job --------------------------------------------------------------------------------------------------


def training_missed(*, training_due_on: dt.date | None, training_started_on: dt.date | None, on: dt.date) -> bool:
    """A climbing job whose promised training has not started by its date is flagged."""
    return training_due_on is not None and training_started_on is None and on > training_due_on


# --- follow-up after an exit to work -------------------------------------------------------------------------------


def follow_up_dates(exit_on: dt.date, months: list[int]) -> list[tuple[int, dt.date]]:
    return [(m, add_months(exit_on, m)) for m in sorted(set(months))]
