"""Writes of the policy simulation: saving a scenario (checked by the engine's own scenario rules, every parameter
with its source), starting a run and carrying it out (results written as files under VAR_DIR/simulation/run-N)."""

from __future__ import annotations

import shutil
import time
import tomllib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trede.core.audit import audit
from trede.core.checks import refuse, require_role
from trede.core.models import User
from trede.core.roles import Role
from trede.scenarios import selectors
from trede.scenarios.models import PopulationKind, RunStatus, SavedScenario, SimulationRun
from trede.simulation import runner
from trede.simulation import scenario as S

ROLES = (Role.POLICY_ANALYST,)
LIMITS = {
    "population": (100, 406_000),
    "replications": (1, 1_000),
    "horizon": (12, 240),
}


def _scenario_problem(exc: S.ScenarioError) -> str:
    where = _("Parameter %(p)s: ") % {"p": exc.parameter} if exc.parameter else ""
    return _("Het scenario klopt niet. %(where)s%(detail)s") % {"where": where, "detail": exc.detail}


def scenario_save(
    *, actor: User, name: str, title: str, toml: str, description: str = "", based_on: str = ""
) -> SavedScenario:
    """Save a scenario under a new name. The text is checked by trede.simulation.scenario (every parameter known,
    in range and with a source); `extends` may only name a shipped scenario (never a file path)."""
    require_role(actor, ROLES, _("Alleen een beleidsmedewerker slaat scenario's op."))
    name = (name or "").strip()
    if not name:
        refuse("name", _("Geef het scenario een naam."))
    if name in S.shipped() or SavedScenario.objects.filter(name=name).exists():
        refuse("name", _("Er is al een scenario met deze naam. Kies een andere naam."))
    if not (title or "").strip():
        refuse("title", _("Geef het scenario een titel."))
    try:
        head = tomllib.loads(toml or "").get("scenario", {})
    except tomllib.TOMLDecodeError as exc:
        refuse("toml", _("Het scenario is geen geldige TOML-tekst: %(e)s") % {"e": exc})
    extends = head.get("extends", "") if isinstance(head, dict) else ""
    if extends and (not isinstance(extends, str) or extends not in S.shipped()):
        refuse("toml", _("Een scenario kan alleen verder bouwen op een meegeleverd scenario (extends)."))
    try:
        sc = selectors.from_saved_text(toml, name)
    except S.ScenarioError as exc:
        refuse("toml", _scenario_problem(exc))
    with transaction.atomic():
        saved = SavedScenario.objects.create(
            name=name,
            title=title.strip(),
            description=(description or "").strip(),
            based_on=based_on,
            toml=toml,
            digest=sc.digest,
            created_by=actor,
        )
        audit(actor=actor, action="scenario_save", instance=saved, client_id=None)
    return saved


def _within(value: int, field: str) -> int:
    lo, hi = LIMITS[field]
    if value is None or not lo <= int(value) <= hi:
        refuse(field, _("Kies een getal van %(lo)s tot en met %(hi)s.") % {"lo": f"{lo:,}", "hi": f"{hi:,}"})
    return int(value)


def run_start(
    *,
    actor: User,
    scenarios: list[str],
    population_kind: str,
    population: int | None = None,
    replications: int = runner.DEFAULT_REPLICATIONS,
    horizon: int = runner.DEFAULT_HORIZON,
    seed: int = runner.DEFAULT_SEED,
    own_calibration: bool = False,
) -> SimulationRun:
    """Record a run (queued): the scenarios as they are now (their texts are kept with the run), the population
    (synthetic of a size, or the municipality's caseload today), replications, horizon and seed. run_execute
    carries it out. own_calibration (own caseload only): run_execute first tunes the basis's hazards of leaving
    for work and for another reason to this municipality's own outflow of the last 12 months, and uses its own
    inflow; the figures observed now are kept with the run."""
    require_role(actor, ROLES, _("Alleen een beleidsmedewerker start een simulatie."))
    names = list(dict.fromkeys(n for n in scenarios if n))
    if not names:
        refuse("scenarios", _("Kies minstens één scenario."))
    texts = {}
    for name in names:
        try:
            texts[name] = selectors.scenario(name).to_toml()
        except S.ScenarioError as exc:
            refuse("scenarios", _scenario_problem(exc))
    if population_kind not in PopulationKind.values:
        refuse("population_kind", _("Kies de bevolking."))
    if population_kind == PopulationKind.CASELOAD:
        from trede.outcomes.exports import caseload_frame

        population = len(caseload_frame(timezone.localdate()))
        if population < LIMITS["population"][0]:
            refuse("population_kind", _("De eigen caseload is te klein om te simuleren (minder dan 100 mensen)."))
    population = _within(population, "population")
    observed = {}
    if own_calibration:
        if population_kind != PopulationKind.CASELOAD:
            refuse("own_calibration", _("Afstemmen op eigen cijfers kan alleen met de eigen caseload."))
        own = selectors.own_targets(timezone.localdate())
        rates = {t.name: t.value for t in own.targets if t.name in ("outflow_work_rate", "outflow_total_rate")}
        if len(rates) < 2:
            reason = own.reason or _("De uitstroom van de laatste twaalf maanden is niet bekend.")
            refuse("own_calibration", _("Afstemmen op eigen cijfers kan nog niet. %(reason)s") % {"reason": reason})
        observed = {"period": own.period, "inflow_per_year": own.inflow_per_year, **rates}
    with transaction.atomic():
        run = SimulationRun.objects.create(
            scenarios=names,
            scenario_texts=texts,
            population_kind=population_kind,
            own_calibration=bool(own_calibration),
            calibration=observed,
            population=population,
            replications=_within(replications, "replications"),
            horizon=_within(horizon, "horizon"),
            seed=int(seed),
            total=len(names) * int(replications),
            created_by=actor,
        )
        audit(actor=actor, action="simulation_start", instance=run, client_id=None)
    return run


