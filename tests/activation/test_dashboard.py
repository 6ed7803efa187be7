"""The activation dashboard: the share active per month-end on a hand-built municipality equals a hand count (and a
plain reference computation for every month), small groups are suppressed with their margins, Kaplan-Meier figures
against a hand computation, a constant number of queries, who may see it, and its benchmark."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trede.activation import dashboard
from trede.activation.models import Participation
from trede.activation.services import participation_end, participation_record
from trede.clients.models import BenefitPeriod, District, LadderMeasurement
from trede.clients.services import benefit_period_end, benefit_period_start, ladder_measure
from trede.intake.models import RouteDecision
from trede.stats.activation import MONTH_DAYS, counts_per_month, month_ends

pytestmark = pytest.mark.django_db

ROUTE_COLUMN = {r: 3 + i for i, r in enumerate(dashboard.ROUTES[:-1])}


@pytest.fixture
def report_day(today):
    """The day the figures are computed for: 40 days back, so that 'after the last month-end' is in the past."""
    return today - dt.timedelta(days=40)


def raw_counts(day: dt.date) -> tuple[list[dt.date], np.ndarray, np.ndarray]:
    """Unsuppressed caseload and active per month-end for everyone, from the dashboard's own reads."""
    ends, rows = dashboard.caseload_masks(day)
    n, a = counts_per_month(np.zeros(len(rows), dtype=int), rows[:, 1], rows[:, 2], rows[:, -1], 1, len(ends))
    return ends, n[0], a[0]


def reference(day: dt.date) -> tuple[list[int], list[int]]:
    """The same figures the plain way: per month-end and client, read the rows and apply the definition."""
    ends = month_ends(day, dashboard.MONTHS)
    periods = list(BenefitPeriod.objects.all())
    steps = sorted(LadderMeasurement.objects.all(), key=lambda m: (m.measured_on, m.pk))
    parts = list(Participation.objects.all())
    n, a = [], []
    for end in ends:
        caseload = {p.client_id for p in periods if p.start_on <= end and (p.end_on is None or p.end_on >= end)}
        latest = {}
        for m in steps:
            if m.measured_on <= end:
                latest[m.client_id] = m.step
        taking_part = {p.client_id for p in parts if p.start_on <= end and (p.end_on is None or p.end_on >= end)}
        active = {c for c in caseload if latest.get(c, 0) >= 3 or c in taking_part}
        n.append(len(caseload))
        a.append(len(active))
    return n, a


@pytest.fixture
def municipality(make_client, caseworker, report_day, district):
    """23 people on benefit on the last month-end, 13 of them active (see the comments), and some who are not on
    benefit then and must not count."""
    ends = month_ends(report_day, dashboard.MONTHS)
    e0, e1 = ends[-2], ends[-1]
    long_ago = e0 - dt.timedelta(days=60)
    between = e0 + dt.timedelta(days=5)  # after the month-end before the last one, before the last one
    after = e1 + dt.timedelta(days=3)  # after the last month-end (and before today)
    people = {}

    def person(key: str, *, start=long_ago - dt.timedelta(days=300), steps=(), part=None, end=None):
        client = make_client(caseworker, surname=f"Verborgen{key}")
        if start is not None:
            period = benefit_period_start(actor=None, client=client, start_on=start)
            if end is not None:
                benefit_period_end(actor=None, period=period, end_on=end, exit_reason="work")
        for step, on in steps:
            ladder_measure(actor=caseworker, client=client, step=step, measured_on=on)
        if part is not None:
            p = participation_record(
                actor=caseworker,
                client=client,
                kind="volunteer_work",
                description="Vrijwilligerswerk",
                hours_per_week=8,
                start_on=part[0],
            )
            if part[1] is not None:
                participation_end(actor=caseworker, participation=p, end_on=part[1], reason="klaar")
        people[key] = client
        return client

    for i, step in enumerate((3, 4, 5, 3, 6)):  # active by the ladder only
        person(f"ladder{i}", steps=[(step, long_ago)])
    for i in range(4):  # active by taking part only (ladder step 2)
        person(f"part{i}", steps=[(2, long_ago)], part=(long_ago, None))
    person("late_part", steps=[(1, long_ago)], part=(between, None))  # active on the last month-end only
    for i in range(2):  # both
        person(f"both{i}", steps=[(4, long_ago)], part=(long_ago, None))
    # not active
    person("two", steps=[(2, long_ago)])
    person("down", steps=[(4, long_ago - dt.timedelta(days=100)), (2, long_ago)])  # the latest step counts
    person("measured_after", steps=[(2, long_ago), (5, after)])  # step 5 only after the month-end
    person("stopped", steps=[(1, long_ago)], part=(long_ago - dt.timedelta(days=100), long_ago - dt.timedelta(10)))
    person("tie", steps=[(3, long_ago), (2, long_ago)])  # same day: the one recorded last counts
    for i in range(4):
        person(f"low{i}", steps=[(1 + i % 2, long_ago)])
    person("unmeasured")
    # on benefit only from between the two month-ends, and active (ladder)
    person("newcomer", start=between, steps=[(5, between + dt.timedelta(days=1))])
    # never counted on the last two month-ends
    person("left", steps=[(5, long_ago)], part=(long_ago, None), end=e0 - dt.timedelta(days=1))
    person("later", start=after, steps=[(5, after)])
    person("never", start=None, steps=[(6, long_ago)])
    return {"ends": ends, "people": people, "long_ago": long_ago, "between": between}


