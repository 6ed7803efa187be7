"""Writes of the intake: record an intake with its estimate, decide a route (with the brake on less help), let a
team lead confirm or decline, and train, import and activate versions of the time-to-work model."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import asdict
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trede.caseload.selectors import dossier_relation
from trede.clients.models import Client
from trede.clients.services import client_review_schedule
from trede.core.audit import audit, snapshot
from trede.core.models import User
from trede.core.roles import Role
from trede.core.rules import Access, add_months
from trede.core.selectors import rules_on
from trede.intake import selectors
from trede.intake.models import Assessment, DecisionStatus, ModelStatus, ModelVersion, Route, RouteDecision
from trede.intake.rules import (
    DERIVED,
    age_band,
    answers_problems,
    decision_requirements,
    less_help,
    route_advice,
    route_advice_vector,
    route_obligations,
)
from trede.obligations.selectors import is_exempt, open_obligation_kinds
from trede.obligations.services import obligation_impose
from trede.stats.fairness import MIN_GROUP, fairness_report
from trede.stats.metrics import brier, calibration, concordance, outcome_at
from trede.stats.time_to_work import ALLOWED_FACTORS, ModelInputError, TimeToWorkModel

FILE_FORMAT = "trede-time-to-work"
MIN_EVENTS = 50  # fewer exits to work than this in the history: no model worth showing


# --------------------------------------------------------------------------------------------------
# Intake and route decision


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def assessment_record(
    *, actor: User, client: Client, assessed_on: dt.date, answers: dict[str, dict[str, Any]]
) -> Assessment:
    """Record an intake. Age and time on benefit always come from the dossier; the other answers are the
    caseworker's, each with its date. With an active model and every answer known, the estimate, its
    explanation and the advice are computed and kept exactly as shown; otherwise the intake is kept without an
    estimate (a missing answer is never filled in)."""
    today = timezone.localdate()
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("De intake kan niet in de toekomst liggen.")})
    derived = selectors.dossier_answers(client, assessed_on)
    answers = {f: dict(a) for f, a in answers.items() if f not in DERIVED} | {f: derived[f] for f in DERIVED}
    problems = answers_problems(answers, assessed_on=assessed_on)
    if problems:
        raise ValidationError(problems)
    rules = rules_on(assessed_on)
    profile = selectors.profile_of(answers)
    version, model = selectors.active_model()
    estimate = None
    if model is not None and all(profile.get(f) is not None for f in model.factors):
        try:
            est = model.estimate(profile)
        except (ModelInputError, np.linalg.LinAlgError):
            est = None  # no honest estimate for these answers: the caseworker decides without one
        if est is not None:
            prospects = selectors.prospects_for(version, profile)
            estimate = {
                "median": est.median_months,
                "median_band": list(est.median_band),
                "p_work": {str(h): p for h, p in est.p_work.items()},
                "p_band": {str(h): list(b) for h, b in est.p_work_band.items()},
                "effects": [
                    {"factor": e.factor, "value": _plain(e.value), "reference": _plain(e.reference), "months": e.months}
                    for e in model.explain(profile)
                ],
                "similar": prospects["spells"] if prospects else None,
                # how far the history reaches: a median beyond it is an extrapolation, and the page says so
                "followup": version.training.get("followup_months"),
            }
    advice = route_advice(
        age=int(profile["age"]),
        median_months=estimate["median"] if estimate else None,
        severe_health=profile.get("health") == "severe",
        threshold_months=rules["route_threshold_months"],
        youth_age=rules["youth_age"],
        search_weeks=rules["youth_search_weeks"],
    )
    stored = {
        f: {"value": _plain(a.get("value")), "on": _plain(a.get("on")), "source": a.get("source", "")}
        for f, a in answers.items()
    }
    with transaction.atomic():
        assessment = Assessment.objects.create(
            client=client,
            assessed_on=assessed_on,
            assessed_by=actor,
            answers=stored,
            model_version=version if estimate else None,
            estimate=estimate,
            advised_route=advice.route or "",
            advice_reason=advice.code,
            advice_facts=advice.facts,
        )
        audit(actor=actor, action="assessment_record", instance=assessment, client_id=client.pk)
    return assessment


def _route_note(route: str) -> str:
    """The obligation's note, stored in the municipality's language (not the language of who decided)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Route: %(r)s") % {"r": Route(route).label}


