"""The route decision's guards: the latest intake's advice counts when none is named, a decision cannot go back
before the route in force, and the reason of an advice is stored as facts and worded in the reader's language."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from trede.intake import selectors
from trede.intake.models import DecisionStatus
from trede.intake.services import assessment_record, route_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def young(make_client, caseworker, today):
    client = make_client(caseworker, birth_date=today.replace(year=today.year - 22))
    assessment = assessment_record(
        actor=caseworker, client=client, assessed_on=today, answers=selectors.dossier_answers(client, today)
    )
    assert assessment.advised_route == "youth"
    return client


def test_without_a_named_intake_the_latest_advice_still_brakes_less_help(young, caseworker, today):
    with pytest.raises(ValidationError) as no_reason:
        route_decide(actor=caseworker, client=young, route="participation", reason="", decided_on=today)
    assert "reason" in no_reason.value.message_dict
    decision = route_decide(actor=caseworker, client=young, route="participation", reason="x", decided_on=today)
    assert decision.status == DecisionStatus.AWAITING and decision.advised_route == "youth"
    assert decision.assessment is not None


def test_an_intake_after_the_decision_date_is_not_its_advice(young, caseworker, today):
    earlier = today - dt.timedelta(days=3)
    decision = route_decide(actor=caseworker, client=young, route="participation", reason="", decided_on=earlier)
    assert decision.status == DecisionStatus.IN_FORCE and decision.assessment is None


def test_a_decision_cannot_go_back_before_the_route_in_force(make_client, caseworker, today):
    client = make_client(caseworker)
    route_decide(actor=caseworker, client=client, route="work", reason="", decided_on=today)
    with pytest.raises(ValidationError) as backdated:
        route_decide(actor=caseworker, client=client, route="youth", reason="", decided_on=today - dt.timedelta(3))
    assert "decided_on" in backdated.value.message_dict
    assert selectors.route_in_force(client.pk).route == "work"


def test_the_reason_of_an_advice_is_worded_in_the_readers_language(young):
    assessment = selectors.latest_assessment(young.pk)
    assert assessment.advice_reason == "youth" and assessment.advice_facts == {"age": 27, "w": 4}
    with translation.override("nl"):
        assert "zoektermijn van 4 weken" in assessment.advice_text
    with translation.override("en"):
        assert "search period of 4 weeks" in assessment.advice_text
