"""Counter-based random numbers: every draw is a pure function of (seed, replication, month, stream, person).

NumPy's Philox4x64 is a counter-based generator: its output block for counter c under key k is a fixed function
of (k, c). The key carries (seed, stream, replication, month); the counter is the position of the person, eight
32-bit draws per 256-bit block. So the draw of person p in month t of replication r is the same number whether the
persons are drawn all at once or in chunks, on one core or on a cluster, and every scenario run with the same seed
sees the same draws (common random numbers). There is no global random state anywhere in trede.simulation.

Streams
    EVENT       one uint32 per person and month: the monthly competing-risk draw (engine.py)
    KEYS        KEY_LANES uint32 per person and replication (month 0): fixed per-person keys of a replication
                (allocation tie-breaks, willingness to take up a voluntary offer, wage subsidy and job coaching)
    POPULATION  building a synthetic population (population.py), keyed on the population's seed only
"""

from __future__ import annotations

import numpy as np

EVENT = 1
KEYS = 2
POPULATION = 3
KEY_LANES = 4  # per-person keys per replication (KEYS stream)
PER_BLOCK = 8  # uint32 draws per Philox4x64 block (4 x 64 bits)
MAX_MONTH = (1 << 24) - 1
MAX_REPLICATION = (1 << 32) - 1
MAX_STREAM = (1 << 8) - 1
MASK64 = (1 << 64) - 1
TWO32 = 4294967296.0  # 2**32: a probability p becomes the uint32 threshold floor(p * 2**32)


def key(seed: int, replication: int, month: int, stream: int) -> np.ndarray:
    """The Philox key of one (seed, replication, month, stream): 128 bits, injective in its arguments."""
    if not 0 <= seed <= MASK64:
        raise ValueError(f"seed must be an integer from 0 to 2**64 - 1, not {seed}")
    if not 0 <= replication <= MAX_REPLICATION:
        raise ValueError(f"replication must be from 0 to {MAX_REPLICATION}, not {replication}")
    if not 0 <= month <= MAX_MONTH:
        raise ValueError(f"month must be from 0 to {MAX_MONTH}, not {month}")
    if not 0 <= stream <= MAX_STREAM:
        raise ValueError(f"stream must be from 0 to {MAX_STREAM}, not {stream}")
    return np.array([seed, (stream << 56) | (replication << 24) | month], dtype=np.uint64)


def uint32(seed: int, replication: int, month: int, stream: int, start: int, stop: int) -> np.ndarray:
    """The uint32 draws of positions start..stop-1 (persons, or person x lane) of one key, as one array.

    Position q is lane q % 8 of Philox block q // 8, whatever `start` is: drawing [0, n) at once or in any
    chunks gives the same numbers."""
    if not 0 <= start <= stop:
        raise ValueError("need 0 <= start <= stop")
    block0 = start // PER_BLOCK
    offset = start - block0 * PER_BLOCK
    n = stop - start
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    counter = np.array([block0, 0, 0, 0], dtype=np.uint64)
    bits = np.random.Philox(key=key(seed, replication, month, stream), counter=counter)
    raw = bits.random_raw((offset + n + 1) // 2)
    return raw.astype("<u8", copy=False).view("<u4")[offset : offset + n]


def uint32_chunked(
    seed: int, replication: int, month: int, stream: int, n: int, chunk: int | None = None
) -> np.ndarray:
    """uint32(..., 0, n) drawn in pieces of `chunk` positions (None: at once); identical output for every chunk."""
    if chunk is None or chunk >= n:
        return uint32(seed, replication, month, stream, 0, n)
    if chunk <= 0:
        raise ValueError("chunk must be positive")
    out = np.empty(n, dtype=np.uint32)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        out[lo:hi] = uint32(seed, replication, month, stream, lo, hi)
    return out


def person_keys(seed: int, replication: int, n: int) -> np.ndarray:
    """KEY_LANES fixed uint32 keys per person for one replication, shape (KEY_LANES, n): lane j of person p is
    position p * KEY_LANES + j of the KEYS stream (month 0)."""
    return uint32(seed, replication, 0, KEYS, 0, n * KEY_LANES).reshape(n, KEY_LANES).T.copy()


def generator(seed: int, stream: int, tag: int = 0) -> np.random.Generator:
    """A NumPy Generator on a Philox key of its own (for building populations: no chunk invariance needed)."""
    return np.random.Generator(np.random.Philox(key=key(seed, 0, tag, stream)))


def threshold(p) -> np.ndarray:
    """Probabilities (clipped to [0, 1]) as uint64 thresholds: a uint32 draw u fires when u < threshold, which
    happens with probability floor(p * 2**32) / 2**32 (p = 1: always, p = 0: never)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    return (p * TWO32).astype(np.uint64)
