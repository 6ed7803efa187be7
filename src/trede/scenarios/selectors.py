"""Reads of the policy simulation: which scenarios there are (shipped with trede, or saved by an analyst), a scenario
by name, and the results of a run (read back from the files the run wrote)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from trede.scenarios.models import SavedScenario, SimulationRun
from trede.simulation import scenario as S

RESULT_FILES = ("results", "differences", "curves", "parameters")


@dataclass
class ScenarioChoice:
    name: str
    title: str
    shipped: bool


def scenario_choices() -> list[ScenarioChoice]:
    """The shipped scenarios (baseline first), then the saved ones."""
    out = [ScenarioChoice(name, S.load(name).title, True) for name in S.shipped()]
    out += [ScenarioChoice(s.name, s.title, False) for s in SavedScenario.objects.all()]
    return out


def scenario(name: str) -> S.Scenario:
    """A scenario by name: a saved one, else a shipped one (ScenarioError when neither exists)."""
    saved = SavedScenario.objects.filter(name=name).first()
    if saved is not None:
        return from_saved_text(saved.toml, name)
    return S.load(name)


def from_saved_text(text: str, name: str) -> S.Scenario:
    """A saved scenario's text, with `extends` resolved among the shipped scenarios only, under its saved name."""
    sc = S.from_text(text, origin=name, base_dir=S.SCENARIO_DIR)
    return sc if sc.name == name else sc.replace({}, source="", name=name)


def runs_folder() -> Path:
    return Path(settings.VAR_DIR) / "simulation"


def run_folder(run: SimulationRun) -> Path:
    return runs_folder() / f"run-{run.pk}"


def run_results(run: SimulationRun) -> dict:
    """The run's tables (pandas DataFrames) read back from its Parquet files: results, differences, curves,
    parameters (a missing file: None)."""
    import pandas as pd

    folder = Path(run.folder) if run.folder else run_folder(run)
    out = {}
    for name in RESULT_FILES:
        path = folder / f"{name}.parquet"
        out[name] = pd.read_parquet(path) if path.is_file() else None
    return out


OWN_MIN_CASELOAD = 100  # below this a municipality's own flows are too uncertain to calibrate on
OWN_MIN_LEAVERS = 30  # a share of leavers (returns) needs at least this many leavers


@dataclass
class OwnTargets:
    """Calibration targets from the municipality's own history in trede (the outcomes dashboard's figures of the
    last 12 months, and the returns of every month long enough ago), each with its own interval as its tolerance
    where that is wider than the national one; with the observed inflow. Empty with a reason when the history is
    too short or too small."""

    targets: list = field(default_factory=list)  # trede.simulation.calibration.Target
    inflow_per_year: float | None = None  # applicants a year as a share of the average caseload
    period: str = ""
    caseload: float | None = None  # the average caseload at the month-ends of the period
    reason: str = ""


def own_targets(today: dt.date) -> OwnTargets:
    """The calibration targets of this municipality's own history (see OwnTargets)."""
    from trede.outcomes import dashboard

    return own_targets_of(dashboard.figures(today))


def _pooled(shares) -> tuple[int, int]:
    """k and n summed over the shares that are shown (hidden ones: small groups, left out)."""
    k = n = 0
    for share in shares:
        if share.value is not None:
            k, n = k + share.k, n + share.n
    return k, n


def own_targets_of(figures) -> OwnTargets:
    """OwnTargets from an outcomes.dashboard.Figures (computed here so that it can be tested on known figures)."""
    from trede.simulation.calibration import TARGETS, Target

    months = figures.months
    if len(months) < 12:
        return OwnTargets(reason=_("Er zijn nog geen twaalf maanden eigen gegevens."))
    window = months[-12:]
    period = f"{window[0].end:%m-%Y} – {window[-1].end:%m-%Y}"
    caseloads = [m.caseload for m in window]
    if any(c is None for c in caseloads) or sum(caseloads) / 12 < OWN_MIN_CASELOAD:
        return OwnTargets(
            period=period,
            reason=_("De eigen caseload is te klein om op te kalibreren (gemiddeld minder dan %(n)s mensen).")
            % {"n": OWN_MIN_CASELOAD},
        )
    caseload = sum(caseloads) / 12
    base = {t.name: t for t in TARGETS}
    targets = []

    def add(name: str, value: float, half_width: float, source: str) -> None:
        t = base[name]
        tolerance = max(t.tolerance, half_width)
        targets.append(Target(name, t.label_nl, t.label_en, value, tolerance, t.unit, source))

    work = [m.out_by_reason[[code for code, _label in figures.reasons].index("work")] for m in window]
    if all(w is not None for w in work):
        k = sum(work)
        source = _("trede, eigen gegevens %(p)s: %(k)s keer uitstroom naar werk bij gemiddeld %(n)s uitkeringen")
        add("outflow_work_rate", 100 * k / caseload, 196 * math.sqrt(k) / caseload, source % _fmt(period, k, caseload))
    out = [m.outflow for m in window]
    if all(o is not None for o in out):
        k = sum(out)
        source = _("trede, eigen gegevens %(p)s: %(k)s keer uitstroom om alle redenen bij gemiddeld %(n)s uitkeringen")
        add("outflow_total_rate", 100 * k / caseload, 196 * math.sqrt(k) / caseload, source % _fmt(period, k, caseload))
    shares = [("return_all_6m", [m.returned[6] for m in months], False)]
    shares += [("return_all_12m", [m.returned[12] for m in months], False)]
    shares += [("return_all_24m", [m.returned[24] for m in months], False)]
    shares += [("return_work_12m", [m.still_off_work[12] for m in months], True)]  # back = not still off
    for name, items, complement in shares:
        k, n = _pooled(items)
        if n < OWN_MIN_LEAVERS:
            continue
        k = n - k if complement else k
        p = k / n
        source = _("trede, eigen gegevens: %(k)s van %(n)s uitstromers tot en met %(end)s, lang genoeg geleden") % {
            "k": k,
            "n": n,
            "end": f"{window[-1].end:%m-%Y}",
        }
        add(name, 100 * p, 196 * math.sqrt(p * (1 - p) / n), source)
    inflow = [m.inflow for m in window]
    rate = sum(inflow) / caseload if all(i is not None for i in inflow) else None
    if not targets:
        return OwnTargets(period=period, reason=_("De eigen gegevens zijn te klein om op te kalibreren."))
    return OwnTargets(targets=targets, inflow_per_year=rate, period=period, caseload=caseload)


def _fmt(period: str, k: int, caseload: float) -> dict:
    return {"p": period, "k": k, "n": round(caseload)}
