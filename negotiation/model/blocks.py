"""Fast evaluation of the whole outcome space in contiguous blocks.

Enumerating the product space row by row (decode every index, gather every table) is dominated
by memory traffic. Because outcome indices are mixed-radix numbers with the last issue varying
fastest, a contiguous range of indices that covers whole *suffix blocks* factorises: it is a set
of prefix rows (the first ``s`` issues) times the full product of the remaining issues. On such a
block

* utilities are built by broadcasting, adding one issue's table at a time in issue order
  (``acc[:, None, :] + T_i[None, :, :]``, :func:`~negotiation.model.utility.product_sum`), which
  performs exactly the same floating-point additions, in the same order, as
  :meth:`Scenario.utilities` (both go through :mod:`negotiation.model.utility`) -- the results
  are bit-identical;
* a clause's mask is the outer AND of its prefix part and its (precomputed) suffix part.

:func:`evaluate_blocks` yields, block by block, the utilities, the constraint mask and the red-line
masks; the enumeration engine filters them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from negotiation.model.clauses import Clause
from negotiation.model.scenario import Scenario
from negotiation.model.utility import add_bonuses, product_sum, table_sum

__all__ = ["Block", "evaluate_blocks", "split_point"]


@dataclass(frozen=True)
class Block:
    """Outcomes ``start, start+1, ..., start+n-1`` evaluated.

    Attributes
    ----------
    start
        Index of the block's first outcome.
    utilities
        ``n x parties`` utilities (bit-identical to :meth:`Scenario.utilities`).
    allowed
        ``n`` booleans: no constraint forbids the outcome.
    red
        ``n x parties`` booleans: the outcome crosses one of the party's red lines.
    """

    start: int
    utilities: np.ndarray
    allowed: np.ndarray
    red: np.ndarray

    @property
    def indices(self) -> np.ndarray:
        """Outcome indices of the block's rows."""
        return np.arange(self.start, self.start + self.utilities.shape[0], dtype=np.int64)


def split_point(sizes: tuple[int, ...], chunk_size: int) -> int:
    """First suffix issue: the largest suffix whose product stays within ``chunk_size``
    (at least the last issue)."""
    s = len(sizes) - 1
    block = sizes[-1]
    while s > 0 and block * sizes[s - 1] <= chunk_size:
        s -= 1
        block *= sizes[s]
    return s


def _lookup(clause: Clause, sizes: tuple[int, ...]) -> dict[int, np.ndarray]:
    out = {}
    for i, allowed in clause.terms:
        table = np.zeros(sizes[i], dtype=bool)
        table[list(allowed)] = True
        out[i] = table
    return out


@lru_cache(maxsize=512)
def _suffix_mask(clause: Clause, sizes: tuple[int, ...], s: int) -> np.ndarray:
    """The clause's mask over the suffix block (cached: sweeps re-evaluate the same clauses)."""
    lookup = _lookup(clause, sizes)
    mask = np.ones(1, dtype=bool)
    for i in range(s, len(sizes)):
        part = lookup.get(i)
        if part is None:
            mask = np.repeat(mask, sizes[i])
        else:
            mask = (mask[:, None] & part[None, :]).ravel()
    mask.setflags(write=False)
    return mask


def _prefix_mask(lookup: dict[int, np.ndarray], prefix: np.ndarray, s: int) -> np.ndarray:
    mask = np.ones(prefix.shape[0], dtype=bool)
    for i, table in lookup.items():
        if i < s:
            mask &= table[prefix[:, i]]
    return mask


def evaluate_blocks(scenario: Scenario, chunk_size: int = 1 << 18) -> Iterator[Block]:
    """Evaluate the whole (discrete) outcome space block by block, in index order.

    Parameters
    ----------
    scenario
        A discrete scenario.
    chunk_size
        Target rows per block (a block holds at least one full suffix of the last issue).

    Yields
    ------
    Block
        Contiguous blocks covering ``range(scenario.space.cardinality)``.
    """
    space = scenario.space
    space._check_indexable()
    sizes = space.sizes
    P = len(scenario.parties)
    s = split_point(sizes, chunk_size)
    suffix_size = math.prod(sizes[s:])
    prefix_total = math.prod(sizes[:s])
    rows_per_block = max(1, chunk_size // suffix_size)
    tables = scenario.tables

    def compiled(clause: Clause) -> tuple[dict[int, np.ndarray], np.ndarray]:
        return _lookup(clause, sizes), _suffix_mask(clause, sizes, s)

    constraints = [compiled(c) for c in scenario.constraint_clauses]
    red_lines = [[compiled(c) for c in clauses] for clauses in scenario.red_line_clauses]
    bonus_entries = {b.clause: compiled(b.clause) for bs in scenario.bonuses for b in bs}

    for first in range(0, prefix_total, rows_per_block):
        count = min(rows_per_block, prefix_total - first)
        if s > 0:
            prefix = np.stack(
                np.unravel_index(np.arange(first, first + count, dtype=np.int64), sizes[:s]),
                axis=1,
            )
        else:
            prefix = np.zeros((1, 0), dtype=np.int64)
        acc = table_sum(prefix, tables[:s]) if s else np.zeros((1, P))
        acc = product_sum(acc, tables[s:])

        def outer(
            entry: tuple[dict[int, np.ndarray], np.ndarray], prefix: np.ndarray = prefix
        ) -> np.ndarray:
            lookup, suffix = entry
            return (_prefix_mask(lookup, prefix, s)[:, None] & suffix[None, :]).ravel()

        def bonus_mask(clause: Clause, outer: Callable[..., np.ndarray] = outer) -> np.ndarray:
            return outer(bonus_entries[clause])

        add_bonuses(acc, scenario.bonuses, bonus_mask)
        allowed = np.ones(acc.shape[0], dtype=bool)
        for entry in constraints:
            allowed &= ~outer(entry)
        red = np.zeros((acc.shape[0], P), dtype=bool)
        for p, entries in enumerate(red_lines):
            for entry in entries:
                red[:, p] |= outer(entry)
        yield Block(start=first * suffix_size, utilities=acc, allowed=allowed, red=red)
