"""A brute-force reading of a small weights-and-values scenario, independent of the package.

It reads the TOML with :mod:`tomllib` and computes every outcome's utilities straight from the
definition in ``negotiation.model.party`` (Raiffa 1982; Keeney & Raiffa 1976):
``u(x) = sum_i w_i v_i(x_i) / sum_i w_i + sum of the bonuses whose clause x matches``;
an outcome is feasible when every party gets at least its reservation value and no red line
matches; Pareto-feasible when no feasible outcome is at least as good for all and better for
one. Only what the report tests need: discrete issues, weights and values, bonuses, red lines.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import negotiation

SCENARIOS = Path(negotiation.__file__).parent / "scenarios"


def _matches(clause: dict, deal: dict) -> bool:
    return all(deal[i] in levels for i, levels in clause.items() if i != "value")


def brute_force(name: str) -> dict:
    """``outcomes`` (list of {issue: level}), ``utilities`` ({party: [u, ...]}),
    ``reservations``, ``feasible`` and ``pareto`` (lists of outcome indices)."""
    raw = tomllib.loads((SCENARIOS / f"{name}.toml").read_text(encoding="utf-8"))
    issues = [(i["name"], i["levels"]) for i in raw["issue"]]
    outcomes = [
        dict(zip([n for n, _ in issues], combo, strict=True))
        for combo in itertools.product(*[levels for _, levels in issues])
    ]
    utilities, reservations, blocked = {}, {}, set()
    for party in raw["party"]:
        total = sum(party["weights"].values())
        us = []
        for k, deal in enumerate(outcomes):
            u = sum(w * party["values"][i][deal[i]] for i, w in party["weights"].items()) / total
            u += sum(b["value"] for b in party.get("bonus", []) if _matches(b, deal))
            us.append(u)
            if any(_matches(c, deal) for c in party.get("red_line", [])):
                blocked.add(k)
        utilities[party["name"]] = us
        reservations[party["name"]] = party["reservation"]
    names = list(utilities)
    feasible = [
        k
        for k in range(len(outcomes))
        if k not in blocked and all(utilities[p][k] >= reservations[p] for p in names)
    ]

    def dominates(a: int, b: int) -> bool:
        ge = all(utilities[p][a] >= utilities[p][b] for p in names)
        return ge and any(utilities[p][a] > utilities[p][b] for p in names)

    pareto = [b for b in feasible if not any(dominates(a, b) for a in feasible)]
    return {
        "outcomes": outcomes,
        "utilities": utilities,
        "reservations": reservations,
        "feasible": feasible,
        "pareto": pareto,
    }


def best(bf: dict, rule: str) -> int:
    """The feasible outcome that maximises ``rule``'s objective over the gains ``u - r``:
    ``nash`` the product (Nash 1950), ``utilitarian`` the sum of utilities, ``egalitarian`` the
    smallest gain (Kalai 1977). Ties are not broken: the test scenarios have none."""
    names = list(bf["utilities"])

    def gains(k: int) -> list[float]:
        return [bf["utilities"][p][k] - bf["reservations"][p] for p in names]

    objective = {
        "nash": lambda k: math.prod(gains(k)),
        "utilitarian": lambda k: sum(bf["utilities"][p][k] for p in names),
        "egalitarian": lambda k: min(gains(k)),
    }[rule]
    values = sorted((objective(k), k) for k in bf["feasible"])
    assert values[-1][0] - values[-2][0] > 1e-9, f"{rule}: a tie in the brute force"
    return values[-1][1]
