"""Bootstrap intervals with reproducible draws, in this process or on a Dask cluster, with the same result.

Replication r draws its resample from its own counter-based random stream: NumPy's Philox keyed on (seed, r). The
draws therefore do not depend on the order in which replications run, on how they are split into chunks, or on the
worker that runs them: on one core, on a local Dask cluster or on a remote one, the replicates are the same numbers
(given the same NumPy version and the same statistic).

Dask: when the environment variable TREDE_DASK_SCHEDULER holds a scheduler address (e.g. tcp://10.0.0.5:8786), the
replications run as chunks on that cluster (dask.distributed Client(address)): the data is sent once to every
worker (scatter, broadcast) and the chunks are mapped over it. Without it they run in this process. The statistic
must then be a function that can be pickled (a module-level function; functools.partial of one is fine).

Resampling: people with replacement (simple); within strata (each stratum keeps its size: for a randomised pilot
stratify by arm, and by the randomisation strata); or whole clusters (with cluster randomisation), within strata
when both are given (clusters must then lie within one stratum).
Interval: percentile (the alpha/2 and 1 - alpha/2 quantiles of the replicates, linear interpolation) and the
bootstrap standard error (the standard deviation of the replicates). A replication whose statistic is not a finite
number (e.g. an arm empty in the resample) is counted as failed and left out.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

ENV_SCHEDULER = "TREDE_DASK_SCHEDULER"

Statistic = Callable[[Mapping[str, np.ndarray], np.ndarray], float]


@dataclass(frozen=True, eq=False)  # holds arrays: compare by identity
class BootstrapInterval:
    estimate: float  # the statistic on the data itself
    ci_low: float
    ci_high: float
    se: float
    alpha: float
    replications: int
    failed: int
    n: int
    seed: int
    resampling: str
    backend: str  # "in-process" or "dask <address>"
    replicates: np.ndarray  # read-only, in replication order
    method: str = "percentile"


@dataclass(frozen=True)
class _Scheme:
    """How a replication resamples: groups of row indices (strata), each a list of blocks (clusters or rows)."""

    n: int
    kind: str
    strata: tuple[np.ndarray, ...]  # per stratum: row indices (simple/strata) or cluster ids into `clusters`
    clusters: tuple[np.ndarray, ...] = ()  # per cluster: its row indices


def _scheme(n: int, strata, clusters) -> _Scheme:
    if strata is not None and len(strata) != n:
        raise ValueError(f"strata ({len(strata)}) and data ({n}) differ in length")
    if clusters is not None and len(clusters) != n:
        raise ValueError(f"clusters ({len(clusters)}) and data ({n}) differ in length")
    s_codes = np.zeros(n, dtype=np.int64)
    if strata is not None:
        if pd.isna(np.asarray(strata, dtype=object)).any():
            raise ValueError("a stratum is missing")
        s_codes = pd.factorize(pd.Series(list(strata)), sort=True)[0]
    if clusters is None:
        order = np.argsort(s_codes, kind="stable")
        bounds = np.flatnonzero(np.diff(s_codes[order])) + 1
        groups = tuple(np.split(order, bounds))
        return _Scheme(n, "within strata" if strata is not None else "people", groups)
    c_codes = pd.factorize(pd.Series(list(clusters)), sort=True)[0]
    if (c_codes < 0).any():
        raise ValueError("a cluster is missing")
    order = np.argsort(c_codes, kind="stable")
    bounds = np.flatnonzero(np.diff(c_codes[order])) + 1
    members = tuple(np.split(order, bounds))
    cluster_stratum = np.array([s_codes[m[0]] for m in members])
    for m, s in zip(members, cluster_stratum, strict=True):
        if (s_codes[m] != s).any():
            raise ValueError("a cluster spans more than one stratum")
    groups = tuple(np.flatnonzero(cluster_stratum == s) for s in np.unique(cluster_stratum))
    return _Scheme(n, "clusters within strata" if strata is not None else "clusters", groups, members)


def replication_rng(seed: int, replication: int) -> np.random.Generator:
    return np.random.Generator(np.random.Philox(key=np.array([seed, replication], dtype=np.uint64)))


def resample(scheme: _Scheme, seed: int, replication: int) -> np.ndarray:
    """Row indices of replication `replication` (the same for the same seed, whoever computes it)."""
    rng = replication_rng(seed, replication)
    if not scheme.clusters:
        if len(scheme.strata) == 1:
            return rng.integers(0, scheme.n, scheme.n)
        return np.concatenate([g[rng.integers(0, g.size, g.size)] for g in scheme.strata])
    picked = np.concatenate([g[rng.integers(0, g.size, g.size)] for g in scheme.strata])
    return np.concatenate([scheme.clusters[c] for c in picked])


def _run_chunk(statistic: Statistic, payload: tuple, seed: int, start: int, stop: int) -> np.ndarray:
    data, scheme = payload
    out = np.empty(stop - start)
    for i, r in enumerate(range(start, stop)):
        try:
            value = float(statistic(data, resample(scheme, seed, r)))
        except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
            value = float("nan")
        out[i] = value
    return out


def scheduler_address(scheduler: str | bool | None = None) -> str | None:
    """The Dask scheduler to use: an explicit address, False for in-process, None for TREDE_DASK_SCHEDULER."""
    if scheduler is False:
        return None
    if scheduler:
        return str(scheduler)
    return os.environ.get(ENV_SCHEDULER) or None


def bootstrap(
    statistic: Statistic,
    data: Mapping[str, np.ndarray],
    *,
    replications: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
    strata=None,
    clusters=None,
    chunk_size: int | None = None,
    scheduler: str | bool | None = None,
) -> BootstrapInterval:
    """Percentile bootstrap interval of statistic(data, idx), idx the rows of one resample (see the module)."""
    if replications < 2:
        raise ValueError("at least 2 replications are needed")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie between 0 and 1")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**64:
        raise ValueError("the seed must be a whole number from 0 to 2**64 - 1")
    seed = int(seed)
    arrays = {k: np.asarray(v) for k, v in data.items()}
    lengths = {len(v) for v in arrays.values()}
    if len(lengths) != 1:
        raise ValueError("every data array must have the same length (one row per person)")
    n = lengths.pop()
    if n == 0:
        raise ValueError("no data to resample")
    scheme = _scheme(n, strata, clusters)
    estimate = float(statistic(arrays, np.arange(n)))
    address = scheduler_address(scheduler)
    payload = (arrays, scheme)
    if address is None:
        replicates = _run_chunk(statistic, payload, seed, 0, replications)
        backend = "in-process"
    else:
        replicates = _on_dask(address, statistic, payload, seed, replications, chunk_size)
        backend = f"dask {address}"
    finite = np.isfinite(replicates)
    failed = int((~finite).sum())
    if finite.sum() < 2:
        raise ValueError("the statistic could not be computed on the resamples")
    good = replicates[finite]
    low, high = np.quantile(good, [alpha / 2, 1 - alpha / 2])
    replicates.flags.writeable = False
    return BootstrapInterval(
        estimate=estimate, ci_low=float(low), ci_high=float(high), se=float(np.std(good, ddof=1)), alpha=alpha,
        replications=replications, failed=failed, n=n, seed=seed, resampling=scheme.kind, backend=backend,
        replicates=replicates,
    )  # fmt: skip


def _on_dask(address: str, statistic, payload, seed: int, replications: int, chunk_size: int | None) -> np.ndarray:
    from dask.distributed import Client

    with Client(address, set_as_default=False, timeout="30s") as client:
        if chunk_size is None:
            workers = max(1, sum(client.nthreads().values()))
            chunk_size = max(1, math.ceil(replications / (4 * workers)))
        starts = list(range(0, replications, chunk_size))
        [remote] = client.scatter([payload], broadcast=True)
        futures = [
            client.submit(_run_chunk, statistic, remote, seed, s, min(s + chunk_size, replications), pure=False)
            for s in starts
        ]
        parts = client.gather(futures)
    return np.concatenate(parts)


# --------------------------------------------------------------------------------------------------
# Statistics for the pilot analysis (module level, so that Dask can send them)


def difference_in_means_statistic(data: Mapping[str, np.ndarray], idx: np.ndarray) -> float:
    """data: y (outcome), z (0/1 arm)."""
    y, z = data["y"][idx], data["z"][idx]
    treated = z == 1
    if treated.all() or not treated.any():
        return float("nan")
    return float(y[treated].mean() - y[~treated].mean())


def adjusted_difference_statistic(data: Mapping[str, np.ndarray], idx: np.ndarray) -> float:
    """data: y, z and w (baseline factors as a matrix); the coefficient of z in y ~ 1 + z + w."""
    y, z, w = data["y"][idx], data["z"][idx], data["w"][idx]
    x = np.column_stack([np.ones_like(z), z, w])
    xtx = x.T @ x
    try:
        beta = np.linalg.solve(xtx, x.T @ y)
    except np.linalg.LinAlgError:
        return float("nan")
    return float(beta[1])
