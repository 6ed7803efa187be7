"""Writes of the shared kernel: rule sets and users. Every write audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from trede.core.audit import audit, snapshot
from trede.core.models import RuleSet, User
from trede.core.rules import ruleset_parameters_problems

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"


def ruleset_publish(
    *,
    actor: User | None,
    scope: str,
    name: str,
    version: str,
    valid_from: dt.date,
    source: str,
    parameters: dict[str, Any],
) -> RuleSet:
    """Publish a new version of the legal or local rules from `valid_from`.

    The version valid until then is closed the day before; a version may not start on or before the start of
    the latest one (history is not rewritten: decisions taken under older rules keep them). A new version
    carries over every parameter it does not set, so a version is always complete.
    """
    problems = ruleset_parameters_problems(scope, parameters)
    if problems:
        raise ValidationError({"parameters": problems})
    if not source.strip():
        raise ValidationError({"source": _("Noem de bron (wet, artikel of verordening) van deze regels.")})
    try:
        with transaction.atomic():
            return _ruleset_publish_locked(
                actor=actor,
                scope=scope,
                name=name,
                version=version,
                valid_from=valid_from,
                source=source,
                parameters=parameters,
            )
    except IntegrityError:
        # two versions published at the same moment: the database keeps one open version per scope
        raise ValidationError(
            {"valid_from": _("Er werd tegelijk een andere versie gepubliceerd. Probeer het opnieuw.")}
        ) from None


def _ruleset_publish_locked(*, actor, scope, name, version, valid_from, source, parameters) -> RuleSet:
    # lock every version of this scope, so a concurrent publisher waits and then sees the new latest version
    versions = list(RuleSet.objects.select_for_update().filter(scope=scope).order_by("-valid_from"))
    latest = versions[0] if versions else None
    merged = dict(parameters)
    if latest is not None:
        if valid_from <= latest.valid_from:
            raise ValidationError(
                {
                    "valid_from": _("Een nieuwe versie moet na %(date)s ingaan, de ingangsdatum van de huidige versie.")
                    % {"date": latest.valid_from.strftime("%d-%m-%Y")}
                }
            )
        merged = {**latest.parameters, **parameters}
        before = snapshot(latest)
        latest.valid_until = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_until"])
        audit(actor=actor, action="ruleset_close", instance=latest, client_id=None, before=before)
    rs = RuleSet.objects.create(
        scope=scope,
        name=name,
        version=version,
        valid_from=valid_from,
        source=source,
        parameters=merged,
        created_by=actor,
    )
    audit(actor=actor, action="ruleset_publish", instance=rs, client_id=None)
    return rs


def ruleset_load_shipped(*, actor: User | None = None) -> int:
    """Load the rule sets that ship with trede (core/rulesets/*.json) that are not yet in the database."""
    loaded = 0
    for path in sorted(RULESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        valid_from = dt.date.fromisoformat(data["valid_from"])
        if RuleSet.objects.filter(scope=data["scope"], valid_from=valid_from).exists():
            continue
        ruleset_publish(
            actor=actor,
            scope=data["scope"],
            name=data["name"],
            version=data["version"],
            valid_from=valid_from,
            source=data["source"],
            parameters=data["parameters"],
        )
        loaded += 1
    return loaded


def user_set_language(*, actor: User, language: str) -> None:
    with transaction.atomic():
        before = snapshot(actor, ["language"])
        actor.language = language
        actor.full_clean(validate_unique=False, exclude=["password"])
        actor.save(update_fields=["language"])
        audit(
            actor=actor,
            action="user_set_language",
            instance=actor,
            client_id=None,
            before=before,
            after=snapshot(actor, ["language"]),
        )


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, role=role, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.full_clean()
        user.save()
        audit(
            actor=actor,
            action="user_create",
            instance=user,
            client_id=None,
            after=snapshot(user, ["username", "role", "first_name", "last_name", "email"]),
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Block or unblock a user's login. Accounts are never deleted: the logs keep pointing at them."""
    if actor.pk == user.pk and not active:
        raise ValidationError({"is_active": _("U kunt uw eigen account niet blokkeren.")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(
            actor=actor,
            action="user_set_active",
            instance=user,
            client_id=None,
            before=before,
            after=snapshot(user, ["is_active"]),
        )
    return user
