"""Helpers for the simulation tests."""

from __future__ import annotations

from trede.simulation import scenario as S


def quiet(scenario: S.Scenario, **changes) -> S.Scenario:
    """The scenario with every hazard, programme and effect switched off, then `changes` applied: a clean slate
    for known-answer tests."""
    zero6 = [0.0] * 6
    base = {
        "hazards.work.segment": [0.0, 0.0, 0.0],
        "hazards.work.duration": [1.0] * 6,
        "hazards.work.ladder": [1.0] * 5,
        "hazards.work.age": [1.0] * 4,
        "hazards.work.exempt": 1.0,
        "hazards.other.segment": [0.0, 0.0, 0.0],
        "hazards.other.duration": [1.0] * 6,
        "hazards.other.age": [1.0] * 4,
        "hazards.gone.age": [0.0] * 4,
        "hazards.gone.off_benefit": 0.0,
        "hazards.ladder.up": [0.0] * 4,
        "hazards.ladder.down": [0.0] * 4,
        "hazards.returns.work": zero6,
        "hazards.returns.other": zero6,
        "effects.contacts.work_elasticity": 0.0,
        "effects.contacts.ladder_elasticity": 0.0,
        "sanctions.regime": "none",
        "tegenprestatie.regime": "none",
        "trial.places": 0,
        "wage_subsidy.share": 0.0,
        "job_coaching.share": 0.0,
        "basic_jobs.places": 0,
        "coaching.places": 0,
        "cohort.enabled": False,
    }
    base.update(changes)
    return scenario.replace(base, source="test", name=scenario.name)
