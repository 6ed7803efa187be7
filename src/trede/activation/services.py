"""Writes of activation: the catalogue (providers, their staff, activities), referrals through their states, and
participation with its follow-up. Each runs in one transaction with its audit record; a referral's change of status
also writes a ReferralEvent with its date, reason and who made it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.activation import rules
from trede.activation.models import (
    PLACE_HOLDING,
    Activity,
    ActivityKind,
    ActivityStatus,
    Participation,
    ParticipationKind,
    ParticipationSource,
    Provider,
    ProviderMember,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from trede.caseload.services import action_item_add, contact_record
from trede.clients.models import Client
from trede.core.audit import audit, snapshot
from trede.core.checks import not_in_future, refuse
from trede.core.models import User
from trede.core.roles import Role
from trede.core.selectors import rules_on
from trede.obligations.selectors import active_obligations, is_exempt

CASE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)
FOLLOW_UP_ACTION_DAYS = 14
# a referral to an activity of this kind becomes a participation of that kind
PARTICIPATION_OF = {kind.value: kind.value for kind in ActivityKind}


def provider_of(user: User) -> Provider | None:
    """The provider a user works for (None for everyone who is not a provider's staff member)."""
    if user is None or getattr(user, "role", None) != Role.PROVIDER:
        return None
    member = ProviderMember.objects.select_related("provider").filter(user=user).first()
    return member.provider if member else None


# --- the catalogue ----------------------------------------------------------------------------------------------


def provider_save(*, actor: User, provider: Provider | None = None, **fields) -> Provider:
    """Create or change a provider (functional administrator only)."""
    if actor is None or actor.role != Role.ADMINISTRATOR:
        raise ValidationError(_("Alleen de functioneel beheerder legt aanbieders vast."))
    with transaction.atomic():
        before = snapshot(provider) if provider and provider.pk else None
        provider = provider or Provider()
        for key, value in fields.items():
            setattr(provider, key, value.strip() if isinstance(value, str) else value)
        provider.full_clean()
        provider.save()
        audit(actor=actor, action="provider_save", instance=provider, client_id=None, before=before)
    return provider


def provider_member_add(*, actor: User, provider: Provider, user: User) -> ProviderMember:
    """Let a user with the role 'provider' work for this provider."""
    if actor is None or actor.role != Role.ADMINISTRATOR:
        raise ValidationError(_("Alleen de functioneel beheerder koppelt medewerkers aan een aanbieder."))
    if user.role != Role.PROVIDER:
        refuse("user", _("Alleen een gebruiker met de rol 'aanbieder' kan voor een aanbieder werken."))
    with transaction.atomic():
        member, _created = ProviderMember.objects.update_or_create(user=user, defaults={"provider": provider})
        audit(actor=actor, action="provider_member_add", instance=member, client_id=None)
    return member


ADMIN_ONLY_FIELDS = {"is_tegenprestatie", "no_displacement"}


def places_taken(activity_id: int) -> int:
    return Referral.objects.filter(activity_id=activity_id, status__in=PLACE_HOLDING).count()


def activity_save(*, actor: User, activity: Activity | None = None, **fields) -> Activity:
    """Create or change an activity of the catalogue.

    The functional administrator keeps every activity; a provider's staff keep their own provider's activities, but
    only the administrator marks one as tegenprestatie and writes why it displaces no paid job. A tegenprestatie is
    offered only with that reason written (art. 9 lid 1c: unpaid work that does not displace paid jobs).
    """
    own = provider_of(actor)
    if actor is None or (actor.role != Role.ADMINISTRATOR and own is None):
        raise ValidationError(_("Alleen de functioneel beheerder of de aanbieder zelf beheert activiteiten."))
    creating = activity is None or activity.pk is None
    if own is not None:
        if not creating and activity.provider_id != own.pk:
            raise ValidationError(_("Dit is een activiteit van een andere aanbieder."))
        fields.pop("provider", None)  # always their own
        touched = {k for k, v in fields.items() if (bool(v) if creating else getattr(activity, k) != v)}
        if touched & ADMIN_ONLY_FIELDS:
            raise ValidationError(_("Of een activiteit als tegenprestatie telt, legt de functioneel beheerder vast."))
        fields["provider"] = own
    with transaction.atomic():
        if not creating:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
        before = None if creating else snapshot(activity)
        activity = activity or Activity()
        for key, value in fields.items():
            setattr(activity, key, value.strip() if isinstance(value, str) else value)
        if activity.is_tegenprestatie and activity.status == ActivityStatus.OFFERED and not activity.no_displacement:
            refuse(
                "no_displacement",
                _(
                    "Schrijf op waarom deze tegenprestatie geen betaald werk verdringt. Zonder die reden kan de "
                    "activiteit niet worden aangeboden."
                ),
            )
        if not creating:
            taken = places_taken(activity.pk)
            if activity.capacity < taken:
                refuse("capacity", _("Er zijn al %(n)d plaatsen bezet.") % {"n": taken})
        activity.full_clean()
        activity.save()
        audit(actor=actor, action="activity_save", instance=activity, client_id=None, before=before)
    return activity


# --- referrals --------------------------------------------------------------------------------------------------


def tegenprestatie_facts(client_id: int, on: dt.date) -> dict:
    """The facts the tegenprestatie rule needs for a client on a date (policy from the rule set of that date)."""
    return {
        "policy": rules_on(on)["tegenprestatie_policy"],
        "imposed": active_obligations(on).filter(client_id=client_id, kind="tegenprestatie").exists(),
        "exempt": is_exempt(client_id=client_id, obligation="tegenprestatie", on=on),
    }


def referral_propose(
    *, actor: User, client: Client, activity: Activity, on: dt.date, note: str = "", waiting_list: bool = False
) -> Referral:
    """Propose an activity to a client. Without a free place the referral needs an explicit waiting-list entry.

    A tegenprestatie is marked voluntary unless the client is required to do one on `on` (enforced by the
    municipality, imposed, and no exemption): an exempt client may still be offered one, voluntarily.
    """
    if actor is None or actor.role not in CASE_ROLES:
        raise ValidationError(_("Alleen een klantmanager of teamleider verwijst een cliënt."))
    not_in_future(on, "on")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != ActivityStatus.OFFERED:
            refuse("activity", _("Deze activiteit wordt nu niet aangeboden."))
        if Referral.objects.filter(
            client=client, activity=activity, status__in=[*PLACE_HOLDING, ReferralStatus.WAITING]
        ).exists():
            refuse("activity", _("De cliënt heeft al een lopende verwijzing naar deze activiteit."))
        full = places_taken(activity.pk) >= activity.capacity
        if full and not waiting_list:
            refuse(
                "waiting_list",
                _("Er is geen vrije plaats. Zet de cliënt bewust op de wachtlijst, of kies een andere activiteit."),
            )
        facts = tegenprestatie_facts(client.pk, on)
        voluntary = rules.referral_voluntary(is_tegenprestatie=activity.is_tegenprestatie, **facts)
        status = ReferralStatus.WAITING if full else ReferralStatus.PROPOSED
        referral = Referral.objects.create(
            client=client,
            activity=activity,
            status=status,
            voluntary=voluntary,
            proposed_on=on,
            status_on=on,
            note=note.strip(),
            created_by=actor,
        )
        ReferralEvent.objects.create(referral=referral, from_status="", to_status=status, on=on, reason=note, by=actor)
        audit(actor=actor, action="referral_propose", instance=referral, client_id=client.pk)
    return referral


def referral_move(*, actor: User, referral: Referral, to: str, on: dt.date, reason: str = "") -> Referral:
    """Move a referral to its next status (rules.TRANSITIONS), with the date and, where needed, the reason.

    The provider's staff confirm the start, the attendance and the end of their own referrals; the caseworker does
    the rest. Starting makes a participation (with its first follow-up date); ending ends it and asks the caseworker
    for a new ladder measurement and a next step.
    """
    own = provider_of(actor)
    if actor is None or (actor.role not in CASE_ROLES and own is None):
        raise ValidationError(_("U kunt deze verwijzing niet wijzigen."))
    not_in_future(on, "on")
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).select_related("activity").get(pk=referral.pk)
        if own is not None and referral.activity.provider_id != own.pk:
            raise ValidationError(_("Deze verwijzing is niet voor uw organisatie."))
        if problem := rules.transition_problem(
            current=referral.status, target=to, reason=reason, by_provider=own is not None
        ):
            reason_missing = to in rules.REASON_REQUIRED and to in rules.TRANSITIONS.get(referral.status, ())
            refuse("reason" if reason_missing and not reason.strip() else "to", problem)
        if on < referral.status_on:
            refuse(
                "on",
                _("De datum ligt vóór de vorige stap (%(date)s).") % {"date": referral.status_on.strftime("%d-%m-%Y")},
            )
        if referral.status == ReferralStatus.WAITING and to == ReferralStatus.PROPOSED:
            Activity.objects.select_for_update().get(pk=referral.activity_id)
            if places_taken(referral.activity_id) >= referral.activity.capacity:
                refuse("to", _("Er is nog geen plaats vrij bij deze activiteit."))
        before = snapshot(referral, ["status", "status_on"])
        ReferralEvent.objects.create(
            referral=referral, from_status=referral.status, to_status=to, on=on, reason=reason.strip(), by=actor
        )
        referral.status, referral.status_on = to, on
        referral.save(update_fields=["status", "status_on"])
        audit(actor=actor, action=f"referral_{to}", instance=referral, client_id=referral.client_id, before=before)
        if to == ReferralStatus.STARTED:
            activity = referral.activity
            _participation_start(
                actor=actor,
                client_id=referral.client_id,
                kind=PARTICIPATION_OF[activity.kind],
                description=activity.name,
                hours_per_week=activity.hours_per_week,
                start_on=on,
                source=ParticipationSource.REFERRAL,
                referral=referral,
                counts_as_tegenprestatie=activity.is_tegenprestatie,
            )
        elif to == ReferralStatus.ENDED:
            participation = Participation.objects.filter(referral=referral, end_on__isnull=True).first()
            if participation is not None:
                participation_end(actor=actor, participation=participation, end_on=on, reason=reason)
    return referral


