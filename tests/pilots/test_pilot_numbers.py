"""The numbers on the pilot pages are rounded, not cut off (Django's number_format cuts a float's decimals)."""

from __future__ import annotations

import pytest
from django.utils import translation

from trede.pilots.templatetags.pilot_tags import p_is, pvalue, shown, signed


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def test_figures_are_rounded_half_away_from_zero():
    assert shown(4.8999, 2) == "4,90"
    assert shown(2.675, 2) == "2,68"  # the decimal written, not the binary float just under it
    assert shown(1234.56, 1) == "1.234,6"
    assert shown(None) == "•"


def test_signed_effects_round_and_keep_the_sign_of_what_is_shown():
    assert signed(4.8999, 1) == "+4,9"
    assert signed(-0.37942, 2) == "−0,38"
    assert signed(-0.004, 2) == "0,00"  # rounds to zero: no sign
    assert signed(None) == "•"


def test_p_values_are_rounded():
    assert pvalue(0.0239) == "0,024" and p_is(0.0496) == "p = 0,050" and p_is(0.0004) == "p < 0,001"
