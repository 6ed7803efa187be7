"""The intake's services on a real database: the assessment keeps the answers as given (a missing answer stays
missing) and the estimate exactly as shown, the advice follows the rule set valid on the day, a route with less
help than advised waits for a second person, and model versions are trained, imported and activated with their
checks.

The helpers at the top (a small fitted model, a model file, a client with a dossier, a short history of benefit
spells written through the services) are shared with the other intake tests (test_views, tests/web, tests/core).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trede.clients.models import Client
from trede.clients.selectors import client_timeline
from trede.clients.services import (
    benefit_period_end,
    benefit_period_start,
    circumstances_record,
    client_register,
    ladder_measure,
)
from trede.core.rules import add_months, bsn_with_check_digit
from trede.core.services import ruleset_publish
from trede.intake import selectors
from trede.intake.models import Assessment, DecisionStatus, ModelStatus, ModelVersion, RouteDecision
from trede.intake.services import (
    FILE_FORMAT,
    MIN_EVENTS,
    assessment_record,
    model_activate,
    model_export,
    model_import,
    model_train,
    route_confirm,
    route_decide,
    route_decline,
)
from trede.obligations.models import Obligation
from trede.obligations.selectors import is_exempt, open_obligation_kinds
from trede.obligations.services import exemption_grant
from trede.stats.fairness import MIN_GROUP
from trede.stats.time_to_work import ALLOWED_FACTORS, TimeToWorkModel

pytestmark = pytest.mark.django_db

# --------------------------------------------------------------------------------------------------
# Shared helpers


@functools.cache
def fitted_parameters() -> dict:
    """A time-to-work model fitted on a synthetic frame in which recent work experience shortens the way to work
    and severe health limitations lengthen it (pure: no database; fitted once per test run)."""
    rng = np.random.default_rng(2026)
    n = 500
    levels = {f: s["levels"] for f, s in ALLOWED_FACTORS.items() if s["kind"] == "categorical"}
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 66, n),
            "education": rng.choice(levels["education"], n),
            "work_experience_years": rng.integers(0, 30, n),
            "worked_last_2_years": rng.integers(0, 2, n),
            "dutch_level": rng.choice(levels["dutch_level"], n),
            "health": rng.choice(levels["health"], n, p=[0.6, 0.3, 0.1]),
            "care_duties": rng.integers(0, 2, n),
            "debts": rng.choice(levels["debts"], n),
            "social": rng.choice(levels["social"], n),
            "benefit_months": rng.uniform(0, 48, n).round(1),
            "ladder_step": rng.integers(1, 7, n),
        }
    )
    log_scale = (
        3.2
        - 0.9 * frame["worked_last_2_years"]
        + 0.7 * (frame["health"] == "severe")
        + 0.3 * (frame["health"] == "some")
        - 0.15 * (frame["ladder_step"] - 3)
        + 0.01 * (frame["age"] - 40)
    )
    time_to_work = np.exp(log_scale) * rng.weibull(1.3, n)
    censored_at = rng.uniform(6, 72, n)
    frame["duration"] = np.minimum(time_to_work, censored_at)
    frame["event"] = (time_to_work <= censored_at).astype(int)
    model = TimeToWorkModel.fit(frame, duration="duration", event="event", factors=list(ALLOWED_FACTORS))
    return json.loads(json.dumps(model.to_dict()))


def model_file(parameters: dict | None = None, **extra) -> bytes:
    """A model file as model_export writes it (and model_import reads it)."""
    params = parameters if parameters is not None else fitted_parameters()
    return json.dumps({"format": FILE_FORMAT, "number": 1, "parameters": params, **extra}).encode()


def stored_model(admin, *, active: bool = True, **extra) -> ModelVersion:
    """A model version stored through model_import (and put into use by `admin` when active)."""
    version = model_import(actor=admin, content=model_file(**extra), name="model.json")
    if active:
        version = model_activate(actor=admin, version=version)
    return version


def with_dossier(
    make_client,
    caseworker,
    today: dt.date,
    *,
    birth_date: dt.date = dt.date(1980, 5, 17),
    recorded_days: int = 100,
    ladder_step: int = 3,
    **facts,
) -> Client:
    """A client in `caseworker`'s caseload on benefit for 200 days, with circumstances and a ladder step."""
    client = make_client(caseworker, birth_date=birth_date)
    benefit_period_start(actor=caseworker, client=client, start_on=today - dt.timedelta(days=200))
    recorded = today - dt.timedelta(days=recorded_days)
    circumstances = {
        "education": "middle",
        "work_experience_years": 6,
        "last_worked_year": recorded.year - 1,
        "dutch_level": "2f",
        "health": "none",
        "care_duties": False,
        "debts": "none",
        "social": "good",
    } | facts
    circumstances_record(actor=caseworker, client=client, recorded_on=recorded, **circumstances)
    ladder_measure(actor=caseworker, client=client, step=ladder_step, measured_on=recorded + dt.timedelta(days=5))
    return client


