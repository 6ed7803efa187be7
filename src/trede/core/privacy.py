"""Small-group suppression: the one helper every figure a policy analyst can see goes through.

A count of fewer than SMALL_GROUP people is not shown (primary suppression). Figures that are linked by a sum
(the cells of a row and the row total, a column and its total) are checked together: where exactly one figure of
such a sum is hidden, it could be recovered by subtraction, so another one is hidden too (secondary suppression),
and this repeats until no sum has a single hidden figure. This stops recovery from any one sum; it is the
common rule of statistical offices for tables of counts, not a proof against every combination of sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL_GROUP = 10


def suppress(count: int | None, threshold: int = SMALL_GROUP) -> int | None:
    """The count, or None when it rests on fewer than `threshold` people (zero is shown: it reveals no one)."""
    if count is None or 0 < count < threshold:
        return None
    return count


def suppress_linked(
    values: Sequence[int], sums: Sequence[Sequence[int]], threshold: int = SMALL_GROUP
) -> list[int | None]:
    """Suppress `values`, where each entry of `sums` lists the indices of figures that are linked by one sum.

    Returns the values with hidden ones as None; no sum is left with exactly one hidden figure.
    """
    hidden = {i for i, v in enumerate(values) if suppress(v, threshold) is None}
    changed = True
    while changed:
        changed = False
        for group in sums:
            in_group = [i for i in group if i in hidden]
            if len(in_group) != 1:
                continue
            shown = [i for i in group if i not in hidden]
            if not shown:
                continue
            # hide the smallest non-zero figure; only if all others are zero, a zero (it is no longer telling)
            pick = min(shown, key=lambda i: (values[i] == 0, values[i]))
            hidden.add(pick)
            changed = True
    return [None if i in hidden else v for i, v in enumerate(values)]


@dataclass
class SuppressedTable:
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress_table(
    cells: Sequence[Sequence[int]], threshold: int = SMALL_GROUP, *, columns: int | None = None
) -> SuppressedTable:
    """A table of counts with its row totals, column totals and grand total, suppressed as one whole.

    `columns` gives the width when the table may have no rows."""
    n_rows = len(cells)
    n_cols = columns if columns is not None else (len(cells[0]) if n_rows else 0)
    row_totals = [sum(r) for r in cells]
    column_totals = [sum(cells[r][c] for r in range(n_rows)) for c in range(n_cols)]
    grand = sum(row_totals)
    values = [v for row in cells for v in row] + row_totals + column_totals + [grand]
    cell = lambda r, c: r * n_cols + c  # noqa: E731
    row_total = lambda r: n_rows * n_cols + r  # noqa: E731
    column_total = lambda c: n_rows * n_cols + n_rows + c  # noqa: E731
    grand_index = len(values) - 1
    sums = [[cell(r, c) for c in range(n_cols)] + [row_total(r)] for r in range(n_rows)]
    sums += [[cell(r, c) for r in range(n_rows)] + [column_total(c)] for c in range(n_cols)]
    sums += [
        [row_total(r) for r in range(n_rows)] + [grand_index],
        [column_total(c) for c in range(n_cols)] + [grand_index],
    ]
    out = suppress_linked(values, sums, threshold)
    return SuppressedTable(
        cells=[[out[cell(r, c)] for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[out[row_total(r)] for r in range(n_rows)],
        column_totals=[out[column_total(c)] for c in range(n_cols)],
        total=out[grand_index],
    )
