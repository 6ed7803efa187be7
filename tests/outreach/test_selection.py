"""The SQL form of the outreach rule agrees with the pure rule for every client, the preview counts add up,
and planning is idempotent: nobody twice, nobody excluded, cohorts of the campaign's size, a recorded order."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError

from trede.caseload.services import contact_record
from trede.clients.services import benefit_period_start
from trede.intake.services import route_decide
from trede.obligations.selectors import is_exempt
from trede.obligations.services import exemption_grant
from trede.outreach import selectors
from trede.outreach.models import Invitation
from trede.outreach.rules import PURPOSE_OBLIGATION, TRAJECTORY_ROUTES, exclusion
from trede.outreach.services import campaign_create, campaign_plan

pytestmark = pytest.mark.django_db
HORIZON = 28


def _population(make_client, caseworker, today, n=48, seed=11):
    """n clients on benefit with random circumstances that matter to outreach, written through the services."""
    rng = random.Random(seed)
    clients = []
    for i in range(n):
        address = rng.random() > 0.15
        c = make_client(
            caseworker,
            surname=f"Oproep{i:02d}",
            street="Dorpsstraat" if address else "",
            house_number=str(i + 1) if address else "",
            postcode="1234 AB" if address else "",
            city="Stad" if address else "",
        )
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=400))
        kind = rng.random()
        if kind < 0.2:
            exemption_grant(
                actor=None,
                client=c,
                obligation=rng.choice(["work_obligation", "tegenprestatie"]),
                ground="urgent_reasons",
                start_on=today - dt.timedelta(days=30),
                review_on=today + dt.timedelta(days=rng.choice([10, 200])),
                reason="mantelzorg",
            )
        elif kind < 0.3:
            exemption_grant(
                actor=None,
                client=c,
                obligation="work_obligation",
                ground="fully_disabled",
                start_on=today - dt.timedelta(days=30),
                review_on=today + dt.timedelta(days=rng.choice([10, 300])),
                reason="volledig arbeidsongeschikt",
            )
        if rng.random() < 0.3:
            route_decide(
                actor=caseworker,
                client=c,
                route=rng.choice(["work", "youth", "participation"]),
                reason="",
                decided_on=today - dt.timedelta(days=5),
            )
        if rng.random() < 0.4:
            contact_record(
                actor=caseworker,
                client=c,
                contact_on=today - dt.timedelta(days=rng.choice([20, 200])),
                channel="phone",
                summary="gebeld",
            )
        clients.append(c)
    return clients


def _facts(client, purpose, today, no_contact_months):
    from trede.caseload.models import ContactMoment
    from trede.core.rules import add_months
    from trede.intake.selectors import route_in_force
    from trede.obligations.models import Exemption
    from trede.sanctions.models import Objection

    in_force = Exemption.objects.active_on(today).filter(client=client)
    obligation = PURPOSE_OBLIGATION[purpose]
    route = route_in_force(client.pk)
    last = ContactMoment.objects.filter(client=client).order_by("-contact_on").first()
    return {
        "exempt": bool(obligation) and is_exempt(client_id=client.pk, obligation=obligation, on=today),
        "fully_disabled": in_force.filter(ground="fully_disabled").exists(),
        "review_due": in_force.filter(review_on__lte=today + dt.timedelta(days=HORIZON)).exists(),
        "in_trajectory": route is not None and route.route in TRAJECTORY_ROUTES,
        "recent_contact": bool(no_contact_months)
        and last is not None
        and last.contact_on > add_months(today, -no_contact_months),
        "has_address": bool(client.street and client.postcode),
        "pending_objection": Objection.objects.filter(
            decision__case__client=client, outcome="", received_on__lte=today
        ).exists(),
    }


@pytest.mark.parametrize("purpose", sorted(PURPOSE_OBLIGATION))
def test_the_sql_rule_agrees_with_the_pure_rule_for_every_client(make_client, caseworker, team_lead, today, purpose):
    clients = _population(make_client, caseworker, today)
    campaign = campaign_create(actor=team_lead, name="x", purpose=purpose, starts_on=today, no_contact_months=3)
    got = dict(selectors.candidates(campaign, today, horizon_days=HORIZON).values_list("pk", "exclusion"))
    assert set(got) == {c.pk for c in clients}
    for c in clients:
        expected = exclusion(purpose, **_facts(c, purpose, today, 3)) or ""
        assert got[c.pk] == expected, (c.surname, _facts(c, purpose, today, 3))
    preview = selectors.preview(campaign, today, horizon_days=HORIZON, with_sample=True)
    assert preview.matched == len(clients) == preview.invitable + sum(preview.excluded.values())
    assert {s.pk for s in preview.sample} <= {pk for pk, reason in got.items() if reason == ""}


def test_planning_never_invites_an_excluded_client_nor_anyone_twice(make_client, caseworker, team_lead, today):
    clients = _population(make_client, caseworker, today, seed=5)
    campaign = campaign_create(
        actor=team_lead, name="Werk", purpose="work_intake", starts_on=today, cohort_size=4, order="random"
    )
    added = campaign_plan(actor=team_lead, campaign=campaign, on=today)
    invited = list(Invitation.objects.filter(campaign=campaign).order_by("position"))
    assert added == len(invited) > 0
    for inv in invited:
        assert not is_exempt(client_id=inv.client_id, obligation="work_obligation", on=today)
    assert len({i.client_id for i in invited}) == len(invited)
    sizes = [campaign.cohorts.get(number=n).invitations.count() for n in range(1, campaign.cohorts.count() + 1)]
    assert all(s == 4 for s in sizes[:-1]) and 0 < sizes[-1] <= 4
    assert [i.position for i in invited] == list(range(1, len(invited) + 1))
    # again: nothing new; a new client on benefit is added after the others, in a new cohort
    assert campaign_plan(actor=team_lead, campaign=campaign, on=today) == 0
    late = make_client(caseworker, surname="Nieuw", street="Laan", house_number="1", postcode="1111 AA", city="Stad")
    benefit_period_start(actor=None, client=late, start_on=today - dt.timedelta(days=10))
    assert campaign_plan(actor=team_lead, campaign=campaign, on=today) == 1
    newest = Invitation.objects.get(campaign=campaign, client=late)
    assert newest.position == len(invited) + 1 and newest.cohort.number == len(sizes) + 1
    assert len(clients) >= len(invited)


def test_the_random_order_is_recorded_and_can_be_rebuilt(make_client, caseworker, team_lead, today):
    import numpy as np

    _population(make_client, caseworker, today, n=30, seed=3)
    campaign = campaign_create(actor=team_lead, name="R", purpose="introduction", starts_on=today, order="random")
    campaign_plan(actor=team_lead, campaign=campaign, on=today)
    campaign.refresh_from_db()
    assert campaign.seed is not None
    order = list(Invitation.objects.filter(campaign=campaign).order_by("position").values_list("client_id", flat=True))
    rebuilt = np.random.default_rng(campaign.seed).permutation(sorted(order)).tolist()
    assert order == rebuilt


def test_only_a_team_lead_or_administrator_organises(caseworker, today):
    with pytest.raises(ValidationError):
        campaign_create(actor=caseworker, name="x", purpose="introduction", starts_on=today)


def test_the_selection_filters_age_district_and_duration(make_client, caseworker, team_lead, today, district_north):
    from trede.core.rules import add_years

    young = make_client(caseworker, birth_date=add_years(today, -22))
    old = make_client(caseworker, birth_date=add_years(today, -45))
    north = make_client(caseworker, district_obj=district_north, birth_date=add_years(today, -45))
    new = make_client(caseworker, birth_date=add_years(today, -45))
    off = make_client(caseworker)
    for c in (young, old, north):
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=800))
    benefit_period_start(actor=None, client=new, start_on=today - dt.timedelta(days=20))
    campaign = campaign_create(
        actor=team_lead,
        name="x",
        purpose="introduction",
        starts_on=today,
        age_min=27,
        age_max=45,
        benefit_months_min=12,
        districts=[old.district],
    )
    assert set(selectors.selection(campaign, today).values_list("pk", flat=True)) == {old.pk}
    assert off.pk not in set(selectors.selection(campaign, today).values_list("pk", flat=True))


def test_a_client_with_a_pending_objection_is_not_called_in(make_client, caseworker, team_lead, today):
    from trede.clients.services import benefit_period_start
    from trede.obligations.services import obligation_impose
    from trede.sanctions import services as sa

    objecting = make_client(caseworker, street="Kerkstraat", house_number="1", postcode="1000 AA", city="Stad")
    benefit_period_start(actor=caseworker, client=objecting, start_on=today - dt.timedelta(days=400))
    obligation_impose(
        actor=caseworker, client=objecting, kind="work_obligation", start_on=today - dt.timedelta(days=400)
    )
    case = sa.case_open(
        actor=caseworker,
        client=objecting,
        category="refused_work",
        breach_on=today - dt.timedelta(days=60),
        description="x",
    )
    sa.hearing_schedule(actor=caseworker, case=case, invited_on=today - dt.timedelta(days=50))
    sa.hearing_record(actor=caseworker, case=case, responded=True, statement="x")
    sa.assessment_record(actor=caseworker, case=case, finding="full", reasoning="x", assessed_on=today)
    decision = sa.decision_propose(actor=caseworker, case=case, start_on=today)
    sa.decision_approve(actor=team_lead, decision=decision)
    sa.decision_send(actor=caseworker, decision=decision, sent_on=today - dt.timedelta(days=5))
    objection = sa.objection_register(actor=caseworker, decision=decision, received_on=today)
    campaign = campaign_create(actor=team_lead, name="x", purpose="introduction", starts_on=today)
    assert selectors.exclusion_of(campaign, objecting.pk, today, horizon_days=HORIZON) == "pending_objection"
    assert exclusion("introduction", **_facts(objecting, "introduction", today, None)) == "pending_objection"
    sa.objection_decide(actor=caseworker, objection=objection, outcome="rejected", reasoning="x", decided_on=today)
    assert selectors.exclusion_of(campaign, objecting.pk, today, horizon_days=HORIZON) == ""
