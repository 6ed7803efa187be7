"""Page costs do not grow with data: the number of SQL queries of the caseload, dossier and due pages is the
same for a small and a large caseload or history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trede.caseload.services import action_item_add, contact_record
from trede.clients.services import circumstances_record, ladder_measure
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db


def fill(client_obj, caseworker, today, n, *, overdue: bool = False):
    """History for one client; with overdue=True it lands in every section of the due page."""
    if overdue:
        from trede.caseload.models import ActionItem
        from trede.clients.services import client_review_schedule

        ActionItem.objects.create(
            client=client_obj,
            description="te laat",
            responsible="client",
            deadline=today - dt.timedelta(days=3),
            created_on=today - dt.timedelta(days=30),
        )
        client_review_schedule(actor=caseworker, client=client_obj, review_on=today + dt.timedelta(days=3))
        # activation: a participation whose follow-up is due, and one that stopped without a next step
        from trede.activation.services import participation_end, participation_record

        for kind, start in (("informal_care", 400), ("volunteer_work", 300)):
            participation_record(
                actor=caseworker,
                client=client_obj,
                kind=kind,
                description=kind,
                hours_per_week=8,
                start_on=today - dt.timedelta(days=start),
            )
        stopped = client_obj.participations.get(kind="volunteer_work")
        participation_end(
            actor=caseworker, participation=stopped, end_on=today - dt.timedelta(days=250), reason="gestopt"
        )
        # work: a climbing job whose promised training did not start, and an exit with a follow-up due
        from decimal import Decimal

        from trede.clients.services import benefit_period_start
        from trede.core.models import User
        from trede.employers import services as es

        adviser = User.objects.filter(role="employer_adviser").first() or User.objects.create_user(
            "w.adviseur", password="x", role="employer_adviser"
        )
        employer = es.employer_save(actor=adviser, name=f"Werkgever {client_obj.pk}", sector="H", adviser=adviser)
        es.placement_start(
            actor=caseworker,
            client=client_obj,
            employer=employer,
            kind="climbing",
            start_on=today - dt.timedelta(days=100),
            hours_per_week=24,
            promised_training="Heftruck",
            training_due_on=today - dt.timedelta(days=10),
        )
        benefit_period_start(actor=caseworker, client=client_obj, start_on=today - dt.timedelta(days=900))
        # sanctions: a hearing whose term passed, and a sent reduction with an objection to decide and to reconsider
        from trede.obligations.services import obligation_impose
        from trede.sanctions import services as sa

        lead = User.objects.filter(role="team_lead").first() or User.objects.create_user(
            "t.leider", password="x", role="team_lead"
        )
        obligation_impose(
            actor=caseworker, client=client_obj, kind="work_obligation", start_on=today - dt.timedelta(days=900)
        )
        waiting = sa.case_open(
            actor=caseworker,
            client=client_obj,
            category="refused_work",
            breach_on=today - dt.timedelta(days=60),
            description="x",
        )
        sa.hearing_schedule(actor=caseworker, case=waiting, invited_on=today - dt.timedelta(days=50))
        decided = sa.case_open(
            actor=caseworker,
            client=client_obj,
            category="refused_work",
            breach_on=today - dt.timedelta(days=200),
            description="x",
        )
        sa.hearing_schedule(actor=caseworker, case=decided, invited_on=today - dt.timedelta(days=190))
        sa.hearing_record(actor=caseworker, case=decided, responded=True, statement="x")
        sa.assessment_record(actor=caseworker, case=decided, finding="full", reasoning="x", assessed_on=today)
        decision = sa.decision_propose(actor=caseworker, case=decided, start_on=today - dt.timedelta(days=100))
        sa.decision_approve(actor=lead, decision=decision)
        sa.decision_send(actor=caseworker, decision=decision, sent_on=today - dt.timedelta(days=80))
        sa.objection_register(actor=caseworker, decision=decision, received_on=today - dt.timedelta(days=75))
        es.exit_register(
            actor=caseworker,
            client=client_obj,
            exit_on=today - dt.timedelta(days=40),
            employer=employer,
            hours_per_week=24,
            contract_type="permanent",
            hourly_wage=Decimal("15.00"),
        )

    for i in range(n):
        day = today - dt.timedelta(days=10 * i + 1)
        if not overdue:
            contact_record(actor=caseworker, client=client_obj, contact_on=day, channel="phone", summary=f"Gesprek {i}")
        ladder_measure(actor=caseworker, client=client_obj, step=1 + i % 6, measured_on=day)
        action_item_add(
            actor=caseworker,
            client=client_obj,
            description=f"Actie {i}",
            responsible="client",
            deadline=today + dt.timedelta(days=i),
        )
    circumstances_record(
        actor=caseworker,
        client=client_obj,
        recorded_on=today,
        education="low",
        work_experience_years=3,
        dutch_level="2f",
        health="some",
        debts="none",
        social="limited",
    )
    exemption_grant(
        actor=caseworker,
        client=client_obj,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=5),
        review_on=today + dt.timedelta(days=10),
        reason="x",
    )


def count(django_client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = django_client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["caseworker", "team_lead"])
@pytest.mark.parametrize("name", ["caseload", "due"])
def test_list_pages_cost_the_same_for_3_and_25_clients(client, caseworker, team_lead, make_client, today, name, role):
    client.force_login(caseworker if role == "caseworker" else team_lead)
    for i in range(3):
        fill(make_client(caseworker), caseworker, today, 2, overdue=i % 2 == 0)
    small = count(client, reverse(name))
    for i in range(22):
        fill(make_client(caseworker), caseworker, today, 2, overdue=i % 2 == 0)
    page = client.get(reverse(name)).content.decode()
    if name == "due":  # every section has rows, so every section's queries are counted
        assert "Niets te doen" not in page
    assert count(client, reverse(name)) == small


def test_team_page_costs_the_same_for_3_and_25_clients(client, caseworker, colleague, team_lead, make_client, today):
    client.force_login(team_lead)
    for _ in range(3):
        make_client(caseworker)
    small = count(client, reverse("team"))
    for i in range(22):
        make_client(colleague if i % 2 else caseworker)
    assert count(client, reverse("team")) == small


def test_dossier_costs_the_same_for_short_and_long_history(client, caseworker, make_client, today):
    client.force_login(caseworker)
    short, long = make_client(caseworker), make_client(caseworker)
    fill(short, caseworker, today, 1)
    fill(long, caseworker, today, 30)
    assert count(client, reverse("client-dossier", args=[short.pk])) == count(
        client, reverse("client-dossier", args=[long.pk])
    )


# --------------------------------------------------------------------------------------------------
# Intake pages


def intake_history(client_obj, caseworker, today, n):
    """n intakes (newest today), each followed by the route it advised; with an active model every one has an
    estimate and an explanation."""
    from trede.intake.selectors import dossier_answers
    from trede.intake.services import assessment_record, route_decide

    latest = None
    for i in reversed(range(n)):
        day = today - dt.timedelta(days=3 * i)
        latest = assessment_record(
            actor=caseworker, client=client_obj, assessed_on=day, answers=dossier_answers(client_obj, day)
        )
        route = latest.advised_route or "work"
        route_decide(actor=caseworker, client=client_obj, route=route, reason="x", decided_on=day, assessment=latest)
    return latest


@pytest.fixture
def model_in_use(administrator):
    from tests.intake.test_services import stored_model

    return stored_model(administrator)


def test_intake_pages_cost_the_same_for_short_and_long_history(client, caseworker, make_client, today, model_in_use):
    from tests.intake.test_services import with_dossier

    client.force_login(caseworker)
    short = with_dossier(make_client, caseworker, today, recorded_days=40)
    long = with_dossier(make_client, caseworker, today, recorded_days=40)
    fill(short, caseworker, today, 1)
    fill(long, caseworker, today, 30)
    short_intake = intake_history(short, caseworker, today, 1)
    long_intake = intake_history(long, caseworker, today, 8)
    assert short_intake.estimate and long_intake.estimate
    assert count(client, reverse("assessment-detail", args=[short.pk, short_intake.pk])) == count(
        client, reverse("assessment-detail", args=[long.pk, long_intake.pk])
    )
    assert count(client, reverse("intake-start", args=[short.pk])) == count(
        client, reverse("intake-start", args=[long.pk])
    )


def test_model_page_costs_the_same_for_one_and_many_versions(client, administrator, analyst, model_in_use):
    from tests.intake.test_services import stored_model
    from trede.intake.services import model_activate

    for user in (analyst, administrator):
        client.force_login(user)
        one = count(client, reverse("model"))
        assert count(client, f"{reverse('model')}?versie={model_in_use.number}") == one
    more = [stored_model(administrator, active=False, fairness={"rows": [], "tolerance": 0.05}) for _ in range(7)]
    for version in more[:3]:
        model_activate(actor=administrator, version=version)  # each retires the one before
    for user in (analyst, administrator):
        client.force_login(user)
        assert count(client, reverse("model")) == one
        assert count(client, f"{reverse('model')}?versie={more[-1].number}") == one


def test_route_awaiting_page_costs_the_same_for_one_and_many_decisions(
    client, caseworker, colleague, team_lead, make_client, today
):
    from tests.intake.test_services import awaiting_decision

    client.force_login(team_lead)
    awaiting_decision(caseworker, make_client(caseworker), today)
    one = count(client, reverse("route-awaiting"))
    for i in range(11):
        worker = colleague if i % 2 else caseworker
        awaiting_decision(worker, make_client(worker), today)
    page = client.get(reverse("route-awaiting")).content.decode()
    assert "12 besluiten wachten" in page
    assert count(client, reverse("route-awaiting")) == one


# --------------------------------------------------------------------------------------------------
# Outreach pages


def _campaign_population(make_client, caseworker, today, n, start=0):
    from trede.clients.services import benefit_period_start

    for i in range(start, start + n):
        c = make_client(caseworker, surname=f"Q{i:03d}", street="Weg", house_number="1", postcode="1000 AA", city="X")
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=300))


def test_campaign_page_costs_the_same_for_a_small_and_a_large_campaign(
    client, caseworker, team_lead, make_client, today
):
    from trede.outreach.services import campaign_create, campaign_plan, cohort_schedule

    client.force_login(team_lead)
    _campaign_population(make_client, caseworker, today, 28)
    small = campaign_create(actor=team_lead, name="a", purpose="introduction", starts_on=today, cohort_size=30)
    large = campaign_create(actor=team_lead, name="b", purpose="introduction", starts_on=today, cohort_size=2)
    for campaign in (small, large):
        campaign_plan(actor=team_lead, campaign=campaign, on=today)
    for campaign in (small, large):
        for cohort in campaign.cohorts.all():
            cohort_schedule(actor=team_lead, cohort=cohort)
    assert large.cohorts.count() > small.cohorts.count()
    assert count(client, reverse("campaign-detail", args=[small.pk])) == count(
        client, reverse("campaign-detail", args=[large.pk])
    )


def test_agenda_costs_the_same_for_few_and_many_talks(client, caseworker, team_lead, make_client, today):
    from django.utils import timezone

    from trede.outreach.models import Appointment

    client.force_login(caseworker)
    _campaign_population(make_client, caseworker, today, 20)
    clients = list(caseworker.assignments.values_list("client_id", flat=True))
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    Appointment.objects.create(client_id=clients[0], caseworker=caseworker, starts_at=start, minutes=45, place="p")
    few = count(client, reverse("agenda"))
    for i, cid in enumerate(clients[1:], start=1):
        Appointment.objects.create(
            client_id=cid, caseworker=caseworker, starts_at=start + dt.timedelta(minutes=20 * i), minutes=45, place="p"
        )
    assert count(client, reverse("agenda")) == few
