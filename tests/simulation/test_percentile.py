"""The summary's vectorised percentile is numpy's nanpercentile (linear method) exactly, NaNs and all."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trede.simulation.results import nan_percentile


@settings(max_examples=200, deadline=None)
@given(
    x=arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 4), st.integers(1, 5)),
        elements=st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)),
    ),
    q=st.sampled_from([0.0, 2.5, 50.0, 97.5, 100.0]),
)
def test_equal_to_numpy(x, q):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
        expected = np.nanpercentile(x, q, axis=0)
    assert np.array_equal(nan_percentile(x, q), expected, equal_nan=True)


def test_a_column_without_values_is_nan():
    x = np.array([[np.nan, 1.0], [np.nan, 3.0]])
    out = nan_percentile(x, 50)
    assert np.isnan(out[0]) and out[1] == pytest.approx(2.0)
