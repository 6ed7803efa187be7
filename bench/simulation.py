"""Simulation benchmarks (issue 10): the pure engine (trede.simulation) on synthetic populations. No database and
no Django: runnable on its own, and from bench/run.py (run(print=print)).

    .venv/bin/python bench/simulation.py [--full] [--workers 2] [--national 406000] [--city 40000]
                                         [--kernel numba|numpy|both]

Budgets of the issue (the 2-core machine), each printed beside its figure:
1. The national population, 406,000 people x 120 months x 100 replications: at most 30 s (a compiled kernel
   measured 26.4 s for a model of this kind, pure NumPy about 125 s; trede has both, see --kernel). Measured
   as the wall time of runner.run (population, process pool, summary) with the baseline, without an inflow (the
   406,000 people themselves) and with the calibrated inflow (406,000 plus the people who apply over 10 years).
   Without --full only 10 replications are run and the time is extrapolated linearly to 100 (marked "~").
2. A city of 40,000 x 120 months x 100 replications: at most 5 s (also with and without the inflow).
3. At least 100 times faster than the one-person-at-a-time reference (trede.simulation.reference) on the same model
   and population, side by side in one run: 100,000 people and their inflow over 24 months, one replication each;
   the two results must be identical (the same draws).
4. Common random numbers cut the variance of a scenario difference at least 10-fold against independent seeds:
   baseline vs stockholm_caseload, 5,000 people, 60 months, 100 replications, per figure.
5. Peak memory under 1 GB for the national population: the peak resident memory of a fresh process that runs one
   replication of the national population with its inflow (what each worker holds), and of the parent.
A median within 20% of its budget is marked "tight": measure again on a quiet machine.

--kernel: the engine's hot loops compiled with Numba (trede.simulation.kernel, the default when numba is installed)
or in plain NumPy (the reference), or both side by side (the timings 1-2 for each; 3-5 with the first). The two
give identical results (tests/simulation/test_kernel.py). The Numba timings include each worker loading the
compiled kernel from Numba's cache (compiled once on first use, about 5 s, not counted if the cache exists).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, "") and "trede" not in sys.modules:  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from trede.simulation import engine as E  # noqa: E402
from trede.simulation import kernel as K  # noqa: E402
from trede.simulation import population as P  # noqa: E402
from trede.simulation import reference, runner  # noqa: E402
from trede.simulation import scenario as S  # noqa: E402
from trede.simulation.results import METRICS  # noqa: E402

NATIONAL = 406_000
CITY = 40_000
HORIZON = 120
REPLICATIONS = 100
NATIONAL_BUDGET_S = 30.0
CITY_BUDGET_S = 5.0
SPEEDUP_MIN = 100.0
CRN_MIN = 10.0
MEMORY_BUDGET_MB = 1024.0
TIGHT = 0.8
CRN_METRICS = ("months_on_benefit", "net_cost_eur", "outflow_work_rate", "on_benefit_end")


@dataclass
class Timing:
    name: str
    people: int = 0  # slots simulated (stock + inflow)
    replications: int = 0
    seconds: float | None = None  # measured
    scale: float = 1.0  # budget replications / measured replications
    budget_s: float | None = None
    note: str = ""
    kernel: str = ""

    @property
    def full_seconds(self) -> float | None:
        return None if self.seconds is None else self.seconds * self.scale

    @property
    def verdict(self) -> str:
        if self.full_seconds is None or self.budget_s is None:
            return ""
        if self.full_seconds > self.budget_s:
            return "OVER BUDGET"
        return "ok (tight)" if self.full_seconds > TIGHT * self.budget_s else "ok"


@dataclass
class SimulationResult:
    timings: list[Timing] = field(default_factory=list)
    engine_s: float | None = None
    reference_s: float | None = None
    identical: bool | None = None
    speed_people: int = 0
    crn: dict[str, float] = field(default_factory=dict)  # metric -> variance ratio
    memory_worker_mb: float | None = None
    memory_parent_mb: float | None = None
    workers: int = 0
    kernel: str = ""
    note: str = ""

    @property
    def speedup(self) -> float | None:
        if not self.engine_s or self.reference_s is None:
            return None
        return self.reference_s / self.engine_s


def time_run(
    name: str,
    n: int,
    replications: int,
    budget_reps: int,
    *,
    inflow: float,
    workers: int,
    budget_s: float,
    kernel: str | None = None,
):
    """Wall time of runner.run with the baseline (population, workers, summary)."""
    t0 = time.perf_counter()
    res = runner.run(
        ["baseline"],
        n,
        horizon=HORIZON,
        replications=replications,
        inflow=inflow,
        workers=workers,
        seed=1,
        kernel=kernel,
    )
    seconds = time.perf_counter() - t0
    people = res.meta["population"]["people"]
    t = Timing(name, people, replications, seconds, budget_reps / replications, budget_s)
    t.kernel = res.meta["kernel"]
    return t


def speed_vs_reference(n: int = 100_000, horizon: int = 24, kernel: str | None = None) -> tuple[float, float, bool]:
    sc = S.load("baseline")
    prep = E.Prepared(P.with_inflow(P.synthetic(n, 1), runner.DEFAULT_INFLOW_PER_YEAR, horizon))
    E.simulate(sc, prep, horizon=1, seed=1, replications=[0], kernel=kernel)  # load the compiled kernel first
    t0 = time.perf_counter()
    fast = E.simulate(sc, prep, horizon=horizon, seed=1, replications=[0], kernel=kernel)[0]
    t1 = time.perf_counter()
    slow = reference.simulate(sc, prep, horizon=horizon, seed=1, replications=[0])[0]
    t2 = time.perf_counter()
    same = all(
        np.array_equal(getattr(fast, f), getattr(slow, f))
        for f in ("acc", "end_state", "end_ladder", "curves", "pool_months", "end_duration")
    )
    return t1 - t0, t2 - t1, same


def crn_variance(n: int = 5000, horizon: int = 60, replications: int = 100) -> dict[str, float]:
    """Variance of the difference stockholm_caseload - baseline, independent seeds over common random numbers.
    100 replications: a ratio of two variances from 30 would be uncertain by about a third either way."""
    pop = runner.build_population(n, horizon=horizon, inflow=runner.DEFAULT_INFLOW_PER_YEAR)
    kw = {"horizon": horizon, "replications": replications, "backend": "serial"}
    paired = runner.run(["baseline", "stockholm_caseload"], pop, seed=1, **kw)
    other = runner.run(["stockholm_caseload"], pop, seed=1001, **kw)
    names = [m.name for m in METRICS]
    out = {}
    for metric in CRN_METRICS:
        k = names.index(metric)
        base = paired.per_replication["baseline"][:, k, 0]
        crn = paired.per_replication["stockholm_caseload"][:, k, 0] - base
        ind = other.per_replication["stockholm_caseload"][:, k, 0] - base
        out[metric] = float(np.var(ind, ddof=1) / np.var(crn, ddof=1))
    return out


# The peak from /proc (VmHWM, this process only): Linux keeps ru_maxrss across fork and exec, so getrusage in the
# child would report the (larger) benchmark process that started it.
MEMORY_SCRIPT = """
import resource, sys
sys.path.insert(0, {src!r})
from trede.simulation import engine as E, population as P, runner, scenario as S
pop = P.with_inflow(P.synthetic({n}, 1), runner.DEFAULT_INFLOW_PER_YEAR, {horizon})
runner._run_task(S.load("baseline"), E.Prepared(pop), {horizon}, 1, [0], None, {kernel!r})
try:
    hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
    print(int(hwm.split()[1]) / 1024)
