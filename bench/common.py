"""What the benchmarks under bench/ share: percentiles, a user of a role to measure pages as, timing a page with its
SQL statements counted, and running one benchmark on its own against a database (optionally generated first).

A benchmark module imports this as `common` after putting bench/ on sys.path (bench/run.py loads modules by path)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/trede_bench"
WARMUP = 2


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def user_of_role(username: str, role: str):
    """A user to measure pages as, made once (the generated municipality has no analyst or auditor)."""
    from trede.core.models import User

    user = User.objects.filter(username=username).first()
    return user or User.objects.create_user(username=username, password=None, role=role)


def time_page(http, url: str, requests: int, *, warmup: int = WARMUP) -> tuple[list[float], int]:
    """Warm-up requests (each must answer 200), one request with its SQL statements counted on this connection (a
    read on a connection of its own is not counted here), then `requests` timed ones: (seconds, statements)."""
    from django.db import connection

    for _ in range(warmup):
        response = http.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    statements: list[str] = []

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


def database_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (else TREDE_BENCH_DATABASE_URL)")
    parser.add_argument("--generate", type=int, default=None, help="drop the database and generate N clients")
    parser.add_argument("--seed", type=int, default=2026)
    return parser


def standalone(args: argparse.Namespace, measure: Callable[[], int]) -> int:
    """Run one benchmark on its own: configure Django for the database of `args` (generating `args.generate`
    clients into it first when asked), then return what `measure()` returns (the exit status)."""
    url = args.database_url or os.environ.get("TREDE_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    if args.generate and not _run_module().prepare_postgres(url):
        print(f"PostgreSQL at {url} does not answer", file=sys.stderr)
        return 1
    os.environ["TREDE_DATABASE_URL"] = url
    os.environ.setdefault("TREDE_SECRET_KEY", "trede-bench-only-not-a-secret")
    os.environ["TREDE_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "trede.config.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client through ALLOWED_HOSTS
    if args.generate:
        generate(args.generate, args.seed)
    return measure()


def generate(clients: int, seed: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from trede.core.selectors import rules_on
    from trede.synth.generator import Spec, spec_rules
    from trede.synth.loader import synth_load

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    rules = rules_on(today)
    spec = Spec(clients=clients, seed=seed, today=today, caseload_norm=int(rules["caseload_norm"]), **spec_rules(rules))
    print(f"Generating {spec.clients:,} clients ...", file=sys.stderr)
    load = synth_load(spec, progress=False)
    print(f"  generated and loaded in {load.seconds:.0f} s", file=sys.stderr)


def _run_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("trede_bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
