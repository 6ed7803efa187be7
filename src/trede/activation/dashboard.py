"""Reads for the activation dashboard (policy analysts and team leads): how much of the caseload is active, month
by month, and how long participation lasts. Aggregates only: no name, no BSN; every figure with its n, small groups
suppressed by the shared helper (trede.core.privacy).

Definitions
- The caseload on a month-end: the clients with a benefit period that covers that day.
- Active on that day (trede.activation.rules.counts_as_active): the latest ladder measurement on or before the day
  is step 3 or higher (ties on one day: the one recorded last), or a participation runs on the day (started on or
  before it, not ended before it).
- The route on that day: the latest decision in force ("in_force") decided on or before it (ties: the one recorded
  last); "none" when there is none yet.
- District: the client's district now (trede keeps no history of moves).

Design (why it is fast enough without a stored aggregate)
The page must render in under 2 seconds on 400,000 clients (bench/activation.py). Reading the raw rows (benefit
periods, 1.2 million ladder measurements, participations, route decisions) into Python takes most of that on its
own, and a subquery per client and month-end (24 x 280,000) is far too slow. So the database reduces each source
to one small integer per client: a mask with bit k set when the client was in that state on the k-th month-end. An
interval [from, until) covers the month-ends with index idx(from) .. idx(until) - 1, where idx(day) is the index of
the first month-end on or after the day (PostgreSQL: width_bucket over the month-ends; SQLite: from the month
number); the ladder's and the route's intervals run from one measurement or decision to the next (LEAD()), a
benefit period's or participation's from its start to the day after its end. Four queries, one per source (on
benefit with the district, ladder step 3+, taking part, route), each ORing the masks per client; NumPy joins them by
client id (active = on benefit and (ladder or taking part)) and counts per month and group (trede.stats.activation).
Joining the four in one SQL statement was twice as slow (the joins and the grouping of 400,000 rows cost as much as
the four reads). Durations are read as (kind, days, ended, count) groups and fitted by Kaplan-Meier with those
counts as weights. On PostgreSQL the five reads run at the same time, each on its own connection (run_reads), so
the page waits for the slowest one (the ladder's, about 0.5 s at 400,000 clients) rather than for their sum. No
table is added and nothing is cached: the figures are always those of the moment, which a stored aggregate would
only be after its next refresh. What grows the cost is the number of rows up to the last month-end, the whole
history: the ladder's and the route's reads take every measurement and decision before it (LEAD needs the one
before the window too), the others only the periods that overlap the two years.

PostgreSQL and SQLite run the same SQL apart from a few small expressions (the month-end index, the next day, a
difference in days, and the bitwise OR aggregate, which SQLite lacks: there it is one MAX per month bit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from django.utils.translation import gettext_lazy as _

from trede.activation.models import Participation, ParticipationKind
from trede.activation.rules import ACTIVE_LADDER_STEP
from trede.clients.models import BenefitPeriod, Client, District, LadderMeasurement
from trede.core.monthmasks import bit_or as _bit_or
from trede.core.monthmasks import col as _col
from trede.core.monthmasks import days_between as _days_between
from trede.core.monthmasks import fetch as _rows
from trede.core.monthmasks import mask as _mask
from trede.core.monthmasks import next_day as _next_day
from trede.core.monthmasks import per_client as _per_client
from trede.core.monthmasks import postgres as _postgres
from trede.core.monthmasks import run_reads
from trede.core.monthmasks import table as _table
from trede.core.privacy import SMALL_GROUP, suppress_table
from trede.intake.models import DecisionStatus, Route, RouteDecision
from trede.stats.activation import Durations, counts_per_month, month_ends, month_number, spell_durations, wilson

MONTHS = 24
DURATION_YEARS = 2  # the spells that began in the last two years
ROUTES = ("work", "youth", "participation", "exemption_review", "none")
ROUTE_LABELS = {**{r.value: r.label for r in Route}, "none": _("Nog geen route")}


# --------------------------------------------------------------------------------------------------
# SQL pieces (those that differ between PostgreSQL and SQLite)


def source_sql(months: int) -> dict[str, tuple[str, tuple[str, ...]]]:
    """One query per source, each one row per client: {name: (sql, its columns)}. "b" (on benefit, with the
    client's district), "l" (ladder step 3 or higher), "p" (taking part), "r" (one mask per route but "none")."""
    bp, lm, pa, rd, cl = BenefitPeriod, LadderMeasurement, Participation, RouteDecision, Client
    c = _col
    # an end date is the last day in the state: the interval runs until the next day (NULL stays NULL: open)
    bp_end, pa_end = f"b.{c(bp, 'end_on')}", f"p.{c(pa, 'end_on')}"
    benefit = f"""
        SELECT b.{c(bp, "client")} AS client_id, MAX(k.{c(cl, "district")}) AS district_id,
               {_bit_or(_mask(f"b.{c(bp, 'start_on')}", _next_day(bp_end), months), months)} AS m
        FROM {_table(bp)} b
        JOIN {_table(cl)} k ON k.{c(cl, "id")} = b.{c(bp, "client")}
        WHERE b.{c(bp, "start_on")} <= %(last)s AND ({bp_end} IS NULL OR {bp_end} >= %(first)s)
        GROUP BY b.{c(bp, "client")}"""
    ladder = f"""
        SELECT x.client_id, {_bit_or(_mask("x.on_day", "x.next_day", months), months)} AS m
        FROM (
            SELECT l.{c(lm, "client")} AS client_id, l.{c(lm, "step")} AS step, l.{c(lm, "measured_on")} AS on_day,
                   LEAD(l.{c(lm, "measured_on")}) OVER (
                       PARTITION BY l.{c(lm, "client")} ORDER BY l.{c(lm, "measured_on")}, l.{c(lm, "id")}
                   ) AS next_day
            FROM {_table(lm)} l
            WHERE l.{c(lm, "measured_on")} <= %(last)s
        ) x
        WHERE x.step >= %(step)s AND (x.next_day IS NULL OR x.next_day > %(first)s)
        GROUP BY x.client_id"""
    taking_part = f"""
        SELECT p.{c(pa, "client")} AS client_id,
               {_bit_or(_mask(f"p.{c(pa, 'start_on')}", _next_day(pa_end), months), months)} AS m
        FROM {_table(pa)} p
        WHERE p.{c(pa, "start_on")} <= %(last)s AND ({pa_end} IS NULL OR {pa_end} >= %(first)s)
        GROUP BY p.{c(pa, "client")}"""
    route_masks = ", ".join(
        f"{_bit_or(f'CASE WHEN x.route = %(route_{r})s THEN x.m ELSE 0 END', months)} AS r_{r}" for r in ROUTES[:-1]
    )
    routes = f"""
        SELECT x.client_id, {route_masks}
        FROM (
            SELECT y.client_id, y.route, {_mask("y.on_day", "y.next_day", months)} AS m
            FROM (
                SELECT d.{c(rd, "client")} AS client_id, d.{c(rd, "route")} AS route,
                       d.{c(rd, "decided_on")} AS on_day,
                       LEAD(d.{c(rd, "decided_on")}) OVER (
                           PARTITION BY d.{c(rd, "client")} ORDER BY d.{c(rd, "decided_on")}, d.{c(rd, "id")}
                       ) AS next_day
                FROM {_table(rd)} d
                WHERE d.{c(rd, "status")} = %(in_force)s AND d.{c(rd, "decided_on")} <= %(last)s
            ) y
            WHERE y.next_day IS NULL OR y.next_day > %(first)s
        ) x
        GROUP BY x.client_id"""
    return {
        "b": (benefit, ("client_id", "district_id", "m")),
        "l": (ladder, ("client_id", "m")),
        "p": (taking_part, ("client_id", "m")),
        "r": (routes, ("client_id", *(f"r_{r}" for r in ROUTES[:-1]))),
    }


def durations_sql(*, district: bool, route: str | None) -> str:
    """Participation spells that began from %(since)s on, grouped: kind, days, ended, count. An end after
    `today` has not happened yet: such a spell (and a running one) is censored at today."""
    pa, cl, rd = Participation, Client, RouteDecision
    c = _col
    end = f"p.{c(pa, 'end_on')}"
    until = f"CASE WHEN {end} IS NOT NULL AND {end} <= %(today)s THEN {end} ELSE %(today)s END"
    where = [f"p.{c(pa, 'start_on')} >= %(since)s", f"p.{c(pa, 'start_on')} <= %(today)s"]
    join = ""
    if district:
        join = f"JOIN {_table(cl)} c ON c.{c(cl, 'id')} = p.{c(pa, 'client')}"
        where.append(f"c.{c(cl, 'district')} = %(district)s")
    if route is not None:
        in_force = f"""(
            SELECT d.{c(rd, "route")} FROM {_table(rd)} d
            WHERE d.{c(rd, "client")} = p.{c(pa, "client")} AND d.{c(rd, "status")} = %(in_force)s
              AND d.{c(rd, "decided_on")} <= p.{c(pa, "start_on")}
            ORDER BY d.{c(rd, "decided_on")} DESC, d.{c(rd, "id")} DESC
            LIMIT 1
        )"""
        where.append(f"{in_force} IS NULL" if route == "none" else f"{in_force} = %(route)s")
    return f"""
        SELECT x.kind, x.days, x.ended, COUNT(*) AS n
        FROM (
            SELECT p.{c(pa, "kind")} AS kind,
                   {_days_between(f"p.{c(pa, 'start_on')}", until)} AS days,
                   CASE WHEN {end} IS NOT NULL AND {end} <= %(today)s THEN 1 ELSE 0 END AS ended
            FROM {_table(pa)} p
            {join}
            WHERE {" AND ".join(where)}
        ) x
        GROUP BY x.kind, x.days, x.ended"""


# --------------------------------------------------------------------------------------------------
# The figures


@dataclass
class Cell:
    """One share on one month-end: active of n, as shown (None: suppressed)."""

    n: int | None
    active: int | None
    share: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.share is not None

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def low_pct(self) -> float | None:
        return None if self.low is None else 100 * self.low

    @property
    def high_pct(self) -> float | None:
        return None if self.high is None else 100 * self.high


def _cell(n: int | None, active: int | None, rest: int | None) -> Cell:
    """A share is shown only when its n, the active and the not-active count are all shown (else one of them
    could be computed from the share)."""
    if n is None or active is None or rest is None or n == 0:
        return Cell(n=n, active=None if n is None else active)
    low, high = wilson(active, n)
    return Cell(n=n, active=active, share=active / n, low=low, high=high)


@dataclass
class Series:
    """One line of a table: a group (district, route or everyone) with a cell per month-end."""

    key: str
    label: str
    cells: list[Cell]


def _suppressed(labels: list[tuple[str, str]], n: np.ndarray, a: np.ndarray) -> tuple[list[Series], Series]:
    """Per month-end one table (groups x {active, not active}) through suppress_table: primary and secondary
    suppression, so that no hidden figure follows from a total. Returns the groups and the total line."""
    months = n.shape[1]
    groups: list[list[Cell]] = [[] for _ in labels]
    total: list[Cell] = []
    for k in range(months):
        table = suppress_table([[int(a[g, k]), int(n[g, k] - a[g, k])] for g in range(len(labels))], columns=2)
        for g in range(len(labels)):
            groups[g].append(_cell(table.row_totals[g], table.cells[g][0], table.cells[g][1]))
        total.append(_cell(table.total, table.column_totals[0], table.column_totals[1]))
    return [Series(key, label, cells) for (key, label), cells in zip(labels, groups, strict=True)], Series(
        "", str(_("Hele gemeente")), total
    )


@dataclass
class KindDurations:
    key: str
    label: str
    durations: Durations | None  # None: suppressed (too few spells)
    spells: int | None
    ended: int | None


@dataclass
class Figures:
    today: dt.date
    month_ends: list[dt.date]
    district_id: int | None
    route: str | None
    scope: Series  # the selection (district and/or route), month by month
    districts: list[Series]
    district_total: Series
    routes: list[Series]
    route_total: Series
    since: dt.date
    kinds: list[KindDurations]
    all_kinds: KindDurations
    threshold: int = SMALL_GROUP
    district_names: dict[int, str] = field(default_factory=dict)


def _source_params(ends: list[dt.date]) -> dict:
    # the month-end index: PostgreSQL counts bounds (width_bucket), SQLite subtracts the first month's number
    index = {"bounds": [end + dt.timedelta(days=1) for end in ends]} if _postgres() else {"base": month_number(ends[0])}
    return {
        **index,
        "first": ends[0],
        "last": ends[-1],
        "step": ACTIVE_LADDER_STEP,
        "in_force": DecisionStatus.IN_FORCE.value,
        **{f"route_{r}": r for r in ROUTES[:-1]},
    }


def _source_jobs(ends: list[dt.date]) -> dict[str, Callable[[], np.ndarray]]:
    params = _source_params(ends)
    return {name: partial(_per_client, sql, cols, params) for name, (sql, cols) in source_sql(len(ends)).items()}


def _combine(got: dict[str, np.ndarray]) -> np.ndarray:
    """Join the per-client masks of the four sources on the client id (the benefit rows lead)."""
    base = got["b"][got["b"][:, 2] != 0]
    base = base[np.argsort(base[:, 0], kind="stable")]
    ids = base[:, 0]

    def mask_of(rows: np.ndarray, column: int) -> np.ndarray:
        out = np.zeros(len(ids), dtype="int64")
        if len(rows) and len(ids):
            at = np.minimum(np.searchsorted(ids, rows[:, 0]), len(ids) - 1)
            hit = ids[at] == rows[:, 0]
            out[at[hit]] = rows[hit, column]
        return out

    b = base[:, 2]
    a = b & (mask_of(got["l"], 1) | mask_of(got["p"], 1))
    routes = [b & mask_of(got["r"], 1 + i) for i in range(len(ROUTES) - 1)]
    return np.column_stack([base[:, 1], b, a, *routes, np.ones(len(ids), dtype="int64")]).astype("int64")


def caseload_masks(today: dt.date, months: int = MONTHS) -> tuple[list[dt.date], np.ndarray]:
    """The month-ends, and per client on benefit on one of them a row: district_id, on benefit (b), active (a),
    one mask per route but "none" (each within b), and 1 (the row's weight). Four reads (run_reads), joined here."""
    ends = month_ends(today, months)
    return ends, _combine(run_reads(_source_jobs(ends)))


def activation_figures(today: dt.date, *, district_id: int | None = None, route: str | None = None) -> Figures:
    """Everything the dashboard shows, for the whole municipality or a district and/or route: four reads of the
    caseload (caseload_masks), one of the spells and the district names."""
    if route is not None and route not in ROUTES:
        raise ValueError(f"unknown route {route!r}")
    ends = month_ends(today, MONTHS)
    since = ends[-1].replace(day=1)
    since = since.replace(year=since.year - DURATION_YEARS)
    got = run_reads({**_source_jobs(ends), "spells": partial(spell_rows, today, since, district_id, route)})
    rows = _combine(got)
    months = len(ends)
    district_col, b, a, n = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, -1]
    route_masks = {r: rows[:, 3 + i] for i, r in enumerate(ROUTES[:-1])}
    any_route = np.bitwise_or.reduce(np.stack(list(route_masks.values())), axis=0) if len(rows) else b
    route_masks["none"] = b & ~any_route

    names = dict(District.objects.order_by("name").values_list("pk", "name"))
    ids = list(names)
    index = {pk: i for i, pk in enumerate(ids)}
    lookup = np.full(max([*ids, int(district_col.max()) if len(rows) else 0]) + 1, -1, dtype="int64")
    lookup[ids] = np.arange(len(ids))
    group = lookup[district_col]
    known = group >= 0

    # per district (within the route chosen), per route (within the district chosen)
    in_route = route_masks[route] if route else b
    dn, da = counts_per_month(group[known], (b & in_route)[known], a[known], n[known], len(ids), months)
    districts, district_total = _suppressed([(str(pk), names[pk]) for pk in ids], dn, da)
    in_district = (district_col == district_id) if district_id else np.ones(len(rows), dtype=bool)
    rn = np.zeros((len(ROUTES), months), dtype="int64")
    ra = np.zeros((len(ROUTES), months), dtype="int64")
    for i, r in enumerate(ROUTES):
        one = np.zeros(int(in_district.sum()), dtype="int64")
        rn[i : i + 1], ra[i : i + 1] = counts_per_month(
            one, (b & route_masks[r])[in_district], a[in_district], n[in_district], 1, months
        )
    routes, route_total = _suppressed([(r, str(ROUTE_LABELS[r])) for r in ROUTES], rn, ra)
    # the selection: the matching line of the tables above, so that every figure is suppressed the same way (a
    # district within the route chosen, the route chosen, or everyone)
    if district_id in index:
        scope = districts[index[district_id]]
    elif route:
        scope = routes[ROUTES.index(route)]
    else:
        scope = district_total

    kinds, all_kinds = _spell_summary(got["spells"])
    return Figures(
        today=today,
        month_ends=ends,
        district_id=district_id,
        route=route,
        scope=scope,
        districts=districts,
        district_total=district_total,
        routes=routes,
        route_total=route_total,
        since=since,
        kinds=kinds,
        all_kinds=all_kinds,
        district_names=names,
    )


