"""The registry of bargaining solutions, :data:`SOLUTIONS`, and the look-ups by name.

Adding a solution is one new module (a :class:`~negotiation.engine.solutions.base.Solution`
subclass with its metadata and its ``index``, ``lottery_weights`` and ``continuous``) and one
line in :data:`SOLUTIONS`. Every caller iterates the registry: :func:`solve`,
:func:`solve_lottery`, :data:`LOTTERY_SOLUTIONS`, the exact continuous solutions
(:mod:`negotiation.engine.continuous`) and the plots' labels, markers and line styles
(:mod:`negotiation.plots.colors`).

Every look-up takes an optional ``registry`` (a mapping name -> solution; default
:data:`SOLUTIONS`), so a study or a test can add a rule to a copy without touching the global
one.

Examples
--------
>>> list(SOLUTIONS)
['nash', 'asymmetric_nash', 'kalai_smorodinsky', 'egalitarian', 'utilitarian']
>>> SOLUTIONS["kalai_smorodinsky"].label, SOLUTIONS["kalai_smorodinsky"].short
('Kalai–Smorodinsky', 'Kalai-Smor.')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.base import Solution, Weights
from negotiation.engine.solutions.egalitarian import EGALITARIAN
from negotiation.engine.solutions.kalai_smorodinsky import KALAI_SMORODINSKY
from negotiation.engine.solutions.nash import ASYMMETRIC_NASH, NASH
from negotiation.engine.solutions.utilitarian import UTILITARIAN
from negotiation.errors import NegotiationError

__all__ = [
    "LOTTERY_SOLUTIONS",
    "SOLUTIONS",
    "VariantView",
    "get_solution",
    "lottery_weights",
    "solution_index",
    "solve",
    "solve_lottery",
]

#: The bargaining solutions by name, in the order of the report's tables (one line per rule).
SOLUTIONS: dict[str, Solution] = {
    NASH.name: NASH,
    ASYMMETRIC_NASH.name: ASYMMETRIC_NASH,
    KALAI_SMORODINSKY.name: KALAI_SMORODINSKY,
    EGALITARIAN.name: EGALITARIAN,
    UTILITARIAN.name: UTILITARIAN,
}


def get_solution(
    name: str, registry: Mapping[str, Solution] | None = None, *, what: str = "solution"
) -> Solution:
    """The solution registered under ``name`` (in ``registry``, default :data:`SOLUTIONS`).

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones).

    Examples
    --------
    >>> get_solution("nash")
    <solution nash: Nash [Nash1950]>
    """
    known = SOLUTIONS if registry is None else registry
    if name not in known:
        raise NegotiationError(f"unknown {what} {name!r} (known: {', '.join(known)})")
    return known[name]


class VariantView(Mapping[str, Callable]):
    """A live, read-only view ``name -> variant`` of every registered solution (e.g. the
    ``lottery`` methods), so that old dictionaries such as :data:`LOTTERY_SOLUTIONS` follow the
    registry.

    >>> list(VariantView("lottery")) == list(SOLUTIONS)
    True
    """

    def __init__(self, variant: str, registry: Mapping[str, Solution] | None = None) -> None:
        self._variant = variant
        self._registry = registry

    @property
    def registry(self) -> Mapping[str, Solution]:
        return SOLUTIONS if self._registry is None else self._registry

    def __getitem__(self, name: str) -> Callable:
        return getattr(self.registry[name], self._variant)

    def __iter__(self) -> Iterator[str]:
        return iter(self.registry)

    def __len__(self) -> int:
        return len(self.registry)

    def __repr__(self) -> str:
        return f"VariantView({self._variant!r}: {', '.join(self.registry)})"


#: The lottery variants by name (``LOTTERY_SOLUTIONS[name](frontier, support=...)``).
LOTTERY_SOLUTIONS = VariantView("lottery")


def solve(name: str, frontier: Frontier, *, registry: Mapping[str, Solution] | None = None) -> Deal:
    """The deal the named solution picks on ``frontier`` (a name from :data:`SOLUTIONS`).

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones).
    InfeasibleError
        When the feasible set is empty.
    """
    return get_solution(name, registry).pure(frontier)


def solution_index(
    name: str,
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    power: np.ndarray | Sequence[float] | None = None,
    levels: np.ndarray | None = None,
    registry: Mapping[str, Solution] | None = None,
) -> int:
    """Row of ``U`` that the named solution picks (the array version of :func:`solve`).

    ``power`` is used by ``"asymmetric_nash"`` only (``None``: all 1).

    Examples
    --------
    >>> solution_index("utilitarian", np.array([[0.2, 0.2], [0.5, 0.6]]), [0.0, 0.0])
    1
    """
    return get_solution(name, registry).index(U, d, power=power, levels=levels)


def solve_lottery(
    name: str,
    frontier: Frontier,
    *,
    support: str = "allowed",
    registry: Mapping[str, Solution] | None = None,
) -> Lottery:
    """The lottery the named solution picks on the bargaining set of ``frontier``'s scenario
    (``support``: see :func:`~negotiation.engine.solutions.lottery.lottery_candidates`).

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones) or support.
    InfeasibleError
        When the feasible set is empty.
    """
    return get_solution(name, registry, what="lottery solution").lottery(frontier, support=support)


def lottery_weights(
    name: str,
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    power: np.ndarray | Sequence[float] | None = None,
    levels: np.ndarray | None = None,
    cut: bool = True,
    registry: Mapping[str, Solution] | None = None,
) -> Weights:
    """``(rows, probabilities)`` of the named lottery solution on the rows of ``U``.

    The rows are the candidate deals; the lotteries are the mixtures of them whose expected
    utility is at least ``d`` for every party (rows below ``d`` may be mixed in). With
    ``cut=False`` (a quota rule) the lotteries are all mixtures of the rows. ``power`` is used
    by ``"asymmetric_nash"`` only.
    """
    solution = get_solution(name, registry, what="lottery solution")
    return solution.lottery_weights(U, d, power=power, levels=levels, cut=cut)
