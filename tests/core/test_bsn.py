import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from trede.clients.models import Client
from trede.clients.services import client_register
from trede.core.models import AuditRecord
from trede.core.rules import bsn_is_valid, bsn_problem, bsn_with_check_digit

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
valid_bsns = st.integers(min_value=1, max_value=99_999_999).map(bsn_with_check_digit).filter(bool)


def elfproef_sum(value: str) -> int:
    return sum(w * int(c) for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), value, strict=True))


@pytest.mark.parametrize("value", ["111222333", "123456782", "999999990"])
def test_known_valid_numbers(value):
    assert bsn_is_valid(value)
    assert bsn_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("000000000", "nullen"),
        ("12345678", "9 cijfers"),
        ("1234567890", "9 cijfers"),
        ("12345678a", "cijfers"),
        ("111222334", "elfproef"),
        ("", "Vul"),
        ("١١١٢٢٢٣٣٣", "cijfers"),
    ],
)
def test_invalid_numbers_have_a_clear_reason(value, fragment):
    assert not bsn_is_valid(value)
    assert fragment in bsn_problem(value)


@given(nine_digits)
def test_valid_iff_weighted_sum_divisible_by_11(value):
    assert bsn_is_valid(value) == (elfproef_sum(value) % 11 == 0 and value != "000000000")


@given(st.integers(min_value=1, max_value=99_999_999))
def test_generated_numbers_are_valid(prefix):
    bsn = bsn_with_check_digit(prefix)
    if bsn is not None:
        assert bsn_is_valid(bsn) and bsn.startswith(f"{prefix:08d}")


@given(valid_bsns, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_detected(value, position, delta):
    assert elfproef_sum(value) % 11 == 0
    wrong = value[:position] + str((int(value[position]) + delta) % 10) + value[position + 1 :]
    assert not bsn_is_valid(wrong)


@given(valid_bsns, st.integers(min_value=0, max_value=7))
def test_swapping_adjacent_digits_is_detected(value, position):
    assume(value[position] != value[position + 1])
    swapped = value[:position] + value[position + 1] + value[position] + value[position + 2 :]
    assert not bsn_is_valid(swapped)


@pytest.mark.django_db
def test_register_with_invalid_bsn_stores_nothing(district):
    with pytest.raises(Exception) as info:
        client_register(
            actor=None,
            bsn="111222334",
            district=district,
            first_name="A",
            surname="B",
            birth_date=dt.date(1990, 1, 1),
        )
    assert "bsn" in info.value.message_dict
    assert Client.objects.count() == 0
    assert not AuditRecord.objects.filter(action="client_register").exists()


@pytest.mark.django_db
def test_register_with_duplicate_bsn_or_unknown_district_is_refused(district):
    client_register(
        actor=None,
        bsn="111222333",
        district=district,
        first_name="A",
        surname="B",
        birth_date=dt.date(1990, 1, 1),
    )
    with pytest.raises(Exception) as info:
        client_register(
            actor=None,
            bsn="111222333",
            district="XXX",
            first_name="C",
            surname="D",
            birth_date=dt.date(1990, 1, 1),
        )
    assert set(info.value.message_dict) == {"bsn", "district"}
    assert Client.objects.count() == 1
