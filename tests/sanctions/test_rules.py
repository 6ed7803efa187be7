"""Pure rules of sanctions: the categories and their legal basis, the checks before a case proceeds, the breach number
(art. 18 lid 6-7), the proposal per article and tier (art. 18 lid 2, lid 4-8, art. 18b), lowering (lid 10),
culpability (lid 9), the reduction in cents, and the deadlines on the Dutch working-day calendar."""

from __future__ import annotations

import ast
import calendar
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trede.core
from trede.core.workdays import easter_sunday, is_working_day, public_holidays
from trede.obligations.models import ObligationKind
from trede.sanctions import rules
from trede.sanctions.rules import EarlierBreach

D = dt.date


def shipped_rules() -> dict:
    """The legal and local parameters that trede ships, merged as rules_on() merges them (no database needed)."""
    folder = Path(trede.core.__file__).resolve().parent / "rulesets"
    merged: dict = {}
    for name in ("2015-01-01-legal.json", "2015-01-01-local.json"):
        merged.update(json.loads((folder / name).read_text(encoding="utf-8"))["parameters"])
    return merged


RULES = shipped_rules()

# The test's own table of the law, written out separately from the module (regime per category).
ORDINANCE_KEYS = {"no_show", "action_plan", "search_effort", "insufficient_responsibility", "tegenprestatie"}
UNIFORM_KEYS = {
    "refused_work",
    "not_keeping_work",
    "not_registering",
    "not_searching",
    "travel",
    "moving",
    "training",
    "appearance",
    "not_cooperating_uniform",
}
LANGUAGE_KEYS = {"language"}
ALL_KEYS = sorted(ORDINANCE_KEYS | UNIFORM_KEYS | LANGUAGE_KEYS)


# --- categories ---------------------------------------------------------------------------------------------------


def test_every_category_has_its_regime_article_and_an_obligation_kind_the_exemption_check_knows():
    assert set(rules.CATEGORIES) == set(ALL_KEYS)
    kinds = set(ObligationKind.values)
    for key, c in rules.CATEGORIES.items():
        assert c.obligation is None or c.obligation in kinds, key
        assert "Participatiewet" in c.article
        assert str(c.label)
    assert {k for k, c in rules.CATEGORIES.items() if c.regime == rules.ORDINANCE} == ORDINANCE_KEYS
    assert {k for k, c in rules.CATEGORIES.items() if c.regime == rules.UNIFORM} == UNIFORM_KEYS
    assert {k for k, c in rules.CATEGORIES.items() if c.regime == rules.LANGUAGE_STEPS} == LANGUAGE_KEYS
    for key in UNIFORM_KEYS:
        assert "art. 18 lid 4 onder" in rules.CATEGORIES[key].article
        assert rules.CATEGORIES[key].obligation == ObligationKind.WORK
    assert rules.CATEGORIES["no_show"].obligation == ObligationKind.COOPERATION
    assert "art. 9 lid 1 onder b" in rules.CATEGORIES["no_show"].article
    assert rules.CATEGORIES["action_plan"].obligation == ObligationKind.COOPERATION
    assert rules.CATEGORIES["tegenprestatie"].obligation == ObligationKind.TEGENPRESTATIE
    assert rules.CATEGORIES["language"].obligation == ObligationKind.LANGUAGE
    assert rules.CATEGORIES["insufficient_responsibility"].obligation is None
    assert [k for k, _label in rules.CATEGORY_CHOICES] == list(rules.CATEGORIES)
    with pytest.raises(ValueError):
        rules.category("speeding")


def test_all_uniform_work_obligations_are_one_repeat_group_and_each_lid_2_category_its_own():
    assert {rules.repeat_group(k) for k in UNIFORM_KEYS} == {rules.UNIFORM}
    assert len({rules.repeat_group(k) for k in ORDINANCE_KEYS | LANGUAGE_KEYS}) == len(ORDINANCE_KEYS) + 1


def test_the_rules_module_is_pure():
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    allowed = {"__future__", "datetime", "collections.abc", "dataclasses", "django.utils.translation"}
    assert imported <= allowed | {"trede.core.rules", "trede.core.workdays"}, imported


