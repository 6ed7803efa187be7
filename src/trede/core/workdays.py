"""Dutch working-day calendar for legal terms.

Source: Algemene termijnenwet (BWBR0002448) art. 1 and 3: a statutory term that ends on a Saturday, Sunday or
generally recognised public holiday is extended to the next day that is none of these. Art. 3 lid 1 lists:
New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, King's Day and
5 May (Liberation Day); before 2014 Queen's Day (30 April). Art. 2: a term of three days or more contains at
least two working days. Good Friday and Easter/Whit Sunday are not in the list (the Sundays are Sundays anyway).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    la = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * la) // 451
    month, day = divmod(h + la - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=256)
def public_holidays(year: int) -> frozenset[dt.date]:
    easter = easter_sunday(year)
    if year >= 2014:  # King's Day; on a Sunday it moves to Saturday 26 April (Wet viering Koningsdag)
        kings_day = dt.date(year, 4, 27)
        if kings_day.weekday() == 6:
            kings_day = dt.date(year, 4, 26)
    else:  # Queen's Day, 30 April; on a Sunday it was held on Monday 1 May (from 1980 on)
        kings_day = dt.date(year, 4, 30)
        if kings_day.weekday() == 6:
            kings_day = dt.date(year, 5, 1)
    return frozenset(
        {
            dt.date(year, 1, 1),
            easter + dt.timedelta(days=1),
            kings_day,
            dt.date(year, 5, 5),
            easter + dt.timedelta(days=39),  # Ascension
            easter + dt.timedelta(days=50),  # Whit Monday
            dt.date(year, 12, 25),
            dt.date(year, 12, 26),
        }
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def term_end(start: dt.date, *, days: int = 0, weeks: int = 0) -> dt.date:
    """Last day of a term that starts the day after `start` (Awb 6:8).

    Algemene termijnenwet art. 2: a term of at least three days is extended until it contains at least two
    working days; art. 1: a term ending on a Saturday, Sunday or public holiday ends on the next working day.
    """
    length = days + 7 * weeks
    end = start + dt.timedelta(days=length)
    if length >= 3:
        while sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)) < 2:
            end += dt.timedelta(days=1)
    while not is_working_day(end):
        end += dt.timedelta(days=1)
    return end
