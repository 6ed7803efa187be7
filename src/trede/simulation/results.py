"""Results of a simulation run: figures per scenario and group with an interval over the replications, paired
differences between scenarios, curves over time, and CSV / Parquet output.

Groups: one dimension at a time (DIMENSIONS): everyone ("all"), the route, the distance to work (segment), the age
band, the household type, the district, and whether the person was on benefit at the start or applied later. A
group is fixed at the start (or at application) for the whole horizon.

Intervals. Every figure is computed per replication; `mean` is the mean over the replications, `lo` and `hi` the
2.5th and 97.5th percentiles over the replications (where 95% of the simulated outcomes fall: chance, not
uncertainty about the parameters), `se` the standard error of the mean and `ci_lo`/`ci_hi` the 95% interval of the
mean (mean +- 1.96 se). Differences between scenarios are paired: replication r of scenario A minus replication r of
the reference scenario, which saw the same random numbers (common random numbers), so chance mostly cancels.

What a template needs: METRICS (labels in Dutch and English, unit, decimals), `Results.rows(...)` and
`Results.compare(...)` as lists of dicts, and `Results.curve(...)`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trede.simulation import engine as E
from trede.simulation.population import AGE_BANDS, STARTS
from trede.simulation.scenario import HOUSEHOLDS, POOLS, ROUTES, SEGMENTS, Scenario

DIMENSIONS = ("all", "route", "segment", "age_band", "household", "district", "start")


@dataclass(frozen=True)
class Metric:
    name: str
    label_nl: str
    label_en: str
    unit: str  # "persons", "months", "%", "per 100", "EUR"
    decimals: int = 1
    higher_is_better: bool | None = None


METRICS: tuple[Metric, ...] = (
    Metric("persons", "Personen", "People", "persons", 0),
    Metric(
        "months_on_benefit", "Maanden in de uitkering per persoon", "Months on benefit per person", "months", 1, False
    ),
    Metric("on_benefit_end", "Nog in de uitkering aan het eind", "Still on benefit at the end", "%", 1, False),
    Metric(
        "in_work_end", "Aan het werk aan het eind (zonder uitkering)", "In work at the end (off benefit)", "%", 1, True
    ),
    Metric(
        "exits_work_per_100", "Uitstroom naar werk per 100 personen", "Exits to work per 100 people", "per 100", 1, True
    ),
    Metric(
        "outflow_work_rate",
        "Uitstroom naar werk per jaar (% van de uitkeringen)",
        "Outflow to work a year (% of the caseload)",
        "%",
        1,
        True,
    ),
    Metric(
        "outflow_total_rate",
        "Uitstroom om alle redenen per jaar (% van de uitkeringen)",
        "Outflow for all reasons a year (% of the caseload)",
        "%",
        1,
        None,
    ),
    Metric(
        "durable_share",
        "Duurzame uitstroom: na 12 maanden nog aan het werk",
        "Durable exits: still off benefit after 12 months",
        "%",
        1,
        True,
    ),
    Metric(
        "returns_per_100",
        "Terug in de uitkering per 100 personen",
        "Returns to benefit per 100 people",
        "per 100",
        1,
        False,
    ),
    Metric(
        "return_12m_share",
        "Binnen een jaar terug (% van wie uitstroomde)",
        "Back within a year (% of those who left)",
        "%",
        1,
        False,
    ),
    Metric("ladder_1", "Trede 1 (% van wie in de uitkering is)", "Ladder step 1 (% of those on benefit)", "%", 1),
    Metric("ladder_2", "Trede 2", "Ladder step 2", "%", 1),
    Metric("ladder_3", "Trede 3", "Ladder step 3", "%", 1),
    Metric("ladder_4", "Trede 4", "Ladder step 4", "%", 1),
    Metric("ladder_5", "Trede 5", "Ladder step 5", "%", 1),
    Metric("active_share", "Actief: trede 3 of hoger", "Active: ladder step 3 or higher", "%", 1, True),
    Metric("sanctions_per_100", "Maatregelen per 100 personen", "Sanctions per 100 people", "per 100", 1),
    Metric(
        "sanction_months", "Maanden met een maatregel per persoon", "Months with a sanction per person", "months", 2
    ),
    Metric("basic_job_months", "Maanden in een basisbaan per persoon", "Months in a basic job per person", "months", 1),
    Metric("benefit_eur", "Uitkeringen per persoon (euro)", "Benefits per person (euros)", "EUR", 0, False),
    Metric(
        "staff_eur", "Kosten klantmanagers per persoon (euro)", "Caseworker cost per person (euros)", "EUR", 0, False
    ),
    Metric(
        "programme_eur",
        "Trajecten en begeleiding per persoon (euro)",
        "Programmes and coaching per person (euros)",
        "EUR",
        0,
        False,
    ),
    Metric(
        "subsidy_eur",
        "Loonkostensubsidie en basisbanen per persoon (euro)",
        "Wage subsidies and basic jobs per person (euros)",
        "EUR",
        0,
        False,
    ),
    Metric("net_cost_eur", "Netto kosten per persoon (euro)", "Net cost per person (euros)", "EUR", 0, False),
    Metric("net_cost_total_eur", "Netto kosten in totaal (euro)", "Net cost in total (euros)", "EUR", 0, False),
)
METRIC = {m.name: m for m in METRICS}
CURVE_LABELS = {
    "on_benefit": ("In de uitkering", "On benefit"),
    "basic_job": ("In een basisbaan", "In a basic job"),
    "work": ("Aan het werk na uitstroom", "In work after leaving"),
    "off_other": ("Uit de uitkering, andere reden", "Off benefit, other reason"),
    "gone": ("Uit beeld (AOW, verhuisd, overleden)", "Out of view (pension, moved, died)"),
    "exits_work": ("Uitstroom naar werk in de maand", "Exits to work in the month"),
    "exits_other": ("Uitstroom om een andere reden", "Exits for another reason"),
    "returns": ("Terug in de uitkering", "Returns to benefit"),
    "sanctions": ("Maatregelen", "Sanctions"),
    "entries": ("Nieuwe aanvragen (en de start)", "New applicants (and the start)"),
}


@dataclass
class RepGroups:
    """One replication reduced to its groups (small: what a worker sends back)."""

    metrics: np.ndarray  # (len(METRICS), n_groups)
    acc: np.ndarray  # (len(engine.ACC), n_groups): the raw sums per group
    end_state: np.ndarray  # (n_groups, len(engine.STATES))
    end_ladder: np.ndarray  # (n_groups, 6)
    curves: np.ndarray  # (horizon, len(ROUTES), len(engine.CURVES))
    pool_months: np.ndarray
    end_duration: np.ndarray

    def same_as(self, other: RepGroups) -> bool:
        return all(
            np.array_equal(getattr(self, f), getattr(other, f), equal_nan=True)
            for f in ("metrics", "acc", "end_state", "end_ladder", "curves", "pool_months", "end_duration")
        )


class Grouping:
    """Cells -> groups of every dimension, with what each cell costs a month."""

    def __init__(self, prep: E.Prepared, model: E.Model) -> None:
        cells = prep.cells
        coords = cells.coords()  # (n_cells, 6): route, segment, age band, household, district, start
        pop = prep.population
        labels = {
            "route": [r if r != "none" else "no_route" for r in ROUTES],
            "segment": list(SEGMENTS),
            "age_band": list(AGE_BANDS),
            "household": list(HOUSEHOLDS),
            "district": list(pop.districts) or ["unknown"],
            "start": list(STARTS),
        }
        persons = np.bincount(prep.cell, minlength=cells.n).astype(np.float64)
        used = persons > 0
        self.groups: list[tuple[str, str]] = [("all", "all")]
        # Each cell's group in every dimension, as one index into a flat group axis (0: everyone); groups
        # without anybody are left out.
        self.shape = cells.shape
        self.present: list[np.ndarray] = []  # per dimension: which of its labels has anybody
        offset = 1
        for d, dim in enumerate(cells.names):
            present = np.zeros(cells.shape[d], dtype=bool)
            present[np.unique(coords[used, d])] = True
            self.present.append(present)
            self.groups += [(dim, label) for label, there in zip(labels[dim], present, strict=True) if there]
            offset += int(present.sum())
        self.n_groups = offset
        self.persons = self.sums(persons)
        self.norm = model.benefit[coords[:, 3]]  # benefit a month per cell (household)
        route, segment = coords[:, 0], coords[:, 1]
        pool = np.where(
            route == ROUTES.index("work"),
            0,
            np.where(route == ROUTES.index("participation"), 1, np.where(route == ROUTES.index("youth"), 2, -1)),
        )
        self.pool = np.where(pool < 0, np.where(segment == 2, 1, 0), pool)
        assert POOLS == ("work", "participation", "youth")
        self.model = model
        self.horizon = model.horizon

    def reduce(self, rr: E.RepResult) -> RepGroups:
        acc = self.sums(rr.acc)
        end_state = self.sums(rr.end_state.T)
        end_ladder = self.sums(rr.end_ladder.T)
        return RepGroups(
            metrics=self.metrics(rr, (acc, end_state, end_ladder)),
            acc=acc,
            end_state=end_state.T,
            end_ladder=end_ladder.T,
            curves=rr.curves,
            pool_months=rr.pool_months,
            end_duration=rr.end_duration,
        )

    def sums(self, per_cell: np.ndarray) -> np.ndarray:
        """Cell values (..., n_cells) summed per group (..., n_groups): everyone, then each dimension's labels
        that have anybody, summing the cells over the other dimensions (the cells are the product of them)."""
        x = np.asarray(per_cell, dtype=np.float64)
        flat = x.reshape(-1, x.shape[-1])
        cube = flat.reshape(flat.shape[0], *self.shape)
        parts = [flat.sum(axis=1)[:, None]]
        dims = range(len(self.shape))
        for d in dims:
            parts.append(cube.sum(axis=tuple(1 + k for k in dims if k != d))[:, self.present[d]])
        return np.concatenate(parts, axis=1).reshape(*x.shape[:-1], self.n_groups)

    def metrics(self, rr: E.RepResult, grouped: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
        """(len(METRICS), n_groups) for one replication (grouped: its acc, end_state.T and end_ladder.T summed
        per group, when already at hand)."""
        m, acc = self.model, rr.acc.astype(np.float64)
        a = {name: acc[k] for k, name in enumerate(E.ACC)}
        persons = self.persons
        acc_g, end, lad = grouped or (self.sums(acc), self.sums(rr.end_state.T), self.sums(rr.end_ladder.T))
        g = {name: acc_g[k] for k, name in enumerate(E.ACC)}  # (groups,) each
        months_on = g["months_on"]
        years_on = months_on / 12.0
        on_end = end[E.ON]
        exits_benefit = (
            g["exits_work"] + g["exits_other"] + g["exits_gone"] + g["exits_pension"] + g["basic_job_starts"]
        )
        # euros per cell
        benefit = self.norm * (
            a["months_on"]
            - m.sanction_reduction * a["months_sanction"]
            - (1.0 - m.part_time_share) * a["months_part_time"]
        )
        staff_total = m.staff_fte * m.staff_cost_year * self.horizon / 12.0
        pool_months = np.bincount(self.pool, weights=a["months_on"], minlength=len(POOLS))
        per_month = np.divide(staff_total, pool_months, out=np.zeros(len(POOLS)), where=pool_months > 0)
        staff = a["months_on"] * per_month[self.pool]
        programme = (
            m.prog_cost[E.COHORT] * a["months_cohort"]
            + m.prog_cost[E.TEGEN] * a["months_tegenprestatie"]
            + m.prog_cost[E.COACHING] * a["months_coaching"]
            + m.prog_cost[E.TRIAL] * a["months_trial"]
            + m.jc_cost * a["months_job_coaching"]
        )
        subsidy = m.ws_cost * a["months_wage_subsidy"] + m.bj_cost * a["months_basic_job"]
        kinds = ("benefit", "staff", "programme", "subsidy")
        euros = dict(zip(kinds, self.sums(np.stack([benefit, staff, programme, subsidy])), strict=True))
        net = euros["benefit"] + euros["staff"] + euros["programme"] + euros["subsidy"]

        def ratio(x, y, scale=1.0):
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(y > 0, scale * x / np.where(y > 0, y, 1.0), np.nan)

        values = {
            "persons": persons,
            "months_on_benefit": ratio(months_on, persons),
            "on_benefit_end": ratio(on_end, persons, 100),
            "in_work_end": ratio(end[E.WORK], persons, 100),
            "exits_work_per_100": ratio(g["exits_work"] + g["exits_work_job"], persons, 100),
            "outflow_work_rate": ratio(g["exits_work"], years_on, 100),
            "outflow_total_rate": ratio(exits_benefit, years_on, 100),
            "durable_share": ratio(g["durable"], g["exits_work_followed"], 100),
            "returns_per_100": ratio(g["returns"], persons, 100),
            "return_12m_share": ratio(g["returns_12"], g["leavers_12"], 100),
            "active_share": ratio(lad[3] + lad[4] + lad[5], on_end, 100),
            "sanctions_per_100": ratio(g["sanctions"], persons, 100),
            "sanction_months": ratio(g["months_sanction"], persons),
            "basic_job_months": ratio(g["months_basic_job"], persons),
            "benefit_eur": ratio(euros["benefit"], persons),
            "staff_eur": ratio(euros["staff"], persons),
            "programme_eur": ratio(euros["programme"], persons),
            "subsidy_eur": ratio(euros["subsidy"], persons),
            "net_cost_eur": ratio(net, persons),
            "net_cost_total_eur": net,
        }
        for step in range(1, 6):
            values[f"ladder_{step}"] = ratio(lad[step], on_end, 100)
        return np.stack([values[metric.name] for metric in METRICS])


def nan_percentile(x: np.ndarray, q: float) -> np.ndarray:
    """np.nanpercentile(x, q, axis=0) with the default (linear) method, exactly — the same interpolation formula,
    also its second form for t >= 0.5 — but vectorised: NumPy computes it one column at a time when there are
    NaNs (apply_along_axis), which took half a second of a city run's summary. NaN where a column has no value."""
    s = np.sort(x, axis=0)  # NaNs sort last
    n = np.sum(~np.isnan(x), axis=0)
    pos = np.where(n > 0, (n - 1) * (q / 100.0), 0.0)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    a = np.take_along_axis(s, lo[None], axis=0)[0]
    b = np.take_along_axis(s, hi[None], axis=0)[0]
    t = pos - lo
    diff = b - a
    out = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return np.where(n > 0, out, np.nan)


