"""The outcome space: the cartesian product of the issues' levels, minus forbidden combinations.

Outcomes are represented as rows of an integer *level matrix* (``N x issues``): entry ``(n, i)``
is the index of the level that outcome ``n`` chooses on issue ``i``. Outcome *indices* are the
mixed-radix numbers of those rows, the last issue varying fastest (C order, as
:func:`numpy.ravel_multi_index`), so ``range(space.cardinality)`` enumerates the whole product.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.clauses import Clause
from negotiation.model.issues import Issue

__all__ = ["OutcomeSpace", "DEFAULT_CHUNK"]

#: Default number of outcomes per enumeration chunk (bounds memory: ~chunk x issues x 8 bytes).
DEFAULT_CHUNK = 1 << 18

#: Largest product space that can be indexed with int64 mixed-radix numbers.
_MAX_INDEXABLE = np.iinfo(np.int64).max


@dataclass(frozen=True)
class OutcomeSpace:
    """A discrete outcome space.

    Parameters
    ----------
    issues
        The (discrete) issues, in order.
    constraints
        Clauses that forbid every outcome matching them, for all parties.

    Examples
    --------
    >>> space = OutcomeSpace((Issue("x", ("a", "b")), Issue("y", ("p", "q", "r"))))
    >>> space.cardinality
    6
    >>> space.levels_of(np.array([0, 4])).tolist()
    [[0, 0], [1, 1]]
    >>> space.deal([1, 2])
    {'x': 'b', 'y': 'r'}
    """

    issues: tuple[Issue, ...]
    constraints: tuple[Clause, ...] = ()
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        if not self.issues:
            raise ScenarioError("the outcome space has no issues")
        index: dict[str, int] = {}
        for k, issue in enumerate(self.issues):
            if issue.name in index:
                raise ScenarioError("duplicate issue name", issue=issue.name)
            if issue.is_continuous:
                raise ScenarioError(
                    "is continuous: discretise the scenario first (Scenario.discretize)",
                    issue=issue.name,
                )
            index[issue.name] = k
        object.__setattr__(self, "_index", index)

    # -- shape -------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """Issue names, in order."""
        return tuple(i.name for i in self.issues)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of levels of each issue."""
        return tuple(i.size for i in self.issues)

    @property
    def cardinality(self) -> int:
        """Size of the full cartesian product (constraints not subtracted), as a Python int."""
        return math.prod(self.sizes)

    def issue_index(self, name: str, **where: str | None) -> int:
        """Position of the named issue; :class:`ScenarioError` naming it if unknown."""
        try:
            return self._index[name]
        except KeyError:
            raise ScenarioError(
                f"unknown issue (the issues are {list(self.names)})", issue=str(name), **where
            ) from None

    # -- enumeration -------------------------------------------------------------------------
    def _check_indexable(self) -> None:
        if self.cardinality > _MAX_INDEXABLE:
            raise ScenarioError(
                f"the outcome space has {self.cardinality:.3e} outcomes, too many to index; "
                "use the frontier search engine instead of enumeration"
            )

    def levels_of(self, indices: np.ndarray) -> np.ndarray:
        """Level matrix (``N x issues``, int64) of the given outcome indices (mixed radix)."""
        self._check_indexable()
        indices = np.asarray(indices, dtype=np.int64)
        if indices.size and (indices.min() < 0 or indices.max() >= self.cardinality):
            raise ScenarioError(f"outcome index out of range [0, {self.cardinality})")
        if indices.size == 0:
            return np.zeros((0, len(self.issues)), dtype=np.int64)
        return np.stack(np.unravel_index(indices, self.sizes), axis=1).astype(np.int64)

    def indices_of(self, levels: np.ndarray) -> np.ndarray:
        """Outcome indices (mixed radix) of the rows of a level matrix."""
        self._check_indexable()
        levels = np.atleast_2d(np.asarray(levels, dtype=np.int64))
        if levels.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        return np.ravel_multi_index(tuple(levels.T), self.sizes).astype(np.int64)

    def chunks(self, chunk_size: int = DEFAULT_CHUNK) -> Iterator[np.ndarray]:
        """Yield the whole product space as level matrices of at most ``chunk_size`` rows."""
        self._check_indexable()
        total = self.cardinality
        for start in range(0, total, chunk_size):
            yield self.levels_of(np.arange(start, min(start + chunk_size, total), dtype=np.int64))

    def enumerate(self) -> np.ndarray:
        """The whole product space as one level matrix (constraints not applied)."""
        return self.levels_of(np.arange(self.cardinality, dtype=np.int64))

    def sample(
        self, n: int, seed: int | np.random.Generator | None = 0, *, allowed_only: bool = False
    ) -> np.ndarray:
        """Draw ``n`` outcomes uniformly at random (with replacement) as a level matrix.

        With ``allowed_only``, outcomes forbidden by a constraint are redrawn (rejection), so the
        sample is uniform over the allowed outcomes.
        """
        rng = np.random.default_rng(seed)
        sizes = np.asarray(self.sizes)
        out = np.empty((0, len(sizes)), dtype=np.int64)
        for _ in range(1000):
            need = n - out.shape[0]
            if need <= 0:
                break
            draw = (rng.random((max(need, 16), len(sizes))) * sizes).astype(np.int64)
            if allowed_only:
                draw = draw[self.allowed_mask(draw)]
            out = np.concatenate([out, draw[:need]])
        if out.shape[0] < n:
            raise ScenarioError("the constraints leave (almost) no allowed outcome to sample")
        return out

    # -- constraints -------------------------------------------------------------------------
    def allowed_mask(self, levels: np.ndarray) -> np.ndarray:
        """True for the rows of a level matrix that no constraint forbids."""
        levels = np.asarray(levels)
        mask = np.ones(levels.shape[0], dtype=bool)
        for clause in self.constraints:
            mask &= ~clause.match(levels, self.sizes)
        return mask

    # -- labels ------------------------------------------------------------------------------
    def deal(self, levels: Sequence[int] | np.ndarray) -> dict[str, str]:
        """The labelled deal ``{issue: level name}`` of one row of a level matrix."""
        return {
            issue.name: issue.levels[int(k)] for issue, k in zip(self.issues, levels, strict=True)
        }

    def encode(self, deal: Mapping[str, str]) -> np.ndarray:
        """The level-matrix row of a labelled deal; every issue must be given a known level."""
        row = np.zeros(len(self.issues), dtype=np.int64)
        missing = set(self.names) - set(deal)
        if missing:
            raise ScenarioError(f"the deal gives no level for issues {sorted(missing)}")
        for name, level in deal.items():
            k = self.issue_index(name)
            row[k] = self.issues[k].level_index(level)
        return row
