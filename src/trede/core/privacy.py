"""Small-group suppression: the one helper every figure a policy analyst can see goes through.

A count of fewer than SMALL_GROUP people is not shown (primary suppression). Where a row has exactly one
suppressed cell and a shown total, the smallest other cell is suppressed as well (secondary suppression),
so that the hidden figure cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence

SMALL_GROUP = 10


def suppress(count: int | None, threshold: int = SMALL_GROUP) -> int | None:
    """The count, or None when it rests on fewer than `threshold` people (zero is shown: it reveals no one)."""
    if count is None or 0 < count < threshold:
        return None
    return count


def suppress_row(counts: Sequence[int], threshold: int = SMALL_GROUP) -> list[int | None]:
    """Suppress the cells of one row whose total is shown, including one extra cell where needed."""
    shown: list[int | None] = [suppress(c, threshold) for c in counts]
    hidden = [i for i, v in enumerate(shown) if v is None]
    if len(hidden) == 1:
        candidates = [i for i, v in enumerate(shown) if v is not None and counts[i] > 0]
        if candidates:
            shown[min(candidates, key=lambda i: counts[i])] = None
    return shown
