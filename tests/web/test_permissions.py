"""Every screen is permission-tested: a matrix of URL x role -> expected status, plus a check that no URL of the
web interface is missing from the matrix. Refused dossier attempts are logged."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import next_bsn
from trede.caseload.models import ActionItem
from trede.core.models import AccessRecord, User
from trede.obligations.services import exemption_grant

pytestmark = pytest.mark.django_db

ROLES = (
    "caseworker",
    "colleague",
    "outsider",
    "team_lead",
    "analyst",
    "administrator",
    "auditor",
    "provider",
    "adviser",
)
OK, REDIRECT, DENIED = 200, 302, 403

# url name -> (method, needs the client, expected per role in ROLES order)
MATRIX = {
    "home": ("get", False, (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "figures": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "outcomes-dashboard": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "outcomes-cohorts": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "outcomes-exports": ("get", False, (DENIED, DENIED, DENIED, OK, OK, OK, DENIED, DENIED, DENIED)),
    "staff": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED)),
    "staff-active": ("post", False, (DENIED, DENIED, DENIED, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED)),
    "caseload": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "due": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "client-register": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "team": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "client-dossier": ("get", True, (OK, REDIRECT, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "client-purpose": ("get", True, (OK, OK, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "contact-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "ladder-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "circumstances-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "exemption-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "exemption-end": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "exemption-review": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "action-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "action-complete": ("post", True, (REDIRECT, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "client-reassign": ("get", True, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "audit-log": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED)),
    "access-log": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED)),
    "rulesets": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED)),
    "intake-start": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "assessment-detail": ("get", True, (OK, REDIRECT, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "route-review": ("get", True, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "route-awaiting": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "model": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED)),
    "campaigns": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED, DENIED)),
    "campaign-create": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED, DENIED)),
    "campaign-detail": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED, DENIED)),
    "campaign-plan": ("post", False, (DENIED, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, DENIED, DENIED, DENIED)),
    "cohort-schedule": ("post", False, (DENIED, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, DENIED, DENIED, DENIED)),
    "agenda": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "appointment-outcome": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "cohort-letters": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED, DENIED)),
    "cohort-letters-generate": (
        "post",
        False,
        (DENIED, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, DENIED, DENIED, DENIED),
    ),
    "cohort-letters-download": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED, DENIED)),
    "client-letter": ("get", True, (OK, REDIRECT, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "letter-templates": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED)),
    "model-download": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED)),
    "model-import": ("post", False, (DENIED, DENIED, DENIED, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED)),
    "model-activate": ("post", False, (DENIED, DENIED, DENIED, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED)),
    "activities": ("get", False, (OK, OK, OK, OK, DENIED, OK, DENIED, OK, DENIED)),
    "activity-create": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED)),
    "activity-detail": ("get", False, (OK, OK, OK, OK, DENIED, OK, DENIED, OK, DENIED)),
    "activity-edit": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED)),
    "referral-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "referral-move": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "participation-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "participation-follow-up": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "participation-end": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "participation-next-step": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "provider-referrals": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED)),
    "provider-referral": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED)),
    "providers": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED)),
    "provider-edit": ("get", False, (DENIED, DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED)),
    "employers": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "employer-create": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "employer-detail": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "employer-edit": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "contact-person-create": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "vacancy-create": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "vacancy-edit": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "vacancies": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "vacancy-detail": ("get", False, (OK, OK, OK, OK, DENIED, DENIED, DENIED, DENIED, OK)),
    "activation-dashboard": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "sanction-case-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "sanction-case": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "sanction-decision-letter": ("get", True, (OK, REDIRECT, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "sanctions": ("get", False, (DENIED, DENIED, DENIED, OK, DENIED, DENIED, OK, DENIED, DENIED)),
    "matching-fairness": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, OK)),
    "durability": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, OK)),
    "job-referral-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "job-referral-move": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "placement-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "placement-detail": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "exit-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "match-record": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "work-profile-create": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "follow-up-record": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
    "pilots": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "simulation": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "simulation-scenario": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "simulation-calibration": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "simulation-run": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "simulation-run-file": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-create": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-power": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-from-campaign": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilots-register": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilots-observational": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-detail": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-edit": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-register": ("post", False, (DENIED, DENIED, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED, DENIED)),
    "pilot-randomise": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-monitor": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-safety": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-analyse": ("post", False, (DENIED, DENIED, DENIED, DENIED, REDIRECT, DENIED, DENIED, DENIED, DENIED)),
    "pilot-report": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-report-pdf": ("get", False, (DENIED, DENIED, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-scenario": ("get", False, (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED)),
    "pilot-crossover": ("get", True, (OK, DENIED, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED)),
}
PUBLIC = {"login", "logout", "set-language"}


def _names(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("api/"):
                continue  # the API has its own permission tests in tests/api
            yield from _names(p, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_web_url_is_in_the_permission_matrix():
    assert set(_names(get_resolver())) == set(MATRIX) | PUBLIC


@pytest.fixture
def provider_staff(make_user, administrator):
    from trede.activation.services import provider_member_add, provider_save

    staff = make_user("provider", "p.buurtwerk")
    provider = provider_save(actor=administrator, name="Buurtwerk", kind="welfare")
    provider_member_add(actor=administrator, provider=provider, user=staff)
    return staff


@pytest.fixture
def everyone(caseworker, colleague, outsider, team_lead, analyst, administrator, auditor, provider_staff, make_user):
    adviser = make_user("employer_adviser", "w.adviseur")
    users = (caseworker, colleague, outsider, team_lead, analyst, administrator, auditor, provider_staff, adviser)
    return dict(zip(ROLES, users, strict=True))


def _intake_objects(name, client_obj, everyone, today) -> dict:
    """What the intake's URLs point at, made through the services (only for the URL under test)."""
    from tests.intake.test_services import awaiting_decision, stored_model
    from trede.intake.services import assessment_record

    if name == "assessment-detail":
        return {
            "assessment": assessment_record(
                actor=everyone["caseworker"], client=client_obj, assessed_on=today, answers={}
            )
        }
    if name == "route-review":  # 'work' in force, then 'participation' with a reason: waits for the team lead
        return {"decision": awaiting_decision(everyone["caseworker"], client_obj, today)}
    if name in ("campaign-detail", "campaign-plan"):
        from trede.outreach.services import campaign_create

        lead = client_obj.assignments.get().team.members.filter(user__role="team_lead").first()
        organiser = lead.user if lead else User.objects.filter(role="administrator").first()
        campaign = campaign_create(actor=organiser, name="x", purpose="introduction", starts_on=dt.date.today())
        return reverse(name, args=[campaign.pk])
    if name in ("model-download", "model-activate"):
        return {"version": stored_model(everyone["administrator"], active=False)}
    if name in LETTER_URLS:
        return {"letter": _letter_of(client_obj, everyone, today)}
    if name in ACTIVATION_URLS:
        return _activation_of(client_obj, everyone, today)
    if name in EMPLOYER_URLS:
        return _employer_of(client_obj, everyone, today)
    if name in ("sanction-case", "sanction-decision-letter"):
        return _sanction_of(client_obj, everyone, today)
    if name in PILOT_URLS:
        return _pilot_of(name, client_obj, everyone, today)
    if name.startswith("simulation-"):
        return _simulation_of(name, everyone)
    return {}


def _simulation_of(name, everyone) -> str:
    """A shipped scenario's page; a queued run's page; a file of a finished run (a stand-in file in a temporary
    folder: the engine itself is tested in tests/scenarios)."""
    import tempfile
    from pathlib import Path

    from trede.scenarios.models import SimulationRun
    from trede.scenarios.services import run_start

    if name == "simulation-scenario":
        return reverse(name, args=["baseline"])
    if name == "simulation-calibration":
        return reverse(name)
    run = run_start(
        actor=everyone["analyst"], scenarios=["baseline"], population_kind="synthetic", population=200, horizon=12
    )
    if name == "simulation-run":
        return reverse(name, args=[run.pk])
    folder = Path(tempfile.mkdtemp(prefix="trede-test-run-"))
    (folder / "results.csv").write_text("scenario\nbaseline\n", encoding="utf-8")
    SimulationRun.objects.filter(pk=run.pk).update(status="done", folder=str(folder))
    return reverse(name, args=[run.pk, "results", "csv"])


PILOT_URLS = (
    "pilot-detail",
    "pilot-edit",
    "pilot-register",
    "pilot-randomise",
    "pilot-monitor",
    "pilot-safety",
    "pilot-analyse",
    "pilot-report",
    "pilot-report-pdf",
    "pilot-scenario",
    "pilot-crossover",
)


