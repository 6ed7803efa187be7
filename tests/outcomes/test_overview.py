import datetime as dt

import pytest
from django.urls import reverse

from trede.clients.services import benefit_period_start, ladder_measure
from trede.obligations.services import exemption_grant
from trede.outcomes.selectors import caseload_overview

pytestmark = pytest.mark.django_db


def test_overview_counts_people_on_benefit_and_suppresses_small_groups(make_client, caseworker, today):
    clients = [make_client(caseworker) for _ in range(14)]
    for i, c in enumerate(clients):
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=100))
        ladder_measure(actor=None, client=c, step=2 if i < 11 else 5, measured_on=today - dt.timedelta(days=1))
    exemption_grant(
        actor=None,
        client=clients[0],
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=30),
        reason="x",
    )
    make_client(caseworker)  # registered but no benefit: not counted
    rows, total = caseload_overview(today)
    (row,) = rows
    assert row.total == 14
    assert row.exempt is None  # 1 person
    assert row.steps[1] is None and row.steps[4] is None  # 11 shown alone would reveal the 3 on step 5
    assert total.total == 14


def test_policy_analyst_sees_no_names(client, analyst, make_client, caseworker, today):
    c = make_client(caseworker, surname="Zichtbaarniet")
    benefit_period_start(actor=None, client=c, start_on=today)
    client.force_login(analyst)
    page = client.get(reverse("figures")).content.decode()
    assert "Zichtbaarniet" not in page and c.bsn not in page and "Centrum" in page


def test_route_overview_counts_the_route_in_force_and_suppresses_small_groups(make_client, caseworker, today):
    from trede.intake.services import route_decide
    from trede.outcomes.selectors import route_overview

    clients = [make_client(caseworker) for _ in range(25)]
    for c in clients:
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=100))
    for c in clients[:12]:  # no advice: the first decision needs no second person
        route_decide(actor=caseworker, client=c, route="participation", reason="", decided_on=today)
    route_decide(actor=caseworker, client=clients[12], route="work", reason="", decided_on=today)
    # a later decision replaces the earlier one; a decision waiting for a team lead does not count yet
    route_decide(actor=caseworker, client=clients[13], route="work", reason="", decided_on=today - dt.timedelta(1))
    route_decide(actor=caseworker, client=clients[13], route="participation", reason="minder", decided_on=today)
    rows, total = route_overview(today)
    (row,) = rows
    assert row.total == 25 and total.total == 25
    participation = row.routes[2]
    assert participation == 12  # clients[13] waits for a team lead: still on "work"
    assert row.routes[1] is None  # 2 people on "work": suppressed
    assert row.none is None  # 11: hidden as well, or the 2 could be computed from the row total
    assert total.routes[0] is None or total.routes[0] == 0  # nobody on the youth route