def spell_rows(today: dt.date, since: dt.date, district_id: int | None, route: str | None) -> list[tuple]:
    """The participation spells that began from `since`, grouped: (kind, days, ended, count)."""
    params = {"since": since, "today": today, "district": district_id, "route": route}
    params["in_force"] = DecisionStatus.IN_FORCE.value
    return _rows(durations_sql(district=district_id is not None, route=route), params)


def spell_figures(
    today: dt.date, since: dt.date, *, district_id: int | None = None, route: str | None = None
) -> tuple[list[KindDurations], KindDurations]:
    """Kaplan-Meier per participation kind and for all spells together (spells that began from `since`)."""
    return _spell_summary(spell_rows(today, since, district_id, route))


def _spell_summary(rows: list[tuple]) -> tuple[list[KindDurations], KindDurations]:
    """A kind is shown only when its spells, ended and still running all pass the small-group suppression, also
    secondary (the kinds add up to all spells)."""
    kinds = [k.value for k in ParticipationKind]
    kind = np.array([r[0] for r in rows], dtype=object)
    days = np.array([r[1] for r in rows], dtype="int64")
    ended = np.array([bool(r[2]) for r in rows], dtype=bool)
    count = np.array([r[3] for r in rows], dtype="int64")
    per_kind = [(int(count[(kind == k) & ended].sum()), int(count[(kind == k) & ~ended].sum())) for k in kinds]
    table = suppress_table([[e, r] for e, r in per_kind], columns=2)
    out = []
    for i, k in enumerate(kinds):
        shown = table.row_totals[i] is not None and None not in table.cells[i] and table.row_totals[i] > 0
        m = kind == k
        out.append(
            KindDurations(
                key=k,
                label=str(ParticipationKind(k).label),
                durations=spell_durations(days[m], ended[m], count[m]) if shown else None,
                spells=table.row_totals[i],
                ended=table.cells[i][0],
            )
        )
    total_shown = table.total is not None and None not in table.column_totals and bool(table.total)
    everything = KindDurations(
        key="",
        label=str(_("Alle soorten")),
        durations=spell_durations(days, ended, count) if total_shown else None,
        spells=table.total,
        ended=table.column_totals[0],
    )
    return out, everything
