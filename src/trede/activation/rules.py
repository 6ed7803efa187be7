"""Pure rules of activation: the referral's state machine, the tegenprestatie (Participatiewet art. 9 lid 1c and
art. 8a), the fit of an activity with a client's circumstances, and what counts as "active".

No ORM here: the services and selectors give the facts, these functions give the answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from trede.core.rules import add_months

# --- the referral's states ---------------------------------------------------------------------------------------
# waiting -> proposed (a place came free) ; proposed -> accepted (the client agrees) -> started -> active -> ended.
# declined (the client or the provider says no) and withdrawn (the caseworker stops it) end an open referral early.
TRANSITIONS: dict[str, frozenset[str]] = {
    "waiting": frozenset({"proposed", "declined", "withdrawn"}),
    "proposed": frozenset({"accepted", "declined", "withdrawn"}),
    "accepted": frozenset({"started", "declined", "withdrawn"}),
    "started": frozenset({"active", "ended"}),
    "active": frozenset({"ended"}),
    "ended": frozenset(),
    "declined": frozenset(),
    "withdrawn": frozenset(),
}
REASON_REQUIRED = frozenset({"declined", "withdrawn", "ended"})
# what the provider may confirm: the start, the attendance, and that the client stopped (with a reason)
PROVIDER_MAY = frozenset({"started", "active", "ended", "declined"})
HOLDS_PLACE = frozenset({"proposed", "accepted", "started", "active"})
PARTICIPATING = frozenset({"started", "active"})


def transition_problem(*, current: str, target: str, reason: str, by_provider: bool) -> str | None:
    """Why this change of a referral's status is refused, or None when it is allowed."""
    if target not in TRANSITIONS:
        return str(_("Onbekende status."))
    if target not in TRANSITIONS.get(current, frozenset()):
        return str(_("Deze stap kan niet vanuit de huidige status van de verwijzing."))
    if by_provider and target not in PROVIDER_MAY:
        return str(_("Een aanbieder kan alleen de start, de deelname of het stoppen doorgeven."))
    if target in REASON_REQUIRED and not (reason or "").strip():
        return str(_("Schrijf de reden op."))
    return None


# --- the tegenprestatie ------------------------------------------------------------------------------------------
TEGENPRESTATIE_POLICIES = ("enforced", "voluntary", "not_enforced")
TEGENPRESTATIE_STATUS_TEXT = {
    "not_enforced": _("Geen verplichting: de gemeente handhaaft de tegenprestatie niet."),
    "voluntary": _("Geen verplichting: de gemeente biedt de tegenprestatie vrijwillig aan."),
    "not_imposed": _("Niet opgelegd aan deze cliënt."),
    "lifted": _("Opgelegd, maar de cliënt heeft ontheffing: er wordt niets gevraagd."),
    "met": _("Opgelegd en de cliënt doet een tegenprestatie."),
    "open": _("Opgelegd en nog niet ingevuld."),
}


def tegenprestatie_status(*, policy: str, imposed: bool, exempt: bool, doing_one: bool) -> str:
    """Does the tegenprestatie apply to this client on a date, and is it met?

    Art. 9 lid 1c makes it an obligation only as the municipality's ordinance sets it (art. 8a); the local rule set
    says whether it is enforced. An exemption (art. 9 lid 2 or lid 5) always lifts it, even where it is enforced.
    """
    if policy not in TEGENPRESTATIE_POLICIES:
        raise ValueError(f"unknown tegenprestatie policy {policy!r}")
    if policy != "enforced":
        return policy
    if not imposed:
        return "not_imposed"
    if exempt:
        return "lifted"
    return "met" if doing_one else "open"


def required(*, policy: str, imposed: bool, exempt: bool) -> bool:
    """Is the client required to do a tegenprestatie? Never with an exemption, never where it is not enforced."""
    return policy == "enforced" and imposed and not exempt


def referral_voluntary(*, is_tegenprestatie: bool, policy: str, imposed: bool, exempt: bool) -> bool:
    """A referral is voluntary unless it is a tegenprestatie the client is required to do."""
    return not (is_tegenprestatie and required(policy=policy, imposed=imposed, exempt=exempt))


def voluntary_now(*, is_tegenprestatie: bool, status: str) -> bool:
    """Is a referral voluntary today, given the client's tegenprestatie status today (tegenprestatie_status)? Only a
    tegenprestatie that is required now (imposed, enforced, not lifted by an exemption) is not voluntary; an
    exemption granted after the proposal makes it voluntary at once."""
    return not (is_tegenprestatie and status in ("open", "met"))


# --- fit of an activity with the client's circumstances ---------------------------------------------------------
LANGUAGE_ORDER = {"below_1f": 0, "1f": 1, "2f": 2, "3f": 3}
# health -> heaviest physical load that fits
HEALTH_MAX_LOAD = {"none": "heavy", "some": "medium", "severe": "light"}
LOAD_ORDER = {"light": 0, "medium": 1, "heavy": 2}


@dataclass(frozen=True)
class Fit:
    blocks: tuple[str, ...]  # reasons it does not fit (never overruled by anything else)
    notes: tuple[str, ...]  # things to talk about

    @property
    def fits(self) -> bool:
        return not self.blocks


def activity_fit(
    *,
    physical_load: str,
    language_level: str,
    hours_per_week: int,
    activity_district_id: int | None,
    health: str | None,
    dutch_level: str | None,
    care_duties: bool,
    client_district_id: int | None,
) -> Fit:
    """Does an activity fit what is known of the client? Unknown circumstances never block; they are named."""
    blocks: list[str] = []
    notes: list[str] = []
    if health is None:
        notes.append(str(_("Gezondheid niet bekend: bespreek de lichamelijke belasting.")))
    elif LOAD_ORDER[physical_load] > LOAD_ORDER[HEALTH_MAX_LOAD[health]]:
        blocks.append(str(_("Te zwaar voor de gezondheid van de cliënt.")))
    if language_level:
        if dutch_level is None:
            notes.append(str(_("Taalniveau niet bekend.")))
        elif LANGUAGE_ORDER[dutch_level] < LANGUAGE_ORDER[language_level]:
            blocks.append(str(_("Vraagt meer Nederlands dan de cliënt nu spreekt.")))
    if care_duties and hours_per_week > 16:
        notes.append(str(_("Veel uren naast zorgtaken.")))
    if (
        activity_district_id is not None
        and client_district_id is not None
        and activity_district_id != client_district_id
    ):
        notes.append(str(_("In een andere wijk.")))
    return Fit(tuple(blocks), tuple(notes))


# --- what counts as active ---------------------------------------------------------------------------------------
ACTIVE_LADDER_STEP = 3  # step 3 "deelname georganiseerde activiteiten" or higher


def counts_as_active(*, ladder_step: int | None, participating: bool) -> bool:
    """Active for the activation dashboard: ladder step 3 or higher, or an ongoing participation."""
    return participating or (ladder_step is not None and ladder_step >= ACTIVE_LADDER_STEP)


def next_follow_up(day: dt.date, months: int) -> dt.date:
    """The next follow-up contact: `months` (local rule follow_up_months) after the start or the last follow-up."""
    return add_months(day, months)
