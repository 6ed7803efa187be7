"""Reads of the shared kernel: the rules valid on a date, the audit and access logs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from trede.core.models import AccessRecord, AuditRecord, RuleSet


class Rules(Mapping):
    """The merged legal and local parameters valid on one date, with the rule sets they came from."""

    def __init__(self, day: dt.date, sets: list[RuleSet]):
        self.day = day
        self.sets = sets
        self._values: dict[str, Any] = {}
        self._origin: dict[str, RuleSet] = {}
        for rs in sets:
            for key, value in rs.parameters.items():
                self._values[key] = value
                self._origin[key] = rs

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"No rule set valid on {self.day} defines {key!r}") from None

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def source_of(self, key: str) -> RuleSet:
        return self._origin[key]


def ruleset_valid_on(day: dt.date) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def rules_on(day: dt.date) -> Rules:
    """The rules valid on `day`: one query. Local parameters never shadow legal ones (the registry keeps
    each key in one scope)."""
    sets = sorted(ruleset_valid_on(day), key=lambda rs: (rs.scope != "legal", rs.valid_from))
    return Rules(day, sets)


def audit_records(*, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AuditRecord]:
    qs = AuditRecord.objects.select_related("actor")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs


def access_records(*, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AccessRecord]:
    qs = AccessRecord.objects.select_related("actor")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs
