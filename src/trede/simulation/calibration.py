"""The calibration report: does the baseline reproduce the observed flows, within stated tolerances?

Targets (TARGETS) come from shared/domain/population.md, each with its source: outflow to work about 12% of the
caseload a year, total outflow about 24%, 20% of those who left for work back within a year, of all leavers 15% back
after 6 months, 22% after a year and about 30% after two, a steady caseload, a steady duration profile, and a
quarter of the group far from work active. A municipality with its own history replaces the targets by its own
figures (`targets=`). The report also lists the source of every parameter of every scenario compared, so that a
reader sees which effect sizes are published, calibrated or assumed (`effect_sources`).

    report = calibration_report(population=40_000, replications=20)
    print(report.to_text())

`tune()` is the tool that produced the baseline's hazards and the default inflow: it scales a few parameters
until the baseline meets the targets on the synthetic population, and prints what it found (the values are then
written into scenarios/baseline.toml with their source). It is not used at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from trede.simulation import engine as E
from trede.simulation import population as P
from trede.simulation import runner
from trede.simulation import scenario as S
from trede.simulation.results import RepGroups

DURATION_LABELS = ("<1 year", "1-2 years", "2-5 years", "5-10 years", "10+ years")


@dataclass(frozen=True)
class Target:
    name: str
    label_nl: str
    label_en: str
    value: float
    tolerance: float  # the measure passes within value +- tolerance
    unit: str
    source: str


TARGETS: tuple[Target, ...] = (
    Target(
        "outflow_work_rate",
        "Uitstroom naar werk per jaar",
        "Outflow to work a year",
        12.0,
        1.5,
        "% of the caseload",
        "population.md: about 12% (49,000 of 408,000 in 2021); historically 8-15%",
    ),
    Target(
        "outflow_total_rate",
        "Uitstroom om alle redenen per jaar",
        "Outflow for all reasons a year",
        24.0,
        2.5,
        "% of the caseload",
        "population.md: 26% (2022), 23.4% (2023)",
    ),
    Target(
        "return_work_12m",
        "Terug binnen een jaar na uitstroom naar werk",
        "Back within a year after leaving for work",
        20.0,
        3.0,
        "% of work exits",
        "population.md (Divosa): 20% within 1 year (35% within 5 years)",
    ),
    Target(
        "return_all_6m",
        "Terug binnen 6 maanden, alle uitstromers",
        "Back within 6 months, all leavers",
        15.0,
        4.0,
        "% of leavers",
        "population.md (CBS): of all leavers 15% back after 6 months",
    ),
    Target(
        "return_all_12m",
        "Terug binnen een jaar, alle uitstromers",
        "Back within a year, all leavers",
        22.0,
        4.0,
        "% of leavers",
        "population.md (CBS): 22% after 1 year",
    ),
    Target(
        "return_all_24m",
        "Terug binnen twee jaar, alle uitstromers",
        "Back within two years, all leavers",
        30.0,
        5.0,
        "% of leavers",
        "population.md (CBS): about 30% after 2 years",
    ),
    Target(
        "caseload_change",
        "Verandering van het aantal uitkeringen over de hele periode",
        "Change of the caseload over the horizon",
        0.0,
        10.0,
        "% of the start",
        "population.md: 408,000 (2021) and 406,000 (end 2024): a steady caseload",
    ),
    Target(
        "far_active_share",
        "Actief (trede 3+) in de groep ver van werk, aan het eind",
        "Active (step 3+) in the group far from work, at the end",
        25.0,
        7.0,
        "% of the far group on benefit",
        "population.md: Amsterdam's share of active clients in the far group was 25% before its push",
    ),
    Target(
        "duration_profile_gap",
        "Grootste verschil in duur-profiel, begin en eind",
        "Largest change of the duration profile, start to end",
        0.0,
        5.0,
        "percentage points",
        "steady caseload (population.md): the shares by time on benefit stay as they were at the start",
    ),
)
SCENARIO_TARGETS: tuple[tuple[str, Target], ...] = (
    (
        "amsterdam_cohort",
        Target(
            "far_active_share_year1",
            "Actief (trede 3+) in de groep ver van werk na een jaar cohortaanpak",
            "Active (step 3+) in the far group after a year of the cohort approach",
            45.0,
            7.0,
            "% of the far group on benefit",
            "population.md: Amsterdam raised the share of active clients in the far group from 25% to over 45% in "
            "one year",
        ),
    ),
)


def _group(raw: list[RepGroups], groups: list[tuple[str, str]], dimension: str, group: str) -> int:
    return groups.index((dimension, group))


def measures(raw: list[RepGroups], groups: list[tuple[str, str]], start_profile: np.ndarray) -> dict[str, np.ndarray]:
    """The calibration measures per replication from the baseline's raw sums."""
    a = {name: np.array([rg.acc[k, 0] for rg in raw]) for k, name in enumerate(E.ACC)}  # group 0 = all
    years_on = a["months_on"] / 12.0
    exits = a["exits_work"] + a["exits_other"] + a["exits_gone"] + a["exits_pension"] + a["basic_job_starts"]
    on = np.array([rg.curves[:, :, E.C["on_benefit"]].sum(axis=1) for rg in raw], dtype=np.float64)
    end_prof = np.array([rg.end_duration / max(rg.end_duration.sum(), 1) for rg in raw])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "outflow_work_rate": 100 * a["exits_work"] / years_on,
            "outflow_total_rate": 100 * exits / years_on,
            "return_work_12m": 100 * a["returns_12m_work"] / a["exits_work_followed"],
            "return_all_6m": 100 * a["returns_6"] / a["leavers_6"],
            "return_all_12m": 100 * a["returns_12"] / a["leavers_12"],
            "return_all_24m": 100 * a["returns_24"] / a["leavers_24"],
            "caseload_change": 100 * (on[:, -1] / on[:, 0] - 1),
            "duration_profile_gap": 100 * np.abs(end_prof - start_profile[None, :]).max(axis=1),
        }
        if ("segment", "far") in groups:  # a caseload without anybody far from work has no such measure
            lad = np.array([rg.end_ladder[_group(raw, groups, "segment", "far")] for rg in raw], dtype=np.float64)
            out["far_active_share"] = 100 * lad[:, 3:6].sum(axis=1) / lad[:, 1:6].sum(axis=1)
    return out


