"""Numbers on the pilot pages: hidden figures as "•", signed effects, p-values, all localised."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()
HIDDEN = "•"


def _fixed(value, digits: int):
    """value rounded (half away from zero) to `digits` decimals, as a Decimal: Django's number_format cuts a float's
    decimals off instead of rounding (4.8999 with two decimals would show as 4,89)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@register.filter
def shown(value, digits: int = 0):
    """A figure, or • when it is hidden (small groups) or missing."""
    if value is None or value == "":
        return HIDDEN
    if isinstance(value, float) or digits:
        return number_format(_fixed(value, int(digits)), decimal_pos=int(digits), use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def signed(value, digits: int = 1):
    """An effect with its sign: +2,5 or -1,0 (• when hidden)."""
    if value is None or value == "":
        return HIDDEN
    fixed = _fixed(value, int(digits))
    text = number_format(abs(fixed), decimal_pos=int(digits), use_l10n=True)
    return ("+" if fixed > 0 else "−" if fixed < 0 else "") + text


@register.filter
def pvalue(value):
    if value is None or value == "":
        return HIDDEN
    if value < 0.001:
        return "< " + number_format(0.001, decimal_pos=3, use_l10n=True)
    return number_format(_fixed(value, 3), decimal_pos=3, use_l10n=True)


@register.filter
def p_is(value):
    """A p-value in a sentence: "p = 0,023" or "p < 0,001"."""
    if value is None or value == "":
        return "p = " + HIDDEN
    if value < 0.001:
        return "p < " + number_format(0.001, decimal_pos=3, use_l10n=True)
    return "p = " + number_format(_fixed(value, 3), decimal_pos=3, use_l10n=True)
