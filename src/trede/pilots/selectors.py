"""Reads of pilots: who is eligible (the saved selection, evaluated on a day), their baseline factors, the analysis
frame of a pilot (baseline, arm, what was received, and the outcomes from benefit periods and ladder measurements),
the arms a client is in (for the dossier), and the "what works" register. Each costs a constant number of queries,
whatever the number of clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from trede.caseload.models import Assignment, ContactMoment
from trede.clients.models import BenefitPeriod, Client, LadderMeasurement
from trede.core.rules import add_months, add_years
from trede.intake.models import DecisionStatus, RouteDecision
from trede.obligations.selectors import active_exemptions
from trede.pilots import rules
from trede.pilots.models import Arm, Crossover, Pilot, PilotAssignment, Status

BASELINE_COLUMNS = ("age", "age_band", "benefit_months", "benefit_band", "ladder", "route", "district", "exempt")


def _running(on: dt.date) -> QuerySet[BenefitPeriod]:
    return BenefitPeriod.objects.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


def _current_assignment(on: dt.date, client_ref: str = "pk") -> QuerySet[Assignment]:
    return Assignment.objects.filter(client_id=OuterRef(client_ref), start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=on)
    )


def route_on_expression(on: dt.date, client_ref: str = "pk"):
    """The route in force for the outer client on `on` ('none' without one)."""
    return Coalesce(
        Subquery(
            RouteDecision.objects.filter(
                client_id=OuterRef(client_ref), status=DecisionStatus.IN_FORCE, decided_on__lte=on
            )
            .order_by("-decided_on", "-id")
            .values("route")[:1]
        ),
        Value("none"),
    )


def running_pilot_ids(on: dt.date, *, exclude_pilot: int | None = None) -> list[int]:
    """Pilots whose follow-up runs on `on` (their clients are not drawn into another pilot meanwhile)."""
    running = [
        p.pk
        for p in Pilot.objects.filter(status=Status.RANDOMISED)
        .exclude(pk=exclude_pilot)
        .only("randomised_on", "follow_up_months")
        if add_months(p.randomised_on, p.follow_up_months) > on
    ]
    return running


def eligible(criteria: dict, on: dt.date, *, unit: str = "client", exclude_pilot: int | None = None) -> QuerySet:
    """Clients on benefit on `on` who fit the criteria (rules.CRITERIA_KEYS) and are not in the follow-up of
    another pilot. For a draw by caseworker only clients with a caseworker on `on`."""
    running = _running(on).filter(client_id=OuterRef("pk"))
    if criteria.get("benefit_months_min") is not None:
        running = running.filter(start_on__lte=add_months(on, -criteria["benefit_months_min"]))
    if criteria.get("benefit_months_max") is not None:
        running = running.filter(start_on__gte=add_months(on, -criteria["benefit_months_max"]))
    qs = Client.objects.filter(Exists(running))
    if criteria.get("districts"):
        qs = qs.filter(district_id__in=criteria["districts"])
    if criteria.get("age_min") is not None:
        qs = qs.filter(birth_date__lte=add_years(on, -criteria["age_min"]))
    if criteria.get("age_max") is not None:
        qs = qs.filter(birth_date__gt=add_years(on, -(criteria["age_max"] + 1)))
    if criteria.get("ladder_steps"):
        step = Subquery(
            LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=on)
            .order_by("-measured_on", "-id")
            .values("step")[:1]
        )
        qs = qs.annotate(e_step=step).filter(e_step__in=criteria["ladder_steps"])
    if criteria.get("routes"):
        qs = qs.annotate(e_route=route_on_expression(on)).filter(e_route__in=criteria["routes"])
    exempt = Exists(active_exemptions(on).filter(client_id=OuterRef("pk")))
    if criteria.get("exemption") == "exempt":
        qs = qs.filter(exempt)
    elif criteria.get("exemption") == "not_exempt":
        qs = qs.exclude(exempt)
    if unit == "caseworker":
        qs = qs.filter(Exists(_current_assignment(on)))
    busy = running_pilot_ids(on, exclude_pilot=exclude_pilot)
    if busy:
        qs = qs.exclude(pilot_assignments__pilot_id__in=busy)
    return qs


def eligible_count(criteria: dict, on: dt.date, *, unit: str = "client") -> tuple[int, int | None]:
    """(clients, clusters): how many are eligible on `on`, and for a cluster draw in how many caseworkers or
    districts."""
    qs = eligible(criteria, on, unit=unit)
    if unit == "client":
        return qs.count(), None
    if unit == "district":
        return qs.count(), qs.values("district_id").distinct().count()
    cw = Subquery(_current_assignment(on).values("caseworker_id")[:1])
    rows = qs.annotate(cw=cw).values("cw").distinct().count()
    return qs.count(), rows


def baseline_frame(clients: QuerySet, on: dt.date) -> pd.DataFrame:
    """One row per client: client_id, the baseline factors on `on` (BASELINE_COLUMNS) and caseworker_id and
    district_id (the clusters of a cluster draw). One query."""
    period_start = Subquery(_running(on).filter(client_id=OuterRef("pk")).order_by("-start_on").values("start_on")[:1])
    step = Subquery(
        LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=on)
        .order_by("-measured_on", "-id")
        .values("step")[:1]
    )
    rows = list(
        clients.order_by()
        .annotate(
            b_start=period_start,
            b_step=step,
            b_route=route_on_expression(on),
            b_exempt=Exists(active_exemptions(on).filter(client_id=OuterRef("pk"))),
            b_caseworker=Subquery(_current_assignment(on).order_by("-start_on").values("caseworker_id")[:1]),
        )
        .values_list("pk", "birth_date", "b_start", "b_step", "b_route", "b_exempt", "district__name", "district_id",
                     "b_caseworker")
    )  # fmt: skip
    columns = ["client_id", "birth", "start", "step", "route", "exempt", "district", "district_id", "caseworker_id"]
    raw = pd.DataFrame(rows, columns=columns)
    today = rules.day_number(on)
    age = (today - rules._days(raw["birth"])) / 365.25
    months = (today - rules._days(raw["start"])) / rules.MONTH_DAYS
    months = np.where(np.isnan(months), 0.0, months)
    out = pd.DataFrame(
        {
            "client_id": raw["client_id"].astype("int64"),
            "age": np.round(age, 2),
            "age_band": [rules.age_band(a) for a in age],
            "benefit_months": np.round(months, 2),
            "benefit_band": [rules.benefit_band(m) for m in months],
            "ladder": [rules.UNKNOWN if pd.isna(s) else str(int(s)) for s in raw["step"]],
            "route": raw["route"].fillna("none").astype(str),
            "district": raw["district"].astype(str),
            "exempt": raw["exempt"].astype(bool).astype(int),
            "caseworker_id": raw["caseworker_id"],
            "district_id": raw["district_id"],
        }
    )
    return out.sort_values("client_id").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# The analysis frame


def outcome_end(pilot: Pilot, today: dt.date) -> dt.date:
    """The last day whose data count: the end of follow-up, or today when that is earlier (a safety look)."""
    return min(add_months(pilot.randomised_on, pilot.follow_up_months), today)


def assignment_frame(pilot: Pilot) -> pd.DataFrame:
    """client_id, assigned (1/0), received (1/0: the newest crossover record, else the arm), cluster and the
    baseline factors as stored at the draw. Two queries."""
    rows = list(pilot.assignments.order_by("client_id").values_list("pk", "client_id", "arm", "cluster", "baseline"))
    latest: dict[int, bool] = {}
    for aid, received in (
        Crossover.objects.filter(assignment__pilot=pilot)
        .order_by("recorded_at", "id")
        .values_list("assignment_id", "received")
    ):
        latest[aid] = received  # the newest record wins
    frame = pd.DataFrame(
        {
            "client_id": [r[1] for r in rows],
            "assigned": [int(r[2] == Arm.INTERVENTION) for r in rows],
            "cluster": [r[3] for r in rows],
        }
    )
    frame["received"] = [int(latest.get(r[0], r[2] == Arm.INTERVENTION)) for r in rows]
    base = pd.DataFrame([r[4] for r in rows], columns=list(BASELINE_COLUMNS))
    for column in BASELINE_COLUMNS:
        frame[column] = base[column].to_numpy() if len(base) else []
    frame["exempt"] = frame["exempt"].astype(int) if len(frame) else frame["exempt"]
    return frame


def _measured(units: pd.DataFrame, clients, start: dt.date, end: dt.date, follow_up_months: int) -> pd.DataFrame:
    """rules.measure_outcomes for `units` (a frame with client_id) followed from `start` to `end`: their benefit
    periods and ladder measurements up to `end` (two queries; `clients` selects the same clients in SQL). What
    happens after `end` is not known yet on `end`: a period ending later is still running then."""
    units = units.copy()
    units["start"], units["end"] = start, end
    units["work_end"] = min(add_months(start, rules.PAID_WORK_MONTHS), end)
    units["month_days"] = (add_months(start, follow_up_months) - start).days / follow_up_months
    periods = pd.DataFrame(
        list(
            BenefitPeriod.objects.filter(client_id__in=clients, start_on__lte=end).values_list(
                "client_id", "start_on", "end_on", "exit_reason"
            )
        ),
        columns=["client_id", "start_on", "end_on", "exit_reason"],
    )
    if len(periods):
        later = periods["end_on"].notna() & (pd.to_datetime(periods["end_on"]) > pd.Timestamp(end))
        periods.loc[later, ["end_on", "exit_reason"]] = [None, ""]
    ladder = pd.DataFrame(
        list(
            LadderMeasurement.objects.filter(client_id__in=clients, measured_on__lte=end)
            .order_by("client_id", "measured_on", "id")
            .values_list("client_id", "measured_on", "step")
        ),
        columns=["client_id", "measured_on", "step"],
    )
    return rules.measure_outcomes(units, periods, ladder)


def outcome_frame(pilot: Pilot, today: dt.date) -> pd.DataFrame:
    """The outcomes (rules.measure_outcomes) of the pilot's clients, from the draw to outcome_end. Three queries."""
    end = outcome_end(pilot, today)
    ids_q = pilot.assignments.values("client_id")
    units = pd.DataFrame(
        {"client_id": list(pilot.assignments.order_by("client_id").values_list("client_id", flat=True))}
    )
    return _measured(units, ids_q, pilot.randomised_on, end, pilot.follow_up_months)


