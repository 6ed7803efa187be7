"""Reads about caseloads: my caseload, the due list, the team overview and who may open which dossier."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from trede.caseload.models import ActionItem, Assignment, ContactMoment, TeamMember
from trede.clients.models import Client, LadderMeasurement
from trede.clients.selectors import empty_text, timeline_row
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import Access, dossier_access
from trede.obligations.models import Exemption
from trede.obligations.selectors import active_exemptions, active_obligations


def team_of(user: User) -> int | None:
    membership = getattr(user, "_team_membership_cache", None)
    if membership is None:
        membership = TeamMember.objects.filter(user=user).values_list("team_id", flat=True).first()
        user._team_membership_cache = membership or 0
    return membership or None


def dossier_relation(user: User, client_id: int) -> tuple[Access, bool]:
    """What `user` may do with this client's dossier (core.rules.dossier_access), and whether the client is
    in the user's own caseload. One or two queries."""
    if user.role not in (Role.CASEWORKER, Role.TEAM_LEAD):
        return Access.NONE, False
    current = (
        Assignment.objects.filter(client_id=client_id, end_on__isnull=True).values("caseworker_id", "team_id").first()
    )
    if current is None:
        return Access.NONE, False
    own = current["caseworker_id"] == user.pk
    return dossier_access(role=user.role, is_own_client=own, is_team_client=current["team_id"] == team_of(user)), own


def access_to_client(user: User, client_id: int) -> Access:
    return dossier_relation(user, client_id)[0]


def clients_in_reach(user: User, *, caseworker_id: int | None = None) -> QuerySet[Client]:
    """Clients whose dossier the user may open: own caseload, or the team's for a team lead (optionally only
    one caseworker's). One join on the current assignment."""
    if user.role == Role.CASEWORKER:
        return Client.objects.filter(assignments__caseworker=user, assignments__end_on__isnull=True)
    if user.role == Role.TEAM_LEAD:
        current = {"assignments__team_id": team_of(user), "assignments__end_on__isnull": True}
        if caseworker_id:
            current["assignments__caseworker_id"] = caseworker_id
        return Client.objects.filter(**current)
    return Client.objects.none()