def _pilot_of(name, client_obj, everyone, today) -> dict:
    """A pilot in the state the URL needs (through the services): a draft, or drawn today with the client in it,
    or drawn 400 days ago and analysed (the report and the scenario from it)."""
    from tests.pilots.conftest import plan
    from trede.clients.services import benefit_period_start, client_register
    from trede.core.rules import add_months
    from trede.pilots import services as pi

    analyst = everyone["analyst"]
    if name in ("pilot-detail", "pilot-edit", "pilot-register"):
        return {"pilot": pi.pilot_save(actor=analyst, **plan(today))}
    analysed = name.startswith("pilot-report") or name == "pilot-scenario"
    start = today - dt.timedelta(days=400) if analysed else today
    others = [
        client_register(
            actor=None,
            bsn=next_bsn(),
            district=client_obj.district,
            first_name="P",
            surname="Q",
            birth_date=dt.date(1970 + k, 1, 1),
        )  # fmt: skip
        for k in range(3)
    ]
    for c in [client_obj, *others]:
        benefit_period_start(actor=None, client=c, start_on=start - dt.timedelta(days=100))
    pilot = pi.pilot_save(actor=analyst, **plan(start, analysis_date=add_months(start, 12)))
    pi.pilot_register(actor=analyst, pilot=pilot, today=start)
    pilot = pi.pilot_randomise(actor=analyst, pilot=pilot, today=start)
    if start < today:
        pi.pilot_analyse(actor=analyst, pilot=pilot, today=today)
    return {"pilot": pilot, "assignment": pilot.assignments.get(client=client_obj)}


def _sanction_of(client_obj, everyone, today) -> dict:
    """A sanction case decided and sent, with its letter (a stand-in PDF: the letter itself is tested elsewhere)."""
    from trede.clients.services import benefit_period_start
    from trede.obligations.services import obligation_impose
    from trede.sanctions import services as sa

    cw, lead = everyone["caseworker"], everyone["team_lead"]
    benefit_period_start(actor=cw, client=client_obj, start_on=today - dt.timedelta(days=400))
    obligation_impose(actor=cw, client=client_obj, kind="work_obligation", start_on=today - dt.timedelta(days=400))
    case = sa.case_open(
        actor=cw, client=client_obj, category="refused_work", breach_on=today - dt.timedelta(days=40), description="x"
    )
    sa.hearing_schedule(actor=cw, case=case, invited_on=today - dt.timedelta(days=30))
    sa.hearing_record(actor=cw, case=case, responded=True, statement="x")
    sa.assessment_record(actor=cw, case=case, finding="full", reasoning="x", assessed_on=today)
    decision = sa.decision_propose(actor=cw, case=case, start_on=today)
    sa.decision_approve(actor=lead, decision=decision)
    sa.decision_send(actor=cw, decision=decision, sent_on=today, pdf=b"%PDF-1.4 stand-in")
    return {"case": case, "decision": decision}


EMPLOYER_URLS = (
    "employer-detail",
    "employer-edit",
    "contact-person-create",
    "vacancy-create",
    "vacancy-edit",
    "vacancy-detail",
    "job-referral-move",
    "placement-detail",
    "follow-up-record",
    "match-record",
)


