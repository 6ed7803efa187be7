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
