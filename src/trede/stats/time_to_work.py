"""The explainable time-to-work estimate: a Weibull accelerated-failure-time model.

Why Weibull AFT: each factor multiplies the expected time to work by exp(coefficient), which reads directly as
"this factor makes the way to work N months longer or shorter" — the explanation a caseworker and a client can
follow — while the Weibull shape gives the probabilities of work within 6, 12 and 24 months from the same
parameters. Prediction is closed-form (median = lambda * ln(2)**(1/rho)), so scoring a whole caseload is a few
vectorised array operations.

Inputs: only the factors in ALLOWED_FACTORS. Protected attributes and their proxies (gender, nationality,
country of birth, ethnicity, religion, name, address, district, postcode, ...) are refused; they are used only to
MEASURE fairness, in trede.stats.fairness.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from trede.stats.survival import prepare_spells

# The factors the municipality's intake uses (issue: intake and route decision). Nothing else may be an input.
ALLOWED_FACTORS: dict[str, dict[str, Any]] = {
    "age": {"kind": "numeric"},
    "education": {"kind": "categorical", "levels": ["none", "low", "middle", "high"], "reference": "low"},
    "work_experience_years": {"kind": "numeric"},
    "worked_last_2_years": {"kind": "numeric", "reference": 0},  # 0/1
    "dutch_level": {"kind": "categorical", "levels": ["below_1f", "1f", "2f", "3f"], "reference": "2f"},
    "health": {"kind": "categorical", "levels": ["none", "some", "severe"], "reference": "none"},
    "care_duties": {"kind": "numeric", "reference": 0},  # 0/1
    "debts": {"kind": "categorical", "levels": ["none", "some", "problematic"], "reference": "none"},
    "social": {"kind": "categorical", "levels": ["good", "limited", "isolated"], "reference": "good"},
    "benefit_months": {"kind": "numeric"},
    "ladder_step": {"kind": "numeric"},
}
PROTECTED = frozenset(
    {
        "gender",
        "sex",
        "nationality",
        "country_of_birth",
        "birth_country",
        "ethnicity",
        "migration_background",
        "religion",
        "first_name",
        "surname",
        "name",
        "postcode",
        "district",
        "address",
        "street",
        "city",
        "language_spoken_at_home",
        "appearance",
    }
)


class ModelInputError(ValueError):
    """A factor that may not be a model input, or data that does not fit the model."""


def check_factors(factors: Sequence[str]) -> None:
    protected = sorted(set(factors) & PROTECTED)
    if protected:
        raise ModelInputError(f"protected attribute(s) may never be model inputs: {', '.join(protected)}")
    unknown = sorted(set(factors) - set(ALLOWED_FACTORS))
    if unknown:
        raise ModelInputError(f"not an intake factor: {', '.join(unknown)}")
    if not factors:
        raise ModelInputError("no factors")


def _columns(factors: Sequence[str]) -> list[tuple[str, str, Any]]:
    """Design-matrix columns: (column name, factor, level or None)."""
    cols = []
    for f in factors:
        spec = ALLOWED_FACTORS[f]
        if spec["kind"] == "numeric":
            cols.append((f, f, None))
        else:
            cols += [(f"{f}={lvl}", f, lvl) for lvl in spec["levels"] if lvl != spec["reference"]]
    return cols


def design(profiles: pd.DataFrame, factors: Sequence[str]) -> np.ndarray:
    """The design matrix (without intercept). Unknown categorical levels are an error, never a silent zero.

    Each categorical factor is checked and encoded once (pandas category codes), so scoring a whole caseload
    costs a few vectorised passes per factor."""
    columns = _columns(factors)
    out = np.zeros((len(profiles), len(columns)), dtype=float)
    j = 0
    for f in factors:
        spec = ALLOWED_FACTORS[f]
        values = profiles[f]
        if spec["kind"] == "numeric":
            out[:, j] = pd.to_numeric(values, errors="raise").to_numpy(dtype=float)
            j += 1
            continue
        levels = spec["levels"]
        codes = pd.Categorical(values, categories=levels).codes
        bad = (codes < 0) & values.notna().to_numpy()
        if bad.any():
            raise ModelInputError(f"{f}: unknown value(s) {sorted(map(str, set(values[bad])))}")
        for k, level in enumerate(levels):
            if level != spec["reference"]:
                out[:, j] = codes == k
                j += 1
    return out


MAX_SD = 5.0  # a standard error above this on a log time ratio (a factor e^5 ~ 150) says "too little history"


def parameters_problem(coef: np.ndarray, log_rho: float, covariance: np.ndarray) -> str | None:
    """Why these parameters cannot give an honest estimate with its band, or None when they can."""
    if not (np.all(np.isfinite(coef)) and math.isfinite(log_rho) and np.all(np.isfinite(covariance))):
        return "the model's parameters are not finite numbers"
    try:
        np.linalg.cholesky(covariance)
    except np.linalg.LinAlgError:
        return "the model's uncertainty cannot be computed (covariance not positive definite)"
    if np.sqrt(np.diag(covariance)).max() > MAX_SD:
        return "the model's uncertainty is far too large: too little history for some answers"
    return None


@dataclass(frozen=True)
class Estimate:
    median_months: float
    median_band: tuple[float, float]
    p_work: dict[int, float]  # months -> probability of paid work within that time
    p_work_band: dict[int, tuple[float, float]]


@dataclass(frozen=True)
class FactorEffect:
    factor: str
    value: Any
    reference: Any
    months: float  # change of the median when this factor goes from the reference to the client's value


@dataclass
class TimeToWorkModel:
    factors: list[str]
    coef: np.ndarray  # lambda: intercept first, then the design columns
    log_rho: float
    covariance: np.ndarray  # over [*coef, log_rho]
    references: dict[str, Any]
    training: dict[str, Any] = field(default_factory=dict)

    HORIZONS = (6, 12, 24)

    # -- fitting ---------------------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls, frame: pd.DataFrame, *, duration: str, event: str, factors: Sequence[str], penalizer: float = 0.0
    ) -> TimeToWorkModel:
        """Fit on spells in months. Rows with a missing factor are refused (never imputed)."""
        from lifelines import WeibullAFTFitter

        factors = list(factors)
        check_factors(factors)
        missing = {f: int(frame[f].isna().sum()) for f in factors if frame[f].isna().any()}
        if missing:
            raise ModelInputError(f"missing factor values: {missing}")
        spells = prepare_spells(frame, duration=duration, event=event)
        if (spells["duration"] <= 0).any():
            spells.loc[spells["duration"] <= 0, "duration"] = 0.5  # an exit in the first month: half a month
        x = design(frame.reset_index(drop=True), factors)
        names = [c for c, _f, _l in _columns(factors)]
        constant = [n for j, n in enumerate(names) if len(x) and np.ptp(x[:, j]) == 0]
        if constant:
            raise ModelInputError(
                f"no variation in the history for: {', '.join(constant)} — its effect cannot be estimated"
            )
        data = pd.DataFrame(x, columns=names)
        data["duration"] = spells["duration"].to_numpy()
        data["event"] = spells["event"].to_numpy()
        fitter = WeibullAFTFitter(penalizer=penalizer).fit(data, "duration", "event")
        lam = fitter.params_.loc["lambda_"]
        coef = np.array([lam["Intercept"], *[lam[n] for n in names]], dtype=float)
        log_rho = float(fitter.params_.loc[("rho_", "Intercept")])
        order = [("lambda_", "Intercept"), *[("lambda_", n) for n in names], ("rho_", "Intercept")]
        cov = fitter.variance_matrix_.loc[order, order].to_numpy(dtype=float)
        problem = parameters_problem(coef, log_rho, cov)
        if problem:
            raise ModelInputError(f"{problem}; train on more history or with a penalizer")
        references = {}
        for f in factors:  # what "no effect" means per factor: its reference level, else the training median
            spec = ALLOWED_FACTORS[f]
            if "reference" in spec:
                references[f] = spec["reference"]
            else:
                references[f] = float(np.round(np.median(pd.to_numeric(frame[f])), 1))
        return cls(
            factors=factors,
            coef=coef,
            log_rho=log_rho,
            covariance=cov,
            references=references,
            training={
                "spells": int(len(spells)),
                "events": int(spells["event"].sum()),
                "censored_share": float(1 - spells["event"].mean()) if len(spells) else 0.0,
                "concordance": float(fitter.concordance_index_),
            },
        )

    # -- prediction (vectorised) ------------------------------------------------------------------------------
    def scale(self, profiles: pd.DataFrame) -> np.ndarray:
        """The Weibull scale (lambda) per profile: compute it once, then median_of / p_work_of."""
        return np.exp(self.coef[0] + design(profiles, self.factors) @ self.coef[1:])

    def median_of(self, lam: np.ndarray) -> np.ndarray:
        return lam * math.log(2) ** (1 / math.exp(self.log_rho))

    def p_work_of(self, lam: np.ndarray, months: float) -> np.ndarray:
        return 1 - np.exp(-((months / lam) ** math.exp(self.log_rho)))

    def median(self, profiles: pd.DataFrame) -> np.ndarray:
        return self.median_of(self.scale(profiles))

    def p_work(self, profiles: pd.DataFrame, months: float) -> np.ndarray:
        return self.p_work_of(self.scale(profiles), months)

    def estimate(self, profile: Mapping[str, Any], *, draws: int = 400, level: float = 0.9, seed: int = 0) -> Estimate:
        """Median months to work and P(work within 6/12/24 months), with a band from the parameter uncertainty."""
        missing = [f for f in self.factors if profile.get(f) is None]
        if missing:
            raise ModelInputError(f"no estimate: missing answers for {', '.join(missing)}")
        row = pd.DataFrame([{f: profile[f] for f in self.factors}])
        x = np.concatenate([[1.0], design(row, self.factors)[0]])
        rng = np.random.default_rng(seed)
        theta = rng.multivariate_normal(
            np.append(self.coef, self.log_rho), self.covariance, size=draws, method="cholesky"
        )
        lam = np.exp(theta[:, :-1] @ x)
        rho = np.exp(theta[:, -1])
        lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100
        medians = lam * np.log(2) ** (1 / rho)
        point_lam = math.exp(float(self.coef @ x))
        point_rho = math.exp(self.log_rho)
        p, band = {}, {}
        for h in self.HORIZONS:
            p[h] = 1 - math.exp(-((h / point_lam) ** point_rho))
            samples = 1 - np.exp(-((h / lam) ** rho))
            band[h] = (float(np.percentile(samples, lo)), float(np.percentile(samples, hi)))
        median = point_lam * math.log(2) ** (1 / point_rho)
        numbers = [median, *np.percentile(medians, [lo, hi]), *p.values(), *(b for pair in band.values() for b in pair)]
        if not all(math.isfinite(v) for v in numbers):
            raise ModelInputError("no estimate: the model's uncertainty is too large for these answers")
        return Estimate(
            median_months=median,
            median_band=(float(np.percentile(medians, lo)), float(np.percentile(medians, hi))),
            p_work=p,
            p_work_band=band,
        )

    def explain(self, profile: Mapping[str, Any]) -> list[FactorEffect]:
        """Per factor: how many months the median moves when that factor goes from its reference value to the
        client's value, the others staying as they are. Missing answers are listed with months = nan."""
        effects = []
        known = {f: profile.get(f) for f in self.factors}
        complete = {f: (v if v is not None else self.references[f]) for f, v in known.items()}
        for f in self.factors:
            if known[f] is None:
                effects.append(FactorEffect(f, None, self.references[f], float("nan")))
                continue
            at_value = float(self.median(pd.DataFrame([complete]))[0])
            at_reference = float(self.median(pd.DataFrame([complete | {f: self.references[f]}]))[0])
            effects.append(FactorEffect(f, known[f], self.references[f], at_value - at_reference))
        return effects

    # -- storage ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "weibull_aft",
            "factors": self.factors,
            "columns": [c for c, _f, _l in _columns(self.factors)],
            "coef": self.coef.tolist(),
            "log_rho": self.log_rho,
            "covariance": self.covariance.tolist(),
            "references": self.references,
            "training": self.training,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimeToWorkModel:
        """Load a stored model; a file for another kind of model or other inputs is refused."""
        try:
            if data["kind"] != "weibull_aft":
                raise ModelInputError(f"not a time-to-work model: {data['kind']!r}")
            factors = list(data["factors"])
            check_factors(factors)
            columns = [c for c, _f, _l in _columns(factors)]
            if list(data["columns"]) != columns:
                raise ModelInputError("the model was trained on other inputs than this version of trede uses")
            coef = np.asarray(data["coef"], dtype=float)
            cov = np.asarray(data["covariance"], dtype=float)
            if coef.shape != (len(columns) + 1,) or cov.shape != (len(columns) + 2, len(columns) + 2):
                raise ModelInputError("the model's parameters do not fit its inputs")
            problem = parameters_problem(coef, float(data["log_rho"]), cov)
            if problem:
                raise ModelInputError(problem)
            return cls(
                factors=factors,
                coef=coef,
                log_rho=float(data["log_rho"]),
                covariance=cov,
                references=dict(data["references"]),
                training=dict(data.get("training", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelInputError):
                raise
            raise ModelInputError(f"corrupt model file: {exc}") from exc
