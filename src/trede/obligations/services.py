"""Writes about obligations and exemptions, each in a transaction with its audit record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.clients.models import Client, HouseholdKind, MemberRole
from trede.core.audit import audit, snapshot
from trede.core.selectors import rules_on
from trede.obligations.models import Exemption, ExemptionReview, Obligation
from trede.obligations.rules import Period, exemption_problems, review_problems


def _lock_client(client_id: int) -> Client:
    # Serialise writes per client so that two simultaneous grants cannot both pass the overlap check.
    return Client.objects.select_for_update(of=("self",)).select_related("household").get(pk=client_id)


def exemption_grant(
    *,
    actor,
    client: Client,
    obligation: str,
    ground: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    review_on: dt.date | None = None,
    reason: str,
) -> Exemption:
    """Grant an exemption from one obligation on a legal ground, under the rules valid on its start date."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Schrijf op waarom de ontheffing wordt verleend.")})
    with transaction.atomic():
        client = _lock_client(client.pk)
        rules = rules_on(start_on)
        if "exemption_grounds" not in rules:
            raise ValidationError({"start_on": _("Op deze datum gold geen regelset voor ontheffingen.")})
        household = getattr(client, "household", None)
        children = []
        single_parent = False
        if household is not None:
            single_parent = household.kind == HouseholdKind.SINGLE_PARENT
            children = list(household.members.filter(role=MemberRole.CHILD).values_list("birth_date", flat=True))
        others = Exemption.objects.filter(client=client, obligation=obligation)
        existing = [Period(e.start_on, e.effective_end) for e in others]
        problems = exemption_problems(
            obligation=obligation,
            ground=ground,
            start_on=start_on,
            end_on=end_on,
            review_on=review_on,
            grounds=rules["exemption_grounds"],
            single_parent=single_parent,
            child_birth_dates=children,
            same_ground_before=Exemption.objects.filter(client=client, ground=ground).count(),
            existing=existing,
        )
        if problems:
            raise ValidationError(problems)
        exemption = Exemption(
            client=client,
            obligation=obligation,
            ground=ground,
            start_on=start_on,
            end_on=end_on,
            review_on=review_on,
            reason=reason.strip(),
            granted_by=actor,
        )
        exemption.full_clean()
        exemption.save()
        audit(actor=actor, action="exemption_grant", instance=exemption, client_id=client.pk)
    return exemption


def exemption_end(*, actor, exemption: Exemption, ended_on: dt.date, reason: str) -> Exemption:
    """End an exemption early (e.g. circumstances changed). The record stays; the timeline shows both."""
    if not reason or not reason.strip():
        raise ValidationError({"end_reason": _("Schrijf op waarom de ontheffing eindigt.")})
    with transaction.atomic():
        _lock_client(exemption.client_id)
        exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if exemption.ended_on is not None:
            raise ValidationError({"ended_on": _("Deze ontheffing is al beëindigd.")})
        if ended_on < exemption.start_on:
            raise ValidationError({"ended_on": _("De einddatum ligt vóór de ingangsdatum van de ontheffing.")})
        if exemption.end_on is not None and ended_on > exemption.end_on:
            raise ValidationError(
                {
                    "ended_on": _("De ontheffing loopt op %(date)s al af.")
                    % {"date": exemption.end_on.strftime("%d-%m-%Y")}
                }
            )
        before = snapshot(exemption)
        exemption.ended_on = ended_on
        exemption.end_reason = reason.strip()
        exemption.save(update_fields=["ended_on", "end_reason"])
        audit(
            actor=actor,
            action="exemption_end",
            instance=exemption,
            client_id=exemption.client_id,
            before=before,
        )
    return exemption


def obligation_impose(*, actor, client: Client, kind: str, start_on: dt.date, note: str = "") -> Obligation:
    """An obligation applies to the client from `start_on` (at most one open obligation of each kind)."""
    with transaction.atomic():
        _lock_client(client.pk)
        if Obligation.objects.filter(client=client, kind=kind, end_on__isnull=True).exists():
            raise ValidationError({"kind": _("Deze verplichting geldt al.")})
        obligation = Obligation(client=client, kind=kind, start_on=start_on, note=note)
        obligation.full_clean()
        obligation.save()
        audit(actor=actor, action="obligation_impose", instance=obligation, client_id=client.pk)
    return obligation


def obligation_end(*, actor, obligation: Obligation, end_on: dt.date) -> Obligation:
    with transaction.atomic():
        _lock_client(obligation.client_id)
        obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
        if end_on < obligation.start_on:
            raise ValidationError({"end_on": _("De einddatum ligt vóór de ingangsdatum.")})
        before = snapshot(obligation)
        obligation.end_on = end_on
        obligation.save(update_fields=["end_on"])
        audit(
            actor=actor,
            action="obligation_end",
            instance=obligation,
            client_id=obligation.client_id,
            before=before,
        )
    return obligation


def exemption_review(
    *, actor, exemption: Exemption, reviewed_on: dt.date, next_review_on: dt.date, note: str
) -> ExemptionReview:
    """Record a re-examination: the exemption continues and gets its next review date (art. 9a: within 6
    months). Ending the exemption after a review is exemption_end."""
    if not note or not note.strip():
        raise ValidationError({"note": _("Schrijf op wat de herbeoordeling opleverde.")})
    with transaction.atomic():
        _lock_client(exemption.client_id)
        exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
        rules = rules_on(reviewed_on)
        spec = rules.get("exemption_grounds", {}).get(exemption.ground, {})
        problems = review_problems(
            start_on=exemption.start_on,
            effective_end=exemption.effective_end,
            reviewed_on=reviewed_on,
            next_review_on=next_review_on,
            today=timezone.localdate(),
            review_months=spec.get("review_months"),
            article=spec.get("article", ""),
        )
        if problems:
            raise ValidationError(problems)
        review = ExemptionReview.objects.create(
            exemption=exemption,
            reviewed_on=reviewed_on,
            reviewed_by=actor,
            next_review_on=next_review_on,
            note=note.strip(),
        )
        audit(actor=actor, action="exemption_review", instance=review, client_id=exemption.client_id)
        before = snapshot(exemption)
        exemption.review_on = next_review_on
        exemption.save(update_fields=["review_on"])
        audit(
            actor=actor, action="exemption_reschedule", instance=exemption, client_id=exemption.client_id, before=before
        )
    return review
