"""Figures for policy analysts and team leads: SQL aggregates only, never a name or BSN, small groups suppressed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery

from trede.clients.models import BenefitPeriod, Client, District, LadderMeasurement
from trede.core.privacy import suppress_table
from trede.obligations.selectors import exempt_expression


@dataclass
class DistrictRow:
    district: str
    total: int | None
    exempt: int | None
    steps: list[int | None]
    unmeasured: int | None


def on_benefit(today: dt.date):
    """Clients with a benefit period that runs on `today`."""
    running = BenefitPeriod.objects.filter(start_on__lte=today).filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
    return Client.objects.filter(pk__in=running.values("client_id"))


def caseload_overview(today: dt.date) -> tuple[list[DistrictRow], DistrictRow]:
    """Per district: clients on benefit, how many are exempt from the work obligation, and the latest ladder step.

    One aggregate query; every cell passes the shared small-group suppression.
    """
    latest_step = Subquery(
        LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=today)
        .order_by("-measured_on", "-id")
        .values("step")[:1],
        output_field=IntegerField(),
    )
    qs = (
        on_benefit(today)
        .annotate(step=latest_step, exempt=exempt_expression(obligation="work_obligation", on=today))
        .values("district_id")
        .annotate(
            total=Count("id"),
            exempt_n=Count("id", filter=Q(exempt=True)),
            unmeasured=Count("id", filter=Q(step__isnull=True)),
            **{f"step{s}": Count("id", filter=Q(step=s)) for s in range(1, 7)},
        )
        .order_by()
    )
    names = dict(District.objects.values_list("id", "name"))
    raw = sorted(qs, key=lambda r: names.get(r["district_id"], ""))
    columns = [f"step{s}" for s in range(1, 7)] + ["unmeasured"]
    # the steps and "not measured" add up to the people on benefit: one table with its margins
    by_step = suppress_table([[r[c] for c in columns] for r in raw], columns=len(columns))
    # the exempt counts add up over the districts to their own total
    exempt = suppress_table([[r["exempt_n"]] for r in raw], columns=1)
    rows = [
        DistrictRow(
            district=names.get(r["district_id"], "?"),
            total=by_step.row_totals[i],
            exempt=exempt.cells[i][0],
            steps=by_step.cells[i][:6],
            unmeasured=by_step.cells[i][6],
        )
        for i, r in enumerate(raw)
    ]
    total = DistrictRow(
        district="",
        total=by_step.total,
        exempt=exempt.total,
        steps=by_step.column_totals[:6],
        unmeasured=by_step.column_totals[6],
    )
    return rows, total


ROUTES = ("youth", "work", "participation", "exemption_review")


@dataclass
class RouteRow:
    district: str
    total: int | None
    routes: list[int | None]  # in ROUTES order
    none: int | None  # no route decided yet


def route_overview(today: dt.date) -> tuple[list[RouteRow], RouteRow]:
    """Per district: clients on benefit by the route in force (how many are in activation only — "de knip" —
    and how many have no route yet). One aggregate query; small groups suppressed with their margins."""
    from trede.intake.selectors import route_expression

    qs = (
        on_benefit(today)
        .annotate(route=route_expression())
        .values("district_id")
        .annotate(
            none=Count("id", filter=Q(route__isnull=True)),
            **{r: Count("id", filter=Q(route=r)) for r in ROUTES},
        )
        .order_by()
    )
    names = dict(District.objects.values_list("id", "name"))
    raw = sorted(qs, key=lambda r: names.get(r["district_id"], ""))
    table = suppress_table([[r[c] for c in (*ROUTES, "none")] for r in raw], columns=len(ROUTES) + 1)
    rows = [
        RouteRow(names.get(r["district_id"], "?"), table.row_totals[i], table.cells[i][:-1], table.cells[i][-1])
        for i, r in enumerate(raw)
    ]
    return rows, RouteRow("", table.total, table.column_totals[:-1], table.column_totals[-1])
