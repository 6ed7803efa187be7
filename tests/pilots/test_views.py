"""Pilot screens: define with the live power, register, draw with the balance table, monitor without outcomes,
the safety look with its reason, the report (HTML and PDF), the "what works" register with its exports, the
observational comparison flagged as not randomised, and what a client received recorded from the dossier. No pilot
page names a client."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.pilots.conftest import plan
from trede.clients.models import Client
from trede.clients.services import benefit_period_end
from trede.core.rules import add_months
from trede.pilots import report, selectors, services
from trede.pilots.models import Crossover, Pilot, SafetyLook, Status

pytestmark = pytest.mark.django_db


def no_names(html: str) -> None:
    for c in Client.objects.all():
        assert c.surname not in html and c.bsn not in html, "a pilot page shows a client"


def form_data(today, **changes) -> dict:
    p = plan(today, **changes)
    data = {k: v for k, v in p.items() if k not in ("criteria", "analysis_date") and v is not None}
    data["analysis_date"] = p["analysis_date"].isoformat()
    data["bootstrap"] = "0"
    data["correction"] = "holm"
    data.update(p["criteria"])
    return data


def test_analyst_defines_registers_and_draws_a_pilot(client, analyst, population, today, district):
    population(30, since=today - dt.timedelta(days=200))
    client.force_login(analyst)
    page = client.get(reverse("pilot-create")).content.decode()
    assert "Wat kan deze pilot aantonen?" in page and "Mensen die nu mee kunnen doen" in page
    # the power as the form changes (htmx): the eligible people in the chosen district, and the effect
    power = client.get(
        reverse("pilot-power"), {"districts": [district.pk], "baseline_pct": "20", "target_effect_pp": "10"}
    ).content.decode()
    assert "Kleinste effect dat deze pilot kan aantonen" in power and "15" in power
    assert "Er doen te weinig mensen mee." in power  # 15 people cannot show 10 percentage points
    data = form_data(today, strata=["district"], subgroups=["age_band"])
    data["strata"], data["subgroups"], data["secondary_outcomes"] = ["district"], ["age_band"], ["months_on_benefit"]
    response = client.post(reverse("pilot-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pilot = Pilot.objects.get()
    assert pilot.strata == ["district"] and pilot.status == Status.DRAFT
    detail = client.get(reverse("pilot-detail", args=[pilot.pk])).content.decode()
    assert "Plan vastleggen" in detail and "Kleinste effect" in detail
    client.post(reverse("pilot-register", args=[pilot.pk]))
    pilot.refresh_from_db()
    assert pilot.status == Status.REGISTERED
    assert client.get(reverse("pilot-edit", args=[pilot.pk])).status_code == 302  # frozen: back to the plan
    before = client.get(reverse("pilot-randomise", args=[pilot.pk])).content.decode()
    assert "Nu loten" in before and "30" in before
    client.post(reverse("pilot-randomise", args=[pilot.pk]))
    pilot.refresh_from_db()
    assert pilot.status == Status.RANDOMISED and pilot.assignments.count() == 30
    after = client.get(reverse("pilot-randomise", args=[pilot.pk])).content.decode()
    assert "Kenmerken bij de loting per groep (balans)" in after and str(pilot.seed) in after
    assert "Leeftijd (jaren)" in after and pilot.assignment_digest in after
    assert "Mensen per stratum en groep" in after
    monitor = client.get(reverse("pilot-monitor", args=[pilot.pk])).content.decode()
    assert "Uitkomsten tonen we pas op de datum van de analyse" in monitor
    assert "procentpunt" not in monitor and "Hazard" not in monitor
    for html in (page, power, detail, before, after, monitor):
        no_names(html)


def test_a_form_with_mistakes_shows_them_and_saves_nothing(client, analyst, today):
    client.force_login(analyst)
    page = client.post(reverse("pilot-create"), form_data(today, question="")).content.decode()
    assert "Er ging iets mis" in page and "Onderzoeksvraag" in page
    data = form_data(today, follow_up_months=6)  # the service's check lands on the field
    page = client.post(reverse("pilot-create"), data).content.decode()
    assert "Er ging iets mis" in page and "minstens 12 maanden" in page
    assert not Pilot.objects.exists()
    # the power can be recomputed without saving
    page = client.post(reverse("pilot-create"), {**data, "_power": "1"}).content.decode()
    assert "Wat kan deze pilot aantonen?" in page and not Pilot.objects.exists()


def running_pilot(analyst, population, today, *, n=24, months_ago=3):
    start = today - dt.timedelta(days=30 * months_ago)
    population(n, since=start - dt.timedelta(days=100))
    pilot = services.pilot_save(actor=analyst, **plan(start, analysis_date=add_months(start, 13)))
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    return services.pilot_randomise(actor=analyst, pilot=pilot, today=start)


def test_team_lead_reads_the_monitor_but_defines_nothing(client, team_lead, analyst, population, today):
    draft = services.pilot_save(actor=analyst, **plan(today, name="Nog een concept"))
    pilot = running_pilot(analyst, population, today)
    client.force_login(team_lead)
    listing = client.get(reverse("pilots")).content.decode()
    assert pilot.name in listing and draft.name not in listing and "Nieuwe pilot" not in listing
    assert client.get(reverse("pilot-monitor", args=[pilot.pk])).status_code == 200
    assert "Veiligheidsmonitor openen" not in client.get(reverse("pilot-monitor", args=[pilot.pk])).content.decode()
    for name in ("pilot-create", "pilots-observational", "pilot-from-campaign"):
        assert client.get(reverse(name)).status_code == 403
    for name in ("pilot-detail", "pilot-safety", "pilot-randomise"):
        assert client.get(reverse(name, args=[pilot.pk])).status_code == 403


def test_the_safety_look_asks_why_and_shows_the_outcomes_once(client, analyst, population, today):
    pilot = running_pilot(analyst, population, today)
    client.force_login(analyst)
    url = reverse("pilot-safety", args=[pilot.pk])
    page = client.post(url, {"reason": ""}).content.decode()
    assert "Er ging iets mis" in page and not SafetyLook.objects.exists()
    page = client.post(url, {"reason": "Meldingen van schade bij cliënten"}).content.decode()
    assert SafetyLook.objects.get().reason == "Meldingen van schade bij cliënten"
    assert "Tussentijdse uitkomsten" in page and "Betaald werk binnen 12 maanden" in page
    no_names(page)
    page = client.get(url).content.decode()
    assert "Tussentijdse uitkomsten" not in page  # a new visit asks again
    monitor = client.get(reverse("pilot-monitor", args=[pilot.pk])).content.decode()
    assert "Meldingen van schade bij cliënten" in monitor


def finished_pilot(analyst, population, today):
    start = today - dt.timedelta(days=400)
    clients = population(40, since=start - dt.timedelta(days=60))
    pilot = services.pilot_save(
        actor=analyst, **plan(start, name="Jobcoach na plaatsing", analysis_date=add_months(start, 12))
    )
    services.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = services.pilot_randomise(actor=analyst, pilot=pilot, today=start, seed=11)
    for i, c in enumerate(clients[:14]):
        benefit_period_end(
            actor=None, period=c.benefit_periods.get(), end_on=start + dt.timedelta(days=20 + 9 * i), exit_reason="work"
        )
    services.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    return Pilot.objects.get(pk=pilot.pk)


def test_the_report_page_pdf_and_the_register(client, analyst, team_lead, population, today):
    pilot = finished_pilot(analyst, population, today)
    client.force_login(analyst)
    page = client.get(reverse("pilot-report", args=[pilot.pk])).content.decode()
    for text in ("In het kort", "Ontwerp en plan", "Afwijkingen van het plan", "Wie deden mee",
                 "Resultaten per uitkomst", "Maanden in de bijstand", "Hazard ratio", "95%-interval",
                 pilot.assignment_digest):  # fmt: skip
        assert text in page, text
    assert '<svg width="100%"' in page and "aandeel nog in de bijstand per maand" in page  # Kaplan-Meier chart
    no_names(page)
    pdf = client.get(reverse("pilot-report-pdf", args=[pilot.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(team_lead)
    assert client.get(reverse("pilot-report", args=[pilot.pk])).status_code == 200
    register = client.get(reverse("pilots-register"), {"q": "jobcoach"}).content.decode()
    assert "Jobcoach na plaatsing" in register and "procentpunt" in register
    assert "Jobcoach" not in client.get(reverse("pilots-register"), {"q": "taalcursus"}).content.decode()
    data = json.loads(client.get(reverse("pilots-register"), {"formaat": "json"}).content)
    row = data["pilots"][0]
    assert row["name"] == "Jobcoach na plaatsing" and row["n"] == 40 and row["primary_outcome"] == "paid_work_12m"
    assert row["estimate"] == pytest.approx(pilot.report.results["outcomes"][0]["itt"]["estimate"])
    assert row["assignment_digest"] == pilot.assignment_digest
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("pilots-register"), {"formaat": "csv"}).content.decode()))
    )
    assert rows[0]["name"] == "Jobcoach na plaatsing" and rows[0]["n"] == "40"


def test_the_analysis_button_waits_for_the_analysis_date(client, analyst, population, today):
    pilot = running_pilot(analyst, population, today)
    client.force_login(analyst)
    detail = client.get(reverse("pilot-detail", args=[pilot.pk])).content.decode()
    assert "Analyse maken" not in detail and "Veiligheidsmonitor" in detail
    client.post(reverse("pilot-analyse", args=[pilot.pk]))
    assert Pilot.objects.get(pk=pilot.pk).status == Status.RANDOMISED
    assert client.get(reverse("pilot-report", args=[pilot.pk])).status_code == 404


def test_the_observational_comparison_is_flagged_as_not_randomised(client, analyst, population, today, caseworker):
    from trede.obligations.services import exemption_grant

    since = today - dt.timedelta(days=700)
    clients = population(60, since=since)
    on = add_months(today, -13)
    for i, c in enumerate(clients):
        if i % 3 == 0:
            exemption_grant(
                actor=None, client=c, obligation="tegenprestatie", ground="urgent_reasons",
                start_on=since + dt.timedelta(days=10), review_on=today, reason="Mantelzorg",
            )  # fmt: skip
        if i % 4 == 0:
            benefit_period_end(
                actor=None, period=c.benefit_periods.get(), end_on=on + dt.timedelta(days=40 + i), exit_reason="work"
            )
    client.force_login(analyst)
    url = reverse("pilots-observational")
    page = client.get(url).content.decode()
    assert "Dit is geen resultaat van een loting" in page
    page = client.get(
        url, {"on": on.isoformat(), "treatment": "exempt", "outcome": "paid_work_12m", "follow_up_months": "12"}
    ).content.decode()
    assert "Dit is geen resultaat van een loting" in page and "geen loting" in page
    assert "Weging met de propensity score (IPW)" in page and "Matching op de propensity score" in page
    assert "Balans: gestandaardiseerd verschil per kenmerk, voor en na" in page
    assert "Overlap van de propensity score" in page
    no_names(page)
    too_recent = client.get(
        url,
        {"on": today.isoformat(), "treatment": "exempt", "outcome": "paid_work_12m", "follow_up_months": "12"},
    ).content.decode()
    assert "nog niet voorbij" in too_recent


def test_a_pilot_from_a_random_campaign_on_the_screen(client, analyst, team_lead, population, today):
    from trede.outreach.services import campaign_create, campaign_plan

    start = today - dt.timedelta(days=70)
    population(24, since=start - dt.timedelta(days=100), address=True)
    campaign = campaign_create(
        actor=team_lead, name="Kennismaking", purpose="introduction", starts_on=start, cohort_size=12, order="random"
    )
    campaign_plan(actor=team_lead, campaign=campaign, on=start)
    client.force_login(analyst)
    url = reverse("pilot-from-campaign")
    assert "Kennismaking" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "campaign": campaign.pk,
            "name": "Vroeg gesprek",
            "question": "Helpt vroeg?",
            "early_cohorts": "1",
            "primary_outcome": "ladder_step_up",
        },  # fmt: skip
    )
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pilot-monitor", args=[pilot.pk])
    assert pilot.campaign == campaign and pilot.assignments.count() == 24


def test_what_a_client_received_is_recorded_from_the_dossier(client, analyst, caseworker, colleague, population, today):
    pilot = running_pilot(analyst, population, today, n=12)
    a = pilot.assignments.filter(client__assignments__caseworker=caseworker, client__assignments__end_on=None).first()
    arms = selectors.client_arms(a.client_id)
    html = render_to_string("pilots/_dossier.html", {"pilot_arms": arms, "client": a.client, "can_write": True})
    assert pilot.name in html and arms[0].arm_label in html
    url = reverse("pilot-crossover", args=[a.client_id, a.pk])
    assert url in html
    client.force_login(caseworker)  # the dossier itself shows the arm and the link
    dossier = client.get(reverse("client-dossier", args=[a.client_id])).content.decode()
    assert pilot.name in dossier and arms[0].arm_label in dossier and url in dossier
    client.force_login(colleague)
    assert client.get(url).status_code in (302, 403)  # a colleague reads at most: no writing
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"received": "0" if a.arm == "intervention" else "1", "on": today.isoformat(), "reason": "Wilde niet"}
    )
    assert response.status_code == 302
    assert Crossover.objects.get().assignment == a
    monitor_arms = {r["arm"]: r for r in report.monitoring(pilot, today)["arms"]}
    assert monitor_arms[a.arm]["crossovers"] is None  # 1 person: shown as fewer than 10


def test_pages_cost_the_same_number_of_queries_for_more_people(client, analyst, population, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = running_pilot(analyst, population, today, n=12)
    large = running_pilot(analyst, population, today, n=48)  # the first pilot's clients are not drawn again
    assert large.assignments.count() == 48
    client.force_login(analyst)
    counts = []
    for pilot in (small, large):
        with CaptureQueriesContext(connection) as queries:
            for name in ("pilot-monitor", "pilot-randomise"):
                assert client.get(reverse(name, args=[pilot.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
