"""Reads about obligations and exemptions. is_exempt() is THE answer to "is this client exempt from
obligation X on date D": campaigns, letters, sanctions and matching all call it (or exempt_client_ids for many)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from trede.obligations.models import Exemption, ExemptionReview, Obligation


def is_exempt(*, client_id: int, obligation: str, on: dt.date) -> bool:
    """True when an exemption from `obligation` is in force for the client on `on`."""
    return Exemption.objects.active_on(on).filter(client_id=client_id, obligation=obligation).exists()


def exempt_client_ids(*, obligation: str, on: dt.date) -> QuerySet:
    """Ids of all clients exempt from `obligation` on `on` (a subquery, for bulk selections)."""
    return Exemption.objects.active_on(on).filter(obligation=obligation).values("client_id")


def exempt_expression(*, obligation: str, on: dt.date, client_ref: str = "pk") -> Exists:
    """An annotation/filter expression: is the outer client exempt from `obligation` on `on`."""
    return Exists(Exemption.objects.active_on(on).filter(client_id=OuterRef(client_ref), obligation=obligation))


def active_exemptions(on: dt.date) -> QuerySet[Exemption]:
    return Exemption.objects.active_on(on)


def active_obligations(on: dt.date) -> QuerySet[Obligation]:
    return Obligation.objects.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


def open_obligation_kinds(client_id: int) -> set[str]:
    """The kinds of obligation that are open for the client (no end date), whatever their start."""
    return set(Obligation.objects.filter(client_id=client_id, end_on__isnull=True).values_list("kind", flat=True))


def timeline_branches(client_id: int) -> list[QuerySet]:
    """Timeline rows contributed by this app: obligations imposed, exemptions granted and ended."""
    from trede.clients.selectors import timeline_row

    exemptions = Exemption.objects.filter(client_id=client_id)
    return [
        timeline_row(
            Obligation.objects.filter(client_id=client_id),
            day="start_on",
            kind="obligation",
            title="kind",
            detail="note",
            actor=None,
        ),
        timeline_row(
            exemptions,
            day="start_on",
            kind="exemption",
            title="obligation",
            detail="ground",
            actor="granted_by_id",
        ),
        timeline_row(
            ExemptionReview.objects.filter(exemption__client_id=client_id),
            day="reviewed_on",
            kind="exemption_review",
            title="exemption__obligation",
            detail="note",
            actor="reviewed_by_id",
        ),
        timeline_row(
            exemptions.filter(ended_on__isnull=False),
            day="ended_on",
            kind="exemption_end",
            title="obligation",
            detail="end_reason",
            actor=None,
        ),
    ]
