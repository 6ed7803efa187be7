"""trede benchmarks (`make bench`): generate a synthetic municipality and time the busiest pages.

    .venv/bin/python bench/run.py [--clients N] [--requests N] [--seed S] [--keep]

1. Database: PostgreSQL at TREDE_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/trede_bench)
   when the server answers; the script drops and creates that database itself and runs the migrations.
   Otherwise SQLite under var/bench/. The benchmark database is dropped at the end unless --keep.
2. Generation: `trede synth` for N clients (default 400,000): total seconds (generate + load) and clients/s.
3. Intake model (issue 3; bench/intake.py): `model_train` on the whole generated history — total seconds, the
   extract (history_spells) and the fit (Weibull AFT) apart, and the spells it used — then `model_activate` by an
   administrator (one is created: the generated municipality has none). Scoring: every client on benefit with the
   active model — current_profiles(today), then median, p_work(12) and route_advice_vector with the thresholds of
   rules_on(today) — extract and arithmetic apart, with how many clients were scored and how many could not be
   (a missing factor: they are counted, never imputed).
4. Outreach (issue 4; bench/outreach.py): a city of about 35,000 on benefit (the largest districts together), a
   work-oriented campaign over it: the preview (< 2 s), then planning a cohort of 1,500 and scheduling its talks
   over the caseworkers of those districts (< 5 s together).
   Letters (issue 4; bench/letters.py): one cohort of a campaign in the largest district is scheduled, then
   letters_generate makes up to 200 invitation letters in this one process (the rule applied again, the PDF with
   WeasyPrint, stored per batch): letters per second per core, the PDF rendering apart.
5. Pages, in-process with Django's test client after a warm-up: p50/p95 server time and SQL queries per request
   for the caseload page of a caseworker with about 350 clients, the dossier of one of their clients with a
   long history, the due page, and the intake: the intake form of one of their clients whose dossier knows every
   factor, and the assessment page of an intake recorded for that client (assessment_record, with the model's
   estimate). All five must be measured, and training and scoring must succeed: otherwise the failure is reported
   and the script exits with status 1 (as it does when the assessment has no estimate).
6. Matching engine (issue 6; bench/matching.py): the pure engine on synthetic arrays, one vacancy against 400,000
   clients and 2,000 vacancies against 35,000 (no database; the same figures as `bench/matching.py` alone).
   Employer services (issue 6; bench/employers.py) on the generated data: the adviser's shortlist for one vacancy
   over the whole set (extract, arrays and engine apart, the engine also on the extract repeated to 400,000 rows, and
   the vacancy page as the adviser), match_all for the open vacancies of a city of about 35,000 clients (extract +
   engine), and the durability selector by employer, instrument and route.
7. Activation dashboard (issue 5; bench/activation.py), last: the page as a policy analyst (p50/p95 and SQL
   queries) on the route decisions the generator made, the same with a district and a route chosen, and its reads
   apart (month masks; durations with Kaplan-Meier).

Budgets (printed beside the results): generating 400,000 clients < 300 s; model_train on the history of 400,000
clients < 120 s; scoring every client on benefit of 400,000 < 10 s (extract + arithmetic); caseload and dossier
p95 < 150 ms and the assessment page p95 < 200 ms on PostgreSQL; a campaign preview < 2 s and planning 1,500
talks < 5 s; at least 10 letters per second per core; matching one vacancy against 400,000 clients < 1 s (the
engine) and 2,000 vacancies against 35,000 clients < 30 s; the activation dashboard < 2 s (p95). Below 400,000
clients the training and scoring times are also shown extrapolated linearly to 400,000.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse


def _load_bench(name: str):
    """bench/<name>.py, also when this file is loaded by path (tests/synth/test_bench.py); Django comes lazily."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"trede_bench_{name}", Path(__file__).resolve().parent / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


activation_bench = _load_bench("activation")
employers_bench = _load_bench("employers")
intake_bench = _load_bench("intake")
letters_bench = _load_bench("letters")
matching_bench = _load_bench("matching")
outreach_bench = _load_bench("outreach")
outcomes_bench = _load_bench("outcomes")
outcomes_extract_bench = _load_bench("outcomes_extract")
evaluation_bench = _load_bench("evaluation")
sanctions_bench = _load_bench("sanctions")
simulation_bench = _load_bench("simulation")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/trede_bench"
GENERATION_BUDGET_S = 300.0  # for 400,000 clients
PAGE_BUDGET_P95_MS = 150.0  # caseload and dossier, on PostgreSQL
BUDGET_CLIENTS = 400_000
WARMUP = 5