def _count(qs: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            qs.order_by().values("client_id").annotate(n=Count("*")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_caseload_facts(
    qs: QuerySet[Client], *, today: dt.date, contact_norm_days: int, due_horizon_days: int
) -> QuerySet[Client]:
    """Annotate clients with what the caseload shows: step, last contact, open/overdue actions, flags."""
    horizon = today + dt.timedelta(days=due_horizon_days)
    contact_cutoff = today - dt.timedelta(days=contact_norm_days)
    exemptions_now = active_exemptions(today).filter(client_id=OuterRef("pk"))
    qs = qs.annotate(
        ladder_step=Subquery(
            LadderMeasurement.objects.filter(client_id=OuterRef("pk"))
            .order_by("-measured_on", "-id")
            .values("step")[:1]
        ),
        last_contact_on=Subquery(
            ContactMoment.objects.filter(client_id=OuterRef("pk")).order_by("-contact_on").values("contact_on")[:1]
        ),
        open_actions=_count(ActionItem.objects.filter(client_id=OuterRef("pk"), done_on__isnull=True)),
        overdue_actions=_count(
            ActionItem.objects.filter(client_id=OuterRef("pk"), done_on__isnull=True, deadline__lt=today)
        ),
        has_exemption=Exists(exemptions_now),
        exemption_due=Exists(exemptions_now.filter(Q(review_on__lte=horizon) | Q(end_on__lte=horizon))),
    )
    return qs.annotate(
        contact_overdue=ExpressionWrapper(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=contact_cutoff),
            output_field=BooleanField(),
        ),
        review_overdue=ExpressionWrapper(Q(next_review_on__lt=today), output_field=BooleanField()),
        overdue=ExpressionWrapper(
            Q(last_contact_on__isnull=True)
            | Q(last_contact_on__lt=contact_cutoff)
            | Q(next_review_on__lt=today)
            | Q(overdue_actions__gt=0)
            | Q(exemption_due=True),
            output_field=BooleanField(),
        ),
    )


CASELOAD_SORTS = {
    "naam": ("surname", "first_name", "id"),
    "trede": ("ladder_step", "surname", "id"),
    "contact": ("last_contact_on", "surname", "id"),
    "herbeoordeling": ("next_review_on", "surname", "id"),
    "acties": ("open_actions", "surname", "id"),
}


def caseload(
    qs: QuerySet[Client],
    *,
    today: dt.date,
    contact_norm_days: int,
    due_horizon_days: int,
    district: str = "",
    step: int | None = None,
    exemption: str = "",
    overdue: bool = False,
    sort: str = "naam",
    descending: bool = False,
) -> QuerySet[Client]:
    """A caseload page's clients: annotated, filtered, sorted, with the active obligations and exemptions
    prefetched (constant queries per page)."""
    qs = with_caseload_facts(
        qs.select_related("district"),
        today=today,
        contact_norm_days=contact_norm_days,
        due_horizon_days=due_horizon_days,
    )
    if district:
        qs = qs.filter(district__code=district)
    if step:
        qs = qs.filter(ladder_step=step)
    if exemption == "ja":
        qs = qs.filter(has_exemption=True)
    elif exemption == "nee":
        qs = qs.filter(has_exemption=False)
    if overdue:
        qs = qs.filter(overdue=True)
    order = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["naam"])
    if descending:
        order = tuple(f"-{f}" for f in order)
    from django.db.models import F

    first = F(order[0].lstrip("-"))
    first = first.desc(nulls_last=True) if descending else first.asc(nulls_last=True)
    qs = qs.order_by(first, *order[1:])
    return qs.prefetch_related(
        Prefetch("obligations", queryset=active_obligations(today).order_by("kind"), to_attr="active_obligations"),
        Prefetch(
            "exemptions",
            queryset=active_exemptions(today).order_by("obligation"),
            to_attr="active_exemptions",
        ),
    )


def current_caseworker_id(client_ref: str = "pk") -> Subquery:
    """The id of the outer client's current caseworker (for lists a team lead reads)."""
    return Subquery(
        Assignment.objects.filter(client_id=OuterRef(client_ref), end_on__isnull=True).values("caseworker_id")[:1]
    )


def due_exemptions(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[Exemption]:
    limit = today + dt.timedelta(days=horizon_days)
    return (
        active_exemptions(today)
        .filter(client__in=qs.values("pk"))
        .filter(Q(review_on__lte=limit) | Q(end_on__lte=limit))
        .select_related("client")
        .annotate(caseworker_id=current_caseworker_id("client_id"))
        .order_by("review_on", "end_on", "id")
    )


def overdue_actions(qs: QuerySet[Client], *, today: dt.date) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(client__in=qs.values("pk"), done_on__isnull=True, deadline__lt=today)
        .select_related("client")
        .annotate(caseworker_id=current_caseworker_id("client_id"))
        .order_by("deadline", "id")
    )


def contact_overdue_clients(qs: QuerySet[Client], *, today: dt.date, contact_norm_days: int) -> QuerySet[Client]:
    cutoff = today - dt.timedelta(days=contact_norm_days)
    return (
        qs.annotate(
            last_contact_on=Subquery(
                ContactMoment.objects.filter(client_id=OuterRef("pk")).order_by("-contact_on").values("contact_on")[:1]
            )
        )
        .filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=cutoff))
        .annotate(caseworker_id=current_caseworker_id())
        .order_by(Coalesce("last_contact_on", Value(dt.date(1900, 1, 1))), "id")
    )


