"""Fixtures for the API tests: an API client per role and a client of a colleague and of another team."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An unauthenticated API client."""
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user): an API client authenticated as `user` (as a token would)."""

    def make(user) -> APIClient:
        c = APIClient()
        c.force_authenticate(user)
        return c

    return make


@pytest.fixture
def colleague_client(make_client, colleague):
    """A client in the caseload of a colleague in the same team as `caseworker`."""
    return make_client(colleague, first_name="Bregje", surname="Collegaklant")


@pytest.fixture
def other_team_client(make_client, outsider, district_north):
    """A client of another team."""
    return make_client(outsider, district_obj=district_north, first_name="Olaf", surname="Noorderling")
