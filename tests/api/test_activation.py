"""The activation endpoints: the activity catalogue (what each role sees, free places and waiting list), referrals
through their states, participation with follow-up, end and next step, the tegenprestatie status, and the
provider's own system (only its referrals, only name and contact details, every client access-logged, only the
steps a provider may take). Every refusal of a service is a 400 naming the field; list queries do not grow with
the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trede.activation.models import Activity, Participation, Referral
from trede.activation.services import (
    participation_end,
    participation_record,
    provider_member_add,
    provider_save,
    referral_move,
    referral_propose,
)
from trede.caseload.models import ActionItem
from trede.core.models import AccessRecord, AuditRecord, User
from trede.core.services import ruleset_publish
from trede.obligations.services import exemption_grant, obligation_impose

pytestmark = pytest.mark.django_db


def url(client, suffix: str) -> str:
    return f"/api/v1/clients/{client.pk}/{suffix}"


def fresh(user) -> User:
    """The user as token authentication loads it on each request (no per-object caches from earlier calls)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def other_provider(administrator):
    return provider_save(actor=administrator, name="Taalhuis", kind="education")


@pytest.fixture
def other_activity(make_activity, other_provider):
    return make_activity(provider=other_provider, name="Taalcafé", kind="language")


def propose(caseworker, client, activity, today, **kw):
    return referral_propose(actor=caseworker, client=client, activity=activity, on=today, **kw)


# --------------------------------------------------------------------------------------------------
# The catalogue


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["name"] for a in response.json()["results"]]


def test_caseworkers_see_the_offered_activities_with_free_places_and_waiting_list(
    api_as, caseworker, team_lead, client_of, make_client, make_activity, today
):
    full = make_activity(name="Bosonderhoud", capacity=1, physical_load="heavy", language_level="1f")
    make_activity(name="Oude kast", status="draft")
    make_activity(name="Gestopt", status="closed")
    propose(caseworker, client_of, full, today)
    propose(caseworker, make_client(caseworker, first_name="Wacht"), full, today, waiting_list=True)
    for user in (caseworker, team_lead):
        response = api_as(user).get("/api/v1/activities/")
        assert names(response) == ["Bosonderhoud"]
    (row,) = response.json()["results"]
    assert (row["capacity"], row["free_places"], row["waiting"]) == (1, 0, 1)
    assert (row["activity_kind"], row["activity_status"], row["physical_load"], row["dutch_level"]) == (
        "volunteer_work",
        "offered",
        "heavy",
        "1f",
    )
    assert row["provider"]["name"] == "Buurtwerk Centrum"
    assert row["district"] == {"code": "CEN", "name": "Centrum"}
    assert not AccessRecord.objects.exists()  # the catalogue is no dossier read


def test_the_catalogue_filters_by_district_kind_and_text(
    api_as, caseworker, make_activity, district_north, other_activity
):
    make_activity(name="Moestuin De Linde")
    make_activity(name="Wijkwandeling Noord", district=district_north, kind="health")
    make_activity(name="Stadsbreed koor", district=None, kind="social_contact", description="Zingen met buren")
    c = api_as(caseworker)
    assert names(c.get("/api/v1/activities/")) == [
        "Moestuin De Linde",
        "Stadsbreed koor",
        "Taalcafé",
        "Wijkwandeling Noord",
    ]
    # a district: its own activities and those for the whole municipality
    assert names(c.get("/api/v1/activities/", {"district": "NRD"})) == ["Stadsbreed koor", "Wijkwandeling Noord"]
    assert names(c.get("/api/v1/activities/", {"kind": "language"})) == ["Taalcafé"]
    assert names(c.get("/api/v1/activities/", {"q": "buren"})) == ["Stadsbreed koor"]
    assert names(c.get("/api/v1/activities/", {"q": "taalhuis"})) == ["Taalcafé"]  # the provider's name
    for params, field in (({"district": "XYZ"}, "district"), ({"kind": "knutselen"}, "kind")):
        response = c.get("/api/v1/activities/", params)
        assert (response.status_code, list(response.json())) == (400, [field])


