"""Outcomes dashboard benchmark (issue 8), used by bench/run.py and runnable on its own against a database that
`trede synth` (or `bench/run.py --keep`) filled:

    TREDE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/trede_bench_lead TREDE_DEBUG=1 \\
        .venv/bin/python bench/outcomes.py [--requests N]

Measures, on the whole generated data set: the reads apart (every per-client read, on PostgreSQL at the same time on
their own connections), the NumPy counting apart, the dashboard page as a policy analyst in-process with Django's
test client (p50/p95 and SQL queries), the same with a district chosen, and the cohort page (Kaplan-Meier curves of
one quarter's inflow and outflow). Budgets: the whole national set (400,000 clients) < 5 s; one municipality of
35,000 < 1 s (measure that on a data set of 35,000 clients: `bench/run.py --clients 35000`, or this script on such a
database). The reads do not filter by district in SQL, so a district of a national set costs as much as the whole.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

NATIONAL_BUDGET_S = 5.0
MUNICIPALITY_BUDGET_S = 1.0
MUNICIPALITY = 35_000
WARMUP = 2
ANALYST_USERNAME = "bench-beleid"


@dataclass
class OutcomesResult:
    clients: int = 0  # clients in the data set
    on_benefit: int = 0
    reads_s: float | None = None
    count_s: float | None = None
    rows: int = 0
    p50_s: float | None = None
    p95_s: float | None = None
    queries: int | None = None
    district_p95_s: float | None = None
    district_label: str = ""
    cohort_p95_s: float | None = None
    cohort_label: str = ""
    note: str = ""

    @property
    def budget_s(self) -> float:
        return MUNICIPALITY_BUDGET_S if self.clients <= MUNICIPALITY * 1.2 else NATIONAL_BUDGET_S

    @property
    def verdict(self) -> str:
        if self.p95_s is None:
            return ""
        return "ok" if self.p95_s < self.budget_s else "OVER BUDGET"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def analyst():
    from trede.core.models import User

    user = User.objects.filter(username=ANALYST_USERNAME).first()
    return user or User.objects.create_user(username=ANALYST_USERNAME, password=None, role="policy_analyst")


def _time_page(http, url: str, requests: int) -> tuple[list[float], int]:
    """Warm-up, one request with its SQL statements counted on this connection (a read on a connection of its own
    runs one statement there: counted apart in the report), then `requests` timed ones."""
    from django.db import connection

    for _ in range(WARMUP):
        response = http.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        http.get(url, secure=True)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        http.get(url, secure=True)
        times.append(time.perf_counter() - t0)
    return times, len(statements)


def run(today: dt.date | None = None, *, requests: int = 10) -> OutcomesResult:
    from django.db.models import Count, Q
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from trede.clients.models import Client, District
    from trede.outcomes import dashboard
    from trede.outcomes.selectors import on_benefit

    today = today or timezone.localdate()
    result = OutcomesResult(clients=Client.objects.count(), on_benefit=on_benefit(today).count())
    t0 = time.perf_counter()
    ends, got = dashboard.reads(today)
    result.reads_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = dashboard.join(ends, got)
    dashboard.figures_of(frame, today, dashboard.Selection())
    result.count_s = time.perf_counter() - t0
    result.rows = len(frame.ids)

    http = HttpClient()
    http.force_login(analyst())
    url = reverse("outcomes-dashboard")
    times, result.queries = _time_page(http, url, requests)
    result.p50_s, result.p95_s = statistics.median(times), percentile(times, 0.95)
    running = Q(clients__benefit_periods__end_on__isnull=True)
    largest = District.objects.annotate(n=Count("clients", filter=running)).order_by("-n", "pk").first()
    if largest is not None:
        times, _q = _time_page(http, f"{url}?wijk={largest.pk}", max(3, requests // 2))
        result.district_p95_s = percentile(times, 0.95)
        result.district_label = f"district {largest.name}"
    q = (today.month - 1) // 3 + 1
    year, quarter = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    times, _q = _time_page(
        http, f"{reverse('outcomes-cohorts')}?kwartaal={year}-{quarter}&splitsen=route", max(3, requests // 2)
    )
    result.cohort_p95_s = percentile(times, 0.95)
    result.cohort_label = f"{year} Q{quarter}, by route"
    return result


def report(result: OutcomesResult) -> list[str]:
    if result.p95_s is None:
        return [f"  not measured: {result.note}"]
    scale = "municipality" if result.budget_s == MUNICIPALITY_BUDGET_S else "national set"
    return [
        f"  {'dashboard page p50 / p95':<34}{result.p50_s:>8.2f} s / {result.p95_s:.2f} s   < {result.budget_s:.0f} s"
        f" ({scale})  {result.verdict}   ({result.queries} queries)",
        f"  {'  with a district':<34}{'':>8}   p95 {result.district_p95_s:.2f} s   ({result.district_label})",
        f"  {'  reads (per-client masks)':<34}{result.reads_s:>8.2f} s     {result.rows:,} clients in the window",
        f"  {'  counting (NumPy)':<34}{result.count_s:>8.2f} s",
        f"  {'cohort page p95':<34}{result.cohort_p95_s:>8.2f} s     ({result.cohort_label})",
        f"  {'data':<34}{result.clients:>8,}     clients; {result.on_benefit:,} on benefit today",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trede.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    result = run(requests=args.requests)
    print(f"Outcomes dashboard (issue 8) on {connection.vendor}")
    print("\n".join(report(result)))
    return 0 if result.verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
