"""The engine: known answers with hazards of 0 or 1, conservation, capacity, and hazards that show up as set."""

from __future__ import annotations

import numpy as np
import pytest

from tests.simulation.helpers import quiet
from trede.simulation import engine as E
from trede.simulation import population as P


def _run(scenario, pop, horizon, reps=(0,), seed=1):
    return E.simulate(scenario, pop, horizon=horizon, seed=seed, replications=list(reps))


def _acc(rr, name):
    return int(rr.acc[E.A[name]].sum())


def _young_stock(n=200, seed=3):
    """A stock without anyone near the state pension within the tests' horizons."""
    pop = P.synthetic(n, seed)
    return pop.take(np.flatnonzero(pop.age_months < 60 * 12))


def test_nothing_happens_without_hazards(baseline):
    pop = _young_stock()
    rr = _run(quiet(baseline), pop, 24)[0]
    assert _acc(rr, "months_on") == pop.n * 24
    assert rr.end_state[:, E.ON].sum() == pop.n
    assert _acc(rr, "exits_work") == _acc(rr, "exits_other") == _acc(rr, "sanctions") == 0
    assert (rr.curves[:, :, E.C["on_benefit"]].sum(axis=1) == pop.n).all()


def test_certain_work_exit_and_certain_return_alternate(baseline):
    pop = _young_stock()
    sc = quiet(baseline, **{"hazards.work.segment": [1.0, 1.0, 1.0], "hazards.returns.work": [1.0] * 6})
    rr = _run(sc, pop, 12)[0]
    # month 0 on benefit, month 1 in work, month 2 back, ...: on benefit in the even months
    on = rr.curves[:, :, E.C["on_benefit"]].sum(axis=1)
    assert on.tolist() == [pop.n if t % 2 == 0 else 0 for t in range(12)]
    assert _acc(rr, "exits_work") == 6 * pop.n
    assert _acc(rr, "returns") == 6 * pop.n  # months 1, 3, ..., 11 (the last takes effect after the horizon)
    assert _acc(rr, "months_on") == 6 * pop.n and _acc(rr, "months_work") == 6 * pop.n
    assert _acc(rr, "returns_12m_work") == 0  # no exit has 12 months left inside a 12-month horizon


def test_certain_exit_without_return_is_durable(baseline):
    pop = _young_stock()
    sc = quiet(baseline, **{"hazards.work.segment": [1.0, 1.0, 1.0]})
    rr = _run(sc, pop, 24)[0]
    assert _acc(rr, "months_on") == pop.n  # only month 0
    assert _acc(rr, "exits_work_followed") == _acc(rr, "durable") == pop.n
    assert rr.end_state[:, E.WORK].sum() == pop.n


def test_state_pension_at_67_exactly(baseline):
    pop = P.synthetic(300, 4)
    months_left = P.PENSION_MONTHS - pop.age_months.astype(int)
    rr = _run(quiet(baseline), pop, 36)[0]
    gone = rr.curves[:, :, E.C["gone"]].sum(axis=1)
    expected = [int((months_left <= t).sum()) for t in range(36)]
    assert gone.tolist() == expected
    assert _acc(rr, "exits_pension") == expected[-1]


def test_sanctions_when_certain_and_never_without_obligations(baseline):
    pop = _young_stock()
    sc = quiet(
        baseline,
        **{
            "sanctions.regime": "standard",
            "sanctions.breach_per_month": 1.0,
            "sanctions.culpable_share": 1.0,
            "sanctions.months": 1,
            "sanctions.effect_months": 1,
        },
    )
    rr = _run(sc, pop, 6)[0]
    obliged = int((~pop.exempt).sum())
    assert _acc(rr, "sanctions") == 6 * obliged
    assert _acc(rr, "months_sanction") == 5 * obliged  # from the month after each breach
    everyone = sc.replace({"exemption.policy": "everyone"}, source="test")
    assert _acc(_run(everyone, pop, 6)[0], "sanctions") == 0


