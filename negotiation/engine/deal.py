"""Deals and lotteries: what a solution returns.

A :class:`Deal` is one outcome (a level for every issue) with every party's utility of it; a
:class:`Lottery` is a randomised agreement, a mixture of deals with probabilities, whose utility
is the expected utility (von Neumann & Morgenstern 1944 [vonNeumannMorgenstern1944]_).

References
----------
.. [vonNeumannMorgenstern1944] von Neumann, Morgenstern, *Theory of Games and Economic Behavior*
   (1944). Full entry: docs/references.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotation only (model sits below engine; no import at run time needed)
    from negotiation.model.scenario import Scenario

__all__ = ["Deal", "Lottery"]


@dataclass(frozen=True, eq=False)
class Deal:
    """One agreement.

    Parameters
    ----------
    levels
        The outcome's level indices, one per issue.
    utilities
        Each party's utility of it.
    terms
        ``{issue name: level name}``.
    parties
        Party names, aligned with ``utilities``.
    """

    levels: np.ndarray
    utilities: np.ndarray
    terms: dict[str, str]
    parties: tuple[str, ...]

    @classmethod
    def from_row(cls, scenario: Scenario, levels: np.ndarray, utilities: np.ndarray) -> Deal:
        """The outcome ``levels`` of ``scenario`` with its utility vector (both copied): the one
        constructor of a deal from a row of an outcome table (:meth:`Frontier.deal
        <negotiation.engine.frontier.Frontier.deal>`, and every table of deals built like it).

        >>> import negotiation as ng
        >>> s = ng.load_scenario("textbook_two_party")
        >>> row = s.space.enumerate()[:1][0]
        >>> Deal.from_row(s, row, s.utilities(row[None, :])[0]).terms["salary"]
        '52k'
        """
        return cls(
            levels=np.array(levels, copy=True),
            utilities=np.array(utilities, copy=True),
            terms=scenario.space.deal(levels),
            parties=scenario.party_names,
        )

    def utility_of(self, party: str) -> float:
        """Utility of the named party."""
        return float(self.utilities[self.parties.index(party)])

    def to_dict(self) -> dict:
        """JSON shape: ``{"deal": {issue: level}, "utilities": {party: u}}``."""
        return {
            "deal": dict(self.terms),
            "utilities": {p: float(u) for p, u in zip(self.parties, self.utilities, strict=True)},
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Deal) and np.array_equal(self.levels, other.levels)

    def __hash__(self) -> int:
        return hash(tuple(int(x) for x in self.levels))


@dataclass(frozen=True, eq=False)
class Lottery:
    """A randomised agreement: deal ``k`` is drawn with probability ``probabilities[k]``.

    ``utilities`` is the expected utility vector ``sum_k p_k u(deal_k)``.
    """

    deals: tuple[Deal, ...]
    probabilities: np.ndarray
    utilities: np.ndarray
    parties: tuple[str, ...]

    def to_dict(self) -> dict:
        """JSON shape: ``{"mixture": [{"deal": .., "probability": p}], "utilities": {..}}``."""
        return {
            "mixture": [
                {"deal": dict(d.terms), "probability": float(p)}
                for d, p in zip(self.deals, self.probabilities, strict=True)
            ],
            "utilities": {p: float(u) for p, u in zip(self.parties, self.utilities, strict=True)},
        }
