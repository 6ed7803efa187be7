"""The compiled kernel (kernel.py, Numba) against the NumPy engine: the same draws give identical results, array
for array and bit for bit; without numba the engine falls back to NumPy."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tests.simulation.helpers import quiet
from trede.simulation import cli, runner
from trede.simulation import engine as E
from trede.simulation import kernel as K
from trede.simulation import scenario as S

needs_numba = pytest.mark.skipif(
    not K.available(), reason="numba is not installed (the optional accelerator): pip install numba"
)
FIELDS = ("acc", "end_state", "end_ladder", "curves", "pool_months", "end_duration")
HORIZON = 36


@pytest.fixture(scope="module")
def prep(small_population):
    return E.Prepared(small_population)


def _assert_identical(a: list[E.RepResult], b: list[E.RepResult]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for f in FIELDS:
            u, v = getattr(x, f), getattr(y, f)
            assert u.dtype == v.dtype and u.shape == v.shape, f
            assert np.array_equal(u, v), f


def _both(scenario, prep, reps=(0, 1, 2), horizon=HORIZON, **kw):
    run = {
        k: E.simulate(scenario, prep, horizon=horizon, seed=11, replications=list(reps), kernel=k, **kw)
        for k in K.KERNELS
    }
    return run["numba"], run["numpy"]


@needs_numba
@pytest.mark.parametrize("name", S.shipped())
def test_every_shipped_scenario_gives_identical_results(name, prep):
    fast, ref = _both(S.load(name), prep)
    _assert_identical(fast, ref)
    # something happened: the comparison is not between two empty runs
    assert ref[0].acc[E.A["exits_work"]].sum() > 0
    assert ref[0].acc[E.A["returns"]].sum() > 0


@needs_numba
def test_identical_one_replication_at_a_time_and_in_chunks(prep, baseline):
    fast, ref = _both(baseline, prep, batch=1, chunk=97)
    _assert_identical(fast, ref)
    _assert_identical(fast, E.simulate(baseline, prep, horizon=HORIZON, seed=11, replications=[0, 1, 2]))


@needs_numba
def test_identical_where_the_probabilities_are_scaled_down_and_programmes_run(prep, baseline):
    """Hazards that add up to more than 1 (scaled to sum 1), trials and basic jobs with their last-month
    conversions, sanctions, wage subsidies and job coaching (the policy exemption: basic_income_exemption)."""
    sc = quiet(
        baseline,
        **{
            "hazards.work.segment": [0.5, 0.4, 0.3],
            "hazards.other.segment": [0.6, 0.5, 0.4],
            "hazards.gone.age": [0.01, 0.01, 0.02, 0.03],
            "hazards.ladder.up": [0.3, 0.3, 0.3, 0.3],
            "hazards.ladder.down": [0.2, 0.2, 0.2, 0.2],
            "hazards.returns.work": [0.9, 0.5, 0.3, 0.2, 0.1, 0.05],
            "hazards.returns.other": [0.7, 0.4, 0.3, 0.2, 0.1, 0.05],
            "hazards.gone.off_benefit": 0.05,
            "sanctions.regime": "strict",
            "trial.places": 40,
            "basic_jobs.places": 40,
            "wage_subsidy.share": 0.5,
            "job_coaching.share": 0.5,
        },
    )
    fast, ref = _both(sc, prep)
    _assert_identical(fast, ref)
    for name in ("sanctions", "trials", "basic_job_starts", "months_wage_subsidy", "months_job_coaching"):
        assert ref[0].acc[E.A[name]].sum() > 0, name


@needs_numba
@pytest.mark.parametrize("name", ["baseline", "bremen_basic_jobs", "amsterdam_cohort"])
def test_kernel_probabilities_equal_the_engine_s_for_every_state(name, prep):
    """Mid-run, for every person and both the exact month's probabilities and the screening bound."""
    model = E.Model(S.load(name), prep, HORIZON)
    batch = E.Batch(model, prep, 5, [0, 1], kernel="numpy")
    for t in range(20):
        batch.step(t)
    idx = np.arange(batch.L.entry_end[20], dtype=np.int64)
    states = set(batch.state[idx].tolist())
    assert {E.ON, E.WORK, E.OFF, E.GONE} <= states
    for bound in (False, True):
        st, probs = batch.probabilities(idx, 20, bound=bound)
        kst, kprobs = K.probabilities(idx, 20, bound, *batch._kernel_args(bound))
        assert np.array_equal(st, kst)
        assert np.array_equal(probs, kprobs)  # exact: the same floating-point operations in the same order


@needs_numba
def test_runner_passes_the_kernel_and_gives_identical_results(small_population):
    kw = {"horizon": 24, "replications": 3, "backend": "serial", "seed": 3}
    fast = runner.run(["baseline", "stockholm_caseload"], small_population, kernel="numba", **kw)
    ref = runner.run(["baseline", "stockholm_caseload"], small_population, kernel="numpy", **kw)
    assert fast.meta["kernel"] == "numba" and ref.meta["kernel"] == "numpy"
    for name in ("baseline", "stockholm_caseload"):
        assert np.array_equal(fast.per_replication[name], ref.per_replication[name], equal_nan=True)


