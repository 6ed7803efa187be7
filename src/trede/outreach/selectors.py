"""Reads of outreach: who a campaign selects, who of them may be invited and why not (the SQL form of
rules.exclusion, one aggregate query for a preview), and the capacity a cohort needs."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from trede.caseload.selectors import caseworker_hours, last_contact_expression
from trede.clients.models import BenefitPeriod, Client, LadderMeasurement
from trede.core.rules import add_months, add_years
from trede.intake.selectors import route_expression
from trede.obligations.selectors import active_exemptions, exempt_expression
from trede.outreach.models import Campaign, Invitation
from trede.outreach.rules import EXCLUSION_ORDER, PURPOSE_OBLIGATION, TRAJECTORY_ROUTES
from trede.sanctions.selectors import pending_objection_expression

SAMPLE_SIZE = 20


def _running(on: dt.date) -> QuerySet[BenefitPeriod]:
    return BenefitPeriod.objects.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


def selection(campaign: Campaign, on: dt.date) -> QuerySet[Client]:
    """Clients on benefit on `on` who fit the campaign's selection (before any exclusion)."""
    running = _running(on).filter(client_id=OuterRef("pk"))
    if campaign.benefit_months_min is not None:
        running = running.filter(start_on__lte=add_months(on, -campaign.benefit_months_min))
    if campaign.benefit_months_max is not None:
        running = running.filter(start_on__gte=add_months(on, -campaign.benefit_months_max))
    qs = Client.objects.filter(Exists(running))
    district_ids = [d.pk for d in campaign.districts.all()]
    if district_ids:
        qs = qs.filter(district_id__in=district_ids)
    if campaign.age_min is not None:
        qs = qs.filter(birth_date__lte=add_years(on, -campaign.age_min))
    if campaign.age_max is not None:
        qs = qs.filter(birth_date__gt=add_years(on, -(campaign.age_max + 1)))
    if campaign.ladder_steps:
        step = Subquery(
            LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=on)
            .order_by("-measured_on", "-id")
            .values("step")[:1]
        )
        qs = qs.annotate(latest_step=step).filter(latest_step__in=campaign.ladder_steps)
    if campaign.routes:
        qs = qs.annotate(route_now=route_expression())
        wanted = Q(route_now__in=[r for r in campaign.routes if r != "none"])
        if "none" in campaign.routes:
            wanted |= Q(route_now__isnull=True)
        qs = qs.filter(wanted)
    return qs


def with_exclusion(
    qs: QuerySet[Client], *, purpose: str, on: dt.date, no_contact_months: int | None, horizon_days: int
) -> QuerySet[Client]:
    """Annotate `exclusion`: the first reason (rules.EXCLUSION_ORDER) why the client may not be invited for
    `purpose` on `on`, or '' when they may. The same decision as rules.exclusion, in one SQL expression."""
    obligation = PURPOSE_OBLIGATION[purpose]
    reviewing = purpose == "exemption_review"
    in_force = active_exemptions(on).filter(client_id=OuterRef("pk"))
    qs = qs.annotate(
        o_fully_disabled=Exists(in_force.filter(ground="fully_disabled")),
        o_review_due=Exists(in_force.filter(review_on__lte=on + dt.timedelta(days=horizon_days))),
        o_route=route_expression(),
        o_objection=pending_objection_expression(on),
    )
    if obligation is not None:
        qs = qs.annotate(o_exempt=exempt_expression(obligation=obligation, on=on))
    if no_contact_months:
        qs = qs.annotate(o_last_contact=last_contact_expression())
    whens = []
    if reviewing:
        whens.append(When(Q(o_fully_disabled=True, o_review_due=False), then=Value("fully_disabled")))
        whens.append(When(Q(o_review_due=False), then=Value("review_not_due")))
    else:
        whens.append(When(Q(o_fully_disabled=True), then=Value("fully_disabled")))
        if obligation is not None:
            whens.append(When(Q(o_exempt=True), then=Value("exempt")))
        whens.append(When(Q(o_objection=True), then=Value("pending_objection")))
        whens.append(When(Q(o_route__in=TRAJECTORY_ROUTES), then=Value("in_trajectory")))
    if no_contact_months:
        whens.append(When(Q(o_last_contact__gt=add_months(on, -no_contact_months)), then=Value("recent_contact")))
    whens.append(When(Q(street="") | Q(postcode=""), then=Value("no_address")))
    return qs.annotate(exclusion=Case(*whens, default=Value(""), output_field=CharField()))