# --- prechecks ----------------------------------------------------------------------------------------------------

CLEAN = {
    "obligation_in_force": True,
    "exempt": False,
    "communicated_in_writing": True,
    "health_limitation": False,
    "care_duty": False,
    "urgent_reasons": False,
    "earlier": (),
    "rules": RULES,
}


BREACH_ON = D(2026, 3, 2)


def check(category_key: str, breach_on: dt.date = BREACH_ON, **facts) -> rules.Precheck:
    return rules.prechecks(category_key=category_key, breach_on=breach_on, **(CLEAN | facts))


def test_a_clean_first_breach_may_proceed():
    result = check("no_show")
    assert result.may_proceed and result.blocks == () and result.weigh == ()
    assert result.breach_number == 1 and result.repeat_of is None
    assert result.obligation == "cooperation" and "18 lid 2" in result.article


def test_an_exempt_obligation_cannot_proceed_and_says_so_with_the_date():
    result = check("refused_work", exempt=True)
    assert not result.may_proceed
    assert [b.code for b in result.blocks] == ["exempt"]
    assert "02-03-2026" in result.blocks[0].text and "ontheffing" in result.blocks[0].text


def test_an_obligation_not_in_force_cannot_proceed():
    result = check("tegenprestatie", obligation_in_force=False)
    assert not result.may_proceed and [b.code for b in result.blocks] == ["not_in_force"]


def test_without_a_letter_an_invitation_or_assignment_cannot_proceed_but_conduct_is_weighed():
    no_show = check("no_show", communicated_in_writing=False)
    assert not no_show.may_proceed and [b.code for b in no_show.blocks] == ["no_letter"]
    for key in ("action_plan", "tegenprestatie", "not_registering", "language"):
        assert not check(key, communicated_in_writing=False).may_proceed, key
    keeping = check("not_keeping_work", communicated_in_writing=False)
    assert keeping.may_proceed and [w.code for w in keeping.weigh] == ["no_letter"]


def test_health_care_and_urgent_reasons_are_weighed_not_blocking():
    result = check("action_plan", health_limitation=True, care_duty=True, urgent_reasons=True)
    assert result.may_proceed
    assert [w.code for w in result.weigh] == ["health", "care", "urgent_reasons"]
    assert all(w.text.endswith(".") for w in result.weigh)


def test_the_language_requirement_always_asks_about_effort_and_starting_within_a_month():
    assert "language_effort" in [w.code for w in check("language").weigh]


def test_insufficient_responsibility_has_no_obligation_so_no_exemption_can_stop_it():
    result = check("insufficient_responsibility", exempt=True, obligation_in_force=False)
    assert result.may_proceed and result.obligation is None


def test_all_reasons_to_stop_are_named():
    result = check("no_show", exempt=True, obligation_in_force=False, communicated_in_writing=False)
    assert [b.code for b in result.blocks] == ["exempt", "not_in_force", "no_letter"]


# --- breach number ------------------------------------------------------------------------------------------------


def number(category_key: str, breach_on: dt.date, *earlier: EarlierBreach, window: int = 12) -> int:
    return rules.breach_number(category_key=category_key, breach_on=breach_on, earlier=earlier, window_months=window)[0]


def test_only_earlier_breaches_that_led_to_a_reduction_count():
    not_sanctioned = EarlierBreach("no_show", D(2026, 1, 5), None)
    assert number("no_show", D(2026, 3, 2), not_sanctioned) == 1
    sanctioned = EarlierBreach("no_show", D(2026, 1, 5), D(2026, 2, 1))
    assert number("no_show", D(2026, 3, 2), sanctioned) == 2
    result = rules.breach_number(
        category_key="no_show", breach_on=D(2026, 3, 2), earlier=(not_sanctioned, sanctioned), window_months=12
    )
    assert result == (2, sanctioned)


def test_only_the_same_category_counts_for_lid_2_but_any_uniform_obligation_for_lid_4():
    sanctioned_no_show = EarlierBreach("no_show", D(2026, 1, 5), D(2026, 2, 1))
    assert number("action_plan", D(2026, 3, 2), sanctioned_no_show) == 1
    assert number("language", D(2026, 3, 2), sanctioned_no_show) == 1
    refused = EarlierBreach("refused_work", D(2026, 1, 5), D(2026, 2, 1))
    assert number("not_keeping_work", D(2026, 3, 2), refused) == 2  # art. 18 lid 6: any lid 4 conduct
    assert number("no_show", D(2026, 3, 2), refused) == 1


def test_the_window_runs_twelve_months_from_the_day_the_reduction_was_imposed():
    earlier = EarlierBreach("no_show", D(2025, 12, 1), D(2026, 1, 31))
    assert number("no_show", D(2027, 1, 31), earlier) == 2  # the last day of the window
    assert number("no_show", D(2027, 2, 1), earlier) == 1
    assert number("no_show", D(2026, 1, 31), earlier) == 1  # the day it was imposed: not after it
    # a breach while the earlier case was still open is no repeat: no reduction had been imposed yet
    assert number("no_show", D(2026, 1, 15), earlier) == 1
    # the window is the rule set's
    assert number("no_show", D(2026, 8, 1), earlier, window=6) == 1


def test_the_escalation_is_a_chain_lid_7_counts_after_a_lid_6_reduction():
    first = EarlierBreach("refused_work", D(2025, 1, 6), D(2025, 2, 1))
    second = EarlierBreach("travel", D(2025, 11, 3), D(2025, 12, 1))  # within 12 months of the first: number 2
    # 14 months after the first, 3 months after the second (a lid 6 reduction): lid 7, the third
    assert number("moving", D(2026, 3, 2), first, second) == 3
    assert number("moving", D(2026, 3, 2), second) == 2  # without the first the second was a first
    fourth = EarlierBreach("appearance", D(2026, 3, 2), D(2026, 4, 1))
    assert number("refused_work", D(2026, 9, 1), first, second, fourth) == 4


def test_a_reduction_before_its_breach_is_refused():
    with pytest.raises(ValueError):
        number("no_show", D(2026, 3, 2), EarlierBreach("no_show", D(2026, 2, 1), D(2026, 1, 1)))


# --- proposal -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "pct", "months"),
    [(1, 5, 1), (2, 30, 1), (3, 100, 1), (4, 100, 1), (9, 100, 1)],
)
def test_art_18_lid_2_follows_the_ordinances_tiers_and_beyond_the_last_the_last(n, pct, months):
    for key in ORDINANCE_KEYS:
        p = rules.proposal(key, n, RULES)
        assert (p.pct, p.months) == (pct, months)
        assert "18 lid 2" in p.source and p.article == rules.CATEGORIES[key].article


@pytest.mark.parametrize(("n", "months"), [(1, 1), (2, 2), (3, 3), (4, 3), (10, 3)])
def test_art_18_lid_4_to_8_is_100_percent_for_the_ordinances_months(n, months):
    for key in UNIFORM_KEYS:
        p = rules.proposal(key, n, RULES)
        assert (p.pct, p.months) == (100, months)
    assert "lid 5" in rules.proposal("travel", 1, RULES).source
    assert "lid 6" in rules.proposal("travel", 2, RULES).source
    assert "lid 7" in rules.proposal("travel", 3, RULES).source


def test_never_three_months_at_a_first_breach_ecli_nl_rbams_2017_5710():
    # an ordinance like Amstelveen's (3 months for a first refusal of work) is set aside: the longest a first breach
    # may get is one month short of the legal maximum, so that lid 6 can still punish a repeat longer
    harsh = RULES | {"sanction_uniform_months": {"1": 3, "2": 3, "3": 3}}
    assert rules.proposal("refused_work", 1, harsh).months == 2
    assert rules.proposal("refused_work", 2, harsh).months == 3
    assert "ECLI:NL:RBAMS:2017:5710" in rules.proposal("refused_work", 1, harsh).source
    assert "ECLI" not in rules.proposal("refused_work", 1, RULES).source


