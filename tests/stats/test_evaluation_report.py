"""analyse() and monitor() on synthetic pilots: the pre-registered analysis through one call, the monitoring
figures that read no outcome, no analysis before the analysis date, the plan's checks and the refusals."""

import dataclasses
import datetime as dt

import numpy as np
import pytest

from trede.stats.evaluation.design import Outcome, OutcomeKind, PilotPlan
from trede.stats.evaluation.effects import difference_in_means
from trede.stats.evaluation.report import analyse, monitor
from trede.stats.evaluation.synthetic import synthetic_pilot


@pytest.fixture(scope="module")
def pilot():
    return synthetic_pilot(6000, seed=4, log_hazard_ratio=0.5, bootstrap=200)


@pytest.fixture(scope="module")
def report(pilot):
    plan, frame = pilot
    return analyse(plan, frame)


def test_monitoring_counts_every_client_and_arm(pilot, report):
    plan, frame = pilot
    m = report.monitoring
    assert m.n == 6000 == report.n
    intervention, control = m.arms
    assert intervention.assigned == int(frame.assigned.sum()) and control.assigned == 6000 - intervention.assigned
    assert intervention.crossovers == int(((frame.assigned == 1) & (frame.received == 0)).sum())
    assert control.crossovers == int(((frame.assigned == 0) & (frame.received == 1)).sum())
    lost = frame.work_12.isna()
    assert intervention.attrition == int((lost & (frame.assigned == 1)).sum()) > 0
    assert len(m.strata) == 20 and sum(s.n_intervention + s.n_control for s in m.strata) == 6000
    assert all(abs(s.n_intervention - s.n_control) <= 1 for s in m.strata)  # balanced within strata
    names = [b.factor for b in m.balance]
    assert "age" in names and "education=low" in names
    assert all(abs(b.smd) < 0.1 for b in m.balance) and m.imbalanced == ()


def test_monitoring_reads_no_outcome_values(pilot):
    plan, frame = pilot
    before = monitor(plan, frame)
    scrambled = frame.copy()
    for column in ("work_12", "months_to_work", "work_event", "months_on_benefit"):
        scrambled[column] = scrambled[column].astype(object).where(scrambled[column].isna(), "hidden")
    assert monitor(plan, scrambled) == before


def test_the_primary_analysis(pilot, report):
    plan, frame = pilot
    primary = report.primary
    assert primary.primary and primary.outcome.name == "work_12"
    direct = difference_in_means(frame, "work_12")
    assert primary.itt == direct
    assert primary.n == direct.n == 6000 - primary.missing
    assert primary.itt.estimate > 0 and primary.itt.ci_low > 0  # a strong synthetic effect is found
    assert primary.adjusted.se < primary.itt.se
    assert primary.complier.effect.estimate > primary.itt.estimate  # diluted by crossovers
    assert primary.complier.first_stage == pytest.approx(
        frame.received[frame.assigned == 1].mean() - frame.received[frame.assigned == 0].mean(), abs=0.01
    )
    assert [e.subgroup for e in primary.subgroups.effects] == ["route", "route", "age_band", "age_band"]
    assert all(e.p_adjusted >= e.p_value for e in primary.subgroups.effects)
    b = primary.bootstrap
    assert b.replications == 200 and b.resampling == "within strata" and b.n == primary.n
    assert b.estimate == pytest.approx(primary.adjusted.estimate, rel=1e-9)
    assert b.ci_low < b.estimate < b.ci_high


def test_the_bootstrap_in_the_report_is_reproducible(pilot, report):
    plan, frame = pilot
    again = analyse(plan, frame)
    assert np.array_equal(again.primary.bootstrap.replicates, report.primary.bootstrap.replicates)


def test_secondary_outcomes_durations_and_means(report):
    duration = report.outcomes[1]
    assert duration.outcome.kind is OutcomeKind.DURATION
    curves = duration.duration.curves
    assert list(curves) == ["intervention", "control"]
    assert curves["intervention"].times.tolist() == list(range(25))
    assert duration.duration.hazard_ratio.hazard_ratio > 1  # work sooner in the intervention arm
    assert duration.hazard_ratio_adjusted.covariates == report.plan.covariates
    assert duration.n == curves["intervention"].n + curves["control"].n
    assert duration.complier is None and duration.notes
    months = report.outcomes[2]
    assert months.itt.estimate < 0  # fewer months on benefit


def test_deviations_found_in_the_data(report):
    text = " | ".join(report.deviations)
    assert "crossovers" in text and "attrition" in text


def test_recorded_deviations_come_first(pilot):
    plan, frame = pilot
    r = analyse(dataclasses.replace(plan, bootstrap=0, subgroups=()), frame, deviations=("follow-up ended early",))
    assert r.deviations[0] == "follow-up ended early"
    assert r.primary.bootstrap is None and r.primary.subgroups is None


