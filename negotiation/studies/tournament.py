"""Tournaments: every pairing (or table) of strategies, over scenarios and repetitions.

In the manner of Axelrod's computer tournaments, :func:`tournament` runs every assignment of the
given strategies to the seats at the table, on every scenario, ``repetitions`` times each, and
returns a tidy :class:`pandas.DataFrame` with one row per run:

* ``scenario``, ``protocol``, ``agents`` (``"boulware | conceder"``), ``agent_1..k`` and
  ``party_1..k`` (seat ``i``: its strategy and party), ``repetition``, ``seed`` (pass it to
  :func:`~negotiation.dynamics.protocols.simulate` to replay the run);
* ``agreement`` (bool), ``end`` (how it ended: ``"failure"`` when a strategy raised anything,
  ``sys.exit`` and ``KeyboardInterrupt`` included, or overran its time limit), ``rounds``
  (offers or texts until the end), ``failed`` (the party whose agent failed, else empty) and
  ``reason`` (why the run ended, e.g. ``"agent A (sleeper) failed: took longer than the limit
  of 10 s a move"``);
* ``utility_1..k``: each seat's payoff, its utility of the agreement or, without one, its
  reservation value (the disagreement payoff);
* ``welfare``: the social welfare ``sum_i utility_i`` over the seats;
* ``pareto_distance``: the Euclidean distance, in the seats' utility space, from the agreement
  to the nearest point of the Pareto-feasible frontier of the parties at the table
  (``min_f ||u - f||_2``; 0 on the frontier);
* ``nash_distance``: the Euclidean distance to the utility vector of the Nash bargaining
  solution (Nash 1950 [Nash1950]_; the frontier point maximising ``prod_i (u_i - r_i)``);

both distances ``NaN`` without an agreement. The frontier and the Nash solution are those of
the parties at the table (their red lines and reservation values; the scenario's constraints),
computed once per scenario with :func:`negotiation.engine.frontier.enumerate_frontier` and
:func:`negotiation.engine.solutions.nash`.

References
----------
.. [Axelrod1980] Axelrod, "Effective choice in the prisoner's dilemma" (1980).
   Full entry: docs/references.md.
.. [BHJKL2012] Baarslag et al., "The first automated negotiating agents competition (ANAC 2010)"
   (2012); distance to Pareto and Nash as quality measures. Full entry: docs/references.md.
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from negotiation.dynamics.protocols.registry import (
    ProtocolSpec,
    get_protocol,
    resolve_agents,
    resolve_table,
    simulate,
)
from negotiation.dynamics.protocols.session import AgentFactory, SimulationError, strategy_name
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.search import search_frontier
from negotiation.engine.select import choose_engine
from negotiation.engine.solutions import nash
from negotiation.io import load_scenario
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["tournament", "reference_points", "frontier_distance"]


def frontier_distance(u: np.ndarray, points: np.ndarray) -> float:
    """Smallest Euclidean distance from the vector ``u`` to the rows of ``points``.

    ``NaN`` when ``points`` is empty.

    >>> frontier_distance(np.array([0.5, 0.5]), np.array([[1.0, 0.5], [0.5, 0.8]]))
    0.3
    """
    points = np.asarray(points, dtype=float)
    if points.shape[0] == 0:
        return float("nan")
    return float(np.round(np.sqrt(((points - np.asarray(u)[None, :]) ** 2).sum(axis=1)).min(), 12))


def reference_points(scenario: Scenario, table: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The Pareto-feasible frontier and the Nash solution of the parties at the table.

    Returns ``(frontier utilities M x k, Nash utility vector k)`` in the utility space of the
    parties at the table, in table order. The sub-problem keeps the scenario's issues and
    constraints and only those parties (under unanimity: each one's red lines and reservation
    value). The frontier is exact: enumerated or searched as
    :func:`negotiation.engine.select.choose_engine` decides. Empty arrays (``0 x k`` and a
    ``NaN`` vector) when nothing is feasible for them.
    """
    k = len(table)
    parties = tuple(scenario.parties[p] for p in table)
    sub = replace(scenario, parties=parties, agreement=AgreementRule())
    if choose_engine(sub) == "enumerate":
        frontier = enumerate_frontier(sub)
    else:
        frontier = search_frontier(sub)
    if frontier.is_empty:
        return np.zeros((0, k)), np.full(k, np.nan)
    return np.asarray(frontier.utilities, dtype=float), np.asarray(
        nash(frontier).utilities, dtype=float
    )