def test_a_repeat_is_longer_than_the_first_and_the_third_is_the_legal_maximum_whatever_the_ordinance():
    flat = RULES | {"sanction_uniform_months": {"1": 2, "2": 1, "3": 1}}
    assert [rules.proposal("moving", n, flat).months for n in (1, 2, 3)] == [2, 3, 3]
    # months outside 1-3 are clamped to the legal range
    wild = RULES | {"sanction_uniform_months": {"1": 0, "2": 7}}
    assert [rules.proposal("moving", n, wild).months for n in (1, 2, 3)] == [1, 3, 3]


@pytest.mark.parametrize(("n", "pct"), [(1, 20), (2, 40), (3, 100), (4, 100)])
def test_art_18b_language_steps(n, pct):
    p = rules.proposal("language", n, RULES)
    assert (p.pct, p.months) == (pct, 6) and "18b" in p.source


def test_a_proposal_needs_a_breach_number_and_tiers_that_start_at_one():
    with pytest.raises(ValueError):
        rules.proposal("no_show", 0, RULES)
    with pytest.raises(ValueError):
        rules.proposal("no_show", 1, RULES | {"sanction_tiers": {"2": [30, 1]}})


def test_period_text():
    assert rules.period_text(5, 1) == "5% gedurende 1 maand"
    assert rules.period_text(100, 3) == "100% gedurende 3 maanden"


# --- lowering (art. 18 lid 10) and culpability (lid 9) ---------------------------------------------------------------


def test_lowering_only_lower_and_always_with_a_reason():
    proposed = rules.proposal("no_show", 2, RULES)  # 30% for 1 month
    assert rules.lowered(proposed, 10, 1, "Mantelzorg voor haar moeder") == {}
    assert rules.lowered(proposed, 0, 0, "Opname in het ziekenhuis") == {}  # no reduction at all
    assert set(rules.lowered(proposed, 40, 1, "reden")) == {"pct"}
    assert set(rules.lowered(proposed, 30, 2, "reden")) == {"months"}
    assert set(rules.lowered(proposed, -5, 1, "reden")) == {"pct"}
    assert set(rules.lowered(proposed, 10, 1, "  ")) == {"reason"}
    assert set(rules.lowered(proposed, 30, 1, "reden")) == {"pct"}  # nothing lowered: keep the proposal instead


def test_culpability():
    full, partial, none = (rules.culpability_outcome(f) for f in ("full", "partial", "none"))
    assert full.sanction and not full.may_lower
    assert partial.sanction and partial.may_lower and "lid 10" in partial.article
    assert not none.sanction and "lid 9" in none.article
    assert [k for k, _label in rules.FINDING_CHOICES] == ["full", "partial", "none"]
    with pytest.raises(ValueError):
        rules.culpability_outcome("somewhat")


# --- money --------------------------------------------------------------------------------------------------------


def test_the_monthly_reduction_in_cents_is_rounded_down():
    single = 140_150  # EUR 1,401.50, single norm on 1-1-2026
    assert rules.monthly_reduction(single, 5) == 7_007  # 70.075 -> 70.07
    assert rules.monthly_reduction(single, 30) == 42_045
    assert rules.monthly_reduction(single, 100) == single
    assert rules.monthly_reduction(200_213, 20) == 40_042  # 400.426 -> 400.42
    assert rules.monthly_reduction(single, 0) == 0
    for bad in ((single, 101), (single, -1), (-1, 5)):
        with pytest.raises(ValueError):
            rules.monthly_reduction(*bad)


@given(st.integers(0, 10_000_000), st.integers(0, 100))
def test_the_reduction_never_exceeds_the_percentage_and_loses_less_than_a_cent(norm, pct):
    r = rules.monthly_reduction(norm, pct)
    assert 0 <= r <= norm
    assert r * 100 <= norm * pct < (r + 1) * 100


def test_the_period_of_a_reduction():
    assert rules.reduction_last_day(D(2026, 3, 1), 1) == D(2026, 3, 31)
    assert rules.reduction_last_day(D(2026, 1, 31), 1) == D(2026, 2, 27)


# --- the working-day calendar -------------------------------------------------------------------------------------

