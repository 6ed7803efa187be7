"""Occupations coded with ISCO-08, the International Standard Classification of Occupations of the ILO (public).

ISCO-08 is a four-level tree coded by digits: 10 major groups ("9" elementary occupations), 43 sub-major groups
("91" cleaners and helpers), 130 minor groups ("911" domestic, hotel and office cleaners and helpers) and 436 unit
groups ("9112" cleaners and helpers in offices, hotels and other establishments). Each code starts with the code of
its parent. The employers app stores a vacancy's occupation as such a code (at most 4 digits).

The shipped table (data/isco08.csv: code, name_nl, name_en, related) holds every major, sub-major and minor group
and the unit groups that matter most in work for people on social assistance: cleaning, logistics and warehouse,
retail, hospitality and kitchen, care and support, childcare, construction, production and assembly, drivers and
delivery, green maintenance, administrative support, call centres and security, plus a few skilled ones (nurses,
teachers, accountants, developers, interpreters) because some clients have that background. English names are the
ILO's titles; the Dutch names are trede's own, in plain language. A well-formed unit code that is not in the table
is still a valid input everywhere: matching works on the digits, and name_of falls back to the nearest group that
is in the table.

Similarity of two codes (used by the matching engine, trede.stats.matching): the depth of their shared prefix,

    same unit group 1.0 · same minor group 0.75 · same sub-major group 0.5 · same major group 0.25 · else 0,

so a code given only at a coarser level shares at most that level (the vacancy "911" and the experience "9112"
score 0.75: the table cannot know that they are the same job). ISCO's major groups are skill levels, so the tree
puts closely related tasks at neighbouring skill levels in different branches: kitchen helper (9412) and cook (5120),
warehouse worker (9333) and forklift driver (8344), parcel deliverer (9621) and van driver (8322). The `related`
column links such unit groups (symmetric); a related pair scores RELATED_SIMILARITY (0.5, as a shared sub-major
group), unless the prefix gives more.

Pure Python and NumPy: no Django. Codes are strings of digits ("0110" keeps its leading zero); integer arrays are
accepted where noted and read as four-digit unit codes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

LEVELS = ("major", "sub_major", "minor", "unit")  # a code's level is its number of digits
SIMILARITY_BY_DEPTH = (0.0, 0.25, 0.5, 0.75, 1.0)  # indexed by the length of the shared prefix
RELATED_SIMILARITY = 0.5
LANGUAGES = ("nl", "en")
TABLE = "data/isco08.csv"


@dataclass(frozen=True)
class Occupation:
    code: str
    name_nl: str
    name_en: str
    related: tuple[str, ...] = ()

    @property
    def level(self) -> int:
        """1 major, 2 sub-major, 3 minor, 4 unit group."""
        return len(self.code)

    def name(self, lang: str = "nl") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
        return self.name_nl if lang == "nl" else self.name_en


def is_well_formed(code: object) -> bool:
    """A string of 1 to 4 ASCII digits."""
    return isinstance(code, str) and 1 <= len(code) <= 4 and code.isascii() and code.isdigit()


def _checked(code: object) -> str:
    if not is_well_formed(code):
        raise ValueError(f"not an ISCO-08 code (1 to 4 digits): {code!r}")
    return code  # type: ignore[return-value]


@cache
def table() -> dict[str, Occupation]:
    """The shipped table, code -> Occupation, in file order (read once). Related links are made symmetric."""
    text = files("trede.stats").joinpath(TABLE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    related: dict[str, set[str]] = {}
    for row in rows:
        for other in row["related"].split():
            related.setdefault(row["code"], set()).add(other)
            related.setdefault(other, set()).add(row["code"])
    out: dict[str, Occupation] = {}
    for row in rows:
        code = _checked(row["code"])
        if code in out:
            raise ValueError(f"{TABLE}: code {code} twice")
        out[code] = Occupation(
            code, row["name_nl"].strip(), row["name_en"].strip(), tuple(sorted(related.get(code, ())))
        )
    for code, occ in out.items():
        missing = [p for p in parents(code) if p not in out] + [r for r in occ.related if r not in out]
        if missing:
            raise ValueError(f"{TABLE}: {code} refers to {', '.join(missing)}, which are not in the table")
    return out


def get(code: str) -> Occupation | None:
    return table().get(_checked(code))


def parents(code: str) -> list[str]:
    """The groups above `code`, from the major group down: parents("9112") == ["9", "91", "911"]."""
    code = _checked(code)
    return [code[:i] for i in range(1, len(code))]


def children(code: str) -> list[str]:
    """The groups directly under `code` that are in the shipped table."""
    code = _checked(code)
    return [c for c in table() if len(c) == len(code) + 1 and c.startswith(code)]


def name_of(code: str, lang: str = "nl") -> str:
    """The group's name; for a code that is not in the table, the nearest group above it that is, with the code:
    name_of("2512") == "Softwareontwikkelaars", name_of("2519") == "Software- en ... -analisten (2519)"."""
    occ = get(code)
    if occ is not None:
        return occ.name(lang)
    for parent in reversed(parents(code)):
        if parent in table():
            return f"{table()[parent].name(lang)} ({code})"
    raise KeyError(code)  # unreachable with the shipped table: every major group is in it


def choices(*, level: int | None = None, lang: str = "nl") -> list[tuple[str, str]]:
    """(code, name) pairs in code order, all levels or one, for a form's select list."""
    return [(c, o.name(lang)) for c, o in sorted(table().items()) if level is None or o.level == level]


