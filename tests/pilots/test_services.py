"""Pilot services: the plan is frozen at registration, the draw is reproducible from its seed and immutable, no
outcome is seen before the analysis date except through a logged safety look, and the analysis of a hand-built
history gives the known answer."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from tests.pilots.conftest import plan
from trede.caseload.models import Assignment
from trede.clients.services import benefit_period_end, ladder_measure
from trede.core.models import AuditRecord
from trede.core.rules import add_months
from trede.pilots import report, selectors, services
from trede.pilots.models import Crossover, Pilot, PilotAssignment, SafetyLook, Status
from trede.stats.evaluation.randomise import randomise

pytestmark = pytest.mark.django_db


def drawn_pilot(analyst, today, **changes) -> Pilot:
    pilot = services.pilot_save(actor=analyst, **plan(today, **changes))
    services.pilot_register(actor=analyst, pilot=pilot, today=today)
    return services.pilot_randomise(actor=analyst, pilot=pilot, today=today)


# --------------------------------------------------------------------------------------------------
# The plan


def test_a_draft_is_saved_and_audited_and_only_by_an_analyst(analyst, caseworker, today):
    pilot = services.pilot_save(actor=analyst, **plan(today))
    assert pilot.status == Status.DRAFT and pilot.created_by == analyst
    assert AuditRecord.objects.filter(action="pilot_create", object_pk=str(pilot.pk)).exists()
    with pytest.raises(ValidationError):
        services.pilot_save(actor=caseworker, **plan(today))
    services.pilot_save(actor=analyst, pilot=pilot, question="Een scherpere vraag?")
    pilot.refresh_from_db()
    assert pilot.question == "Een scherpere vraag?"
    assert AuditRecord.objects.filter(action="pilot_save", object_pk=str(pilot.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"question": " "}, "question"),
        ({"follow_up_months": 6}, "follow_up_months"),  # paid work within 12 months needs 12
        ({"secondary_outcomes": ["paid_work_12m"]}, "secondary_outcomes"),  # the primary one again
        ({"unit": "district", "strata": ["route"]}, "strata"),
        ({"unit": "district", "caseworker_ids": [1]}, "caseworker_ids"),
        ({"weight_intervention": 0}, "weight_intervention"),
        ({"criteria": {"age_min": 50, "age_max": 30}}, "age_max"),
        ({"exemption_obligation": "work_obligation"}, "exemption_obligation"),  # no legal ground for it yet
        ({"bootstrap": 50}, "bootstrap"),
    ],
)
def test_a_plan_with_a_problem_is_refused_on_its_field(analyst, today, changes, field):
    with pytest.raises(ValidationError) as exc:
        services.pilot_save(actor=analyst, **plan(today, **changes))
    assert field in exc.value.message_dict
    assert not Pilot.objects.exists()


def test_registration_freezes_the_plan(analyst, today):
    pilot = services.pilot_save(actor=analyst, **plan(today, analysis_plan="", analysis_date=None))
    with pytest.raises(ValidationError) as exc:
        services.pilot_register(actor=analyst, pilot=pilot, today=today)
    assert {"analysis_plan", "analysis_date"} <= set(exc.value.message_dict)
    services.pilot_save(actor=analyst, pilot=pilot, analysis_plan="ITT", analysis_date=add_months(today, 3))
    with pytest.raises(ValidationError) as exc:  # before the end of the 12 months of follow-up
        services.pilot_register(actor=analyst, pilot=pilot, today=today)
    assert "analysis_date" in exc.value.message_dict
    services.pilot_save(actor=analyst, pilot=pilot, analysis_date=add_months(today, 13))
    services.pilot_register(actor=analyst, pilot=pilot, today=today)
    pilot.refresh_from_db()
    assert pilot.status == Status.REGISTERED and pilot.plan_digest == services.plan_digest(pilot)
    with pytest.raises(ValidationError, match="vastgelegd"):
        services.pilot_save(actor=analyst, pilot=pilot, question="Toch iets anders?")
    with pytest.raises(ValidationError):
        services.pilot_register(actor=analyst, pilot=pilot, today=today)
    # and no other path changes it either: the database refuses
    for change in ({"question": "x"}, {"criteria": {"age_min": 30}}, {"analysis_date": today}, {"status": "draft"}):
        with pytest.raises(DatabaseError), transaction.atomic():
            Pilot.objects.filter(pk=pilot.pk).update(**change)
    pilot.refresh_from_db()
    assert pilot.question.startswith("Vinden") and pilot.status == Status.REGISTERED


# --------------------------------------------------------------------------------------------------
# The draw


def test_the_draw_is_stratified_reproducible_from_its_seed_and_once(analyst, population, today):
    population(40, since=today - dt.timedelta(days=200))
    pilot = drawn_pilot(analyst, today, strata=["district", "age_band"])
    assignments = list(pilot.assignments.order_by("client_id"))
    assert len(assignments) == 40 and pilot.seed is not None and pilot.randomised_on == today
    # per stratum the arms differ by at most one
    by_stratum: dict[str, list[str]] = {}
    for a in assignments:
        by_stratum.setdefault(a.stratum, []).append(a.arm)
    assert len(by_stratum) > 1
    for arms in by_stratum.values():
        assert abs(arms.count("intervention") - arms.count("control")) <= 1
    # anyone can redo it from the recorded seed and the eligible clients with their strata
    keys = [(a.baseline["district"], a.baseline["age_band"]) for a in assignments]
    again = randomise([a.client_id for a in assignments], keys, seed=pilot.seed, arms=report.ARMS, weights=(1, 1))
    assert [again.arm_of(a.client_id) for a in assignments] == [a.arm for a in assignments]
    assert again.digest == pilot.assignment_digest
    with pytest.raises(ValidationError, match="al geloot"):
        services.pilot_randomise(actor=analyst, pilot=pilot, today=today)
    assert PilotAssignment.objects.count() == 40
    assert AuditRecord.objects.filter(action="pilot_randomise", object_pk=str(pilot.pk)).exists()
    assert AuditRecord.objects.filter(action="pilot_assign", changes__rows=[None, 40]).exists()


def test_an_assignment_never_changes(analyst, population, today):
    population(6, since=today - dt.timedelta(days=200))
    pilot = drawn_pilot(analyst, today)
    a = pilot.assignments.first()
    other = "control" if a.arm == "intervention" else "intervention"
    with pytest.raises(DatabaseError), transaction.atomic():
        PilotAssignment.objects.filter(pk=a.pk).update(arm=other)
    a.arm = other
    with pytest.raises(DatabaseError), transaction.atomic():
        a.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Pilot.objects.filter(pk=pilot.pk).update(seed=pilot.seed + 1)
    assert PilotAssignment.objects.get(pk=a.pk).arm != other


def test_the_eligible_population_and_no_client_in_two_running_pilots(analyst, population, today, district):
    clients = population(12, since=today - dt.timedelta(days=200))
    first = drawn_pilot(analyst, today, criteria={"districts": [district.pk]})
    assert set(first.assignments.values_list("client_id", flat=True)) == {c.pk for c in clients[::2]}
    second = drawn_pilot(analyst, today, name="Tweede")
    assert set(second.assignments.values_list("client_id", flat=True)) == {c.pk for c in clients[1::2]}


def test_cluster_draw_keeps_every_caseload_together(analyst, population, today, caseworker, second_caseworker):
    population(10, since=today - dt.timedelta(days=200))
    pilot = drawn_pilot(analyst, today, unit="caseworker", icc=0.05, cluster_size=5)
    arms = {}
    for a in pilot.assignments.all():
        arms.setdefault(a.cluster, set()).add(a.arm)
    assert set(arms) == {str(caseworker.pk), str(second_caseworker.pk)}
    assert all(len(v) == 1 for v in arms.values()) and {next(iter(v)) for v in arms.values()} == set(report.ARMS)


def test_the_intervention_arm_moves_to_the_chosen_caseworker(analyst, population, today, make_user, other_team):
    population(8, since=today - dt.timedelta(days=200))
    coach = make_user("caseworker", "coach", other_team)
    pilot = drawn_pilot(analyst, today, caseworker_ids=[coach.pk], intensity_intervention="Elke week contact")
    for a in pilot.assignments.all():
        current = Assignment.objects.get(client_id=a.client_id, end_on__isnull=True)
        assert (current.caseworker_id == coach.pk) is (a.arm == "intervention")
    moved = pilot.assignments.filter(arm="intervention").values_list("client_id", flat=True)
    audited = set(
        AuditRecord.objects.filter(action="assignment_assign", actor=analyst).values_list("client_id", flat=True)
    )
    assert audited == set(moved)
    # the dossier shows the arm and the intensity of that arm
    arm = selectors.client_arms(moved[0])[0]
    assert arm.arm == "intervention" and arm.intensity == "Elke week contact" and arm.running and not arm.crossed


def test_the_exemption_of_the_intervention_arm_goes_through_obligations(analyst, administrator, population, today):
    """The shipped rule sets hold no ground for experiments, so no pilot may lift an obligation; once the functional
    administrator publishes a legal rule set with a decree under art. 83 as its source, the intervention arm gets the
    exemption through obligations.exemption_grant for the follow-up, and the control arm does not."""
    from trede.core.services import ruleset_publish
    from trede.obligations.models import Exemption

    population(8, since=today - dt.timedelta(days=200))
    assert not services.exemption_action_available(today)
    with pytest.raises(ValidationError):
        drawn_pilot(analyst, today, exemption_obligation="tegenprestatie")
    from trede.core.models import RuleSet

    latest = RuleSet.objects.filter(scope="legal").order_by("-valid_from").first()
    grounds = dict(latest.parameters["exemption_grounds"])
    grounds["experiment"] = {
        "article": "art. 83 Participatiewet; Tijdelijk besluit experimenten (fictief, voor deze test)",
        "obligations": ["work_obligation", "tegenprestatie"],
        "child_under": None,
        "max_months": 24,
        "once": False,
        "review_months": None,
    }
    ruleset_publish(
        actor=administrator,
        scope="legal",
        name=latest.name,
        version="experiment",
        valid_from=today - dt.timedelta(days=30),
        source="Een besluit op grond van art. 83 Participatiewet (in deze test verzonnen)",
        parameters={**latest.parameters, "exemption_grounds": grounds},
    )
    assert services.exemption_action_available(today)
    pilot = drawn_pilot(analyst, today, exemption_obligation="tegenprestatie")
    intervention = set(pilot.assignments.filter(arm="intervention").values_list("client_id", flat=True))
    granted = Exemption.objects.filter(obligation="tegenprestatie", start_on=today, ground="experiment")
    assert set(granted.values_list("client_id", flat=True)) == intervention
    assert {e.end_on for e in granted} == {add_months(today, 12) - dt.timedelta(days=1)}
    assert AuditRecord.objects.filter(action="exemption_grant", client_id__in=intervention).count() == len(intervention)


# --------------------------------------------------------------------------------------------------
# Monitoring, crossovers, the safety look


def test_monitoring_shows_no_outcome(analyst, population, today):
    start = today - dt.timedelta(days=100)
    clients = population(24, since=start - dt.timedelta(days=100))
    pilot = services.pilot_save(actor=analyst, **plan(start, analysis_date=add_months(start, 13)))
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start)
    frame = selectors.analysis_frame(pilot, today, outcomes=False)
    for column in ("paid_work_12m", "durable_exit", "months_on_benefit", "left_benefit", "ladder_step_up"):
        assert set(frame[column].dropna().unique()) <= {0.0}
    before = report.monitoring(pilot, today)
    # outcomes happen (in the intervention arm only): the monitoring does not change
    intervention = set(pilot.assignments.filter(arm="intervention").values_list("client_id", flat=True))
    for c in clients:
        if c.pk in intervention:
            benefit_period_end(
                actor=None, period=c.benefit_periods.get(), end_on=today - dt.timedelta(days=5), exit_reason="work"
            )
            ladder_measure(actor=None, client=c, step=6, measured_on=today - dt.timedelta(days=4))
    assert report.monitoring(pilot, today) == before
    with pytest.raises(ValidationError, match="veiligheidsmonitor"):
        services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    assert not hasattr(Pilot.objects.get(pk=pilot.pk), "report") or not Pilot.objects.filter(report__isnull=False)


def test_a_safety_look_needs_a_reason_and_is_logged(analyst, population, today):
    start = today - dt.timedelta(days=100)
    population(24, since=start - dt.timedelta(days=100))
    pilot = services.pilot_save(actor=analyst, **plan(start, analysis_date=add_months(start, 13)))
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start)
    with pytest.raises(ValidationError) as exc:
        services.safety_look_open(actor=analyst, pilot=pilot, reason="even")
    assert "reason" in exc.value.message_dict
    look = services.safety_look_open(actor=analyst, pilot=pilot, reason="Signalen van schade in de interventiegroep")
    assert look.opened_by == analyst and look.on == today and look.results["safety"] is True
    assert look.results["outcomes"][0]["name"] == "paid_work_12m"
    assert AuditRecord.objects.filter(action="safety_look_open", object_pk=str(look.pk), actor=analyst).exists()
    assert SafetyLook.objects.count() == 1


def test_a_crossover_is_recorded_from_the_dossier_and_counted(analyst, caseworker, population, today):
    population(12, since=today - dt.timedelta(days=200))
    pilot = drawn_pilot(analyst, today)
    a = pilot.assignments.filter(arm="control", client__assignments__caseworker=caseworker).first()
    with pytest.raises(ValidationError):  # the analyst has no dossier
        services.crossover_record(actor=analyst, assignment=a, received=True, on=today, reason="Toch coaching")
    services.crossover_record(actor=caseworker, assignment=a, received=True, on=today, reason="Toch coaching")
    assert Crossover.objects.get().recorded_by == caseworker
    assert AuditRecord.objects.filter(action="crossover_record", client_id=a.client_id).exists()
    frame = selectors.assignment_frame(pilot)
    row = frame[frame["client_id"] == a.client_id].iloc[0]
    assert row["assigned"] == 0 and row["received"] == 1
    arm = selectors.client_arms(a.client_id)[0]
    assert arm.crossed and arm.received


# --------------------------------------------------------------------------------------------------
# The analysis on a hand-built history


def test_the_analysis_of_a_known_history(analyst, population, today):
    start = today - dt.timedelta(days=400)
    clients = {c.pk: c for c in population(60, since=start - dt.timedelta(days=60))}
    pilot = services.pilot_save(
        actor=analyst, **plan(start, analysis_date=add_months(start, 12), secondary_outcomes=["months_on_benefit"])
    )
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start, seed=7)
    arms = dict(pilot.assignments.values_list("client_id", "arm"))
    intervention = sorted(c for c, a in arms.items() if a == "intervention")
    control = sorted(c for c, a in arms.items() if a == "control")
    assert len(intervention) == len(control) == 30
    # half of the intervention arm and a fifth of the control arm leave for work within the year
    for group, k in ((intervention, 15), (control, 6)):
        for i, cid in enumerate(group[:k]):
            benefit_period_end(
                actor=None,
                period=clients[cid].benefit_periods.get(),
                end_on=start + dt.timedelta(days=30 + 10 * i),
                exit_reason="work",
            )
    made = services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    pilot.refresh_from_db()
    assert pilot.status == Status.ANALYSED and made.analysed_by == analyst
    primary = made.results["outcomes"][0]
    assert primary["name"] == "paid_work_12m" and primary["primary"]
    itt = primary["itt"]
    assert itt["mean_intervention"] == pytest.approx(50.0) and itt["mean_control"] == pytest.approx(20.0)
    assert itt["estimate"] == pytest.approx(30.0) and itt["n_intervention"] == itt["n_control"] == 30
    y1 = np.r_[np.ones(15), np.zeros(15)]
    y0 = np.r_[np.ones(6), np.zeros(24)]
    pooled = ((y1.var(ddof=1) + y0.var(ddof=1)) / 2) * (1 / 30 + 1 / 30)
    assert itt["se_conventional"] == pytest.approx(100 * np.sqrt(pooled), rel=1e-6)
    assert itt["ci_low"] < 30 < itt["ci_high"] and itt["significant"]
    duration = made.results["outcomes"][1]
    assert duration["name"] == "months_on_benefit"
    assert duration["left_by_end"] == {"intervention": pytest.approx(50.0), "control": pytest.approx(20.0)}
    assert duration["hazard_ratio"]["hr"] > 1
    assert made.results["n"] == 60
    assert any("na de geplande datum" in d for d in made.deviations)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(made.pdf))).pages)
    assert pilot.name in text and "procentpunt" in text
    assert not any(c.surname in text for c in clients.values())
    with pytest.raises(ValidationError, match="al geanalyseerd"):
        services.pilot_analyse(actor=analyst, pilot=pilot, today=today)


def test_a_safety_look_is_a_deviation_in_the_report(analyst, population, today):
    start = today - dt.timedelta(days=400)
    population(24, since=start - dt.timedelta(days=60))
    pilot = services.pilot_save(actor=analyst, **plan(start, analysis_date=add_months(start, 12)))
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start)
    services.safety_look_open(
        actor=analyst, pilot=pilot, reason="Klachten van cliënten", today=start + dt.timedelta(days=90)
    )
    made = services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    assert any("Veiligheidsmonitor geopend" in d and "Klachten van cliënten" in d for d in made.deviations)


# --------------------------------------------------------------------------------------------------
# A campaign's random cohort order as a pilot


def test_a_random_cohort_order_is_analysed_as_a_pilot(analyst, team_lead, population, today):
    from trede.outreach.models import Invitation
    from trede.outreach.services import campaign_create, campaign_plan

    start = today - dt.timedelta(days=70)
    population(16, since=start - dt.timedelta(days=100), address=True)
    campaign = campaign_create(
        actor=team_lead, name="Kennismaking", purpose="introduction", starts_on=start, cohort_size=8, order="random"
    )
    campaign_plan(actor=team_lead, campaign=campaign, on=start)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        services.pilot_from_campaign(
            actor=analyst, campaign=campaign, name="x", question="x?", primary_outcome="paid_work_12m"
        )  # 12 months of follow-up do not fit between the cohorts
    pilot = services.pilot_from_campaign(
        actor=analyst,
        campaign=campaign,
        name="Vroeg of laat opgeroepen",
        question="Helpt een vroeg gesprek?",
        primary_outcome="ladder_step_up",
        secondary_outcomes=["months_on_benefit"],
    )
    assert pilot.status == Status.RANDOMISED and pilot.seed == campaign.seed and pilot.follow_up_months == 1
    assert pilot.randomised_on == start and len(pilot.assignment_digest) == 64
    early = set(Invitation.objects.filter(campaign=campaign, cohort__number=1).values_list("client_id", flat=True))
    assert set(pilot.assignments.filter(arm="intervention").values_list("client_id", flat=True)) == early
    assert pilot.assignments.filter(arm="control").count() == 8
    with pytest.raises(ValidationError, match="al een pilot"):
        services.pilot_from_campaign(
            actor=analyst, campaign=campaign, name="x", question="x?", primary_outcome="ladder_step_up"
        )
    made = services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    assert made.results["n"] == 16  # the total is shown; each arm (8) is below 10 and hidden
    assert [a["assigned"] for a in made.results["monitoring"]["arms"]] == [None, None]
    assert made.results["outcomes"][0]["itt"]["suppressed"]
    assert any("oproep" in d for d in made.deviations)
