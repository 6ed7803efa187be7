"""Intake benchmarks (issue 3), used by bench/run.py: training the time-to-work model on the generated history,
scoring every client on benefit with the active model, and the subjects for the intake pages.

Extract and fit are timed apart by wrapping trede.intake.selectors.history_spells and TimeToWorkModel.fit for the
duration of one model_train call (the code under test is not changed; the wrappers are removed afterwards).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

TRAINING_BUDGET_S = 120.0  # model_train on the history of 400,000 clients
SCORING_BUDGET_S = 10.0  # every client on benefit: extract + arithmetic, 400,000 clients
ASSESSMENT_BUDGET_P95_MS = 200.0  # the assessment page with its estimate, on PostgreSQL
ADMIN_USERNAME = "bench-beheer"


@dataclass
class TrainingResult:
    seconds: float | None = None  # the whole model_train call
    extract_seconds: float | None = None  # selectors.history_spells
    fit_seconds: float | None = None  # TimeToWorkModel.fit (lifelines Weibull AFT)
    version: int | None = None
    spells: int = 0
    train_spells: int = 0
    holdout_spells: int = 0
    events: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    concordance: float | None = None
    note: str = ""

    @property
    def rest_seconds(self) -> float | None:
        """Holdout accuracy, fairness report, prospects table and storing the version."""
        if None in (self.seconds, self.extract_seconds, self.fit_seconds):
            return None
        return self.seconds - self.extract_seconds - self.fit_seconds


@dataclass
class ScoringResult:
    extract_seconds: float | None = None  # current_profiles(today) (+ active model and rule set: two queries)
    arithmetic_seconds: float | None = None  # complete-profile mask, median, p_work(12), route_advice_vector
    on_benefit: int = 0
    scored: int = 0
    missing: dict[str, int] = field(default_factory=dict)  # factor -> clients on benefit without it
    routes: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def seconds(self) -> float | None:
        if self.extract_seconds is None or self.arithmetic_seconds is None:
            return None
        return self.extract_seconds + self.arithmetic_seconds

    @property
    def not_scored(self) -> int:
        return self.on_benefit - self.scored


@contextmanager
def timing(owner: Any, name: str, into: list[float]):
    """Replace owner.<name> (a function or classmethod) by a wrapper that appends each call's seconds to `into`."""
    original = owner.__dict__[name]
    is_classmethod = isinstance(original, classmethod)
    func = original.__func__ if is_classmethod else original

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - t0)

    setattr(owner, name, classmethod(wrapper) if is_classmethod else wrapper)
    try:
        yield into
    finally:
        setattr(owner, name, original)


def administrator():
    """An administrator (the generated municipality has caseworkers and team leads only): created once."""
    from trede.core.models import User
    from trede.core.roles import Role
    from trede.core.services import user_create

    admin = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    if admin is None:
        admin = user_create(
            actor=None, username=ADMIN_USERNAME, password=secrets.token_urlsafe(24), role=Role.ADMINISTRATOR
        )
    return admin


def train_and_activate(today: dt.date, admin) -> TrainingResult:
    """model_train on the whole history (timed, extract and fit apart), then model_activate by `admin`."""
    from django.core.exceptions import ValidationError

    from trede.intake import selectors
    from trede.intake.services import model_activate, model_train
    from trede.stats.time_to_work import TimeToWorkModel

    result = TrainingResult()
    extract: list[float] = []
    fit: list[float] = []
    try:
        with timing(selectors, "history_spells", extract), timing(TimeToWorkModel, "fit", fit):
            t0 = time.perf_counter()
            version = model_train(actor=admin, today=today)
            result.seconds = time.perf_counter() - t0
    except ValidationError as exc:
        result.note = "model_train refused: " + " ".join(exc.messages)
        return result
    result.extract_seconds = sum(extract) if extract else None
    result.fit_seconds = sum(fit) if fit else None
    training = version.training
    result.version = version.number
    result.spells = int(training.get("spells", 0))
    result.train_spells = int(training.get("train_spells", 0))
    result.holdout_spells = int(training.get("holdout_spells", 0))
    result.events = int(training.get("events", 0))
    result.left_out = dict(training.get("left_out", {}))
    result.concordance = version.accuracy.get("concordance")
    try:
        model_activate(actor=admin, version=version)
    except ValidationError as exc:
        result.note = "model_activate refused: " + " ".join(exc.messages)
    return result


def score_all(today: dt.date) -> ScoringResult:
    """Every client on benefit with the active model: current_profiles, median, p_work(12) and the vectorised
    route advice with the rule set's thresholds. Clients with a missing factor are counted, not scored (a missing
    categorical answer would otherwise read as the reference level in the design matrix)."""
    import numpy as np

    from trede.core.selectors import rules_on
    from trede.intake import selectors
    from trede.intake.rules import route_advice_vector

    result = ScoringResult()
    t0 = time.perf_counter()
    version, model = selectors.active_model()
    if model is None:
        result.note = "no active model"
        return result
    rules = rules_on(today)
    profiles = selectors.current_profiles(today)
    t1 = time.perf_counter()
    complete = profiles[model.factors].notna().all(axis=1).to_numpy()
    scored = profiles[complete]
    lam = model.scale(scored)  # the design matrix once, for both figures
    median = model.median_of(lam)
    p12 = model.p_work_of(lam, 12)
    route = route_advice_vector(
        scored["age"],
        median,
        (scored["health"] == "severe").to_numpy(),
        threshold_months=rules["route_threshold_months"],
        youth_age=rules["youth_age"],
    )
    t2 = time.perf_counter()
    result.extract_seconds, result.arithmetic_seconds = t1 - t0, t2 - t1
    result.on_benefit, result.scored = len(profiles), int(complete.sum())
    result.missing = {f: int(n) for f, n in profiles[model.factors].isna().sum().items() if n}
    names, counts = np.unique(route, return_counts=True)
    result.routes = {str(k): int(v) for k, v in zip(names, counts, strict=True)}
    if not (np.isfinite(median).all() and np.isfinite(p12).all()):
        result.note = "non-finite estimates among the scored clients"
    return result


def intake_subject(caseworker, prefer=None, *, tries: int = 200):
    """A current client of `caseworker` (preferably `prefer`) whose dossier knows every factor of the active
    model today, so that an intake from the dossier's answers gets an estimate; None when there is none."""
    from django.utils import timezone

    from trede.caseload.models import Assignment
    from trede.clients.models import Client
    from trede.intake import selectors

    _version, model = selectors.active_model()
    factors = model.factors if model is not None else []
    today = timezone.localdate()
    ids = list(
        Assignment.objects.filter(caseworker=caseworker, end_on__isnull=True)
        .order_by("client_id")
        .values_list("client_id", flat=True)[:tries]
    )
    if prefer is not None:
        ids = [prefer.pk, *(i for i in ids if i != prefer.pk)]
    clients = Client.objects.in_bulk(ids)
    for client in (clients[i] for i in ids if i in clients):
        answers = selectors.dossier_answers(client, today)
        if all(answers.get(f, {}).get("value") is not None for f in factors):
            return client, answers
    return None, None


def record_assessment(caseworker, client, answers):
    """An intake held today by the caseworker with the dossier's answers (assessment_record, model active)."""
    from django.utils import timezone

    from trede.intake.rules import ASKED
    from trede.intake.services import assessment_record

    return assessment_record(
        actor=caseworker,
        client=client,
        assessed_on=timezone.localdate(),
        answers={f: answers[f] for f in ASKED},
    )
