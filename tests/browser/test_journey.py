"""A caseworker's day in a real browser: log in, see the caseload, open a dossier, grant an exemption
(first with a mistake, then correctly), see it on the dossier and the timeline, and look at "Te doen".

Every page is checked with axe-core against WCAG 2.1 A/AA, and screenshots for the README are saved to
docs/screenshots/. Runs Debian's chromium through Playwright (never a downloaded browser). Outside CI a
missing chromium or axe-core skips this test; with CI=true it fails, because CI must really run it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told so.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
VIEWPORT = {"width": 1280, "height": 800}

USERNAME = "s.bos"
PASSWORD = "Klantmanager-2024!"
JOURNEY_CLIENT = "Sanne de Vries"
WORK = "Arbeidsverplichting (art. 9 lid 1a)"
URGENT = "Dringende redenen (art. 9 lid 2)"
END_BEFORE_START = "De einddatum ligt vóór de ingangsdatum."


@contextmanager
def _opened_page(pw):
    """A page in Debian's chromium (Dutch, Amsterdam time); the browser and the database connections are closed
    afterwards, also when the journey fails."""
    from django.db import connections

    browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.set_default_timeout(15_000)
        yield context.new_page()
    finally:
        browser.close()
        connections.close_all()


def _login(page, base: str, username: str, password: str) -> None:
    """Log in through the form, as a user would."""
    page.goto(f"{base}/inloggen/")
    _field(page, "Gebruikersnaam").fill(username)
    _field(page, "Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser test must really run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run; .ci/run installs chromium and axe-core)")
    pytest.skip(reason)


# --- test data, written through the real services -----------------------------------------------------------

# (first name, prefix, surname, gender, district code, street, number, postcode)
PEOPLE = [
    ("Sanne", "de", "Vries", "f", "CEN", "Lindenlaan", "12", "3511 AB"),
    ("Mohamed", "", "El Amrani", "m", "NRD", "Kastanjeplein", "4", "3555 KL"),
    ("Fatma", "", "Yılmaz", "f", "NRD", "Merelstraat", "88", "3552 BE"),
    ("Kees", "van", "Dijk", "m", "CEN", "Oudegracht", "201", "3511 NK"),
    ("Priya", "", "Ramdin", "f", "CEN", "Biltstraat", "33", "3572 AE"),
    ("Jan", "", "Bakker", "m", "NRD", "Zonnebloemweg", "7", "3554 HT"),
    ("Ilse", "van der", "Meer", "f", "CEN", "Nobelstraat", "15", "3512 EM"),
    ("Dewi", "", "Sastrowidjojo", "f", "NRD", "Kievitdwarsstraat", "2", "3552 JG"),
    ("Bram", "", "Visser", "m", "CEN", "Twijnstraat", "56", "3511 ZK"),
    ("Ayşe", "", "Demir", "f", "NRD", "Prins Hendriklaan", "140", "3583 EP"),
    ("Ruud", "", "Hendriks", "m", "CEN", "Voorstraat", "9", "3512 AH"),
    ("Lotte", "", "Jansen", "f", "NRD", "Vogelenbuurt", "61", "3552 TE"),
    ("Youssef", "", "Benali", "m", "CEN", "Lange Nieuwstraat", "23", "3512 PB"),
    ("Marieke", "de", "Boer", "f", "NRD", "Amsterdamsestraatweg", "310", "3551 CK"),
    ("Tomasz", "", "Kowalski", "m", "CEN", "Springweg", "77", "3511 VR"),
]

CONTACT_NOTES = [
    ("in_person", "Intakegesprek gevoerd. Situatie, wensen en mogelijkheden besproken; afspraak over CV."),
    ("phone", "Gebeld over de voortgang. Cliënt heeft zich ingeschreven bij twee uitzendbureaus."),
    ("home_visit", "Huisbezoek. Woonsituatie stabiel; schuldhulpverlening loopt via het wijkteam."),
    ("video", "Beeldbellen: sollicitatiebrief samen doorgenomen en verbeterd."),
    ("email", "Cliënt meldt dat de taalcursus op dinsdagochtend is begonnen."),
]
ACTIONS = [
    ("CV bijwerken en opsturen", "client", ""),
    ("Aanmelden bij het werkgeversservicepunt", "caseworker", ""),
    ("Gesprek bij de schuldhulpverlening plannen", "partner", "Wijkteam"),
    ("Taalcursus NT2 starten", "partner", "Taalhuis"),
    ("Drie vacatures uitzoeken en bespreken", "client", ""),
]


def _build_municipality(today: dt.date):
    """A caseworker with a known password and fifteen clients with a plausible history."""
    from trede.caseload.models import Team, TeamMember
    from trede.caseload.services import (
        action_item_add,
        action_item_complete,
        assignment_assign,
        contact_record,
    )
    from trede.clients.models import Client, District
    from trede.clients.services import (
        benefit_period_start,
        circumstances_record,
        client_register,
        client_review_schedule,
        ladder_measure,
    )
    from trede.core.rules import bsn_with_check_digit
    from trede.core.services import ruleset_load_shipped, user_create
    from trede.obligations.services import exemption_grant, obligation_impose

    # A transactional test starts from a flushed database when another one ran before it: make sure the
    # shipped rule sets are there (idempotent).
    ruleset_load_shipped(actor=None)
    centrum = District.objects.create(code="CEN", name="Binnenstad")
    noord = District.objects.create(code="NRD", name="Zuilen")
    team = Team.objects.create(name="Team Binnenstad-Zuilen")
    team.districts.add(centrum, noord)
    districts = {"CEN": centrum, "NRD": noord}

    cw = user_create(
        actor=None,
        username=USERNAME,
        password=PASSWORD,
        role="caseworker",
        first_name="Sophie",
        last_name="Bos",
    )
    TeamMember.objects.create(user=cw, team=team, hours_per_week=32)

    seed = 20_240_000
    clients = []
    for i, (first, prefix, surname, gender, dcode, street, number, postcode) in enumerate(PEOPLE):
        bsn = None
        while bsn is None:
            seed += 1
            bsn = bsn_with_check_digit(seed)
        c = client_register(
            actor=cw,
            bsn=bsn,
            district=districts[dcode],
            first_name=first,
            surname_prefix=prefix,
            surname=surname,
            birth_date=dt.date(1962 + (i * 7) % 40, 1 + (i * 5) % 12, 1 + (i * 11) % 28),
            gender=gender,
            street=street,
            house_number=number,
            postcode=postcode,
            city="Utrecht",
            phone=f"06-{21_340_000 + i * 7_919}",
            email=f"{first.lower()}.{surname.lower().replace(' ', '')}@example.nl" if i % 3 else "",
        )
        assignment_assign(actor=None, client=c, caseworker=cw, start_on=today - dt.timedelta(days=420))
        start = today - dt.timedelta(days=150 + 37 * i)
        benefit_period_start(actor=cw, client=c, start_on=start, norm="single")
        obligation_impose(actor=cw, client=c, kind="work_obligation", start_on=start)
        obligation_impose(actor=cw, client=c, kind="cooperation", start_on=start)
        circumstances_record(
            actor=cw,
            client=c,
            recorded_on=start + dt.timedelta(days=9),
            education=["none", "low", "middle", "high"][i % 4],
            work_experience_years=(i * 3) % 17,
            last_worked_year=(today.year - 1 - i % 6) if i % 4 else None,
            dutch_level=["3f", "2f", "1f", "below_1f"][i % 4],
            health=["none", "some", "none", "severe"][i % 4],
            health_note="Rugklachten, kan niet zwaar tillen." if i % 4 == 1 else "",
            care_duties=i % 5 == 2,
            care_note="Zorgt voor een zieke ouder." if i % 5 == 2 else "",
            debts=["none", "some", "problematic"][i % 3],
            social=["good", "limited", "isolated"][i % 3],
            note="",
        )
        first_step = 1 + i % 4
        ladder_measure(actor=cw, client=c, step=first_step, measured_on=start + dt.timedelta(days=14), note="Nulmeting")
        ladder_measure(
            actor=cw,
            client=c,
            step=min(6, first_step + (i % 3 > 0)),
            measured_on=start + dt.timedelta(days=120),
            note="Na zes maanden begeleiding",
        )
        # Contacts every few weeks; every fourth client has had none for longer than the norm (90 days).
        last_contact = today - dt.timedelta(days=(120 + i) if i % 4 == 3 else (3 + 5 * i) % 60)
        for k in range(3):
            channel, summary = CONTACT_NOTES[(i + k) % len(CONTACT_NOTES)]
            contact_record(
                actor=cw,
                client=c,
                contact_on=last_contact - dt.timedelta(days=41 * (2 - k)),
                channel=channel,
                summary=summary,
            )
        for k in range(1 + i % 3):
            description, responsible, note = ACTIONS[(i + k) % len(ACTIONS)]
            item = action_item_add(
                actor=cw,
                client=c,
                description=description,
                responsible=responsible,
                responsible_note=note,
                deadline=today + dt.timedelta(days=10 + 9 * k + i),
            )
            if k == 1:
                action_item_complete(actor=cw, item=item)
        if i % 3 == 2:  # on the due list: review within the horizon
            client_review_schedule(actor=cw, client=c, review_on=today + dt.timedelta(days=5 + i))
        elif i:
            client_review_schedule(actor=cw, client=c, review_on=today + dt.timedelta(days=90 + 4 * i))
        if i in (1, 5, 9, 13):  # exemptions (not for the journey's client), some up for review soon
            exemption_grant(
                actor=cw,
                client=c,
                obligation="tegenprestatie" if i % 2 else "work_obligation",
                ground="urgent_reasons",
                start_on=start + dt.timedelta(days=30),
                review_on=today + dt.timedelta(days=6 * i),
                reason="Mantelzorg voor een zieke partner; herbeoordelen als de zorg overgedragen is.",
            )
        clients.append(c)
    assert Client.objects.count() == len(PEOPLE)
    return cw, clients


# --- accessibility -----------------------------------------------------------------------------------------


def _axe(page, name: str, found: list[str]) -> None:
    """Run axe-core on the page as it is now; add a readable line per violation to `found`."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for v in result["violations"]:
        lines = [f"[{name}] {v['id']} ({v.get('impact') or 'n/a'}): {v['help']} — {v['helpUrl']}"]
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {node['html'][:160]}\n      {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more nodes")
        found.append("\n".join(lines))


def _field(page, label: str):
    """The form control labelled `label` (Django adds its label suffix ":")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _shot(page, name: str) -> None:
    """Save a full-page screenshot for the README; warn (not fail) when the page is wider than the window."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > VIEWPORT["width"]:
        warnings.warn(
            f"{name}: the page is {width}px wide in a {VIEWPORT['width']}px window (horizontal scrolling)",
            stacklevel=2,
        )
    if os.environ.get("TREDE_SCREENSHOTS") != "1":  # only `make screenshots` rewrites the README's pictures
        return
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")


# --- the journey -------------------------------------------------------------------------------------------


def test_caseworker_grants_an_exemption_in_a_real_browser(live_server):
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _missing("the playwright Python package is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS.relative_to(ROOT)} not found: run npm install (make test does) for axe-core")

    from django.db import connections
    from django.utils import timezone

    from trede.obligations.models import Exemption

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    sanne = clients[0]
    assert sanne.full_name == JOURNEY_CLIENT
    base = live_server.url
    violations: list[str] = []
    review_on = today + dt.timedelta(days=91)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=1,
                locale="nl-NL",
                timezone_id="Europe/Amsterdam",
                reduced_motion="reduce",
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            console_errors: list[str] = []

            def on_console(msg) -> None:
                url = (msg.location or {}).get("url", "")
                if msg.type == "error":
                    console_errors.append(f"{msg.text} ({url})")

            page.on("console", on_console)
            page.on("pageerror", lambda e: console_errors.append(str(e)))

            # 1. Log in through the form.
            page.goto(f"{base}/inloggen/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
            _axe(page, "login", violations)
            _shot(page, "login")
            _field(page, "Gebruikersnaam").fill(USERNAME)
            _field(page, "Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()

            # 2. The caseload.
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
            assert page.url.rstrip("/").endswith("/caseload"), page.url
            expect(page.get_by_text(f"{len(PEOPLE)} cliënten")).to_be_visible()
            table = page.get_by_role("table")
            for c in clients:
                expect(table.get_by_role("link", name=c.full_name, exact=True)).to_be_visible()
            _axe(page, "caseload", violations)
            _shot(page, "caseload")

            # 3. Open the dossier by clicking the client's name.
            table.get_by_role("link", name=JOURNEY_CLIENT, exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(JOURNEY_CLIENT)
            assert page.url.endswith(f"/clienten/{sanne.pk}/"), page.url
            timeline = page.get_by_role("region", name="Tijdlijn", exact=True)
            expect(timeline.get_by_text("Uitkering gestart")).to_be_visible()
            expect(timeline.get_by_text("Ontheffing verleend")).to_have_count(0)
            _axe(page, "dossier", violations)

            # 4. The exemption form: first with an end date before the start date.
            page.get_by_role("link", name="Ontheffing verlenen").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Ontheffing verlenen")
            assert page.url.endswith(f"/clienten/{sanne.pk}/ontheffingen/nieuw/"), page.url
            _axe(page, "exemption form", violations)
            _shot(page, "exemption-form")
            before = Exemption.objects.filter(client=sanne).count()
            _field(page, "Ontheffing van").select_option(label=WORK)
            _field(page, "Wettelijke grond").select_option(label=URGENT)
            _field(page, "Ingangsdatum").fill(today.isoformat())
            _field(page, "Einddatum").fill((today - dt.timedelta(days=7)).isoformat())
            _field(page, "Reden").fill(
                "Cliënt verzorgt haar moeder na een beroerte; tijdelijk niet beschikbaar voor werk."
            )
            page.get_by_role("button", name="Opslaan").click()
            summary = page.get_by_role("alert")
            expect(summary).to_contain_text("Er ging iets mis")
            expect(summary).to_contain_text(END_BEFORE_START)
            expect(_field(page, "Einddatum")).to_have_attribute("aria-invalid", "true")
            assert page.url.endswith(f"/clienten/{sanne.pk}/ontheffingen/nieuw/"), page.url
            assert Exemption.objects.filter(client=sanne).count() == before, "an invalid exemption was stored"
            _axe(page, "exemption form with errors", violations)

            # ... then corrected: no end date, a review date instead. The other fields kept their values.
            expect(_field(page, "Ontheffing van")).to_have_value("work_obligation")
            expect(_field(page, "Wettelijke grond")).to_have_value("urgent_reasons")
            expect(_field(page, "Ingangsdatum")).to_have_value(today.isoformat())
            _field(page, "Einddatum").fill("")
            _field(page, "Herbeoordeling op").fill(review_on.isoformat())
            page.get_by_role("button", name="Opslaan").click()

            # 5. Back on the dossier: the exemption is listed and on the timeline.
            expect(page.get_by_role("heading", level=1)).to_have_text(JOURNEY_CLIENT)
            expect(page.get_by_role("status")).to_contain_text("De ontheffing is verleend")
            obligations = page.get_by_role("region", name="Verplichtingen en ontheffingen")
            expect(obligations.get_by_role("listitem")).to_contain_text(
                [re.compile(rf"{re.escape(WORK)}\s+—\s+{re.escape(URGENT)}")]
            )
            expect(obligations).to_contain_text(f"herbeoordeling {review_on:%d-%m-%Y}")
            expect(obligations.get_by_role("row", name=re.compile("Arbeidsverplichting"))).to_contain_text("ontheven")
            entry = timeline.get_by_role("listitem").filter(has_text="Ontheffing verleend")
            expect(entry).to_have_count(1)
            expect(entry).to_contain_text(f"Ontheffing verleend: {WORK}")
            expect(entry).to_contain_text(URGENT)
            expect(entry).to_contain_text(today.strftime("%d-%m-%Y"))
            stored = Exemption.objects.get(client=sanne)
            assert (stored.obligation, stored.ground, stored.start_on, stored.end_on, stored.review_on) == (
                "work_obligation",
                "urgent_reasons",
                today,
                None,
                review_on,
            )
            assert stored.granted_by_id == cw.pk
            _axe(page, "dossier after grant", violations)
            _shot(page, "dossier")

            # 6. Te doen.
            page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Te doen").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Te doen")
            expect(page.get_by_role("heading", level=2, name=re.compile("^Ontheffingen: "))).to_be_visible()
            expect(page.get_by_role("heading", level=2, name=re.compile("geen contact"))).to_be_visible()
            _axe(page, "due", violations)
            _shot(page, "due")

            assert not console_errors, "errors in the browser console:\n" + "\n".join(console_errors)
        finally:
            browser.close()
            # Under Playwright's event loop Django keeps its connections per context, not per thread: the
            # ORM calls above used a connection of their own. Close it, or PostgreSQL refuses to drop the
            # test database at the end of the session ("being accessed by other users").
            connections.close_all()

    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


# --- the intake: estimate, advice, a route with less help, and the team lead's confirmation -----------------

LEAD_USERNAME = "d.smit"
LEAD_PASSWORD = "Teamleider-2024!"
ADMIN_USERNAME = "r.beheer"
ADMIN_PASSWORD = "Beheerder-2024!"


def _browser_tools():
    """Playwright's expect and sync_playwright, or skip (fail in CI) when the browser test cannot run here."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _missing("the playwright Python package is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS.relative_to(ROOT)} not found: run npm install (make test does) for axe-core")
    return expect, sync_playwright


def _team_lead_of(caseworker):
    """A team lead with a known password in the caseworker's team."""
    from trede.caseload.models import TeamMember
    from trede.core.services import user_create

    lead = user_create(
        actor=None,
        username=LEAD_USERNAME,
        password=LEAD_PASSWORD,
        role="team_lead",
        first_name="Dirk",
        last_name="Smit",
    )
    TeamMember.objects.create(user=lead, team=TeamMember.objects.get(user=caseworker).team, hours_per_week=36)
    return lead


def _synthetic_model_file(seed: int = 7) -> bytes:
    """A real Weibull model fitted on made-up spells (what a municipality's file looks like), with the accuracy
    and fairness figures computed by the same functions that `trede model train` uses."""
    import json
    from dataclasses import asdict

    import numpy as np
    import pandas as pd

    from trede.stats.fairness import fairness_report
    from trede.stats.metrics import calibration, concordance
    from trede.stats.time_to_work import ALLOWED_FACTORS, TimeToWorkModel

    rng = np.random.default_rng(seed)
    n = 1500
    frame = pd.DataFrame(
        {
            "age": rng.integers(27, 64, n),
            "education": rng.choice(["none", "low", "middle", "high"], n),
            "work_experience_years": rng.integers(0, 25, n),
            "worked_last_2_years": rng.integers(0, 2, n),
            "dutch_level": rng.choice(["below_1f", "1f", "2f", "3f"], n),
            "health": rng.choice(["none", "some", "severe"], n, p=[0.6, 0.3, 0.1]),
            "care_duties": rng.integers(0, 2, n),
            "debts": rng.choice(["none", "some", "problematic"], n),
            "social": rng.choice(["good", "limited", "isolated"], n),
            "benefit_months": rng.uniform(0, 60, n).round(1),
            "ladder_step": rng.integers(1, 6, n),
            "gender": rng.choice(["f", "m"], n),
        }
    )
    scale = np.exp(2.6 - 0.35 * frame["worked_last_2_years"] - 0.2 * frame["ladder_step"] + 0.02 * frame["age"])
    t = scale * rng.weibull(1.2, n)
    cut = rng.uniform(6, 36, n)
    frame["duration"], frame["event"] = np.minimum(t, cut), (t <= cut).astype(int)
    model = TimeToWorkModel.fit(frame, duration="duration", event="event", factors=list(ALLOWED_FACTORS))
    p12 = model.p_work(frame, 12)
    median = model.median(frame)
    frame["p12"], frame["route"] = p12, np.where(median <= 24, "work", "participation")
    rows = fairness_report(frame, attributes=["gender"], tolerance=0.05)
    content = {
        "format": "trede-time-to-work",
        "parameters": model.to_dict(),
        "training": {
            "period_from": "2016-01-01",
            "period_to": "2026-01-01",
            "spells": n,
            "events": int(frame["event"].sum()),
            "censored_share": float(1 - frame["event"].mean()),
            "followup_months": 36,
            "left_out": {"no_factors": 0, "no_ladder_step": 0},
            "holdout_spells": n,
        },
        "accuracy": {
            "concordance": concordance(frame["duration"], frame["event"], median),
            "calibration_12": [asdict(b) for b in calibration(frame["duration"], frame["event"], p12, 12)],
        },
        "fairness": {"tolerance": 0.05, "min_group": 20, "rows": [asdict(r) for r in rows]},
        "prospects": {"groups": {}},
    }
    return json.dumps(content, default=float).encode()


def test_intake_route_with_less_help_needs_a_team_lead_in_a_real_browser(live_server):
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.core.services import user_create
    from trede.intake.models import RouteDecision
    from trede.intake.services import model_import

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    client = clients[4]  # Priya Ramdin: no severe health, over 27
    lead = _team_lead_of(cw)
    admin = user_create(
        actor=None,
        username=ADMIN_USERNAME,
        password=ADMIN_PASSWORD,
        role="administrator",
        first_name="R",
        last_name="B",
    )
    version = model_import(actor=admin, content=_synthetic_model_file(), name="model.json")
    base = live_server.url
    violations: list[str] = []

    with sync_playwright() as pw, _opened_page(pw) as page:

        def login(username, password):
            page.goto(f"{base}/inloggen/")
            _field(page, "Gebruikersnaam").fill(username)
            _field(page, "Wachtwoord").fill(password)
            page.get_by_role("button", name="Inloggen").click()

        # The administrator sees the model page and puts the model into use.
        login(ADMIN_USERNAME, ADMIN_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Model").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Model: tijd tot werk")
        expect(page.get_by_text("Eerlijkheid per groep")).to_be_visible()
        page.get_by_role("button", name=f"In gebruik nemen model {version.number}").click()
        expect(page.get_by_role("status")).to_contain_text(f"Model {version.number} is nu in gebruik")
        _axe(page, "model", violations)
        _shot(page, "model")
        page.get_by_role("button", name="Uitloggen").click()

        # The caseworker holds the intake: pre-filled from the dossier.
        login(USERNAME, PASSWORD)
        page.goto(f"{base}/clienten/{client.pk}/")
        page.get_by_role("link", name="Intake starten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Intake: {client.full_name}")
        education = _field(page.get_by_role("group", name="Hoogste opleiding"), "Antwoord")
        expect(education).to_have_value("none")  # as recorded in the dossier
        _axe(page, "intake form", violations)
        _shot(page, "intake-form")
        page.get_by_role("button", name="Intake vastleggen en schatting bekijken").click()

        # The estimate explains itself; the advice is shown.
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Intake en route: {client.full_name}")
        why = page.get_by_role("region", name="Waarom deze schatting")
        expect(why).to_contain_text(re.compile(r"Werkervaring in de laatste 2 jaar: ([+-]\d+ maanden|geen verschil)"))
        estimate = page.get_by_role("region", name="Schatting: tijd tot betaald werk")
        expect(estimate).to_contain_text("12 maanden")
        _axe(page, "assessment", violations)
        _shot(page, "assessment")
        advised = page.get_by_role("region", name="Advies van de regels").locator(".big").inner_text()
        assert advised in ("Traject naar werk", "Activering en participatie"), advised

        # Choose the route with the least help (exemption review) without a reason: refused, nothing saved.
        page.get_by_label(re.compile("^Beoordeling ontheffing")).check()
        page.get_by_role("button", name="Route vastleggen").click()
        expect(page.get_by_role("alert")).to_contain_text("Schrijf op waarom u afwijkt van het advies.")
        assert not RouteDecision.objects.filter(client=client).exists()
        _axe(page, "assessment with errors", violations)
        page.get_by_label(re.compile("^Beoordeling ontheffing")).check()
        _field(page, "Motivering").fill("Cliënt meldt sinds kort ernstige klachten; eerst een medisch advies.")
        page.get_by_role("button", name="Route vastleggen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(client.full_name)
        expect(page.get_by_role("region", name="Route")).to_contain_text("wacht op bevestiging door een teamleider")
        decision = RouteDecision.objects.get(client=client)
        assert decision.status == "awaiting" and decision.obligations == []
        page.get_by_role("button", name="Uitloggen").click()

        # The team lead confirms: the route takes effect and the review date is set.
        login(LEAD_USERNAME, LEAD_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Routes bevestigen").click()
        page.get_by_role("link", name=client.full_name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Routebesluit bevestigen")
        _axe(page, "route review", violations)
        page.get_by_label("Bevestigen: de route gaat in").check()
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("Er wacht niets op bevestiging.")).to_be_visible()
        decision.refresh_from_db()
        client.refresh_from_db()
        assert decision.status == "in_force" and decision.confirmed_by_id == lead.pk
        assert client.next_review_on == decision.review_on

    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


def test_team_lead_previews_and_plans_a_campaign_in_a_real_browser(live_server):
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.core.models import User
    from trede.obligations.selectors import is_exempt
    from trede.outreach import letters
    from trede.outreach.models import Invitation

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    _team_lead_of(cw)  # the team lead who organises the campaign
    exempt = [c for c in clients if is_exempt(client_id=c.pk, obligation="tegenprestatie", on=today)]
    assert exempt, "the municipality has clients exempt from the tegenprestatie"
    if letters.latest_template("tegenprestatie") is None:
        # a transactional test before this one flushed the texts that migration 0002 ships: publish them again
        defaults = importlib.import_module("trede.outreach.migrations.0002_default_letter_templates").DEFAULTS
        subject, body = defaults["tegenprestatie"]
        admin = User.objects.create_user("f.beheer", password=PASSWORD, role="administrator")
        letters.letter_template_publish(actor=admin, purpose="tegenprestatie", subject=subject, body=body)
    violations: list[str] = []

    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, LEAD_USERNAME, LEAD_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Oproepen").click()
        page.get_by_role("link", name="Nieuwe oproep").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe oproep")
        _axe(page, "campaign form", violations)
        _field(page, "Naam").fill("Tegenprestatie najaar")
        page.get_by_label("Tegenprestatie", exact=True).check()
        _field(page, "Grootte van een cohort").fill("4")
        page.get_by_label("Willekeurig (vastgelegd, bruikbaar voor evaluatie)").check()
        page.get_by_role("button", name="Oproep aanmaken en bekijken").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Tegenprestatie najaar")
        reasons = page.get_by_role("table", name="Niet opgeroepen, per reden")
        expect(reasons.get_by_role("row", name=re.compile("Ontheffing van de verplichting"))).to_contain_text(
            str(len(exempt))
        )
        _axe(page, "campaign preview", violations)
        _shot(page, "campaign-preview")
        page.get_by_role("button", name=re.compile("in cohorten plaatsen")).click()
        expect(page.get_by_role("status")).to_contain_text("in cohorten geplaatst")
        invited = set(Invitation.objects.values_list("client_id", flat=True))
        assert invited and not invited & {c.pk for c in exempt}
        expect(page.get_by_role("button", name=re.compile("in cohorten plaatsen"))).to_have_count(0)

        # schedule the first cohort's talks, make its letters and download them for printing
        page.get_by_role("button", name="Afspraken inplannen cohort 1").click()
        expect(page.get_by_role("status")).to_contain_text("ingepland")
        page.get_by_role("link", name="Cohort 1: brieven").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Brieven cohort 1")
        _axe(page, "cohort letters", violations)
        page.get_by_role("button", name=re.compile(r"brieven? maken")).click()
        expect(page.get_by_role("status").first).to_contain_text("brieven gemaakt")
        with page.expect_download() as download_info:
            page.get_by_role("link", name=re.compile("Alle brieven downloaden")).click()
        pdf = Path(download_info.value.path()).read_bytes()

    # the printed letters are those of cohort 1's invitations, each with its own talk, and nobody exempt
    from trede.outreach.models import Letter

    text = _pdf_text(pdf)
    letters = list(Letter.objects.select_related("client", "invitation__cohort"))
    assert letters and {letter.invitation.cohort.number for letter in letters} == {1}
    for letter in letters:
        assert letter.client.full_name in text
    assert not any(c.full_name in text for c in exempt)
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


PROVIDER_USERNAME = "k.groen"
PROVIDER_PASSWORD = "Aanbieder-2024!"


def _provider_with_activities(district_name: str):
    """A welfare organisation with a staff member who can log in, and two activities in the catalogue."""
    from trede.activation.services import activity_save, provider_member_add, provider_save
    from trede.clients.models import District
    from trede.core.services import user_create

    admin = user_create(actor=None, username=ADMIN_USERNAME, password=ADMIN_PASSWORD, role="administrator")
    provider = provider_save(actor=admin, name="Buurtwerk Binnenstad", kind="welfare", phone="030-2345678")
    staff = user_create(
        actor=None,
        username=PROVIDER_USERNAME,
        password=PROVIDER_PASSWORD,
        role="provider",
        first_name="Kees",
        last_name="Groen",
    )
    provider_member_add(actor=admin, provider=provider, user=staff)
    district = District.objects.get(name=district_name)
    common = {"provider": provider, "district": district, "contact_name": "Kees Groen", "status": "offered"}
    activity_save(
        actor=admin,
        name="Moestuin De Linde",
        kind="volunteer_work",
        description="Samen groente kweken voor de voedselbank. Elke dinsdag en donderdag.",
        location="Lindenlaan 40",
        hours_per_week=6,
        physical_load="medium",
        capacity=8,
        **common,
    )
    activity_save(
        actor=admin,
        name="Taalcafé Binnenstad",
        kind="language",
        location="Bibliotheek Binnenstad",
        hours_per_week=2,
        physical_load="light",
        capacity=20,
        **common,
    )
    return provider, staff


def _more_clients_on_benefit(cw, today: dt.date, n: int, participating: int) -> None:
    """n more clients on benefit for a year (ladder step 1), of whom `participating` have done volunteer work for
    three months: enough people for the dashboard to show its figures (small groups are hidden)."""
    from trede.activation.services import participation_record
    from trede.caseload.services import assignment_assign
    from trede.clients.models import District
    from trede.clients.services import benefit_period_start, client_register, ladder_measure
    from trede.core.rules import bsn_with_check_digit

    district = District.objects.get(code="CEN")
    seed = 30_240_000
    for i in range(n):
        bsn = None
        while bsn is None:
            seed += 1
            bsn = bsn_with_check_digit(seed)
        c = client_register(
            actor=cw, bsn=bsn, district=district, first_name=f"Extra{i}", surname="Test", birth_date=dt.date(1980, 1, 1)
        )
        assignment_assign(actor=None, client=c, caseworker=cw, start_on=today - dt.timedelta(days=400))
        benefit_period_start(actor=cw, client=c, start_on=today - dt.timedelta(days=365))
        ladder_measure(actor=cw, client=c, step=1, measured_on=today - dt.timedelta(days=300))
        if i < participating:
            participation_record(
                actor=cw,
                client=c,
                kind="volunteer_work",
                description="Voedselbank",
                hours_per_week=6,
                start_on=today - dt.timedelta(days=100),
            )


def test_caseworker_refers_and_provider_confirms_the_start_in_a_real_browser(live_server):
    """Find an activity, refer a client from the dossier, the client says yes, the provider confirms the start (last
    month), and the team lead sees the client counted as active on the activation dashboard."""
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.activation import dashboard
    from trede.activation.models import Participation, Referral
    from trede.stats.activation import month_ends

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    sanne = clients[0]
    _team_lead_of(cw)
    _provider_with_activities(sanne.district.name)
    _more_clients_on_benefit(cw, today, n=40, participating=12)
    # the dashboard counts month-ends: the start is reported for a day in the last month, as providers often do
    last_end = month_ends(today, 1)[0]
    proposed_on, started_on = last_end - dt.timedelta(days=20), last_end - dt.timedelta(days=10)
    before = dashboard.activation_figures(today, district_id=None, route=None).scope.cells[-1]
    assert before.shown, "enough people for the dashboard to show the share"
    violations: list[str] = []

    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, USERNAME, PASSWORD)

        # 1. the caseworker finds the activity in the catalogue
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Activiteiten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Activiteiten")
        _field(page, "Zoek op naam, organisatie of omschrijving").fill("moestuin")
        page.get_by_role("button", name="Zoeken").click()
        expect(page.get_by_text("1 activiteit gevonden")).to_be_visible()
        _axe(page, "activity catalogue", violations)
        page.get_by_role("link", name="Moestuin De Linde").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Moestuin De Linde")
        expect(page.get_by_text("8 plaatsen vrij")).to_be_visible()
        _axe(page, "activity detail", violations)

        # 2. and refers the client from the dossier
        page.goto(f"{live_server.url}/clienten/{sanne.pk}/")
        page.get_by_role("link", name="Verwijzen naar een activiteit").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Verwijzen naar een activiteit")
        _axe(page, "referral form", violations)
        _shot(page, "referral")
        page.get_by_label("Moestuin De Linde").check()
        _field(page, "Datum voorstel").fill(proposed_on.isoformat())
        page.get_by_role("button", name="Verwijzen", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("De verwijzing is vastgelegd")
        activation = page.get_by_role("region", name="Meedoen en activiteiten")
        expect(activation.get_by_role("row", name=re.compile("Moestuin De Linde"))).to_contain_text("Voorgesteld")
        _axe(page, "dossier with a referral", violations)

        # 3. the client says yes
        activation.get_by_role("link", name="Moestuin De Linde").click()
        page.get_by_label("Cliënt doet mee").check()
        _field(page, "Datum").fill(proposed_on.isoformat())
        page.get_by_role("button", name="Opslaan").click()
        expect(activation.get_by_role("row", name=re.compile("Moestuin De Linde"))).to_contain_text("Cliënt doet mee")
        page.get_by_role("button", name="Uitloggen").click()

        # 4. the provider logs in, sees only its referral and confirms the start
        _login(page, live_server.url, PROVIDER_USERNAME, PROVIDER_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzingen naar Buurtwerk Binnenstad")
        table = page.get_by_role("table", name="Verwijzingen")
        expect(table.get_by_role("row")).to_have_count(2)  # the header and Sanne
        expect(page.get_by_text(sanne.bsn)).to_have_count(0)
        _axe(page, "provider referrals", violations)
        page.get_by_role("link", name=sanne.full_name).click()
        _axe(page, "provider referral", violations)
        page.get_by_label("Gestart").check()
        _field(page, "Datum").fill(started_on.isoformat())
        page.get_by_role("button", name="Doorgeven").click()
        expect(page.get_by_role("status")).to_contain_text("De klantmanager ziet de nieuwe status")
        assert page.goto(f"{live_server.url}/clienten/{sanne.pk}/").status == 403  # never the dossier
        page.goto(f"{live_server.url}/")
        page.get_by_role("button", name="Uitloggen").click()

        # 5. the team lead sees the client counted as active at the last month-end
        _login(page, live_server.url, LEAD_USERNAME, LEAD_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Activering").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Activering in cijfers")
        months = page.get_by_role("table", name=re.compile("Aandeel actief op de laatste dag van elke maand"))
        last_row = months.get_by_role("row").nth(1)  # the newest month first, under the header
        expect(last_row.get_by_role("cell").nth(1)).to_have_text(str(before.active + 1))
        _axe(page, "activation dashboard", violations)
        _shot(page, "activation-dashboard")

        # 6. and the outcomes month by month, with the chart's text alternative, and the cohort curves
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitkomsten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Uitkomsten per maand")
        expect(page.get_by_role("img", name="In de bijstand per maand")).to_be_visible()
        outcomes = page.get_by_role("table", name=re.compile("Per maand: bijstand"))
        expect(outcomes.get_by_role("row").nth(1).get_by_role("cell").nth(0)).not_to_have_text("•")
        expect(page.get_by_text(sanne.bsn)).to_have_count(0)
        _axe(page, "outcomes dashboard", violations)
        _shot(page, "outcomes-dashboard")
        page.get_by_role("link", name=re.compile("Cohorten")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cohorten")
        _axe(page, "outcome cohorts", violations)
        page.goto(f"{live_server.url}/cijfers/export/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers exporteren")
        expect(page.get_by_text(sanne.bsn)).to_have_count(0)
        _axe(page, "quarterly figures", violations)

    referral = Referral.objects.get(client=sanne)
    assert referral.status == "started"
    participation = Participation.objects.get(referral=referral)
    assert participation.end_on is None and participation.start_on == started_on
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


ADVISER_USERNAME = "m.werkgever"
ADVISER_PASSWORD = "Werkgever-2024!"


def test_adviser_adds_a_vacancy_and_caseworker_places_a_client_in_a_real_browser(live_server):
    """Add a vacancy, see the shortlist, propose a client, record a trial placement and a hire, register the exit
    and see the follow-ups planned."""
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.core.services import user_create
    from trede.employers import services as es
    from trede.employers.models import Exit, Placement
    from trede.intake.services import route_decide

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    sanne = clients[0]
    route_decide(actor=cw, client=sanne, route="work", reason="", decided_on=today - dt.timedelta(days=3))
    es.work_profile_record(
        actor=cw,
        client=sanne,
        recorded_on=today,
        experience=[{"code": "9112", "years": 4}],
        preferences=["9112"],
        hours_wanted=24,
        driving_licence=False,
    )
    adviser = user_create(
        actor=None,
        username=ADVISER_USERNAME,
        password=ADVISER_PASSWORD,
        role="employer_adviser",
        first_name="Mira",
        last_name="Werk",
    )
    employer = es.employer_save(actor=adviser, name="Schoon & Co", sector="N", adviser=adviser)
    es.contact_person_save(actor=adviser, employer=employer, name="Ria Schoon", phone="030-7654321")
    violations: list[str] = []

    with sync_playwright() as pw, _opened_page(pw) as page:
        # 1. the adviser adds a complete vacancy and opens it
        _login(page, live_server.url, ADVISER_USERNAME, ADVISER_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Werkgevers")
        page.get_by_role("link", name="Schoon & Co").click()
        page.get_by_role("link", name="Nieuwe vacature").click()
        _axe(page, "vacancy form", violations)
        _field(page, "Functie").fill("Schoonmaker kantoren")
        _field(page, "Beroep (ISCO-08)").fill("9112")
        _field(page, "Taken").fill("Kantoren schoonmaken in de avond")
        _field(page, "Bruto uurloon vanaf (EUR)").fill("15.10")
        _field(page, "Uren per week").fill("24")
        _field(page, "Soort contract").select_option(label="Tijdelijk contract")
        _field(page, "Duur contract (maanden)").fill("12")
        _field(page, "Opleiding nodig").select_option(label="Geen of basisonderwijs")
        _field(page, "Lichamelijke belasting").select_option(label="Gemiddeld")
        _field(page, "Werkplek (adres)").fill("Stationsplein 1")
        _field(page, "Startdatum").fill(today.isoformat())
        _field(page, "Contactpersoon").select_option(label="Ria Schoon")
        page.get_by_label("Nu openzetten voor klantmanagers").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Schoonmaker kantoren")

        # 2. the shortlist explains itself
        shortlist = page.get_by_role("table", name="Kandidaten, de best passende eerst")
        expect(shortlist.get_by_role("row").nth(1)).to_contain_text("Sanne")
        _axe(page, "vacancy with shortlist", violations)
        _shot(page, "shortlist")
        page.get_by_role("button", name="Uitloggen").click()

        # 3. the caseworker proposes the client and records the steps
        _login(page, live_server.url, USERNAME, PASSWORD)
        page.goto(f"{live_server.url}/clienten/{sanne.pk}/")
        page.get_by_role("link", name="Voorstellen voor een vacature").click()
        _axe(page, "vacancies for a client", violations)
        page.get_by_label(re.compile("Schoonmaker kantoren")).check()
        page.get_by_role("button", name="Voorstellen bij de werkgever").click()
        expect(page.get_by_role("status")).to_contain_text("voorgesteld")
        work = page.get_by_role("region", name="Werk")
        for step in ("Cv gestuurd", "Sollicitatiegesprek"):
            work.get_by_role("link", name="Schoonmaker kantoren").click()
            page.get_by_label(step).check()
            page.get_by_role("button", name="Opslaan").click()
        work.get_by_role("link", name="Schoonmaker kantoren").click()
        page.get_by_label("Proefplaatsing").check()
        page.get_by_role("button", name="Opslaan").click()

        # 4. the trial placement with its agreement, then the hire
        expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsing vastleggen")
        _field(page, "Eindigt op").fill((today + dt.timedelta(days=50)).isoformat())
        _field(page, "Beoogd contract na de proefplaatsing").fill("Jaarcontract van 24 uur")
        _axe(page, "placement form", violations)
        page.get_by_role("button", name="Opslaan").click()
        work.get_by_role("link", name=re.compile("Proefplaatsing")).click()
        page.get_by_label("Contract", exact=True).check()
        page.get_by_role("button", name="Afsluiten").click()
        expect(page.get_by_role("status")).to_contain_text("bijgewerkt")

        # 5. the exit to work, and the follow-ups planned
        page.goto(f"{live_server.url}/clienten/{sanne.pk}/uitstroom/")
        _field(page, "Werkgever").select_option(label="Schoon & Co")
        _field(page, "Uren per week").fill("24")
        _field(page, "Soort contract").select_option(label="Tijdelijk contract")
        _field(page, "Duur contract (maanden)").fill("12")
        _field(page, "Bruto uurloon (EUR)").fill("15.10")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("De nazorg staat gepland")
        expect(work).to_contain_text("Nazorg na 6 maanden")
        _axe(page, "dossier with work", violations)

    placement = Placement.objects.get(client=sanne)
    assert placement.kind == "trial" and placement.outcome == "contract"
    assert placement.referral.status == "hired"
    job_exit = Exit.objects.get(client=sanne)
    assert [f.months for f in job_exit.follow_ups.all()] == [1, 6, 12]
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


def test_a_sanction_case_from_breach_to_objection_in_a_real_browser(live_server):
    """One case: the breach with its checks, the hearing, culpability, the proposal from the rule set, approval by
    the team lead as second person, the decision letter, and an objection."""
    expect, sync_playwright = _browser_tools()

    from django.utils import timezone

    from trede.sanctions.models import SanctionCase

    today = timezone.localdate()
    cw, clients = _build_municipality(today)
    client = clients[2]  # no exemption; the work obligation applies
    _team_lead_of(cw)
    violations: list[str] = []

    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, USERNAME, PASSWORD)
        page.goto(f"{live_server.url}/clienten/{client.pk}/")
        page.get_by_role("link", name="Maatregelzaak openen").click()
        _axe(page, "sanction case form", violations)
        _field(page, "Wat heeft de cliënt niet gedaan?").select_option(label="Algemeen geaccepteerd werk geweigerd")
        _field(page, "Datum van de gedraging").fill((today - dt.timedelta(days=40)).isoformat())
        _field(page, "Wat is er gebeurd?").fill("Aangeboden werk als schoonmaker geweigerd.")
        page.get_by_role("button", name="Zaak openen en controleren").click()
        expect(page.get_by_role("heading", level=2, name="Controles bij het openen")).to_be_visible()
        _axe(page, "sanction case", violations)

        # 1. the hearing and the client's view
        _field(page, "Uitnodiging voor horen verstuurd op").fill((today - dt.timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Uitnodiging voor horen vastleggen").click()
        page.get_by_label("Ja").check()
        _field(page, "Wat zegt de cliënt? (zienswijze)").fill("Ik had geen opvang voor mijn kind.")
        page.get_by_role("button", name="Horen vastleggen").click()

        # 2. culpability, 3. the proposal from the rule set
        page.get_by_label("Volledig verwijtbaar").check()
        _field(page, "Motivering").fill("Er was opvang geregeld via de gemeente.")
        page.get_by_role("button", name="Beoordeling vastleggen").click()
        expect(page.get_by_text(re.compile("Voorstel volgens de regels"))).to_contain_text("100% gedurende 1 maand")
        page.get_by_role("button", name="Besluit voorstellen").click()
        expect(page.get_by_text("Een teamleider keurt het besluit goed.")).to_be_visible()
        page.get_by_role("button", name="Uitloggen").click()

        # the team lead approves as the second person
        _login(page, live_server.url, LEAD_USERNAME, LEAD_PASSWORD)
        page.goto(f"{live_server.url}/clienten/{client.pk}/")
        page.get_by_role("region", name="Maatregelen").get_by_role(
            "link", name="Algemeen geaccepteerd werk geweigerd"
        ).click()
        page.get_by_role("button", name="Goedkeuren als tweede persoon").click()
        expect(page.get_by_role("status")).to_contain_text("goedgekeurd")
        page.get_by_role("button", name="Uitloggen").click()

        # the caseworker sends the letter, downloads it, and registers an objection
        _login(page, live_server.url, USERNAME, PASSWORD)
        case = SanctionCase.objects.get(client=client)
        page.goto(f"{live_server.url}/clienten/{client.pk}/maatregelen/{case.pk}/")
        page.get_by_role("button", name="Besluitbrief maken en versturen").click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Besluitbrief (PDF)").click()
        letter = _pdf_text(Path(download_info.value.path()).read_bytes())
        page.get_by_role("button", name="Bezwaar registreren").click()
        expect(page.get_by_text(re.compile("Bezwaar ontvangen op"))).to_be_visible()
        _axe(page, "sanction case with objection", violations)

    letter = " ".join(letter.split())
    assert client.full_name in letter and "Ik had geen opvang voor mijn kind" in letter
    assert "per maand minder" in letter and "bezwaar maken" in letter
    case.refresh_from_db()
    assert case.status == "decided" and case.decisions.get().objections.count() == 1
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )


ANALYST_USERNAME = "b.analist"
ANALYST_PASSWORD = "Beleid-2024!"


def test_analyst_saves_a_scenario_and_compares_it_with_the_baseline_in_a_real_browser(live_server, settings, tmp_path):
    """A policy analyst opens a shipped scenario, saves a changed copy (a value with its source), runs it against
    the baseline on a small synthetic population, and reads the results side by side with the paired differences."""
    expect, sync_playwright = _browser_tools()

    from trede.core.services import user_create
    from trede.scenarios.models import SimulationRun

    settings.TREDE_SIMULATION_BACKGROUND = False  # the run is carried out within the request here
    settings.VAR_DIR = tmp_path
    user_create(
        actor=None,
        username=ANALYST_USERNAME,
        password=ANALYST_PASSWORD,
        role="policy_analyst",
        first_name="Bea",
        last_name="Leid",
    )
    violations: list[str] = []
    with sync_playwright() as pw, _opened_page(pw) as page:
        _login(page, live_server.url, ANALYST_USERNAME, ANALYST_PASSWORD)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Simulatie").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Beleidssimulatie")
        _axe(page, "simulation", violations)
        page.get_by_role("link", name=re.compile("Stockholm")).click()
        expect(page.get_by_role("table", name=re.compile("Elke parameter"))).to_contain_text("population.md")
        _axe(page, "scenario", violations)
        _field(page, "Naam (kort, zonder spaties)").fill("caseload-50")
        _field(page, "Titel").fill("Caseload 50 voor de groep ver van werk")
        _field(page, "Het scenario").fill(
            '[scenario]\nname = "caseload-50"\ntitle = "Caseload 50"\nextends = "baseline"\n\n'
            "[service.participation]\n"
            'clients_per_caseworker = { value = 50, source = "eigen plan van de gemeente" }\n'
        )
        page.get_by_role("button", name="Scenario opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("opgeslagen")
        expect(page.get_by_role("table", name=re.compile("Elke parameter"))).to_contain_text(
            "eigen plan van de gemeente"
        )

        page.goto(f"{live_server.url}/simulatie/")
        page.get_by_label("Caseload 50 voor de groep ver van werk").check()
        _field(page, "Aantal mensen (synthetisch)").fill("500")
        _field(page, "Herhalingen").fill("3")
        _field(page, "Horizon in maanden").fill("24")
        page.get_by_role("button", name="Simulatie starten").click()
        expect(page.get_by_role("heading", level=2, name="Naast elkaar")).to_be_visible()
        compare = page.get_by_role("table", name=re.compile("Uitkomsten per scenario"))
        expect(compare).to_contain_text("caseload-50: verschil")
        expect(page.get_by_role("img", name="Mensen in de bijstand per maand")).to_be_visible()
        _axe(page, "simulation results", violations)
        _shot(page, "simulation")
        page.goto(f"{live_server.url}/simulatie/kalibratie/")
        expect(page.get_by_role("table", name="Gesimuleerd tegenover gepubliceerd")).to_contain_text("population.md")
        _axe(page, "calibration report", violations)
        page.go_back()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV").first.click()
        assert b"scenario" in Path(download_info.value.path()).read_bytes()[:200]

    run = SimulationRun.objects.get()
    assert run.status == "done" and run.scenarios == ["baseline", "caseload-50"]
    assert not violations, f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):\n\n" + (
        "\n\n".join(violations)
    )
