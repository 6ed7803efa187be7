"""Known answers on a small hand-built history for every figure of the management dashboard: caseload, flows by
reason, outflow to work, durable exit and returns (only exits long enough ago), active and exempt shares, contacts,
sanctions, the ladder transition matrix, caseload per caseworker, filters, and suppression of small groups."""

from __future__ import annotations

import datetime as dt

import pytest

from trede.caseload.services import contact_record
from trede.clients.services import benefit_period_end, benefit_period_start, ladder_measure
from trede.obligations.services import exemption_grant
from trede.outcomes import dashboard
from trede.outcomes.dashboard import Selection

pytestmark = pytest.mark.django_db


def _month_index(ends: list[dt.date], day: dt.date) -> int:
    return next(k for k, end in enumerate(ends) if day <= end)


@pytest.fixture
def history(make_client, caseworker, today):
    """12 staying (A), 12 leaving for work 400 days ago who stay off (B), 12 leaving for work then who come back
    100 days later (C), and 3 who leave for education (D: a group too small to show)."""
    three_years = today - dt.timedelta(days=3 * 365)
    exit_on = today - dt.timedelta(days=400)
    groups = {name: [make_client(caseworker) for _ in range(n)] for name, n in (("A", 12), ("B", 12), ("C", 12))}
    groups["D"] = [make_client(caseworker, birth_date=dt.date(2002, 1, 1)) for _ in range(3)]
    for name, clients in groups.items():
        for c in clients:
            period = benefit_period_start(actor=None, client=c, start_on=three_years)
            if name in ("B", "C"):
                benefit_period_end(actor=None, period=period, end_on=exit_on, exit_reason="work")
            if name == "C":
                benefit_period_start(actor=None, client=c, start_on=exit_on + dt.timedelta(days=100))
            if name == "D":
                benefit_period_end(actor=None, period=period, end_on=exit_on, exit_reason="education")
    for c in groups["A"]:
        ladder_measure(actor=None, client=c, step=2, measured_on=today - dt.timedelta(days=400))
        ladder_measure(actor=None, client=c, step=3, measured_on=today - dt.timedelta(days=40))
        contact_record(actor=None, client=c, contact_on=today - dt.timedelta(days=40), channel="phone", summary="x")
    for c in groups["A"][:10]:
        exemption_grant(
            actor=None,
            client=c,
            obligation="work_obligation",
            ground="urgent_reasons",
            start_on=today - dt.timedelta(days=100),
            review_on=today - dt.timedelta(days=1),  # overdue today
            reason="Mantelzorg",
        )
    return groups, exit_on


def test_every_figure_on_a_hand_built_history(history, today):
    groups, exit_on = history
    f = dashboard.figures(today)
    ends = [m.end for m in f.months]
    x = _month_index(ends, exit_on)
    before, at_exit = f.months[x - 1], f.months[x]
    assert before.caseload == 39 and at_exit.caseload == 12  # 36 + 3 before; only A after the exits
    # the 3 who left for education are too few to show; with the total (27) shown, the 24 to work would reveal
    # them, so that is hidden too — and with it the share to work
    assert at_exit.out_by_reason[dashboard.REASONS.index("education")] is None
    assert at_exit.out_by_reason[dashboard.REASONS.index("work")] is None
    assert at_exit.outflow == 27
    assert at_exit.out_work_pct.value is None
    # of the 27 exits 400 days ago, the 12 of C came back after 100 days: within 6 and 12 months, not yet 24 known
    assert (at_exit.returned[6].k, at_exit.returned[6].n) == (12, 27)
    assert (at_exit.returned[12].k, at_exit.returned[12].n) == (12, 27)
    assert at_exit.returned[24].n in (0, None) and at_exit.returned[24].value is None  # too recent to tell
    assert (at_exit.still_off[6].k, at_exit.still_off[6].n) == (15, 27)
    assert (at_exit.still_off_work[12].k, at_exit.still_off_work[12].n) == (12, 24)
    assert at_exit.still_off_work[12].value == 50.0
    back = _month_index(ends, exit_on + dt.timedelta(days=100))
    assert f.months[back].inflow == 12 and f.months[back].caseload == 24
    # the latest month-end: A and C on benefit; A active (step 3 since 40 days), 10 of A exempt
    now = f.months[-1]
    assert now.caseload == 24 and (now.active.k, now.active.n) == (12, 24) and now.active.value == 50.0
    assert (now.exempt.k, now.exempt.n) == (10, 24)
    assert f.overdue == 10 and f.on_benefit_now == 24
    # contacts: the 12 of A in the month of 40 days ago, of the 24 on benefit at its end; 12 in the last year
    c = _month_index(ends, today - dt.timedelta(days=40))
    assert (f.months[c].contacted.k, f.months[c].contacted.n) == (12, 24) and f.months[c].contacted.value == 50.0
    assert f.contacts_per_year.total == 12 and f.contacts_per_year.value == pytest.approx(12 / 24)
    assert now.sanctions.total == 0 and now.sanctions.value == 0.0
    # the ladder: A went from step 2 (6 and 12 months ago) to 3 now
    m6 = f.ladder[6]
    assert m6.cells[1][2] == 12 and m6.total == 12 and m6.up.k == 12 and m6.up.value == 100.0
    assert f.ladder[12].cells[1][2] == 12
    assert f.caseworkers.caseworkers == 1 and f.caseworkers.clients == 24 and f.caseworkers.norm == 350
    assert f.caseworkers.above_norm == 0


def test_filters_and_suppression(history, today, district):
    groups, exit_on = history
    young = dashboard.figures(today, Selection(age_band="<27"))
    ends = [m.end for m in young.months]
    x = _month_index(ends, exit_on)
    # only D (3 people) is under 27: every figure is hidden
    assert young.months[x - 1].caseload is None and young.months[x].outflow is None
    assert young.months[x].out_by_reason[dashboard.REASONS.index("education")] is None
    assert dashboard.figures(today, Selection(district_id=district.pk)).months[-1].caseload == 24
    assert dashboard.figures(today, Selection(district_id=district.pk + 999)).months[-1].caseload == 0
    assert dashboard.figures(today, Selection(route="work")).months[-1].caseload == 0  # no route decided
    assert dashboard.figures(today, Selection(route="none")).months[-1].caseload == 24
    assert dashboard.figures(today, Selection(household="couple")).months[-1].caseload == 0
    with pytest.raises(ValueError):
        Selection(route="nonsense")


def test_a_share_is_hidden_when_it_would_single_out_fewer_than_ten_people():
    assert dashboard.Share.of(5, 100).value is None  # 5 people
    assert dashboard.Share.of(95, 100).value is None  # the other 5 follow
    assert dashboard.Share.of(0, 100).value == 0.0  # zero reveals no one
    assert dashboard.Share.of(50, 9).n is None
    s = dashboard.Share.of(50, 100)
    assert s.value == 50.0 and s.low < 50 < s.high


def test_the_pages_show_figures_charts_and_csv_without_names(client, analyst, history, today):
    from django.urls import reverse

    groups, _exit_on = history
    client.force_login(analyst)
    page = client.get(reverse("outcomes-dashboard")).content.decode()
    assert "<svg" in page and "Uitkomsten per maand" in page and "Van trede 6 maanden geleden" in page
    for c in [x for clients in groups.values() for x in clients]:
        assert c.bsn not in page and c.surname not in page
    csv = client.get(reverse("outcomes-dashboard"), {"formaat": "csv"}).content.decode()
    assert csv.splitlines()[0].startswith("month,caseload,inflow") and len(csv.splitlines()) == 25
    ladder = client.get(reverse("outcomes-dashboard"), {"formaat": "csv", "tabel": "ladder6"}).content.decode()
    assert "step_2" in ladder and ",12," in ladder.splitlines()[2]
    filtered = client.get(reverse("outcomes-dashboard"), {"leeftijd": "<27"})
    assert filtered.status_code == 200
    q = (today.month - 1) // 3 + 1
    year, quarter = (today.year - 3, q) if q else (today.year - 3, 4)
    cohort = client.get(reverse("outcomes-cohorts"), {"kwartaal": f"{year}-{quarter}", "splitsen": "route"})
    assert cohort.status_code == 200
    body = cohort.content.decode()
    for c in [x for clients in groups.values() for x in clients]:
        assert c.bsn not in body and c.surname not in body
    data = client.get(reverse("outcomes-cohorts"), {"formaat": "csv"}).content.decode()
    assert data.splitlines()[0] == "curve,group,n,month,share_pct,low_pct,high_pct,at_risk"


def test_cohort_curves_known_answers(history, today):
    from trede.outcomes import cohorts

    groups, exit_on = history
    start = today - dt.timedelta(days=3 * 365)
    got = cohorts.cohort_figures(today, start.year, (start.month - 1) // 3 + 1, Selection(), "route")
    everyone = next(c for c in got["on_benefit"] if c.key == "")
    assert everyone.n == 39 and everyone.events == 27
    by_month = {r.month: r for r in everyone.rows}
    assert by_month[12].survival == 100.0 and by_month[12].at_risk == 39
    # 27 of 39 left about 22.8 months after the start; the curve stops where fewer than 10 remain at risk
    after = (exit_on - start).days / cohorts.MONTH_DAYS
    first_after = next(m for m in sorted(by_month) if m > after)
    assert by_month[first_after].survival == pytest.approx(100 * 12 / 39) and by_month[first_after].at_risk == 12
    # those who left 400 days ago: 12 came back after 100 days (3.3 months), 15 not (yet)
    q = (exit_on.month - 1) // 3 + 1
    off = next(
        c for c in cohorts.cohort_figures(today, exit_on.year, q, Selection(), "route")["off_benefit"] if c.key == ""
    )
    assert off.n == 27 and off.events == 12
    assert {r.month: r.survival for r in off.rows}[4] == pytest.approx(100 * 15 / 27)
    # a group of fewer than 10 is not shown at all
    small = cohorts.curves([("a", 30, 1)] * 9, {"a": "A"})
    assert small[0].n is None and small[0].rows == []


def test_the_page_costs_the_same_number_of_queries_whatever_the_data(
    client, analyst, history, make_client, caseworker, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(analyst)
    url = reverse("outcomes-dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(15):
        c = make_client(caseworker)
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=200))
        contact_record(actor=None, client=c, contact_on=today - dt.timedelta(days=5), channel="phone", summary="x")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    # 10 reads, each in a savepoint (and on PostgreSQL with SET LOCAL jit = off)
    assert len(after.captured_queries) == len(before.captured_queries) <= 50


def test_the_benchmark_measures_the_pages(history, today):
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "outcomes.py"
    spec = importlib.util.spec_from_file_location("trede_bench_outcomes_test", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    result = bench.run(today, requests=1)
    assert result.p95_s is not None and result.queries > 0 and result.rows == 39
    assert result.cohort_p95_s is not None and result.on_benefit == 24
    assert any("dashboard page" in line for line in bench.report(result))