# --- participation ----------------------------------------------------------------------------------------------


def _participation_start(*, actor: User, client_id: int, start_on: dt.date, **fields) -> Participation:
    months = rules_on(start_on)["follow_up_months"]
    participation = Participation(
        client_id=client_id,
        start_on=start_on,
        follow_up_on=rules.next_follow_up(start_on, months),
        recorded_by=actor,
        **fields,
    )
    participation.full_clean()
    participation.save()
    audit(actor=actor, action="participation_start", instance=participation, client_id=client_id)
    return participation


def participation_record(
    *,
    actor: User,
    client: Client,
    kind: str,
    description: str,
    hours_per_week: int,
    start_on: dt.date,
    counts_as_tegenprestatie: bool = False,
) -> Participation:
    """Record what a client does on their own (informal care, self-found volunteer work, a course...). It is
    recorded on the client's word: trede asks for no proof."""
    if actor is None or actor.role not in CASE_ROLES:
        raise ValidationError(_("Alleen een klantmanager of teamleider legt deelname vast."))
    not_in_future(start_on, "start_on")
    if kind not in ParticipationKind.values:
        refuse("kind", _("Kies wat de cliënt doet."))
    if not (description or "").strip():
        refuse("description", _("Schrijf kort op wat de cliënt doet."))
    if counts_as_tegenprestatie and kind not in ("tegenprestatie", "volunteer_work", "informal_care"):
        refuse("counts_as_tegenprestatie", _("Alleen vrijwilligerswerk of mantelzorg kan als tegenprestatie tellen."))
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        return _participation_start(
            actor=actor,
            client_id=client.pk,
            kind=kind,
            description=description.strip(),
            hours_per_week=hours_per_week,
            start_on=start_on,
            source=ParticipationSource.CLIENT,
            counts_as_tegenprestatie=counts_as_tegenprestatie,
        )