def _tuned(run: SimulationRun, scenarios: list, population) -> tuple[list, float]:
    """The run's scenarios with the basis's hazards of leaving tuned to the own outflow observed at the start
    (calibration.tune_to on the own caseload, its first year), and the own inflow; what was found is kept with the
    run (its scenario texts and calibration), before the run itself."""
    from trede.simulation import calibration as C

    observed = run.calibration
    inflow = observed.get("inflow_per_year") or runner.DEFAULT_INFLOW_PER_YEAR
    tuning = C.tune_to(
        population,
        outflow_work_rate=observed["outflow_work_rate"],
        outflow_total_rate=observed["outflow_total_rate"],
        inflow=inflow,
        seed=run.seed,
    )
    source = _(
        "afgestemd op de eigen cijfers van %(p)s (uitstroom naar werk %(w)s%% en om alle redenen %(t)s%% per "
        "jaar): de kansen van de basis keer %(fw)s (werk) en %(fo)s (andere reden)"
    ) % {
        "p": observed.get("period", ""),
        "w": f"{observed['outflow_work_rate']:.1f}",
        "t": f"{observed['outflow_total_rate']:.1f}",
        "fw": f"{tuning.work_factor:.3f}",
        "fo": f"{tuning.other_factor:.3f}",
    }
    tuned = [tuning.apply(sc, source) for sc in scenarios]
    SimulationRun.objects.filter(pk=run.pk).update(
        scenario_texts={sc.name: sc.to_toml() for sc in tuned},
        calibration={
            **observed,
            "inflow_used": inflow,
            "work_factor": tuning.work_factor,
            "other_factor": tuning.other_factor,
            "simulated_outflow_work_rate": tuning.outflow_work_rate,
            "simulated_outflow_total_rate": tuning.outflow_total_rate,
        },
    )
    return tuned, inflow


def run_execute(run_id: int, *, workers: int | None = None) -> SimulationRun:
    """Carry out a queued run: the engine on the population, progress kept on the run, the results written to the
    run's folder (CSV and Parquet). A failure is recorded on the run with its message; nothing half-written stays."""
    run = SimulationRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        refuse(None, _("Deze simulatie is al gestart."))
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    folder = selectors.run_folder(run)
    t0 = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            SimulationRun.objects.filter(pk=run.pk).update(done=done, total=total)

    try:
        scenarios = [selectors.from_saved_text(run.scenario_texts[name], name) for name in run.scenarios]
        if run.population_kind == PopulationKind.CASELOAD:
            from trede.outcomes.exports import caseload_frame

            population = caseload_frame(timezone.localdate())
        else:
            population = run.population
        inflow = runner.DEFAULT_INFLOW_PER_YEAR
        if run.own_calibration:
            scenarios, inflow = _tuned(run, scenarios, population)
        results = runner.run(
            scenarios,
            population,
            horizon=run.horizon,
            replications=run.replications,
            seed=run.seed,
            inflow=inflow,
            workers=workers,
            progress=progress,
        )
        results.write(folder)
    except Exception as exc:  # the run records why it failed; the page shows it
        shutil.rmtree(folder, ignore_errors=True)
        with transaction.atomic():
            SimulationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
            )
            run.refresh_from_db()
            audit(actor=run.created_by, action="simulation_failed", instance=run, client_id=None)
        return run
    with transaction.atomic():
        SimulationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            folder=str(folder),
            seconds=round(time.perf_counter() - t0, 2),
            done=run.total,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        audit(actor=run.created_by, action="simulation_done", instance=run, client_id=None)
    return run