def _summary(x: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, percentile interval, standard error and interval of the mean over axis 0 (replications)."""
    r = x.shape[0]
    with np.errstate(invalid="ignore"), _quiet():
        mean = np.nanmean(x, axis=0) if r else np.full(x.shape[1:], np.nan)
        lo = nan_percentile(x, 2.5)
        hi = nan_percentile(x, 97.5)
        se = np.nanstd(x, axis=0, ddof=1) / np.sqrt(r) if r > 1 else np.full(x.shape[1:], np.nan)
    return {"mean": mean, "lo": lo, "hi": hi, "se": se, "ci_lo": mean - 1.96 * se, "ci_hi": mean + 1.96 * se}


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", category=RuntimeWarning)

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)


@dataclass
class Results:
    """Everything a run produced. DataFrames in long form (one row per scenario, group and metric)."""

    table: object  # pandas.DataFrame: scenario, dimension, group, metric, mean, lo, hi, se, ci_lo, ci_hi, replications
    differences: object  # pandas.DataFrame: scenario, versus, dimension, group, metric, mean, lo, hi, se, ci_lo, ci_hi
    curves: object  # pandas.DataFrame: scenario, month, route, metric, mean, lo, hi
    parameters: object  # pandas.DataFrame: scenario, parameter, value, unit, source, meaning
    scenarios: list[Scenario]
    meta: dict = field(default_factory=dict)
    per_replication: dict = field(default_factory=dict)  # scenario -> (R, len(METRICS), n_groups) array
    groups: list = field(default_factory=list)  # [(dimension, group)] in the order of per_replication's last axis
    raw: dict = field(default_factory=dict)  # scenario -> [RepGroups] (the sums behind the figures)

    @property
    def reference(self) -> str:
        return self.scenarios[0].name

    def value(self, scenario: str, metric: str, dimension: str = "all", group: str = "all") -> dict:
        """One figure: {mean, lo, hi, se, ci_lo, ci_hi}."""
        t = self.table
        row = t[(t.scenario == scenario) & (t.metric == metric) & (t.dimension == dimension) & (t.group == group)]
        if row.empty:
            raise KeyError(f"no figure {metric} for {scenario}, {dimension}={group}")
        r = row.iloc[0]
        return {k: float(r[k]) for k in ("mean", "lo", "hi", "se", "ci_lo", "ci_hi")}

    def difference(self, scenario: str, metric: str, dimension: str = "all", group: str = "all") -> dict:
        d = self.differences
        row = d[(d.scenario == scenario) & (d.metric == metric) & (d.dimension == dimension) & (d.group == group)]
        if row.empty:
            raise KeyError(f"no difference {metric} for {scenario}, {dimension}={group}")
        r = row.iloc[0]
        return {k: float(r[k]) for k in ("mean", "lo", "hi", "se", "ci_lo", "ci_hi")}

    def rows(self, scenario: str, dimension: str = "all") -> list[dict]:
        """For a table on a page: one dict per group, {"group", "persons", metric: {mean, lo, hi}, ...}."""
        t = self.table
        sub = t[(t.scenario == scenario) & (t.dimension == dimension)]
        out: dict[str, dict] = {}
        for r in sub.itertuples(index=False):
            entry = out.setdefault(r.group, {"group": r.group})
            entry[r.metric] = {"mean": r.mean, "lo": r.lo, "hi": r.hi}
        return list(out.values())

    def compare(self, dimension: str = "all", group: str = "all") -> list[dict]:
        """Scenarios side by side for one group: per metric the figure of each scenario and its paired difference
        from the reference scenario (the first): {"metric": Metric, "values": {scenario: {...}},
        "differences": {scenario: {...}}}."""
        out = []
        for metric in METRICS:
            values, diffs = {}, {}
            for sc in self.scenarios:
                try:
                    values[sc.name] = self.value(sc.name, metric.name, dimension, group)
                except KeyError:
                    continue
                if sc.name != self.reference:
                    diffs[sc.name] = self.difference(sc.name, metric.name, dimension, group)
            out.append({"metric": metric, "values": values, "differences": diffs})
        return out

    def curve(self, scenario: str, metric: str, route: str = "all") -> dict:
        """{"month": [...], "mean": [...], "lo": [...], "hi": [...]} for a chart."""
        c = self.curves
        sub = c[(c.scenario == scenario) & (c.metric == metric) & (c.route == route)].sort_values("month")
        return {k: sub[k].tolist() for k in ("month", "mean", "lo", "hi")}

    def write(self, folder: str | Path, formats: tuple[str, ...] = ("csv", "parquet")) -> list[Path]:
        """results, differences, curves and parameters as CSV and/or Parquet, and run.json with the run's
        description. Returns the files written."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("results", "differences", "curves", "parameters"):
            frame = {"results": self.table}.get(name, getattr(self, name, None))
            if frame is None:
                continue
            if "csv" in formats:
                path = folder / f"{name}.csv"
                frame.to_csv(path, index=False)
                written.append(path)
            if "parquet" in formats:
                path = folder / f"{name}.parquet"
                frame.to_parquet(path, index=False)
                written.append(path)
        path = folder / "run.json"
        path.write_text(json.dumps(self.meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        written.append(path)
        return written


def summarise(
    runs: dict[str, list[RepGroups]], scenarios: list[Scenario], groups: list[tuple[str, str]], meta: dict
) -> Results:
    """The Results of runs[scenario name] = its replications in order (the same replication numbers for every
    scenario: the differences pair them)."""
    import pandas as pd

    per_rep = {sc.name: np.stack([rg.metrics for rg in runs[sc.name]]) for sc in scenarios}
    dims = np.array([d for d, _ in groups], dtype=object)
    labels = np.array([g for _, g in groups], dtype=object)
    n_groups = len(groups)
    names = np.array([m.name for m in METRICS], dtype=object)

    def long(x: np.ndarray, **const) -> pd.DataFrame:
        s = _summary(x)
        frame = pd.DataFrame(
            {
                **const,
                "dimension": np.tile(dims, len(METRICS)),
                "group": np.tile(labels, len(METRICS)),
                "metric": np.repeat(names, n_groups),
                **{k: v.reshape(-1) for k, v in s.items()},
                "replications": x.shape[0],
            }
        )
        return frame

    reference = scenarios[0].name
    table = pd.concat([long(per_rep[sc.name], scenario=sc.name) for sc in scenarios], ignore_index=True)
    diffs = [long(per_rep[sc.name] - per_rep[reference], scenario=sc.name, versus=reference) for sc in scenarios[1:]]
    columns = [
        "scenario",
        "versus",
        "dimension",
        "group",
        "metric",
        "mean",
        "lo",
        "hi",
        "se",
        "ci_lo",
        "ci_hi",
        "replications",
    ]
    differences = pd.concat(diffs, ignore_index=True) if diffs else pd.DataFrame(columns=columns)
    curve_frames = []
    route_names = ["all"] + [r if r != "none" else "no_route" for r in ROUTES]
    for sc in scenarios:
        c = np.stack([rg.curves for rg in runs[sc.name]]).astype(np.float64)  # (R, H, routes, K)
        c = np.concatenate([c.sum(axis=2, keepdims=True), c], axis=2)
        s = _summary(c)
        h, nr, k = c.shape[1:]
        curve_frames.append(
            pd.DataFrame(
                {
                    "scenario": sc.name,
                    "month": np.repeat(np.arange(h), nr * k),
                    "route": np.tile(np.repeat(route_names, k), h),
                    "metric": np.tile(np.array(E.CURVES, dtype=object), h * nr),
                    "mean": s["mean"].reshape(-1),
                    "lo": s["lo"].reshape(-1),
                    "hi": s["hi"].reshape(-1),
                }
            )
        )
    curves = pd.concat(curve_frames, ignore_index=True)
    parameters = pd.concat([pd.DataFrame(sc.rows()).assign(scenario=sc.name) for sc in scenarios], ignore_index=True)[
        ["scenario", "parameter", "value", "unit", "source", "meaning", "set_in"]
    ]
    meta = {
        **meta,
        "scenarios": [
            {"name": s.name, "title": s.title, "title_en": s.title_en, "digest": s.digest} for s in scenarios
        ],
        "reference": reference,
        "intervals": "lo/hi: 2.5th and 97.5th percentiles over the replications; ci_lo/ci_hi: mean +- 1.96 se",
    }
    return Results(
        table=table,
        differences=differences,
        curves=curves,
        parameters=parameters,
        scenarios=list(scenarios),
        meta=meta,
        per_replication=per_rep,
        groups=list(groups),
        raw=runs,
    )