def _take_effect(*, actor: User, decision: RouteDecision, on: dt.date) -> None:
    """Open the route's obligations (an exemption in force keeps lifting them: is_exempt says so, and the
    decision records it) and set the date on which the route is reviewed."""
    rules = rules_on(on)
    open_kinds = open_obligation_kinds(decision.client_id)
    effects = []
    for kind in route_obligations(decision.route, rules["route_obligations"]):
        opened = kind not in open_kinds
        if opened:
            obligation_impose(
                actor=actor,
                client=decision.client,
                kind=kind,
                start_on=on,
                note=_route_note(decision.route),
            )
        exempt = is_exempt(client_id=decision.client_id, obligation=kind, on=on)
        effects.append({"kind": kind, "opened": opened, "exempt": exempt})
    decision.obligations = effects
    decision.review_on = max(add_months(on, rules["route_review_months"]), timezone.localdate())
    decision.save(update_fields=["obligations", "review_on"])
    client_review_schedule(actor=actor, client=decision.client, review_on=decision.review_on)


def route_decide(
    *,
    actor: User,
    client: Client,
    route: str,
    reason: str,
    decided_on: dt.date,
    assessment: Assessment | None = None,
) -> RouteDecision:
    """A caseworker (or team lead) decides the client's route. Departing from the advice needs a written reason.
    A route with less help than advised — or, without advice, than the route in force — waits for a team lead
    (route_confirm) before it takes effect: a deliberate brake on parking people."""
    reason = (reason or "").strip()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Het besluit kan niet in de toekomst liggen.")})
    if assessment is not None:
        if assessment.client_id != client.pk:
            raise ValidationError({"assessment": _("Deze intake hoort bij een andere cliënt.")})
        if decided_on < assessment.assessed_on:
            raise ValidationError({"decided_on": _("Het besluit ligt vóór de intake.")})
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()  # one decision at a time per client
        if assessment is None:  # the advice of the latest intake counts, so the brake cannot be skipped
            assessment = (
                Assessment.objects.filter(client=client, assessed_on__lte=decided_on)
                .order_by("-assessed_on", "-id")
                .first()
            )
        advised = (assessment.advised_route or None) if assessment else None
        problems = decision_requirements(chosen=route, advised=advised, reason=reason)
        if problems:
            raise ValidationError(problems)
        if RouteDecision.objects.filter(client=client, status=DecisionStatus.AWAITING).exists():
            raise ValidationError({"route": _("Er wacht al een routebesluit op bevestiging door de teamleider.")})
        current = selectors.route_in_force(client.pk)
        if current is not None and decided_on < current.decided_on:
            raise ValidationError(
                {
                    "decided_on": _("Het besluit ligt vóór het routebesluit dat nu geldt (%(d)s).")
                    % {"d": current.decided_on.strftime("%d-%m-%Y")}
                }
            )
        brake = less_help(route, advised) or (
            advised is None and current is not None and less_help(route, current.route)
        )
        if brake and not reason:
            raise ValidationError({"reason": _("Schrijf op waarom deze route minder hulp geeft dan de huidige.")})
        decision = RouteDecision.objects.create(
            client=client,
            assessment=assessment,
            decided_on=decided_on,
            decided_by=actor,
            advised_route=advised or "",
            route=route,
            reason=reason,
            status=DecisionStatus.AWAITING if brake else DecisionStatus.IN_FORCE,
        )
        if not brake:
            _take_effect(actor=actor, decision=decision, on=decided_on)
        audit(actor=actor, action="route_decide", instance=decision, client_id=client.pk)
    return decision


