"""Reads for the management dashboard (issue 8): month by month for the last two years, filterable by district, team,
route, age band and household type. Aggregates only: no name or BSN ever leaves these functions; every figure
carries the number of people it rests on and passes the shared small-group suppression (trede.core.privacy).

Definitions (docs/outcomes.md explains them for users)
- Caseload on a month-end: clients with a benefit period that covers that day. Active: as the activation dashboard
  (ladder step 3+ or a participation running). Route: the decision in force on that month-end.
- Inflow in a month: benefit periods that started in it; outflow: periods that ended in it, by exit reason.
- Durable exit: of the people whose benefit ended in a month, the share with no new benefit period starting within
  183 (365) days — "still off benefit after 6 (12) months". Return to benefit within 6/12/24 months: a new period
  started within 183/365/730 days. Only exits long enough ago count (an exit of last month says nothing yet about
  a year later); a month whose exits are too recent shows nothing.
- Exemption: an exemption from the work obligation in force on the month-end. Reviews overdue: today only (trede
  keeps the review date in force, not its history).
- Contact: the share of the caseload at a month-end with a contact moment in that month; contacts per client per
  year: the contact moments of the last 12 months of the people on benefit now, per person.
- Sanction rate: people with a first sanction decision that reduces the benefit sent in the month, per 1,000 on
  benefit at its end.
- Ladder transitions: people on benefit now with a measurement both 6 (12) months ago and now: the step then (row)
  against the step now (column).
- Filters: district, age band and household type are those of today (trede keeps no history of moves); team is the
  team of the current assignment. Route filters the caseload figures per month-end; the flows, exits, contacts and
  sanctions follow the route of the last month-end the person was on benefit in the window.

How: the database reduces every source to small integers per client (trede.core.monthmasks: bit k set when the
client was in a state on month-end k or had an event in month k), on PostgreSQL read at the same time on separate
connections; NumPy joins them (one binary search per read), filters each column once and counts the bits of all
months in one pass. No Python loop over people, no stored
aggregate: the figures are those of the moment. bench/outcomes.py measures it at 400,000 clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from trede.activation.dashboard import ROUTE_LABELS, ROUTES, source_sql
from trede.activation.dashboard import _source_params as activation_params
from trede.caseload.models import Assignment, ContactMoment
from trede.clients.models import (
    BenefitPeriod,
    Client,
    District,
    ExitReason,
    Household,
    HouseholdKind,
    LadderMeasurement,
)
from trede.core import monthmasks as mm
from trede.core.privacy import SMALL_GROUP, suppress, suppress_table
from trede.core.selectors import rules_on
from trede.obligations.models import Exemption
from trede.sanctions.models import Decision
from trede.stats.activation import month_ends, wilson

MONTHS = 24
REASONS = [r.value for r in ExitReason]
HOUSEHOLDS = [h.value for h in HouseholdKind]
AGE_BANDS = ["<27", "27-49", "50+"]  # as trede.stats.fairness.age_band
RETURN_DAYS = {6: 183, 12: 365, 24: 730}
ATTRIBUTES = ("district", "age", "household", "team", "caseworker", "overdue")
FLOW_COLUMNS = ("inflow", *(f"out_{r}" for r in REASONS)) + tuple(
    f"{p}{h}" for h in RETURN_DAYS for p in ("e", "r", "we", "wr")
)
STEPS = range(1, 7)


# --------------------------------------------------------------------------------------------------
# The reads: one row of integers per client


def _month_bit(day: str, months: int) -> str:
    """The bit of the month that contains `day` (0 when the day lies outside the window)."""
    i = mm.index(day, months)
    return f"(CASE WHEN {day} >= %(begin)s AND {day} <= %(last)s THEN (CAST(1 AS BIGINT) << {i}) ELSE 0 END)"


def flows_sql(months: int) -> tuple[str, tuple[str, ...]]:
    """Per client: inflow mask, outflow mask per reason, and per return horizon the masks of exits long enough ago
    (all exits, and exits to work) and of those followed by a new period within the horizon."""
    bp, c = BenefitPeriod, mm.col
    start, end = f"b.{c(bp, 'start_on')}", f"b.{c(bp, 'end_on')}"
    gap = mm.days_between("x.end_on", "x.next_start")
    bit = _month_bit("x.end_on", months)

    def when(condition: str) -> str:
        return mm.bit_or(f"CASE WHEN {condition} THEN {bit} ELSE 0 END", months)

    cols = [f"{mm.bit_or(_month_bit('x.start_on', months), months)} AS inflow"]
    cols += [f"{when(f'x.reason = %(reason_{r})s')} AS out_{r}" for r in REASONS]
    work = "x.reason = %(reason_work)s"
    for h, days in RETURN_DAYS.items():
        old_enough = f"x.end_on <= %(exit_before_{h})s"
        back = f"(x.next_start IS NOT NULL AND {gap} <= {days})"
        cols += [
            f"{when(old_enough)} AS e{h}",
            f"{when(f'{old_enough} AND {back}')} AS r{h}",
            f"{when(f'{old_enough} AND {work}')} AS we{h}",
            f"{when(f'{old_enough} AND {back} AND {work}')} AS wr{h}",
        ]
    names = ("client_id", *FLOW_COLUMNS)
    sql = f"""
        SELECT x.client_id, {", ".join(cols)}
        FROM (
            SELECT b.{c(bp, "client")} AS client_id, {start} AS start_on, {end} AS end_on,
                   b.{c(bp, "exit_reason")} AS reason,
                   LEAD({start}) OVER (PARTITION BY b.{c(bp, "client")} ORDER BY {start}, b.{c(bp, "id")}) AS next_start
            FROM {mm.table(bp)} b
        ) x
        WHERE (x.start_on >= %(begin)s AND x.start_on <= %(last)s) OR (x.end_on >= %(begin)s AND x.end_on <= %(last)s)
        GROUP BY x.client_id"""
    return sql, names


def attributes_sql() -> tuple[str, tuple[str, ...]]:
    """Per client: age band (0..2) and household type (1..; 0 unknown) today, the team
    of the current assignment (0: none), and whether a work-obligation exemption in force has its review overdue."""
    cl, hh, asg, ex, c = Client, Household, Assignment, Exemption, mm.col
    kinds = " ".join(f"WHEN %(household_{k})s THEN {i + 1}" for i, k in enumerate(HOUSEHOLDS))
    sql = f"""
        SELECT k.{c(cl, "id")} AS client_id, COALESCE(k.{c(cl, "district")}, 0) AS district,
               CASE WHEN k.{c(cl, "birth_date")} > %(born_27)s THEN 0
                    WHEN k.{c(cl, "birth_date")} > %(born_50)s THEN 1 ELSE 2 END AS age,
               COALESCE(MAX(CASE h.{c(hh, "kind")} {kinds} ELSE 0 END), 0) AS household,
               COALESCE(MAX(a.{c(asg, "team")}), 0) AS team,
               COALESCE(MAX(a.{c(asg, "caseworker")}), 0) AS caseworker,
               MAX(CASE WHEN e.{c(ex, "id")} IS NOT NULL THEN 1 ELSE 0 END) AS overdue
        FROM {mm.table(cl)} k
        LEFT JOIN {mm.table(hh)} h ON h.{c(hh, "client")} = k.{c(cl, "id")}
        LEFT JOIN {mm.table(asg)} a ON a.{c(asg, "client")} = k.{c(cl, "id")}
             AND a.{c(asg, "start_on")} <= %(today)s
             AND (a.{c(asg, "end_on")} IS NULL OR a.{c(asg, "end_on")} >= %(today)s)
        LEFT JOIN {mm.table(ex)} e ON e.{c(ex, "client")} = k.{c(cl, "id")}
             AND e.{c(ex, "obligation")} = %(work_obligation)s
             AND e.{c(ex, "start_on")} <= %(today)s
             AND (e.{c(ex, "ended_on")} IS NULL OR e.{c(ex, "ended_on")} >= %(today)s)
             AND (e.{c(ex, "end_on")} IS NULL OR e.{c(ex, "end_on")} >= %(today)s)
             AND e.{c(ex, "review_on")} < %(today)s
        GROUP BY k.{c(cl, "id")}, k.{c(cl, "birth_date")}, k.{c(cl, "district")}"""
    return sql, ("client_id", *ATTRIBUTES)


def exempt_sql(months: int) -> tuple[str, tuple[str, ...]]:
    """Per client: the month-ends on which an exemption from the work obligation was in force."""
    ex, c = Exemption, mm.col
    ended, end = f"e.{c(ex, 'ended_on')}", f"e.{c(ex, 'end_on')}"
    last_day = f"CASE WHEN {ended} IS NOT NULL AND ({end} IS NULL OR {ended} < {end}) THEN {ended} ELSE {end} END"
    sql = f"""
        SELECT e.{c(ex, "client")} AS client_id,
               {mm.bit_or(mm.mask(f"e.{c(ex, 'start_on')}", mm.next_day(last_day), months), months)} AS m
        FROM {mm.table(ex)} e
        WHERE e.{c(ex, "obligation")} = %(work_obligation)s AND e.{c(ex, "start_on")} <= %(last)s
          AND ({last_day} IS NULL OR {last_day} >= %(first)s)
        GROUP BY e.{c(ex, "client")}"""
    return sql, ("client_id", "m")


def contacts_sql(months: int) -> tuple[str, tuple[str, ...]]:
    """Per client: the months with at least one contact moment, and the contact moments in the last 12 months."""
    cm, c = ContactMoment, mm.col
    day = f"m.{c(cm, 'contact_on')}"
    sql = f"""
        SELECT m.{c(cm, "client")} AS client_id, {mm.bit_or(_month_bit(day, months), months)} AS m,
               SUM(CASE WHEN {day} > %(year_ago)s AND {day} <= %(today)s THEN 1 ELSE 0 END) AS n12
        FROM {mm.table(cm)} m
        WHERE {day} >= LEAST(%(begin)s, %(year_ago)s) AND {day} <= %(today)s
        GROUP BY m.{c(cm, "client")}"""
    if not mm.postgres():
        sql = sql.replace("LEAST(", "MIN(")
    return sql, ("client_id", "m", "n12")


def sanctions_sql(months: int) -> tuple[str, tuple[str, ...]]:
    """Per client: the months in which a first sanction decision (not one replacing another) was sent."""
    d, c = Decision, mm.col
    from trede.sanctions.models import SanctionCase

    sc = SanctionCase
    bit = _month_bit(f"d.{c(d, 'sent_on')}", months)
    reduced = f"CASE WHEN d.{c(d, 'pct')} > 0 THEN {bit} ELSE 0 END"
    sql = f"""
        SELECT s.{c(sc, "client")} AS client_id, {mm.bit_or(reduced, months)} AS m
        FROM {mm.table(d)} d JOIN {mm.table(sc)} s ON s.{c(sc, "id")} = d.{c(d, "case")}
        WHERE d.{c(d, "supersedes")} IS NULL AND d.{c(d, "sent_on")} >= %(begin)s AND d.{c(d, "sent_on")} <= %(last)s
        GROUP BY s.{c(sc, "client")}"""
    return sql, ("client_id", "m")


def ladder_sql(months: int) -> tuple[str, tuple[str, ...]]:
    """Per client: the month-ends with a ladder step of 3 or higher (as the activation dashboard's "l" read), and the
    latest step on or before 12 months ago, 6 months ago and today (0: none). One pass over the measurements."""
    lm, c = LadderMeasurement, mm.col
    at = {
        name: f"MAX(CASE WHEN x.on_day <= %({name})s AND (x.next_day IS NULL OR x.next_day > %({name})s) "
        f"THEN x.step ELSE 0 END) AS {name}"
        for name in ("at_12", "at_6", "at_0")
    }
    interval = mm.mask("x.on_day", "x.next_day", months)
    active = f"CASE WHEN x.step >= %(step)s AND x.on_day <= %(last)s THEN {interval} ELSE 0 END"
    sql = f"""
        SELECT x.client_id, {mm.bit_or(active, months)} AS l, {", ".join(at.values())}
        FROM (
            SELECT l.{c(lm, "client")} AS client_id, l.{c(lm, "step")} AS step, l.{c(lm, "measured_on")} AS on_day,
                   LEAD(l.{c(lm, "measured_on")}) OVER (
                       PARTITION BY l.{c(lm, "client")} ORDER BY l.{c(lm, "measured_on")}, l.{c(lm, "id")}
                   ) AS next_day
            FROM {mm.table(lm)} l
            WHERE l.{c(lm, "measured_on")} <= %(at_0)s
        ) x
        WHERE x.next_day IS NULL OR x.next_day > LEAST(%(at_12)s, %(first)s)
        GROUP BY x.client_id"""
    if not mm.postgres():
        sql = sql.replace("LEAST(", "MIN(")
    return sql, ("client_id", "l", "at_12", "at_6", "at_0")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_before(day: dt.date, months: int) -> dt.date:
    from trede.core.rules import add_months

    return add_months(day, -months)


def params(today: dt.date, ends: list[dt.date]) -> dict:
    p = activation_params(ends)
    p.update(
        {
            "begin": ends[0].replace(day=1),
            "today": today,
            "year_ago": today - dt.timedelta(days=365),
            "born_27": _years_before(today, 27),
            "born_50": _years_before(today, 50),
            "work_obligation": "work_obligation",
            "at_0": today,
            "at_6": _months_before(today, 6),
            "at_12": _months_before(today, 12),
            **{f"reason_{r}": r for r in REASONS},
            **{f"household_{k}": k for k in HOUSEHOLDS},
            **{f"exit_before_{h}": today - dt.timedelta(days=days) for h, days in RETURN_DAYS.items()},
        }
    )
    return p


def reads(today: dt.date, months: int = MONTHS) -> tuple[list[dt.date], dict[str, np.ndarray]]:
    """Every per-client read, run at the same time on PostgreSQL: {name: int64 array with client_id first}."""
    ends = month_ends(today, months)
    p = params(today, ends)
    sources = {name: sql for name, sql in source_sql(months).items() if name != "l"}  # "l" comes with "ladder"
    sources.update(
        {
            "flows": flows_sql(months),
            "attributes": attributes_sql(),
            "exempt": exempt_sql(months),
            "contacts": contacts_sql(months),
            "sanctions": sanctions_sql(months),
            "ladder": ladder_sql(months),
        }
    )
    jobs = {name: partial(mm.per_client, sql, cols, p) for name, (sql, cols) in sources.items()}
    return ends, mm.run_reads(jobs)


# --------------------------------------------------------------------------------------------------
# Joining and filtering


@dataclass
class Frame:
    """One row per client who was on benefit in the window or had a flow in it, columns as arrays."""

    ends: list[dt.date]
    ids: np.ndarray
    cols: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]


def join(ends: list[dt.date], got: dict[str, np.ndarray]) -> Frame:
    """Join the reads on the client id: the people on benefit on a month-end or with a flow in the window, in id
    order. Client ids are small integers, so a position table replaces sorting and searching."""
    top = max([int(rows[:, 0].max()) for rows in got.values() if len(rows)] or [0]) + 1
    in_window = np.zeros(top, dtype=bool)
    in_window[got["b"][:, 0]] = True
    in_window[got["flows"][:, 0]] = True
    ids = np.flatnonzero(in_window)
    position = np.full(top, -1, dtype="int64")
    position[ids] = np.arange(len(ids))

    def columns(rows: np.ndarray) -> np.ndarray:
        """The read's columns (without the id) aligned to `ids`, one row per column (1-D scatters are the fast
        ones); zeros for clients the read does not have."""
        out = np.zeros((rows.shape[1] - 1, len(ids)), dtype="int64")
        if len(rows):
            at = position[rows[:, 0]]
            hit = at >= 0
            if not hit.all():
                rows, at = rows[hit], at[hit]
            for j in range(out.shape[0]):
                out[j, at] = rows[:, 1 + j]
        return out

    b = columns(got["b"])[1]
    cols: dict[str, np.ndarray] = {"b": b}
    ladder = columns(got["ladder"])
    cols["a"] = b & (ladder[0] | columns(got["p"])[0])
    for j, name in enumerate(("at_12", "at_6", "at_0")):
        cols[name] = ladder[1 + j]
    routes = columns(got["r"])
    any_route = np.zeros(len(ids), dtype="int64")
    for i, r in enumerate(ROUTES[:-1]):
        cols[f"route_{r}"] = b & routes[i]
        any_route |= cols[f"route_{r}"]
    cols["route_none"] = b & ~any_route
    flows = columns(got["flows"])
    for j, name in enumerate(FLOW_COLUMNS):
        cols[name] = flows[j]
    attributes = columns(got["attributes"])
    for j, name in enumerate(ATTRIBUTES):
        cols[name] = attributes[j]
    cols["exempt"] = b & columns(got["exempt"])[0]
    contacts = columns(got["contacts"])
    cols["contacted"], cols["contacts_12"] = contacts[0], contacts[1]
    cols["sanctioned"] = columns(got["sanctions"])[0]
    # the route of the last month-end on benefit in the window (for flows, exits, contacts, sanctions)
    months = len(ends)
    last_bit = np.full(len(ids), -1, dtype="int64")
    for k in range(months):
        last_bit = np.where((b >> k) & 1 == 1, k, last_bit)
    route_code = np.full(len(ids), len(ROUTES) - 1, dtype="int64")  # "none"
    for i, r in enumerate(ROUTES[:-1]):
        has = (last_bit >= 0) & (((cols[f"route_{r}"] >> np.maximum(last_bit, 0)) & 1) == 1)
        route_code = np.where(has, i, route_code)
    cols["route_code"] = route_code
    return Frame(ends, ids, cols)


@dataclass(frozen=True)
class Selection:
    district_id: int | None = None
    team_id: int | None = None
    route: str | None = None
    age_band: str | None = None
    household: str | None = None

    def __post_init__(self):
        if self.route is not None and self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}")
        if self.age_band is not None and self.age_band not in AGE_BANDS:
            raise ValueError(f"unknown age band {self.age_band!r}")
        if self.household is not None and self.household not in HOUSEHOLDS:
            raise ValueError(f"unknown household type {self.household!r}")


def rows_of(frame: Frame, sel: Selection) -> np.ndarray:
    """The rows (people) in the selection, by today's district, team, age band and household type."""
    keep = np.ones(len(frame.ids), dtype=bool)
    if sel.district_id is not None:
        keep &= frame["district"] == sel.district_id
    if sel.team_id is not None:
        keep &= frame["team"] == sel.team_id
    if sel.age_band is not None:
        keep &= frame["age"] == AGE_BANDS.index(sel.age_band)
    if sel.household is not None:
        keep &= frame["household"] == HOUSEHOLDS.index(sel.household) + 1
    return keep


