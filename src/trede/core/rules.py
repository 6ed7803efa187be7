"""Pure rules of the shared kernel: no ORM, no Django models. Each carries its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

# --------------------------------------------------------------------------------------------------
# BSN


def bsn_is_valid(value: str) -> bool:
    """Elfproef for the burgerservicenummer.

    Source: Wet algemene bepalingen burgerservicenummer; Logius specification of the BSN check:
    S = 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9; valid iff S mod 11 == 0.
    A number of all zeros passes the sum but is never issued, so it is refused.
    """
    if not isinstance(value, str) or len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    if value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(w * d for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), digits, strict=True))
    return total % 11 == 0


def bsn_problem(value: str) -> str | None:
    """Return a plain-language reason why `value` is not a valid BSN, or None when it is valid."""
    from django.utils.translation import gettext as _

    if not value:
        return _("Vul een BSN in.")
    if not value.isascii() or not value.isdigit():
        return _("Een BSN bestaat alleen uit cijfers.")
    if len(value) != 9:
        return _("Een BSN heeft precies 9 cijfers; u vulde er %(n)d in.") % {"n": len(value)}
    if value == "000000000":
        return _("Een BSN kan niet uit alleen nullen bestaan.")
    if not bsn_is_valid(value):
        return _("Dit BSN klopt niet (de elfproef faalt). Controleer het nummer op typefouten.")
    return None


# --------------------------------------------------------------------------------------------------
# Rule-set parameters: every parameter that a rule set may hold, with its scope and type.


@dataclass(frozen=True)
class Parameter:
    scope: str  # "legal" or "local"
    kind: type
    description: str
    choices: tuple[str, ...] = ()  # for a text parameter: the values it may take


PARAMETERS: dict[str, Parameter] = {
    # legal
    "obligation_min_age": Parameter("legal", int, "Age from which art. 9 obligations apply (Participatiewet art. 9)"),
    "exemption_grounds": Parameter(
        "legal",
        dict,
        "Per legal ground of an exemption: the obligations it may lift, its article, the maximum duration in "
        "months and the re-examination interval in months (Participatiewet art. 9, 9a, 18b)",
    ),
    "language_requirement_level": Parameter("legal", str, "Required Dutch level (art. 18b)"),
    "objection_term_weeks": Parameter("legal", int, "Objection term in weeks (Awb 6:7)"),
    "youth_age": Parameter(
        "legal", int, "Clients younger than this follow the youth route with its search period (art. 41 lid 4)"
    ),
    "youth_search_weeks": Parameter("legal", int, "Weeks a young applicant first searches for work (art. 41 lid 4)"),
    # local
    "contact_norm_days": Parameter("local", int, "Maximum days between two contacts with a client"),
    "due_horizon_days": Parameter("local", int, "How far ahead the due list looks for reviews and end dates"),
    "exemption_review_months": Parameter(
        "local", int, "Default re-examination interval for exemptions where the law sets none (art. 9 lid 2)"
    ),
    "caseload_norm": Parameter("local", int, "Number of clients per full-time caseworker"),
    "route_threshold_months": Parameter(
        "local", int, "Estimated months to work above which the advice is activation and participation ('de knip')"
    ),
    "route_review_months": Parameter("local", int, "Months after a route decision until the route is reviewed"),
    "route_obligations": Parameter("local", dict, "Per route: the obligations a route decision opens"),
    "campaign_cohort_size": Parameter("local", int, "Default number of clients in one cohort of a campaign"),
    "talk_minutes": Parameter("local", int, "Minutes a caseworker needs for one invitation talk"),
    "talk_hours_share_pct": Parameter(
        "local", int, "Share of a caseworker's hours available for invitation talks, in percent"
    ),
    "fairness_tolerance_pct": Parameter(
        "local", int, "Difference in percentage points between a group and everyone that the model page flags"
    ),
    "tegenprestatie_policy": Parameter(
        "local",
        str,
        "Whether the municipality enforces the tegenprestatie (art. 8a/9 lid 1c): enforced, voluntary, not_enforced",
        ("enforced", "voluntary", "not_enforced"),
    ),
    "follow_up_months": Parameter("local", int, "Months between follow-up contacts with a client who is active"),
    "exit_follow_up_months": Parameter(
        "local", list, "Months after an exit to work at which the client is followed up (still working? off benefit?)"
    ),
    # employer services (Participatiewet art. 8a lid 2 d, art. 10d; Wet minimumloon en minimumvakantiebijslag)
    "trial_placement_months": Parameter("legal", int, "Longest trial placement (proefplaats), art. 8a lid 2 d"),
    "trial_extension_months": Parameter("legal", int, "Longest extension of a trial placement, art. 8a lid 2 d"),
    "minimum_wage_hourly_cents": Parameter("legal", int, "Statutory minimum wage per hour (21+), in euro cents"),
    "holiday_pay_pct": Parameter("legal", int, "Statutory holiday pay on top of the wage, in percent"),
    "wage_subsidy_cap_pct": Parameter(
        "legal", int, "Wage subsidy cap, percent of minimum wage + holiday pay (art. 10d)"
    ),
    "wage_subsidy_flat_pct": Parameter(
        "legal", int, "Flat wage subsidy while the wage value is not assessed (art. 10d)"
    ),
    "wage_subsidy_flat_months": Parameter("legal", int, "Longest period of the flat wage subsidy (art. 10d)"),
    "max_travel_minutes_per_day": Parameter(
        "legal", int, "Longest travel time a day, there and back, for generally accepted work (art. 9 lid 1a)"
    ),
    "match_weights": Parameter(
        "local",
        dict,
        "Weights of the matching score's parts (experience, preference, education, language, hours, "
        "travel), in points; they are normalised to sum 1",
    ),
    "travel_speed_kmh": Parameter("local", int, "Door-to-door speed used to estimate travel time in matching"),
    "travel_detour_pct": Parameter("local", int, "Route length as a percentage of the straight line (matching)"),
    "travel_overhead_minutes": Parameter("local", int, "Minutes per trip for walking and waiting (matching)"),
    # sanctions (Participatiewet art. 18, 18b; Awb 4:8, 6:7, 7:10)
    "sanction_repeat_window_months": Parameter(
        "legal", int, "A breach counts as a repeat when one of the same category fell within this many months"
    ),
    "sanction_uniform": Parameter(
        "legal",
        dict,
        "Art. 18 lid 4-8 (uniform work obligations): percentage and the range of months the ordinance may set "
        "({'pct': 100, 'min_months': 1, 'max_months': 3})",
    ),
    "sanction_language_steps": Parameter(
        "legal", dict, "Art. 18b: reduction steps for not meeting the language requirement ({'1': [20, 6], ...})"
    ),
    "sanction_reconsider_months": Parameter(
        "legal", int, "Reconsider a sanction within this many months (art. 18 lid 3)"
    ),
    "objection_decision_weeks": Parameter("legal", int, "Term to decide on an objection in weeks (Awb 7:10 lid 1)"),
    "objection_extension_weeks": Parameter("legal", int, "Longest extension of that term in weeks (Awb 7:10 lid 3)"),
    "objection_committee_decision_weeks": Parameter(
        "legal", int, "Term to decide on an objection in weeks with an advisory committee (Awb 7:10 lid 1, 7:13)"
    ),
    "objection_advisory_committee": Parameter(
        "local",
        str,
        "Whether an independent advisory committee advises on objections (Awb 7:13): yes or no",
        ("yes", "no"),
    ),
    "sanction_tiers": Parameter(
        "local",
        dict,
        "Sanctions ordinance, art. 18 lid 2: per breach number within the repeat window [percentage, months] "
        "({'1': [5, 1], '2': [30, 1], '3': [100, 1]})",
    ),
    "sanction_uniform_months": Parameter(
        "local", dict, "Sanctions ordinance, art. 18 lid 5-7: months of the 100% reduction per breach number"
    ),
    "hearing_term_days": Parameter("local", int, "Days the client has to give their view (zienswijze, Awb 4:8)"),
    "benefit_norm_cents": Parameter(
        "legal",
        dict,
        "Monthly benefit norms in euro cents per norm (art. 21, 22a Participatiewet; cost-sharer: two cost-sharers)",
    ),
}


class RuleSetError(ValueError):
    pass


def ruleset_parameters_problems(scope: str, parameters: dict[str, Any]) -> list[str]:
    """Check a rule set's parameters against the registry; return a list of problems (empty when fine)."""
    problems = []
    for key, value in parameters.items():
        spec = PARAMETERS.get(key)
        if spec is None:
            problems.append(f"{key}: unknown parameter")
        elif spec.scope != scope:
            problems.append(f"{key}: belongs in a {spec.scope} rule set")
        elif not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
            problems.append(f"{key}: must be of type {spec.kind.__name__}")
        elif spec.kind is int and value <= 0:
            problems.append(f"{key}: must be a positive number")
        elif key == "match_weights" and not (
            all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values())
            and sum(value.values()) > 0
        ):
            problems.append(f"{key}: weights must be whole numbers of 0 or more, not all 0")
        elif spec.kind is list and not all(isinstance(x, int) and not isinstance(x, bool) and x > 0 for x in value):
            problems.append(f"{key}: must be a list of positive numbers")
        elif spec.choices and value not in spec.choices:
            problems.append(f"{key}: must be one of {', '.join(spec.choices)}")
    return problems


