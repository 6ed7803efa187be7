"""Activation screens: finding and referring from the dossier (fit, full activities, waiting list), the provider's
view (only its own referrals, only the data it needs, every view access-logged), and stopping an activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trede.activation.models import Participation, Referral
from trede.activation.services import provider_save, referral_move, referral_propose
from trede.clients.services import circumstances_record
from trede.core.models import AccessRecord

pytestmark = pytest.mark.django_db


def test_the_catalogue_filters_by_kind_and_text(client, caseworker, make_activity):
    make_activity(name="Moestuin De Linde")
    make_activity(name="Taalcafé", kind="language")
    make_activity(name="Oude kast", status="draft")  # not offered: caseworkers do not see it
    client.force_login(caseworker)
    page = client.get(reverse("activities")).content.decode()
    assert "Moestuin De Linde" in page and "Taalcafé" in page and "Oude kast" not in page
    page = client.get(reverse("activities"), {"soort": "language"}).content.decode()
    assert "Taalcafé" in page and "Moestuin" not in page
    page = client.get(reverse("activities"), {"zoek": "moestuin"}).content.decode()
    assert "Moestuin De Linde" in page and "Taalcafé" not in page


def test_referring_from_the_dossier_shows_the_fit_and_refuses_a_full_activity_without_the_waiting_list(
    client, caseworker, client_of, make_activity, make_client, today
):
    circumstances_record(
        actor=caseworker,
        client=client_of,
        recorded_on=today,
        education="low",
        work_experience_years=1,
        dutch_level="1f",
        health="severe",
        debts="none",
        social="limited",
    )
    heavy = make_activity(name="Bosonderhoud", physical_load="heavy", capacity=1)
    light = make_activity(name="Bibliotheek", physical_load="light", capacity=3)
    referral_propose(actor=caseworker, client=make_client(caseworker, first_name="Ander"), activity=heavy, on=today)
    client.force_login(caseworker)
    url = reverse("referral-create", args=[client_of.pk])
    page = client.get(url).content.decode()
    assert "Te zwaar voor de gezondheid van de cliënt." in page
    fitting = client.get(url, {"passend": "on", "wijk": ""}).content.decode()
    assert "Bibliotheek" in fitting and "Bosonderhoud" not in fitting

    refused = client.post(url, {"activity": heavy.pk, "on": today.isoformat()})
    assert refused.status_code == 200 and "geen vrije plaats" in refused.content.decode()
    assert not Referral.objects.filter(client=client_of).exists()
    waiting = client.post(url, {"activity": heavy.pk, "on": today.isoformat(), "waiting_list": "on"})
    assert waiting.status_code == 302
    assert Referral.objects.get(client=client_of).status == "waiting"
    client.post(url, {"activity": light.pk, "on": today.isoformat()})
    dossier = client.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Op de wachtlijst" in dossier and "Bibliotheek" in dossier and "Voorgesteld" in dossier


def test_the_provider_sees_only_its_own_referrals_and_only_name_and_contact_details(
    client, caseworker, make_client, make_activity, provider_user, administrator, today
):
    mine = make_client(caseworker, first_name="Mila", surname="Visser", phone="06-12345678")
    other = make_client(caseworker, first_name="Otto", surname="Bakker")
    taalhuis = provider_save(actor=administrator, name="Taalhuis", kind="education")
    r_mine = referral_propose(actor=caseworker, client=mine, activity=make_activity(), on=today)
    r_other = referral_propose(
        actor=caseworker, client=other, activity=make_activity(provider=taalhuis, name="Taalcafé"), on=today
    )
    client.force_login(provider_user)
    listing = client.get(reverse("provider-referrals")).content.decode()
    assert "Mila Visser" in listing and "06-12345678" in listing
    assert "Bakker" not in listing and mine.bsn not in listing and "1980" not in listing  # no BSN, no birth date
    assert AccessRecord.objects.filter(actor=provider_user, client_id=mine.pk, purpose="referral").exists()
    assert not AccessRecord.objects.filter(actor=provider_user, client_id=other.pk, granted=True).exists()

    assert client.get(reverse("provider-referral", args=[r_other.pk])).status_code == 403
    assert AccessRecord.objects.filter(actor=provider_user, client_id=other.pk, granted=False).exists()
    assert client.get(reverse("client-dossier", args=[mine.pk])).status_code == 403

    # the client said yes to the caseworker; the provider confirms the start
    referral_move(actor=caseworker, referral=r_mine, to="accepted", on=today)
    page = client.get(reverse("provider-referral", args=[r_mine.pk]))
    assert page.status_code == 200 and "Gestart" in page.content.decode()
    assert "Ingetrokken" not in page.content.decode()  # the provider cannot withdraw
    done = client.post(reverse("provider-referral", args=[r_mine.pk]), {"to": "started", "on": today.isoformat()})
    assert done.status_code == 302
    assert Participation.objects.filter(client=mine, end_on__isnull=True, referral=r_mine).exists()


def test_stopping_an_activity_leads_to_a_new_ladder_measurement(client, caseworker, client_of, today):
    from trede.activation.services import participation_record

    p = participation_record(
        actor=caseworker,
        client=client_of,
        kind="volunteer_work",
        description="Kringloopwinkel",
        hours_per_week=12,
        start_on=today - dt.timedelta(days=120),
    )
    client.force_login(caseworker)
    url = reverse("participation-end", args=[client_of.pk, p.pk])
    missing = client.post(url, {"end_on": today.isoformat(), "reason": ""})
    assert missing.status_code == 200
    p.refresh_from_db()
    assert p.end_on is None  # nothing half-saved
    response = client.post(url, {"end_on": today.isoformat(), "reason": "Te zwaar", "next_step": ""})
    assert response.status_code == 302 and response["Location"] == reverse("ladder-create", args=[client_of.pk])
    due = client.get(reverse("due")).content.decode()
    assert "Gestopt met een activiteit zonder volgende stap (1)" in due and "Kringloopwinkel" in due
    timeline = client.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Gestopt met Kringloopwinkel" in timeline


def test_an_exemption_granted_after_the_referral_makes_the_tegenprestatie_voluntary_at_once(
    client, caseworker, client_of, make_activity, today
):
    from trede.core.services import ruleset_publish
    from trede.obligations.services import exemption_grant, obligation_impose

    ruleset_publish(
        actor=None,
        scope="local",
        name="Verordening tegenprestatie (test)",
        version="handhaven",
        valid_from=today - dt.timedelta(days=30),
        source="Verordening (test)",
        parameters={"tegenprestatie_policy": "enforced"},
    )
    obligation_impose(actor=caseworker, client=client_of, kind="tegenprestatie", start_on=today - dt.timedelta(days=20))
    activity = make_activity(kind="tegenprestatie", is_tegenprestatie=True, no_displacement="Naast vaste krachten")
    referral = referral_propose(actor=caseworker, client=client_of, activity=activity, on=today - dt.timedelta(days=5))
    assert referral.voluntary is False
    client.force_login(caseworker)
    page = client.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Opgelegd en nog niet ingevuld." in page
    exemption_grant(
        actor=caseworker,
        client=client_of,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=90),
        reason="Zorg voor een ziek kind",
    )
    page = client.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Opgelegd, maar de cliënt heeft ontheffing" in page
    assert "bij het voorstel verplicht; nu niet meer" in page
