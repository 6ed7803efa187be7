"""Synthetic sanction cases (issue 7): cases opened from a breach with their prechecks, hearings, culpability
assessments, decisions proposed from the rule set and approved by a second person, objections with new decisions, and
appeals. Part of the generator (trede.synth.generator), deterministic, on its own random stream.

Who and when is drawn vectorised per chunk of clients: about CASES_PER_100_PER_YEAR cases a year per 100 clients on
benefit (an assumption: no public figure in /work/shared/domain; with the shares below about two in three cases end in
a reduction), more for young people and for men and less for those with severe health problems (the pattern that the
overview of issue 7 is meant to make visible); each breach on a day the client was on benefit and not today. The kind
of breach is drawn among the categories whose obligation applied to the client on that day and from which the client
was not exempt (the exemption spans of the chunk: the one definition of "in force" that
trede.obligations.models.ExemptionQuerySet.active_on applies), so no case is ever opened on an exempt obligation. The
procedure of each case is then played out in order with the pure rules of trede.sanctions.rules, the way the services
would, each step a few days after the one before, until `today` stops it: the prechecks (rules.prechecks on the facts
of the breach day, with the client's earlier cases as they stood when the case was opened, so the breach number
escalates as art. 18 lid 6-7 and the ordinance want), the hearing with its term (a view, or no response recorded only
after the term; a few never recorded, so the due page has overdue hearings), the culpability assessment (not culpable
closes the case), the decision from the rule set (lower only, with the reason: partly culpable, or urgent reasons), its
approval by the team lead of the caseworker's team (never the one who proposed it), sending, the reconsideration within
3 months, an objection for some (late ones marked, some terms extended), its outcome as a new decision that supersedes
the old one, and an appeal for a few. What `today` cuts off stays in its stage: open, hearing, assessed, a draft, an
approved decision not yet sent, an objection or appeal pending.

The facts of the prechecks come from the chunk: the obligation applied (work and cooperation throughout a benefit
period, the language requirement while it was imposed), not exempt, health and care duties from the circumstances
recorded by the breach day, urgent reasons from an urgent-reasons exemption started by then. The outreach letters and
appointments are not generated, so no evidence is linked; where the obligation exists only in writing the case records
that the letter was on file, except for a share stopped for want of one (the only kind of stopped case: an exempt
obligation or one not in force is never drawn). The tegenprestatie is left out (enforced by few municipalities).
Decision letters (PDF) are not made. The rule values come from the Spec (spec.sanction_rules, the rules valid on
`today`), so the generator never reads the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from trede.sanctions import rules as R
from trede.sanctions.models import Appeal, Assessment, Decision, Hearing, Objection, SanctionCase

MODELS = (SanctionCase, Hearing, Assessment, Decision, Objection, Appeal)

# The rule values the generator needs (legal and local), as in the shipped rule sets of 2015-01-01 (and migration
# 0012 of core: the advisory committee on objections). Spec keeps them
# as canonical JSON text (rules_text), so that a Spec stays hashable and the generator needs no database.
RULE_KEYS = (
    "benefit_norm_cents",
    "hearing_term_days",
    "objection_advisory_committee",
    "objection_committee_decision_weeks",
    "objection_decision_weeks",
    "objection_extension_weeks",
    "objection_term_weeks",
    "sanction_language_steps",
    "sanction_reconsider_months",
    "sanction_repeat_window_months",
    "sanction_tiers",
    "sanction_uniform",
    "sanction_uniform_months",
)
SHIPPED_RULES = {
    "benefit_norm_cents": {"single": 140150, "couple": 200213, "cost_sharer": 100107},
    "hearing_term_days": 14,
    "objection_advisory_committee": "no",
    "objection_committee_decision_weeks": 12,
    "objection_decision_weeks": 6,
    "objection_extension_weeks": 6,
    "objection_term_weeks": 6,
    "sanction_language_steps": {"1": [20, 6], "2": [40, 6], "3": [100, 6]},
    "sanction_reconsider_months": 3,
    "sanction_repeat_window_months": 12,
    "sanction_tiers": {"1": [5, 1], "2": [30, 1], "3": [100, 1]},
    "sanction_uniform": {"pct": 100, "min_months": 1, "max_months": 3},
    "sanction_uniform_months": {"1": 1, "2": 2, "3": 3},
}


def _canonical(values: dict) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


SHIPPED_RULES_TEXT = _canonical(SHIPPED_RULES)


def rules_text(rules) -> str:
    """The sanction rule values of a rule set (core.selectors.rules_on) as the Spec keeps them; a key the rule set
    lacks keeps the shipped value."""
    values = {}
    for key in RULE_KEYS:
        try:
            values[key] = json.loads(json.dumps(rules[key]))
        except KeyError:
            values[key] = SHIPPED_RULES[key]
    return _canonical(values)


# --------------------------------------------------------------------------------------------------
# Volumes and shares (assumptions, see the module docstring)

CASES_PER_100_PER_YEAR = 5.0
MAX_CASES_PER_CLIENT = 3
AGE_RISK = ((27, 1.8), (50, 1.0), (200, 0.5))  # (below age, relative rate)
MEN_RISK, WOMEN_RISK = 1.3, 0.8
SEVERE_HEALTH_RISK = 0.5
FRAILTY_SHAPE = 0.3  # variance 3.3: repeats are concentrated in a few clients
# days between the steps (uniform 0..n): the municipality's own pace
DAYS_TO_OPEN, DAYS_TO_INVITE, DAYS_TO_ASSESS, DAYS_TO_PROPOSE, DAYS_TO_APPROVE, DAYS_TO_SEND = 21, 14, 21, 10, 10, 5
# breach categories (rules.CATEGORIES) and their weight among breaches; drawn among those that apply on the day
CATEGORY_WEIGHTS = {
    "no_show": 0.34,
    "action_plan": 0.10,
    "search_effort": 0.14,
    "insufficient_responsibility": 0.03,
    "refused_work": 0.07,
    "not_keeping_work": 0.05,
    "not_registering": 0.03,
    "not_searching": 0.01,
    "travel": 0.01,
    "moving": 0.01,
    "training": 0.04,
    "appearance": 0.02,
    "not_cooperating_uniform": 0.07,
    "language": 0.08,
}
NO_LETTER_SHARE = 0.05  # written-notice breaches stopped for want of a letter on file
OTHER_LETTER_SHARE = 0.85  # other breaches: a letter on file all the same
RESPONDED_SHARE = 0.65  # the client gave their view at the hearing
HEARING_FORGOTTEN_SHARE = 0.03  # a hearing never recorded (overdue on the due page)
FINDING_P = {"plain": (0.64, 0.18, 0.18), "weigh": (0.40, 0.30, 0.30)}  # full, partial, none
LOWERED_FOR_URGENT_REASONS = 0.08  # fully culpable, lowered for urgent reasons all the same (art. 18 lid 10)
RECONSIDERED_SHARE = 0.75
OBJECTION_SHARE = 0.15  # of decisions with a reduction
LATE_OBJECTION_SHARE = 0.08
EXTENDED_SHARE = 0.15
OBJECTION_LATE_DECISION_SHARE = 0.10  # decided after the decision term (a missed internal deadline)
OBJECTION_OUTCOMES = {"rejected": 0.55, "partly": 0.20, "upheld": 0.15, "withdrawn": 0.10}
APPEAL_SHARE = 0.12  # of objections rejected or partly upheld
APPEAL_OUTCOMES = {"rejected": 0.70, "upheld": 0.10, "partly": 0.10, "withdrawn": 0.10}
COURTS = ("Rechtbank Rotterdam", "Rechtbank Den Haag", "Rechtbank Midden-Nederland")

DESCRIPTIONS = {
    "no_show": (
        "Niet gekomen op de afspraak over werk, zonder af te melden.",
        "Niet verschenen op het gesprek over het plan van aanpak.",
        "Niet gekomen op de afspraak bij het werkgeversservicepunt.",
    ),
    "action_plan": (
        "De afspraken uit het plan van aanpak niet nagekomen.",
        "Niet begonnen aan de cursus uit het plan van aanpak.",
    ),
    "search_effort": (
        "Vier weken geen sollicitaties laten zien.",
        "Minder gesolliciteerd dan afgesproken.",
    ),
    "insufficient_responsibility": ("Vrijwillig minder gaan werken en daardoor meer bijstand nodig.",),
    "refused_work": ("Aangeboden werk als orderpicker geweigerd.", "Een aangeboden baan in de schoonmaak geweigerd."),
    "not_keeping_work": ("Ontslagen na herhaald te laat komen.", "Zelf ontslag genomen zonder goede reden."),
    "not_registering": ("Niet ingeschreven bij een uitzendbureau zoals gevraagd.",),
    "not_searching": ("Geen werk gezocht in de nieuwe gemeente voor de verhuizing.",),
    "travel": ("Werk geweigerd omdat de reis te lang zou zijn (minder dan 3 uur per dag).",),
    "moving": ("Niet bereid te verhuizen voor een vaste baan.",),
    "training": ("Gestopt met de opleiding tot heftruckchauffeur die nodig was voor werk.",),
    "appearance": ("Sollicitatiegesprek verstoord door gedrag.",),
    "not_cooperating_uniform": ("Niet meegewerkt aan een proefplaatsing.", "Niet meegewerkt aan het werkfit-traject."),
    "language": ("Niet naar de taallessen gegaan en geen andere moeite gedaan om Nederlands te leren.",),
}
STATEMENTS = (
    "Ik had geen oppas voor de kinderen.",
    "Ik heb de brief te laat gelezen.",
    "Ik was ziek maar heb mij niet afgemeld.",
    "Ik had geen geld voor de bus.",
    "Ik dacht dat de afspraak een week later was.",
    "Ik vond het werk te zwaar voor mijn rug.",
    "Ik heb het vergeten, het spijt me.",
)
REASONING = {
    R.FULL: (
        "De cliënt had geen geldige reden en had zich kunnen afmelden.",
        "De uitleg van de cliënt verklaart niet waarom de afspraak niet werd nagekomen.",
    ),
    R.PARTIAL: (
        "De zorg voor de kinderen speelde mee, maar de cliënt had contact kunnen opnemen.",
        "De gezondheidsklachten verklaren een deel; de rest is de cliënt te verwijten.",
    ),
    R.NONE: (
        "De cliënt lag in het ziekenhuis en kon niets doen.",
        "De brief is naar een oud adres gestuurd: de cliënt wist het niet.",
    ),
}
NO_RESPONSE_REASONING = "De cliënt reageerde niet binnen de termijn; in het dossier staat geen reden."
LOWERED_PARTIAL = "Deels verwijtbaar: de maatregel is lager (art. 18 lid 10 Participatiewet)."
LOWERED_URGENT = "Dringende redenen: de cliënt heeft hoge schulden en kinderen thuis (art. 18 lid 10)."
RECONSIDERATION_NOTES = (
    "Besproken met de cliënt: de maatregel blijft, de cliënt komt de afspraken nu na.",
    "Heroverwogen: geen nieuwe feiten, de maatregel blijft.",
)
OBJECTION_REASONING = {
    "rejected": "De maatregel is terecht opgelegd: de cliënt is gehoord en er was geen geldige reden.",
    "partly": "De omstandigheden van de cliënt wegen zwaarder dan eerst gedacht: de maatregel wordt lager.",
    "upheld": "De cliënt heeft de uitnodiging aantoonbaar niet ontvangen: de maatregel vervalt.",
    "withdrawn": "De cliënt heeft het bezwaar ingetrokken na het gesprek.",
}
APPEAL_NOTES = {
    "rejected": "De rechtbank verklaart het beroep ongegrond.",
    "upheld": "De rechtbank vernietigt de beslissing op bezwaar.",
    "partly": "De rechtbank verklaart het beroep deels gegrond.",
    "withdrawn": "Het beroep is ingetrokken.",
}


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 5, *stream])))


@dataclass
class SanctionFacts:
    """What chunk_rows needs of the rest of the chunk (0-based local client indexes; days as day numbers)."""

    lo: int
    cid: np.ndarray  # relative client ids
    today: int
    w: int  # first day of the history window
    spans: tuple  # (lo1, hi1, lo2, hi2): the days on benefit in the window (second span empty when hi2 < lo2)
    age: np.ndarray
    female: np.ndarray
    health: np.ndarray  # the recorded health (the same in every recording)
    care: np.ndarray
    recorded_from: np.ndarray  # the first circumstances recording
    norm: np.ndarray  # the benefit norm (single, couple, cost_sharer)
    exemptions: dict  # obligation -> (owner, start, last day (NEVER: open)), from the exemption rows
    urgent_from: np.ndarray  # the first start of an urgent-reasons exemption (NEVER: none)
    language: tuple  # (owner, start, end (-1: open)): the language requirement imposed


NEVER = 10**9


def _covers(owner: np.ndarray, day: np.ndarray, s_owner, s_start, s_last) -> np.ndarray:
    """For (owner, day) pairs: does a span of that owner cover the day? (spans need not be sorted)"""
    from trede.synth.employers import Spans

    return Spans(np.asarray(s_owner), np.asarray(s_start), np.asarray(s_last)).covers(owner, day)


@lru_cache(maxsize=8192)
def _date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def _num(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


class _Terms:
    """The procedure's terms on the working-day calendar, memoised per day (most cases share their days)."""

    def __init__(self, rules: dict) -> None:
        self.rules = rules
        self.hearing = lru_cache(maxsize=None)(lambda d: _num(R.hearing_deadline(_date(d), rules).due))
        self.objection = lru_cache(maxsize=None)(lambda d: _num(R.objection_deadline(_date(d), rules).due))
        self.decide = lru_cache(maxsize=None)(
            lambda d, ext: _num(R.objection_decision_deadline(_date(d), rules, extended=ext).due)
        )
        self.reconsider = lru_cache(maxsize=None)(lambda d: _num(R.reconsideration_deadline(_date(d), rules).due))
        self.proposal = lru_cache(maxsize=None)(lambda cat, n: R.proposal(cat, n, rules))


