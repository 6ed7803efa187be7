"""Exports of the outcomes (issue 8, point 5): the research extract, the quarterly figures and the caseload frame,
on small hand-built histories with known answers."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from trede.clients.models import BenefitPeriod
from trede.clients.services import benefit_period_end, benefit_period_start, ladder_measure
from trede.core.models import AuditRecord
from trede.core.privacy import SMALL_GROUP
from trede.core.rules import add_months, age_on
from trede.intake.services import route_decide
from trede.obligations.services import exemption_end, exemption_grant
from trede.outcomes.exports import (
    AGE,
    DURATION,
    HOUSEHOLD,
    TOTAL,
    Dimension,
    _duck,
    caseload_frame,
    pseudonyms,
    quarterly_counts,
    quarterly_figures,
    research_extract,
    suppressed_cube,
    write_quarterly_csv,
)

pytestmark = pytest.mark.django_db

KEY = b"k" * 16 + b"-een-geheime-sleutel"
ON = dt.date(2024, 6, 30)


def _start(client, start_on, end_on=None, reason="work"):
    period = benefit_period_start(actor=None, client=client, start_on=start_on)
    if end_on is not None:
        benefit_period_end(actor=None, period=period, end_on=end_on, exit_reason=reason)
    return period


def _extract(tmp_path, actor, *, key=KEY, name="extract", on=ON):
    return research_extract(actor=actor, key=key, out_dir=tmp_path / name, on=on)


def _read(out: Path, table: str) -> pa.Table:
    return pq.read_table(out / f"{table}.parquet")


def _all_text(out: Path) -> tuple[bytes, str]:
    """Every written byte, and every value of every Parquet table decoded as text."""
    raw = b"".join(p.read_bytes() for p in sorted(out.iterdir()))
    values = []
    for p in sorted(out.glob("*.parquet")):
        for column in pq.read_table(p).columns:
            values += [str(v) for v in column.to_pylist()]
    return raw, "\n".join(values)


# --------------------------------------------------------------------------------------------------
# The date rules: the SQL macros agree with core.rules


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_sql_date_rules_agree_with_core_rules(a, b):
    start, day = min(a, b), max(a, b)
    con = _duck()
    age, months, month = con.execute(
        "SELECT age_years($s, $d), full_months($s, $d), month_of($d)", {"s": start, "d": day}
    ).fetchone()
    con.close()
    assert age == age_on(start, day)
    expected = 0
    while add_months(start, expected + 1) <= day:
        expected += 1
    assert months == expected
    assert month == f"{day.year:04d}-{day.month:02d}"


def test_whole_months_at_month_ends():
    con = _duck()
    rows = con.execute(
        "SELECT full_months(DATE '2024-01-31', DATE '2024-02-29'), full_months(DATE '2024-01-31', DATE '2024-02-28'),"
        " full_months(DATE '2024-01-15', DATE '2024-02-14'), full_months(DATE '2024-01-01', DATE '2024-07-01')"
    ).fetchone()
    con.close()
    # 31 January + 1 month = 29 February (the month's last day); 28 February is not yet a month
    assert rows == (1, 0, 0, 6)


# --------------------------------------------------------------------------------------------------
# 1. The research extract


@pytest.fixture
def history(make_client, caseworker, district_north):
    """Three clients with a known history up to ON and some events after it (which the extract leaves out)."""
    a = make_client(
        caseworker,
        first_name="Wilhelmina",
        surname="Oosterhuisvan",
        birth_date=dt.date(1990, 7, 1),  # 33 on ON
        street="Kalverstraat",
        house_number="17",
        postcode="1012 NX",
        city="Amsterdam",
        phone="0612345678",
        email="wilhelmina@example.org",
        gender="f",
        household_kind="single_parent",
    )
    _start(a, dt.date(2019, 3, 10), dt.date(2020, 8, 31), reason="work")
    _start(a, dt.date(2022, 2, 14))  # running on ON: 28 whole months (14 Feb 2022 .. 30 Jun 2024)
    ladder_measure(actor=None, client=a, step=2, measured_on=dt.date(2022, 3, 1), note="Geheimenotitieladder")
    ladder_measure(actor=None, client=a, step=4, measured_on=dt.date(2023, 9, 15))
    ladder_measure(actor=None, client=a, step=5, measured_on=dt.date(2024, 8, 1))  # after ON: left out
    route_decide(actor=caseworker, client=a, route="work", reason="Geheimemotivering", decided_on=dt.date(2022, 4, 5))
    exemption = exemption_grant(
        actor=None,
        client=a,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=dt.date(2024, 5, 20),
        review_on=dt.date(2024, 11, 20),
        reason="Geheimereden",
    )
    b = make_client(
        caseworker,
        first_name="Bartholomeus",
        surname="Zwanenburgh",
        birth_date=dt.date(2000, 7, 1),  # 23 on ON
        district_obj=district_north,
        gender="m",
        household_kind="single",
    )
    _start(b, dt.date(2024, 1, 1), dt.date(2024, 9, 30), reason="education")  # the end lies after ON
    c = make_client(first_name="Cornelia", surname="Nooitgezien", birth_date=dt.date(1960, 1, 1))  # 64 on ON
    _start(c, dt.date(2024, 7, 1))  # starts after ON: no period in the extract, not on benefit
    return {"a": a, "b": b, "c": c, "exemption": exemption}


def test_research_extract_known_answers(tmp_path, analyst, history):
    manifest = _extract(tmp_path, analyst)
    out = manifest.out_dir
    assert manifest.clients == 3
    assert {t.name: t.rows for t in manifest.tables} == {
        "clients": 3,
        "benefit_periods": 3,
        "ladder_measurements": 2,
        "route_decisions": 1,
        "exemptions": 1,
    }
    ids = [history[k].pk for k in "abc"]
    pa_, pb, pc = pseudonyms(ids, KEY)
    clients = {r["pseudonym"]: r for r in _read(out, "clients").to_pylist()}
    assert clients[pa_] == {
        "pseudonym": pa_,
        "gender": "f",
        "age_band": "27-49",
        "household_type": "single_parent",
        "district": "Centrum",
        "on_benefit": True,
        "months_on_benefit": 28,
        "benefit_periods": 2,
        "first_benefit_month": "2019-03",
        "ladder_step": 4,
        "route": "work",
        "exempt_work": True,
    }
    assert clients[pb]["age_band"] == "<27" and clients[pb]["district"] == "Noord"
    assert clients[pb]["on_benefit"] and clients[pb]["months_on_benefit"] == 6  # 1 January .. 30 June
    assert clients[pb]["ladder_step"] is None and clients[pb]["route"] is None and not clients[pb]["exempt_work"]
    assert clients[pc]["age_band"] == "50+" and not clients[pc]["on_benefit"]
    assert clients[pc]["benefit_periods"] == 0 and clients[pc]["first_benefit_month"] is None

    periods = _read(out, "benefit_periods").to_pylist()
    assert sorted((p["pseudonym"], p["start_month"], p["end_month"], p["exit_reason"]) for p in periods) == sorted(
        [
            (pa_, "2019-03", "2020-08", "work"),
            (pa_, "2022-02", None, None),
            (pb, "2024-01", None, None),  # ends after ON: still running in the extract
        ]
    )
    by_start = {p["start_month"]: p for p in periods}
    assert by_start["2019-03"]["duration_months"] == 17  # 10 Mar 2019 .. 31 Aug 2020
    assert by_start["2019-03"]["age_band_at_start"] == "27-49"  # 28 at the start
    assert by_start["2024-01"]["age_band_at_start"] == "<27"
    ladder = _read(out, "ladder_measurements").to_pylist()
    assert [(r["measured_month"], r["step"]) for r in ladder] == [("2022-03", 2), ("2023-09", 4)]
    (route,) = _read(out, "route_decisions").to_pylist()
    assert route == {
        "pseudonym": pa_,
        "decided_month": "2022-04",
        "advised_route": None,
        "route": "work",
        "status": "in_force",
    }
    (exemption,) = _read(out, "exemptions").to_pylist()
    assert exemption == {
        "pseudonym": pa_,
        "obligation": "work_obligation",
        "ground": "urgent_reasons",
        "start_month": "2024-05",
        "end_month": None,
    }


def test_months_on_benefit_counts_the_reference_day(tmp_path, analyst, make_client):
    c = make_client()
    _start(c, dt.date(2024, 1, 1))
    _start(make_client(), dt.date(2024, 1, 2))
    rows = _read(_extract(tmp_path, analyst).out_dir, "clients").to_pylist()
    # 1 January .. 30 June inclusive is six whole months; from 2 January it is five
    assert sorted(r["months_on_benefit"] for r in rows) == [5, 6]


def test_extract_has_months_not_dates(tmp_path, analyst, history):
    manifest = _extract(tmp_path, analyst)
    month = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
    for table in manifest.tables:
        data = _read(manifest.out_dir, table.name)
        for f in data.schema:
            assert not pa.types.is_temporal(f.type), (table.name, f.name)
            if f.name.endswith("_month"):
                assert all(v is None or month.match(v) for v in data.column(f.name).to_pylist())
        # CSV and Parquet hold the same rows
        assert pacsv.read_csv(manifest.out_dir / f"{table.name}.csv").num_rows == data.num_rows
    assert "2022-02-14" not in _all_text(manifest.out_dir)[0].decode("utf-8", "replace")


def test_no_export_contains_a_bsn_name_or_other_identifier(tmp_path, analyst, history):
    manifest = _extract(tmp_path, analyst)
    raw, values = _all_text(manifest.out_dir)
    text = raw.decode("utf-8", "replace")
    quarter = io.StringIO()
    write_quarterly_csv(quarterly_figures(2024, 2), quarter)
    for person in (history["a"], history["b"], history["c"]):
        for secret in (
            person.bsn,
            person.first_name,
            person.surname,
            person.birth_date.isoformat(),
            person.birth_date.strftime("%d-%m-%Y"),
        ):
            assert secret not in text and secret not in values and secret not in quarter.getvalue(), secret
    for secret in (
        "Kalverstraat",
        history["a"].postcode,
        "0612345678",
        "wilhelmina@example.org",
        "Amsterdam",
        "Geheime",
    ):
        assert secret not in text and secret not in values, secret
    # the client id is replaced, not kept beside the pseudonym
    for table in manifest.tables:
        assert not {"id", "client_id", "bsn"} & {c.name for c in table.columns}
    # the key is never written, neither as bytes nor as hex
    assert KEY not in raw and KEY.hex().encode() not in raw


def test_pseudonyms_are_stable_per_key_and_differ_between_keys(tmp_path, analyst, history):
    first = _extract(tmp_path, analyst, name="one")
    again = _extract(tmp_path, analyst, name="two")
    other = _extract(tmp_path, analyst, key=b"een-heel-andere-sleutel-van-32-b", name="three")
    p1 = _read(first.out_dir, "clients").column("pseudonym").to_pylist()
    p2 = _read(again.out_dir, "clients").column("pseudonym").to_pylist()
    p3 = _read(other.out_dir, "clients").column("pseudonym").to_pylist()
    assert p1 == p2 and len(set(p1)) == 3
    assert not set(p1) & set(p3)
    # the documented construction, computed here independently
    a = history["a"].pk
    assert hmac.new(KEY, f"client:{a}".encode(), hashlib.sha256).hexdigest()[:32] in p1
    # the pseudonym links a client's rows across the tables of one extract
    assert set(_read(first.out_dir, "ladder_measurements").column("pseudonym").to_pylist()) <= set(p1)


def test_extract_refused_for_a_caseworker_with_a_clear_message(tmp_path, caseworker, history):
    with pytest.raises(ValidationError) as refused:
        _extract(tmp_path, caseworker)
    assert "beleidsmedewerker of functioneel beheerder" in " ".join(refused.value.messages)
    assert not (tmp_path / "extract").exists()
    assert not AuditRecord.objects.filter(action="research_extract").exists()


def test_extract_by_an_administrator_is_audited_once_with_purpose_and_count(tmp_path, administrator, history):
    manifest = _extract(tmp_path, administrator)
    (record,) = AuditRecord.objects.filter(action="research_extract")
    assert record.actor == administrator and record.client_id is None
    assert record.changes["rows"] == [None, 3]
    assert record.changes["purpose"] == "research"
    assert record.changes["extract_id"] == manifest.extract_id and record.changes["on"] == "2024-06-30"


def test_extract_refuses_a_short_key_and_a_used_folder(tmp_path, analyst, history):
    with pytest.raises(ValidationError, match="te kort"):
        _extract(tmp_path, analyst, key=b"kort")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "old.csv").write_text("x")
    with pytest.raises(ValidationError, match="niet leeg"):
        _extract(tmp_path, analyst, name="used")


def test_extract_refuses_a_date_in_the_future(tmp_path, analyst, today):
    with pytest.raises(ValidationError, match="toekomst"):
        _extract(tmp_path, analyst, on=today + dt.timedelta(days=1))


def test_extract_removes_its_files_when_writing_fails(tmp_path, analyst, history, monkeypatch):
    from trede.outcomes import exports

    calls, original = [], pacsv.write_csv

    def failing_csv(table, path):  # the second table's CSV fails, after three files were written
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        original(table, path)

    monkeypatch.setattr(exports.pacsv, "write_csv", failing_csv)
    (tmp_path / "empty").mkdir()  # an existing empty folder is accepted
    with pytest.raises(OSError, match="disk full"):
        _extract(tmp_path, analyst, name="empty")
    assert len(calls) == 2 and calls[0].name == "clients.csv"
    assert list((tmp_path / "empty").iterdir()) == []
    assert not AuditRecord.objects.filter(action="research_extract").exists()


def test_manifest_and_readme_describe_every_written_column(tmp_path, analyst, history):
    manifest = _extract(tmp_path, analyst)
    data = json.loads((manifest.out_dir / "manifest.json").read_text())
    readme = (manifest.out_dir / "README.md").read_text()
    assert data["extract_id"] == manifest.extract_id and data["clients"] == 3 and data["on"] == "2024-06-30"
    assert data["pseudonym"]["method"] == "HMAC-SHA256"
    for table in data["tables"]:
        written = _read(manifest.out_dir, table["name"])
        assert [c["name"] for c in table["columns"]] == written.column_names
        assert all(c["description"] for c in table["columns"])
        assert table["rows"] == written.num_rows
        assert f"## {table['name']}" in readme
        for c in table["columns"]:
            assert f"| {c['name']} |" in readme


def test_extract_reads_a_constant_number_of_queries(tmp_path, analyst, make_client):
    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            _extract(tmp_path, analyst, name=name)
        return len(captured.captured_queries)

    _start(make_client(), dt.date(2023, 1, 1))
    few = queries("few")
    for _ in range(5):
        c = make_client()
        _start(c, dt.date(2020, 1, 1), dt.date(2021, 1, 1))
        ladder_measure(actor=None, client=c, step=3, measured_on=dt.date(2020, 6, 1))
    assert queries("more") == few


def test_management_command(tmp_path, analyst, caseworker, history):
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")  # a trailing line break is not part of the key
    out = io.StringIO()
    call_command(
        "research_extract",
        "--key-file",
        str(key_file),
        "--out",
        str(tmp_path / "cmd"),
        "--by",
        analyst.username,
        "--on",
        "2024-06-30",
        stdout=out,
    )
    assert "3 clients" in out.getvalue()
    written = set(_read(tmp_path / "cmd", "clients").column("pseudonym").to_pylist())
    assert written == set(pseudonyms([history[k].pk for k in "abc"], KEY))
    with pytest.raises(CommandError, match="beleidsmedewerker"):
        call_command(
            "research_extract", "--key-file", str(key_file), "--out", str(tmp_path / "x"), "--by", caseworker.username
        )


# --------------------------------------------------------------------------------------------------
# 2. Quarterly figures (CBS layout)


@pytest.fixture
def quarter_history(make_client):
    """2024 Q2 (1 April .. 30 June). Groups with known ages, households and durations."""
    groups = {}

    def group(name, n, *, birth, household, start, end=None, reason="work"):
        groups[name] = []
        for _ in range(n):
            c = make_client(birth_date=birth, household_kind=household)
            _start(c, start, end, reason)
            groups[name].append(c)

    # running on 30 June: 27-44, single, 18 whole months -> "1-2y"
    group("long", 12, birth=dt.date(1990, 1, 15), household="single", start=dt.date(2023, 1, 1))
    # one more like them, whose last day is 30 June: running (the stock on the last day) and outflow
    group("last_day", 1, birth=dt.date(1990, 1, 15), household="single", start=dt.date(2023, 1, 1), end=ON)
    # inflow in the quarter, still running: <27 on the start and on 30 June, single parents, 2 months -> "0-6m"
    group("new", 10, birth=dt.date(2000, 7, 1), household="single_parent", start=dt.date(2024, 4, 15))
    # outflow in May after more than 9 years: 45+, couples -> "5y+"
    group("left", 3, birth=dt.date(1960, 3, 1), household="couple", start=dt.date(2015, 1, 1), end=dt.date(2024, 5, 31))
    # in and out within the quarter (an inflow and an outflow, not running): 27 on the start day exactly
    group(
        "brief",
        2,
        birth=dt.date(1997, 4, 1),
        household="cost_sharers",
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 6, 1),
    )
    # six whole months on 30 June exactly -> "6-12m"; from 2 January five -> "0-6m"
    group("six", 1, birth=dt.date(1970, 1, 1), household="single", start=dt.date(2024, 1, 1))
    group("five", 1, birth=dt.date(1970, 1, 1), household="single", start=dt.date(2024, 1, 2))
    # outside the quarter: ended in Q1, started in Q3
    group(
        "before", 4, birth=dt.date(1980, 1, 1), household="single", start=dt.date(2020, 1, 1), end=dt.date(2024, 3, 31)
    )
    group("after", 4, birth=dt.date(1980, 1, 1), household="single", start=dt.date(2024, 7, 1))
    return groups


def test_quarterly_counts_known_answers(quarter_history):
    counts = quarterly_counts(2024, 2)
    assert counts["running"] == {
        ("27-44", "single", "1-2y"): 13,
        ("<27", "single_parent", "0-6m"): 10,
        ("45+", "single", "6-12m"): 1,
        ("45+", "single", "0-6m"): 1,
    }
    assert counts["inflow"] == {("<27", "single_parent"): 10, ("27-44", "cost_sharers"): 2}
    assert counts["outflow"] == {
        ("27-44", "single", "1-2y"): 1,
        ("45+", "couple", "5y+"): 3,
        ("27-44", "cost_sharers", "0-6m"): 2,
    }


def _raw(table, counts, key):
    """The unsuppressed figure of a cell or margin from the inner counts."""
    import itertools

    inner = [[c] if c != TOTAL else d.codes for d, c in zip(table.dimensions, key, strict=True)]
    return sum(counts.get(k, 0) for k in itertools.product(*inner))


def _assert_protected(table, counts):
    """Every figure under 10 hidden, every shown figure true, and no sum with exactly one hidden figure."""
    for key, shown in table.cells.items():
        true = _raw(table, counts, key)
        assert shown is None or shown == true, key
        if 0 < true < SMALL_GROUP:
            assert shown is None, key
        for i, c in enumerate(key):
            if c == TOTAL:
                group = [key[:i] + (code,) + key[i + 1 :] for code in table.dimensions[i].codes] + [key]
                assert [table.cells[k] for k in group].count(None) != 1, key


def test_quarterly_figures_suppress_small_cells_with_their_margins(quarter_history):
    figures = quarterly_figures(2024, 2)
    counts = quarterly_counts(2024, 2)
    assert (figures.first_day, figures.reference_day) == (dt.date(2024, 4, 1), ON)
    for table in figures.tables:
        _assert_protected(table, counts[table.topic])
    running = figures.running
    assert running.total == 25
    assert running.get(age="45+", household="single", duration="6-12m") is None  # 1 person
    assert running.get(age="45+") is None  # 2 people
    # with only two large groups, any one of them shown beside the total of 25 would reveal the two others
    assert running.get(age="27-44", household="single", duration="1-2y") is None
    assert figures.outflow.total is None  # 6 benefits ended in the quarter


def test_quarterly_figures_show_what_small_cells_cannot_be_computed_from(make_client):
    """Inflow: small cells in a rectangle (each row and column holds two of them), large groups around."""
    sizes = {
        ("<27", "single"): 10,
        ("<27", "single_parent"): 1,
        ("<27", "couple"): 2,
        ("27-44", "single"): 11,
        ("27-44", "single_parent"): 3,
        ("27-44", "couple"): 1,
        ("45+", "single"): 10,
        ("45+", "single_parent"): 10,
        ("45+", "couple"): 12,
    }
    birth = {"<27": dt.date(2000, 1, 1), "27-44": dt.date(1990, 1, 1), "45+": dt.date(1970, 1, 1)}
    for (age, household), n in sizes.items():
        for _ in range(n):
            _start(make_client(birth_date=birth[age], household_kind=household), dt.date(2024, 5, 1))
    inflow = quarterly_figures(2024, 2).inflow
    _assert_protected(inflow, quarterly_counts(2024, 2)["inflow"])
    assert inflow.get(age="<27", household="single") == 10
    assert inflow.get(age="27-44", household="single") == 11
    assert inflow.get(age="45+", household="couple") == 12
    assert (
        inflow.get(age="<27", household="couple") is None and inflow.get(age="27-44", household="single_parent") is None
    )
    assert inflow.get(age="<27") == 13 and inflow.get(age="27-44") == 15 and inflow.get(age="45+") == 32
    assert inflow.get(household="single") == 31 and inflow.get(household="single_parent") == 14
    assert inflow.get(household="couple") == 15 and inflow.total == 60
    assert inflow.get(household="cost_sharers") == 0 and inflow.get(age="<27", household="unknown") == 0


def test_quarterly_csv_layout(quarter_history):
    out = io.StringIO()
    figures = quarterly_figures(2024, 2)
    write_quarterly_csv(figures, out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == ["Perioden", "Onderwerp", "Leeftijd", "Huishouden", "Duur uitkering", "Aantal"]
    sizes = {t.topic: len(t.cells) for t in figures.tables}
    assert len(body) == sum(sizes.values()) == 4 * 7 * 8 + 4 * 7 + 4 * 7 * 8
    assert all(r[0] == "2024 2e kwartaal" for r in body)
    running = [r for r in body if r[1].startswith("Lopende")]
    (total,) = [r for r in running if r[2:5] == ["Totaal", "Totaal", "Totaal"]]
    assert total[5] == "25"
    small = [r for r in running if r[2:5] == ["45 jaar tot AOW-leeftijd", "Alleenstaand", "6 tot 12 maanden"]]
    assert small[0][5] == ""  # suppressed: an empty cell
    # every figure in the file is the table's figure, in the tables' order
    assert [r[5] for r in body] == ["" if v is None else str(v) for t in figures.tables for v in t.cells.values()]
    (inflow_total,) = [r for r in body if r[1].startswith("Instroom") and r[2:4] == ["Totaal", "Totaal"]]
    assert inflow_total[5] == "12"
    inflow = [r for r in body if r[1].startswith("Instroom")]
    assert all(r[4] == "" for r in inflow)  # no duration for the inflow


def test_quarter_bounds_are_checked():
    with pytest.raises(ValueError):
        quarterly_counts(2024, 5)


SMALL_DIMS = [
    Dimension("a", "a", [("x", "x"), ("y", "y")]),
    Dimension("b", "b", [("p", "p"), ("q", "q"), ("r", "r")]),
    Dimension("c", "c", [("u", "u"), ("v", "v")]),
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=12, max_size=12))
def test_suppressed_cube_never_leaves_a_sum_with_one_hidden_figure(values):
    import itertools

    keys = list(itertools.product(*(d.codes for d in SMALL_DIMS)))
    counts = dict(zip(keys, values, strict=True))
    out = suppressed_cube(counts, SMALL_DIMS)
    axes = [[*d.codes, TOTAL] for d in SMALL_DIMS]
    for key in itertools.product(*axes):
        inner = [[c] if c != TOTAL else SMALL_DIMS[i].codes for i, c in enumerate(key)]
        true = sum(counts[k] for k in itertools.product(*inner))
        shown = out[key]
        assert shown is None or shown == true
        if 0 < true < SMALL_GROUP:
            assert shown is None
        for i, c in enumerate(key):
            if c == TOTAL:
                group = [key[:i] + (code,) + key[i + 1 :] for code in SMALL_DIMS[i].codes] + [key]
                assert [out[k] for k in group].count(None) != 1


def test_dimensions_follow_the_cbs_layout():
    assert AGE.codes == ["<27", "27-44", "45+"]
    assert DURATION.codes == ["0-6m", "6-12m", "1-2y", "2-3y", "3-4y", "4-5y", "5y+"]
    assert "unknown" in HOUSEHOLD.codes and "single_parent" in HOUSEHOLD.codes


# --------------------------------------------------------------------------------------------------
# 3. The caseload frame


def test_caseload_frame_known_answers(history):
    frame = caseload_frame(ON)
    assert list(frame.columns) == [
        "client_key",
        "age_band",
        "household_type",
        "district",
        "route",
        "ladder_step",
        "months_on_benefit",
        "exempt_work",
    ]
    assert len(frame) == 2  # c starts after ON
    assert frame["client_key"].tolist() == [0, 1]
    assert str(frame["client_key"].dtype) == "int64" and str(frame["months_on_benefit"].dtype) == "int64"
    a, b = frame.to_dict("records")  # in the order of the ids: a was registered first
    assert a == {
        "client_key": 0,
        "age_band": "27-34",  # 33: the simulation's bands
        "household_type": "single_parent",
        "district": "Centrum",
        "route": "work",
        "ladder_step": 4,
        "months_on_benefit": 28,
        "exempt_work": True,
    }
    assert b["age_band"] == "18-26" and b["district"] == "Noord" and b["household_type"] == "single"
    assert b["route"] is None and b["ladder_step"] == 0 and b["months_on_benefit"] == 6 and not b["exempt_work"]
    # the exemption ended early is no longer in force afterwards (the one exemption rule)
    exemption_end(actor=None, exemption=history["exemption"], ended_on=dt.date(2024, 7, 10), reason="Hersteld")
    later = caseload_frame(dt.date(2024, 7, 15))
    assert later["age_band"].tolist() == ["27-34", "18-26", "55-66"]  # c is 64
    assert later["exempt_work"].tolist() == [False, False, False]  # c started on 1 July
    assert later["ladder_step"].tolist() == [4, 0, 0]  # the step of 1 August is not known yet


def test_caseload_frame_is_a_constant_number_of_queries(make_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            caseload_frame(ON)
        return len(captured.captured_queries)

    _start(make_client(), dt.date(2023, 1, 1))
    one = queries()
    for _ in range(6):
        c = make_client()
        _start(c, dt.date(2023, 1, 1))
        ladder_measure(actor=None, client=c, step=2, measured_on=dt.date(2023, 2, 1))
    assert queries() == one == (0 if connection.vendor == "postgresql" else 1)  # COPY bypasses the query log
    assert len(caseload_frame(ON)) == 7


def test_caseload_frame_empty(db):
    frame = caseload_frame(ON)
    assert frame.empty and list(frame.columns)[0] == "client_key"
    assert BenefitPeriod.objects.count() == 0


# --------------------------------------------------------------------------------------------------
# The benchmark runs on a generated municipality


@pytest.fixture
def bench():
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "bench" / "outcomes_extract.py"
    spec = importlib.util.spec_from_file_location("trede_bench_outcomes_extract_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_the_benchmark_measures_the_exports(bench, today):
    from trede.synth.generator import Spec
    from trede.synth.loader import synth_load

    synth_load(Spec(clients=300, seed=3, today=today, caseload_norm=350), progress=False)
    lines: list[str] = []
    result = bench.run(print=lines.append, repeat=1)
    assert result.note == "" and result.clients == 300
    assert len(result.extract.runs) == 1 and result.reads.median is not None
    assert result.rows["clients"] == 300 and result.rows["benefit_periods"] > 0 and result.bytes_parquet > 0
    assert result.frame_rows > 0 and result.quarterly.median is not None
    assert result.verdict in ("ok", "OVER BUDGET")  # held against the budget, extrapolated from 300 clients
    assert any("research extract" in line for line in lines) and any("extrapolated" in line for line in lines)
    assert AuditRecord.objects.filter(action="research_extract").count() == 1
    assert bench.last_complete_quarter(dt.date(2025, 2, 10)) == (2024, 4)
    assert bench.last_complete_quarter(dt.date(2025, 11, 30)) == (2025, 3)


def test_the_benchmark_reports_an_empty_database(bench, db):
    lines: list[str] = []
    result = bench.run(print=lines.append, repeat=1)
    assert result.extract.median is None and "generate" in result.note and any("generate" in x for x in lines)


def test_the_caseload_frame_is_a_population_the_simulation_accepts(history):
    from trede.simulation.population import population_from_frame

    pop = population_from_frame(caseload_frame(dt.date(2024, 7, 15)))
    assert pop.n_stock == 3