def _check_second_person(actor: User, decision: RouteDecision) -> None:
    if actor.role != Role.TEAM_LEAD:
        raise ValidationError(_("Alleen een teamleider kan dit routebesluit bevestigen."))
    if actor.pk == decision.decided_by_id:
        raise ValidationError(_("Een tweede persoon bevestigt: u nam dit besluit zelf."))
    if dossier_relation(actor, decision.client_id)[0] != Access.WRITE:
        raise ValidationError(_("Deze cliënt hoort niet bij uw team."))
    if decision.status != DecisionStatus.AWAITING:
        raise ValidationError(_("Dit routebesluit wacht niet (meer) op bevestiging."))


def route_confirm(*, actor: User, decision: RouteDecision, note: str = "") -> RouteDecision:
    """The team lead confirms a route with less help than advised; it takes effect today."""
    with transaction.atomic():
        decision = RouteDecision.objects.select_for_update().select_related("client").get(pk=decision.pk)
        _check_second_person(actor, decision)
        before = snapshot(decision, ["status", "confirmed_by", "confirmed_on", "confirmation_note"])
        today = timezone.localdate()
        decision.status = DecisionStatus.IN_FORCE
        decision.confirmed_by = actor
        decision.confirmed_on = today
        decision.confirmation_note = (note or "").strip()
        decision.save(update_fields=["status", "confirmed_by", "confirmed_on", "confirmation_note"])
        _take_effect(actor=actor, decision=decision, on=today)
        audit(actor=actor, action="route_confirm", instance=decision, client_id=decision.client_id, before=before)
    return decision


