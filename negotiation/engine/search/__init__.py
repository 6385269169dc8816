"""Exact Pareto-feasible frontier of outcome spaces far too large to enumerate.

With additive utilities the outcome space is a sum of independent pieces: if one issue's level
is dominated by another level of the same issue, every outcome using it is dominated by the same
outcome using the other level, whatever the other issues say. So the Pareto frontier of a product
space can be built issue by issue: the frontier of the first ``k + 1`` issues is contained in the
frontier of (frontier of the first ``k`` issues) + (levels of issue ``k + 1``). This is the
multi-objective dynamic programme of Nemhauser & Ullmann (1969) [NemhauserUllmann1969]_, which
De Jonge, Rovatsos & Sierra (2019) and Koça, de Jonge & Baarslag (2024, MOBANOS) use for two
negotiating parties; here it runs for any number of parties.

How the engine works (:func:`search_frontier`)
---------------------------------------------
*Stages.* Issues are folded in issue order. After stage ``k`` the engine holds *states*: partial
outcomes of issues ``0..k`` reduced to their distinct utility vectors, each with the list of
``(previous state, level)`` pairs that produce it (back-pointers, so every final vector expands
into **all** the outcomes that tie on it).

*Clauses.* A constraint, a red line or a bonus that mentions several issues ties them together
(a "compound issue", :func:`negotiation.model.compound.issue_components`). Instead of merging
those issues into one, a state carries the set of such clauses that still match its partial
outcome (its *class*). A forbidding clause (constraint or any party's red line: under unanimity a
red line excludes the outcome for everyone) is decided at its last issue, where matching partial
outcomes are dropped; a bonus is decided at its last issue and then carried to the end. Clauses on
one issue simply remove levels. A state may only be dropped for a state whose futures include its
futures with at least its bonuses (same class, or fewer open forbidding clauses, more positive and
fewer negative bonuses). This is the compound-issue construction spread over the fold.

*Pruning.* A state is dropped when another state of its class dominates it (Pareto filter,
:func:`negotiation.engine.pareto.pareto_mask`) or when even its best completion (the state plus
every remaining issue's and bonus's per-party maximum) stays below some party's reservation value.
Reservation values are otherwise applied at the end: the Pareto-feasible set equals
``{x in Pareto(allowed) : u(x) >= r}`` because a point dominating a feasible one is feasible.

*Exactness in floating point.* Enumeration (:func:`negotiation.engine.frontier.enumerate_frontier`)
sums each outcome's scores in issue order and then adds the bonuses
(:meth:`~negotiation.model.scenario.Scenario.utilities`). Folding in the same order with the bonuses
added after the last issue, every state's vector is *bit-identical* to enumeration's partial sum.
Floating-point addition is monotone (``a >= b`` implies ``fl(a + c) >= fl(b + c)``), so weak
dominance survives any completion; only a strict difference can be rounded away. The engine
therefore drops a dominated state only when its dominator is ahead by at least ``tau`` in some
party (``tau`` covers the rounding of all remaining additions) and keeps near-ties; the final
vectors are then filtered exactly. The result is exactly enumeration's frontier, ties included,
even where sums of different scores tie or nearly tie.

References
----------
.. [NemhauserUllmann1969] Nemhauser, Ullmann, "Discrete dynamic programming and capital allocation"
   (1969). Full entry: docs/references.md.
.. [DRS2019] de Jonge, Rovatsos, Sierra, "Multi-objective automated negotiation with incomplete
   information" (2019); the exact two-party construction MOBANOS, as described in [KdJB2024]_.
   Full entry: docs/references.md.
.. [KdJB2024] Koça, de Jonge, Baarslag, "Search algorithms for automated negotiation in large
   domains" (2024); MOBANOS. Full entry: docs/references.md.
.. [LTDZ2002] Laumanns et al., "Combining convergence and diversity in evolutionary multiobjective
   optimization" (2002). Full entry: docs/references.md.
"""

from negotiation.engine.search.count import (
    EXACT_COUNT_LIMIT,
    FEASIBLE_SAMPLE,
    FEASIBLE_SEED,
    count_allowed,
)

# _fold and _problem: benchmarks/bench_search.py times the stages through them.
from negotiation.engine.search.fold import _fold  # noqa: F401
from negotiation.engine.search.problem import MAX_OPEN_CLAUSES, _problem, open_clauses  # noqa: F401
from negotiation.engine.search.run import DEFAULT_MAX_FRONTIER, search_frontier

__all__ = [
    "search_frontier",
    "count_allowed",
    "open_clauses",
    "DEFAULT_MAX_FRONTIER",
    "MAX_OPEN_CLAUSES",
    "EXACT_COUNT_LIMIT",
    "FEASIBLE_SAMPLE",
    "FEASIBLE_SEED",
]
