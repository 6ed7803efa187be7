import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trede.clients.services import household_member_add
from trede.core.models import AuditRecord
from trede.obligations.models import Exemption
from trede.obligations.rules import periods_overlap
from trede.obligations.selectors import exempt_client_ids, is_exempt
from trede.obligations.services import exemption_end, exemption_grant

pytestmark = pytest.mark.django_db
D0 = dt.date(2025, 1, 1)


def grant(client, *, start, end=None, review=None, obligation="work_obligation", ground="urgent_reasons"):
    return exemption_grant(
        actor=None,
        client=client,
        obligation=obligation,
        ground=ground,
        start_on=start,
        end_on=end,
        review_on=review,
        reason="Reden",
    )


def days(start: dt.date, end: dt.date | None, horizon: dt.date) -> set[dt.date]:
    stop = end or horizon
    return {start + dt.timedelta(days=i) for i in range((stop - start).days + 1)}


period = st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=period, second=period)
def test_overlapping_exemptions_for_one_obligation_are_refused(client_of, first, second):
    horizon = D0 + dt.timedelta(days=400)

    def as_dates(p):
        start = D0 + dt.timedelta(days=p[0])
        return start, (start + dt.timedelta(days=p[1]) if p[1] is not None else None)

    (s1, e1), (s2, e2) = as_dates(first), as_dates(second)
    overlap = bool(days(s1, e1, horizon) & days(s2, e2, horizon))  # brute-force oracle
    assert periods_overlap(s1, e1, s2, e2) == overlap
    with transaction.atomic():
        grant(client_of, start=s1, end=e1, review=None if e1 else s1 + dt.timedelta(days=90))
        if overlap:
            with pytest.raises(ValidationError) as info:
                grant(client_of, start=s2, end=e2, review=None if e2 else s2 + dt.timedelta(days=90))
            assert "start_on" in info.value.message_dict
            assert Exemption.objects.filter(client=client_of).count() == 1
        else:
            grant(client_of, start=s2, end=e2, review=None if e2 else s2 + dt.timedelta(days=90))
            assert Exemption.objects.filter(client=client_of).count() == 2
        # another obligation never conflicts
        grant(client_of, start=s2, end=e2, review=None if e2 else s2, obligation="tegenprestatie")
        transaction.set_rollback(True)


def test_is_exempt_on_the_boundaries(client_of):
    e = grant(client_of, start=D0, end=D0 + dt.timedelta(days=9))
    on = lambda d: is_exempt(client_id=client_of.pk, obligation="work_obligation", on=d)  # noqa: E731
    assert not on(D0 - dt.timedelta(days=1))
    assert on(D0) and on(D0 + dt.timedelta(days=9))
    assert not on(D0 + dt.timedelta(days=10))
    assert not is_exempt(client_id=client_of.pk, obligation="tegenprestatie", on=D0)
    exemption_end(actor=None, exemption=e, ended_on=D0 + dt.timedelta(days=4), reason="Weer aan het werk")
    assert on(D0 + dt.timedelta(days=4)) and not on(D0 + dt.timedelta(days=5))
    assert list(exempt_client_ids(obligation="work_obligation", on=D0 + dt.timedelta(days=3))) == [
        {"client_id": client_of.pk}
    ]
    # the period after the early end is free again
    grant(client_of, start=D0 + dt.timedelta(days=5), end=D0 + dt.timedelta(days=20))


def test_ground_must_lift_the_obligation(client_of):
    with pytest.raises(ValidationError) as info:
        grant(client_of, start=D0, end=D0 + dt.timedelta(days=9), obligation="language_requirement")
    assert "art. 9 lid 2" in str(info.value.message_dict["ground"])


def test_end_or_review_date_is_required_and_not_before_start(client_of):
    with pytest.raises(ValidationError) as info:
        grant(client_of, start=D0)
    assert "end_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        grant(client_of, start=D0, end=D0 - dt.timedelta(days=1))
    assert "vóór de ingangsdatum" in str(info.value.message_dict["end_on"])
    assert not Exemption.objects.exists()
    assert not AuditRecord.objects.filter(action="exemption_grant").exists()


def test_art_9a_needs_a_single_parent_with_a_child_under_5(client_of):
    start = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError) as info:
        grant(
            client_of,
            start=start,
            end=start + dt.timedelta(days=300),
            review=start + dt.timedelta(days=150),
            ground="single_parent_under_5",
        )
    assert "alleenstaande ouder" in str(info.value.message_dict["ground"])
    household_member_add(
        actor=None,
        client=client_of,
        role="child",
        first_name="Noor",
        birth_date=dt.date(2022, 3, 1),
        household_kind="single_parent",
    )
    e = grant(
        client_of,
        start=start,
        end=start + dt.timedelta(days=300),
        review=start + dt.timedelta(days=150),
        ground="single_parent_under_5",
    )
    assert e.pk