except (OSError, IndexError):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_memory_mb(n: int, kernel: str | None = None) -> float:
    """Peak resident memory (MB) of a fresh process running one replication of n people with their inflow."""
    src = str(Path(__file__).resolve().parent.parent / "src")
    code = MEMORY_SCRIPT.format(src=src, n=n, horizon=HORIZON, kernel=kernel)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(
    print=print,  # noqa: A002 - bench/run.py passes its own
    *,
    full: bool = False,
    workers: int | None = None,
    national: int = NATIONAL,
    city: int = CITY,
    kernel: str | None = None,
) -> SimulationResult:
    """Measure everything and print the report; a failing part is reported, not raised. kernel: "numba", "numpy",
    "both" (timings 1-2 with each) or None (the engine's default)."""
    import resource
    import traceback

    workers = workers or min(2, os.cpu_count() or 1)
    kernels = list(K.KERNELS) if kernel == "both" else [K.resolve(kernel)]
    first = kernels[0]
    result = SimulationResult(workers=workers, kernel=first)
    national_reps = REPLICATIONS if full else 10
    steps = [
        *(
            (f"national ({k})", lambda k=k: _timings(result, national, national_reps, workers, NATIONAL_BUDGET_S,
                                                      "national", k))
            for k in kernels
        ),
        *(
            (f"city ({k})", lambda k=k: _timings(result, city, REPLICATIONS, workers, CITY_BUDGET_S, "city", k))
            for k in kernels
        ),
        ("reference", lambda: _reference(result, first)),
        ("crn", lambda: result.crn.update(crn_variance())),
        ("memory", lambda: setattr(result, "memory_worker_mb", peak_memory_mb(national, first))),
    ]  # fmt: skip
    for label, step in steps:
        try:
            print(f"Simulation benchmark: {label} ...", file=sys.stderr)
            step()
        except Exception as exc:  # noqa: BLE001 - the report says what broke
            traceback.print_exc()
            result.note += f"{label}: {type(exc).__name__}: {exc}"[:200] + "; "
    result.memory_parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_report(result, print=print)
    return result


