"""Monte Carlo replications of several scenarios, in this process, on a local process pool or on Dask.

    from trede.simulation import runner
    results = runner.run(["baseline", "stockholm_caseload"], 40_000, replications=100, horizon=120)
    results.write("out/")

Replications and scenarios are spread as tasks through the standard concurrent.futures Executor interface: in this
process (one worker), a process pool (spawn) with `workers` > 1, or Dask when a scheduler address is given
(`scheduler=` or the environment variable TREDE_DASK_SCHEDULER, e.g. tcp://host:8786) or a local Dask cluster is
asked for (backend="dask-local"). Each task runs several replications of one scenario (at least about 0.1 s of
work) and returns their raw sums; the results are put together in replication order, so they are bit-identical
whatever the backend, the number of workers or the batching (every draw is keyed on seed, replication, month and
person: rng.py). Every scenario runs the same replication numbers: their differences are paired (common random
numbers).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed

from trede.simulation import engine as E
from trede.simulation import kernel as K
from trede.simulation import population as P
from trede.simulation import scenario as S
from trede.simulation.results import Grouping, RepGroups, Results, summarise

DEFAULT_HORIZON = 120  # months (10 years), issue 10
DEFAULT_REPLICATIONS = 100
DEFAULT_SEED = 2026
# New applicants a year as a share of the caseload at the start, so that the baseline caseload stays about steady
# (population.md: 408,000 in 2021, 406,000 at the end of 2024). Calibrated with calibration.tune on the synthetic
# population together with the baseline's hazards.
DEFAULT_INFLOW_PER_YEAR = 0.159
ENV_SCHEDULER = "TREDE_DASK_SCHEDULER"
MIN_TASK_SECONDS = 0.1
SECONDS_PER_PERSON_MONTH = 5e-8  # rough engine speed, for sizing tasks (measured on the 2-core machine)

_WORKER_PREP: E.Prepared | None = None


def _init_worker(prep: E.Prepared) -> None:
    global _WORKER_PREP
    _WORKER_PREP = prep


def _run_task(
    scenario: S.Scenario,
    prep: E.Prepared | None,
    horizon: int,
    seed: int,
    reps: Sequence[int],
    chunk: int | None,
    kernel: str | None = None,
) -> list[RepGroups]:
    """One task: some replications of one scenario, reduced to their groups (module level, so that it pickles)."""
    prep = prep if prep is not None else _WORKER_PREP
    model = E.Model(scenario, prep, horizon)
    grouping = Grouping(prep, model)
    reps = list(reps)
    size = E.batch_size(prep, len(reps))
    out: list[RepGroups] = []
    for lo in range(0, len(reps), size):
        out += [
            grouping.reduce(rr)
            for rr in E.Batch(model, prep, seed, reps[lo : lo + size], chunk=chunk, kernel=kernel).run()
        ]
    return out


def build_population(population, *, horizon: int, inflow: float, seed: int = DEFAULT_SEED) -> P.Population:
    """A Population from a size (synthetic), a caseload DataFrame (population_from_frame) or a Population; with
    the inflow added unless it has one already."""
    if isinstance(population, int):
        pop = P.synthetic(population, seed)
    elif isinstance(population, P.Population):
        pop = population
    else:
        pop = P.population_from_frame(population, seed)
    if pop.n_stock == pop.n and inflow > 0:
        pop = P.with_inflow(pop, inflow, horizon, seed)
    return pop


def task_batches(replications: int, n_scenarios: int, people: int, horizon: int, workers: int) -> int:
    """Replications per task: enough for about MIN_TASK_SECONDS of work and for the engine's batches
    (engine.BATCH_PEOPLE persons together), but not so many that a worker idles."""
    per_rep = max(SECONDS_PER_PERSON_MONTH * people * horizon, 1e-9)
    size = max(1, math.ceil(MIN_TASK_SECONDS / per_rep), E.BATCH_PEOPLE // max(people, 1))
    return max(1, min(size, replications, math.ceil(replications * n_scenarios / max(1, workers))))


def run(
    scenarios: Sequence[S.Scenario | str],
    population,
    *,
    horizon: int = DEFAULT_HORIZON,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    inflow: float = DEFAULT_INFLOW_PER_YEAR,
    population_seed: int = DEFAULT_SEED,
    workers: int | None = None,
    backend: str = "auto",
    scheduler: str | None = None,
    batch: int | None = None,
    chunk: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    kernel: str | None = None,
) -> Results:
    """Simulate the scenarios (the first is the reference for the differences) on the population.

    population: a size (synthetic), a caseload DataFrame, or a Population. backend: "auto" (Dask when a scheduler
    address is given or set in TREDE_DASK_SCHEDULER, else a process pool when workers > 1, else this process),
    "serial", "process", "dask" (needs an address) or "dask-local" (a local Dask cluster of `workers` processes).
    progress(done, total) is called as replications finish. kernel: "numba" (compiled, kernel.py), "numpy" or None
    (Numba when it imports); the results are identical."""
    kernel = K.resolve(kernel)
    if replications < 1:
        raise ValueError("at least one replication")
    scs = [s if isinstance(s, S.Scenario) else S.load(s) for s in scenarios]
    if not scs:
        raise ValueError("at least one scenario")
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ: {names}")
    t0 = time.perf_counter()
    pop = build_population(population, horizon=horizon, inflow=inflow, seed=population_seed)
    prep = E.Prepared(pop)
    for sc in scs:
        E.Model(sc, prep, horizon)  # fail early on a scenario that does not fit the horizon or population
    scheduler = scheduler or os.environ.get(ENV_SCHEDULER) or None
    if backend == "auto":
        backend = "dask" if scheduler else ("process" if (workers or 1) > 1 else "serial")
    workers = workers or (os.cpu_count() or 1)
    size = batch or task_batches(replications, len(scs), pop.n, horizon, workers if backend != "serial" else 1)
    tasks = [
        (i, list(range(lo, min(replications, lo + size))))
        for i in range(len(scs))
        for lo in range(0, replications, size)
    ]
    runs: dict[str, list] = {s.name: [None] * replications for s in scs}
    total = replications * len(scs)
    done = 0

    def collect(i: int, reps: list[int], out: list[E.RepResult]) -> None:
        nonlocal done
        for r, rr in zip(reps, out, strict=True):
            runs[scs[i].name][r] = rr
        done += len(reps)
        if progress:
            progress(done, total)

    if backend == "serial":
        for i, reps in tasks:
            collect(i, reps, _run_task(scs[i], prep, horizon, seed, reps, chunk, kernel))
    elif backend == "process":
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        ex = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(prep,))
        try:
            _drain(ex, tasks, scs, None, horizon, seed, chunk, kernel, collect)
        finally:  # the results are in: the workers take a quarter of a second to exit, not waited for
            ex.shutdown(wait=False, cancel_futures=True)
    elif backend in ("dask", "dask-local"):
        from distributed import Client, LocalCluster

        cluster = None
        if backend == "dask-local" or not scheduler:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler)
        try:
            shared = client.scatter(prep, broadcast=True)
            with client.get_executor() as ex:
                _drain(ex, tasks, scs, shared, horizon, seed, chunk, kernel, collect)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        raise ValueError(f"unknown backend {backend!r}")
    seconds = time.perf_counter() - t0
    groups = Grouping(prep, E.Model(scs[0], prep, horizon)).groups
    meta = {
        "horizon_months": horizon,
        "replications": replications,
        "seed": seed,
        "population_seed": population_seed,
        "inflow_per_year": inflow if pop.n > pop.n_stock else 0.0,
        "population": pop.summary(),
        "population_notes": list(pop.notes),
        "backend": backend,
        "workers": workers if backend != "serial" else 1,
        "replications_per_task": size,
        "kernel": kernel,
        "seconds": round(seconds, 3),
    }
    return summarise(runs, scs, groups, meta)


def _drain(ex: Executor, tasks, scs, prep, horizon, seed, chunk, kernel, collect) -> None:
    futures = {ex.submit(_run_task, scs[i], prep, horizon, seed, reps, chunk, kernel): (i, reps) for i, reps in tasks}
    import pandas  # noqa: F401 - the summary needs it: loaded (a quarter of a second) while the workers run

    for fut in as_completed(futures):
        i, reps = futures[fut]
        collect(i, reps, fut.result())


def raw(
    scenario: S.Scenario | str,
    population,
    *,
    horizon: int = DEFAULT_HORIZON,
    replications: Sequence[int] = (0,),
    seed: int = DEFAULT_SEED,
    inflow: float = DEFAULT_INFLOW_PER_YEAR,
    executor: Executor | None = None,
    chunk: int | None = None,
    kernel: str | None = None,
) -> list[RepGroups]:
    """The replications of one scenario reduced to their groups, in this process or on a given Executor (one task
    per replication): for tests and tools that need the sums themselves."""
    sc = scenario if isinstance(scenario, S.Scenario) else S.load(scenario)
    pop = build_population(population, horizon=horizon, inflow=inflow)
    prep = E.Prepared(pop)
    kernel = K.resolve(kernel)
    if executor is None:
        return _run_task(sc, prep, horizon, seed, list(replications), chunk, kernel)
    futures = [executor.submit(_run_task, sc, prep, horizon, seed, [r], chunk, kernel) for r in replications]
    return [f.result()[0] for f in futures]
