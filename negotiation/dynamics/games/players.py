"""The players of a strategic model and their effective discounts.

Strategic models are played by some of a scenario's parties (the *players*): two for the
Rubinstein and normal-form games, any number for the finite-horizon and Baron–Ferejohn games.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from negotiation.errors import NotApplicableError, ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["resolve_players", "resolve_discounts"]


def resolve_players(
    scenario: Scenario,
    parties: Sequence[str] | str | None,
    *,
    exactly: int | None = None,
) -> tuple[str, ...]:
    """Validate the players' names (in the order given).

    ``parties`` may be a sequence of names or a comma-separated string; ``None`` means every
    party of the scenario. ``exactly=2`` is the two-party models' check.

    Raises
    ------
    ScenarioError
        An unknown party (the message lists the scenario's parties), a repeated name, or fewer
        than two players.
    NotApplicableError
        ``parties`` is ``None``, ``exactly`` is given and the scenario has a different number of
        parties (the caller must choose the players).
    """
    if parties is None:
        names = scenario.party_names
        if exactly is not None and len(names) != exactly:
            raise NotApplicableError(
                f"this is a {exactly}-party model and scenario {scenario.name!r} has "
                f"{len(names)} parties {list(names)}: choose {exactly} of them "
                f"(parties=(...) or --parties A,B)"
            )
    else:
        if isinstance(parties, str):
            parties = [p.strip() for p in parties.split(",") if p.strip()]
        names = tuple(parties)
        for name in names:
            scenario.party(name)  # ScenarioError naming the party if unknown
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ScenarioError(f"parties listed twice: {dup}")
    if len(names) < 2:
        raise ScenarioError(
            f"a bargaining game needs at least two parties, got {list(names)} "
            f"(the scenario's parties are {list(scenario.party_names)})"
        )
    if exactly is not None and len(names) != exactly:
        raise NotApplicableError(
            f"this is a {exactly}-party model, got {len(names)} parties {list(names)}"
        )
    return names


def resolve_discounts(
    scenario: Scenario,
    players: Sequence[str],
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    breakdown: float = 0.0,
) -> np.ndarray:
    """Effective per-round discount factors ``(1 - p) * delta_i`` of the players.

    ``discounts`` overrides the parties' own ``discount`` (a mapping by name, or one number per
    player); each must be in ``(0, 1]``. ``breakdown`` is the per-round probability ``p`` in
    ``[0, 1)`` that talks collapse to the disagreement point; it multiplies every discount.

    Raises
    ------
    ScenarioError
        A discount outside ``(0, 1]`` (naming the party) or ``p`` outside ``[0, 1)``.
    """
    own = {p.name: float(p.discount) for p in scenario.parties}
    if discounts is None:
        values = [own[n] for n in players]
    elif isinstance(discounts, Mapping):
        for name in discounts:
            if name not in players:
                raise ScenarioError(
                    f"discount given for a party that is not a player (players: {list(players)})",
                    party=str(name),
                )
        values = [float(discounts.get(n, own[n])) for n in players]
    else:
        values = [float(x) for x in discounts]
        if len(values) != len(players):
            raise ScenarioError(
                f"got {len(values)} discounts for {len(players)} players {list(players)}"
            )
    for name, value in zip(players, values, strict=False):
        if not (np.isfinite(value) and 0.0 < value <= 1.0):
            raise ScenarioError(f"discount must be in (0, 1], got {value:g}", party=name)
    p = float(breakdown)
    if not (np.isfinite(p) and 0.0 <= p < 1.0):
        raise ScenarioError(f"breakdown probability must be in [0, 1), got {p:g}")
    return (1.0 - p) * np.array(values)
