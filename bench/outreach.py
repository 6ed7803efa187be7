"""Outreach benchmarks (issue 4), used by bench/run.py.

1. Preview: a city of about 35,000 clients on benefit inside the national data set — the largest districts taken
   together until they hold CITY clients on benefit — and a work-oriented campaign over them: the preview (how many
   match, how many may be invited, how many are excluded per reason, a sample of names). Budget < 2 s.
2. Planning: a cohort of 1,500 from that campaign put in order (campaign_plan) and its talks spread over the
   caseworkers of those districts (cohort_schedule). Budget < 5 s for the two together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

CITY = 35_000
COHORT = 1_500
PREVIEW_BUDGET_S = 2.0
PLAN_BUDGET_S = 5.0


@dataclass
class OutreachResult:
    city_clients: int = 0
    districts: int = 0
    preview_seconds: float | None = None
    matched: int = 0
    invitable: int = 0
    excluded: dict | None = None
    plan_seconds: float | None = None
    schedule_seconds: float | None = None
    appointments: int = 0
    caseworkers: int = 0
    note: str = ""


def run(today, organiser) -> OutreachResult:
    from django.db.models import Count, Q

    from trede.caseload.selectors import caseworker_hours
    from trede.clients.models import District
    from trede.core.selectors import rules_on
    from trede.outreach import selectors
    from trede.outreach.services import campaign_create, campaign_plan, cohort_schedule

    result = OutreachResult()
    running = Q(clients__benefit_periods__end_on__isnull=True)
    sizes = District.objects.annotate(n=Count("clients", filter=running, distinct=True)).order_by("-n", "pk")
    chosen = []
    for d in sizes:
        if result.city_clients >= CITY:
            break
        chosen.append(d.pk)
        result.city_clients += d.n
    result.districts = len(chosen)
    campaign = campaign_create(
        actor=organiser,
        name="Bench: werkgerichte intake",
        purpose="work_intake",
        starts_on=today,
        districts=chosen,
        cohort_size=COHORT,
        no_contact_months=3,
    )
    horizon = rules_on(today)["due_horizon_days"]
    t = time.perf_counter()
    preview = selectors.preview(campaign, today, horizon_days=horizon, with_sample=True)
    result.preview_seconds = time.perf_counter() - t
    result.matched, result.invitable, result.excluded = preview.matched, preview.invitable, preview.excluded
    t = time.perf_counter()
    campaign_plan(actor=organiser, campaign=campaign, on=today)
    result.plan_seconds = time.perf_counter() - t
    t = time.perf_counter()
    result.appointments = cohort_schedule(actor=organiser, cohort=campaign.cohorts.order_by("number").first())
    result.schedule_seconds = time.perf_counter() - t
    result.caseworkers = len(caseworker_hours(chosen))
    return result


def report(result: OutreachResult) -> list[str]:
    if result.preview_seconds is None:
        return [f"  not measured: {result.note}"]
    ok = "ok" if result.preview_seconds < PREVIEW_BUDGET_S else "OVER BUDGET"
    both = (result.plan_seconds or 0) + (result.schedule_seconds or 0)
    ok2 = "ok" if both < PLAN_BUDGET_S else "OVER BUDGET"
    excluded = ", ".join(f"{k} {v:,}" for k, v in (result.excluded or {}).items() if v)
    return [
        f"  {'city':<34}{result.city_clients:>8,}     clients on benefit in {result.districts} districts",
        f"  {'preview':<34}{result.preview_seconds:>8.2f} s   < {PREVIEW_BUDGET_S:.0f} s  {ok}"
        f"   (matched {result.matched:,}, may be invited {result.invitable:,}; excluded: {excluded})",
        f"  {'plan cohorts + schedule cohort 1':<34}{both:>8.2f} s   < {PLAN_BUDGET_S:.0f} s  {ok2}"
        f"   (plan {result.plan_seconds:.2f} s, {result.appointments:,} talks over {result.caseworkers} "
        f"caseworkers {result.schedule_seconds:.2f} s)",
    ]
