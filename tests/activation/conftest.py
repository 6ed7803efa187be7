"""Fixtures of the activation tests: a provider with a staff member, and activities made through the services."""

import pytest

from trede.activation.models import Activity, Provider
from trede.activation.services import activity_save, provider_member_add, provider_save


@pytest.fixture
def provider(administrator) -> Provider:
    return provider_save(actor=administrator, name="Buurtwerk Centrum", kind="welfare", phone="030-1234567")


@pytest.fixture
def provider_user(make_user, administrator, provider):
    user = make_user("provider", "p.aanbieder")
    provider_member_add(actor=administrator, provider=provider, user=user)
    return user


@pytest.fixture
def make_activity(administrator, provider, district):
    def make(**kw) -> Activity:
        fields = {
            "provider": provider,
            "name": "Moestuin De Linde",
            "kind": "volunteer_work",
            "district": district,
            "location": "Lindenlaan 3",
            "hours_per_week": 8,
            "physical_load": "medium",
            "language_level": "",
            "capacity": 2,
            "contact_name": "Kees Groen",
            "status": "offered",
        }
        fields.update(kw)
        return activity_save(actor=administrator, **fields)

    return make
