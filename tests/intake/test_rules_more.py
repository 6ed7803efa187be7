"""More pure rules of the intake (no database): the vectorised route advice agrees with the single one, the
similar-profile key agrees with the prospects table, effects read in plain Dutch, answers need their dates,
and protected attributes can never become model inputs (not by fitting, not by a stored or imported file)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math

import numpy as np
import pandas as pd
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.core.rules import age_on
from trede.intake.models import ModelVersion
from trede.intake.rules import (
    ASKED,
    DERIVED,
    SIMILAR_BY,
    age_band,
    answers_problems,
    effect_text,
    factor_label,
    route_advice,
    route_advice_vector,
    similar_key,
)
from trede.intake.selectors import _age_at, prospects_for, prospects_summary
from trede.intake.services import FILE_FORMAT, model_file_problem, prospects_table
from trede.stats.fairness import MIN_GROUP
from trede.stats.time_to_work import ALLOWED_FACTORS, PROTECTED, ModelInputError, TimeToWorkModel

LEVELS = {f: s["levels"] for f, s in ALLOWED_FACTORS.items() if s["kind"] == "categorical"}


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


# --------------------------------------------------------------------------------------------------
# route_advice_vector == route_advice, element by element

medians = st.one_of(st.none(), st.floats(min_value=0, max_value=600, allow_nan=False), st.just(math.inf))
cases = st.lists(st.tuples(st.integers(14, 80), medians, st.booleans()), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    cases,
    st.one_of(st.integers(0, 60), st.floats(min_value=0, max_value=60, allow_nan=False)),
    st.integers(16, 30),
)
def test_the_vectorised_advice_is_the_single_advice_for_every_client(rows, threshold, youth_age):
    ages, meds, severe = (list(x) for x in zip(*rows, strict=True))
    vector = route_advice_vector(
        pd.Series(ages),
        np.array([np.nan if m is None else m for m in meds], dtype=float),
        pd.Series(severe),
        threshold_months=threshold,
        youth_age=youth_age,
    )
    assert len(vector) == len(rows)
    for (age, median, sev), got in zip(rows, vector, strict=True):
        one = route_advice(
            age=age, median_months=median, severe_health=sev, threshold_months=threshold, youth_age=youth_age
        )
        assert (one.route or "") == str(got), (age, median, sev, threshold, youth_age)
        assert got != "" or (one.route is None and median is None)


def test_the_vectorised_advice_reads_none_as_no_estimate():
    routes = route_advice_vector(
        [40, 40, 40, 20, 40],
        [None, 10.0, 30.0, None, None],
        [False, False, False, False, True],
        threshold_months=24,
        youth_age=27,
    )
    assert routes.tolist() == ["", "work", "participation", "youth", "exemption_review"]
    assert (
        route_advice(age=40, median_months=None, severe_health=False, threshold_months=24, youth_age=27).route is None
    )


@pytest.mark.parametrize(
    ("age", "median", "route"),
    [(26, 10.0, "youth"), (27, 10.0, "work"), (27, 24.0, "work"), (27, 24.000001, "participation")],
)
def test_the_edges_of_youth_and_threshold_are_the_same_in_both(age, median, route):
    single = route_advice(age=age, median_months=median, severe_health=False, threshold_months=24, youth_age=27)
    vector = route_advice_vector([age], [median], [False], threshold_months=24, youth_age=27)
    assert single.route == vector[0] == route


# --------------------------------------------------------------------------------------------------
# similar_key and the prospects table

profiles = st.fixed_dictionaries(
    {
        "age": st.integers(16, 70),
        "education": st.sampled_from(LEVELS["education"]),
        "worked_last_2_years": st.integers(0, 1),
        "health": st.sampled_from(LEVELS["health"]),
        "dutch_level": st.sampled_from(LEVELS["dutch_level"]),
        "ladder_step": st.integers(1, 6),
    }
)


@given(profiles, st.sets(st.sampled_from(["age", "education", "worked_last_2_years", "health"])))
def test_similar_key_is_none_exactly_when_a_part_is_missing(profile, missing):
    key = similar_key(profile | dict.fromkeys(missing))
    if missing:
        assert key is None
    else:
        assert key == "|".join(
            [age_band(profile["age"]), profile["education"], str(profile["worked_last_2_years"]), profile["health"]]
        )
    absent = {k: v for k, v in profile.items() if k not in missing}
    assert similar_key(absent) == key  # a part that is not there at all is missing too


@given(profiles, profiles)
def test_similar_key_only_looks_at_its_parts(a, b):
    mixed = a | {f: b[f] for f in b if f not in ("age", *SIMILAR_BY[1:])}
    assert similar_key(mixed) == similar_key(a)


@pytest.mark.parametrize("worked", [1, True, np.int64(1), 1.0, np.float64(1.0)])
def test_similar_key_reads_worked_as_0_or_1_whatever_its_type(worked):
    assert similar_key({"age": 49, "education": "low", "worked_last_2_years": worked, "health": "some"}) == (
        "27-49|low|1|some"
    )
    assert similar_key({"age": 50, "education": "low", "worked_last_2_years": 0, "health": "some"}) == (
        "50+|low|0|some"
    )
    assert similar_key({"age": 26.9, "education": "high", "worked_last_2_years": False, "health": "none"}) == (
        "<27|high|0|none"
    )


def spells_like(profiles_: list[dict], per_profile: int) -> pd.DataFrame:
    """per_profile spells for each profile; every spell followed for 12 months (duration 12 or more)."""
    rows = []
    for p in profiles_:
        for j in range(per_profile):
            worked = j % 3 == 0
            rows.append(
                p
                | {
                    "id": len(rows) + 1,
                    "duration": 5.0 if worked else 12.0 + j,
                    "event": int(worked),
                    "followed_12": worked,
                    "returned_12": worked and j % 2 == 0,
                }
            )
    return pd.DataFrame(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles, min_size=1, max_size=6))
def test_the_prospects_table_uses_the_keys_of_similar_key(many):
    frame = spells_like(many, MIN_GROUP)
    table = prospects_table(frame)
    assert table["by"] == list(SIMILAR_BY) and table["min_group"] == MIN_GROUP
    keys = [similar_key(p) for p in many]
    assert set(table["groups"]) == set(keys)
    for key in set(keys):
        n = keys.count(key) * MIN_GROUP
        worked = keys.count(key) * sum(1 for j in range(MIN_GROUP) if j % 3 == 0)
        returned = keys.count(key) * sum(1 for j in range(MIN_GROUP) if j % 3 == 0 and j % 2 == 0)
        assert table["groups"][key] == {
            "spells": n,
            "known": n,
            "worked": worked,
            "followed": worked,
            "stayed_off": worked - returned,
        }


def test_the_prospects_table_leaves_out_groups_with_too_few_known_outcomes():
    big = {"age": 40, "education": "low", "worked_last_2_years": 1, "health": "none"}
    small = {"age": 60, "education": "high", "worked_last_2_years": 0, "health": "severe"}
    frame = spells_like([big], MIN_GROUP)
    unknown = spells_like([small], MIN_GROUP + 5).assign(duration=3.0, event=0)  # censored early: not known
    known = spells_like([small], MIN_GROUP - 1)
    table = prospects_table(pd.concat([frame, unknown, known], ignore_index=True).assign(id=lambda f: f.index + 1))
    assert set(table["groups"]) == {similar_key(big)}


def test_prospects_for_a_profile_and_in_words():
    key = "27-49|low|1|none"
    version = ModelVersion(
        prospects={"groups": {key: {"spells": 60, "known": 40, "worked": 10, "followed": 8, "stayed_off": 6}}}
    )
    profile = {"age": 30, "education": "low", "worked_last_2_years": 1, "health": "none"}
    assert prospects_for(None, profile) is None
    assert prospects_for(version, profile | {"health": None}) is None
    assert prospects_for(version, profile) == {
        "key": key,
        "spells": 60,
        "known": 40,
        "worked": 10,
        "followed": 8,
        "stayed_off": 6,
    }
    other = prospects_for(version, profile | {"age": 55})
    assert other == {"key": "50+|low|1|none", "spells": 0, "known": 0, "worked": 0, "followed": 0, "stayed_off": 0}

    answers = {f: {"value": v, "on": dt.date(2025, 1, 1)} for f, v in profile.items()}
    words = prospects_summary(version, answers)
    assert words["enough"] and words["worked_pct"] == 25  # 10 of 40
    assert not words["enough_followed"] and words["stayed_pct"] is None  # 8 followed: fewer than MIN_GROUP
    assert prospects_summary(version, answers | {"age": {"value": 55, "on": None}})["worked_pct"] is None
    assert prospects_summary(version, answers | {"education": {"value": None, "on": None}}) is None
    assert prospects_summary(None, answers) is None


# --------------------------------------------------------------------------------------------------
# effect_text


@pytest.mark.parametrize(
    ("factor", "months", "text"),
    [
        ("worked_last_2_years", -5.0, "Werkervaring in de laatste 2 jaar: -5 maanden"),
        ("health", 5.0, "Gezondheid: +5 maanden"),
        ("health", 4.6, "Gezondheid: +5 maanden"),
        ("ladder_step", -4.51, "Trede op de participatieladder: -5 maanden"),
        ("age", 0.0, "Leeftijd: geen verschil"),
        ("age", 0.49, "Leeftijd: geen verschil"),
        ("age", -0.49, "Leeftijd: geen verschil"),
        ("debts", float("nan"), "Schulden: onbekend, telt niet mee"),
        ("something_else", 2.0, "something_else: +2 maanden"),
    ],
)
def test_effect_text(factor, months, text):
    assert effect_text(factor, months) == text


@given(st.sampled_from(list(ALLOWED_FACTORS)), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_effect_text_is_the_rounded_signed_number_of_months(factor, months):
    text = effect_text(factor, months)
    label = factor_label(factor)
    assert text.startswith(f"{label}: ")
    rest = text[len(label) + 2 :]
    if round(months) == 0:
        assert rest == "geen verschil"
    else:
        assert rest == f"{round(months):+d} maanden"
        assert rest[0] == ("+" if months > 0 else "-")


# --------------------------------------------------------------------------------------------------
# answers_problems

INTAKE = dt.date(2025, 3, 10)
DATE_NEEDED = "Vul de datum van dit antwoord in."
AFTER_INTAKE = "De datum van dit antwoord ligt na de intake."


def test_a_known_answer_needs_a_date_not_after_the_intake():
    answers = {
        "education": {"value": "low", "on": INTAKE},  # on the day itself: fine
        "health": {"value": "some", "on": None},
        "debts": {"value": "none", "on": INTAKE + dt.timedelta(days=1)},
        "care_duties": {"value": 0, "on": None},  # "no" is an answer too
        "worked_last_2_years": {"value": False},
        "social": {"value": None, "on": None},  # missing stays missing: no date needed
        "dutch_level": {"value": None, "on": INTAKE + dt.timedelta(days=9)},
        "ladder_step": {"value": 3, "on": INTAKE - dt.timedelta(days=400)},
        "age": {"value": 40, "on": INTAKE},
        "nationality": {"value": "NL", "on": INTAKE},
    }
    assert answers_problems(answers, assessed_on=INTAKE) == {
        "health": [DATE_NEEDED],
        "debts": [AFTER_INTAKE],
        "care_duties": [DATE_NEEDED],
        "worked_last_2_years": [DATE_NEEDED],
        "nationality": ["onbekende vraag"],
    }
    assert answers_problems({}, assessed_on=INTAKE) == {}


answer_values = st.one_of(st.none(), st.sampled_from(["low", "2f", 0, 1, 3, False, True, 12.5, ""]))
answer_days = st.one_of(st.none(), st.integers(-800, 800).map(lambda d: INTAKE + dt.timedelta(days=d)))


@given(
    st.dictionaries(
        st.sampled_from([*ASKED, *DERIVED, "gender", "postcode"]),
        st.fixed_dictionaries({"value": answer_values, "on": answer_days}),
    )
)
def test_answers_problems_property(answers):
    problems = answers_problems(answers, assessed_on=INTAKE)
    for factor, answer in answers.items():
        if factor not in ASKED and factor not in DERIVED:
            assert problems[factor] == ["onbekende vraag"]
        elif answer["value"] is None:
            assert factor not in problems
        elif answer["on"] is None:
            assert problems[factor] == [DATE_NEEDED]
        elif answer["on"] > INTAKE:
            assert problems[factor] == [AFTER_INTAKE]
        else:
            assert factor not in problems
    assert set(problems) <= set(answers)


# --------------------------------------------------------------------------------------------------
# Age at a day, as the extract computes it for whole columns, is the age the intake uses


@given(
    st.lists(st.dates(dt.date(1940, 1, 1), dt.date(2010, 12, 31)), min_size=1, max_size=30),
    st.lists(st.dates(dt.date(2011, 1, 1), dt.date(2040, 12, 31)), min_size=1, max_size=30),
)
def test_age_in_the_extract_is_age_on(births, days):
    n = min(len(births), len(days))
    births, days = births[:n], days[:n]
    birth = pd.Series(pd.to_datetime(births))
    day_numbers = np.array([(d - dt.date(1970, 1, 1)).days for d in days])
    assert _age_at(birth, day_numbers).tolist() == [age_on(b, d) for b, d in zip(births, days, strict=True)]


def test_age_of_someone_born_on_29_february():
    births = [dt.date(2000, 2, 29)] * 3
    days = [dt.date(2023, 2, 28), dt.date(2023, 3, 1), dt.date(2024, 2, 29)]
    numbers = np.array([(d - dt.date(1970, 1, 1)).days for d in days])
    assert _age_at(pd.Series(pd.to_datetime(births)), numbers).tolist() == [22, 23, 24]


# --------------------------------------------------------------------------------------------------
# Protected attributes are never model inputs


@functools.cache
def small_model_dict() -> dict:
    rng = np.random.default_rng(1)
    n = 300
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 66, n),
            "worked_last_2_years": rng.integers(0, 2, n),
            "health": rng.choice(LEVELS["health"], n),
        }
    )
    t = np.exp(2.5 - 0.5 * frame["worked_last_2_years"] + 0.01 * frame["age"]) * rng.weibull(1.2, n)
    frame["duration"], frame["event"] = np.minimum(t, 36), (t <= 36).astype(int)
    model = TimeToWorkModel.fit(frame, duration="duration", event="event", factors=["age", "worked_last_2_years"])
    return json.loads(json.dumps(model.to_dict()))


def frame_with(column: str, n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 66, n),
            "worked_last_2_years": rng.integers(0, 2, n),
            column: rng.choice(["a", "b"], n),
            "duration": rng.uniform(1, 30, n),
            "event": rng.integers(0, 2, n),
        }
    )


@pytest.mark.parametrize("protected", sorted(PROTECTED))
def test_fit_refuses_every_protected_attribute(protected):
    with pytest.raises(ModelInputError, match=f"protected.*{protected}"):
        TimeToWorkModel.fit(
            frame_with(protected), duration="duration", event="event", factors=["age", protected, "worked_last_2_years"]
        )


@pytest.mark.parametrize("protected", sorted(PROTECTED))
def test_a_stored_model_with_a_protected_input_is_refused(protected):
    data = small_model_dict()
    sneaked = data | {"factors": [*data["factors"], protected], "columns": [*data["columns"], protected]}
    with pytest.raises(ModelInputError, match=f"protected.*{protected}"):
        TimeToWorkModel.from_dict(sneaked)
    content, problem = model_file_problem(json.dumps({"format": FILE_FORMAT, "parameters": sneaked}).encode())
    assert content is None and protected in problem


@pytest.mark.parametrize("column", ["gender=f", "district=CEN", "postcode"])
def test_a_protected_design_column_under_allowed_factors_is_refused(column):
    data = small_model_dict()
    with pytest.raises(ModelInputError):
        TimeToWorkModel.from_dict(data | {"columns": [*data["columns"], column]})


@pytest.mark.parametrize("name", ["household", "first_name", "Gender", "bsn", "municipality_district"])
def test_anything_that_is_not_an_intake_factor_is_refused_too(name):
    with pytest.raises(ModelInputError):
        TimeToWorkModel.fit(frame_with(name), duration="duration", event="event", factors=["age", name])
    data = small_model_dict()
    with pytest.raises(ModelInputError):
        TimeToWorkModel.from_dict(data | {"factors": [*data["factors"], name]})


def test_no_allowed_factor_is_protected():
    assert not set(ALLOWED_FACTORS) & PROTECTED
    assert {"gender", "nationality", "country_of_birth", "migration_background", "postcode", "district"} <= PROTECTED
    assert set(ASKED) | set(DERIVED) == set(ALLOWED_FACTORS)
