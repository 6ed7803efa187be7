"""Counter-based random numbers: the draw of a person depends on (seed, replication, month, stream, person) only."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.simulation import rng as R


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3000),
    chunk=st.integers(1, 700),
    seed=st.integers(0, 2**64 - 1),
    rep=st.integers(0, 10_000),
    month=st.integers(0, 240),
)
def test_draws_are_the_same_in_any_chunks(n, chunk, seed, rep, month):
    whole = R.uint32(seed, rep, month, R.EVENT, 0, n)
    assert np.array_equal(R.uint32_chunked(seed, rep, month, R.EVENT, n, chunk), whole)


@settings(max_examples=40, deadline=None)
@given(start=st.integers(0, 5000), length=st.integers(0, 300))
def test_any_slice_is_the_slice_of_the_whole(start, length):
    whole = R.uint32(3, 1, 2, R.EVENT, 0, start + length)
    assert np.array_equal(R.uint32(3, 1, 2, R.EVENT, start, start + length), whole[start:])


def test_keys_differ_per_seed_replication_month_and_stream():
    base = R.uint32(1, 0, 0, R.EVENT, 0, 64)
    for other in (
        R.uint32(2, 0, 0, R.EVENT, 0, 64),
        R.uint32(1, 1, 0, R.EVENT, 0, 64),
        R.uint32(1, 0, 1, R.EVENT, 0, 64),
        R.uint32(1, 0, 0, R.KEYS, 0, 64),
    ):
        assert not np.array_equal(base, other)


def test_draws_look_uniform():
    u = R.uint32(11, 0, 0, R.EVENT, 0, 200_000) / 2**32
    assert abs(u.mean() - 0.5) < 0.005
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert counts.min() > 19_000 and counts.max() < 21_000


def test_person_keys_are_lanes_of_the_keys_stream():
    keys = R.person_keys(5, 3, 100)
    flat = R.uint32(5, 3, 0, R.KEYS, 0, 400)
    assert keys.shape == (R.KEY_LANES, 100)
    assert np.array_equal(keys[:, 17], flat[17 * R.KEY_LANES : 18 * R.KEY_LANES])


def test_thresholds_fire_always_at_one_and_never_at_zero():
    u = np.array([0, 1, 2**31, 2**32 - 1], dtype=np.uint32)
    assert (u < R.threshold(1.0)).all()
    assert not (u < R.threshold(0.0)).any()
    assert int(R.threshold(0.5)) == 2**31


@pytest.mark.parametrize("bad", [{"seed": -1}, {"replication": 2**32}, {"month": 2**24}, {"stream": 256}])
def test_keys_refuse_out_of_range(bad):
    args = {"seed": 1, "replication": 0, "month": 0, "stream": R.EVENT} | bad
    with pytest.raises(ValueError):
        R.key(**args)