EASTER = {
    2019: D(2019, 4, 21),
    2020: D(2020, 4, 12),
    2021: D(2021, 4, 4),
    2022: D(2022, 4, 17),
    2023: D(2023, 4, 9),
    2024: D(2024, 3, 31),
    2025: D(2025, 4, 20),
    2026: D(2026, 4, 5),
    2027: D(2027, 3, 28),
    2028: D(2028, 4, 16),
    2029: D(2029, 4, 1),
    2030: D(2030, 4, 21),
}


@pytest.mark.parametrize(("year", "easter"), sorted(EASTER.items()))
def test_easter_and_the_holidays_that_follow_it(year, easter):
    assert easter_sunday(year) == easter
    holidays = public_holidays(year)
    assert easter + dt.timedelta(days=1) in holidays  # Easter Monday
    assert easter + dt.timedelta(days=39) in holidays  # Ascension Day, a Thursday
    assert (easter + dt.timedelta(days=39)).weekday() == 3
    assert easter + dt.timedelta(days=50) in holidays  # Whit Monday
    assert {D(year, 1, 1), D(year, 5, 5), D(year, 12, 25), D(year, 12, 26)} <= holidays
    assert easter - dt.timedelta(days=2) not in holidays  # Good Friday is not in the Algemene termijnenwet
    assert len(holidays) == 8


@pytest.mark.parametrize("year", [2014, 2025, 2031])
def test_kings_day_on_a_sunday_is_celebrated_on_saturday_26_april(year):
    assert D(year, 4, 27).weekday() == 6
    assert D(year, 4, 26) in public_holidays(year) and D(year, 4, 27) not in public_holidays(year)


def test_kings_day_on_a_weekday_is_27_april():
    assert D(2026, 4, 27) in public_holidays(2026)
    assert not is_working_day(D(2026, 4, 27))


# --- deadlines ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_on", "due"),
    [
        (D(2025, 11, 13), D(2025, 12, 29)),  # six weeks end on Christmas Day (Thu); Boxing Day, weekend -> Monday
        (D(2027, 2, 15), D(2027, 3, 30)),  # ends on Easter Monday -> Tuesday
        (D(2026, 3, 16), D(2026, 4, 28)),  # ends on King's Day (Monday 27 April) -> Tuesday
        (D(2025, 3, 24), D(2025, 5, 6)),  # ends on Liberation Day (Monday 5 May 2025) -> Tuesday
        (D(2026, 4, 2), D(2026, 5, 15)),  # ends on Ascension Day -> Friday
        (D(2026, 11, 10), D(2026, 12, 22)),  # an ordinary Tuesday stays
        (D(2026, 1, 17), D(2026, 3, 2)),  # sent on a Saturday: ends on Saturday 28 February -> Monday
    ],
)
def test_the_objection_term_is_six_weeks_from_the_day_after_sending_moved_to_the_next_working_day(sent_on, due):
    deadline = rules.objection_deadline(sent_on, RULES)
    assert deadline.due == due
    assert "6:7" in deadline.source and "6:8" in deadline.source


def test_the_hearing_term_is_the_ordinances_days_on_the_working_day_calendar():
    assert rules.hearing_deadline(D(2026, 3, 2), RULES).due == D(2026, 3, 16)
    # 14 days from Friday 11 December 2026 end on Christmas Day: Monday 28 December
    deadline = rules.hearing_deadline(D(2026, 12, 11), RULES)
    assert deadline.due == D(2026, 12, 28) and "4:8" in deadline.source
    assert rules.hearing_deadline(D(2026, 12, 11), RULES | {"hearing_term_days": 7}).due == D(2026, 12, 18)


def test_the_decision_on_an_objection_is_due_six_weeks_after_the_objection_term_extendable_by_six():
    term_end = rules.objection_deadline(D(2026, 11, 13), RULES).due  # Monday 28 December 2026
    assert term_end == D(2026, 12, 28)
    assert rules.objection_decision_deadline(term_end, RULES).due == D(2027, 2, 8)
    extended = rules.objection_decision_deadline(term_end, RULES, extended=True)
    assert extended.due == D(2027, 3, 22) and "7:10 lid 1 en 3" in extended.source
    # ending on Easter Monday 2027 (29 March): Tuesday
    assert rules.objection_decision_deadline(D(2027, 2, 15), RULES).due == D(2027, 3, 30)


