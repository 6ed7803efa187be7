from hypothesis import given
from hypothesis import strategies as st

from trede.core.privacy import SMALL_GROUP, suppress, suppress_table


def test_small_counts_are_hidden_zero_and_large_are_shown():
    assert suppress(0) == 0
    assert suppress(1) is None and suppress(SMALL_GROUP - 1) is None
    assert suppress(SMALL_GROUP) == SMALL_GROUP


def test_a_hidden_district_cell_cannot_be_recovered_from_the_column_total():
    # district A: 3 people on step 1, 30 on step 2; district B: 10 and 40
    t = suppress_table([[3, 30], [10, 40]])
    assert t.cells[0][0] is None
    assert t.cells[1][0] is None or t.column_totals[0] is None  # column: 3 + 10 = 13
    assert t.cells[0][1] is None or t.row_totals[0] is None  # row: 3 + 30 = 33


def test_nothing_is_hidden_without_need():
    t = suppress_table([[30, 20], [10, 40]])
    assert t.cells == [[30, 20], [10, 40]] and t.row_totals == [50, 50] and t.column_totals == [40, 60]
    assert t.total == 100


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=6)
)


@given(tables)
def test_no_sum_in_the_table_has_exactly_one_hidden_figure(cells):
    t = suppress_table(cells)
    rows = [[*t.cells[r], t.row_totals[r]] for r in range(len(cells))]
    columns = [[*(t.cells[r][c] for r in range(len(cells))), t.column_totals[c]] for c in range(len(cells[0]))]
    margins = [[*t.row_totals, t.total], [*t.column_totals, t.total]]
    for group in rows + columns + margins:
        assert sum(v is None for v in group) != 1, (cells, t)
    flat = [v for row in t.cells for v in row] + t.row_totals + t.column_totals + [t.total]
    assert all(v is None or v == 0 or v >= SMALL_GROUP for v in flat)
