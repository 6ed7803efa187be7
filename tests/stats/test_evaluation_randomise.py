"""The randomiser: every eligible unit once, in one arm, balanced within strata by permuted blocks, reproducible
from the seed whatever the input order, immutable; cluster randomisation; refusals."""

import dataclasses
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.stats.evaluation.randomise import randomise, randomise_frame

ratios = st.sampled_from([(1, 1), (2, 1), (1, 2), (3, 2), (1, 1, 1)])


@st.composite
def populations(draw):
    n = draw(st.integers(1, 300))
    ids = draw(st.lists(st.integers(0, 10**9), min_size=n, max_size=n, unique=True))
    n_strata = draw(st.integers(1, 8))
    strata = draw(st.lists(st.tuples(st.integers(0, n_strata - 1), st.sampled_from("ab")), min_size=n, max_size=n))
    return ids, strata


@settings(max_examples=150, deadline=None)
@given(populations(), ratios, st.integers(0, 2**64 - 1))
def test_every_unit_once_in_one_arm_and_balanced_within_strata(population, weights, seed):
    ids, strata = population
    arms = tuple(f"arm{i}" for i in range(len(weights)))
    a = randomise(ids, strata, seed=seed, arms=arms, weights=weights)
    units = [u for u, _, _ in a.allocation]
    assert sorted(units) == sorted(ids) and len(units) == len(set(units))  # every eligible unit exactly once
    assert all(arm in arms for _, _, arm in a.allocation)
    assert sum(a.counts.values()) == len(ids) == a.n
    block = sum(weights)
    per_stratum = Counter((s, arm) for _, s, arm in a.allocation)
    sizes = Counter(strata)
    assert {s.stratum for s in a.strata} == set(sizes)
    for s in a.strata:
        m = sizes[s.stratum]
        assert s.n == m
        for i, w in enumerate(weights):
            count = per_stratum[(s.stratum, arms[i])]
            assert count == s.counts[i]
            full = m // block
            # the guarantee stated in the module: full blocks, plus at most min(w, m mod B) from the last block
            assert full * w <= count <= full * w + min(w, m % block)
        if weights == (1, 1):
            assert abs(s.counts[0] - s.counts[1]) <= 1
    for u, s, arm in a.allocation:
        assert a.arm_of(u) == arm and strata[ids.index(u)] == s


@settings(max_examples=80, deadline=None)
@given(populations(), st.integers(0, 2**64 - 1), st.randoms(use_true_random=False))
def test_reproducible_from_the_seed_in_any_input_order(population, seed, rnd):
    ids, strata = population
    a = randomise(ids, strata, seed=seed)
    order = list(range(len(ids)))
    rnd.shuffle(order)
    b = randomise([ids[i] for i in order], [strata[i] for i in order], seed=seed)
    assert a == b and a.digest == b.digest


@settings(max_examples=60, deadline=None)
@given(populations(), st.integers(0, 2**63))
def test_a_stratum_depends_only_on_its_own_units(population, seed):
    ids, strata = population
    a = randomise(ids, strata, seed=seed)
    extra_ids = [max(ids) + 1 + i for i in range(5)]
    b = randomise(ids + extra_ids, strata + [("new", "x")] * 5, seed=seed)
    assert all(b.arm_of(u) == arm for u, _, arm in a.allocation)


def test_another_seed_gives_another_assignment_with_the_same_balance():
    ids = list(range(1000))
    strata = [i % 4 for i in ids]
    a, b = randomise(ids, strata, seed=1), randomise(ids, strata, seed=2)
    assert a.allocation != b.allocation and a.digest != b.digest
    assert [s.counts for s in a.strata] == [s.counts for s in b.strata] == [(125, 125)] * 4
    # not a fixed pattern: about half of the units change arm
    changed = sum(a.arm_of(u) != b.arm_of(u) for u in ids)
    assert 400 < changed < 600


def test_the_allocation_ratio_is_kept_over_many_strata():
    rng = np.random.default_rng(5)
    ids = rng.permutation(10**6)[:35_000]
    strata = list(zip(rng.integers(0, 5, 35_000).tolist(), rng.integers(0, 4, 35_000).tolist(), strict=True))
    a = randomise(ids, strata, seed=9, weights=(2, 1))
    assert len(a.strata) == 20
    counts = a.counts
    assert abs(counts["intervention"] - 2 * 35_000 / 3) <= 2 * 20  # at most one block remainder per stratum
    assert counts["intervention"] + counts["control"] == 35_000


def test_the_assignment_is_immutable():
    a = randomise(["b", "a", "c"], seed=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.seed = 4
    with pytest.raises(TypeError):
        a.allocation[0] = ("x", (), "control")
    assert isinstance(a.allocation, tuple) and all(isinstance(r, tuple) for r in a.allocation)
    assert [u for u, _, _ in a.allocation] == ["a", "b", "c"]  # sorted by id


def test_cluster_randomisation_members_follow_their_cluster():
    caseworkers = [f"cw{i}" for i in range(40)]
    districts = [f"d{i % 4}" for i in range(40)]
    a = randomise(caseworkers, districts, seed=11, unit="caseworker")
    assert a.unit == "caseworker"
    assert all(s.counts == (5, 5) for s in a.strata)
    clients = {f"c{i}": caseworkers[i % 40] for i in range(2000)}
    arms = a.follow(clients)
    assert len(arms) == 2000
    for client, cw in clients.items():
        assert arms[client] == a.arm_of(cw)
    with pytest.raises(ValueError, match="not randomised"):
        a.follow({"c1": "unknown caseworker"})


def test_randomise_frame_equals_randomise():
    frame = pd.DataFrame({"id": [5, 3, 9, 1, 7, 2], "route": list("wwpppw"), "age": [1, 2, 1, 2, 1, 2]})
    a = randomise_frame(frame, id_column="id", strata=["route", "age"], seed=8)
    b = randomise(frame.id.tolist(), list(zip(frame.route, frame.age, strict=True)), seed=8)
    assert a == b


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": []}, "no eligible units"),
        ({"units": [1, 2, 2]}, "more than once"),
        ({"units": [1, None]}, "missing"),
        ({"units": [1, "a"]}, "one sortable kind"),
        ({"units": [1, 2], "strata": [1]}, "differ in length"),
        ({"units": [1, 2], "strata": [1, math.nan]}, "stratum value is missing"),
        ({"units": [1, 2], "weights": (1, 0)}, "weight"),
        ({"units": [1, 2], "weights": (1.5, 1)}, "weight"),
        ({"units": [1, 2], "arms": ("a", "a")}, "different names"),
        ({"units": [1, 2], "seed": -1}, "seed"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    kwargs.setdefault("seed", 1)
    units = kwargs.pop("units")
    strata = kwargs.pop("strata", None)
    with pytest.raises(ValueError, match=message):
        randomise(units, strata, **kwargs)
