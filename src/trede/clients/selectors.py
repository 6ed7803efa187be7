"""Reads about clients: the dossier and its one timeline."""

from __future__ import annotations

from django.db.models import BigIntegerField, CharField, F, Prefetch, QuerySet, Value
from django.db.models.functions import Cast

from trede.clients.models import (
    BenefitPeriod,
    Circumstances,
    Client,
    HouseholdMember,
    LadderMeasurement,
)

TIMELINE_COLUMNS = ("day", "kind", "ref", "title", "detail", "actor")


def timeline_row(qs: QuerySet, *, day: str, kind: str, title, detail, actor: str | None) -> QuerySet:
    """Project a queryset onto the shared timeline columns so that all sources can be UNIONed."""

    def as_text(e):
        return Cast(F(e), CharField()) if isinstance(e, str) else e

    return (
        qs.order_by()
        .annotate(
            t_day=F(day),
            t_kind=Value(kind, output_field=CharField()),
            t_ref=Cast(F("id"), BigIntegerField()),
            t_title=as_text(title),
            t_detail=as_text(detail),
            t_actor=Cast(F(actor) if actor else Value(None), BigIntegerField()),
        )
        .values_list("t_day", "t_kind", "t_ref", "t_title", "t_detail", "t_actor")
    )


def empty_text() -> Value:
    return Value("", output_field=CharField())


def timeline_branches(client_id: int) -> list[QuerySet]:
    periods = BenefitPeriod.objects.filter(client_id=client_id)
    return [
        timeline_row(periods, day="start_on", kind="benefit_start", title="norm", detail=empty_text(), actor=None),
        timeline_row(
            periods.filter(end_on__isnull=False),
            day="end_on",
            kind="benefit_end",
            title="exit_reason",
            detail=empty_text(),
            actor=None,
        ),
        timeline_row(
            LadderMeasurement.objects.filter(client_id=client_id),
            day="measured_on",
            kind="ladder",
            title="step",
            detail="note",
            actor="measured_by_id",
        ),
        timeline_row(
            Circumstances.objects.filter(client_id=client_id),
            day="recorded_on",
            kind="circumstances",
            title=empty_text(),
            detail="note",
            actor="recorded_by_id",
        ),
    ]


def client_timeline(client_id: int) -> QuerySet:
    """Everything that happened to a client, newest first, as one UNION query (paginate it; constant cost).

    Rows are tuples in TIMELINE_COLUMNS order; apps contribute their own branches through their selectors.
    """
    from trede.activation.selectors import timeline_branches as activation_branches
    from trede.caseload.selectors import timeline_branches as caseload_branches
    from trede.employers.selectors import timeline_branches as employer_branches
    from trede.intake.selectors import timeline_branches as intake_branches
    from trede.obligations.selectors import timeline_branches as obligation_branches
    from trede.sanctions.selectors import timeline_branches as sanction_branches

    branches = [
        *timeline_branches(client_id),
        *caseload_branches(client_id),
        *obligation_branches(client_id),
        *intake_branches(client_id),
        *activation_branches(client_id),
        *employer_branches(client_id),
        *sanction_branches(client_id),
    ]
    first, *rest = branches
    return first.union(*rest, all=True).order_by("-t_day", "t_kind", "-t_ref")


def client_dossier(client_id: int) -> Client:
    """The client with everything the dossier page shows, in a constant number of queries."""
    from trede.caseload.models import ActionItem, Assignment, ContactMoment
    from trede.obligations.models import Exemption, Obligation
    from trede.outreach.models import Appointment, Letter

    return (
        Client.objects.select_related("district", "household")
        .prefetch_related(
            Prefetch("household__members", queryset=HouseholdMember.objects.order_by("role", "birth_date")),
            Prefetch("benefit_periods", queryset=BenefitPeriod.objects.order_by("-start_on")),
            Prefetch(
                "circumstances",
                queryset=Circumstances.objects.select_related("recorded_by").order_by("-recorded_on", "-id"),
            ),
            Prefetch(
                "ladder_measurements",
                queryset=LadderMeasurement.objects.select_related("measured_by").order_by("-measured_on", "-id"),
            ),
            Prefetch("obligations", queryset=Obligation.objects.order_by("kind", "-start_on")),
            Prefetch(
                "exemptions",
                queryset=Exemption.objects.select_related("granted_by").order_by("-start_on", "-id"),
            ),
            Prefetch("action_items", queryset=ActionItem.objects.order_by("done_on", "deadline", "id")),
            Prefetch(
                "contacts",
                queryset=ContactMoment.objects.select_related("recorded_by").order_by("-contact_on", "-id")[:10],
                to_attr="recent_contacts",
            ),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("caseworker").order_by("-starts_at", "-id")[:5],
                to_attr="recent_appointments",
            ),
            Prefetch("letters", queryset=Letter.objects.defer("pdf").order_by("-created_at", "-id")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("caseworker", "team", "assigned_by").order_by(
                    "-start_on", "-id"
                ),
            ),
        )
        .get(pk=client_id)
    )


def client_search(qs: QuerySet[Client], term: str) -> QuerySet[Client]:
    term = term.strip()
    if not term:
        return qs
    if term.isdigit():
        return qs.filter(bsn__startswith=term)
    from django.db.models import Q

    q = Q()
    for part in term.split():
        q &= Q(surname__icontains=part) | Q(first_name__icontains=part)
    return qs.filter(q)