def _next_month_first(day: int) -> int:
    d = _date(day)
    return _num(dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1))


def chunk_rows(pop, spec, chunk: int, hi: int, facts: SanctionFacts, ids, caseworker_at) -> list:
    """The sanction cases of the clients facts.lo..hi-1 with their hearings, assessments, decisions, objections and
    appeals (see the module docstring)."""
    from django.utils import translation

    with translation.override("nl"):
        return _chunk_rows(pop, spec, chunk, hi, facts, ids, caseworker_at)


def _chunk_rows(pop, spec, chunk: int, hi: int, facts: SanctionFacts, ids, caseworker_at) -> list:
    from trede.synth.generator import Batch, as_date, expand, in_spans, obj

    rng = _rng(spec.seed, 2, chunk)
    rules = json.loads(spec.sanction_rules)
    terms = _Terms(rules)
    today = facts.today
    lo1, hi1, lo2, hi2 = facts.spans
    hi1 = np.minimum(hi1, today - 1)
    hi2 = np.minimum(hi2, today - 1)
    days_on = np.maximum(hi1 - lo1 + 1, 0) + np.maximum(hi2 - lo2 + 1, 0)

    # ---- who and when: a Poisson number of breaches per client, by time on benefit in the window and risk
    age_risk = np.select([facts.age < a for a, _r in AGE_RISK], [r for _a, r in AGE_RISK], AGE_RISK[-1][1])
    risk = (
        age_risk
        * np.where(facts.female, WOMEN_RISK, MEN_RISK)
        * np.where(facts.health == "severe", SEVERE_HEALTH_RISK, 1.0)
    )
    # a frailty per client (gamma, mean 1): some clients breach again and again, most never
    frailty = rng.gamma(FRAILTY_SHAPE, 1 / FRAILTY_SHAPE, len(days_on))
    expected = CASES_PER_100_PER_YEAR / 100 * days_on / 365.25 * risk * frailty
    k = np.minimum(rng.poisson(expected), MAX_CASES_PER_CLIENT)
    k = np.where(days_on > 0, k, 0)
    owner, _rank = expand(k)
    breach = in_spans(rng, lo1[owner], hi1[owner], lo2[owner], hi2[owner])
    order = np.lexsort((breach, owner))
    owner, breach = owner[order], breach[order]
    m = len(owner)

    # ---- the kind of breach: among the categories whose obligation applied that day, without an exemption
    names = list(CATEGORY_WEIGHTS)
    weights = np.tile(np.array([CATEGORY_WEIGHTS[c] for c in names]), (m, 1))
    applies = {}
    for obligation in (R.WORK, R.COOPERATION, R.LANGUAGE):
        ex_owner, ex_start, ex_last = facts.exemptions.get(obligation, (np.zeros(0, "int64"),) * 3)
        exempt = _covers(owner, breach, ex_owner, ex_start, ex_last)
        if obligation == R.LANGUAGE:
            l_owner, l_start, l_end = facts.language
            in_force = _covers(owner, breach, l_owner, l_start, np.where(np.asarray(l_end) < 0, NEVER, l_end))
        else:  # work and cooperation are imposed for every benefit period (trede.synth.generator)
            in_force = np.ones(m, dtype=bool)
        applies[obligation] = in_force & ~exempt
    for j, name in enumerate(names):
        obligation = R.category(name).obligation
        if obligation is not None:
            weights[:, j] *= applies[obligation]
    cum = np.cumsum(weights, axis=1)
    draw = rng.random(m) * cum[:, -1]
    category = np.array(names, dtype=object)[np.minimum((cum < draw[:, None]).sum(axis=1), len(names) - 1)]
    # draws for every case up front (the stream does not depend on the outcome of the procedure)
    u = rng.random((m, 24))
    pick = rng.integers(0, 1 << 30, (m, 8))
    opened_all = breach + 1 + (u[:, 0] * DAYS_TO_OPEN).astype("int64")
    cw_all = caseworker_at(owner, np.minimum(opened_all, today - 1)) if m else np.zeros(0, dtype="int64")
    lead_all = pop.staff.lead_user(pop.staff.team_of_caseworker[cw_all - 1]) if m else np.zeros(0, dtype="int64")

    # ---- the procedure, case by case
    cases, hearings, assessments, decisions, objections, appeals = [], [], [], [], [], []
    history: dict[int, list] = {}  # owner -> earlier cases: (category, breach day, opened day, [decision dicts])
    for i in range(m):
        o, day, cat = int(owner[i]), int(breach[i]), str(category[i])
        ui, pi = u[i].tolist(), pick[i].tolist()
        opened = int(opened_all[i])
        if opened >= today:
            continue  # not reported yet
        c = R.category(cat)
        cw, lead = int(cw_all[i]), int(lead_all[i])  # the caseworker of the day, the team lead of that team
        # where the obligation exists only in writing a few lack the letter (stopped); elsewhere most have one
        written = ui[1] >= NO_LETTER_SHARE if c.written_notice else ui[1] < OTHER_LETTER_SHARE
        recorded = facts.recorded_from[o] <= day
        case_facts = {
            "obligation_in_force": True,
            "exempt": False,
            "communicated_in_writing": bool(written),
            "health_limitation": bool(recorded and facts.health[o] in ("some", "severe")),
            "care_duty": bool(recorded and facts.care[o]),
            "urgent_reasons": bool(facts.urgent_from[o] <= day),
        }
        earlier = [
            R.EarlierBreach(e_cat, _date(e_day), _sanctioned_on(e_decisions, opened))
            for e_cat, e_day, _e_opened, e_decisions in history.get(o, [])
        ]
        check = R.prechecks(category_key=cat, breach_on=_date(day), earlier=earlier, rules=rules, **case_facts)
        case_id = len(cases) + 1
        case = {
            "owner": o,
            "category": cat,
            "breach_on": day,
            "description": DESCRIPTIONS[cat][pi[0] % len(DESCRIPTIONS[cat])],
            "checks": _canonical(
                {
                    "facts": case_facts,
                    "may_proceed": check.may_proceed,
                    "blocks": [[x.code, x.text] for x in check.blocks],
                    "weigh": [[x.code, x.text] for x in check.weigh],
                    "article": check.article,
                }
            ),
            "breach_number": check.breach_number,
            "status": "open" if check.may_proceed else "stopped",
            "closed_reason": "" if check.may_proceed else " ".join(x.text for x in check.blocks),
            "created_by": cw,
            "created_at": opened,
        }
        cases.append(case)
        own_decisions: list[dict] = []
        history.setdefault(o, []).append((cat, day, opened, own_decisions))
        if not check.may_proceed:
            continue

        # hearing: the invitation, the term, the client's view or none (recorded only after the term)
        invited = opened + int(ui[2] * (DAYS_TO_INVITE + 1))
        if invited >= today:
            continue
        respond_by = terms.hearing(invited)
        responded = ui[3] < RESPONDED_SHARE
        if responded:
            held = invited + 1 + int(ui[4] * max(respond_by - invited, 1))
            record_day = held
        else:
            held = -1
            record_day = respond_by + 1 + int(ui[4] * 10)
        hearing = {
            "case": case_id,
            "invited_on": invited,
            "respond_by": respond_by,
            "held_on": -1,
            "responded": None,
            "statement": "",
            "recorded_by": -1,
        }
        hearings.append(hearing)
        case["status"] = "hearing"
        if record_day >= today or ui[5] < HEARING_FORGOTTEN_SHARE:
            continue
        hearing.update(
            held_on=held,
            responded=bool(responded),
            statement=STATEMENTS[pi[1] % len(STATEMENTS)] if responded else "",
            recorded_by=cw,
        )

        # culpability
        assessed = record_day + int(ui[6] * (DAYS_TO_ASSESS + 1))
        if assessed >= today:
            continue
        weigh = bool(check.weigh) and any(x.code in ("health", "care", "urgent_reasons") for x in check.weigh)
        p_full, p_partial, _p_none = FINDING_P["weigh" if weigh and responded else "plain"]
        finding = R.FULL if ui[7] < p_full else R.PARTIAL if ui[7] < p_full + p_partial else R.NONE
        reasoning = (
            NO_RESPONSE_REASONING
            if finding == R.FULL and not responded
            else REASONING[finding][pi[2] % len(REASONING[finding])]
        )
        assessments.append(
            {"case": case_id, "finding": finding, "reasoning": reasoning, "assessed_on": assessed, "by": cw}
        )
        outcome = R.culpability_outcome(finding)
        if not outcome.sanction:
            case["status"], case["closed_reason"] = "no_sanction", outcome.text
            continue
        case["status"] = "assessed"

        # the decision: the proposal of the rule set (valid on the breach day), lower only with the reason
        decided = assessed + int(ui[8] * (DAYS_TO_PROPOSE + 1))
        if decided >= today:
            continue
        proposal = terms.proposal(cat, check.breach_number)
        pct, months, lowered = proposal.pct, proposal.months, ""
        if finding == R.PARTIAL:
            pct, lowered = _lower(proposal.pct), LOWERED_PARTIAL
        elif ui[9] < LOWERED_FOR_URGENT_REASONS:
            pct, lowered = _lower(proposal.pct), LOWERED_URGENT
        norm = int(rules["benefit_norm_cents"][str(facts.norm[o])])
        decision = _decision(
            case_id,
            None,
            proposal,
            pct,
            months,
            lowered,
            "",
            norm,
            decided,
            cw,
            lead,
            ui[10:13],
            today,
        )
        decision["id"] = len(decisions) + 1
        decisions.append(decision)
        own_decisions.append(decision)
        if decision["status"] != "sent":
            continue
        case["status"] = "decided"
        _reconsider(decision, terms, ui[13], pi[3], today)

        # objection: a few, against a decision with a reduction
        if not (pct > 0 and months > 0) or ui[14] >= OBJECTION_SHARE:
            continue
        term_ends = terms.objection(decision["sent_on"])
        late = ui[15] < LATE_OBJECTION_SHARE
        received = term_ends + 1 + int(ui[16] * 20) if late else decision["sent_on"] + 3 + int(ui[16] * 35)
        received = min(received, term_ends) if not late else received
        if received >= today:
            continue
        extended = ui[17] < EXTENDED_SHARE
        decide_by = terms.decide(term_ends, extended)
        objection = {
            "decision": decision["id"],
            "received_on": received,
            "term_ends_on": term_ends,
            "late": bool(received > term_ends),
            "decide_by": decide_by,
            "extended": bool(extended),
            "heard_on": -1,
            "outcome": "",
            "outcome_reasoning": "",
            "decided_on": -1,
            "new_decision": -1,
            "registered_by": cw,
        }
        objections.append(objection)
        span = max(decide_by - received - 14, 1)
        objection_decided = received + 14 + int(ui[18] * span)
        if ui[19] < OBJECTION_LATE_DECISION_SHARE:
            objection_decided = decide_by + 1 + int(ui[19] * 100)
        if ui[20] < 0.6:
            objection["heard_on"] = min(received + 7 + int(ui[20] * 20), objection_decided - 1, today - 1)
        if objection_decided >= today:
            continue
        result = _choice(OBJECTION_OUTCOMES, ui[21])
        objection.update(outcome=result, outcome_reasoning=OBJECTION_REASONING[result], decided_on=objection_decided)
        if result in ("upheld", "partly"):
            new_pct, new_months = (0, 0) if result == "upheld" else (_lower(decision["pct"]), decision["months"])
            new = _decision(
                case_id,
                decision,
                proposal,
                new_pct,
                new_months,
                OBJECTION_REASONING[result],
                OBJECTION_REASONING[result],
                norm,
                objection_decided,
                cw,
                lead,
                ui[10:13][::-1],
                today,
            )
            new["id"] = len(decisions) + 1
            decisions.append(new)
            own_decisions.append(new)
            objection["new_decision"] = new["id"]
        # appeal: a few, against the decision on the objection
        if result not in ("rejected", "partly") or ui[22] >= APPEAL_SHARE:
            continue
        lodged = objection_decided + 10 + int(ui[23] * 32)
        if lodged >= today:
            continue
        judged = lodged + 90 + int(ui[22] / APPEAL_SHARE * 210)
        appeal_result = _choice(APPEAL_OUTCOMES, ui[23])
        appeals.append(
            {
                "objection": len(objections),
                "lodged_on": lodged,
                "court": COURTS[pi[4] % len(COURTS)],
                "outcome": appeal_result if judged < today else "",
                "decided_on": judged if judged < today else -1,
                "note": APPEAL_NOTES[appeal_result] if judged < today else "",
                "registered_by": cw,
            }
        )
    return _batches(facts, ids, cases, hearings, assessments, decisions, objections, appeals, Batch, as_date, obj)