_history_bsn = itertools.count(70_000_000)


def _bsn() -> str:
    while not (bsn := bsn_with_check_digit(next(_history_bsn))):
        pass
    return bsn


def history(*, actor, district, today: dt.date, n: int) -> int:
    """n past clients with one benefit spell each (circumstances and a ladder step recorded early in the spell),
    written through the services; three in four left for work, the others moved away or are still on benefit.
    Returns the number of exits to work."""
    levels = {f: s["levels"] for f, s in ALLOWED_FACTORS.items() if s["kind"] == "categorical"}
    rng = np.random.default_rng(7)
    to_work = 0
    for i in range(n):
        client = client_register(
            actor=actor,
            bsn=_bsn(),
            district=district,
            first_name=f"H{i}",
            surname="Historie",
            birth_date=dt.date(1962 + (i * 7) % 40, 1 + i % 12, 1 + i % 27),
            gender="fmx"[i % 3],
        )
        start = today - dt.timedelta(days=900 + 7 * i)
        benefit_period_start(actor=actor, client=client, start_on=start)
        on = start + dt.timedelta(days=int(rng.integers(5, 200)))  # time on benefit at the intake varies
        circumstances_record(
            actor=actor,
            client=client,
            recorded_on=on,
            # drawn at random: answers that follow i in step would be collinear and leave no honest band
            education=str(rng.choice(levels["education"])),
            work_experience_years=int(rng.integers(0, 25)),
            last_worked_year=on.year - int(rng.integers(0, 5)),
            dutch_level=str(rng.choice(levels["dutch_level"])),
            health=str(rng.choice(levels["health"])),
            care_duties=bool(rng.integers(0, 2)),
            debts=str(rng.choice(levels["debts"])),
            social=str(rng.choice(levels["social"])),
        )
        ladder_measure(actor=actor, client=client, step=int(rng.integers(1, 6)), measured_on=on)
        if i % 8 == 7:
            continue  # still on benefit: censored
        end = on + dt.timedelta(days=int(30 + rng.weibull(1.2) * 300))
        reason = "moved" if i % 8 == 6 else "work"
        benefit_period_end(actor=actor, period=client.benefit_periods.get(), end_on=min(end, today), exit_reason=reason)
        to_work += reason == "work"
    return to_work


def awaiting_decision(
    actor, client: Client, today: dt.date, *, reason: str = "Eerst de schulden regelen"
) -> RouteDecision:
    """A decision that waits for a team lead: 'work' is in force, then a route with less help is chosen."""
    route_decide(actor=actor, client=client, route="work", reason="", decided_on=today - dt.timedelta(days=1))
    return route_decide(actor=actor, client=client, route="participation", reason=reason, decided_on=today)


def publish_local(today_or_date: dt.date, **parameters):
    return ruleset_publish(
        actor=None,
        scope="local",
        name="Lokaal beleid (test)",
        version="test",
        valid_from=today_or_date,
        source="Verordening (test)",
        parameters=parameters,
    )


# --------------------------------------------------------------------------------------------------
# (1) The intake's answers come from the dossier, each with its date; a missing answer stays missing


def test_the_dossier_answers_are_the_newest_on_or_before_the_day_each_with_its_date(make_client, caseworker, today):
    client = with_dossier(make_client, caseworker, today, recorded_days=100, education="low", ladder_step=2)
    later = today - dt.timedelta(days=20)
    circumstances_record(
        actor=caseworker,
        client=client,
        recorded_on=later,
        education="high",
        work_experience_years=9,
        last_worked_year=None,
        dutch_level="3f",
        health="some",
        care_duties=True,
        debts="problematic",
        social="isolated",
    )
    ladder_measure(actor=caseworker, client=client, step=5, measured_on=later)

    before = selectors.dossier_answers(client, today - dt.timedelta(days=50))
    now = selectors.dossier_answers(client, today)
    first_day = today - dt.timedelta(days=100)
    assert before["education"] == {"value": "low", "on": first_day, "source": "dossier"}
    assert before["ladder_step"] == {"value": 2, "on": first_day + dt.timedelta(days=5), "source": "dossier"}
    assert before["worked_last_2_years"]["value"] == 1
    assert now["education"] == {"value": "high", "on": later, "source": "dossier"}
    assert now["ladder_step"] == {"value": 5, "on": later, "source": "dossier"}
    assert (now["worked_last_2_years"]["value"], now["care_duties"]["value"]) == (0, 1)
    assert (now["debts"]["value"], now["social"]["value"], now["health"]["value"]) == (
        "problematic",
        "isolated",
        "some",
    )
    # derived from the dossier: age on the day, months on benefit since the start of the spell
    assert now["age"]["value"] == today.year - 1980 - ((today.month, today.day) < (5, 17))
    assert now["benefit_months"] == {
        "value": round(200 / 30.4375, 1),
        "on": today - dt.timedelta(days=200),
        "source": "dossier",
    }


def test_a_dossier_without_circumstances_leaves_every_answer_missing(make_client, caseworker, today):
    client = make_client(caseworker)
    answers = selectors.dossier_answers(client, today)
    asked = set(ALLOWED_FACTORS) - {"age"}
    assert {f for f in asked if answers[f]["value"] is None} == asked
    assert all(answers[f] == {"value": None, "on": None, "source": ""} for f in asked)


def test_an_unknown_answer_stays_missing_and_there_is_no_estimate(make_client, caseworker, administrator, today):
    stored_model(administrator)
    client = with_dossier(make_client, caseworker, today)
    answers = selectors.dossier_answers(client, today)
    answers["dutch_level"] = {"value": None, "on": None, "source": "intake"}  # the caseworker chose "Onbekend"
    assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers=answers)
    assessment.refresh_from_db()
    # the dossier knows the level, but the answer given was "unknown": it is not filled in
    assert assessment.answers["dutch_level"] == {"value": None, "on": None, "source": "intake"}
    assert assessment.answers["education"]["value"] == "middle"
    assert assessment.answers["education"]["on"] == (today - dt.timedelta(days=100)).isoformat()
    assert assessment.estimate is None and assessment.model_version is None
    assert assessment.advised_route == ""


def test_a_known_answer_needs_its_date_and_the_date_cannot_lie_after_the_intake(make_client, caseworker, today):
    client = with_dossier(make_client, caseworker, today)
    answers = selectors.dossier_answers(client, today)
    with pytest.raises(ValidationError) as undated:
        assessment_record(
            actor=caseworker, client=client, assessed_on=today, answers=answers | {"health": {"value": "some"}}
        )
    assert "health" in undated.value.message_dict
    late = {"value": 4, "on": today, "source": "intake"}
    with pytest.raises(ValidationError) as after:
        assessment_record(
            actor=caseworker,
            client=client,
            assessed_on=today - dt.timedelta(days=1),
            answers=selectors.dossier_answers(client, today - dt.timedelta(days=1)) | {"ladder_step": late},
        )
    assert "ladder_step" in after.value.message_dict
    with pytest.raises(ValidationError):
        assessment_record(actor=caseworker, client=client, assessed_on=today + dt.timedelta(days=1), answers={})
    assert not Assessment.objects.exists()


def test_age_and_time_on_benefit_always_come_from_the_dossier(make_client, caseworker, today):
    client = with_dossier(make_client, caseworker, today)
    answers = selectors.dossier_answers(client, today) | {
        "age": {"value": 19, "on": today, "source": "intake"},
        "benefit_months": {"value": 0.0, "on": today, "source": "intake"},
    }
    assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers=answers)
    derived = selectors.dossier_answers(client, today)
    assert assessment.answers["age"]["value"] == derived["age"]["value"] != 19
    assert assessment.answers["benefit_months"]["value"] == derived["benefit_months"]["value"] > 0
    assert assessment.advised_route != "youth"


# --------------------------------------------------------------------------------------------------
# (2) With an active model: the estimate and its explanation, kept exactly as shown


def test_with_an_active_model_the_estimate_and_explanation_are_kept(make_client, caseworker, administrator, today):
    version = stored_model(administrator)
    client = with_dossier(make_client, caseworker, today)
    answers = selectors.dossier_answers(client, today)
    assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers=answers)
    assessment.refresh_from_db()

    model = TimeToWorkModel.from_dict(version.parameters)
    profile = selectors.profile_of(answers)
    expected = model.estimate(profile)
    est = assessment.estimate
    assert assessment.model_version == version
    assert est["median"] == pytest.approx(expected.median_months)
    lo, hi = est["median_band"]
    assert lo < est["median"] < hi
    assert set(est["p_work"]) == set(est["p_band"]) == {"6", "12", "24"}
    p = [est["p_work"][h] for h in ("6", "12", "24")]
    assert 0 < p[0] < p[1] < p[2] < 1
    for h in ("6", "12", "24"):
        assert est["p_work"][h] == pytest.approx(expected.p_work[int(h)])
        low, high = est["p_band"][h]
        assert low <= est["p_work"][h] <= high
    effects = {e["factor"]: e for e in est["effects"]}
    assert set(effects) == set(ALLOWED_FACTORS)
    for e in model.explain(profile):
        assert effects[e.factor]["months"] == pytest.approx(e.months)
    # recent work experience shortens the way to work in the data the model learnt from
    assert effects["worked_last_2_years"]["value"] == 1 and effects["worked_last_2_years"]["reference"] == 0
    assert effects["worked_last_2_years"]["months"] < -1
    assert assessment.advised_route == ("work" if est["median"] <= 24 else "participation")
    assert f"{est['median']:.0f} maanden" in assessment.advice_text

    # a new model in use later does not change what was shown then
    shown = json.loads(json.dumps(est))
    other = fitted_parameters() | {"coef": [c + 0.3 for c in fitted_parameters()["coef"]]}
    model_activate(actor=administrator, version=model_import(actor=administrator, content=model_file(other), name="b"))
    assessment.refresh_from_db()
    assert assessment.estimate == shown and assessment.model_version == version