def test_share_active_equals_a_hand_count(municipality, report_day):
    ends, n, a = raw_counts(report_day)
    assert ends == municipality["ends"]
    assert (n[-1], a[-1]) == (23, 13)  # 5 ladder + 4 taking part + 1 late starter + 2 both + 1 newcomer
    assert (n[-2], a[-2]) == (22, 11)  # no newcomer yet, the late starter not yet active; "left" gone the day before
    assert (n.tolist(), a.tolist()) == reference(report_day)  # and every other month-end
    figures = dashboard.activation_figures(report_day)
    last = figures.scope.cells[-1]
    assert (last.n, last.active) == (23, 13) and last.share == pytest.approx(13 / 23)
    assert last.low < 13 / 23 < last.high
    (centrum,) = figures.districts
    assert (centrum.cells[-1].n, centrum.cells[-1].active) == (23, 13)


def test_route_in_force_on_each_month_end(municipality, report_day, caseworker):
    people, long_ago, between = municipality["people"], municipality["long_ago"], municipality["between"]

    def decide(key, route, on, status="in_force"):
        RouteDecision.objects.create(
            client=people[key], decided_on=on, decided_by=caseworker, route=route, status=status
        )

    for i in range(5):
        decide(f"ladder{i}", "work", long_ago)
    for i in range(4):
        decide(f"part{i}", "participation", long_ago)
    decide("late_part", "participation", long_ago)
    decide("late_part", "work", between)  # a new decision replaces the earlier one from its date
    decide("two", "youth", long_ago, status="awaiting")  # not in force: no route
    decide("down", "exemption_review", long_ago, status="declined")
    ends, rows = dashboard.caseload_masks(report_day)
    last, before = 1 << (len(ends) - 1), 1 << (len(ends) - 2)

    def count(route, bit, column=None):
        masks = rows[:, ROUTE_COLUMN[route]] if column is None else rows[:, column]
        return int(((masks & bit) != 0).sum())

    assert count("work", last) == 6 and count("work", before) == 5
    assert count("participation", last) == 4 and count("participation", before) == 5
    assert count("youth", last) == count("exemption_review", last) == 0
    figures = dashboard.activation_figures(report_day)
    by_route = {s.key: s.cells[-1] for s in figures.routes}
    assert by_route["none"].n == 23 - 10 and by_route["work"].n is None  # 6 (all active): too few
    assert figures.route_total.cells[-1].n == 23
    # the route chosen: its line, suppressed the same way; the districts within that route
    chosen = dashboard.activation_figures(report_day, route="none")
    assert chosen.scope.cells[-1].n == 13 and chosen.districts[0].cells[-1].n == 13


