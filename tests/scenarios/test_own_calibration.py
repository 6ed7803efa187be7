"""Calibration on the municipality's own history: the targets come from trede's own outcomes (the last 12 months'
flows, the returns of every month long enough ago) with their own intervals, the rest stays national; a history
that is too short or too small says why and the national report is shown."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.urls import reverse

from trede.outcomes.dashboard import Figures, Month, Rate, Selection, Share
from trede.scenarios import selectors
from trede.simulation.calibration import TARGETS

pytestmark = pytest.mark.django_db

REASONS = [("work", "Werk"), ("other", "Andere reden")]
BASE = {t.name: t for t in TARGETS}


def _month(k: int, *, caseload=2000, work=20, other=30, inflow=35, returned=None, still_off_work=None) -> Month:
    end = dt.date(2025, 1, 31) + dt.timedelta(days=31 * k)
    none = Share(None, None)
    returned = returned or {6: Share.of(15, 100), 12: Share.of(22, 100), 24: Share.of(30, 100)}
    return Month(
        end=end,
        caseload=caseload,
        inflow=inflow,
        outflow=None if work is None or other is None else work + other,
        out_by_reason=[work, other],
        out_work_pct=none,
        active=none,
        exempt=none,
        contacted=none,
        sanctions=Rate(None, None),
        still_off={6: none, 12: none},
        still_off_work={6: none, 12: still_off_work or Share.of(80, 100)},
        returned=returned,
    )


def _figures(months: list[Month]) -> Figures:
    return Figures(
        today=dt.date(2026, 11, 25),
        selection=Selection(),
        months=months,
        reasons=REASONS,
        ladder={},
        overdue=None,
        on_benefit_now=None,
        contacts_per_year=Rate(None, None),
        caseworkers=None,
    )


def test_the_own_targets_are_the_last_twelve_months_flows_and_the_pooled_returns():
    months = [_month(k, caseload=1000 if k < 12 else 2000) for k in range(24)]
    own = selectors.own_targets_of(_figures(months))
    t = {x.name: x for x in own.targets}
    # 12 x 20 exits to work on an average caseload of 2,000 (the last 12 months only): 12% a year
    assert t["outflow_work_rate"].value == pytest.approx(12.0)
    assert t["outflow_total_rate"].value == pytest.approx(100 * 12 * 50 / 2000)
    # the interval of 240 events on 2,000 (+-1.5) is narrower than the national tolerance: that stays
    assert t["outflow_work_rate"].tolerance == pytest.approx(
        max(BASE["outflow_work_rate"].tolerance, 196 * math.sqrt(240) / 2000)
    )
    # returns pooled over all 24 months: 15 of 100 each month
    assert t["return_all_6m"].value == pytest.approx(15.0) and t["return_all_24m"].value == pytest.approx(30.0)
    # back within a year after work = not still off benefit: 20 of 100 each month
    assert t["return_work_12m"].value == pytest.approx(20.0)
    assert own.inflow_per_year == pytest.approx(12 * 35 / 2000) and own.caseload == pytest.approx(2000)
    assert "eigen gegevens" in t["outflow_work_rate"].source and "240" in t["outflow_work_rate"].source
    assert {x.name for x in own.targets} <= set(BASE) and "caseload_change" not in t  # the rest stays national


def test_a_small_municipality_s_wide_interval_becomes_the_tolerance():
    months = [_month(k, caseload=150, work=10, other=10, inflow=12) for k in range(12)]
    own = selectors.own_targets_of(_figures(months))
    work = next(x for x in own.targets if x.name == "outflow_work_rate")
    assert work.value == pytest.approx(100 * 120 / 150)
    assert work.tolerance == pytest.approx(196 * math.sqrt(120) / 150)
    assert work.tolerance > BASE["outflow_work_rate"].tolerance


def test_hidden_months_leave_that_target_out_and_too_little_history_says_why():
    months = [_month(k) for k in range(12)]
    months[5] = _month(5, work=None)  # fewer than 10 exits to work that month: hidden
    names = {x.name for x in selectors.own_targets_of(_figures(months)).targets}
    assert "outflow_work_rate" not in names and "outflow_total_rate" not in names and "return_all_12m" in names
    short = selectors.own_targets_of(_figures([_month(k) for k in range(11)]))
    assert not short.targets and "twaalf maanden" in short.reason
    small = selectors.own_targets_of(_figures([_month(k, caseload=60) for k in range(12)]))
    assert not small.targets and "te klein" in small.reason
    few = [_month(k, returned={6: Share.of(1, 2), 12: Share.of(1, 2), 24: Share.of(1, 2)}) for k in range(12)]
    assert "return_all_6m" not in {x.name for x in selectors.own_targets_of(_figures(few)).targets}


def test_the_page_calibrates_on_the_own_caseload_with_the_own_targets(
    client, team_lead, make_client, caseworker, today, monkeypatch
):
    from trede.clients.services import benefit_period_start

    for _ in range(120):
        benefit_period_start(actor=None, client=make_client(caseworker), start_on=today - dt.timedelta(days=400))
    months = [_month(k, caseload=2000) for k in range(24)]
    monkeypatch.setattr(selectors, "own_targets", lambda day: selectors.own_targets_of(_figures(months)))
    client.force_login(team_lead)
    body = client.get(reverse("simulation-calibration") + "?basis=own").content.decode()
    assert "onze eigen caseload van vandaag (120 mensen" in body
    assert "Waargenomen ± marge" in body and "trede, eigen gegevens" in body
    assert "population.md" in body  # what the own history does not give (the caseload's change) stays national
    assert "0,210" in body  # the own inflow: 12 x 35 on 2,000


def test_without_enough_history_the_page_says_why_and_shows_the_national_report(client, team_lead):
    client.force_login(team_lead)
    response = client.get(reverse("simulation-calibration") + "?basis=own", follow=True)
    body = response.content.decode()
    assert "Kalibreren op eigen cijfers kan nog niet." in body
    assert "synthetische bevolking" in body and "Gepubliceerd ± marge" in body


def test_tune_to_meets_the_own_outflow_in_the_first_year():
    from trede.simulation import calibration as C

    t = C.tune_to(3000, outflow_work_rate=9.0, outflow_total_rate=20.0, inflow=0.159)
    assert t.work_factor < 1 and abs(t.outflow_work_rate - 9.0) < 0.5 and abs(t.outflow_total_rate - 20.0) < 0.8
    tuned = t.apply(C.S.load("baseline"), "test")
    assert tuned["hazards.work.segment"][0] == pytest.approx(
        C.S.load("baseline")["hazards.work.segment"][0] * t.work_factor, rel=1e-4
    )
    assert tuned.sources["hazards.other.segment"] == "test"


@pytest.fixture
def _in_this_process(settings, tmp_path):
    settings.TREDE_SIMULATION_BACKGROUND = False
    settings.VAR_DIR = tmp_path


def test_a_run_on_the_own_caseload_first_tunes_the_basis_to_the_own_figures(
    analyst, make_client, caseworker, today, monkeypatch, _in_this_process, client
):
    from trede.clients.services import benefit_period_start
    from trede.core.models import AuditRecord
    from trede.scenarios import services
    from trede.scenarios.models import RunStatus

    for _ in range(120):
        benefit_period_start(actor=None, client=make_client(caseworker), start_on=today - dt.timedelta(days=400))
    months = [_month(k, caseload=2000, work=30, other=30, inflow=40) for k in range(24)]  # 18% to work a year
    monkeypatch.setattr(selectors, "own_targets", lambda day: selectors.own_targets_of(_figures(months)))
    run = services.run_start(
        actor=analyst, scenarios=["baseline", "stockholm_caseload"], population_kind="caseload", replications=2,
        horizon=24, own_calibration=True,
    )  # fmt: skip
    assert run.own_calibration and run.calibration["outflow_work_rate"] == pytest.approx(18.0)
    run = services.run_execute(run.pk, workers=1)
    assert run.status == RunStatus.DONE, run.error
    c = run.calibration
    assert c["work_factor"] > 1 and c["inflow_used"] == pytest.approx(12 * 40 / 2000)
    assert abs(c["simulated_outflow_work_rate"] - 18.0) < 3  # 120 people, 4 replications: rough
    for name in ("baseline", "stockholm_caseload"):
        sc = selectors.from_saved_text(run.scenario_texts[name], name)
        assert sc["hazards.work.segment"][0] > selectors.scenario("baseline")["hazards.work.segment"][0]
        assert "afgestemd op de eigen cijfers" in sc.sources["hazards.work.segment"]
    assert AuditRecord.objects.filter(action="simulation_done").exists()
    client.force_login(analyst)
    page = client.get(reverse("simulation-run", args=[run.pk])).content.decode()
    assert "Basis afgestemd op eigen cijfers" in page and "naar werk 18,0%" in page


def test_tuning_to_own_figures_is_refused_without_the_own_caseload_or_without_figures(analyst, monkeypatch):
    from django.core.exceptions import ValidationError

    from trede.scenarios import services

    with pytest.raises(ValidationError, match="alleen met de eigen caseload"):
        services.run_start(
            actor=analyst, scenarios=["baseline"], population_kind="synthetic", population=500, own_calibration=True
        )
    monkeypatch.setattr(selectors, "own_targets", lambda day: selectors.OwnTargets(reason="Te kort."))
    monkeypatch.setattr("trede.outcomes.exports.caseload_frame", lambda day: [0] * 150)
    with pytest.raises(ValidationError, match="kan nog niet. Te kort."):
        services.run_start(actor=analyst, scenarios=["baseline"], population_kind="caseload", own_calibration=True)