def test_an_active_model_with_a_severe_health_limitation_first_reviews_an_exemption(
    make_client, caseworker, administrator, today
):
    stored_model(administrator)
    client = with_dossier(make_client, caseworker, today, health="severe")
    assessment = assessment_record(
        actor=caseworker, client=client, assessed_on=today, answers=selectors.dossier_answers(client, today)
    )
    assert assessment.estimate is not None
    assert assessment.advised_route == "exemption_review"


# --------------------------------------------------------------------------------------------------
# (3)/(4) Without a model the intake still works; the advice rules and the dated threshold


def test_without_an_active_model_there_is_no_estimate_and_no_advice(make_client, caseworker, administrator, today):
    stored_model(administrator, active=False)  # stored, but nobody put it into use
    client = with_dossier(make_client, caseworker, today)
    assessment = assessment_record(
        actor=caseworker, client=client, assessed_on=today, answers=selectors.dossier_answers(client, today)
    )
    assert assessment.estimate is None and assessment.model_version is None
    assert assessment.advised_route == ""
    assert "zonder advies" in assessment.advice_text


@pytest.mark.parametrize("with_model", [False, True])
def test_under_27_is_advised_the_youth_route_and_severe_health_an_exemption_review(
    make_client, caseworker, administrator, today, with_model
):
    if with_model:
        stored_model(administrator)
    young = with_dossier(
        make_client, caseworker, today, birth_date=today.replace(year=today.year - 22), health="severe"
    )
    ill = with_dossier(make_client, caseworker, today, health="severe")
    for client, route in ((young, "youth"), (ill, "exemption_review")):
        answers = selectors.dossier_answers(client, today)
        assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers=answers)
        assert assessment.advised_route == route
        assert (assessment.estimate is not None) == with_model


def test_the_threshold_is_the_one_of_the_rule_set_valid_on_the_day(make_client, caseworker, administrator, today):
    stored_model(administrator)
    client = with_dossier(make_client, caseworker, today, recorded_days=150)
    early_day, late_day = today - dt.timedelta(days=60), today

    def advise(day):
        answers = selectors.dossier_answers(client, day)
        return assessment_record(actor=caseworker, client=client, assessed_on=day, answers=answers)

    early, late = advise(early_day), advise(late_day)
    median = late.estimate["median"]
    assert late.advised_route == ("work" if median <= 24 else "participation")
    # a new local rule set from 30 days ago with a threshold on the other side of this client's estimate
    threshold = math.floor(median) - 1 if median <= 24 else math.ceil(median) + 1
    assert threshold > 0
    publish_local(today - dt.timedelta(days=30), route_threshold_months=threshold)

    early_again, late_again = advise(early_day), advise(late_day)
    assert early_again.estimate["median"] == pytest.approx(early.estimate["median"])
    assert early_again.advised_route == early.advised_route  # the older rules still apply on the earlier day
    assert late_again.estimate["median"] == pytest.approx(median)
    assert late_again.advised_route == ("work" if median <= threshold else "participation")
    assert late_again.advised_route != late.advised_route
    assert f"{threshold}" in late_again.advice_text


# --------------------------------------------------------------------------------------------------
# (5) Departing from the advice needs a reason


def test_departing_from_the_advice_without_a_reason_is_refused_and_nothing_is_saved(make_client, caseworker, today):
    client = with_dossier(make_client, caseworker, today, birth_date=today.replace(year=today.year - 21))
    assessment = assessment_record(
        actor=caseworker, client=client, assessed_on=today, answers=selectors.dossier_answers(client, today)
    )
    assert assessment.advised_route == "youth"
    with pytest.raises(ValidationError) as refused:
        route_decide(
            actor=caseworker, client=client, route="work", reason="  ", decided_on=today, assessment=assessment
        )
    assert "afwijkt van het advies" in " ".join(refused.value.message_dict["reason"])
    assert not RouteDecision.objects.exists() and not Obligation.objects.exists()
    client.refresh_from_db()
    assert client.next_review_on is None

    followed = route_decide(
        actor=caseworker, client=client, route="youth", reason="", decided_on=today, assessment=assessment
    )
    assert (followed.status, followed.advised_route) == (DecisionStatus.IN_FORCE, "youth")


def test_a_decision_cannot_lie_before_its_intake_or_belong_to_another_client(make_client, caseworker, today):
    client, other = make_client(caseworker), make_client(caseworker)
    assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers={})
    with pytest.raises(ValidationError):
        route_decide(actor=caseworker, client=other, route="work", reason="", decided_on=today, assessment=assessment)
    with pytest.raises(ValidationError):
        route_decide(
            actor=caseworker,
            client=client,
            route="work",
            reason="",
            decided_on=today - dt.timedelta(days=1),
            assessment=assessment,
        )
    assert not RouteDecision.objects.exists()


# --------------------------------------------------------------------------------------------------
# (6) Less help than advised: a second person (team lead of the client's team) confirms


