"""The one enumerate-vs-search policy (negotiation.engine.select)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from negotiation.engine import select
from negotiation.engine.analysis import DEFAULT_MAX_ENUMERATE
from negotiation.engine.diagnosis import DIAGNOSIS_MAX_ENUMERATE
from negotiation.engine.pareto import brute_force_pareto_mask
from negotiation.engine.ranks import RANK_ENUMERATE
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import AgreementRule, Scenario


def test_auto_engine_follows_the_estimate():
    def scen(n_parties, n_issues):
        issues = tuple(Issue(f"i{k}", ("a", "b", "c", "d")) for k in range(n_issues))
        rng = np.random.default_rng(n_parties)
        parties = tuple(
            Party(
                f"P{p}",
                {i.name: float(w) for i, w in zip(issues, rng.random(n_issues), strict=True)},
            )
            for p in range(n_parties)
        )
        return Scenario("s", issues, parties)

    few = scen(3, 10)  # 4^10 outcomes, 3 parties: a small expected frontier
    many = scen(12, 9)  # 4^9 outcomes, 12 parties: most outcomes on the frontier
    assert select.choose_engine(few) == "search"
    assert select.choose_engine(many) == "enumerate"
    assert select.choose_engine(few, AgreementRule(quota=2)) == "enumerate"
    assert select.choose_engine(scen(3, 7)) == "enumerate"  # 16,384 <= SMALL_SPACE
    assert select.choose_engine(many, max_enumerate=1000) == "search"
    # The expected number of maxima: exactly H_n = 1 + 1/2 + ... + 1/n for d = 2 is about ln n.
    assert select.expected_frontier(10**4, 2) == pytest.approx(
        sum(1 / i for i in range(1, 10**4 + 1))
    )
    assert 40 < select.expected_frontier(50, 12) <= 50


def test_expected_frontier_matches_the_exact_average_over_permutations():
    """For ``n`` points with distinct coordinates in general position, the number of maxima
    depends only on the rank permutations; averaging over every permutation of the second
    (and third) coordinate's ranks gives the exact expectation [BKST78]."""
    for n, d in ((4, 2), (5, 2), (4, 3)):
        first = np.arange(n, dtype=float)
        total, count = 0, 0
        for perms in itertools.product(itertools.permutations(range(n)), repeat=d - 1):
            U = np.column_stack([first, *[np.array(p, dtype=float) for p in perms]])
            total += int(brute_force_pareto_mask(U).sum())
            count += 1
        assert select.expected_frontier(n, d) == pytest.approx(total / count)


def test_every_enumeration_limit_is_the_one_policy():
    assert DEFAULT_MAX_ENUMERATE == DIAGNOSIS_MAX_ENUMERATE == RANK_ENUMERATE
    assert RANK_ENUMERATE == select.MAX_ENUMERATE
