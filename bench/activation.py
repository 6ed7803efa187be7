"""Activation benchmark (issue 5), used by bench/run.py: the activation dashboard on the whole generated
municipality (share active month by month for 24 month-ends, per district and route, and the Kaplan-Meier durations).

The generated municipality has no route decisions (trede synth makes none). So that the split by route is timed on
real rows, ROUTE_SHARE of the clients on benefit first get a decision in force (young people the youth route, the
others work, participation or an exemption review by a fixed spread), and a fifth of those an earlier one with
another route (a change of route), written by two INSERT ... SELECT statements: a benchmark fixture, like the
campaign of bench/outreach.py. bench/run.py runs this last, so that no other measurement sees these decisions.

Then the page as a policy analyst, in-process with Django's test client: warm-up requests (the first loads
lifelines), then `requests` timed ones (p50, p95, SQL queries), the same with a district and a route chosen, and the
two reads apart (the month masks of the caseload; the participation spells with their Kaplan-Meier fits).
Budget: the page < 2 s (p95) on PostgreSQL at 400,000 clients.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass, field

PAGE_BUDGET_S = 2.0
ROUTE_SHARE_PCT = 70  # of the clients on benefit get a route decision in force
WARMUP = 2
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
    route_decisions: int = 0
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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def add_route_decisions(today: dt.date) -> int:
    """Route decisions in force for ROUTE_SHARE_PCT of the clients on benefit (two INSERT ... SELECT)."""
    from django.db import connection

    from trede.clients.models import BenefitPeriod, Client
    from trede.core.models import User
    from trede.core.rules import add_months
    from trede.intake.models import RouteDecision

    qn = connection.ops.quote_name
    by = User.objects.filter(role="team_lead").order_by("pk").values_list("pk", flat=True).first()
    if by is None:
        return 0
    rd, cl, bp = RouteDecision._meta, Client._meta, BenefitPeriod._meta

    def col(meta, name: str) -> str:
        return qn(meta.get_field(name).column)

    columns = ", ".join(
        col(rd, f)
        for f in (
            "client",
            "decided_on",
            "decided_by",
            "advised_route",
            "route",
            "reason",
            "status",
            "confirmation_note",
            "obligations",
        )
    )
    postgres = connection.vendor == "postgresql"

    def days_before(offset_sql: str) -> str:
        if postgres:
            return f"(CAST(%(today)s AS DATE) - CAST({offset_sql} AS INTEGER))"
        return f"date(%(today)s, '-' || ({offset_sql}) || ' days')"

    cid = f"c.{col(cl, 'id')}"
    route = f"""CASE WHEN c.{col(cl, "birth_date")} > %(young)s THEN 'youth'
        WHEN ({cid} * 7) %% 20 < 9 THEN 'participation'
        WHEN ({cid} * 7) %% 20 < 18 THEN 'work' ELSE 'exemption_review' END"""
    earlier = f"""CASE WHEN ({cid} * 7) %% 20 < 9 THEN 'work' ELSE 'participation' END"""
    running = f"""EXISTS (SELECT 1 FROM {qn(bp.db_table)} b WHERE b.{col(bp, "client")} = {cid}
        AND b.{col(bp, "start_on")} <= %(today)s AND b.{col(bp, "end_on")} IS NULL)"""
    params = {"today": today, "young": add_months(today, -12 * 27), "by": by, "share": ROUTE_SHARE_PCT}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {qn(rd.db_table)} ({columns})
            SELECT {cid}, {days_before(f"({cid} * 37) %% 700")}, %(by)s, '', {route}, '', 'in_force', '', '[]'
            FROM {qn(cl.db_table)} c WHERE ({cid} * 13) %% 100 < %(share)s AND {running}""",
            params,
        )
        n = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {qn(rd.db_table)} ({columns})
            SELECT {cid}, {days_before(f"({cid} * 37) %% 700 + 200")}, %(by)s, '', {earlier}, '', 'in_force', '', '[]'
            FROM {qn(cl.db_table)} c WHERE ({cid} * 13) %% 100 < %(share)s AND ({cid} * 13) %% 5 = 0 AND {running}""",
            params,
        )
        n += cursor.rowcount
        if postgres:
            cursor.execute(f"ANALYZE {qn(rd.db_table)}")
    return n


def analyst():
    from trede.core.models import User

    user = User.objects.filter(username=ANALYST_USERNAME).first()
    return user or User.objects.create_user(username=ANALYST_USERNAME, password=None, role="policy_analyst")


def _time_page(http, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = http.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        http.get(url, secure=True)
    queries = len(ctx.captured_queries)  # now: every request clears the log (request_started -> reset_queries)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        http.get(url, secure=True)
        times.append(time.perf_counter() - t0)
    return times, queries


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
    result.route_decisions = add_route_decisions(today)
    result.clients_on_benefit = on_benefit(today).count()
    http = HttpClient()
    http.force_login(analyst())
    url = reverse("activation-dashboard")
    times, result.queries = _time_page(http, url, requests)
    result.p50_s, result.p95_s = statistics.median(times), percentile(times, 0.95)

    running = Q(clients__benefit_periods__end_on__isnull=True)
    largest = District.objects.annotate(n=Count("clients", filter=running)).order_by("-n", "pk").first()
    if largest is not None:
        times, _q = _time_page(http, f"{url}?wijk={largest.pk}&route=participation", max(3, requests // 2))
        result.filtered_p50_s, result.filtered_p95_s = statistics.median(times), percentile(times, 0.95)
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
        f"decisions added for the split by route; share active {pct(result.share_first)} on {result.months[0]}, "
        f"{pct(result.share_last)} on {result.months[1]}",
    ]
    return lines
