"""Fairness of the estimate and the route advice, per group, on held-out spells.

Per group (gender, age band, household type, and migration background where the municipality records it for
monitoring only): how many people, the calibration of the 12-month probability (mean predicted vs the
Kaplan-Meier share with work within 12 months, so that censored spells count without bias), the
share advised each route, and the error rates of the advice — advised "activation only" but found work within 12
months (the costly error: someone parked who could work), and advised "work" but no work within 12 months.
Groups under MIN_GROUP people are suppressed. When base rates differ not every measure can be equal at once
(profiling.md), so the report shows them all and flags differences beyond the municipality's tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trede.stats.metrics import km_share_by, outcome_at

MIN_GROUP = 20


@dataclass
class GroupRow:
    attribute: str
    group: str
    n: int
    suppressed: bool
    predicted_12: float | None = None
    observed_12: float | None = None
    route_shares: dict[str, float] = field(default_factory=dict)
    parked_but_worked: float | None = None  # among those advised activation with a known outcome
    work_advised_no_work: float | None = None  # among those advised work with a known outcome
    flags: list[str] = field(default_factory=list)


def fairness_report(
    frame: pd.DataFrame,
    *,
    attributes: list[str],
    duration: str = "duration",
    event: str = "event",
    p12: str = "p12",
    route: str = "route",
    work_route: str = "work",
    parking_route: str = "participation",
    tolerance: float = 0.05,
    min_group: int = MIN_GROUP,
) -> list[GroupRow]:
    """One row per (attribute, group); differences from the whole population beyond `tolerance` are flagged."""
    known, worked = outcome_at(frame[duration].to_numpy(), frame[event].to_numpy(), 12)
    data = frame.assign(_known=known, _worked=worked, _duration=frame[duration], _event=frame[event])
    overall = _measures(data, p12, route, work_route, parking_route)
    rows = []
    for attribute in attributes:
        for group, part in data.groupby(attribute, dropna=False, sort=True):
            label = "onbekend" if pd.isna(group) else str(group)
            if len(part) < min_group:
                rows.append(GroupRow(attribute, label, len(part), suppressed=True))
                continue
            m = _measures(part, p12, route, work_route, parking_route)
            row = GroupRow(attribute, label, len(part), suppressed=False, **m)
            for key in ("parked_but_worked", "work_advised_no_work"):
                if m[key] is not None and overall[key] is not None and abs(m[key] - overall[key]) > tolerance:
                    row.flags.append(key)
            if m["observed_12"] is not None and abs(m["predicted_12"] - m["observed_12"]) > tolerance:
                row.flags.append("calibration")
            for r, share in m["route_shares"].items():
                if abs(share - overall["route_shares"].get(r, 0.0)) > tolerance:
                    row.flags.append(f"route:{r}")
            rows.append(row)
    return rows


def _measures(part: pd.DataFrame, p12: str, route: str, work_route: str, parking_route: str) -> dict:
    k = part[part["_known"]]
    shares = part[route].value_counts(normalize=True).to_dict()

    def rate(sub: pd.DataFrame, worked: bool) -> float | None:
        return float((sub["_worked"] == worked).mean()) if len(sub) else None

    return {
        # calibration over every spell: the observed share is the Kaplan-Meier estimate (censoring-aware)
        "predicted_12": float(part[p12].mean()) if len(part) else None,
        "observed_12": km_share_by(part["_duration"], part["_event"], 12) if len(part) else None,
        "route_shares": {str(r): float(s) for r, s in shares.items()},
        "parked_but_worked": rate(k[k[route] == parking_route], True),
        "work_advised_no_work": rate(k[k[route] == work_route], False),
    }


def age_band(age: np.ndarray) -> np.ndarray:
    """Age bands used in the report: under 27, 27-49, 50 and over."""
    return np.select([age < 27, age < 50], ["<27", "27-49"], "50+")


@dataclass
class SelectionRow:
    attribute: str
    group: str
    n: int
    suppressed: bool
    rates: dict[str, float | None] = field(default_factory=dict)  # per outcome: the share of the group selected
    flags: list[str] = field(default_factory=list)  # outcomes whose share differs from everyone's beyond tolerance


def selection_rates(
    groups: dict[str, np.ndarray],
    outcomes: dict[str, np.ndarray],
    *,
    tolerance: float = 0.05,
    min_group: int = MIN_GROUP,
) -> tuple[dict[str, float], list[SelectionRow]]:
    """Who is selected, per group: for each outcome (a boolean array over the same people, e.g. "on a shortlist",
    "proposed", "hired") the share selected overall and per group of each attribute (demographic parity).
    Groups under `min_group` are suppressed; a group whose share differs from everyone's by more than `tolerance`
    is flagged for that outcome. The attributes are for measuring only: they are never an input of the ranking."""
    overall = {name: float(np.mean(sel)) if len(sel) else 0.0 for name, sel in outcomes.items()}
    rows = []
    for attribute, labels in groups.items():
        labels = np.asarray(labels, dtype=object)
        for group in sorted({str(x) for x in labels}):
            mask = labels.astype(str) == group
            n = int(mask.sum())
            if n < min_group:
                rows.append(SelectionRow(attribute, group, n, suppressed=True))
                continue
            rates = {name: float(np.mean(sel[mask])) for name, sel in outcomes.items()}
            flags = [name for name, rate in rates.items() if abs(rate - overall[name]) > tolerance]
            rows.append(SelectionRow(attribute, group, n, suppressed=False, rates=rates, flags=flags))
    return overall, rows