def test_art_9a_review_within_6_months_at_most_5_years_and_once(client_of):
    start = dt.date(2026, 1, 1)
    household_member_add(
        actor=None,
        client=client_of,
        role="child",
        first_name="Noor",
        birth_date=dt.date(2025, 3, 1),
        household_kind="single_parent",
    )
    with pytest.raises(ValidationError) as info:
        grant(
            client_of,
            start=start,
            end=dt.date(2031, 1, 1),
            review=dt.date(2026, 7, 2),
            ground="single_parent_under_5",
        )
    assert set(info.value.message_dict) == {"end_on", "review_on"}
    e = grant(
        client_of,
        start=start,
        end=dt.date(2030, 2, 28),
        review=dt.date(2026, 7, 1),
        ground="single_parent_under_5",
    )
    exemption_end(actor=None, exemption=e, ended_on=dt.date(2026, 3, 1), reason="Kinderopvang geregeld")
    with pytest.raises(ValidationError) as info:
        grant(
            client_of,
            start=dt.date(2026, 6, 1),
            end=dt.date(2027, 1, 1),
            review=dt.date(2026, 11, 1),
            ground="single_parent_under_5",
        )
    assert "één keer" in str(info.value.message_dict["ground"])


def test_ending_twice_or_before_start_is_refused(client_of):
    e = grant(client_of, start=D0, end=D0 + dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        exemption_end(actor=None, exemption=e, ended_on=D0 - dt.timedelta(days=1), reason="x")
    with pytest.raises(ValidationError):
        exemption_end(actor=None, exemption=e, ended_on=D0 + dt.timedelta(days=31), reason="x")
    exemption_end(actor=None, exemption=e, ended_on=D0 + dt.timedelta(days=3), reason="x")
    with pytest.raises(ValidationError):
        exemption_end(actor=None, exemption=e, ended_on=D0 + dt.timedelta(days=4), reason="x")


def test_art_9a_lapses_when_the_youngest_child_turns_5(client_of):
    household_member_add(
        actor=None,
        client=client_of,
        role="child",
        first_name="Sem",
        birth_date=dt.date(2022, 3, 1),
        household_kind="single_parent",
    )
    start = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError) as info:
        grant(
            client_of, start=start, end=dt.date(2027, 6, 1), review=dt.date(2026, 6, 1), ground="single_parent_under_5"
        )
    assert "28-02-2027" in str(info.value.message_dict["end_on"])
    grant(client_of, start=start, end=dt.date(2027, 2, 28), review=dt.date(2026, 6, 1), ground="single_parent_under_5")


def test_review_after_the_end_date_is_refused(client_of):
    with pytest.raises(ValidationError) as info:
        grant(client_of, start=D0, end=D0 + dt.timedelta(days=10), review=D0 + dt.timedelta(days=11))
    assert "na de einddatum" in str(info.value.message_dict["review_on"])


def test_a_date_without_rules_gives_a_message_not_an_error(client_of):
    with pytest.raises(ValidationError) as info:
        grant(client_of, start=dt.date(2014, 6, 1), end=dt.date(2014, 7, 1))
    assert "regelset" in str(info.value.message_dict["start_on"])


def test_review_keeps_the_exemption_going_within_the_legal_interval(client_of, caseworker, today):
    from trede.obligations.models import ExemptionReview
    from trede.obligations.services import exemption_review

    household_member_add(
        actor=None,
        client=client_of,
        role="child",
        first_name="Noor",
        birth_date=today - dt.timedelta(days=400),
        household_kind="single_parent",
    )
    start = today - dt.timedelta(days=170)
    e = grant(
        client_of,
        start=start,
        end=start + dt.timedelta(days=1000),
        review=today - dt.timedelta(days=1),
        ground="single_parent_under_5",
    )
    with pytest.raises(ValidationError) as info:
        exemption_review(
            actor=caseworker,
            exemption=e,
            reviewed_on=today,
            next_review_on=today + dt.timedelta(days=200),
            note="Gesprek gevoerd",
        )
    assert "6 maanden" in str(info.value.message_dict["next_review_on"])
    with pytest.raises(ValidationError):
        exemption_review(
            actor=caseworker,
            exemption=e,
            reviewed_on=today + dt.timedelta(days=1),
            next_review_on=today + dt.timedelta(days=100),
            note="x",
        )
    exemption_review(
        actor=caseworker,
        exemption=e,
        reviewed_on=today,
        next_review_on=today + dt.timedelta(days=150),
        note="Kinderopvang nog niet rond",
    )
    e.refresh_from_db()
    assert e.review_on == today + dt.timedelta(days=150)
    assert ExemptionReview.objects.get(exemption=e).reviewed_by == caseworker
    assert AuditRecord.objects.filter(action="exemption_review", client_id=client_of.pk).exists()