def _employer_of(client_obj, everyone, today) -> dict:
    """An employer with an open vacancy, the client referred to it, a placement and an exit with follow-ups."""
    from decimal import Decimal

    from trede.clients.services import benefit_period_start
    from trede.employers import services as es

    adviser, cw = everyone["adviser"], everyone["caseworker"]
    employer = es.employer_save(actor=adviser, name="Groen BV", sector="H", adviser=adviser)
    contact = es.contact_person_save(actor=adviser, employer=employer, name="Ria", phone="030-1")
    vacancy = es.vacancy_save(
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
    referral = es.referral_create(actor=cw, vacancy=vacancy, client=client_obj, on=today)
    placement = es.placement_start(
        actor=cw,
        client=client_obj,
        employer=employer,
        kind="climbing",
        start_on=today,
        hours_per_week=32,
        promised_training="Heftruck",
        training_due_on=today,
    )
    benefit_period_start(actor=cw, client=client_obj, start_on=today - dt.timedelta(days=300))
    job_exit = es.exit_register(
        actor=cw,
        client=client_obj,
        exit_on=today,
        employer=employer,
        hours_per_week=32,
        contract_type="permanent",
        hourly_wage=Decimal("15.00"),
    )
    return {
        "employer": employer,
        "vacancy": vacancy,
        "job_referral": referral,
        "placement": placement,
        "follow_up": job_exit.follow_ups.first(),
    }


ACTIVATION_URLS = (
    "activity-detail",
    "activity-edit",
    "referral-move",
    "participation-follow-up",
    "participation-end",
    "participation-next-step",
    "provider-referral",
    "provider-edit",
)


def _activation_of(client_obj, everyone, today) -> dict:
    """An offered activity of the provider's staff member's organisation, a referral of the client to it, and a
    participation of the client (through the services)."""
    from trede.activation.services import activity_save, participation_record, referral_propose

    provider = everyone["provider"].provider_member.provider
    activity = activity_save(
        actor=everyone["administrator"],
        provider=provider,
        name="Moestuin",
        kind="volunteer_work",
        location="Tuin",
        hours_per_week=6,
        physical_load="light",
        capacity=5,
        contact_name="Kees",
        status="offered",
    )
    referral = referral_propose(actor=everyone["caseworker"], client=client_obj, activity=activity, on=today)
    participation = participation_record(
        actor=everyone["caseworker"],
        client=client_obj,
        kind="informal_care",
        description="Mantelzorg",
        hours_per_week=10,
        start_on=today,
    )
    return {"activity": activity, "referral": referral, "participation": participation, "provider": provider}


LETTER_URLS = (
    "cohort-letters",
    "cohort-letters-generate",
    "cohort-letters-download",
    "client-letter",
    "cohort-schedule",
    "appointment-outcome",
)


def _letter_of(client_obj, everyone, today):
    """A cohort with one talk and its letter for `client_obj` (the letter made by the real renderer)."""
    from trede.outreach.letters import latest_template, render_pdf
    from trede.outreach.models import Appointment, Cohort, Invitation, Letter
    from trede.outreach.services import campaign_create

    campaign = campaign_create(actor=everyone["team_lead"], name="x", purpose="introduction", starts_on=today)
    cohort = Cohort.objects.create(campaign=campaign, number=1, starts_on=today)
    invitation = Invitation.objects.create(campaign=campaign, cohort=cohort, client=client_obj, position=1)
    talk = Appointment.objects.create(
        client=client_obj,
        invitation=invitation,
        caseworker=everyone["caseworker"],
        starts_at=timezone.now() + dt.timedelta(days=8),
        minutes=45,
        place="Werkplein",
    )
    template = latest_template("introduction")
    pdf = render_pdf(template=template, appointment=talk, client=client_obj, caseworker=talk.caseworker, on=today)
    return Letter.objects.create(invitation=invitation, client=client_obj, appointment=talk, template=template, pdf=pdf)


def _url(name, client_obj, exemption, action, intake=None):
    if isinstance(intake, str):  # made already (the simulation's pages)
        return intake
    intake = intake or {}
    if name == "assessment-detail":
        return reverse(name, args=[client_obj.pk, intake["assessment"].pk])
    if name == "route-review":
        return reverse(name, args=[client_obj.pk, intake["decision"].pk])
    if name in ("campaign-detail", "campaign-plan"):
        from trede.outreach.services import campaign_create

        lead = client_obj.assignments.get().team.members.filter(user__role="team_lead").first()
        organiser = lead.user if lead else User.objects.filter(role="administrator").first()
        campaign = campaign_create(actor=organiser, name="x", purpose="introduction", starts_on=dt.date.today())
        return reverse(name, args=[campaign.pk])
    if name in ("model-download", "model-activate"):
        return reverse(name, args=[intake["version"].number])
    if name == "client-letter":
        return reverse(name, args=[client_obj.pk, intake["letter"].pk])
    if name == "appointment-outcome":
        return reverse(name, args=[client_obj.pk, intake["letter"].appointment_id])
    if name in LETTER_URLS:
        cohort = intake["letter"].invitation.cohort
        return reverse(name, args=[cohort.campaign_id, cohort.number])
    if name in ("employer-detail", "employer-edit", "contact-person-create", "vacancy-create"):
        return reverse(name, args=[intake["employer"].pk])
    if name in ("vacancy-detail", "vacancy-edit"):
        return reverse(name, args=[intake["vacancy"].pk])
    if name == "sanction-case":
        return reverse(name, args=[client_obj.pk, intake["case"].pk])
    if name == "sanction-decision-letter":
        return reverse(name, args=[client_obj.pk, intake["case"].pk, intake["decision"].pk])
    if name == "match-record":
        return reverse(name, args=[client_obj.pk, intake["vacancy"].pk])
    if name == "job-referral-move":
        return reverse(name, args=[client_obj.pk, intake["job_referral"].pk])
    if name == "placement-detail":
        return reverse(name, args=[client_obj.pk, intake["placement"].pk])
    if name == "follow-up-record":
        return reverse(name, args=[client_obj.pk, intake["follow_up"].pk])
    if name in ("activity-detail", "activity-edit"):
        return reverse(name, args=[intake["activity"].pk])
    if name == "referral-move":
        return reverse(name, args=[client_obj.pk, intake["referral"].pk])
    if name.startswith("participation-") and name != "participation-create":
        return reverse(name, args=[client_obj.pk, intake["participation"].pk])
    if name == "provider-referral":
        return reverse(name, args=[intake["referral"].pk])
    if name == "provider-edit":
        return reverse(name, args=[intake["provider"].pk])
    if name == "pilot-crossover":
        return reverse(name, args=[client_obj.pk, intake["assignment"].pk])
    if name in PILOT_URLS:
        return reverse(name, args=[intake["pilot"].pk])
    if name in ("exemption-end", "exemption-review"):
        return reverse(name, args=[client_obj.pk, exemption.pk])
    if name == "action-complete":
        return reverse(name, args=[client_obj.pk, action.pk])
    if name == "staff-active":
        return reverse(name, args=[client_obj.assignments.get().caseworker_id])
    if MATRIX[name][1]:
        return reverse(name, args=[client_obj.pk])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_permission_matrix(client, everyone, client_of, today, name, role_index):
    role = ROLES[role_index]
    user = everyone[role]
    exemption = exemption_grant(
        actor=None,
        client=client_of,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=today,
        review_on=today + dt.timedelta(days=30),
        reason="x",
    )
    action = ActionItem.objects.create(
        client=client_of, description="x", responsible="client", deadline=today, created_on=today
    )
    intake = _intake_objects(name, client_of, everyone, today)
    client.force_login(user)
    method, _needs_client, expected = MATRIX[name]
    url = _url(name, client_of, exemption, action, intake)
    response = getattr(client, method)(url)
    assert response.status_code == expected[role_index], (name, role, response.status_code)
    if expected[role_index] == DENIED:
        body = response.content.decode()
        assert client_of.bsn not in body and client_of.surname not in body
        if MATRIX[name][1]:
            assert AccessRecord.objects.filter(actor=user, client_id=client_of.pk, granted=False).exists()


def test_anonymous_users_are_sent_to_login(client, client_of):
    for name in ("caseload", "due", "team", "audit-log", "rulesets"):
        assert reverse("login") in client.get(reverse(name))["Location"]
    assert reverse("login") in client.get(reverse("client-dossier", args=[client_of.pk]))["Location"]


def test_colleague_reads_only_after_giving_a_purpose(client, colleague, client_of):
    client.force_login(colleague)
    url = reverse("client-dossier", args=[client_of.pk])
    first = client.get(url)
    assert first.status_code == 302 and reverse("client-purpose", args=[client_of.pk]) in first["Location"]
    assert not AccessRecord.objects.filter(client_id=client_of.pk, granted=True).exists()
    chosen = client.post(f"{reverse('client-purpose', args=[client_of.pk])}?next={url}", {"purpose": "substitution"})
    assert chosen.status_code == 302 and chosen["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "alleen lezen" in page.content.decode()
    assert reverse("contact-create", args=[client_of.pk]) not in page.content.decode()
    record = AccessRecord.objects.get(client_id=client_of.pk, granted=True)
    assert record.actor == colleague and record.purpose == "substitution"
    # writing is still refused, and that attempt is logged
    assert client.post(reverse("contact-create", args=[client_of.pk]), {}).status_code == 403
    assert AccessRecord.objects.filter(actor=colleague, client_id=client_of.pk, granted=False).exists()


def test_own_dossier_read_is_logged_with_purpose(client, caseworker, client_of):
    client.force_login(caseworker)
    client.get(reverse("client-dossier", args=[client_of.pk]))
    record = AccessRecord.objects.get(client_id=client_of.pk)
    assert (record.actor, record.purpose, record.granted, record.channel) == (
        caseworker,
        "guidance",
        True,
        "web",
    )


def test_unassigned_client_is_out_of_everyones_reach(client, caseworker, team_lead, make_client):
    orphan = make_client(None)
    for user in (caseworker, team_lead):
        client.force_login(user)
        assert client.get(reverse("client-dossier", args=[orphan.pk])).status_code == 403


def test_an_id_too_large_for_the_database_is_not_found(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/clienten/99999999999999999999/").status_code == 404
    assert client.get("/clienten/9223372036854775808/").status_code == 404
    assert client.get("/clienten/0/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_lists_show_only_the_clients_in_reach(client, caseworker, outsider, team_lead, make_client, client_of):
    from trede.caseload.models import TeamMember

    mine = make_client(outsider, surname="Vanbuiten")
    client.force_login(outsider)
    for name in ("caseload", "due"):
        page = client.get(reverse(name)).content.decode()
        assert client_of.surname not in page and client_of.bsn not in page and "Vanbuiten" in page
    client.force_login(team_lead)
    assert "Vanbuiten" not in client.get(reverse("caseload")).content.decode()
    assert TeamMember.objects.get(user=team_lead).team != TeamMember.objects.get(user=outsider).team
    assert mine.pk
