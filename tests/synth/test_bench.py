"""bench/run.py's page measurement: caseload, dossier and due must be measured; an unknown URL name is reported."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from trede.synth.generator import Spec
from trede.synth.loader import synth_load

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("trede_bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_percentile(bench):
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert bench.percentile(list(range(101)), 0.95) == pytest.approx(95.0)


def test_missing_view_is_reported_not_raised(bench, client):
    result = bench.measure_page(client, "missing", "no-such-view", requests=2)
    assert result.note == "view not available" and result.p95_ms is None and result.verdict == ""


@pytest.mark.django_db
def test_pages_are_measured_on_a_generated_municipality(bench, client):
    synth_load(Spec(clients=300, seed=1, today=dt.date.today(), caseload_norm=350), progress=False)
    caseworker, dossier_client, size = bench.pick_subjects()
    assert caseworker.role == "caseworker" and size > 0
    client.force_login(caseworker)
    measured = []
    for name, url_name, args in (
        ("caseload", "caseload", ()),
        ("dossier", "client-dossier", (dossier_client.pk,)),
        ("due", "due", ()),
    ):
        result = bench.measure_page(client, name, url_name, args, requests=2, budget_ms=10_000)
        # No escape for "view not available": a renamed URL must fail here, not silently time nothing.
        assert result.note == "", result
        assert result.url and result.queries > 0 and result.p50_ms > 0 and result.p95_ms >= result.p50_ms, result
        assert result.verdict == "ok", result
        measured.append(name)
    assert measured == ["caseload", "dossier", "due"]


@pytest.fixture
def employers_bench(bench):
    return bench.employers_bench


@pytest.mark.django_db
def test_employer_services_are_measured_on_a_generated_municipality(employers_bench):
    today = dt.date.today()
    synth_load(Spec(clients=600, seed=2, today=today, caseload_norm=350), progress=False)
    result = employers_bench.run(today, requests=2, repeat=2)
    assert result.note == "", result.note
    assert result.candidates > 0 and result.engine_s is not None and result.engine_national_s is not None
    assert result.shortlist_s > 0 and result.page_p95_s >= result.page_p50_s > 0 and result.page_queries > 0
    assert result.city_vacancies > 0 and result.city_clients > 0 and result.city_full >= 0 and result.city_s > 0
    assert set(result.durability) == {"employer", "instrument", "route"} and result.exits > 0
    lines = employers_bench.report(result)
    assert any("match_all" in line for line in lines) and any("durability by route" in line for line in lines)
    assert employers_bench.over_budget(result) == []


def test_matching_engine_bench_is_registered(bench):
    result = bench.matching_bench.run(national=2_000, city=500, vacancies=20, repeat=1)
    assert result.timings and all(t.runs for t in result.timings)
