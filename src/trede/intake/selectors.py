"""Reads of the intake: the dossier's answers for a new intake, the route in force, decisions waiting for a team
lead, the active model, and the extracts that training and scoring work on (set-based, never a loop over rows)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from trede.clients.models import BenefitPeriod, Circumstances, Client, LadderMeasurement
from trede.core.rules import age_on
from trede.intake.models import Assessment, DecisionStatus, ModelStatus, ModelVersion, RouteDecision
from trede.intake.rules import similar_key
from trede.stats.fairness import MIN_GROUP
from trede.stats.time_to_work import ALLOWED_FACTORS, ModelInputError, TimeToWorkModel

MONTH_DAYS = 30.4375


# --------------------------------------------------------------------------------------------------
# The model in use


def active_model_version() -> ModelVersion | None:
    """The version in use, without its parameters (active_model() loads those when it scores)."""
    return ModelVersion.objects.filter(status=ModelStatus.ACTIVE).defer("parameters").first()


def active_model() -> tuple[ModelVersion, TimeToWorkModel] | tuple[None, None]:
    """The active version and its model; (None, None) when none is active or the stored one cannot be read —
    then the intake works without an estimate."""
    version = active_model_version()
    if version is None:
        return None, None
    try:
        return version, TimeToWorkModel.from_dict(version.parameters)
    except ModelInputError:
        return None, None


# --------------------------------------------------------------------------------------------------
# One client


def dossier_answers(client: Client, on: dt.date) -> dict[str, dict[str, Any]]:
    """The intake's answers as the dossier knows them on `on`: the newest circumstances and ladder step recorded
    on or before that day, each with the date it was recorded; age and time on benefit follow from the dossier.
    What the dossier does not know stays missing (value None)."""
    circ = Circumstances.objects.filter(client=client, recorded_on__lte=on).order_by("-recorded_on", "-id").first()
    ladder = (
        LadderMeasurement.objects.filter(client=client, measured_on__lte=on).order_by("-measured_on", "-id").first()
    )
    period = BenefitPeriod.objects.filter(client=client, start_on__lte=on).order_by("-start_on").first()

    def answer(value, day, source="dossier"):
        return {"value": value, "on": day, "source": source if value is not None else ""}

    answers = {"age": answer(age_on(client.birth_date, on), on)}
    if period is not None and (period.end_on is None or period.end_on >= on):
        answers["benefit_months"] = answer(round((on - period.start_on).days / MONTH_DAYS, 1), period.start_on)
    else:
        answers["benefit_months"] = answer(None, None)
    if circ is None:
        for f in ("education", "work_experience_years", "worked_last_2_years", "dutch_level", "health"):
            answers[f] = answer(None, None)
        for f in ("care_duties", "debts", "social"):
            answers[f] = answer(None, None)
    else:
        day = circ.recorded_on
        answers |= {
            "education": answer(circ.education, day),
            "work_experience_years": answer(circ.work_experience_years, day),
            "worked_last_2_years": answer(
                int(circ.last_worked_year is not None and circ.last_worked_year >= day.year - 2), day
            ),
            "dutch_level": answer(circ.dutch_level, day),
            "health": answer(circ.health, day),
            "care_duties": answer(int(circ.care_duties), day),
            "debts": answer(circ.debts, day),
            "social": answer(circ.social, day),
        }
    answers["ladder_step"] = answer(ladder.step, ladder.measured_on) if ladder else answer(None, None)
    return answers


def profile_of(answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The model's input from intake answers: the values only (missing stays None)."""
    return {f: (answers.get(f) or {}).get("value") for f in ALLOWED_FACTORS}


def latest_assessment(client_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(client_id=client_id)
        .select_related("assessed_by", "model_version")
        .order_by("-assessed_on", "-id")
        .first()
    )


def route_in_force(client_id: int) -> RouteDecision | None:
    return (
        RouteDecision.objects.filter(client_id=client_id, status=DecisionStatus.IN_FORCE)
        .select_related("decided_by", "confirmed_by")
        .order_by("-decided_on", "-id")
        .first()
    )


