"""A synthetic pilot with a known effect: for the benchmark, the tests and the demo (no real people).

35,000 clients by default in 20 strata (5 districts x route x age band), 10 baseline factors, randomised with
trede's own randomiser (clients, or caseworkers with clusters of about 350 clients), non-compliance both ways,
attrition, and outcomes generated from the intervention actually received: months to paid work (a Weibull duration,
censored at the end of follow-up), paid work within 12 months (the primary, 0/1) and months on benefit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trede.stats.evaluation.design import Outcome, OutcomeKind, PilotPlan, Unit
from trede.stats.evaluation.randomise import randomise, randomise_frame

COVARIATES = (
    "age",
    "months_on_benefit_before",
    "ladder_step",
    "education",
    "language_1f",
    "health_limitation",
    "children",
    "partner",
    "work_years",
    "route",
)


def synthetic_pilot(
    n: int = 35_000,
    *,
    seed: int = 2026,
    log_hazard_ratio: float = 0.15,
    take_up: float = 0.9,
    crossover: float = 0.03,
    attrition: float = 0.03,
    unit: Unit | str = Unit.CLIENT,
    follow_up_months: int = 24,
    bootstrap: int = 0,
) -> tuple[PilotPlan, pd.DataFrame]:
    """(plan, frame): a pilot whose intervention raises the hazard of paid work by exp(log_hazard_ratio) for those
    who receive it; `take_up` of the intervention arm receive it, `crossover` of the control arm get it too."""
    unit = Unit(unit)
    rng = np.random.default_rng(seed)
    district = rng.choice(["Noord", "Oost", "Zuid", "West", "Centrum"], n, p=[0.25, 0.2, 0.2, 0.2, 0.15])
    route = np.where(rng.random(n) < 0.45, "work", "participation")
    age = rng.integers(18, 67, n)
    frame = pd.DataFrame(
        {
            "client_id": rng.permutation(np.arange(100_000, 100_000 + 3 * n))[:n],
            "district": district,
            "route": route,
            "age_band": np.where(age < 40, "18-39", "40-66"),
            "age": age,
            "months_on_benefit_before": np.round(rng.gamma(1.5, 20, n)),
            "ladder_step": np.clip(np.where(route == "work", 4, 2) + rng.integers(-1, 2, n), 1, 6),
            "education": rng.choice(["low", "middle", "high"], n, p=[0.5, 0.35, 0.15]),
            "language_1f": rng.random(n) < 0.8,
            "health_limitation": rng.random(n) < 0.3,
            "children": rng.random(n) < 0.35,
            "partner": rng.random(n) < 0.25,
            "work_years": np.round(rng.gamma(2, 3, n), 1),
        }
    )
    caseworkers = max(2, round(n / 350))
    frame["caseworker"] = [f"cw{int(i):04d}" for i in rng.integers(0, caseworkers, n)]
    if unit is Unit.CLIENT:
        assignment = randomise_frame(
            frame, id_column="client_id", strata=["district", "route", "age_band"], seed=seed, unit="client"
        )
        arm = frame["client_id"].map({u: a for u, _, a in assignment.allocation})
        cluster_column = None
    else:
        column = "caseworker" if unit is Unit.CASEWORKER else "district"
        clusters = sorted(frame[column].unique())
        assignment = randomise(clusters, seed=seed, unit=str(unit))
        arm = frame[column].map(assignment.follow(dict(zip(clusters, clusters, strict=True))))
        cluster_column = column
    assigned = (arm == "intervention").to_numpy().astype(int)
    received = np.where(assigned == 1, rng.random(n) < take_up, rng.random(n) < crossover).astype(int)
    index = (
        -0.02 * (frame["age"] - 40)
        - 0.01 * frame["months_on_benefit_before"]
        + 0.25 * frame["ladder_step"]
        + frame["education"].map({"low": 0.0, "middle": 0.2, "high": 0.4})
        + 0.3 * frame["language_1f"]
        - 0.5 * frame["health_limitation"]
        - 0.2 * frame["children"]
        + 0.1 * frame["partner"]
        + 0.03 * frame["work_years"]
        + np.where(route == "work", 0.4, -0.4)
    ).to_numpy()
    if unit is not Unit.CLIENT:
        effects = {c: rng.normal(0, 0.2) for c in sorted(frame[cluster_column].unique())}
        index = index + frame[cluster_column].map(effects).to_numpy()
    scale = 30.0 * np.exp(-(index - index.mean() + log_hazard_ratio * received) / 1.2)
    months = scale * rng.weibull(1.2, n)
    event = (months <= follow_up_months).astype(float)
    duration = np.minimum(months, follow_up_months)
    lost = rng.random(n) < attrition
    frame["assigned"] = assigned
    frame["received"] = received
    frame["months_to_work"] = np.where(lost, np.nan, np.ceil(duration))
    frame["work_event"] = np.where(lost, np.nan, event)
    frame["work_12"] = np.where(lost, np.nan, ((event == 1) & (duration <= 12)).astype(float))
    frame["months_on_benefit"] = np.where(lost, np.nan, np.round(duration, 1))
    plan = PilotPlan(
        question="Does a caseload of 1:50 help clients into paid work sooner than the usual 1:350?",
        intervention="caseload 1:50",
        control="usual caseload 1:350",
        primary=Outcome("work_12", OutcomeKind.BINARY, "work_12", label="paid work within 12 months"),
        secondary=(
            Outcome(
                "time_to_work", OutcomeKind.DURATION, "months_to_work", event="work_event", label="months to paid work"
            ),
            Outcome("months_on_benefit", OutcomeKind.CONTINUOUS, "months_on_benefit", label="months on benefit"),
        ),  # fmt: skip
        unit=unit,
        strata=("district", "route", "age_band") if unit is Unit.CLIENT else (),
        covariates=COVARIATES,
        subgroups=("route", "age_band"),
        seed=seed,
        follow_up_months=follow_up_months,
        bootstrap=bootstrap,
        cluster_column=cluster_column,
    )
    return plan, frame
