"""Small populations and scenarios for the simulation tests (pure: no database)."""

from __future__ import annotations

import pytest

from trede.simulation import population as P
from trede.simulation import scenario as S


@pytest.fixture(scope="session")
def baseline() -> S.Scenario:
    return S.load("baseline")


@pytest.fixture(scope="session")
def small_population() -> P.Population:
    """400 on benefit and an inflow over 36 months."""
    return P.with_inflow(P.synthetic(400, 7), 0.16, 36, 7)
