"""Scenario files: every parameter known, with a source, of the right kind and range; errors name the parameter."""

from __future__ import annotations

import pytest

from trede.simulation import scenario as S

SHIPPED = (
    "baseline",
    "amsterdam_cohort",
    "rotterdam_tegenprestatie",
    "utrecht_initiative",
    "leeuwarden_neighbourhood",
    "stockholm_caseload",
    "bremen_basic_jobs",
    "basic_income_exemption",
)


def test_the_approaches_of_the_issue_are_shipped():
    assert set(SHIPPED) <= set(S.shipped())
    assert S.shipped()[0] == "baseline"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_are_complete_with_sources(name):
    sc = S.load(name)
    assert sc.name == name and sc.title and sc.title_en and sc.description
    assert set(sc.values) == set(S.SCHEMA)
    assert all(sc.sources[p].strip() for p in S.SCHEMA)
    rows = sc.rows()
    assert len(rows) == len(S.SCHEMA) and all(r["source"] for r in rows)


def test_a_variant_sets_only_what_differs_and_inherits_the_rest_with_its_source():
    base, stockholm = S.load("baseline"), S.load("stockholm_caseload")
    assert stockholm["service.participation.clients_per_caseworker"] == 27
    assert "Stockholm" in stockholm.sources["service.participation.clients_per_caseworker"]
    assert stockholm["hazards.work.segment"] == base["hazards.work.segment"]
    assert stockholm.sources["hazards.work.segment"] == base.sources["hazards.work.segment"]
    assert stockholm.origins["hazards.work.segment"].endswith("baseline.toml")


def test_round_trip_through_toml_keeps_values_and_sources():
    sc = S.load("bremen_basic_jobs")
    again = S.from_text(sc.to_toml())
    assert dict(again.values) == dict(sc.values)
    assert dict(again.sources) == dict(sc.sources)
    assert again.digest == sc.digest and again.title == sc.title


def _variant(body: str) -> str:
    return f'[scenario]\nname = "x"\nextends = "baseline"\n{body}\n'


def test_unknown_parameter_is_named_with_a_suggestion():
    text = _variant('[service.work]\nclients_per_casewoker = { value = 50, source = "s" }')
    with pytest.raises(S.ScenarioError) as err:
        S.from_text(text)
    assert err.value.parameter == "service.work.clients_per_casewoker"
    assert err.value.problem == "unknown"
    assert "service.work.clients_per_caseworker" in str(err.value)


def test_a_value_without_source_is_refused():
    with pytest.raises(S.ScenarioError) as err:
        S.from_text(_variant("[service.work]\nclients_per_caseworker = { value = 50 }"))
    assert err.value.parameter == "service.work.clients_per_caseworker" and err.value.problem == "source"
    with pytest.raises(S.ScenarioError) as err:
        S.from_text(_variant("[service.work]\nclients_per_caseworker = 50"))
    assert err.value.problem == "source"


@pytest.mark.parametrize(
    ("line", "parameter", "problem"),
    [
        ('[sanctions]\nbreach_per_month = { value = 1.5, source = "s" }', "sanctions.breach_per_month", "range"),
        ('[sanctions]\nregime = { value = "harsh", source = "s" }', "sanctions.regime", "choice"),
        ('[cohort]\nsize = { value = 1.5, source = "s" }', "cohort.size", "type"),
        ('[hazards.work]\nduration = { value = [1, 2], source = "s" }', "hazards.work.duration", "type"),
        ('[tegenprestatie]\nroutes = { value = ["work", "bus"], source = "s" }', "tegenprestatie.routes", "choice"),
        (
            '[service.work]\nclients_per_caseworker = { value = 0, source = "s" }',
            "service.work.clients_per_caseworker",
            "range",
        ),
        (
            '[sanctions]\neffect_months = { value = 1, source = "s" }\nmonths = { value = 3, source = "s" }',
            "sanctions.effect_months",
            "range",
        ),
    ],
)
def test_bad_values_name_the_parameter(line, parameter, problem):
    with pytest.raises(S.ScenarioError) as err:
        S.from_text(_variant(line))
    assert err.value.parameter == parameter
    assert err.value.problem == problem
    assert parameter in str(err.value)


def test_a_scenario_without_extends_must_be_complete():
    with pytest.raises(S.ScenarioError) as err:
        S.from_text('[scenario]\nname = "alone"\n[service.work]\nclients_per_caseworker = { value = 50, source = "s" }')
    assert err.value.problem == "missing" and "more" in str(err.value)


def test_syntax_errors_and_missing_files_are_reported(tmp_path):
    with pytest.raises(S.ScenarioError) as err:
        S.from_text("[scenario\nname = 1")
    assert err.value.problem == "syntax"
    with pytest.raises(S.ScenarioError) as err:
        S.load("no_such_scenario")
    assert err.value.problem == "file" and "baseline" in str(err.value)
    loop = tmp_path / "loop.toml"
    loop.write_text('[scenario]\nname = "loop"\nextends = "loop.toml"\n')
    with pytest.raises(S.ScenarioError) as err:
        S.load(loop)
    assert err.value.problem == "extends"


def test_a_file_can_extend_a_shipped_scenario_and_a_file_beside_it(tmp_path):
    (tmp_path / "mine.toml").write_text(
        _variant('[cohort]\nenabled = { value = true, source = "our plan" }').replace('name = "x"', 'name = "mine"')
    )
    (tmp_path / "more.toml").write_text(
        '[scenario]\nname = "more"\nextends = "mine.toml"\n[cohort]\nsize = { value = 500, source = "our plan" }\n'
    )
    sc = S.load(tmp_path / "more.toml")
    assert sc["cohort.enabled"] is True and sc["cohort.size"] == 500
    assert sc.sources["cohort.enabled"] == "our plan"


def test_replace_checks_values_and_names_must_differ():
    with pytest.raises(S.ScenarioError):
        S.load("baseline").replace({"cohort.size": -1}, source="x")
    with pytest.raises(S.ScenarioError):
        S.load_many(["baseline", "baseline"])
