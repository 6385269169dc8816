"""The one utility evaluator against brute force, and every caller bit-identical to it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import integer_scenarios, scenarios

from negotiation import Issue, Party, Scenario
from negotiation.dynamics.strategies.base import PartyUtility
from negotiation.errors import NegotiationError
from negotiation.model.utility import (
    UtilityFunction,
    point_utilities,
    product_sum,
    table_sum,
)


def brute_force(s: Scenario, row) -> list[float]:
    """Each party's utility of one outcome, read from the parties as the user wrote them."""
    names = [issue.levels[k] for issue, k in zip(s.issues, row, strict=True)]
    deal = dict(zip(s.issue_names, names, strict=True))
    out = []
    for party in s.parties:
        if party.points is not None:
            u = sum(float(party.points.get(i, {}).get(lv, 0.0)) for i, lv in deal.items())
        else:
            total = sum(float(w) for w in party.weights.values())
            u = 0.0
            for issue in s.issues:
                w = float(party.weights.get(issue.name, 0.0)) / total
                level = deal[issue.name]
                spec = party.values.get(issue.name)
                n = issue.size
                v = spec[level] if spec else (issue.levels.index(level) / (n - 1) if n > 1 else 1)
                u += w * v
        for clause, value in (*party.bonuses, *((c, -p) for c, p in party.soft_red_lines)):
            if all(deal[i] in levels for i, levels in clause.items()):
                u += value
        out.append(u)
    return out


def close(a, b) -> bool:
    """Sums of at most a few dozen terms of magnitude <= 8: agree to 1e-12 of the scale."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return bool(np.all(np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(b))))


@settings(max_examples=60)
@given(s=scenarios(max_issues=4))
def test_evaluator_matches_brute_force(s):
    levels = s.space.enumerate()
    u = UtilityFunction.of(s)(levels)
    assert close(u, [brute_force(s, row) for row in levels])
    assert np.array_equal(s.utilities(levels), u)


@settings(max_examples=30)
@given(s=integer_scenarios(max_issues=3))
def test_points_evaluator_is_exact(s):
    levels = s.space.enumerate()
    assert s.utilities(levels).tolist() == [brute_force(s, row) for row in levels]


@settings(max_examples=40)
@given(s=scenarios(max_issues=4))
def test_party_utility_and_points_are_bit_identical_to_the_scenario(s):
    levels = s.space.enumerate()
    u = s.utilities(levels)
    for p in range(len(s.parties)):
        assert np.array_equal(PartyUtility(s, p)(levels), u[:, p])
        assert np.array_equal(UtilityFunction.of(s, parties=(p,))(levels)[:, 0], u[:, p])
    for row, expected in zip(levels[:20], u[:20], strict=False):
        deal = {i.name: i.levels[k] for i, k in zip(s.issues, row, strict=True)}
        assert np.array_equal(point_utilities(s, deal), expected)


@settings(max_examples=40)
@given(s=scenarios(max_issues=4))
def test_product_sum_is_bit_identical_to_table_sum(s):
    levels = s.space.enumerate()
    sizes = s.space.sizes
    for split in range(len(sizes) + 1):
        prefix = levels[:: int(np.prod(sizes[split:])), :split]
        acc = table_sum(prefix, s.tables[:split]) if split else np.zeros((1, len(s.parties)))
        assert np.array_equal(product_sum(acc, s.tables[split:]), table_sum(levels, s.tables))


def pie() -> Scenario:
    return Scenario(
        "pie",
        (Issue("share", range=(0.0, 100.0)), Issue("when", ("now", "later"))),
        (
            Party("A", {"share": 3, "when": 1}, bonuses=(({"share": (50.0, 100.0)}, 0.5),)),
            Party(
                "B",
                {"share": 1},
                {"share": ((0, 1.0), (40, 0.9), (100, 0.0))},
                soft_red_lines=(({"when": ("now",)}, 0.2),),
            ),
        ),
    )


def test_point_utilities_closed_form_and_on_the_grid():
    s = pie()
    # A: 3/4 * x/100 + 1/4 * v(when) (+0.5 when x >= 50); B: piecewise linear through
    # (0, 1), (40, 0.9), (100, 0), minus 0.2 for its soft red line on "now".
    assert point_utilities(s, {"share": 20.0, "when": "later"}).tolist() == pytest.approx(
        [0.75 * 0.2 + 0.25, 1.0 - 0.1 * 20 / 40]
    )
    assert point_utilities(s, {"share": 70.0, "when": "now"}).tolist() == pytest.approx(
        [0.75 * 0.7 + 0.5, 0.9 - 0.9 * 30 / 60 - 0.2]
    )
    d = s.discretize(11)
    for k, x in enumerate(np.linspace(0, 100, 11)):
        for w, when in enumerate(("now", "later")):
            row = np.array([[k, w]])
            level = d.issues[0].levels[k]
            assert close(point_utilities(s, {"share": x, "when": when}), d.utilities(row)[0])
            assert close(point_utilities(d, {"share": level, "when": when}), d.utilities(row)[0])


def test_point_utilities_refuses_a_missing_or_out_of_range_value():
    s = pie()
    with pytest.raises(NegotiationError, match="no value for issue 'when'"):
        point_utilities(s, {"share": 1.0})
    with pytest.raises(NegotiationError, match=r"value 101 of issue 'share' is outside \[0, 100\]"):
        point_utilities(s, {"share": 101.0, "when": "now"})


def test_evaluator_refuses_a_level_matrix_of_the_wrong_shape():
    s = pie().discretize(3)
    with pytest.raises(ValueError, match="N x 2 integer matrix"):
        s.utilities(np.zeros((2, 3), dtype=int))
