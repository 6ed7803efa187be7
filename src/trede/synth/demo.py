"""The demo: a synthetic municipality and one account per role, idempotently (used by `make demo`).

DEMO ONLY: every demo account gets the same, published password (DEMO_PASSWORD). Never run this against a
database with real people in it; the command refuses unless TREDE_DEMO=1 or TREDE_DEBUG=1.

The demo caseworker "klantmanager" takes over the first generated caseworker: their caseload, the history
they recorded and their team membership move to the demo account (audited), and the generated account is
removed. The demo team lead "teamleider" takes over the lead of that team in the same way, and the demo employer
adviser "werkgever" the first generated employer adviser (the fixed adviser of that adviser's employers, with their
vacancies). The demo provider "aanbieder" works for the generated provider with the most open referrals
(activation.services.provider_member_add, by the demo administrator), so that `make demo` shows every role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from trede.caseload.models import Assignment, TeamMember
from trede.clients.models import Client
from trede.core.audit import audit, audit_bulk, snapshot
from trede.core.models import User
from trede.core.roles import Role
from trede.core.selectors import rules_on
from trede.core.services import user_create
from trede.synth import profile as P
from trede.synth.generator import Spec, spec_rules
from trede.synth.loader import LoadResult, synth_load

DEMO_PASSWORD = "trede-demo-2026"  # demo only: published in the README and printed by createdemo
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_SEED = 2026
DEMO_CLIENTS = 3000
CASEWORKER, TEAM_LEAD = "klantmanager", "teamleider"
EMPLOYER_ADVISER, PROVIDER = "werkgever", "aanbieder"
ADMINISTRATOR = "beheer"
OTHER_ACCOUNTS = (  # username, role, first name, last name
    ("beleid", Role.POLICY_ANALYST, "Noor", "Bakker"),
    ("beheer", Role.ADMINISTRATOR, "Ruud", "Smits"),
    ("auditor", Role.AUDITOR, "Ingrid", "Visser"),
)
# Tables whose user references are records of who did what and must never be rewritten.
KEEP_USER_REFERENCES = {"core", "auth", "admin", "sessions", "contenttypes", "authtoken"}


@dataclass
class DemoResult:
    load: LoadResult | None = None
    created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _current_clients(user: User) -> int:
    return Assignment.objects.filter(caseworker=user, end_on__isnull=True).count()


def take_over(*, source: User, target: User) -> int:
    """Move everything `source` is referenced by (caseload, recorded contacts, team membership, ...) to
    `target`, then delete `source`. Audit and access logs are left as they are. Returns the rows moved."""
    moved = 0
    with transaction.atomic():
        membership = TeamMember.objects.filter(user=source).first()
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in KEEP_USER_REFERENCES or model is TeamMember:
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is User:
                    n = model._default_manager.filter(**{f.attname: source.pk}).update(**{f.attname: target.pk})
                    if n:
                        moved += n
                        audit_bulk(
                            actor=None,
                            action="demo_take_over",
                            model=model,
                            count=n,
                            detail={f.name: [source.username, target.username]},
                        )
        if membership is not None:
            TeamMember.objects.filter(user=source).delete()
            tm, _created = TeamMember.objects.update_or_create(
                user=target, defaults={"team": membership.team, "hours_per_week": membership.hours_per_week}
            )
            audit(actor=None, action="team_member_set", instance=tm, client_id=None)
        audit(actor=None, action="user_delete", instance=source, client_id=None, before=snapshot(source), after={})
        source.delete()
    return moved


def _account(username: str, role: str, first_name: str, last_name: str, result: DemoResult) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=None, username=username, password=DEMO_PASSWORD, role=role, first_name=first_name, last_name=last_name
        )
        result.created.append(username)
    elif user.role != role:
        result.notes.append(f"{username} exists with role {user.role}, not {role}: left as it is.")
    return user


def demo_ensure(
    *,
    clients: int = DEMO_CLIENTS,
    seed: int = DEMO_SEED,
    today: dt.date | None = None,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
) -> DemoResult:
    """Generate the municipality when there are no clients, then make sure every demo account exists.
    A second call finds everything in place and writes nothing."""
    from django.utils import timezone

    result = DemoResult()
    today = today or timezone.localdate()
    if not Client.objects.exists():
        rules = rules_on(today)
        spec = Spec(
            clients=clients, seed=seed, today=today, caseload_norm=int(rules["caseload_norm"]), **spec_rules(rules)
        )
        result.load = synth_load(spec, progress=progress, echo=echo)

    with transaction.atomic():
        generated = User.objects.filter(username__startswith=P.USERNAME_PREFIX)
        caseworker = User.objects.filter(username=CASEWORKER).first()
        if (
            caseworker is None
            or not TeamMember.objects.filter(user=caseworker).exists()
            or (caseworker.role == Role.CASEWORKER and not _current_clients(caseworker))
        ):
            source = (
                generated.filter(role=Role.CASEWORKER, assignments__end_on__isnull=True)
                .order_by("pk")
                .distinct()
                .first()
            )
            if caseworker is None:
                name = (source.first_name, source.last_name) if source else ("Sanne", "de Boer")
                caseworker = _account(CASEWORKER, Role.CASEWORKER, *name, result)
            if source is not None and caseworker.role == Role.CASEWORKER:
                take_over(source=source, target=caseworker)
            elif source is None:
                result.notes.append("No generated caseworker to take over: klantmanager has no caseload.")
        team_id = TeamMember.objects.filter(user=caseworker).values_list("team_id", flat=True).first()

        lead = User.objects.filter(username=TEAM_LEAD).first()
        lead_in_team = lead is not None and TeamMember.objects.filter(user=lead, team_id=team_id).exists()
        if not lead_in_team and team_id is not None:
            source = generated.filter(role=Role.TEAM_LEAD, team_membership__team_id=team_id).order_by("pk").first()
            if lead is None:
                name = (source.first_name, source.last_name) if source else ("Dirk", "Jansen")
                lead = _account(TEAM_LEAD, Role.TEAM_LEAD, *name, result)
            if source is not None and lead.role == Role.TEAM_LEAD:
                take_over(source=source, target=lead)
            elif lead.role == Role.TEAM_LEAD:
                tm, _ = TeamMember.objects.update_or_create(user=lead, defaults={"team_id": team_id})
                audit(actor=None, action="team_member_set", instance=tm, client_id=None)
        elif lead is None:
            lead = _account(TEAM_LEAD, Role.TEAM_LEAD, "Dirk", "Jansen", result)

        for username, role, first_name, last_name in OTHER_ACCOUNTS:
            _account(username, role, first_name, last_name, result)
        _employer_adviser(generated, result)
        _provider_staff(result)
    _demo_model(today, result)
    return result


def _employer_adviser(generated, result: DemoResult) -> None:
    """werkgever: takes over the first generated employer adviser (their employers and vacancies), unless it is
    the fixed adviser of employers already."""
    from trede.employers.models import Employer

    adviser = User.objects.filter(username=EMPLOYER_ADVISER).first()
    if adviser is not None and (
        adviser.role != Role.EMPLOYER_ADVISER or Employer.objects.filter(adviser=adviser).exists()
    ):
        if adviser.role != Role.EMPLOYER_ADVISER:
            result.notes.append(f"{EMPLOYER_ADVISER} exists with role {adviser.role}: left as it is.")
        return
    source = generated.filter(role=Role.EMPLOYER_ADVISER).order_by("pk").first()
    if adviser is None:
        name = (source.first_name, source.last_name) if source else ("Joost", "Verbeek")
        adviser = _account(EMPLOYER_ADVISER, Role.EMPLOYER_ADVISER, *name, result)
    if source is not None:
        take_over(source=source, target=adviser)
    else:
        result.notes.append(f"No generated employer adviser to take over: {EMPLOYER_ADVISER} has no employers.")


def _provider_staff(result: DemoResult) -> None:
    """aanbieder: a provider's staff member, working for the generated provider with the most open referrals."""
    from django.db.models import Count, Q

    from trede.activation.models import OPEN_STATES, Provider, ProviderMember
    from trede.activation.services import provider_member_add
    from trede.synth.activation import provider_email

    user = User.objects.filter(username=PROVIDER).first()
    if user is None:
        user = _account(PROVIDER, Role.PROVIDER, "Fatma", "Yilmaz", result)
    if user.role != Role.PROVIDER:
        result.notes.append(f"{PROVIDER} exists with role {user.role}: left as it is.")
        return
    if ProviderMember.objects.filter(user=user).exists():
        return
    providers = Provider.objects.annotate(
        n=Count("activities__referrals", filter=Q(activities__referrals__status__in=OPEN_STATES))
    ).order_by("-n", "pk")
    provider = next((p for p in providers if p.n and p.email == provider_email(p.name)), None)
    admin = User.objects.filter(username=ADMINISTRATOR, role=Role.ADMINISTRATOR).first()
    if provider is None or admin is None:
        result.notes.append(f"No generated provider with referrals: {PROVIDER} works for no provider.")
        return
    provider_member_add(actor=admin, provider=provider, user=user)
    result.created.append(f"{PROVIDER} at {provider.name}")


