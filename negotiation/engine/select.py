"""Which frontier engine to run: the one policy every caller of "auto" shares.

Enumeration (:func:`negotiation.engine.frontier.enumerate_frontier`) costs about one pass over
every outcome plus a Pareto filter; the search (:func:`negotiation.engine.search.search_frontier`)
costs about one pass per issue over the partial frontier times the levels. Both give the same
frontier; the policy picks the cheaper by an estimate made before any work:

* ``N`` outcomes, ``P`` parties, ``I`` issues of at most ``L`` levels;
* ``F``, the expected size of the frontier: the expected number of maxima of ``N`` random
  vectors in ``P`` dimensions (Bentley, Kung, Schkolnick & Thompson 1978 [BKST1978]_; about
  ``(ln N)^(P-1) / (P-1)!`` for large ``N``, close to ``N`` for many parties);
* ``cost_enumerate = N (I + P) + P F^2 / 64`` (utilities of every outcome, then a filter whose
  comparisons grow with the frontier);
* ``cost_search = 8 I L F P + I P (L F)^2 / 64`` (each stage extends ``F`` states by ``L``
  levels and filters them).

The search is chosen when it applies (discrete, unanimity) and ``cost_search < cost_enumerate``,
or when ``N`` exceeds ``max_enumerate``; spaces of at most :data:`SMALL_SPACE` outcomes are
always enumerated (milliseconds, and exact counts).

References
----------
.. [BKST1978] Bentley, Kung, Schkolnick, Thompson, "On the average number of maxima" (1978).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["choose_engine", "expected_frontier", "engine_costs", "SMALL_SPACE", "MAX_ENUMERATE"]

#: Spaces up to this many outcomes are always enumerated.
SMALL_SPACE = 1 << 16
#: Largest ``n`` for which :func:`expected_frontier` runs the exact recurrence.
_EXACT_N = 1 << 21
#: Above this many outcomes, the search is used whenever it applies.
MAX_ENUMERATE = 2_000_000


@functools.lru_cache(maxsize=64)
def expected_frontier(n: int, parties: int) -> float:
    """Expected number of maxima of ``n`` random vectors in ``parties`` dimensions [BKST1978]_.

    The exact recurrence ``A(n, 1) = 1``, ``A(n, d) = sum_{i <= n} A(i, d - 1) / i`` for
    ``n <= 2^21``; beyond, the larger of ``A(2^21, d)`` and the asymptote
    ``(ln n)^(d-1) / (d-1)!``.

    Examples
    --------
    >>> round(expected_frontier(10**6, 4))  # 513 maxima in benchmarks/bench_pareto.py's sample
    509
    >>> expected_frontier(100, 1)
    1.0
    >>> round(expected_frontier(4, 2), 4)  # H_4 = 1 + 1/2 + 1/3 + 1/4
    2.0833
    """
    if n <= 1:
        return float(max(n, 0))
    d = max(int(parties), 1)
    m = min(int(n), _EXACT_N)
    inv = 1.0 / np.arange(1, m + 1, dtype=np.float64)
    A = np.ones(m)
    for _ in range(d - 1):
        A = np.cumsum(A * inv)
    exact = float(A[-1])
    if n <= _EXACT_N:
        return exact
    return float(min(n, max(exact, math.log(n) ** (d - 1) / math.factorial(d - 1))))


def engine_costs(scenario: Scenario) -> dict[str, float]:
    """The two cost estimates of the module docstring (arbitrary units, comparable)."""
    n = scenario.space.cardinality
    P = len(scenario.parties)
    sizes = scenario.space.sizes
    n_issues, levels = len(sizes), max(sizes, default=1)
    F = expected_frontier(n, P)
    return {
        "enumerate": float(n) * (n_issues + P) + P * F * F / 64.0,
        "search": 8.0 * n_issues * levels * F * P + n_issues * P * (levels * F) ** 2 / 64.0,
    }


def choose_engine(
    scenario: Scenario,
    rule: AgreementRule | None = None,
    *,
    max_enumerate: int = MAX_ENUMERATE,
) -> str:
    """``"enumerate"`` or ``"search"`` for a discrete scenario, by the estimate above.

    Parameters
    ----------
    scenario
        A discrete scenario.
    rule
        The agreement rule (default: the scenario's). The search supports unanimity only.
    max_enumerate
        Above this many outcomes the search is used whenever it applies.

    Examples
    --------
    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> issues = tuple(Issue(f"i{k}", ("a", "b", "c", "d")) for k in range(10))
    >>> s = Scenario("s", issues, (Party("A", {"i0": 1}), Party("B", {"i1": 1})))
    >>> choose_engine(s)
    'search'
    >>> choose_engine(Scenario("t", issues[:3], s.parties))
    'enumerate'
    """
    rule = rule or scenario.agreement
    n = scenario.space.cardinality
    if not rule.is_unanimity(len(scenario.parties)) or scenario.is_continuous:
        return "enumerate"
    if n <= SMALL_SPACE:
        return "enumerate"
    if n > max_enumerate:
        return "search"
    cost = engine_costs(scenario)
    return "search" if cost["search"] < cost["enumerate"] else "enumerate"