def candidates(campaign: Campaign, on: dt.date, *, horizon_days: int) -> QuerySet[Client]:
    """The campaign's selection with each client's exclusion reason ('' = may be invited)."""
    return with_exclusion(
        selection(campaign, on),
        purpose=campaign.purpose,
        on=on,
        no_contact_months=campaign.no_contact_months,
        horizon_days=horizon_days,
    )


def exclusion_of(campaign: Campaign, client_id: int, on: dt.date, *, horizon_days: int) -> str | None:
    """Why this one client may not be invited for the campaign on `on` ('' may; None: not in the selection)."""
    return (
        candidates(campaign, on, horizon_days=horizon_days)
        .filter(pk=client_id)
        .values_list("exclusion", flat=True)
        .first()
    )


@dataclass
class Preview:
    matched: int
    invitable: int
    excluded: dict[str, int]  # reason -> count, in EXCLUSION_ORDER
    already_invited: int
    sample: list[Client] = field(default_factory=list)


def preview(campaign: Campaign, on: dt.date, *, horizon_days: int, with_sample: bool) -> Preview:
    """How many match, how many may be invited, how many are excluded and why: one aggregate query (plus one for
    a sample of names, for a team lead only)."""
    qs = candidates(campaign, on, horizon_days=horizon_days).annotate(
        o_invited=Exists(Invitation.objects.filter(campaign=campaign, client_id=OuterRef("pk")))
    )
    counts: dict[str, int] = {}
    already = 0
    for row in qs.order_by().values("exclusion", "o_invited").annotate(n=Count("id")):
        counts[row["exclusion"]] = counts.get(row["exclusion"], 0) + row["n"]
        if row["exclusion"] == "" and row["o_invited"]:
            already += row["n"]
    sample = []
    if with_sample:  # in id order, so the database can stop after the first SAMPLE_SIZE that match
        sample = list(qs.filter(exclusion="", o_invited=False).select_related("district").order_by("pk")[:SAMPLE_SIZE])
        sample.sort(key=lambda c: (c.surname, c.pk))
    return Preview(
        matched=sum(counts.values()),
        invitable=counts.get("", 0),
        excluded={reason: counts.get(reason, 0) for reason in EXCLUSION_ORDER},
        already_invited=already,
        sample=sample,
    )


@dataclass
class Capacity:
    per_cohort: int  # appointments a cohort needs
    hours_needed: float
    caseworkers: int
    hours_available: float  # in the time one cohort has (a month / cohorts per month)
    sufficient: bool


def capacity(campaign: Campaign, *, per_cohort: int, talk_minutes: int, share_pct: int) -> Capacity:
    """Appointments needed per cohort vs the caseworker hours available for them in the cohort's time."""
    hours = caseworker_hours([d.pk for d in campaign.districts.all()] or None)
    weeks = 52 / 12 / max(campaign.cohorts_per_month, 1)
    available = sum(h for _cw, h in hours) * share_pct / 100 * weeks
    needed = per_cohort * talk_minutes / 60
    return Capacity(
        per_cohort=per_cohort,
        hours_needed=round(needed, 1),
        caseworkers=len(hours),
        hours_available=round(available, 1),
        sufficient=math.isfinite(available) and available >= needed,
    )


RESULT_COLUMNS = ("planned", "invited", "attended", "no_show", "cancelled", "withdrawn")


@dataclass
class ResultRow:
    cohort: int | None
    district: str
    cells: list[int | None]  # RESULT_COLUMNS order
    total: int | None
    rescheduled: int | None
    reached: int | None  # attended in round 1 or later
    changed: int | None  # of the reached: a higher ladder step or a new activity within 6 months after the talk
    changed_pct: int | None