def test_default_and_unknown_kernels():
    assert K.default() == ("numba" if K.available() else "numpy")
    assert K.resolve(None) == K.default()
    assert K.resolve("numpy") == "numpy"
    with pytest.raises(ValueError, match="unknown kernel"):
        K.resolve("cuda")


@pytest.mark.parametrize("kernel", [pytest.param("numba", marks=needs_numba), "numpy"])
def test_cli_kernel_option(kernel, tmp_path):
    argv = ["baseline", "--population", "300", "--replications", "2", "--horizon", "12", "--workers", "1",
            "--no-progress", "--format", "csv"]  # fmt: skip
    out = io.StringIO()
    assert cli.main([*argv, "--out", str(tmp_path / kernel), "--kernel", kernel], stdout=out) == 0
    assert json.loads((tmp_path / kernel / "run.json").read_text())["kernel"] == kernel
    err = io.StringIO()
    assert cli.main([*argv, "--out", str(tmp_path / "x"), "--kernel", "cuda"], stderr=err) == 2
    assert "unknown kernel" in err.getvalue()


@needs_numba
def test_cli_results_are_the_same_with_either_kernel(tmp_path):
    argv = ["baseline", "--population", "300", "--replications", "2", "--horizon", "24", "--workers", "1",
            "--no-progress", "--format", "csv"]  # fmt: skip
    for kernel in K.KERNELS:
        assert cli.main([*argv, "--out", str(tmp_path / kernel), "--kernel", kernel], stdout=io.StringIO()) == 0
    for name in ("results.csv", "curves.csv"):
        assert (tmp_path / "numba" / name).read_bytes() == (tmp_path / "numpy" / name).read_bytes(), name


FALLBACK = """
import sys
sys.modules["numba"] = None  # import numba now raises ImportError
import numpy as np
from trede.simulation import engine as E, kernel as K, population as P, runner, scenario as S
from trede.simulation import cli
assert not K.available() and K.default() == "numpy" and K.resolve(None) == "numpy"
try:
    K.resolve("numba")
except ImportError as exc:
    assert "numba" in str(exc)
else:
    raise AssertionError("numba without numba")
pop = P.synthetic(300, 2)
sc = S.load("baseline")
batch = E.Batch(E.Model(sc, E.Prepared(pop), 12), E.Prepared(pop), 1, [0])
assert batch.kernel == "numpy"
rr = batch.run()[0]
assert rr.acc[E.A["exits_work"]].sum() > 0
res = runner.run(["baseline"], pop, horizon=12, replications=2, backend="serial")
assert res.meta["kernel"] == "numpy"
assert cli.main(["baseline", "--population", "300", "--kernel", "numba", "--no-progress"]) == 2
print("fallback ok")
"""


def test_without_numba_the_engine_falls_back_to_numpy():
    src = Path(__file__).resolve().parents[2] / "src"
    root = Path(__file__).resolve().parents[2]
    code = f"import sys; sys.path[:0] = [{str(src)!r}, {str(root)!r}]\n" + textwrap.dedent(FALLBACK)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "fallback ok" in out.stdout


@needs_numba
@pytest.mark.parametrize(
    ("seed", "month", "n", "reps"),
    [(0, 0, 1, [0]), (2026, 7, 17, [0, 1, 2]), (2**64 - 1, 239, 1001, [5, 2**32 - 1]), (12345, 3, 8, [9])],
)
def test_the_compiled_draws_are_numpy_s_philox_bit_for_bit(seed, month, n, reps):
    """kernel.screen makes the month's draws itself (Philox4x64-10 with a 128-bit multiply): they must be rng.py's,
    which come from NumPy's Philox, for every person and replication, and the screening must keep exactly the
    draws at or under the bound."""
    from trede.simulation import rng as R

    draws = np.stack([R.uint32(seed, r, month, R.EVENT, 0, n) for r in reps], axis=1).reshape(-1)  # person-major
    everyone = np.full(n * len(reps), 0xFFFFFFFF, dtype=np.uint32)
    hi = np.array([R.key(seed, r, month, R.EVENT)[1] for r in reps], dtype=np.uint64)
    cand, u = K.screen(np.uint64(seed), hi, n, everyone)
    order = np.argsort(cand)
    assert np.array_equal(cand[order], np.arange(n * len(reps)))
    assert np.array_equal(u[order], draws)
    bound = np.random.default_rng(1).integers(0, 2**32, n * len(reps), dtype=np.uint32)
    cand, u = K.screen(np.uint64(seed), hi, n, bound)
    assert np.array_equal(np.sort(cand), np.flatnonzero(draws <= bound))
    assert np.array_equal(u, draws[cand])
