"""Small shared pieces of the equilibrium results: JSON shapes and readable lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.model.scenario import Scenario

__all__ = [
    "GameResult",
    "agreement_dict",
    "describe",
    "utilities_line",
    "frontier_view",
    "lottery",
]


@runtime_checkable
class GameResult(Protocol):
    """What every game's result offers (the contract the faces and the report rely on).

    Attributes
    ----------
    model
        The model's name, as in :data:`negotiation.dynamics.games.registry.MODELS` (e.g.
        ``"rubinstein"``, ``"baron-ferejohn"``).
    utilities
        ``{party: utility}``: every party's (expected) utility of the model's outcome -- a
        deal, or a lottery's expectation; ``{}`` when the outcome is no agreement (every party
        keeps its reservation value). Each lies within the party's range over the allowed
        outcomes (a contract test checks it by brute force).

    Methods
    -------
    to_dict()
        The JSON-ready result (plain dicts, lists, strings, finite numbers).
    summary()
        A few readable lines.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.dynamics.games import rubinstein
    >>> isinstance(rubinstein(ng.load_scenario("textbook_two_party")), GameResult)
    True
    """

    model: str

    @property
    def utilities(self) -> dict[str, float]: ...

    def to_dict(self) -> dict: ...

    def summary(self) -> str: ...


def agreement_dict(agreement: Deal | Lottery | None) -> dict | None:
    """JSON shape of an agreement: a deal, a lottery (``"mixture"``) or ``None``."""
    return None if agreement is None else agreement.to_dict()


def describe(agreement: Deal | Lottery | None, *, width: int = 4) -> str:
    """One line naming an agreement's terms (a lottery lists its deals with probabilities)."""
    if agreement is None:
        return "no agreement"
    if isinstance(agreement, Deal):
        return ", ".join(f"{k}={v}" for k, v in agreement.terms.items())
    if not agreement.deals:  # an empty mixture proposes nothing
        return "no agreement"
    first = agreement.deals[0]
    parts = [f"[p={float(agreement.probabilities[0]):.{width}f}] " + describe(first)]
    for deal, p in zip(agreement.deals[1:], agreement.probabilities[1:], strict=False):
        diff = {k: v for k, v in deal.terms.items() if first.terms.get(k) != v}
        parts.append(
            f"[p={float(p):.{width}f}] the same but "
            + ", ".join(f"{k}={v}" for k, v in diff.items())
        )
    return "lottery: " + " | ".join(parts)


def utilities_line(utilities: Mapping[str, float] | np.ndarray, parties=None) -> str:
    """``A 0.712, B 0.604`` from a mapping (or an array with the party names)."""
    if not isinstance(utilities, Mapping):
        utilities = dict(zip(parties, np.asarray(utilities, dtype=float), strict=False))
    return ", ".join(f"{k} {float(v):.4f}" for k, v in utilities.items())


def frontier_view(scenario: Scenario, levels: np.ndarray, utilities: np.ndarray) -> Frontier:
    """Rows of outcomes (``levels``, every party's ``utilities``) seen as a
    :class:`~negotiation.engine.frontier.Frontier`, so that the games label their deals with
    :meth:`Frontier.deal <negotiation.engine.frontier.Frontier.deal>` (one implementation).

    The counts are unknown (``None``); ``engine`` is ``"rows"``.
    """
    return Frontier(
        scenario=scenario,
        levels=levels,
        utilities=utilities,
        n_outcomes=scenario.space.cardinality,
        n_allowed=None,
        n_feasible=None,
        engine="rows",
        rule=scenario.agreement,
    )


def lottery(rows: Frontier, weights: np.ndarray, tol: float = 1e-10) -> Deal | Lottery | None:
    """The lottery over the outcomes ``rows`` with the given weights.

    Weights below ``tol`` are dropped and the rest renormalised; the deals are listed by
    decreasing probability (stable); a :class:`Deal` when one is left, ``None`` when none is.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.engine.frontier import enumerate_frontier
    >>> f = enumerate_frontier(ng.load_scenario("textbook_two_party"))
    >>> lot = lottery(f, np.array([0.25, 0.75] + [0.0] * (f.size - 2)))
    >>> lot.probabilities.tolist(), lottery(f, np.zeros(f.size)) is None
    ([0.75, 0.25], True)
    """
    w = np.asarray(weights, dtype=float)
    w = np.where(w < tol, 0.0, w)
    support = np.flatnonzero(w)
    if support.size == 0:
        return None
    if support.size == 1:
        return rows.deal(int(support[0]))
    support = support[np.argsort(-w[support], kind="stable")]
    pr = w[support] / w[support].sum()
    return Lottery(
        deals=tuple(rows.deal(int(k)) for k in support),
        probabilities=pr,
        utilities=pr @ rows.utilities[support],
        parties=rows.scenario.party_names,
    )
