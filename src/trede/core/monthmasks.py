"""Month masks in SQL: the database reduces rows of intervals and events to one integer per client, with bit k set
when the client was in a state on the k-th month-end (or had an event in that month). The dashboards of activation
(issue 5) and outcomes (issue 8) count these masks in NumPy. PostgreSQL and SQLite run the same SQL apart from a few
small expressions (the month-end index, the next day, a difference in days, and the bitwise OR aggregate, which SQLite
lacks: there it is one MAX per month bit). See trede.activation.dashboard for the design and its measurements."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from django.db import connection, connections, transaction


def postgres() -> bool:
    return connection.vendor == "postgresql"


def month_no(expr: str) -> str:
    """SQLite: year * 12 + month of a date (trede.stats.activation.month_number)."""
    return f"(CAST(strftime('%%Y', {expr}) AS INTEGER) * 12 + CAST(strftime('%%m', {expr}) AS INTEGER))"


def next_day(expr: str) -> str:
    return f"({expr} + 1)" if postgres() else f"date({expr}, '+1 day')"


def days_between(start: str, end: str) -> str:
    return f"({end} - {start})" if postgres() else f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def bit_or(expr: str, months: int) -> str:
    if postgres():
        return f"BIT_OR({expr})"
    return "(" + " + ".join(f"(MAX((({expr}) >> {k}) & 1) << {k})" for k in range(months)) + ")"


def index(day: str, months: int) -> str:
    """The index of the first month-end on or after `day` (0..months; months: after the last one), as SQL.
    PostgreSQL: width_bucket counts the bounds (each month-end + 1 day) on or before the day, a binary search."""
    if postgres():
        return f"width_bucket({day}, %(bounds)s)"
    return f"MIN(MAX({month_no(day)} - %(base)s, 0), {months})"


def mask(first: str, until: str | None, months: int) -> str:
    """The mask of the month-ends in [first, until) (`until` NULL: open), as SQL on the date columns. `until` is
    never before `first` (the check constraints on the periods; LEAD in date order), so hi >= lo."""
    lo = index(first, months)
    hi = f"COALESCE({index(until, months)}, {months})"
    return f"((CAST(1 AS BIGINT) << {hi}) - (CAST(1 AS BIGINT) << {lo}))"


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def col(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def fetch(sql: str, params: dict) -> list[tuple]:
    """Run one read. On PostgreSQL without JIT compilation: the planner's row estimates for these grouped reads are
    far too high, and compiling would cost more than running them (0.6 s of a 0.1 s query at 20,000 clients).
    SET LOCAL ends with the transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres():
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def per_client(sql: str, columns: tuple[str, ...], params: dict) -> np.ndarray:
    """The rows of a per-client query as an int64 array (rows x columns). On PostgreSQL the database joins them into
    one text that NumPy parses, instead of a Python tuple per row (a third of the time at 400,000 clients)."""
    if postgres():
        cols = ", ".join(f"x.{name}" for name in columns)
        rows = fetch(f"SELECT string_agg(concat_ws(',', {cols}), ',') FROM ({sql}) x", params)
        text = rows[0][0] if rows else None
        if not text:
            return np.zeros((0, len(columns)), dtype="int64")
        return np.fromstring(text, dtype="int64", sep=",").reshape(-1, len(columns))
    rows = fetch(sql, params)
    return np.array(rows, dtype="int64").reshape(-1, len(columns))


def run_reads(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run independent reads. On PostgreSQL, outside a transaction, each on its own connection at the same time
    (threads; each closes its connection when done), so that the page waits for the slowest read instead of their
    sum. Elsewhere (SQLite, inside a transaction such as a test's, whose rows another connection cannot see) one
    after another on this connection. Separate connections may see the data a moment apart: for these aggregate
    figures that is no different from refreshing the page."""
    if not postgres() or connection.in_atomic_block or len(jobs) < 2:
        return {name: job() for name, job in jobs.items()}

    def work(job):
        try:
            return job()
        finally:
            connections.close_all()  # this thread's own connections

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(work, job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
