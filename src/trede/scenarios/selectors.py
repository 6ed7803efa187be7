"""Reads of the policy simulation: which scenarios there are (shipped with trede, or saved by an analyst), a scenario
by name, and the results of a run (read back from the files the run wrote)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from trede.scenarios.models import SavedScenario, SimulationRun
from trede.simulation import scenario as S

RESULT_FILES = ("results", "differences", "curves", "parameters")


@dataclass
class ScenarioChoice:
    name: str
    title: str
    shipped: bool


def scenario_choices() -> list[ScenarioChoice]:
    """The shipped scenarios (baseline first), then the saved ones."""
    out = [ScenarioChoice(name, S.load(name).title, True) for name in S.shipped()]
    out += [ScenarioChoice(s.name, s.title, False) for s in SavedScenario.objects.all()]
    return out


def scenario(name: str) -> S.Scenario:
    """A scenario by name: a saved one, else a shipped one (ScenarioError when neither exists)."""
    saved = SavedScenario.objects.filter(name=name).first()
    if saved is not None:
        return from_saved_text(saved.toml, name)
    return S.load(name)


def from_saved_text(text: str, name: str) -> S.Scenario:
    """A saved scenario's text, with `extends` resolved among the shipped scenarios only, under its saved name."""
    sc = S.from_text(text, origin=name, base_dir=S.SCENARIO_DIR)
    return sc if sc.name == name else sc.replace({}, source="", name=name)


def runs_folder() -> Path:
    return Path(settings.VAR_DIR) / "simulation"


def run_folder(run: SimulationRun) -> Path:
    return runs_folder() / f"run-{run.pk}"


def run_results(run: SimulationRun) -> dict:
    """The run's tables (pandas DataFrames) read back from its Parquet files: results, differences, curves,
    parameters (a missing file: None)."""
    import pandas as pd

    folder = Path(run.folder) if run.folder else run_folder(run)
    out = {}
    for name in RESULT_FILES:
        path = folder / f"{name}.parquet"
        out[name] = pd.read_parquet(path) if path.is_file() else None
    return out
