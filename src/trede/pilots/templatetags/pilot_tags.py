"""Numbers on the pilot pages: hidden figures as "•", signed effects, p-values, all localised."""

from django import template
from django.utils.formats import number_format

register = template.Library()
HIDDEN = "•"


@register.filter
def shown(value, digits: int = 0):
    """A figure, or • when it is hidden (small groups) or missing."""
    if value is None or value == "":
        return HIDDEN
    if isinstance(value, float) or digits:
        return number_format(value, decimal_pos=int(digits), use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def signed(value, digits: int = 1):
    """An effect with its sign: +2,5 or -1,0 (• when hidden)."""
    if value is None or value == "":
        return HIDDEN
    text = number_format(abs(value), decimal_pos=int(digits), use_l10n=True)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


@register.filter
def pvalue(value):
    if value is None or value == "":
        return HIDDEN
    if value < 0.001:
        return "< " + number_format(0.001, decimal_pos=3, use_l10n=True)
    return number_format(value, decimal_pos=3, use_l10n=True)


@register.filter
def p_is(value):
    """A p-value in a sentence: "p = 0,023" or "p < 0,001"."""
    if value is None or value == "":
        return "p = " + HIDDEN
    if value < 0.001:
        return "p < " + number_format(0.001, decimal_pos=3, use_l10n=True)
    return "p = " + number_format(value, decimal_pos=3, use_l10n=True)
