"""In a real browser, checked with axe-core (WCAG 2.1 A/AA): a policy analyst turns an analysed pilot's measured
effect into a simulation scenario, from the pilot's report to the saved scenario with its source; and the calibration
page on the municipality's own figures (here too short a history: it says why and shows the national report)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.browser.test_journey import _axe, _browser_tools, _login, _opened_page
from tests.pilots.test_views import finished_pilot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Beleidsmedewerker-2024!"


def test_analyst_makes_a_scenario_from_a_pilot_and_reads_the_own_calibration_in_a_real_browser(live_server, population):
    expect, sync_playwright = _browser_tools()
    from trede.core.services import user_create
    from trede.scenarios.models import SavedScenario

    analyst = user_create(
        actor=None, username="p.beleid", password=PASSWORD, role="policy_analyst", first_name="Pim",
        last_name="Beleid",
    )  # fmt: skip
    pilot = finished_pilot(analyst, population, timezone.localdate())
    violations: list[str] = []
    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, "p.beleid", PASSWORD)
        page.goto(f"{live_server.url}/pilots/{pilot.pk}/rapport/")
        page.get_by_role("link", name="Gebruik het effect van deze pilot in een simulatiescenario").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Scenario uit de pilot: {pilot.name}")
        expect(page.get_by_text(re.compile("Vermenigvuldiger"))).not_to_have_count(0)
        _axe(page, "pilot to scenario", violations)
        page.get_by_role("radio", name=re.compile("Intensieve begeleiding \\(coaching\\): kans op werk")).check()
        page.get_by_role("radio", name=re.compile("Betaald werk binnen 12 maanden", re.I)).first.check()
        page.get_by_role("button", name="Scenario opslaan").click()
        expect(page.get_by_text("Het scenario is opgeslagen.")).to_be_visible()
        expect(page.get_by_text(re.compile(f"trede pilot {pilot.pk}"))).not_to_have_count(0)
        _axe(page, "scenario from a pilot", violations)
        page.goto(f"{live_server.url}/simulatie/kalibratie/?basis=own")
        expect(page.get_by_text(re.compile("Kalibreren op eigen cijfers kan nog niet"))).to_be_visible()
        _axe(page, "calibration, own basis refused", violations)
        page.get_by_role("link", name="onze eigen cijfers").focus()
    saved = SavedScenario.objects.get()
    from trede.scenarios import selectors
    from trede.simulation import scenario as S

    assert saved.name == f"pilot-{pilot.pk}-coaching-work_effect"
    sc = selectors.scenario(saved.name)
    assert sc["coaching.work_effect"] != S.load("baseline")["coaching.work_effect"] and sc["coaching.places"] > 0
    assert sc.sources["coaching.work_effect"].startswith(f"trede pilot {pilot.pk}")
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )
