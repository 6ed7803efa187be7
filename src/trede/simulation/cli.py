"""Command line: simulate scenarios and write the results to a folder.

    python -m trede.simulation.cli baseline stockholm_caseload --population 40000 --replications 100 \\
        --horizon 120 --out var/simulation/run1
    trede simulate baseline stockholm_caseload --population 40000 ...     (the Django command, same options)

A scenario is a shipped name (--list shows them) or the path of a TOML file. The first scenario is the reference
for the differences. The population is synthetic (--population N, 100 to 406,000) or a municipality's caseload
(--caseload FILE, CSV or Parquet with the columns of population.FRAME_COLUMNS). Replications run on a process pool
of --workers processes (default: the number of cores; 1 runs them in this process), on Dask with --scheduler
ADDRESS or TREDE_DASK_SCHEDULER, or on a local Dask cluster with --dask. --kernel numba runs the hot loops compiled
(the default when numba is installed), --kernel numpy in plain NumPy. Results are the same whichever.

Written: results, differences, curves and parameters (CSV and Parquet), run.json, summary.txt; with
--calibration also calibration.txt / calibration.csv / sources.csv for the baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from trede.simulation import kernel as K
from trede.simulation import population as P
from trede.simulation import runner
from trede.simulation import scenario as S

SUMMARY_METRICS = (
    "months_on_benefit",
    "outflow_work_rate",
    "durable_share",
    "return_12m_share",
    "on_benefit_end",
    "active_share",
    "sanctions_per_100",
    "net_cost_eur",
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="trede simulate",
        description="Simulate the caseload under one or more scenarios (the first is the reference).",
    )
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="shipped scenario name or path of a TOML file")
    p.add_argument("--population", type=int, default=None, help="synthetic population of N people on benefit")
    p.add_argument("--caseload", default=None, help="a municipality's caseload: CSV or Parquet file")
    p.add_argument("--replications", type=int, default=runner.DEFAULT_REPLICATIONS, help="default 100")
    p.add_argument("--horizon", type=int, default=runner.DEFAULT_HORIZON, help="months, default 120")
    p.add_argument("--seed", type=int, default=runner.DEFAULT_SEED)
    p.add_argument(
        "--inflow",
        type=float,
        default=runner.DEFAULT_INFLOW_PER_YEAR,
        help=f"new applicants a year as a share of the caseload (default {runner.DEFAULT_INFLOW_PER_YEAR}; 0: none)",
    )
    p.add_argument("--out", default=None, help="folder for the results (default var/simulation/<first scenario>)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: the number of cores)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--dask", action="store_true", help="run on a local Dask cluster")
    p.add_argument("--format", default="csv,parquet", help="csv, parquet or both (default)")
    p.add_argument("--calibration", action="store_true", help="also write the calibration report of the baseline")
    p.add_argument("--list", action="store_true", help="list the shipped scenarios and stop")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--kernel",
        default=None,
        help=f"numba (compiled) or numpy; identical results (default: {K.default()})",
    )
    return p


def _population(args):
    if args.caseload:
        import pandas as pd

        path = Path(args.caseload)
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        return P.population_from_frame(frame, args.seed)
    return args.population if args.population is not None else 10_000


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command; returns the exit status (0 done, 2 wrong input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = parser().parse_args(argv)
    if args.list:
        for name in S.shipped():
            sc = S.load(name)
            out.write(f"{name:<28} {sc.title}\n")
        return 0
    if not args.scenarios:
        err.write("name at least one scenario (--list shows the shipped ones)\n")
        return 2
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in ("csv", "parquet") for f in formats):
        err.write("--format: csv, parquet or csv,parquet\n")
        return 2
    try:
        scenarios = S.load_many(args.scenarios)
        population = _population(args)
        K.resolve(args.kernel)
    except (S.ScenarioError, P.FrameError, ValueError, OSError, ImportError) as exc:
        err.write(f"{exc}\n")
        return 2
    folder = Path(args.out or Path(os.environ.get("TREDE_VAR_DIR", "var")) / "simulation" / scenarios[0].name)
    backend = "auto"
    if args.dask:
        backend = "dask-local"
    elif args.scheduler or os.environ.get(runner.ENV_SCHEDULER):
        backend = "dask"
    workers = args.workers or os.cpu_count() or 1
    bar = None
    progress = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=args.replications * len(scenarios), unit="replication", file=err, leave=False)

        def progress(done: int, total: int) -> None:
            bar.update(done - bar.n)

    try:
        results = runner.run(
            scenarios,
            population,
            horizon=args.horizon,
            replications=args.replications,
            seed=args.seed,
            inflow=args.inflow,
            workers=workers,
            backend=backend,
            scheduler=args.scheduler,
            progress=progress,
            kernel=args.kernel,
        )
    except ValueError as exc:
        err.write(f"{exc}\n")
        return 2
    finally:
        if bar is not None:
            bar.close()
    written = results.write(folder, formats)
    text = summary(results)
    (folder / "summary.txt").write_text(text, encoding="utf-8")
    written.append(folder / "summary.txt")
    out.write(text)
    if args.calibration:
        from trede.simulation import calibration

        base = next((s for s in scenarios if s.name == "baseline"), S.load("baseline"))
        report = calibration.calibration_report(
            population,
            baseline=base,
            scenarios=scenarios,
            replications=max(2, min(args.replications, 20)),
            horizon=args.horizon,
            seed=args.seed,
            inflow=args.inflow,
            workers=workers,
        )
        (folder / "calibration.txt").write_text(report.to_text() + "\n", encoding="utf-8")
        report.to_frame().to_csv(folder / "calibration.csv", index=False)
        report.sources_frame().to_csv(folder / "sources.csv", index=False)
        written += [folder / "calibration.txt", folder / "calibration.csv", folder / "sources.csv"]
        out.write(f"Calibration within tolerance: {'yes' if report.ok else 'NO'} (calibration.txt)\n")
    out.write(f"Written to {folder}: {', '.join(p.name for p in written)}\n")
    return 0


def summary(results) -> str:
    """The figures for everyone, per scenario, with the difference from the reference."""
    meta = results.meta
    pop = meta["population"]
    lines = [
        f"{pop['stock']:,} on benefit at the start, {pop['inflow']:,} applicants; {meta['horizon_months']} months, "
        f"{meta['replications']} replications, seed {meta['seed']}; {meta['seconds']:.1f} s ({meta['backend']}, "
        f"workers: {meta['workers']})",
        "Figures for everyone: mean [2.5%, 97.5% over the replications]; difference from "
        f"{results.reference} (paired).",
        "",
    ]
    for sc in results.scenarios:
        lines.append(f"{sc.name}: {sc.title_en or sc.title}")
        for name in SUMMARY_METRICS:
            v = results.value(sc.name, name)
            text = f"  {name:<20}{v['mean']:>12,.1f}  [{v['lo']:,.1f}, {v['hi']:,.1f}]"
            if sc.name != results.reference:
                d = results.difference(sc.name, name)
                text += f"   diff {d['mean']:+,.1f} [{d['lo']:+,.1f}, {d['hi']:+,.1f}]"
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