def test_with_an_advisory_committee_the_decision_on_an_objection_is_due_after_twelve_weeks():
    committee = RULES | {"objection_advisory_committee": "yes"}
    term_end = D(2026, 12, 28)
    due = rules.objection_decision_deadline(term_end, committee)
    assert due.due == D(2027, 3, 22) and "7:13" in due.source  # 12 weeks: Monday 22 March 2027
    assert rules.objection_decision_deadline(term_end, committee, extended=True).due == D(2027, 5, 3)  # 18 weeks
    assert RULES["objection_advisory_committee"] == "no"  # the shipped default: no committee


def test_reconsideration_at_most_three_months_after_the_start_never_later():
    assert rules.reconsideration_deadline(D(2026, 1, 1), RULES).due == D(2026, 4, 1)
    # 3 months after 27 January 2026 is King's Day: the last working day before it, Friday 24 April
    assert rules.reconsideration_deadline(D(2026, 1, 27), RULES).due == D(2026, 4, 24)
    assert rules.reconsideration_deadline(D(2026, 1, 25), RULES).due == D(2026, 4, 24)  # Saturday 25 April
    assert rules.reconsideration_deadline(D(2025, 11, 30), RULES).due == D(2026, 2, 27)  # clamped, a Saturday 28
    assert "18 lid 3" in rules.reconsideration_deadline(D(2026, 1, 1), RULES).source


def test_overdue_from_the_day_after_the_last_day():
    due = D(2026, 12, 28)
    assert not rules.overdue(due, D(2026, 12, 28))
    assert rules.overdue(due, D(2026, 12, 29))


@given(st.dates(D(2015, 1, 1), D(2040, 12, 31)))
def test_every_deadline_is_a_working_day_and_never_earlier_than_the_term(sent_on):
    objection = rules.objection_deadline(sent_on, RULES).due
    assert is_working_day(objection)
    assert sent_on + dt.timedelta(weeks=6) <= objection <= sent_on + dt.timedelta(weeks=6, days=5)
    hearing = rules.hearing_deadline(sent_on, RULES).due
    assert is_working_day(hearing) and hearing >= sent_on + dt.timedelta(days=14)
    decision = rules.objection_decision_deadline(objection, RULES).due
    assert is_working_day(decision) and decision >= objection + dt.timedelta(weeks=6)
    reconsider = rules.reconsideration_deadline(sent_on, RULES).due
    assert is_working_day(reconsider) and sent_on < reconsider <= plus_months(sent_on, 3)


# --- properties against an independent, table-driven computation ----------------------------------------------------


def plus_months(day: dt.date, months: int) -> dt.date:
    """The test's own month arithmetic (calendar.monthrange), independent of core.rules.add_months."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return D(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def expected_number(category_key: str, breach_on: dt.date, history, window: int) -> int:
    """Straight from art. 18 lid 6-7: one more than the highest number among the reductions imposed (of the same
    repeat group) in the `window` months before the breach; computed recursively over the history."""

    def group(key):
        return "uniform" if key in UNIFORM_KEYS else key

    best = 0
    for h in history:
        if (
            h.sanctioned_on is not None
            and group(h.category) == group(category_key)
            and h.sanctioned_on < breach_on <= plus_months(h.sanctioned_on, window)
        ):
            best = max(best, expected_number(h.category, h.breach_on, history, window))
    return best + 1


def expected_proposal(category_key: str, n: int, r: dict) -> tuple[int, int]:
    """The rule set read as tables: the highest row not above n; for the uniform obligations the months allowed per
    breach number are listed and the ordinance's wish is moved to the nearest allowed value."""

    def row(table):
        rows = {int(k): v for k, v in table.items()}
        return rows[max(k for k in rows if k <= n)]

    if category_key in ORDINANCE_KEYS:
        pct, months = row(r["sanction_tiers"])
        return pct, months
    if category_key in LANGUAGE_KEYS:
        pct, months = row(r["sanction_language_steps"])
        return pct, months
    low, high = r["sanction_uniform"]["min_months"], r["sanction_uniform"]["max_months"]
    wish = {int(k): v for k, v in r["sanction_uniform_months"].items()}

    def wish_for(i):
        return wish[max(k for k in wish if k <= i)]

    def nearest(value, allowed):
        return min(allowed, key=lambda m: (abs(m - value), m))

    first = nearest(wish_for(1), [m for m in range(low, high + 1) if m < high] or [high])
    table = {1: first, 2: nearest(wish_for(2), [m for m in range(low, high + 1) if m > first] or [high])}
    return r["sanction_uniform"]["pct"], table.get(n, high)