def _demo_model(today: dt.date, result: DemoResult) -> None:
    """Train the time-to-work model on the demo's history and put it into use (as the demo's functional
    administrator), so that the intake shows an estimate. Only when there is no model at all yet."""
    from django.core.exceptions import ValidationError

    from trede.intake.models import ModelVersion
    from trede.intake.services import model_activate, model_train

    if ModelVersion.objects.exists():
        return
    admin = User.objects.filter(username="beheer", role=Role.ADMINISTRATOR).first()
    try:
        version = model_train(actor=None, today=today)
        if admin is not None:
            model_activate(actor=admin, version=version)
    except ValidationError as exc:
        result.notes.append("No time-to-work model: " + " ".join(exc.messages))
        return
    result.created.append(f"model {version.number}")


def demo_accounts() -> list[dict]:
    """The demo accounts as they are now, for the table createdemo prints."""
    out = []
    names = [CASEWORKER, TEAM_LEAD] + [a[0] for a in OTHER_ACCOUNTS] + [EMPLOYER_ADVISER, PROVIDER]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=names).select_related(
            "team_membership__team", "provider_member__provider"
        )
    }
    for username in names:
        user = users.get(username)
        if user is None:
            continue
        membership = getattr(user, "team_membership", None)  # None when the user is in no team
        member = getattr(user, "provider_member", None)  # the provider a provider's staff member works for
        out.append(
            {
                "username": username,
                "role": str(Role(user.role).label) if user.role in Role.values else user.role,
                "name": user.get_full_name(),
                "team": membership.team.name if membership else (member.provider.name if member else ""),
                "clients": _current_clients(user) if user.role == Role.CASEWORKER else None,
            }
        )
    return out
