"""The audit log (writes) and the access log (reads). Services call these inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from trede.core.models import AccessRecord, AuditRecord


class AuditOutsideTransaction(RuntimeError):
    """Raised when a write would be audited outside the transaction that makes it."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bytes | bytearray | memoryview):
        # a document (a letter's PDF): its size and fingerprint, never its content (it holds personal data)
        data = bytes(value)
        return f"<{len(data)} bytes sha256:{hashlib.sha256(data).hexdigest()[:16]}>"
    return value


NEVER_AUDITED = frozenset({"password"})  # secrets are never copied into the log, not even hashed


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance (foreign keys as ids), JSON-ready; secrets left out."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names if name not in NEVER_AUDITED}


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed (created: old None; deleted: new None)."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit(
    *,
    actor,
    action: str,
    instance: models.Model,
    client_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Record one write. Must run inside the atomic block of the write itself, so both land or neither."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"audit of {action} outside a transaction")
    if after is None:
        after = snapshot(instance)
    return AuditRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=instance._meta.label,
        object_pk=str(instance.pk),
        client_id=client_id,
        changes=diff(before, after),
    )


def audit_bulk(*, actor, action: str, model: type[models.Model], count: int, detail: dict | None = None) -> None:
    """One record for a bulk load (the synthetic municipality), naming the table and how many rows."""
    AuditRecord.objects.create(
        actor=actor,
        action=action,
        model=model._meta.label,
        object_pk="",
        client_id=None,
        changes={"rows": [None, count], **(detail or {})},
    )


def access_log(
    *,
    actor,
    client_id: int,
    purpose: str,
    granted: bool,
    channel: str = "web",
    path: str = "",
    trace_id: str = "",
) -> AccessRecord:
    """Record one read of a dossier, or a refused attempt."""
    return AccessRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        client_id=client_id,
        purpose=purpose,
        granted=granted,
        channel=channel,
        path=path[:255],
        trace_id=trace_id,
    )


def access_log_bulk(
    *, actor, client_ids: Iterable[int], purpose: str, channel: str = "web", path: str = "", trace_id: str = ""
) -> int:
    """Record one granted read for each of many dossiers at once (a batch of letters printed, say)."""
    rows = [
        AccessRecord(
            actor=actor if getattr(actor, "pk", None) else None,
            client_id=client_id,
            purpose=purpose,
            granted=True,
            channel=channel,
            path=path[:255],
            trace_id=trace_id,
        )
        for client_id in client_ids
    ]
    AccessRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
