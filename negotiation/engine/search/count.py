"""Counting outcomes: allowed outcomes exactly (a counting programme over the constraints),
feasible ones exactly in small spaces and by a seeded Monte Carlo estimate in large ones."""

from __future__ import annotations

import math

import numpy as np

from negotiation.engine.search.fold import _step
from negotiation.engine.search.problem import _problem
from negotiation.errors import ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance

__all__ = ["count_allowed", "EXACT_COUNT_LIMIT", "FEASIBLE_SAMPLE", "FEASIBLE_SEED"]

#: Up to this many outcomes, ``n_feasible`` is counted exactly by enumeration (a pass over
#: every outcome: above this size it would cost more than the search itself, so the count is
#: estimated from a sample).
EXACT_COUNT_LIMIT = 1 << 18
#: Allowed outcomes sampled to estimate ``n_feasible`` in larger spaces.
FEASIBLE_SAMPLE = 20_000
#: Seed of that sample (fixed: the estimate is reproducible).
FEASIBLE_SEED = 20240501


def count_allowed(scenario: Scenario) -> int:
    """Exact number of outcomes that no constraint forbids (a Python int, any size).

    A counting dynamic programme over the issues in order: the state is the set of
    multi-issue constraints the partial outcome still matches; single-issue constraints remove
    levels. ``O(issues x levels x states)``.

    Examples
    --------
    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> s = Scenario("c", (Issue("x", ("a", "b")), Issue("y", ("a", "b", "c"))),
    ...              (Party("A", {"x": 1}),), constraints=({"x": ("a",), "y": ("b", "c")},))
    >>> count_allowed(s)
    4
    """
    prob = _problem(scenario, [], [], reservations=False)
    clauses = [c for c in prob.clauses if c.kind == "forbid"]
    counts: dict[frozenset, int] = {frozenset(): 1}
    for i, ok in enumerate(prob.level_ok):
        involved = [j for j, c in enumerate(clauses) if i in c.member]
        nxt: dict[frozenset, int] = {}
        for cset, n in counts.items():
            for lv in np.flatnonzero(ok):
                new = _step(cset, clauses, involved, i, int(lv)) if involved else cset
                if new is not None:
                    nxt[new] = nxt.get(new, 0) + n
        counts = nxt
    return sum(counts.values())


def _count_feasible_exact(scenario: Scenario) -> tuple[int, int]:
    """Exact allowed and feasible (unanimity) counts by enumeration (small spaces)."""
    from negotiation.model.blocks import evaluate_blocks

    r = scenario.reservations
    r_low = r - reservation_tolerance(r)
    allowed = feasible = 0
    for block in evaluate_blocks(scenario):
        a = block.allowed
        allowed += int(a.sum())
        ok = a & (block.utilities >= r_low).all(axis=1) & ~block.red.any(axis=1)
        feasible += int(ok.sum())
    return allowed, feasible


def _estimate_feasible(scenario: Scenario, rule: AgreementRule, n_allowed: int) -> dict:
    """Monte Carlo estimate of the number of feasible outcomes from a seeded uniform sample of
    allowed outcomes: ``n_allowed * (feasible in sample) / (sample size)``."""
    try:
        sample = scenario.space.sample(FEASIBLE_SAMPLE, FEASIBLE_SEED, allowed_only=True)
    except ScenarioError:
        return {"estimate": None}
    u = scenario.utilities(sample)
    hits = int(scenario.feasible_mask(sample, u, rule).sum())
    frac = hits / FEASIBLE_SAMPLE
    stderr = n_allowed * math.sqrt(frac * (1 - frac) / FEASIBLE_SAMPLE)
    return {
        "estimate": round(n_allowed * frac),
        "samples": FEASIBLE_SAMPLE,
        "feasible_in_sample": hits,
        "stderr": stderr,
        "seed": FEASIBLE_SEED,
    }


# --------------------------------------------------------------------------------------------
# Diagnosis of an empty feasible set (huge spaces)
# --------------------------------------------------------------------------------------------


def frontier_counts(
    scenario: Scenario, rule: AgreementRule, n_found: int, count_feasible: bool, diagnostics: dict
) -> tuple[int, int | None, bool]:
    """``(n_allowed, n_feasible, exact)`` of a search frontier with ``n_found`` outcomes.

    Exact by enumeration up to :data:`EXACT_COUNT_LIMIT` outcomes; above, ``n_allowed`` exact by
    :func:`count_allowed` and ``n_feasible`` the Monte Carlo estimate, raised to ``n_found`` (a
    sure lower bound), with the sample in ``diagnostics["n_feasible_estimate"]``. Without
    ``count_feasible``, ``n_feasible`` is ``None``.
    """
    if not count_feasible:
        return count_allowed(scenario), None, False
    if scenario.space.cardinality <= EXACT_COUNT_LIMIT:
        n_allowed, n_feasible = _count_feasible_exact(scenario)
        return n_allowed, n_feasible, True
    n_allowed = count_allowed(scenario)
    est = _estimate_feasible(scenario, rule, n_allowed)
    diagnostics["n_feasible_estimate"] = est
    n_est = est["estimate"]
    return n_allowed, (None if n_est is None else max(int(n_est), n_found)), False
