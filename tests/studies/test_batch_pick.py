"""The sweep's direct pick of each solution's deal (studies/pick.py) against Solution.pure."""

from __future__ import annotations

import numpy as np
import pytest

import negotiation as ng
from negotiation.engine.solutions import SOLUTIONS
from negotiation.engine.solutions.base import Solution
from negotiation.studies.inputs import apply_inputs
from negotiation.studies.pick import pick_deals, uses_index
from negotiation.studies.sweep import monte_carlo_samples


@pytest.mark.parametrize("name", ["textbook_two_party", "ukraine_2025", "ukraine_2025_hardline"])
def test_pick_deals_is_pure(name: str) -> None:
    s = ng.load_scenario(name)
    names = [n for n in SOLUTIONS if uses_index(n)]
    assert names  # the generic pure path is the usual one
    for sample in [{}, *monte_carlo_samples(s, 5, seed=3)]:
        try:
            v = apply_inputs(s, sample)
        except ng.NegotiationError:
            continue
        f = ng.analyze(v).frontier
        if f.is_empty:
            continue
        picked = pick_deals(v, names, f.levels, f.utilities)
        for n in names:
            want = SOLUTIONS[n](f)
            got = f.deal(picked[n])
            assert got.terms == want.terms
            assert np.array_equal(got.utilities, want.utilities)


def test_overridden_pure_is_not_picked() -> None:
    class Own(Solution):
        name = "own"

        def pure(self, frontier, power=None):  # pragma: no cover - never called here
            raise AssertionError

    SOLUTIONS["own_test"] = Own()
    try:
        assert not uses_index("own_test")
    finally:
        del SOLUTIONS["own_test"]
    assert uses_index("nash")
