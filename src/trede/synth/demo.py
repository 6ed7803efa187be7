"""The demo: a synthetic municipality and one account per role, idempotently (used by `make demo`).

DEMO ONLY: every demo account gets the same, published password (DEMO_PASSWORD). Never run this against a
database with real people in it; the command refuses unless TREDE_DEMO=1 or TREDE_DEBUG=1.

The demo caseworker "klantmanager" takes over the first generated caseworker: their caseload, the history
they recorded and their team membership move to the demo account (audited), and the generated account is
removed. The demo team lead "teamleider" takes over the lead of that team in the same way, and the demo employer
adviser "werkgever" the first generated employer adviser (the fixed adviser of that adviser's employers, with their
vacancies). The demo provider "aanbieder" works for the generated provider with the most open referrals
(activation.services.provider_member_add, by the demo administrator), so that `make demo` shows every role.

Besides the generated sanction cases, klantmanager gets one sanction case in every stage of the due process, made
through the services (audited) with teamleider as the second person who approves: just opened, a hearing whose term
runs, a hearing past its term, culpability to assess, a draft decision to approve, not culpable, a decision sent
with its letter, an objection to decide, and one stopped for want of a letter (see DEMO_SANCTIONS).
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
    _demo_sanctions(result)
    _demo_model(today, result)
    from trede.pilots.demo import demo_pilots  # a finished pilot (with a safety look) and a running one

    result.created += demo_pilots()
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


# One case per stage: (category, breach days ago, the steps through the services). The services date the
# assessment, the proposal and the approval today, so a decision is sent today and an objection received today.
DEMO_SANCTIONS = (
    ("refused_work", 6, {}),
    ("not_cooperating_uniform", 15, {"invited": 8}),
    ("refused_work", 45, {"invited": 35}),  # the term has passed and nothing is recorded: on the due page
    ("appearance", 30, {"invited": 25, "view": "Ik had die dag een zieke moeder thuis."}),
    ("not_keeping_work", 50, {"invited": 45, "view": "Ik kwam te laat door de bus.", "finding": "full"}),
    ("refused_work", 60, {"invited": 55, "view": "Ik lag in het ziekenhuis.", "finding": "none"}),
    ("refused_work", 70, {"invited": 65, "finding": "full", "sent": True}),
    (
        "not_cooperating_uniform",
        120,
        {"invited": 110, "view": "Mijn kind was ziek.", "finding": "partial", "sent": True, "objection": True},
    ),
    ("no_show", 10, {}),  # no letter on file: the case stops at once
)
DEMO_REASONING = {
    "full": "Er was geen geldige reden en de cliënt had zich kunnen afmelden.",
    "partial": "De zorg voor het kind speelde mee, maar de cliënt had contact kunnen opnemen.",
    "none": "De cliënt lag in het ziekenhuis en kon niets doen.",
}
DEMO_DESCRIPTIONS = {
    "refused_work": "Aangeboden werk als orderpicker geweigerd.",
    "not_cooperating_uniform": "Niet meegewerkt aan een proefplaatsing bij een schoonmaakbedrijf.",
    "appearance": "Sollicitatiegesprek verstoord door gedrag.",
    "not_keeping_work": "Ontslagen na herhaald te laat komen.",
    "no_show": "Niet gekomen op de afspraak over werk.",
}


def _demo_sanction_clients(caseworker: User, today: dt.date, n: int) -> list[Client]:
    """Clients of the caseworker on benefit and under the work obligation for the last 200 days, with no exemption
    from it that lasted into that time (so none was in force on any breach day: Exemption.objects.active_on's
    condition, for the whole span at once) and without sanction cases, so that each case is a first breach."""
    from django.db.models import Exists, OuterRef, Q

    from trede.clients.models import BenefitPeriod
    from trede.obligations.models import Exemption, Obligation

    since = today - dt.timedelta(days=200)
    on_benefit = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=since, end_on__isnull=True)
    obliged = Obligation.objects.filter(
        client_id=OuterRef("pk"), kind="work_obligation", start_on__lte=since, end_on__isnull=True
    )
    exempted = Exemption.objects.filter(client_id=OuterRef("pk"), obligation="work_obligation").filter(
        Q(end_on__isnull=True) | Q(end_on__gte=since), Q(ended_on__isnull=True) | Q(ended_on__gte=since)
    )
    return list(
        Client.objects.filter(assignments__caseworker=caseworker, assignments__end_on__isnull=True)
        .filter(Exists(on_benefit), Exists(obliged), ~Exists(exempted), sanction_cases__isnull=True)
        .distinct()
        .order_by("pk")[:n]
    )


def _demo_sanctions(result: DemoResult) -> None:
    """klantmanager's sanction cases, one per stage (DEMO_SANCTIONS), through the services; once (a second call
    finds them by their audit records and writes nothing)."""
    from django.utils import timezone

    from trede.core.models import AuditRecord
    from trede.sanctions import letters, services
    from trede.sanctions.models import SanctionCase

    caseworker = User.objects.filter(username=CASEWORKER, role=Role.CASEWORKER).first()
    lead = User.objects.filter(username=TEAM_LEAD, role=Role.TEAM_LEAD).first()
    if caseworker is None or lead is None:
        return
    made = AuditRecord.objects.filter(action="sanction_case_open", actor=caseworker).values_list("object_pk")
    if SanctionCase.objects.filter(pk__in=[int(pk) for (pk,) in made]).exists():
        return
    today = timezone.localdate()  # the services date their steps today
    clients = _demo_sanction_clients(caseworker, today, len(DEMO_SANCTIONS))
    if len(clients) < len(DEMO_SANCTIONS):
        result.notes.append("Too few clients for the demo's sanction cases: klantmanager has none of its own.")
        return
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    with transaction.atomic():
        for client, (category, breach, steps) in zip(clients, DEMO_SANCTIONS, strict=True):
            case = services.case_open(
                actor=caseworker,
                client=client,
                category=category,
                breach_on=ago(breach),
                description=DEMO_DESCRIPTIONS[category],
            )
            if "invited" not in steps:
                continue
            services.hearing_schedule(actor=caseworker, case=case, invited_on=ago(steps["invited"]))
            if "view" not in steps and "finding" not in steps:
                continue
            view = steps.get("view", "")
            services.hearing_record(actor=caseworker, case=case, responded=bool(view), statement=view)
            if "finding" not in steps:
                continue
            finding = steps["finding"]
            services.assessment_record(
                actor=caseworker, case=case, finding=finding, reasoning=DEMO_REASONING[finding], assessed_on=today
            )
            if finding == "none":
                continue
            start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)  # from next month
            lower = {"pct": 50, "lowered_reason": DEMO_REASONING["partial"]} if finding == "partial" else {}
            decision = services.decision_propose(actor=caseworker, case=case, start_on=start, **lower)
            if "sent" not in steps:
                continue
            services.decision_approve(actor=lead, decision=decision)
            pdf = letters.decision_pdf(decision, sent_on=today)
            services.decision_send(actor=caseworker, decision=decision, sent_on=today, pdf=pdf)
            if "objection" in steps:
                services.objection_register(actor=caseworker, decision=decision, received_on=today)
    result.created.append(f"{len(DEMO_SANCTIONS)} sanction cases of {CASEWORKER}")


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
