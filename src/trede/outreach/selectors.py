"""Reads of outreach: who a campaign selects, who of them may be invited and why not (the SQL form of
rules.exclusion, one aggregate query for a preview), and the capacity a cohort needs."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from trede.caseload.selectors import caseworker_hours, last_contact_expression
from trede.clients.models import BenefitPeriod, Client, LadderMeasurement
from trede.core.rules import add_months, add_years
from trede.intake.selectors import route_expression
from trede.obligations.selectors import active_exemptions, exempt_expression
from trede.outreach.models import Campaign, Invitation
from trede.outreach.rules import EXCLUSION_ORDER, PURPOSE_OBLIGATION, TRAJECTORY_ROUTES

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
    counts = {
        row["exclusion"]: row["n"]
        for row in qs.order_by().values("exclusion").annotate(n=Count("id")).values("exclusion", "n")
    }
    already = qs.filter(exclusion="", o_invited=True).count() if campaign.pk else 0
    sample = []
    if with_sample:
        sample = list(
            qs.filter(exclusion="", o_invited=False).select_related("district").order_by("surname", "id")[:SAMPLE_SIZE]
        )
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