def search(text: str, *, lang: str | None = None, level: int | None = None) -> list[Occupation]:
    """Groups whose code starts with `text` or whose name contains it (case-insensitive), in code order."""
    needle = text.strip().casefold()
    if not needle:
        return []
    out = []
    for code, occ in sorted(table().items()):
        if level is not None and occ.level != level:
            continue
        names = [occ.name(lang)] if lang else [occ.name_nl, occ.name_en]
        if code.startswith(needle) or any(needle in n.casefold() for n in names):
            out.append(occ)
    return out


def shared_depth(a: str, b: str) -> int:
    """How many leading digits two codes share (0 to 4)."""
    a, b = _checked(a), _checked(b)
    depth = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        depth += 1
    return depth


def similarity(a: str | None, b: str | None) -> float:
    """Similarity of two codes in [0, 1] (see the module docstring); 0 when either is empty."""
    if not a or not b:
        return 0.0
    value = SIMILARITY_BY_DEPTH[shared_depth(a, b)]
    if len(a) == 4 and len(b) == 4 and a in table() and b in table()[a].related:
        value = max(value, RELATED_SIMILARITY)
    return value


# --- arrays ----------------------------------------------------------------------------------------------------
# A code is encoded as its four prefixes, one per level, as integers: "9112" -> (9, 91, 911, 9112), "911" -> (9, 91,
# 911, -1), "0110" -> (0, 1, 11, 110); an empty slot -> (-1, -1, -1, -1). Two codes share a level when the integers
# at that level are equal and not negative, so the shared depth is the count of equal levels (prefixes nest).


def _prefixes(code: str) -> tuple[int, int, int, int]:
    code = code.strip()
    if not code:
        return (-1, -1, -1, -1)
    _checked(code)
    return tuple(int(code[:n]) if len(code) >= n else -1 for n in (1, 2, 3, 4))  # type: ignore[return-value]


