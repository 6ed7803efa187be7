"""Results: groups add up, intervals hold their mean, differences pair, files read back."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from trede.simulation import runner
from trede.simulation.results import METRICS


@pytest.fixture(scope="module")
def results():
    return runner.run(["baseline", "bremen_basic_jobs"], 800, horizon=36, replications=4, seed=2, backend="serial")


def test_every_group_and_metric_is_there(results):
    t = results.table
    assert set(t.metric) == {m.name for m in METRICS}
    assert set(t.dimension) == {"all", "route", "segment", "age_band", "household", "district", "start"}
    persons = t[(t.metric == "persons") & (t.scenario == "baseline")]
    everyone = float(persons[persons.dimension == "all"]["mean"].iloc[0])
    for dim, rows in persons.groupby("dimension"):
        assert rows["mean"].sum() == pytest.approx(everyone), dim
    assert everyone == results.meta["population"]["people"]


def test_intervals_hold_the_mean(results):
    t = results.table.dropna(subset=["mean"])
    assert (t["lo"] <= t["mean"] + 1e-9).all() and (t["mean"] <= t["hi"] + 1e-9).all()
    assert (t["ci_lo"] <= t["ci_hi"]).all()


def test_differences_are_paired_per_replication(results):
    k = [m.name for m in METRICS].index("net_cost_eur")
    per = results.per_replication
    expected = (per["bremen_basic_jobs"][:, k, 0] - per["baseline"][:, k, 0]).mean()
    assert results.difference("bremen_basic_jobs", "net_cost_eur")["mean"] == pytest.approx(expected)
    basic = results.value("bremen_basic_jobs", "basic_job_months")
    assert basic["mean"] > 0 and results.value("baseline", "basic_job_months")["mean"] == 0


def test_costs_add_up(results):
    v = {m: results.value("baseline", m)["mean"] for m in ("benefit_eur", "staff_eur", "programme_eur", "subsidy_eur")}
    net = results.value("baseline", "net_cost_eur")["mean"]
    assert net == pytest.approx(sum(v.values()))
    assert results.value("baseline", "staff_eur")["mean"] > 0


def test_template_helpers(results):
    rows = results.rows("baseline", "route")
    assert {r["group"] for r in rows} <= {"no_route", "work", "participation", "youth"}
    assert all("net_cost_eur" in r and {"mean", "lo", "hi"} <= set(r["net_cost_eur"]) for r in rows)
    side = results.compare()
    assert [c["metric"].name for c in side] == [m.name for m in METRICS]
    assert set(side[0]["values"]) == {"baseline", "bremen_basic_jobs"} and set(side[0]["differences"]) == {
        "bremen_basic_jobs"
    }
    curve = results.curve("baseline", "on_benefit")
    assert curve["month"] == list(range(36)) and len(curve["mean"]) == 36


def test_files_read_back(results, tmp_path):
    written = results.write(tmp_path)
    names = {p.name for p in written}
    for stem in ("results", "differences", "curves", "parameters"):
        assert f"{stem}.csv" in names and f"{stem}.parquet" in names
        assert len(pd.read_csv(tmp_path / f"{stem}.csv")) == len(pd.read_parquet(tmp_path / f"{stem}.parquet"))
    back = pd.read_parquet(tmp_path / "results.parquet")
    assert np.allclose(back["mean"].to_numpy(), results.table["mean"].to_numpy(), equal_nan=True)
    meta = json.loads((tmp_path / "run.json").read_text())
    assert meta["replications"] == 4 and meta["reference"] == "baseline"
    params = pd.read_csv(tmp_path / "parameters.csv")
    assert params["source"].notna().all()
