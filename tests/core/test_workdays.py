import datetime as dt

import pytest

from trede.core.workdays import easter_sunday, is_working_day, public_holidays, term_end


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2038, dt.date(2038, 4, 25)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_holidays_2026():
    assert public_holidays(2026) == {
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 6),
        dt.date(2026, 4, 27),
        dt.date(2026, 5, 5),
        dt.date(2026, 5, 14),
        dt.date(2026, 5, 25),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    }


def test_kings_day_on_sunday_moves_to_saturday():
    assert dt.date(2025, 4, 26) in public_holidays(2025)
    assert dt.date(2025, 4, 27) not in public_holidays(2025)


def test_term_ending_on_christmas_moves_to_next_working_day():
    # objection term of 6 weeks (Awb 6:7) for a decision sent on Friday 13 November 2026 ends on Christmas Day
    assert term_end(dt.date(2026, 11, 13), weeks=6) == dt.date(2026, 12, 28)


def test_term_ending_on_a_working_day_stays():
    assert term_end(dt.date(2026, 11, 10), weeks=6) == dt.date(2026, 12, 22)
    assert is_working_day(dt.date(2026, 12, 22))
    assert not is_working_day(dt.date(2026, 12, 19))  # Saturday


def test_queens_day_before_2014():
    assert dt.date(2013, 4, 30) in public_holidays(2013)
    assert dt.date(2013, 4, 27) not in public_holidays(2013)
    assert dt.date(2006, 5, 1) in public_holidays(2006)  # 30 April 2006 was a Sunday


def test_a_short_term_contains_two_working_days():
    # 3 days from Thursday 24 December 2026: Fri 25 and Sat 26 (Christmas), Sun 27 -> at least two working days
    # are needed, Mon 28 and Tue 29, so the term ends on Tuesday 29 December
    assert term_end(dt.date(2026, 12, 24), days=3) == dt.date(2026, 12, 29)
    # a 3-day term over an ordinary weekend: Fri -> Sat, Sun, Mon: only Monday works, so Tuesday
    assert term_end(dt.date(2026, 11, 20), days=3) == dt.date(2026, 11, 24)
