"""Reads of sanctions: a case with everything its page shows, the deadlines for the due page, the dossier block,
and the overview for team leads and auditors (by stage, outcome, culpability and group; small groups hidden)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from trede.caseload.selectors import current_caseworker_id
from trede.clients.models import BenefitPeriod, Client, Gender, HouseholdKind
from trede.core.privacy import SMALL_GROUP, suppress
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


def _age_band(birth: dt.date, today: dt.date) -> str:
    age = (today - birth).days // 365
    return "<27" if age < 27 else "27-49" if age < 50 else "50+"


def overview(today: dt.date, *, months: int = 12) -> dict:
    """Cases opened in the last `months` months: by stage, by culpability finding and by whether a reduction was
    imposed; and per group (gender, age band, household, district) the cases and reductions per 100 clients on
    benefit, so that disproportionate sanctioning shows. Groups under SMALL_GROUP are hidden."""
    since = add_months(today, -months)
    cases = SanctionCase.objects.filter(breach_on__gte=since)
    by_stage = {r["status"]: r["n"] for r in cases.values("status").annotate(n=Count("pk"))}
    by_finding = {r["assessment__finding"]: r["n"] for r in cases.values("assessment__finding").annotate(n=Count("pk"))}
    sanctioned = Exists(
        Decision.objects.filter(case_id=OuterRef("pk"), status=DecisionStatus.SENT, pct__gt=0, months__gt=0).exclude(
            Exists(Decision.objects.filter(supersedes=OuterRef("pk")))
        )
    )
    on_benefit = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
    clients = list(
        Client.objects.filter(Exists(on_benefit)).values_list("pk", "gender", "birth_date", "district__name")
    )
    household = (
        dict(Client.objects.filter(pk__in=[c[0] for c in clients]).values_list("pk", "household__kind"))
        if clients
        else {}
    )
    case_rows = list(cases.annotate(s=sanctioned).values_list("client_id", "s"))
    per_client_cases: dict[int, int] = {}
    per_client_sanctions: dict[int, int] = {}
    for cid, s in case_rows:
        per_client_cases[cid] = per_client_cases.get(cid, 0) + 1
        per_client_sanctions[cid] = per_client_sanctions.get(cid, 0) + int(bool(s))
    groups: dict[tuple[str, str], list[int]] = {}
    for pk, gender, birth, district in clients:
        kind = household.get(pk)
        for key in (
            ("gender", str(Gender(gender).label)),
            ("age", _age_band(birth, today)),
            ("household", str(HouseholdKind(kind).label) if kind else "?"),
            ("district", district),
        ):
            g = groups.setdefault(key, [0, 0, 0])
            g[0] += 1
            g[1] += per_client_cases.get(pk, 0)
            g[2] += per_client_sanctions.get(pk, 0)
    total = [len(clients), sum(per_client_cases.get(c[0], 0) for c in clients), 0]
    total[2] = sum(per_client_sanctions.get(c[0], 0) for c in clients)
    rows = []
    for (attribute, group), (n, n_cases, n_sanctions) in sorted(groups.items()):
        hidden = n < SMALL_GROUP
        cases_shown = None if hidden else suppress(n_cases)
        sanctions_shown = None if hidden else suppress(n_sanctions)
        rows.append(
            {
                "attribute": attribute,
                "group": group,
                "n": None if hidden else n,
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
            "n": total[0],
            "cases": total[1],
            "sanctions": total[2],
            "cases_per_100": round(100 * total[1] / total[0], 1) if total[0] else None,
            "sanctions_per_100": round(100 * total[2] / total[0], 1) if total[0] else None,
        },
        "threshold": SMALL_GROUP,
    }