def _scenarios(scenarios: Scenario | str | Path | Iterable) -> list[Scenario]:
    if isinstance(scenarios, (Scenario, str, Path)):
        scenarios = [scenarios]
    out = []
    for s in scenarios:
        out.append(load_scenario(s) if isinstance(s, (str, Path)) else s)
    if not out:
        raise SimulationError("the tournament needs at least one scenario")
    return out


def _run_seed(seed: int, *keys: int) -> int:
    """A per-run seed derived from the tournament seed and the run's coordinates."""
    return int(np.random.SeedSequence([int(seed), *keys]).generate_state(1, dtype=np.uint32)[0])


def tournament(
    scenarios: Scenario | str | Path | Iterable[Scenario | str | Path],
    strategies: Sequence[str | AgentFactory],
    repetitions: int = 1,
    protocol: str = "alternating",
    seed: int = 0,
    rounds: int = 100,
    parties: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    pairings: str = "product",
    progress: bool = True,
    move_timeout: float | None = None,
    run_timeout: float | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """Run every pairing (or table) of strategies on every scenario; one row per run.

    Parameters
    ----------
    scenarios
        A scenario (object, bundled name or file) or several.
    strategies
        Strategy names, ``Strategy`` subclasses or factories.
    repetitions
        Runs per scenario and pairing, each with its own seed (derived from ``seed``).
    protocol
        ``"alternating"``, ``"stacked"`` or ``"mediated"``.
    seed
        The tournament's seed: the same seed gives the same table.
    rounds
        Deadline of every run.
    parties
        The parties at the table: one list for every scenario, or ``{scenario name: list}``.
        Default: see :func:`~negotiation.dynamics.protocols.simulate`.
    pairings
        ``"product"`` (every ordered assignment of strategies to seats, self-play included:
        ``S**k`` tables) or ``"combinations"`` (unordered, with repetition: each multiset of
        strategies once, in the order given).
    progress
        Show a progress bar (tqdm) for tournaments that take more than a
        couple of seconds.
    move_timeout, run_timeout
        Time limits in seconds per call into a strategy and per run (defaults 10 s and 120 s,
        see :func:`~negotiation.dynamics.protocols.simulate`). A strategy that overruns or
        raises anything ends only its own run, recorded in the row (``end``, ``failed``,
        ``reason``); the tournament goes on. A real Ctrl-C of the user stops it.
    **kwargs
        Protocol options (mediated: ``start``, ``slack``).

    Returns
    -------
    pandas.DataFrame
        One row per run; columns described in the module docstring.

    Examples
    --------
    >>> df = tournament("textbook_two_party", ["linear", "hardliner"], progress=False)
    >>> len(df), df["agreement"].dtype
    (4, dtype('bool'))
    >>> df.groupby("agent_1")["agreement"].mean().to_dict()
    {'hardliner': 0.5, 'linear': 1.0}
    """
    spec = get_protocol(protocol)
    strategies = list(strategies)
    plan = _plan(_scenarios(scenarios), strategies, spec, repetitions, parties, pairings)
    total = sum(len(combos) for *_, combos in plan) * repetitions
    bar = tqdm(total=total, desc="tournament", unit="run", delay=2.0) if progress else None
    options = dict(rounds=rounds, move_timeout=move_timeout, run_timeout=run_timeout, **kwargs)
    rows = []
    try:
        for row in _runs(plan, strategies, spec.name, repetitions, seed, options):
            rows.append(row)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


def _runs(
    plan: list[tuple[int, Scenario, tuple[int, ...], list[tuple[int, ...]]]],
    strategies: list[str | AgentFactory],
    protocol: str,
    repetitions: int,
    seed: int,
    options: dict[str, Any],
) -> Iterator[dict[str, object]]:
    """Simulate every run of the plan, in order; yield its row."""
    for si, scenario, table, combos in plan:
        names = [scenario.party_names[p] for p in table]
        frontier, nash_u = reference_points(scenario, table)
        reservations = scenario.reservations[list(table)]
        for ci, combo in enumerate(combos):
            agents = [strategies[j] for j in combo]
            labels = [strategy_name(a) for a in agents]
            for rep in range(repetitions):
                run_seed = _run_seed(seed, si, ci, rep)
                result = simulate(
                    scenario,
                    protocol=protocol,
                    agents=agents,
                    seed=run_seed,
                    parties=names,
                    **options,
                )
                yield _row(
                    scenario,
                    protocol,
                    names,
                    labels,
                    rep,
                    run_seed,
                    result,
                    frontier,
                    nash_u,
                    reservations,
                )


def _plan(
    items: list[Scenario],
    strategies: Sequence[str | AgentFactory],
    spec: ProtocolSpec,
    repetitions: int,
    parties: Sequence[str] | Mapping[str, Sequence[str]] | None,
    pairings: str,
) -> list[tuple[int, Scenario, tuple[int, ...], list[tuple[int, ...]]]]:
    """Check the arguments and list, per scenario, its table and its seatings of strategies.

    Everything that can be wrong is reported here, before the first run (an unknown strategy
    fails now, not mid-way).
    """
    if isinstance(repetitions, bool) or not isinstance(repetitions, int) or repetitions < 1:
        raise SimulationError(f"repetitions must be a whole number >= 1, got {repetitions!r}")
    if pairings not in ("product", "combinations"):
        raise SimulationError(f"pairings must be 'product' or 'combinations', got {pairings!r}")
    if not strategies:
        raise SimulationError("the tournament needs at least one strategy")
    resolve_agents(list(strategies), len(strategies))
    plan = []
    for si, scenario in enumerate(items):
        chosen = parties.get(scenario.name) if isinstance(parties, Mapping) else parties
        table = tuple(resolve_table(scenario, spec, chosen))
        seats = range(len(strategies))
        if pairings == "product":
            combos = list(itertools.product(seats, repeat=len(table)))
        else:
            combos = list(itertools.combinations_with_replacement(seats, len(table)))
        plan.append((si, scenario, table, combos))
    return plan


def _row(
    scenario, protocol, names, labels, rep, run_seed, result, frontier, nash_u, reservations
) -> dict:
    row: dict[str, object] = {
        "scenario": scenario.name,
        "protocol": protocol,
        "agents": " | ".join(labels),
    }
    for i, (p, a) in enumerate(zip(names, labels, strict=True), start=1):
        row[f"party_{i}"] = p
        row[f"agent_{i}"] = a
    row.update(
        repetition=rep,
        seed=run_seed,
        agreement=result.agreement is not None,
        end=result.end,
        rounds=result.rounds,
        failed=result.failed or "",
        reason=result.reason,
    )
    if result.agreement is not None:
        u = np.array([result.agreement.utility_of(p) for p in names])
        pareto_d = frontier_distance(u, frontier)
        nash_d = (
            float(np.round(np.sqrt(((u - nash_u) ** 2).sum()), 12))
            if np.all(np.isfinite(nash_u))
            else float("nan")
        )
    else:
        u = np.asarray(reservations, dtype=float)
        pareto_d = nash_d = float("nan")
    for i, x in enumerate(u, start=1):
        row[f"utility_{i}"] = float(x)
    row["welfare"] = float(u.sum())
    row["pareto_distance"] = pareto_d
    row["nash_distance"] = nash_d
    return row
