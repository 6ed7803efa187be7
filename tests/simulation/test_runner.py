"""The runner: the same results in this process, on a process pool and on Dask; common random numbers."""

from __future__ import annotations

import numpy as np
import pytest

from trede.simulation import runner
from trede.simulation import scenario as S
from trede.simulation.results import METRICS


@pytest.fixture(scope="module")
def pop():
    return runner.build_population(600, horizon=24, inflow=0.16, seed=5)


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x.same_as(y) for x, y in zip(a, b, strict=True))


def test_dask_local_cluster_gives_bit_identical_results(pop):
    from distributed import Client, LocalCluster

    serial = runner.raw("baseline", pop, horizon=24, replications=range(3), seed=8)
    with (
        LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
        client.get_executor() as ex,
    ):
        on_dask = runner.raw("baseline", pop, horizon=24, replications=range(3), seed=8, executor=ex)
    assert _same(serial, on_dask)


def test_process_pool_and_batching_give_bit_identical_results(pop):
    kw = {"horizon": 24, "replications": 4, "seed": 8}
    serial = runner.run(["baseline", "stockholm_caseload"], pop, backend="serial", batch=4, **kw)
    pooled = runner.run(["baseline", "stockholm_caseload"], pop, backend="process", workers=2, batch=1, **kw)
    assert pooled.meta["backend"] == "process"
    for name in ("baseline", "stockholm_caseload"):
        assert _same(serial.raw[name], pooled.raw[name])
    assert serial.table.equals(pooled.table)


def test_the_environment_variable_selects_dask(monkeypatch, pop):
    seen = {}

    class FakeClient:
        def __init__(self, address):
            seen["address"] = address
            raise RuntimeError("no cluster here")

    import distributed

    monkeypatch.setattr(distributed, "Client", FakeClient)
    monkeypatch.setenv(runner.ENV_SCHEDULER, "tcp://scheduler.example:8786")
    with pytest.raises(RuntimeError, match="no cluster"):
        runner.run(["baseline"], pop, horizon=12, replications=1)
    assert seen["address"] == "tcp://scheduler.example:8786"


def test_identical_scenarios_have_zero_paired_differences(pop):
    base = S.load("baseline")
    twin = base.replace({}, source="x", name="twin")
    res = runner.run([base, twin], pop, horizon=24, replications=5, seed=3, backend="serial")
    d = res.differences
    assert len(d) and (d["mean"].fillna(0) == 0).all() and (d["lo"].fillna(0) == 0).all()
    assert (d["hi"].fillna(0) == 0).all()


def test_common_random_numbers_cut_the_variance_of_a_difference():
    pop = runner.build_population(3000, horizon=48, inflow=0.16, seed=5)
    kw = {"horizon": 48, "replications": 16, "backend": "serial"}
    paired = runner.run(["baseline", "stockholm_caseload"], pop, seed=1, **kw)
    other = runner.run(["stockholm_caseload"], pop, seed=777, **kw)
    k = [m.name for m in METRICS].index("net_cost_eur")
    base = paired.per_replication["baseline"][:, k, 0]
    crn = paired.per_replication["stockholm_caseload"][:, k, 0] - base
    independent = other.per_replication["stockholm_caseload"][:, k, 0] - base
    assert np.var(independent, ddof=1) > 4 * np.var(crn, ddof=1)


def test_task_sizes():
    assert runner.task_batches(100, 2, 400_000, 120, 2) == 1  # big: one replication a task
    assert runner.task_batches(100, 1, 40_000, 120, 2) == 10  # a city: batches of 10 for the engine
    assert runner.task_batches(100, 1, 100, 12, 2) == 50  # tiny: as much as possible, but work for both
    assert runner.task_batches(3, 1, 100, 12, 1) == 3


def test_bad_input():
    with pytest.raises(ValueError):
        runner.run([], 200, replications=1)
    with pytest.raises(ValueError):
        runner.run(["baseline"], 200, replications=0)
    with pytest.raises(ValueError):
        runner.run(["baseline", "baseline"], 200, replications=1)
