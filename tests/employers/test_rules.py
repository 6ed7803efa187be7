"""Pure rules of employer services: vacancy completeness, the referral's steps, the trial placement's legal limits,
the wage subsidy (art. 10d) with its cap, a climbing job's missed training, and the follow-up moments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.employers import rules

COMPLETE = {
    "wage_min": Decimal("14.71"),
    "wage_scale": "",
    "hours_per_week": 32,
    "contract_type": "fixed",
    "contract_months": 12,
    "tasks": "Orderpicken en inpakken",
    "occupation": "9321",
    "education": "none",
    "physical_load": "medium",
    "location": "Industrieweg 4",
    "start_on": dt.date(2027, 1, 4),
    "contact": 7,
}


def test_a_complete_vacancy_misses_nothing():
    assert rules.vacancy_missing(COMPLETE) == []


@pytest.mark.parametrize("field", sorted(set(COMPLETE) - {"wage_min", "wage_scale"}))
def test_each_missing_field_is_named(field):
    missing = rules.vacancy_missing({**COMPLETE, field: None})
    assert (field if field != "contract_type" else "contract_type") in missing


def test_a_wage_is_an_hourly_wage_or_a_scale_and_a_permanent_contract_has_no_duration():
    assert rules.vacancy_missing({**COMPLETE, "wage_min": None}) == ["wage"]
    assert rules.vacancy_missing({**COMPLETE, "wage_min": None, "wage_scale": "Schoonmaak-cao schaal 1"}) == []
    assert rules.vacancy_missing({**COMPLETE, "contract_type": "permanent", "contract_months": None}) == []
    assert rules.vacancy_missing({**COMPLETE, "contract_months": None}) == ["contract_months"]


def test_the_referral_steps():
    assert rules.transition_problem(current="proposed", target="sent", reason="") is None
    assert rules.transition_problem(current="proposed", target="hired", reason="") is not None
    assert rules.transition_problem(current="interview", target="not_hired", reason="") is not None  # reason
    assert rules.transition_problem(current="interview", target="not_hired", reason="Te weinig ervaring") is None
    for final in ("hired", "not_hired", "withdrawn"):
        assert all(rules.transition_problem(current=final, target=t, reason="x") for t in rules.TRANSITIONS)


def test_a_trial_placement_lasts_two_months_and_is_extended_by_at_most_four():
    start = dt.date(2027, 1, 15)
    last, last_extended = rules.trial_limits(start, months=2, extension_months=4)
    assert last == dt.date(2027, 3, 14) and last_extended == dt.date(2027, 7, 14)
    ok = {"start_on": start, "intended_contract": "Contract van 6 maanden, 32 uur", "months": 2, "extension_months": 4}
    assert rules.trial_problems(end_on=last, extended_until=last_extended, **ok) == {}
    assert "end_on" in rules.trial_problems(end_on=last + dt.timedelta(days=1), extended_until=None, **ok)
    too_long = rules.trial_problems(end_on=last, extended_until=last_extended + dt.timedelta(days=1), **ok)
    assert "extended_until" in too_long
    no_contract = rules.trial_problems(end_on=last, extended_until=None, **{**ok, "intended_contract": " "})
    assert "intended_contract" in no_contract


def test_the_wage_subsidy_is_minimum_wage_plus_holiday_pay_minus_the_wage_value_within_the_cap():
    legal = {"minimum_wage_hourly": Decimal("14.71"), "holiday_pay_pct": 8, "cap_pct": 70, "flat_pct": 50}
    base = Decimal(36) * Decimal(52) / Decimal(12) * Decimal("14.71") * Decimal("1.08")  # 2,478.44 a month
    assert rules.wage_subsidy_monthly(hours_per_week=36, wage_value_pct=60, **legal) == (
        base * Decimal("0.40")
    ).quantize(Decimal("0.01"))
    # a wage value of 20% would give 80%: the cap is 70%
    assert rules.wage_subsidy_monthly(hours_per_week=36, wage_value_pct=20, **legal) == (
        base * Decimal("0.70")
    ).quantize(Decimal("0.01"))
    # not yet assessed: the flat 50%
    assert rules.wage_subsidy_monthly(hours_per_week=36, wage_value_pct=None, **legal) == (base / 2).quantize(
        Decimal("0.01")
    )
    assert rules.wage_subsidy_monthly(hours_per_week=36, wage_value_pct=100, **legal) == 0


@given(hours=st.integers(1, 40), wage_value=st.integers(0, 100))
def test_the_wage_subsidy_never_exceeds_the_cap_and_falls_as_the_wage_value_rises(hours, wage_value):
    legal = {"minimum_wage_hourly": Decimal("14.71"), "holiday_pay_pct": 8, "cap_pct": 70, "flat_pct": 50}
    base = Decimal(hours) * Decimal(52) / Decimal(12) * Decimal("14.71") * Decimal("1.08")
    amount = rules.wage_subsidy_monthly(hours_per_week=hours, wage_value_pct=wage_value, **legal)
    assert 0 <= amount <= (base * Decimal("0.70")).quantize(Decimal("0.01"))
    if wage_value < 100:
        assert rules.wage_subsidy_monthly(hours_per_week=hours, wage_value_pct=wage_value + 1, **legal) <= amount


def test_a_climbing_job_is_flagged_once_the_training_date_passed_without_a_start():
    due = dt.date(2027, 3, 1)
    assert not rules.training_missed(training_due_on=due, training_started_on=None, on=due)
    assert rules.training_missed(training_due_on=due, training_started_on=None, on=due + dt.timedelta(days=1))
    assert not rules.training_missed(training_due_on=due, training_started_on=due, on=dt.date(2027, 6, 1))


def test_follow_ups_after_an_exit():
    assert rules.follow_up_dates(dt.date(2027, 1, 31), [12, 1, 6]) == [
        (1, dt.date(2027, 2, 28)),
        (6, dt.date(2027, 7, 31)),
        (12, dt.date(2028, 1, 31)),
    ]
