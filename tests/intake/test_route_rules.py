import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.intake.rules import ROUTE_ORDER, decision_requirements, less_help, route_advice

KW = {"threshold_months": 24, "youth_age": 27}


def test_under_27_always_gets_the_youth_route():
    assert route_advice(age=22, median_months=60, severe_health=True, **KW).route == "youth"


@pytest.mark.parametrize(
    ("months", "route"), [(6, "work"), (24, "work"), (24.4, "participation"), (80, "participation")]
)
def test_the_threshold_splits_the_routes(months, route):
    assert route_advice(age=40, median_months=months, severe_health=False, **KW).route == route


def test_no_estimate_no_advice_and_severe_health_first_reviews_an_exemption():
    assert route_advice(age=40, median_months=None, severe_health=False, **KW).route is None
    assert route_advice(age=40, median_months=5, severe_health=True, **KW).route == "exemption_review"


def test_a_dated_threshold_changes_the_advice():
    assert route_advice(age=40, median_months=30, severe_health=False, threshold_months=36, youth_age=27).route == (
        "work"
    )


@given(st.sampled_from(ROUTE_ORDER), st.sampled_from(ROUTE_ORDER))
def test_less_help_is_a_strict_order(a, b):
    assert not (less_help(a, b) and less_help(b, a))
    assert less_help(a, b) == (ROUTE_ORDER.index(a) > ROUTE_ORDER.index(b))
    assert not less_help(a, a)


def test_departing_from_the_advice_needs_a_reason():
    assert decision_requirements(chosen="participation", advised="work", reason="  ") == {
        "reason": ["Schrijf op waarom u afwijkt van het advies."]
    }
    assert decision_requirements(chosen="participation", advised="work", reason="Wil eerst schulden regelen") == {}
    assert decision_requirements(chosen="work", advised="work", reason="") == {}
    assert "route" in decision_requirements(chosen="parked", advised="work", reason="x")
