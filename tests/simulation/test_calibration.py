"""The baseline reproduces population.md's flows on the synthetic population, within the stated tolerances."""

from __future__ import annotations

from trede.simulation import calibration as K


def test_calibration_report_within_tolerance():
    report = K.calibration_report(12_000, replications=3, backend="serial")
    failed = [(r.target.name, r.mean) for r in report.rows if not r.ok]
    assert not failed, failed
    assert [name for name, _ in report.scenario_rows] == ["amsterdam_cohort"]
    assert all(r.ok for _, r in report.scenario_rows), report.scenario_rows
    assert report.ok
    frame = report.to_frame()
    assert frame["source"].str.contains("population.md").all()
    sources = report.sources_frame()
    assert sources["source"].str.len().min() > 0
    assert {"baseline", "stockholm_caseload"} <= set(sources["scenario"])
    text = report.to_text()
    assert "outflow_work_rate" in text and "Duration profile" in text


def test_measures_flag_a_miscalibrated_baseline():
    """The report must be able to fail: double the work exits and the outflow target is missed."""
    from trede.simulation import scenario as S

    base = S.load("baseline")
    doubled = base.replace({"hazards.work.segment": [2 * x for x in base["hazards.work.segment"]]}, source="test")
    report = K.calibration_report(4000, baseline=doubled, scenarios=[], replications=2, horizon=36, backend="serial")
    row = next(r for r in report.rows if r.target.name == "outflow_work_rate")
    assert not row.ok and row.mean > 15
    assert not report.ok
