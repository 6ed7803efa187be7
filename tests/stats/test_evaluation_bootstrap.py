"""The bootstrap: draws keyed on (seed, replication), so that chunks, order and the Dask cluster do not change
the replicates; resampling within strata and by cluster; the interval on a known case."""

import functools

import numpy as np
import pytest
from dask.distributed import LocalCluster

from trede.stats.evaluation import bootstrap as boot
from trede.stats.evaluation.bootstrap import (
    ENV_SCHEDULER,
    _run_chunk,
    _scheme,
    adjusted_difference_statistic,
    bootstrap,
    difference_in_means_statistic,
    resample,
)


def data(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(n, 3))
    z = rng.integers(0, 2, n).astype(float)
    y = 1 + 0.5 * z + w @ np.array([1.0, -0.5, 0.2]) + rng.normal(size=n)
    return {"y": y, "z": z, "w": w}


def test_same_seed_same_replicates_other_seed_other():
    d = data()
    a = bootstrap(difference_in_means_statistic, d, replications=200, seed=7, scheduler=False)
    b = bootstrap(difference_in_means_statistic, d, replications=200, seed=7, scheduler=False)
    c = bootstrap(difference_in_means_statistic, d, replications=200, seed=8, scheduler=False)
    assert np.array_equal(a.replicates, b.replicates)
    assert not np.array_equal(a.replicates, c.replicates)
    assert a.backend == "in-process" and a.n == 2000 and a.replications == 200 and a.failed == 0


def test_a_replication_does_not_depend_on_the_chunking():
    d = data()
    scheme = _scheme(2000, d["z"], None)
    whole = _run_chunk(difference_in_means_statistic, (d, scheme), 3, 0, 100)
    pieces = np.concatenate(
        [_run_chunk(difference_in_means_statistic, (d, scheme), 3, s, s + 7) for s in range(0, 100, 7)]
    )
    assert np.array_equal(whole, pieces[:100])
    assert np.array_equal(resample(scheme, 3, 42), resample(scheme, 3, 42))


def test_dask_cluster_gives_the_same_interval_as_in_process(monkeypatch):
    d = data(5000)
    local = bootstrap(adjusted_difference_statistic, d, replications=150, seed=11, strata=d["z"], scheduler=False)
    with LocalCluster(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        monkeypatch.setenv(ENV_SCHEDULER, cluster.scheduler_address)
        assert boot.scheduler_address() == cluster.scheduler_address
        remote = bootstrap(adjusted_difference_statistic, d, replications=150, seed=11, strata=d["z"], chunk_size=13)
    assert remote.backend == f"dask {cluster.scheduler_address}"
    assert np.array_equal(remote.replicates, local.replicates)
    assert (remote.ci_low, remote.ci_high, remote.se) == (local.ci_low, local.ci_high, local.se)


def test_without_the_variable_it_runs_in_process(monkeypatch):
    monkeypatch.delenv(ENV_SCHEDULER, raising=False)
    assert boot.scheduler_address() is None
    assert bootstrap(difference_in_means_statistic, data(100), replications=20).backend == "in-process"


def test_resampling_within_strata_keeps_the_arm_sizes():
    d = data(301)
    scheme = _scheme(301, d["z"], None)
    for r in range(20):
        idx = resample(scheme, 5, r)
        assert len(idx) == 301
        assert d["z"][idx].sum() == d["z"].sum()


def test_cluster_resampling_takes_whole_clusters():
    n = 400
    clusters = np.repeat(np.arange(40), 10)
    arms = (clusters % 2).astype(float)
    scheme = _scheme(n, arms, clusters)
    assert scheme.kind == "clusters within strata"
    for r in range(10):
        idx = resample(scheme, 1, r)
        picked = clusters[idx]
        # every picked cluster comes whole (10 rows each time it is drawn), and 20 clusters per arm
        counts = np.bincount(picked, minlength=40)
        assert (counts % 10 == 0).all()
        assert counts[::2].sum() == counts[1::2].sum() == 200
    with pytest.raises(ValueError, match="spans more than one stratum"):
        _scheme(4, [0, 1, 0, 1], [0, 0, 1, 1])


def test_interval_covers_and_the_se_is_near_the_analytic_one():
    d = data(4000, seed=2)
    r = bootstrap(difference_in_means_statistic, d, replications=400, seed=1, strata=d["z"], scheduler=False)
    y, z = d["y"], d["z"]
    analytic = np.sqrt(y[z == 1].var(ddof=1) / (z == 1).sum() + y[z == 0].var(ddof=1) / (z == 0).sum())
    assert r.se == pytest.approx(analytic, rel=0.15)
    assert r.ci_low < r.estimate < r.ci_high
    assert r.estimate == pytest.approx(y[z == 1].mean() - y[z == 0].mean())
    assert r.ci_low == pytest.approx(np.quantile(r.replicates, 0.025))
    with pytest.raises(ValueError):
        r.replicates[0] = 0.0


def _fails_sometimes(data, idx):
    return float("nan") if idx[0] % 2 else 1.0 + idx.size * 0


def test_failed_replications_are_counted():
    r = bootstrap(_fails_sometimes, {"y": np.arange(50.0)}, replications=100, seed=0, scheduler=False)
    assert 0 < r.failed < 100 and r.ci_low == r.ci_high == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"replications": 1}, "at least 2"),
        ({"seed": -3}, "seed"),
        ({"alpha": 2}, "alpha"),
        ({"strata": [0, 1]}, "differ in length"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap(functools.partial(difference_in_means_statistic), data(10), scheduler=False, **kwargs)


def test_arrays_of_different_length_are_refused():
    with pytest.raises(ValueError, match="same length"):
        bootstrap(difference_in_means_statistic, {"y": np.ones(3), "z": np.ones(4)}, scheduler=False)
