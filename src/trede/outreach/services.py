"""Writes of outreach: create a campaign and plan its cohorts (idempotent: a client is never invited twice by the
same campaign in the same round, and planning again only adds who is new)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.core.audit import audit, audit_bulk, snapshot
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import add_months
from trede.core.selectors import rules_on
from trede.outreach import selectors
from trede.outreach.models import (
    Appointment,
    Campaign,
    CampaignStatus,
    Cohort,
    CohortOrder,
    Invitation,
    InvitationStatus,
    Outcome,
    Purpose,
)
from trede.outreach.rules import cohorts

ORGANISERS = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def _check_organiser(actor: User) -> None:
    if actor is None or actor.role not in ORGANISERS:
        raise ValidationError(_("Alleen een teamleider of de functioneel beheerder organiseert een oproep."))


def campaign_create(*, actor: User, name: str, purpose: str, starts_on: dt.date, **selection: Any) -> Campaign:
    """A new campaign (draft). The cohort size defaults to the local rule set's campaign_cohort_size."""
    _check_organiser(actor)
    districts = selection.pop("districts", None) or []
    if not selection.get("cohort_size"):
        selection["cohort_size"] = rules_on(starts_on)["campaign_cohort_size"]
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Kies een doel.")})
    with transaction.atomic():
        campaign = Campaign(name=name.strip(), purpose=purpose, starts_on=starts_on, created_by=actor, **selection)
        campaign.full_clean()
        campaign.save()
        campaign.districts.set(districts)
        audit(actor=actor, action="campaign_create", instance=campaign, client_id=None)
    return campaign


def _ordered(campaign: Campaign, qs) -> list[int]:
    """Client ids in the campaign's order. The random order comes from the campaign's recorded seed."""
    if campaign.order == CohortOrder.RANDOM:
        ids = np.array(sorted(qs.values_list("pk", flat=True)), dtype="int64")
        return [int(i) for i in np.random.default_rng(campaign.seed).permutation(ids)]
    if campaign.order == CohortOrder.OLDEST_CONTACT:
        qs = qs.annotate(o_last=selectors.last_contact_expression()).order_by(F("o_last").asc(nulls_first=True), "pk")
    else:
        qs = qs.order_by("district__name", "surname", "pk")
    return list(qs.values_list("pk", flat=True))


def campaign_plan(*, actor: User, campaign: Campaign, on: dt.date) -> int:
    """Put every client who may be invited on `on` and is not yet invited by this campaign into cohorts of the
    campaign's size, in its order. Returns how many were added. Running it again adds only who is new."""
    _check_organiser(actor)
    rules = rules_on(on)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = snapshot(campaign, ["status", "seed"])
        if campaign.order == CohortOrder.RANDOM and campaign.seed is None:
            campaign.seed = secrets.randbelow(2**62)  # recorded, so the order can be rebuilt for an evaluation
        invitable = selectors.candidates(campaign, on, horizon_days=rules["due_horizon_days"]).filter(exclusion="")
        invitable = invitable.exclude(pk__in=Invitation.objects.filter(campaign=campaign).values("client_id"))
        ids = _ordered(campaign, invitable)
        last = Cohort.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0
        position = Invitation.objects.filter(campaign=campaign).aggregate(p=Max("position"))["p"] or 0
        rows = []
        for k, (start, stop) in enumerate(cohorts(len(ids), campaign.cohort_size), start=1):
            number = last + k
            months, part = divmod(number - 1, campaign.cohorts_per_month)
            starts = add_months(campaign.starts_on, months) + dt.timedelta(
                days=round(part * 30 / campaign.cohorts_per_month)
            )
            cohort = Cohort.objects.create(campaign=campaign, number=number, starts_on=starts)
            rows += [
                Invitation(campaign=campaign, cohort=cohort, client_id=cid, position=position + start + i + 1)
                for i, cid in enumerate(ids[start:stop])
            ]
        Invitation.objects.bulk_create(rows, batch_size=2000)
        campaign.status = CampaignStatus.PLANNED
        campaign.save(update_fields=["status", "seed"])
        audit(actor=actor, action="campaign_plan", instance=campaign, client_id=None, before=before)
        audit_bulk(
            actor=actor, action="invitation_plan", model=Invitation, count=len(rows), detail={"campaign": campaign.pk}
        )
    return len(rows)


# --------------------------------------------------------------------------------------------------
# Appointments

DAY_START = dt.time(9, 0)
DAY_END = dt.time(16, 30)
DEFAULT_PLACE = "Werkplein, balie Werk en Inkomen"
LETTER_LEAD_DAYS = 7  # the first talk is at least a week away, so that the letter arrives in time


def _slots(day: dt.date, minutes: int) -> list[dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, DAY_START, tzinfo=tz)
    end = dt.datetime.combine(day, DAY_END, tzinfo=tz)
    out = []
    while start + dt.timedelta(minutes=minutes) <= end:
        out.append(start)
        start += dt.timedelta(minutes=minutes)
    return out


