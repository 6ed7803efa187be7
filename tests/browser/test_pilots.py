"""A policy analyst's pilot in a real browser: define it, see the power change as the plan changes, register the
plan, draw, and see the balance table; the team lead reads the monitor. Every page is checked with axe-core
(WCAG 2.1 A/AA), and no page shows a client's name. Reuses the journey's browser helpers and municipality."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.test_journey import (
    LEAD_PASSWORD,
    LEAD_USERNAME,
    _axe,
    _browser_tools,
    _build_municipality,
    _field,
    _login,
    _opened_page,
    _shot,
    _team_lead_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANALYST_USERNAME = "n.beleid"
ANALYST_PASSWORD = "Beleidsmedewerker-2024!"


def test_analyst_defines_registers_and_draws_a_pilot_in_a_real_browser(live_server):
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.core.rules import add_months
    from trede.core.services import user_create
    from trede.pilots.models import Pilot

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    _team_lead_of(cw)
    user_create(
        actor=None, username=ANALYST_USERNAME, password=ANALYST_PASSWORD, role="policy_analyst",
        first_name="Noor", last_name="Verhoeven",
    )  # fmt: skip
    names = [c.surname for c in clients] + [c.bsn for c in clients]
    violations: list[str] = []

    def no_names(page):
        text = page.content()
        leaked = [n for n in names if n in text]
        assert not leaked, f"{page.url} shows {leaked[:3]}"

    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, ANALYST_USERNAME, ANALYST_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Pilots").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Pilots")
        _axe(page, "pilot list", violations)
        page.get_by_role("link", name="Nieuwe pilot").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe pilot")
        power = page.locator("#power")
        expect(power).to_contain_text("Vul het verwachte percentage in de controlegroep in.")
        _axe(page, "pilot form", violations)

        _field(page, "Korte naam").fill("Kleine caseload")
        _field(page, "Onderzoeksvraag").fill("Vinden cliënten vaker werk bij een caseload van 50?")
        _field(page, "Wat krijgt de interventiegroep?").fill("Een klantmanager met 50 cliënten")
        _field(page, "Wat krijgt de controlegroep?").fill("De gewone begeleiding")
        page.get_by_role("group", name=re.compile("^Strata")).get_by_label("Wijk").check()
        page.get_by_role("group", name=re.compile("^Primaire uitkomst")).get_by_label(
            "Betaald werk binnen 12 maanden"
        ).check()
        _field(page, "Datum van de analyse").fill(add_months(today, 13).isoformat())
        _field(page, "Analyseplan").fill("Verschil in betaald werk na 12 maanden, intention to treat.")
        # the power follows the plan as it is typed (htmx), before anything starts
        _field(page, "Verwacht percentage in de controlegroep").fill("20")
        _field(page, "Verwacht percentage in de controlegroep").press("Tab")
        expect(power).to_contain_text("Kleinste effect dat deze pilot kan aantonen")
        expect(power).to_contain_text("15")
        _field(page, "Gewenst effect in procentpunten").fill("10")
        _field(page, "Gewenst effect in procentpunten").press("Tab")
        expect(power).to_contain_text("Er doen te weinig mensen mee.")
        _axe(page, "pilot form with power", violations)
        _shot(page, "pilot-form")
        page.get_by_role("button", name="Opslaan als concept").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Kleine caseload")
        expect(page.get_by_role("status")).to_contain_text("opgeslagen als concept")
        _axe(page, "pilot plan", violations)
        page.get_by_role("button", name="Plan vastleggen").click()
        expect(page.get_by_role("status")).to_contain_text("Het plan is vastgelegd")
        page.get_by_role("link", name="Naar de loting").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Loting: Kleine caseload")
        _axe(page, "before the draw", violations)
        page.get_by_role("button", name="Nu loten").click()
        expect(page.get_by_role("status")).to_contain_text("De loting is gedaan")
        balance = page.get_by_role("table", name="Kenmerken bij de loting per groep (balans)")
        expect(balance.get_by_role("row", name=re.compile("Leeftijd"))).to_have_count(1)
        arms = page.get_by_role("table", name="Mensen per groep")
        expect(arms.get_by_role("row", name=re.compile("Interventiegroep"))).to_have_count(1)
        _axe(page, "after the draw", violations)
        _shot(page, "pilot-draw")
        no_names(page)
        page.get_by_role("link", name="Naar de monitor").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Monitor: Kleine caseload")
        expect(page.get_by_text("Uitkomsten tonen we pas op de datum van de analyse", exact=False)).to_be_visible()
        _axe(page, "pilot monitor", violations)
        no_names(page)
        page.get_by_role("link", name="Veiligheidsmonitor openen (met een reden)").click()
        _axe(page, "safety look", violations)
        page.get_by_role("button", name="Uitloggen").click()

        # the team lead reads the monitor of the running pilot
        _login(page, live_server.url, LEAD_USERNAME, LEAD_PASSWORD)
        page.goto(f"{live_server.url}/pilots/")
        page.get_by_role("link", name="Monitor van Kleine caseload").click()
        expect(page.get_by_role("table", name="Mensen per groep")).to_be_visible()
        no_names(page)

    pilot = Pilot.objects.get()
    assert pilot.status == "randomised" and pilot.strata == ["district"]
    assert pilot.assignments.count() == len(clients) and pilot.analysis_date == add_months(today, 13)
    assert pilot.randomised_on == today and dt.date.today() >= pilot.registered_on
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )
