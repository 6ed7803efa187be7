"""The employer-services endpoints: employers, contact persons and vacancies for the employer adviser (a vacancy opens
only when complete, and a refusal names `vacancy_status` with every missing item), open vacancies for caseworkers,
the shortlist (ranked, explained, a blocked client never first, no more of a client than a first name and an
initial, every client access-logged with purpose 'matching'), durability with small groups hidden; and in the dossier
the client's vacancies, matches, referrals to a vacancy, placements within the legal limits, the exit to work with
its follow-ups and the work profile. Every refusal of a service is a 400 naming the field; list queries do not grow
with the number of rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trede.clients.models import BenefitPeriod
from trede.clients.services import benefit_period_end, benefit_period_start, circumstances_record
from trede.core.models import AccessRecord, AuditRecord, User
from trede.core.rules import add_months
from trede.employers import rules
from trede.employers import services as es
from trede.employers.models import Employer, FollowUp, Match, Placement, Referral, Vacancy
from trede.intake.services import route_decide
from trede.obligations.services import exemption_grant

from .conftest import COMPLETE_VACANCY

pytestmark = pytest.mark.django_db


def url(client, suffix: str) -> str:
    return f"/api/v1/clients/{client.pk}/{suffix}"


def fresh(user) -> User:
    """The user as token authentication loads it on each request."""
    return User.objects.get(pk=user.pk)


def ok(response, code: int = 200) -> dict:
    assert response.status_code == code, response.content
    return response.json()


def refused_on(response) -> list[str]:
    assert response.status_code == 400, response.content
    return list(response.json())


def on_benefit(caseworker, client, today, days: int = 300) -> BenefitPeriod:
    return benefit_period_start(actor=caseworker, client=client, start_on=today - dt.timedelta(days=days))


def exempt(caseworker, client, today) -> None:
    exemption_grant(
        actor=caseworker,
        client=client,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=5),
        review_on=today + dt.timedelta(days=60),
        reason="Mantelzorg",
    )


def work_profile(caseworker, client, today, *, code: str = "9334", years: int = 3) -> None:
    es.work_profile_record(
        actor=caseworker,
        client=client,
        recorded_on=today,
        experience=[{"code": code, "years": years}] if years else [],
        preferences=[],
        hours_wanted=32,
        driving_licence=False,
    )


# --------------------------------------------------------------------------------------------------
# Employers and contact persons


def test_an_adviser_registers_an_employer_and_is_its_fixed_adviser(api_as, adviser, district):
    c = api_as(adviser)
    body = ok(
        c.post(
            "/api/v1/employers/",
            {
                "name": "Bakkerij Van Dam",
                "kvk_number": "87654321",
                "sector": "C",
                "district": "CEN",
                "social_return": True,
                "pso_level": "2",
                "agreements": "Twee plaatsen per jaar",
            },
            format="json",
        ),
        201,
    )
    assert body["adviser"]["username"] == "w.adviseur"
    assert (body["sector"], body["pso_level"], body["social_return"], body["district"]["code"]) == (
        "C",
        "2",
        True,
        "CEN",
    )
    assert (body["contacts"], body["vacancies"], body["durability"]) == ([], [], [])
    employer = Employer.objects.get(pk=body["id"])
    assert AuditRecord.objects.filter(action="employer_save", actor=adviser, object_pk=str(employer.pk)).exists()
    changed = ok(c.patch(f"/api/v1/employers/{employer.pk}/", {"agreements": "Drie plaatsen"}, format="json"))
    assert (changed["agreements"], changed["name"], changed["kvk_number"]) == (
        "Drie plaatsen",
        "Bakkerij Van Dam",
        "87654321",
    )
    assert not AccessRecord.objects.exists()  # employers are no dossiers


def test_the_employer_list_and_its_filters(api_as, adviser, team_lead, make_user, employer, make_vacancy):
    other_adviser = make_user("employer_adviser", "x.adviseur")
    es.employer_save(actor=other_adviser, name="Zorghuis Oost", sector="Q", adviser=other_adviser)
    make_vacancy()
    make_vacancy(status="draft", title="Chauffeur")
    c = api_as(adviser)
    rows = ok(c.get("/api/v1/employers/"))["results"]
    assert [r["name"] for r in rows] == ["Groen Logistiek BV", "Zorghuis Oost"]
    assert (rows[0]["open_vacancies"], rows[0]["placements"]) == (1, 0)
    assert [r["name"] for r in ok(c.get("/api/v1/employers/", {"mine": "true"}))["results"]] == ["Groen Logistiek BV"]
    assert [r["name"] for r in ok(c.get("/api/v1/employers/", {"q": "zorg"}))["results"]] == ["Zorghuis Oost"]
    assert [r["name"] for r in ok(c.get("/api/v1/employers/", {"q": "12345678"}))["results"]] == ["Groen Logistiek BV"]
    assert len(ok(api_as(team_lead).get("/api/v1/employers/"))["results"]) == 2


def test_a_team_lead_names_the_adviser(api_as, team_lead, adviser):
    c = api_as(team_lead)
    missing = c.post("/api/v1/employers/", {"name": "Bouwbedrijf", "sector": "F"}, format="json")
    assert refused_on(missing) == ["adviser"]
    not_an_adviser = c.post(
        "/api/v1/employers/", {"name": "Bouwbedrijf", "sector": "F", "adviser": team_lead.pk}, format="json"
    )
    assert refused_on(not_an_adviser) == ["adviser"]
    body = ok(
        c.post("/api/v1/employers/", {"name": "Bouwbedrijf", "sector": "F", "adviser": adviser.pk}, format="json"), 201
    )
    assert body["adviser"]["id"] == adviser.pk


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"kvk_number": "1234567"}, "kvk_number"),  # 7 digits
        ({"kvk_number": "1234567a"}, "kvk_number"),
        ({"kvk_number": "12345678"}, "kvk_number"),  # the fixture's employer has it
        ({"sector": "Z"}, "sector"),
        ({"district": "XYZ"}, "district"),
        ({"adviser": 99999999}, "adviser"),
        ({"name": ""}, "name"),
        ({"pso_level": "gold"}, "pso_level"),
    ],
)
def test_refusals_of_an_employer_name_the_field(api_as, adviser, employer, payload, field):
    before = Employer.objects.count()
    response = api_as(adviser).post("/api/v1/employers/", {"name": "Nieuw BV", "sector": "G", **payload}, format="json")
    assert refused_on(response) == [field]
    assert Employer.objects.count() == before


def test_an_employers_own_kvk_number_may_be_sent_again(api_as, adviser, employer):
    body = ok(api_as(adviser).patch(f"/api/v1/employers/{employer.pk}/", {"kvk_number": "12345678"}, format="json"))
    assert body["kvk_number"] == "12345678"


def test_contact_persons(api_as, adviser, employer):
    c = api_as(adviser)
    path = f"/api/v1/employers/{employer.pk}/contacts/"
    assert refused_on(c.post(path, {"name": "Piet Groen", "role": "Bedrijfsleider"}, format="json")) == ["phone"]
    assert refused_on(c.post(path, {"name": "Piet Groen", "email": "geen-adres"}, format="json")) == ["email"]
    created = ok(c.post(path, {"name": "Piet Groen", "email": "piet@groen.nl"}, format="json"), 201)
    assert created == {"id": created["id"], "name": "Piet Groen", "role": "", "phone": "", "email": "piet@groen.nl"}
    assert [p["name"] for p in ok(c.get(path))["results"]] == ["Piet Groen"]
    detail = ok(c.get(f"/api/v1/employers/{employer.pk}/"))
    assert [p["name"] for p in detail["contacts"]] == ["Piet Groen"]
    assert c.get("/api/v1/employers/99999999/contacts/").status_code == 404
    assert c.post("/api/v1/employers/99999999999999999999/contacts/", {}, format="json").status_code == 404


# --------------------------------------------------------------------------------------------------
# Vacancies


def vacancy_body(person, today, **kw) -> dict:
    return {**COMPLETE_VACANCY, "contact": person.pk, "start_on": str(today), "district": "CEN", **kw}


def test_an_incomplete_vacancy_does_not_open_and_every_missing_item_is_named(
    api_as, adviser, employer, employer_contact, today
):
    c = api_as(adviser)
    path = f"/api/v1/employers/{employer.pk}/vacancies/"
    response = c.post(path, {"title": "Schoonmaker", "vacancy_status": "open"}, format="json")
    assert refused_on(response) == ["vacancy_status"]
    message = response.json()["vacancy_status"][0]
    for key in ("wage", "hours_per_week", "contract_type", "tasks", "occupation", "location", "start_on", "contact"):
        assert str(rules.REQUIRED[key]) in message, key
    assert not Vacancy.objects.exists()

    draft = ok(c.post(path, {"title": "Schoonmaker", "tasks": "Kantoren schoonmaken"}, format="json"), 201)
    assert (draft["vacancy_status"], draft["employer"]["name"]) == ("draft", "Groen Logistiek BV")
    assert [m["item"] for m in draft["missing"]] == [
        "wage",
        "hours_per_week",
        "contract_type",
        "occupation",
        "education",
        "physical_load",
        "location",
        "start_on",
        "contact",
    ]
    assert draft["missing"][0]["text"] == str(rules.REQUIRED["wage"])
    vacancy = f"/api/v1/vacancies/{draft['id']}/"
    still = c.patch(vacancy, {"vacancy_status": "open", "wage_scale": "Schoonmaak cao schaal 2"}, format="json")
    assert refused_on(still) == ["vacancy_status"]
    assert (
        "het loon" not in still.json()["vacancy_status"][0] and "de uren per week" in still.json()["vacancy_status"][0]
    )
    assert Vacancy.objects.get(pk=draft["id"]).wage_scale == ""  # nothing saved
    opened = ok(c.patch(vacancy, {**vacancy_body(employer_contact, today), "vacancy_status": "open"}, format="json"))
    assert (opened["vacancy_status"], opened["missing"], opened["occupation_name"]) == ("open", [], "Vakkenvullers")
    assert opened["contact"]["name"] == "Ria Groen" and opened["district"]["code"] == "CEN"
    assert opened["wage_min"] == "15.20" and opened["dutch_level"] == "" and opened["referred"] == 0
    assert AuditRecord.objects.filter(action="vacancy_save", actor=adviser).count() == 2


def test_a_permanent_contract_needs_no_length(api_as, adviser, employer, employer_contact, today):
    body = vacancy_body(employer_contact, today, contract_type="permanent", contract_months=None, vacancy_status="open")
    created = ok(api_as(adviser).post(f"/api/v1/employers/{employer.pk}/vacancies/", body, format="json"), 201)
    assert (created["vacancy_status"], created["contract_months"]) == ("open", None)


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"occupation": "9999"}, "occupation"),
        ({"occupation": "abcd"}, "occupation"),
        ({"wage_min": "15.00", "wage_max": "14.00"}, "wage_max"),
        ({"contract_type": "forever"}, "contract_type"),
        ({"dutch_level": "5f"}, "dutch_level"),
        ({"physical_load": "extreme"}, "physical_load"),
        ({"hours_per_week": 0}, "hours_per_week"),
        ({"contact": 99999999}, "contact"),
        ({"district": "XYZ"}, "district"),
        ({"vacancy_status": "published"}, "vacancy_status"),
        ({"title": ""}, "title"),
    ],
)
def test_refusals_of_a_vacancy_name_the_field(api_as, adviser, employer, employer_contact, today, payload, field):
    body = vacancy_body(employer_contact, today, **payload)
    response = api_as(adviser).post(f"/api/v1/employers/{employer.pk}/vacancies/", body, format="json")
    assert refused_on(response) == [field]
    assert not Vacancy.objects.exists()


def test_a_vacancy_names_a_contact_person_of_its_own_employer(api_as, adviser, employer, employer_contact, today):
    other = es.employer_save(actor=adviser, name="Ander BV", sector="G", adviser=adviser)
    stranger = es.contact_person_save(actor=adviser, employer=other, name="Vreemde", email="v@ander.nl")
    body = vacancy_body(employer_contact, today, contact=stranger.pk)
    response = api_as(adviser).post(f"/api/v1/employers/{employer.pk}/vacancies/", body, format="json")
    assert refused_on(response) == ["contact"]


def test_a_patch_with_one_end_of_the_wage_band_is_checked_against_the_other(api_as, adviser, make_vacancy):
    vacancy = make_vacancy(wage_max=Decimal("17.00"))
    c = api_as(adviser)
    assert refused_on(c.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"wage_max": "15.00"}, format="json")) == ["wage_max"]
    assert ok(c.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"wage_max": "16.00"}, format="json"))["wage_max"] == "16.00"


def test_the_vacancy_list_shows_open_vacancies_and_caseworkers_read_only_those(
    api_as, adviser, caseworker, team_lead, employer, make_vacancy, district_north
):
    open_one = make_vacancy(title="Orderpicker")
    north = make_vacancy(title="Heftruckchauffeur", district=district_north, tasks="Pallets rijden")
    draft = make_vacancy(title="Magazijnmedewerker", status="draft")
    employer_vacancies = ok(api_as(adviser).get(f"/api/v1/employers/{employer.pk}/vacancies/"))["results"]
    assert {v["id"] for v in employer_vacancies} == {open_one.pk, north.pk, draft.pk}
    for user in (adviser, team_lead, caseworker):
        c = api_as(user)
        assert [v["id"] for v in ok(c.get("/api/v1/vacancies/"))["results"]] == [north.pk, open_one.pk]
        assert ok(c.get(f"/api/v1/vacancies/{open_one.pk}/"))["title"] == "Orderpicker"
    c = api_as(caseworker)
    assert [v["id"] for v in ok(c.get("/api/v1/vacancies/", {"district": "NRD"}))["results"]] == [north.pk]
    assert [v["id"] for v in ok(c.get("/api/v1/vacancies/", {"q": "pallets"}))["results"]] == [north.pk]
    assert [v["id"] for v in ok(c.get("/api/v1/vacancies/", {"q": "groen logistiek"}))["results"]] == [
        north.pk,
        open_one.pk,
    ]
    assert refused_on(c.get("/api/v1/vacancies/", {"district": "XYZ"})) == ["district"]
    # a caseworker reads open vacancies only and changes none
    assert c.get("/api/v1/vacancies/", {"status": "draft"}).status_code == 403
    assert c.get(f"/api/v1/vacancies/{draft.pk}/").status_code == 403
    assert c.patch(f"/api/v1/vacancies/{open_one.pk}/", {"title": "x"}, format="json").status_code == 403
    assert c.get(f"/api/v1/employers/{employer.pk}/vacancies/").status_code == 403
    assert Vacancy.objects.get(pk=open_one.pk).title == "Orderpicker"
    # the adviser asks for another status
    drafts = ok(api_as(adviser).get("/api/v1/vacancies/", {"status": "draft"}))["results"]
    assert [v["id"] for v in drafts] == [draft.pk]
    assert refused_on(api_as(adviser).get("/api/v1/vacancies/", {"status": "weg"})) == ["status"]
    assert api_as(adviser).get("/api/v1/vacancies/99999999999999999999/").status_code == 404


def test_closing_a_vacancy(api_as, adviser, make_vacancy):
    vacancy = make_vacancy()
    body = ok(api_as(adviser).patch(f"/api/v1/vacancies/{vacancy.pk}/", {"vacancy_status": "filled"}, format="json"))
    assert body["vacancy_status"] == "filled"
    assert ok(api_as(adviser).get("/api/v1/vacancies/"))["results"] == []


# --------------------------------------------------------------------------------------------------
# The shortlist


@pytest.fixture
def candidates(caseworker, make_client, today):
    """Three clients on benefit and on the route to work: Ans (6 years in the vacancy's work), Bob (none), Cor (the
    most experience, but exempt from the work obligation)."""
    people = {}
    for name, years, is_exempt in (("Ans", 6, False), ("Bob", 0, False), ("Cor", 10, True)):
        c = make_client(caseworker, first_name=name, surname="Jansen", street="Dorpsstraat", house_number="1")
        on_benefit(caseworker, c, today)
        route_decide(actor=caseworker, client=c, route="work", reason="", decided_on=today - dt.timedelta(days=10))
        work_profile(caseworker, c, today, years=years)
        if is_exempt:
            exempt(caseworker, c, today)
        people[name] = c
    return people


def test_the_shortlist_ranks_explains_and_never_puts_a_blocked_client_first(
    api_as, adviser, caseworker, make_vacancy, candidates, today
):
    vacancy = make_vacancy()
    path = f"/api/v1/vacancies/{vacancy.pk}/shortlist/"
    response = api_as(adviser).get(path)
    body = ok(response)
    assert (body["vacancy"]["id"], body["on"], body["considered"], body["eligible"]) == (vacancy.pk, str(today), 3, 2)
    assert body["blocked_by"] == [{"block": "exempt", "count": 1}]
    rows = body["results"]
    assert [r["client"]["short_name"] for r in rows] == ["Ans J.", "Bob J.", "Cor J."]
    assert [r["client"]["id"] for r in rows] == [candidates[n].pk for n in ("Ans", "Bob", "Cor")]
    assert [r["blocked"] for r in rows] == [False, False, True]
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[2]["why_not"][0]["block"] == "exempt" and "ontheffing" in rows[2]["why_not"][0]["text"]
    ans = rows[0]
    assert [p["component"] for p in ans["parts"]] == [
        "experience",
        "preference",
        "education",
        "language",
        "hours",
        "travel",
    ]
    assert sum(p["contribution"] for p in ans["parts"]) == pytest.approx(ans["score"])
    assert any(w["component"] == "experience" and "6 jaar" in w["text"] for w in ans["why"])
    assert {"fact", "text"} == set(ans["unknown"][0])
    assert ans["caseworker"]["username"] == "anna"
    assert set(ans["client"]) == {"id", "short_name"}
    # no more of a client than the first name and an initial
    text = response.content.decode()
    for secret in ("Jansen", "Dorpsstraat", "1980", "bsn", "birth_date", *(c.bsn for c in candidates.values())):
        assert secret not in text
    logged = AccessRecord.objects.filter(actor=adviser)
    assert sorted(logged.values_list("client_id", flat=True)) == sorted(c.pk for c in candidates.values())
    assert set(logged.values_list("purpose", "channel", "granted", "path")) == {("matching", "api", True, path)}


def test_the_shortlist_speaks_the_advisers_language(api_as, adviser, make_vacancy, candidates):
    adviser.language = "en"
    adviser.save(update_fields=["language"])
    rows = ok(api_as(fresh(adviser)).get(f"/api/v1/vacancies/{make_vacancy().pk}/shortlist/"))["results"]
    assert rows[0]["parts"][0]["label"] == "Experience"
    assert "exempt" in rows[2]["why_not"][0]["text"].lower()


def test_the_shortlist_limits_and_only_for_an_open_vacancy(api_as, adviser, team_lead, make_vacancy, candidates):
    c = api_as(adviser)
    vacancy = make_vacancy()
    rows = ok(c.get(f"/api/v1/vacancies/{vacancy.pk}/shortlist/", {"top": 1, "blocked": 0}))["results"]
    assert [r["client"]["short_name"] for r in rows] == ["Ans J."]
    assert AccessRecord.objects.filter(actor=adviser).count() == 1  # only who was shown
    assert refused_on(c.get(f"/api/v1/vacancies/{vacancy.pk}/shortlist/", {"top": 0})) == ["top"]
    draft = make_vacancy(status="draft")
    assert refused_on(c.get(f"/api/v1/vacancies/{draft.pk}/shortlist/")) == ["vacancy_status"]
    assert api_as(team_lead).get(f"/api/v1/vacancies/{vacancy.pk}/shortlist/").status_code == 200
    assert c.get("/api/v1/vacancies/99999999/shortlist/").status_code == 404


@pytest.mark.parametrize("role_fixture", ["caseworker", "analyst", "administrator", "auditor", "provider_user"])
def test_only_advisers_and_team_leads_see_a_shortlist(request, api_as, make_vacancy, candidates, role_fixture):
    user = request.getfixturevalue(role_fixture)
    response = api_as(user).get(f"/api/v1/vacancies/{make_vacancy().pk}/shortlist/")
    assert response.status_code == 403
    assert "Ans" not in response.content.decode()
    assert not AccessRecord.objects.exists()


# --------------------------------------------------------------------------------------------------
# Durability


def test_durability_per_employer_instrument_and_route_with_small_groups_hidden(
    api_as, adviser, analyst, caseworker, make_client, employer, today
):
    exit_on = today - dt.timedelta(days=400)
    for i in range(12):
        c = make_client(caseworker, first_name=f"K{i}")
        benefit_period_start(actor=caseworker, client=c, start_on=exit_on - dt.timedelta(days=300))
        es.exit_register(
            actor=caseworker,
            client=c,
            exit_on=exit_on,
            employer=employer,
            hours_per_week=30,
            contract_type="permanent",
            hourly_wage=Decimal("15.00"),
        )
        if i < 3:  # three came back within 6 months
            p = benefit_period_start(actor=caseworker, client=c, start_on=exit_on + dt.timedelta(days=100))
            if i == 0:
                benefit_period_end(
                    actor=caseworker, period=p, end_on=exit_on + dt.timedelta(days=150), exit_reason="work"
                )
    solo = make_client(caseworker, first_name="Solo")
    benefit_period_start(actor=caseworker, client=solo, start_on=exit_on - dt.timedelta(days=300))
    es.exit_register(
        actor=caseworker,
        client=solo,
        exit_on=exit_on,
        employer_name="Klein BV",
        hours_per_week=30,
        contract_type="permanent",
        hourly_wage=Decimal("15.00"),
    )
    for user in (adviser, analyst):
        body = ok(api_as(user).get("/api/v1/durability/", {"by": "employer"}))
        assert (body["on"], body["small_group"]) == (str(today), 10)
        rows = {r["group"]: r for r in body["rows"]}
        assert rows["Groen Logistiek BV"] == {
            "group": "Groen Logistiek BV",
            "exits": 12,
            "eligible_6": 12,
            "lasted_6": 9,
            "pct_6": 75,
            "eligible_12": 12,
            "lasted_12": 9,
            "pct_12": 75,
            "returned": 3,
        }
        assert set(rows["Klein BV"].values()) == {"Klein BV", None}  # one person: hidden
    by_instrument = ok(api_as(adviser).get("/api/v1/durability/"))["rows"]
    assert [(r["group"], r["exits"]) for r in by_instrument] == [("none", 13)]
    assert ok(api_as(adviser).get("/api/v1/durability/", {"by": "route"}))["rows"][0]["exits"] == 13
    assert refused_on(api_as(adviser).get("/api/v1/durability/", {"by": "district"})) == ["by"]
    assert ok(api_as(adviser).get(f"/api/v1/employers/{employer.pk}/"))["durability"][0]["exits"] == 12
    assert not AccessRecord.objects.exists()  # aggregates, no dossier read


@pytest.mark.parametrize("role_fixture", ["caseworker", "administrator", "auditor", "provider_user"])
def test_other_roles_see_no_durability(request, api_as, role_fixture):
    assert api_as(request.getfixturevalue(role_fixture)).get("/api/v1/durability/").status_code == 403


# --------------------------------------------------------------------------------------------------
# In the dossier: the client's vacancies and matches


def test_the_clients_vacancies_best_first_blocked_ones_after_with_why_not(
    api_as, caseworker, client_of, make_vacancy, today
):
    on_benefit(caseworker, client_of, today)
    work_profile(caseworker, client_of, today, code="9334", years=4)
    route_decide(actor=caseworker, client=client_of, route="work", reason="", decided_on=today - dt.timedelta(days=3))
    circumstances_record(
        actor=caseworker,
        client=client_of,
        recorded_on=today,
        education="low",
        work_experience_years=5,
        dutch_level="2f",
        health="severe",
        debts="none",
        social="good",
    )
    fits = make_vacancy(title="Orderpicker", physical_load="light")
    other = make_vacancy(title="Kok", occupation="5120", physical_load="light")
    heavy = make_vacancy(title="Sjouwer", physical_load="heavy")
    c = api_as(caseworker)
    response = c.get(url(client_of, "vacancies/"))
    body = ok(response)
    assert body["count"] == 3
    rows = body["results"]
    assert [r["vacancy"]["id"] for r in rows] == [fits.pk, other.pk, heavy.pk]
    assert rows[0]["vacancy"] == {
        "id": fits.pk,
        "title": "Orderpicker",
        "employer": {"id": fits.employer_id, "name": "Groen Logistiek BV"},
        "vacancy_status": "open",
    }
    assert [(r["blocked"], r["referable"]) for r in rows] == [(False, True), (False, True), (True, False)]
    assert [w["block"] for w in rows[2]["why_not"]] == ["physical_load"]
    assert rows[0]["match_status"] is None
    es.match_record(actor=caseworker, vacancy=fits, client=client_of, status="discussed", on=today)
    assert ok(c.get(url(client_of, "vacancies/")))["results"][0]["match_status"] == "discussed"
    record = AccessRecord.objects.filter(actor=caseworker, client_id=client_of.pk).first()
    assert (record.purpose, record.channel, record.granted) == ("api", "api", True)


def test_a_client_not_on_the_route_to_work_may_still_be_referred(api_as, caseworker, client_of, make_vacancy, today):
    vacancy = make_vacancy()
    c = api_as(caseworker)
    (row,) = ok(c.get(url(client_of, "vacancies/")))["results"]
    assert (row["blocked"], row["referable"], [w["block"] for w in row["why_not"]]) == (
        True,
        True,
        ["not_on_work_route"],
    )
    ok(c.post(url(client_of, "job-referrals/"), {"vacancy": vacancy.pk}, format="json"), 201)


def test_a_caseworker_records_a_match_with_its_score_and_a_blocked_client_cannot_be_proposed(
    api_as, caseworker, client_of, make_vacancy, today
):
    vacancy = make_vacancy()
    c = api_as(caseworker)
    path = url(client_of, "matches/")
    assert refused_on(c.post(path, {"vacancy": vacancy.pk, "match_status": "declined"}, format="json")) == ["reason"]
    body = ok(c.post(path, {"vacancy": vacancy.pk, "match_status": "discussed"}, format="json"), 201)
    assert (body["match_status"], body["on"], body["vacancy"]["id"], body["by"]["username"]) == (
        "discussed",
        str(today),
        vacancy.pk,
        "anna",
    )
    assert 0 <= body["score"] <= 1 and set(body["components"]) == {
        "experience",
        "preference",
        "education",
        "language",
        "hours",
        "travel",
    }
    exempt(caseworker, client_of, today)
    blocked = c.post(path, {"vacancy": vacancy.pk, "match_status": "proposed"}, format="json")
    assert refused_on(blocked) == ["match_status"]
    assert "ontheffing" in blocked.json()["match_status"][0]
    declined = ok(
        c.post(path, {"vacancy": vacancy.pk, "match_status": "declined", "reason": "Ontheffing"}, format="json"), 201
    )
    assert declined["id"] == body["id"]  # one match per vacancy and client, replaced
    assert [m["match_status"] for m in ok(c.get(path))["results"]] == ["declined"]
    assert AuditRecord.objects.filter(client_id=client_of.pk, action="match_record").count() == 2


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"vacancy": "draft"}, "vacancy"),
        ({"vacancy": 99999999}, "vacancy"),
        ({"match_status": "liked"}, "match_status"),
        ({"on": "future"}, "on"),
    ],
)
def test_refusals_of_a_match_name_the_field(api_as, caseworker, client_of, make_vacancy, today, payload, field):
    vacancy = make_vacancy()
    values = {"draft": make_vacancy(status="draft").pk, "future": str(today + dt.timedelta(days=1))}
    body = {"vacancy": vacancy.pk, "match_status": "discussed", **{k: values.get(v, v) for k, v in payload.items()}}
    assert refused_on(api_as(caseworker).post(url(client_of, "matches/"), body, format="json")) == [field]
    assert not Match.objects.exists()


# --------------------------------------------------------------------------------------------------
# Referral to a vacancy, placement, exit and follow-up


def test_from_referral_to_trial_placement_to_hire_and_exit_with_follow_ups(
    api_as, caseworker, client_of, make_vacancy, today
):
    vacancy = make_vacancy()
    on_benefit(caseworker, client_of, today, days=400)
    c = api_as(caseworker)
    start = today - dt.timedelta(days=60)
    referred = ok(
        c.post(url(client_of, "job-referrals/"), {"vacancy": vacancy.pk, "on": str(start)}, format="json"), 201
    )
    assert (referred["job_referral_status"], referred["status_on"], referred["vacancy"]["id"]) == (
        "proposed",
        str(start),
        vacancy.pk,
    )
    move = url(client_of, f"job-referrals/{referred['id']}/move/")
    ok(c.post(move, {"to": "sent", "on": str(start)}, format="json"))
    ok(c.post(move, {"to": "interview", "on": str(start + dt.timedelta(days=5))}, format="json"))
    assert refused_on(c.post(move, {"to": "trial_placement"}, format="json")) == ["to"]  # with the placement
    trial_start = start + dt.timedelta(days=10)
    placement = ok(
        c.post(
            url(client_of, "placements/"),
            {
                "placement_kind": "trial",
                "referral": referred["id"],
                "start_on": str(trial_start),
                "end_on": str(trial_start + dt.timedelta(days=30)),
                "hours_per_week": 24,
                "intended_contract": "Jaarcontract 24 uur",
            },
            format="json",
        ),
        201,
    )
    assert (placement["placement_kind"], placement["employer"]["id"], placement["vacancy"]["id"]) == (
        "trial",
        vacancy.employer_id,
        vacancy.pk,
    )
    assert placement["referral"] == referred["id"] and placement["subsidy_monthly"] is None
    listed = ok(c.get(url(client_of, "job-referrals/")))["results"]
    assert [e["job_referral_status"] for e in listed[0]["events"]] == [
        "proposed",
        "sent",
        "interview",
        "trial_placement",
    ]
    extended = ok(
        c.post(
            url(client_of, f"placements/{placement['id']}/extend/"),
            {"extended_until": str(trial_start + dt.timedelta(days=80))},
            format="json",
        )
    )
    assert extended["extended_until"] == str(trial_start + dt.timedelta(days=80))
    hire_on = trial_start + dt.timedelta(days=40)
    ended = ok(
        c.post(
            url(client_of, f"placements/{placement['id']}/end/"),
            {"end_on": str(hire_on), "outcome": "contract"},
            format="json",
        )
    )
    assert ended["outcome"] == "contract"
    assert Referral.objects.get(pk=referred["id"]).status == "hired"
    job_exit = ok(
        c.post(
            url(client_of, "exits/"),
            {
                "exit_on": str(hire_on),
                "employer": vacancy.employer_id,
                "placement": placement["id"],
                "hours_per_week": 24,
                "contract_type": "fixed",
                "contract_months": 12,
                "hourly_wage": "15.50",
            },
            format="json",
        ),
        201,
    )
    assert [(f["months"], f["due_on"], f["done_on"]) for f in job_exit["follow_ups"]] == [
        (m, str(add_months(hire_on, m)), None) for m in (1, 6, 12)
    ]
    assert BenefitPeriod.objects.get(client=client_of).exit_reason == "work"
    first = job_exit["follow_ups"][0]["id"]
    recorded = ok(
        c.post(
            url(client_of, f"follow-ups/{first}/record/"),
            {"still_working": True, "off_benefit": True, "needs_job_coach": False, "note": "Gaat goed"},
            format="json",
        )
    )
    assert (recorded["done_on"], recorded["still_working"], recorded["done_by"]["username"]) == (
        str(today),
        True,
        "anna",
    )
    again = c.post(
        url(client_of, f"follow-ups/{first}/record/"),
        {"still_working": True, "off_benefit": True, "needs_job_coach": False},
        format="json",
    )
    assert refused_on(again) == ["done_on"]
    exits = ok(c.get(url(client_of, "exits/")))["results"]
    assert [f["done_on"] for f in exits[0]["follow_ups"]] == [str(today), None, None]
    actions = set(AuditRecord.objects.filter(client_id=client_of.pk).values_list("action", flat=True))
    assert {
        "job_referral_create",
        "job_referral_sent",
        "placement_start",
        "placement_extend",
        "placement_end",
        "exit_register",
        "follow_up_record",
    } <= actions


@pytest.mark.parametrize(
    "to,body,field",
    [
        ("interview", {}, "to"),  # proposed -> interview skips sending
        ("hired", {}, "to"),
        ("proposed", {}, "to"),
        ("withdrawn", {}, "reason"),
        ("withdrawn", {"reason": "  "}, "reason"),
        ("sent", {"on": "future"}, "on"),
        ("sent", {"on": "before"}, "on"),
    ],
)
def test_refusals_of_a_move_name_the_field(api_as, caseworker, client_of, make_vacancy, today, to, body, field):
    referral = es.referral_create(
        actor=caseworker, vacancy=make_vacancy(), client=client_of, on=today - dt.timedelta(days=3)
    )
    days = {"future": str(today + dt.timedelta(days=1)), "before": str(today - dt.timedelta(days=4))}
    if "on" in body:
        body = {**body, "on": days[body["on"]]}
    response = api_as(caseworker).post(
        url(client_of, f"job-referrals/{referral.pk}/move/"), {"to": to, **body}, format="json"
    )
    assert refused_on(response) == [field]
    referral.refresh_from_db()
    assert referral.status == "proposed" and referral.events.count() == 1


def test_refusals_of_a_referral_name_the_vacancy(api_as, caseworker, client_of, make_vacancy, today):
    c = api_as(caseworker)
    path = url(client_of, "job-referrals/")
    assert refused_on(c.post(path, {"vacancy": make_vacancy(status="draft").pk}, format="json")) == ["vacancy"]
    assert refused_on(c.post(path, {"vacancy": 99999999}, format="json")) == ["vacancy"]
    vacancy = make_vacancy()
    assert refused_on(
        c.post(path, {"vacancy": vacancy.pk, "on": str(today + dt.timedelta(days=1))}, format="json")
    ) == ["on"]
    ok(c.post(path, {"vacancy": vacancy.pk}, format="json"), 201)
    assert refused_on(c.post(path, {"vacancy": vacancy.pk}, format="json")) == ["vacancy"]  # already referred
    heavy = make_vacancy(physical_load="heavy")
    circumstances_record(
        actor=caseworker,
        client=client_of,
        recorded_on=today,
        education="low",
        work_experience_years=5,
        dutch_level="2f",
        health="severe",
        debts="none",
        social="good",
    )
    blocked = c.post(path, {"vacancy": heavy.pk}, format="json")
    assert refused_on(blocked) == ["vacancy"]
    assert Referral.objects.filter(client=client_of).count() == 1


def test_a_wage_subsidy_is_computed_from_the_rule_set(api_as, caseworker, client_of, employer, today):
    from trede.core.selectors import rules_on

    c = api_as(caseworker)
    body = ok(
        c.post(
            url(client_of, "placements/"),
            {
                "placement_kind": "wage_subsidy",
                "employer": employer.pk,
                "start_on": str(today),
                "hours_per_week": 32,
                "wage_value_pct": 60,
                "wage_value_assessed_on": str(today - dt.timedelta(days=7)),
                "wage_value_review_on": str(today + dt.timedelta(days=365)),
            },
            format="json",
        ),
        201,
    )
    legal = rules_on(today)
    expected = rules.wage_subsidy_monthly(
        hours_per_week=32,
        wage_value_pct=60,
        minimum_wage_hourly=Decimal(legal["minimum_wage_hourly_cents"]) / 100,
        holiday_pay_pct=legal["holiday_pay_pct"],
        cap_pct=legal["wage_subsidy_cap_pct"],
        flat_pct=legal["wage_subsidy_flat_pct"],
    )
    assert Decimal(body["subsidy_monthly"]) == expected
    unassessed = ok(
        c.post(
            url(client_of, "placements/"),
            {"placement_kind": "wage_subsidy", "employer": employer.pk, "start_on": str(today), "hours_per_week": 32},
            format="json",
        ),
        201,
    )
    assert unassessed["wage_value_review_on"] == str(add_months(today, legal["wage_subsidy_flat_months"]))


def test_a_climbing_jobs_missed_training_is_flagged_until_it_starts(api_as, caseworker, client_of, employer, today):
    c = api_as(caseworker)
    body = ok(
        c.post(
            url(client_of, "placements/"),
            {
                "placement_kind": "climbing",
                "employer": employer.pk,
                "start_on": str(today - dt.timedelta(days=90)),
                "hours_per_week": 36,
                "promised_training": "Heftruckcertificaat",
                "training_due_on": str(today - dt.timedelta(days=10)),
            },
            format="json",
        ),
        201,
    )
    assert body["training_missed"] is True
    started = ok(
        c.post(url(client_of, f"placements/{body['id']}/training-started/"), {"started_on": str(today)}, format="json")
    )
    assert (started["training_missed"], started["training_started_on"]) == (False, str(today))


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"placement_kind": "trial", "end_on": "late", "intended_contract": "Vast"}, "end_on"),
        ({"placement_kind": "trial", "end_on": "soon"}, "intended_contract"),
        ({"placement_kind": "trial", "intended_contract": "Vast"}, "end_on"),
        ({"placement_kind": "climbing", "training_due_on": "soon"}, "promised_training"),
        ({"placement_kind": "climbing", "promised_training": "VCA"}, "training_due_on"),
        (
            {"placement_kind": "wage_subsidy", "wage_value_pct": 60, "wage_value_review_on": "soon"},
            "wage_value_assessed_on",
        ),
        ({"placement_kind": "wage_subsidy", "wage_value_pct": 101}, "wage_value_pct"),
        ({"placement_kind": "regular", "employer": None}, "employer"),
        ({"placement_kind": "regular", "employer": 99999999}, "employer"),
        ({"placement_kind": "regular", "referral": "someone_elses"}, "referral"),
        ({"placement_kind": "internship"}, "placement_kind"),
    ],
)
def test_refusals_of_a_placement_name_the_field(
    api_as, caseworker, client_of, make_client, employer, make_vacancy, today, payload, field
):
    other = make_client(caseworker, first_name="Ander")
    foreign = es.referral_create(actor=caseworker, vacancy=make_vacancy(), client=other, on=today)
    values = {
        "late": str(today + dt.timedelta(days=100)),
        "soon": str(today + dt.timedelta(days=20)),
        "someone_elses": foreign.pk,
    }
    body = {"employer": employer.pk, "start_on": str(today), "hours_per_week": 24}
    body |= {k: values.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    body = {k: v for k, v in body.items() if v is not None}
    response = api_as(caseworker).post(url(client_of, "placements/"), body, format="json")
    assert refused_on(response) == [field]
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "suffix,payload,field",
    [
        ("extend/", {"extended_until": "too_long"}, "extended_until"),
        ("extend/", {"extended_until": "before_end"}, "extended_until"),
        ("end/", {"outcome": "no_contract"}, "reason"),
        ("end/", {"outcome": "maybe"}, "outcome"),
        ("end/", {"outcome": "contract", "end_on": "before_start"}, "end_on"),
        ("training-started/", {"started_on": "today"}, "started_on"),  # not a climbing job
    ],
)
def test_refusals_of_a_placement_step_name_the_field(
    api_as, caseworker, client_of, employer, today, suffix, payload, field
):
    start = today - dt.timedelta(days=10)
    placement = es.placement_start(
        actor=caseworker,
        client=client_of,
        employer=employer,
        kind="trial",
        start_on=start,
        end_on=start + dt.timedelta(days=30),
        hours_per_week=24,
        intended_contract="Vast contract",
    )
    values = {
        "too_long": str(add_months(start, 7)),
        "before_end": str(start + dt.timedelta(days=20)),
        "before_start": str(start - dt.timedelta(days=1)),
        "today": str(today),
    }
    body = {"end_on": str(today)} if suffix == "end/" else {}
    body |= {k: values.get(v, v) for k, v in payload.items()}
    before = AuditRecord.objects.count()
    response = api_as(caseworker).post(url(client_of, f"placements/{placement.pk}/{suffix}"), body, format="json")
    assert refused_on(response) == [field]
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"hourly_wage": "5.00"}, "hourly_wage"),  # below the minimum wage
        ({"employer": None, "employer_name": ""}, "employer"),
        ({"contract_type": "fixed", "contract_months": None}, "contract_months"),
        ({"contract_type": "lifelong"}, "contract_type"),
        ({"placement": "someone_elses"}, "placement"),
        ({"exit_on": "before_start"}, "exit_on"),
    ],
)
def test_refusals_of_an_exit_name_the_field(
    api_as, caseworker, client_of, make_client, employer, today, payload, field
):
    on_benefit(caseworker, client_of, today, days=30)
    other = make_client(caseworker, first_name="Ander")
    foreign = es.placement_start(
        actor=caseworker, client=other, employer=employer, kind="regular", start_on=today, hours_per_week=20
    )
    values = {"someone_elses": foreign.pk, "before_start": str(today - dt.timedelta(days=60))}
    body = {
        "exit_on": str(today),
        "employer": employer.pk,
        "hours_per_week": 32,
        "contract_type": "permanent",
        "hourly_wage": "16.00",
    }
    body |= {k: values.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    body = {k: v for k, v in body.items() if v is not None}
    response = api_as(caseworker).post(url(client_of, "exits/"), body, format="json")
    assert refused_on(response) == [field]
    assert BenefitPeriod.objects.get(client=client_of).end_on is None


def test_an_exit_needs_a_running_benefit(api_as, caseworker, client_of, today):
    response = api_as(caseworker).post(
        url(client_of, "exits/"),
        {
            "exit_on": str(today),
            "employer_name": "Eigen zaak",
            "hours_per_week": 32,
            "contract_type": "permanent",
            "hourly_wage": "16.00",
        },
        format="json",
    )
    assert refused_on(response) == ["exit_on"]


def test_another_clients_records_are_not_found(
    api_as, caseworker, client_of, make_client, employer, make_vacancy, today
):
    other = make_client(caseworker, first_name="Ander")
    on_benefit(caseworker, other, today)
    referral = es.referral_create(actor=caseworker, vacancy=make_vacancy(), client=other, on=today)
    placement = es.placement_start(
        actor=caseworker, client=other, employer=employer, kind="regular", start_on=today, hours_per_week=20
    )
    job_exit = es.exit_register(
        actor=caseworker,
        client=other,
        exit_on=today,
        employer=employer,
        hours_per_week=20,
        contract_type="permanent",
        hourly_wage=Decimal("16.00"),
    )
    follow_up = FollowUp.objects.filter(exit=job_exit).first()
    c = api_as(caseworker)
    for suffix, body in (
        (f"job-referrals/{referral.pk}/move/", {"to": "sent"}),
        (f"placements/{placement.pk}/end/", {"end_on": str(today), "outcome": "contract"}),
        (f"follow-ups/{follow_up.pk}/record/", {"still_working": True, "off_benefit": True, "needs_job_coach": False}),
    ):
        assert c.post(url(client_of, suffix), body, format="json").status_code == 404, suffix
    assert ok(c.get(url(client_of, "placements/")))["results"] == []


# --------------------------------------------------------------------------------------------------
# The work profile


def test_the_work_profile_with_isco_occupations(api_as, caseworker, client_of, today):
    c = api_as(caseworker)
    path = url(client_of, "work-profiles/")
    body = ok(
        c.post(
            path,
            {
                "experience": [{"code": "9112", "years": 3}],
                "preferences": ["5120", "5120"],
                "hours_wanted": 24,
                "driving_licence": True,
            },
            format="json",
        ),
        201,
    )
    assert body["recorded_on"] == str(today)
    assert body["experience"][0]["code"] == "9112" and body["experience"][0]["years"] == 3
    assert body["experience"][0]["name"] and body["preferences"] == [
        {"code": "5120", "name": body["preferences"][0]["name"]}
    ]
    assert (body["hours_wanted"], body["driving_licence"], body["recorded_by"]["username"]) == (24, True, "anna")
    newer = ok(c.post(path, {"experience": [], "preferences": ["9112"]}, format="json"), 201)
    assert [p["id"] for p in ok(c.get(path))["results"]] == [newer["id"], body["id"]]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"experience": [{"code": "9999", "years": 2}]}, "experience"),
        ({"experience": [{"code": "9112", "years": 61}]}, "experience"),
        ({"experience": [{"code": "9112"}]}, "experience"),
        ({"preferences": ["0000"]}, "preferences"),
        ({"hours_wanted": 0}, "hours_wanted"),
        ({"recorded_on": "future"}, "recorded_on"),
    ],
)
def test_refusals_of_a_work_profile_name_the_field(api_as, caseworker, client_of, today, payload, field):
    body = {k: str(today + dt.timedelta(days=1)) if v == "future" else v for k, v in payload.items()}
    assert refused_on(api_as(caseworker).post(url(client_of, "work-profiles/"), body, format="json")) == [field]
    assert not client_of.work_profiles.exists()


# --------------------------------------------------------------------------------------------------
# Query counts do not grow with the number of rows


def _count(api_as, user, path) -> tuple[int, int]:
    c = api_as(fresh(user))
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(path)
    body = ok(response)
    if "count" in body:  # a page
        return len(ctx.captured_queries), body["count"]
    rows = body.get("results") or body.get("rows") or body.get("vacancies") or []  # a shortlist, durability, employer
    return len(ctx.captured_queries), len(rows)


def test_list_query_counts_do_not_grow_with_rows(
    api_as, adviser, caseworker, client_of, make_client, employer, make_vacancy, today
):
    on_benefit(caseworker, client_of, today, days=500)
    work_profile(caseworker, client_of, today)

    made: list[Vacancy] = []

    def grow(n: int) -> None:
        while len(made) < n:
            i = len(made)
            vacancy = make_vacancy(title=f"Vacature {i}")
            made.append(vacancy)
            es.contact_person_save(actor=adviser, employer=employer, name=f"Contact {i}", phone="030-1")
            es.employer_save(actor=adviser, name=f"Werkgever {i}", sector="G", adviser=adviser)
            es.match_record(actor=caseworker, vacancy=vacancy, client=client_of, status="discussed", on=today)
            referral = es.referral_create(actor=caseworker, vacancy=vacancy, client=client_of, on=today)
            es.referral_move(actor=caseworker, referral=referral, to="sent", on=today)
            es.placement_start(
                actor=caseworker, client=client_of, employer=employer, kind="regular", start_on=today, hours_per_week=8
            )
            work_profile(caseworker, client_of, today, years=i + 1)
            candidate = make_client(caseworker, first_name=f"Kandidaat{i}")
            on_benefit(caseworker, candidate, today)
            route_decide(actor=caseworker, client=candidate, route="work", reason="", decided_on=today)
            work_profile(caseworker, candidate, today, years=i)
            leaver = make_client(caseworker, first_name=f"Vertrokken{i}")
            on_benefit(caseworker, leaver, today)
            es.exit_register(
                actor=caseworker,
                client=leaver,
                exit_on=today,
                employer=employer,
                hours_per_week=20,
                contract_type="permanent",
                hourly_wage=Decimal("16.00"),
            )

    first = make_vacancy(title="Eerste")
    paths = {
        "employers": (adviser, "/api/v1/employers/"),
        "employer": (adviser, f"/api/v1/employers/{employer.pk}/"),
        "contacts": (adviser, f"/api/v1/employers/{employer.pk}/contacts/"),
        "employer vacancies": (adviser, f"/api/v1/employers/{employer.pk}/vacancies/"),
        "vacancies": (caseworker, "/api/v1/vacancies/"),
        "shortlist": (adviser, f"/api/v1/vacancies/{first.pk}/shortlist/"),
        "durability": (adviser, "/api/v1/durability/?by=employer"),
        "client vacancies": (caseworker, url(client_of, "vacancies/")),
        "matches": (caseworker, url(client_of, "matches/")),
        "job referrals": (caseworker, url(client_of, "job-referrals/")),
        "placements": (caseworker, url(client_of, "placements/")),
        "work profiles": (caseworker, url(client_of, "work-profiles/")),
    }
    grow(2)
    small = {name: _count(api_as, user, path) for name, (user, path) in paths.items()}
    grow(7)
    large = {name: _count(api_as, user, path) for name, (user, path) in paths.items()}
    for name in paths:
        if name != "durability":  # one group
            assert large[name][1] > small[name][1], name
        assert large[name][0] == small[name][0], (name, small[name], large[name])


def test_exit_list_query_count_does_not_grow(api_as, caseworker, client_of, employer, today):
    def exits(n: int) -> None:
        for i in range(client_of.job_exits.count(), n):
            period = benefit_period_start(
                actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=100 - 10 * i)
            )
            es.exit_register(
                actor=caseworker,
                client=client_of,
                exit_on=period.start_on + dt.timedelta(days=5),
                employer=employer,
                hours_per_week=20,
                contract_type="permanent",
                hourly_wage=Decimal("16.00"),
            )

    exits(1)
    small = _count(api_as, caseworker, url(client_of, "exits/"))
    exits(4)
    large = _count(api_as, caseworker, url(client_of, "exits/"))
    assert (large[1], large[0]) == (4, small[0])