def cohort_schedule(*, actor: User, cohort: Cohort, place: str = DEFAULT_PLACE) -> int:
    """Give every planned invitation of the cohort without an appointment a talk with a caseworker: the client's
    own caseworker when they work in the campaign's teams, else the one with the fewest talks; on working days
    from the cohort's start, within the share of each caseworker's hours the rule set allows for these talks,
    never two talks of one caseworker at the same moment. Returns how many were scheduled."""
    from trede.caseload.selectors import caseworker_hours, current_caseworker_id
    from trede.core.workdays import is_working_day

    _check_organiser(actor)
    campaign = cohort.campaign
    rules = rules_on(cohort.starts_on)
    minutes = rules["talk_minutes"]
    hours = dict(caseworker_hours([d.pk for d in campaign.districts.all()] or None))
    if not hours:
        raise ValidationError(_("Er zijn geen klantmanagers voor deze wijken."))
    with transaction.atomic():
        pending = list(
            cohort.invitations.filter(status=InvitationStatus.PLANNED, appointments__isnull=True)
            .annotate(own=current_caseworker_id("client_id"))
            .order_by("position")
        )
        if not pending:
            return 0
        per_week = {cw: int(h * rules["talk_hours_share_pct"] / 100 * 60 // minutes) for cw, h in hours.items()}
        taken = set(
            Appointment.objects.filter(caseworker_id__in=hours, starts_at__date__gte=cohort.starts_on)
            .exclude(outcome__in=[Outcome.CANCELLED, Outcome.RESCHEDULED])
            .values_list("caseworker_id", "starts_at")
        )
        load: dict[tuple[int, int], int] = {}  # (caseworker, iso week) -> talks
        for cw, at in taken:
            key = (cw, at.astimezone(timezone.get_current_timezone()).isocalendar()[1])
            load[key] = load.get(key, 0) + 1
        made = []
        day = max(cohort.starts_on, timezone.localdate() + dt.timedelta(days=LETTER_LEAD_DAYS))
        queue = list(pending)
        while queue:
            if day > cohort.starts_on + dt.timedelta(days=366):
                raise ValidationError(_("Er is binnen een jaar geen ruimte in de agenda's voor dit cohort."))
            if not is_working_day(day):
                day += dt.timedelta(days=1)
                continue
            week = day.isocalendar()[1]
            for at in _slots(day, minutes):
                free = [cw for cw in hours if (cw, at) not in taken and load.get((cw, week), 0) < per_week[cw]]
                if not free or not queue:
                    continue
                # the first invitation whose own caseworker is free, else the next one with the least-loaded
                pick = next((inv for inv in queue if inv.own in free), None)
                if pick is not None:
                    cw = pick.own
                else:
                    pick = queue[0]
                    cw = min(free, key=lambda c: (load.get((c, week), 0), c))
                queue.remove(pick)
                taken.add((cw, at))
                load[(cw, week)] = load.get((cw, week), 0) + 1
                made.append(
                    Appointment(
                        client_id=pick.client_id,
                        invitation=pick,
                        caseworker_id=cw,
                        starts_at=at,
                        minutes=minutes,
                        place=place,
                    )
                )
            day += dt.timedelta(days=1)
        Appointment.objects.bulk_create(made, batch_size=2000)
        audit_bulk(
            actor=actor, action="appointment_schedule", model=Appointment, count=len(made), detail={"cohort": cohort.pk}
        )
    return len(made)


def invitation_recheck(*, actor: User | None, invitation: Invitation, on: dt.date) -> str:
    """Apply the outreach rule again just before a letter is made. When the client may no longer be invited
    (e.g. an exemption granted after planning), the invitation is withdrawn with the reason, its appointment is
    cancelled and the client's caseworker gets an action to know why. Returns the reason ('' = still invitable)."""
    from trede.caseload.services import action_item_add
    from trede.outreach.rules import EXCLUSION_LABELS

    rules = rules_on(on)
    reason = selectors.exclusion_of(
        invitation.campaign, invitation.client_id, on, horizon_days=rules["due_horizon_days"]
    )
    if reason is None:
        reason = "not_selected"  # no longer on benefit or outside the selection
    if reason == "":
        return ""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status == InvitationStatus.WITHDRAWN:
            return invitation.withdrawn_reason
        before = snapshot(invitation, ["status", "withdrawn_reason"])
        invitation.status, invitation.withdrawn_reason = InvitationStatus.WITHDRAWN, reason
        invitation.save(update_fields=["status", "withdrawn_reason"])
        invitation.appointments.filter(outcome=Outcome.OPEN).update(
            outcome=Outcome.CANCELLED, outcome_reason=str(EXCLUSION_LABELS.get(reason, reason))
        )
        audit(
            actor=actor,
            action="invitation_withdraw",
            instance=invitation,
            client_id=invitation.client_id,
            before=before,
        )
        label = EXCLUSION_LABELS.get(reason, _("Niet meer in de selectie"))
        action_item_add(
            actor=actor,
            client=invitation.client,
            description=_("Niet uitgenodigd voor “%(c)s”: %(r)s") % {"c": invitation.campaign.name, "r": label},
            responsible="caseworker",
            deadline=on + dt.timedelta(days=7),
        )
    return reason


def appointment_outcome_record(
    *,
    actor: User,
    appointment: Appointment,
    outcome: str,
    note: str = "",
    reason: str = "",
    new_starts_at: dt.datetime | None = None,
) -> Appointment:
    """Register how a talk went.

    attended    — the contact note is written from it (caseload.contact_record) and the invitation is done;
    no_show     — the caseworker gets a follow-up action and the client a second invitation (next round) in the
                  same cohort. A no-show never creates a sanction by itself: that needs a hearing (sanctions);
    rescheduled — a new talk at `new_starts_at` with the same caseworker (never double-booked);
    cancelled   — with the reason.
    """
    from trede.caseload.services import action_item_add, contact_record

    note, reason = (note or "").strip(), (reason or "").strip()
    if outcome not in (Outcome.ATTENDED, Outcome.NO_SHOW, Outcome.RESCHEDULED, Outcome.CANCELLED):
        raise ValidationError({"outcome": _("Kies wat er gebeurde.")})
    if outcome == Outcome.ATTENDED and not note:
        raise ValidationError({"note": _("Schrijf kort op wat er besproken is.")})
    if outcome == Outcome.CANCELLED and not reason:
        raise ValidationError({"reason": _("Schrijf op waarom de afspraak niet doorgaat.")})
    if outcome == Outcome.RESCHEDULED and new_starts_at is None:
        raise ValidationError({"new_starts_at": _("Kies de nieuwe datum en tijd.")})
    if outcome in (Outcome.ATTENDED, Outcome.NO_SHOW) and appointment.starts_at > timezone.now():
        raise ValidationError({"outcome": _("Deze afspraak is nog niet geweest.")})
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("client", "invitation")
            .get(pk=appointment.pk)
        )
        if appointment.outcome != Outcome.OPEN:
            raise ValidationError({"outcome": _("De uitkomst van deze afspraak is al vastgelegd.")})
        before = snapshot(appointment, ["outcome", "outcome_reason"])
        appointment.outcome, appointment.outcome_reason = outcome, reason
        appointment.save(update_fields=["outcome", "outcome_reason"])
        invitation = appointment.invitation
        day = timezone.localtime(appointment.starts_at).date()
        if outcome == Outcome.ATTENDED:
            contact_record(actor=actor, client=appointment.client, contact_on=day, channel="in_person", summary=note)
            if invitation is not None:
                _invitation_status(actor, invitation, InvitationStatus.ATTENDED)
        elif outcome == Outcome.NO_SHOW:
            action_item_add(
                actor=actor,
                client=appointment.client,
                description=_("Niet gekomen op %(d)s: navragen waarom, en opnieuw uitnodigen")
                % {"d": f"{day:%d-%m-%Y}"},
                responsible="caseworker",
                deadline=max(timezone.localdate(), day) + dt.timedelta(days=7),
            )
            if invitation is not None:
                _invitation_status(actor, invitation, InvitationStatus.NO_SHOW)
                second, created = Invitation.objects.get_or_create(
                    campaign=invitation.campaign,
                    client=invitation.client,
                    round=invitation.round + 1,
                    defaults={"cohort": invitation.cohort, "position": invitation.position},
                )
                if created:
                    audit(actor=actor, action="invitation_again", instance=second, client_id=second.client_id)
        elif outcome == Outcome.RESCHEDULED:
            if (
                Appointment.objects.filter(caseworker_id=appointment.caseworker_id, starts_at=new_starts_at)
                .exclude(outcome__in=[Outcome.CANCELLED, Outcome.RESCHEDULED])
                .exists()
            ):
                raise ValidationError({"new_starts_at": _("De klantmanager heeft dan al een afspraak.")})
            Appointment.objects.create(
                client=appointment.client,
                invitation=invitation,
                caseworker_id=appointment.caseworker_id,
                starts_at=new_starts_at,
                minutes=appointment.minutes,
                place=appointment.place,
            )
        elif invitation is not None:
            _invitation_status(actor, invitation, InvitationStatus.CANCELLED)
        audit(
            actor=actor,
            action="appointment_outcome_record",
            instance=appointment,
            client_id=appointment.client_id,
            before=before,
        )
    return appointment


def _invitation_status(actor: User, invitation: Invitation, status: str) -> None:
    before = snapshot(invitation, ["status"])
    invitation.status = status
    invitation.save(update_fields=["status"])
    audit(actor=actor, action="invitation_status", instance=invitation, client_id=invitation.client_id, before=before)
