"""The registry: a new rule is one class and one registry entry, and it flows through every
look-up by name (shown with a toy dictator rule in a copy of the registry, never the global)."""

from __future__ import annotations

import numpy as np
import pytest

import negotiation as ng
from negotiation.engine.continuous import CONTINUOUS_SOLUTIONS, continuous_solutions
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS
from negotiation.engine.solutions import (
    SOLUTIONS,
    Solution,
    get_solution,
    lottery_weights,
    solution_index,
    solve,
    solve_lottery,
)
from negotiation.engine.solutions.registry import VariantView
from negotiation.errors import NegotiationError, NotApplicableError
from negotiation.plots.colors import SOLUTION_LABELS, SOLUTION_LINESTYLES, SOLUTION_MARKERS


class Dictator(Solution):
    """Toy rule: the first party's best deal (ties: the second party's, then the first row)."""

    name = "dictator"
    label = "Dictator"
    short = "dict."
    marker = "o"
    linestyle = ":"
    reference = "toy"

    def index(self, U, d, *, power=None, levels=None):
        U = np.asarray(U, dtype=float)
        return int(np.lexsort((-U[:, 1], -U[:, 0]))[0])

    def lottery_weights(self, U, d, *, power=None, levels=None, cut=True):
        U = np.asarray(U, dtype=float)
        ok = np.flatnonzero(np.all(U >= np.asarray(d), axis=1)) if cut else np.arange(len(U))
        return np.array([ok[self.index(U[ok], d)]]), np.ones(1)


def with_dictator() -> dict[str, Solution]:
    return {**SOLUTIONS, "dictator": Dictator()}


def textbook():
    return enumerate_frontier(ng.load_scenario("textbook_two_party"))


def test_a_registered_toy_rule_flows_through_solve_and_solve_lottery():
    f = textbook()
    registry = with_dictator()
    deal = solve("dictator", f, registry=registry)
    # expected independently: the frontier row with the first party's largest utility
    best = f.utilities[:, 0].max()
    rows = np.flatnonzero(f.utilities[:, 0] == best)
    expected = rows[np.argmax(f.utilities[rows, 1])]
    np.testing.assert_array_equal(deal.levels, f.levels[expected])
    lot = solve_lottery("dictator", f, registry=registry)
    assert len(lot.deals) == 1 and lot.probabilities.tolist() == [1.0]
    assert lot.utilities[0] >= best  # the candidates include deals beyond the frontier
    U = np.array([[0.2, 0.9], [0.8, 0.1], [0.8, 0.3]])
    assert solution_index("dictator", U, [0.0, 0.0], registry=registry) == 2
    assert lottery_weights("dictator", U, [0.0, 0.5], registry=registry)[0].tolist() == [0]
    view = VariantView("lottery", registry)
    assert list(view) == [*SOLUTIONS, "dictator"]
    assert view["dictator"](f).utilities.tolist() == lot.utilities.tolist()
    assert "dictator" not in SOLUTIONS  # the global registry is untouched
    with pytest.raises(NegotiationError, match="unknown solution 'dictator'"):
        solve("dictator", f)


def test_a_rule_without_a_continuous_variant_is_refused_clearly():
    pie = ng.Scenario(
        "pie",
        (ng.Issue("share", range=(0.0, 1.0)),),
        (ng.Party("A", {"share": 1}), ng.Party("B", {"share": 1}, {"share": ((0, 1), (1, 0))})),
    )
    with pytest.raises(NotApplicableError, match="'dictator' has no exact continuous"):
        continuous_solutions(pie, registry=with_dictator())
    assert set(continuous_solutions(pie)) == set(SOLUTIONS)


def test_old_views_follow_the_registry():
    assert list(LOTTERY_SOLUTIONS) == list(SOLUTIONS) == list(CONTINUOUS_SOLUTIONS)
    for name, solution in SOLUTIONS.items():
        assert LOTTERY_SOLUTIONS[name] == solution.lottery
        assert CONTINUOUS_SOLUTIONS[name] == solution.continuous
        assert get_solution(name) is solution


def test_metadata_is_what_tables_and_figures_show():
    # the values the report's tables (engine/analysis.py's _SHORT) and plots/colors.py used
    # before the registry held them
    assert {n: s.short for n, s in SOLUTIONS.items()} == {
        "nash": "Nash",
        "asymmetric_nash": "asym. Nash",
        "kalai_smorodinsky": "Kalai-Smor.",
        "egalitarian": "egalitarian",
        "utilitarian": "utilitarian",
    }
    assert [s.label for s in SOLUTIONS.values()] == [
        "Nash",
        "Asymmetric Nash",
        "Kalai–Smorodinsky",
        "Egalitarian",
        "Utilitarian",
    ]
    assert [s.marker for s in SOLUTIONS.values()] == ["*", "P", "D", "s", "^"]
    for name, s in SOLUTIONS.items():
        assert SOLUTION_LABELS[name] == s.label
        assert SOLUTION_MARKERS[name] == s.marker
        assert SOLUTION_LINESTYLES[name] == s.linestyle
        assert s.reference and s.name == name
    assert [s.scale_invariant for s in SOLUTIONS.values()] == [True, True, True, False, False]