def route_expression(client_ref: str = "pk") -> Subquery:
    """An annotation: the route in force of the outer client ('' when none), for aggregate figures."""
    return Subquery(
        RouteDecision.objects.filter(client_id=OuterRef(client_ref), status=DecisionStatus.IN_FORCE)
        .order_by("-decided_on", "-id")
        .values("route")[:1]
    )


def route_decisions(client_id: int) -> QuerySet[RouteDecision]:
    return RouteDecision.objects.filter(client_id=client_id).select_related("decided_by", "confirmed_by")


def awaiting_confirmation(clients: QuerySet[Client]) -> QuerySet[RouteDecision]:
    """Decisions for a route with less help than advised that wait for a team lead, among `clients`."""
    return (
        RouteDecision.objects.filter(status=DecisionStatus.AWAITING, client__in=clients.values("pk"))
        .select_related("client", "decided_by")
        .order_by("decided_on", "id")
    )


def prospects_for(version: ModelVersion | None, profile: dict[str, Any]) -> dict[str, Any] | None:
    """How past clients with a similar profile fared (counts from the history the version was trained on), or
    None when the profile is incomplete or no version is active. Small groups are not in the table at all."""
    if version is None:
        return None
    key = similar_key(profile)
    if key is None:
        return None
    row = version.prospects.get("groups", {}).get(key)
    return {"key": key, **(row or {"spells": 0, "known": 0, "worked": 0, "followed": 0, "stayed_off": 0})}


def prospects_summary(version: ModelVersion | None, answers: dict) -> dict | None:
    """The honest prospects in words: None without an active model or with an incomplete profile."""
    profile = profile_of(answers)
    p = prospects_for(version, profile)
    if p is None:
        return None
    enough = p["known"] >= MIN_GROUP
    return {
        **p,
        "enough": enough,
        "enough_followed": p["followed"] >= MIN_GROUP,
        "min_group": MIN_GROUP,
        "worked_pct": round(100 * p["worked"] / p["known"]) if enough else None,
        "stayed_pct": round(100 * p["stayed_off"] / p["followed"]) if p["followed"] >= MIN_GROUP else None,
    }


def timeline_branches(client_id: int) -> list[QuerySet]:
    """Timeline rows of this app: intakes held, route decisions taken (and confirmed or declined)."""
    from trede.clients.selectors import empty_text, timeline_row

    decisions = RouteDecision.objects.filter(client_id=client_id)
    return [
        timeline_row(
            Assessment.objects.filter(client_id=client_id),
            day="assessed_on",
            kind="assessment",
            title="advised_route",
            detail=empty_text(),
            actor="assessed_by_id",
        ),
        timeline_row(decisions, day="decided_on", kind="route", title="route", detail="reason", actor="decided_by_id"),
        timeline_row(
            decisions.filter(confirmed_on__isnull=False),
            day="confirmed_on",
            kind="route_confirm",
            title="status",
            detail="confirmation_note",
            actor="confirmed_by_id",
        ),
    ]


# --------------------------------------------------------------------------------------------------
# Extracts for training and scoring: whole tables into pandas, joined as-of a date (no loop over rows).