def population(frame: Frame, sel: Selection) -> np.ndarray:
    """Per row the month-ends on which the person counts in the caseload of the selection (route per month-end)."""
    return frame[f"route_{sel.route}"] if sel.route else frame["b"]


def event_rows(frame: Frame, sel: Selection, keep: np.ndarray) -> np.ndarray:
    if sel.route is None:
        return keep
    return keep & (frame["route_code"] == ROUTES.index(sel.route))


def month_counts(masks: np.ndarray, months: int) -> np.ndarray:
    """For each month k (0..months-1): how many rows have bit k set. One pass over the low bytes of the masks."""
    width = (months + 7) // 8
    raw = np.ascontiguousarray(np.asarray(masks, dtype="int64").astype("<u8")).view(np.uint8).reshape(-1, 8)
    bits = np.unpackbits(raw[:, :width], axis=1, bitorder="little")[:, :months]
    return bits.sum(axis=0, dtype="int64")


# --------------------------------------------------------------------------------------------------
# The figures


@dataclass
class Share:
    """k of n as shown: None where the group is too small (n or k under the threshold, zero shown)."""

    k: int | None
    n: int | None
    value: float | None = None  # 0..100
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, k: int, n: int, *, scale: float = 100.0) -> Share:
        if suppress(n) is None or n == 0 or (0 < k < SMALL_GROUP) or (0 < n - k < SMALL_GROUP):
            return cls(None if suppress(k) is None else k, suppress(n))
        lo, hi = wilson(k, n)
        return cls(k, n, 100.0 * k / n, 100.0 * lo, 100.0 * hi)