def test_the_administrator_sees_every_activity_and_a_provider_only_its_own(
    api_as, administrator, provider_user, make_activity, other_activity
):
    draft = make_activity(name="Oude kast", status="draft")
    make_activity(name="Moestuin De Linde")
    assert names(api_as(administrator).get("/api/v1/activities/")) == ["Moestuin De Linde", "Oude kast", "Taalcafé"]
    c = api_as(provider_user)
    assert names(c.get("/api/v1/activities/")) == ["Moestuin De Linde", "Oude kast"]
    assert c.get(f"/api/v1/activities/{draft.pk}/").json()["activity_status"] == "draft"
    assert c.get(f"/api/v1/activities/{other_activity.pk}/").status_code == 404


def test_activity_detail(api_as, caseworker, make_activity):
    offered = make_activity(name="Moestuin De Linde", capacity=3)
    draft = make_activity(name="Oude kast", status="draft")
    c = api_as(caseworker)
    body = c.get(f"/api/v1/activities/{offered.pk}/").json()
    assert (body["id"], body["name"], body["free_places"], body["waiting"]) == (offered.pk, "Moestuin De Linde", 3, 0)
    assert c.get(f"/api/v1/activities/{draft.pk}/").status_code == 404  # a caseworker sees what is on offer
    assert c.get("/api/v1/activities/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("role_fixture", ["analyst", "auditor", "unlinked_provider"])
def test_other_roles_do_not_see_the_catalogue(request, api_as, make_activity, make_user, role_fixture):
    activity = make_activity()
    if role_fixture == "unlinked_provider":  # a provider account not linked to its organisation sees nothing
        user = make_user("provider", "p.los")
    else:
        user = request.getfixturevalue(role_fixture)
    c = api_as(user)
    assert c.get("/api/v1/activities/").status_code == 403
    assert c.get(f"/api/v1/activities/{activity.pk}/").status_code == 403
    assert c.get("/api/v1/provider/referrals/").status_code == 403


# --------------------------------------------------------------------------------------------------
# Referrals in the dossier


def test_refer_and_move_a_referral_through_its_states(api_as, caseworker, client_of, make_activity, today):
    activity = make_activity(is_tegenprestatie=False)
    c = api_as(caseworker)
    created = c.post(
        url(client_of, "referrals/"), {"activity": activity.pk, "note": "Houdt van buiten zijn"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["referral_status"], body["proposed_on"], body["status_on"], body["voluntary"]) == (
        "proposed",
        str(today),
        str(today),
        True,
    )
    assert body["activity"] == {
        "id": activity.pk,
        "name": "Moestuin De Linde",
        "activity_kind": "volunteer_work",
        "provider": {"id": activity.provider_id, "name": "Buurtwerk Centrum"},
    }
    assert [(e["referral_status"], e["reason"], e["by"]["username"]) for e in body["events"]] == [
        ("proposed", "Houdt van buiten zijn", "anna")
    ]
    assert AuditRecord.objects.filter(client_id=client_of.pk, action="referral_propose", actor=caseworker).exists()
    move = url(client_of, f"referrals/{body['id']}/move/")
    assert c.post(move, {"to": "accepted"}, format="json").json()["referral_status"] == "accepted"
    started = c.post(move, {"to": "started", "on": str(today)}, format="json")
    assert started.status_code == 200, started.content
    assert [e["referral_status"] for e in started.json()["events"]] == ["proposed", "accepted", "started"]
    participation = Participation.objects.get(client=client_of)
    assert (participation.source, participation.referral_id, participation.description) == (
        "referral",
        body["id"],
        "Moestuin De Linde",
    )
    ended = c.post(move, {"to": "ended", "reason": "Werk gevonden"}, format="json")
    assert ended.json()["referral_status"] == "ended"
    participation.refresh_from_db()
    assert (participation.end_on, participation.end_reason) == (today, "Werk gevonden")
    listed = c.get(url(client_of, "referrals/")).json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert [e["referral_status"] for e in listed[0]["events"]] == ["proposed", "accepted", "started", "ended"]
    assert AccessRecord.objects.filter(actor=caseworker, client_id=client_of.pk, granted=True, channel="api").exists()


def test_a_full_activity_takes_the_client_only_onto_the_waiting_list(
    api_as, caseworker, client_of, make_client, make_activity, today
):
    activity = make_activity(capacity=1)
    propose(caseworker, make_client(caseworker, first_name="Eerste"), activity, today)
    c = api_as(caseworker)
    refused = c.post(url(client_of, "referrals/"), {"activity": activity.pk}, format="json")
    assert (refused.status_code, list(refused.json())) == (400, ["waiting_list"])
    assert "wachtlijst" in refused.json()["waiting_list"][0]
    assert not Referral.objects.filter(client=client_of).exists()
    waiting = c.post(url(client_of, "referrals/"), {"activity": activity.pk, "waiting_list": True}, format="json")
    assert waiting.status_code == 201
    assert waiting.json()["referral_status"] == "waiting"
    # no place yet: it cannot be proposed from the waiting list
    move = url(client_of, f"referrals/{waiting.json()['id']}/move/")
    still_full = c.post(move, {"to": "proposed"}, format="json")
    assert (still_full.status_code, list(still_full.json())) == (400, ["to"])


@pytest.mark.parametrize(
    "payload,field",
    [
        (lambda a, t: {"activity": a.pk, "on": str(t + dt.timedelta(days=1))}, "on"),  # a future date
        (lambda a, t: {"activity": 99999999}, "activity"),
        (lambda a, t: {"activity": a.pk, "on": "gisteren"}, "on"),
        (lambda a, t: {}, "activity"),
    ],
)
def test_refusals_of_a_referral_name_the_field(api_as, caseworker, client_of, make_activity, today, payload, field):
    response = api_as(caseworker).post(url(client_of, "referrals/"), payload(make_activity(), today), format="json")
    assert (response.status_code, list(response.json())) == (400, [field])
    assert not Referral.objects.exists()


def test_a_draft_activity_cannot_be_referred_to(api_as, caseworker, client_of, make_activity, today):
    draft = make_activity(status="draft")
    response = api_as(caseworker).post(url(client_of, "referrals/"), {"activity": draft.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["activity"])


def test_a_second_open_referral_to_the_same_activity_is_refused(api_as, caseworker, client_of, make_activity, today):
    activity = make_activity()
    propose(caseworker, client_of, activity, today)
    response = api_as(caseworker).post(url(client_of, "referrals/"), {"activity": activity.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["activity"])


@pytest.mark.parametrize(
    "to,body,field",
    [
        ("started", {}, "to"),  # proposed -> started skips the client's yes
        ("active", {}, "to"),
        ("waiting", {}, "to"),  # nothing moves back onto the waiting list
        ("declined", {}, "reason"),  # missing reason
        ("withdrawn", {"reason": "   "}, "reason"),
        ("accepted", {"on": "future"}, "on"),  # a future date
        ("accepted", {"on": "before"}, "on"),  # before the last step
    ],
)
def test_refusals_of_a_move_name_the_field(api_as, caseworker, client_of, make_activity, today, to, body, field):
    referral = propose(caseworker, client_of, make_activity(), today - dt.timedelta(days=3))
    days = {"future": str(today + dt.timedelta(days=1)), "before": str(today - dt.timedelta(days=4))}
    if "on" in body:
        body = {**body, "on": days[body["on"]]}
    response = api_as(caseworker).post(
        url(client_of, f"referrals/{referral.pk}/move/"), {"to": to, **body}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [field])
    referral.refresh_from_db()
    assert referral.status == "proposed" and referral.events.count() == 1


def test_a_missing_reason_is_named_in_every_language(api_as, caseworker, client_of, make_activity, today):
    caseworker.language = "en"
    caseworker.save(update_fields=["language"])
    referral = propose(caseworker, client_of, make_activity(), today)
    response = api_as(caseworker).post(
        url(client_of, f"referrals/{referral.pk}/move/"), {"to": "declined"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Write down the reason."]}
    illegal = api_as(caseworker).post(
        url(client_of, f"referrals/{referral.pk}/move/"), {"to": "ended", "reason": "x"}, format="json"
    )
    assert list(illegal.json()) == ["to"]


def test_a_referral_of_another_client_is_not_found(api_as, caseworker, client_of, make_client, make_activity, today):
    other = make_client(caseworker, first_name="Ander")
    referral = propose(caseworker, other, make_activity(), today)
    response = api_as(caseworker).post(url(client_of, f"referrals/{referral.pk}/move/"), {"to": "accepted"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "proposed"


def test_a_colleague_reads_referrals_but_cannot_refer(api_as, caseworker, colleague, client_of, make_activity, today):
    activity = make_activity()
    referral = propose(caseworker, client_of, activity, today)
    c = api_as(colleague)
    listed = c.get(url(client_of, "referrals/"), {"purpose": "substitution"})
    assert [r["id"] for r in listed.json()["results"]] == [referral.pk]
    assert c.post(url(client_of, "referrals/"), {"activity": activity.pk}, format="json").status_code == 403
    moved = c.post(url(client_of, f"referrals/{referral.pk}/move/"), {"to": "accepted"}, format="json")
    assert moved.status_code == 403
    assert AccessRecord.objects.filter(actor=colleague, granted=False).count() == 2


# --------------------------------------------------------------------------------------------------
# Participation


def test_record_follow_up_end_and_next_step_of_a_participation(api_as, caseworker, client_of, today):
    c = api_as(caseworker)
    start = today - dt.timedelta(days=100)
    created = c.post(
        url(client_of, "participations/"),
        {
            "participation_kind": "informal_care",
            "description": "Zorgt voor haar moeder",
            "hours_per_week": 20,
            "start_on": str(start),
            "counts_as_tegenprestatie": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["source"], body["referral"], body["end_on"], body["counts_as_tegenprestatie"]) == (
        "client",
        None,
        None,
        True,
    )
    assert body["follow_up_on"] > str(start)
    assert body["recorded_by"]["username"] == "anna"
    pk = body["id"]

    followed = c.post(
        url(client_of, f"participations/{pk}/follow-up/"),
        {"contact_on": str(today), "channel": "phone", "summary": "Gaat goed"},
        format="json",
    )
    assert followed.status_code == 200, followed.content
    assert followed.json()["follow_up_on"] > str(today)
    assert client_of.contacts.filter(summary="Gaat goed").exists()

    too_early = c.post(url(client_of, f"participations/{pk}/next-step/"), {"next_step": "work_route"}, format="json")
    assert (too_early.status_code, list(too_early.json())) == (400, ["next_step"])

    ended = c.post(
        url(client_of, f"participations/{pk}/end/"), {"end_on": str(today), "reason": "Moeder verhuisd"}, format="json"
    )
    assert ended.status_code == 200, ended.content
    assert (ended.json()["end_on"], ended.json()["end_reason"], ended.json()["follow_up_on"]) == (
        str(today),
        "Moeder verhuisd",
        None,
    )
    assert ActionItem.objects.filter(client=client_of, description__contains="participatieladder").exists()

    step = c.post(
        url(client_of, f"participations/{pk}/next-step/"),
        {"next_step": "work_route", "note": "Naar de werkroute"},
        format="json",
    )
    assert step.status_code == 200
    assert (step.json()["next_step"], step.json()["next_step_note"]) == ("work_route", "Naar de werkroute")
    listed = c.get(url(client_of, "participations/")).json()["results"]
    assert [p["id"] for p in listed] == [pk]
    actions = set(AuditRecord.objects.filter(client_id=client_of.pk).values_list("action", flat=True))
    assert {"participation_start", "participation_follow_up", "participation_end", "participation_next_step"} <= actions


def _participation(caseworker, client, today, **kw):
    fields = {
        "kind": "volunteer_work",
        "description": "Kringloopwinkel",
        "hours_per_week": 12,
        "start_on": today - dt.timedelta(days=30),
    }
    return participation_record(actor=caseworker, client=client, **{**fields, **kw})


@pytest.mark.parametrize(
    "suffix,payload,field",
    [
        ("", {"start_on": "future"}, "start_on"),
        ("", {"description": "  "}, "description"),
        ("", {"participation_kind": "course", "counts_as_tegenprestatie": True}, "counts_as_tegenprestatie"),
        ("", {"participation_kind": "knutselen"}, "participation_kind"),
        ("", {"hours_per_week": 81}, "hours_per_week"),
        ("follow-up/", {"contact_on": "future"}, "contact_on"),
        ("follow-up/", {"contact_on": "before"}, "contact_on"),
        ("follow-up/", {"channel": "duif"}, "channel"),
        ("end/", {"reason": ""}, "reason"),
        ("end/", {"end_on": "future"}, "end_on"),
        ("end/", {"end_on": "before"}, "end_on"),
        ("end/", {"next_step": "vakantie"}, "next_step"),
        ("next-step/", {}, "next_step"),  # still running
    ],
)
def test_refusals_of_participation_name_the_field(api_as, caseworker, client_of, today, suffix, payload, field):
    participation = _participation(caseworker, client_of, today)
    days = {"future": str(today + dt.timedelta(days=1)), "before": str(today - dt.timedelta(days=31))}
    defaults = {
        "": {
            "participation_kind": "volunteer_work",
            "description": "Buurthuis",
            "hours_per_week": 4,
            "start_on": str(today),
        },
        "follow-up/": {"contact_on": str(today), "channel": "phone", "summary": "Gebeld"},
        "end/": {"end_on": str(today), "reason": "Klaar"},
        "next-step/": {"next_step": "rest"},
    }[suffix]
    body = {**defaults, **{k: days.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}}
    path = url(client_of, "participations/" if not suffix else f"participations/{participation.pk}/{suffix}")
    before = AuditRecord.objects.count()
    response = api_as(caseworker).post(path, body, format="json")
    assert (response.status_code, list(response.json())) == (400, [field]), response.content
    assert AuditRecord.objects.count() == before  # nothing half-saved
    assert Participation.objects.count() == 1


def test_ending_the_participation_of_a_referral_ends_the_referral(api_as, caseworker, client_of, make_activity, today):
    referral = propose(caseworker, client_of, make_activity(), today)
    referral_move(actor=caseworker, referral=referral, to="accepted", on=today)
    referral_move(actor=caseworker, referral=referral, to="started", on=today)
    participation = Participation.objects.get(referral=referral)
    response = api_as(caseworker).post(
        url(client_of, f"participations/{participation.pk}/end/"),
        {"end_on": str(today), "reason": "Past niet", "next_step": "new_activity"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["referral"] == referral.pk
    referral.refresh_from_db()
    assert referral.status == "ended"


# --------------------------------------------------------------------------------------------------
# The tegenprestatie


def _enforce(today):
    ruleset_publish(
        actor=None,
        scope="local",
        name="Verordening tegenprestatie (test)",
        version="handhaven",
        valid_from=today - dt.timedelta(days=30),
        source="Verordening (test)",
        parameters={"tegenprestatie_policy": "enforced"},
    )


def tegenprestatie(api_as, user, client) -> dict:
    response = api_as(user).get(url(client, "tegenprestatie/"))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_tegenprestatie_status_follows_policy_obligation_exemption_and_participation(
    api_as, caseworker, client_of, today
):
    body = tegenprestatie(api_as, caseworker, client_of)
    assert body == {
        "on": str(today),
        "policy": "voluntary",
        "tegenprestatie_status": "voluntary",
        "text": "Geen verplichting: de gemeente biedt de tegenprestatie vrijwillig aan.",
    }
    _enforce(today)
    assert tegenprestatie(api_as, caseworker, client_of)["tegenprestatie_status"] == "not_imposed"
    obligation_impose(actor=caseworker, client=client_of, kind="tegenprestatie", start_on=today - dt.timedelta(days=20))
    body = tegenprestatie(api_as, caseworker, client_of)
    assert (body["policy"], body["tegenprestatie_status"], body["text"]) == (
        "enforced",
        "open",
        "Opgelegd en nog niet ingevuld.",
    )
    participation = _participation(caseworker, client_of, today, counts_as_tegenprestatie=True)
    assert tegenprestatie(api_as, caseworker, client_of)["tegenprestatie_status"] == "met"
    participation_end(actor=caseworker, participation=participation, end_on=today, reason="Klaar")
    assert tegenprestatie(api_as, caseworker, client_of)["tegenprestatie_status"] == "open"
    exemption_grant(
        actor=caseworker,
        client=client_of,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=90),
        reason="Ziekte",
    )
    assert tegenprestatie(api_as, caseworker, client_of)["tegenprestatie_status"] == "lifted"
    caseworker.language = "en"
    caseworker.save(update_fields=["language"])
    text = tegenprestatie(api_as, caseworker, client_of)["text"]
    assert text != "Opgelegd, maar de cliënt heeft ontheffing: er wordt niets gevraagd." and "exempt" in text.lower()
    assert AccessRecord.objects.filter(actor=caseworker, client_id=client_of.pk, path__endswith="tegenprestatie/")


# --------------------------------------------------------------------------------------------------
# The provider's own system


def test_the_provider_lists_only_its_own_referrals_with_name_and_contact_details_and_each_is_logged(
    api_as, caseworker, make_client, make_activity, other_activity, provider_user, today
):
    mine = make_client(caseworker, first_name="Mila", surname="Visser", phone="06-12345678", email="mila@example.nl")
    second = make_client(caseworker, first_name="Noor", surname="Aksoy")
    other = make_client(caseworker, first_name="Otto", surname="Bakker")
    withdrawn = make_client(caseworker, first_name="Wim", surname="Teruggetrokken")
    activity = make_activity(capacity=5)
    r_mine = propose(caseworker, mine, activity, today)
    r_second = propose(caseworker, second, activity, today)
    propose(caseworker, other, other_activity, today)
    gone = propose(caseworker, withdrawn, activity, today)
    referral_move(actor=caseworker, referral=gone, to="withdrawn", on=today, reason="Verhuisd")
    referral_move(actor=caseworker, referral=r_second, to="accepted", on=today)

    response = api_as(provider_user).get("/api/v1/provider/referrals/")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [r_second.pk, r_mine.pk]  # by activity, then surname
    first = rows[1]
    assert first == {
        "id": r_mine.pk,
        "client": {"full_name": "Mila Visser", "phone": "06-12345678", "email": "mila@example.nl"},
        "activity": {"id": activity.pk, "name": "Moestuin De Linde", "hours_per_week": 8},
        "referral_status": "proposed",
        "status_on": str(today),
        "proposed_on": str(today),
    }
    text = response.content.decode()
    for secret in (mine.bsn, "1980", "Bakker", "Teruggetrokken", "bsn", "birth_date", "street"):
        assert secret not in text
    logged = AccessRecord.objects.filter(actor=provider_user)
    assert sorted(logged.values_list("client_id", flat=True)) == sorted([mine.pk, second.pk])
    assert set(logged.values_list("purpose", "channel", "granted", "path")) == {
        ("referral", "api", True, "/api/v1/provider/referrals/")
    }
    accepted = api_as(provider_user).get("/api/v1/provider/referrals/", {"status": "accepted"})
    assert [r["id"] for r in accepted.json()["results"]] == [r_second.pk]
    bad = api_as(provider_user).get("/api/v1/provider/referrals/", {"status": "withdrawn"})
    assert (bad.status_code, list(bad.json())) == (400, ["status"])


def test_the_provider_confirms_the_start_and_the_end(
    api_as, caseworker, client_of, make_activity, provider_user, today
):
    referral = propose(caseworker, client_of, make_activity(), today)
    referral_move(actor=caseworker, referral=referral, to="accepted", on=today)
    c = api_as(provider_user)
    move = f"/api/v1/provider/referrals/{referral.pk}/move/"
    started = c.post(move, {"to": "started"}, format="json")
    assert started.status_code == 200, started.content
    assert started.json()["referral_status"] == "started"
    assert Participation.objects.filter(client=client_of, referral=referral, end_on__isnull=True).exists()
    assert c.post(move, {"to": "active"}, format="json").json()["referral_status"] == "active"
    no_reason = c.post(move, {"to": "ended"}, format="json")
    assert (no_reason.status_code, list(no_reason.json())) == (400, ["reason"])
    ended = c.post(move, {"to": "ended", "reason": "Komt niet meer"}, format="json")
    assert ended.json()["referral_status"] == "ended"
    assert Participation.objects.get(referral=referral).end_on == today
    assert AuditRecord.objects.filter(actor=provider_user, action="referral_ended").exists()
    granted = AccessRecord.objects.filter(actor=provider_user, client_id=client_of.pk, granted=True, path=move)
    assert set(granted.values_list("purpose", "channel")) == {("referral", "api")}


@pytest.mark.parametrize(
    "status,to,field",
    [
        ("proposed", "withdrawn", "to"),  # the caseworker's step
        ("proposed", "accepted", "to"),  # the client's yes goes through the caseworker
        ("proposed", "started", "to"),  # not yet accepted: an illegal step
        ("accepted", "declined", "reason"),
        ("accepted", "waiting", "to"),
    ],
)
def test_the_provider_may_take_only_its_own_steps(
    api_as, caseworker, client_of, make_activity, provider_user, today, status, to, field
):
    referral = propose(caseworker, client_of, make_activity(), today)
    if status == "accepted":
        referral_move(actor=caseworker, referral=referral, to="accepted", on=today)
    response = api_as(provider_user).post(f"/api/v1/provider/referrals/{referral.pk}/move/", {"to": to}, format="json")
    assert (response.status_code, list(response.json())) == (400, [field])
    referral.refresh_from_db()
    assert referral.status == status


def test_another_providers_referral_is_not_found_and_the_attempt_is_logged(
    api_as, caseworker, client_of, make_client, make_activity, other_activity, other_provider, provider_user, today
):
    referral = propose(caseworker, client_of, other_activity, today)
    referral_move(actor=caseworker, referral=referral, to="accepted", on=today)
    response = api_as(provider_user).post(
        f"/api/v1/provider/referrals/{referral.pk}/move/", {"to": "started"}, format="json"
    )
    assert response.status_code == 404
    assert client_of.surname not in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    refused = AccessRecord.objects.get(actor=provider_user)
    assert (refused.client_id, refused.granted, refused.purpose, refused.channel) == (
        client_of.pk,
        False,
        "referral",
        "api",
    )
    # a withdrawn referral to its own activity is out of reach too
    gone = propose(caseworker, make_client(caseworker, first_name="Wim"), make_activity(), today)
    referral_move(actor=caseworker, referral=gone, to="withdrawn", on=today, reason="Verhuisd")
    assert (
        api_as(provider_user).post(f"/api/v1/provider/referrals/{gone.pk}/move/", {"to": "started"}).status_code == 404
    )
    # an unknown or huge id: 404, nothing to log
    for pk in (9999999, 99999999999999999999):
        assert (
            api_as(provider_user).post(f"/api/v1/provider/referrals/{pk}/move/", {"to": "started"}).status_code == 404
        )
    assert AccessRecord.objects.filter(actor=provider_user, granted=False).count() == 2


def test_a_provider_of_another_organisation_sees_none_of_these_referrals(
    api_as, caseworker, client_of, make_activity, make_user, administrator, other_provider, today
):
    propose(caseworker, client_of, make_activity(), today)
    stranger = make_user("provider", "t.taalhuis")
    provider_member_add(actor=administrator, provider=other_provider, user=stranger)
    assert api_as(stranger).get("/api/v1/provider/referrals/").json()["results"] == []
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("role_fixture", ["caseworker", "team_lead", "administrator", "analyst"])
def test_only_a_providers_staff_use_the_provider_endpoints(
    request, api_as, caseworker, client_of, make_activity, today, role_fixture
):
    referral = propose(caseworker, client_of, make_activity(), today)
    c = api_as(request.getfixturevalue(role_fixture))
    assert c.get("/api/v1/provider/referrals/").status_code == 403
    assert c.post(f"/api/v1/provider/referrals/{referral.pk}/move/", {"to": "accepted"}).status_code == 403


SUFFIXES = [
    "",
    "referrals/",
    "participations/",
    "tegenprestatie/",
    "contacts/",
    "circumstances/",
    "household/",
]


def test_a_provider_never_reaches_a_dossier(api_as, caseworker, client_of, make_activity, provider_user, today):
    """core.rules.dossier_access gives no access to the role 'provider', even for a client referred to it."""
    referral = propose(caseworker, client_of, make_activity(), today)
    participation = _participation(caseworker, client_of, today)
    c = api_as(provider_user)
    for suffix in SUFFIXES:
        for purpose in (None, "referral", "api"):
            response = c.get(url(client_of, suffix), {"purpose": purpose} if purpose else {})
            assert response.status_code == 403, (suffix, purpose)
            assert client_of.surname not in response.content.decode()
    for suffix, body in (
        (f"referrals/{referral.pk}/move/", {"to": "accepted"}),
        ("referrals/", {"activity": referral.activity_id}),
        (f"participations/{participation.pk}/end/", {"end_on": str(today), "reason": "x"}),
        ("participations/", {}),
    ):
        assert c.post(url(client_of, suffix), body, format="json").status_code == 403, suffix
    assert c.get("/api/v1/clients/").status_code == 403
    refused = AccessRecord.objects.filter(actor=provider_user, client_id=client_of.pk, granted=False, channel="api")
    assert refused.count() == 3 * len(SUFFIXES) + 4
    assert not AccessRecord.objects.filter(actor=provider_user, granted=True).exists()
    referral.refresh_from_db()
    assert referral.status == "proposed"


# --------------------------------------------------------------------------------------------------
# Query counts do not grow with the number of rows


def _count(api_as, user, path) -> tuple[int, int]:
    c = api_as(fresh(user))
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_counts_do_not_grow_with_rows(
    api_as, caseworker, client_of, make_client, make_activity, provider_user, today
):
    def grow(n: int) -> None:
        for i in range(Activity.objects.count(), n):
            activity = make_activity(name=f"Activiteit {i}", capacity=3)
            other = make_client(caseworker, first_name=f"Klant{i}")
            propose(caseworker, other, activity, today - dt.timedelta(days=2))
            referral = propose(caseworker, client_of, activity, today - dt.timedelta(days=2))
            referral_move(actor=caseworker, referral=referral, to="accepted", on=today - dt.timedelta(days=1))
            referral_move(actor=caseworker, referral=referral, to="started", on=today)
            _participation(caseworker, client_of, today, description=f"Zelf gevonden {i}")

    paths = {
        "activities": (caseworker, "/api/v1/activities/"),
        "referrals": (caseworker, url(client_of, "referrals/")),
        "participations": (caseworker, url(client_of, "participations/")),
        "provider": (provider_user, "/api/v1/provider/referrals/"),
    }
    grow(1)
    small = {name: _count(api_as, user, path) for name, (user, path) in paths.items()}
    grow(6)
    large = {name: _count(api_as, user, path) for name, (user, path) in paths.items()}
    for name in paths:
        assert large[name][1] > small[name][1], name
        assert large[name][0] == small[name][0], (name, small[name], large[name])