def participation_follow_up(
    *, actor: User, participation: Participation, contact_on: dt.date, channel: str, summary: str
) -> Participation:
    """The follow-up contact with a client who is active: written as a contact, and the next one planned."""
    if actor is None or actor.role not in CASE_ROLES:
        raise ValidationError(_("Alleen een klantmanager of teamleider legt een vervolgcontact vast."))
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.end_on is not None:
            refuse("contact_on", _("Deze deelname is al gestopt."))
        if contact_on < participation.start_on:
            refuse("contact_on", _("Het contact ligt vóór het begin van de deelname."))
        contact_record(
            actor=actor, client=participation.client, contact_on=contact_on, channel=channel, summary=summary
        )
        before = snapshot(participation, ["follow_up_on"])
        participation.follow_up_on = rules.next_follow_up(contact_on, rules_on(contact_on)["follow_up_months"])
        participation.save(update_fields=["follow_up_on"])
        audit(
            actor=actor,
            action="participation_follow_up",
            instance=participation,
            client_id=participation.client_id,
            before=before,
        )
    return participation


def participation_end(
    *,
    actor: User,
    participation: Participation,
    end_on: dt.date,
    reason: str,
    next_step: str = "",
    next_step_note: str = "",
) -> Participation:
    """A participation stops. Without a next step the client is flagged (selectors.stopped_without_next_step) and the
    caseworker gets an action: measure the ladder again and agree a next step."""
    own = provider_of(actor)
    if actor is None or (actor.role not in CASE_ROLES and own is None):
        raise ValidationError(_("U kunt deze deelname niet beëindigen."))
    not_in_future(end_on, "end_on")
    if not (reason or "").strip():
        refuse("reason", _("Schrijf op waarom de cliënt stopt."))
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.end_on is not None:
            refuse("end_on", _("Deze deelname is al gestopt."))
        if end_on < participation.start_on:
            refuse("end_on", _("De einddatum ligt vóór het begin."))
        if (
            own is not None
            and not Referral.objects.filter(pk=participation.referral_id, activity__provider=own).exists()
        ):
            raise ValidationError(_("Deze deelname is niet via uw organisatie."))
        if participation.referral_id and own is None:
            referral = Referral.objects.select_for_update().get(pk=participation.referral_id)
            if referral.status in (ReferralStatus.STARTED, ReferralStatus.ACTIVE):
                # the caseworker ends it here: the referral ends with it (referral_move calls back without a step)
                ReferralEvent.objects.create(
                    referral=referral,
                    from_status=referral.status,
                    to_status="ended",
                    on=end_on,
                    reason=reason,
                    by=actor,
                )
                before_ref = snapshot(referral, ["status", "status_on"])
                referral.status, referral.status_on = ReferralStatus.ENDED, end_on
                referral.save(update_fields=["status", "status_on"])
                audit(
                    actor=actor,
                    action="referral_ended",
                    instance=referral,
                    client_id=referral.client_id,
                    before=before_ref,
                )
        before = snapshot(participation)
        participation.end_on = end_on
        participation.end_reason = reason.strip()
        participation.next_step = next_step
        participation.next_step_note = next_step_note.strip()
        participation.follow_up_on = None
        participation.full_clean()
        participation.save()
        audit(
            actor=actor,
            action="participation_end",
            instance=participation,
            client_id=participation.client_id,
            before=before,
        )
        action_item_add(
            actor=actor,
            client=participation.client,
            description=_("Gestopt met %(what)s: meet de participatieladder opnieuw en spreek een volgende stap af.")
            % {"what": participation.description}
            if not next_step
            else _("Gestopt met %(what)s: meet de participatieladder opnieuw.") % {"what": participation.description},
            responsible="caseworker",
            deadline=max(end_on, timezone.localdate()) + dt.timedelta(days=FOLLOW_UP_ACTION_DAYS),
        )
    return participation


def participation_next_step(
    *, actor: User, participation: Participation, next_step: str, note: str = ""
) -> Participation:
    """Record the next step after a participation stopped (clears the flag 'stopped without a next step')."""
    if actor is None or actor.role not in CASE_ROLES:
        raise ValidationError(_("Alleen een klantmanager of teamleider legt de volgende stap vast."))
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        if participation.end_on is None:
            refuse("next_step", _("Deze deelname loopt nog."))
        before = snapshot(participation, ["next_step", "next_step_note"])
        participation.next_step, participation.next_step_note = next_step, note.strip()
        participation.full_clean()
        participation.save(update_fields=["next_step", "next_step_note"])
        audit(
            actor=actor,
            action="participation_next_step",
            instance=participation,
            client_id=participation.client_id,
            before=before,
        )
    return participation
