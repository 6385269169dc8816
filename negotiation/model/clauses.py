"""Clauses: the matching rule shared by constraints, red lines and bonuses.

A clause maps some issues to sets of levels. An outcome *matches* the clause when, for every
listed issue, the outcome's level is among the listed levels (a conjunction over issues, a
disjunction within an issue). Constraints forbid matching outcomes for everybody, red lines for
one party, and bonuses add a value to a party's utility when they match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Clause", "Bonus"]


@dataclass(frozen=True)
class Clause:
    """A conjunction over issues of sets of levels, by level *index*.

    Parameters
    ----------
    terms
        Pairs ``(issue_index, level_indices)``, sorted by issue index.

    Examples
    --------
    >>> c = Clause.of({0: [1], 2: [0, 2]})
    >>> c.match(np.array([[1, 0, 2], [1, 1, 1], [0, 0, 0]])).tolist()
    [True, False, False]
    """

    terms: tuple[tuple[int, tuple[int, ...]], ...]

    @classmethod
    def of(cls, mapping: Mapping[int, Sequence[int]]) -> Clause:
        """Build a clause from ``{issue_index: [level_index, ...]}``."""
        return cls(
            tuple(
                sorted((int(i), tuple(sorted({int(v) for v in lv}))) for i, lv in mapping.items())
            )
        )

    @property
    def issues(self) -> tuple[int, ...]:
        """Indices of the issues the clause mentions."""
        return tuple(i for i, _ in self.terms)

    def match(self, levels: np.ndarray, sizes: Sequence[int] | None = None) -> np.ndarray:
        """Boolean mask over the rows of an ``N x issues`` level matrix: which rows match.

        The test is vectorised: one lookup table per listed issue, combined with ``&``.
        """
        levels = np.asarray(levels)
        mask = np.ones(levels.shape[0], dtype=bool)
        for i, allowed in self.terms:
            column = levels[:, i]
            size = (sizes[i] if sizes is not None else int(column.max(initial=0)) + 1) or 1
            table = np.zeros(max(size, max(allowed) + 1), dtype=bool)
            table[list(allowed)] = True
            mask &= table[column]
        return mask


@dataclass(frozen=True)
class Bonus:
    """An interaction term: ``value`` is added to a party's utility when ``clause`` matches."""

    clause: Clause
    value: float
