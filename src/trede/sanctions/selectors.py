"""Reads of sanctions: a case with everything its page shows, the deadlines for the due page, the dossier block,
and the overview for team leads and auditors (by stage, outcome, culpability and group; small groups hidden)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from trede.caseload.selectors import current_caseworker_id
from trede.clients.models import BenefitPeriod, Client, Gender, HouseholdKind
from trede.core.privacy import SMALL_GROUP, suppress, suppress_linked
from trede.core.rules import add_months
from trede.sanctions.models import CaseStatus, Decision, DecisionStatus, Hearing, Objection, SanctionCase


def case_detail() -> QuerySet[SanctionCase]:
    return SanctionCase.objects.select_related("client", "hearing", "assessment", "created_by").prefetch_related(
        Prefetch(
            "decisions",
            queryset=Decision.objects.defer("pdf")
            .select_related("decided_by", "approved_by")
            .prefetch_related("objections__appeals")
            .order_by("pk"),
        )
    )


def pending_objection_expression(on: dt.date, client_ref: str = "pk") -> Exists:
    """An annotation: the outer client has an objection against a sanction decision received on or before `on` and
    not yet decided (outreach does not call such a client in meanwhile)."""
    return Exists(
        Objection.objects.filter(decision__case__client_id=OuterRef(client_ref), outcome="", received_on__lte=on)
    )


def client_cases(client_id: int) -> list[SanctionCase]:
    return list(
        SanctionCase.objects.filter(client_id=client_id)
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.defer("pdf").order_by("pk")))
        .order_by("-breach_on", "-pk")[:20]
    )


def timeline_branches(client_id: int) -> list[QuerySet]:
    """Timeline rows of sanctions: the case opened, the culpability assessed, each decision sent, each objection."""
    from trede.clients.selectors import empty_text, timeline_row

    return [
        timeline_row(
            SanctionCase.objects.filter(client_id=client_id),
            day="breach_on",
            kind="sanction_case",
            title="category",
            detail="status",
            actor="created_by_id",
        ),
        timeline_row(
            Decision.objects.filter(case__client_id=client_id, status=DecisionStatus.SENT),
            day="sent_on",
            kind="sanction_decision",
            title="pct",
            detail="months",
            actor="decided_by_id",
        ),
        timeline_row(
            Objection.objects.filter(decision__case__client_id=client_id),
            day="received_on",
            kind="objection",
            title="outcome",
            detail=empty_text(),
            actor="registered_by_id",
        ),
    ]


# --- deadlines on the due page ----------------------------------------------------------------------------------


def hearings_due(qs: QuerySet[Client], *, today: dt.date) -> QuerySet[Hearing]:
    """Hearings whose answer term has passed without a record: record the view, or that there was none."""
    return (
        Hearing.objects.filter(case__client__in=qs.values("pk"), responded__isnull=True, respond_by__lt=today)
        .select_related("case__client")
        .annotate(caseworker_id=current_caseworker_id("case__client_id"))
        .order_by("respond_by", "pk")
    )


def objections_due(qs: QuerySet[Client], *, today: dt.date, horizon_days: int) -> QuerySet[Objection]:
    """Objections without a decision whose decision term ends within the horizon or has passed (Awb 7:10)."""
    return (
        Objection.objects.filter(
            decision__case__client__in=qs.values("pk"),
            outcome="",
            decide_by__lte=today + dt.timedelta(days=horizon_days),
        )
        .select_related("decision__case__client")
        .annotate(caseworker_id=current_caseworker_id("decision__case__client_id"))
        .order_by("decide_by", "pk")
    )


def reconsiderations_due(qs: QuerySet[Client], *, today: dt.date, horizon_days: int, months: int):
    """Sent reductions not yet reconsidered, not superseded, whose 3 months (art. 18 lid 3) end within the horizon.
    (The day itself moves back to a working day in rules.reconsideration_deadline; here the window is approximate by
    a few days, which only brings an item on the list earlier.)"""
    latest_start = add_months(today + dt.timedelta(days=horizon_days), -months)
    return (
        Decision.objects.defer("pdf")
        .filter(
            case__client__in=qs.values("pk"),
            status=DecisionStatus.SENT,
            reconsidered_on__isnull=True,
            pct__gt=0,
            months__gt=0,
            start_on__lte=latest_start,
        )
        .exclude(Exists(Decision.objects.filter(supersedes=OuterRef("pk"))))
        .select_related("case__client")
        .annotate(caseworker_id=current_caseworker_id("case__client_id"))
        .order_by("start_on", "pk")
    )


# --- the overview -----------------------------------------------------------------------------------------------


def _age_band(birth: str, today: dt.date) -> Case:
    """The age band in SQL (as trede.stats.fairness.age_band): (today - birth) // 365 days below 27, below 50, else."""
    return Case(
        When(**{f"{birth}__gt": today - dt.timedelta(days=27 * 365)}, then=Value("<27")),
        When(**{f"{birth}__gt": today - dt.timedelta(days=50 * 365)}, then=Value("27-49")),
        default=Value("50+"),
    )