def _choice(shares: dict, x: float) -> str:
    total = 0.0
    for key, p in shares.items():
        total += p
        if x < total:
            return key
    return key


def _lower(pct: int) -> int:
    """Half the percentage, down to a multiple of 5 (a 5% reduction becomes none): always lower."""
    return pct // 2 // 5 * 5


def _decision(case_id, old, proposal, pct, months, lowered, reason, norm, decided, cw, lead, u3, today) -> dict:
    """A decision proposed by the caseworker on `decided`, approved by the team lead and sent a few days later, as far
    as `today` allows. `old`: the decision it supersedes (an objection outcome)."""
    approved = decided + int(u3[0] * (DAYS_TO_APPROVE + 1))
    sent = approved + int(u3[1] * (DAYS_TO_SEND + 1))
    start = _next_month_first(sent)
    d = {
        "case": case_id,
        "supersedes": old["id"] if old is not None else -1,
        "proposed_pct": proposal.pct,
        "proposed_months": proposal.months,
        "pct": pct,
        "months": months,
        "lowered_reason": lowered,
        "article": proposal.article,
        "source": proposal.source,
        "norm": norm,
        "reduction": R.monthly_reduction(norm, pct),
        "start_on": old["start_on"] if old is not None else start,
        "reason": reason,
        "status": "draft",
        "decided_by": cw,
        "decided_on": decided,
        "approved_by": -1,
        "approved_on": -1,
        "sent_on": -1,
        "reconsidered_on": -1,
        "reconsideration_note": "",
    }
    d["end_on"] = _num(R.reduction_last_day(_date(d["start_on"]), months)) if months else -1
    if approved < today:
        d.update(status="approved", approved_by=lead, approved_on=approved)
        if sent < today:
            d.update(status="sent", sent_on=sent)
    return d


def _reconsider(decision: dict, terms: _Terms, x: float, k: int, today: int) -> None:
    """Reconsider a sent reduction within its 3 months (art. 18 lid 3), most of them."""
    if not (decision["pct"] > 0 and decision["months"] > 0) or x >= RECONSIDERED_SHARE:
        return
    due = terms.reconsider(decision["start_on"])
    first = max(decision["sent_on"], decision["start_on"]) + 14
    day = first + int(x / RECONSIDERED_SHARE * max(due - first, 0))
    if first <= due and day < today:
        decision["reconsidered_on"] = day
        decision["reconsideration_note"] = RECONSIDERATION_NOTES[k % len(RECONSIDERATION_NOTES)]


def _sanctioned_on(decisions: list[dict], on: int) -> dt.date | None:
    """As trede.sanctions.services.earlier_breaches saw an earlier case on the day `on`: the day its reduction was
    imposed (the first sent decision) when the latest decision sent by then still has a reduction, else None."""
    sent = [d for d in decisions if d["status"] == "sent" and d["sent_on"] <= on]
    if not sent or not (sent[-1]["pct"] > 0 and sent[-1]["months"] > 0):
        return None
    return _date(sent[0]["sent_on"])


def _batches(facts, ids, cases, hearings, assessments, decisions, objections, appeals, Batch, as_date, obj) -> list:
    """The rows as column batches, with relative ids continued across chunks."""

    def col(rows, key, dtype="int64"):
        return np.array([r[key] for r in rows], dtype=dtype) if rows else np.zeros(0, dtype=dtype)

    def date(rows, key):
        days = col(rows, key)
        return as_date(days, null=days < 0)

    case_ids = ids.take(SanctionCase, len(cases))
    hearing_ids = ids.take(Hearing, len(hearings))
    assessment_ids = ids.take(Assessment, len(assessments))
    decision_ids = ids.take(Decision, len(decisions))
    objection_ids = ids.take(Objection, len(objections))
    appeal_ids = ids.take(Appeal, len(appeals))
    # local row numbers (1-based within the chunk) -> relative ids
    case_of = lambda local: case_ids[np.asarray(local, dtype="int64") - 1]  # noqa: E731
    decision_id = {d["id"]: decision_ids[k] for k, d in enumerate(decisions)}

    def decision_of(values):
        return np.array([decision_id[v] if v >= 0 else -1 for v in values], dtype="int64")

    from trede.synth.generator import as_timestamp

    seconds = 9 * 3600 + (col(cases, "created_at") * 7919) % 28_800
    out = [
        Batch(
            SanctionCase,
            {
                "id": case_ids,
                "client_id": facts.cid[col(cases, "owner")],
                "category": obj(r["category"] for r in cases),
                "breach_on": date(cases, "breach_on"),
                "description": obj(r["description"] for r in cases),
                "checks": obj(r["checks"] for r in cases),
                "breach_number": col(cases, "breach_number"),
                "status": obj(r["status"] for r in cases),
                "closed_reason": obj(r["closed_reason"] for r in cases),
                "created_by_id": col(cases, "created_by"),
                "created_at": as_timestamp(col(cases, "created_at"), seconds),
            },
        ),
        Batch(
            Hearing,
            {
                "id": hearing_ids,
                "case_id": case_of(col(hearings, "case")),
                "invited_on": date(hearings, "invited_on"),
                "respond_by": date(hearings, "respond_by"),
                "held_on": date(hearings, "held_on"),
                "responded": obj(r["responded"] for r in hearings),
                "statement": obj(r["statement"] for r in hearings),
                "recorded_by_id": col(hearings, "recorded_by"),
            },
        ),
        Batch(
            Assessment,
            {
                "id": assessment_ids,
                "case_id": case_of(col(assessments, "case")),
                "finding": obj(r["finding"] for r in assessments),
                "reasoning": obj(r["reasoning"] for r in assessments),
                "assessed_on": date(assessments, "assessed_on"),
                "assessed_by_id": col(assessments, "by"),
            },
        ),
        Batch(
            Decision,
            {
                "id": decision_ids,
                "case_id": case_of(col(decisions, "case")),
                "supersedes_id": decision_of(col(decisions, "supersedes")),
                "proposed_pct": col(decisions, "proposed_pct"),
                "proposed_months": col(decisions, "proposed_months"),
                "pct": col(decisions, "pct"),
                "months": col(decisions, "months"),
                "lowered_reason": obj(r["lowered_reason"] for r in decisions),
                "article": obj(r["article"] for r in decisions),
                "source": obj(r["source"] for r in decisions),
                "norm_amount_cents": col(decisions, "norm"),
                "reduction_cents": col(decisions, "reduction"),
                "start_on": date(decisions, "start_on"),
                "end_on": date(decisions, "end_on"),
                "schedule": obj("[]" for _r in decisions),  # generated reductions are not spread (art. 18 lid 5)
                "reason": obj(r["reason"] for r in decisions),
                "status": obj(r["status"] for r in decisions),
                "decided_by_id": col(decisions, "decided_by"),
                "decided_on": date(decisions, "decided_on"),
                "approved_by_id": col(decisions, "approved_by"),
                "approved_on": date(decisions, "approved_on"),
                "sent_on": date(decisions, "sent_on"),
                "reconsidered_on": date(decisions, "reconsidered_on"),
                "reconsideration_note": obj(r["reconsideration_note"] for r in decisions),
            },
        ),
        Batch(
            Objection,
            {
                "id": objection_ids,
                "decision_id": decision_of(col(objections, "decision")),
                "received_on": date(objections, "received_on"),
                "term_ends_on": date(objections, "term_ends_on"),
                "late": col(objections, "late", bool),
                "decide_by": date(objections, "decide_by"),
                "extended": col(objections, "extended", bool),
                "heard_on": date(objections, "heard_on"),
                "outcome": obj(r["outcome"] for r in objections),
                "outcome_reasoning": obj(r["outcome_reasoning"] for r in objections),
                "decided_on": date(objections, "decided_on"),
                "new_decision_id": decision_of(col(objections, "new_decision")),
                "registered_by_id": col(objections, "registered_by"),
            },
        ),
        Batch(
            Appeal,
            {
                "id": appeal_ids,
                "objection_id": objection_ids[col(appeals, "objection") - 1] if appeals else np.zeros(0, "int64"),
                "lodged_on": date(appeals, "lodged_on"),
                "court": obj(r["court"] for r in appeals),
                "outcome": obj(r["outcome"] for r in appeals),
                "decided_on": date(appeals, "decided_on"),
                "note": obj(r["note"] for r in appeals),
                "registered_by_id": col(appeals, "registered_by"),
            },
        ),
    ]
    return out
