"""Small scenarios and brute-force references shared by the game-theory tests."""

from __future__ import annotations

import numpy as np

from negotiation.engine.pareto import brute_force_pareto_mask
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario


def pie(n: int = 101, d1: float = 0.9, d2: float = 0.8, names=("A", "B")) -> Scenario:
    """Split-the-pie: one issue with ``n`` levels, A's share k/(n-1), B gets the rest."""
    levels = tuple(f"s{k}" for k in range(n))
    va = {lv: k / (n - 1) for k, lv in enumerate(levels)}
    vb = {lv: 1 - k / (n - 1) for k, lv in enumerate(levels)}
    return Scenario(
        "pie",
        (Issue("share", levels),),
        (
            Party(names[0], {"share": 1}, {"share": va}, discount=d1),
            Party(names[1], {"share": 1}, {"share": vb}, discount=d2),
        ),
    )


def deadlock() -> Scenario:
    """Two parties with opposite red lines: nothing is feasible."""
    return Scenario(
        "deadlock",
        (Issue("x", ("a", "b")),),
        (
            Party("A", {"x": 1}, red_lines=({"x": ("a",)},), discount=0.9),
            Party("B", {"x": 1}, red_lines=({"x": ("b",)},), discount=0.9),
        ),
    )


DEADLOCK_TOML = """
name = "deadlock"
[[issue]]
name = "x"
levels = ["a", "b"]

[[party]]
name = "A"
discount = 0.9
weights = { x = 1 }
[[party.red_line]]
x = ["a"]

[[party]]
name = "B"
discount = 0.9
weights = { x = 1 }
[[party.red_line]]
x = ["b"]
"""


def brute_pair_points(scenario: Scenario, players, feasible_for="all") -> np.ndarray:
    """Distinct Pareto utility vectors of the players over the feasible outcomes (brute force)."""
    levels = scenario.space.enumerate()
    U = scenario.utilities(levels)
    idx = [scenario.party_names.index(p) for p in players]
    if feasible_for == "all":
        ok = scenario.feasible_mask(levels, U)
    else:
        ok = scenario.space.allowed_mask(levels) & scenario.acceptable(levels, U)[:, idx].all(1)
    V = np.round(U[ok][:, idx], 12)
    V = V[brute_force_pareto_mask(V)]
    return np.unique(V, axis=0)


def hull_max(points: np.ndarray, powers=(1.0, 1.0), n: int = 200001) -> tuple[float, float]:
    """Brute-force maximiser of a^alpha b^beta over the segments between consecutive points
    (points sorted by a), by dense sampling."""
    P = points[np.argsort(points[:, 0])]
    best, arg = -np.inf, None
    t = np.linspace(0.0, 1.0, n)
    if len(P) == 1:
        return float(P[0, 0]), float(P[0, 1])
    for k in range(len(P) - 1):
        a = P[k, 0] + t * (P[k + 1, 0] - P[k, 0])
        b = P[k, 1] + t * (P[k + 1, 1] - P[k, 1])
        with np.errstate(divide="ignore"):
            obj = powers[0] * np.log(np.maximum(a, 1e-300)) + powers[1] * np.log(
                np.maximum(b, 1e-300)
            )
        j = int(np.argmax(obj))
        if obj[j] > best:
            best, arg = obj[j], (float(a[j]), float(b[j]))
    return arg


def split(n: int = 21, k: int = 1, ra: float = 0.0, rb: float = 0.0) -> Scenario:
    """Two parties with opposed linear values on ``k`` issues of ``n`` levels (symmetric)."""
    levels = tuple(f"s{j}" for j in range(n))
    issues = tuple(Issue(f"x{i}", levels) for i in range(k))
    va = {i.name: {lv: j / (n - 1) for j, lv in enumerate(levels)} for i in issues}
    vb = {i.name: {lv: 1 - j / (n - 1) for j, lv in enumerate(levels)} for i in issues}
    w = {i.name: 1.0 for i in issues}
    return Scenario(
        "split", issues, (Party("A", w, va, reservation=ra), Party("B", w, vb, reservation=rb))
    )
