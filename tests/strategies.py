"""Hypothesis strategies that draw only *valid* scenarios, shared by the test modules.

Import as ``from strategies import scenarios`` (tests/ is on ``sys.path`` via conftest.py).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from negotiation.errors import ScenarioError
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

__all__ = ["scenarios", "integer_scenarios"]


@st.composite
def scenarios(
    draw,
    min_parties: int = 2,
    max_parties: int = 4,
    min_issues: int = 1,
    max_issues: int = 4,
    max_levels: int = 4,
    red_lines: bool = True,
    constraints: bool = True,
    bonuses: bool = True,
    reservations: bool = True,
    integer: bool = False,
) -> Scenario:
    """A random valid discrete scenario.

    With ``integer``, parties are points-scored with small integer points (exact sums, so ties
    are frequent and float rounding cannot blur them); otherwise weights and values are random
    floats (values drawn on a grid of eighths, so ties still happen).
    """
    n_issues = draw(st.integers(min_issues, max_issues))
    issues = tuple(
        Issue(f"i{k}", tuple(f"l{j}" for j in range(draw(st.integers(2, max_levels)))))
        for k in range(n_issues)
    )
    n_parties = draw(st.integers(min_parties, max_parties))

    def clause(max_terms: int) -> dict:
        n = draw(st.integers(1, min(max_terms, n_issues)))
        chosen = draw(st.permutations(range(n_issues)))[:n]
        out = {}
        for k in sorted(chosen):
            levels = issues[k].levels
            subset = draw(st.sets(st.sampled_from(levels), min_size=1, max_size=len(levels) - 1))
            out[issues[k].name] = tuple(lv for lv in levels if lv in subset)
        return out

    parties = []
    for p in range(n_parties):
        rl = tuple(clause(2) for _ in range(draw(st.integers(0, 1)))) if red_lines else ()
        bn = (
            tuple(
                (
                    clause(2),
                    draw(
                        st.sampled_from([-0.25, 0.125, 0.25]) if not integer else st.integers(-3, 3)
                    ),
                )
                for _ in range(draw(st.integers(0, 1)))
            )
            if bonuses
            else ()
        )
        if integer:
            points = {i.name: {lv: draw(st.integers(-2, 6)) for lv in i.levels} for i in issues}
            # Start at the worst possible score so that the default reservation is reachable.
            worst = sum(min(t.values()) for t in points.values()) + sum(min(v, 0) for _, v in bn)
            parties.append(
                Party(f"P{p}", points=points, reservation=worst, red_lines=rl, bonuses=bn)
            )
        else:
            weights = {i.name: draw(st.integers(0, 4)) for i in issues}
            if sum(weights.values()) == 0:
                weights[issues[0].name] = 1
            values = {
                i.name: {lv: draw(st.integers(0, 8)) / 8 for lv in i.levels}
                for i in issues
                if draw(st.booleans())
            }
            parties.append(Party(f"P{p}", weights, values, red_lines=rl, bonuses=bn))
    cons = tuple(clause(3) for _ in range(draw(st.integers(0, 2)))) if constraints else ()
    try:
        scenario = Scenario("random", issues, tuple(parties), constraints=cons)
    except ScenarioError:
        # The constraints or a party's red lines forbid everything: drop them all.
        parties = [
            Party(p.name, p.weights, p.values, p.points, reservation=p.reservation) for p in parties
        ]
        scenario = Scenario("random", issues, tuple(parties))
    if reservations:
        # Reservations drawn as a fraction of each party's range over the allowed outcomes.
        levels = scenario.space.enumerate()
        u = scenario.utilities(levels)[scenario.space.allowed_mask(levels)]
        res = {}
        for p, party in enumerate(scenario.parties):
            frac = draw(st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.75]))
            lo, hi = float(u[:, p].min()), float(u[:, p].max())
            r = lo + frac * (hi - lo)
            res[party.name] = float(np.round(r * 8) / 8) if not integer else float(int(r))
        try:
            scenario = Scenario(
                scenario.name,
                scenario.issues,
                tuple(
                    Party(
                        p.name,
                        p.weights,
                        p.values,
                        p.points,
                        reservation=res[p.name],
                        red_lines=p.red_lines,
                        bonuses=p.bonuses,
                    )
                    for p in scenario.parties
                ),
                constraints=scenario.constraints,
            )
        except ScenarioError:
            pass
    return scenario


def integer_scenarios(**kwargs) -> st.SearchStrategy[Scenario]:
    """:func:`scenarios` with points-scored parties (exact integer utilities)."""
    return scenarios(integer=True, **kwargs)
