"""The :func:`analyze` pipeline: load, check, discretise, pick an engine, build the frontier,
solve (see :mod:`negotiation.engine.analysis`)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from negotiation.engine.analysis.result import DEFAULT_MAX_ENUMERATE
from negotiation.engine.analysis.summary import Analysis
from negotiation.engine.continuous import ContinuousSolution, continuous_solutions
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, enumerate_frontier
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.search import search_frontier
from negotiation.engine.select import choose_engine
from negotiation.engine.solutions import SOLUTIONS
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["analyze", "ENGINES"]

#: The engine choices of :func:`analyze`.
ENGINES = ("auto", "enumerate", "search")


_INDEXABLE = np.iinfo(np.int64).max


def _unreachable_reservation(scenario: Scenario) -> str | None:
    """A message when a weighted party's reservation lies above the best utility it can have at
    all (1 plus its positive bonuses: values are in [0, 1] and weights sum to 1)."""
    for p in scenario.parties:
        if p.scored_in_points:
            continue
        best = 1.0 + sum(max(0.0, float(v)) for _, v in p.bonuses)
        if p.reservation > best * (1 + 1e-9):
            return (
                f"party {p.name!r}: reservation {p.reservation:g} is above the best possible "
                f"utility {best:g} (a weighted party's utilities run from 0 to 1, plus bonuses): "
                "no deal can ever satisfy it"
            )
    return None


# -- the facade -------------------------------------------------------------------------------
def _check_rule(rule: AgreementRule, scenario: Scenario) -> AgreementRule:
    P = len(scenario.parties)
    if rule.quota is not None and not (isinstance(rule.quota, int) and 1 <= rule.quota <= P):
        raise ScenarioError(
            f"agreement quota must be a whole number from 1 to {P}, got {rule.quota!r}"
        )
    for v in rule.veto:
        if v not in scenario.party_names:
            raise ScenarioError(
                f"agreement veto names unknown party (parties: {list(scenario.party_names)})",
                party=v,
            )
    return rule


def analyze(
    scenario: Scenario | str | Path,
    *,
    engine: str = "auto",
    rule: AgreementRule | None = None,
    epsilon: float | None = None,
    solutions: list[str] | tuple[str, ...] | None = None,
    lotteries: bool = True,
    max_enumerate: int = DEFAULT_MAX_ENUMERATE,
    progress: bool = False,
    resolution: int = 21,
    continuous: bool = True,
) -> Analysis:
    """Analyse a negotiation: feasible set, Pareto-feasible frontier, bargaining solutions.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, or a scenario file / bundled scenario name.
    engine
        ``"auto"`` (the cheaper engine by an estimate made before any work, see
        :func:`negotiation.engine.select.choose_engine`; enumeration under a quota rule, the
        search above ``max_enumerate`` outcomes), ``"enumerate"`` or ``"search"``.
    rule
        Agreement rule; defaults to the scenario's own (unanimity unless it says otherwise).
    epsilon
        Return an additive epsilon-Pareto subset of the frontier (every frontier deal is within
        ``epsilon`` of a listed one, in every party's utility). With enumeration the solutions
        are still computed on the exact frontier; with the search engine on the subset.
    solutions
        Names from :data:`negotiation.engine.solutions.SOLUTIONS` (default: all).
    lotteries
        Also compute the solutions over lotteries.
    max_enumerate
        Above this many outcomes ``"auto"`` always uses the search (where it applies).
    progress
        Show progress bars (tqdm) in the engines.
    resolution
        Grid points per continuous issue for the frontier of a continuous scenario.
    continuous
        For a scenario with continuous issues, also solve exactly
        (:mod:`negotiation.engine.continuous`); a refusal is recorded in ``notes``.

    Returns
    -------
    Analysis
        Never raises for an empty feasible set: the solutions are then empty and the frontier's
        diagnosis says which parties' red lines or reservations empty it.

    Raises
    ------
    NegotiationError
        Unknown engine or solution name, a bad epsilon, or an engine that cannot run (for
        example a space too large to enumerate when the search engine is unavailable).
    """
    if isinstance(scenario, (str, Path)):
        from negotiation.io import load_scenario

        scenario = load_scenario(scenario)
    names = _check_arguments(engine, solutions, epsilon)
    rule = _check_rule(rule or scenario.agreement, scenario)
    notes: list[str] = []
    if len({p.scored_in_points for p in scenario.parties}) == 2:
        notes.append(
            "some parties score in points and others in normalised utilities: the utilitarian "
            "and egalitarian solutions compare utilities in different units"
        )
    discrete, res_used, exact_continuous = _discretize(
        scenario, names, rule, resolution, continuous, notes
    )
    frontier = _frontier(discrete, engine, rule, epsilon, progress, max_enumerate, notes)
    n_exact = frontier.size
    exact = frontier.epsilon is None
    # Solutions on the frontier we have (the exact one under enumeration).
    sols, lots = _solve(frontier, names, lotteries)
    if epsilon is not None and frontier.epsilon is None and not frontier.is_empty:
        keep = pareto_mask(frontier.utilities, eps=epsilon)
        frontier = replace(
            frontier,
            levels=frontier.levels[keep],
            utilities=frontier.utilities[keep],
            epsilon=float(epsilon),
        )
    return Analysis(
        scenario=scenario,
        frontier=frontier,
        solutions=sols,
        lotteries=lots,
        continuous=exact_continuous,
        engine=frontier.engine,
        rule=rule,
        resolution=res_used,
        solutions_exact=exact,
        n_pareto_exact=n_exact if exact else None,
        notes=tuple(notes),
        max_enumerate=max_enumerate,
    )


def _solve(
    frontier: Frontier, names: list[str], lotteries: bool
) -> tuple[dict[str, Deal], dict[str, Lottery]]:
    """The named solutions on ``frontier`` (deterministic, and over lotteries if asked);
    empty when nothing is feasible."""
    if frontier.is_empty:
        return {}, {}
    sols = {name: SOLUTIONS[name](frontier) for name in names}
    lots = {name: LOTTERY_SOLUTIONS[name](frontier) for name in names} if lotteries else {}
    return sols, lots


def _check_arguments(
    engine: str, solutions: list[str] | tuple[str, ...] | None, epsilon: float | None
) -> list[str]:
    """Refuse an unknown engine or solution name or a bad epsilon; the solution names to run."""
    if engine not in ENGINES:
        raise NegotiationError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    names = list(SOLUTIONS) if solutions is None else list(solutions)
    unknown = [n for n in names if n not in SOLUTIONS]
    if unknown:
        raise NegotiationError(f"unknown solution(s) {unknown} (known: {', '.join(SOLUTIONS)})")
    if epsilon is not None and not (
        isinstance(epsilon, (int, float)) and math.isfinite(epsilon) and epsilon > 0
    ):
        raise NegotiationError(f"epsilon must be a positive number, got {epsilon!r}")
    return names


def _discretize(
    scenario: Scenario,
    names: list[str],
    rule: AgreementRule,
    resolution: int,
    continuous: bool,
    notes: list[str],
) -> tuple[Scenario, int | None, dict[str, ContinuousSolution]]:
    """The discrete scenario the engines run on, the grid resolution used (``None`` for a
    discrete scenario) and the exact continuous solutions (refusals go to ``notes``)."""
    if not scenario.is_continuous:
        return scenario, None, {}
    res_used = int(resolution)
    try:
        discrete = scenario.discretize(res_used)
    except ScenarioError as err:
        beyond = _unreachable_reservation(scenario)
        if beyond:  # no grid helps: say what is wrong
            raise ScenarioError(beyond) from None
        raise ScenarioError(
            f"on the grid of {res_used} points per continuous issue: {err} (try a finer resolution)"
        ) from None
    exact_continuous: dict[str, ContinuousSolution] = {}
    if continuous:
        try:
            exact_continuous = continuous_solutions(scenario, names, rule=rule)
        except NotApplicableError as err:
            notes.append(f"exact continuous solutions not computed: {err}")
        except InfeasibleError as err:
            notes.append(f"exact continuous solutions: {err}")
    return discrete, res_used, exact_continuous


def _frontier(
    discrete: Scenario,
    engine: str,
    rule: AgreementRule,
    epsilon: float | None,
    progress: bool,
    max_enumerate: int,
    notes: list[str],
) -> Frontier:
    """The frontier by the engine asked for (``"auto"``: :func:`choose_engine`'s); a search
    that does not apply falls back to enumeration where the space allows (noted)."""
    n = discrete.space.cardinality
    used = (
        choose_engine(discrete, rule, max_enumerate=max_enumerate) if engine == "auto" else engine
    )
    if used == "search":
        try:
            return search_frontier(discrete, rule=rule, epsilon=epsilon, progress=progress)
        except NotApplicableError as err:
            if engine == "search" or n > 50 * max_enumerate or n > _INDEXABLE:
                raise
            notes.append(f"search engine not applicable ({err}); enumerated instead")
    if n > _INDEXABLE:
        # a quota rule, or observers (whose reservations do not bind), needs enumeration
        quota = not rule.is_unanimity(len(discrete.parties)) or discrete.has_observers
        raise NotApplicableError(
            f"scenario {discrete.name!r}: {n:.3e} outcomes are too many to enumerate"
            + (" (a quota rule needs enumeration)" if quota else "; use engine='search'")
        )
    return enumerate_frontier(discrete, rule=rule, progress=progress)
