"""Exact bargaining solutions for scenarios with continuous issues.

:class:`ContinuousProblem` compiles a scenario into sub-problems with affine utilities
(:class:`negotiation.engine.solutions.subproblems.Subproblems`, where the method is described)
and solves any registered solution on it by name (each rule's ``continuous`` variant lives in
its module of :mod:`negotiation.engine.solutions`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from negotiation.engine.solutions.base import Power, Solution
from negotiation.engine.solutions.registry import SOLUTIONS, VariantView, get_solution
from negotiation.engine.solutions.subproblems import (
    DEFAULT_MAX_SUBPROBLEMS,
    ContinuousSolution,
    Subproblems,
    continuous_utilities,
)
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = [
    "CONTINUOUS_SOLUTIONS",
    "ContinuousProblem",
    "ContinuousSolution",
    "DEFAULT_MAX_SUBPROBLEMS",
    "continuous_solutions",
    "continuous_utilities",
    "solve_continuous",
]

#: Names of the exact continuous solutions: a live view of
#: :data:`negotiation.engine.solutions.SOLUTIONS` (name -> its ``continuous`` variant).
CONTINUOUS_SOLUTIONS = VariantView("continuous")


class ContinuousProblem(Subproblems):
    """A scenario with continuous issues compiled into sub-problems with affine utilities,
    with the exact solutions by name (:meth:`solve`). Parameters as
    :class:`~negotiation.engine.solutions.subproblems.Subproblems`.

    Examples
    --------
    >>> from negotiation import Issue, Party, Scenario
    >>> pie = Scenario("pie", (Issue("share", range=(0.0, 100.0)),),
    ...                (Party("A", {"share": 1}), Party("B", {"share": 1},
    ...                                                    {"share": ((0, 1.0), (100, 0.0))})))
    >>> ContinuousProblem(pie).solve("nash").x
    {'share': 50.0}
    """

    def solve(
        self,
        name: str,
        *,
        power: Power = None,
        registry: Mapping[str, Solution] | None = None,
    ) -> ContinuousSolution:
        """The named exact solution (a name of :data:`negotiation.engine.solutions.SOLUTIONS`,
        or of ``registry``); ``power`` is used by ``"asymmetric_nash"`` (default: the parties'
        powers).

        Raises
        ------
        InfeasibleError
            When no deal is feasible.
        NegotiationError
            For an unknown name.
        """
        solution = get_solution(name, registry)
        if self.n_subproblems == 0:
            raise self.empty_error()
        self.ideal  # noqa: B018 - raises InfeasibleError when nothing is feasible
        return solution.continuous(self, power=power)


def solve_continuous(
    scenario: Scenario,
    name: str,
    *,
    power: Sequence[float] | Mapping[str, float] | None = None,
    rule: AgreementRule | None = None,
    max_subproblems: int = DEFAULT_MAX_SUBPROBLEMS,
) -> ContinuousSolution:
    """The named bargaining solution of a scenario with continuous issues, solved exactly.

    See the module docstring for the method. ``power`` is used by ``"asymmetric_nash"``
    (default: the parties' powers).

    Raises
    ------
    InfeasibleError
        When no deal is feasible.
    NotApplicableError
        Under a quota rule, without continuous issues, or beyond ``max_subproblems``.

    Examples
    --------
    >>> from negotiation import Issue, Party, Scenario
    >>> pie = Scenario("pie", (Issue("share", range=(0.0, 1.0)),),
    ...                (Party("A", {"share": 1}, power=3.0),
    ...                 Party("B", {"share": 1}, {"share": ((0, 1.0), (1, 0.0))})))
    >>> round(solve_continuous(pie, "asymmetric_nash").x["share"], 6)  # alpha_A / sum alpha
    0.75
    """
    return ContinuousProblem(scenario, rule=rule, max_subproblems=max_subproblems).solve(
        name, power=power
    )


def continuous_solutions(
    scenario: Scenario,
    names: Sequence[str] | None = None,
    *,
    rule: AgreementRule | None = None,
    max_subproblems: int = DEFAULT_MAX_SUBPROBLEMS,
    registry: Mapping[str, Solution] | None = None,
) -> dict[str, ContinuousSolution]:
    """Several exact continuous solutions at once (sharing the compiled sub-problems).

    ``names`` defaults to every registered solution (of ``registry``, default
    :data:`negotiation.engine.solutions.SOLUTIONS`). Raises like :func:`solve_continuous`.
    """
    problem = ContinuousProblem(scenario, rule=rule, max_subproblems=max_subproblems)
    known = SOLUTIONS if registry is None else registry
    return {n: problem.solve(n, registry=registry) for n in (names or known)}