def test_small_groups_are_suppressed_with_their_margins(municipality, report_day, make_client, caseworker):
    noord = District.objects.create(code="NRD", name="Noord")
    start = municipality["long_ago"] - dt.timedelta(days=30)
    for step in (5, 1, 2):
        client = make_client(caseworker, district_obj=noord)
        benefit_period_start(actor=None, client=client, start_on=start)
        ladder_measure(actor=caseworker, client=client, step=step, measured_on=start)
    figures = dashboard.activation_figures(report_day)
    cells = {s.label: s.cells[-1] for s in figures.districts}
    assert cells["Noord"].n is None and not cells["Noord"].shown  # 3 people
    # shown beside the total, Centrum's figures would give Noord's away: they are hidden as well
    assert not cells["Centrum"].shown
    total = figures.district_total.cells[-1]
    assert (total.n, total.active) == (26, 14) and total.shown
    assert not dashboard.activation_figures(report_day, district_id=noord.pk).scope.cells[-1].shown


def test_durations_against_a_hand_computation(make_client, caseworker, report_day):
    """21 spells of volunteer work that began 400 days ago: 11 stopped after 30, 60, ..., 330 days, 10 still run
    (censored at 400 days). S after k stops = (21 - k) / 21: 15/21 after 6 months (6 stops by 182.6 days), first
    below one half at the 11th stop (330 days: the median), and 10/21 still at it after 12 months."""
    start = report_day - dt.timedelta(days=400)
    client = make_client(caseworker)
    Participation.objects.bulk_create(
        Participation(
            client=client,
            kind="volunteer_work",
            description="x",
            hours_per_week=4,
            start_on=start,
            end_on=start + dt.timedelta(days=30 * (i + 1)) if i < 11 else None,
            source="client",
            recorded_by=caseworker,
        )
        for i in range(21)
    )
    figures = dashboard.activation_figures(report_day)
    (volunteer,) = [k for k in figures.kinds if k.key == "volunteer_work"]
    d = volunteer.durations
    assert (volunteer.spells, volunteer.ended) == (21, 11) and (d.spells, d.ended) == (21, 11)
    assert d.median == pytest.approx(330 / MONTH_DAYS)
    assert d.still_6 == pytest.approx(15 / 21) and d.still_12 == pytest.approx(10 / 21)
    assert d.still_6_low < 15 / 21 < d.still_6_high
    assert figures.all_kinds.durations == d  # the only kind
    others = [k for k in figures.kinds if k.key != "volunteer_work"]
    assert all(k.spells == 0 and k.durations is None for k in others)


def test_a_kind_with_few_spells_is_hidden(make_client, caseworker, report_day):
    client = make_client(caseworker)
    start = report_day - dt.timedelta(days=200)

    def spells(kind, ended, running):
        Participation.objects.bulk_create(
            Participation(
                client=client,
                kind=kind,
                description="x",
                hours_per_week=4,
                start_on=start,
                end_on=start + dt.timedelta(days=20 + i) if i < ended else None,
                source="client",
                recorded_by=caseworker,
            )
            for i in range(ended + running)
        )

    spells("volunteer_work", 12, 11)
    spells("course", 15, 10)
    spells("informal_care", 1, 2)
    kinds, everything = dashboard.spell_figures(report_day, report_day - dt.timedelta(days=700))
    shown = {k.key: k for k in kinds}
    assert shown["informal_care"].durations is None and shown["informal_care"].spells is None
    # with informal care hidden, more must go, or it could be computed from the total
    assert sum(k.durations is None for k in kinds if k.key in ("volunteer_work", "course")) >= 1
    assert everything.spells == 51 and everything.durations.spells == 51