def encode(codes: Iterable | np.ndarray) -> np.ndarray:
    """Codes -> int16 array of shape codes.shape + (4,), the prefixes per level (-1 where there is none).

    Strings: "" or None is an empty slot. Integers: four-digit unit codes (9112, or 110 for "0110"), negative for an
    empty slot. A malformed code raises ValueError."""
    arr = np.asarray(codes)
    if arr.dtype.kind in "iu":
        c = arr.astype(np.int32)
        if (c > 9999).any():
            raise ValueError("integer codes are four-digit unit codes (0 to 9999)")
        out = np.stack([c // 1000, c // 100, c // 10, c], axis=-1)
        out[c < 0] = -1
        return out.astype(np.int16)
    if arr.dtype.kind == "O":
        arr = np.where(np.equal(arr, None), "", arr).astype(str)
    elif arr.dtype.kind != "U":
        raise ValueError(f"codes must be strings or integers, not {arr.dtype}")
    if arr.size == 0:
        return np.zeros(arr.shape + (4,), dtype=np.int16)
    if arr.dtype.itemsize <= 16:  # at most 4 characters: read the digits straight from the code points
        fast = _encode_digits(np.ascontiguousarray(arr, dtype="<U4"))
        if fast is not None:
            return fast
    uniq, inverse = np.unique(arr.ravel(), return_inverse=True)
    rows = np.array([_prefixes(str(u)) for u in uniq], dtype=np.int16).reshape(-1, 4)
    return rows[inverse.ravel()].reshape(arr.shape + (4,))


def _encode_digits(arr: np.ndarray) -> np.ndarray | None:
    """encode() for a '<U4' array without a Python loop; None when some code is not plain digits (the slow path
    then strips blanks and names the malformed code)."""
    points = arr.view(np.uint32).reshape(arr.shape + (4,)).astype(np.int32)
    present = points != 0
    length = present.sum(axis=-1)
    digits = points - ord("0")
    ok = ~present | ((digits >= 0) & (digits <= 9))
    if not ok.all() or (present[..., 1:] & ~present[..., :-1]).any():
        return None
    out = np.full(arr.shape + (4,), -1, dtype=np.int32)
    value = np.zeros(arr.shape, dtype=np.int32)
    for level in range(4):
        value = value * 10 + np.where(present[..., level], digits[..., level], 0)
        out[..., level] = np.where(length > level, value, -1)
    return out.astype(np.int16)


def decode(encoded: np.ndarray) -> np.ndarray:
    """The inverse of encode: an array of code strings ("" for an empty slot)."""
    enc = np.asarray(encoded)
    flat = enc.reshape(-1, 4)
    out = np.empty(len(flat), dtype="<U4")
    for i, row in enumerate(flat):
        depth = int((row >= 0).sum())
        out[i] = "" if depth == 0 else str(int(row[depth - 1])).zfill(depth)
    return out.reshape(enc.shape[:-1])


@cache
def _related_ints() -> dict[int, tuple[int, ...]]:
    return {int(c): tuple(int(r) for r in o.related) for c, o in table().items() if o.related}


def related_units(units: np.ndarray) -> np.ndarray:
    """For each unit prefix (the 4th level of an encoded code, -1 when none), its related unit codes as an int16
    array (len(units), r), padded with -3 (never equal to an encoded level)."""
    units = np.asarray(units).ravel()
    lists = [_related_ints().get(int(u), ()) if u >= 0 else () for u in units]
    width = max((len(x) for x in lists), default=0)
    out = np.full((len(units), width), -3, dtype=np.int16)
    for i, rel in enumerate(lists):
        out[i, : len(rel)] = rel
    return out


def similarity_arrays(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise similarity of two broadcastable encoded arrays (..., 4) -> float64 (...). For tests and small
    inputs: the matching engine has its own path for large ones."""
    a, b = np.asarray(a), np.asarray(b)
    depth = ((a == b) & (a >= 0)).sum(axis=-1)
    sim = np.asarray(SIMILARITY_BY_DEPTH)[depth]
    ua, ub = np.broadcast_arrays(a[..., 3], b[..., 3])
    rel = related_units(ua)
    hit = (rel == ub.reshape(-1, 1)).any(axis=1).reshape(ua.shape) if rel.size else np.zeros(ua.shape, bool)
    return np.where(hit, np.maximum(sim, RELATED_SIMILARITY), sim)
