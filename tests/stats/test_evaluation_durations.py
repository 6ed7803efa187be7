"""Durations per arm: Kaplan-Meier curves, log-rank and the Cox hazard ratio against lifelines."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.datasets import load_rossi
from lifelines.statistics import logrank_test

from trede.stats.evaluation.durations import cox_hazard_ratio, duration_effect
from trede.stats.survival import km_curve


def test_duration_effect_on_rossi_by_financial_aid():
    rossi = load_rossi()
    a = duration_effect(rossi, duration="week", event="arrest", assignment="fin", times=[0, 13, 26, 39, 52])
    assert list(a.curves) == ["intervention", "control"]
    aid, none = rossi[rossi.fin == 1], rossi[rossi.fin == 0]
    assert a.curves["intervention"].survival.tolist() == pytest.approx(
        km_curve(aid.week, aid.arrest, times=[0, 13, 26, 39, 52]).survival.tolist()
    )
    assert a.curves["control"].n == 216 and a.curves["intervention"].total_events == 48
    ref = logrank_test(aid.week, none.week, aid.arrest, none.arrest)
    assert a.logrank_statistic == pytest.approx(ref.test_statistic) and a.logrank_p == pytest.approx(ref.p_value)
    cph = CoxPHFitter().fit(rossi[["week", "arrest", "fin"]], "week", "arrest")
    assert a.hazard_ratio.log_hazard_ratio == pytest.approx(cph.params_["fin"], abs=1e-8)
    assert a.hazard_ratio.hazard_ratio < 1  # financial aid: fewer re-arrests
    assert (a.n, a.events, a.missing) == (432, 114, 0)


def test_clustered_cox_uses_the_robust_error_of_lifelines():
    rossi = load_rossi().assign(cluster=lambda f: np.arange(len(f)) % 30)
    hr = cox_hazard_ratio(rossi, duration="week", event="arrest", assignment="fin", cluster="cluster")
    cph = CoxPHFitter().fit(
        rossi[["week", "arrest", "fin", "cluster"]], "week", "arrest", robust=True, cluster_col="cluster"
    )
    assert hr.robust and hr.clusters == 30
    assert hr.se == pytest.approx(cph.standard_errors_["fin"], rel=1e-8)


def test_missing_spells_are_counted():
    rossi = load_rossi()
    rossi.loc[:9, "week"] = np.nan
    hr = cox_hazard_ratio(rossi, duration="week", event="arrest", assignment="fin")
    assert hr.missing == 10 and hr.n == 422


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"t": [1, 2], "e": [1, 0], "assigned": [1, 1]}), "control arm has no spells"),
        (pd.DataFrame({"t": [1, -2], "e": [1, 0], "assigned": [1, 0]}), "negative"),
        (pd.DataFrame({"t": [1, 2], "e": [0, 0], "assigned": [1, 0]}), "no events"),
        (pd.DataFrame({"t": [1, 2], "e": [1, 3], "assigned": [1, 0]}), "0 or 1"),
        (pd.DataFrame({"t": [1, 2], "assigned": [1, 0]}), "missing column"),
    ],
)
def test_bad_input_is_refused(frame, message):
    with pytest.raises(ValueError, match=message):
        cox_hazard_ratio(frame, duration="t", event="e")
