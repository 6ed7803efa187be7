"""Pure rules of a pilot (no ORM): trede's own outcomes and how they are measured from a client's benefit periods
and ladder measurements, the baseline factors, the eligibility criteria, and the power calculation shown before a
pilot starts.

Outcomes (per client, from the day of the draw S to the end of follow-up H = S + follow-up months; at a safety look
before H the data run to that day instead, E = min(H, today)):

- paid_work_12m (0/1): within 12 months after S the client left benefit for work (a benefit period ended with reason
  "work"), or a ladder measurement at step 5 or 6 (paid work, with or without support) was recorded. Missing when
  the client moved to another municipality in that time without either (their work is not known here).
- durable_exit (0/1): not on benefit on any day of the last 6 months (183 days) before E. Missing when the follow-up
  is shorter than that, and when the client moved away and did not come back (whether they get benefit elsewhere
  is not known here).
- months_on_benefit (duration): months (the follow-up's days over its calendar months, about 30.44 days) from S
  until the benefit period running on S ended; the event is leaving benefit. Still on benefit at E: censored at E.
  Moved away: censored on the day of the move (leaving by moving is not the intended effect). A Kaplan-Meier curve
  per arm shows the share still on benefit.
- ladder_step_up (0/1): the last ladder measurement after S (up to E) is higher than the last one on or before S;
  0 when there is no measurement after S. Missing without a measurement on or before S.

A client who is not on benefit on S (possible in a pilot made from a campaign) has every outcome missing.
- return_to_benefit (0/1): left benefit after S and started a new benefit period, both by E. Counted over everyone
  in the arm (not only those who left), so that the arms stay comparable as randomised.

Every definition works on whole columns at once (pandas), so a pilot of 35,000 clients costs a few array passes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

MONTH_DAYS = 30.4375
DURABLE_DAYS = 183
PAID_WORK_MONTHS = 12
PAID_WORK_STEP = 5  # ladder steps 5 and 6 are paid work


@dataclass(frozen=True)
class OutcomeSpec:
    name: str
    kind: str  # "binary" or "duration" (trede.stats.evaluation.design.OutcomeKind)
    label: str
    short: str
    event: str | None = None  # the event column of a duration
    min_months: int = 1  # the shortest follow-up that can measure it


OUTCOMES: dict[str, OutcomeSpec] = {
    o.name: o
    for o in (
        OutcomeSpec(
            "paid_work_12m",
            "binary",
            _("Betaald werk binnen 12 maanden"),
            _("betaald werk"),
            min_months=PAID_WORK_MONTHS,
        ),
        OutcomeSpec(
            "durable_exit",
            "binary",
            _("Duurzaam uit de bijstand (de laatste 6 maanden niet in de bijstand)"),
            _("duurzaam uit de bijstand"),
            min_months=6,
        ),
        OutcomeSpec(
            "months_on_benefit",
            "duration",
            _("Maanden in de bijstand (tot vertrek uit de bijstand)"),
            _("uit de bijstand"),
            event="left_benefit",
        ),
        OutcomeSpec(
            "ladder_step_up",
            "binary",
            _("Hogere trede op de participatieladder"),
            _("hogere trede"),
        ),
        OutcomeSpec(
            "return_to_benefit",
            "binary",
            _("Terug in de bijstand na vertrek"),
            _("terug in de bijstand"),
        ),
    )
}
OUTCOME_CHOICES = [(o.name, o.label) for o in OUTCOMES.values()]

# Baseline factors, measured on the day of the draw. Strata and subgroups choose from FACTORS; the balance table
# and the regression adjustment use COVARIATES.
FACTORS = {
    "route": _("Route"),
    "age_band": _("Leeftijd"),
    "district": _("Wijk"),
    "ladder": _("Trede op de participatieladder"),
    "benefit_band": _("Tijd in de bijstand"),
    "exempt": _("Ontheffing"),
}
FACTOR_CHOICES = list(FACTORS.items())
COVARIATES = ("age", "benefit_months", "ladder", "route", "exempt")
COVARIATE_LABELS = {
    "age": _("Leeftijd (jaren)"),
    "benefit_months": _("Maanden in de bijstand"),
    "ladder": _("Trede"),
    "route": _("Route"),
    "exempt": _("Ontheffing (aandeel)"),
}
AGE_BANDS = ("<27", "27-49", "50+")
BENEFIT_BANDS = ("<12", "12-35", "36+")  # months on benefit
UNKNOWN = "?"


def age_band(age: float) -> str:
    return "<27" if age < 27 else ("27-49" if age < 50 else "50+")


def benefit_band(months: float) -> str:
    return "<12" if months < 12 else ("12-35" if months < 36 else "36+")


def factor_level_label(factor: str, level) -> str:
    """A readable label of one level of a baseline factor."""
    from trede.activation.dashboard import ROUTE_LABELS

    level = str(level)
    if factor == "route":
        return str(ROUTE_LABELS.get(level, level))
    if factor == "exempt":
        return str(_("ja") if level in ("1", "True", "1.0") else _("nee"))
    if factor == "ladder" and level == UNKNOWN:
        return str(_("niet gemeten"))
    if factor == "benefit_band":
        return {
            "<12": str(_("korter dan 1 jaar")),
            "12-35": str(_("1 tot 3 jaar")),
            "36+": str(_("3 jaar of langer")),
        }.get(level, level)
    return level


def covariate_label(name: str) -> str:
    """The label of a column of the balance table: 'age', or 'route=work' (a level of a text factor)."""
    factor, _sep, level = name.partition("=")
    label = str(COVARIATE_LABELS.get(factor, FACTORS.get(factor, factor)))
    return f"{label}: {factor_level_label(factor, level)}" if level else label


# --------------------------------------------------------------------------------------------------
# Eligibility criteria (the saved selection)

CRITERIA_KEYS = (
    "districts",
    "age_min",
    "age_max",
    "routes",
    "ladder_steps",
    "benefit_months_min",
    "benefit_months_max",
    "exemption",
)
EXEMPTION_CHOICES = (
    ("", _("Iedereen")),
    ("exempt", _("Alleen met ontheffing")),
    ("not_exempt", _("Zonder ontheffing")),
)


def criteria_clean(raw: dict) -> dict:
    """The criteria with only known keys, empty ones left out, numbers as int and lists sorted (so the same
    selection is always stored the same way)."""
    out: dict = {}
    for key in CRITERIA_KEYS:
        value = raw.get(key)
        if value in (None, "", [], ()):
            continue
        if key in ("districts", "ladder_steps"):
            out[key] = sorted({int(v) for v in value})
        elif key == "routes":
            out[key] = sorted({str(v) for v in value})
        elif key == "exemption":
            out[key] = str(value)
        else:
            out[key] = int(value)
    return out


def criteria_problems(criteria: dict) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    lo, hi = criteria.get("age_min"), criteria.get("age_max")
    if lo is not None and hi is not None and lo > hi:
        problems.setdefault("age_max", []).append(str(_("De hoogste leeftijd ligt onder de laagste.")))
    lo, hi = criteria.get("benefit_months_min"), criteria.get("benefit_months_max")
    if lo is not None and hi is not None and lo > hi:
        problems.setdefault("benefit_months_max", []).append(
            str(_("Het maximum aantal maanden ligt onder het minimum."))
        )
    if any(s not in range(1, 7) for s in criteria.get("ladder_steps", [])):
        problems.setdefault("ladder_steps", []).append(str(_("Een trede is 1 tot en met 6.")))
    if criteria.get("exemption") not in (None, "exempt", "not_exempt"):
        problems.setdefault("exemption", []).append(str(_("Kies iedereen, met of zonder ontheffing.")))
    return problems


# --------------------------------------------------------------------------------------------------
# Outcomes from benefit periods and ladder measurements (whole columns at once)


def _days(values) -> np.ndarray:
    """Dates (date objects, datetimes or NaT/None) as day numbers (float, nan where missing)."""
    s = pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce")
    out = np.full(len(s), np.nan)
    ok = s.notna().to_numpy()
    out[ok] = s[ok].to_numpy().astype("datetime64[D]").astype("int64")
    return out


def day_number(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype("int64"))


def measure_outcomes(units: pd.DataFrame, periods: pd.DataFrame, ladder: pd.DataFrame) -> pd.DataFrame:
    """Every outcome of OUTCOMES for every unit (see the module for the definitions).

    units: client_id, start (S), end (E), work_end (the end of the paid-work window: min(S + 12 months, E)), and
    optionally month_days: the length of a month in days for the durations (default MONTH_DAYS; the selectors pass
    the follow-up's days over its months, so that a whole follow-up of 12 calendar months is exactly 12).
    periods: client_id, start_on, end_on (None while running), exit_reason.
    ladder: client_id, measured_on, step, in the order they were recorded (later rows win on the same day).
    Returns a frame indexed by client_id with the outcome columns (nan = missing) and left_benefit (the event of
    months_on_benefit).
    """
    ids = units["client_id"].to_numpy()
    if len(np.unique(ids)) != len(ids):
        raise ValueError("a client occurs twice in the units")
    n = len(ids)
    s = _days(units["start"])
    e = _days(units["end"])
    w = _days(units["work_end"])
    pos = pd.Series(np.arange(n), index=ids)

    p = periods[periods["client_id"].isin(ids)]
    pi = pos.loc[p["client_id"].to_numpy()].to_numpy()
    ps = _days(p["start_on"])
    pe = _days(p["end_on"])
    big = np.inf
    pe = np.where(np.isnan(pe), big, pe)
    reason = p["exit_reason"].fillna("").astype(str).to_numpy()
    us, ue, uw = s[pi], e[pi], w[pi]

    # the benefit period running on S (the latest start among those covering S)
    covering = (ps <= us) & (pe >= us)
    current_exit = np.full(n, np.nan)
    current_reason = np.full(n, "", dtype=object)
    if covering.any():
        cov = pd.DataFrame({"i": pi[covering], "ps": ps[covering], "pe": pe[covering], "r": reason[covering]})
        cov = cov.sort_values(["i", "ps"]).drop_duplicates("i", keep="last")
        current_exit[cov["i"].to_numpy()] = cov["pe"].to_numpy()
        current_reason[cov["i"].to_numpy()] = cov["r"].to_numpy()
    has_current = ~np.isnan(current_exit)
    left = has_current & (current_exit <= e)
    moved = left & (current_reason == "moved")

    # months on benefit: until the current period ended (event), censored at E or at a move
    stop = np.where(left, current_exit, e)
    month_days = units["month_days"].to_numpy(dtype=float) if "month_days" in units else np.full(n, MONTH_DAYS)
    months = np.where(has_current, (stop - s) / month_days, np.nan)
    left_benefit = np.where(has_current, (left & ~moved).astype(float), np.nan)

    # a new benefit period started after the current one ended, by E
    later = np.zeros(n, dtype=bool)
    starts_later = (ps > current_exit[pi]) & (ps <= ue)
    np.logical_or.at(later, pi[starts_later], True)
    returned = left & later
    return_to_benefit = np.where(has_current, returned.astype(float), np.nan)
    return_to_benefit[moved & ~returned] = np.nan

    # durable exit: no day on benefit in the last DURABLE_DAYS before E
    window_start = e - DURABLE_DAYS
    overlaps = (ps <= ue) & (pe >= ue - DURABLE_DAYS)
    on_late = np.zeros(n, dtype=bool)
    np.logical_or.at(on_late, pi[overlaps], True)
    durable = np.where(has_current, (~on_late).astype(float), np.nan)
    durable[window_start < s] = np.nan  # too short a follow-up to tell
    durable[moved & ~later] = np.nan

    # paid work within 12 months: an exit to work, or a ladder measurement at step 5 or 6, in (S, work_end]
    work_exit = np.zeros(n, dtype=bool)
    np.logical_or.at(work_exit, pi[(reason == "work") & (pe >= us) & (pe <= uw)], True)
    lw = ladder[ladder["client_id"].isin(ids)]
    li = pos.loc[lw["client_id"].to_numpy()].to_numpy()
    lday = _days(lw["measured_on"])
    lstep = lw["step"].to_numpy(dtype=float)
    work_step = np.zeros(n, dtype=bool)
    np.logical_or.at(work_step, li[(lstep >= PAID_WORK_STEP) & (lday > s[li]) & (lday <= w[li])], True)
    paid = work_exit | work_step
    moved_in_window = np.zeros(n, dtype=bool)
    if len(pi):
        # the latest period that started by the end of the window ended within it by moving away
        last = pd.DataFrame({"i": pi, "ps": ps, "pe": pe, "r": reason, "uw": uw, "us": us})
        last = last[last["ps"] <= last["uw"]].sort_values(["i", "ps"]).drop_duplicates("i", keep="last")
        hit = (last["r"] == "moved") & (last["pe"] >= last["us"]) & (last["pe"] <= last["uw"])
        moved_in_window[last.loc[hit, "i"].to_numpy()] = True
    paid_work = np.where(has_current, paid.astype(float), np.nan)
    paid_work[~paid & moved_in_window] = np.nan

    # ladder step up: the last measurement in (S, E] above the last one on or before S
    order = np.arange(len(li))
    base = np.full(n, np.nan)
    after = np.full(n, np.nan)
    if len(li):
        lf = pd.DataFrame({"i": li, "d": lday, "step": lstep, "k": order})
        before = lf[lf["d"] <= s[li]].sort_values(["i", "d", "k"]).drop_duplicates("i", keep="last")
        base[before["i"].to_numpy()] = before["step"].to_numpy()
        post = lf[(lf["d"] > s[li]) & (lf["d"] <= e[li])].sort_values(["i", "d", "k"]).drop_duplicates("i", keep="last")
        after[post["i"].to_numpy()] = post["step"].to_numpy()
    step_up = np.where(np.isnan(base) | ~has_current, np.nan, (np.nan_to_num(after, nan=-1) > base).astype(float))

    return pd.DataFrame(
        {
            "paid_work_12m": paid_work,
            "durable_exit": durable,
            "months_on_benefit": months,
            "left_benefit": left_benefit,
            "ladder_step_up": step_up,
            "return_to_benefit": return_to_benefit,
        },
        index=pd.Index(ids, name="client_id"),
    )


# --------------------------------------------------------------------------------------------------
# Power before the start


@dataclass(frozen=True)
class PowerSummary:
    """What the form shows: the smallest effect the eligible people can detect, and (given an effect) how many
    people that needs. Effects and percentages in percentage points; `problem` explains a calculation that could
    not be made."""

    n: int
    baseline_pct: float | None
    mde_pp: float | None = None
    mde_pct: float | None = None  # the intervention arm's percentage at that effect
    effect_pp: float | None = None
    needed: int | None = None
    needed_intervention: int | None = None
    needed_control: int | None = None
    clusters_needed: int | None = None
    design_effect: float = 1.0
    enough: bool | None = None
    problem: str = ""


def plan_power(
    *,
    n: int,
    baseline_pct: float | None,
    effect_pp: float | None,
    weights: tuple[int, int],
    icc: float = 0.0,
    cluster_size: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
) -> PowerSummary:
    """Power on the proportion scale (a 0/1 outcome, or a duration's share with the event by the end of follow-up):
    the minimum detectable increase for the `n` eligible people, and the people needed for `effect_pp`."""
    from trede.stats.evaluation.power import minimum_detectable_effect, sample_size

    if baseline_pct is None:
        return PowerSummary(n, None, problem=str(_("Vul het verwachte percentage in de controlegroep in.")))
    if not 0 < baseline_pct < 100:
        return PowerSummary(n, baseline_pct, problem=str(_("Het percentage ligt tussen 0 en 100.")))
    p0 = baseline_pct / 100
    ratio = weights[0] / weights[1]
    kw = {"baseline": p0, "alpha": alpha, "power": power, "ratio": ratio, "icc": icc, "cluster_size": cluster_size}
    mde = mde_pct = None
    problem = ""
    de = 1.0
    try:
        if n >= 4:
            r = minimum_detectable_effect(n, measure="proportion", **kw)
            mde, mde_pct, de = 100 * r.effect, 100 * r.intervention_value, r.design_effect
        else:
            problem = str(_("Te weinig mensen om iets te kunnen aantonen."))
    except ValueError:
        problem = str(_("Met zo weinig mensen is geen effect binnen 0-100% aan te tonen."))
    needed = n1 = n0 = clusters = None
    enough = None
    if effect_pp:
        try:
            r = sample_size(effect_pp / 100, measure="proportion", **kw)
            n1, n0, needed, de = r.n_intervention, r.n_control, r.n, r.design_effect
            clusters = r.clusters
            enough = n >= needed
        except ValueError:
            problem = problem or str(_("Dit effect past niet bij het percentage in de controlegroep."))
    return PowerSummary(
        n=n,
        baseline_pct=baseline_pct,
        mde_pp=mde,
        mde_pct=mde_pct,
        effect_pp=effect_pp,
        needed=needed,
        needed_intervention=n1,
        needed_control=n0,
        clusters_needed=clusters,
        design_effect=de,
        enough=enough,
        problem=problem,
    )


def finite(x) -> float | None:
    """A float for JSON: None for nan or infinity."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None
