"""Sanctions benchmark (issue 7): the sanction overview and the due page's sanction sections on a generated
municipality (trede synth makes the sanction cases: trede.synth.sanctions).

    .venv/bin/python bench/sanctions.py [--database-url URL] [--generate N] [--seed S] [--requests R]

Database: PostgreSQL at --database-url, else TREDE_BENCH_DATABASE_URL, else
postgresql://postgres@127.0.0.1:5432/trede_bench — the database that `bench/run.py --keep` leaves behind. Without
--generate the database is used as it is (it must hold a generated municipality). With --generate N the database is
DROPPED and created again, migrated, and N clients are generated into it (400,000 take about 150 s); it is kept
afterwards, so that later runs can go without --generate.

From bench/run.py: `run(print=print)` on the database Django is configured for (after the generation) returns a
SanctionsResult and prints its report.

Measured, in-process with Django's test client (requests over HTTPS, as production settings want), each page after a
warm-up: the SQL statements of one request, then `requests` timed requests (p50 and p95):
1. The sanction overview (/maatregelen/: cases of the last 12 months by stage and by culpability finding, and per
   group — gender, age band, household, district — the cases and reductions per 100 clients on benefit) as a team
   lead and as an auditor, and its selector (trede.sanctions.selectors.overview) apart. Budget: p95 < 2 s on
   PostgreSQL at 400,000 clients; below that size the time is also shown extrapolated linearly to 400,000.
2. The due page (/te-doen/) of the caseworker with the most sanction items on it, and of their team lead, and
   its three sanction sections apart (hearings past their term, objections to decide, reductions to reconsider: the
   count and the first page of 25, as the page shows them). No budget in the issue: shown as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 - bench/common.py, beside this file

OVERVIEW_BUDGET_S = 2.0
BUDGET_CLIENTS = 400_000
WARMUP = 2
AUDITOR_USERNAME = "bench-auditor"
PAGE_SIZE = 25  # the due page shows 25 rows per section


@dataclass
class Page:
    label: str
    times: list[float] = field(default_factory=list)
    queries: int | None = None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        return common.percentile(self.times, 0.95) if self.times else None

    def text(self) -> str:
        if not self.times:
            return "not measured"
        return f"p50 {_s(self.p50)} / p95 {_s(self.p95)}   ({self.queries} queries, {len(self.times)} requests)"


@dataclass
class SanctionsResult:
    backend: str = ""
    clients: int = 0
    on_benefit: int = 0
    cases: int = 0
    cases_in_overview: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    decisions: int = 0
    objections: int = 0
    overview_lead: Page = field(default_factory=lambda: Page("overview as team lead"))
    overview_auditor: Page = field(default_factory=lambda: Page("overview as auditor"))
    selector_s: list[float] = field(default_factory=list)
    caseworker: str = ""
    caseworker_clients: int = 0
    due_caseworker: Page = field(default_factory=lambda: Page("due page as caseworker"))
    due_lead: Page = field(default_factory=lambda: Page("due page as team lead"))
    sections: dict[str, tuple[float, int]] = field(default_factory=dict)  # name -> (seconds, rows due)
    note: str = ""

    @property
    def extrapolated_s(self) -> float | None:
        p95 = self.overview_lead.p95
        if p95 is None or not self.clients:
            return None
        return p95 * BUDGET_CLIENTS / self.clients

    @property
    def verdict(self) -> str:
        p95 = self.overview_lead.p95
        if p95 is None:
            return ""
        if self.backend != "postgresql":
            return "(budget holds on PostgreSQL)"
        seconds = p95 if self.clients >= BUDGET_CLIENTS else self.extrapolated_s
        return "ok" if seconds < OVERVIEW_BUDGET_S else "OVER BUDGET"


def _s(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


def pick_caseworker(today: dt.date):
    """The caseworker with the most sanction items on the due page (hearings past their term, objections to decide;
    else the most sanction cases among their clients), and the team lead of their team."""
    from collections import Counter

    from django.db.models import Count

    from trede.caseload.models import Assignment, TeamMember
    from trede.clients.models import Client
    from trede.core.models import User
    from trede.sanctions import selectors

    everyone = Client.objects.all()
    due = Counter(selectors.hearings_due(everyone, today=today).values_list("caseworker_id", flat=True))
    due.update(selectors.objections_due(everyone, today=today, horizon_days=28).values_list("caseworker_id", flat=True))
    due.pop(None, None)
    caseworker_id = min(due, key=lambda pk: (-due[pk], pk)) if due else None
    if caseworker_id is None:
        top = (
            Assignment.objects.filter(end_on__isnull=True, caseworker__role="caseworker")
            .values("caseworker_id")
            .annotate(n=Count("client__sanction_cases"))
            .order_by("-n", "caseworker_id")
            .first()
        )
        if top is None:
            return None, None
        caseworker_id = top["caseworker_id"]
    caseworker = User.objects.get(pk=caseworker_id)
    team = TeamMember.objects.filter(user=caseworker).values_list("team_id", flat=True).first()
    lead = User.objects.filter(role="team_lead", team_membership__team_id=team).order_by("pk").first()
    return caseworker, lead


def time_page(http, url: str, page: Page, requests: int) -> None:
    """Warm-up, the SQL statements of one request, then `requests` timed requests (common.time_page)."""
    page.times, page.queries = common.time_page(http, url, requests)


def measure(*, today: dt.date | None = None, requests: int = 10) -> SanctionsResult:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from trede.caseload.selectors import clients_in_reach
    from trede.clients.models import Client
    from trede.core.selectors import rules_on
    from trede.outcomes.selectors import on_benefit
    from trede.sanctions import selectors
    from trede.sanctions.models import Decision, Objection, SanctionCase

    today = today or timezone.localdate()
    result = SanctionsResult(backend=connection.vendor, clients=Client.objects.count())
    if not result.clients:
        result.note = "no clients in the database: generate a municipality first (--generate N)"
        return result
    result.on_benefit = on_benefit(today).count()
    result.cases = SanctionCase.objects.count()
    result.by_stage = dict(SanctionCase.objects.values_list("status").annotate(n=Count("pk")).order_by("status"))
    result.decisions, result.objections = Decision.objects.count(), Objection.objects.count()
    caseworker, lead = pick_caseworker(today)
    if caseworker is None or lead is None:
        result.note = "no caseworker with clients, or no team lead of their team"
        return result

    # 1. the overview, as a team lead and as an auditor, and its selector apart
    http = HttpClient()
    http.force_login(lead)
    url = reverse("sanctions")
    time_page(http, url, result.overview_lead, requests)
    http.force_login(common.user_of_role(AUDITOR_USERNAME, "auditor"))
    time_page(http, url, result.overview_auditor, max(3, requests // 2))
    for _ in range(3):
        t0 = time.perf_counter()
        figures = selectors.overview(today)
        result.selector_s.append(time.perf_counter() - t0)
    result.cases_in_overview = figures["total"]["cases"]

    # 2. the due page of the caseworker and of the team lead, and its sanction sections apart
    result.caseworker = caseworker.username
    reach = clients_in_reach(caseworker)
    result.caseworker_clients = reach.count()
    http.force_login(caseworker)
    time_page(http, reverse("due"), result.due_caseworker, requests)
    http.force_login(lead)
    time_page(http, reverse("due"), result.due_lead, max(3, requests // 2))
    rules = rules_on(today)
    horizon = rules["due_horizon_days"]
    for name, qs in (
        ("hearings past their term", lambda: selectors.hearings_due(reach, today=today)),
        ("objections to decide", lambda: selectors.objections_due(reach, today=today, horizon_days=horizon)),
        (
            "reductions to reconsider",
            lambda: selectors.reconsiderations_due(
                reach, today=today, horizon_days=horizon, months=rules["sanction_reconsider_months"]
            ),
        ),
    ):
        t0 = time.perf_counter()
        rows = qs().count()
        list(qs()[:PAGE_SIZE])
        result.sections[name] = (time.perf_counter() - t0, rows)
    return result


def report(result: SanctionsResult, print=print) -> None:  # noqa: A002 - the caller's print
    print(f"Sanctions (issue 7; {result.backend}, {result.clients:,} clients, {result.on_benefit:,} on benefit)")
    if result.note:
        print(f"  {result.note}")
        return
    stages = ", ".join(f"{k} {v:,}" for k, v in result.by_stage.items())
    print(
        f"  data: {result.cases:,} cases ({stages}); {result.decisions:,} decisions, {result.objections:,} objections"
    )
    budget = f"budget p95 < {OVERVIEW_BUDGET_S:.0f} s at {BUDGET_CLIENTS:,} clients on PostgreSQL"
    print(f"  {'overview as team lead':<30}{result.overview_lead.text()}   [{budget}: {result.verdict}]")
    if result.clients < BUDGET_CLIENTS and result.extrapolated_s is not None:
        print(f"    extrapolated to {BUDGET_CLIENTS:,} clients: {_s(result.extrapolated_s)} (linear)")
    print(f"  {'overview as auditor':<30}{result.overview_auditor.text()}")
    selector = statistics.median(result.selector_s) if result.selector_s else None
    print(
        f"  {'  selector (overview)':<30}{_s(selector)}   median of {len(result.selector_s)}; "
        f"{result.cases_in_overview if result.cases_in_overview is not None else 'hidden'} cases in the last 12 months"
    )
    print(
        f"  {'due page as caseworker':<30}{result.due_caseworker.text()}   ({result.caseworker}, "
        f"{result.caseworker_clients:,} clients; no budget in the issue)"
    )
    print(f"  {'due page as team lead':<30}{result.due_lead.text()}")
    for name, (seconds, rows) in result.sections.items():
        print(f"  {'  ' + name:<30}{_s(seconds)}   {rows:,} due (count + first page of {PAGE_SIZE})")


def run(print=print, *, today: dt.date | None = None, requests: int = 10) -> SanctionsResult:  # noqa: A002
    """Measure on the database Django is configured for and print the report; bench/run.py calls this."""
    from django.test.utils import setup_test_environment

    try:
        with contextlib.suppress(RuntimeError):  # set up already (bench/run.py, pytest)
            setup_test_environment()  # lets the test client through ALLOWED_HOSTS
        result = measure(today=today, requests=requests)
    except Exception as exc:  # a benchmark reports its failure instead of hiding the others
        result = SanctionsResult(note=f"{type(exc).__name__}: {exc}"[:300])
    report(result, print=print)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = common.database_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)

    def measure_all() -> int:
        result = run(requests=args.requests)
        return 1 if result.overview_lead.p95 is None or result.verdict == "OVER BUDGET" else 0

    return common.standalone(args, measure_all)


if __name__ == "__main__":
    sys.exit(main())