@dataclass
class Rate:
    """A count per person (contacts per client per year, sanctions per 1,000): None when n is too small."""

    total: int | None
    n: int | None
    value: float | None = None


@dataclass
class Month:
    end: dt.date
    caseload: int | None
    inflow: int | None
    outflow: int | None
    out_by_reason: list[int | None]
    out_work_pct: Share  # outflow to work as a share of the caseload at the previous month-end
    active: Share
    exempt: Share
    contacted: Share  # of the caseload at the month-end: with a contact moment in the month
    sanctions: Rate  # per 1,000 on benefit
    still_off: dict[int, Share]  # 6, 12: of the exits in this month (long enough ago), still off benefit
    still_off_work: dict[int, Share]  # the same for exits to work
    returned: dict[int, Share]  # 6, 12, 24: back on benefit within the horizon


@dataclass
class Matrix:
    months: int
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    up: Share | None = None  # moved at least one step up
    down: Share | None = None


@dataclass
class Caseworkers:
    norm: int
    caseworkers: int
    median: float | None
    p90: float | None
    above_norm: int
    clients: int


@dataclass
class Figures:
    today: dt.date
    selection: Selection
    months: list[Month]
    reasons: list[tuple[str, str]]
    ladder: dict[int, Matrix]
    overdue: int | None
    on_benefit_now: int | None
    contacts_per_year: Rate  # contact moments in the last 12 months per client on benefit now
    caseworkers: Caseworkers | None
    threshold: int = SMALL_GROUP
    district_names: dict[int, str] = field(default_factory=dict)


