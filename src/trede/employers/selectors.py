"""Reads of employer services: employers and vacancies for the adviser, open vacancies for caseworkers, a client's
work (referrals, placements, exits and follow-ups), what is due, and whether placements last (the revolving door).

Durability is measured on the benefit data, not on what anyone reports: an exit "lasted" 6 (12) months when the
client did not start a new benefit period within 183 (365) days after it, counted only for exits at least that long
ago. Small groups are suppressed (core.privacy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from trede.caseload.selectors import current_caseworker_id
from trede.clients.models import BenefitPeriod, Client
from trede.core.privacy import SMALL_GROUP
from trede.employers.models import (
    Employer,
    Exit,
    FollowUp,
    Placement,
    Referral,
    ReferralEvent,
    Vacancy,
    VacancyStatus,
)

OPEN_REFERRAL = ("proposed", "sent", "interview", "trial_placement")
DURABLE_DAYS = {6: 183, 12: 365}


def employers(*, adviser_id: int | None = None, text: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.select_related("adviser").annotate(
        n_open=Count("vacancies", filter=Q(vacancies__status=VacancyStatus.OPEN), distinct=True),
        n_placements=Count("placements", distinct=True),
    )
    if adviser_id:
        qs = qs.filter(adviser_id=adviser_id)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(kvk_number=text))
    return qs.order_by("name", "pk")


def employer_detail(employer_id: int) -> Employer:
    return (
        Employer.objects.select_related("adviser", "district")
        .prefetch_related(
            "contacts",
            Prefetch(
                "vacancies",
                queryset=Vacancy.objects.annotate(
                    n_referred=Count("referrals"),
                    n_hired=Count("referrals", filter=Q(referrals__status="hired")),
                ).order_by("-created_at"),
            ),
        )
        .get(pk=employer_id)
    )


def vacancies(*, status: str = "open", district_id: int | None = None, text: str = "") -> QuerySet[Vacancy]:
    qs = Vacancy.objects.select_related("employer", "district", "contact")
    if status:
        qs = qs.filter(status=status)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(employer__name__icontains=text) | Q(tasks__icontains=text))
    return qs.annotate(n_referred=Count("referrals")).order_by("-created_at", "-pk")


def vacancy_referrals(vacancy_id: int) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(vacancy_id=vacancy_id)
        .select_related("client")
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related("by")))
        .order_by("-status_on", "-pk")
    )


def client_work(client_id: int) -> dict:
    """The dossier's work block: referrals to vacancies with their steps, placements, exits with follow-ups."""
    from trede.employers.models import WorkProfile
    from trede.stats import occupations

    profile = WorkProfile.objects.filter(client_id=client_id).order_by("-recorded_on", "-id").first()
    if profile is not None:
        profile.experience_named = [
            (occupations.name_of(e["code"]) if occupations.get(e["code"]) else e["code"], e["years"])
            for e in profile.experience
        ]
        profile.preferences_named = [occupations.name_of(c) if occupations.get(c) else c for c in profile.preferences]
    return {
        "work_profile": profile,
        "job_referrals": list(
            Referral.objects.filter(client_id=client_id)
            .select_related("vacancy__employer")
            .prefetch_related("events")
            .order_by("-status_on", "-pk")[:20]
        ),
        "placements": list(
            Placement.objects.filter(client_id=client_id).select_related("employer").order_by("-start_on", "-pk")
        ),
        "job_exits": list(
            Exit.objects.filter(client_id=client_id)
            .select_related("employer")
            .prefetch_related("follow_ups")
            .order_by("-exit_on", "-pk")
        ),
    }


def timeline_branches(client_id: int) -> list[QuerySet]:
    """Timeline rows of employer services: each referral step, each placement's start, each exit to work."""
    from django.db.models import CharField
    from django.db.models.functions import Concat

    from trede.clients.selectors import timeline_row

    return [
        timeline_row(
            ReferralEvent.objects.filter(referral__client_id=client_id),
            day="on",
            kind="job_referral",
            title="to_status",
            detail=Concat(
                F("referral__vacancy__title"),
                Value(" — "),
                F("referral__vacancy__employer__name"),
                Value(" — "),
                F("reason"),
                output_field=CharField(),
            ),
            actor="by_id",
        ),
        timeline_row(
            Placement.objects.filter(client_id=client_id),
            day="start_on",
            kind="placement",
            title="kind",
            detail="employer__name",
            actor="created_by_id",
        ),
        timeline_row(
            Exit.objects.filter(client_id=client_id),
            day="exit_on",
            kind="job_exit",
            title="contract_type",
            detail=Coalesce("employer__name", "employer_name"),
            actor="recorded_by_id",
        ),
    ]