@pytest.fixture
def youth_assessment(make_client, caseworker, today):
    client = with_dossier(make_client, caseworker, today, birth_date=today.replace(year=today.year - 23))
    return assessment_record(
        actor=caseworker, client=client, assessed_on=today, answers=selectors.dossier_answers(client, today)
    )


def test_less_help_than_advised_waits_and_opens_no_obligations(youth_assessment, caseworker, today):
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    assert decision.status == DecisionStatus.AWAITING
    assert decision.obligations == [] and decision.review_on is None
    assert not Obligation.objects.filter(client=client).exists()
    client.refresh_from_db()
    assert client.next_review_on is None
    assert selectors.route_in_force(client.pk) is None
    # one waiting decision per client
    with pytest.raises(ValidationError):
        route_decide(actor=caseworker, client=client, route="youth", reason="", decided_on=today)


def test_only_a_team_lead_of_the_clients_team_who_did_not_decide_confirms(
    youth_assessment, caseworker, colleague, team_lead, make_user, team, other_team, today
):
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    other_lead = make_user("team_lead", "olaf", other_team)
    for refused in (caseworker, colleague, other_lead):
        with pytest.raises(ValidationError):
            route_confirm(actor=refused, decision=decision)
        with pytest.raises(ValidationError):
            route_decline(actor=refused, decision=decision, note="nee")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING and decision.confirmed_by is None

    with pytest.raises(ValidationError) as no_note:
        route_decline(actor=team_lead, decision=decision, note="   ")
    assert "note" in no_note.value.message_dict

    confirmed = route_confirm(actor=team_lead, decision=decision, note="Akkoord")
    assert (confirmed.status, confirmed.confirmed_by, confirmed.confirmed_on) == (
        DecisionStatus.IN_FORCE,
        team_lead,
        today,
    )
    with pytest.raises(ValidationError):  # no longer waiting
        route_confirm(actor=team_lead, decision=decision)


def test_the_team_lead_who_decided_cannot_confirm_it_himself(
    make_client, caseworker, team_lead, make_user, team, today
):
    client = make_client(caseworker)
    decision = awaiting_decision(team_lead, client, today)
    assert decision.status == DecisionStatus.AWAITING
    with pytest.raises(ValidationError) as own:
        route_confirm(actor=team_lead, decision=decision)
    assert "zelf" in " ".join(own.value.messages)
    with pytest.raises(ValidationError):
        route_decline(actor=team_lead, decision=decision, note="toch niet")
    second = make_user("team_lead", "hanna", team)
    assert route_confirm(actor=second, decision=decision).confirmed_by == second


def test_on_confirmation_the_routes_obligations_open_and_the_review_is_planned(
    youth_assessment, caseworker, team_lead, today
):
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    confirmed = route_confirm(actor=team_lead, decision=decision)
    confirmed.refresh_from_db()
    client.refresh_from_db()
    # the shipped local rules: participation opens the obligation to cooperate; the route is reviewed after 6 months
    assert open_obligation_kinds(client.pk) == {"cooperation"}
    assert confirmed.obligations == [{"kind": "cooperation", "opened": True, "exempt": False}]
    assert confirmed.review_on == client.next_review_on == add_months(today, 6)
    assert selectors.route_in_force(client.pk) == confirmed


def test_the_routes_obligations_and_review_come_from_the_local_rules(youth_assessment, caseworker, team_lead, today):
    publish_local(
        today,
        route_review_months=3,
        route_obligations={
            "youth": ["work_obligation"],
            "work": ["work_obligation"],
            "participation": ["cooperation", "tegenprestatie"],
            "exemption_review": [],
        },
    )
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    assert not Obligation.objects.filter(client=client).exists()
    route_confirm(actor=team_lead, decision=decision)
    decision.refresh_from_db()
    client.refresh_from_db()
    assert open_obligation_kinds(client.pk) == {"cooperation", "tegenprestatie"}
    assert {o["kind"] for o in decision.obligations if o["opened"]} == {"cooperation", "tegenprestatie"}
    assert client.next_review_on == decision.review_on == add_months(today, 3)


def test_a_declined_decision_opens_nothing_and_the_caseworker_decides_again(
    youth_assessment, caseworker, team_lead, today
):
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    declined = route_decline(actor=team_lead, decision=decision, note="Eerst jongerenaanpak proberen")
    assert (declined.status, declined.confirmed_by, declined.confirmation_note) == (
        DecisionStatus.DECLINED,
        team_lead,
        "Eerst jongerenaanpak proberen",
    )
    assert not Obligation.objects.filter(client=client).exists()
    assert selectors.route_in_force(client.pk) is None
    again = route_decide(
        actor=caseworker, client=client, route="youth", reason="", decided_on=today, assessment=youth_assessment
    )
    assert again.status == DecisionStatus.IN_FORCE
    assert open_obligation_kinds(client.pk) == {"work_obligation"}


