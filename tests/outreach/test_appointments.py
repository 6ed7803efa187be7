"""Scheduling a cohort's talks, registering how they went, and the rule applied again before a letter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trede.caseload.models import ActionItem, ContactMoment, TeamMember
from trede.clients.services import benefit_period_start
from trede.obligations.services import exemption_grant
from trede.outreach.models import Appointment, Invitation, InvitationStatus, Outcome
from trede.outreach.services import (
    appointment_outcome_record,
    campaign_create,
    campaign_plan,
    cohort_schedule,
    invitation_recheck,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(make_client, caseworker, colleague, team_lead, today):
    clients = []
    for i in range(12):
        c = make_client(
            caseworker if i % 2 else colleague,
            surname=f"Afspraak{i:02d}",
            street="Kerkstraat",
            house_number=str(i + 1),
            postcode="1000 AA",
            city="Stad",
        )
        benefit_period_start(actor=None, client=c, start_on=today - dt.timedelta(days=300))
        clients.append(c)
    campaign = campaign_create(
        actor=team_lead, name="Kennismaking", purpose="introduction", starts_on=today, cohort_size=20
    )
    campaign_plan(actor=team_lead, campaign=campaign, on=today)
    return campaign, clients


def test_a_cohort_is_scheduled_on_working_days_with_the_own_caseworker_and_nobody_double_booked(
    planned, caseworker, colleague, team_lead
):
    campaign, clients = planned
    cohort = campaign.cohorts.get()
    assert cohort_schedule(actor=team_lead, cohort=cohort) == len(clients)
    assert cohort_schedule(actor=team_lead, cohort=cohort) == 0  # idempotent
    talks = list(Appointment.objects.select_related("client"))
    assert len({(a.caseworker_id, a.starts_at) for a in talks}) == len(talks)
    for a in talks:
        local = timezone.localtime(a.starts_at)
        assert local.weekday() < 5 and dt.time(9) <= local.time()
        assert local.date() >= max(cohort.starts_on, timezone.localdate() + dt.timedelta(days=7))  # letter time
        own = a.client.assignments.get(end_on__isnull=True).caseworker_id
        assert a.caseworker_id == own  # both caseworkers have room: everyone sees their own
    # within the share of hours the rule set allows: 36 h x 20% = 7.2 h = 9 talks of 45 minutes per week
    per_week: dict = {}
    for a in talks:
        key = (a.caseworker_id, timezone.localtime(a.starts_at).isocalendar()[:2])
        per_week[key] = per_week.get(key, 0) + 1
    assert max(per_week.values()) <= 9


def _talk(planned, team_lead, *, past=True):
    campaign, _clients = planned
    cohort_schedule(actor=team_lead, cohort=campaign.cohorts.get())
    talk = Appointment.objects.order_by("starts_at").first()
    if past:
        Appointment.objects.filter(pk=talk.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
        talk.refresh_from_db()
    return talk


def test_attended_writes_the_contact_note(planned, team_lead, caseworker):
    talk = _talk(planned, team_lead)
    with pytest.raises(ValidationError):
        appointment_outcome_record(actor=caseworker, appointment=talk, outcome="attended", note="")
    appointment_outcome_record(actor=caseworker, appointment=talk, outcome="attended", note="Kennisgemaakt; wil taal.")
    assert ContactMoment.objects.get(client=talk.client).summary == "Kennisgemaakt; wil taal."
    assert Invitation.objects.get(pk=talk.invitation_id).status == InvitationStatus.ATTENDED
    with pytest.raises(ValidationError):  # once
        appointment_outcome_record(actor=caseworker, appointment=talk, outcome="no_show")


def test_a_no_show_gives_a_task_and_a_second_invitation_never_a_sanction(planned, team_lead, caseworker):
    talk = _talk(planned, team_lead)
    appointment_outcome_record(actor=caseworker, appointment=talk, outcome="no_show")
    talk.refresh_from_db()
    assert talk.outcome == Outcome.NO_SHOW
    assert ActionItem.objects.filter(client=talk.client, description__startswith="Niet gekomen").count() == 1
    rounds = sorted(Invitation.objects.filter(client=talk.client).values_list("round", "status"))
    assert rounds == [(1, "no_show"), (2, "planned")]

    from trede.sanctions.models import SanctionCase

    assert not SanctionCase.objects.exists()  # a no-show never starts a sanction case by itself
    # the second invitation is scheduled like any other
    assert cohort_schedule(actor=team_lead, cohort=talk.invitation.cohort) == 1


def test_a_future_talk_cannot_be_marked_as_attended_and_rescheduling_never_double_books(planned, team_lead, caseworker):
    talk = _talk(planned, team_lead, past=False)
    with pytest.raises(ValidationError):
        appointment_outcome_record(actor=caseworker, appointment=talk, outcome="attended", note="x")
    other = Appointment.objects.filter(caseworker_id=talk.caseworker_id).exclude(pk=talk.pk).first()
    with pytest.raises(ValidationError) as busy:
        appointment_outcome_record(
            actor=caseworker, appointment=talk, outcome="rescheduled", new_starts_at=other.starts_at
        )
    assert "new_starts_at" in busy.value.message_dict
    new = talk.starts_at + dt.timedelta(days=60)
    appointment_outcome_record(actor=caseworker, appointment=talk, outcome="rescheduled", new_starts_at=new)
    assert Appointment.objects.filter(invitation=talk.invitation, starts_at=new, outcome="open").exists()
    with pytest.raises(ValidationError):
        appointment_outcome_record(
            actor=caseworker, appointment=Appointment.objects.get(starts_at=new), outcome="cancelled", reason=""
        )


def test_an_exemption_after_planning_withdraws_the_invitation_before_the_letter(planned, team_lead, today):
    campaign, clients = planned
    cohort_schedule(actor=team_lead, cohort=campaign.cohorts.get())
    invitation = Invitation.objects.get(client=clients[3])
    assert invitation_recheck(actor=None, invitation=invitation, on=today) == ""
    exemption_grant(
        actor=None,
        client=clients[3],
        obligation="cooperation",
        ground="fully_disabled",
        start_on=today,
        review_on=today + dt.timedelta(days=200),
        reason="volledig arbeidsongeschikt",
    )
    assert invitation_recheck(actor=None, invitation=invitation, on=today) == "fully_disabled"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert not invitation.appointments.filter(outcome="open").exists()
    told = ActionItem.objects.get(client=clients[3])
    assert campaign.name in told.description and told.responsible == "caseworker"


def test_the_agenda_shows_the_caseworkers_talks_and_the_outcome_page_records(
    client, planned, team_lead, caseworker, colleague
):
    talk = _talk(planned, team_lead)
    talk_cw = talk.caseworker
    client.force_login(talk_cw)
    day = timezone.localtime(talk.starts_at).date()
    page = client.get(reverse("agenda"), {"dag": day.isoformat()})
    assert page.status_code == 200 and talk.client.full_name in page.content.decode()
    other = colleague if talk_cw == caseworker else caseworker
    client.force_login(other)
    assert talk.client.full_name not in client.get(reverse("agenda"), {"dag": day.isoformat()}).content.decode()
    client.force_login(talk_cw)
    url = reverse("appointment-outcome", args=[talk.client_id, talk.pk])
    response = client.post(url, {"outcome": "attended", "note": "Goed gesprek."})
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.outcome == "attended"
    assert TeamMember.objects.filter(user=talk_cw).exists()


@pytest.mark.parametrize("activities", [False, True])
def test_campaign_results_count_latest_invitations_and_ladder_progress(
    planned, team_lead, caseworker, colleague, activities
):
    from trede.activation.services import participation_record
    from trede.clients.services import ladder_measure
    from trede.outreach.selectors import RESULT_COLUMNS, campaign_results

    campaign, clients = planned
    cohort_schedule(actor=team_lead, cohort=campaign.cohorts.get())
    past = timezone.now() - dt.timedelta(days=30)
    talks = list(Appointment.objects.order_by("starts_at"))
    for i, talk in enumerate(talks):
        Appointment.objects.filter(pk=talk.pk).update(starts_at=past + dt.timedelta(minutes=45 * i))
        talk.refresh_from_db()
        actor = talk.caseworker
        if i < 10:
            ladder_measure(actor=actor, client=talk.client, step=2, measured_on=past.date() - dt.timedelta(days=5))
            appointment_outcome_record(actor=actor, appointment=talk, outcome="attended", note="gesprek")
            if i < 4:
                ladder_measure(actor=actor, client=talk.client, step=3, measured_on=past.date() + dt.timedelta(days=10))
            elif activities:  # beginning an activity after the talk counts as a change too
                participation_record(
                    actor=actor,
                    client=talk.client,
                    kind="volunteer_work",
                    description="Buurthuis",
                    hours_per_week=4,
                    start_on=past.date() + dt.timedelta(days=3),
                )
        else:
            appointment_outcome_record(actor=actor, appointment=talk, outcome="no_show")
    rows, total = campaign_results(campaign)
    (row,) = rows
    cols = dict(zip(RESULT_COLUMNS, row.cells, strict=True))
    assert row.total == 12
    # the 2 second invitations after a no-show are too few to show, and one more cell hides them from the total
    assert cols["planned"] is None and cols["attended"] is None
    assert all(cols[c] == 0 for c in ("invited", "no_show", "cancelled", "withdrawn"))
    if activities:
        assert row.reached == 10 and row.changed == 10 and row.changed_pct == 100
    else:
        assert row.reached == 10 and row.changed is None and row.changed_pct is None  # 4 of 10: too few to show
    assert total.total == 12


def test_the_letters_command_makes_a_whole_cohort_and_resumes(planned, team_lead):
    from io import StringIO

    from django.core.management import call_command

    from trede.outreach.models import Letter

    campaign, clients = planned
    cohort = campaign.cohorts.get()
    cohort_schedule(actor=team_lead, cohort=cohort)
    out = StringIO()
    call_command("letters", str(campaign.pk), str(cohort.number), "--by", team_lead.username, stdout=out)
    assert f"{len(clients)} letter(s) made" in out.getvalue()
    assert Letter.objects.count() == len(clients)
    call_command("letters", str(campaign.pk), str(cohort.number), "--by", team_lead.username, stdout=out)
    assert Letter.objects.count() == len(clients)  # nothing twice
