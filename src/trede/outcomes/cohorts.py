"""Cohort (survival) views of the dashboard: for the people whose benefit started in a quarter, the share still on
benefit month by month (Kaplan-Meier with a 95% band), split by route or district; and for the people who left in a
quarter, the share not (yet) back on benefit. Durations in months of 30.44 days; a spell still running today is
censored at today. Each curve is shown only while at least SMALL_GROUP people are still at risk, and a group of
fewer than SMALL_GROUP people is not shown at all: no curve step reveals fewer than that many people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from trede.activation.dashboard import ROUTE_LABELS
from trede.caseload.models import Assignment
from trede.clients.models import BenefitPeriod, District
from trede.core.privacy import SMALL_GROUP
from trede.intake.models import DecisionStatus, RouteDecision
from trede.outcomes.dashboard import Selection, _years_before
from trede.outcomes.exports import quarter_bounds
from trede.stats.survival import km_curve

MONTH_DAYS = 30.4375
SPLITS = ("route", "district")


def _selected(qs, sel: Selection, today: dt.date, client: str = "client"):
    if sel.district_id is not None:
        qs = qs.filter(**{f"{client}__district_id": sel.district_id})
    if sel.household is not None:
        qs = qs.filter(**{f"{client}__household__kind": sel.household})
    if sel.age_band is not None:
        born_27, born_50 = _years_before(today, 27), _years_before(today, 50)
        qs = qs.filter(
            **{
                "<27": {f"{client}__birth_date__gt": born_27},
                "27-49": {f"{client}__birth_date__gt": born_50, f"{client}__birth_date__lte": born_27},
                "50+": {f"{client}__birth_date__lte": born_50},
            }[sel.age_band]
        )
    if sel.team_id is not None:
        current = Assignment.objects.filter(
            client_id=OuterRef(f"{client}_id"), team_id=sel.team_id, start_on__lte=today
        )
        qs = qs.filter(Exists(current.filter(Q(end_on__isnull=True) | Q(end_on__gte=today))))
    return qs


def _route_now(today: dt.date):
    return Coalesce(
        Subquery(
            RouteDecision.objects.filter(
                client_id=OuterRef("client_id"), status=DecisionStatus.IN_FORCE, decided_on__lte=today
            )
            .order_by("-decided_on", "-id")
            .values("route")[:1]
        ),
        Value("none"),
    )


def spells_on_benefit(today: dt.date, year: int, quarter: int, sel: Selection, split: str) -> list[tuple]:
    """(group, days, ended) per benefit period that started in the quarter."""
    first, last = quarter_bounds(year, quarter)
    qs = _selected(BenefitPeriod.objects.filter(start_on__gte=first, start_on__lte=min(last, today)), sel, today)
    group = _route_now(today) if split == "route" else Coalesce(F("client__district_id"), Value(0))
    if sel.route is not None:
        qs = qs.annotate(route_now=_route_now(today)).filter(route_now=sel.route)
    rows = qs.annotate(group=group).values_list("group", "start_on", "end_on")
    return [(g, ((min(e, today) if e else today) - s).days, int(e is not None and e <= today)) for g, s, e in rows]


def spells_off_benefit(today: dt.date, year: int, quarter: int, sel: Selection, split: str) -> list[tuple]:
    """(group, days, came back) per benefit period that ended in the quarter: the time to the next period."""
    first, last = quarter_bounds(year, quarter)
    qs = _selected(BenefitPeriod.objects.filter(end_on__gte=first, end_on__lte=min(last, today)), sel, today)
    nxt = BenefitPeriod.objects.filter(client_id=OuterRef("client_id"), start_on__gt=OuterRef("end_on"))
    qs = qs.annotate(next_start=Subquery(nxt.values("client_id").annotate(m=Min("start_on")).values("m")[:1]))
    if sel.route is not None:
        qs = qs.annotate(route_now=_route_now(today)).filter(route_now=sel.route)
    group = _route_now(today) if split == "route" else Coalesce(F("client__district_id"), Value(0))
    rows = qs.annotate(group=group).values_list("group", "end_on", "next_start")
    out = []
    for g, end, back in rows:
        came_back = back is not None and back <= today
        out.append((g, ((back if came_back else today) - end).days, int(came_back)))
    return out


@dataclass
class CurveRow:
    month: int
    survival: float  # 0..100
    lower: float
    upper: float
    at_risk: int


@dataclass
class Curve:
    key: str
    label: str
    n: int | None  # None: too few people to show
    events: int | None
    rows: list[CurveRow]
    median: float | None  # months; None when not reached (or hidden)


def curves(spells: list[tuple], labels: dict, *, months: int = 24) -> list[Curve]:
    """One curve per group and one for everyone, month by month, cut where fewer than SMALL_GROUP are at risk."""
    if not spells:
        return []
    groups = np.array([str(g) for g, _d, _e in spells], dtype=object)
    days = np.array([d for _g, d, _e in spells], dtype="float64")
    events = np.array([e for _g, _d, e in spells], dtype="int64")
    out = []
    keys = sorted(set(groups.tolist()), key=lambda k: str(labels.get(k, k)))
    for key in [*keys, ""]:
        mask = groups == key if key else np.ones(len(groups), dtype=bool)
        n = int(mask.sum())
        label = str(labels.get(key, key)) if key else ""
        if n < SMALL_GROUP:
            out.append(Curve(key, label, None, None, [], None))
            continue
        curve = km_curve(days[mask] / MONTH_DAYS, events[mask], times=np.arange(0, months + 1, dtype="float64"))
        rows = []
        for t, s, lo, hi, risk, _ev, _c in curve.rows():
            if risk < SMALL_GROUP:
                break
            rows.append(CurveRow(int(t), 100 * s, 100 * lo, 100 * hi, int(risk)))
        median = curve.median if np.isfinite(curve.median) and rows and curve.median <= rows[-1].month else None
        out.append(Curve(key, label, n, int(events[mask].sum()), rows, median))
    return out


def cohort_figures(today: dt.date, year: int, quarter: int, sel: Selection, split: str = "route") -> dict:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    labels = (
        {k: str(v) for k, v in ROUTE_LABELS.items()}
        if split == "route"
        else {str(pk): name for pk, name in District.objects.values_list("pk", "name")} | {"0": "?"}
    )
    return {
        "on_benefit": curves(spells_on_benefit(today, year, quarter, sel, split), labels),
        "off_benefit": curves(spells_off_benefit(today, year, quarter, sel, split), labels),
    }


__all__ = ["cohort_figures", "curves", "quarter_bounds"]