def tier_table(max_rows: int):
    return st.lists(st.tuples(st.integers(1, 100), st.integers(1, 6)), min_size=1, max_size=max_rows).map(
        lambda rows: {str(i + 1): [p, m] for i, (p, m) in enumerate(rows)}
    )


@st.composite
def rule_sets(draw):
    low = draw(st.integers(1, 3))
    high = draw(st.integers(low, 3))
    return {
        "sanction_repeat_window_months": draw(st.integers(1, 24)),
        "sanction_tiers": draw(tier_table(5)),
        "sanction_uniform": {"pct": draw(st.sampled_from([100, 80])), "min_months": low, "max_months": high},
        "sanction_uniform_months": draw(
            st.lists(st.integers(0, 4), min_size=1, max_size=4).map(
                lambda ms: {str(i + 1): m for i, m in enumerate(ms)}
            )
        ),
        "sanction_language_steps": draw(tier_table(4)),
    }


@st.composite
def histories(draw):
    """Earlier breaches of random categories over three years, some of which led to a reduction."""
    items = []
    for _ in range(draw(st.integers(0, 8))):
        breach_on = draw(st.dates(D(2023, 1, 1), D(2025, 12, 31)))
        delay = draw(st.one_of(st.none(), st.integers(0, 90)))
        items.append(
            EarlierBreach(
                draw(st.sampled_from(ALL_KEYS)),
                breach_on,
                None if delay is None else breach_on + dt.timedelta(days=delay),
            )
        )
    return items


new_breach = st.tuples(st.sampled_from(ALL_KEYS), st.dates(D(2024, 1, 1), D(2026, 12, 31)))


@settings(max_examples=300)
@given(histories(), new_breach, rule_sets())
def test_the_proposal_equals_the_table_driven_computation_from_the_rule_set(history, breach, r):
    category_key, breach_on = breach
    n = rules.prechecks(
        category_key=category_key, breach_on=breach_on, **(CLEAN | {"earlier": history, "rules": r})
    ).breach_number
    assert n == expected_number(category_key, breach_on, history, r["sanction_repeat_window_months"])
    p = rules.proposal(category_key, n, r)
    assert (p.pct, p.months) == expected_proposal(category_key, n, r)
    if category_key in UNIFORM_KEYS:
        low, high = r["sanction_uniform"]["min_months"], r["sanction_uniform"]["max_months"]
        assert low <= p.months <= high
        if n == 1 and high > low:
            assert p.months < high  # never the maximum at a first breach


@given(histories(), new_breach, st.integers(1, 24))
def test_the_breach_number_counts_only_sanctioned_breaches_of_the_same_group_within_the_window(history, breach, window):
    category_key, breach_on = breach
    n, repeat_of = rules.breach_number(
        category_key=category_key, breach_on=breach_on, earlier=history, window_months=window
    )
    same = [
        h
        for h in history
        if h.sanctioned_on is not None and rules.repeat_group(h.category) == rules.repeat_group(category_key)
    ]
    in_window = [h for h in same if h.sanctioned_on < breach_on <= plus_months(h.sanctioned_on, window)]
    assert (n == 1) == (not in_window) == (repeat_of is None)
    if repeat_of is not None:
        assert repeat_of in in_window
    assert n <= 1 + len([h for h in same if h.sanctioned_on < breach_on])
    # breaches without a reduction and breaches of another group change nothing
    others = [h for h in history if h not in same]
    assert (
        rules.breach_number(category_key=category_key, breach_on=breach_on, earlier=same, window_months=window)[0] == n
    )
    if others:
        assert rules.breach_number(
            category_key=category_key, breach_on=breach_on, earlier=others, window_months=window
        ) == (1, None)