def _months(frame: Frame, keep: np.ndarray, events: np.ndarray, pop: np.ndarray) -> list[Month]:
    """Every month's figures: each column filtered once and its bits counted for all months at once."""
    months = len(frame.ends)
    b = pop[keep]
    n = month_counts(b, months)
    count = {name: month_counts(frame[name][events], months) for name in (*FLOW_COLUMNS, "sanctioned")}
    active = month_counts(frame["a"][keep] & b, months)
    exempt = month_counts(frame["exempt"][keep] & b, months)
    contacted = month_counts(frame["contacted"][keep] & b, months)
    out = []
    for k in range(months):
        reasons = [int(count[f"out_{r}"][k]) for r in REASONS]
        # the reasons and their total as one linked table: no hidden figure follows from the total
        table = suppress_table([[x] for x in reasons], columns=1)
        work = reasons[REASONS.index("work")]
        work_shown = table.cells[REASONS.index("work")][0]
        prev_n = int(n[k - 1]) if k else 0
        nk = int(n[k])
        n_shown = suppress(nk)
        sanctioned = int(count["sanctioned"][k])

        def off(prefix: str, h: int, k=k) -> Share:
            """Of the exits long enough ago, those not back on benefit within the horizon."""
            e, r = int(count[f"{prefix}e{h}"][k]), int(count[f"{prefix}r{h}"][k])
            return Share.of(e - r, e)

        out.append(
            Month(
                end=frame.ends[k],
                caseload=n_shown,
                inflow=suppress(int(count["inflow"][k])),
                outflow=table.total,
                out_by_reason=[row[0] for row in table.cells],
                # the share to work only where the count itself is shown (else the share would reveal it)
                out_work_pct=Share.of(work, prev_n) if prev_n and work_shown is not None else Share(work_shown, None),
                active=Share.of(int(active[k]), nk),
                exempt=Share.of(int(exempt[k]), nk),
                contacted=Share.of(int(contacted[k]), nk),
                sanctions=Rate(suppress(sanctioned), n_shown, 1000.0 * sanctioned / nk if n_shown else None),
                still_off={h: off("", h) for h in (6, 12)},
                still_off_work={h: off("w", h) for h in (6, 12)},
                returned={h: Share.of(int(count[f"r{h}"][k]), int(count[f"e{h}"][k])) for h in (6, 12, 24)},
            )
        )
    return out


