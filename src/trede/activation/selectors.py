"""Reads of activation: the catalogue with free places and fit, a client's activation for the dossier, what the
follow-up asks of caseworkers (due page), and a provider's own referrals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from trede.activation import rules
from trede.activation.models import (
    OPEN_STATES,
    PLACE_HOLDING,
    Activity,
    ActivityStatus,
    Participation,
    Provider,
    Referral,
)
from trede.caseload.selectors import current_caseworker_id
from trede.clients.models import Client


def with_places(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate places taken and waiting (one query for a whole page of activities)."""
    return qs.annotate(
        n_taken=Count("referrals", filter=Q(referrals__status__in=PLACE_HOLDING)),
        n_waiting=Count("referrals", filter=Q(referrals__status="waiting")),
    )


def catalogue(
    *, district_id: int | None = None, kind: str = "", text: str = "", offered_only: bool = True
) -> QuerySet[Activity]:
    """Activities of the catalogue, filtered; an activity without a district is open to the whole municipality."""
    qs = Activity.objects.select_related("provider", "district")
    if offered_only:
        qs = qs.filter(status=ActivityStatus.OFFERED)
    if district_id:
        qs = qs.filter(Q(district_id=district_id) | Q(district__isnull=True))
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(provider__name__icontains=text))
    return with_places(qs).order_by("name", "pk")


def free_places(activity: Activity) -> int:
    """Free places of an activity annotated by with_places()."""
    return max(activity.capacity - activity.n_taken, 0)


@dataclass
class Offer:
    activity: Activity
    free: int
    fit: rules.Fit


def offers_for(activities, client: Client | None, circumstances) -> list[Offer]:
    """Each activity with its free places and its fit with the client's current circumstances (None: no client)."""
    out = []
    for a in activities:
        fit = rules.Fit((), ())
        if client is not None:
            fit = rules.activity_fit(
                physical_load=a.physical_load,
                language_level=a.language_level,
                hours_per_week=a.hours_per_week,
                activity_district_id=a.district_id,
                health=getattr(circumstances, "health", None),
                dutch_level=getattr(circumstances, "dutch_level", None),
                care_duties=bool(getattr(circumstances, "care_duties", False)),
                client_district_id=client.district_id,
            )
        out.append(Offer(a, free_places(a), fit))
    return out


def client_activation(client_id: int) -> dict:
    """The dossier's activation block: participations and referrals of the client (two queries)."""
    participations = list(
        Participation.objects.filter(client_id=client_id).select_related("referral").order_by("-start_on", "-pk")
    )
    referrals = list(
        Referral.objects.filter(client_id=client_id)
        .select_related("activity__provider")
        .prefetch_related("events")
        .order_by("-proposed_on", "-pk")[:20]
    )
    return {"participations": participations, "referrals": referrals}


def tegenprestatie_of(*, policy: str, obligations, exemptions, participations, on: dt.date) -> str:
    """The tegenprestatie status of a client on a date, from prefetched obligations, exemptions and participations."""
    from trede.obligations.rules import Period, is_exempt_in

    imposed = any(
        o.kind == "tegenprestatie" and o.start_on <= on and (o.end_on is None or o.end_on >= on) for o in obligations
    )
    exempt = is_exempt_in(
        (Period(e.start_on, e.effective_end) for e in exemptions if e.obligation == "tegenprestatie"), on
    )
    doing = any(p.counts_as_tegenprestatie and p.start_on <= on and p.end_on is None for p in participations)
    return rules.tegenprestatie_status(policy=policy, imposed=imposed, exempt=exempt, doing_one=doing)


def participation_starts(client_ids) -> dict[int, list[dt.date]]:
    """The start dates of each client's participations (one query), e.g. to see who began an activity after a talk."""
    out: dict[int, list[dt.date]] = {}
    for cid, day in Participation.objects.filter(client_id__in=list(client_ids)).values_list("client_id", "start_on"):
        out.setdefault(cid, []).append(day)
    return out


def timeline_branches(client_id: int) -> list[QuerySet]:
    """Timeline rows of activation: each step of a referral, and participation the client found on their own."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Concat

    from trede.activation.models import ReferralEvent
    from trede.clients.selectors import timeline_row

    own = Participation.objects.filter(client_id=client_id, source="client")
    return [
        timeline_row(
            ReferralEvent.objects.filter(referral__client_id=client_id),
            day="on",
            kind="referral",
            title="to_status",
            detail=Concat(F("referral__activity__name"), Value(" — "), F("reason"), output_field=CharField()),
            actor="by_id",
        ),
        timeline_row(
            own, day="start_on", kind="participation_start", title="kind", detail="description", actor="recorded_by_id"
        ),
        timeline_row(
            Participation.objects.filter(client_id=client_id, end_on__isnull=False),
            day="end_on",
            kind="participation_end",
            title="description",
            detail="end_reason",
            actor=None,
        ),
    ]


# --- the due page -----------------------------------------------------------------------------------------------


def follow_ups_due(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[Participation]:
    """Active participations whose follow-up contact falls within the horizon or has passed."""
    return (
        Participation.objects.filter(
            client__in=qs.values("pk"),
            end_on__isnull=True,
            follow_up_on__lte=today + dt.timedelta(days=horizon_days),
        )
        .select_related("client")
        .annotate(caseworker_id=current_caseworker_id("client_id"))
        .order_by("follow_up_on", "pk")
    )


def stopped_without_next_step(qs: QuerySet[Client]) -> QuerySet[Participation]:
    """Participations that stopped without a next step, where nothing new has begun since: no participation that
    started on or after the end, and no open referral proposed on or after it."""
    later_participation = Participation.objects.filter(
        client_id=OuterRef("client_id"), start_on__gte=OuterRef("end_on")
    )
    later_referral = Referral.objects.filter(
        client_id=OuterRef("client_id"), status__in=OPEN_STATES, proposed_on__gte=OuterRef("end_on")
    )
    return (
        Participation.objects.filter(client__in=qs.values("pk"), end_on__isnull=False, next_step="")
        .exclude(Exists(later_participation))
        .exclude(Exists(later_referral))
        .select_related("client")
        .annotate(caseworker_id=current_caseworker_id("client_id"))
        .order_by("end_on", "pk")
    )


# --- the provider's view ----------------------------------------------------------------------------------------

PROVIDER_STATUS_FILTER = ("waiting", "proposed", "accepted", "started", "active", "ended", "declined")


def provider_referrals(provider: Provider, *, status: str = "") -> QuerySet[Referral]:
    """The referrals to this provider's activities, with only what the provider needs of the client."""
    qs = (
        Referral.objects.filter(activity__provider=provider)
        .exclude(status="withdrawn")
        .select_related("activity")
        .select_related("client")
        .only(
            "pk",
            "status",
            "status_on",
            "proposed_on",
            "voluntary",
            "activity__name",
            "activity__hours_per_week",
            "activity__provider_id",
            "client__first_name",
            "client__surname_prefix",
            "client__surname",
            "client__phone",
            "client__email",
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("activity__name", "client__surname", "pk")