def test_no_outcome_analysis_before_the_analysis_date(pilot):
    plan, frame = pilot
    plan = dataclasses.replace(plan, analysis_date=dt.date(2027, 1, 1), bootstrap=0)
    with pytest.raises(ValueError, match="analysis date is 2027-01-01"):
        analyse(plan, frame, today=dt.date(2026, 6, 1))
    safety = analyse(plan, frame, today=dt.date(2026, 6, 1), safety_monitor=True)
    assert safety.safety_monitor is True
    assert analyse(plan, frame, today=dt.date(2027, 1, 1)).safety_monitor is False


def test_cluster_randomised_pilot():
    plan, frame = synthetic_pilot(6000, seed=5, unit="caseworker", bootstrap=100)
    r = analyse(plan, frame)
    assert r.primary.itt.se_kind == "CR1" and r.primary.itt.clusters == frame.caseworker.nunique()
    assert r.primary.bootstrap.resampling == "clusters within strata"
    assert r.outcomes[1].duration.hazard_ratio.robust
    arms = r.monitoring.arms
    assert arms[0].clusters + arms[1].clusters == frame.caseworker.nunique()
    # every client has the arm of their caseworker
    assert (frame.groupby("caseworker").assigned.nunique() == 1).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="work_12"), "missing column"),
        (lambda f: f.drop(columns="age"), "missing column"),
        (lambda f: f.assign(assigned=0), "intervention arm is empty"),
        (lambda f: f.assign(assigned=f.assigned + 1), "0 or 1"),
        (lambda f: f.iloc[:0], "no rows"),
        (lambda f: f.assign(received=f.received * 3), "0 or 1"),
    ],
)
def test_bad_data_is_refused(pilot, change, message):
    plan, frame = pilot
    with pytest.raises(ValueError, match=message):
        analyse(dataclasses.replace(plan, bootstrap=0), change(frame))


def _plan(**changes):
    base = {
        "question": "q",
        "intervention": "coach",
        "control": "usual",
        "primary": Outcome("work", OutcomeKind.BINARY, "work"),
    }
    return PilotPlan(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"question": " "}, "question is empty"),
        ({"weights": (0, 1)}, "weights"),
        ({"weights": (1.5, 1)}, "weights"),
        ({"alpha": 0.7}, "alpha"),
        ({"unit": "district"}, "cluster column"),
        ({"bootstrap": 10}, "bootstrap"),
        ({"covariates": ("assigned",)}, "design column"),
        ({"covariates": ("work",)}, "outcome cannot also be a baseline factor"),
        ({"secondary": (Outcome("work", OutcomeKind.BINARY, "w2"),)}, "names must differ"),
        ({"unit": "region"}, "region"),
    ],
)
def test_plan_checks(changes, message):
    with pytest.raises(ValueError, match=message):
        _plan(**changes)


def test_outcome_checks_and_a_valid_plan():
    with pytest.raises(ValueError, match="event column"):
        Outcome("t", OutcomeKind.DURATION, "t")
    with pytest.raises(ValueError, match="only a duration"):
        Outcome("t", OutcomeKind.BINARY, "t", event="e")
    plan = _plan(weights=(2, 1), strata=["route"], covariates=["age", "route"])
    assert plan.ratio == 2.0 and plan.strata == ("route",) and plan.baseline_columns() == ("route", "age")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.seed = 3


def test_a_duration_as_primary_bootstraps_the_difference_in_work_by_the_end_of_follow_up(pilot):
    plan, frame = pilot
    time_to_work = plan.secondary[0]
    plan = dataclasses.replace(plan, primary=time_to_work, secondary=(), bootstrap=100, subgroups=())
    r = analyse(plan, frame)
    curves = r.primary.duration.curves
    by_end = {arm: 1 - c.at(plan.follow_up_months) for arm, c in curves.items()}
    assert r.primary.bootstrap.estimate == pytest.approx(by_end["intervention"] - by_end["control"], rel=1e-12)
    assert r.primary.bootstrap.n == r.primary.n
    assert r.primary.itt is None and r.primary.hazard_ratio_adjusted is not None
    assert analyse(plan, frame).primary.duration.curves == curves  # equal curves compare equal


def test_a_binary_outcome_must_be_0_or_1(pilot):
    plan, frame = pilot
    with pytest.raises(ValueError, match="work_12: values must be 0 or 1"):
        analyse(dataclasses.replace(plan, bootstrap=0), frame.assign(work_12=frame.work_12 * 2))


def test_without_a_difference_in_take_up_the_report_says_so(pilot):
    plan, frame = pilot
    frame = frame.assign(received=1)  # the control arm got the intervention too: assignment changed nothing
    r = analyse(dataclasses.replace(plan, bootstrap=0, subgroups=()), frame)
    assert r.primary.itt is not None and r.primary.complier is None
    assert any("no complier effect: the assignment did not change" in n for n in r.primary.notes)
    assert r.monitoring.arms[1].crossovers == r.monitoring.arms[1].assigned