def overview(today: dt.date, *, months: int = 12) -> dict:
    """Cases opened in the last `months` months: by stage, by culpability finding and by whether a reduction was
    imposed; and per group (gender, age band, household, district) the cases and reductions per 100 clients on
    benefit, so that disproportionate sanctioning shows. Counted in SQL (two aggregate queries over the clients on
    benefit and their cases per gender x age band x household x district; at 400,000 clients 0.5 s instead of 5.9 s
    for reading every client into Python — bench/sanctions.py). Groups under SMALL_GROUP are hidden, and within each
    attribute one more where the total would give a hidden one away."""
    since = add_months(today, -months)
    cases = SanctionCase.objects.filter(breach_on__gte=since)
    by_stage = {r["status"]: r["n"] for r in cases.values("status").annotate(n=Count("pk"))}
    by_finding = {r["assessment__finding"]: r["n"] for r in cases.values("assessment__finding").annotate(n=Count("pk"))}
    sanctioned = Exists(
        Decision.objects.filter(case_id=OuterRef("pk"), status=DecisionStatus.SENT, pct__gt=0, months__gt=0).exclude(
            Exists(Decision.objects.filter(supersedes=OuterRef("pk")))
        )
    )

    def on_benefit(ref: str) -> Exists:
        return Exists(
            BenefitPeriod.objects.filter(client_id=OuterRef(ref), start_on__lte=today).filter(
                Q(end_on__isnull=True) | Q(end_on__gte=today)
            )
        )

    people = (
        Client.objects.filter(on_benefit("pk"))
        .annotate(band=_age_band("birth_date", today))
        .values_list("gender", "band", "household__kind", "district__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = (
        cases.filter(on_benefit("client_id"))
        .annotate(band=_age_band("client__birth_date", today), s=sanctioned)
        .values_list("client__gender", "band", "client__household__kind", "client__district__name")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(s=True)))
        .order_by()
    )
    groups: dict[tuple[str, str], list[int]] = {}

    def add(gender, age, kind, district, i: int, value: int) -> None:
        for key in (
            ("gender", str(Gender(gender).label)),
            ("age", age),
            ("household", str(HouseholdKind(kind).label) if kind else "?"),
            ("district", district or "?"),
        ):
            groups.setdefault(key, [0, 0, 0])[i] += value

    total = [0, 0, 0]
    for gender, age, kind, district, n in people:
        add(gender, age, kind, district, 0, n)
        total[0] += n
    for gender, age, kind, district, n, k in counted:
        add(gender, age, kind, district, 1, n)
        add(gender, age, kind, district, 2, k)
        total[1] += n
        total[2] += k
    ordered = sorted(groups.items())
    shown: dict[tuple[str, str], list[int | None]] = {}
    for attribute in dict.fromkeys(a for (a, _g), _v in ordered):
        keys = [key for key, _v in ordered if key[0] == attribute]
        for col in range(3):
            # the groups of one attribute add up to the total: hide one more where the total would reveal a group
            values = [groups[key][col] for key in keys] + [total[col]]
            linked = suppress_linked(values, [list(range(len(values)))])
            for key, value in zip(keys, linked, strict=False):
                shown.setdefault(key, [None, None, None])[col] = value
    rows = []
    for (attribute, group), (n, n_cases, n_sanctions) in ordered:
        n_shown, cases_shown, sanctions_shown = shown[(attribute, group)]
        if n_shown is None:
            cases_shown = sanctions_shown = None
        rows.append(
            {
                "attribute": attribute,
                "group": group,
                "n": n_shown,
                "cases": cases_shown,
                "sanctions": sanctions_shown,
                # a rate is shown only with its count: otherwise n and the rate would give the hidden count away
                "cases_per_100": None if cases_shown is None else round(100 * n_cases / n, 1),
                "sanctions_per_100": None if sanctions_shown is None else round(100 * n_sanctions / n, 1),
            }
        )
    return {
        "since": since,
        "by_stage": [(CaseStatus(k).label, v) for k, v in sorted(by_stage.items())],
        "by_finding": by_finding,
        "rows": rows,
        "total": {
            "n": suppress(total[0]),
            "cases": suppress(total[1]),
            "sanctions": suppress(total[2]),
            "cases_per_100": round(100 * total[1] / total[0], 1) if suppress(total[0]) and suppress(total[1]) else None,
            "sanctions_per_100": (
                round(100 * total[2] / total[0], 1) if suppress(total[0]) and suppress(total[2]) else None
            ),
        },
        "threshold": SMALL_GROUP,
    }