def test_without_advice_less_help_than_the_route_in_force_also_waits(make_client, caseworker, today):
    client = make_client(caseworker)
    route_decide(actor=caseworker, client=client, route="work", reason="", decided_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as no_reason:
        route_decide(actor=caseworker, client=client, route="participation", reason="", decided_on=today)
    assert "reason" in no_reason.value.message_dict
    assert RouteDecision.objects.get(client=client).status == DecisionStatus.IN_FORCE
    decision = route_decide(actor=caseworker, client=client, route="participation", reason="x", decided_on=today)
    assert decision.status == DecisionStatus.AWAITING and decision.advised_route == ""
    assert open_obligation_kinds(client.pk) == {"work_obligation"}


# --------------------------------------------------------------------------------------------------
# (7) An exemption in force is respected


def test_an_exemption_in_force_keeps_lifting_the_routes_obligation(make_client, caseworker, today):
    client = make_client(caseworker)
    exemption_grant(
        actor=caseworker,
        client=client,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=10),
        review_on=today + dt.timedelta(days=60),
        reason="Mantelzorg",
    )
    decision = route_decide(actor=caseworker, client=client, route="work", reason="", decided_on=today)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_FORCE
    assert decision.obligations == [{"kind": "work_obligation", "opened": True, "exempt": True}]
    assert is_exempt(client_id=client.pk, obligation="work_obligation", on=today)
    assert open_obligation_kinds(client.pk) == {"work_obligation"}


def test_an_obligation_already_open_is_not_opened_twice(make_client, caseworker, today):
    client = make_client(caseworker)
    route_decide(actor=caseworker, client=client, route="work", reason="", decided_on=today - dt.timedelta(days=3))
    again = route_decide(actor=caseworker, client=client, route="youth", reason="", decided_on=today)
    assert again.obligations == [{"kind": "work_obligation", "opened": False, "exempt": False}]
    assert Obligation.objects.filter(client=client, kind="work_obligation").count() == 1


# --------------------------------------------------------------------------------------------------
# (8) The route decision lands on the client's timeline


def test_intake_decision_and_confirmation_are_on_the_timeline(youth_assessment, caseworker, team_lead, today):
    client = youth_assessment.client
    decision = route_decide(
        actor=caseworker,
        client=client,
        route="participation",
        reason="Eerst stabiliseren",
        decided_on=today,
        assessment=youth_assessment,
    )
    route_confirm(actor=team_lead, decision=decision, note="Akkoord, na 3 maanden kijken")
    rows = {(r[1], r[2]): r for r in client_timeline(client.pk)}
    assessment_row = rows[("assessment", youth_assessment.pk)]
    route_row = rows[("route", decision.pk)]
    confirm_row = rows[("route_confirm", decision.pk)]
    assert (assessment_row[0], assessment_row[3], assessment_row[5]) == (today, "youth", caseworker.pk)
    assert (route_row[0], route_row[3], route_row[4], route_row[5]) == (
        today,
        "participation",
        "Eerst stabiliseren",
        caseworker.pk,
    )
    assert (confirm_row[3], confirm_row[4], confirm_row[5]) == (
        "in_force",
        "Akkoord, na 3 maanden kijken",
        team_lead.pk,
    )


# --------------------------------------------------------------------------------------------------
# (9) Model files: refused with a clear reason; activation by an administrator only


def _params(**changes) -> dict:
    return json.loads(json.dumps(fitted_parameters())) | changes


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "geen modelbestand gekozen"),
        (b"", "geen modelbestand gekozen"),
        (b'{"format": "trede-time-to-work", "parameters": ', "beschadigd"),
        (b"\xff\xfe\x00", "beschadigd"),
        (b"[1, 2, 3]", "geen modelbestand van trede"),
        (json.dumps({"format": "iets-anders", "parameters": {}}).encode(), "geen modelbestand van trede"),
        ("protected", "gender"),
        ("columns", "other inputs"),
        ("coef", "do not fit"),
        ("kind", "not a time-to-work model"),
        ("missing", "corrupt"),
    ],
)
def test_a_missing_corrupt_or_foreign_model_file_is_refused(administrator, content, words):
    if content == "protected":
        base = fitted_parameters()
        content = model_file(_params(factors=[*base["factors"], "gender"], columns=[*base["columns"], "gender"]))
    elif content == "columns":
        content = model_file(_params(columns=list(reversed(fitted_parameters()["columns"]))))
    elif content == "coef":
        content = model_file(_params(coef=fitted_parameters()["coef"][:-1]))
    elif content == "kind":
        content = model_file(_params(kind="cox"))
    elif content == "missing":
        params = _params()
        del params["log_rho"]
        content = model_file(params)
    with pytest.raises(ValidationError) as refused:
        model_import(actor=administrator, content=content, name="upload.json")
    message = " ".join(refused.value.message_dict["file"])
    assert words.lower() in message.lower()
    assert not ModelVersion.objects.exists()


def test_an_exported_version_is_read_back_as_a_new_inactive_version(administrator):
    first = stored_model(administrator, training={"spells": 123}, accuracy={"concordance": 0.7})
    again = model_import(actor=administrator, content=model_export(first), name="trede-model-1.json")
    assert again.number == first.number + 1
    assert again.status == ModelStatus.DRAFT and again.parameters == first.parameters
    assert (again.training, again.accuracy) == ({"spells": 123}, {"concordance": 0.7})
    assert "trede-model-1.json" in again.origin and again.created_by == administrator


def test_activation_checks_the_stored_parameters_again(administrator):
    version = stored_model(administrator, active=False)
    ModelVersion.objects.filter(pk=version.pk).update(parameters=_params(columns=["education=high"]))
    version.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        model_activate(actor=administrator, version=version)
    assert "kan niet in gebruik" in " ".join(refused.value.messages)
    version.refresh_from_db()
    assert version.status == ModelStatus.DRAFT and version.activated_by is None


def test_activation_refuses_stored_parameters_corrupted_after_the_version_was_read(administrator):
    """The check is on the row as stored when it is locked, not on the caller's (older) copy."""
    version = stored_model(administrator, active=False)
    ModelVersion.objects.filter(pk=version.pk).update(parameters=_params(columns=["education=high"]))
    with pytest.raises(ValidationError):
        model_activate(actor=administrator, version=version)  # the copy read before the corruption
    assert ModelVersion.objects.get(pk=version.pk).status == ModelStatus.DRAFT


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "analyst", "auditor"])
def test_only_an_administrator_may_put_a_model_into_use(request, administrator, role):
    version = stored_model(administrator, active=False)
    with pytest.raises(ValidationError):
        model_activate(actor=request.getfixturevalue(role), version=version)
    with pytest.raises(ValidationError):
        model_activate(actor=None, version=version)
    version.refresh_from_db()
    assert version.status == ModelStatus.DRAFT


