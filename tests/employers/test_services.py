"""Employer services through the services: a vacancy opens only when complete, a hard constraint is never
overridden, a referral's steps, placements within the legal limits, the wage subsidy, and the exit with follow-ups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from trede.clients.models import BenefitPeriod
from trede.clients.services import benefit_period_start, circumstances_record
from trede.core.models import AuditRecord
from trede.employers import services as es
from trede.employers.models import FollowUp, ReferralEvent, Vacancy
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser(make_user):
    return make_user("employer_adviser", "w.adviseur")


@pytest.fixture
def employer(adviser, district):
    return es.employer_save(
        actor=adviser, name="Groen Logistiek BV", kvk_number="12345678", sector="H", adviser=adviser, district=district
    )


@pytest.fixture
def contact(adviser, employer):
    return es.contact_person_save(actor=adviser, employer=employer, name="Ria Groen", phone="030-1234567")


COMPLETE = {
    "title": "Orderpicker",
    "occupation": "9334",
    "tasks": "Orders verzamelen en inpakken",
    "wage_min": Decimal("15.20"),
    "hours_per_week": 32,
    "contract_type": "fixed",
    "contract_months": 12,
    "education": "none",
    "physical_load": "medium",
    "location": "Industrieweg 4",
}


@pytest.fixture
def vacancy(adviser, employer, contact, today):
    return es.vacancy_save(actor=adviser, employer=employer, contact=contact, start_on=today, status="open", **COMPLETE)


def test_a_vacancy_opens_only_when_complete_and_every_missing_item_is_named(adviser, employer, contact, today):
    with pytest.raises(ValidationError) as refused:
        es.vacancy_save(actor=adviser, employer=employer, title="Schoonmaker", status="open")
    message = " ".join(refused.value.message_dict["status"])
    for item in ("het loon", "de uren per week", "een contactpersoon", "de startdatum", "de werkplek"):
        assert item in message
    assert not Vacancy.objects.exists()
    draft = es.vacancy_save(actor=adviser, employer=employer, title="Schoonmaker")
    assert draft.status == "draft"
    opened = es.vacancy_save(
        actor=adviser, employer=employer, vacancy=draft, contact=contact, start_on=today, status="open", **COMPLETE
    )
    assert opened.status == "open"


def test_a_hard_constraint_is_never_overridden(caseworker, client_of, vacancy, adviser, today):
    exemption_grant(
        actor=caseworker,
        client=client_of,
        obligation="work_obligation",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=10),
        review_on=today + dt.timedelta(days=100),
        reason="Mantelzorg",
    )
    with pytest.raises(ValidationError):
        es.match_record(actor=adviser, vacancy=vacancy, client=client_of, status="proposed", on=today, score=0.99)
    with pytest.raises(ValidationError):
        es.referral_create(actor=caseworker, vacancy=vacancy, client=client_of, on=today)
    # discussing is allowed (it may lead to ending the exemption), declining needs a reason
    es.match_record(actor=adviser, vacancy=vacancy, client=client_of, status="discussed", on=today)
    with pytest.raises(ValidationError):
        es.match_record(actor=adviser, vacancy=vacancy, client=client_of, status="declined", on=today)


def test_heavy_work_is_blocked_by_a_severe_health_limitation(caseworker, client_of, adviser, employer, contact, today):
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
    heavy = es.vacancy_save(
        actor=adviser,
        employer=employer,
        contact=contact,
        start_on=today,
        status="open",
        **{**COMPLETE, "physical_load": "heavy"},
    )
    assert es.hard_blocks(client_of, heavy, today)
    with pytest.raises(ValidationError):
        es.referral_create(actor=caseworker, vacancy=heavy, client=client_of, on=today)


def test_a_referral_goes_to_a_trial_placement_and_a_hire(caseworker, client_of, vacancy, employer, today):
    start = today - dt.timedelta(days=60)
    referral = es.referral_create(actor=caseworker, vacancy=vacancy, client=client_of, on=start)
    es.referral_move(actor=caseworker, referral=referral, to="sent", on=start)
    es.referral_move(actor=caseworker, referral=referral, to="interview", on=start + dt.timedelta(days=5))
    with pytest.raises(ValidationError):  # a trial placement without the intended contract
        es.placement_start(
            actor=caseworker,
            client=client_of,
            employer=employer,
            kind="trial",
            start_on=start + dt.timedelta(days=10),
            end_on=start + dt.timedelta(days=40),
            hours_per_week=24,
            referral=referral,
        )
    trial = es.placement_start(
        actor=caseworker,
        client=client_of,
        employer=employer,
        kind="trial",
        start_on=start + dt.timedelta(days=10),
        end_on=start + dt.timedelta(days=40),
        hours_per_week=24,
        referral=referral,
        vacancy=vacancy,
        intended_contract="Jaarcontract van 32 uur",
    )
    referral.refresh_from_db()
    assert referral.status == "trial_placement"
    es.placement_end(actor=caseworker, placement=trial, end_on=start + dt.timedelta(days=40), outcome="contract")
    referral.refresh_from_db()
    assert referral.status == "hired"
    steps = list(ReferralEvent.objects.filter(referral=referral).values_list("to_status", flat=True))
    assert steps == ["proposed", "sent", "interview", "trial_placement", "hired"]


def test_a_trial_placement_stays_within_two_plus_four_months(caseworker, client_of, employer, today):
    start = today - dt.timedelta(days=10)
    with pytest.raises(ValidationError) as too_long:
        es.placement_start(
            actor=caseworker,
            client=client_of,
            employer=employer,
            kind="trial",
            start_on=start,
            end_on=start + dt.timedelta(days=70),
            hours_per_week=24,
            intended_contract="Vast contract",
        )
    assert "end_on" in too_long.value.message_dict
    trial = es.placement_start(
        actor=caseworker,
        client=client_of,
        employer=employer,
        kind="trial",
        start_on=start,
        end_on=start + dt.timedelta(days=50),
        hours_per_week=24,
        intended_contract="Vast contract",
    )
    with pytest.raises(ValidationError):
        es.placement_extend(actor=caseworker, placement=trial, extended_until=start + dt.timedelta(days=200))
    assert es.placement_extend(actor=caseworker, placement=trial, extended_until=start + dt.timedelta(days=150))


def test_the_wage_subsidy_is_computed_from_the_rule_set(caseworker, client_of, employer, today):
    with_value = es.placement_start(
        actor=caseworker,
        client=client_of,
        employer=employer,
        kind="wage_subsidy",
        start_on=today,
        hours_per_week=36,
        wage_value_pct=60,
        wage_value_assessed_on=today,
        wage_value_review_on=today + dt.timedelta(days=365),
    )
    base = Decimal(36) * Decimal(52) / Decimal(12) * Decimal("14.71") * Decimal("1.08")
    assert with_value.subsidy_monthly == (base * Decimal("0.40")).quantize(Decimal("0.01"))
    flat = es.placement_start(
        actor=caseworker, client=client_of, employer=employer, kind="wage_subsidy", start_on=today, hours_per_week=36
    )
    assert flat.subsidy_monthly == (base / 2).quantize(Decimal("0.01"))
    assert flat.wage_value_review_on <= today + dt.timedelta(days=186)  # within the 6 months of the flat rate


def test_the_exit_ends_the_benefit_and_plans_follow_ups_at_1_6_and_12_months(caseworker, client_of, employer, today):
    benefit_period_start(actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=400))
    job_exit = es.exit_register(
        actor=caseworker,
        client=client_of,
        exit_on=today,
        employer=employer,
        hours_per_week=32,
        contract_type="fixed",
        contract_months=12,
        hourly_wage=Decimal("15.20"),
    )
    period = BenefitPeriod.objects.get(client=client_of)
    assert period.end_on == today and period.exit_reason == "work"
    assert list(FollowUp.objects.filter(exit=job_exit).values_list("months", flat=True)) == [1, 6, 12]
    first = job_exit.follow_ups.get(months=1)
    with pytest.raises(ValidationError):  # not in the future
        es.follow_up_record(
            actor=caseworker,
            follow_up=first,
            done_on=today + dt.timedelta(days=30),
            still_working=True,
            off_benefit=True,
            needs_job_coach=False,
        )
    es.follow_up_record(
        actor=caseworker, follow_up=first, done_on=today, still_working=True, off_benefit=True, needs_job_coach=True
    )
    assert AuditRecord.objects.filter(action="follow_up_record").exists()


def test_an_exit_below_the_minimum_wage_is_refused_and_nothing_changes(caseworker, client_of, employer, today):
    benefit_period_start(actor=caseworker, client=client_of, start_on=today - dt.timedelta(days=400))
    with pytest.raises(ValidationError) as refused:
        es.exit_register(
            actor=caseworker,
            client=client_of,
            exit_on=today,
            employer=employer,
            hours_per_week=32,
            contract_type="permanent",
            hourly_wage=Decimal("9.50"),
        )
    assert "hourly_wage" in refused.value.message_dict
    assert BenefitPeriod.objects.get(client=client_of).end_on is None


def test_a_duplicate_kvk_number_and_a_wage_band_upside_down_are_named_on_their_field(adviser, employer, contact, today):
    with pytest.raises(ValidationError) as twice:
        es.employer_save(actor=adviser, name="Ander BV", kvk_number="12345678", sector="G", adviser=adviser)
    assert "kvk_number" in twice.value.message_dict
    with pytest.raises(ValidationError) as band:
        es.vacancy_save(actor=adviser, employer=employer, title="X", wage_min=Decimal("16"), wage_max=Decimal("15"))
    assert "wage_max" in band.value.message_dict


def test_a_placement_never_takes_another_clients_referral(caseworker, client_of, make_client, vacancy, employer, today):
    other = make_client(caseworker, first_name="Ander")
    referral = es.referral_create(actor=caseworker, vacancy=vacancy, client=other, on=today)
    with pytest.raises(ValidationError) as refused:
        es.placement_start(
            actor=caseworker,
            client=client_of,
            employer=employer,
            kind="regular",
            start_on=today,
            hours_per_week=32,
            referral=referral,
        )
    assert "referral" in refused.value.message_dict
