"""Activation benchmark (issue 5), used by bench/run.py: the activation dashboard on the whole generated
municipality (share active month by month for 24 month-ends, per district and route, and the Kaplan-Meier durations).

The generated municipality has route decisions in force for most clients on benefit (trede synth makes them, with
earlier ones for some: a change of route), so the split by route is timed on real rows; their number is reported.

Then the page as a policy analyst, in-process with Django's test client: warm-up requests (the first loads
lifelines), then `requests` timed ones (p50, p95, SQL queries), the same with a district and a route chosen, and the
two reads apart (the month masks of the caseload; the participation spells with their Kaplan-Meier fits).
Budget: the page < 2 s (p95) on PostgreSQL at 400,000 clients.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 - bench/common.py, beside this file

PAGE_BUDGET_S = 2.0
ANALYST_USERNAME = "bench-beleid"


@dataclass
class ActivationResult:
    p50_s: float | None = None
    p95_s: float | None = None
    queries: int | None = None
    filtered_p50_s: float | None = None
    filtered_p95_s: float | None = None
    filtered_label: str = ""
    masks_s: float | None = None  # caseload_masks: the month masks of the four sources (four reads), joined
    mask_clients: int = 0
    spells_s: float | None = None  # spell_figures: the spells grouped (one query) + Kaplan-Meier per kind
    spells: int = 0
    route_decisions: int = 0  # in force, as generated
    reads_apart: bool = False  # PostgreSQL: the five reads ran on their own connections (not in `queries`)
    clients_on_benefit: int = 0
    share_first: float | None = None
    share_last: float | None = None
    months: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.p95_s is None:
            return ""
        return "ok" if self.p95_s < PAGE_BUDGET_S else "OVER BUDGET"


def route_decisions() -> int:
    """The route decisions in force that the generator made (the split by route runs on them)."""
    from trede.intake.models import RouteDecision

    return RouteDecision.objects.filter(status="in_force").count()


def run(today: dt.date, *, requests: int = 10) -> ActivationResult:
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client as HttpClient
    from django.urls import reverse

    from trede.activation import dashboard
    from trede.clients.models import District
    from trede.outcomes.selectors import on_benefit

    result = ActivationResult()
    result.reads_apart = connection.vendor == "postgresql" and not connection.in_atomic_block
    result.route_decisions = route_decisions()
    result.clients_on_benefit = on_benefit(today).count()
    http = HttpClient()
    http.force_login(common.user_of_role(ANALYST_USERNAME, "policy_analyst"))
    url = reverse("activation-dashboard")
    times, result.queries = common.time_page(http, url, requests)
    result.p50_s, result.p95_s = statistics.median(times), common.percentile(times, 0.95)

    running = Q(clients__benefit_periods__end_on__isnull=True)
    largest = District.objects.annotate(n=Count("clients", filter=running)).order_by("-n", "pk").first()
    if largest is not None:
        times, _q = common.time_page(http, f"{url}?wijk={largest.pk}&route=participation", max(3, requests // 2))
        result.filtered_p50_s, result.filtered_p95_s = statistics.median(times), common.percentile(times, 0.95)
        result.filtered_label = f"district {largest.name}, route participation"

    t0 = time.perf_counter()
    ends, rows = dashboard.caseload_masks(today)
    result.masks_s = time.perf_counter() - t0
    result.mask_clients = len(rows)
    since = ends[-1].replace(day=1)
    since = since.replace(year=since.year - dashboard.DURATION_YEARS)
    t0 = time.perf_counter()
    _kinds, everything = dashboard.spell_figures(today, since)
    result.spells_s = time.perf_counter() - t0
    result.spells = everything.spells or 0
    figures = dashboard.activation_figures(today)
    cells = figures.scope.cells
    result.share_first, result.share_last = cells[0].share, cells[-1].share
    result.months = [f"{ends[0]:%Y-%m-%d}", f"{ends[-1]:%Y-%m-%d}"]
    return result


def report(result: ActivationResult) -> list[str]:
    if result.p95_s is None:
        return [f"  not measured: {result.note}"]

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.1f}%"

    lines = [
        f"  {'dashboard page p50 / p95':<34}{result.p50_s:>8.2f} s / {result.p95_s:.2f} s   < {PAGE_BUDGET_S:.0f} s"
        f"  {result.verdict}   ({result.queries} queries"
        + ("; the five reads on their own connections, at the same time)" if result.reads_apart else ")"),
    ]
    if result.filtered_p95_s is not None:
        lines.append(
            f"  {'  with a district and a route':<34}{result.filtered_p50_s:>8.2f} s / {result.filtered_p95_s:.2f} s"
            f"   ({result.filtered_label})"
        )
    lines += [
        f"  {'  month masks (four reads)':<34}{result.masks_s:>8.2f} s     {result.mask_clients:,} clients on "
        "benefit on one of the month-ends",
        f"  {'  durations (one read + KM)':<34}{result.spells_s:>8.2f} s     {result.spells:,} spells",
        f"  {'data':<34}{result.clients_on_benefit:>8,}     on benefit today; {result.route_decisions:,} route "
        f"decisions in force (generated); share active {pct(result.share_first)} on {result.months[0]}, "
        f"{pct(result.share_last)} on {result.months[1]}",
    ]
    return lines
