"""What users do on the screens: record things through forms, see them back, get clear Dutch messages."""

import datetime as dt

import pytest
from django.urls import reverse

from trede.caseload.models import ActionItem, Assignment, ContactMoment
from trede.caseload.services import action_item_add, contact_record
from trede.clients.models import Circumstances, LadderMeasurement
from trede.clients.services import ladder_measure
from trede.core.models import AuditRecord
from trede.obligations.models import Exemption
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, caseworker):
    client.force_login(caseworker)
    return client


def test_record_contact_and_see_it_on_the_timeline(logged_in, client_of, today):
    r = logged_in.post(
        reverse("contact-create", args=[client_of.pk]),
        {"contact_on": today.isoformat(), "channel": "phone", "summary": "Besproken: vrijwilligerswerk"},
    )
    assert r.status_code == 302
    page = logged_in.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Besproken: vrijwilligerswerk" in page and "Contact: Telefoon" in page


def test_contact_in_the_future_is_refused_with_a_message(logged_in, client_of, today):
    r = logged_in.post(
        reverse("contact-create", args=[client_of.pk]),
        {"contact_on": (today + dt.timedelta(days=1)).isoformat(), "channel": "phone", "summary": "x"},
    )
    assert r.status_code == 200
    assert "kan niet in de toekomst liggen" in r.content.decode()
    assert not ContactMoment.objects.exists()
    assert not AuditRecord.objects.filter(action="contact_record").exists()


def test_missing_fields_name_the_field(logged_in, client_of):
    r = logged_in.post(reverse("contact-create", args=[client_of.pk]), {"channel": "phone"})
    body = r.content.decode()
    assert "Er ging iets mis" in body and 'href="#id_contact_on"' in body and 'href="#id_summary"' in body


def test_ladder_measurement_records_who_measured(logged_in, caseworker, client_of, today):
    logged_in.post(reverse("ladder-create", args=[client_of.pk]), {"step": "4", "measured_on": today.isoformat()})
    m = LadderMeasurement.objects.get()
    assert (m.step, m.measured_by) == (4, caseworker)
    r = logged_in.post(reverse("ladder-create", args=[client_of.pk]), {"step": "7", "measured_on": today.isoformat()})
    assert r.status_code == 200 and LadderMeasurement.objects.count() == 1


def test_circumstances_keep_their_history(logged_in, client_of, today):
    data = {
        "recorded_on": today.isoformat(),
        "education": "low",
        "work_experience_years": "2",
        "dutch_level": "1f",
        "health": "some",
        "debts": "problematic",
        "social": "isolated",
        "care_duties": "on",
        "care_note": "Zorgt voor moeder",
    }
    assert logged_in.post(reverse("circumstances-create", args=[client_of.pk]), data).status_code == 302
    data["debts"] = "some"
    assert logged_in.post(reverse("circumstances-create", args=[client_of.pk]), data).status_code == 302
    assert Circumstances.objects.filter(client=client_of).count() == 2
    page = logged_in.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Schulden, geregeld" in page and "Eerdere vastleggingen" in page


def test_grant_exemption_through_the_form_with_default_review(logged_in, client_of, today):
    r = logged_in.post(
        reverse("exemption-create", args=[client_of.pk]),
        {
            "obligation": "work_obligation",
            "ground": "urgent_reasons",
            "start_on": today.isoformat(),
            "reason": "Zorgt fulltime voor zieke partner",
        },
    )
    assert r.status_code == 302
    e = Exemption.objects.get()
    assert e.review_on is not None and e.review_on > today  # local review term from the rule set
    page = logged_in.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Ontheffing verleend" in page and "ontheven" in page


def test_overlapping_exemption_is_refused_on_the_form(logged_in, client_of, today):
    exemption_grant(
        actor=None,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        end_on=today + dt.timedelta(days=60),
        reason="x",
    )
    r = logged_in.post(
        reverse("exemption-create", args=[client_of.pk]),
        {
            "obligation": "work_obligation",
            "ground": "urgent_reasons",
            "start_on": today.isoformat(),
            "end_on": (today + dt.timedelta(days=10)).isoformat(),
            "reason": "y",
        },
    )
    assert r.status_code == 200 and "Er is al een ontheffing" in r.content.decode()
    assert Exemption.objects.count() == 1


