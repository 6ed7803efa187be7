"""The command line and `trede simulate`: they write their files; wrong input is a message, not a traceback."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trede.simulation import cli
from trede.simulation import population as P


def test_cli_writes_results(tmp_path):
    out = io.StringIO()
    status = cli.main(
        ["baseline", "stockholm_caseload", "--population", "300", "--replications", "2", "--horizon", "12",
         "--out", str(tmp_path), "--workers", "1", "--no-progress", "--format", "csv"],
        stdout=out,
    )  # fmt: skip
    assert status == 0
    for name in ("results.csv", "differences.csv", "curves.csv", "parameters.csv", "run.json", "summary.txt"):
        assert (tmp_path / name).exists(), name
    assert not (tmp_path / "results.parquet").exists()
    assert "stockholm_caseload" in out.getvalue() and "diff" in out.getvalue()
    assert set(pd.read_csv(tmp_path / "results.csv")["scenario"]) == {"baseline", "stockholm_caseload"}


def test_cli_reads_a_caseload_file(tmp_path):
    path = tmp_path / "caseload.csv"
    P.frame_from_population(P.synthetic(200, 1)).to_csv(path, index=False)
    status = cli.main(
        ["baseline", "--caseload", str(path), "--replications", "1", "--horizon", "6", "--out", str(tmp_path / "o"),
         "--workers", "1", "--no-progress"],
        stdout=io.StringIO(),
    )  # fmt: skip
    assert status == 0 and (tmp_path / "o" / "results.parquet").exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["no_such_scenario"], "shipped scenarios"),
        ([], "at least one scenario"),
        (["baseline", "--population", "5"], "100"),
        (["baseline", "--format", "xls"], "--format"),
    ],
)
def test_cli_wrong_input(argv, words, tmp_path):
    err = io.StringIO()
    status = cli.main(
        [*argv, "--out", str(tmp_path), "--no-progress", "--workers", "1"], stdout=io.StringIO(), stderr=err
    )
    assert status == 2 and words in err.getvalue()


def test_cli_lists_the_shipped_scenarios():
    out = io.StringIO()
    assert cli.main(["--list"], stdout=out) == 0
    assert "stockholm_caseload" in out.getvalue() and "Basis" in out.getvalue()


def test_trede_simulate_writes_its_files(tmp_path):
    out = io.StringIO()
    call_command(
        "simulate", "baseline", "amsterdam_cohort", population=250, replications=2, horizon=12, out=str(tmp_path),
        seed=3, workers=1, no_progress=True, stdout=out,
    )  # fmt: skip
    assert (tmp_path / "results.parquet").exists() and (tmp_path / "differences.csv").exists()
    assert "amsterdam_cohort" in out.getvalue()
    meta = (tmp_path / "run.json").read_text()
    assert '"seed": 3' in meta and '"horizon_months": 12' in meta


def test_trede_simulate_reports_a_wrong_scenario(tmp_path):
    with pytest.raises(CommandError):
        call_command("simulate", "nonsense", population=200, out=str(tmp_path), workers=1, stderr=io.StringIO())
