"""Employer services benchmarks (issue 6), used by bench/run.py, on the generated municipality (trede synth makes
employers, vacancies, work profiles, route decisions, referrals, placements and exits to work).

1. The adviser's shortlist for one open vacancy over the whole data set (employers.matching.shortlist): the extract
   (candidates on the route to work: one query with the latest circumstances, work profile, route and exemption as
   subqueries), building the engine's arrays, and the engine (trede.stats.matching.match_vacancy) apart; the engine
   is held against the issue's budget (< 1 s for one vacancy against 400,000 clients) on the extract and on the
   extract repeated to 400,000 rows. Then the whole page as the vacancy's adviser (vacancy-detail: the shortlist
   with explanations, the caseworkers, the access log of every candidate shown), p50/p95 — the page has no budget of
   its own in the issue: its total is reported as it is.
2. Every open vacancy of a city against its clients (match_all): the largest districts together until they hold
   CITY clients on benefit (the first CITY by id when one district holds more), their first CITY_VACANCIES open
   vacancies; extract + arrays + engine. Budget < 30 s for 2,000 vacancies against 35,000 clients (the issue); below
   that size the time is also shown scaled linearly by the number of pairs.
3. Durability (employers.selectors.durability, the page "Blijven mensen aan het werk?") by employer, instrument and
   route: one aggregate query each, over every exit to work (no budget in the issue: shown for the page).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

NATIONAL = 400_000
CITY = 35_000
CITY_VACANCIES = 2_000
TOP = 20
ENGINE_BUDGET_S = 1.0  # one vacancy against 400,000 clients
CITY_BUDGET_S = 30.0  # 2,000 vacancies against 35,000 clients, extract + engine
TIGHT = 0.8


@dataclass
class EmployersResult:
    vacancy: str = ""
    on_benefit: int = 0
    candidates: int = 0  # rows of the shortlist's extract (on the route to work)
    extract_s: float | None = None
    arrays_s: float | None = None
    engine_s: float | None = None  # median
    engine_national_s: float | None = None  # the extract repeated to NATIONAL rows
    shortlist_s: float | None = None  # matching.shortlist(): extract + arrays + engine + explanations
    page_p50_s: float | None = None
    page_p95_s: float | None = None
    page_queries: int | None = None
    eligible: int = 0
    blocked_by: dict = field(default_factory=dict)
    city_clients: int = 0
    city_districts: int = 0
    city_vacancies: int = 0
    city_work_route: int = 0
    city_extract_s: float | None = None
    city_arrays_s: float | None = None
    city_engine_s: float | None = None
    city_full: int = 0
    durability: dict = field(default_factory=dict)  # by -> (seconds, groups, groups shown)
    exits: int = 0
    note: str = ""

    @property
    def city_s(self) -> float | None:
        if self.city_engine_s is None:
            return None
        return self.city_extract_s + self.city_arrays_s + self.city_engine_s

    @property
    def city_scale(self) -> float:
        pairs = self.city_clients * self.city_vacancies
        return CITY * CITY_VACANCIES / pairs if pairs else 1.0


def _median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def pick_vacancy():
    """An open vacancy of the most common occupation among the open ones (the busiest shortlist), lowest id."""
    from django.db.models import Count

    from trede.employers.models import Vacancy

    top = (
        Vacancy.objects.filter(status="open")
        .exclude(occupation="")
        .values("occupation")
        .annotate(n=Count("id"))
        .order_by("-n", "occupation")
        .first()
    )
    if top is None:
        return None
    return (
        Vacancy.objects.filter(status="open", occupation=top["occupation"])
        .select_related("employer__adviser", "district")
        .order_by("pk")
        .first()
    )


def _page(http, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = http.get(url, secure=True)  # warm-up
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    reset_queries()  # the log may be full (it keeps the last 9,000): count from an empty one
    with CaptureQueriesContext(connection) as ctx:
        http.get(url, secure=True)
    queries = len(ctx.captured_queries)  # now: the next request empties the log it reads from
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        http.get(url, secure=True)
        times.append(time.perf_counter() - t0)
    return times, queries


def run(today, *, requests: int = 5, repeat: int = 7) -> EmployersResult:
    import numpy as np
    from django.db.models import Count, Q
    from django.test import Client as HttpClient
    from django.urls import reverse

    from trede.clients.models import District
    from trede.employers import matching
    from trede.employers.models import Exit, Vacancy
    from trede.employers.selectors import durability
    from trede.outcomes.selectors import on_benefit
    from trede.stats import matching as engine

    result = EmployersResult()
    result.on_benefit = on_benefit(today).count()
    vacancy = pick_vacancy()
    if vacancy is None:
        result.note = "no open vacancy"
        return result
    result.vacancy = f"#{vacancy.pk} {vacancy.title} ({vacancy.occupation}), {vacancy.employer.name}"

    # 1. the shortlist, apart and whole
    result.extract_s, rows = _timed(lambda: list(matching.candidates(today, work_route_only=True)))
    result.candidates = len(rows)
    result.arrays_s, (clients, vacancies) = _timed(
        lambda: (matching.client_arrays(rows), matching.vacancy_arrays([vacancy]))
    )
    result.engine_s, ranking = _median_time(
        lambda: engine.match_vacancy(vacancies, clients, top=TOP, blocked=5), repeat
    )
    result.eligible, result.blocked_by = ranking.eligible, dict(ranking.blocked_by)
    if len(clients):
        national = clients.take(np.resize(np.arange(len(clients)), NATIONAL))
        result.engine_national_s, _r = _median_time(
            lambda: engine.match_vacancy(vacancies, national, top=TOP, blocked=5), repeat
        )
    result.shortlist_s, _s = _timed(lambda: matching.shortlist(vacancy, today))
    http = HttpClient()
    http.force_login(vacancy.employer.adviser)
    times, result.page_queries = _page(http, reverse("vacancy-detail", args=[vacancy.pk]), requests)
    result.page_p50_s = statistics.median(times)
    result.page_p95_s = sorted(times)[max(0, round(0.95 * (len(times) - 1)))]

    # 2. every open vacancy of a city against its clients
    running = Q(clients__benefit_periods__end_on__isnull=True, clients__benefit_periods__start_on__lte=today)
    sizes = District.objects.annotate(n=Count("clients", filter=running, distinct=True)).order_by("-n", "pk")
    chosen, held = [], 0
    for d in sizes:
        if held >= CITY:
            break
        chosen.append(d.pk)
        held += d.n
    result.city_districts = len(chosen)
    city_vacancies = list(
        Vacancy.objects.filter(status="open", district_id__in=chosen)
        .select_related("district")
        .order_by("pk")[:CITY_VACANCIES]
    )
    result.city_extract_s, city_rows = _timed(
        lambda: list(matching.candidates(today).filter(district_id__in=chosen).order_by("pk")[:CITY])
    )
    result.city_clients, result.city_vacancies = len(city_rows), len(city_vacancies)
    result.city_work_route = sum(r["m_route"] in matching.WORK_ROUTES for r in city_rows)
    result.city_arrays_s, (city_clients, city_vacs) = _timed(
        lambda: (matching.client_arrays(city_rows), matching.vacancy_arrays(city_vacancies))
    )
    result.city_engine_s, rankings = _timed(lambda: engine.match_all(city_vacs, city_clients, top=TOP))
    result.city_full = sum(len(r) == TOP for r in rankings)

    # 3. durability
    result.exits = Exit.objects.count()
    for by in ("employer", "instrument", "route"):
        seconds, rows_ = _median_time(lambda by=by: durability(by=by, today=today), 3)
        result.durability[by] = (seconds, len(rows_), sum(r.exits is not None for r in rows_))
    return result


def _verdict(seconds: float | None, budget: float, scale: float = 1.0) -> str:
    if seconds is None or scale != 1.0:
        return ""
    if seconds >= budget:
        return "OVER BUDGET"
    return "ok (tight: measure again)" if seconds > TIGHT * budget else "ok"


def _s(v: float | None) -> str:
    """Seconds with a unit that keeps small figures readable: "0.4 ms", "46 ms", "3.40 s"."""
    if v is None:
        return "-"
    if v < 1:
        return f"{v * 1000:.1f} ms" if v < 0.01 else f"{v * 1000:.0f} ms"
    return f"{v:.2f} s"


def report(result: EmployersResult) -> list[str]:
    if result.extract_s is None:
        return [f"  not measured: {result.note}"]
    scale = NATIONAL / result.candidates if result.candidates else 1.0
    blocked = ", ".join(f"{k} {v:,}" for k, v in result.blocked_by.items() if v) or "none"
    lines = [
        f"  {'vacancy':<34}{result.vacancy}",
        f"  {'shortlist (one vacancy)':<34}{_s(result.shortlist_s):>10}   matching.shortlist: extract + arrays + "
        "engine + explanations",
        f"    {'extract (route to work)':<32}{_s(result.extract_s):>10}   {result.candidates:,} candidates of "
        f"{result.on_benefit:,} on benefit",
        f"    {'arrays':<32}{_s(result.arrays_s):>10}",
        f"    {'engine':<32}{_s(result.engine_s):>10}   {result.eligible:,} not blocked; blocked: {blocked}",
    ]
    if result.engine_national_s is not None:
        lines.append(
            f"    {'engine, 400,000 rows':<32}{_s(result.engine_national_s):>10}   < {ENGINE_BUDGET_S:.0f} s  "
            f"{_verdict(result.engine_national_s, ENGINE_BUDGET_S)}  (the extract repeated {scale:.1f} times: the "
            "issue's size)"
        )
    lines.append(
        f"  {'vacancy page p50 / p95':<34}{_s(result.page_p50_s):>10} / {_s(result.page_p95_s)}   no budget in the "
        f"issue; as the adviser, {result.page_queries} queries (the shortlist's extract is most of it)"
    )
    if result.city_s is not None:
        sc = result.city_scale
        budget = (
            f"< {CITY_BUDGET_S:.0f} s  {_verdict(result.city_s, CITY_BUDGET_S)}"
            if sc <= 1.0
            else f"(~{result.city_s * sc:.1f} s at {CITY_VACANCIES:,} x {CITY:,}, linear; budget {CITY_BUDGET_S:.0f} s)"
        )
        lines += [
            f"  {'match_all (a city)':<34}{_s(result.city_s):>10}   {budget}   {result.city_vacancies:,} open "
            f"vacancies x {result.city_clients:,} clients on benefit ({result.city_work_route:,} on the route to "
            f"work) in {result.city_districts} district(s)",
            f"    {'extract':<32}{_s(result.city_extract_s):>10}",
            f"    {'arrays':<32}{_s(result.city_arrays_s):>10}",
            f"    {'engine (match_all, top 20)':<32}{_s(result.city_engine_s):>10}   {result.city_full:,} vacancies "
            f"with a full shortlist of {TOP}",
        ]
    for by, (seconds, groups, shown) in result.durability.items():
        lines.append(
            f"  {'durability by ' + by:<34}{_s(seconds):>10}   no budget in the issue; {groups:,} groups, {shown:,} "
            f"shown (the rest under the small-group limit); {result.exits:,} exits to work"
        )
    if result.note:
        lines.append(f"  {result.note}")
    return lines


def over_budget(result: EmployersResult) -> list[str]:
    """The budgets this run held and missed."""
    out = []
    if _verdict(result.engine_national_s, ENGINE_BUDGET_S) == "OVER BUDGET":
        out.append("shortlist engine at 400,000 rows")
    if result.city_scale <= 1.0 and _verdict(result.city_s, CITY_BUDGET_S) == "OVER BUDGET":
        out.append("match_all of a city")
    return out
