"""Pure rules of sanctions (maatregelen): the kinds of breach and their legal basis, the checks before a case may
proceed, the breach number for escalation, the proposed reduction, lowering it, culpability, the reduction in euros
and the deadlines of the procedure.

Sources: Participatiewet (BWBR0015703) art. 9, 18 and 18b as consolidated on 1 January 2026; the municipality's
sanctions ordinance (afstemmingsverordening, art. 8 lid 1 a) through the local rule set; Algemene wet bestuursrecht
(BWBR0005537) art. 4:8, 6:7, 6:8 and 7:10; Algemene termijnenwet through trede.core.workdays.

No ORM here: the services gather the facts (the exemption check of the obligation on the breach date, the letters on
file, the dossier, the earlier cases) and pass the rules valid on the breach date (core.selectors.rules_on) as a
plain mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trede.core.rules import add_months
from trede.core.workdays import is_working_day, term_end

# --- obligation kinds -----------------------------------------------------------------------------------------
# The values of obligations.models.ObligationKind, kept as text so that this module imports no models.
WORK = "work_obligation"  # art. 9 lid 1a
COOPERATION = "cooperation"  # art. 9 lid 1b
TEGENPRESTATIE = "tegenprestatie"  # art. 9 lid 1c
LANGUAGE = "language_requirement"  # art. 18b

# --- regimes: which part of the law sets the reduction ----------------------------------------------------------
ORDINANCE = "ordinance"  # art. 18 lid 2: the ordinance's tiers
UNIFORM = "uniform"  # art. 18 lid 4-8: 100% for 1-3 months, escalation set by law
LANGUAGE_STEPS = "language"  # art. 18b: 20% / 40% / 100%


@dataclass(frozen=True)
class Category:
    """A kind of breach.

    obligation: the art. 9 / 18b obligation it concerns, so the caller can ask "was the client exempt from it on the
    breach date" (None: not an obligation of art. 9 that an exemption can lift). written_notice: the obligation only
    exists once the municipality set it for this person in writing (an appointment, the action plan, an assignment);
    without a letter on file the breach cannot be shown and the case may not proceed.
    """

    key: str
    label: object  # lazy text
    regime: str
    obligation: str | None
    article: str
    written_notice: bool


_CATEGORIES = (
    # art. 18 lid 2: the ordinance's tiers
    Category(
        "no_show",
        _("Niet gekomen op een afspraak na een schriftelijke uitnodiging"),
        ORDINANCE,
        COOPERATION,
        "art. 9 lid 1 onder b en art. 18 lid 2 Participatiewet",
        True,
    ),
    Category(
        "action_plan",
        _("Niet meegewerkt aan het plan van aanpak"),
        ORDINANCE,
        COOPERATION,
        "art. 9 lid 1 onder b, art. 44a en art. 18 lid 2 Participatiewet",
        True,
    ),
    Category(
        "search_effort",
        _("Te weinig naar werk gezocht (sollicitatieplicht)"),
        ORDINANCE,
        WORK,
        "art. 9 lid 1 onder a en art. 18 lid 2 Participatiewet",
        True,
    ),
    Category(
        "insufficient_responsibility",
        _("Te weinig verantwoordelijkheid genomen voor het eigen inkomen"),
        ORDINANCE,
        None,
        "art. 18 lid 2 Participatiewet (tekortschietend besef van verantwoordelijkheid)",
        False,
    ),
    Category(
        "tegenprestatie",
        _("Geen tegenprestatie gedaan"),
        ORDINANCE,
        TEGENPRESTATIE,
        "art. 9 lid 1 onder c, art. 8a en art. 18 lid 2 Participatiewet",
        True,
    ),
    # art. 18 lid 4 a-h: the uniform work obligations, reduced under lid 5-8
    Category(
        "refused_work",
        _("Algemeen geaccepteerd werk geweigerd"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder a Participatiewet (werk aanvaarden)",
        False,
    ),
    Category(
        "not_keeping_work",
        _("Algemeen geaccepteerd werk niet behouden"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder a Participatiewet (werk behouden)",
        False,
    ),
    Category(
        "not_registering",
        _("Niet ingeschreven bij een uitzendbureau terwijl de gemeente dat vroeg"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder b Participatiewet",
        True,
    ),
    Category(
        "not_searching",
        _("Geen werk gezocht in de andere gemeente vóór een verhuizing daarheen"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder c Participatiewet",
        True,
    ),
    Category(
        "travel",
        _("Niet bereid tot 3 uur per dag te reizen voor werk"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder d Participatiewet",
        False,
    ),
    Category(
        "moving",
        _("Niet bereid te verhuizen voor werk"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder e Participatiewet",
        True,
    ),
    Category(
        "training",
        _("Niet gewerkt aan kennis en vaardigheden die nodig zijn voor werk"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder f Participatiewet",
        True,
    ),
    Category(
        "appearance",
        _("Werk belemmerd door kleding, verzorging of gedrag"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder g Participatiewet",
        False,
    ),
    Category(
        "not_cooperating_uniform",
        _("Niet meegewerkt aan het krijgen van algemeen geaccepteerd werk"),
        UNIFORM,
        WORK,
        "art. 18 lid 4 onder h Participatiewet",
        False,
    ),
    # art. 18b
    Category(
        "language",
        _("Niet voldaan aan de taaleis zonder genoeg moeite te doen"),
        LANGUAGE_STEPS,
        LANGUAGE,
        "art. 18b Participatiewet",
        True,
    ),
)
CATEGORIES: dict[str, Category] = {c.key: c for c in _CATEGORIES}
CATEGORY_CHOICES: list[tuple[str, object]] = [(c.key, c.label) for c in _CATEGORIES]


def category(key: str) -> Category:
    try:
        return CATEGORIES[key]
    except KeyError:
        raise ValueError(f"unknown breach category {key!r}") from None


def repeat_group(key: str) -> str:
    """The group within which a breach counts as a repeat.

    Art. 18 lid 6 and 7: a repeat is "opnieuw … een gedraging als bedoeld in het vierde lid" after a reduction for
    such a breach, so all uniform work obligations (lid 4 a-h) form one group: refusing work after a sanction for not
    keeping work is a repeat. For art. 18 lid 2 each category is its own group (the ordinance's escalation per kind of
    conduct), and the language requirement is its own group.
    """
    c = category(key)
    return UNIFORM if c.regime == UNIFORM else c.key


# --- the breach number within the repeat window -------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierBreach:
    """An earlier breach of the same client, of any category.

    sanctioned_on: the date the reduction for it was imposed (the decision was sent); None when the case ended
    without a reduction: not culpable (lid 9), lowered to nothing (lid 10), withdrawn, exempt, or annulled on
    objection or appeal.
    """

    category: str
    breach_on: dt.date
    sanctioned_on: dt.date | None


def _in_window(sanctioned_on: dt.date, day: dt.date, window_months: int) -> bool:
    """`day` falls within `window_months` after the reduction imposed on `sanctioned_on` (strictly after that day)."""
    return sanctioned_on < day <= add_months(sanctioned_on, window_months)


def breach_number(
    *, category_key: str, breach_on: dt.date, earlier: Sequence[EarlierBreach], window_months: int
) -> tuple[int, EarlierBreach | None]:
    """The breach number for escalation and the earlier breach that makes this one a repeat (None for a first).

    Art. 18 lid 6: "Indien binnen twaalf maanden nadat een verlaging als bedoeld in het vijfde lid is opgelegd,
    opnieuw sprake is van een gedraging …"; lid 7 the same after a lid 6 reduction; the ordinances use the same
    construction for lid 2. Therefore:
    - only earlier breaches that led to a reduction count; one that ended without (not culpable, lowered to nothing,
      annulled) does not;
    - only breaches of the same repeat group (see repeat_group);
    - the window runs from the day the earlier reduction was imposed (sanctioned_on), not from the earlier breach:
      the new breach must fall after that day and at most `window_months` calendar months later;
    - the escalation is a chain: the number is one more than the highest number of an earlier reduction whose window
      holds this breach (a third breach within 12 months after a second-step reduction is the third, even when the
      first reduction lies longer ago). Without such a reduction it is 1.
    The numbers of the earlier reductions are derived the same way from the history itself.
    Art. 18b (language) uses the same chain: the next step follows when the requirement is still not met after a step
    (20%, 40%, 100%); a gap longer than the window starts again at the first step.
    """
    for e in earlier:
        if e.sanctioned_on is not None and e.sanctioned_on < e.breach_on:
            raise ValueError("a reduction cannot be imposed before its breach")
    group = repeat_group(category_key)
    pool = sorted(
        (e for e in earlier if e.sanctioned_on is not None and repeat_group(e.category) == group),
        key=lambda e: (e.breach_on, e.sanctioned_on),
    )
    numbers: list[int] = []
    for i, e in enumerate(pool):
        # every reduction that can hold e's breach was imposed before it, so it comes earlier in this order
        numbers.append(
            1
            + max(
                (numbers[j] for j in range(i) if _in_window(pool[j].sanctioned_on, e.breach_on, window_months)),
                default=0,
            )
        )
    best, previous = 0, None
    for e, n in zip(pool, numbers, strict=True):
        # the highest number wins; among equals the most recent reduction is named
        if _in_window(e.sanctioned_on, breach_on, window_months) and (n, e.sanctioned_on) > (
            best,
            previous.sanctioned_on if previous else dt.date.min,
        ):
            best, previous = n, e
    return best + 1, previous


# --- the checks before anything else ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    text: str  # plain Dutch (B1) for the caseworker


CHECK_TEXT = {
    # blocks: the case may not proceed
    "exempt": _("De cliënt had op %(date)s ontheffing van deze verplichting. Daarom kan er geen maatregel komen."),
    "not_in_force": _("Deze verplichting gold op %(date)s niet voor de cliënt. Daarom kan er geen maatregel komen."),
    "no_letter": _(
        "Er is geen brief waarin de cliënt de afspraak of de opdracht kreeg. Zonder brief kan er geen maatregel komen."
    ),
    # weigh: the caseworker weighs these at the hearing
    "no_letter_weigh": _(
        "Er is geen brief over deze verplichting. Ga na of de cliënt wist wat er van hem of haar werd gevraagd."
    ),
    "health": _(
        "In het dossier staat een beperking door de gezondheid. "
        "Ga na of de cliënt daardoor niet kon doen wat werd gevraagd."
    ),
    "care": _(
        "In het dossier staat dat de cliënt zorgt voor een ander. "
        "Ga na of de cliënt daardoor niet kon doen wat werd gevraagd."
    ),
    "urgent_reasons": _(
        "In het dossier staan andere dringende redenen. Die kunnen betekenen: een lagere maatregel of geen maatregel."
    ),
    "language_effort": _(
        "Ga na of de cliënt genoeg moeite doet om Nederlands te leren. "
        "Begint de cliënt binnen een maand met leren? Dan komt er geen verlaging."
    ),
}


@dataclass(frozen=True)
class Precheck:
    may_proceed: bool
    blocks: tuple[Check, ...]  # why the case may not proceed
    weigh: tuple[Check, ...]  # what the caseworker must weigh at the hearing
    breach_number: int
    repeat_of: EarlierBreach | None
    obligation: str | None
    article: str


def _d(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def prechecks(
    *,
    category_key: str,
    breach_on: dt.date,
    obligation_in_force: bool,
    exempt: bool,
    communicated_in_writing: bool,
    health_limitation: bool,
    care_duty: bool,
    urgent_reasons: bool,
    earlier: Sequence[EarlierBreach],
    rules: Mapping,
) -> Precheck:
    """What trede checks before a sanction case may go on (issue 7, step 2).

    Facts from the caller, all on the breach date: obligation_in_force (the obligation of the category applied to the
    client; for the tegenprestatie: it was imposed and the municipality enforces it, activation.rules.required);
    exempt (obligations.selectors.is_exempt for the category's obligation); communicated_in_writing (a letter on file
    with the invitation or the obligation); health_limitation, care_duty, urgent_reasons (known in the dossier);
    earlier (the client's earlier breaches of any category, see EarlierBreach).

    - An exempt obligation can never be breached (art. 9 lid 2, 4, 5, art. 9a, art. 18b): the case may not proceed.
    - Nor when the obligation did not apply to the client on that date.
    - Without a letter on file the case may not proceed where the obligation exists only once the municipality set
      it in writing (Category.written_notice: an appointment, the action plan, an assignment); elsewhere the
      caseworker weighs whether the client knew what was asked.
    - Health, care duties and other urgent reasons are weighed: they bear on culpability (art. 18 lid 9) and on
      lowering the reduction (art. 18 lid 10). They never stop the case by themselves; the hearing decides.
    - The breach number: see breach_number (window: sanction_repeat_window_months).
    Categories without an obligation (insufficient responsibility) skip the first two checks.
    """
    c = category(category_key)
    date = {"date": _d(breach_on)}
    blocks: list[Check] = []
    weigh: list[Check] = []
    if c.obligation is not None and exempt:
        blocks.append(Check("exempt", str(CHECK_TEXT["exempt"] % date)))
    if c.obligation is not None and not obligation_in_force:
        blocks.append(Check("not_in_force", str(CHECK_TEXT["not_in_force"] % date)))
    if not communicated_in_writing:
        (blocks if c.written_notice else weigh).append(
            Check("no_letter", str(CHECK_TEXT["no_letter" if c.written_notice else "no_letter_weigh"]))
        )
    for code, present in (
        ("health", health_limitation),
        ("care", care_duty),
        ("urgent_reasons", urgent_reasons),
        ("language_effort", c.regime == LANGUAGE_STEPS),
    ):
        if present:
            weigh.append(Check(code, str(CHECK_TEXT[code])))
    number, repeat_of = breach_number(
        category_key=category_key,
        breach_on=breach_on,
        earlier=earlier,
        window_months=rules["sanction_repeat_window_months"],
    )
    return Precheck(
        may_proceed=not blocks,
        blocks=tuple(blocks),
        weigh=tuple(weigh),
        breach_number=number,
        repeat_of=repeat_of,
        obligation=c.obligation,
        article=c.article,
    )


# --- the proposed reduction ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    category: str
    breach_number: int
    pct: int
    months: int
    article: str
    source: str  # plain Dutch: where the percentage and the period come from


def _step(table: Mapping, n: int, name: str):
    """The entry of a table keyed "1", "2", … for breach number n: the highest key not above n (beyond the last
    entry the last applies)."""
    keys = [int(k) for k in table if int(k) <= n]
    if not keys:
        raise ValueError(f"{name} has no entry for breach number {n}")
    return table[str(max(keys))]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def uniform_months(breach_number: int, rules: Mapping) -> int:
    """The period of the 100% reduction for the uniform work obligations (art. 18 lid 5-7).

    - lid 5: the ordinance sets the period for a first breach, at least min_months (1), at most max_months (3); but
      not the maximum itself when the law leaves room above it, because lid 6 requires a repeat to be punished
      longer (Rb Amsterdam 10-07-2017, ECLI:NL:RBAMS:2017:5710: 3 months at a first breach conflicts with lid 6);
    - lid 6: a repeat within 12 months: the ordinance's period, longer than the first and at most max_months;
    - lid 7: each further repeat: max_months (3).
    The ordinance's months per breach number come from sanction_uniform_months (beyond the last entry the last).
    """
    legal = rules["sanction_uniform"]
    low, high = legal["min_months"], legal["max_months"]
    ordinance = rules["sanction_uniform_months"]
    first = _clamp(_step(ordinance, 1, "sanction_uniform_months"), low, high - 1 if high > low else high)
    if breach_number <= 1:
        return first
    if breach_number == 2:
        return _clamp(_step(ordinance, 2, "sanction_uniform_months"), min(first + 1, high), high)
    return high


def proposal(category_key: str, breach_number: int, rules: Mapping) -> Proposal:
    """The reduction trede proposes for a culpable breach, from the rules valid on the breach date.

    - art. 18 lid 2: the ordinance's tiers (sanction_tiers: breach number -> [percentage, months]); a number beyond
      the last tier uses the last;
    - art. 18 lid 4-8: sanction_uniform's percentage (100%) for the period of uniform_months;
    - art. 18b: the language steps (sanction_language_steps: 20% 6 months, 40% 6 months, then 100%); beyond the last
      step the last.
    The caseworker may lower it (art. 18 lid 10, see lowered); never raise it.
    """
    if breach_number < 1:
        raise ValueError("the breach number starts at 1")
    c = category(category_key)
    n = breach_number
    window = rules["sanction_repeat_window_months"]
    if c.regime == ORDINANCE:
        pct, months = _step(rules["sanction_tiers"], n, "sanction_tiers")
        if n == 1:
            source = _("Afstemmingsverordening: de eerste keer (art. 18 lid 2 Participatiewet).")
        else:
            source = _(
                "Afstemmingsverordening: keer %(n)d binnen %(window)d maanden na een eerdere maatregel voor hetzelfde "
                "gedrag (art. 18 lid 2 Participatiewet)."
            ) % {"n": n, "window": window}
    elif c.regime == UNIFORM:
        pct, months = rules["sanction_uniform"]["pct"], uniform_months(n, rules)
        if n == 1:
            source = _(
                "De wet schrijft voor: %(pct)d%% bij werkverplichtingen; de duur staat in de afstemmingsverordening "
                "(art. 18 lid 4 en lid 5 Participatiewet)."
            ) % {"pct": pct}
        elif n == 2:
            source = _(
                "De wet schrijft voor: %(pct)d%% en langer dan de eerste keer, omdat het binnen %(window)d maanden "
                "opnieuw gebeurde (art. 18 lid 6 Participatiewet)."
            ) % {"pct": pct, "window": window}
        else:
            source = _(
                "De wet schrijft voor: %(pct)d%% voor de langste duur, omdat het binnen %(window)d maanden na een "
                "herhaling weer gebeurde (art. 18 lid 7 Participatiewet)."
            ) % {"pct": pct, "window": window}
        wish = _step(rules["sanction_uniform_months"], n, "sanction_uniform_months")
        if wish != months:
            overruled = _(
                "De afstemmingsverordening noemt %(wish)d maanden, maar de wet staat dat hier niet toe "
                "(art. 18 lid 5-7 Participatiewet; ECLI:NL:RBAMS:2017:5710)."
            ) % {"wish": wish}
            source = f"{source} {overruled}"
    else:
        pct, months = _step(rules["sanction_language_steps"], n, "sanction_language_steps")
        source = _("De wet schrijft voor: stap %(n)d van de verlaging bij de taaleis (art. 18b Participatiewet).") % {
            "n": min(n, max(int(k) for k in rules["sanction_language_steps"]))
        }
    return Proposal(
        category=c.key,
        breach_number=n,
        pct=int(pct),
        months=int(months),
        article=c.article,
        source=str(source),
    )


def period_text(pct: int, months: int) -> str:
    """The reduction in plain Dutch for the proposal and the letter, e.g. 30% gedurende 1 maand."""
    return ngettext("%(pct)d%% gedurende %(months)d maand", "%(pct)d%% gedurende %(months)d maanden", months) % {
        "pct": pct,
        "months": months,
    }


def lowered(proposed: Proposal, lowered_pct: int, lowered_months: int, reason: str) -> dict[str, str]:
    """What is wrong with the caseworker's lower reduction (field -> message); empty when it may stand.

    Art. 18 lid 10: for urgent reasons the reduction may be adjusted to the circumstances, down to none at all; the
    same for a client who is only partly culpable. trede allows only lower: neither the percentage nor the period may
    exceed the proposal, at least one must be lower (otherwise keep the proposal), and the reason is mandatory.
    """
    problems: dict[str, str] = {}
    if not 0 <= lowered_pct <= proposed.pct:
        problems["pct"] = str(
            _("Het percentage mag alleen lager worden: tussen 0%% en %(pct)d%%.") % {"pct": proposed.pct}
        )
    if not 0 <= lowered_months <= proposed.months:
        problems["months"] = str(
            _("De duur mag alleen korter worden: tussen 0 en %(months)d maanden.") % {"months": proposed.months}
        )
    if not problems and (lowered_pct, lowered_months) == (proposed.pct, proposed.months):
        problems["pct"] = str(_("Maak het percentage of de duur lager, of neem het voorstel over."))
    if not (reason or "").strip():
        problems["reason"] = str(_("Schrijf de reden op: welke dringende redenen of omstandigheden er zijn."))
    return problems


# --- culpability --------------------------------------------------------------------------------------------------
FULL, PARTIAL, NONE = "full", "partial", "none"
FINDING_CHOICES = [
    (FULL, _("Volledig verwijtbaar")),
    (PARTIAL, _("Deels verwijtbaar")),
    (NONE, _("Niet verwijtbaar")),
]


@dataclass(frozen=True)
class CulpabilityOutcome:
    finding: str
    sanction: bool  # the case goes on to a decision with a reduction
    may_lower: bool  # the reduction may be lowered because of the finding itself
    article: str
    text: str


def culpability_outcome(finding: str) -> CulpabilityOutcome:
    """What the culpability assessment (verwijtbaarheid) means for the case.

    Art. 18 lid 9: no reduction when every form of culpability is absent: the case ends without a sanction (and that
    is recorded). Partly culpable: the reduction goes on but may be lowered (art. 18 lid 10, with the reason).
    Fully culpable: the proposal applies; lowering is still possible for urgent reasons.
    """
    if finding == FULL:
        return CulpabilityOutcome(
            FULL,
            True,
            False,
            "art. 18 lid 2-8 Participatiewet",
            str(_("De cliënt is verwijtbaar: de maatregel geldt.")),
        )
    if finding == PARTIAL:
        return CulpabilityOutcome(
            PARTIAL,
            True,
            True,
            "art. 18 lid 10 Participatiewet",
            str(_("De cliënt is deels verwijtbaar: de maatregel mag lager worden. Schrijf op waarom.")),
        )
    if finding == NONE:
        return CulpabilityOutcome(
            NONE,
            False,
            False,
            "art. 18 lid 9 Participatiewet",
            str(_("De cliënt is niets te verwijten: er komt geen maatregel.")),
        )
    raise ValueError(f"unknown culpability finding {finding!r}")


# --- the reduction in money -------------------------------------------------------------------------------------


MAX_SPREAD_MONTHS = 3  # art. 18 lid 5: over at most three months


def spread_schedule(regime_key: str, pct: int, months: int, over: int) -> list[int]:
    """Spreading a uniform reduction (art. 18 lid 5 Participatiewet: the college may spread the reduction over at
    most three months, with at least a third of it in the first): the percentage of each month when `pct` percent
    for `months` months is spread over `over` months. The whole (pct x months percent-months) stays the same; it is
    divided as evenly as whole percentages allow, the larger parts first, so the first month always carries at
    least a third. Only for the uniform work obligations, and only to spread over more months than decided.
    Raises ValueError otherwise."""
    if regime_key != UNIFORM:
        raise ValueError("only a reduction for the uniform work obligations (art. 18 lid 4) can be spread")
    if not months < over <= MAX_SPREAD_MONTHS:
        raise ValueError(f"spread over more than {months} and at most {MAX_SPREAD_MONTHS} months")
    total = pct * months
    base, extra = divmod(total, over)
    schedule = [base + 1] * extra + [base] * (over - extra)
    if 3 * schedule[0] < total or max(schedule) > 100:  # never happens with over <= 3; the law's floor, checked
        raise ValueError("the first month must carry at least a third")
    return schedule


def monthly_reduction(norm_amount_cents: int, pct: int) -> int:
    """The reduction in euro cents per month: pct percent of the applicable norm (the ordinances reduce the
    bijstandsnorm), rounded down to the cent so that the letter never states more than the percentage allows
    (the client gets the benefit of the rounding, at most 1 cent a month). Integer arithmetic: no float errors.
    """
    if norm_amount_cents < 0:
        raise ValueError("the norm cannot be negative")
    if not 0 <= pct <= 100:
        raise ValueError("a reduction is a percentage from 0 to 100")
    return norm_amount_cents * pct // 100


def reduction_last_day(start_on: dt.date, months: int) -> dt.date:
    """The last day of a reduction of `months` calendar months starting on `start_on`."""
    return add_months(start_on, months) - dt.timedelta(days=1)


def revised_period(start_on: dt.date, end_on: dt.date | None, complies_on: dt.date) -> tuple[int, dt.date | None]:
    """Revision once the client complies (art. 18 lid 11 Participatiewet: the college revises the decision on request
    when the person shows that they again comply): the reduction ends on the day before `complies_on`. Returns the
    number of calendar months begun until then and the new last day; (0, None) when the client complied before the
    reduction began. A revision never lengthens the reduction."""
    if complies_on <= start_on:
        return 0, None
    last = complies_on - dt.timedelta(days=1)
    if end_on is not None and last >= end_on:
        raise ValueError("a revision ends the reduction before its last day")
    months = 0
    while reduction_last_day(start_on, months) < last:
        months += 1
    return months, last


# --- deadlines ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    source: str


def hearing_deadline(sent_on: dt.date, rules: Mapping) -> Deadline:
    """The last day for the client's view (zienswijze) before an adverse decision: hearing_term_days (ordinance or
    local rule; 14) from the day after the hearing invitation was sent, on the working-day calendar (Algemene
    termijnenwet: a term ending on a weekend or public holiday ends on the next working day)."""
    days = rules["hearing_term_days"]
    source = _("Awb 4:8; %(days)d dagen (lokale regel); Algemene termijnenwet") % {"days": days}
    return Deadline(term_end(sent_on, days=days), str(source))


def objection_deadline(sent_on: dt.date, rules: Mapping) -> Deadline:
    """The last day to object: objection_term_weeks (6) starting the day after the decision was sent (Awb 6:7,
    6:8 lid 1), extended to the next working day (Algemene termijnenwet art. 1)."""
    weeks = rules["objection_term_weeks"]
    source = _("Awb 6:7 en 6:8 lid 1 (%(weeks)d weken); Algemene termijnenwet") % {"weeks": weeks}
    return Deadline(term_end(sent_on, weeks=weeks), str(source))


def objection_decision_deadline(objection_term_ends_on: dt.date, rules: Mapping, *, extended: bool = False) -> Deadline:
    """The last day to decide on an objection: objection_decision_weeks (6) from the day after the objection term
    ended (Awb 7:10 lid 1), or objection_committee_decision_weeks (12) where an advisory committee advises on
    objections (objection_advisory_committee "yes"; Awb 7:10 lid 1 second sentence, 7:13), plus
    objection_extension_weeks (6) when extended (lid 3), all counted from the same start on the working-day
    calendar."""
    committee = rules.get("objection_advisory_committee", "no") == "yes"
    weeks = rules["objection_committee_decision_weeks"] if committee else rules["objection_decision_weeks"]
    if extended:
        weeks += rules["objection_extension_weeks"]
        article = _("Awb 7:10 lid 1 en 3, 7:13") if committee else _("Awb 7:10 lid 1 en 3")
        source = _("%(article)s (%(weeks)d weken met verlenging); Algemene termijnenwet") % {
            "article": article,
            "weeks": weeks,
        }
    else:
        article = _("Awb 7:10 lid 1 en 7:13") if committee else _("Awb 7:10 lid 1")
        source = _("%(article)s (%(weeks)d weken); Algemene termijnenwet") % {"article": article, "weeks": weeks}
    return Deadline(term_end(objection_term_ends_on, weeks=weeks), str(source))


def reconsideration_deadline(start_on: dt.date, rules: Mapping) -> Deadline:
    """The latest date to reconsider a reduction: at most sanction_reconsider_months (3) after it started (art. 18
    lid 3: "binnen een door hem te bepalen termijn die ten hoogste drie maanden bedraagt").

    This is the college's own maximum, not a term for the client: when the date falls on a weekend or public holiday
    the deadline moves back to the last working day before it, so that the due list never lets it pass 3 months.
    """
    months = rules["sanction_reconsider_months"]
    due = add_months(start_on, months)
    while not is_working_day(due):
        due -= dt.timedelta(days=1)
    source = _("art. 18 lid 3 Participatiewet (hoogstens %(months)d maanden)") % {"months": months}
    return Deadline(due, str(source))


def overdue(due: dt.date, today: dt.date) -> bool:
    """A deadline is missed from the day after its last day."""
    return today > due