def ladder_matrix(frame: Frame, keep: np.ndarray, pop: np.ndarray, months: int) -> Matrix:
    last = len(frame.ends) - 1
    now = keep & (((pop >> last) & 1) == 1)
    then = frame[f"at_{months}"][now]
    step_now = frame["at_0"][now]
    both = (then > 0) & (step_now > 0)
    counts = np.zeros((6, 6), dtype="int64")
    np.add.at(counts, (then[both] - 1, step_now[both] - 1), 1)
    table = suppress_table(counts.tolist(), columns=6)
    total = int(both.sum())
    up = int((step_now[both] > then[both]).sum())
    down = int((step_now[both] < then[both]).sum())
    return Matrix(
        months,
        table.cells,
        table.row_totals,
        table.column_totals,
        table.total,
        Share.of(up, total),
        Share.of(down, total),
    )


def caseworker_load(frame: Frame, now: np.ndarray, norm: int) -> Caseworkers | None:
    """Clients on benefit now per caseworker (current assignments) in the selection, against the caseload norm of
    the rule set. By count only: no caseworker is named here."""
    cw = frame["caseworker"][now]
    cw = cw[cw > 0]
    if len(cw) == 0:
        return None
    loads = np.bincount(cw)
    loads = loads[loads > 0]
    return Caseworkers(
        norm=norm,
        caseworkers=len(loads),
        median=float(np.median(loads)),
        p90=float(np.percentile(loads, 90)),
        above_norm=int((loads > norm).sum()) if norm else 0,
        clients=int(loads.sum()),
    )