# --------------------------------------------------------------------------------------------------
# Who may open which dossier


class Access(Enum):
    NONE = 0
    READ = 1
    WRITE = 2


def dossier_access(*, role: str, is_own_client: bool, is_team_client: bool) -> Access:
    """What a user may do with one client's dossier.

    Caseworker: write on the own caseload, read-only on the team's. Team lead: write on the team's clients
    (supervision, reassignment). Policy analyst, functional administrator and auditor: never a dossier
    (aggregates, rule sets and logs respectively).
    """
    if role == "caseworker":
        if is_own_client:
            return Access.WRITE
        return Access.READ if is_team_client else Access.NONE
    if role == "team_lead":
        return Access.WRITE if is_team_client else Access.NONE
    return Access.NONE


# --------------------------------------------------------------------------------------------------
# Small helpers used by many rules


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def bsn_with_check_digit(prefix: int) -> str | None:
    """The valid BSN that starts with the 8 digits of `prefix`, or None when no last digit makes it valid.

    For synthetic data and tests only: trede never invents a real person's number.
    """
    head = f"{prefix:08d}"
    if len(head) != 8:
        raise ValueError("prefix must have at most 8 digits")
    s = sum(w * int(c) for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2), head, strict=True))
    last = s % 11
    if last == 10:
        return None
    candidate = head + str(last)
    return candidate if candidate != "000000000" else None
