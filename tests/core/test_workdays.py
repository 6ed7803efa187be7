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
