"""Observational comparisons, for when no randomisation was possible. NOT a randomised result: these methods only
remove differences in the baseline factors that were measured; anything unmeasured that drives both who got the
intervention and the outcome still biases the estimate (LaLonde 1986: non-experimental comparisons of the NSW
programme were far from its experimental effect). Every result carries randomised=False and WARNING.

- Propensity score: logistic regression of the treatment (0/1) on the baseline factors (Newton-Raphson).
- Inverse-probability weighting (Hajek, normalised weights): ATE weights 1/e for the treated and 1/(1 - e) for the
  controls; ATT weights 1 for the treated and e/(1 - e) for the controls. The standard error is the robust
  sandwich of the weighted regression with the weights held fixed (it ignores that the score was estimated, which
  for the ATE errs on the conservative side); `trim` drops scores outside [trim, 1 - trim] (Crump et al. 2009).
- Nearest-neighbour matching (ATT): each treated person is matched to the control with the closest logit of the
  score, with replacement, within a caliper of `caliper` standard deviations of that logit (Austin 2011); treated
  people without a control within the caliper are dropped and counted. The standard error follows Abadie & Imbens
  (2006) with a constant conditional variance: the spread of the matched differences plus the extra variance from
  controls used more than once.
- Balance: standardised mean differences per factor (difference in means over the pooled standard deviation before
  weighting, the same denominator after), and variance ratios; |SMD| < 0.1 is the usual threshold.
- Overlap: the range and quantiles of the score per group, people outside the other group's range, scores below
  0.1 or above 0.9, the effective sample size of the weights, and a histogram per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trede.stats.evaluation.design import binary_array, covariate_matrix, numeric_array, require_columns

WARNING = (
    "This is not a randomised result. The comparison adjusts only for the baseline factors that were measured; "
    "differences that were not measured can still bias it."
)


@dataclass(frozen=True, eq=False)  # holds arrays: compare by identity
class PropensityModel:
    names: tuple[str, ...]
    coefficients: tuple[float, ...]  # constant first, then per name
    scores: np.ndarray
    n: int
    iterations: int


@dataclass(frozen=True)
class BalanceRow:
    factor: str
    mean_treated: float
    mean_control: float
    smd_before: float
    mean_treated_after: float
    mean_control_after: float
    smd_after: float
    variance_ratio_before: float
    variance_ratio_after: float

    @property
    def balanced(self) -> bool:
        return abs(self.smd_after) < 0.1


@dataclass(frozen=True)
class Overlap:
    treated_range: tuple[float, float]
    control_range: tuple[float, float]
    treated_quantiles: tuple[float, ...]  # 0, 5, 25, 50, 75, 95, 100 %
    control_quantiles: tuple[float, ...]
    treated_outside: int  # treated with a score outside the controls' range
    control_outside: int
    extreme_low: int  # scores below 0.1
    extreme_high: int  # scores above 0.9
    ess_treated: float  # effective sample size of the weights (Kish)
    ess_control: float
    max_weight_share: float  # the largest single weight as a share of its group's total
    bins: tuple[float, ...]  # 21 edges on [0, 1]
    histogram_treated: tuple[int, ...]
    histogram_control: tuple[int, ...]
    n_treated: int
    n_control: int


@dataclass(frozen=True)
class ObservationalEffect:
    method: str  # "inverse-probability weighting" or "nearest-neighbour matching"
    estimand: str  # "ATE" or "ATT"
    outcome: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    alpha: float
    n: int  # people used
    n_treated: int
    n_control: int
    dropped: int  # people left out (trimmed, or treated without a match within the caliper)
    naive_difference: float  # the unadjusted difference in means, for comparison
    balance: tuple[BalanceRow, ...]
    overlap: Overlap
    propensity: PropensityModel
    missing: int = 0
    note: str = ""
    randomised: bool = False
    warning: str = WARNING


def _logistic(x: np.ndarray, t: np.ndarray, max_iter: int = 50) -> tuple[np.ndarray, int]:
    beta = np.zeros(x.shape[1])
    for it in range(1, max_iter + 1):
        eta = np.clip(x @ beta, -35, 35)
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        grad = x.T @ (t - p)
        hess = (x * w[:, None]).T @ x
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            raise ValueError("propensity score: the baseline factors are collinear") from None
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            return beta, it
    if np.max(np.abs(x @ beta)) > 30:
        raise ValueError(
            "propensity score: the factors separate the groups (scores of 0 or 1): there is no overlap to compare"
        )
    raise ValueError("propensity score: the logistic regression did not converge")


def propensity_score(frame: pd.DataFrame, *, treatment: str, covariates: Sequence[str]) -> PropensityModel:
    """Logistic regression of the 0/1 treatment on the baseline factors; the score is P(treated | factors)."""
    if not covariates:
        raise ValueError("a propensity score needs at least one baseline factor")
    t = binary_array(frame, treatment)
    if t.sum() == 0 or t.sum() == t.size:
        raise ValueError(f"{treatment}: both treated and untreated people are needed")
    w, names = covariate_matrix(frame, covariates)
    x = np.column_stack([np.ones(len(t)), w])
    beta, iterations = _logistic(x, t)
    scores = 1 / (1 + np.exp(-np.clip(x @ beta, -35, 35)))
    return PropensityModel(names, tuple(float(b) for b in beta), scores, len(t), iterations)


def _weighted_mean_var(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = w.sum()
    mean = (w[:, None] * x).sum(axis=0) / total
    var = (w[:, None] * (x - mean) ** 2).sum(axis=0) / total
    return mean, var


def balance_table(
    x: np.ndarray,
    names: Sequence[str],
    treated: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    after: np.ndarray | None = None,
) -> tuple[BalanceRow, ...]:
    """Standardised mean differences (and variance ratios) of the factors before and after weighting.

    Before: everyone, unweighted. After: the rows in `after` (a mask; default everyone) with `weights` (default 1).
    Both use the pooled standard deviation from before as denominator, so the change shows the effect of the
    weighting or matching alone."""
    t = np.asarray(treated).astype(bool)
    if t.all() or not t.any():
        raise ValueError("balance needs people in both groups")
    ones = np.ones(len(t))
    w = ones if weights is None else np.asarray(weights, dtype=float)
    keep = np.ones(len(t), dtype=bool) if after is None else np.asarray(after, dtype=bool)
    if not (keep & t).any() or not (keep & ~t).any():
        raise ValueError("balance after: both groups must keep people")
    m1, v1 = _weighted_mean_var(x[t], ones[t])
    m0, v0 = _weighted_mean_var(x[~t], ones[~t])
    a1, av1 = _weighted_mean_var(x[keep & t], w[keep & t])
    a0, av0 = _weighted_mean_var(x[keep & ~t], w[keep & ~t])
    pooled = np.sqrt((v1 + v0) / 2)
    rows = []
    for j, name in enumerate(names):
        sd = pooled[j]
        rows.append(
            BalanceRow(
                factor=name,
                mean_treated=float(m1[j]),
                mean_control=float(m0[j]),
                smd_before=float((m1[j] - m0[j]) / sd) if sd > 0 else 0.0,
                mean_treated_after=float(a1[j]),
                mean_control_after=float(a0[j]),
                smd_after=float((a1[j] - a0[j]) / sd) if sd > 0 else 0.0,
                variance_ratio_before=float(v1[j] / v0[j]) if v0[j] > 0 else float("nan"),
                variance_ratio_after=float(av1[j] / av0[j]) if av0[j] > 0 else float("nan"),
            )  # fmt: skip
        )
    return tuple(rows)


def _ess(w: np.ndarray) -> float:
    return float(w.sum() ** 2 / (w**2).sum()) if w.size else 0.0


def overlap_diagnostics(scores: np.ndarray, treated: np.ndarray, weights: np.ndarray | None = None) -> Overlap:
    t = treated.astype(bool)
    s1, s0 = scores[t], scores[~t]
    w = np.ones(len(scores)) if weights is None else np.asarray(weights, dtype=float)
    qs = (0, 0.05, 0.25, 0.5, 0.75, 0.95, 1)
    edges = np.linspace(0, 1, 21)
    w1, w0 = w[t], w[~t]
    return Overlap(
        treated_range=(float(s1.min()), float(s1.max())), control_range=(float(s0.min()), float(s0.max())),
        treated_quantiles=tuple(float(q) for q in np.quantile(s1, qs)),
        control_quantiles=tuple(float(q) for q in np.quantile(s0, qs)),
        treated_outside=int(((s1 < s0.min()) | (s1 > s0.max())).sum()),
        control_outside=int(((s0 < s1.min()) | (s0 > s1.max())).sum()),
        extreme_low=int((scores < 0.1).sum()), extreme_high=int((scores > 0.9).sum()),
        ess_treated=_ess(w1[w1 > 0]), ess_control=_ess(w0[w0 > 0]),
        max_weight_share=float(max(w1.max() / w1.sum(), w0.max() / w0.sum())),
        bins=tuple(float(e) for e in edges),
        histogram_treated=tuple(int(c) for c in np.histogram(s1, edges)[0]),
        histogram_control=tuple(int(c) for c in np.histogram(s0, edges)[0]),
        n_treated=int(t.sum()), n_control=int((~t).sum()),
    )  # fmt: skip


def _prepare(frame, outcome, treatment, covariates):
    require_columns(frame, [outcome, treatment, *covariates], "observational comparison")
    y = numeric_array(frame, outcome)
    keep = ~np.isnan(y)
    sub = frame.loc[keep]
    t = binary_array(sub, treatment)
    n1 = int(t.sum())
    if n1 < 2 or t.size - n1 < 2:
        raise ValueError(f"{outcome}: at least 2 treated and 2 untreated people with an outcome are needed")
    model = propensity_score(sub, treatment=treatment, covariates=covariates)
    x, names = covariate_matrix(sub, covariates)
    return y[keep], t, x, names, model, int((~keep).sum())


def _normal_interval(estimate, se, df, alpha):
    q = float(stats.t.ppf(1 - alpha / 2, df))
    p = float(2 * stats.t.sf(abs(estimate / se), df)) if se > 0 else float("nan")
    return estimate - q * se, estimate + q * se, p


def ipw_effect(
    frame: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    estimand: str = "ATE",
    trim: float | None = None,
    alpha: float = 0.05,
) -> ObservationalEffect:
    """Inverse-probability-weighted difference in means (see the module). randomised=False."""
    if estimand not in ("ATE", "ATT"):
        raise ValueError("estimand must be 'ATE' or 'ATT'")
    if trim is not None and not 0 < trim < 0.5:
        raise ValueError("trim must lie between 0 and 0.5")
    y, t, x, names, model, missing = _prepare(frame, outcome, treatment, covariates)
    e = model.scores
    naive = float(y[t == 1].mean() - y[t == 0].mean())
    use = np.ones(len(y), dtype=bool) if trim is None else (e >= trim) & (e <= 1 - trim)
    if (t[use] == 1).sum() < 2 or (t[use] == 0).sum() < 2:
        raise ValueError("after trimming fewer than 2 people are left in a group")
    w_all = np.where(t == 1, 1 / e, 1 / (1 - e)) if estimand == "ATE" else np.where(t == 1, 1.0, e / (1 - e))
    balance = balance_table(x, names, t, w_all, after=use)
    overlap = overlap_diagnostics(e, t, np.where(use, w_all, 0.0))
    y, t, w = y[use], t[use], w_all[use]
    # weighted least squares of y on (1, t): the Hajek difference in weighted means, sandwich error
    xm = np.column_stack([np.ones_like(t), t])
    bread = np.linalg.inv((xm * w[:, None]).T @ xm)
    beta = bread @ ((xm * w[:, None]).T @ y)
    resid = y - xm @ beta
    scores = xm * (w * resid)[:, None]
    n, k = xm.shape
    cov = bread @ (scores.T @ scores) @ bread * n / (n - k)
    estimate, se = float(beta[1]), float(np.sqrt(cov[1, 1]))
    low, high, p = _normal_interval(estimate, se, n - k, alpha)
    return ObservationalEffect(
        method="inverse-probability weighting", estimand=estimand, outcome=outcome, estimate=estimate, se=se,
        ci_low=low, ci_high=high, p_value=p, alpha=alpha, n=int(n), n_treated=int(t.sum()),
        n_control=int(n - t.sum()), dropped=int((~use).sum()), naive_difference=naive,
        balance=balance, overlap=overlap,
        propensity=model, missing=missing,
        note=f"{int((~use).sum())} trimmed (score outside [{trim}, {1 - trim}])" if trim else "",
    )  # fmt: skip


def matching_effect(
    frame: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    caliper: float | None = 0.2,
    alpha: float = 0.05,
) -> ObservationalEffect:
    """ATT by 1:1 nearest-neighbour matching on the logit of the propensity score, with replacement, within a
    caliper (standard deviations of the logit; None = no caliper). randomised=False."""
    if caliper is not None and not caliper > 0:
        raise ValueError("the caliper must be positive (or None)")
    y, t, x, names, model, missing = _prepare(frame, outcome, treatment, covariates)
    e = np.clip(model.scores, 1e-12, 1 - 1e-12)
    logit = np.log(e / (1 - e))
    naive = float(y[t == 1].mean() - y[t == 0].mean())
    treated = np.nonzero(t == 1)[0]
    controls = np.nonzero(t == 0)[0]
    order = np.argsort(logit[controls], kind="stable")
    sorted_logit = logit[controls][order]
    pos = np.searchsorted(sorted_logit, logit[treated])
    left = np.clip(pos - 1, 0, len(order) - 1)
    right = np.clip(pos, 0, len(order) - 1)
    d_left = np.abs(logit[treated] - sorted_logit[left])
    d_right = np.abs(sorted_logit[right] - logit[treated])
    pick = np.where(d_right < d_left, right, left)
    distance = np.minimum(d_left, d_right)
    match = controls[order[pick]]
    ok = np.ones(len(treated), dtype=bool)
    if caliper is not None:
        ok = distance <= caliper * np.std(logit, ddof=1)
    if ok.sum() < 2:
        raise ValueError("fewer than 2 treated people have a control within the caliper: no overlap")
    treated, match = treated[ok], match[ok]
    diffs = y[treated] - y[match]
    n1 = len(treated)
    estimate = float(diffs.mean())
    uses = np.bincount(match, minlength=len(y)).astype(float)
    used = np.nonzero(uses)[0]
    sigma2 = float(np.var(y[used], ddof=1)) if used.size > 1 else 0.0
    var = (((diffs - estimate) ** 2).sum() + ((uses[used] ** 2 - uses[used]).sum()) * sigma2) / n1**2
    se = float(np.sqrt(var))
    low, high, p = _normal_interval(estimate, se, n1 - 1, alpha)
    weights = uses.copy()
    weights[treated] = 1.0
    in_sample = weights > 0
    return ObservationalEffect(
        method="nearest-neighbour matching", estimand="ATT", outcome=outcome, estimate=estimate, se=se,
        ci_low=low, ci_high=high, p_value=p, alpha=alpha, n=int(n1 + used.size), n_treated=int(n1),
        n_control=int(used.size), dropped=int((~ok).sum()), naive_difference=naive,
        balance=balance_table(x, names, t, weights, after=in_sample),
        overlap=overlap_diagnostics(model.scores, t, weights), propensity=model, missing=missing,
        note=(f"{int((~ok).sum())} treated without a control within {caliper} SD of the logit score; "
              f"{used.size} distinct controls, used {int(uses.sum())} times"),
    )  # fmt: skip
