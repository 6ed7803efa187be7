"""Write the synthetic municipality into the database, fast, and wipe it again.

PostgreSQL: COPY ... FROM STDIN (psycopg 3) with explicit ids; SQLite: executemany in large batches. Everything
runs in ONE transaction, with one audit record per table (`audit_bulk`, action "synth_load") in that same
transaction, so a failed load leaves nothing behind. Afterwards the tables are analysed. The writes bypass the
services: the generator makes the rows valid by construction (see generator.py) and the tests check them against
the same rules the services apply.

Ids are never reused: audit and access logs keep client_id (and other ids) as plain integers, so an id once
handed out must never name another row. The generated rows get explicit ids above the highest id a table has
ever had (its current maximum and, when rows were deleted, the id sequence: PostgreSQL's sequence, SQLite's
sqlite_sequence), and afterwards the PostgreSQL sequences are moved past them (never back).

`--clear` (synth_clear) is demo only, like createdemo (`require_demo_mode`), and refuses to delete anything when
a client's BSN lies outside the synthetic range the generator uses (they may be real people). It also removes the
providers the generator made (recognised by their synthetic e-mail address), once their activities are gone, with the
links of staff accounts to them (the accounts stay). Employers, their vacancies and everything after them go with the
districts they lie in (their tables point at District); the generated employer advisers are generated staff.

Table and column names come from the models' _meta, never spelled out here.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from trede.activation.models import Provider, ProviderMember
from trede.caseload.models import Team
from trede.clients.models import Client, District
from trede.core.audit import audit_bulk
from trede.core.models import User
from trede.employers.models import Employer
from trede.synth import profile as P
from trede.synth.activation import provider_email, provider_names
from trede.synth.employers import employer_count, kvk_numbers
from trede.synth.generator import MODELS, SYNTH_BSN_FIRST, SYNTH_BSN_LAST, Batch, Spec, generate, population

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class SynthError(RuntimeError):
    """The synthetic municipality cannot be generated here (e.g. clients exist and --clear was not given)."""


def demo_mode() -> bool:
    """True when this installation is a demo or a development one: TREDE_DEMO=1 or TREDE_DEBUG=1."""
    return bool(settings.DEBUG) or os.environ.get("TREDE_DEMO") == "1"


def require_demo_mode(what: str) -> None:
    """Refuse (SynthError) unless demo_mode(): the guard of createdemo and of `synth --clear`."""
    if not demo_mode():
        raise SynthError(
            f"{what}: it only runs with TREDE_DEMO=1 or TREDE_DEBUG=1 (never on a database with real people)."
        )


@dataclass
class LoadResult:
    spec: Spec
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    on_benefit: int = 0
    caseworkers: int = 0
    teams: int = 0

    @property
    def clients_per_second(self) -> float:
        return self.spec.clients / self.seconds if self.seconds else 0.0


# --------------------------------------------------------------------------------------------------
# Formatting columns


def _fields(model) -> dict[str, object]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _check_columns(batch: Batch) -> None:
    fields = _fields(batch.model)
    unknown = set(batch.cols) - set(fields)
    if unknown:
        raise SynthError(f"{batch.model._meta.label}: unknown columns {sorted(unknown)}")
    missing = [name for name, f in fields.items() if name not in batch.cols and not f.null]
    if missing:
        raise SynthError(f"{batch.model._meta.label}: the generator gives no value for {missing}")


def _offset(batch: Batch, name: str, bases: dict) -> int:
    if name == "id":
        return bases.get(batch.model, 0)
    f = _fields(batch.model)[name]
    return bases.get(f.related_model, 0) if f.is_relation else 0


def _text_column(arr: np.ndarray, offset: int, postgres: bool) -> list[str]:
    kind = arr.dtype.kind
    if kind == "O":
        values = arr.tolist()
        present = [v for v in values if v is not None]
        if present and isinstance(present[0], bool):  # a nullable boolean: True, False or None
            return [NULL if v is None else ("t" if v else "f") for v in values]
        if any(c in "\x00".join(present) for c in "\\\t\n\r"):
            values = [v.translate(_ESCAPES) if v is not None else None for v in values]
        return [NULL if v is None else v for v in values]
    if kind == "b":
        return np.where(arr, "t", "f").tolist()
    if kind in "iu":
        out = (arr + offset).astype(str) if offset else arr.astype(str)
        out[arr < 0] = NULL
        return out.tolist()
    if kind == "f":
        out = np.char.mod("%.6f", arr).astype(object)
        out[np.isnan(arr)] = NULL
        return out.tolist()
    if kind == "M":
        unit = np.datetime_data(arr.dtype)[0]
        if unit == "D":
            out = arr.astype(str)
        else:
            out = np.char.replace(np.datetime_as_string(arr, unit="s"), "T", " ")
            if postgres:
                out = np.char.add(out, "+00")
        out = out.astype(object)
        out[np.isnat(arr)] = NULL
        return out.tolist()
    raise SynthError(f"unsupported column type {arr.dtype}")


def copy_text(batch: Batch, bases: dict, *, postgres: bool = True) -> str:
    """The batch as PostgreSQL COPY text (tab-separated, \\N for NULL), ids shifted by `bases`."""
    columns = [_text_column(arr, _offset(batch, name, bases), postgres) for name, arr in batch.cols.items()]
    if not batch.n:
        return ""
    return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def _python_column(arr: np.ndarray, offset: int) -> list:
    kind = arr.dtype.kind
    if kind == "O":
        return arr.tolist()
    if kind == "b":
        return arr.astype("int64").tolist()
    if kind in "iu":
        values = (arr + offset) if offset else arr
        out = values.astype(object)
        out[arr < 0] = None
        return out.tolist()
    if kind == "f":
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out.tolist()
    text = _text_column(arr, 0, postgres=False)
    return [None if v == NULL else v for v in text]


def _sql_names(model, names) -> tuple[str, list[str]]:
    qn = connection.ops.quote_name
    fields = _fields(model)
    return qn(model._meta.db_table), [qn(fields[name].column) for name in names]


def _write(batch: Batch, bases: dict) -> None:
    if not batch.n:
        return
    _check_columns(batch)
    table, columns = _sql_names(batch.model, batch.cols)
    if connection.vendor == "postgresql":
        text = copy_text(batch, bases, postgres=True)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            step = 8 << 20
            for i in range(0, len(text), step):
                copy.write(text[i : i + step])
    else:
        rows = list(
            zip(*(_python_column(arr, _offset(batch, name, bases)) for name, arr in batch.cols.items()), strict=True)
        )
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        raw = connection.connection
        for i in range(0, len(rows), 50_000):
            raw.executemany(sql, rows[i : i + 50_000])


def _max_id(model) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")
        return int(cursor.fetchone()[0])


def _pg_sequence(model) -> str | None:
    """The (schema-qualified, quoted) name of the sequence behind the model's primary key, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sequence_high_water(model) -> int:
    """The highest id the table's sequence has handed out (0 when none, or when there is no sequence)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _pg_sequence(model)
            if sequence is None:
                return 0
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # name from the catalog
            last_value, is_called = cursor.fetchone()
            return int(last_value) if is_called else int(last_value) - 1
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
            if cursor.fetchone() is None:
                return 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            row = cursor.fetchone()
            return int(row[0]) if row and row[0] is not None else 0
    return 0


def id_base(model) -> int:
    """The highest id `model`'s table has ever had: generated ids start above it, so none is ever reused."""
    return max(_max_id(model), _sequence_high_water(model))


