"""A pilot's measured effect as a lever's effect size in a simulation scenario: the conversions with known answers,
the service (value, source, switches, the engine loads and runs it, all or nothing, audited, refusals) and the page."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.pilots.conftest import plan
from tests.pilots.test_views import finished_pilot, running_pilot
from trede.clients.services import benefit_period_end, ladder_measure
from trede.core.models import AuditRecord
from trede.core.rules import add_months
from trede.pilots import services, to_scenario
from trede.pilots.models import Pilot, PilotReport
from trede.scenarios import selectors as scenario_selectors
from trede.scenarios.models import SavedScenario
from trede.simulation import runner
from trede.simulation import scenario as S


def binary(name="paid_work_12m", pi=30.0, pc=20.0, lo=-5.0, hi=25.0, n=40, suppressed=False) -> dict:
    itt = {"n": n, "suppressed": suppressed}
    if not suppressed:
        itt |= {"mean_intervention": pi, "mean_control": pc, "estimate": pi - pc, "ci_low": lo, "ci_high": hi}
    return {"name": name, "kind": "binary", "primary": True, "itt": itt}


def duration(hr=1.45, lo=1.1, hi=1.9, n=40, suppressed=False) -> dict:
    h = {"n": n, "events": 20, "suppressed": suppressed}
    if not suppressed:
        h |= {"hr": hr, "ci_low": lo, "ci_high": hi}
    return {"name": "months_on_benefit", "kind": "duration", "primary": False, "hazard_ratio": h}


# --------------------------------------------------------------------------------------------------
# The conversions (pure)


def test_paid_work_shares_become_a_ratio_of_monthly_hazards():
    c = to_scenario.convert(binary(), follow_up_months=24)  # paid work is always over 12 months
    # ln(0.7) / ln(0.8); the interval: 20 - 5 = 15% and 20 + 25 = 45% against 20%
    assert c.ok and c.outcome == "paid_work_12m" and c.n == 40
    assert c.value == pytest.approx(1.598410, abs=1e-6)
    assert c.low == pytest.approx(math.log(0.85) / math.log(0.8)) == pytest.approx(0.728316, abs=1e-6)
    assert c.high == pytest.approx(math.log(0.55) / math.log(0.8)) == pytest.approx(2.679159, abs=1e-6)
    # monthly: -ln(0.8)/12 = 1.86%, -ln(0.7)/12 = 2.97%
    assert "1,86% per maand" in c.explanation and "2,97% per maand" in c.explanation and "1,60" in c.explanation
    assert "30,0% in de interventiegroep, 20,0% in de controlegroep" in c.measured


@given(
    pc=st.floats(min_value=0.01, max_value=0.95),
    pi=st.floats(min_value=0.0, max_value=0.95),
    months=st.integers(min_value=1, max_value=60),
)
def test_the_ratio_reproduces_the_intervention_share(pc, pi, months):
    r = to_scenario.hazard_ratio(pi, pc)
    # the control's monthly hazard times the ratio, over the months, gives the intervention's share back
    h = to_scenario.monthly_hazard(pc, months) * r
    assert 1 - math.exp(-h * months) == pytest.approx(pi, abs=1e-9)
    assert to_scenario.hazard_ratio(pc, pc) == pytest.approx(1.0)


def test_a_duration_hazard_ratio_is_taken_as_it_is_with_a_note():
    c = to_scenario.convert(duration(), follow_up_months=12)
    assert (c.value, c.low, c.high, c.n) == (1.45, 1.1, 1.9, 40)
    assert "om welke reden ook" in c.explanation and "uitstroom naar werk" in c.explanation


def test_a_ladder_step_up_is_converted_over_the_pilots_follow_up():
    c = to_scenario.convert(binary("ladder_step_up", pi=40.0, pc=25.0, lo=2.0, hi=28.0), follow_up_months=6)
    assert c.value == pytest.approx(math.log(0.6) / math.log(0.75))
    assert c.low == pytest.approx(math.log(0.73) / math.log(0.75))
    assert c.high == pytest.approx(math.log(0.47) / math.log(0.75))
    # -ln(0.75)/6 = 4.79% a month, -ln(0.6)/6 = 8.51%
    assert "4,79% per maand" in c.explanation and "8,51% per maand" in c.explanation
    assert "6 maanden" in c.measured


@pytest.mark.parametrize(
    "outcome",
    [
        binary(suppressed=True),
        binary(pi=0.0),
        binary(pc=100.0),
        binary(pc=0.0),
        duration(suppressed=True),
        {"name": "paid_work_12m", "kind": "binary", "primary": True, "error": "no events", "notes": []},
        binary("durable_exit"),
    ],
)
def test_what_cannot_be_converted_says_why(outcome):
    c = to_scenario.convert(outcome, follow_up_months=12)
    assert not c.ok and c.value is None and c.reason and "%%" not in c.reason


def test_a_share_of_0_or_100_percent_has_no_monthly_hazard():
    assert "0% of 100%" in to_scenario.convert(binary(pc=100.0), follow_up_months=12).reason
    with pytest.raises(ValueError):
        to_scenario.hazard_ratio(0.3, 0.0)
    with pytest.raises(ValueError):
        to_scenario.hazard_ratio(1.0, 0.2)


def test_an_interval_beyond_the_possible_is_clamped_or_left_open():
    low = to_scenario.convert(binary(pi=12.0, pc=10.0, lo=-15.0, hi=19.0), follow_up_months=12)
    assert low.low < 0  # a share of -5% has no hazard: clamped to the lowest multiplier the engine takes
    clamped = to_scenario.bounded(low, "coaching.work_effect")
    assert clamped.clamped and clamped.low == 0.0 and clamped.value == low.value and clamped.high == low.high
    assert "laagste toegestane waarde" in clamped.explanation
    assert not to_scenario.bounded(to_scenario.convert(binary(), follow_up_months=12), "coaching.work_effect").clamped
    high = to_scenario.convert(binary(pi=85.0, pc=80.0, lo=-5.0, hi=25.0), follow_up_months=12)
    assert high.ok and high.high is None and "geen bovengrens" in high.explanation


def test_only_present_and_usable_outcomes_are_offered_with_the_levers_they_fit():
    results = {"outcomes": [binary(), duration(suppressed=True), binary("durable_exit")]}
    shown, levers = to_scenario.offer(results, follow_up_months=12)
    assert [c.outcome for c in shown] == ["paid_work_12m", "months_on_benefit"]  # durable_exit fits no lever
    assert [c.ok for c in shown] == [True, False]
    assert {lv.kind for lv in levers} == {to_scenario.WORK} and len(levers) == 5
    results["outcomes"].append(binary("ladder_step_up"))
    _shown, levers = to_scenario.offer(results, follow_up_months=12)
    assert len(levers) == 8
    assert to_scenario.fits("coaching.ladder_effect", "ladder_step_up")
    assert not to_scenario.fits("coaching.ladder_effect", "paid_work_12m")
    assert not to_scenario.fits("cohort.work_effect", "ladder_step_up")
    assert not to_scenario.fits("exemption.work_effect", "paid_work_12m")  # not a lever a pilot fills


def test_each_lever_acts_in_its_scenario_and_the_switches_come_from_the_shipped_approach():
    base = S.load("baseline")
    for lever in to_scenario.LEVERS.values():
        assert S.SCHEMA[lever.parameter].kind == "mult"
        switches = to_scenario.switches(lever)
        # off in the baseline exactly when the lever needs switches from a shipped scenario
        assert to_scenario.acts(base, lever) == (not lever.switch_from), lever.parameter
        assert bool(switches) == bool(lever.switch_from)
        changes = {p: list(v) if isinstance(v, tuple) else v for p, v, _s in switches}
        switched = base.replace(changes, source="test")
        assert to_scenario.acts(switched, lever), lever.parameter
    coaching = {p: v for p, v, _s in to_scenario.switches(to_scenario.LEVERS["coaching.work_effect"])}
    assert coaching == {"coaching.places": 50, "coaching.segments": ("middle", "far"), "coaching.order": "random"}
    cohort = {p for p, _v, _s in to_scenario.switches(to_scenario.LEVERS["cohort.ladder_effect"])}
    assert cohort == {"cohort.enabled", "cohort.pace_months", "cohort.order", "cohort.exclude_exempt"}


def test_the_toml_is_a_scenario_the_engine_reads():
    text = to_scenario.scenario_toml(
        name="x",
        title='Een "titel"',
        description="Regel één\nregel twee",
        values={"coaching.work_effect": (1.6, "bron met 'quotes' en \"meer\""), "coaching.segments": (("far",), "s")},
    )
    sc = S.from_text(text, base_dir=S.SCENARIO_DIR)
    assert sc["coaching.work_effect"] == 1.6 and sc["coaching.segments"] == ("far",)
    assert sc.sources["coaching.work_effect"] == "bron met 'quotes' en \"meer\"" and sc.title == 'Een "titel"'
    assert sc["cohort.work_effect"] == S.load("baseline")["cohort.work_effect"]


# --------------------------------------------------------------------------------------------------
# The service, on pilots analysed through the real services


@pytest.fixture
def analysed(analyst, population, today) -> Pilot:
    return finished_pilot(analyst, population, today)


def ladder_pilot(analyst, population, today) -> Pilot:
    """Analysed, with the step up the ladder measured: 16 of 40 clients one step higher after 100 days."""
    start = today - dt.timedelta(days=400)
    clients = population(40, since=start - dt.timedelta(days=60))
    pilot = services.pilot_save(
        actor=analyst,
        **plan(
            start,
            name="Coaching naar activiteit",
            analysis_date=add_months(start, 12),
            secondary_outcomes=["months_on_benefit", "ladder_step_up"],
        ),
    )
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start, seed=5)
    for i, c in enumerate(clients[:16]):
        ladder_measure(actor=None, client=c, step=2 + i % 4, measured_on=start + dt.timedelta(days=100))
    for i, c in enumerate(clients[20:32]):
        benefit_period_end(
            actor=None, period=c.benefit_periods.get(), end_on=start + dt.timedelta(days=30 + 9 * i), exit_reason="work"
        )
    services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    return Pilot.objects.get(pk=pilot.pk)


def outcome_of(pilot, name) -> dict:
    return next(o for o in pilot.report.results["outcomes"] if o["name"] == name)


@pytest.mark.django_db
def test_the_pilots_value_goes_into_a_saved_scenario_that_the_engine_runs(analysed, analyst):
    raw = to_scenario.convert(outcome_of(analysed, "paid_work_12m"), follow_up_months=12)
    expected = to_scenario.bounded(raw, "coaching.work_effect")
    assert raw.ok and raw.low < 0 and expected.low == 0.0  # this pilot's interval reaches below a share of 0%
    saved = services.scenario_from_pilot(
        actor=analyst, pilot=analysed, lever="coaching.work_effect", outcome="paid_work_12m"
    )
    assert saved.name == f"pilot-{analysed.pk}-coaching-work_effect" and saved.based_on == "baseline"
    assert "Jobcoach na plaatsing" in saved.title and saved.created_by == analyst
    sc = scenario_selectors.scenario(saved.name)
    assert sc.name == saved.name and sc.digest == saved.digest
    assert sc["coaching.work_effect"] == pytest.approx(round(expected.value, 4))
    source = sc.sources["coaching.work_effect"]
    report = analysed.report
    assert source.startswith(
        f"trede pilot {analysed.pk} 'Jobcoach na plaatsing' (registered {analysed.registered_on.isoformat()}, "
        f"analysed {report.analysed_on.isoformat()}): betaald werk binnen 12 maanden"
    )
    assert f"95% interval {to_scenario.num(expected.low)}-{to_scenario.num(expected.high)}" in source
    assert f"n = {expected.n}, intention to treat; converted: Stel dat" in source
    assert source.endswith("laagste toegestane waarde: in het scenario 0,00.")
    # switched on as the shipped Utrecht scenario does, each switch with its source
    assert sc["coaching.places"] == 50 and sc["coaching.order"] == "random"
    assert sc.sources["coaching.places"].startswith("as in the shipped scenario utrecht_initiative: ")
    assert to_scenario.acts(sc, to_scenario.LEVERS["coaching.work_effect"])
    # everything else is the baseline's
    base = S.load("baseline")
    changed = {p for p in S.SCHEMA if sc[p] != base[p]}
    assert changed == {"coaching.work_effect", "coaching.places", "coaching.segments", "coaching.order"}
    results = runner.run([base, sc], 200, horizon=12, replications=1, seed=3, backend="serial")
    assert results.value(sc.name, "persons")["mean"] > 0
    assert set(results.table.scenario) == {"baseline", sc.name}
    # audited: the save itself and the link to the pilot
    assert AuditRecord.objects.filter(action="scenario_save", object_pk=str(saved.pk), actor=analyst).exists()
    link = AuditRecord.objects.get(action="scenario_from_pilot", object_pk=str(saved.pk))
    assert link.actor == analyst and link.changes["pilot"] == [None, analysed.pk]
    assert link.changes["outcome"] == [None, "paid_work_12m"]


@pytest.mark.django_db
def test_a_lever_on_in_the_baseline_only_gets_the_effect(analysed, analyst):
    hr = to_scenario.convert(outcome_of(analysed, "months_on_benefit"), follow_up_months=12)
    assert hr.ok
    saved = services.scenario_from_pilot(
        actor=analyst, pilot=analysed, lever="wage_subsidy.work_effect", outcome="months_on_benefit"
    )
    sc = scenario_selectors.scenario(saved.name)
    base = S.load("baseline")
    assert {p for p in S.SCHEMA if sc[p] != base[p]} <= {"wage_subsidy.work_effect"}
    assert sc["wage_subsidy.work_effect"] == pytest.approx(round(hr.value, 4))
    assert "om welke reden ook" in sc.sources["wage_subsidy.work_effect"]
    assert "al aan" in saved.description


@pytest.mark.django_db
def test_bounds_save_three_scenarios_and_names_stay_unique(analysed, analyst):
    c = to_scenario.bounded(
        to_scenario.convert(outcome_of(analysed, "paid_work_12m"), follow_up_months=12), "cohort.work_effect"
    )
    first = services.scenario_from_pilot(
        actor=analyst, pilot=analysed, lever="cohort.work_effect", outcome="paid_work_12m", bounds=True
    )
    base = f"pilot-{analysed.pk}-cohort-work_effect"
    assert first.name == base
    values = {n: scenario_selectors.scenario(n)["cohort.work_effect"] for n in (base, f"{base}-laag", f"{base}-hoog")}
    assert values == {
        base: pytest.approx(round(c.value, 4)),
        f"{base}-laag": pytest.approx(round(c.low, 4)),
        f"{base}-hoog": pytest.approx(round(c.high, 4)),
    }
    low = scenario_selectors.scenario(f"{base}-laag")
    assert low["cohort.enabled"] is True
    assert low.sources["cohort.work_effect"].endswith("; in dit scenario de ondergrens van het 95%-interval")
    second = services.scenario_from_pilot(
        actor=analyst, pilot=analysed, lever="cohort.work_effect", outcome="paid_work_12m"
    )
    assert second.name == f"{base}-2"
    link = AuditRecord.objects.get(action="scenario_from_pilot", object_pk=str(first.pk))
    assert link.changes["scenarios"] == [None, [base, f"{base}-laag", f"{base}-hoog"]]


@pytest.mark.django_db
def test_nothing_is_saved_when_one_of_the_three_fails(analysed, analyst, monkeypatch):
    from trede.scenarios import services as scenario_services

    real = scenario_services.scenario_save
    calls = []

    def third_fails(**kw):
        calls.append(kw["name"])
        if len(calls) == 3:
            raise ValidationError({"toml": ["kapot"]})
        return real(**kw)

    monkeypatch.setattr(scenario_services, "scenario_save", third_fails)
    with pytest.raises(ValidationError):
        services.scenario_from_pilot(
            actor=analyst, pilot=analysed, lever="coaching.work_effect", outcome="paid_work_12m", bounds=True
        )
    assert len(calls) == 3
    assert not SavedScenario.objects.exists()
    assert not AuditRecord.objects.filter(action__in=["scenario_save", "scenario_from_pilot"]).exists()


@pytest.mark.django_db
def test_a_ladder_effect_from_the_step_up(analyst, population, today):
    pilot = ladder_pilot(analyst, population, today)
    c = to_scenario.convert(outcome_of(pilot, "ladder_step_up"), follow_up_months=pilot.follow_up_months)
    assert c.ok, c.reason
    saved = services.scenario_from_pilot(
        actor=analyst, pilot=pilot, lever="coaching.ladder_effect", outcome="ladder_step_up"
    )
    sc = scenario_selectors.scenario(saved.name)
    assert sc["coaching.ladder_effect"] == pytest.approx(round(max(c.value, 0.0), 4))
    assert "hogere trede binnen de looptijd van 12 maanden" in sc.sources["coaching.ladder_effect"]
    with pytest.raises(ValidationError) as exc:  # a ladder lever does not take paid work
        services.scenario_from_pilot(actor=analyst, pilot=pilot, lever="cohort.ladder_effect", outcome="paid_work_12m")
    assert "past niet bij deze hefboom" in str(exc.value.message_dict["outcome"])


@pytest.mark.django_db
def test_refusals(analysed, analyst, team_lead, caseworker, population, today):
    for actor in (team_lead, caseworker, None):
        with pytest.raises(ValidationError, match="Alleen een beleidsmedewerker"):
            services.scenario_from_pilot(
                actor=actor, pilot=analysed, lever="coaching.work_effect", outcome="paid_work_12m"
            )
    running = running_pilot(analyst, population, today)
    with pytest.raises(ValidationError, match="afgeronde pilot"):
        services.scenario_from_pilot(
            actor=analyst, pilot=running, lever="coaching.work_effect", outcome="paid_work_12m"
        )
    cases = [
        ("coaching.ladder_effect", "paid_work_12m", "outcome", "past niet"),
        ("coaching.work_effect", "ladder_step_up", "outcome", "past niet"),
        ("coaching.ladder_effect", "ladder_step_up", "outcome", "niet gemeten"),  # not in this pilot
        ("exemption.work_effect", "paid_work_12m", "lever", "hefboom"),
    ]
    for lever, outcome, field, text in cases:
        with pytest.raises(ValidationError) as exc:
            services.scenario_from_pilot(actor=analyst, pilot=analysed, lever=lever, outcome=outcome)
        assert text in " ".join(exc.value.message_dict[field]), (lever, outcome)
    # an outcome hidden for small groups: refused with the reason
    results = analysed.report.results
    for o in results["outcomes"]:
        if o["name"] == "paid_work_12m":
            o["itt"] = {"n": None, "suppressed": True}
    PilotReport.objects.filter(pk=analysed.report.pk).update(results=results)
    with pytest.raises(ValidationError) as exc:
        services.scenario_from_pilot(
            actor=analyst, pilot=analysed, lever="coaching.work_effect", outcome="paid_work_12m"
        )
    assert "Te weinig mensen" in " ".join(exc.value.message_dict["outcome"])
    assert not SavedScenario.objects.exists()
    assert not AuditRecord.objects.filter(action="scenario_from_pilot").exists()


# --------------------------------------------------------------------------------------------------
# The page


@pytest.mark.django_db
def test_the_page_shows_the_conversion_and_saves_the_scenario(client, analysed, analyst, team_lead):
    url = reverse("pilot-scenario", args=[analysed.pk])
    client.force_login(analyst)
    report_page = client.get(reverse("pilot-report", args=[analysed.pk])).content.decode()
    assert url in report_page
    page = client.get(url).content.decode()
    c = to_scenario.convert(outcome_of(analysed, "paid_work_12m"), follow_up_months=12)
    for text in (
        "Wat de pilot mat, omgerekend",
        f"Vermenigvuldiger {to_scenario.num(c.value)}",
        "Betaald werk binnen 12 maanden",
        "Maanden in de bijstand",
        "Intensieve begeleiding (coaching): kans op werk",
        "Utrecht en Tilburg",
        'name="bounds"',
    ):
        assert text in page, text
    assert "kans op een hogere trede" not in page  # no ladder outcome in this pilot: no ladder lever offered
    wrong = client.post(url, {"lever": "coaching.work_effect", "outcome": "ladder_step_up"})
    assert wrong.status_code == 200 and not SavedScenario.objects.exists()
    made = client.post(url, {"lever": "coaching.work_effect", "outcome": "paid_work_12m", "bounds": "on"})
    base = f"pilot-{analysed.pk}-coaching-work_effect"
    assert made.status_code == 302 and made["Location"] == reverse("simulation-scenario", args=[base])
    assert set(SavedScenario.objects.values_list("name", flat=True)) == {base, f"{base}-laag", f"{base}-hoog"}
    shown = client.get(made["Location"]).content.decode()
    assert f"trede pilot {analysed.pk} &#x27;Jobcoach na plaatsing&#x27;" in shown
    client.force_login(team_lead)
    assert url not in client.get(reverse("pilot-report", args=[analysed.pk])).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"lever": "coaching.work_effect", "outcome": "paid_work_12m"}).status_code == 403
    assert SavedScenario.objects.count() == 3


@pytest.mark.django_db
def test_the_page_is_there_only_for_an_analysed_pilot(client, analyst, population, today):
    running = running_pilot(analyst, population, today)
    client.force_login(analyst)
    assert client.get(reverse("pilot-scenario", args=[running.pk])).status_code == 404
