"""Exports of the outcomes (issue 8, point 5): the pseudonymised research extract, the quarterly figures in the
layout of the national statistics on social assistance (CBS), and the caseload frame for the policy simulation.

How the data are read (docs/outcomes.md says more): every export reads whole tables set-wise — one SQL query per
table, shaped with the ORM (`values_list` with annotations, the one exemption function's SQL form) — straight into
Arrow columns: on PostgreSQL through `COPY (query) TO STDOUT` into pyarrow's CSV reader, on SQLite through the
raw cursor. No model object is built per row. Derived values (age, whole months, classes, the pseudonym join) are
computed by DuckDB over those Arrow columns, with the date rules written once as SQL macros below. The secret key
of the pseudonyms never goes to the database server: the HMAC is computed here, per client id.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import itertools
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import connection, transaction
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trede.clients.models import BenefitPeriod, Client, HouseholdKind, LadderMeasurement
from trede.core.audit import audit_bulk
from trede.core.checks import not_in_future, refuse, require_role
from trede.core.privacy import SMALL_GROUP, suppress_linked
from trede.core.roles import Role
from trede.intake.models import RouteDecision
from trede.intake.selectors import route_expression
from trede.obligations.models import Exemption
from trede.obligations.selectors import exempt_expression
from trede.stats.fairness import age_band

# --------------------------------------------------------------------------------------------------
# Reading: one query per table into Arrow columns


def read_arrow(qs: QuerySet, columns: dict[str, pa.DataType]) -> pa.Table:
    """The rows of `qs` (its fields or annotations named by the keys of `columns`) as an Arrow table with exactly
    those types, also when there are no rows. PostgreSQL: COPY into pyarrow's CSV reader; SQLite: the raw cursor."""
    names = list(columns)
    sql, params = qs.values_list(*names).query.sql_with_params()
    schema = pa.schema(list(columns.items()))
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            for block in copy:
                buffer.write(block)
        if not buffer.getbuffer().nbytes:
            return schema.empty_table()
        buffer.seek(0)
        return pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types=columns,
                strings_can_be_null=True,  # COPY writes NULL as an empty field and '' as "" (quoted)
                quoted_strings_can_be_null=False,
                true_values=["t"],
                false_values=["f"],
            ),
        ).select(names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    arrays = []
    for column, kind in zip(values, columns.values(), strict=True):
        array = pa.array(column)
        if array.type != kind:
            # SQLite gives dates as date objects or ISO text and booleans as 0/1
            array = array.cast(kind)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=schema)


# The date rules, written once for every export (tested against core.rules in tests/outcomes/test_exports.py).
# age_years: completed years on a day, as core.rules.age_on. full_months: the largest m with
# core.rules.add_months(start, m) <= day — calendar months, a month from 31 January ends on 28/29 February.
_MACROS = """
CREATE MACRO age_years(b, d) AS
    year(d) - year(b) - CASE WHEN month(d) < month(b) OR (month(d) = month(b) AND day(d) < day(b)) THEN 1 ELSE 0 END;
CREATE MACRO full_months(s, d) AS
    (year(d) - year(s)) * 12 + month(d) - month(s) - CASE WHEN day(d) < day(s) AND d <> last_day(d) THEN 1 ELSE 0 END;
CREATE MACRO month_of(d) AS strftime(d, '%Y-%m');
"""


def _duck(**tables: pa.Table) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the date macros and `tables` registered under their names (no copy is made)."""
    con = duckdb.connect(":memory:")
    con.execute("SET threads TO " + str(max(1, min(4, os.cpu_count() or 1))))
    con.execute(_MACROS)
    for name, table in tables.items():
        con.register(name, table)
    return con


def _age_bands(ages: pa.Array) -> pa.Array:
    """trede.stats.fairness.age_band's labels for an Arrow column of ages (None stays None)."""
    values = ages.to_numpy(zero_copy_only=False)
    known = ~pd.isna(values)
    out = np.full(len(values), None, dtype=object)
    out[known] = age_band(values[known].astype(int))
    return pa.array(out, type=pa.string())


def _with_age_band(table: pa.Table, age_column: str, band_column: str) -> pa.Table:
    i = table.schema.get_field_index(age_column)
    return table.set_column(i, band_column, _age_bands(table.column(age_column).combine_chunks()))