def _advance_sequences(models) -> None:
    """Move each PostgreSQL sequence past the highest id in its table, never back (SQLite's AUTOINCREMENT
    counter follows explicit ids by itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            sequence = _pg_sequence(model)
            if sequence is None:
                continue
            highest = max(_max_id(model), _sequence_high_water(model))
            if highest > 0:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, highest])


def _analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --------------------------------------------------------------------------------------------------
# Load


def synth_load(
    spec: Spec, *, clear: bool = False, progress: bool = True, echo: Callable[[str], None] | None = None
) -> LoadResult:
    """Generate `spec` and write it in one transaction. Refuses when clients exist, unless `clear`."""
    from tqdm import tqdm

    started = time.perf_counter()
    result = LoadResult(spec=spec)
    connection.ensure_connection()
    sqlite = connection.vendor == "sqlite"
    if sqlite and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    try:
        with transaction.atomic():
            if clear:
                removed = synth_clear()
                if echo and removed:
                    echo(f"Removed {sum(removed.values()):,} rows of earlier data ({len(removed)} tables).")
            elif Client.objects.exists() or District.objects.exists() or Team.objects.exists():
                raise SynthError(
                    "There are clients, districts or teams in this database already: use --clear to "
                    "replace them (this deletes all clients, teams, districts and generated staff)."
                )
            with connection.cursor() as cursor:
                if sqlite:
                    cursor.execute("PRAGMA cache_size = -262144")
                else:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            bases = {model: id_base(model) for model in MODELS}
            t0 = time.perf_counter()
            pop = population(spec)
            result.generate_seconds += time.perf_counter() - t0
            taken = list(Provider.objects.filter(name__in=provider_names(pop)).values_list("name", flat=True)[:3])
            if taken:
                raise SynthError(
                    f"There are providers with the names the generator gives its own ({', '.join(taken)}): rename "
                    "or remove them first."
                )
            kvk = kvk_numbers(employer_count(pop))
            taken = list(Employer.objects.filter(kvk_number__in=kvk).values_list("name", flat=True)[:3])
            if taken:
                raise SynthError(
                    f"There are employers with the KvK numbers the generator gives its own ({kvk[0]}-{kvk[-1]}: "
                    f"{', '.join(taken)}): remove them first."
                )
            result.on_benefit = int(pop.on.sum())
            result.caseworkers, result.teams = pop.staff.n_caseworkers, pop.staff.n_teams
            counts: Counter = Counter()
            bar = tqdm(
                total=spec.clients,
                unit=" clients",
                desc="synth",
                file=sys.stderr,
                disable=not progress,
                smoothing=0.1,
                dynamic_ncols=True,
            )
            with bar:
                items = generate(spec, pop)
                done = 0
                while True:
                    t0 = time.perf_counter()
                    item = next(items, None)
                    result.generate_seconds += time.perf_counter() - t0
                    if item is None:
                        break
                    upto, batches = item
                    t0 = time.perf_counter()
                    for batch in batches:
                        _write(batch, bases)
                        counts[batch.model] += batch.n
                    result.write_seconds += time.perf_counter() - t0
                    bar.update(upto - done)
                    done = upto
            _advance_sequences(MODELS)
            detail = {
                "seed": [None, spec.seed],
                "clients": [None, spec.clients],
                "today": [None, spec.today.isoformat()],
            }
            for model in MODELS:
                audit_bulk(actor=None, action="synth_load", model=model, count=counts[model], detail=detail)
            if not sqlite:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _analyze(MODELS)
    finally:
        if sqlite and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = NORMAL")
    result.counts = {model._meta.label: counts[model] for model in MODELS}
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------------------------------
# Clear


def generated_tables() -> list:
    """Client, District and Team and every model that (transitively) points at them: what --clear wipes.

    Users are not in it: only the generated staff accounts (username prefix) are deleted, one by one.
    """
    targets = {Client, District, Team}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in targets or model is User:
                continue
            if any(f.is_relation and f.related_model in targets for f in model._meta.concrete_fields):
                targets.add(model)
                changed = True
    return sorted(targets, key=lambda m: m._meta.db_table)


def non_synthetic_clients():
    """Clients whose BSN lies outside the range the generator hands out: possibly real people."""
    return Client._base_manager.exclude(
        bsn__regex=r"^[0-9]{9}$", bsn__gte=SYNTH_BSN_FIRST, bsn__lte=SYNTH_BSN_LAST
    ).order_by("pk")


def synth_clear() -> dict[str, int]:
    """Delete all clients (and everything about them), teams, districts and the generated staff accounts.

    Demo only (`require_demo_mode`), and only when every client has a synthetic BSN; otherwise SynthError and
    nothing is deleted. Id sequences are kept, so ids are never reused. One audit record per table emptied
    (action "synth_clear"), in the caller's transaction (it must run in one).
    """
    require_demo_mode("synth --clear deletes every client")
    if not connection.in_atomic_block:
        raise SynthError("synth_clear must run inside a transaction")
    outside = non_synthetic_clients()
    n_outside = outside.count()
    if n_outside:
        first = outside.values_list("pk", flat=True).first()
        raise SynthError(
            f"--clear deletes nothing: {n_outside:,} client(s) have a BSN outside the synthetic range "
            f"{SYNTH_BSN_FIRST}-{SYNTH_BSN_LAST} (first: client id {first}). They may be real people; "
            f"this is not a database of the synthetic municipality only."
        )
    models = generated_tables()
    qn = connection.ops.quote_name
    removed: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(model._meta.db_table)}")
            removed[model] = int(cursor.fetchone()[0])
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of earlier writes in this transaction must run before a TRUNCATE.
            # CONTINUE IDENTITY (never RESTART): the sequences keep counting, so no id is handed out twice.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(qn(m._meta.db_table) for m in models)} CONTINUE IDENTITY")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for model in models:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
    staff = User.objects.filter(username__startswith=P.USERNAME_PREFIX)
    removed[User] = staff.count()
    if removed[User]:
        staff.delete()
    generated = [
        pk
        for pk, name, email in Provider.objects.filter(activities__isnull=True).values_list("pk", "name", "email")
        if email == provider_email(name)
    ]
    # staff linked to a generated provider (the demo's "aanbieder") lose that link; the accounts stay
    members = ProviderMember.objects.filter(provider_id__in=generated)
    removed[ProviderMember] = members.count()
    if removed[ProviderMember]:
        members.delete()
    removed[Provider] = len(generated)
    if generated:
        Provider.objects.filter(pk__in=generated).delete()
    removed = {m: n for m, n in removed.items() if n}
    for model, n in removed.items():
        audit_bulk(actor=None, action="synth_clear", model=model, count=n)
    return {m._meta.label: n for m, n in removed.items()}
