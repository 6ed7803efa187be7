"""What the endpoints do: registering into a caseload, the client detail with obligations and exemptions,
the caseload list with filters and constant query counts, state changes of dossier records, and audit records
written in the same transaction as the write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trede.caseload.models import Assignment
from trede.caseload.services import action_item_add, contact_record
from trede.clients.models import Client
from trede.clients.services import ladder_measure
from trede.core.models import AccessRecord, AuditRecord, User
from trede.obligations.services import exemption_grant, obligation_impose

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "bsn": "111222333",
    "first_name": "Kees",
    "surname_prefix": "de",
    "surname": "Vries",
    "birth_date": "1985-03-04",
    "postcode": "1234ab",
    "household_kind": "single_parent",
}


def test_caseworker_registers_into_own_caseload(api_as, caseworker, district):
    response = api_as(caseworker).post("/api/v1/clients/", {**REGISTRATION, "district": district.code}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Kees de Vries"
    assert body["postcode"] == "1234 AB"  # normalised by the service
    assert body["household"] == {"household_kind": "single_parent", "members": []}
    assert body["caseworker"]["username"] == "anna"
    assert body["access"] == "write"
    client = Client.objects.get(bsn="111222333")
    assert Assignment.objects.get(client=client, end_on__isnull=True).caseworker == caseworker
    actions = set(AuditRecord.objects.filter(client_id=client.pk, actor=caseworker).values_list("action", flat=True))
    assert actions == {"client_register", "household_set", "assignment_assign"}
    listed = api_as(caseworker).get("/api/v1/clients/").json()["results"]
    assert [c["id"] for c in listed] == [client.pk]


def test_caseworker_cannot_register_into_someone_elses_caseload(api_as, caseworker, colleague, district):
    response = api_as(caseworker).post(
        "/api/v1/clients/", {**REGISTRATION, "district": district.code, "caseworker": colleague.pk}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["caseworker"])
    assert not Client.objects.exists()


def test_team_lead_registers_for_a_caseworker_of_the_team(api_as, team_lead, colleague, outsider, district):
    c = api_as(team_lead)
    payload = {**REGISTRATION, "district": district.code}
    for caseworker in (None, outsider.pk, team_lead.pk):
        response = c.post("/api/v1/clients/", {**payload, "caseworker": caseworker}, format="json")
        assert (response.status_code, list(response.json())) == (400, ["caseworker"])
    assert not Client.objects.exists()
    response = c.post("/api/v1/clients/", {**payload, "caseworker": colleague.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["caseworker"]["username"] == "bram"
    assert Assignment.objects.get(client_id=response.json()["id"]).assigned_by == team_lead


def test_registration_is_one_transaction(api_as, caseworker, district, monkeypatch):
    """If putting the client in the caseload fails (here: its audit record), the registration is undone too."""

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("trede.caseload.services.audit", broken_audit)
    with pytest.raises(RuntimeError):
        api_as(caseworker).post("/api/v1/clients/", {**REGISTRATION, "district": district.code}, format="json")
    assert not Client.objects.exists()
    assert not AuditRecord.objects.filter(action="client_register").exists()


@pytest.mark.parametrize(
    "suffix,payload,model",
    [
        ("contacts/", {"contact_on": "2024-05-01", "channel": "phone", "summary": "Gebeld"}, "caseload.ContactMoment"),
        ("ladder-measurements/", {"step": 2, "measured_on": "2024-05-01"}, "clients.LadderMeasurement"),
    ],
)
def test_write_and_audit_record_share_one_transaction(
    api_as, caseworker, client_of, monkeypatch, suffix, payload, model
):
    module = "trede.caseload.services" if model.startswith("caseload") else "trede.clients.services"

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(f"{module}.audit", broken_audit)
    with pytest.raises(RuntimeError):
        api_as(caseworker).post(f"/api/v1/clients/{client_of.pk}/{suffix}", payload, format="json")
    from django.apps import apps

    assert not apps.get_model(model).objects.exists()


def test_client_detail_shows_obligations_and_exemptions_in_force(api_as, caseworker, client_of, today):
    obligation_impose(actor=None, client=client_of, kind="work_obligation", start_on=today - dt.timedelta(days=90))
    obligation_impose(actor=None, client=client_of, kind="tegenprestatie", start_on=today - dt.timedelta(days=90))
    exemption_grant(
        actor=None,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=5),
        end_on=today + dt.timedelta(days=60),
        reason="Ziekte",
    )
    exemption_grant(
        actor=None,
        client=client_of,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=60),
        end_on=today - dt.timedelta(days=30),
        reason="Oud",
    )
    ladder_measure(actor=None, client=client_of, step=2, measured_on=today - dt.timedelta(days=100))
    ladder_measure(actor=None, client=client_of, step=4, measured_on=today - dt.timedelta(days=1))
    body = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/").json()
    assert {o["obligation"]: o["exempt"] for o in body["obligations"]} == {
        "work_obligation": True,
        "tegenprestatie": False,
    }
    assert [(e["obligation"], e["ground"]) for e in body["exemptions"]] == [("work_obligation", "urgent_reasons")]
    assert body["ladder_step"] == 4
    assert body["bsn"] == client_of.bsn
    assert body["district"] == {"code": "CEN", "name": "Centrum"}
    listed = api_as(caseworker).get("/api/v1/clients/").json()["results"][0]
    assert {o["obligation"]: o["exempt"] for o in listed["obligations"]} == {
        "work_obligation": True,
        "tegenprestatie": False,
    }
    assert listed["ladder_step"] == 4


def test_patch_client(api_as, caseworker, client_of, district_north, today):
    review = today + dt.timedelta(days=30)
    response = api_as(caseworker).patch(
        f"/api/v1/clients/{client_of.pk}/",
        {"city": "Utrecht", "district": "NRD", "next_review_on": str(review)},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["city"], response.json()["district"]["code"]) == ("Utrecht", "NRD")
    assert response.json()["next_review_on"] == str(review)
    audit = AuditRecord.objects.get(action="client_update")
    assert audit.changes["city"] == ["", "Utrecht"]
    assert AuditRecord.objects.filter(action="client_review_schedule", actor=caseworker).exists()


def test_bsn_cannot_be_changed(api_as, caseworker, client_of):
    old = client_of.bsn
    assert (
        api_as(caseworker).patch(f"/api/v1/clients/{client_of.pk}/", {"bsn": "111222333"}, format="json").status_code
        == 200
    )
    client_of.refresh_from_db()
    assert client_of.bsn == old


def test_exemption_end(api_as, caseworker, client_of, today):
    c = api_as(caseworker)
    created = c.post(
        f"/api/v1/clients/{client_of.pk}/exemptions/",
        {
            "obligation": "work_obligation",
            "ground": "urgent_reasons",
            "start_on": str(today - dt.timedelta(days=10)),
            "review_on": str(today + dt.timedelta(days=90)),
            "reason": "Ziekte",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["granted_by"]["username"] == "anna"
    eid = created.json()["id"]
    path = f"/api/v1/clients/{client_of.pk}/exemptions/{eid}/end/"
    assert list(c.post(path, {"ended_on": str(today)}, format="json").json()) == ["end_reason"]
    ended = c.post(path, {"ended_on": str(today), "end_reason": "Hersteld"}, format="json")
    assert ended.status_code == 200
    assert ended.json()["ended_on"] == str(today)
    again = c.post(path, {"ended_on": str(today), "end_reason": "Nogmaals"}, format="json")
    assert (again.status_code, list(again.json())) == (400, ["ended_on"])


def test_record_of_another_client_is_not_found(api_as, caseworker, client_of, make_client, today):
    mine_too = make_client(caseworker, first_name="Tweede")
    item = action_item_add(
        actor=None, client=mine_too, description="x", responsible="client", deadline=today + dt.timedelta(days=3)
    )
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/action-items/{item.pk}/complete/", {}, format="json"
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.done_on is None


def test_action_item_complete_defaults_to_today(api_as, caseworker, client_of, today):
    item = action_item_add(
        actor=None, client=client_of, description="CV", responsible="client", deadline=today + dt.timedelta(days=3)
    )
    response = api_as(caseworker).post(
        f"/api/v1/clients/{client_of.pk}/action-items/{item.pk}/complete/", {}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["done_on"] == str(today)


def test_team_lead_reassigns_and_history_is_readable(api_as, team_lead, caseworker, colleague, client_of):
    response = api_as(team_lead).post(
        f"/api/v1/clients/{client_of.pk}/assignments/", {"caseworker": colleague.pk, "reason": "Verlof"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["caseworker"]["username"] == "bram"
    assert response.json()["assigned_by"]["username"] == "dirk"
    history = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/assignments/")
    assert (history.status_code, list(history.json())) == (400, ["purpose"])  # now a colleague's client
    history = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/assignments/", {"purpose": "consultation"})
    assert history.status_code == 200  # still in the team: readable, with a purpose
    assert [a["caseworker"]["username"] for a in history.json()["results"]] == ["bram", "anna"]
    assert history.json()["results"][1]["end_on"] is not None
    # anna now only reads; bram writes
    assert (
        api_as(caseworker)
        .post(
            f"/api/v1/clients/{client_of.pk}/contacts/",
            {"contact_on": "2024-01-01", "channel": "phone", "summary": "x"},
            format="json",
        )
        .status_code
        == 403
    )
    assert api_as(colleague).get(f"/api/v1/clients/{client_of.pk}/").json()["access"] == "write"


def test_household(api_as, caseworker, client_of):
    c = api_as(caseworker)
    added = c.post(
        f"/api/v1/clients/{client_of.pk}/household/members/",
        {"role": "child", "first_name": "Sem", "birth_date": "2021-06-01", "household_kind": "single_parent"},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert "household_kind" not in added.json()
    household = c.get(f"/api/v1/clients/{client_of.pk}/household/").json()
    assert household["household_kind"] == "single_parent"
    assert [m["first_name"] for m in household["members"]] == ["Sem"]


def test_nested_lists_are_paginated_and_newest_first(api_as, caseworker, client_of, today):
    for days in (30, 10, 20):
        contact_record(
            actor=None, client=client_of, contact_on=today - dt.timedelta(days=days), channel="phone", summary=f"{days}"
        )
    body = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/contacts/").json()
    assert body["count"] == 3
    assert [r["summary"] for r in body["results"]] == ["10", "20", "30"]


def test_list_filters(api_as, caseworker, make_client, district_north, today):
    a = make_client(caseworker, first_name="Ali", surname="Bakker")
    b = make_client(caseworker, first_name="Bea", surname="Smit", district_obj=district_north)
    contact_record(actor=None, client=a, contact_on=today, channel="phone", summary="ok")
    c = api_as(caseworker)

    def ids(**params):
        response = c.get("/api/v1/clients/", params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids() == [a.pk, b.pk]
    assert ids(sort="-name") == [b.pk, a.pk]
    assert ids(district="NRD") == [b.pk]
    assert ids(search="bak") == [a.pk]
    assert ids(search=b.bsn) == [b.pk]
    assert ids(overdue="true") == [b.pk]  # no contact yet
    ladder_measure(actor=None, client=b, step=5, measured_on=today)
    assert ids(step=5) == [b.pk]
    exemption_grant(
        actor=None,
        client=a,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today,
        end_on=today + dt.timedelta(days=30),
        reason="x",
    )
    assert ids(exempt="true") == [a.pk]
    assert ids(exempt="false") == [b.pk]


def test_team_lead_filters_by_caseworker(api_as, team_lead, client_of, colleague_client, colleague):
    response = api_as(team_lead).get("/api/v1/clients/", {"caseworker": colleague.pk})
    assert [r["id"] for r in response.json()["results"]] == [colleague_client.pk]


def _fresh(user) -> User:
    """The user as token authentication loads it on each request (no per-object caches from earlier calls)."""
    return User.objects.get(pk=user.pk)


def _list_queries(user, api_as) -> tuple[int, int]:
    c = api_as(_fresh(user))
    with CaptureQueriesContext(connection) as ctx:
        response = c.get("/api/v1/clients/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_clients(api_as, caseworker, team_lead, make_client, today):
    def fill(n):
        while Client.objects.count() < n:
            client = make_client(caseworker)
            obligation_impose(actor=None, client=client, kind="work_obligation", start_on=today)
            exemption_grant(
                actor=caseworker,
                client=client,
                obligation="work_obligation",
                ground="urgent_reasons",
                start_on=today,
                end_on=today + dt.timedelta(days=30),
                reason="x",
            )
            ladder_measure(actor=caseworker, client=client, step=3, measured_on=today)
            contact_record(actor=caseworker, client=client, contact_on=today, channel="phone", summary="x")

    fill(5)
    few = {u.username: _list_queries(u, api_as) for u in (caseworker, team_lead)}
    fill(30)
    many = {u.username: _list_queries(u, api_as) for u in (caseworker, team_lead)}
    for name in few:
        assert few[name][1] == 5 and many[name][1] == 30
        assert many[name][0] == few[name][0], (name, few, many)
        assert many[name][0] <= 8


def _impose_all_with_exemptions(client, today) -> None:
    """Every obligation, three of them lifted today and one lifted in the past only."""
    for kind in ("work_obligation", "cooperation", "tegenprestatie", "language_requirement"):
        obligation_impose(actor=None, client=client, kind=kind, start_on=today - dt.timedelta(days=90))
    for obligation, ground in (
        ("work_obligation", "urgent_reasons"),
        ("cooperation", "fully_disabled"),
        ("language_requirement", "language_unable"),
    ):
        exemption_grant(
            actor=None,
            client=client,
            obligation=obligation,
            ground=ground,
            start_on=today - dt.timedelta(days=10),
            end_on=today + dt.timedelta(days=60),
            reason="x",
        )
    exemption_grant(
        actor=None,
        client=client,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=60),
        end_on=today - dt.timedelta(days=30),
        reason="Oud",
    )


def test_detail_query_count_is_constant(api_as, caseworker, client_of, today):
    """Obligations, exemptions, contacts and measurements add no queries (no per-obligation is_exempt())."""

    def count():
        c = api_as(_fresh(caseworker))
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(f"/api/v1/clients/{client_of.pk}/")
            assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    before, body = count()
    assert body["obligations"] == []
    _impose_all_with_exemptions(client_of, today)
    for i in range(5):
        contact_record(actor=None, client=client_of, contact_on=today, channel="phone", summary=str(i))
        ladder_measure(actor=None, client=client_of, step=3, measured_on=today)
    after, body = count()
    assert {o["obligation"]: o["exempt"] for o in body["obligations"]} == {
        "work_obligation": True,
        "cooperation": True,
        "tegenprestatie": False,
        "language_requirement": True,
    }
    assert after == before


def test_exempt_flag_matches_is_exempt_on_the_edges(api_as, caseworker, client_of, today):
    """The exempt flag computed in memory agrees with obligations.selectors.is_exempt() at the period edges:
    an exemption ending today, ended early today, ended early yesterday, and one starting tomorrow."""
    from trede.obligations.selectors import is_exempt
    from trede.obligations.services import exemption_end

    kinds = ("work_obligation", "cooperation", "tegenprestatie", "language_requirement")
    for kind in kinds:
        obligation_impose(actor=None, client=client_of, kind=kind, start_on=today - dt.timedelta(days=90))

    def grant(obligation, ground, start, end):
        return exemption_grant(
            actor=None, client=client_of, obligation=obligation, ground=ground, start_on=start, end_on=end, reason="x"
        )

    grant("work_obligation", "urgent_reasons", today - dt.timedelta(days=30), today)
    ended_today = grant("cooperation", "fully_disabled", today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    exemption_end(actor=None, exemption=ended_today, ended_on=today, reason="Hersteld")
    ended_before = grant(
        "tegenprestatie", "urgent_reasons", today - dt.timedelta(days=30), today + dt.timedelta(days=9)
    )
    exemption_end(actor=None, exemption=ended_before, ended_on=today - dt.timedelta(days=1), reason="Hersteld")
    grant("language_requirement", "language_unable", today + dt.timedelta(days=1), today + dt.timedelta(days=30))
    body = api_as(caseworker).get(f"/api/v1/clients/{client_of.pk}/").json()
    shown = {o["obligation"]: o["exempt"] for o in body["obligations"]}
    expected = {kind: is_exempt(client_id=client_of.pk, obligation=kind, on=today) for kind in kinds}
    assert (
        shown
        == expected
        == {
            "work_obligation": True,
            "cooperation": True,
            "tegenprestatie": False,
            "language_requirement": False,
        }
    )
    listed = api_as(caseworker).get("/api/v1/clients/").json()["results"][0]
    assert {o["obligation"]: o["exempt"] for o in listed["obligations"]} == expected


def test_get_writes_an_access_record_with_purpose(api_as, caseworker, client_of):
    c = api_as(caseworker)
    c.get(f"/api/v1/clients/{client_of.pk}/contacts/", {"purpose": "guidance"})
    c.get(f"/api/v1/clients/{client_of.pk}/", HTTP_X_PURPOSE="api")
    c.get(f"/api/v1/clients/{client_of.pk}/")
    c.get(f"/api/v1/clients/{client_of.pk}/", HTTP_X_PURPOSE="consultation")  # not for one's own client
    records = AccessRecord.objects.filter(actor=caseworker, client_id=client_of.pk).order_by("id")
    assert [(r.purpose, r.granted, r.channel) for r in records] == [
        ("guidance", True, "api"),
        ("api", True, "api"),
        ("api", True, "api"),
        ("consultation", False, "api"),
    ]
    assert records[0].path == f"/api/v1/clients/{client_of.pk}/contacts/"


# -- searching with the term in the body (POST /clients/search/), so that a BSN stays out of URLs and logs


def test_search_by_bsn_in_the_body(api_as, caseworker, make_client):
    a = make_client(caseworker, first_name="Ali", surname="Bakker")
    b = make_client(caseworker, first_name="Bea", surname="Smit")
    c = api_as(caseworker)
    response = c.post("/api/v1/clients/search/", {"search": b.bsn}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [r["id"] for r in body["results"]] == [b.pk]
    # the same shape as the list
    listed = c.get("/api/v1/clients/").json()["results"]
    assert body["results"][0] == next(r for r in listed if r["id"] == b.pk)
    assert [r["id"] for r in c.post("/api/v1/clients/search/", {"search": "bak"}, format="json").json()["results"]] == [
        a.pk
    ]
    assert not AccessRecord.objects.exists()  # a search is no dossier read


def test_search_takes_the_lists_other_filters(api_as, caseworker, make_client, district_north):
    a = make_client(caseworker, first_name="Ali", surname="Jansen")
    b = make_client(caseworker, first_name="Bea", surname="Jansen", district_obj=district_north)
    c = api_as(caseworker)

    def ids(**body):
        response = c.post("/api/v1/clients/search/", body, format="json")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids(search="jansen") == [a.pk, b.pk]
    assert ids(search="jansen", sort="-name") == [b.pk, a.pk]
    assert ids(search="jansen", district="NRD") == [b.pk]


def test_search_needs_a_term_and_valid_filters(api_as, caseworker):
    c = api_as(caseworker)
    assert list(c.post("/api/v1/clients/search/", {}, format="json").json()) == ["search"]
    response = c.post("/api/v1/clients/search/", {"search": "x", "sort": "bsn", "district": "XYZ"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["sort"])
    response = c.post("/api/v1/clients/search/", {"search": "x", "district": "XYZ"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["district"])
    assert c.get("/api/v1/clients/search/").status_code == 405


def test_search_is_paginated_and_keeps_the_term_out_of_the_links(api_as, caseworker, make_client, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    clients = [make_client(caseworker, surname="Jansen", first_name=name) for name in ("Ali", "Bea", "Cor")]
    c = api_as(caseworker)
    first = c.post("/api/v1/clients/search/", {"search": "jansen"}, format="json").json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["next"].endswith("/api/v1/clients/search/?page=2")
    second = c.post("/api/v1/clients/search/?page=2", {"search": "jansen"}, format="json").json()
    assert [r["id"] for r in first["results"] + second["results"]] == [x.pk for x in clients]


def test_search_reaches_what_the_list_reaches(
    api, api_as, caseworker, colleague, team_lead, client_of, colleague_client, other_team_client
):
    def found(user, term):
        response = api_as(user).post("/api/v1/clients/search/", {"search": term}, format="json")
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert found(caseworker, client_of.bsn) == {client_of.pk}
    assert found(caseworker, colleague_client.bsn) == set()
    assert found(caseworker, other_team_client.bsn) == set()
    assert found(colleague, colleague_client.bsn) == {colleague_client.pk}
    assert found(team_lead, colleague_client.bsn) == {colleague_client.pk}
    assert found(team_lead, other_team_client.bsn) == set()
    assert api.post("/api/v1/clients/search/", {"search": client_of.bsn}, format="json").status_code == 401