# --- what is due ------------------------------------------------------------------------------------------------


def follow_ups_due(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(
            exit__client__in=qs.values("pk"), done_on__isnull=True, due_on__lte=today + dt.timedelta(days=horizon_days)
        )
        .select_related("exit__client")
        .annotate(caseworker_id=current_caseworker_id("exit__client_id"))
        .order_by("due_on", "pk")
    )


def placements_needing_attention(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[Placement]:
    """Trial placements ending within the horizon without an outcome, climbing jobs whose training date passed
    without a start, and wage values to reassess within the horizon."""
    limit = today + dt.timedelta(days=horizon_days)
    return (
        Placement.objects.filter(client__in=qs.values("pk"), outcome="")
        .annotate(last_day=Coalesce("extended_until", "end_on"))
        .filter(
            Q(kind="trial", last_day__lte=limit)
            | Q(kind="climbing", training_started_on__isnull=True, training_due_on__lt=today)
            | Q(kind="wage_subsidy", wage_value_review_on__lte=limit)
        )
        .select_related("client", "employer")
        .annotate(caseworker_id=current_caseworker_id("client_id"))
        .order_by("last_day", "pk")
    )


# --- durability -------------------------------------------------------------------------------------------------


@dataclass
class DurabilityRow:
    label: str
    exits: int | None
    lasted_6: int | None
    eligible_6: int | None
    lasted_12: int | None
    eligible_12: int | None
    returned: int | None

    @property
    def pct_6(self) -> int | None:
        return round(100 * self.lasted_6 / self.eligible_6) if self.eligible_6 and self.lasted_6 is not None else None

    @property
    def pct_12(self) -> int | None:
        if self.eligible_12 and self.lasted_12 is not None:
            return round(100 * self.lasted_12 / self.eligible_12)
        return None


def _returned_within(days: int) -> Exists:
    return Exists(
        BenefitPeriod.objects.filter(
            client_id=OuterRef("client_id"),
            start_on__gt=OuterRef("exit_on"),
            start_on__lte=OuterRef("exit_on") + dt.timedelta(days=days),
        )
    )


def durability(*, by: str, today: dt.date, employer_id: int | None = None) -> list[DurabilityRow]:
    """Exits to work grouped by employer, instrument (the placement's kind) or route (in force at the time of
    the query), with how many lasted 6 and 12 months and how many came back on benefit. One aggregate query; groups
    with fewer than SMALL_GROUP exits are suppressed."""
    from trede.intake.selectors import route_expression

    key = {
        "employer": Coalesce("employer__name", "employer_name"),
        "instrument": Coalesce("placement__kind", Value("none")),
        "route": Coalesce(route_expression("client_id"), Value("none")),
    }[by]
    qs = Exit.objects.all()
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
    back = Exists(BenefitPeriod.objects.filter(client_id=OuterRef("client_id"), start_on__gt=OuterRef("exit_on")))
    rows = (
        qs.annotate(
            group=key,
            back6=_returned_within(DURABLE_DAYS[6]),
            back12=_returned_within(DURABLE_DAYS[12]),
            back_any=back,
        )
        .values("group")
        .annotate(
            n=Count("pk"),
            eligible_6=Count("pk", filter=Q(exit_on__lte=today - dt.timedelta(days=DURABLE_DAYS[6]))),
            lasted_6=Count("pk", filter=Q(exit_on__lte=today - dt.timedelta(days=DURABLE_DAYS[6]), back6=False)),
            eligible_12=Count("pk", filter=Q(exit_on__lte=today - dt.timedelta(days=DURABLE_DAYS[12]))),
            lasted_12=Count("pk", filter=Q(exit_on__lte=today - dt.timedelta(days=DURABLE_DAYS[12]), back12=False)),
            returned=Count("pk", filter=Q(back_any=True)),
        )
        .order_by("group")
    )
    out = []
    for r in rows:
        small = r["n"] < SMALL_GROUP
        out.append(
            DurabilityRow(
                label=str(r["group"]),
                exits=None if small else r["n"],
                lasted_6=None if small or r["eligible_6"] < SMALL_GROUP else r["lasted_6"],
                eligible_6=None if small else r["eligible_6"],
                lasted_12=None if small or r["eligible_12"] < SMALL_GROUP else r["lasted_12"],
                eligible_12=None if small else r["eligible_12"],
                returned=None if small else r["returned"],
            )
        )
    return out
