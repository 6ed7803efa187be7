"""Effects of a randomised pilot: intention to treat (ITT), regression adjustment, subgroups, the complier effect.

All estimates come from least squares on the analysis rows (complete cases of the outcome: a missing outcome is
attrition, counted in the result, never imputed).

- ITT: y = a + b z + e, with z = 1 for the intervention arm as assigned; b is the difference in means (for a 0/1
  outcome the difference in proportions). Two standard errors: the conventional one (equal variances, the pooled
  t-test) and the heteroskedasticity-robust HC1 (MacKinnon & White 1985; Stata's ", robust"). With cluster
  randomisation the robust error is cluster-robust CR1 (clusters = caseworkers or districts; Stata's
  ", vce(cluster)"). The interval and p-value use the robust error with the t distribution on n - k degrees of
  freedom (clusters - 1 for CR1); the conventional interval is given beside it.
- Regression adjustment: the same with the baseline factors added (centred, so the constant stays the control
  mean); it does not move the expected estimate in a randomised pilot but narrows its interval when the factors
  predict the outcome.
- Subgroups (pre-registered only): the ITT within every level of each subgroup factor, their p-values corrected
  for multiple testing over the whole family (Holm: family-wise error; Benjamini-Hochberg: false discovery rate),
  and per factor a robust Wald test whether the effect differs between its levels (the interactions).
- Complier effect (LATE): two-stage least squares with the assignment as instrument for the intervention received
  (Angrist, Imbens & Rubin 1996); without baseline factors it equals the ITT divided by the difference in the share
  received. The robust (HC1 or CR1) error of the just-identified IV estimator; the first-stage F statistic shows
  whether the assignment moved take-up enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trede.stats.evaluation.design import (
    Correction,
    binary_array,
    covariate_matrix,
    numeric_array,
    require_columns,
)

# --------------------------------------------------------------------------------------------------
# Least squares with conventional, HC1 and CR1 covariances


@dataclass(frozen=True)
class LinearFit:
    params: np.ndarray
    cov_conventional: np.ndarray
    cov_robust: np.ndarray
    robust_kind: str  # "HC1" or "CR1"
    n: int
    k: int
    df_conventional: int
    df_robust: int
    clusters: int | None
    residuals: np.ndarray


def _clusters_codes(cluster) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(pd.Series(cluster), sort=True)
    if (codes < 0).any():
        raise ValueError(f"cluster: {int((codes < 0).sum())} missing value(s)")
    return codes, len(uniques)


def _meat(scores: np.ndarray, cluster_codes: np.ndarray | None, g: int | None) -> np.ndarray:
    if cluster_codes is None:
        return scores.T @ scores
    summed = np.zeros((g, scores.shape[1]))
    np.add.at(summed, cluster_codes, scores)
    return summed.T @ summed


def _rank_check(a: np.ndarray, what: str) -> None:
    s = np.linalg.svd(a, compute_uv=False)
    if s[-1] <= s[0] * 1e-10:
        raise ValueError(
            f"{what}: the columns are collinear (a baseline factor is a combination of others or of the arms)"
        )


def ols(y: np.ndarray, x: np.ndarray, *, cluster=None) -> LinearFit:
    """Least squares of y on x (x includes the constant). cluster: labels per row for CR1 instead of HC1."""
    n, k = x.shape
    if n <= k:
        raise ValueError(f"{n} people are too few for {k} parameters")
    xtx = x.T @ x
    _rank_check(xtx, "regression")
    bread = np.linalg.inv(xtx)
    beta = bread @ (x.T @ y)
    e = y - x @ beta
    sigma2 = (e @ e) / (n - k)
    conventional = sigma2 * bread
    codes, g = (None, None) if cluster is None else _clusters_codes(cluster)
    meat = _meat(x * e[:, None], codes, g)
    if g is None:
        robust = bread @ meat @ bread * (n / (n - k))
        kind, df_r = "HC1", n - k
    else:
        if g < 2:
            raise ValueError("cluster-robust errors need at least two clusters")
        robust = bread @ meat @ bread * (g / (g - 1)) * ((n - 1) / (n - k))
        kind, df_r = "CR1", g - 1
    return LinearFit(beta, conventional, robust, kind, n, k, n - k, df_r, g, e)


def iv_2sls(y: np.ndarray, x: np.ndarray, z: np.ndarray, *, cluster=None) -> LinearFit:
    """Just-identified two-stage least squares: x and z have the same columns but for the endogenous one."""
    n, k = x.shape
    if n <= k:
        raise ValueError(f"{n} people are too few for {k} parameters")
    zx = z.T @ x
    _rank_check(zx, "instrumental variables")
    zx_inv = np.linalg.inv(zx)
    beta = zx_inv @ (z.T @ y)
    e = y - x @ beta
    sigma2 = (e @ e) / (n - k)
    conventional = sigma2 * zx_inv @ (z.T @ z) @ zx_inv.T
    codes, g = (None, None) if cluster is None else _clusters_codes(cluster)
    meat = _meat(z * e[:, None], codes, g)
    if g is None:
        robust = zx_inv @ meat @ zx_inv.T * (n / (n - k))
        kind, df_r = "HC1", n - k
    else:
        robust = zx_inv @ meat @ zx_inv.T * (g / (g - 1)) * ((n - 1) / (n - k))
        kind, df_r = "CR1", g - 1
    return LinearFit(beta, conventional, robust, kind, n, k, n - k, df_r, g, e)


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Effect:
    """One estimated effect of the intervention, with the people it rests on.

    estimate, se, ci_low, ci_high and p_value use the robust error (se_kind: HC1, or CR1 with clusters); the
    conventional error and interval are given beside them. p_adjusted: corrected for multiple testing (subgroups).
    """

    outcome: str
    estimand: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    se_conventional: float
    ci_low_conventional: float
    ci_high_conventional: float
    se_kind: str
    alpha: float
    n: int
    n_intervention: int
    n_control: int
    mean_intervention: float | None = None
    mean_control: float | None = None
    missing: int = 0  # analysis rows left out because the outcome is missing (attrition)
    clusters: int | None = None
    covariates: tuple[str, ...] = ()
    subgroup: str | None = None
    level: str | None = None
    p_adjusted: float | None = None
    randomised: bool = True
    note: str = ""

    @property
    def confidence(self) -> float:
        return 1 - self.alpha

    @property
    def significant(self) -> bool:
        p = self.p_value if self.p_adjusted is None else self.p_adjusted
        return bool(p < self.alpha)


def _effect_from_fit(fit: LinearFit, j: int, alpha: float, **kw) -> Effect:
    b = float(fit.params[j])
    se = float(np.sqrt(fit.cov_robust[j, j]))
    se_c = float(np.sqrt(fit.cov_conventional[j, j]))
    t_r = float(stats.t.ppf(1 - alpha / 2, fit.df_robust))
    t_c = float(stats.t.ppf(1 - alpha / 2, fit.df_conventional))
    p = float(2 * stats.t.sf(abs(b / se), fit.df_robust)) if se > 0 else float("nan")
    return Effect(
        estimate=b, se=se, ci_low=b - t_r * se, ci_high=b + t_r * se, p_value=p, se_conventional=se_c,
        ci_low_conventional=b - t_c * se_c, ci_high_conventional=b + t_c * se_c, se_kind=fit.robust_kind,
        alpha=alpha, clusters=fit.clusters, **kw,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Data preparation


@dataclass(frozen=True)
class _Rows:
    y: np.ndarray
    z: np.ndarray
    keep: np.ndarray  # mask over the frame's rows
    missing: int
    cluster: np.ndarray | None


def _rows(frame, outcome, assignment, cluster_column) -> _Rows:
    require_columns(frame, [outcome, assignment, *([cluster_column] if cluster_column else [])], "effect")
    z = binary_array(frame, assignment)
    y = numeric_array(frame, outcome)
    keep = ~np.isnan(y)
    cluster = None
    if cluster_column:
        cluster = frame[cluster_column].to_numpy()
        if pd.isna(cluster).any():
            raise ValueError(f"{cluster_column}: {int(pd.isna(cluster).sum())} missing value(s)")
        cluster = cluster[keep]
    return _Rows(y[keep], z[keep], keep, int((~keep).sum()), cluster)


def _arm_sizes(z: np.ndarray, outcome: str, min_per_arm: int = 2) -> tuple[int, int]:
    n1 = int(z.sum())
    n0 = int(z.size - n1)
    if n1 < min_per_arm or n0 < min_per_arm:
        empty = "intervention" if n1 < min_per_arm else "control"
        raise ValueError(
            f"{outcome}: the {empty} arm has {min(n1, n0)} people with an outcome; at least {min_per_arm} are needed"
        )
    return n1, n0


def difference_in_means(
    frame: pd.DataFrame,
    outcome: str,
    *,
    assignment: str = "assigned",
    cluster: str | None = None,
    alpha: float = 0.05,
) -> Effect:
    """ITT difference in means (intervention minus control) with conventional and robust (HC1/CR1) errors."""
    r = _rows(frame, outcome, assignment, cluster)
    n1, n0 = _arm_sizes(r.z, outcome)
    x = np.column_stack([np.ones_like(r.z), r.z])
    fit = ols(r.y, x, cluster=r.cluster)
    return _effect_from_fit(
        fit, 1, alpha, outcome=outcome, estimand="ITT difference in means", n=n1 + n0, n_intervention=n1,
        n_control=n0, mean_intervention=float(r.y[r.z == 1].mean()), mean_control=float(r.y[r.z == 0].mean()),
        missing=r.missing,
    )  # fmt: skip


def adjusted_difference(
    frame: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str],
    *,
    assignment: str = "assigned",
    cluster: str | None = None,
    alpha: float = 0.05,
) -> Effect:
    """ITT adjusted for baseline factors (ANCOVA: y on the arm and the centred factors), robust errors."""
    if not covariates:
        raise ValueError("regression adjustment needs at least one baseline factor")
    r = _rows(frame, outcome, assignment, cluster)
    n1, n0 = _arm_sizes(r.z, outcome)
    w, names = covariate_matrix(frame.loc[r.keep], covariates)
    w = w - w.mean(axis=0)
    x = np.column_stack([np.ones_like(r.z), r.z, w])
    fit = ols(r.y, x, cluster=r.cluster)
    return _effect_from_fit(
        fit, 1, alpha, outcome=outcome, estimand="ITT adjusted for baseline factors", n=n1 + n0, n_intervention=n1,
        n_control=n0, mean_intervention=float(r.y[r.z == 1].mean()), mean_control=float(r.y[r.z == 0].mean()),
        missing=r.missing, covariates=tuple(covariates),
        note=f"{len(names)} adjustment term(s): {', '.join(names)}" if names else "no baseline factor varies",
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Multiple testing


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error rate)."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def benjamini_hochberg(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg step-up adjusted p-values (false discovery rate)."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    out = np.empty(m)
    out[order] = adjusted
    return out


def adjust_p_values(p_values: Sequence[float], correction: Correction | str) -> np.ndarray:
    correction = Correction(correction)
    if np.isnan(np.asarray(p_values, dtype=float)).any():
        raise ValueError("a p-value is missing; correct only estimated effects")
    return holm(p_values) if correction is Correction.HOLM else benjamini_hochberg(p_values)


# --------------------------------------------------------------------------------------------------
# Subgroups


@dataclass(frozen=True)
class Heterogeneity:
    """Robust Wald test that the effect is the same in every level of one subgroup factor."""

    subgroup: str
    statistic: float  # F = chi-square / df
    df: int
    p_value: float
    n: int


@dataclass(frozen=True)
class SubgroupAnalysis:
    outcome: str
    correction: Correction
    effects: tuple[Effect, ...]  # per factor and level, with p_adjusted over the whole family
    heterogeneity: tuple[Heterogeneity, ...]
    skipped: tuple[tuple[str, str, str], ...]  # (factor, level, reason): levels too small to estimate
    n: int


def subgroup_effects(
    frame: pd.DataFrame,
    outcome: str,
    subgroups: Sequence[str],
    *,
    assignment: str = "assigned",
    cluster: str | None = None,
    correction: Correction | str = Correction.HOLM,
    alpha: float = 0.05,
    min_per_arm: int = 2,
) -> SubgroupAnalysis:
    """ITT per level of each pre-registered subgroup factor, corrected for multiple testing over all of them.

    A level with fewer than `min_per_arm` people with an outcome in an arm is not estimated (listed in skipped)."""
    if not subgroups:
        raise ValueError("no subgroups were pre-registered")
    correction = Correction(correction)
    require_columns(frame, list(subgroups), "subgroups")
    r = _rows(frame, outcome, assignment, cluster)
    _arm_sizes(r.z, outcome)
    effects: list[Effect] = []
    skipped: list[tuple[str, str, str]] = []
    tests: list[Heterogeneity] = []
    for factor in subgroups:
        values = frame[factor].to_numpy()[r.keep]
        if pd.isna(values).any():
            raise ValueError(f"subgroup {factor}: {int(pd.isna(values).sum())} missing value(s)")
        labels = values.astype(str)
        levels = sorted(str(v) for v in pd.unique(labels))
        estimable = []
        for level in levels:
            mask = labels == level
            n1 = int(r.z[mask].sum())
            n0 = int(mask.sum() - n1)
            if min(n1, n0) < min_per_arm:
                skipped.append((factor, level, f"{n1} in the intervention and {n0} in the control arm"))
                continue
            estimable.append(level)
            x = np.column_stack([np.ones(int(mask.sum())), r.z[mask]])
            fit = ols(r.y[mask], x, cluster=None if r.cluster is None else r.cluster[mask])
            y1, y0 = r.y[mask][r.z[mask] == 1], r.y[mask][r.z[mask] == 0]
            effects.append(
                _effect_from_fit(
                    fit,
                    1,
                    alpha,
                    outcome=outcome,
                    estimand="ITT in subgroup",
                    n=n1 + n0,
                    n_intervention=n1,
                    n_control=n0,
                    mean_intervention=float(y1.mean()),
                    mean_control=float(y0.mean()),
                    subgroup=factor,
                    level=level,
                )  # fmt: skip
            )
        if len(estimable) >= 2:
            tests.append(_interaction_test(r, labels, estimable, factor))
    if effects:
        adjusted = adjust_p_values([e.p_value for e in effects], correction)
        effects = [_replace(e, p_adjusted=float(a)) for e, a in zip(effects, adjusted, strict=True)]
    return SubgroupAnalysis(outcome, correction, tuple(effects), tuple(tests), tuple(skipped), int(r.y.size))


def _replace(effect: Effect, **changes) -> Effect:
    from dataclasses import replace

    return replace(effect, **changes)


def _interaction_test(r: _Rows, labels: np.ndarray, levels: list[str], factor: str) -> Heterogeneity:
    mask = np.isin(labels, levels)
    lab = labels[mask]
    z = r.z[mask]
    dummies = np.column_stack([(lab == lv).astype(float) for lv in levels[1:]])
    x = np.column_stack([np.ones(mask.sum()), z, dummies, dummies * z[:, None]])
    fit = ols(r.y[mask], x, cluster=None if r.cluster is None else r.cluster[mask])
    q = len(levels) - 1
    idx = np.arange(2 + q, 2 + 2 * q)
    b = fit.params[idx]
    v = fit.cov_robust[np.ix_(idx, idx)]
    wald = float(b @ np.linalg.solve(v, b))
    f = wald / q
    p = float(stats.f.sf(f, q, fit.df_robust))
    return Heterogeneity(factor, f, q, p, int(mask.sum()))


# --------------------------------------------------------------------------------------------------
# Complier effect


@dataclass(frozen=True)
class ComplierEffect:
    """The effect on those who took up the intervention because they were assigned to it (LATE), by 2SLS."""

    effect: Effect
    first_stage: float  # difference in the share receiving the intervention (intervention minus control arm)
    first_stage_f: float  # robust F of the instrument in the first stage (>= 10: a strong instrument)
    received_intervention: float  # share receiving the intervention in the intervention arm
    received_control: float  # share receiving the intervention in the control arm (crossovers in)
    crossovers_intervention: int  # assigned to the intervention, did not receive it
    crossovers_control: int  # assigned to control, received the intervention
    n: int


def complier_effect(
    frame: pd.DataFrame,
    outcome: str,
    *,
    assignment: str = "assigned",
    received: str = "received",
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    alpha: float = 0.05,
) -> ComplierEffect:
    """2SLS of the outcome on the intervention received, instrumented by the assignment (robust errors)."""
    require_columns(frame, [received], "complier effect")
    r = _rows(frame, outcome, assignment, cluster)
    n1, n0 = _arm_sizes(r.z, outcome)
    d = binary_array(frame, received)[r.keep]
    if np.array_equal(d, r.z):
        raise ValueError("nobody crossed over: the complier effect equals the ITT")
    parts = [np.ones_like(r.z)]
    names = ()
    if covariates:
        w, names = covariate_matrix(frame.loc[r.keep], covariates)
        parts.append(w - w.mean(axis=0))
    w_all = np.column_stack(parts)
    first = ols(d, np.column_stack([w_all[:, :1], r.z, w_all[:, 1:]]), cluster=r.cluster)
    first_f = float(first.params[1] ** 2 / first.cov_robust[1, 1])
    if abs(first.params[1]) < 1e-12:
        raise ValueError("the assignment did not change who received the intervention: no complier effect")
    x = np.column_stack([w_all[:, :1], d, w_all[:, 1:]])
    zi = np.column_stack([w_all[:, :1], r.z, w_all[:, 1:]])
    fit = iv_2sls(r.y, x, zi, cluster=r.cluster)
    effect = _effect_from_fit(
        fit, 1, alpha, outcome=outcome, estimand="complier effect (2SLS, assignment as instrument)", n=n1 + n0,
        n_intervention=n1, n_control=n0, mean_intervention=float(r.y[r.z == 1].mean()),
        mean_control=float(r.y[r.z == 0].mean()), missing=r.missing, covariates=tuple(covariates),
        note="; ".join(filter(None, ["weak instrument (first-stage F < 10)" if first_f < 10 else "",
                                     f"adjusted for {', '.join(names)}" if names else ""])),
    )  # fmt: skip
    return ComplierEffect(
        effect=effect,
        first_stage=float(first.params[1]),
        first_stage_f=first_f,
        received_intervention=float(d[r.z == 1].mean()),
        received_control=float(d[r.z == 0].mean()),
        crossovers_intervention=int(((r.z == 1) & (d == 0)).sum()),
        crossovers_control=int(((r.z == 0) & (d == 1)).sum()),
        n=n1 + n0,
    )
