"""Pure rules about obligations and exemptions. The legal grounds and their limits come from the dated rule set
(parameter "exemption_grounds", Participatiewet art. 9 lid 2, 4, 5, art. 9a and art. 18b)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trede.core.rules import add_months, add_years, age_on


def periods_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Two inclusive date periods overlap; an end of None means open-ended."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date | None


def covers(period: Period, day: dt.date) -> bool:
    return period.start <= day and (period.end is None or day <= period.end)


def is_exempt_in(periods: Iterable[Period], day: dt.date) -> bool:
    """Pure counterpart of obligations.selectors.is_exempt for facts already in memory."""
    return any(covers(p, day) for p in periods)


def default_review_on(*, ground: str, start_on: dt.date, grounds: dict, local_review_months: int) -> dt.date:
    """The review date to propose: the legal interval of the ground (art. 9a: 6 months), else the local one."""
    months = grounds[ground].get("review_months") or local_review_months
    return add_months(start_on, months)


def exemption_problems(
    *,
    obligation: str,
    ground: str,
    start_on: dt.date,
    end_on: dt.date | None,
    review_on: dt.date | None,
    grounds: dict,
    single_parent: bool,
    child_birth_dates: Iterable[dt.date],
    same_ground_before: int,
    existing: Iterable[Period],
) -> dict[str, list[str]]:
    """Everything wrong with a proposed exemption, per field; empty when it may be granted.

    - the ground must be one the rule set knows and it must lift this obligation;
    - an end date or a review date, neither before the start;
    - art. 9a: single parent with a child under 5 on the start date, granted once, at most 5 years
      (max_months), re-examined every 6 months (review_months): the review date at most 6 months ahead;
    - art. 9 lid 4: single parent with a child under 12;
    - no overlap with another exemption from the same obligation.
    """
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    spec = grounds.get(ground)
    if spec is None:
        add("ground", _("Deze grond kent de regelset op de ingangsdatum niet."))
        return problems
    if obligation not in spec["obligations"]:
        add(
            "ground",
            _("Op deze grond (%(article)s) kan geen ontheffing van deze verplichting worden gegeven.")
            % {"article": spec["article"]},
        )
    if end_on is None and review_on is None:
        add("end_on", _("Vul een einddatum of een datum voor herbeoordeling in."))
    if end_on is not None and end_on < start_on:
        add("end_on", _("De einddatum ligt vóór de ingangsdatum."))
    if review_on is not None and review_on < start_on:
        add("review_on", _("De herbeoordeling ligt vóór de ingangsdatum."))
    if spec.get("max_months"):
        latest_end = add_months(start_on, spec["max_months"]) - dt.timedelta(days=1)
        if end_on is None or end_on > latest_end:
            add(
                "end_on",
                _("Deze ontheffing duurt ten hoogste %(months)d maanden (%(article)s): einddatum uiterlijk %(date)s.")
                % {
                    "months": spec["max_months"],
                    "article": spec["article"],
                    "date": latest_end.strftime("%d-%m-%Y"),
                },
            )
    if spec.get("review_months"):
        latest_review = add_months(start_on, spec["review_months"])
        if review_on is None or review_on > latest_review:
            add(
                "review_on",
                _("Herbeoordeel deze ontheffing uiterlijk na %(months)d maanden (%(article)s): op of vóór %(date)s.")
                % {
                    "months": spec["review_months"],
                    "article": spec["article"],
                    "date": latest_review.strftime("%d-%m-%Y"),
                },
            )
    if spec.get("once") and same_ground_before > 0:
        add(
            "ground",
            _("Deze ontheffing (%(article)s) wordt maar één keer gegeven en is al eerder verleend.")
            % {"article": spec["article"]},
        )
    if review_on is not None and end_on is not None and review_on > end_on:
        add("review_on", _("De herbeoordeling ligt na de einddatum."))
    if spec.get("child_under"):
        limit = spec["child_under"]
        young = [b for b in child_birth_dates if b <= start_on and age_on(b, start_on) < limit]
        if not single_parent or not young:
            add(
                "ground",
                _(
                    "Deze grond geldt alleen voor een alleenstaande ouder met een kind jonger dan "
                    "%(age)d jaar op de ingangsdatum (%(article)s). Leg het huishouden eerst vast."
                )
                % {"age": limit, "article": spec["article"]},
            )
        else:
            # the ground lapses on the day the youngest such child reaches the age limit
            lapses = add_years(max(young), limit) - dt.timedelta(days=1)
            if end_on is None or end_on > lapses:
                add(
                    "end_on",
                    _(
                        "Deze grond vervalt als het jongste kind %(age)d wordt (%(article)s): einddatum uiterlijk "
                        "%(date)s."
                    )
                    % {"age": limit, "article": spec["article"], "date": lapses.strftime("%d-%m-%Y")},
                )
    end = end_on
    for other in existing:
        if periods_overlap(start_on, end, other.start, other.end):
            until = other.end.strftime("%d-%m-%Y") if other.end else _("onbepaalde tijd")
            add(
                "start_on",
                _(
                    "Er is al een ontheffing van deze verplichting van %(start)s tot %(end)s. "
                    "Beëindig die eerst of kies andere data."
                )
                % {"start": other.start.strftime("%d-%m-%Y"), "end": until},
            )
            break
    return problems


def review_problems(
    *,
    start_on: dt.date,
    effective_end: dt.date | None,
    reviewed_on: dt.date,
    next_review_on: dt.date,
    today: dt.date,
    review_months: int | None,
    article: str,
) -> dict[str, list[str]]:
    """What is wrong with recording a re-examination of an exemption (art. 9a: at most 6 months to the next)."""
    problems: dict[str, list[str]] = {}
    if reviewed_on > today:
        problems.setdefault("reviewed_on", []).append(_("De datum van herbeoordeling ligt in de toekomst."))
    if reviewed_on < start_on or (effective_end is not None and reviewed_on > effective_end):
        problems.setdefault("reviewed_on", []).append(_("Op deze datum liep de ontheffing niet."))
    if next_review_on <= reviewed_on:
        problems.setdefault("next_review_on", []).append(_("De volgende herbeoordeling moet later zijn."))
    if review_months and next_review_on > add_months(reviewed_on, review_months):
        problems.setdefault("next_review_on", []).append(
            _("Herbeoordeel deze ontheffing uiterlijk na %(months)d maanden (%(article)s).")
            % {"months": review_months, "article": article}
        )
    if effective_end is not None and next_review_on > effective_end:
        problems.setdefault("next_review_on", []).append(_("De ontheffing is dan al afgelopen."))
    return problems
