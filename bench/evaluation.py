"""Evaluation benchmarks (issue 9): the pure evaluation core (trede.stats.evaluation) on a synthetic pilot. No
database and no Django: runnable on its own, and usable from bench/run.py (run(print=print) returns the result).

    .venv/bin/python bench/evaluation.py [--clients 35000] [--replications 1000] [--repeat 5] [--seed 2026]

1. Randomising 35,000 clients in 20 strata (district x route x age band; permuted blocks, 1:1) from a seed.
   Budget < 1 s (the median of --repeat runs).
2. The full pre-registered analysis of a 35,000-client pilot with 10 baseline factors (analyse(plan, frame)):
   monitoring and balance; for the primary (paid work within 12 months) the ITT with conventional and HC1 errors,
   the adjusted ITT, the complier effect (2SLS), four subgroups with Holm's correction and a bootstrap interval of
   1,000 replications; for time to work Kaplan-Meier per arm, log-rank and the Cox model (unadjusted and
   adjusted on the 10 factors); for months on benefit the ITT, adjusted ITT and complier effect.
   Budget < 60 s on 2 cores. The bootstrap runs on Dask when TREDE_DASK_SCHEDULER names a scheduler (the header
   says which); otherwise in this process. Its parts are timed again apart (Cox models, bootstrap) for the table.
Generating the synthetic pilot is timed apart: it is not part of the analysis.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, "") and "trede" not in sys.modules:  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from trede.stats.evaluation import bootstrap as boot  # noqa: E402
from trede.stats.evaluation.durations import duration_effect  # noqa: E402
from trede.stats.evaluation.randomise import randomise_frame  # noqa: E402
from trede.stats.evaluation.report import analyse, bootstrap_primary  # noqa: E402
from trede.stats.evaluation.synthetic import synthetic_pilot  # noqa: E402

CLIENTS = 35_000
RANDOMISE_BUDGET_S = 1.0
ANALYSIS_BUDGET_S = 60.0


@dataclass
class Timing:
    name: str
    runs: list[float] = field(default_factory=list)
    budget_s: float | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def verdict(self) -> str:
        if self.budget_s is None or self.median is None:
            return ""
        return "ok" if self.median < self.budget_s else "OVER BUDGET"


@dataclass
class EvaluationResult:
    clients: int = 0
    replications: int = 0
    strata: int = 0
    factors: int = 0
    backend: str = "in-process"
    timings: list[Timing] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.note and all(t.verdict != "OVER BUDGET" for t in self.timings)


def _seconds(v: float | None) -> str:
    if v is None:
        return "-"
    if v < 1:
        return f"{v * 1000:.1f} ms" if v < 0.01 else f"{v * 1000:.0f} ms"
    return f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def machine() -> str:
    try:
        load = "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return f"Python {platform.python_version()} | NumPy {np.__version__} | {os.cpu_count()} cores | {load}"


def run(
    print=print,  # noqa: A002 - the caller's print (bench/run.py passes its own)
    *,
    clients: int = CLIENTS,
    replications: int = 1000,
    repeat: int = 5,
    seed: int = 2026,
) -> EvaluationResult:
    """Measure, print the figures against the budgets, and return them."""
    result = EvaluationResult(clients=clients, replications=replications)
    address = boot.scheduler_address()
    result.backend = f"dask {address}" if address else "in-process"

    t0 = time.perf_counter()
    plan, frame = synthetic_pilot(clients, seed=seed, bootstrap=replications)
    generate = Timing("generate the synthetic pilot", [time.perf_counter() - t0])
    result.factors = len(plan.covariates)
    result.strata = int(frame.groupby(list(plan.strata)).ngroups)

    rand = Timing(f"randomise {clients:,} clients, {result.strata} strata", budget_s=RANDOMISE_BUDGET_S)
    assignment = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        assignment = randomise_frame(frame, id_column="client_id", strata=list(plan.strata), seed=seed)
        rand.runs.append(time.perf_counter() - t0)
    counts = assignment.counts
    rand.note = f"{counts['intervention']:,} / {counts['control']:,}, digest {assignment.digest[:12]}"

    full = Timing(
        f"full analysis, {result.factors} factors, {replications:,} bootstrap",
        budget_s=ANALYSIS_BUDGET_S,
    )
    report = None
    try:
        t0 = time.perf_counter()
        report = analyse(plan, frame)
        full.runs.append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the benchmark run goes on
        result.note = f"analyse failed: {type(exc).__name__}: {exc}"[:300]
    result.timings = [rand, full]
    if report is not None:
        duration = plan.secondary[0]
        t0 = time.perf_counter()
        for covariates in ((), plan.covariates):
            duration_effect(frame, duration=duration.column, event=duration.event, covariates=covariates)
        cox = Timing("  apart: Cox (2 models) + Kaplan-Meier", [time.perf_counter() - t0])
        t0 = time.perf_counter()
        bootstrap_primary(plan, frame, plan.primary)
        bootstrap = Timing(f"  apart: bootstrap ({replications:,}, {result.backend})", [time.perf_counter() - t0])
        result.timings += [cox, bootstrap]
        p = report.primary
        hr = report.outcomes[1].duration.hazard_ratio
        result.figures = {
            "n": report.n,
            "itt": (p.itt.estimate, p.itt.ci_low, p.itt.ci_high, p.itt.n),
            "adjusted": (p.adjusted.estimate, p.adjusted.ci_low, p.adjusted.ci_high),
            "bootstrap": (p.bootstrap.ci_low, p.bootstrap.ci_high, p.bootstrap.failed),
            "complier": (p.complier.effect.estimate, p.complier.first_stage),
            "hazard_ratio": (hr.hazard_ratio, hr.ci_low, hr.ci_high, hr.n, hr.events),
        }
    result.timings.append(generate)
    print_report(result, print=print)
    return result


def print_report(result: EvaluationResult, print=print) -> None:  # noqa: A002
    print("Evaluation (trede.stats.evaluation; synthetic pilot, no database)")
    print(f"  {'':<52}{'median':>10}   {'min':>9} {'max':>9}  runs  budget")
    for t in result.timings:
        budget = f"< {t.budget_s:.0f} s" if t.budget_s else ""
        print(
            f"  {t.name:<52}{_seconds(t.median):>10}   {_seconds(min(t.runs)) if t.runs else '-':>9} "
            f"{_seconds(max(t.runs)) if t.runs else '-':>9}  {len(t.runs):>4}  {budget:<7} {t.verdict}"
            f"{'  ' + t.note if t.note else ''}".rstrip()
        )
    f = result.figures
    if f:
        itt, adj, b, c, hr = f["itt"], f["adjusted"], f["bootstrap"], f["complier"], f["hazard_ratio"]
        print(
            f"  primary (work within 12 months, {itt[3]:,} with an outcome): ITT {itt[0]:+.4f} "
            f"[{itt[1]:+.4f}, {itt[2]:+.4f}] (HC1); adjusted {adj[0]:+.4f} [{adj[1]:+.4f}, {adj[2]:+.4f}]; "
            f"bootstrap [{b[0]:+.4f}, {b[1]:+.4f}] ({b[2]} failed); complier effect {c[0]:+.4f} "
            f"(take-up difference {c[1]:.3f})"
        )
        print(
            f"  time to work: Cox hazard ratio {hr[0]:.3f} [{hr[1]:.3f}, {hr[2]:.3f}] on {hr[3]:,} spells, "
            f"{hr[4]:,} exits to work"
        )
    if result.note:
        print(f"  {result.note}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help="clients in the pilot (35,000)")
    parser.add_argument("--replications", type=int, default=1000, help="bootstrap replications (1,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the randomiser timing")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    line = "-" * 104
    print(line)
    print(f"trede evaluation benchmark  |  {machine()}")
    print(line)
    result = run(clients=args.clients, replications=args.replications, repeat=args.repeat, seed=args.seed)
    if not result.ok:
        over = [t.name for t in result.timings if t.verdict == "OVER BUDGET"]
        print("Failed: " + "; ".join(filter(None, [*over, result.note])), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