@dataclass
class PageResult:
    name: str
    url: str = ""
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""
    budget_ms: float | None = None

    @property
    def verdict(self) -> str:
        if self.p95_ms is None or self.budget_ms is None:
            return ""
        return "ok" if self.p95_ms < self.budget_ms else "OVER BUDGET"


# --------------------------------------------------------------------------------------------------
# Database


def _maintenance_url(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "trede_bench"
    return urlunparse(parsed._replace(path="/postgres")), name


def prepare_postgres(url: str) -> bool:
    """Drop and create the benchmark database; False when the server does not answer."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return False
    maintenance, name = _maintenance_url(url)
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({str(exc).strip().splitlines()[0]}): using SQLite.", file=sys.stderr)
        return False
    return True


def drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def sqlite_path() -> Path:
    path = ROOT / "var" / "bench" / "bench.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


# --------------------------------------------------------------------------------------------------
# Pages


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure_page(
    http, name: str, url_name: str, args=(), *, requests: int = 50, budget_ms: float | None = None
) -> PageResult:
    """Time one page: warm-up, the queries of one request, then `requests` timed requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return PageResult(name, note="view not available")
    result = PageResult(name, url=url, budget_ms=budget_ms)
    for _ in range(WARMUP):
        response = http.get(url, secure=True)
    if response.status_code != 200:
        result.note = f"HTTP {response.status_code}"
        return result
    with CaptureQueriesContext(connection) as ctx:
        http.get(url, secure=True)
    result.queries = len(ctx.captured_queries)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        http.get(url, secure=True)
        times.append((time.perf_counter() - t0) * 1000)
    result.p50_ms = statistics.median(times)
    result.p95_ms = percentile(times, 0.95)
    return result


def pick_subjects():
    """A caseworker whose caseload is closest to 350, and their client with the longest history."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Abs, Coalesce

    from trede.caseload.models import Assignment, ContactMoment
    from trede.clients.models import BenefitPeriod, Client
    from trede.core.models import User

    caseworker = (
        User.objects.filter(role="caseworker", assignments__end_on__isnull=True)
        .annotate(n=Count("assignments"))
        .annotate(distance=Abs(Count("assignments") - 350))
        .order_by("distance", "pk")
        .first()
    )
    if caseworker is None:
        return None, None, 0

    def count(model):
        qs = model.objects.filter(client_id=OuterRef("pk")).order_by().values("client_id")
        return Coalesce(Subquery(qs.annotate(c=Count("*")).values("c")[:1], output_field=IntegerField()), 0)

    mine = Assignment.objects.filter(caseworker=caseworker, end_on__isnull=True).values("client_id")
    client = (
        Client.objects.filter(pk__in=mine)
        .annotate(n_periods=count(BenefitPeriod), n_contacts=count(ContactMoment))
        .order_by("-n_periods", "-n_contacts", "pk")
        .first()
    )
    return caseworker, client, caseworker.n


# --------------------------------------------------------------------------------------------------
# Report


def _budget_text(seconds: float, budget_s: float, clients: int) -> tuple[str, str]:
    """The budget column and verdict of a timing that is budgeted for 400,000 clients."""
    if clients >= BUDGET_CLIENTS:
        return f"< {budget_s:.0f} s", ("ok" if seconds < budget_s else "OVER BUDGET")
    if clients:
        scaled = seconds * BUDGET_CLIENTS / clients
        return f"(~{scaled:.1f} s at 400k, linear; budget {budget_s:.0f} s)", ""
    return "-", ""


def print_intake(training, scoring, clients: int) -> None:
    print("Intake model (time to work; trained on the generated history, then activated by an administrator)")
    if training.seconds is None:
        print(f"  {'training (model_train)':<34}{'-':>8}     not measured: {training.note}")
    else:
        budget, verdict = _budget_text(training.seconds, intake_bench.TRAINING_BUDGET_S, clients)
        print(f"  {'training (model_train)':<34}{training.seconds:>8.1f} s   {budget}  {verdict}")

        def part(label: str, v: float | None) -> None:
            print(f"    {label:<32}{'-' if v is None else f'{v:.1f}':>8} s")

        part("extract (history_spells)", training.extract_seconds)
        part("fit (Weibull AFT, lifelines)", training.fit_seconds)
        part("accuracy, fairness, prospects", training.rest_seconds)
        lo = training.left_out
        print(
            f"  {'spells used':<34}{training.spells:>8,}     (train {training.train_spells:,}, holdout "
            f"{training.holdout_spells:,}; {training.events:,} exits to work; of {lo.get('total', 0):,} spells "
            f"{lo.get('no_factors', 0):,} left out without circumstances, {lo.get('no_ladder_step', 0):,} without "
            f"a ladder step)"
        )
        c = "-" if training.concordance is None else f"{training.concordance:.3f}"
        note = f"  {training.note}" if training.note else ""
        print(f"  {'model version':<34}{training.version:>8}     (holdout concordance {c}){note}")
    if scoring.seconds is None:
        print(f"  {'scoring (all on benefit)':<34}{'-':>8}     not measured: {scoring.note}")
    else:
        budget, verdict = _budget_text(scoring.seconds, intake_bench.SCORING_BUDGET_S, clients)
        print(f"  {'scoring (all on benefit)':<34}{scoring.seconds:>8.2f} s   {budget}  {verdict}")
        print(f"    {'extract (current_profiles)':<32}{scoring.extract_seconds:>8.2f} s")
        print(f"    {'arithmetic (median, p12, route)':<32}{scoring.arithmetic_seconds:>8.3f} s")
        missing = ", ".join(f"{f} {n:,}" for f, n in sorted(scoring.missing.items(), key=lambda kv: -kv[1]))
        print(
            f"  {'clients on benefit':<34}{scoring.on_benefit:>8,}     scored {scoring.scored:,}, not scored "
            f"{scoring.not_scored:,} ({'missing per factor: ' + missing if missing else 'no factor missing'})"
        )
        routes = ", ".join(f"{r} {n:,}" for r, n in scoring.routes.items())
        print(f"  {'advice of the scored':<34}{'':>8}     {routes}{'  ' + scoring.note if scoring.note else ''}")
    print()


def print_report(
    *,
    backend: str,
    spec,
    load,
    rows: int,
    pages: list[PageResult],
    caseload_size: int,
    training=None,
    scoring=None,
    intake_client: str = "",
    letters=None,
    outreach=None,
    activation=None,
    matching=None,
    employers=None,
) -> None:
    line = "-" * 104
    print()
    print(line)
    print(f"trede benchmarks  {backend}  |  Python {platform.python_version()}  |  {os.cpu_count()} cores")
    print(line)
    budget = "-"
    verdict = ""
    if spec.clients >= BUDGET_CLIENTS:
        budget = f"< {GENERATION_BUDGET_S:.0f} s"
        verdict = "ok" if load.seconds < GENERATION_BUDGET_S else "OVER BUDGET"
    elif spec.clients:
        scaled = load.seconds * BUDGET_CLIENTS / spec.clients
        budget = f"(~{scaled:.0f} s at 400k, linear; budget {GENERATION_BUDGET_S:.0f} s)"
    print("Generation (trede synth: generate + load in one transaction)")
    print(
        f"  {'clients':<28}{spec.clients:>14,}   ({load.on_benefit:,} on benefit, {load.caseworkers:,} "
        f"caseworkers, {load.teams} teams)"
    )
    print(f"  {'rows written':<28}{rows:>14,}")
    print(f"  {'total time':<28}{load.seconds:>12.1f} s   {budget}  {verdict}")
    print(f"    {'generating (NumPy)':<26}{load.generate_seconds:>12.1f} s")
    print(f"    {'writing':<26}{load.write_seconds:>12.1f} s")
    print(f"  {'throughput':<28}{load.clients_per_second:>10,.0f} clients/s   {rows / load.seconds:,.0f} rows/s")
    print()
    if training is not None and scoring is not None:
        print_intake(training, scoring, spec.clients)
    if outreach is not None:
        print("Outreach (a city of about 35,000 on benefit inside the national set)")
        for row in outreach_bench.report(outreach):
            print(row)
        print()
    if letters is not None:
        print_letters(letters)
    if matching is not None:
        if matching.timings:
            matching_bench.print_report(matching)
        else:
            print(f"Matching engine: not measured: {matching.note}")
            print()
    if employers is not None:
        print("Employer services (the generated employers, vacancies, work profiles and exits to work)")
        for row in employers_bench.report(employers):
            print(row)
        print()
    if activation is not None:
        print("Activation dashboard (a policy analyst; 24 month-ends, districts, routes, durations)")
        for row in activation_bench.report(activation):
            print(row)
        print()
    print(f"Pages (in-process Django test client; {WARMUP} warm-up requests, then the timed ones)")
    header = f"  {'page':<12}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}   {'budget p95':<12}{'result':<13}note"
    print(header)
    for p in pages:

        def ms(v: float | None) -> str:
            return "-" if v is None else f"{v:.1f}"

        b = f"< {p.budget_ms:.0f} ms" if p.budget_ms else "-"
        q = "-" if p.queries is None else str(p.queries)
        print(f"  {p.name:<12}{ms(p.p50_ms):>9}{ms(p.p95_ms):>9}{q:>9}   {b:<12}{p.verdict:<13}{p.note or p.url}")
    print(f"  (caseload of the measured caseworker: {caseload_size} clients)")
    if intake_client:
        print(f"  (intake and assessment: {intake_client})")
    print(line)


def print_letters(result) -> None:
    print("Invitation letters (letters_generate on one cohort, one process = one core)")
    rate = result.per_second
    if rate is None:
        print(f"  {'letters per second per core':<34}{'-':>8}     not measured: {result.note}")
        print()
        return
    budget = f">= {letters_bench.LETTERS_BUDGET_PER_CORE:.0f}/s"
    print(f"  {'letters per second per core':<34}{rate:>8.1f}     {budget}  {result.verdict}")
    print(
        f"  {'letters made':<34}{result.letters:>8,}     in {result.seconds:.1f} s, of which PDF rendering "
        f"{result.render_seconds:.1f} s ({1000 * result.render_seconds / result.letters:.0f} ms a letter); "
        f"{result.withdrawn} withdrawn by the recheck; {result.pdf_kib:.1f} KiB a letter"
    )
    print()


def run_outreach(today):
    """The outreach benchmark (preview, planning); a crash is reported, not raised."""
    import traceback

    try:
        print("Previewing and planning a campaign ...", file=sys.stderr)
        return outreach_bench.run(today, intake_bench.administrator())
    except Exception as exc:  # noqa: BLE001 - the report says what broke; the script goes on
        traceback.print_exc()
        return outreach_bench.OutreachResult(note=f"{type(exc).__name__}: {exc}"[:300])


def run_matching():
    """The pure matching engine on synthetic arrays (bench/matching.py); a crash is reported, not raised."""
    import traceback

    try:
        print("Timing the matching engine on synthetic arrays ...", file=sys.stderr)
        return matching_bench.run(repeat=5)
    except Exception as exc:  # noqa: BLE001 - the report says what broke
        traceback.print_exc()
        return matching_bench.MatchingResult(note=f"{type(exc).__name__}: {exc}"[:300])


def run_employers(today, requests: int):
    """Shortlist, match_all and durability on the generated data (bench/employers.py); a crash is reported."""
    import traceback

    try:
        print("Timing the shortlist, match_all and durability ...", file=sys.stderr)
        return employers_bench.run(today, requests=requests)
    except Exception as exc:  # noqa: BLE001 - the report says what broke
        traceback.print_exc()
        return employers_bench.EmployersResult(note=f"{type(exc).__name__}: {exc}"[:300])


def run_activation(today, requests: int):
    """The activation dashboard benchmark; a crash is reported, not raised. Runs last."""
    import traceback

    try:
        print("Timing the activation dashboard ...", file=sys.stderr)
        return activation_bench.run(today, requests=requests)
    except Exception as exc:  # noqa: BLE001 - the report says what broke
        traceback.print_exc()
        return activation_bench.ActivationResult(note=f"{type(exc).__name__}: {exc}"[:300])


def run_letters(today):
    """The letters benchmark; a crash is reported, not raised."""
    import traceback

    try:
        print("Making invitation letters ...", file=sys.stderr)
        return letters_bench.letters_per_second(today, intake_bench.administrator())
    except Exception as exc:  # noqa: BLE001 - the report says what broke; the script goes on to the pages
        traceback.print_exc()
        return letters_bench.LettersResult(note=f"{type(exc).__name__}: {exc}"[:300])


# --------------------------------------------------------------------------------------------------
# Intake (issue 3)


def run_intake_model(today):
    """Train and activate the model, then score every client on benefit; a crash is reported, not raised."""
    import traceback

    training, scoring = intake_bench.TrainingResult(), intake_bench.ScoringResult()
    try:
        admin = intake_bench.administrator()
        print("Training the time-to-work model on the whole history ...", file=sys.stderr)
        training = intake_bench.train_and_activate(today, admin)
        if training.seconds is not None:
            print("Scoring every client on benefit ...", file=sys.stderr)
            scoring = intake_bench.score_all(today)
        else:
            scoring.note = "no model trained"
    except Exception as exc:  # noqa: BLE001 - the report says what broke; the script goes on to the pages
        traceback.print_exc()
        note = f"{type(exc).__name__}: {exc}"[:300]
        if training.seconds is None:
            training.note = training.note or note
            scoring.note = "no model trained"
        else:
            scoring.note = note
    return training, scoring


def measure_intake_pages(http, caseworker, dossier_client, *, requests: int, postgres: bool):
    """The intake form and the assessment page (with its estimate) for one of the caseworker's clients.
    Returns the two page results, who was measured, and a problem (or "")."""
    from django.core.exceptions import ValidationError

    subject, answers = intake_bench.intake_subject(caseworker, prefer=dossier_client)
    if subject is None:
        note = "no client of the caseworker with every factor known"
        return [PageResult("intake", note=note), PageResult("assessment", note=note)], "", note
    pages = [measure_page(http, "intake", "intake-start", [subject.pk], requests=requests)]
    try:
        assessment = intake_bench.record_assessment(caseworker, subject, answers)
    except ValidationError as exc:
        note = "assessment_record refused: " + " ".join(exc.messages)
        return [*pages, PageResult("assessment", note=note[:120])], f"client {subject.pk}", note
    budget = intake_bench.ASSESSMENT_BUDGET_P95_MS if postgres else None
    page = measure_page(
        http, "assessment", "assessment-detail", [subject.pk, assessment.pk], requests=requests, budget_ms=budget
    )
    pages.append(page)
    problem = ""
    estimate = assessment.estimate
    if estimate is None:
        problem = "the assessment has no estimate (no active model?)"
        page.note = (page.note + "; " if page.note else "") + "WITHOUT estimate"
    who = f"client {subject.pk}"
    if estimate:
        who += (
            f", estimated median {estimate['median']:.1f} months, P(work in 12 months) {estimate['p_work']['12']:.0%},"
            f" advice {assessment.advised_route or '-'}"
        )
    return pages, who, problem


# --------------------------------------------------------------------------------------------------


def run_later_issues(today, requests: int) -> list[str]:
    """The benchmarks of issues 8-10, each printing its own report; returns the problems (failures, over budget)."""
    problems: list[str] = []
    print("\nSanctions (issue 7; bench/sanctions.py)")
    sanctions = sanctions_bench.run(print=print, today=today, requests=requests)
    if sanctions.note or sanctions.verdict != "ok":
        problems.append(f"sanctions overview: {sanctions.note or sanctions.verdict}")
    print("\nOutcomes dashboard (issue 8; bench/outcomes.py)")
    try:
        outcomes = outcomes_bench.run(today, requests=requests)
        print("\n".join(outcomes_bench.report(outcomes)))
        if outcomes.verdict != "ok":
            problems.append(f"outcomes dashboard: p95 {outcomes.p95_s:.2f} s over {outcomes.budget_s:.0f} s")
    except Exception as exc:  # a benchmark reports its failure instead of hiding the others
        problems.append(f"outcomes dashboard: {type(exc).__name__}: {exc}"[:300])
    print("\nResearch extract and quarterly figures (issue 8; bench/outcomes_extract.py)")
    extract = outcomes_extract_bench.run(print=print, today=today, repeat=1)
    if extract.verdict != "ok":
        problems.append(f"research extract: {extract.note or extract.verdict}")
    print("\nEvaluation (issue 9; bench/evaluation.py, no database)")
    evaluation = evaluation_bench.run(print=print, repeat=3)
    if not evaluation.ok:
        problems.append(f"evaluation: {evaluation.note or 'over budget'}")
    print("\nPolicy simulation (issue 10; bench/simulation.py, no database)")
    try:
        simulation_bench.run(print=print)  # its budgets are reported in its own lines (see docs/simulation.md)
    except Exception as exc:  # a benchmark reports its failure instead of hiding the others
        problems.append(f"simulation: {type(exc).__name__}: {exc}"[:300])
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=BUDGET_CLIENTS, help="clients to generate (400,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (50)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (else TREDE_BENCH_DATABASE_URL)")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when PostgreSQL is reachable")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    url = args.database_url or os.environ.get("TREDE_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    postgres = not args.sqlite and prepare_postgres(url)
    if postgres:
        os.environ["TREDE_DATABASE_URL"] = url
    else:
        os.environ["TREDE_DATABASE_URL"] = f"sqlite:///{sqlite_path()}"
    os.environ.setdefault("TREDE_SECRET_KEY", "trede-bench-only-not-a-secret")
    os.environ["TREDE_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "trede.config.settings"
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from trede.core.selectors import rules_on
    from trede.synth.generator import Spec, spec_rules
    from trede.synth.loader import synth_load

    status = 0
    try:
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        rules = rules_on(today)
        spec = Spec(
            clients=args.clients,
            seed=args.seed,
            today=today,
            caseload_norm=int(rules["caseload_norm"]),
            **spec_rules(rules),
        )
        print(f"Generating {spec.clients:,} clients into {connection.vendor} ...", file=sys.stderr)
        load = synth_load(spec, progress=not args.no_progress)
        rows = sum(load.counts.values())
        backend = (
            "PostgreSQL " + connection.cursor().connection.info.parameter_status("server_version")
            if postgres
            else "SQLite " + __import__("sqlite3").sqlite_version
        )

        setup_test_environment()  # lets the test client through ALLOWED_HOSTS
        caseworker, dossier_client, size = pick_subjects()
        pages: list[PageResult] = []
        problems: list[str] = []
        intake_client = ""
        if caseworker is None:
            pages.append(PageResult("all", note="no caseworker with clients"))
        else:
            http = HttpClient()  # requests are made as HTTPS (secure=True): production settings redirect plain http
            http.force_login(caseworker)
            budget = PAGE_BUDGET_P95_MS if postgres else None
            pages.append(measure_page(http, "caseload", "caseload", requests=args.requests, budget_ms=budget))
            pages.append(
                measure_page(
                    http, "dossier", "client-dossier", [dossier_client.pk], requests=args.requests, budget_ms=budget
                )
            )
            pages.append(measure_page(http, "due", "due", requests=args.requests))
        training, scoring = run_intake_model(today)
        for label, result in (("training", training), ("scoring", scoring)):
            if result.seconds is None or result.note:
                problems.append(f"{label}: {result.note}")
        outreach = run_outreach(today)
        if outreach.preview_seconds is None:
            problems.append(f"outreach: {outreach.note}")
        letters = run_letters(today)
        if letters.per_second is None:
            problems.append(f"letters: {letters.note}")
        if caseworker is not None:
            intake_pages, intake_client, problem = measure_intake_pages(
                http, caseworker, dossier_client, requests=args.requests, postgres=postgres
            )
            pages += intake_pages
            if problem:
                problems.append(problem)
        matching = run_matching()
        if not matching.timings:
            problems.append(f"matching engine: {matching.note}")
        employers = run_employers(today, min(args.requests, 10))
        if employers.extract_s is None or employers.city_engine_s is None:
            problems.append(f"employer services: {employers.note}")
        activation = run_activation(today, min(args.requests, 10))
        if activation.p95_s is None:
            problems.append(f"activation dashboard: {activation.note}")
        print_report(
            backend=backend,
            spec=spec,
            load=load,
            rows=rows,
            pages=pages,
            caseload_size=size,
            training=training,
            scoring=scoring,
            intake_client=intake_client,
            letters=letters,
            outreach=outreach,
            activation=activation,
            matching=matching,
            employers=employers,
        )
        problems += run_later_issues(today, min(args.requests, 10))
        missing = [p.name for p in pages if p.p95_ms is None]
        if missing:
            problems.insert(0, f"pages not measured: {', '.join(missing)} (see the notes above)")
        if problems:
            print("Failed: " + "; ".join(problems), file=sys.stderr)
            status = 1
    finally:
        if not args.keep:
            if postgres:
                drop_postgres(url)
            else:
                from django.db import connections

                connections.close_all()
                sqlite_path()
    return status


if __name__ == "__main__":
    sys.exit(main())
