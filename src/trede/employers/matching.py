"""Matching on trede's data (reads only): turn clients and vacancies into the column arrays of the pure engine
(trede.stats.matching) and back into rows a page can show, with the explanation of each.

Candidates for a vacancy are the clients on benefit on the date. The engine blocks who is exempt from the work
obligation (the one exemption function of the foundation, obligations.selectors.exempt_client_ids), who is not on the
route to work (the route in force: work or youth), heavy work for a health limitation, a missing driving licence,
too long a journey and a hard language requirement; a blocked client is never above an unblocked one. Home locations
are the district's centre (clients.District.x_km/y_km): no address is used for matching.

One query per side: the latest circumstances and work profile of each client come as subqueries, so the cost does
not grow with the history. The arrays of all candidates are built per request; bench/matching.py measures the engine
and bench/run.py the whole shortlist on the generated municipality.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Exists, F, JSONField, OuterRef, Q, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trede.clients.models import BenefitPeriod, Circumstances, Client
from trede.employers.models import Vacancy, VacancyStatus, WorkProfile
from trede.intake.selectors import route_expression
from trede.obligations.selectors import exempt_expression
from trede.stats import matching

WORK_ROUTES = ("work", "youth")


def policy(on: dt.date) -> tuple[dict[str, float], matching.Travel]:
    """The weights and the travel-time estimate of the rule set valid on `on` (the law's limit of 3 hours a day for
    generally accepted work is a legal parameter; the weights and the estimate are local policy)."""
    from trede.core.selectors import rules_on

    rules = rules_on(on)
    travel = matching.Travel(
        speed_kmh=float(rules["travel_speed_kmh"]),
        detour=rules["travel_detour_pct"] / 100,
        overhead_minutes=float(rules["travel_overhead_minutes"]),
        max_minutes_per_day=float(rules["max_travel_minutes_per_day"]),
    )
    return {k: float(v) for k, v in rules["match_weights"].items()}, travel


def _latest(model, field: str, output_field=None):
    return Subquery(
        model.objects.filter(client_id=OuterRef("pk")).order_by("-recorded_on", "-id").values(field)[:1],
        output_field=output_field,
    )


def candidates(on: dt.date, *, client_ids=None, on_benefit_only: bool = True, work_route_only: bool = False):
    """Clients on benefit on `on` (or all of `client_ids`), with every fact the engine needs, as one query. With
    work_route_only, only those whose route in force is work or youth (the engine blocks everyone else anyway)."""
    on_benefit = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=on)
    )
    qs = Client.objects.filter(Exists(on_benefit)) if on_benefit_only else Client.objects.all()
    if client_ids is not None:
        qs = qs.filter(pk__in=client_ids)
    qs = qs.annotate(
        m_education=_latest(Circumstances, "education"),
        m_dutch=_latest(Circumstances, "dutch_level"),
        m_health=_latest(Circumstances, "health"),
        # the latest work profile's facts in the same query: no second query with a list of every candidate's id
        m_experience=_latest(WorkProfile, "experience", JSONField()),
        m_preferences=_latest(WorkProfile, "preferences", JSONField()),
        m_hours=_latest(WorkProfile, "hours_wanted"),
        m_licence=_latest(WorkProfile, "driving_licence"),
        m_route=route_expression("pk"),
        m_exempt=exempt_expression(obligation="work_obligation", on=on),
        m_x=F("district__x_km"),
        m_y=F("district__y_km"),
    )
    if work_route_only:
        qs = qs.filter(m_route__in=WORK_ROUTES)
    return qs.values(
        "pk",
        "gender",  # for the fairness report only: never an input of the engine (client_arrays does not read it)
        "birth_date",  # idem
        "first_name",
        "surname_prefix",
        "surname",
        "m_education",
        "m_dutch",
        "m_health",
        "m_experience",
        "m_preferences",
        "m_hours",
        "m_licence",
        "m_route",
        "m_exempt",
        "m_x",
        "m_y",
    )


def client_arrays(rows: list[dict]) -> matching.Clients:
    def as_list(value):
        if isinstance(value, str):  # a database that hands JSON back as text
            value = json.loads(value)
        return value or []

    return matching.Clients.from_records(
        {
            "id": r["pk"],
            "experience": [(e["code"], e["years"]) for e in as_list(r["m_experience"])],
            "preference": as_list(r["m_preferences"]),
            "education": r["m_education"],
            "dutch": r["m_dutch"],
            "health": r["m_health"],
            "hours": r["m_hours"],
            "licence": bool(r["m_licence"]),
            "x": r["m_x"],
            "y": r["m_y"],
            "exempt": r["m_exempt"],
            "work_route": r["m_route"] in WORK_ROUTES,
        }
        for r in rows
    )


def vacancy_arrays(vacancies: list[Vacancy]) -> matching.Vacancies:
    return matching.Vacancies.from_records(
        {
            "id": v.pk,
            "occupation": v.occupation,
            "education": v.education or None,
            "dutch": v.language_level or None,
            "dutch_hard": v.language_required,
            "load": v.physical_load or None,
            "hours": v.hours_per_week,
            "licence": v.driving_licence,
            "x": v.district.x_km if v.district_id else None,
            "y": v.district.y_km if v.district_id else None,
        }
        for v in vacancies
    )


@dataclass
class Row:
    """One line of a shortlist: who or what, the score, its parts, and the explanation in words."""

    id: int
    name: str
    score: float
    blocked: bool
    explanation: matching.Explanation
    parts: list[tuple[str, float, float]]  # (label, component, contribution)


def _rows(ranking: matching.Ranking, explain, names: dict[int, str]) -> list[Row]:
    out = []
    for i, entry in enumerate(ranking.rows()):
        exp = explain(i)
        parts = [
            (_(matching.COMPONENT_LABELS[k]), exp.components[k], exp.contributions[k]) for k in matching.COMPONENTS
        ]
        out.append(
            Row(
                id=entry["id"],
                name=names.get(entry["id"], ""),
                score=entry["score"],
                blocked=entry["blocked"],
                explanation=exp,
                parts=parts,
            )
        )
    return out


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def shortlist(vacancy: Vacancy, on: dt.date, *, top: int = 20, blocked: int = 5):
    """The best clients for a vacancy, and the best blocked ones with why not. Returns (rows, ranking)."""
    weights, travel = policy(on)
    rows = list(candidates(on, work_route_only=True))
    if not rows:
        return [], None
    clients = client_arrays(rows)
    vacancies = vacancy_arrays([vacancy])
    ranking = matching.match_vacancy(vacancies, clients, top=top, blocked=blocked, weights=weights, travel=travel)
    names = {r["pk"]: " ".join(p for p in (r["first_name"], r["surname_prefix"], r["surname"]) if p) for r in rows}

    def explain(i: int):
        return matching.explain(
            vacancies, 0, clients, int(ranking.index[i]), weights=weights, travel=travel, lang=_lang(), translate=_
        )

    return _rows(ranking, explain, names), ranking


def vacancies_for(client: Client, on: dt.date, *, top: int = 30):
    """The open vacancies for one client, best first, blocked ones after with why not. Returns (rows, ranking)."""
    weights, travel = policy(on)
    open_vacancies = list(Vacancy.objects.filter(status=VacancyStatus.OPEN).select_related("employer", "district"))
    rows = list(candidates(on, client_ids=[client.pk], on_benefit_only=False))
    if not open_vacancies or not rows:
        return [], None
    clients = client_arrays(rows)
    vacancies = vacancy_arrays(open_vacancies)
    ranking = matching.match_client(
        clients, vacancies, top=top, blocked=len(open_vacancies), weights=weights, travel=travel
    )
    names = {v.pk: f"{v.title} · {v.employer.name}" for v in open_vacancies}

    def explain(i: int):
        return matching.explain(
            vacancies, int(ranking.index[i]), clients, 0, weights=weights, travel=travel, lang=_lang(), translate=_
        )

    return _rows(ranking, explain, names), ranking


def fairness(on: dt.date, *, top: int = 20, months: int = 12):
    """Who gets onto shortlists, is proposed to an employer and is hired, per gender and age band, among the clients
    on the route to work (demographic parity, measured, never an input). Shortlists: the top `top` unblocked
    candidates of every open vacancy (match_all, the rules of `on`); proposals and hires: job referrals of the last
    `months` months. Returns (overall, rows, facts) with rows from stats.fairness.selection_rates."""
    import numpy as np

    from trede.clients.models import Gender
    from trede.core.rules import add_months
    from trede.core.selectors import rules_on
    from trede.employers.models import Referral
    from trede.stats.fairness import selection_rates

    weights, travel = policy(on)
    rows = list(candidates(on, work_route_only=True).order_by("pk"))
    open_vacancies = list(Vacancy.objects.filter(status=VacancyStatus.OPEN).select_related("district"))
    n = len(rows)
    shortlisted = np.zeros(n, dtype=bool)
    if n and open_vacancies:
        clients = client_arrays(rows)
        rankings = matching.match_all(vacancy_arrays(open_vacancies), clients, top=top, weights=weights, travel=travel)
        for ranking in rankings:
            shortlisted[ranking.index[ranking.blocks == 0]] = True
    since = add_months(on, -months)
    ids = np.array([r["pk"] for r in rows], dtype=np.int64)
    referred = set(
        Referral.objects.filter(
            client_id__in=ids.tolist(), events__on__gte=since, events__to_status="proposed"
        ).values_list("client_id", flat=True)
    )
    hired = set(
        Referral.objects.filter(
            client_id__in=ids.tolist(), events__on__gte=since, events__to_status="hired"
        ).values_list("client_id", flat=True)
    )
    ages = np.array([(on - r["birth_date"]).days // 365 for r in rows], dtype=np.int64)
    from trede.stats.fairness import age_band

    groups = {
        "gender": np.array([str(Gender(r["gender"]).label) for r in rows], dtype=object),
        "age": age_band(ages) if n else np.array([], dtype=object),
    }
    outcomes = {
        "shortlist": shortlisted,
        "proposed": np.isin(ids, list(referred)),
        "hired": np.isin(ids, list(hired)),
    }
    tolerance = rules_on(on)["fairness_tolerance_pct"] / 100
    overall, table = selection_rates(groups, outcomes, tolerance=tolerance)
    return overall, table, {"n": n, "vacancies": len(open_vacancies), "top": top, "since": since}