def test_end_exemption(logged_in, client_of, today):
    e = exemption_grant(
        actor=None,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=10),
        end_on=today + dt.timedelta(days=60),
        reason="x",
    )
    r = logged_in.post(
        reverse("exemption-end", args=[client_of.pk, e.pk]),
        {"ended_on": today.isoformat(), "end_reason": "Situatie verbeterd"},
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.ended_on == today and e.end_reason == "Situatie verbeterd"


def test_action_plan_add_and_complete(logged_in, client_of, today):
    logged_in.post(
        reverse("action-create", args=[client_of.pk]),
        {
            "description": "Inschrijven bij UWV",
            "responsible": "client",
            "deadline": (today + dt.timedelta(days=7)).isoformat(),
        },
    )
    item = ActionItem.objects.get()
    logged_in.post(reverse("action-complete", args=[client_of.pk, item.pk]))
    item.refresh_from_db()
    assert item.done_on == today


def test_caseload_shows_facts_and_filters(logged_in, caseworker, make_client, district_north, today):
    a = make_client(caseworker, first_name="Ahmed", surname="Bakker")
    b = make_client(caseworker, first_name="Bea", surname="Claassen", district_obj=district_north)
    ladder_measure(actor=caseworker, client=a, step=2, measured_on=today)
    contact_record(actor=caseworker, client=b, contact_on=today, channel="phone", summary="x")
    exemption_grant(
        actor=caseworker,
        client=a,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        end_on=today + dt.timedelta(days=100),
        reason="x",
    )
    action_item_add(actor=caseworker, client=b, description="x", responsible="client", deadline=today)
    page = logged_in.get(reverse("caseload")).content.decode()
    assert "Ahmed Bakker" in page and "Bea Claassen" in page and "2 cliënten" in page
    only_north = logged_in.get(reverse("caseload"), {"wijk": "NRD"}).content.decode()
    assert "Bea Claassen" in only_north and "Ahmed Bakker" not in only_north
    exempt = logged_in.get(reverse("caseload"), {"ontheffing": "ja"}).content.decode()
    assert "Ahmed Bakker" in exempt and "Bea Claassen" not in exempt
    step2 = logged_in.get(reverse("caseload"), {"trede": "2"}).content.decode()
    assert "Ahmed Bakker" in step2 and "Bea Claassen" not in step2
    overdue = logged_in.get(reverse("caseload"), {"achterstand": "on"}).content.decode()
    assert "Ahmed Bakker" in overdue and "Bea Claassen" not in overdue  # A: never contacted
    by_contact = logged_in.get(reverse("caseload"), {"sorteer": "contact", "richting": "af"}).content.decode()
    assert by_contact.index("Bea Claassen") < by_contact.index("Ahmed Bakker")
    partial = logged_in.get(reverse("caseload"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Ahmed Bakker" in partial


def test_due_page_lists_the_three_kinds_of_work(logged_in, caseworker, make_client, today):
    a = make_client(caseworker, surname="Achterstand")
    exemption_grant(
        actor=caseworker,
        client=a,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=100),
        review_on=today + dt.timedelta(days=20),
        reason="x",
    )
    ActionItem.objects.create(
        client=a,
        description="Verlopen actie",
        responsible="client",
        deadline=today - dt.timedelta(days=1),
        created_on=today - dt.timedelta(days=30),
    )
    fresh = make_client(caseworker, surname="Bijgewerkt")
    contact_record(actor=caseworker, client=fresh, contact_on=today, channel="phone", summary="x")
    page = logged_in.get(reverse("due")).content.decode()
    assert "Verlopen actie" in page
    assert page.count("Achterstand") >= 3  # exemption review, overdue action, no contact
    section = page[page.index('id="h-contact"') :]
    assert "Bijgewerkt" not in section[: section.index("</section>")]


def test_team_lead_reassigns_and_history_is_kept(client, team_lead, caseworker, colleague, client_of, today):
    client.force_login(team_lead)
    team_page = client.get(reverse("team")).content.decode()
    assert str(caseworker) in team_page
    r = client.post(
        reverse("client-reassign", args=[client_of.pk]),
        {
            "caseworker": colleague.pk,
            "start_on": (today + dt.timedelta(days=1)).isoformat(),
            "reason": "Verlof Anna",
        },
    )
    assert r.status_code == 302
    history = list(Assignment.objects.filter(client=client_of).order_by("start_on"))
    assert [a.caseworker for a in history] == [caseworker, colleague]
    assert history[0].end_on == today and history[1].reason == "Verlof Anna"
    assert AuditRecord.objects.filter(action="assignment_end", client_id=client_of.pk).exists()
    r = client.post(
        reverse("client-reassign", args=[client_of.pk]),
        {"caseworker": colleague.pk, "start_on": (today + dt.timedelta(days=2)).isoformat(), "reason": "x"},
    )
    assert r.status_code == 200 and "zit al in de caseload" in r.content.decode()


def test_auditor_sees_changes_and_reads(client, auditor, caseworker, client_of, today):
    contact_record(actor=caseworker, client=client_of, contact_on=today, channel="phone", summary="x")
    client.force_login(caseworker)
    client.get(reverse("client-dossier", args=[client_of.pk]))
    client.force_login(auditor)
    audit_page = client.get(reverse("audit-log"), {"client": client_of.pk}).content.decode()
    assert "contact_record" in audit_page
    access_page = client.get(reverse("access-log"), {"user": caseworker.username}).content.decode()
    assert "Begeleiding van mijn klant" in access_page


def test_administrator_publishes_a_rule_set_version(client, administrator):
    client.force_login(administrator)
    r = client.post(
        reverse("rulesets"),
        {
            "scope": "local",
            "name": "Beleid 2027",
            "version": "2027",
            "valid_from": "2027-01-01",
            "source": "Raadsbesluit",
            "parameters": '{"contact_norm_days": 45}',
        },
    )
    assert r.status_code == 302
    bad = client.post(
        reverse("rulesets"),
        {
            "scope": "local",
            "name": "x",
            "version": "x",
            "valid_from": "2028-01-01",
            "source": "x",
            "parameters": "{oops",
        },
    )
    assert "Geen geldige JSON" in bad.content.decode()


def test_language_switch_per_user(client, caseworker):
    client.force_login(caseworker)
    assert "Mijn caseload" in client.get(reverse("caseload")).content.decode()
    client.post(reverse("set-language"), {"language": "en", "next": reverse("caseload")})
    caseworker.refresh_from_db()
    assert caseworker.language == "en"
    page = client.get(reverse("caseload")).content.decode()
    assert "My caseload" in page and '<html lang="en">' in page


def test_administrator_creates_and_blocks_accounts(client, administrator, team):
    from trede.caseload.models import TeamMember
    from trede.core.models import User

    client.force_login(administrator)
    missing_team = client.post(
        reverse("staff"),
        {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Kok",
            "role": "caseworker",
            "hours_per_week": "32",
            "password": "een-lang-wachtwoord",
        },
    )
    assert "hoort bij een team" in missing_team.content.decode() and not User.objects.filter(username="nina")
    weak = client.post(
        reverse("staff"),
        {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Kok",
            "role": "caseworker",
            "team": team.pk,
            "hours_per_week": "32",
            "password": "kort",
        },
    )
    assert weak.status_code == 200 and not User.objects.filter(username="nina").exists()
    ok = client.post(
        reverse("staff"),
        {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "Kok",
            "role": "caseworker",
            "team": team.pk,
            "hours_per_week": "32",
            "password": "een-lang-wachtwoord",
        },
    )
    assert ok.status_code == 302
    nina = User.objects.get(username="nina")
    assert TeamMember.objects.get(user=nina).team == team and nina.check_password("een-lang-wachtwoord")
    audit = AuditRecord.objects.get(action="user_create", object_pk=str(nina.pk))
    assert "password" not in audit.changes
    client.post(reverse("staff-active", args=[nina.pk]), {"active": "0"})
    nina.refresh_from_db()
    assert not nina.is_active
    client.post(reverse("staff-active", args=[administrator.pk]), {"active": "0"})
    administrator.refresh_from_db()
    assert administrator.is_active  # nobody locks themselves out


def test_team_lead_due_page_names_the_caseworker(client, team_lead, caseworker, make_client):
    make_client(caseworker, surname="Zonderhulp")  # never contacted
    client.force_login(team_lead)
    page = client.get(reverse("due")).content.decode()
    section = page[page.index('id="h-contact"') :]
    assert "Zonderhulp" in section and str(caseworker) in section


def test_search_by_bsn_never_puts_the_bsn_in_a_url(logged_in, caseworker, make_client):
    a = make_client(caseworker, first_name="Ahmed", surname="Bakker")
    make_client(caseworker, first_name="Bea", surname="Claassen")
    r = logged_in.post(reverse("caseload") + "?wijk=CEN", {"zoek": a.bsn})
    assert r.status_code == 302 and a.bsn not in r["Location"] and "wijk=CEN" in r["Location"]
    page = logged_in.get(r["Location"]).content.decode()
    assert "Ahmed Bakker" in page and "Bea Claassen" not in page
    logged_in.post(reverse("caseload"), {"zoek": ""})
    assert "Bea Claassen" in logged_in.get(reverse("caseload")).content.decode()
    by_name = logged_in.post(reverse("caseload"), {"zoek": "claas"}, follow=True).content.decode()
    assert "Bea Claassen" in by_name and "Ahmed Bakker" not in by_name


def test_review_an_exemption_on_the_dossier(logged_in, client_of, today):
    e = exemption_grant(
        actor=None,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=100),
        review_on=today,
        reason="x",
    )
    page = logged_in.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert reverse("exemption-review", args=[client_of.pk, e.pk]) in page
    r = logged_in.post(
        reverse("exemption-review", args=[client_of.pk, e.pk]),
        {
            "reviewed_on": today.isoformat(),
            "next_review_on": (today + dt.timedelta(days=90)).isoformat(),
            "note": "Mantelzorg loopt nog door",
        },
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.review_on == today + dt.timedelta(days=90)
    page = logged_in.get(reverse("client-dossier", args=[client_of.pk])).content.decode()
    assert "Ontheffing herbeoordeeld" in page and "Mantelzorg loopt nog door" in page
    bad = logged_in.post(
        reverse("exemption-review", args=[client_of.pk, e.pk]),
        {"reviewed_on": today.isoformat(), "next_review_on": today.isoformat(), "note": "x"},
    )
    assert "moet later zijn" in bad.content.decode()


def test_register_a_new_client_into_my_caseload(logged_in, caseworker, district, today):
    data = {
        "bsn": "111222334",
        "first_name": "Noor",
        "surname": "Smit",
        "birth_date": "1990-04-01",
        "gender": "f",
        "district": district.pk,
        "household_kind": "single",
        "norm": "single",
        "benefit_start_on": today.isoformat(),
        "caseworker": caseworker.pk,
        "postcode": "1234AB",
    }
    bad = logged_in.post(reverse("client-register"), data)
    assert "elfproef" in bad.content.decode()
    assert not Assignment.objects.exists()
    data["bsn"] = "111222333"
    r = logged_in.post(reverse("client-register"), data)
    assert r.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.caseworker == caseworker and assignment.client.postcode == "1234 AB"
    assert assignment.client.benefit_periods.get().start_on == today


def test_caseworker_cannot_register_into_a_colleagues_caseload(logged_in, colleague, district):
    r = logged_in.post(
        reverse("client-register"),
        {
            "bsn": "111222333",
            "first_name": "Noor",
            "surname": "Smit",
            "birth_date": "1990-04-01",
            "gender": "f",
            "district": district.pk,
            "household_kind": "single",
            "norm": "single",
            "caseworker": colleague.pk,
        },
    )
    assert r.status_code == 200 and not Assignment.objects.exists()
