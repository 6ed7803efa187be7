"""Pure rules of outreach: may a client be invited for a campaign's purpose on a date, and if not, why.

One rule, used by the preview, the cohort planning and the letters alike (selectors.invitable() is its SQL form
and is tested against this function). Its facts come from the one exemption function of the foundation
(obligations.selectors): a client exempt from the obligation a campaign is about is never invited to it.

The first reason that applies is the one reported, in EXCLUSION_ORDER:
  fully_disabled   — an exemption on the ground "fully and permanently unfit for work" (art. 9 lid 5) is in force:
                     never called in, except to review exemptions whose review is due
  exempt           — exempt on the date from the obligation the campaign is about (Participatiewet art. 9)
  review_not_due   — a campaign to review exemptions invites only those whose review is due
  pending_objection — an objection against a sanction decision is pending (not for a review of exemptions): the
                     client is not called in while the municipality has yet to decide on it
  in_trajectory    — already on the route to work or the youth approach (a route decision in force)
  recent_contact   — a contact within the campaign's "no contact for N months"
  no_address       — no known address: a letter cannot reach them
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# purpose -> the obligation it is about (None: the campaign reviews exemptions, it imposes nothing)
PURPOSE_OBLIGATION: dict[str, str | None] = {
    "introduction": "cooperation",
    "work_intake": "work_obligation",
    "tegenprestatie": "tegenprestatie",
    "exemption_review": None,
}
WORK_ORIENTED = frozenset({"work_intake", "tegenprestatie"})
TRAJECTORY_ROUTES = ("work", "youth")
EXCLUSION_ORDER = (
    "fully_disabled",
    "exempt",
    "review_not_due",
    "pending_objection",
    "in_trajectory",
    "recent_contact",
    "no_address",
)
EXCLUSION_LABELS = {
    "fully_disabled": _("Volledig en duurzaam arbeidsongeschikt"),
    "exempt": _("Ontheffing van de verplichting waar de oproep over gaat"),
    "review_not_due": _("Herbeoordeling ontheffing nog niet aan de beurt"),
    "pending_objection": _("Bezwaar tegen een maatregel loopt nog"),
    "in_trajectory": _("Zit al in een traject"),
    "recent_contact": _("Recent contact gehad"),
    "no_address": _("Geen bekend adres"),
}


def exclusion(
    purpose: str,
    *,
    exempt: bool,
    fully_disabled: bool,
    review_due: bool,
    in_trajectory: bool,
    recent_contact: bool,
    has_address: bool,
    pending_objection: bool = False,
) -> str | None:
    """Why a client may not be invited for `purpose` (the first reason in EXCLUSION_ORDER), or None."""
    if purpose not in PURPOSE_OBLIGATION:
        raise ValueError(f"unknown campaign purpose {purpose!r}")
    reviewing = purpose == "exemption_review"
    if fully_disabled and not (reviewing and review_due):
        return "fully_disabled"
    if not reviewing and exempt:
        return "exempt"
    if reviewing and not review_due:
        return "review_not_due"
    if not reviewing and pending_objection:
        return "pending_objection"
    if not reviewing and in_trajectory:
        return "in_trajectory"
    if recent_contact:
        return "recent_contact"
    if not has_address:
        return "no_address"
    return None


def consequence_applies(purpose: str, *, tegenprestatie_policy: str) -> bool:
    """May the letter say what not coming without a good reason can lead to (art. 18 lid 2: a lower benefit)?

    Only where the talk is about an obligation that exists: never for a review of exemptions (it imposes nothing),
    and for a tegenprestatie only where the municipality enforces it (art. 8a: the local rule set's
    tegenprestatie_policy); where it is offered voluntarily or not enforced, nothing may be threatened.
    """
    if PURPOSE_OBLIGATION[purpose] is None:
        return False
    if purpose == "tegenprestatie":
        return tegenprestatie_policy == "enforced"
    return True


def cohorts(n: int, size: int) -> list[tuple[int, int]]:
    """Split n ordered clients into cohorts of at most `size`: (start, stop) index pairs, all but the last full."""
    if size <= 0:
        raise ValueError("cohort size must be positive")
    return [(start, min(start + size, n)) for start in range(0, n, size)]