def campaign_results(campaign: Campaign) -> tuple[list[ResultRow], ResultRow]:
    """Per cohort and district: the clients by the status of their latest invitation, talks rescheduled, and the
    share of reached clients whose ladder step went up or who began an activity (activation: a participation,
    referred or their own) within 6 months. Small groups suppressed (core.privacy)."""
    from trede.activation.selectors import participation_starts
    from trede.core.privacy import suppress, suppress_table
    from trede.outreach.models import Appointment

    latest_round = Invitation.objects.filter(campaign=campaign, client_id=OuterRef("client_id")).order_by("-round")
    invitations = Invitation.objects.filter(campaign=campaign).filter(pk=Subquery(latest_round.values("pk")[:1]))
    attended = Appointment.objects.filter(
        invitation__campaign=campaign, client_id=OuterRef("client_id"), outcome="attended"
    )
    talk_day = Subquery(attended.order_by("starts_at").values("starts_at")[:1])
    data = list(
        invitations.annotate(talk_day=talk_day).values(
            "cohort__number", "client__district__name", "status", "client_id", "talk_day"
        )
    )
    rescheduled = set(
        Appointment.objects.filter(invitation__campaign=campaign, outcome="rescheduled").values_list(
            "client_id", flat=True
        )
    )
    reached_ids = [d["client_id"] for d in data if d["talk_day"]]
    steps = {}
    for cid, day, step in (
        LadderMeasurement.objects.filter(client_id__in=reached_ids)
        .values_list("client_id", "measured_on", "step")
        .order_by("client_id", "measured_on", "id")
    ):
        steps.setdefault(cid, []).append((day, step))
    starts = participation_starts(reached_ids)

    def went_up(cid, talk) -> bool:
        if isinstance(talk, str):
            talk = dt.datetime.fromisoformat(talk)
        talk = timezone.localtime(talk).date() if timezone.is_aware(talk) else talk.date()
        history = steps.get(cid, [])
        before = [s for d, s in history if d <= talk]
        start = before[-1] if before else None
        limit = add_months(talk, 6)
        if any(talk < d <= limit for d in starts.get(cid, ())):
            return True
        return any(s > (start or 0) for d, s in history if talk < d <= limit) if start is not None else False

    groups: dict[tuple, dict] = {}
    for d in data:
        key = (d["cohort__number"], d["client__district__name"])
        g = groups.setdefault(key, dict.fromkeys(RESULT_COLUMNS, 0) | {"rescheduled": 0, "reached": 0, "changed": 0})
        g[d["status"]] = g.get(d["status"], 0) + 1
        g["rescheduled"] += d["client_id"] in rescheduled
        if d["talk_day"]:
            g["reached"] += 1
            g["changed"] += went_up(d["client_id"], d["talk_day"])
    keys = sorted(groups)
    table = suppress_table([[groups[k][c] for c in RESULT_COLUMNS] for k in keys], columns=len(RESULT_COLUMNS))
    out = []
    for i, k in enumerate(keys):
        g = groups[k]
        reached, changed = suppress(g["reached"]), suppress(g["changed"]) if g["reached"] >= 10 else None
        out.append(
            ResultRow(
                cohort=k[0],
                district=k[1],
                cells=table.cells[i],
                total=table.row_totals[i],
                rescheduled=suppress(g["rescheduled"]),
                reached=reached,
                changed=changed,
                changed_pct=round(100 * g["changed"] / g["reached"]) if reached and changed is not None else None,
            )
        )
    all_reached = sum(g["reached"] for g in groups.values())
    all_changed = sum(g["changed"] for g in groups.values())
    total = ResultRow(
        cohort=None,
        district="",
        cells=table.column_totals,
        total=table.total,
        rescheduled=suppress(sum(g["rescheduled"] for g in groups.values())),
        reached=suppress(all_reached),
        changed=suppress(all_changed) if all_reached >= 10 else None,
        changed_pct=round(100 * all_changed / all_reached) if all_reached >= 10 else None,
    )
    return out, total
