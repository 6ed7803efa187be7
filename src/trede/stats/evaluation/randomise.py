"""Stratified randomisation with permuted blocks, reproducible from a recorded seed.

Units are clients, or whole clusters (caseworkers, districts: cluster randomisation, where every member follows the
arm of their cluster through `Assignment.follow`). Every unit has one stratum (a tuple of baseline values, e.g.
(route, age band)); units without strata form one stratum.

Procedure, per stratum, in the sorted order of the strata:
1. the units of the stratum are sorted by id (so the input order does not matter);
2. a random stream is opened: NumPy's counter-based Philox keyed on (seed, a 64-bit hash of the stratum key), so a
   stratum's assignment depends only on the seed, its key and its own units (adding a unit elsewhere changes
   nothing here);
3. the units are put in a random order (sorting 53-bit uniform draws), and the arms are dealt to them from a
   sequence of permuted blocks: a block holds every arm as often as its weight (1:1 -> [A, B]; 2:1 -> [A, A, B]),
   shuffled the same way; the last block is cut off where the units run out.

Guarantee: in a stratum of m units with block size B = sum of the weights, an arm of weight w gets between
floor(m / B) * w and floor(m / B) * w + min(w, m mod B) units; with 1:1 the two arms of a stratum differ by at most
one unit. Over all strata together the difference is at most one per stratum (each stratum's last block).

The draws use Generator.random (53-bit doubles from the raw Philox stream), whose output NumPy keeps stable, and a
stable argsort; the recorded seed therefore gives the same assignment on any machine. The result is immutable and
carries a SHA-256 digest of the allocation to record beside the seed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


def _plain(value):
    """numpy scalars to Python scalars, sequences to tuples (for stable keys, hashes and sorting)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(_plain(v) for v in value)
    return value


