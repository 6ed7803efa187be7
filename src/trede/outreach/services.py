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
from django.utils.translation import gettext as _

from trede.core.audit import audit, audit_bulk, snapshot
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import add_months
from trede.core.selectors import rules_on
from trede.outreach import selectors
from trede.outreach.models import Campaign, CampaignStatus, Cohort, CohortOrder, Invitation, Purpose
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