def figures(today: dt.date, sel: Selection | None = None) -> Figures:
    sel = sel or Selection()
    ends, got = reads(today)
    frame = join(ends, got)
    return figures_of(frame, today, sel)


def figures_of(frame: Frame, today: dt.date, sel: Selection) -> Figures:
    keep = rows_of(frame, sel)
    events = event_rows(frame, sel, keep)
    pop = population(frame, sel)
    months = _months(frame, keep, events, pop)
    last = len(frame.ends) - 1
    now = keep & (((pop >> last) & 1) == 1)
    n_now = int(now.sum())
    contacts = int(frame["contacts_12"][now].sum())
    return Figures(
        today=today,
        selection=sel,
        months=months,
        reasons=[(r.value, str(r.label)) for r in ExitReason],
        ladder={h: ladder_matrix(frame, keep, pop, h) for h in (6, 12)},
        overdue=suppress(int((frame["overdue"][now] & ((frame["exempt"][now] >> last) & 1)).sum())),
        on_benefit_now=suppress(n_now),
        contacts_per_year=Rate(suppress(contacts), suppress(n_now), contacts / n_now if suppress(n_now) else None),
        caseworkers=caseworker_load(frame, now, int(rules_on(today).get("caseload_norm", 0))),
        district_names=dict(District.objects.order_by("name").values_list("pk", "name")),
    )


ROUTE_CHOICES = [(r, ROUTE_LABELS[r]) for r in ROUTES]
AGE_CHOICES = [(a, a) for a in AGE_BANDS]
