"""Small checks every service uses: refuse with a message on a field, require a role, refuse a date in the future.
A refusal is a ValidationError, so that nothing of the transaction is saved and the page or API names the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def refuse(field: str | None, message: str):
    """Raise a ValidationError on `field` (None: on the whole form)."""
    raise ValidationError({field: [message]} if field else message)


def require_role(actor, roles: Iterable[str], message: str) -> None:
    if actor is None or actor.role not in tuple(roles):
        raise ValidationError(message)


def not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        refuse(field, _("Deze datum ligt in de toekomst."))
