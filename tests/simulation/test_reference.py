"""The vectorised engine against the one-person-at-a-time reference: on the same draws, the same result."""

from __future__ import annotations

import numpy as np
import pytest

from trede.simulation import engine as E
from trede.simulation import population as P
from trede.simulation import reference
from trede.simulation import scenario as S

FIELDS = ("acc", "end_state", "end_ladder", "curves", "pool_months", "end_duration")


@pytest.fixture(scope="module")
def population():
    return P.with_inflow(P.synthetic(300, 11), 0.2, 30, 11)


@pytest.mark.parametrize("name", S.shipped())
def test_engine_equals_reference(name, population):
    sc = S.load(name)
    fast = E.simulate(sc, population, horizon=30, seed=4, replications=[0, 1])
    slow = reference.simulate(sc, population, horizon=30, seed=4, replications=[0, 1])
    for a, b in zip(fast, slow, strict=True):
        for field in FIELDS:
            assert np.array_equal(getattr(a, field), getattr(b, field)), (name, field)


def test_engine_equals_reference_on_a_caseload_frame():
    frame = P.frame_from_population(P.synthetic(250, 12))
    pop = P.with_inflow(P.population_from_frame(frame, 12), 0.2, 24, 12)
    sc = S.load("leeuwarden_neighbourhood")
    fast = E.simulate(sc, pop, horizon=24, seed=9, replications=[3])[0]
    slow = reference.simulate(sc, pop, horizon=24, seed=9, replications=[3])[0]
    for field in FIELDS:
        assert np.array_equal(getattr(fast, field), getattr(slow, field)), field


def test_reference_is_a_real_simulation(population):
    """Guard against two equal but empty runs: things happen, and differ per replication."""
    a, b = reference.simulate(S.load("baseline"), population, horizon=30, seed=4, replications=[0, 1])
    assert a.acc[E.A["exits_work"]].sum() > 0 and a.acc[E.A["returns"]].sum() > 0
    assert not np.array_equal(a.acc, b.acc)
