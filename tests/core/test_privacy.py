from hypothesis import given
from hypothesis import strategies as st

from trede.core.privacy import SMALL_GROUP, suppress, suppress_row


def test_small_counts_are_hidden_zero_and_large_are_shown():
    assert suppress(0) == 0
    assert suppress(1) is None and suppress(SMALL_GROUP - 1) is None
    assert suppress(SMALL_GROUP) == SMALL_GROUP


def test_a_lonely_hidden_cell_takes_the_smallest_other_with_it():
    assert suppress_row([50, 3, 20, 40]) == [50, None, None, 40]
    assert suppress_row([50, 3, 4, 40]) == [50, None, None, 40]
    assert suppress_row([50, 30, 20]) == [50, 30, 20]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_no_hidden_cell_can_be_recovered_from_the_row_total(counts):
    shown = suppress_row(counts)
    hidden = [c for c, v in zip(counts, shown, strict=True) if v is None]
    assert all(v is None or v >= SMALL_GROUP or v == 0 for v in shown)
    # with the total known, a single hidden non-zero cell could be computed: that never happens
    assert len([c for c in hidden if c > 0]) != 1 or all(c == 0 for c in counts if c not in hidden)
