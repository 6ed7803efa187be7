"""Pure rules about clients and their history."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def not_in_future(day: dt.date | None, today: dt.date, what: str) -> str | None:
    """A recorded fact (a contact, a measurement) cannot have happened after today."""
    if day is not None and day > today:
        return _("%(what)s kan niet in de toekomst liggen.") % {"what": what}
    return None


def postcode_problem(postcode: str) -> str | None:
    """Dutch postcode: 4 digits (first not 0), optional space, 2 letters (not SA, SD, SS)."""
    pc = postcode.replace(" ", "").upper()
    if not pc:
        return None
    if len(pc) != 6 or not pc[:4].isdigit() or pc[0] == "0" or not pc[4:].isalpha() or not pc[4:].isascii():
        return _("Een postcode is 4 cijfers en 2 letters, bijvoorbeeld 1234 AB.")
    if pc[4:] in ("SA", "SD", "SS"):
        return _("Deze lettercombinatie komt in postcodes niet voor.")
    return None


def normalise_postcode(postcode: str) -> str:
    pc = postcode.replace(" ", "").upper()
    return f"{pc[:4]} {pc[4:]}" if len(pc) == 6 else pc