facts = st.fixed_dictionaries(
    {
        "obligation_in_force": st.booleans(),
        "exempt": st.booleans(),
        "communicated_in_writing": st.booleans(),
        "health_limitation": st.booleans(),
        "care_duty": st.booleans(),
        "urgent_reasons": st.booleans(),
    }
)


@given(st.sampled_from(ALL_KEYS), facts, histories(), st.dates(D(2024, 1, 1), D(2026, 12, 31)))
def test_an_exempt_obligation_never_proceeds(category_key, f, history, breach_on):
    result = rules.prechecks(category_key=category_key, breach_on=breach_on, earlier=history, rules=RULES, **f)
    if f["exempt"] and category_key != "insufficient_responsibility":
        assert not result.may_proceed
        assert "exempt" in [b.code for b in result.blocks]
    assert result.may_proceed == (not result.blocks)
    if result.may_proceed:
        assert f["obligation_in_force"] or category_key == "insufficient_responsibility"


@given(
    st.sampled_from(ALL_KEYS),
    st.integers(1, 6),
    st.integers(-10, 110),
    st.integers(-2, 8),
    st.text(max_size=5),
)
def test_a_lowered_sanction_is_never_higher_than_proposed(category_key, n, pct, months, reason):
    proposed = rules.proposal(category_key, n, RULES)
    if not rules.lowered(proposed, pct, months, reason):
        assert 0 <= pct <= proposed.pct and 0 <= months <= proposed.months
        assert (pct, months) != (proposed.pct, proposed.months)
        assert reason.strip()


@given(
    start=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=3),
    after=st.integers(min_value=-40, max_value=100),
)
def test_a_revision_ends_the_day_before_compliance_and_counts_the_months_begun(start, months, after):
    end = rules.reduction_last_day(start, months)
    complies = start + dt.timedelta(days=after)
    if complies > end:
        with pytest.raises(ValueError):
            rules.revised_period(start, end, complies)
        return
    n, last = rules.revised_period(start, end, complies)
    if complies <= start:
        assert (n, last) == (0, None)
        return
    assert last == complies - dt.timedelta(days=1) and start <= last < end + dt.timedelta(days=1)
    # the months begun: the smallest number of whole months from the start that covers the last day
    assert rules.reduction_last_day(start, n) >= last and rules.reduction_last_day(start, n - 1) < last
    assert 1 <= n <= months


@given(
    months=st.integers(min_value=1, max_value=2),
    over=st.integers(min_value=2, max_value=3),
    pct=st.integers(min_value=1, max_value=100),
)
def test_spreading_keeps_the_whole_and_puts_at_least_a_third_in_the_first_month(months, over, pct):
    if over <= months:
        with pytest.raises(ValueError):
            rules.spread_schedule(rules.UNIFORM, pct, months, over)
        return
    schedule = rules.spread_schedule(rules.UNIFORM, pct, months, over)
    assert len(schedule) == over and sum(schedule) == pct * months  # the whole stays the same
    assert 3 * schedule[0] >= pct * months and max(schedule) <= 100  # art. 18 lid 5
    assert schedule == sorted(schedule, reverse=True) and schedule[0] - schedule[-1] <= 1  # as even as can be


def test_only_a_uniform_reduction_is_spread_and_never_over_more_than_three_months():
    assert rules.spread_schedule(rules.UNIFORM, 100, 1, 3) == [34, 33, 33]
    assert rules.spread_schedule(rules.UNIFORM, 100, 2, 3) == [67, 67, 66]
    with pytest.raises(ValueError):
        rules.spread_schedule("ordinance", 30, 1, 2)
    with pytest.raises(ValueError):
        rules.spread_schedule(rules.UNIFORM, 100, 1, 4)
