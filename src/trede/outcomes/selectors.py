"""Figures for policy analysts and team leads: SQL aggregates only, never a name or BSN, small groups suppressed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery

from trede.clients.models import BenefitPeriod, Client, District, LadderMeasurement
from trede.core.privacy import suppress, suppress_row
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
    raw = {r["district_id"]: r for r in qs}
    rows = []
    sums = {"total": 0, "exempt_n": 0, "unmeasured": 0, **{f"step{s}": 0 for s in range(1, 7)}}
    for district_id, r in sorted(raw.items(), key=lambda kv: names.get(kv[0], "")):
        for k in sums:
            sums[k] += r[k]
        rows.append(_row(names.get(district_id, "?"), r))
    return rows, _row("", sums)


def _row(name: str, r: dict) -> DistrictRow:
    cells = suppress_row([r[f"step{s}"] for s in range(1, 7)] + [r["unmeasured"]])
    return DistrictRow(
        district=name, total=suppress(r["total"]), exempt=suppress(r["exempt_n"]), steps=cells[:6], unmeasured=cells[6]
    )
