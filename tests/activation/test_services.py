"""Activation: the referral's state machine, capacity and the waiting list, the tegenprestatie rule, the provider's
access rule, and participation with its follow-up and its end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from trede.activation import rules, selectors
from trede.activation.models import (
    Participation,
    Referral,
    ReferralEvent,
)
from trede.activation.services import (
    activity_save,
    participation_end,
    participation_follow_up,
    participation_next_step,
    participation_record,
    provider_save,
    referral_move,
    referral_propose,
)
from trede.caseload.models import ActionItem, ContactMoment
from trede.core.models import AuditRecord
from trede.core.services import ruleset_publish
from trede.obligations.services import exemption_grant, obligation_impose

pytestmark = pytest.mark.django_db


def enforce_tegenprestatie(on: dt.date) -> None:
    ruleset_publish(
        actor=None,
        scope="local",
        name="Verordening tegenprestatie (test)",
        version="handhaven",
        valid_from=on,
        source="Verordening (test)",
        parameters={"tegenprestatie_policy": "enforced"},
    )


def days(n: int, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=n)


# --- the state machine ------------------------------------------------------------------------------------------


def test_a_referral_goes_through_its_states_each_step_logged_with_date_reason_and_who(
    make_activity, client_of, caseworker, provider_user, today
):
    referral = referral_propose(actor=caseworker, client=client_of, activity=make_activity(), on=days(20, today))
    assert referral.status == "proposed" and referral.voluntary
    referral_move(actor=caseworker, referral=referral, to="accepted", on=days(15, today))
    referral_move(actor=provider_user, referral=referral, to="started", on=days(10, today))
    referral_move(actor=provider_user, referral=referral, to="active", on=days(3, today))
    referral_move(actor=provider_user, referral=referral, to="ended", on=today, reason="Verhuisd")
    events = list(ReferralEvent.objects.filter(referral=referral).values_list("from_status", "to_status", "by_id"))
    assert events == [
        ("", "proposed", caseworker.pk),
        ("proposed", "accepted", caseworker.pk),
        ("accepted", "started", provider_user.pk),
        ("started", "active", provider_user.pk),
        ("active", "ended", provider_user.pk),
    ]
    actions = list(AuditRecord.objects.filter(model="activation.Referral").values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["referral_propose", "referral_accepted", "referral_started", "referral_active", "referral_ended"]
    )
    participation = Participation.objects.get(referral=referral)
    assert participation.start_on == days(10, today) and participation.end_on == today
    assert participation.end_reason == "Verhuisd" and participation.follow_up_on is None


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "started"),  # proposed -> started skips the client's yes
        ([], "ended"),
        (["accepted", "started"], "proposed"),
        (["declined"], "accepted"),  # a declined referral stays declined
        (["accepted", "started", "active"], "accepted"),
    ],
)
def test_an_illegal_step_is_refused_and_leaves_nothing(make_activity, client_of, caseworker, today, path, illegal):
    referral = referral_propose(actor=caseworker, client=client_of, activity=make_activity(), on=days(20, today))
    for step in path:
        referral_move(actor=caseworker, referral=referral, to=step, on=days(10, today), reason="reden")
    events_before = ReferralEvent.objects.count()
    with pytest.raises(ValidationError):
        referral_move(actor=caseworker, referral=referral, to=illegal, on=today, reason="reden")
    assert ReferralEvent.objects.count() == events_before
    referral.refresh_from_db()
    assert referral.status == (path[-1] if path else "proposed")


def test_declining_or_withdrawing_needs_a_reason_and_a_date_not_before_the_last_step(
    make_activity, client_of, caseworker, today
):
    referral = referral_propose(actor=caseworker, client=client_of, activity=make_activity(), on=days(5, today))
    with pytest.raises(ValidationError) as no_reason:
        referral_move(actor=caseworker, referral=referral, to="declined", on=today, reason=" ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as too_early:
        referral_move(actor=caseworker, referral=referral, to="declined", on=days(6, today), reason="Geen tijd")
    assert "on" in too_early.value.message_dict
    with pytest.raises(ValidationError):
        referral_move(actor=caseworker, referral=referral, to="accepted", on=today + dt.timedelta(days=1))


@given(path=st.lists(st.sampled_from(sorted(rules.TRANSITIONS)), max_size=8))
def test_the_pure_state_machine_only_ever_reaches_states_through_allowed_steps(path):
    state = "proposed"
    for target in path:
        problem = rules.transition_problem(current=state, target=target, reason="r", by_provider=False)
        assert (problem is None) == (target in rules.TRANSITIONS[state])
        if problem is None:
            state = target
    # final states have no way out
    for final in ("ended", "declined", "withdrawn"):
        assert all(
            rules.transition_problem(current=final, target=t, reason="r", by_provider=False) for t in rules.TRANSITIONS
        )


# --- capacity -----------------------------------------------------------------------------------------------------


def test_a_full_activity_takes_a_new_client_only_on_the_waiting_list(make_activity, make_client, caseworker, today):
    activity = make_activity(capacity=1)
    first, second = make_client(caseworker), make_client(caseworker, first_name="Piet")
    taken = referral_propose(actor=caseworker, client=first, activity=activity, on=today)
    with pytest.raises(ValidationError) as full:
        referral_propose(actor=caseworker, client=second, activity=activity, on=today)
    assert "waiting_list" in full.value.message_dict
    assert Referral.objects.filter(client=second).count() == 0
    waiting = referral_propose(actor=caseworker, client=second, activity=activity, on=today, waiting_list=True)
    assert waiting.status == "waiting"
    with pytest.raises(ValidationError):  # no place yet
        referral_move(actor=caseworker, referral=waiting, to="proposed", on=today)
    referral_move(actor=caseworker, referral=taken, to="declined", on=today, reason="Past niet")
    referral_move(actor=caseworker, referral=waiting, to="proposed", on=today)
    assert selectors.free_places(selectors.catalogue().get(pk=activity.pk)) == 0


def test_the_capacity_cannot_drop_below_the_places_taken(make_activity, make_client, caseworker, administrator, today):
    activity = make_activity(capacity=2)
    for name in ("A", "B"):
        referral_propose(actor=caseworker, client=make_client(caseworker, first_name=name), activity=activity, on=today)
    with pytest.raises(ValidationError) as refused:
        activity_save(actor=administrator, activity=activity, capacity=1)
    assert "capacity" in refused.value.message_dict


# --- the tegenprestatie -------------------------------------------------------------------------------------------


def test_a_tegenprestatie_is_offered_only_with_the_reason_it_displaces_no_paid_job(make_activity, administrator):
    with pytest.raises(ValidationError) as refused:
        make_activity(kind="tegenprestatie", is_tegenprestatie=True, no_displacement="")
    assert "no_displacement" in refused.value.message_dict
    draft = make_activity(kind="tegenprestatie", is_tegenprestatie=True, status="draft")
    offered = activity_save(
        actor=administrator,
        activity=draft,
        status="offered",
        no_displacement="Extra hulp in de buurtbibliotheek naast de vaste medewerkers; geen vacature vervalt.",
    )
    assert offered.status == "offered"


def test_a_provider_keeps_its_own_activities_but_never_marks_a_tegenprestatie(
    make_activity, provider_user, administrator, district
):
    other = provider_save(actor=administrator, name="Sportclub Noord", kind="other")
    mine = make_activity()
    theirs = make_activity(provider=other, name="Zwemmen")
    changed = activity_save(actor=provider_user, activity=mine, capacity=5)
    assert changed.capacity == 5
    with pytest.raises(ValidationError):
        activity_save(actor=provider_user, activity=theirs, capacity=5)
    with pytest.raises(ValidationError):
        activity_save(actor=provider_user, activity=mine, is_tegenprestatie=True, no_displacement="x")
    created = activity_save(
        actor=provider_user,
        provider=other,  # ignored: a provider creates only for itself
        name="Koffieochtend",
        kind="social_contact",
        location="Buurthuis",
        hours_per_week=2,
        physical_load="light",
        capacity=10,
        contact_name="Ans",
    )
    assert created.provider.name == "Buurtwerk Centrum" and created.status == "draft"


def test_an_exempt_client_is_never_required_to_do_a_tegenprestatie_but_may_volunteer(
    make_activity, make_client, caseworker, today
):
    enforce_tegenprestatie(days(60, today))
    activity = make_activity(
        kind="tegenprestatie", is_tegenprestatie=True, no_displacement="Naast vaste krachten", capacity=5
    )
    required, exempt = make_client(caseworker, first_name="Anna"), make_client(caseworker, first_name="Bram")
    for c in (required, exempt):
        obligation_impose(actor=caseworker, client=c, kind="tegenprestatie", start_on=days(50, today))
    exemption_grant(
        actor=caseworker,
        client=exempt,
        obligation="tegenprestatie",
        ground="urgent_reasons",
        start_on=days(40, today),
        review_on=today + dt.timedelta(days=90),
        reason="Mantelzorg voor moeder",
    )
    assert referral_propose(actor=caseworker, client=required, activity=activity, on=today).voluntary is False
    assert referral_propose(actor=caseworker, client=exempt, activity=activity, on=today).voluntary is True


@given(
    policy=st.sampled_from(rules.TEGENPRESTATIE_POLICIES),
    imposed=st.booleans(),
    exempt=st.booleans(),
    doing=st.booleans(),
)
def test_the_tegenprestatie_rule(policy, imposed, exempt, doing):
    status = rules.tegenprestatie_status(policy=policy, imposed=imposed, exempt=exempt, doing_one=doing)
    if exempt:
        assert status in ("lifted", "voluntary", "not_enforced", "not_imposed")
        assert rules.referral_voluntary(is_tegenprestatie=True, policy=policy, imposed=imposed, exempt=True)
    if policy != "enforced":
        assert status == policy and not rules.required(policy=policy, imposed=imposed, exempt=exempt)
    if status == "open":
        assert policy == "enforced" and imposed and not exempt and not doing


# --- the provider's access ----------------------------------------------------------------------------------------


def test_a_provider_moves_only_its_own_referrals_and_only_start_attendance_and_end(
    make_activity, client_of, caseworker, provider_user, administrator, today
):
    other = provider_save(actor=administrator, name="Taalhuis", kind="education")
    theirs = referral_propose(
        actor=caseworker, client=client_of, activity=make_activity(provider=other, name="Taalcafé"), on=days(9, today)
    )
    mine = referral_propose(actor=caseworker, client=client_of, activity=make_activity(), on=days(9, today))
    with pytest.raises(ValidationError):
        referral_move(actor=provider_user, referral=mine, to="accepted", on=today)  # the client's yes is not theirs
    with pytest.raises(ValidationError):
        referral_move(actor=provider_user, referral=mine, to="withdrawn", on=today, reason="x")
    referral_move(actor=caseworker, referral=theirs, to="accepted", on=days(8, today))
    with pytest.raises(ValidationError):
        referral_move(actor=provider_user, referral=theirs, to="started", on=today)
    listed = list(selectors.provider_referrals(provider_user.provider_member.provider))
    assert [r.pk for r in listed] == [mine.pk]


# --- participation and follow-up ----------------------------------------------------------------------------------


def test_self_found_participation_is_recorded_on_the_clients_word_with_a_follow_up_date(client_of, caseworker, today):
    from trede.clients.models import Client

    p = participation_record(
        actor=caseworker,
        client=client_of,
        kind="informal_care",
        description="Zorgt voor haar vader",
        hours_per_week=20,
        start_on=days(100, today),
        counts_as_tegenprestatie=True,
    )
    assert p.source == "client" and p.follow_up_on == rules.next_follow_up(days(100, today), 3)
    due = selectors.follow_ups_due(Client.objects.all(), today=today, horizon_days=28)
    assert list(due) == [p]
    participation_follow_up(
        actor=caseworker, participation=p, contact_on=today, channel="phone", summary="Gaat goed, 20 uur zorg."
    )
    p.refresh_from_db()
    assert p.follow_up_on == rules.next_follow_up(today, 3)
    assert ContactMoment.objects.filter(client=client_of, summary__startswith="Gaat goed").exists()


def test_stopping_without_a_next_step_is_flagged_until_one_is_recorded(client_of, caseworker, today):
    from trede.clients.models import Client

    p = participation_record(
        actor=caseworker,
        client=client_of,
        kind="volunteer_work",
        description="Voedselbank",
        hours_per_week=6,
        start_on=days(200, today),
    )
    participation_end(actor=caseworker, participation=p, end_on=days(2, today), reason="Rugklachten")
    flagged = selectors.stopped_without_next_step(Client.objects.all())
    assert list(flagged) == [p]
    assert ActionItem.objects.filter(client=client_of, description__contains="participatieladder").exists()
    participation_next_step(actor=caseworker, participation=p, next_step="care", note="Eerst fysiotherapie")
    assert not selectors.stopped_without_next_step(Client.objects.all()).exists()


def test_a_new_participation_after_stopping_also_clears_the_flag(client_of, caseworker, today):
    from trede.clients.models import Client

    p = participation_record(
        actor=caseworker,
        client=client_of,
        kind="course",
        description="Cursus",
        hours_per_week=4,
        start_on=days(90, today),
    )
    participation_end(actor=caseworker, participation=p, end_on=days(10, today), reason="Klaar")
    participation_record(
        actor=caseworker,
        client=client_of,
        kind="language",
        description="Taalles",
        hours_per_week=4,
        start_on=days(5, today),
    )
    assert not selectors.stopped_without_next_step(Client.objects.all()).exists()