def analysis_frame(pilot: Pilot, today: dt.date, *, outcomes: bool) -> pd.DataFrame:
    """One row per client of the pilot. With outcomes=False (monitoring before the analysis date) every outcome
    column says only whether it is missing (0 = known, nan = missing): no outcome value leaves this function."""
    frame = assignment_frame(pilot)
    measured = outcome_frame(pilot, today)
    if not outcomes:
        measured = measured.where(measured.isna(), 0.0)
    return frame.join(measured, on="client_id")


# --------------------------------------------------------------------------------------------------
# The dossier


@dataclass
class ClientArm:
    pilot_id: int
    pilot_name: str
    assignment_id: int
    arm: str
    arm_label: str
    intensity: str
    since: dt.date
    until: dt.date
    running: bool
    received: bool  # what the client actually gets (newest crossover record, else the arm)
    crossed: bool  # received differs from the arm
    open: bool  # the pilot still runs (not analysed): what the client receives can still be recorded


def client_arms(client_id: int, *, today: dt.date | None = None) -> list[ClientArm]:
    """The pilots the client was drawn into (randomised or finished), with their arm, the follow-up intensity of
    that arm and whether they actually received the intervention. Two queries."""
    from django.utils import timezone

    today = today or timezone.localdate()
    assignments = list(
        PilotAssignment.objects.filter(
            client_id=client_id, pilot__status__in=[Status.RANDOMISED, Status.ANALYSED]
        ).select_related("pilot").order_by("-pilot__randomised_on", "-pilot_id")
    )  # fmt: skip
    latest: dict[int, bool] = {}
    for aid, received in (
        Crossover.objects.filter(assignment__in=assignments)
        .order_by("recorded_at", "id")
        .values_list("assignment_id", "received")
    ):
        latest[aid] = received
    out = []
    for a in assignments:
        p = a.pilot
        until = add_months(p.randomised_on, p.follow_up_months) - dt.timedelta(days=1)
        intervention = a.arm == Arm.INTERVENTION
        received = latest.get(a.pk, intervention)
        out.append(
            ClientArm(
                pilot_id=p.pk,
                pilot_name=p.name,
                assignment_id=a.pk,
                arm=a.arm,
                arm_label=str(Arm(a.arm).label),
                intensity=p.intensity_intervention if intervention else p.intensity_control,
                since=p.randomised_on,
                until=until,
                running=until >= today,
                received=received,
                crossed=received != intervention,
                open=p.status == Status.RANDOMISED,
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# Lists


def pilot_list(*, statuses: list[str] | None = None) -> QuerySet[Pilot]:
    from django.db.models import Count

    qs = Pilot.objects.annotate(n_assigned=Count("assignments")).select_related("created_by")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-created_at", "-id")


def finished_pilots(term: str = "") -> QuerySet[Pilot]:
    """The "what works" register: analysed pilots with their report, newest first; `term` searches the name, the
    question, the intervention and the control condition."""
    qs = Pilot.objects.filter(status=Status.ANALYSED).select_related("report")
    term = (term or "").strip()
    if term:
        for word in term.split():
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(question__icontains=word)
                | Q(intervention__icontains=word)
                | Q(control__icontains=word)
            )
    return qs.order_by("-report__analysed_on", "-id")


# --------------------------------------------------------------------------------------------------
# Observational comparison (no draw): who had something on a day vs who did not


TREATMENTS = ("exempt", "route_work", "recent_contact")


def observational_frame(criteria: dict, on: dt.date, *, treatment: str, follow_up_months: int, today: dt.date):
    """Everyone eligible on `on` with their baseline factors, the treatment (0/1, on `on`) and the outcomes from
    `on` to the end of follow-up. Treatments: an exemption in force (exempt), the route "work" in force
    (route_work), a contact in the 90 days before (recent_contact)."""
    if treatment not in TREATMENTS:
        raise ValueError(f"unknown treatment {treatment!r}")
    clients = eligible(criteria, on)
    frame = baseline_frame(clients, on)
    if treatment == "exempt":
        frame["treated"] = frame["exempt"]
    elif treatment == "route_work":
        frame["treated"] = (frame["route"] == "work").astype(int)
    else:
        recent = set(
            ContactMoment.objects.filter(
                client__in=clients, contact_on__lte=on, contact_on__gt=on - dt.timedelta(days=90)
            ).values_list("client_id", flat=True)
        )
        frame["treated"] = frame["client_id"].isin(recent).astype(int)
    end = min(add_months(on, follow_up_months), today)
    ids = frame["client_id"].tolist()
    units = pd.DataFrame({"client_id": frame["client_id"]})
    measured = _measured(units, clients, on, end, follow_up_months) if ids else None
    if measured is not None:
        frame = frame.join(measured, on="client_id")
    return frame