def route_decline(*, actor: User, decision: RouteDecision, note: str) -> RouteDecision:
    """The team lead does not confirm; the route in force stays, and the caseworker decides again."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Schrijf op waarom u dit besluit niet bevestigt.")})
    with transaction.atomic():
        decision = RouteDecision.objects.select_for_update().get(pk=decision.pk)
        _check_second_person(actor, decision)
        before = snapshot(decision, ["status", "confirmed_by", "confirmed_on", "confirmation_note"])
        decision.status = DecisionStatus.DECLINED
        decision.confirmed_by = actor
        decision.confirmed_on = timezone.localdate()
        decision.confirmation_note = note.strip()
        decision.save(update_fields=["status", "confirmed_by", "confirmed_on", "confirmation_note"])
        audit(actor=actor, action="route_decline", instance=decision, client_id=decision.client_id, before=before)
    return decision


# --------------------------------------------------------------------------------------------------
# Model versions


def _store(*, actor: User | None, origin: str, content: dict[str, Any]) -> ModelVersion:
    with transaction.atomic():
        number = (ModelVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
        version = ModelVersion.objects.create(
            number=number,
            created_by=actor,
            origin=origin[:200],
            parameters=content["parameters"],
            training=content.get("training", {}),
            accuracy=content.get("accuracy", {}),
            fairness=content.get("fairness", {}),
            prospects=content.get("prospects", {}),
        )
        audit(actor=actor, action="model_version_store", instance=version, client_id=None)
    return version


def model_file_problem(content: bytes | None) -> tuple[dict[str, Any] | None, str | None]:
    """Read a model file; (content, None) when it can be used, else (None, a plain reason)."""
    if not content:
        return None, _("Er is geen modelbestand gekozen, of het bestand is leeg.")
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, _("Het bestand is beschadigd of geen modelbestand van trede (geen leesbare JSON).")
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT or "parameters" not in data:
        return None, _("Dit is geen modelbestand van trede voor de tijd tot werk.")
    try:
        TimeToWorkModel.from_dict(data["parameters"])
    except ModelInputError as exc:
        return None, _("Het model is niet bruikbaar: %(e)s") % {"e": exc}
    return data, None


def model_export(version: ModelVersion) -> bytes:
    """The version as a file that model_import (here or in another municipality's trede) reads back."""
    data = {
        "format": FILE_FORMAT,
        "number": version.number,
        "parameters": version.parameters,
        "training": version.training,
        "accuracy": version.accuracy,
        "fairness": version.fairness,
        "prospects": version.prospects,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def model_import(*, actor: User | None, content: bytes | None, name: str) -> ModelVersion:
    """Store a model file as a new, inactive version; a missing, corrupt or foreign file is refused."""
    data, problem = model_file_problem(content)
    if problem:
        raise ValidationError({"file": problem})
    return _store(actor=actor, origin=_("bestand %(n)s") % {"n": name}, content=data)


def model_activate(*, actor: User, version: ModelVersion) -> ModelVersion:
    """A person puts a version into use (the one in use before retires). Its stored parameters are checked
    again: a version that cannot be read is refused with the reason."""
    if actor is None or actor.role not in (Role.ADMINISTRATOR,):
        raise ValidationError(_("Alleen de functioneel beheerder kan een model in gebruik nemen."))
    try:
        with transaction.atomic():
            version = ModelVersion.objects.select_for_update().get(pk=version.pk)
            try:  # the stored parameters as they are now, not the caller's copy
                TimeToWorkModel.from_dict(version.parameters)
            except ModelInputError as exc:
                raise ValidationError(_("Dit model kan niet in gebruik: %(e)s") % {"e": exc}) from None
            if version.status == ModelStatus.ACTIVE:
                raise ValidationError(_("Dit model is al in gebruik."))
            now = timezone.now()
            for old in ModelVersion.objects.select_for_update().filter(status=ModelStatus.ACTIVE):
                before = snapshot(old, ["status", "retired_at"])
                old.status, old.retired_at = ModelStatus.RETIRED, now
                old.save(update_fields=["status", "retired_at"])
                audit(actor=actor, action="model_retire", instance=old, client_id=None, before=before)
            before = snapshot(version, ["status", "activated_at", "activated_by"])
            version.status, version.activated_at, version.activated_by = ModelStatus.ACTIVE, now, actor
            version.retired_at = None
            version.save(update_fields=["status", "activated_at", "activated_by", "retired_at"])
            audit(actor=actor, action="model_activate", instance=version, client_id=None, before=before)
    except IntegrityError:
        raise ValidationError(_("Tegelijk werd een ander model in gebruik genomen. Probeer het opnieuw.")) from None
    return version


def _floats(obj: Any) -> Any:
    """JSON-safe: numpy numbers to Python, NaN to None."""
    if isinstance(obj, dict):
        return {str(k): _floats(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_floats(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


def model_train(
    *,
    actor: User | None,
    today: dt.date,
    holdout: float = 0.2,
    seed: int = 2026,
    penalizer: float = 0.0,
) -> ModelVersion:
    """Train a new (inactive) version on the municipality's own history of benefit spells.

    Exit to work is the event; other exits and ongoing spells are censored. A part of the clients (`holdout`,
    chosen at random with `seed`, all spells of a client on one side) is kept apart: accuracy and the fairness
    report are computed on them only. The similar-profile prospects use the whole history.
    """
    if not 0.05 <= holdout <= 0.5:
        raise ValidationError({"holdout": _("Houd tussen 5% en 50% van de cliënten apart.")})
    started = time.perf_counter()
    spells, left_out = selectors.history_spells(today)
    if int(spells["event"].sum()) < MIN_EVENTS:
        raise ValidationError(
            _("Te weinig geschiedenis: minder dan %(n)d uitstromers naar werk met bekende factoren.")
            % {"n": MIN_EVENTS}
        )
    clients = np.unique(spells["client_id"].to_numpy())
    held = clients[np.random.default_rng(seed).random(len(clients)) < holdout]
    is_test = spells["client_id"].isin(held).to_numpy()
    train, test = spells[~is_test], spells[is_test].reset_index(drop=True)
    factors = list(ALLOWED_FACTORS)
    try:
        model = TimeToWorkModel.fit(train, duration="duration", event="event", factors=factors, penalizer=penalizer)
    except ModelInputError as exc:
        raise ValidationError(_("Het model is niet bruikbaar: %(e)s") % {"e": exc}) from None
    fit_seconds = time.perf_counter() - started

    rules = rules_on(today)
    median = model.median(test)
    p12 = model.p_work(test, 12)
    known = outcome_at(test["duration"].to_numpy(), test["event"].to_numpy(), 12)[0]
    brier12, n_known = brier(test["duration"], test["event"], p12, 12)
    accuracy = {
        "spells": len(test),
        "concordance": concordance(test["duration"], test["event"], median),
        "brier_12": brier12,
        "known_12": n_known,
        "calibration_12": [asdict(b) for b in calibration(test["duration"], test["event"], p12, 12)],
    }
    tolerance = rules["fairness_tolerance_pct"] / 100
    route = route_advice_vector(
        test["age"],
        median,
        test["health"] == "severe",
        threshold_months=rules["route_threshold_months"],
        youth_age=rules["youth_age"],
    )
    frame = test.assign(p12=p12, route=route, age_band=[age_band(int(a)) for a in test["age"]])
    rows = fairness_report(frame, attributes=["gender", "age_band", "household"], tolerance=tolerance)
    fairness = {
        "tolerance": tolerance,
        "min_group": MIN_GROUP,
        "attributes": ["gender", "age_band", "household"],
        "not_recorded": ["migration_background"],
        "threshold_months": rules["route_threshold_months"],
        "known_12": int(known.sum()),
        "rows": [asdict(r) for r in rows],
    }
    training = {
        "trained_on": today.isoformat(),
        "period_from": (dt.date(1970, 1, 1) + dt.timedelta(days=int(spells["s_day"].min()))).isoformat(),
        "period_to": today.isoformat(),
        "spells": int(len(spells)),
        "events": int(spells["event"].sum()),
        "censored_share": float(1 - spells["event"].mean()),
        "followup_months": round(float(spells["duration"].max()), 1),
        "left_out": left_out,
        "train_spells": int(len(train)),
        "holdout_spells": int(len(test)),
        "holdout": holdout,
        "seed": seed,
        "penalizer": penalizer,
        "seconds": round(fit_seconds, 1),
        "model_concordance_train": model.training.get("concordance"),
    }
    model.training = training
    content = {
        "parameters": _floats(model.to_dict()),
        "training": _floats(training),
        "accuracy": _floats(accuracy),
        "fairness": _floats(fairness),
        "prospects": _floats(prospects_table(spells)),
    }
    return _store(actor=actor, origin=_("getraind op de eigen geschiedenis tot %(d)s") % {"d": today}, content=content)


def prospects_table(spells) -> dict[str, Any]:
    """Per similar profile: spells, those with a known 12-month outcome, of them who found work within 12
    months, of those who can be followed 12 months after leaving, and who stayed off benefit. Groups with fewer
    than MIN_GROUP known outcomes are not kept (the page then says there are too few to say anything)."""
    from trede.intake.rules import SIMILAR_BY

    known, worked = outcome_at(spells["duration"].to_numpy(), spells["event"].to_numpy(), 12)
    frame = spells.assign(
        age_band=[age_band(int(a)) for a in spells["age"]],
        known=known,
        worked=worked & known,
        followed=spells["followed_12"].to_numpy() & worked,
        stayed_off=spells["followed_12"].to_numpy() & worked & ~spells["returned_12"].to_numpy(),
    )
    grouped = frame.groupby(list(SIMILAR_BY), sort=True).agg(
        spells=("id", "size"),
        known=("known", "sum"),
        worked=("worked", "sum"),
        followed=("followed", "sum"),
        stayed_off=("stayed_off", "sum"),
    )
    groups = {}
    for key, row in grouped.iterrows():
        if row["known"] < MIN_GROUP:
            continue
        k = "|".join(str(int(p) if isinstance(p, bool | np.bool_ | np.integer) else p) for p in key)
        groups[k] = {c: int(row[c]) for c in ("spells", "known", "worked", "followed", "stayed_off")}
    return {"by": list(SIMILAR_BY), "min_group": MIN_GROUP, "groups": groups}
