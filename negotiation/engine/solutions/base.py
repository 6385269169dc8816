"""The bargaining solution: one rule, its metadata and its pure, lottery and continuous variants.

Every solution here works on a :class:`~negotiation.engine.frontier.Frontier` (the
Pareto-feasible outcomes of a scenario) with the *disagreement point* ``d`` = the vector of the
parties' reservation values. Write ``g_i = u_i - d_i`` for party ``i``'s *gain* over
disagreement and ``I_i = max u_i`` over the feasible set for its *ideal* (best feasible) utility.
Each rule maximises an objective that never decreases when a party's utility rises, so a
maximiser over the whole feasible set always lies on the frontier: searching the frontier is
exact.

=====================  ==========================================================================
``nash``               maximise ``prod_i g_i`` ([Nash1950]_)
``asymmetric_nash``    maximise ``prod_i g_i ** alpha_i``, ``alpha`` = the parties' ``power``
                       ([Kalai1977a]_; [BRW1986]_)
``kalai_smorodinsky``  maximise ``min_i g_i / (I_i - d_i)`` ([KalaiSmorodinsky1975]_)
``egalitarian``        maximise ``min_i g_i``, then the leximin order ([Kalai1977b]_; [Rawls1971]_)
``utilitarian``        maximise ``sum_i u_i`` ([Harsanyi1955]_)
=====================  ==========================================================================

Ties and tolerances are shared by every rule (:mod:`negotiation.engine.solutions.choice`); each
rule's exact definition, degenerate cases included, is in its own module (also in
``docs/explanation-math.md``).

A rule is a :class:`Solution`: its metadata (``label``, ``short``, ``marker``, ``linestyle``,
``reference``) and three variants, ``pure(frontier)`` (one deal), ``lottery(frontier,
support=...)`` (a randomised agreement) and ``continuous(problem)`` (exact on continuous issues),
all built on the array function ``index(U, d, ...)`` and ``lottery_weights(U, d, ...)``.
:data:`negotiation.engine.solutions.SOLUTIONS` is the ordered registry every caller iterates.

References
----------
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [KalaiSmorodinsky1975] Kalai, Smorodinsky, "Other solutions to Nash's bargaining problem" (1975).
   Full entry: docs/references.md.
.. [Kalai1977a] Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining" (1977).
   Full entry: docs/references.md.
.. [Kalai1977b] Kalai, "Proportional solutions to bargaining situations" (1977).
   Full entry: docs/references.md.
.. [BRW1986] Binmore, Rubinstein, Wolinsky, "The Nash bargaining solution in economic modelling"
   (1986). Full entry: docs/references.md.
.. [Harsanyi1955] Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal comparisons
   of utility" (1955). Full entry: docs/references.md.
.. [Rawls1971] Rawls, *A Theory of Justice* (1971). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.choice import check_power, deciders
from negotiation.engine.solutions.lottery import build_lottery, lottery_candidates
from negotiation.engine.solutions.subproblems import ContinuousSolution, Subproblems
from negotiation.errors import NotApplicableError
from negotiation.model.scenario import Scenario

__all__ = ["Levels", "Power", "Solution", "Vector", "Weights"]

#: Bargaining powers as the callers give them: one number per party, or ``{party: power}``.
Power = Sequence[float] | Mapping[str, float] | np.ndarray | None
#: A vector of one number per party (a disagreement point, powers).
Vector = np.ndarray | Sequence[float]
#: Level rows of the candidate deals (``N x issues``), for the last tie-break.
Levels = np.ndarray | None
#: ``(rows, probabilities)`` of a lottery over the rows of a utility matrix.
Weights = tuple[np.ndarray, np.ndarray]


class Solution:
    """A bargaining solution: one rule with its metadata and its three variants.

    A subclass sets the metadata (class attributes) and implements :meth:`index` (the pure
    rule on an ``N x P`` utility matrix), :meth:`lottery_weights` (the rule over lotteries on
    the rows of such a matrix) and :meth:`continuous` (the exact rule on a scenario with
    continuous issues). :meth:`pure` and :meth:`lottery` apply them to a frontier; calling the
    solution is :meth:`pure`, so ``SOLUTIONS[name](frontier)`` is the deal.

    Attributes
    ----------
    name
        The identifier (``"kalai_smorodinsky"``): registry key, JSON key, CLI name.
    label
        Display name in figures (``"Kalai–Smorodinsky"``).
    short
        Table header (``"Kalai-Smor."``).
    marker, linestyle
        The fixed matplotlib marker and line style of the solution in every figure.
    reference
        Key of the defining paper in the bibliography (``"KS75"``).
    uses_power
        The rule weighs the parties by their bargaining ``power`` (asymmetric Nash).
    scale_invariant
        The choice is invariant to a positive affine rescaling of any party's utilities (Nash,
        Kalai-Smorodinsky); the contract tests hold the rule to it.
    deciders_only
        Observers (``observer = true``) are left out of the rule (the Nash product, issue 18).
    """

    name: ClassVar[str]
    label: ClassVar[str]
    short: ClassVar[str]
    marker: ClassVar[str]
    linestyle: ClassVar[object]
    reference: ClassVar[str]
    uses_power: ClassVar[bool] = False
    scale_invariant: ClassVar[bool] = False
    deciders_only: ClassVar[bool] = False

    # -- what a rule implements ------------------------------------------------------------------
    def index(
        self,
        U: np.ndarray,
        d: np.ndarray | Sequence[float],
        *,
        power: np.ndarray | Sequence[float] | None = None,
        levels: np.ndarray | None = None,
    ) -> int:
        """Row of ``U`` (``N x P`` utilities) the rule picks, ``d`` the disagreement point;
        ``power`` only where :attr:`uses_power`; ``levels`` for the last tie-break."""
        raise NotImplementedError

    def lottery_weights(
        self,
        U: np.ndarray,
        d: np.ndarray | Sequence[float],
        *,
        power: np.ndarray | Sequence[float] | None = None,
        levels: np.ndarray | None = None,
        cut: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, probabilities)`` of the rule over lotteries on the rows of ``U`` (the
        mixtures whose expected utility is at least ``d``; all mixtures with ``cut=False``)."""
        raise NotImplementedError

    def continuous(self, problem: Subproblems, *, power: Power = None) -> ContinuousSolution:
        """The rule solved exactly on a scenario with continuous issues."""
        raise NotApplicableError(f"solution {self.name!r} has no exact continuous variant")

    # -- the variants on a frontier ------------------------------------------------------------
    def powers(self, scenario: Scenario, power: Power = None) -> np.ndarray | None:
        """The exponents the rule uses: ``None`` unless :attr:`uses_power`; then ``power`` (a
        sequence, or ``{party: power}``) or, by default, the parties' powers."""
        if not self.uses_power:
            return None
        if power is None:
            return np.asarray(scenario.powers, dtype=float)
        return check_power(power, len(scenario.parties), scenario.party_names)

    def columns(self, scenario: Scenario) -> list[int]:
        """The parties (columns of the utilities) the rule weighs."""
        return deciders(scenario) if self.deciders_only else list(range(len(scenario.parties)))

    def pure(self, frontier: Frontier, power: Power = None) -> Deal:
        """The deal the rule picks on ``frontier`` (its Pareto-feasible deals; exact, since
        every rule's objective is monotone).

        Raises
        ------
        InfeasibleError
            When the feasible set is empty (with the frontier's diagnosis).
        """
        frontier.require_nonempty()
        s = frontier.scenario
        cols = self.columns(s)
        alpha = self.powers(s, power)
        k = self.index(
            frontier.utilities[:, cols],
            frontier.disagreement[cols],
            power=None if alpha is None else alpha[cols],
            levels=frontier.levels,
        )
        return frontier.deal(k)

    def lottery(
        self, frontier: Frontier, power: Power = None, *, support: str = "allowed"
    ) -> Lottery:
        """The lottery the rule picks on the bargaining set of ``frontier``'s scenario: the
        mixtures of :func:`~negotiation.engine.solutions.lottery.lottery_candidates`
        (``support``) whose expected utility is at least every party's reservation.

        Raises
        ------
        InfeasibleError
            When the feasible set is empty.
        NegotiationError
            For an unknown support.
        """
        return build_lottery(frontier, *self.lottery_mixture(frontier, power, support=support))

    def lottery_mixture(
        self, frontier: Frontier, power: Power = None, *, support: str = "allowed"
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The level rows, utilities and probabilities of the deals :meth:`lottery` mixes."""
        s = frontier.scenario
        alpha = self.powers(s, power)
        frontier.require_nonempty()
        levels, U, cut = lottery_candidates(frontier, support)
        cols = self.columns(s)
        rows, p = self.lottery_weights(
            U[:, cols],
            frontier.disagreement[cols],
            power=None if alpha is None else alpha[cols],
            levels=levels,
            cut=cut,
        )
        return levels[rows], U[rows], p

    def __call__(self, frontier: Frontier, power: Power = None) -> Deal:
        """:meth:`pure`."""
        return self.pure(frontier, power)

    def __repr__(self) -> str:
        return f"<solution {self.name}: {self.label} [{self.reference}]>"