def test_the_page_for_team_lead_and_analyst_shows_no_names(client, municipality, team_lead, analyst):
    for user in (team_lead, analyst):
        client.force_login(user)
        response = client.get(reverse("activation-dashboard"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Verborgen" not in page and "<svg" in page and 'scope="col"' in page and "<caption" in page
        assert "Hele gemeente" in page
        assert 'role="img"' in page and "<desc" in page  # the chart's text alternative
    chosen = client.get(reverse("activation-dashboard"), {"wijk": municipality["people"]["two"].district_id})
    assert chosen.status_code == 200 and "Wijk Centrum" in chosen.content.decode()
    odd = client.get(reverse("activation-dashboard"), {"route": "nonsense", "wijk": "x"})
    assert odd.status_code == 200  # an unknown choice shows everything


@pytest.mark.parametrize("role", ["caseworker", "administrator", "auditor"])
def test_others_may_not_see_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("activation-dashboard")).status_code == 403


def test_anonymous_is_sent_to_login(client, settings):
    from django.shortcuts import resolve_url

    response = client.get(reverse("activation-dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_data(client, analyst, make_client, caseworker, report_day, today):
    client.force_login(analyst)
    url = reverse("activation-dashboard")
    start = today - dt.timedelta(days=500)
    first = make_client(caseworker)
    benefit_period_start(actor=None, client=first, start_on=start)
    few = _queries(client, url)
    for _ in range(3):
        District.objects.create(code=f"D{_}", name=f"Wijk {_}")
    for i in range(25):
        c = make_client(caseworker)
        benefit_period_start(actor=None, client=c, start_on=start + dt.timedelta(days=i))
        ladder_measure(actor=caseworker, client=c, step=1 + i % 5, measured_on=start + dt.timedelta(days=10 * i))
        participation_record(
            actor=caseworker, client=c, kind="course", description="x", hours_per_week=2, start_on=start
        )
        RouteDecision.objects.create(client=c, decided_on=start, decided_by=caseworker, route="work", status="in_force")
    many = _queries(client, url)
    assert few == many
    assert _queries(client, f"{url}?route=work") == _queries(client, f"{url}?route=none")


@pytest.fixture
def bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "activation.py"
    spec = importlib.util.spec_from_file_location("trede_bench_activation_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_the_benchmark_measures_the_page(bench, today):
    from trede.synth.generator import Spec
    from trede.synth.loader import synth_load

    synth_load(Spec(clients=400, seed=2, today=today, caseload_norm=350), progress=False)
    result = bench.run(today, requests=1)
    assert result.note == "" and result.p95_s is not None and result.queries > 0
    assert result.route_decisions > 0 and result.filtered_p95_s is not None
    assert result.mask_clients > 200 and result.spells > 0
    assert RouteDecision.objects.filter(route="youth").exists()
    lines = bench.report(result)
    assert any("dashboard page" in line for line in lines)
    figures = dashboard.activation_figures(today)
    assert any(s.cells[-1].n for s in figures.routes if s.key != "none")


@pytest.mark.django_db(transaction=True)
def test_reads_on_their_own_connections_give_the_same(make_client, caseworker, shipped_rules, report_day):
    """PostgreSQL outside a transaction: the five reads run at the same time on their own connections."""
    if connection.vendor != "postgresql":
        pytest.skip("the reads run one after another on SQLite")
    start = report_day - dt.timedelta(days=300)
    for i in range(12):
        c = make_client(caseworker)
        benefit_period_start(actor=None, client=c, start_on=start)
        ladder_measure(actor=caseworker, client=c, step=1 + i % 5, measured_on=start)
    assert not connection.in_atomic_block
    together = dashboard.activation_figures(report_day)
    ends, rows = dashboard.caseload_masks(report_day)
    from django.db import transaction

    with transaction.atomic():  # one after another
        ends2, rows2 = dashboard.caseload_masks(report_day)
        alone = dashboard.activation_figures(report_day)
    assert ends == ends2 and (rows == rows2).all()
    assert [c.n for c in together.scope.cells] == [c.n for c in alone.scope.cells]
    assert together.all_kinds.spells == alone.all_kinds.spells
