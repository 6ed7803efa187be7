"""`trede synth` and `trede createdemo`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from trede.activation.models import OPEN_STATES, ProviderMember, Referral
from trede.caseload.models import Assignment, TeamMember
from trede.clients.models import Client
from trede.clients.services import client_register
from trede.core.models import AuditRecord, User
from trede.employers.models import Employer, Vacancy
from trede.synth import profile as P
from trede.synth.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_env(monkeypatch):
    monkeypatch.setenv("TREDE_DEMO", "1")


@pytest.fixture
def no_demo_env(monkeypatch, settings):
    monkeypatch.delenv("TREDE_DEMO", raising=False)
    settings.DEBUG = False


def run(name: str, **options) -> str:
    out = io.StringIO()
    call_command(name, stdout=out, no_progress=True, **options)
    return out.getvalue()


def test_synth_command_loads_reports_and_refuses_twice(demo_env):
    out = run("synth", clients=300, seed=3, today="2026-11-24")
    assert "Generated 300 clients" in out and "women" in out and "clients/s" in out
    assert Client.objects.count() == 300
    with pytest.raises(CommandError, match="--clear"):
        run("synth", clients=300, seed=3, today="2026-11-24")
    run("synth", clients=250, seed=4, today="2026-11-24", clear=True)
    assert Client.objects.count() == 250


def test_synth_command_rejects_bad_input():
    with pytest.raises(CommandError):
        run("synth", clients=3, today="2026-11-24")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("synth", "--today", "24-11-2026", "--no-progress")


def _state() -> tuple:
    return (
        User.objects.count(),
        AuditRecord.objects.count(),
        Assignment.objects.count(),
        Client.objects.count(),
        TeamMember.objects.count(),
        sorted(User.objects.values_list("username", "password")),
    )


def test_createdemo_is_idempotent_and_gives_the_caseworker_a_caseload(demo_env):
    out = run("createdemo", clients=1500)
    assert "trede-demo-2026" in out and "http://127.0.0.1:8000/" in out
    for username, role in (
        ("klantmanager", "caseworker"),
        ("teamleider", "team_lead"),
        ("beleid", "policy_analyst"),
        ("beheer", "administrator"),
        ("auditor", "auditor"),
        ("werkgever", "employer_adviser"),
        ("aanbieder", "provider"),
    ):
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.role == role, username
        assert AuditRecord.objects.filter(action="user_create", model="core.User", object_pk=str(user.pk)).exists()
    caseworker = User.objects.get(username="klantmanager")
    lead = User.objects.get(username="teamleider")
    current = Assignment.objects.filter(caseworker=caseworker, end_on__isnull=True).count()
    assert 250 <= current <= 450  # a full caseload around the norm of 350
    assert caseworker.team_membership.team_id == lead.team_membership.team_id
    assert caseworker.team_membership.hours_per_week == 36
    assert not User.objects.filter(username=f"{P.USERNAME_PREFIX}km-0001").exists()  # taken over
    assert Assignment.objects.filter(assigned_by=lead).exists()
    assert Client.objects.count() == 1500
    # every role has something to see: the employer adviser's employers and vacancies, the provider's referrals
    adviser = User.objects.get(username="werkgever")
    assert Employer.objects.filter(adviser=adviser).exists()
    assert Vacancy.objects.filter(employer__adviser=adviser, status="open").exists()
    assert not User.objects.filter(username=f"{P.USERNAME_PREFIX}wg-0001").exists()  # taken over
    member = ProviderMember.objects.select_related("provider").get(user__username="aanbieder")
    assert Referral.objects.filter(activity__provider=member.provider, status__in=OPEN_STATES).exists()
    assert member.provider.email.endswith(".synth.example.org")
    assert AuditRecord.objects.filter(action="provider_member_add").exists()

    before = _state()
    out = run("createdemo", clients=1500)
    assert "nothing changed" in out and "nothing generated" in out
    assert _state() == before


def test_createdemo_takes_over_again_after_a_regeneration(demo_env):
    run("createdemo", clients=600)
    run("synth", clients=700, seed=9, clear=True)
    caseworker = User.objects.get(username="klantmanager")
    assert not Assignment.objects.filter(caseworker=caseworker).exists()  # wiped with the clients
    run("createdemo", clients=600)
    assert Assignment.objects.filter(caseworker=caseworker, end_on__isnull=True).exists()
    lead = User.objects.get(username="teamleider")
    assert lead.team_membership.team_id == caseworker.team_membership.team_id
    assert User.objects.filter(username="klantmanager").count() == 1
    # the regeneration removed the employers and the generated providers; the demo accounts work for new ones
    assert Employer.objects.filter(adviser__username="werkgever").exists()
    assert ProviderMember.objects.filter(
        user__username="aanbieder", provider__activities__referrals__isnull=False
    ).exists()


def test_createdemo_refuses_outside_demo_or_debug(monkeypatch, settings):
    monkeypatch.delenv("TREDE_DEMO", raising=False)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="TREDE_DEMO"):
        run("createdemo", clients=200)
    assert not Client.objects.exists()


def test_synth_clear_refuses_outside_demo_or_debug(no_demo_env):
    run("synth", clients=200, seed=3, today="2026-11-24")  # a first load needs no demo mode: it deletes nothing
    ids = sorted(Client.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError, match="TREDE_DEMO=1 or TREDE_DEBUG=1"):
        run("synth", clients=200, seed=4, today="2026-11-24", clear=True)
    assert sorted(Client.objects.values_list("pk", flat=True)) == ids
    assert not AuditRecord.objects.filter(action="synth_clear").exists()


def test_synth_clear_runs_with_debug(no_demo_env, settings):
    run("synth", clients=200, seed=3, today="2026-11-24")
    settings.DEBUG = True  # TREDE_DEBUG=1
    run("synth", clients=210, seed=4, today="2026-11-24", clear=True)
    assert Client.objects.count() == 210
    assert AuditRecord.objects.filter(action="synth_clear", model="clients.Client").get().changes["rows"] == [None, 200]


def test_synth_clear_refuses_when_a_client_has_a_real_looking_bsn(demo_env):
    run("synth", clients=200, seed=3, today="2026-11-24")
    real = client_register(
        actor=None, bsn="111222333", district="CEN", first_name="Echt", surname="Mens", birth_date=dt.date(1980, 5, 1)
    )
    state = _state()
    with pytest.raises(CommandError, match="outside the synthetic range"):
        run("synth", clients=200, seed=4, today="2026-11-24", clear=True)
    assert _state() == state and Client.objects.filter(pk=real.pk).exists()
    assert not AuditRecord.objects.filter(action="synth_clear").exists()


def test_synth_clear_never_reuses_ids(demo_env):
    run("synth", clients=200, seed=3, today="2026-11-24")
    old = set(Client.objects.values_list("pk", flat=True))
    old_users = max(User.objects.values_list("pk", flat=True))
    run("synth", clients=200, seed=3, today="2026-11-24", clear=True)
    new = set(Client.objects.values_list("pk", flat=True))
    assert len(new) == 200 and min(new) > max(old)
    assert min(User.objects.values_list("pk", flat=True)) > old_users  # all generated staff, new ids
    run("synth", clients=200, seed=3, today="2026-11-24", clear=True)
    assert min(Client.objects.values_list("pk", flat=True)) > max(new)
