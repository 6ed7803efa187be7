"""The extracts that training and scoring work on, on a small hand-built database (written through the clients'
services, so every row is valid like a user's):

- history_spells: one row per benefit spell with the intake factors as known at the landmark (the first day in
  the spell on which both the circumstances and a ladder step were known; time to work counts from there in months
  of 30.4375 days). Exit to work is the event; other exits and ongoing spells are censored. A spell without
  circumstances or ladder step in it is left out and counted (never imputed).
- current_profiles: one row per client on benefit on a day, with the newest circumstances and ladder step on or
  before that day; it agrees with what the intake form is filled with (dossier_answers).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from trede.clients.services import benefit_period_end, benefit_period_start, circumstances_record, ladder_measure
from trede.intake import selectors
from trede.stats.time_to_work import ALLOWED_FACTORS, PROTECTED

pytestmark = pytest.mark.django_db

T = dt.date(2025, 12, 31)  # the day the history is read on (all hand-built rows lie on or before it)
MONTH = 30.4375


def months(a: dt.date, b: dt.date) -> float:
    return (b - a).days / MONTH


def circ(client, on: dt.date, **facts):
    values = {
        "education": "middle",
        "work_experience_years": 5,
        "last_worked_year": on.year - 1,
        "dutch_level": "2f",
        "health": "none",
        "care_duties": False,
        "debts": "none",
        "social": "good",
    } | facts
    return circumstances_record(actor=None, client=client, recorded_on=on, **values)


def ladder(client, on: dt.date, step: int = 3):
    return ladder_measure(actor=None, client=client, step=step, measured_on=on)


def spell(client, start: dt.date, end: dt.date | None = None, reason: str = "work"):
    period = benefit_period_start(actor=None, client=client, start_on=start)
    if end is not None:
        period = benefit_period_end(actor=None, period=period, end_on=end, exit_reason=reason)
    return period


def rows_by_period(frame: pd.DataFrame) -> dict[int, dict]:
    return {int(r["id"]): r for r in frame.to_dict("records")}


# --------------------------------------------------------------------------------------------------
# history_spells


@pytest.fixture
def history(make_client):
    """A small municipality in which every spell is a case of its own. Returns {name: period}."""
    p = {}

    # Worked: circumstances first, the ladder step later (the landmark), later records are not used at the
    # landmark; birthday on the landmark. Left for work and came back within 12 months (a new spell without
    # records of its own: left out).
    worker = make_client(birth_date=dt.date(1983, 3, 15), gender="f", household_kind="single_parent")
    p["worker"] = spell(worker, dt.date(2023, 1, 10), dt.date(2024, 3, 1), "work")
    circ(worker, dt.date(2023, 2, 1), education="middle", last_worked_year=2021, health="some", care_duties=True)
    ladder(worker, dt.date(2023, 3, 15), step=3)
    circ(worker, dt.date(2023, 9, 1), education="high", last_worked_year=2023, health="none")
    ladder(worker, dt.date(2023, 6, 1), step=5)
    p["worker_back"] = spell(worker, dt.date(2024, 5, 1))

    # Worked, and stayed off benefit for more than 12 months (the next spell starts after 15 months, with records
    # of its own: included and ongoing). Ladder step first, circumstances later (the landmark); the birthday is
    # the day after the landmark.
    stayer = make_client(birth_date=dt.date(1990, 4, 2), gender="m", household_kind="couple")
    p["stayer"] = spell(stayer, dt.date(2022, 11, 1), dt.date(2024, 1, 31), "work")
    ladder(stayer, dt.date(2022, 11, 20), step=4)
    circ(stayer, dt.date(2023, 4, 1), education="low", last_worked_year=2020)
    p["stayer_again"] = spell(stayer, dt.date(2025, 5, 1))
    circ(stayer, dt.date(2025, 5, 10), education="low", last_worked_year=None, dutch_level="1f")
    ladder(stayer, dt.date(2025, 5, 20), step=2)

    # Moved away: censored at the exit.
    mover = make_client(birth_date=dt.date(1970, 1, 1), gender="x")
    p["mover"] = spell(mover, dt.date(2023, 6, 1), dt.date(2024, 6, 1), "moved")
    circ(mover, dt.date(2023, 6, 1), education="none", last_worked_year=2023)
    ladder(mover, dt.date(2023, 6, 1), step=1)

    # Another exit that is not work (education): censored.
    student = make_client(birth_date=dt.date(2001, 8, 8))
    p["student"] = spell(student, dt.date(2024, 1, 1), dt.date(2024, 9, 1), "education")
    circ(student, dt.date(2024, 1, 5))
    ladder(student, dt.date(2024, 1, 6), step=3)

    # Still on benefit: censored on T.
    ongoing = make_client(birth_date=dt.date(1965, 12, 31))
    p["ongoing"] = spell(ongoing, dt.date(2024, 2, 1))
    circ(ongoing, dt.date(2024, 3, 1), health="severe")
    ladder(ongoing, dt.date(2024, 3, 1), step=2)

    # Left for work recently: not yet followed for 12 months after leaving.
    recent = make_client(birth_date=dt.date(1995, 6, 30))
    p["recent"] = spell(recent, dt.date(2024, 10, 1), dt.date(2025, 6, 1), "work")
    circ(recent, dt.date(2024, 10, 2))
    ladder(recent, dt.date(2024, 10, 3), step=5)

    # Found work the day after the landmark.
    quick = make_client(birth_date=dt.date(1988, 2, 1))
    p["quick"] = spell(quick, dt.date(2024, 4, 1), dt.date(2024, 4, 11), "work")
    circ(quick, dt.date(2024, 4, 10))
    ladder(quick, dt.date(2024, 4, 5), step=6)

    # The edges of "followed for 12 months" (left on T - 365 days: yes; on T - 364: no) and of "back within 12
    # months" (a new spell 365 days after leaving: yes; 366 days: no). The new spells have no records of their
    # own: left out.
    for name, left, back in (
        ("edge_followed", T - dt.timedelta(days=365), 365),
        ("edge_not_followed", T - dt.timedelta(days=364), None),
        ("edge_not_returned", dt.date(2024, 6, 1), 366),
    ):
        client = make_client()
        p[name] = spell(client, left - dt.timedelta(days=100), left, "work")
        circ(client, left - dt.timedelta(days=90))
        ladder(client, left - dt.timedelta(days=90), step=3)
        if back is not None:
            p[f"{name}_back"] = spell(client, left + dt.timedelta(days=back))

    # Left out: the only ladder step was measured on the exit day (it describes the exit).
    exit_day = make_client()
    p["ladder_on_exit_day"] = spell(exit_day, dt.date(2024, 1, 1), dt.date(2024, 8, 1), "work")
    circ(exit_day, dt.date(2024, 2, 1))
    ladder(exit_day, dt.date(2024, 8, 1), step=4)

    # Left out: a ladder step but never circumstances.
    no_circ = make_client()
    p["no_circumstances"] = spell(no_circ, dt.date(2024, 1, 1), dt.date(2024, 8, 1), "work")
    ladder(no_circ, dt.date(2024, 2, 1), step=4)

    # Left out: circumstances but no ladder step, still on benefit.
    no_ladder = make_client()
    p["no_ladder_step"] = spell(no_ladder, dt.date(2024, 1, 1))
    circ(no_ladder, dt.date(2024, 2, 1))

    # Left out: the circumstances were recorded on the exit day.
    circ_exit = make_client()
    p["circumstances_on_exit_day"] = spell(circ_exit, dt.date(2024, 1, 1), dt.date(2024, 8, 1), "work")
    ladder(circ_exit, dt.date(2024, 2, 1), step=4)
    circ(circ_exit, dt.date(2024, 8, 1))

    # Not part of the history read on T: the spell starts after T.
    later = make_client()
    p["after_T"] = spell(later, T + dt.timedelta(days=1))
    circ(later, T + dt.timedelta(days=1))
    ladder(later, T + dt.timedelta(days=1))
    return p


def test_outcome_landmark_and_duration_of_every_spell(history):
    spells, left_out = selectors.history_spells(T)
    rows = rows_by_period(spells)
    p = {name: period.pk for name, period in history.items()}
    included = {"worker", "stayer", "stayer_again", "mover", "student", "ongoing", "recent", "quick"}
    included |= {"edge_followed", "edge_not_followed", "edge_not_returned"}
    assert set(rows) == {p[n] for n in included}
    assert spells["id"].is_unique and spells["id"].is_monotonic_increasing

    expected = {  # name: (landmark, end of follow-up, event)
        "worker": (dt.date(2023, 3, 15), dt.date(2024, 3, 1), 1),
        "stayer": (dt.date(2023, 4, 1), dt.date(2024, 1, 31), 1),
        "stayer_again": (dt.date(2025, 5, 20), T, 0),
        "mover": (dt.date(2023, 6, 1), dt.date(2024, 6, 1), 0),
        "student": (dt.date(2024, 1, 6), dt.date(2024, 9, 1), 0),
        "ongoing": (dt.date(2024, 3, 1), T, 0),
        "recent": (dt.date(2024, 10, 3), dt.date(2025, 6, 1), 1),
        "quick": (dt.date(2024, 4, 10), dt.date(2024, 4, 11), 1),
    }
    for name, (landmark, end, event) in expected.items():
        row = rows[p[name]]
        assert row["landmark"] == (landmark - dt.date(1970, 1, 1)).days, name
        assert row["duration"] == pytest.approx(months(landmark, end)), name
        assert row["event"] == event, name
    # a few by hand, so that the month length itself is checked
    assert rows[p["worker"]]["duration"] == pytest.approx(352 / 30.4375)
    assert rows[p["quick"]]["duration"] == pytest.approx(1 / 30.4375)
    assert rows[p["ongoing"]]["duration"] == pytest.approx(670 / 30.4375)
    assert spells["event"].sum() == 7 and set(spells["event"].unique()) == {0, 1}


def test_the_factors_are_those_known_at_the_landmark(history):
    spells, _ = selectors.history_spells(T)
    rows = rows_by_period(spells)
    worker = rows[history["worker"].pk]
    # circumstances of 2023-02-01 and the ladder step of 2023-03-15; the later ones (step 5 on 2023-06-01,
    # education high on 2023-09-01) are not known at the landmark
    assert worker["ladder_step"] == 3
    assert worker["education"] == "middle" and worker["health"] == "some"
    assert worker["care_duties"] == 1
    assert worker["worked_last_2_years"] == 1  # last worked 2021, recorded in 2023
    assert worker["benefit_months"] == round(64 / 30.4375, 1) == 2.1  # 2023-01-10 to 2023-03-15
    assert worker["age"] == 40  # born 1983-03-15: the birthday is the landmark

    stayer = rows[history["stayer"].pk]
    assert stayer["ladder_step"] == 4 and stayer["education"] == "low"
    assert stayer["worked_last_2_years"] == 0  # last worked 2020, recorded in 2023
    assert stayer["care_duties"] == 0
    assert stayer["benefit_months"] == round(151 / 30.4375, 1) == 5.0  # 2022-11-01 to 2023-04-01
    assert stayer["age"] == 32  # born 1990-04-02, landmark 2023-04-01: one day before the 33rd birthday

    again = rows[history["stayer_again"].pk]
    assert again["worked_last_2_years"] == 0  # never worked (no year)
    assert again["dutch_level"] == "1f" and again["ladder_step"] == 2
    assert again["benefit_months"] == round(19 / 30.4375, 1) == 0.6
    assert again["age"] == 35

    mover = rows[history["mover"].pk]  # everything recorded on the first day of benefit
    assert mover["benefit_months"] == 0.0 and mover["ladder_step"] == 1 and mover["worked_last_2_years"] == 1
    assert mover["age"] == 53

    ongoing = rows[history["ongoing"].pk]
    assert ongoing["health"] == "severe" and ongoing["age"] == 58  # born 1965-12-31, landmark 2024-03-01

    quick = rows[history["quick"].pk]
    assert quick["ladder_step"] == 6 and quick["benefit_months"] == round(9 / 30.4375, 1)


def test_spells_without_circumstances_or_ladder_step_are_left_out_and_counted(history):
    spells, left_out = selectors.history_spells(T)
    ids = set(spells["id"])
    for name in (
        "worker_back",  # the new spell has no records of its own
        "edge_followed_back",
        "edge_not_returned_back",
        "ladder_on_exit_day",
        "no_circumstances",
        "no_ladder_step",
        "circumstances_on_exit_day",
        "after_T",
    ):
        assert history[name].pk not in ids, name
    assert left_out == {
        # worker_back, edge_followed_back, edge_not_returned_back, no_circumstances, circumstances_on_exit_day
        "no_factors": 5,
        # ladder_on_exit_day, no_ladder_step
        "no_ladder_step": 2,
        "total": len(history) - 1,  # every spell started on or before T
    }
    assert left_out["total"] == len(spells) + left_out["no_factors"] + left_out["no_ladder_step"]
    # never imputed: no missing factor in what is kept
    assert not spells[list(ALLOWED_FACTORS)].isna().any().any()


def test_back_on_benefit_within_12_months_after_leaving_for_work(history):
    spells, _ = selectors.history_spells(T)
    rows = rows_by_period(spells)
    flags = {
        name: (bool(rows[history[name].pk]["followed_12"]), bool(rows[history[name].pk]["returned_12"]))
        for name in (
            "worker",
            "stayer",
            "recent",
            "quick",
            "mover",
            "ongoing",
            "student",
            "edge_followed",
            "edge_not_followed",
            "edge_not_returned",
        )
    }
    assert flags == {
        "worker": (True, True),  # left 2024-03-01, back 2024-05-01
        "stayer": (True, False),  # left 2024-01-31, back only 2025-05-01 (after 15 months)
        "recent": (False, False),  # left 2025-06-01: not yet 12 months before T
        "quick": (True, False),  # left 2024-04-11, never back
        "mover": (False, False),  # not an exit to work
        "ongoing": (False, False),
        "student": (False, False),
        "edge_followed": (True, True),  # left exactly 365 days before T, back exactly 365 days after leaving
        "edge_not_followed": (False, False),  # left 364 days before T
        "edge_not_returned": (True, False),  # back 366 days after leaving
    }


def test_protected_attributes_are_only_there_to_measure_fairness(history):
    spells, _ = selectors.history_spells(T)
    rows = rows_by_period(spells)
    assert rows[history["worker"].pk]["gender"] == "f" and rows[history["worker"].pk]["household"] == "single_parent"
    assert rows[history["stayer"].pk]["gender"] == "m" and rows[history["stayer"].pk]["household"] == "couple"
    # besides gender and household (monitoring) nothing protected is in the extract
    assert (set(spells.columns) & PROTECTED) == {"gender"}
    assert not set(ALLOWED_FACTORS) & PROTECTED


def test_an_empty_history_is_empty_not_an_error(db):
    spells, left_out = selectors.history_spells(T)
    assert len(spells) == 0 and left_out["total"] == 0


AS_OF_BUG = """Regression (src/trede/intake/selectors.py, history_spells): the extract was not "as of `today`".
`until`, `end` and `event` use the recorded end date even when it lies after `today` (`np.where(p["e_day"] >= 0, ...)`,
`event = (e_day >= 0) & (exit_reason == "work")`), and the circumstances and ladder steps are merged without a
bound at `today`. So a spell still running on `today` counts as an exit to work with its later end date, and records
made after `today` (up to the day before the exit) set the landmark and the factors. This hits
`trede model train --today D` (training as the history was on D) and, with the default today, an end date entered
ahead (benefit_period_end accepts a future end_on: an exit to work planned for next month is already an event).
Suggested fix: right after reading the periods, treat an end after `today` as no end yet
(`p.loc[p["e_day"] > t, ["e_day", "exit_reason"]] = (-1, "")`); then `until` <= t for every spell, so records
after `today` can no longer set the landmark or the factors."""


def test_a_spell_running_on_the_day_of_reading_is_censored_then_even_if_it_ended_in_work_later(make_client):
    """Documents a bug: see AS_OF_BUG."""
    day = dt.date(2024, 6, 30)
    client = make_client()
    period = spell(client, dt.date(2024, 1, 1), dt.date(2024, 9, 1), "work")
    circ(client, dt.date(2024, 1, 10))
    ladder(client, dt.date(2024, 1, 10), step=2)
    ladder(client, dt.date(2024, 8, 1), step=5)  # after `day`
    row = rows_by_period(selectors.history_spells(day)[0])[period.pk]
    assert row["ladder_step"] == 2
    assert (row["event"], round(row["duration"], 3)) == (0, round(months(dt.date(2024, 1, 10), day), 3)), AS_OF_BUG


def test_a_ladder_step_measured_after_the_day_of_reading_is_not_known_on_it(make_client):
    day = dt.date(2024, 6, 30)
    client = make_client()
    period = spell(client, dt.date(2024, 1, 1), dt.date(2024, 9, 1), "work")
    circ(client, dt.date(2024, 1, 10))
    ladder(client, dt.date(2024, 8, 1), step=5)  # the only step, measured after `day`
    spells, left_out = selectors.history_spells(day)
    assert period.pk not in set(spells["id"]) and left_out["no_ladder_step"] == 1, AS_OF_BUG


def test_an_exit_to_work_entered_ahead_is_no_event_yet(make_client, today):
    client = make_client()
    period = spell(client, today - dt.timedelta(days=200), today + dt.timedelta(days=30), "work")
    circ(client, today - dt.timedelta(days=190))
    ladder(client, today - dt.timedelta(days=190), step=4)
    row = rows_by_period(selectors.history_spells(today)[0])[period.pk]
    assert (row["event"], round(row["duration"], 3)) == (0, round(190 / MONTH, 3)), AS_OF_BUG


# --------------------------------------------------------------------------------------------------
# current_profiles


@pytest.fixture
def caseload(make_client):
    """Clients on and off benefit on day D = 2025-06-30."""
    c = {}
    c["on"] = make_client(birth_date=dt.date(1980, 7, 1))
    spell(c["on"], dt.date(2024, 1, 1))
    circ(c["on"], dt.date(2024, 2, 1), education="low", last_worked_year=2023, health="severe")
    circ(c["on"], dt.date(2025, 6, 1), education="middle", last_worked_year=2023, care_duties=True, debts="some")
    circ(c["on"], dt.date(2025, 7, 15), education="high")  # after D: not known on D
    ladder(c["on"], dt.date(2024, 2, 1), step=1)
    ladder(c["on"], dt.date(2025, 6, 30), step=4)  # on D itself: known
    ladder(c["on"], dt.date(2025, 7, 1), step=6)  # after D

    c["off"] = make_client()  # ended before D
    spell(c["off"], dt.date(2024, 1, 1), dt.date(2025, 6, 29), "work")
    circ(c["off"], dt.date(2024, 2, 1))
    ladder(c["off"], dt.date(2024, 2, 1))

    c["ends_on_D"] = make_client(birth_date=dt.date(1990, 6, 30))  # the last day of benefit is D: on benefit
    spell(c["ends_on_D"], dt.date(2025, 1, 1), dt.date(2025, 6, 30), "moved")
    circ(c["ends_on_D"], dt.date(2025, 1, 1), last_worked_year=None)
    ladder(c["ends_on_D"], dt.date(2025, 1, 1), step=2)

    c["starts_after_D"] = make_client()
    spell(c["starts_after_D"], dt.date(2025, 7, 1))

    c["second_spell"] = make_client()  # an old spell and a current one: one row, the current spell
    spell(c["second_spell"], dt.date(2022, 1, 1), dt.date(2023, 1, 1), "work")
    spell(c["second_spell"], dt.date(2025, 3, 1))
    circ(c["second_spell"], dt.date(2022, 2, 1), education="none")
    ladder(c["second_spell"], dt.date(2022, 2, 1), step=3)

    c["unknown"] = make_client()  # on benefit without circumstances or ladder step: missing, not filled in
    spell(c["unknown"], dt.date(2025, 5, 1))

    c["never"] = make_client()  # never on benefit
    return c


D = dt.date(2025, 6, 30)


def test_current_profiles_one_row_per_client_on_benefit_with_the_newest_records(caseload):
    frame = selectors.current_profiles(D)
    assert list(frame.columns) == ["client_id", *ALLOWED_FACTORS]
    ids = {name: client.pk for name, client in caseload.items()}
    assert sorted(frame["client_id"]) == sorted(ids[n] for n in ("on", "ends_on_D", "second_spell", "unknown"))
    assert frame["client_id"].is_unique
    rows = {int(r["client_id"]): r for r in frame.to_dict("records")}

    on = rows[ids["on"]]
    assert on["education"] == "middle" and on["health"] == "none" and on["debts"] == "some"
    assert on["care_duties"] == 1 and on["worked_last_2_years"] == 1  # 2023 >= 2025 - 2
    assert on["ladder_step"] == 4
    assert on["age"] == 44  # born 1980-07-01: the 45th birthday is the day after D
    assert on["benefit_months"] == round(546 / 30.4375, 1) == 17.9

    ends = rows[ids["ends_on_D"]]
    assert ends["age"] == 35 and ends["worked_last_2_years"] == 0 and ends["ladder_step"] == 2

    second = rows[ids["second_spell"]]
    assert second["benefit_months"] == round(121 / 30.4375, 1)  # from 2025-03-01, not from the old spell
    assert second["education"] == "none" and second["ladder_step"] == 3

    unknown = rows[ids["unknown"]]
    for factor in ALLOWED_FACTORS:
        if factor in ("age", "benefit_months"):
            assert not pd.isna(unknown[factor])
        else:
            assert pd.isna(unknown[factor]), factor


def test_current_profiles_agree_with_the_answers_the_intake_starts_from(caseload):
    """Scoring a caseload and filling in one intake read the dossier the same way."""
    from trede.clients.models import Client

    frame = selectors.current_profiles(D)
    for row in frame.to_dict("records"):
        client = Client.objects.get(pk=row["client_id"])
        profile = selectors.profile_of(selectors.dossier_answers(client, D))
        for factor in ALLOWED_FACTORS:
            expected, got = profile[factor], row[factor]
            if expected is None:
                assert pd.isna(got), (client.pk, factor)
            elif isinstance(expected, str):
                assert got == expected, (client.pk, factor)
            else:
                assert math.isclose(float(got), float(expected)), (client.pk, factor, got, expected)


def test_current_profiles_on_another_day_moves_with_it(caseload):
    later = dt.date(2025, 7, 20)
    frame = selectors.current_profiles(later)
    ids = {name: client.pk for name, client in caseload.items()}
    assert sorted(frame["client_id"]) == sorted(ids[n] for n in ("on", "starts_after_D", "second_spell", "unknown"))
    on = frame.set_index("client_id").loc[ids["on"]]
    assert on["education"] == "high" and on["ladder_step"] == 6 and on["age"] == 45
    assert np.isnan(frame.set_index("client_id").loc[ids["starts_after_D"], "ladder_step"])