def start_profile(pop: P.Population) -> np.ndarray:
    """Shares of the stock by months on benefit in the bands of engine.DURATION_PROFILE."""
    d = pop.duration[: pop.n_stock].astype(np.int64)
    counts = np.bincount(np.searchsorted(E.DURATION_PROFILE, d, side="right"), minlength=5)
    return counts / max(counts.sum(), 1)


@dataclass
class Row:
    target: Target
    mean: float
    lo: float
    hi: float

    @property
    def ok(self) -> bool:
        return abs(self.mean - self.target.value) <= self.target.tolerance


@dataclass
class CalibrationReport:
    rows: list[Row]
    scenario_rows: list[tuple[str, Row]]
    population: dict
    profile_start: list[float]
    profile_end: list[float]
    sources: list[dict]  # every parameter of the scenarios compared, with its source
    replications: int
    horizon: int
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows) and all(r.ok for _, r in self.scenario_rows)

    def to_frame(self):
        import pandas as pd

        rows = [
            {
                "scenario": "baseline",
                "measure": r.target.name,
                "label_nl": r.target.label_nl,
                "label_en": r.target.label_en,
                "simulated": r.mean,
                "lo": r.lo,
                "hi": r.hi,
                "target": r.target.value,
                "tolerance": r.target.tolerance,
                "unit": r.target.unit,
                "ok": r.ok,
                "source": r.target.source,
            }
            for r in self.rows
        ]
        rows += [
            {
                "scenario": name,
                "measure": r.target.name,
                "label_nl": r.target.label_nl,
                "label_en": r.target.label_en,
                "simulated": r.mean,
                "lo": r.lo,
                "hi": r.hi,
                "target": r.target.value,
                "tolerance": r.target.tolerance,
                "unit": r.target.unit,
                "ok": r.ok,
                "source": r.target.source,
            }
            for name, r in self.scenario_rows
        ]
        return pd.DataFrame(rows)

    def sources_frame(self):
        import pandas as pd

        return pd.DataFrame(self.sources)

    def to_text(self) -> str:
        lines = [
            f"Calibration of the baseline: {self.population['stock']:,} on benefit at the start, "
            f"{self.population['inflow']:,} applicants over {self.horizon} months, {self.replications} replications",
            "",
            f"{'measure':<24}{'simulated':>10}  {'interval':<17}{'target':>12}  ok   source",
        ]
        for name, r in [("baseline", x) for x in self.rows] + self.scenario_rows:
            label = r.target.name if name == "baseline" else f"{name}: {r.target.name}"
            lines.append(
                f"{label[:40]:<24}{r.mean:>10.1f}  [{r.lo:6.1f}, {r.hi:6.1f}]  "
                f"{r.target.value:>6.1f} +-{r.target.tolerance:<4.1f} {'yes' if r.ok else 'NO ':<4} {r.target.source}"
            )
        lines += ["", "Duration profile (share of the caseload by time on benefit): start -> end"]
        for label, a, b in zip(DURATION_LABELS, self.profile_start, self.profile_end, strict=True):
            lines.append(f"  {label:<12}{100 * a:6.1f}% -> {100 * b:5.1f}%")
        lines += ["", "Sources of the parameters (published, calibrated or assumed):"]
        seen = set()
        for row in self.sources:
            key = (row["parameter"], row["value"], row["source"])
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"  {row['scenario']:<26}{row['parameter']:<46} {row['value']:<24} {row['source']}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)