def _frame(qs: QuerySet, columns: list[str], *, bools: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of `qs` as a DataFrame, without building a Python object per value: on PostgreSQL through COPY
    into pandas' CSV reader, on SQLite through the raw cursor. Dates arrive as text (see _days), booleans as
    bools, ids as int64 — also when there are no rows, so that as-of joins on an empty table still work."""
    sql, params = qs.values_list(*columns).query.sql_with_params()
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            for block in copy:
                buffer.write(block)
        buffer.seek(0)
        if buffer.getbuffer().nbytes:
            frame = pd.read_csv(buffer, header=None, names=columns)
            for c in bools:
                frame[c] = frame[c].map({"t": True, "f": False})
        else:
            frame = pd.DataFrame(columns=columns)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
        for c in bools:
            frame[c] = frame[c].astype(bool)
    for c in columns:
        if c == "id" or c.endswith("_id"):
            frame[c] = frame[c].astype("int64")
    return frame


def _days(series: pd.Series) -> np.ndarray:
    """Dates (date objects or ISO text) as day numbers (days since 1970-01-01); missing as -1."""
    values = pd.to_datetime(series, errors="coerce", format="ISO8601")
    out = (values - pd.Timestamp("1970-01-01")).dt.days
    return out.fillna(-1).to_numpy(dtype="int64")


def _circumstances_frame() -> pd.DataFrame:
    """All circumstances, oldest first; on one day the last recorded (highest id) comes last, so that an as-of
    join picks it, as dossier_answers does."""
    c = _frame(
        Circumstances.objects.order_by(),
        [
            "id",
            "client_id",
            "recorded_on",
            "education",
            "work_experience_years",
            "last_worked_year",
            "dutch_level",
            "health",
            "care_duties",
            "debts",
            "social",
        ],
        bools=("care_duties",),
    )
    c["c_day"] = _days(c["recorded_on"])
    return c.sort_values(["c_day", "id"], kind="stable").drop(columns=["id", "recorded_on"])


def _ladder_frame() -> pd.DataFrame:
    lad = _frame(LadderMeasurement.objects.order_by(), ["id", "client_id", "measured_on", "step"])
    lad["l_day"] = _days(lad["measured_on"])
    return lad.sort_values(["l_day", "id"], kind="stable").drop(columns=["id", "measured_on"])


def _client_frame() -> pd.DataFrame:
    cl = _frame(Client.objects.order_by(), ["id", "birth_date", "gender", "household__kind"])
    cl = cl.rename(columns={"id": "client_id", "household__kind": "household"})
    cl["birth"] = pd.to_datetime(cl["birth_date"], format="ISO8601")
    return cl.drop(columns=["birth_date"])


def _age_at(birth: pd.Series, day: np.ndarray) -> np.ndarray:
    at = pd.to_datetime(day, unit="D")
    years = at.year.to_numpy() - birth.dt.year.to_numpy()
    before_birthday = (at.month.to_numpy() < birth.dt.month.to_numpy()) | (
        (at.month.to_numpy() == birth.dt.month.to_numpy()) & (at.day.to_numpy() < birth.dt.day.to_numpy())
    )
    return years - before_birthday.astype(int)


def _factor_columns(frame: pd.DataFrame) -> pd.DataFrame:
    year = pd.to_datetime(frame["c_day"], unit="D").dt.year.to_numpy()
    last = frame["last_worked_year"].to_numpy(dtype=float)
    frame["worked_last_2_years"] = (~np.isnan(last) & (last >= year - 2)).astype(int)
    frame["care_duties"] = frame["care_duties"].astype(int)
    return frame


def history_spells(today: dt.date) -> tuple[pd.DataFrame, dict[str, int]]:
    """Every benefit spell with the intake factors as first recorded in it (the landmark: time to work is counted
    from there), its outcome (exit to work is the event; other exits and ongoing spells are censored), whether
    someone who left for work was back on benefit within 12 months, and the monitoring attributes for the
    fairness report. Also how many spells were left out and why (never imputed)."""
    t = (today - dt.date(1970, 1, 1)).days
    periods = _frame(BenefitPeriod.objects.order_by(), ["id", "client_id", "start_on", "end_on", "exit_reason"])
    periods["s_day"], periods["e_day"] = _days(periods["start_on"]), _days(periods["end_on"])
    p = periods[(periods["s_day"] <= t)].copy()
    # as the history stood on `today`: an end recorded for a later day has not happened yet
    p.loc[p["e_day"] > t, ["e_day", "exit_reason"]] = (-1, "")
    total = len(p)
    circ = _circumstances_frame()
    ladder = _ladder_frame()
    # the landmark: the first day in the spell on which both the circumstances and a ladder step were known
    p = p.sort_values("s_day", kind="stable")
    p = pd.merge_asof(
        p, circ[["c_day", "client_id"]], left_on="s_day", right_on="c_day", by="client_id", direction="forward"
    )
    p = pd.merge_asof(
        p, ladder[["l_day", "client_id"]], left_on="s_day", right_on="l_day", by="client_id", direction="forward"
    )
    until = np.where(p["e_day"] >= 0, p["e_day"] - 1, t)  # a step measured on the exit day describes the exit
    c_ok = p["c_day"].notna().to_numpy() & (p["c_day"].fillna(t + 1).to_numpy() <= until)
    l_ok = p["l_day"].notna().to_numpy() & (p["l_day"].fillna(t + 1).to_numpy() <= until)
    left_out = {"no_factors": int((~c_ok).sum()), "no_ladder_step": int((c_ok & ~l_ok).sum())}
    p = p[c_ok & l_ok].copy()
    p["landmark"] = np.maximum(p["c_day"], p["l_day"]).astype("int64")
    p = p.drop(columns=["c_day", "l_day"]).sort_values("landmark", kind="stable")
    p = pd.merge_asof(p, circ, left_on="landmark", right_on="c_day", by="client_id", direction="backward")
    p = pd.merge_asof(
        p, ladder[["l_day", "client_id", "step"]], left_on="landmark", right_on="l_day", by="client_id"
    ).rename(columns={"step": "ladder_step"})
    p = _factor_columns(p)
    end = np.where(p["e_day"] >= 0, p["e_day"], t)
    p["duration"] = (end - p["landmark"]) / MONTH_DAYS
    p["event"] = ((p["e_day"] >= 0) & (p["exit_reason"] == "work")).astype(int)
    p["benefit_months"] = np.round((p["landmark"] - p["s_day"]) / MONTH_DAYS, 1)
    clients = _client_frame()
    p = p.merge(clients, on="client_id", how="left")
    p["age"] = _age_at(p["birth"], p["landmark"].to_numpy())
    # back on benefit within 12 months of leaving for work: the next spell's start, if any
    starts = periods[["client_id", "s_day"]].rename(columns={"s_day": "n_day"}).sort_values("n_day", kind="stable")
    p["after"] = np.where(p["e_day"] >= 0, p["e_day"] + 1, t + 1)
    p = pd.merge_asof(
        p.sort_values("after", kind="stable"),
        starts[["client_id", "n_day"]],
        left_on="after",
        right_on="n_day",
        by="client_id",
        direction="forward",
    )
    p["followed_12"] = (p["event"] == 1) & (p["e_day"] + 365 <= t)
    p["returned_12"] = p["followed_12"] & p["n_day"].notna() & (p["n_day"].fillna(0) <= p["e_day"] + 365)
    keep = [
        "id",
        "client_id",
        "s_day",
        "e_day",
        "landmark",
        "duration",
        "event",
        "followed_12",
        "returned_12",
        "gender",
        "household",
        *ALLOWED_FACTORS,
    ]
    out = p[keep].sort_values("id", kind="stable").reset_index(drop=True)
    left_out["total"] = total
    return out, left_out


def current_profiles(on: dt.date) -> pd.DataFrame:
    """Every client on benefit on `on` with the model's inputs as the dossier knows them then (newest
    circumstances and ladder step). Missing values stay NaN; the caller decides what to do with them."""
    t = (on - dt.date(1970, 1, 1)).days
    p = _frame(BenefitPeriod.objects.order_by().filter(start_on__lte=on), ["client_id", "start_on", "end_on"])
    p["s_day"], p["e_day"] = _days(p["start_on"]), _days(p["end_on"])
    p = p[(p["e_day"] < 0) | (p["e_day"] >= t)].sort_values("s_day", kind="stable")
    p = p.drop_duplicates("client_id", keep="last").copy()  # the latest running period
    p["landmark"] = t
    circ = _circumstances_frame()
    p = pd.merge_asof(p, circ, left_on="landmark", right_on="c_day", by="client_id", direction="backward")
    p = p.sort_values("landmark", kind="stable")
    ladder = _ladder_frame()
    ladder = ladder[ladder["l_day"] <= t]
    p = pd.merge_asof(
        p, ladder[["l_day", "client_id", "step"]], left_on="landmark", right_on="l_day", by="client_id"
    ).rename(columns={"step": "ladder_step"})
    p["c_day"] = p["c_day"].fillna(t)
    known = p["education"].notna()
    p["care_duties"] = p["care_duties"].astype("boolean").fillna(False).astype(bool)
    p = _factor_columns(p)
    p.loc[~known, ["worked_last_2_years", "care_duties"]] = np.nan
    p["benefit_months"] = np.round((t - p["s_day"]) / MONTH_DAYS, 1)
    p = p.merge(_client_frame(), on="client_id", how="left")
    p["age"] = _age_at(p["birth"], p["landmark"].to_numpy())
    return p[["client_id", *ALLOWED_FACTORS]].sort_values("client_id", kind="stable").reset_index(drop=True)
