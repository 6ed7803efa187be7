"""Policy simulation in the web app: a changed scenario is saved only when the engine accepts it (every value with
its source, `extends` only of a shipped scenario), a run is recorded with the scenario texts it used, carried out on
the engine, and its results shown side by side with paired differences, per group and as downloads; a failed run
says why; only a policy analyst starts runs and saves scenarios."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trede.core.models import AuditRecord
from trede.scenarios import selectors, services
from trede.scenarios.models import SavedScenario, SimulationRun

pytestmark = pytest.mark.django_db

CHANGED = """
[scenario]
name = "kleine-caseload"
title = "Kleine caseload"
extends = "baseline"

[service.participation]
clients_per_caseworker = { value = 50, source = "eigen plan: 50 per klantmanager" }
"""


@pytest.fixture(autouse=True)
def _in_this_process(settings, tmp_path):
    settings.TREDE_SIMULATION_BACKGROUND = False
    settings.VAR_DIR = tmp_path


def test_a_changed_scenario_is_saved_with_its_sources_and_used_by_name(analyst):
    saved = services.scenario_save(actor=analyst, name="kleine-caseload", title="Kleine caseload", toml=CHANGED)
    sc = selectors.scenario("kleine-caseload")
    assert sc["service.participation.clients_per_caseworker"] == 50
    assert sc.sources["service.participation.clients_per_caseworker"] == "eigen plan: 50 per klantmanager"
    assert saved.digest == sc.digest and AuditRecord.objects.filter(action="scenario_save").count() == 1


@pytest.mark.parametrize(
    "text, field",
    [
        (
            CHANGED.replace('source = "eigen plan: 50 per klantmanager"', 'source = ""'),
            "toml",
        ),  # a value without source
        (CHANGED.replace("value = 50", "value = -3"), "toml"),  # out of range
        (CHANGED.replace('extends = "baseline"', 'extends = "/etc/passwd"'), "toml"),  # never a file path
        ("dit is geen toml [", "toml"),
    ],
)
def test_a_scenario_the_engine_refuses_is_not_saved(analyst, text, field):
    with pytest.raises(ValidationError) as refused:
        services.scenario_save(actor=analyst, name="x", title="X", toml=text)
    assert field in refused.value.message_dict and not SavedScenario.objects.exists()


def test_only_a_policy_analyst_saves_and_a_shipped_name_is_taken(analyst, team_lead):
    with pytest.raises(ValidationError):
        services.scenario_save(actor=team_lead, name="x", title="X", toml=CHANGED)
    with pytest.raises(ValidationError) as taken:
        services.scenario_save(actor=analyst, name="baseline", title="X", toml=CHANGED)
    assert "name" in taken.value.message_dict


def test_a_run_keeps_the_texts_it_used_and_its_results_show_side_by_side(client, analyst):
    services.scenario_save(actor=analyst, name="kleine-caseload", title="Kleine caseload", toml=CHANGED)
    client.force_login(analyst)
    response = client.post(
        reverse("simulation"),
        {
            "reference": "baseline",
            "scenarios": ["kleine-caseload"],
            "population_kind": "synthetic",
            "population": 300,
            "replications": 3,
            "horizon": 24,
        },
    )
    run = SimulationRun.objects.get()
    assert response.status_code == 302 and run.status == "done", run.error
    assert run.scenarios == ["baseline", "kleine-caseload"] and "kleine-caseload" in run.scenario_texts
    # the saved scenario changes later: the run keeps what it used
    SavedScenario.objects.filter(name="kleine-caseload").update(toml=CHANGED.replace("value = 50", "value = 80"))
    assert "value = 50" in run.scenario_texts["kleine-caseload"]
    page = client.get(reverse("simulation-run", args=[run.pk]))
    body = page.content.decode()
    assert "Naast elkaar" in body and "kleine-caseload: verschil" in body and "<svg" in body
    assert "Maanden in de uitkering per persoon" in body
    per_district = client.get(reverse("simulation-run", args=[run.pk]), {"groep": "district", "maat": "net_cost_eur"})
    assert per_district.status_code == 200 and "Netto kosten per persoon" in per_district.content.decode()
    csv = client.get(reverse("simulation-run-file", args=[run.pk, "differences", "csv"]))
    assert csv.status_code == 200 and b"versus" in b"".join(csv.streaming_content)
    assert (
        client.get(reverse("simulation-run-file", args=[run.pk, "..", "csv"])).status_code == 404
    )  # only the named files
    assert client.get(reverse("simulation-run-file", args=[run.pk, "results", "exe"])).status_code == 404
    assert AuditRecord.objects.filter(action__in=["simulation_start", "simulation_done"]).count() == 2


def test_paired_differences_of_a_scenario_with_itself_are_zero(analyst):
    identical = CHANGED.replace("value = 50", "value = 300")  # what the baseline has (see the scenario page)
    base = selectors.scenario("baseline")["service.participation.clients_per_caseworker"]
    services.scenario_save(
        actor=analyst, name="zelfde", title="Zelfde", toml=identical.replace("value = 300", f"value = {base}")
    )
    run = services.run_start(
        actor=analyst,
        scenarios=["baseline", "zelfde"],
        population_kind="synthetic",
        population=200,
        replications=2,
        horizon=12,
    )
    services.run_execute(run.pk, workers=1)
    run.refresh_from_db()
    diffs = selectors.run_results(run)["differences"]
    assert run.status == "done" and len(diffs) and (diffs["mean"].fillna(0) == 0).all()


def test_a_run_that_fails_says_why_and_leaves_no_files(analyst, monkeypatch):
    run = services.run_start(
        actor=analyst, scenarios=["baseline"], population_kind="synthetic", population=200, replications=1, horizon=12
    )

    def broken(*args, **kwargs):
        raise RuntimeError("het rekenen ging mis")

    monkeypatch.setattr(services.runner, "run", broken)
    services.run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "het rekenen ging mis" in run.error
    assert not selectors.run_folder(run).exists()
    with pytest.raises(ValidationError):
        services.run_execute(run.pk)  # a run is carried out once


def test_bad_run_settings_are_refused_with_the_field(analyst, team_lead):
    with pytest.raises(ValidationError) as big:
        services.run_start(actor=analyst, scenarios=["baseline"], population_kind="synthetic", population=10)
    assert "population" in big.value.message_dict
    with pytest.raises(ValidationError) as none:
        services.run_start(actor=analyst, scenarios=[], population_kind="synthetic", population=1000)
    assert "scenarios" in none.value.message_dict
    with pytest.raises(ValidationError):
        services.run_start(actor=team_lead, scenarios=["baseline"], population_kind="synthetic", population=1000)
    assert not SimulationRun.objects.exists()


def test_the_scenario_page_shows_every_parameter_with_its_source(client, analyst, team_lead):
    client.force_login(team_lead)
    page = client.get(reverse("simulation-scenario", args=["stockholm_caseload"])).content.decode()
    assert "population.md: Stockholm" in page and "Een eigen versie opslaan" not in page  # team leads only look
    client.force_login(analyst)
    response = client.post(
        reverse("simulation-scenario", args=["stockholm_caseload"]),
        {"name": "stockholm-zuid", "title": "Stockholm in Zuid", "description": "", "toml": CHANGED},
    )
    assert response.status_code == 302 and SavedScenario.objects.get().based_on == "stockholm_caseload"
    assert client.get(reverse("simulation-scenario", args=["bestaat-niet"])).status_code == 404


def test_the_calibration_report_holds_the_baseline_against_published_figures_with_sources(client, team_lead):
    client.force_login(team_lead)
    body = client.get(reverse("simulation-calibration")).content.decode()
    assert "Uitstroom naar werk per jaar" in body and "population.md" in body
    assert "Alle uitkomsten liggen binnen de marge." in body  # the shipped baseline is calibrated


def test_trede_simulate_takes_the_own_caseload_from_the_database(make_client, caseworker, today, tmp_path):
    import datetime as dt
    import io
    import json

    from django.core.management import call_command

    from trede.clients.services import benefit_period_start

    for _ in range(120):
        benefit_period_start(actor=None, client=make_client(caseworker), start_on=today - dt.timedelta(days=400))
    out = io.StringIO()
    call_command(
        "simulate", "baseline", own_caseload=True, replications=1, horizon=12, out=str(tmp_path), workers=1,
        no_progress=True, stdout=out,
    )  # fmt: skip
    assert "own caseload: 120 people on benefit today" in out.getvalue()
    meta = json.loads((tmp_path / "run.json").read_text())
    assert meta["population"]["stock"] == 120 if "stock" in meta["population"] else "120" in json.dumps(meta)
