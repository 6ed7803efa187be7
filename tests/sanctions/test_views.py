"""The sanction screens walk one case: open (the checks shown), hearing, culpability, the proposal from the rule set,
approval by a team lead, the decision letter (facts, reasoning, euros per month, the objection date), an objection;
the deadlines on the due page; the overview per group for team leads and auditors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from trede.clients.services import benefit_period_start
from trede.obligations.services import exemption_grant, obligation_impose
from trede.sanctions.models import SanctionCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_benefit(client_of, caseworker, today):
    benefit_period_start(actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=400), norm="single")
    obligation_impose(
        actor=caseworker, client=client_of, kind="work_obligation", start_on=today - dt.timedelta(days=400)
    )
    return client_of


def act(client, url, action, **fields):
    return client.post(url, {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}})


def test_a_case_from_breach_to_decision_letter_and_objection(client, caseworker, team_lead, on_benefit, today):
    client.force_login(caseworker)
    created = client.post(
        reverse("sanction-case-create", args=[on_benefit.pk]),
        {
            "category": "refused_work",
            "breach_on": (today - dt.timedelta(days=40)).isoformat(),
            "description": "Aangeboden werk als schoonmaker geweigerd.",
        },
    )
    assert created.status_code == 302
    case = SanctionCase.objects.get()
    url = reverse("sanction-case", args=[on_benefit.pk, case.pk])
    page = client.get(url).content.decode()
    assert "Controles bij het openen" in page and "Uitnodiging voor horen vastleggen" in page
    assert "Besluit voorstellen" not in page  # not before the hearing and the assessment
    act(client, url, "horen", invited_on=(today - dt.timedelta(days=30)).isoformat())
    act(client, url, "zienswijze", responded="1", statement="Ik kon mijn kinderen niet naar school brengen.")
    act(client, url, "verwijtbaarheid", finding="full", reasoning="Opvang was geregeld.", assessed_on=today.isoformat())
    page = client.get(url).content.decode()
    assert "100% gedurende 1 maand" in page  # the proposal of the rule set for a first refusal of work
    act(client, url, "besluit", start_on=today.isoformat())
    assert "Een teamleider keurt het besluit goed" in client.get(url).content.decode()
    client.force_login(team_lead)
    client.post(url, {"action": "goedkeuren"})
    client.force_login(caseworker)
    act(client, url, "versturen", sent_on=today.isoformat())
    case.refresh_from_db()
    decision = case.decisions.get()
    assert case.status == "decided" and decision.pdf
    letter = client.get(reverse("sanction-decision-letter", args=[on_benefit.pk, case.pk, decision.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    text = " ".join(text.split())
    assert on_benefit.full_name in text and "Ik kon mijn kinderen niet naar school brengen" in text
    assert "Opvang was geregeld" in text and "€ 1.401,50 per maand minder" in text
    assert "bezwaar maken" in text and "uiterlijk op" in text
    assert "huishouden" not in text  # a single person's benefit: nothing about a household
    act(client, url, "bezwaar", received_on=today.isoformat())
    act(
        client,
        url,
        "beslissing_bezwaar",
        outcome="partly",
        reasoning="De zorg voor de kinderen speelde mee.",
        decided_on=today.isoformat(),
        pct="50",
        months="1",
    )
    new = case.decisions.get(supersedes=decision)
    assert (new.pct, new.months) == (50, 1)
    page = client.get(url).content.decode()
    assert "Deels gegrond" in page


def test_an_exempt_client_gets_a_stopped_case_that_cannot_go_on(client, caseworker, on_benefit, today):
    exemption_grant(
        actor=caseworker,
        client=on_benefit,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=100),
        review_on=today + dt.timedelta(days=60),
        reason="Mantelzorg",
    )
    client.force_login(caseworker)
    client.post(
        reverse("sanction-case-create", args=[on_benefit.pk]),
        {"category": "refused_work", "breach_on": (today - dt.timedelta(days=5)).isoformat(), "description": "x"},
    )
    case = SanctionCase.objects.get()
    page = client.get(reverse("sanction-case", args=[on_benefit.pk, case.pk])).content.decode()
    assert "Gestopt: mag niet verder" in page and "ontheffing" in page and "Uitnodiging voor horen" not in page


def test_the_overview_shows_groups_without_names_and_hides_small_ones(
    client, team_lead, auditor, caseworker, on_benefit, today
):
    client.force_login(auditor)
    page = client.get(reverse("sanctions")).content.decode()
    assert "Per groep" in page and on_benefit.surname not in page
    assert "•" in page  # one client on benefit: every group is too small to show


def test_a_no_show_without_a_letter_on_file_cannot_proceed(client, caseworker, on_benefit, today):
    obligation_impose(actor=caseworker, client=on_benefit, kind="cooperation", start_on=today - dt.timedelta(days=400))
    client.force_login(caseworker)
    form = client.get(reverse("sanction-case-create", args=[on_benefit.pk])).content.decode()
    assert "Brief (als bewijs)" in form and "Voorstel voor een vacature (als bewijs)" in form
    client.post(
        reverse("sanction-case-create", args=[on_benefit.pk]),
        {"category": "no_show", "breach_on": (today - dt.timedelta(days=5)).isoformat(), "description": "Niet gekomen"},
    )
    case = SanctionCase.objects.get()
    assert case.status == "stopped" and "no_letter" in [code for code, _text in case.checks["blocks"]]


def test_a_revision_is_proposed_on_the_case_page_and_waits_for_a_team_lead(
    client, caseworker, team_lead, on_benefit, today
):
    client.force_login(caseworker)
    client.post(
        reverse("sanction-case-create", args=[on_benefit.pk]),
        {
            "category": "refused_work",
            "breach_on": (today - dt.timedelta(days=60)).isoformat(),
            "description": "Werk geweigerd.",
        },
    )
    case = SanctionCase.objects.get()
    url = reverse("sanction-case", args=[on_benefit.pk, case.pk])
    act(client, url, "horen", invited_on=(today - dt.timedelta(days=50)).isoformat())
    act(client, url, "zienswijze", responded="0")
    act(client, url, "verwijtbaarheid", finding="full", reasoning="Geen reden.", assessed_on=today.isoformat())
    act(client, url, "besluit", start_on=(today - dt.timedelta(days=10)).isoformat())
    client.force_login(team_lead)
    client.post(url, {"action": "goedkeuren"})
    client.force_login(caseworker)
    act(client, url, "versturen", sent_on=(today - dt.timedelta(days=10)).isoformat())
    assert "Herziening voorstellen" in client.get(url).content.decode()
    bad = act(client, url, "herzien", complies_on=today.isoformat(), reason="")
    assert bad.status_code == 200 and case.decisions.count() == 1  # the reason is required; nothing saved
    act(client, url, "herzien", complies_on=(today - dt.timedelta(days=3)).isoformat(), reason="Werkt weer mee.")
    assert case.decisions.count() == 2
    page = client.get(url).content.decode()
    assert "Een teamleider keurt het besluit goed" in page and "Herziening voorstellen" not in page


def test_the_letter_to_a_couple_says_the_reduction_falls_on_the_household(caseworker, team_lead, make_client, today):
    from trede.sanctions import letters
    from trede.sanctions import services as ss

    c = make_client(caseworker)
    benefit_period_start(actor=caseworker, client=c, start_on=today - dt.timedelta(days=400), norm="couple")
    obligation_impose(actor=caseworker, client=c, kind="work_obligation", start_on=today - dt.timedelta(days=400))
    case = ss.case_open(
        actor=caseworker, client=c, category="refused_work", breach_on=today - dt.timedelta(days=40), description="x"
    )
    ss.hearing_schedule(actor=caseworker, case=case, invited_on=today - dt.timedelta(days=30))
    ss.hearing_record(actor=caseworker, case=case, responded=False)
    ss.assessment_record(actor=caseworker, case=case, finding="full", reasoning="Geen reden.", assessed_on=today)
    decision = ss.decision_propose(actor=caseworker, case=case, start_on=today)
    pdf = letters.decision_pdf(decision, sent_on=today)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "€ 2.002,13 per maand minder" in text and "bijstand van uw huishouden" in text and "lid 12" in text
