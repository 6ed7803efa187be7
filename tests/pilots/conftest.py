"""A small municipality for pilots, written through the real services: clients on benefit since a given day, in two
districts, with a ladder measurement, in the caseloads of two caseworkers; and a plan that passes the checks."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import next_bsn
from trede.caseload.services import assignment_assign
from trede.clients.services import benefit_period_start, client_register, ladder_measure
from trede.core.rules import add_months


@pytest.fixture
def second_caseworker(make_user, team):
    return make_user("caseworker", "hanna", team)


@pytest.fixture
def population(district, district_north, caseworker, second_caseworker):
    """make(n, since=day): n clients on benefit since `since`, alternating district, caseworker, age (or all born
    in `birth_year`) and ladder step (measured on `since`). Returns the clients."""

    def make(n: int, *, since: dt.date, address: bool = False, birth_year: int | None = None):
        clients = []
        for i in range(n):
            extra = {"street": "Lindenlaan", "house_number": str(i + 1), "postcode": "3511 AB", "city": "Utrecht"}
            c = client_register(
                actor=None,
                bsn=next_bsn(),
                district=district if i % 2 == 0 else district_north,
                first_name="Pilot",
                surname=f"Deelnemer{i}",
                birth_date=dt.date(birth_year or 1960 + (i * 7) % 40, 1 + i % 12, 1 + i % 27),
                **(extra if address else {}),
            )
            assignment_assign(
                actor=None,
                client=c,
                caseworker=caseworker if i % 2 == 0 else second_caseworker,
                start_on=since - dt.timedelta(days=30),
            )
            benefit_period_start(actor=None, client=c, start_on=since - dt.timedelta(days=40 * (i % 5)))
            ladder_measure(actor=None, client=c, step=1 + i % 4, measured_on=since)
            clients.append(c)
        return clients

    return make


def plan(today: dt.date, **changes) -> dict:
    """A complete plan (registrable on `today`)."""
    base = {
        "name": "Kleine caseload",
        "question": "Vinden cliënten vaker werk bij een caseload van 50 in plaats van 350?",
        "intervention": "Klantmanager met 50 cliënten, elke twee weken contact",
        "control": "De gewone begeleiding",
        "criteria": {},
        "unit": "client",
        "strata": [],
        "subgroups": [],
        "primary_outcome": "paid_work_12m",
        "secondary_outcomes": ["months_on_benefit"],
        "follow_up_months": 12,
        "analysis_plan": "Verschil in betaald werk na 12 maanden, intention to treat.",
        "analysis_date": add_months(today, 12),
        "weight_intervention": 1,
        "weight_control": 1,
        "baseline_pct": 20.0,
        "target_effect_pp": 10.0,
    }
    return base | changes