def effect_sources(scenarios: list[S.Scenario]) -> list[dict]:
    """Every parameter of the baseline and each parameter a scenario sets itself, with its source."""
    out = []
    for sc in scenarios:
        for row in sc.rows():
            if sc.name == "baseline" or not row["set_in"].endswith("baseline.toml"):
                out.append({"scenario": sc.name, **row})
    return out


def _summ(x: np.ndarray) -> tuple[float, float, float]:
    x = x[np.isfinite(x)]
    if not len(x):
        return float("nan"), float("nan"), float("nan")
    return float(x.mean()), float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))


def calibration_report(
    population=40_000,
    *,
    baseline: S.Scenario | str = "baseline",
    scenarios: list[S.Scenario | str] | None = None,
    replications: int = 20,
    horizon: int = runner.DEFAULT_HORIZON,
    seed: int = runner.DEFAULT_SEED,
    inflow: float = runner.DEFAULT_INFLOW_PER_YEAR,
    targets: tuple[Target, ...] = TARGETS,
    workers: int | None = None,
    backend: str = "auto",
) -> CalibrationReport:
    """Run the baseline (and the scenario targets for the scenarios given, by default the shipped ones with a
    target) and hold the measures against the targets."""
    base = baseline if isinstance(baseline, S.Scenario) else S.load(baseline)
    pop = runner.build_population(population, horizon=horizon, inflow=inflow)
    res = runner.run(
        [base], pop, horizon=horizon, replications=replications, seed=seed, workers=workers, backend=backend
    )
    raw = res.raw[base.name]
    prof0 = start_profile(pop)
    ms = measures(raw, res.groups, prof0)
    rows = [Row(t, *_summ(ms[t.name])) for t in targets if t.name in ms]
    others = [
        s if isinstance(s, S.Scenario) else S.load(s) for s in (scenarios if scenarios is not None else S.shipped())
    ]
    scenario_rows = []
    for name, target in SCENARIO_TARGETS:
        sc = next((s for s in others if s.name == name), None)
        if sc is None:
            continue
        r12 = runner.run(
            [sc], pop, horizon=12, replications=max(2, replications // 4), seed=seed, workers=workers, backend=backend
        )
        if ("segment", "far") not in r12.groups:
            continue
        far = r12.groups.index(("segment", "far"))
        lad = np.array([rg.end_ladder[far] for rg in r12.raw[sc.name]], dtype=np.float64)
        scenario_rows.append((name, Row(target, *_summ(100 * lad[:, 3:6].sum(1) / lad[:, 1:6].sum(1)))))
    end_prof = np.mean([rg.end_duration / max(rg.end_duration.sum(), 1) for rg in raw], axis=0)
    summary = pop.summary()
    notes = []
    far = pop.segment[: pop.n_stock] == 2
    if far.any():
        years = float(pop.duration[: pop.n_stock][far].mean()) / 12
        notes.append(
            f"the far group has been on benefit {years:.1f} years on average at the start (population.md: Rotterdam's "
            "far group more than 11 years)"
        )
    notes.append(
        "CBS also reports that 18 months after leaving for work 72% are employed without benefit and 9% back on "
        "benefit; trede calibrates on Divosa's 20% back within a year, which the same note gives"
    )
    return CalibrationReport(
        rows=rows,
        scenario_rows=scenario_rows,
        population=summary,
        profile_start=[float(x) for x in prof0],
        profile_end=[float(x) for x in end_prof],
        sources=effect_sources([base, *[o for o in others if o.name != base.name]]),
        replications=replications,
        horizon=horizon,
        notes=notes,
    )


def tune(
    population: int = 40_000,
    *,
    rounds: int = 6,
    replications: int = 4,
    horizon: int = runner.DEFAULT_HORIZON,
    seed: int = runner.DEFAULT_SEED,
    inflow: float = runner.DEFAULT_INFLOW_PER_YEAR,
    workers: int | None = None,
    verbose: bool = True,
) -> tuple[S.Scenario, float]:
    """Scale the baseline's work and other exit hazards, the ladder moves and the inflow until the measures meet
    TARGETS (a fixed-point iteration on ratios). Returns the tuned baseline and inflow; a development tool."""
    base = S.load("baseline")
    stock = P.synthetic(population, runner.DEFAULT_SEED)
    prof0 = start_profile(stock)
    for k in range(rounds):
        pop = P.with_inflow(stock, inflow, horizon, runner.DEFAULT_SEED)
        res = runner.run([base], pop, horizon=horizon, replications=replications, seed=seed, workers=workers)
        ms = {key: float(np.nanmean(v)) for key, v in measures(res.raw[base.name], res.groups, prof0).items()}
        if verbose:
            print(f"round {k}: inflow {inflow:.4f} " + ", ".join(f"{key} {v:.2f}" for key, v in ms.items()))
        fw = 12.0 / ms["outflow_work_rate"]
        other_target = 24.0 - 12.0
        fo = other_target / max(ms["outflow_total_rate"] - ms["outflow_work_rate"], 1e-6)
        fa = 25.0 / ms["far_active_share"]
        work = [round(x * fw, 5) for x in base["hazards.work.segment"]]
        other = [round(x * fo, 5) for x in base["hazards.other.segment"]]
        up = [round(x * fa**0.5, 5) for x in base["hazards.ladder.up"]]
        down = [round(x / fa**0.5, 5) for x in base["hazards.ladder.down"]]
        base = base.replace(
            {
                "hazards.work.segment": work,
                "hazards.other.segment": other,
                "hazards.ladder.up": up,
                "hazards.ladder.down": down,
            },
            source="calibration.tune",
        )
        inflow = round(inflow * (1 - ms["caseload_change"] / 100 / (horizon / 12)) ** 1.5, 4)
    if verbose:
        for key in ("hazards.work.segment", "hazards.other.segment", "hazards.ladder.up", "hazards.ladder.down"):
            print(key, list(base[key]))
        print("inflow", inflow)
    return base, inflow


@dataclass(frozen=True)
class Tuning:
    """What tune_to found: the factors on the hazards of leaving for work and for another reason, and the yearly
    rates simulated with them (first year, mean over the replications)."""

    work_factor: float
    other_factor: float
    outflow_work_rate: float
    outflow_total_rate: float

    def apply(self, sc: S.Scenario, source: str) -> S.Scenario:
        """The scenario with its hazards of leaving for work and for another reason scaled by the factors."""
        return sc.replace(
            {
                "hazards.work.segment": [round(x * self.work_factor, 6) for x in sc["hazards.work.segment"]],
                "hazards.other.segment": [round(x * self.other_factor, 6) for x in sc["hazards.other.segment"]],
            },
            source=source,
        )


def tune_to(
    population,
    *,
    outflow_work_rate: float,
    outflow_total_rate: float,
    inflow: float,
    baseline: S.Scenario | str = "baseline",
    rounds: int = 4,
    replications: int = 4,
    seed: int = runner.DEFAULT_SEED,
) -> Tuning:
    """Scale the baseline's hazards of leaving for work and for another reason until, on this population (a
    caseload frame or a Population) with this inflow, the first year's simulated outflow to work and for all reasons
    (% of the caseload a year) meet the given rates: a fixed-point iteration on their ratios, as tune() does for the
    national targets. For a municipality that calibrates on its own history (the web app's run option)."""
    base = baseline if isinstance(baseline, S.Scenario) else S.load(baseline)
    pop = runner.build_population(population, horizon=12, inflow=inflow)
    prof0 = start_profile(pop)
    tuning = Tuning(1.0, 1.0, float("nan"), float("nan"))
    for _round in range(rounds + 1):
        sc = tuning.apply(base, "calibration.tune_to")
        res = runner.run([sc], pop, horizon=12, replications=replications, seed=seed, backend="serial")
        ms = measures(res.raw[sc.name], res.groups, prof0)
        work, total = float(np.mean(ms["outflow_work_rate"])), float(np.mean(ms["outflow_total_rate"]))
        tuning = Tuning(tuning.work_factor, tuning.other_factor, work, total)
        if _round == rounds:
            break
        fw = outflow_work_rate / max(work, 1e-6)
        fo = max(outflow_total_rate - outflow_work_rate, 1e-6) / max(total - work, 1e-6)
        tuning = Tuning(tuning.work_factor * fw, tuning.other_factor * fo, work, total)
    return tuning