def reviews_due(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[Client]:
    return (
        qs.filter(next_review_on__lte=today + dt.timedelta(days=horizon_days))
        .annotate(caseworker_id=current_caseworker_id())
        .order_by("next_review_on", "id")
    )


def team_overview(team_id: int, *, today: dt.date, contact_norm_days: int, due_horizon_days: int) -> list[dict]:
    """Per caseworker of the team: caseload size and overdue items, in one aggregate query."""
    cutoff = today - dt.timedelta(days=contact_norm_days)
    horizon = today + dt.timedelta(days=due_horizon_days)
    current = Assignment.objects.filter(team_id=team_id, end_on__isnull=True)
    recent_contact = Exists(ContactMoment.objects.filter(client_id=OuterRef("client_id"), contact_on__gte=cutoff))
    late_action = Exists(
        ActionItem.objects.filter(client_id=OuterRef("client_id"), done_on__isnull=True, deadline__lt=today)
    )
    exemption_due = Exists(
        active_exemptions(today)
        .filter(client_id=OuterRef("client_id"))
        .filter(Q(review_on__lte=horizon) | Q(end_on__lte=horizon))
    )
    rows = {
        r["caseworker_id"]: r
        for r in current.values("caseworker_id")
        .annotate(
            size=Count("id"),
            contact_overdue=Count("id", filter=~recent_contact),
            actions_overdue=Count("id", filter=late_action),
            exemptions_due=Count("id", filter=exemption_due),
            reviews_overdue=Count("id", filter=Q(client__next_review_on__lt=today)),
        )
        .order_by()
    }
    members = (
        User.objects.filter(team_membership__team_id=team_id, role=Role.CASEWORKER)
        .select_related("team_membership")
        .order_by("last_name", "first_name")
    )
    out = []
    for user in members:
        r = rows.get(user.pk, {})
        out.append(
            {
                "caseworker": user,
                "hours": user.team_membership.hours_per_week,
                "size": r.get("size", 0),
                "contact_overdue": r.get("contact_overdue", 0),
                "actions_overdue": r.get("actions_overdue", 0),
                "exemptions_due": r.get("exemptions_due", 0),
                "reviews_overdue": r.get("reviews_overdue", 0),
            }
        )
    return out


def team_caseworkers(team_id: int) -> QuerySet[User]:
    return User.objects.filter(team_membership__team_id=team_id, role=Role.CASEWORKER, is_active=True).order_by(
        "last_name", "first_name"
    )


def timeline_branches(client_id: int) -> list[QuerySet]:
    actions = ActionItem.objects.filter(client_id=client_id)
    return [
        timeline_row(
            ContactMoment.objects.filter(client_id=client_id),
            day="contact_on",
            kind="contact",
            title="channel",
            detail="summary",
            actor="recorded_by_id",
        ),
        timeline_row(
            actions,
            day="created_on",
            kind="action_add",
            title="description",
            detail="deadline",
            actor="created_by_id",
        ),
        timeline_row(
            actions.filter(done_on__isnull=False),
            day="done_on",
            kind="action_done",
            title="description",
            detail=empty_text(),
            actor=None,
        ),
        timeline_row(
            Assignment.objects.filter(client_id=client_id),
            day="start_on",
            kind="assignment",
            title="caseworker_id",
            detail="reason",
            actor="assigned_by_id",
        ),
    ]


def last_contact_expression(client_ref: str = "pk") -> Subquery:
    """An annotation: the date of the outer client's last contact (None: never)."""
    return Subquery(
        ContactMoment.objects.filter(client_id=OuterRef(client_ref)).order_by("-contact_on").values("contact_on")[:1]
    )


def caseworker_hours(district_ids: list[int] | None = None) -> list[tuple[int, int]]:
    """(caseworker id, hours per week) of the active caseworkers in the teams that serve these districts
    (all teams when None)."""
    qs = TeamMember.objects.filter(user__role=Role.CASEWORKER, user__is_active=True)
    if district_ids:
        qs = qs.filter(team__districts__in=district_ids)
    return list(qs.distinct().values_list("user_id", "hours_per_week").order_by("user_id"))
