"""Writes about caseloads: assignments, contact moments and the action plan."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.caseload.models import ActionItem, Assignment, ContactMoment, TeamMember
from trede.clients.models import Client
from trede.clients.rules import not_in_future
from trede.core.audit import audit, snapshot


def assignment_assign(
    *, actor, client: Client, caseworker, start_on: dt.date | None = None, reason: str = ""
) -> Assignment:
    """Put a client in a caseworker's caseload from `start_on`, ending the current assignment the day before.

    The caseworker must belong to a team; the history of assignments is kept.
    """
    start_on = start_on or timezone.localdate()
    membership = TeamMember.objects.filter(user=caseworker).select_related("team").first()
    if membership is None or caseworker.role != "caseworker":
        raise ValidationError({"caseworker": _("Kies een klantmanager uit een team.")})
    actor_team = TeamMember.objects.filter(user=actor).values_list("team_id", flat=True).first() if actor else None
    if actor is not None and actor.role == "team_lead" and actor_team != membership.team_id:
        raise ValidationError({"caseworker": _("Kies een klantmanager uit uw eigen team.")})
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        current = Assignment.objects.select_for_update().filter(client=client, end_on__isnull=True).first()
        if current is not None:
            if current.caseworker_id == caseworker.pk:
                raise ValidationError(
                    {"caseworker": _("Deze cliënt zit al in de caseload van %(name)s.") % {"name": caseworker}}
                )
            if start_on <= current.start_on:
                raise ValidationError(
                    {
                        "start_on": _("De nieuwe toedeling moet na %(date)s ingaan.")
                        % {"date": current.start_on.strftime("%d-%m-%Y")}
                    }
                )
            if not reason.strip():
                raise ValidationError({"reason": _("Schrijf op waarom de cliënt naar een andere klantmanager gaat.")})
            before = snapshot(current)
            current.end_on = start_on - dt.timedelta(days=1)
            current.save(update_fields=["end_on"])
            audit(actor=actor, action="assignment_end", instance=current, client_id=client.pk, before=before)
        assignment = Assignment(
            client=client,
            caseworker=caseworker,
            team=membership.team,
            start_on=start_on,
            assigned_by=actor,
            reason=reason.strip(),
        )
        assignment.full_clean(validate_constraints=False)
        assignment.save()
        audit(actor=actor, action="assignment_assign", instance=assignment, client_id=client.pk)
    return assignment


def contact_record(*, actor, client: Client, contact_on: dt.date, channel: str, summary: str) -> ContactMoment:
    problems: dict[str, list[str]] = {}
    if m := not_in_future(contact_on, timezone.localdate(), _("Een contactmoment")):
        problems["contact_on"] = [m]
    if not summary or not summary.strip():
        problems["summary"] = [_("Schrijf kort op wat er besproken is.")]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        contact = ContactMoment(
            client=client, contact_on=contact_on, channel=channel, summary=summary.strip(), recorded_by=actor
        )
        contact.full_clean()
        contact.save()
        audit(actor=actor, action="contact_record", instance=contact, client_id=client.pk)
    return contact


def action_item_add(
    *,
    actor,
    client: Client,
    description: str,
    responsible: str,
    deadline: dt.date,
    responsible_note: str = "",
) -> ActionItem:
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": _("De uiterste datum ligt in het verleden.")})
    with transaction.atomic():
        item = ActionItem(
            client=client,
            description=(description or "").strip(),
            responsible=responsible,
            responsible_note=responsible_note,
            deadline=deadline,
            created_by=actor,
            created_on=today,
        )
        item.full_clean()
        item.save()
        audit(actor=actor, action="action_item_add", instance=item, client_id=client.pk)
    return item


def action_item_complete(*, actor, item: ActionItem, done_on: dt.date | None = None) -> ActionItem:
    done_on = done_on or timezone.localdate()
    if m := not_in_future(done_on, timezone.localdate(), _("De datum")):
        raise ValidationError({"done_on": m})
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.done_on is not None:
            raise ValidationError({"done_on": _("Deze actie is al afgerond.")})
        before = snapshot(item)
        item.done_on = done_on
        item.save(update_fields=["done_on"])
        audit(actor=actor, action="action_item_complete", instance=item, client_id=item.client_id, before=before)
    return item


def staff_register(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team=None,
    hours_per_week: int = 36,
):
    """Create a user; caseworkers and team leads join a team in the same transaction."""
    from trede.core.services import user_create

    if role in ("caseworker", "team_lead") and team is None:
        raise ValidationError({"team": _("Een klantmanager of teamleider hoort bij een team.")})
    if role not in ("caseworker", "team_lead") and team is not None:
        raise ValidationError({"team": _("Alleen klantmanagers en teamleiders horen bij een team.")})
    with transaction.atomic():
        user = user_create(
            actor=actor,
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        if team is not None:
            member = TeamMember(user=user, team=team, hours_per_week=hours_per_week)
            member.full_clean()
            member.save()
            audit(actor=actor, action="team_member_set", instance=member, client_id=None)
    return user


def client_register_into_caseload(
    *, actor, caseworker, benefit_start_on: dt.date | None = None, norm: str = "single", **client_fields
) -> Client:
    """Register a client, put them in a caseworker's caseload and (optionally) start their benefit: one
    transaction, so a refused step leaves nothing behind."""
    from trede.clients.services import benefit_period_start, client_register

    with transaction.atomic():
        client = client_register(actor=actor, **client_fields)
        assignment_assign(actor=actor, client=client, caseworker=caseworker, reason=_("Nieuwe cliënt"))
        if benefit_start_on is not None:
            benefit_period_start(actor=actor, client=client, start_on=benefit_start_on, norm=norm)
    return client
