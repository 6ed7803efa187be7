"""Shared fixtures: a small municipality with two teams, users of every role, and a client factory that goes
through the real services (so every fixture write is validated and audited like a user's)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from trede.caseload.models import Team, TeamMember
from trede.caseload.services import assignment_assign
from trede.clients.models import District
from trede.clients.services import client_register
from trede.core.models import User
from trede.core.rules import bsn_with_check_digit

_bsn_counter = itertools.count(10_000_000)


def next_bsn() -> str:
    while True:
        bsn = bsn_with_check_digit(next(_bsn_counter))
        if bsn:
            return bsn


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def shipped_rules(db) -> None:
    """The rule sets that migrations load. Transactional tests flush the database, so reload them there."""
    from trede.core.services import ruleset_load_shipped

    ruleset_load_shipped()


@pytest.fixture
def district(shipped_rules) -> District:
    return District.objects.create(code="CEN", name="Centrum")


@pytest.fixture
def district_north(db) -> District:
    return District.objects.create(code="NRD", name="Noord")


@pytest.fixture
def team(district) -> Team:
    t = Team.objects.create(name="Team Centrum")
    t.districts.add(district)
    return t


@pytest.fixture
def other_team(district_north) -> Team:
    t = Team.objects.create(name="Team Noord")
    t.districts.add(district_north)
    return t


@pytest.fixture
def make_user(db):
    def make(role: str, username: str, team: Team | None = None, **kw) -> User:
        user = User.objects.create_user(
            username=username,
            password="geheim-wachtwoord-1",
            role=role,
            first_name=kw.pop("first_name", username.capitalize()),
            last_name=kw.pop("last_name", "Test"),
            **kw,
        )
        if team is not None:
            TeamMember.objects.create(user=user, team=team)
        return user

    return make


@pytest.fixture
def caseworker(make_user, team) -> User:
    return make_user("caseworker", "anna", team)


@pytest.fixture
def colleague(make_user, team) -> User:
    return make_user("caseworker", "bram", team)


@pytest.fixture
def outsider(make_user, other_team) -> User:
    return make_user("caseworker", "carla", other_team)


@pytest.fixture
def team_lead(make_user, team) -> User:
    return make_user("team_lead", "dirk", team)


@pytest.fixture
def analyst(make_user) -> User:
    return make_user("policy_analyst", "eva")


@pytest.fixture
def administrator(make_user) -> User:
    return make_user("administrator", "frits")


@pytest.fixture
def auditor(make_user) -> User:
    return make_user("auditor", "gerda")


@pytest.fixture
def make_client(db, district, today):
    def make(caseworker: User | None = None, *, district_obj: District | None = None, **kw):
        kw.setdefault("first_name", "Fatima")
        kw.setdefault("surname", "Jansen")
        kw.setdefault("birth_date", dt.date(1980, 5, 17))
        client = client_register(
            actor=None, bsn=kw.pop("bsn", None) or next_bsn(), district=district_obj or district, **kw
        )
        if caseworker is not None:
            assignment_assign(actor=None, client=client, caseworker=caseworker, start_on=today - dt.timedelta(days=400))
        return client

    return make


@pytest.fixture
def client_of(make_client, caseworker):
    """A client in `caseworker`'s caseload."""
    return make_client(caseworker)