def _stratum_hash(key) -> int:
    text = json.dumps(key, default=str, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _stratum_sort_key(key):
    return json.dumps(key, default=str)


def stratum_rng(seed: int, stratum) -> np.random.Generator:
    return np.random.Generator(np.random.Philox(key=np.array([seed, _stratum_hash(stratum)], dtype=np.uint64)))


def _random_order(rng: np.random.Generator, m: int) -> np.ndarray:
    return np.argsort(rng.random(m), kind="stable")


@dataclass(frozen=True)
class StratumCount:
    stratum: tuple
    counts: tuple[int, ...]  # per arm, in the order of Assignment.arms

    @property
    def n(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Assignment:
    """The outcome of a randomisation: per unit its stratum and arm (sorted by unit id), and how it was made."""

    seed: int
    unit: str
    arms: tuple[str, ...]
    weights: tuple[int, ...]
    allocation: tuple[tuple[Hashable, tuple, str], ...]  # (unit id, stratum, arm), sorted by unit id
    strata: tuple[StratumCount, ...]
    method: str = "stratified permuted blocks"
    _arm_of: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_arm_of", {u: a for u, _, a in self.allocation})

    @property
    def n(self) -> int:
        return len(self.allocation)

    @property
    def counts(self) -> dict[str, int]:
        """Units per arm over all strata."""
        return {arm: sum(s.counts[i] for s in self.strata) for i, arm in enumerate(self.arms)}

    def arm_of(self, unit_id: Hashable) -> str:
        try:
            return self._arm_of[_plain(unit_id)]
        except KeyError:
            raise KeyError(f"unit {unit_id!r} was not randomised") from None

    def units_in(self, arm: str) -> tuple:
        if arm not in self.arms:
            raise ValueError(f"unknown arm {arm!r}; the arms are {', '.join(self.arms)}")
        return tuple(u for u, _, a in self.allocation if a == arm)

    def follow(self, members: Mapping[Hashable, Hashable]) -> dict:
        """Cluster randomisation: each member (client id -> cluster id) gets the arm of their cluster. A member of a
        cluster that was not randomised is refused."""
        out = {}
        missing = set()
        for member, cluster in members.items():
            arm = self._arm_of.get(_plain(cluster))
            if arm is None:
                missing.add(cluster)
            out[_plain(member)] = arm
        if missing:
            shown = ", ".join(repr(c) for c in sorted(missing, key=str)[:5])
            raise ValueError(f"{len(missing)} cluster(s) were not randomised: {shown}")
        return out

    @property
    def digest(self) -> str:
        """SHA-256 of the seed, arms, weights and allocation: record it with the seed to show nothing changed."""
        payload = json.dumps(
            [self.seed, self.unit, self.arms, self.weights, self.allocation], default=str, separators=(",", ":")
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def as_records(self) -> list[dict]:
        return [{"unit": u, "stratum": s, "arm": a} for u, s, a in self.allocation]


def randomise(
    units: Sequence[Hashable],
    strata: Sequence[Hashable] | None = None,
    *,
    seed: int,
    arms: Sequence[str] = ("intervention", "control"),
    weights: Sequence[int] = (1, 1),
    unit: str = "client",
) -> Assignment:
    """Assign every unit once to an arm, stratified, balanced within strata by permuted blocks (see the module).

    units: the eligible unit ids (clients, or caseworkers/districts for cluster randomisation), all distinct and of
    one sortable kind. strata: the stratum of each unit (same length; a tuple of values or a single value), or None
    for one stratum. weights: the allocation ratio, one whole number >= 1 per arm.
    """
    ids = [_plain(u) for u in units]
    if not ids:
        raise ValueError("no eligible units to randomise")
    if any(u is None or (isinstance(u, float) and math.isnan(u)) for u in ids):
        raise ValueError("a unit id is missing")
    if len(set(ids)) != len(ids):
        raise ValueError(f"{len(ids) - len(set(ids))} unit id(s) occur more than once")
    arms = tuple(str(a) for a in arms)
    weights = tuple(weights)
    if len(arms) < 2 or len(set(arms)) != len(arms):
        raise ValueError("give at least two arms with different names")
    if len(weights) != len(arms) or any(
        isinstance(w, bool) or not isinstance(w, int | np.integer) or w < 1 for w in weights
    ):
        raise ValueError(f"give one whole weight >= 1 per arm (arms {arms}, weights {weights})")
    weights = tuple(int(w) for w in weights)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= int(seed) < 2**64:
        raise ValueError("the seed must be a whole number from 0 to 2**64 - 1")
    seed = int(seed)
    if strata is None:
        keys = [()] * len(ids)
    else:
        if len(strata) != len(ids):
            raise ValueError(f"units ({len(ids)}) and strata ({len(strata)}) differ in length")
        keys = [k if isinstance(k, tuple) else (k,) for k in (_plain(s) for s in strata)]
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for k in keys for v in k):
            raise ValueError("a stratum value is missing: every unit needs its stratum")
    try:
        order = sorted(range(len(ids)), key=ids.__getitem__)
    except TypeError:
        raise ValueError("unit ids must all be of one sortable kind (all numbers or all text)") from None

    by_stratum: dict[tuple, list[int]] = {}
    for i in order:  # ids ascending within each stratum
        by_stratum.setdefault(keys[i], []).append(i)
    template = np.repeat(np.arange(len(arms)), weights)
    block = template.size
    arm_index = np.empty(len(ids), dtype=np.int64)
    counts = []
    for key in sorted(by_stratum, key=_stratum_sort_key):
        members = np.asarray(by_stratum[key])
        m = members.size
        rng = stratum_rng(seed, key)
        shuffled = members[_random_order(rng, m)]
        n_blocks = -(-m // block)
        perm = np.argsort(rng.random((n_blocks, block)), axis=1, kind="stable")
        sequence = template[perm].ravel()[:m]
        arm_index[shuffled] = sequence
        counts.append(StratumCount(key, tuple(int(c) for c in np.bincount(sequence, minlength=len(arms)))))
    allocation = tuple((ids[i], keys[i], arms[arm_index[i]]) for i in order)
    return Assignment(
        seed=seed, unit=str(unit), arms=arms, weights=weights, allocation=allocation, strata=tuple(counts)
    )


def randomise_frame(
    frame,
    *,
    id_column: str,
    strata: Sequence[str] = (),
    seed: int,
    arms: Sequence[str] = ("intervention", "control"),
    weights: Sequence[int] = (1, 1),
    unit: str = "client",
) -> Assignment:
    """randomise() on a DataFrame: units from `id_column` (one row per unit), strata from the given columns."""
    from trede.stats.evaluation.design import require_columns

    require_columns(frame, [id_column, *strata], "randomisation")
    keys = list(frame[list(strata)].itertuples(index=False, name=None)) if strata else None
    return randomise(frame[id_column].tolist(), keys, seed=seed, arms=arms, weights=weights, unit=unit)