def test_activating_a_version_retires_the_one_in_use(administrator):
    first = stored_model(administrator)
    second = stored_model(administrator, active=False)
    assert first.status == ModelStatus.ACTIVE and selectors.active_model_version() == first
    model_activate(actor=administrator, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ModelStatus.RETIRED and first.retired_at is not None
    assert second.status == ModelStatus.ACTIVE and second.activated_by == administrator
    assert list(ModelVersion.objects.filter(status=ModelStatus.ACTIVE)) == [second]
    with pytest.raises(ValidationError):  # already in use
        model_activate(actor=administrator, version=second)
    model_activate(actor=administrator, version=first)  # the retired one can come back
    first.refresh_from_db()
    assert first.status == ModelStatus.ACTIVE and first.retired_at is None
    assert ModelVersion.objects.get(pk=second.pk).status == ModelStatus.RETIRED


# --------------------------------------------------------------------------------------------------
# Training on the municipality's own history


@pytest.fixture
def synthetic_history(shipped_rules, today):
    """A generated municipality (bulk-loaded, fast) with enough exits to work to train a model on."""
    from trede.synth.generator import Spec
    from trede.synth.loader import synth_load

    synth_load(Spec(clients=800, seed=5, today=today, caseload_norm=350), progress=False)
    return today


def test_a_model_is_trained_on_the_history_with_its_hold_out_checks(synthetic_history, administrator):
    today = synthetic_history
    version = model_train(actor=administrator, today=today, holdout=0.25, seed=3)
    assert version.status == ModelStatus.DRAFT and version.created_by == administrator
    TimeToWorkModel.from_dict(version.parameters)  # readable
    t, a, f = version.training, version.accuracy, version.fairness
    spells, left_out = selectors.history_spells(today)
    assert t["spells"] == len(spells) == t["train_spells"] + t["holdout_spells"]
    assert t["events"] == int(spells["event"].sum()) >= MIN_EVENTS
    assert left_out["total"] == t["spells"] + left_out["no_factors"] + left_out["no_ladder_step"]
    assert t["left_out"] == left_out and t["holdout"] == 0.25 and t["trained_on"] == today.isoformat()
    assert 0 < t["censored_share"] < 1
    assert a["spells"] == t["holdout_spells"] and 0 <= a["concordance"] <= 1 and 0 <= a["brier_12"] <= 1
    assert sum(b["n"] for b in a["calibration_12"]) == t["holdout_spells"]
    assert 0 < a["known_12"] <= t["holdout_spells"]
    assert f["attributes"] == ["gender", "age_band", "household"] and f["min_group"] == MIN_GROUP
    for attribute in f["attributes"]:
        rows = [r for r in f["rows"] if r["attribute"] == attribute]
        assert sum(r["n"] for r in rows) == t["holdout_spells"]
        for r in rows:
            assert r["suppressed"] == (r["n"] < MIN_GROUP)
            if r["suppressed"]:
                assert r["predicted_12"] is None and r["route_shares"] == {}
    # the prospects of similar profiles keep only groups with enough known outcomes
    assert version.prospects["groups"]
    assert all(g["known"] >= MIN_GROUP for g in version.prospects["groups"].values())


def test_too_little_history_or_an_odd_hold_out_is_refused(shipped_rules, administrator, district, today):
    with pytest.raises(ValidationError) as refused:
        model_train(actor=administrator, today=today)
    assert str(MIN_EVENTS) in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        model_train(actor=administrator, today=today, holdout=0.9)
    assert not ModelVersion.objects.exists()


@pytest.mark.filterwarnings("ignore::lifelines.exceptions.StatisticalWarning")  # 40 spells: a rough fit is fine
def test_a_small_history_written_through_the_services_trains_a_model(
    shipped_rules, administrator, district, today, monkeypatch
):
    monkeypatch.setattr("trede.intake.services.MIN_EVENTS", 20)
    to_work = history(actor=administrator, district=district, today=today, n=40)
    try:
        version = model_train(actor=administrator, today=today, penalizer=0.1)
    except ValidationError as exc:
        # 40 spells for 18 weights: the model's uncertainty is refused with the reason, nothing is stored
        assert "uncertainty" in exc.messages[0] and not ModelVersion.objects.exists()
    else:
        assert version.training["events"] == to_work
        assert version.training["spells"] == 40
        assert version.training["censored_share"] == pytest.approx(1 - to_work / 40)
    assert timezone.localdate() == today


@pytest.mark.parametrize("recorded", ["circumstances only", "ladder step only", "neither"])
def test_a_history_without_ladder_steps_or_circumstances_yet_is_refused_with_the_reason(
    make_client, caseworker, today, recorded
):
    """Regression (src/trede/intake/selectors.py, history_spells, the two pd.merge_asof calls for the landmark): when
    the Circumstances or the LadderMeasurement table is still empty while benefit spells exist (a municipality
    that starts recording ladder steps only now), _frame() builds the empty table with an object-typed
    client_id and merge_asof raises pandas MergeError ('incompatible merge keys ... int64 and object'), so
    `trede model train` ends in a traceback instead of 'Te weinig geschiedenis'. current_profiles() has the same
    crash. Suggested fix: give _frame() typed empty columns (e.g. .astype({'client_id': 'int64'})) or treat an
    empty circumstances/ladder table as 'every spell left out'."""
    for _ in range(3):
        client = make_client(caseworker)
        period = benefit_period_start(actor=caseworker, client=client, start_on=today - dt.timedelta(days=300))
        on = today - dt.timedelta(days=290)
        if recorded == "circumstances only":
            circumstances_record(
                actor=caseworker,
                client=client,
                recorded_on=on,
                education="low",
                work_experience_years=1,
                dutch_level="2f",
                health="none",
                debts="none",
                social="good",
            )
        elif recorded == "ladder step only":
            ladder_measure(actor=caseworker, client=client, step=2, measured_on=on)
        benefit_period_end(actor=caseworker, period=period, end_on=today - dt.timedelta(days=10), exit_reason="work")
    spells, left_out = selectors.history_spells(today)
    assert len(spells) == 0 and left_out["total"] == 3
    assert left_out["no_factors"] + left_out["no_ladder_step"] == 3
    with pytest.raises(ValidationError, match="Te weinig geschiedenis"):
        model_train(actor=None, today=today)


@pytest.mark.parametrize("covariance", ["not positive definite", "very uncertain"])
def test_a_model_with_an_unusable_covariance_never_breaks_the_intake(
    make_client, caseworker, administrator, today, covariance
):
    """Regression (src/trede/intake/services.py assessment_record, with trede.stats TimeToWorkModel.estimate/from_dict):
    the uncertainty band draws from the stored covariance with rng.multivariate_normal(method="cholesky").
    A covariance that is not positive definite raises numpy LinAlgError, and a very large one (a level almost
    without exits to work) gives an infinite band that the database refuses as JSON (SQLite: IntegrityError on
    JSON_VALID, PostgreSQL: DataError 'invalid input syntax for type json'). Neither model_import nor
    model_activate checks this, and model_train stores such versions itself on a thin history (lifelines only
    warns 'The diagonal of the variance_matrix_ has negative values'). Once activated, every intake with
    complete answers ends in a server error. Suggested fix: refuse such parameters in TimeToWorkModel.from_dict
    (np.linalg.cholesky on the covariance, finite values) so that import, activation and training refuse them
    with a reason, and let assessment_record treat a non-finite estimate (or LinAlgError) as 'no estimate'."""
    params = _params()
    size = len(params["covariance"])
    params["covariance"] = (-np.eye(size) if covariance == "not positive definite" else 1e4 * np.eye(size)).tolist()
    try:
        version = model_import(actor=administrator, content=model_file(params), name="model.json")
        model_activate(actor=administrator, version=version)
    except ValidationError:
        return  # refused with a reason: the intake is not affected
    client = with_dossier(make_client, caseworker, today)
    answers = selectors.dossier_answers(client, today)
    assessment = assessment_record(actor=caseworker, client=client, assessed_on=today, answers=answers)
    if assessment.estimate is not None:
        assert all(math.isfinite(b) for b in assessment.estimate["median_band"])
