"""Every service writes its audit record inside its own transaction.

This test runs WITHOUT a surrounding test transaction (transaction=True), so a service that forgot
transaction.atomic makes audit() raise AuditOutsideTransaction. It calls every public service function that
takes an actor, and fails when a new one is added without being exercised here.
"""

import datetime as dt
import importlib
import inspect

import pytest
from django.utils import timezone

from trede.core.models import AuditRecord

pytestmark = pytest.mark.django_db(transaction=True)
MODULES = [
    "trede.core.services",
    "trede.clients.services",
    "trede.obligations.services",
    "trede.caseload.services",
    "trede.intake.services",
    "trede.outreach.services",
    "trede.outreach.letters",
    "trede.activation.services",
    "trede.employers.services",
    "trede.sanctions.services",
    "trede.pilots.services",
    "trede.scenarios.services",
]


def _service_names() -> set[str]:
    names = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (
                fn.__module__ == module_name
                and not name.startswith("_")
                and "actor" in inspect.signature(fn).parameters
            ):
                names.add(name)
    return names


@pytest.mark.filterwarnings("ignore::lifelines.exceptions.StatisticalWarning")  # model_train on 40 spells: rough
def test_every_service_audits_in_its_own_transaction(
    district, team, caseworker, colleague, team_lead, administrator, today, monkeypatch
):
    from tests.intake.test_services import history, model_file
    from trede.caseload import services as cs
    from trede.clients import services as cl
    from trede.core import services as co
    from trede.intake import services as it
    from trede.obligations import services as ob

    called: set[str] = set()

    def run(fn, **kwargs):
        before = AuditRecord.objects.count()
        result = fn(**kwargs)
        assert AuditRecord.objects.count() > before, f"{fn.__name__} wrote no audit record"
        called.add(fn.__name__)
        return result

    a = {"actor": administrator}
    run(
        co.ruleset_publish,
        **a,
        scope="local",
        name="x",
        version="2",
        valid_from=today,
        source="x",
        parameters={"contact_norm_days": 60},
    )
    called.add("ruleset_load_shipped")  # loads through ruleset_publish (exercised above); nothing new to ship here
    run(co.user_set_language, actor=caseworker, language="en")
    user = run(co.user_create, **a, username="henk", password="een-lang-wachtwoord", role="auditor")
    run(co.user_set_active, **a, user=user, active=False)
    run(cs.staff_register, **a, username="ilse", password="een-lang-wachtwoord", role="caseworker", team=team)

    c = run(
        cl.client_register,
        actor=caseworker,
        bsn="111222333",
        district=district,
        first_name="A",
        surname="B",
        birth_date=dt.date(1990, 1, 1),
    )
    run(cl.client_update, actor=caseworker, client=c, city="Utrecht")
    run(cl.client_review_schedule, actor=caseworker, client=c, review_on=today + dt.timedelta(days=30))
    run(
        cl.household_member_add,
        actor=caseworker,
        client=c,
        role="child",
        first_name="K",
        birth_date=today - dt.timedelta(days=700),
        household_kind="single_parent",
    )
    period = run(cl.benefit_period_start, actor=caseworker, client=c, start_on=today - dt.timedelta(days=90))
    run(
        cl.circumstances_record,
        actor=caseworker,
        client=c,
        recorded_on=today,
        education="low",
        work_experience_years=1,
        dutch_level="2f",
        health="none",
        debts="none",
        social="good",
    )
    run(cl.ladder_measure, actor=caseworker, client=c, step=3, measured_on=today)
    run(
        cl.clients_import,
        actor=caseworker,
        rows=[
            {
                "bsn": "123456782",
                "first_name": "C",
                "surname": "D",
                "birth_date": "1985-01-01",
                "district": district.code,
            }
        ],
    )

    run(cs.assignment_assign, actor=team_lead, client=c, caseworker=caseworker, start_on=today - dt.timedelta(days=5))
    run(
        cs.client_register_into_caseload,
        actor=caseworker,
        caseworker=caseworker,
        benefit_start_on=today,
        bsn="999999990",
        district=district,
        first_name="E",
        surname="F",
        birth_date=dt.date(1970, 1, 1),
    )
    run(cs.contact_record, actor=caseworker, client=c, contact_on=today, channel="phone", summary="x")
    item = run(cs.action_item_add, actor=caseworker, client=c, description="x", responsible="client", deadline=today)
    run(cs.action_item_complete, actor=caseworker, item=item)

    obligation = run(
        ob.obligation_impose, actor=caseworker, client=c, kind="work_obligation", start_on=today - dt.timedelta(days=90)
    )
    e = run(
        ob.exemption_grant,
        actor=caseworker,
        client=c,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today - dt.timedelta(days=10),
        review_on=today,
        reason="x",
    )
    run(
        ob.exemption_review,
        actor=caseworker,
        exemption=e,
        reviewed_on=today,
        next_review_on=today + dt.timedelta(days=60),
        note="x",
    )
    run(ob.exemption_end, actor=caseworker, exemption=e, ended_on=today, reason="x")
    run(ob.obligation_end, actor=caseworker, obligation=obligation, end_on=today)
    run(cl.benefit_period_end, actor=caseworker, period=period, end_on=today, exit_reason="work")

    # intake: an intake, a route in force, two with less help (one confirmed, one declined), model versions
    assessment = run(it.assessment_record, actor=caseworker, client=c, assessed_on=today, answers={})
    run(it.route_decide, actor=caseworker, client=c, route="work", reason="", decided_on=today, assessment=assessment)
    waiting = run(it.route_decide, actor=caseworker, client=c, route="participation", reason="x", decided_on=today)
    run(it.route_confirm, actor=team_lead, decision=waiting, note="akkoord")
    waiting = run(it.route_decide, actor=caseworker, client=c, route="exemption_review", reason="x", decided_on=today)
    run(it.route_decline, actor=team_lead, decision=waiting, note="nog niet")
    imported = run(it.model_import, **a, content=model_file(), name="model.json")
    run(it.model_activate, **a, version=imported)
    monkeypatch.setattr(it, "MIN_EVENTS", 20)  # a short history written through the services is enough here
    history(actor=caseworker, district=district, today=today, n=60)  # too few spells leave no honest band (refused)
    run(it.model_train, **a, today=today, penalizer=0.1)

    # outreach: a campaign and its cohort planning
    from trede.outreach import services as ou

    campaign = run(ou.campaign_create, actor=team_lead, name="Kennismaking", purpose="introduction", starts_on=today)
    run(ou.campaign_plan, actor=team_lead, campaign=campaign, on=today)

    # letters: a template version (the flush of this transactional test removed the shipped ones), then the letters
    # of a cohort with one talk; the recheck withdraws nobody here (ou.invitation_recheck writes only on a withdrawal)
    from trede.outreach import letters as le
    from trede.outreach.models import Cohort, Invitation

    run(
        le.letter_template_publish,
        **a,
        purpose="introduction",
        subject="Uitnodiging",
        body="Beste {{ naam }}, u bent welkom op {{ datum }} om {{ tijd }}.",
    )
    invited = cs.client_register_into_caseload(
        actor=caseworker,
        caseworker=caseworker,
        benefit_start_on=today - dt.timedelta(days=200),
        bsn="100000009",
        district=district,
        first_name="G",
        surname="H",
        birth_date=dt.date(1980, 1, 1),
        street="Kerkstraat",
        house_number="1",
        postcode="1000 AA",
        city="Stad",
    )
    cohort = Cohort.objects.create(campaign=campaign, number=99, starts_on=today)
    Invitation.objects.create(campaign=campaign, cohort=cohort, client=invited, position=999)
    run(ou.cohort_schedule, actor=team_lead, cohort=cohort)
    made = run(le.letters_generate, actor=team_lead, cohort=cohort, on=today)
    assert made.made == 1
    talk = invited.appointments.get()
    talk.starts_at = timezone.now() - dt.timedelta(hours=2)
    talk.save(update_fields=["starts_at"])
    run(ou.appointment_outcome_record, actor=caseworker, appointment=talk, outcome="attended", note="goed gesprek")
    # the rule applied again: a client exempted after planning is withdrawn (that writes; "still invitable" does not)
    ob.exemption_grant(
        actor=caseworker,
        client=invited,
        obligation="cooperation",
        ground="fully_disabled",
        start_on=today,
        review_on=today + dt.timedelta(days=200),
        reason="x",
    )
    again = Invitation.objects.create(campaign=campaign, cohort=cohort, client=invited, position=1000, round=2)
    assert run(ou.invitation_recheck, actor=team_lead, invitation=again, on=today) == "fully_disabled"

    # activation: the catalogue, a referral through its states (the provider confirms start and attendance), a
    # self-found participation with its follow-up, its end and the next step
    from trede.activation import services as ac
    from trede.core.models import User

    provider = run(ac.provider_save, **a, name="Buurtwerk", kind="welfare")
    staff = User.objects.create_user("p.staff", password="x", role="provider")
    run(ac.provider_member_add, **a, provider=provider, user=staff)
    activity = run(
        ac.activity_save,
        **a,
        provider=provider,
        name="Moestuin",
        kind="volunteer_work",
        location="Tuin",
        hours_per_week=6,
        physical_load="light",
        capacity=3,
        contact_name="Kees",
        status="offered",
    )
    referral = run(ac.referral_propose, actor=caseworker, client=invited, activity=activity, on=today)
    run(ac.referral_move, actor=caseworker, referral=referral, to="accepted", on=today)
    run(ac.referral_move, actor=staff, referral=referral, to="started", on=today)
    own = run(
        ac.participation_record,
        actor=caseworker,
        client=invited,
        kind="informal_care",
        description="Mantelzorg",
        hours_per_week=10,
        start_on=today,
    )
    run(ac.participation_follow_up, actor=caseworker, participation=own, contact_on=today, channel="phone", summary="x")
    run(ac.participation_end, actor=caseworker, participation=own, end_on=today, reason="gestopt")
    run(ac.participation_next_step, actor=caseworker, participation=own, next_step="rest", note="")

    # employer services: an employer with a contact, an open vacancy, a match, a referral to a trial placement and a
    # hire, a wage subsidy and a climbing job, the exit to work and a follow-up
    from decimal import Decimal

    from trede.employers import services as em

    adviser = User.objects.create_user("w.adviseur", password="x", role="employer_adviser")
    employer = run(em.employer_save, actor=adviser, name="Groen BV", sector="H", adviser=adviser)
    contact = run(em.contact_person_save, actor=adviser, employer=employer, name="Ria", phone="030-1")
    vacancy = run(
        em.vacancy_save,
        actor=adviser,
        employer=employer,
        contact=contact,
        title="Orderpicker",
        occupation="9334",
        tasks="Orders",
        wage_min=Decimal("15.00"),
        hours_per_week=32,
        contract_type="permanent",
        education="none",
        physical_load="light",
        location="Weg 1",
        start_on=today,
        status="open",
    )
    run(
        em.work_profile_record,
        actor=caseworker,
        client=invited,
        recorded_on=today,
        experience=[{"code": "9334", "years": 2}],
        preferences=["9334"],
        hours_wanted=32,
        driving_licence=False,
    )
    run(em.match_record, actor=adviser, vacancy=vacancy, client=invited, status="discussed", on=today)
    job = run(em.referral_create, actor=caseworker, vacancy=vacancy, client=invited, on=today)
    run(em.referral_move, actor=caseworker, referral=job, to="sent", on=today)
    em.referral_move(actor=caseworker, referral=job, to="interview", on=today)
    trial = run(
        em.placement_start,
        actor=caseworker,
        client=invited,
        employer=employer,
        kind="trial",
        start_on=today,
        end_on=today + dt.timedelta(days=30),
        hours_per_week=32,
        referral=job,
        intended_contract="Vast",
    )
    run(em.placement_extend, actor=caseworker, placement=trial, extended_until=today + dt.timedelta(days=60))
    run(em.placement_end, actor=caseworker, placement=trial, end_on=today, outcome="contract")
    climbing = run(
        em.placement_start,
        actor=caseworker,
        client=invited,
        employer=employer,
        kind="climbing",
        start_on=today,
        hours_per_week=32,
        promised_training="Heftruckcertificaat",
        training_due_on=today + dt.timedelta(days=90),
    )
    run(em.placement_training_started, actor=caseworker, placement=climbing, started_on=today)
    job_exit = run(
        em.exit_register,
        actor=caseworker,
        client=invited,
        exit_on=today,
        employer=employer,
        hours_per_week=32,
        contract_type="permanent",
        hourly_wage=Decimal("15.00"),
    )
    run(
        em.follow_up_record,
        actor=caseworker,
        follow_up=job_exit.follow_ups.first(),
        done_on=today,
        still_working=True,
        off_benefit=True,
        needs_job_coach=False,
    )

    # sanctions: a case through hearing and culpability to a decision, approved, sent, objected, appealed
    from trede.sanctions import services as sa

    sanctioned = cs.client_register_into_caseload(
        actor=caseworker,
        caseworker=caseworker,
        benefit_start_on=today - dt.timedelta(days=400),
        bsn="100000010",
        district=district,
        first_name="S",
        surname="T",
        birth_date=dt.date(1980, 1, 1),
    )
    ob.obligation_impose(
        actor=caseworker, client=sanctioned, kind="work_obligation", start_on=today - dt.timedelta(days=400)
    )
    case = run(
        sa.case_open,
        actor=caseworker,
        client=sanctioned,
        category="refused_work",
        breach_on=today - dt.timedelta(days=40),
        description="Werk geweigerd",
    )
    run(sa.hearing_schedule, actor=caseworker, case=case, invited_on=today - dt.timedelta(days=30))
    run(sa.hearing_record, actor=caseworker, case=case, responded=True, statement="Geen vervoer")
    run(sa.assessment_record, actor=caseworker, case=case, finding="full", reasoning="x", assessed_on=today)
    decision = run(sa.decision_propose, actor=caseworker, case=case, start_on=today)
    run(sa.decision_approve, actor=team_lead, decision=decision)
    run(sa.decision_send, actor=caseworker, decision=decision, sent_on=today)
    run(sa.decision_reconsider, actor=caseworker, decision=decision, on=today, note="blijft staan")
    objection = run(sa.objection_register, actor=caseworker, decision=decision, received_on=today)
    run(sa.objection_extend, actor=caseworker, objection=objection)
    run(sa.objection_decide, actor=caseworker, objection=objection, outcome="rejected", reasoning="x", decided_on=today)
    appeal = run(sa.appeal_register, actor=caseworker, objection=objection, lodged_on=today, court="Rechtbank")
    run(sa.appeal_decide, actor=caseworker, appeal=appeal, outcome="rejected", decided_on=today)
    run(sa.decision_revise, actor=caseworker, decision=decision, complies_on=today, reason="werkt weer mee")

    # pilots: a plan registered and drawn 400 days ago among clients on benefit then, a crossover, a safety look
    # before the analysis date, the analysis; and the random cohort order of a campaign analysed as a pilot
    from trede.core.rules import add_months, bsn_with_check_digit
    from trede.pilots import services as pi

    analyst = User.objects.create_user("b.analist", password="x", role="policy_analyst")
    start = today - dt.timedelta(days=400)
    bsns = [b for b in (bsn_with_check_digit(77_000_000 + k) for k in range(20)) if b][:6]
    for k, bsn in enumerate(bsns):
        cs.client_register_into_caseload(
            actor=caseworker,
            caseworker=caseworker,
            benefit_start_on=start - dt.timedelta(days=30),
            bsn=bsn,
            district=district,
            first_name="P",
            surname=f"Pilot{k}",
            birth_date=dt.date(1975 + k, 1, 1),
            street="Dorpsstraat",
            house_number=str(k + 1),
            postcode="1000 AA",
            city="Stad",
        )
    pilot = run(
        pi.pilot_save,
        actor=analyst,
        name="Kleine caseload",
        question="Helpt een kleine caseload?",
        intervention="50 cliënten per klantmanager",
        control="De gewone begeleiding",
        primary_outcome="return_to_benefit",
        follow_up_months=12,
        analysis_plan="ITT",
        analysis_date=add_months(start, 12),
    )
    run(pi.pilot_register, actor=analyst, pilot=pilot, today=start)
    pilot = run(pi.pilot_randomise, actor=analyst, pilot=pilot, today=start)
    own = pilot.assignments.filter(client__assignments__caseworker=caseworker, client__assignments__end_on=None)
    run(pi.crossover_record, actor=caseworker, assignment=own.first(), received=True, on=today, reason="x")
    run(
        pi.safety_look_open,
        actor=analyst,
        pilot=pilot,
        reason="Signalen van schade",
        today=start + dt.timedelta(days=60),
    )
    run(pi.pilot_analyse, actor=analyst, pilot=pilot, today=today)
    # the analysis of six clients is all hidden (small groups): give the report one usable effect to convert
    from trede.pilots.models import PilotReport

    report = PilotReport.objects.get(pilot=pilot)
    itt = {
        "n": 400,
        "suppressed": False,
        "mean_intervention": 30.0,
        "mean_control": 20.0,
        "ci_low": 2.0,
        "ci_high": 18.0,
    }
    report.results = {**report.results, "outcomes": [{"name": "paid_work_12m", "kind": "binary", "itt": itt}]}
    report.save(update_fields=["results"])
    run(pi.scenario_from_pilot, actor=analyst, pilot=pilot, lever="coaching.work_effect", outcome="paid_work_12m")
    drawn = run(
        ou.campaign_create,
        actor=team_lead,
        name="Willekeurig",
        purpose="introduction",
        starts_on=today - dt.timedelta(days=70),
        cohort_size=3,
        order="random",
    )
    run(ou.campaign_plan, actor=team_lead, campaign=drawn, on=today - dt.timedelta(days=70))
    drawn.refresh_from_db()
    run(
        pi.pilot_from_campaign,
        actor=analyst,
        campaign=drawn,
        name="Vroeg gesprek",
        question="Helpt een vroeg gesprek?",
        primary_outcome="ladder_step_up",
    )

    # policy simulation: a changed scenario saved, a run recorded (carried out by run_execute, which has no actor)
    from trede.scenarios import services as sc

    run(
        sc.scenario_save,
        actor=analyst,
        name="kleiner",
        title="Kleiner",
        toml='[scenario]\nname = "kleiner"\nextends = "baseline"\n',
    )
    run(sc.run_start, actor=analyst, scenarios=["baseline", "kleiner"], population_kind="synthetic", population=500)

    assert called == _service_names()
