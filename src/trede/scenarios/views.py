"""Policy simulation screens (issue 10): the scenarios with every parameter and its source, saving a changed copy,
starting a run (the engine in the background), and the results side by side with paired differences, curves over
time, figures per group and the files to download. For policy analysts; team leads may look."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import connections
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from trede.core.roles import Role
from trede.scenarios import selectors, services
from trede.scenarios.forms import RunForm, ScenarioForm
from trede.scenarios.models import RunStatus, SimulationRun
from trede.simulation import results as R
from trede.simulation import scenario as S
from trede.web import charts
from trede.web.forms import submitted
from trede.web.permissions import role_required

VIEWERS = (Role.POLICY_ANALYST, Role.TEAM_LEAD)
DIMENSIONS = {
    "route": gettext_lazy("Route"),
    "segment": gettext_lazy("Afstand tot werk"),
    "age_band": gettext_lazy("Leeftijd"),
    "household": gettext_lazy("Huishouden"),
    "district": gettext_lazy("Wijk"),
    "start": gettext_lazy("In de bijstand bij de start of later ingestroomd"),
}
GROUP_METRICS = ("months_on_benefit", "outflow_work_rate", "durable_share", "net_cost_eur")
BAR_REM = 8  # the longest bar in a group table, in rem
FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet", "json": "application/json"}


def _execute(run: SimulationRun) -> None:
    """Carry the run out in the background (a thread with its own database connection), or at once where the
    settings say so (tests, and a single-process demo)."""
    if not getattr(settings, "TREDE_SIMULATION_BACKGROUND", True):
        services.run_execute(run.pk, workers=1)
        return

    def work():
        try:
            services.run_execute(run.pk)
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"simulation-{run.pk}", daemon=True).start()


@role_required(*VIEWERS)
def index(request):
    choices = [(c.name, c.title) for c in selectors.scenario_choices()]
    may_run = request.user.role == Role.POLICY_ANALYST
    form = RunForm(request.POST or None, choices=choices, initial={"reference": "baseline"}) if may_run else None
    created = {}

    def write(d):
        created["run"] = services.run_start(
            actor=request.user,
            scenarios=[d["reference"], *[n for n in d["scenarios"] if n != d["reference"]]],
            population_kind=d["population_kind"],
            population=d.get("population"),
            replications=d["replications"],
            horizon=d["horizon"],
            own_calibration=bool(d.get("own_calibration")),
        )

    if form is not None and submitted(request, form, write):
        run = created["run"]
        _execute(run)
        messages.success(request, _("De simulatie is gestart. Deze pagina laat zien hoe ver hij is."))
        return redirect("simulation-run", run.pk)
    return render(
        request,
        "scenarios/index.html",
        {
            "form": form,
            "choices": selectors.scenario_choices(),
            "runs": SimulationRun.objects.select_related("created_by")[:20],
        },
    )


@role_required(*VIEWERS)
def scenario_detail(request, name: str):
    try:
        sc = selectors.scenario(name)
    except S.ScenarioError:
        raise Http404 from None
    may_save = request.user.role == Role.POLICY_ANALYST
    initial = {"name": f"{name}-eigen", "title": f"{sc.title} ({_('eigen versie')})", "toml": _copy_text(sc, name)}
    form = ScenarioForm(request.POST or None, initial=initial) if may_save else None
    created = {}

    def write(d):
        created["saved"] = services.scenario_save(actor=request.user, based_on=name, **d)

    if form is not None and submitted(request, form, write):
        messages.success(request, _("Het scenario is opgeslagen."))
        return redirect("simulation-scenario", created["saved"].name)
    return render(request, "scenarios/scenario.html", {"sc": sc, "rows": sc.rows(), "form": form, "name": name})


def _copy_text(sc: S.Scenario, name: str) -> str:
    """A starting point for a changed copy: extend the shipped scenario and change one value (with its source)."""
    if name in S.shipped():
        return (
            f'[scenario]\nname = "{name}-eigen"\ntitle = "{sc.title} (eigen versie)"\nextends = "{name}"\n\n'
            "# Noem alleen wat anders is, elk met een bron. Bijvoorbeeld:\n"
            "# [service.participation]\n"
            '# clients_per_caseworker = { value = 50, source = "eigen plan: caseload 50 voor de groep ver van werk" }\n'
        )
    return sc.to_toml()


def _label(metric: R.Metric) -> str:
    return metric.label_en if (get_language() or "nl").startswith("en") else metric.label_nl


def _value(frame, scenario: str, metric: str, dimension: str = "all", group: str = "all", **extra):
    sub = frame[(frame.scenario == scenario) & (frame.metric == metric) & (frame.dimension == dimension)]
    sub = sub[sub.group == group]
    for key, value in extra.items():
        sub = sub[sub[key] == value]
    if sub.empty:
        return None
    r = sub.iloc[0]
    return {"mean": float(r["mean"]), "lo": float(r["lo"]), "hi": float(r["hi"])}


def comparison(tables: dict, names: list[str]) -> list[dict]:
    """Per metric: each scenario's figure (mean and the 95% range over the replications) and, for every scenario
    but the reference, the paired difference from the reference with its range."""
    rows = []
    for metric in R.METRICS:
        values = [_value(tables["results"], n, metric.name) for n in names]
        if all(v is None for v in values):
            continue
        diffs = [None] + [_value(tables["differences"], n, metric.name) for n in names[1:]]
        rows.append({"metric": metric, "label": _label(metric), "cells": list(zip(values, diffs, strict=True))})
    return rows


def per_group(tables: dict, names: list[str], dimension: str, metric: str) -> dict:
    """One metric per group of a dimension, per scenario, with a bar length relative to the largest figure."""
    t = tables["results"]
    groups = list(dict.fromkeys(t[(t.dimension == dimension)].group.tolist()))
    cells = {(g, n): _value(t, n, metric, dimension, g) for g in groups for n in names}
    top = max([abs(v["mean"]) for v in cells.values() if v] or [1.0]) or 1.0
    return {
        "metric": R.METRIC[metric],
        "label": _label(R.METRIC[metric]),
        "rows": [
            {
                "group": g,
                "persons": _value(t, names[0], "persons", dimension, g),
                "cells": [
                    (cells[(g, n)], round(BAR_REM * abs(cells[(g, n)]["mean"]) / top, 2) if cells[(g, n)] else 0)
                    for n in names
                ],
            }
            for g in groups
        ],
    }


def _curve_chart(tables: dict, names: list[str], metric: str, title: str):
    c = tables["curves"]
    sub = c[(c.metric == metric) & (c.route == "all")]
    months = sorted(set(sub.month.tolist()))
    series = []
    for n in names:
        s = sub[sub.scenario == n].set_index("month")
        pick = lambda col, s=s: [float(s[col].get(m)) if m in s.index else None for m in months]  # noqa: E731
        series.append((n, pick("mean"), pick("lo"), pick("hi")))
    return charts.line_chart(
        title,
        _(
            "Lijnen per scenario over de maanden van de horizon, met de band waarin 95% van de herhalingen valt. De "
            "cijfers staan in de tabel en in de downloads."
        ),
        [str(m) for m in months],
        series,
        tick_every=12,
    )


@role_required(*VIEWERS)
def run_detail(request, pk: int):
    run = get_object_or_404(SimulationRun.objects.select_related("created_by"), pk=pk)
    if request.headers.get("HX-Request"):
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            response = HttpResponse()
            response["HX-Refresh"] = "true"  # the whole page, now with the results or the failure
            return response
        return render(request, "scenarios/_run_status.html", {"run": run})
    context = {"run": run, "dimensions": DIMENSIONS}
    if run.status == RunStatus.DONE:
        tables = selectors.run_results(run)
        names = list(run.scenarios)
        dimension = request.GET.get("groep") if request.GET.get("groep") in DIMENSIONS else "route"
        metric = request.GET.get("maat") if request.GET.get("maat") in GROUP_METRICS else "months_on_benefit"
        context.update(
            {
                "names": names,
                "comparison": comparison(tables, names),
                "dimension": dimension,
                "dimension_label": DIMENSIONS[dimension],
                "metric": metric,
                "group_metrics": [(m, _label(R.METRIC[m])) for m in GROUP_METRICS],
                "groups": per_group(tables, names, dimension, metric),
                "charts": [
                    _curve_chart(tables, names, "on_benefit", _("Mensen in de bijstand per maand")),
                    _curve_chart(tables, names, "work", _("Aan het werk na uitstroom, per maand")),
                ],
                "parameters": _parameters(tables, names),
            }
        )
    return render(request, "scenarios/run.html", context)


def _parameters(tables: dict, names: list[str]) -> list[dict]:
    p = tables["parameters"]
    if p is None:
        return []
    return [{"name": n, "rows": p[p.scenario == n].to_dict("records")} for n in names]


@role_required(*VIEWERS)
def run_file(request, pk: int, name: str, fmt: str):
    run = get_object_or_404(SimulationRun, pk=pk, status=RunStatus.DONE)
    allowed = {(n, f) for n in selectors.RESULT_FILES for f in ("csv", "parquet")} | {("run", "json")}
    if (name, fmt) not in allowed:
        raise Http404
    path = Path(run.folder) / f"{name}.{fmt}"
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"simulatie-{run.pk}-{name}.{fmt}")
    response["Content-Type"] = FORMATS[fmt]
    return response


CALIBRATION_PEOPLE = 10_000
CALIBRATION_REPLICATIONS = 20


@role_required(*VIEWERS)
def calibration(request):
    """The calibration report: the baseline against the observed flows, each target with its tolerance and source,
    and the approaches with a published target. Two bases: the national figures of population.md on a synthetic
    population (about 3 seconds: 10,000 people, 20 replications, 10 years), or (?basis=own) this municipality's own
    history in trede (the outcomes of the last 12 months, the returns of every month long enough ago) on its own
    caseload of today, with its own inflow; what the own history cannot give stays national."""
    from trede.simulation import calibration as C
    from trede.simulation import runner

    today = timezone.localdate()
    basis = "own" if request.GET.get("basis") == "own" else "national"
    own = selectors.own_targets(today) if basis == "own" else None
    if own is not None and not own.targets:
        messages.info(request, _("Kalibreren op eigen cijfers kan nog niet. %(reason)s") % {"reason": own.reason})
        basis, own = "national", None
    if own is not None:
        from trede.outcomes.exports import caseload_frame

        population = caseload_frame(today)
        people = len(population)
        mine = {t.name for t in own.targets}
        targets = (*own.targets, *(t for t in C.TARGETS if t.name not in mine))
        # about as much work as the national report, however large the caseload
        replications = max(5, min(CALIBRATION_REPLICATIONS, CALIBRATION_PEOPLE * CALIBRATION_REPLICATIONS // people))
        inflow = own.inflow_per_year if own.inflow_per_year is not None else runner.DEFAULT_INFLOW_PER_YEAR
        report = C.calibration_report(
            population, replications=replications, targets=targets, inflow=inflow, workers=1, backend="serial"
        )
    else:
        people = CALIBRATION_PEOPLE
        report = C.calibration_report(people, replications=CALIBRATION_REPLICATIONS, workers=1, backend="serial")
    english = (get_language() or "nl").startswith("en")
    rows = [
        {
            "label": row.target.label_en if english else row.target.label_nl,
            "unit": row.target.unit,
            "mean": row.mean,
            "lo": row.lo,
            "hi": row.hi,
            "target": row.target.value,
            "tolerance": row.target.tolerance,
            "source": row.target.source,
            "ok": row.ok,
        }
        for row in [*report.rows, *(r for _name, r in report.scenario_rows)]
    ]
    by_scenario: dict[str, list[dict]] = {}
    for source in report.sources:
        by_scenario.setdefault(source["scenario"], []).append(source)
    return render(
        request,
        "scenarios/calibration.html",
        {
            "rows": rows,
            "all_ok": all(r["ok"] for r in rows),
            "people": people,
            "replications": report.replications,
            "horizon": report.horizon,
            "sources": by_scenario,
            "basis": basis,
            "own": own,
            "inflow": None if own is None else own.inflow_per_year,
        },
    )
