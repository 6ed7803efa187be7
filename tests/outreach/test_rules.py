"""The one rule of outreach, pure: who may be invited for which purpose, and the first reason why not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trede.outreach.rules import EXCLUSION_ORDER, PURPOSE_OBLIGATION, WORK_ORIENTED, cohorts, exclusion

facts = st.fixed_dictionaries(
    {
        "exempt": st.booleans(),
        "fully_disabled": st.booleans(),
        "review_due": st.booleans(),
        "in_trajectory": st.booleans(),
        "recent_contact": st.booleans(),
        "has_address": st.booleans(),
        "pending_objection": st.booleans(),
    }
)


@given(st.sampled_from(sorted(WORK_ORIENTED)), facts)
def test_no_exempt_client_is_ever_invited_to_a_work_oriented_campaign(purpose, f):
    if f["exempt"] or f["fully_disabled"]:
        assert exclusion(purpose, **f) in ("exempt", "fully_disabled")


@given(facts)
def test_a_review_campaign_invites_only_those_whose_review_is_due(f):
    reason = exclusion("exemption_review", **f)
    if not f["review_due"]:
        assert reason is not None
    if reason is None:
        assert f["review_due"] and not f["recent_contact"] and f["has_address"]


@given(st.sampled_from(sorted(PURPOSE_OBLIGATION)), facts)
def test_the_reason_is_a_known_one_and_invitation_needs_an_address(purpose, f):
    reason = exclusion(purpose, **f)
    assert reason is None or reason in EXCLUSION_ORDER
    if not f["has_address"]:
        assert reason is not None


def test_the_first_reason_in_order_is_reported():
    everything = {
        "exempt": True,
        "fully_disabled": True,
        "review_due": False,
        "in_trajectory": True,
        "recent_contact": True,
    }
    assert exclusion("work_intake", has_address=False, **everything) == "fully_disabled"
    assert exclusion("work_intake", has_address=False, **(everything | {"fully_disabled": False})) == "exempt"
    assert exclusion("introduction", has_address=True, **(everything | {"fully_disabled": False, "exempt": False})) == (
        "in_trajectory"
    )
    # a fully disabled client whose review is due is invited to review it
    due = {"exempt": True, "fully_disabled": True, "review_due": True, "in_trajectory": True, "recent_contact": False}
    assert exclusion("exemption_review", has_address=True, **due) is None
    with pytest.raises(ValueError):
        exclusion("sanction", has_address=True, **due)


@given(st.integers(0, 5000), st.integers(1, 2000))
def test_cohorts_cover_everyone_once_and_all_but_the_last_are_full(n, size):
    parts = cohorts(n, size)
    assert sum(stop - start for start, stop in parts) == n
    assert all(stop - start == size for start, stop in parts[:-1])
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))


@given(st.sampled_from(sorted(PURPOSE_OBLIGATION)), facts)
def test_a_pending_objection_keeps_a_client_out_except_to_review_exemptions(purpose, f):
    reason = exclusion(purpose, **f)
    if f["pending_objection"] and purpose != "exemption_review":
        assert reason is not None
