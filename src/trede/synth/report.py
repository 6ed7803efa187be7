"""What the generated municipality looks like, measured in the database: the calibration targets side by side
with the values found. Used by `trede synth` (printed after a load) and by the tests (checked within tolerance).
Counts are SQL aggregates (a handful of queries), never loops over rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateField, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery

from trede.activation.models import Participation
from trede.activation.rules import ACTIVE_LADDER_STEP
from trede.caseload.models import Assignment, TeamMember
from trede.clients.models import BenefitPeriod, Client, LadderMeasurement
from trede.core.rules import add_months
from trede.obligations.selectors import exempt_client_ids
from trede.synth import profile as P


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    target: float | None
    source: str
    share: bool = True

    def row(self) -> tuple[str, str, str, str]:
        def fmt(v: float | None) -> str:
            if v is None:
                return "-"
            return f"{v:.1%}" if self.share else f"{v:,.1f}"

        return self.name, fmt(self.value), fmt(self.target), self.source


def on_benefit(today: dt.date):
    """Clients with a benefit period running on `today`."""
    running = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=today, end_on__isnull=True)
    return Client.objects.filter(Exists(running))


def active_share(day: dt.date) -> float:
    """Share of the clients on benefit on `day` who are active on it: ladder step 3 or higher (the latest
    measurement on or before the day) or a participation running on the day (trede.activation.rules)."""
    running = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day)
    )
    taking_part = Participation.objects.filter(client_id=OuterRef("pk"), start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day)
    )
    step = Subquery(
        LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=day)
        .order_by("-measured_on", "-id")
        .values("step")[:1],
        output_field=IntegerField(),
    )
    stock = Client.objects.filter(Exists(running))
    n = stock.count()
    active = stock.annotate(step=step).filter(Q(step__gte=ACTIVE_LADDER_STEP) | Exists(taking_part)).count()
    return active / n if n else 0.0


def profile_report(today: dt.date) -> list[Figure]:
    stock = on_benefit(today)
    n = stock.count() or 1
    under_27 = stock.filter(birth_date__gt=add_months(today, -12 * 27)).count()
    over_50 = stock.filter(birth_date__lte=add_months(today, -12 * 50)).count()
    women = stock.filter(gender="f").count()
    exempt = stock.filter(pk__in=exempt_client_ids(obligation="work_obligation", on=today)).count()
    year_ago = today - dt.timedelta(days=365)
    exits = BenefitPeriod.objects.filter(end_on__gte=year_ago, end_on__lt=today)
    n_exits = exits.count()
    n_work = exits.filter(exit_reason="work").count()
    # Work exits a year or more ago: how many came back within a year (a later period starting <= 365 days on)
    back = BenefitPeriod.objects.filter(
        client_id=OuterRef("client_id"),
        start_on__gt=OuterRef("end_on"),
        start_on__lte=ExpressionWrapper(OuterRef("end_on") + dt.timedelta(days=365), output_field=DateField()),
    )
    old_work = BenefitPeriod.objects.filter(
        exit_reason="work", end_on__gte=today - dt.timedelta(days=730), end_on__lt=year_ago
    )
    n_old_work = old_work.count() or 1
    n_back = old_work.filter(Exists(back)).count()
    per_fte = caseload_per_fte()
    norm = None
    try:
        from trede.core.selectors import rules_on

        norm = float(rules_on(today)["caseload_norm"])
    except KeyError:
        pass
    mean_fte = sum(per_fte.values()) / len(per_fte) if per_fte else 0.0
    return [
        Figure("clients on benefit", float(stock.count()), None, "", share=False),
        Figure("women", women / n, P.WOMEN_SHARE, "CBS end 2024: 227k of 406k"),
        Figure("under 27", under_27 / n, P.UNDER_27_SHARE, "CBS end 2024: 41k of 406k"),
        Figure("50 and older", over_50 / n, P.AGE_50_PLUS_SHARE, "assumption (far group mostly 50+)"),
        Figure("exempt from work obligation", exempt / n, P.EXEMPTION_SHARE, "Divosa 2017: about 10%"),
        Figure("outflow last year", n_exits / n, P.OUTFLOW_PER_YEAR, "CBS/Divosa: 23.4-26% a year"),
        Figure("outflow to work last year", n_work / n, P.OUTFLOW_WORK_PER_YEAR, "49k of 408k (2021)"),
        Figure("work exits back within a year", n_back / n_old_work, P.RETURN_WITHIN_YEAR_AFTER_WORK, "Divosa: 20%"),
        Figure("clients per full-time caseworker", mean_fte, norm, "local rule set caseload_norm", share=False),
        Figure("active a year ago", active_share(add_months(today, -12)), P.ACTIVE_SHARE_YEAR_AGO, "Amsterdam: 25%"),
        Figure("active today", active_share(today), P.ACTIVE_SHARE_TODAY, "Amsterdam: over 45% a year later"),
        *work_figures(today, stock, n),
    ]


def work_figures(today: dt.date, stock, n: int) -> list[Figure]:
    """Routes and employer services: the route in force, open vacancies, and whether exits to work last."""
    from trede.employers.models import FollowUp, Vacancy
    from trede.intake.selectors import route_expression

    routes = dict(
        stock.annotate(r=route_expression()).order_by().values_list("r").annotate(c=Count("pk")).values_list("r", "c")
    )
    on_work_route = routes.get("work", 0) + routes.get("youth", 0)
    with_route = sum(c for r, c in routes.items() if r)
    twelve = FollowUp.objects.filter(months=12, done_on__isnull=False)
    n_twelve = twelve.count()
    lasting = twelve.filter(still_working=True, off_benefit=True).count() / n_twelve if n_twelve else 0.0
    open_vacancies = Vacancy.objects.filter(status="open").count()
    return [
        Figure("with a route in force", with_route / n, None, "", share=True),
        Figure("on the route to work (work, youth)", on_work_route / n, None, "", share=True),
        Figure(
            "open vacancies per 35,000 on benefit",
            open_vacancies * 35_000 / n,
            P.OPEN_VACANCIES_PER_CLIENT * 35_000,
            "issue 6: 2,000 in a city of 35,000",
            share=False,
        ),
        Figure("working, off benefit 12 months on", lasting, 0.72, "CBS: 72% after 18 months (follow-ups)"),
    ]


def caseload_per_fte() -> dict[int, float]:
    """Current clients per caseworker, scaled to a 36-hour week: {user id: clients per FTE}."""
    sizes = dict(
        Assignment.objects.filter(end_on__isnull=True)
        .values_list("caseworker_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("caseworker_id", "n")
    )
    hours = dict(TeamMember.objects.filter(user_id__in=list(sizes)).values_list("user_id", "hours_per_week"))
    return {uid: n * 36 / (hours.get(uid) or 36) for uid, n in sizes.items()}


def row_counts(models) -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in models}
