import math

import numpy as np
import pandas as pd
import pytest

from trede.stats.survival import SpellError, prepare_spells
from trede.stats.time_to_work import ModelInputError, TimeToWorkModel, check_factors

FACTORS = ["age", "worked_last_2_years", "health", "dutch_level"]
TRUE = {
    "Intercept": 2.6,
    "age": 0.02,
    "worked_last_2_years": -0.6,
    "health=some": 0.3,
    "health=severe": 0.9,
    "dutch_level=below_1f": 0.5,
    "dutch_level=1f": 0.25,
    "dutch_level=3f": -0.1,
}
TRUE_RHO = 1.3


def synthetic_spells(n: int, seed: int = 1) -> pd.DataFrame:
    """Spells drawn from a known Weibull AFT model, censored at 36 months (the follow-up window)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age": rng.integers(18, 66, n),
            "worked_last_2_years": rng.integers(0, 2, n),
            "health": rng.choice(["none", "some", "severe"], n, p=[0.5, 0.35, 0.15]),
            "dutch_level": rng.choice(["below_1f", "1f", "2f", "3f"], n),
        }
    )
    lin = (
        TRUE["Intercept"]
        + TRUE["age"] * (df.age - 0)
        + TRUE["worked_last_2_years"] * df.worked_last_2_years
        + df.health.map({"none": 0, "some": TRUE["health=some"], "severe": TRUE["health=severe"]})
        + df.dutch_level.map(
            {
                "below_1f": TRUE["dutch_level=below_1f"],
                "1f": TRUE["dutch_level=1f"],
                "2f": 0,
                "3f": TRUE["dutch_level=3f"],
            }
        )
    )
    t = np.exp(lin) * rng.weibull(TRUE_RHO, n)
    df["months"] = np.minimum(t, 36.0)
    df["to_work"] = (t <= 36).astype(int)
    return df


@pytest.fixture(scope="module")
def model():
    return TimeToWorkModel.fit(synthetic_spells(6000), duration="months", event="to_work", factors=FACTORS)


def test_fit_recovers_the_true_parameters(model):
    columns = model.to_dict()["columns"]
    fitted = dict(zip(["Intercept", *columns], model.coef, strict=True))
    for name, value in TRUE.items():
        assert fitted[name] == pytest.approx(value, abs=0.12), name
    assert math.exp(model.log_rho) == pytest.approx(TRUE_RHO, abs=0.08)
    assert model.training["spells"] == 6000 and 0 < model.training["censored_share"] < 1


def test_estimate_has_probabilities_and_a_band_around_it(model):
    profile = {"age": 45, "worked_last_2_years": 0, "health": "some", "dutch_level": "1f"}
    est = model.estimate(profile)
    lo, hi = est.median_band
    assert lo < est.median_months < hi
    assert 0 < est.p_work[6] < est.p_work[12] < est.p_work[24] < 1
    for h in (6, 12, 24):
        assert est.p_work_band[h][0] < est.p_work[h] < est.p_work_band[h][1]
    # the true model's median for this profile lies in the band
    lin = TRUE["Intercept"] + 45 * TRUE["age"] + TRUE["health=some"] + TRUE["dutch_level=1f"]
    true_median = math.exp(lin) * math.log(2) ** (1 / TRUE_RHO)
    assert lo * 0.9 < true_median < hi * 1.1


def test_explanation_in_months_has_the_right_signs(model):
    effects = {
        e.factor: e
        for e in model.explain({"age": 45, "worked_last_2_years": 1, "health": "severe", "dutch_level": "3f"})
    }
    assert effects["worked_last_2_years"].months < 0  # recent work: shorter way to work
    assert effects["health"].months > 0 and effects["health"].reference == "none"
    assert effects["dutch_level"].months < 0


def test_missing_answers_give_no_estimate_and_are_shown_as_missing(model):
    profile = {"age": 45, "worked_last_2_years": None, "health": "some", "dutch_level": "1f"}
    with pytest.raises(ModelInputError, match="worked_last_2_years"):
        model.estimate(profile)
    effects = {e.factor: e for e in model.explain(profile)}
    assert effects["worked_last_2_years"].value is None and math.isnan(effects["worked_last_2_years"].months)


@pytest.mark.parametrize("bad", ["gender", "nationality", "country_of_birth", "postcode", "district", "religion"])
def test_protected_attributes_are_never_inputs(bad):
    with pytest.raises(ModelInputError, match="protected"):
        check_factors(["age", bad])
    df = synthetic_spells(200).assign(**{bad: "x"})
    with pytest.raises(ModelInputError):
        TimeToWorkModel.fit(df, duration="months", event="to_work", factors=["age", bad])


def test_stored_model_round_trips_and_foreign_files_are_refused(model):
    profiles = synthetic_spells(50, seed=9)
    again = TimeToWorkModel.from_dict(model.to_dict())
    np.testing.assert_allclose(again.median(profiles), model.median(profiles))
    other = model.to_dict() | {"columns": ["age"]}
    with pytest.raises(ModelInputError, match="other inputs"):
        TimeToWorkModel.from_dict(other)
    with pytest.raises(ModelInputError, match="corrupt"):
        TimeToWorkModel.from_dict({"kind": "weibull_aft"})
    with pytest.raises(ModelInputError, match="protected"):
        TimeToWorkModel.from_dict(model.to_dict() | {"factors": ["gender"]})


def test_missing_or_impossible_training_data_is_refused():
    df = synthetic_spells(100)
    df.loc[3, "health"] = None
    with pytest.raises(ModelInputError, match="health"):
        TimeToWorkModel.fit(df, duration="months", event="to_work", factors=FACTORS)
    with pytest.raises(SpellError, match="negative"):
        prepare_spells(pd.DataFrame({"d": [1, -2], "e": [1, 0]}), duration="d", event="e")
    with pytest.raises(SpellError, match="event"):
        prepare_spells(pd.DataFrame({"d": [1, 2], "e": [1, 2]}), duration="d", event="e")


def test_scoring_is_vectorised_over_a_whole_caseload(model):
    many = synthetic_spells(100_000, seed=3)
    medians = model.median(many)
    assert medians.shape == (100_000,) and np.isfinite(medians).all()
    assert (model.p_work(many, 12) > 0).all()


def test_a_factor_without_variation_in_the_history_is_named_not_fitted():
    from trede.stats.time_to_work import ALLOWED_FACTORS, ModelInputError, TimeToWorkModel

    rng = np.random.default_rng(3)
    n = 300
    frame = pd.DataFrame(
        {
            "age": rng.integers(27, 60, n),
            "ladder_step": rng.integers(1, 6, n),
            "benefit_months": np.full(n, 0.3),  # every intake ten days into benefit
            "duration": rng.exponential(12, n),
            "event": rng.integers(0, 2, n),
        }
    )
    with pytest.raises(ModelInputError, match="benefit_months"):
        TimeToWorkModel.fit(frame, duration="duration", event="event", factors=["age", "ladder_step", "benefit_months"])
    assert "benefit_months" in ALLOWED_FACTORS