def test_conservation_every_person_in_one_state_every_month(baseline, small_population):
    for rr in _run(baseline, small_population, 36, reps=(0, 1)):
        states = rr.curves[:, :, [E.C[s] for s in ("on_benefit", "basic_job", "work", "off_other", "gone")]]
        entered = np.cumsum(rr.curves[:, :, E.C["entries"]].sum(axis=1))
        assert (states.sum(axis=(1, 2)) == entered).all()
        assert rr.end_state.sum() == small_population.n
        assert rr.end_ladder[:, 1:].sum() == rr.end_state[:, E.ON].sum()


@pytest.mark.parametrize(
    "name", ["amsterdam_cohort", "bremen_basic_jobs", "rotterdam_tegenprestatie", "utrecht_initiative"]
)
def test_places_are_never_exceeded(name, small_population):
    from trede.simulation import scenario as S

    sc = S.load(name)
    prep = E.Prepared(small_population)
    model = E.Model(sc, prep, 36)
    batch = E.Batch(model, prep, 2, [0, 1])
    limits = {E.TEGEN: model.tp_places, E.COACHING: model.coach_places, E.TRIAL: model.trial_places}
    invited = 0
    for t in range(36):
        batch.step(t)
        for lane in range(2):
            lanes = slice(lane, None, 2)
            prog = batch.prog[lanes][batch.state[lanes] == E.ON]
            for programme, places in limits.items():
                assert (prog == programme).sum() == batch.prog_count[lane, programme] <= places
            jobs = (batch.state[lanes] == E.BASIC_JOB).sum()
            assert jobs == batch.n_jobs[lane] <= model.bj_places
        cohort_month = model.cohort_on and (t - model.cohort_start) % model.cohort_pace == 0
        if cohort_month:
            now = int(batch.invited.sum())
            assert now - invited <= 2 * model.cohort_size
            invited = now
    if model.bj_places:
        assert batch.n_jobs.min() > 0
    if model.cohort_on:
        assert invited > 0


def test_simulated_hazards_fall_inside_the_interval_of_their_parameter(baseline):
    """A constant monthly probability p (no multipliers): the exits over many replications and months are
    binomial; the simulated rate must lie within 4 standard errors of p."""
    pop = _young_stock(2000, 9)
    p_work, p_other = 0.03, 0.02
    sc = quiet(
        baseline,
        **{
            "hazards.work.segment": [p_work] * 3,
            "hazards.other.segment": [p_other] * 3,
            "hazards.returns.work": [1.0] * 6,
            "hazards.returns.other": [1.0] * 6,
        },
    )
    runs = _run(sc, pop, 12, reps=range(8))
    exits_w = sum(_acc(rr, "exits_work") for rr in runs)
    exits_o = sum(_acc(rr, "exits_other") for rr in runs)
    exposure = sum(_acc(rr, "months_on") for rr in runs)  # person-months at risk
    for exits, p in ((exits_w, p_work), (exits_o, p_other)):
        rate = exits / exposure
        se = np.sqrt(p * (1 - p) / exposure)
        assert abs(rate - p) < 4 * se, (rate, p, se)


def test_chunks_and_batches_do_not_change_results(baseline, small_population):
    whole = _run(baseline, small_population, 24, reps=(0, 1, 2))
    chunked = E.simulate(baseline, small_population, horizon=24, seed=1, replications=[0, 1, 2], chunk=37)
    one_by_one = E.simulate(baseline, small_population, horizon=24, seed=1, replications=[0, 1, 2], batch=1)
    for a, b, c in zip(whole, chunked, one_by_one, strict=True):
        for field in ("acc", "end_state", "end_ladder", "curves", "pool_months", "end_duration"):
            assert np.array_equal(getattr(a, field), getattr(b, field))
            assert np.array_equal(getattr(a, field), getattr(c, field))


def test_a_replication_does_not_depend_on_its_neighbours_in_a_batch(baseline, small_population):
    alone = _run(baseline, small_population, 24, reps=(5,))[0]
    among = _run(baseline, small_population, 24, reps=(3, 4, 5))[2]
    assert np.array_equal(alone.acc, among.acc) and np.array_equal(alone.curves, among.curves)
    other = _run(baseline, small_population, 24, reps=(6,))[0]
    assert not np.array_equal(alone.acc, other.acc)


def test_horizon_limits(baseline, small_population):
    with pytest.raises(ValueError):
        E.Model(baseline, E.Prepared(small_population), E.MAX_HORIZON + 1)