def _running_start(on: dt.date) -> Subquery:
    """The start of the client's benefit period that runs on `on` (None when none runs)."""
    return Subquery(
        BenefitPeriod.objects.filter(client_id=OuterRef("pk"), start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .order_by("-start_on")
        .values("start_on")[:1]
    )


def _latest_step(on: dt.date) -> Subquery:
    """The client's latest ladder step measured on or before `on` (None when never measured)."""
    return Subquery(
        LadderMeasurement.objects.filter(client_id=OuterRef("pk"), measured_on__lte=on)
        .order_by("-measured_on", "-id")
        .values("step")[:1],
        output_field=IntegerField(),
    )


def _client_facts(on: dt.date, *, only_on_benefit: bool) -> pa.Table:
    """Per client (one query): id, birth date, gender, household kind, district name, the start of the benefit
    period running on `on`, the latest ladder step, the route in force and whether exempt from the work obligation
    on `on` (obligations.selectors.exempt_expression: the one definition of "exempt")."""
    qs = Client.objects.order_by().annotate(
        running_start=_running_start(on),
        ladder_step=_latest_step(on),
        route=route_expression(),
        exempt_work=exempt_expression(obligation="work_obligation", on=on),
        household_kind=F("household__kind"),
        district_name=F("district__name"),
    )
    if only_on_benefit:
        qs = qs.filter(running_start__isnull=False)
    return read_arrow(
        qs,
        {
            "id": pa.int64(),
            "birth_date": pa.date32(),
            "gender": pa.string(),
            "household_kind": pa.string(),
            "district_name": pa.string(),
            "running_start": pa.date32(),
            "ladder_step": pa.int64(),
            "route": pa.string(),
            "exempt_work": pa.bool_(),
        },
    )


# --------------------------------------------------------------------------------------------------
# 1. The pseudonymised research extract

RESEARCH_ROLES = (Role.POLICY_ANALYST, Role.ADMINISTRATOR)
EXTRACT_PURPOSE = "research"  # recorded with the extract in the audit log
KEY_MIN_BYTES = 16
PSEUDONYM_BYTES = 16  # HMAC-SHA256 truncated to 128 bits (RFC 2104 §5: at least half the output): 32 hex characters


def pseudonyms(client_ids: Iterable[int], key: bytes) -> list[str]:
    """The pseudonym of each client id under `key`: HMAC-SHA256(key, "client:<id>"), the first 16 bytes in hex.

    The same key always gives the same pseudonym for a client; without the key a pseudonym cannot be linked back
    to the id, nor can pseudonyms of two extracts with different keys be linked to each other."""
    return [hmac.digest(key, b"client:%d" % i, hashlib.sha256)[:PSEUDONYM_BYTES].hex() for i in client_ids]


@dataclass
class ExtractColumn:
    name: str
    type: str
    description: str


@dataclass
class ExtractTable:
    name: str
    rows: int
    files: list[str]
    columns: list[ExtractColumn]


@dataclass
class ExtractManifest:
    extract_id: str
    on: dt.date
    created_at: str
    clients: int
    out_dir: Path
    tables: list[ExtractTable] = field(default_factory=list)
    pseudonym: dict = field(default_factory=dict)

    def table(self, name: str) -> ExtractTable:
        return next(t for t in self.tables if t.name == name)

    def as_json(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        data.pop("out_dir")
        return data


# name -> (description, [(column, description)]); the column types come from the written Arrow schema
_TABLES: dict[str, tuple] = {
    "clients": (
        gettext_lazy("Eén rij per cliënt."),
        [
            ("pseudonym", gettext_lazy("Pseudoniem van de cliënt (zelfde sleutel: zelfde pseudoniem)")),
            ("gender", gettext_lazy("Geslacht: f vrouw, m man, x anders of onbekend")),
            ("age_band", gettext_lazy("Leeftijdsklasse op de peildatum: <27, 27-49, 50+")),
            ("household_type", gettext_lazy("Samenstelling huishouden (code)")),
            ("district", gettext_lazy("Wijk")),
            ("on_benefit", gettext_lazy("Heeft een uitkering op de peildatum")),
            ("months_on_benefit", gettext_lazy("Hele maanden in de lopende uitkering tot en met de peildatum")),
            ("benefit_periods", gettext_lazy("Aantal uitkeringsperiodes tot de peildatum")),
            ("first_benefit_month", gettext_lazy("Maand van de eerste uitkering (JJJJ-MM)")),
            ("ladder_step", gettext_lazy("Laatste trede op de participatieladder (1-6), leeg als niet gemeten")),
            ("route", gettext_lazy("Route die nu geldt (code), leeg als er geen besluit is")),
            ("exempt_work", gettext_lazy("Ontheffing van de arbeidsplicht op de peildatum")),
        ],
    ),
    "benefit_periods": (
        gettext_lazy("Eén rij per uitkeringsperiode."),
        [
            ("pseudonym", gettext_lazy("Pseudoniem van de cliënt")),
            ("start_month", gettext_lazy("Maand van de ingangsdatum (JJJJ-MM)")),
            ("end_month", gettext_lazy("Maand van de einddatum (JJJJ-MM), leeg als de uitkering loopt")),
            ("duration_months", gettext_lazy("Hele maanden van de ingangsdatum tot en met de einddatum of peildatum")),
            ("norm", gettext_lazy("Norm (code)")),
            ("exit_reason", gettext_lazy("Reden van beëindiging (code), leeg als de uitkering loopt")),
            ("age_band_at_start", gettext_lazy("Leeftijdsklasse op de ingangsdatum: <27, 27-49, 50+")),
        ],
    ),
    "ladder_measurements": (
        gettext_lazy("Eén rij per meting op de participatieladder."),
        [
            ("pseudonym", gettext_lazy("Pseudoniem van de cliënt")),
            ("measured_month", gettext_lazy("Maand van de meting (JJJJ-MM)")),
            ("step", gettext_lazy("Trede (1-6)")),
        ],
    ),
    "route_decisions": (
        gettext_lazy("Eén rij per routebesluit."),
        [
            ("pseudonym", gettext_lazy("Pseudoniem van de cliënt")),
            ("decided_month", gettext_lazy("Maand van het besluit (JJJJ-MM)")),
            ("advised_route", gettext_lazy("Geadviseerde route (code), leeg zonder advies")),
            ("route", gettext_lazy("Gekozen route (code)")),
            ("status", gettext_lazy("Status van het besluit (code)")),
        ],
    ),
    "exemptions": (
        gettext_lazy("Eén rij per ontheffing."),
        [
            ("pseudonym", gettext_lazy("Pseudoniem van de cliënt")),
            ("obligation", gettext_lazy("Verplichting waarvan ontheven (code)")),
            ("ground", gettext_lazy("Wettelijke grond (code)")),
            ("start_month", gettext_lazy("Maand van de ingangsdatum (JJJJ-MM)")),
            ("end_month", gettext_lazy("Maand van het einde (JJJJ-MM), leeg als de ontheffing loopt")),
        ],
    ),
}

# DuckDB queries over the Arrow tables read from the database; $on is the extract date. Every date after $on is
# left out (the history as it stood on that day); rows are ordered by pseudonym, so their order says nothing about
# the client id (which follows registration).
_EXTRACT_SQL = {
    "clients": """
        SELECT p.pseudonym, c.gender, age_years(c.birth_date, $on) AS age_band, c.household_kind AS household_type,
               c.district_name AS district, c.running_start IS NOT NULL AS on_benefit,
               CASE WHEN c.running_start IS NOT NULL THEN full_months(c.running_start, $on + 1) END
                   ::INTEGER AS months_on_benefit,
               coalesce(b.n, 0)::INTEGER AS benefit_periods, month_of(b.first_start) AS first_benefit_month,
               c.ladder_step::TINYINT AS ladder_step, nullif(c.route, '') AS route, c.exempt_work
        FROM facts c JOIN pseudo p ON p.client_id = c.id
        LEFT JOIN (SELECT client_id, count(*) AS n, min(start_on) AS first_start FROM periods
                   WHERE start_on <= $on GROUP BY client_id) b ON b.client_id = c.id
        ORDER BY p.pseudonym""",
    "benefit_periods": """
        SELECT p.pseudonym, month_of(b.start_on) AS start_month,
               CASE WHEN b.end_on <= $on THEN month_of(b.end_on) END AS end_month,
               full_months(b.start_on, least(coalesce(b.end_on, $on), $on) + 1)::INTEGER AS duration_months,
               b.norm, CASE WHEN b.end_on <= $on THEN nullif(b.exit_reason, '') END AS exit_reason,
               age_years(c.birth_date, b.start_on) AS age_band_at_start
        FROM periods b JOIN pseudo p ON p.client_id = b.client_id JOIN facts c ON c.id = b.client_id
        WHERE b.start_on <= $on
        ORDER BY p.pseudonym, b.start_on""",
    "ladder_measurements": """
        SELECT p.pseudonym, month_of(l.measured_on) AS measured_month, l.step::TINYINT AS step
        FROM ladder l JOIN pseudo p ON p.client_id = l.client_id
        WHERE l.measured_on <= $on
        ORDER BY p.pseudonym, l.measured_on, l.id""",
    "route_decisions": """
        SELECT p.pseudonym, month_of(r.decided_on) AS decided_month, nullif(r.advised_route, '') AS advised_route,
               r.route, r.status
        FROM routes r JOIN pseudo p ON p.client_id = r.client_id
        WHERE r.decided_on <= $on
        ORDER BY p.pseudonym, r.decided_on, r.id""",
    "exemptions": """
        SELECT p.pseudonym, e.obligation, e.ground, month_of(e.start_on) AS start_month,
               CASE WHEN least(e.end_on, e.ended_on) <= $on THEN month_of(least(e.end_on, e.ended_on)) END
                   AS end_month
        FROM exemptions e JOIN pseudo p ON p.client_id = e.client_id
        WHERE e.start_on <= $on
        ORDER BY p.pseudonym, e.start_on, e.id""",
}


def _extract_sources(on: dt.date) -> dict[str, pa.Table]:
    """The five reads of the extract: no name, BSN, address, contact detail or free text is ever selected."""
    return {
        "facts": _client_facts(on, only_on_benefit=False),
        "periods": read_arrow(
            BenefitPeriod.objects.order_by(),
            {
                "client_id": pa.int64(),
                "start_on": pa.date32(),
                "end_on": pa.date32(),
                "norm": pa.string(),
                "exit_reason": pa.string(),
            },
        ),
        "ladder": read_arrow(
            LadderMeasurement.objects.order_by(),
            {"id": pa.int64(), "client_id": pa.int64(), "measured_on": pa.date32(), "step": pa.int64()},
        ),
        "routes": read_arrow(
            RouteDecision.objects.order_by(),
            {
                "id": pa.int64(),
                "client_id": pa.int64(),
                "decided_on": pa.date32(),
                "advised_route": pa.string(),
                "route": pa.string(),
                "status": pa.string(),
            },
        ),
        "exemptions": read_arrow(
            Exemption.objects.order_by(),
            {
                "id": pa.int64(),
                "client_id": pa.int64(),
                "obligation": pa.string(),
                "ground": pa.string(),
                "start_on": pa.date32(),
                "end_on": pa.date32(),
                "ended_on": pa.date32(),
            },
        ),
    }


def _snapshot_reads(on: dt.date) -> dict[str, pa.Table]:
    """The reads in one transaction; on PostgreSQL a repeatable-read snapshot, so that the tables agree."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _extract_sources(on)


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        refuse(None, _("De map %(dir)s bestaat al en is niet leeg. Kies een nieuwe map.") % {"dir": out_dir})


def research_extract(*, actor, key: bytes, out_dir: Path, on: dt.date) -> ExtractManifest:
    """Write the pseudonymised research extract of the history as it stood on `on` into `out_dir` (new or empty):
    per table a Parquet and a CSV file, with README.md and manifest.json describing the columns.

    Only a policy analyst or a functional administrator may make one. No direct identifier is written (BSN, name,
    address, birth date, phone, e-mail, notes); dates are months (YYYY-MM), ages are bands; the client id is
    replaced by pseudonyms(). The key is used, never written. One audit record (action "research_extract") names
    the actor, the purpose, the date, the extract id and the number of clients — no record per client."""
    require_role(
        actor,
        RESEARCH_ROLES,
        _("Alleen een beleidsmedewerker of functioneel beheerder mag een onderzoeksbestand maken."),
    )
    key = bytes(key)
    if len(key) < KEY_MIN_BYTES:
        refuse(
            None,
            _("De sleutel is te kort: gebruik minstens %(n)d tekens (bijvoorbeeld 32 willekeurige bytes).")
            % {"n": KEY_MIN_BYTES},
        )
    not_in_future(on, "on")
    out_dir = Path(out_dir)
    _check_out_dir(out_dir)
    sources = _snapshot_reads(on)
    ids = sources["facts"].column("id").to_pylist()
    pseudo = pa.table(
        {"client_id": pa.array(ids, pa.int64()), "pseudonym": pa.array(pseudonyms(ids, key), pa.string())}
    )
    con = _duck(pseudo=pseudo, **sources)
    results: dict[str, pa.Table] = {}
    for name, sql in _EXTRACT_SQL.items():
        table = con.execute(sql, {"on": on}).to_arrow_table()
        if name == "clients":
            table = _with_age_band(table, "age_band", "age_band")
        if name == "benefit_periods":
            table = _with_age_band(table, "age_band_at_start", "age_band_at_start")
        results[name] = table
    con.close()

    manifest = ExtractManifest(
        extract_id=uuid.uuid4().hex,
        on=on,
        created_at=timezone.now().isoformat(timespec="seconds"),
        clients=len(ids),
        out_dir=out_dir,
        pseudonym={
            "method": "HMAC-SHA256",
            "message": "client:<id>",
            "bytes": PSEUDONYM_BYTES,
            "encoding": "hex",
        },
    )
    _write_extract(manifest, results)
    with transaction.atomic():
        audit_bulk(
            actor=actor,
            action="research_extract",
            model=Client,
            count=manifest.clients,
            detail={
                "purpose": EXTRACT_PURPOSE,
                "on": on.isoformat(),
                "extract_id": manifest.extract_id,
                "tables": {t.name: t.rows for t in manifest.tables},
            },
        )
    return manifest


def _write_extract(manifest: ExtractManifest, results: dict[str, pa.Table]) -> None:
    """Per table a Parquet and a CSV file, then manifest.json and README.md, readable by the owner only. When
    writing fails half-way, the files written so far are removed again."""
    out_dir = manifest.out_dir
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    try:
        for name, table in results.items():
            description, columns = _TABLES[name]
            if table.column_names != [c for c, _d in columns]:  # the manifest must describe what is written
                raise RuntimeError(f"extract table {name}: columns {table.column_names} are not the documented ones")
            files = [f"{name}.parquet", f"{name}.csv"]
            written += [out_dir / f for f in files]
            pq.write_table(table, out_dir / files[0], compression="zstd")
            pacsv.write_csv(table, out_dir / files[1])
            manifest.tables.append(
                ExtractTable(
                    name=name,
                    rows=table.num_rows,
                    files=files,
                    columns=[ExtractColumn(c, str(table.schema.field(c).type), str(d)) for c, d in columns],
                )
            )
        written += [out_dir / "manifest.json", out_dir / "README.md"]
        written[-2].write_text(json.dumps(manifest.as_json(), indent=2, ensure_ascii=False) + "\n")
        written[-1].write_text(_readme(manifest))
        for path in written:
            path.chmod(0o600)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _readme(manifest: ExtractManifest) -> str:
    lines = [
        "# " + _("Onderzoeksbestand trede"),
        "",
        _("Peildatum: %(on)s. Gemaakt: %(at)s. Kenmerk: %(id)s. Cliënten: %(n)d.")
        % {"on": manifest.on.isoformat(), "at": manifest.created_at, "id": manifest.extract_id, "n": manifest.clients},
        "",
        _(
            "Dit bestand is gepseudonimiseerd, niet anoniem: het blijft persoonsgegevens (AVG). Gebruik het alleen "
            "voor het onderzoek waarvoor het is gemaakt en bewaar het veilig."
        ),
        _(
            "Er staan geen BSN, namen, adressen, geboortedata, telefoonnummers, e-mailadressen of toelichtingen in. "
            "Datums zijn maanden (JJJJ-MM), leeftijden zijn klassen."
        ),
        _(
            "Het pseudoniem is HMAC-SHA256 van het cliëntnummer met een geheime sleutel (de eerste 16 bytes, "
            "hexadecimaal). Met dezelfde sleutel krijgt een cliënt in een later bestand hetzelfde pseudoniem; de "
            "sleutel zelf staat niet in dit bestand."
        ),
        _("Alles wat na de peildatum gebeurde, is weggelaten. Een lege cel betekent: geen waarde."),
        "",
    ]
    for table in manifest.tables:
        description = _TABLES[table.name][0]
        lines += [
            f"## {table.name}",
            "",
            f"{description} "
            + _("Rijen: %(n)d. Bestanden: %(files)s.") % {"n": table.rows, "files": ", ".join(table.files)},
            "",
            "| " + _("kolom") + " | " + _("type") + " | " + _("betekenis") + " |",
            "|---|---|---|",
        ]
        lines += [f"| {c.name} | {c.type} | {c.description} |" for c in table.columns]
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# 2. Quarterly figures in the layout of CBS's statistics on social assistance (Bijstandsuitkeringenstatistiek)

TOTAL = "total"

# CBS StatLine 85585NED / 85617NED (personen met bijstand; duur van de lopende / gestopte uitkeringssituatie):
# age classes "tot 27 jaar", "27 tot 45 jaar", "45 jaar tot AOW-leeftijd"; duration classes 0-6 and 6-12 months,
# 1-2, 2-3, 3-4, 4-5 years and 5 years or longer. Household types are trede's own (HouseholdKind).
AGE_CLASSES: list[tuple[str, object]] = [
    ("<27", gettext_lazy("Tot 27 jaar")),
    ("27-44", gettext_lazy("27 tot 45 jaar")),
    ("45+", gettext_lazy("45 jaar tot AOW-leeftijd")),
]
AGE_BOUNDS = (27, 45)  # lower bounds of the second and third class
DURATION_CLASSES: list[tuple[str, object]] = [
    ("0-6m", gettext_lazy("0 tot 6 maanden")),
    ("6-12m", gettext_lazy("6 tot 12 maanden")),
    ("1-2y", gettext_lazy("1 tot 2 jaar")),
    ("2-3y", gettext_lazy("2 tot 3 jaar")),
    ("3-4y", gettext_lazy("3 tot 4 jaar")),
    ("4-5y", gettext_lazy("4 tot 5 jaar")),
    ("5y+", gettext_lazy("5 jaar of langer")),
]
DURATION_BOUNDS = (6, 12, 24, 36, 48, 60)  # whole months: lower bounds of the classes after the first
UNKNOWN_HOUSEHOLD = "unknown"
HOUSEHOLD_TYPES: list[tuple[str, object]] = [*HouseholdKind.choices, (UNKNOWN_HOUSEHOLD, gettext_lazy("Onbekend"))]


@dataclass
class Dimension:
    name: str
    label: object
    classes: list[tuple[str, object]]  # (code, label), in the order of the layout

    @property
    def codes(self) -> list[str]:
        return [c for c, _label in self.classes]


AGE = Dimension("age", gettext_lazy("Leeftijd"), AGE_CLASSES)
HOUSEHOLD = Dimension("household", gettext_lazy("Huishouden"), HOUSEHOLD_TYPES)
DURATION = Dimension("duration", gettext_lazy("Duur uitkering"), DURATION_CLASSES)


@dataclass
class CountTable:
    """A table of counts over some dimensions with every margin ("Totaal" per dimension), suppressed as one whole:
    a count under SMALL_GROUP is hidden (None), and so is any figure that one sum of the table would reveal."""

    topic: str
    title: object
    dimensions: list[Dimension]
    cells: dict[tuple[str, ...], int | None]  # keys in the order of `dimensions`; TOTAL for a margin

    def get(self, **coordinates: str) -> int | None:
        """The figure for the given classes; a dimension left out is its total."""
        unknown = set(coordinates) - {d.name for d in self.dimensions}
        if unknown:
            raise KeyError(f"no dimension {sorted(unknown)} in {self.topic}")
        return self.cells[tuple(coordinates.get(d.name, TOTAL) for d in self.dimensions)]

    @property
    def total(self) -> int | None:
        return self.get()


def suppressed_cube(
    counts: dict[tuple[str, ...], int], dimensions: list[Dimension], threshold: int = SMALL_GROUP
) -> dict[tuple[str, ...], int | None]:
    """Every cell and margin of a table over `dimensions` from the inner counts (missing ones are 0), suppressed
    with core.privacy.suppress_linked: each margin is linked to the figures it sums along each of its TOTAL
    dimensions, so no suppressed figure can be recovered by subtraction from one sum."""
    axes = [[*d.codes, TOTAL] for d in dimensions]
    keys = list(itertools.product(*axes))
    index = {k: i for i, k in enumerate(keys)}

    def value(key: tuple[str, ...]) -> int:
        inner = [[c] if c != TOTAL else dimensions[i].codes for i, c in enumerate(key)]
        return sum(counts.get(k, 0) for k in itertools.product(*inner))

    values = [value(k) for k in keys]
    sums = []
    for key in keys:
        for i, c in enumerate(key):
            if c == TOTAL:
                parts = [index[key[:i] + (code,) + key[i + 1 :]] for code in dimensions[i].codes]
                sums.append([*parts, index[key]])
    shown = suppress_linked(values, sums, threshold)
    return dict(zip(keys, shown, strict=True))


@dataclass
class QuarterlyFigures:
    year: int
    quarter: int
    first_day: dt.date
    reference_day: dt.date  # the last day of the quarter
    running: CountTable  # benefits running on the reference day, by age, household type and duration
    inflow: CountTable  # benefits started in the quarter, by age (at the start) and household type
    outflow: CountTable  # benefits ended in the quarter, by age (at the end), household type and duration

    @property
    def tables(self) -> list[CountTable]:
        return [self.running, self.inflow, self.outflow]

    @property
    def period_label(self) -> str:
        return _("%(year)d %(quarter)de kwartaal") % {"year": self.year, "quarter": self.quarter}


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)


def _class_sql(expression: str, bounds: tuple[int, ...], codes: list[str]) -> str:
    whens = " ".join(f"WHEN {expression} < {b} THEN '{c}'" for b, c in zip(bounds, codes, strict=False))
    return f"CASE {whens} ELSE '{codes[-1]}' END"


_QUARTER_SQL = """
    SELECT {topic} AS topic, age, household, duration, count(*) AS n
    FROM (
        SELECT {age_class} AS age, coalesce(household_kind, '{unknown}') AS household, {duration_class} AS duration
        FROM periods WHERE {where}
    ) GROUP BY ALL
"""


def quarterly_counts(year: int, quarter: int) -> dict[str, dict[tuple[str, ...], int]]:
    """The quarter's counts per topic ("running", "inflow", "outflow") and inner cell, NOT suppressed: for
    quarterly_figures and the tests only, never for a page or file a policy analyst sees.

    Running: benefit periods that run on the last day of the quarter (started on or before it, not ended before
    it), by age on that day, household type and duration (whole months from the start up to and including that
    day). Inflow: periods that started in the quarter, by age on the start day and household type. Outflow:
    periods whose last day lies in the quarter, by age on that day, household type and duration (whole months
    from start to end, inclusive). A period ending on the last day of the quarter is both running and outflow,
    as CBS counts the stock on the last day. The household type is the one recorded now (it is not dated).

    One query reads the periods that touch the quarter with their client's birth date and household; DuckDB
    classes and counts them."""
    first, last = quarter_bounds(year, quarter)
    periods = read_arrow(
        BenefitPeriod.objects.order_by()
        .filter(start_on__lte=last)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
        .annotate(birth_date=F("client__birth_date"), household_kind=F("client__household__kind")),
        {
            "start_on": pa.date32(),
            "end_on": pa.date32(),
            "birth_date": pa.date32(),
            "household_kind": pa.string(),
        },
    )
    age_codes, duration_codes = [c for c, _l in AGE_CLASSES], [c for c, _l in DURATION_CLASSES]

    def part(topic: str, day: str, duration_end: str | None, where: str) -> str:
        return _QUARTER_SQL.format(
            topic=f"'{topic}'",
            age_class=_class_sql(f"age_years(birth_date, {day})", AGE_BOUNDS, age_codes),
            unknown=UNKNOWN_HOUSEHOLD,
            duration_class=(
                _class_sql(f"full_months(start_on, {duration_end} + 1)", DURATION_BOUNDS, duration_codes)
                if duration_end
                else "NULL"
            ),
            where=where,
        )

    sql = " UNION ALL ".join(
        f"({q})"
        for q in [
            part("running", "$last", "$last", "start_on <= $last AND (end_on IS NULL OR end_on >= $last)"),
            part("inflow", "start_on", None, "start_on BETWEEN $first AND $last"),
            part("outflow", "end_on", "end_on", "end_on BETWEEN $first AND $last"),
        ]
    )
    con = _duck(periods=periods)
    rows = con.execute(sql, {"first": first, "last": last}).fetchall()
    con.close()
    counts: dict[str, dict[tuple[str, ...], int]] = {"running": {}, "inflow": {}, "outflow": {}}
    for topic, age, household, duration, n in rows:
        key = (age, household) if topic == "inflow" else (age, household, duration)
        counts[topic][key] = counts[topic].get(key, 0) + int(n)

    return counts


def quarterly_figures(year: int, quarter: int) -> QuarterlyFigures:
    """The quarter's figures in the layout of CBS's statistics on social assistance (see quarterly_counts for what
    is counted): every cell and margin passed through the shared small-group suppression."""
    first, last = quarter_bounds(year, quarter)
    counts = quarterly_counts(year, quarter)

    def table(topic: str, title, dimensions: list[Dimension]) -> CountTable:
        return CountTable(topic, title, dimensions, suppressed_cube(counts[topic], dimensions))

    return QuarterlyFigures(
        year=year,
        quarter=quarter,
        first_day=first,
        reference_day=last,
        running=table(
            "running",
            gettext_lazy("Lopende uitkeringen op de laatste dag van het kwartaal"),
            [AGE, HOUSEHOLD, DURATION],
        ),
        inflow=table("inflow", gettext_lazy("Instroom: uitkeringen begonnen in het kwartaal"), [AGE, HOUSEHOLD]),
        outflow=table(
            "outflow", gettext_lazy("Uitstroom: uitkeringen beëindigd in het kwartaal"), [AGE, HOUSEHOLD, DURATION]
        ),
    )


def write_quarterly_csv(figures: QuarterlyFigures, file: TextIO) -> None:
    """The figures as one long CSV table, like a StatLine download: separator ';', one row per figure with the
    period, the topic and every dimension ("Totaal" for a margin); a hidden figure is an empty cell."""
    writer = csv.writer(file, delimiter=";", lineterminator="\n")
    writer.writerow(
        [_("Perioden"), _("Onderwerp"), str(AGE.label), str(HOUSEHOLD.label), str(DURATION.label), _("Aantal")]
    )
    total = _("Totaal")
    for table in figures.tables:
        names = [d.name for d in table.dimensions]
        labels = {d.name: {**{c: str(label) for c, label in d.classes}, TOTAL: total} for d in table.dimensions}
        for key, value in table.cells.items():
            coordinates = dict(zip(names, key, strict=True))
            writer.writerow(
                [
                    figures.period_label,
                    str(table.title),
                    *(
                        labels[d.name][coordinates[d.name]] if d.name in coordinates else ""
                        for d in (AGE, HOUSEHOLD, DURATION)
                    ),
                    "" if value is None else value,
                ]
            )


# --------------------------------------------------------------------------------------------------
# 3. The caseload frame for the policy simulation


def _caseload_columns() -> list[str]:
    """The columns the simulation reads (trede.simulation.population.FRAME_COLUMNS), in its order."""
    from trede.simulation.population import FRAME_COLUMNS

    return list(FRAME_COLUMNS)


def _simulation_age_band(age) -> np.ndarray:
    """The simulation's age bands (the first also takes anyone under 18: trede's clients are 18 or older)."""
    from trede.simulation.population import AGE_BANDS

    lower = [27, 35, 45, 55, 67]  # the lower bound of every band after the first
    return np.asarray(AGE_BANDS, dtype=object)[np.searchsorted(lower, np.asarray(age), side="right")]


def caseload_frame(on: dt.date) -> pd.DataFrame:
    """One row per client with a benefit period running on `on`, for trede.simulation (pure: it gets no ids).

    client_key: 0..n-1 in the order of the client ids (a sequence number, not the id); age_band: the simulation's
    bands on `on` (trede.simulation.population.AGE_BANDS: 18-26, 27-34, 35-44, 45-54, 55-66, 67+; its hazards
    differ by them); household_type: HouseholdKind code (None when not recorded); district:
    its name; route: the route in force (intake.models.Route code: youth, work, participation, exemption_review;
    None when no decision); ladder_step: the latest step measured on or before `on` (0 when never measured);
    months_on_benefit: whole months of the running period up to and including `on`; exempt_work: exempt from the
    work obligation on `on` (obligations.selectors.exempt_expression). One SQL query, whatever the size."""
    facts = _client_facts(on, only_on_benefit=True)
    con = _duck(facts=facts)
    table = con.execute(
        """
        SELECT (row_number() OVER (ORDER BY id) - 1)::BIGINT AS client_key, age_years(birth_date, $on) AS age,
               household_kind AS household_type, district_name AS district, nullif(route, '') AS route,
               coalesce(ladder_step, 0)::BIGINT AS ladder_step,
               full_months(running_start, $on + 1)::BIGINT AS months_on_benefit,
               coalesce(exempt_work, false) AS exempt_work
        FROM facts ORDER BY id""",
        {"on": on},
    ).to_arrow_table()
    con.close()
    frame = table.to_pandas()
    frame["age_band"] = _simulation_age_band(frame["age"].to_numpy())
    for column in ("household_type", "district", "route"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame[_caseload_columns()]
