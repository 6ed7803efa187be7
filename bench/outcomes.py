"""Outcomes dashboard benchmark (issue 8), used by bench/run.py and runnable on its own against a database that
`trede synth` (or `bench/run.py --keep`) filled:

    .venv/bin/python bench/outcomes.py [--database-url URL] [--generate N] [--requests N]

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
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 - bench/common.py, beside this file

NATIONAL_BUDGET_S = 5.0
MUNICIPALITY_BUDGET_S = 1.0
MUNICIPALITY = 35_000
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
    http.force_login(common.user_of_role(ANALYST_USERNAME, "policy_analyst"))
    url = reverse("outcomes-dashboard")
    times, result.queries = common.time_page(http, url, requests)
    result.p50_s, result.p95_s = statistics.median(times), common.percentile(times, 0.95)
    running = Q(clients__benefit_periods__end_on__isnull=True)
    largest = District.objects.annotate(n=Count("clients", filter=running)).order_by("-n", "pk").first()
    if largest is not None:
        times, _q = common.time_page(http, f"{url}?wijk={largest.pk}", max(3, requests // 2))
        result.district_p95_s = common.percentile(times, 0.95)
        result.district_label = f"district {largest.name}"
    q = (today.month - 1) // 3 + 1
    year, quarter = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    times, _q = common.time_page(
        http, f"{reverse('outcomes-cohorts')}?kwartaal={year}-{quarter}&splitsen=route", max(3, requests // 2)
    )
    result.cohort_p95_s = common.percentile(times, 0.95)
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
    parser = common.database_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)

    def measure_all() -> int:
        from django.db import connection

        result = run(requests=args.requests)
        print(f"Outcomes dashboard (issue 8) on {connection.vendor}")
        print("\n".join(report(result)))
        return 0 if result.verdict == "ok" else 1

    return common.standalone(args, measure_all)


if __name__ == "__main__":
    sys.exit(main())
