"""Outcomes exports benchmark (issue 8, point 5): the pseudonymised research extract of the whole generated set,
the quarterly figures in CBS's layout and the caseload frame for the simulation, on a generated municipality.

    .venv/bin/python bench/outcomes_extract.py [--database-url URL] [--generate N] [--seed S] [--repeat R]

Database: PostgreSQL at --database-url, else TREDE_BENCH_DATABASE_URL, else
postgresql://postgres@127.0.0.1:5432/trede_bench — the database that `bench/run.py --keep` leaves behind. Without
--generate the database is used as it is (it must hold a generated municipality). With --generate N the database
is DROPPED and created again, migrated, and N clients are generated into it (400,000 take about 150 s); it is kept
afterwards, so that later runs can go without --generate.

From bench/run.py: `run(print=print)` on the database Django is configured for (after the generation), returns an
ExtractBenchResult and prints its report.

Measured (each --repeat times, default 3; the median is held against the budget, fastest and slowest beside it):
1. research_extract(actor=a policy analyst, key=32 random bytes, out_dir=a new temporary folder, on=today): the
   whole call — five reads (one query per table, COPY into Arrow), pseudonyms, DuckDB, Parquet (zstd) and CSV
   writing, README and manifest, the audit record — and the reads apart. Budget: < 60 s for 400,000 clients on
   PostgreSQL; below 400,000 clients the time is also shown extrapolated linearly to 400,000. The folder is deleted
   afterwards (pseudonymised personal data, even when synthetic). Each run leaves one audit record.
2. quarterly_figures for the last complete quarter (no budget in the issue).
3. caseload_frame(today): one query with the latest ladder step, route and exemption per client (no budget).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 - bench/common.py, beside this file

EXTRACT_BUDGET_S = 60.0
BUDGET_CLIENTS = 400_000
ANALYST_USERNAME = "bench-beleid"


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    def text(self) -> str:
        if not self.runs:
            return "not measured"
        if len(self.runs) == 1:
            return f"{self.runs[0]:.2f} s"
        return (
            f"{self.median:.2f} s (fastest {min(self.runs):.2f}, slowest {max(self.runs):.2f}, {len(self.runs)} runs)"
        )


@dataclass
class ExtractBenchResult:
    backend: str = ""
    clients: int = 0
    extract: Timing = field(default_factory=Timing)
    reads: Timing = field(default_factory=Timing)
    rows: dict[str, int] = field(default_factory=dict)
    bytes_parquet: int = 0
    bytes_csv: int = 0
    quarter: str = ""
    quarterly: Timing = field(default_factory=Timing)
    running_total: int | None = None
    frame: Timing = field(default_factory=Timing)
    frame_rows: int = 0
    note: str = ""

    @property
    def extrapolated_s(self) -> float | None:
        if self.extract.median is None or not self.clients:
            return None
        return self.extract.median * BUDGET_CLIENTS / self.clients

    @property
    def verdict(self) -> str:
        if self.extract.median is None:
            return ""
        seconds = self.extract.median if self.clients >= BUDGET_CLIENTS else self.extrapolated_s
        return "ok" if seconds < EXTRACT_BUDGET_S else "OVER BUDGET"


def last_complete_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3  # the quarter before the current one, 0 meaning Q4 of last year
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def measure(*, today: dt.date | None = None, repeat: int = 3) -> ExtractBenchResult:
    from django.db import connection
    from django.utils import timezone

    from trede.clients.models import Client
    from trede.outcomes.exports import _snapshot_reads, caseload_frame, quarterly_figures, research_extract

    today = today or timezone.localdate()
    result = ExtractBenchResult(backend=connection.vendor, clients=Client.objects.count())
    if not result.clients:
        result.note = "no clients in the database: generate a municipality first (--generate N)"
        return result
    actor = common.user_of_role(ANALYST_USERNAME, "policy_analyst")
    for _ in range(repeat):
        folder = Path(tempfile.mkdtemp(prefix="trede-extract-"))
        try:
            start = time.perf_counter()
            manifest = research_extract(actor=actor, key=secrets.token_bytes(32), out_dir=folder / "x", on=today)
            result.extract.runs.append(time.perf_counter() - start)
            result.rows = {t.name: t.rows for t in manifest.tables}
            result.bytes_parquet = sum(p.stat().st_size for p in (folder / "x").glob("*.parquet"))
            result.bytes_csv = sum(p.stat().st_size for p in (folder / "x").glob("*.csv"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        _snapshot_reads(today)
        result.reads.runs.append(time.perf_counter() - start)
    year, quarter = last_complete_quarter(today)
    result.quarter = f"{year} Q{quarter}"
    for _ in range(repeat):
        start = time.perf_counter()
        figures = quarterly_figures(year, quarter)
        result.quarterly.runs.append(time.perf_counter() - start)
        result.running_total = figures.running.total
    for _ in range(repeat):
        start = time.perf_counter()
        frame = caseload_frame(today)
        result.frame.runs.append(time.perf_counter() - start)
        result.frame_rows = len(frame)
    return result


def report(result: ExtractBenchResult, print=print) -> None:
    print(f"Outcomes exports ({result.backend}, {result.clients:,} clients)")
    if result.note:
        print(f"  {result.note}")
        return
    budget = f"budget < {EXTRACT_BUDGET_S:.0f} s for {BUDGET_CLIENTS:,} clients on PostgreSQL"
    print(f"  research extract       {result.extract.text()}   [{budget}: {result.verdict}]")
    if result.clients < BUDGET_CLIENTS and result.extrapolated_s is not None:
        print(f"    extrapolated to {BUDGET_CLIENTS:,} clients: {result.extrapolated_s:.1f} s (linear)")
    print(f"    of which the reads   {result.reads.text()} (five queries, COPY into Arrow)")
    rows = ", ".join(f"{name} {n:,}" for name, n in result.rows.items())
    print(f"    rows: {rows}")
    print(f"    written: Parquet {result.bytes_parquet / 1e6:.1f} MB, CSV {result.bytes_csv / 1e6:.1f} MB")
    total = "suppressed" if result.running_total is None else f"{result.running_total:,} running"
    print(f"  quarterly figures      {result.quarterly.text()}   ({result.quarter}: {total})")
    print(f"  caseload frame         {result.frame.text()}   ({result.frame_rows:,} clients on benefit)")


def run(print=print, *, today: dt.date | None = None, repeat: int = 3) -> ExtractBenchResult:
    """Measure on the database Django is configured for and print the report; bench/run.py calls this."""
    try:
        result = measure(today=today, repeat=repeat)
    except Exception as exc:  # a benchmark reports its failure instead of hiding the others
        result = ExtractBenchResult(note=f"{type(exc).__name__}: {exc}"[:300])
    report(result, print=print)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = common.database_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    def measure_all() -> int:
        result = run(repeat=args.repeat)
        return 1 if result.extract.median is None else 0

    return common.standalone(args, measure_all)


if __name__ == "__main__":
    sys.exit(main())