def _timings(result, n, reps, workers, budget, label, kernel=None):
    for inflow, what in ((0.0, "closed"), (runner.DEFAULT_INFLOW_PER_YEAR, "with inflow")):
        t = time_run(f"{label} {n:,} x {HORIZON} x {REPLICATIONS}, {what}", n, reps, REPLICATIONS,
                     inflow=inflow, workers=workers, budget_s=budget, kernel=kernel)  # fmt: skip
        result.timings.append(t)


def _reference(result, kernel=None):
    result.speed_people = 100_000
    result.engine_s, result.reference_s, result.identical = speed_vs_reference(result.speed_people, kernel=kernel)


def _seconds(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f} s"


def print_report(result: SimulationResult, print=print) -> None:  # noqa: A002
    line = "-" * 104
    print(line)
    print(
        f"Simulation (issue 10)  |  Python {platform.python_version()}  |  NumPy {np.__version__}  |  "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}  |  {result.workers} workers  |  "
        f"Numba {numba_version()}"
    )
    print(line)
    for t in result.timings:
        shown = _seconds(t.full_seconds)
        if t.scale != 1.0 and t.seconds is not None:
            shown = f"~{shown} ({t.replications} replications in {t.seconds:.1f} s, x{t.scale:g})"
        print(f"  {t.name + ' [' + t.kernel + ']':<56} {shown:<40} budget {t.budget_s:.0f} s  {t.verdict}")
        print(f"    {'people simulated (stock + inflow)':<46} {t.people:,}")
    if result.speedup is not None:
        verdict = "ok" if result.speedup >= SPEEDUP_MIN else "BELOW TARGET"
        print(
            f"  {'vs one-person-at-a-time reference [' + result.kernel + ']':<56} {result.speedup:.0f}x faster "
            f"(engine {result.engine_s:.2f} s, reference {result.reference_s:.1f} s; {result.speed_people:,} people "
            f"+ inflow, 24 months, 1 replication; identical results: {'yes' if result.identical else 'NO'})  "
            f"target >= {SPEEDUP_MIN:.0f}x  {verdict}"
        )
    for metric, ratio in result.crn.items():
        verdict = "ok" if ratio >= CRN_MIN else "BELOW TARGET"
        print(
            f"  {'common random numbers: variance cut, ' + metric:<64} {ratio:5.1f}x  "
            f"target >= {CRN_MIN:.0f}x  {verdict}"
        )
    if result.memory_worker_mb is not None:
        verdict = "ok" if result.memory_worker_mb < MEMORY_BUDGET_MB else "OVER BUDGET"
        print(
            f"  {'peak memory, one national replication [' + result.kernel + ']':<56} "
            f"{result.memory_worker_mb:,.0f} MB (a worker; this "
            f"process {result.memory_parent_mb:,.0f} MB)  budget {MEMORY_BUDGET_MB:.0f} MB  {verdict}"
        )
    if result.note:
        print(f"  Failed: {result.note}")
    print()


def numba_version() -> str:
    if not K.available():
        return "not installed"
    import numba

    return numba.__version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the national population with all 100 replications")
    parser.add_argument("--workers", type=int, default=None, help="processes (default 2, the budget machine)")
    parser.add_argument("--national", type=int, default=NATIONAL)
    parser.add_argument("--city", type=int, default=CITY)
    parser.add_argument(
        "--kernel", choices=(*K.KERNELS, "both"), default=None, help=f"engine kernel (default {K.default()})"
    )
    args = parser.parse_args(argv)
    result = run(full=args.full, workers=args.workers, national=args.national, city=args.city, kernel=args.kernel)
    return 1 if result.note else 0


if __name__ == "__main__":
    sys.exit(main())
