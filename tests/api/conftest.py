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


# -- activation: a provider with a staff member, and activities made through the services (as tests/activation)


@pytest.fixture
def provider(administrator):
    from trede.activation.services import provider_save

    return provider_save(actor=administrator, name="Buurtwerk Centrum", kind="welfare", phone="030-1234567")


@pytest.fixture
def provider_user(make_user, administrator, provider):
    """A user with the role 'provider' who works for `provider`."""
    from trede.activation.services import provider_member_add

    user = make_user("provider", "p.aanbieder")
    provider_member_add(actor=administrator, provider=provider, user=user)
    return user


@pytest.fixture
def make_activity(administrator, provider, district):
    """make_activity(**fields): an activity of `provider` (default: offered, 2 places), saved by the administrator."""
    from trede.activation.services import activity_save

    def make(**kw):
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


# -- employer services: an employer adviser, an employer with a contact person, vacancies made through the services


@pytest.fixture
def adviser(make_user):
    """A user with the role 'employer_adviser'."""
    return make_user("employer_adviser", "w.adviseur")


@pytest.fixture
def employer(adviser, district):
    from trede.employers.services import employer_save

    return employer_save(
        actor=adviser, name="Groen Logistiek BV", kvk_number="12345678", sector="H", adviser=adviser, district=district
    )


@pytest.fixture
def employer_contact(adviser, employer):
    from trede.employers.services import contact_person_save

    return contact_person_save(actor=adviser, employer=employer, name="Ria Groen", phone="030-1234567")


COMPLETE_VACANCY = {
    "title": "Orderpicker",
    "occupation": "9334",
    "tasks": "Orders verzamelen en inpakken",
    "wage_min": "15.20",
    "hours_per_week": 32,
    "contract_type": "fixed",
    "contract_months": 12,
    "education": "none",
    "physical_load": "medium",
    "location": "Industrieweg 4",
}


@pytest.fixture
def make_vacancy(adviser, employer, employer_contact, district, today):
    """make_vacancy(**fields): a complete, open vacancy of `employer` (override any field), saved by the adviser."""
    from decimal import Decimal

    from trede.employers.services import vacancy_save

    def make(**kw):
        fields = {
            **COMPLETE_VACANCY,
            "wage_min": Decimal(COMPLETE_VACANCY["wage_min"]),
            "contact": employer_contact,
            "district": district,
            "start_on": today,
            "status": "open",
        }
        fields.update(kw)
        return vacancy_save(actor=adviser, employer=fields.pop("employer", employer), **fields)

    return make
