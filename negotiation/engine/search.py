"""Exact Pareto-feasible frontier of outcome spaces far too large to enumerate.

With additive utilities the outcome space is a sum of independent pieces: if one issue's level
is dominated by another level of the same issue, every outcome using it is dominated by the same
outcome using the other level, whatever the other issues say. So the Pareto frontier of a product
space can be built issue by issue: the frontier of the first ``k + 1`` issues is contained in the
frontier of (frontier of the first ``k`` issues) + (levels of issue ``k + 1``). This is the
multi-objective dynamic programme of Nemhauser & Ullmann (1969), which De Jonge, Rovatsos & Sierra
(2019) and Koça, de Jonge & Baarslag (2024, MOBANOS) use for two negotiating parties; here it runs
for any number of parties.

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
.. [NU69] G. L. Nemhauser, Z. Ullmann, "Discrete dynamic programming and capital allocation",
   Management Science 15(9):494-505, 1969.
.. [DRS19] D. de Jonge, M. Rovatsos, C. Sierra, "Multi-objective automated negotiation with
   incomplete information", ECAI 2019 (the exact two-party construction MOBANOS, as described
   in [KdJB24]_).
.. [KdJB24] T. Koça, D. de Jonge, T. Baarslag, "Search algorithms for automated negotiation in
   large domains", Algorithms 17(5), 2024 (MOBANOS).
.. [LTDZ02] M. Laumanns, L. Thiele, K. Deb, E. Zitzler, "Combining convergence and diversity in
   evolutionary multiobjective optimization", Evolutionary Computation 10(3):263-282, 2002.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from negotiation.engine.frontier import Frontier, enumerate_frontier, explain_empty
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.tolerance import utility_tolerance
from negotiation.errors import NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance

__all__ = [
    "search_frontier",
    "count_allowed",
    "DEFAULT_MAX_FRONTIER",
    "MAX_OPEN_CLAUSES",
    "EXACT_COUNT_LIMIT",
    "FEASIBLE_SAMPLE",
    "FEASIBLE_SEED",
]

#: Largest number of multi-issue clauses the search keeps open between two issues (up to
#: ``2**MAX_OPEN_CLAUSES`` state classes); beyond it the search refuses before any work.
MAX_OPEN_CLAUSES = 16

#: Default cap on the number of outcomes (rows) a search frontier expands into.
DEFAULT_MAX_FRONTIER = 1_000_000
#: Up to this many outcomes, ``n_feasible`` is counted exactly by enumeration (a pass over
#: every outcome: above this size it would cost more than the search itself, so the count is
#: estimated from a sample).
EXACT_COUNT_LIMIT = 1 << 18
#: Allowed outcomes sampled to estimate ``n_feasible`` in larger spaces.
FEASIBLE_SAMPLE = 20_000
#: Seed of that sample (fixed: the estimate is reproducible).
FEASIBLE_SEED = 20240501

#: Largest number of columns (parties + clause bits) for comparing states across classes in one
#: Pareto filter; beyond it, states are filtered class by class.
_MAX_EMBED = 5

#: Up to this many parties the near-tie test looks up the ``2**parties`` neighbouring cells;
#: beyond it, every row passing the first screen is kept (still exact, only less pruning).
_MAX_CELL_PARTIES = 10

#: Hash multipliers of the near-tie cell lookup (fixed odd 64-bit numbers).
_HASH = np.random.default_rng(0x5EA5C4).integers(
    1, 2**63, size=_MAX_CELL_PARTIES, dtype=np.int64
).astype(np.uint64) | np.uint64(1)


# --------------------------------------------------------------------------------------------
# The problem the fold solves
# --------------------------------------------------------------------------------------------


@dataclass
class _Clause:
    """A clause over several issues (or a bonus), as the fold uses it."""

    kind: str  # "forbid" or "bonus"
    member: dict[int, np.ndarray]  # issue -> bool per level: the level is listed
    col: int = -1  # objective column of a bonus
    value: float = 0.0
    first: int = field(init=False)  # its first and last issue
    last: int = field(init=False)

    def __post_init__(self) -> None:
        self.first, self.last = min(self.member), max(self.member)


@dataclass
class _Problem:
    """Tables (one ``levels x k`` array per issue), clauses and reservation floors."""

    tables: list[np.ndarray]
    level_ok: list[np.ndarray]
    clauses: list[_Clause]
    rlow: np.ndarray  # per objective column: u >= rlow is acceptable (-inf: no floor)
    tol: np.ndarray  # per objective column: the tie tolerance of the final comparison

    @property
    def k(self) -> int:
        return self.tables[0].shape[1]


def _member(clause, sizes) -> dict[int, np.ndarray]:
    out = {}
    for i, levels in clause.terms:
        m = np.zeros(sizes[i], dtype=bool)
        m[list(levels)] = True
        out[i] = m
    return out


def _problem(
    scenario: Scenario,
    objectives: list[int],
    red_lines_of: list[int],
    reservations: bool = True,
) -> _Problem:
    """Compile a scenario into a fold problem.

    ``objectives`` are the parties whose utilities are the objective columns (with their
    bonuses, in the order :meth:`Scenario.utilities` adds them); ``red_lines_of`` the parties
    whose red lines forbid outcomes; with ``reservations`` the objective parties' reservation
    values are floors. Without objectives a single zero column is used.
    """
    sizes = scenario.space.sizes
    if objectives:
        tables = [np.ascontiguousarray(t[:, objectives]) for t in scenario.tables]
    else:
        tables = [np.zeros((n, 1)) for n in sizes]
    level_ok = [np.ones(n, dtype=bool) for n in sizes]
    clauses: list[_Clause] = []
    forbid = list(scenario.constraint_clauses)
    for p in red_lines_of:
        forbid.extend(scenario.red_line_clauses[p])
    for c in forbid:
        member = _member(c, sizes)
        if len(member) == 1:
            ((i, m),) = member.items()
            level_ok[i] &= ~m
        else:
            clauses.append(_Clause("forbid", member))
    for col, p in enumerate(objectives):
        for b in scenario.bonuses[p]:
            clauses.append(_Clause("bonus", _member(b.clause, sizes), col, float(b.value)))
    if objectives and reservations:
        r = scenario.reservations[objectives]
        rlow = r - reservation_tolerance(r)
    else:
        rlow = np.full(tables[0].shape[1], -np.inf)
    tol = utility_tolerance(scenario)[objectives] if objectives else np.zeros(1)
    return _Problem(tables, level_ok, clauses, rlow, tol)


# --------------------------------------------------------------------------------------------
# The fold
# --------------------------------------------------------------------------------------------


@dataclass
class _Fold:
    """Result of the fold: back-pointers per stage and the final states."""

    ptr: list[np.ndarray] = field(default_factory=list)  # per stage, CSR over new states
    parent: list[np.ndarray] = field(default_factory=list)  # producer's previous state
    level: list[np.ndarray] = field(default_factory=list)  # producer's level
    values: np.ndarray | None = None  # final states' utilities, bonuses included
    count: np.ndarray | None = None  # outcomes per final state (float)
    feasible: np.ndarray | None = None  # final states meeting every reservation
    sizes: list[int] = field(default_factory=list)  # states after each stage


def _margin(prob: _Problem) -> float:
    """The margin ``tau``: a strict difference of at least ``tau`` survives every later rounding.

    Every addition rounds by at most half an ulp of the largest magnitude a sum can reach
    (``M``), so a difference shrinks by at most ``ulp(M)`` per addition; there are at most
    ``issues + bonuses`` additions. Four times that, for good measure (and for the computed
    reservation bounds).
    """
    M = np.zeros(prob.k)
    for t in prob.tables:
        M += np.abs(t).max(axis=0)
    for c in prob.clauses:
        if c.kind == "bonus":
            M[c.col] += abs(c.value)
    m = max(float(M.max()), np.finfo(float).tiny)
    steps = len(prob.tables) + sum(c.kind == "bonus" for c in prob.clauses) + 4
    return 4.0 * steps * float(np.spacing(m))


def _cell_keys(W: np.ndarray, h: float) -> np.ndarray:
    cells = np.floor(W / h).astype(np.int64).astype(np.uint64)
    return (cells * _HASH[: W.shape[1]]).sum(axis=1, dtype=np.uint64)


def _near_ties(W: np.ndarray, nd: np.ndarray, tau: float) -> np.ndarray:
    """Among the dominated rows of ``W``, those with a non-dominated row ``z`` (possibly) in the
    box ``[x, x + tau]``: their dominance might be rounded away later, so they are kept.

    Conservative (keeps a superset): a cell lookup on a grid of width ``2 tau``, after a
    first screen on column 0.
    """
    dom = np.flatnonzero(~nd)
    N = W[nd]
    x0 = W[dom, 0]
    n0 = np.sort(N[:, 0])
    lo = np.searchsorted(n0, x0, "left")
    hi = np.searchsorted(n0, x0 + 2.0 * tau, "right")
    cand = dom[hi > lo]
    if cand.size == 0 or W.shape[1] > _MAX_CELL_PARTIES:
        return cand
    h = 2.0 * tau
    k = W.shape[1]
    keys_n = np.unique(_cell_keys(N, h))
    cells = np.floor(W[cand] / h).astype(np.int64)
    offsets = ((np.arange(1 << k)[:, None] >> np.arange(k)[None, :]) & 1).astype(np.int64)
    hit = np.zeros(cand.size, dtype=bool)
    mult = _HASH[:k]
    for off in offsets:
        keys = ((cells + off).astype(np.uint64) * mult).sum(axis=1, dtype=np.uint64)
        hit |= np.isin(keys, keys_n, assume_unique=False)
    return cand[hit]


def _robust_filter(W: np.ndarray, tau: float, bits: np.ndarray | None = None) -> np.ndarray:
    """Rows of ``W`` to keep: the non-dominated ones, plus dominated ones whose every dominator
    might be within ``tau`` (see :func:`_near_ties`). Drops only rows dominated by a row ahead by
    ``tau`` or more in some column of ``W``.

    ``bits`` (optional, one row per row of ``W``) are extra columns a dominator must also be
    ``>=`` in (the clause bits of :func:`_class_bits`); they never make a domination strict on
    their own, because the near-tie test looks at ``W`` only.
    """
    if W.shape[0] <= 1:
        return np.ones(W.shape[0], dtype=bool)
    nd = pareto_mask(W if bits is None else np.hstack([W, bits]))
    if nd.all():
        return nd
    keep = nd.copy()
    keep[_near_ties(W, nd, tau)] = True
    return keep


def _class_bits(classes: list[frozenset], clauses: list[_Clause]) -> np.ndarray:
    """Clause bits of each class, signed so that ``>=`` means "every future at least as good".

    For a state ``y`` to stand in for ``x`` of another class, every completion of ``x`` must be
    a completion of ``y`` with at least ``x``'s bonuses: ``y`` may match fewer open forbidding
    clauses (``-bit``), more positive bonuses (``+bit``) and fewer negative ones (``-bit``).
    Columns that are the same for every class are dropped.
    """
    ids = sorted(set().union(*classes))
    B = np.zeros((len(classes), len(ids)))
    for col, j in enumerate(ids):
        c = clauses[j]
        sign = 1.0 if (c.kind == "bonus" and c.value >= 0) else -1.0
        for a, cset in enumerate(classes):
            if j in cset:
                B[a, col] = sign
    varying = (B != B[0]).any(axis=0)
    return B[:, varying]


def _prune_items(t: np.ndarray, ok: np.ndarray, signature: np.ndarray, tau: float) -> np.ndarray:
    """Levels of one issue worth folding: drop a level when another level with the same clause
    signature beats it by ``tau`` somewhere and is no worse anywhere (dominance inside one
    issue stays dominance in the sum)."""
    idx = np.flatnonzero(ok)
    if idx.size <= 1:
        return idx
    T = t[idx]
    S = signature[idx]
    ge = (T[:, None, :] >= T[None, :, :]).all(axis=2)  # ge[b, a]: b >= a everywhere
    ahead = (T[:, None, :] >= T[None, :, :] + tau).any(axis=2)
    same = (S[:, None, :] == S[None, :, :]).all(axis=2) if S.shape[1] else True
    beats = ge & ahead & same
    np.fill_diagonal(beats, False)
    beaten = beats.any(axis=0)
    return idx[~beaten]


def open_clauses(prob: _Problem) -> int:
    """Largest number of multi-issue clauses (constraints, red lines, bonuses) still open between
    two issues of the fold: a state's class is a subset of them, so up to ``2**open`` classes."""
    n = len(prob.tables)
    return max((sum(1 for c in prob.clauses if c.first <= i < c.last) for i in range(n)), default=0)


def _check_open_clauses(scenario: Scenario, prob: _Problem) -> None:
    """Refuse, before any work, a fold whose state classes could number over
    ``2**MAX_OPEN_CLAUSES`` (the constraint-based ANAC 2014 domains keep 19 to 67 open)."""
    k = open_clauses(prob)
    if k > MAX_OPEN_CLAUSES:
        raise NotApplicableError(
            f"scenario {scenario.name!r}: its multi-issue clauses (constraints, red lines, "
            f"bonuses) keep up to {k} open across issues, so the search could track up to "
            f"2^{k} state classes; the bound is 2^{MAX_OPEN_CLAUSES} "
            "(negotiation.engine.search.MAX_OPEN_CLAUSES)"
        )


def _fold(prob: _Problem, progress: bool = False, desc: str = "searching") -> _Fold:
    """Run the multi-objective dynamic programme over the issues in order."""
    n_issues = len(prob.tables)
    k = prob.k
    # Keep near-ties up to the rounding margin plus twice the tie tolerance: a state may be
    # dropped only for a dominator that stays ahead beyond the final comparison's tolerance.
    tau = _margin(prob) + 2.0 * float(prob.tol.max())
    clauses = prob.clauses
    bonus_ids = [j for j, c in enumerate(clauses) if c.kind == "bonus"]
    use_res = bool(np.isfinite(prob.rlow).any())
    # Remaining per-column maxima after each stage (allowed levels only).
    best = [
        t[ok].max(axis=0) if ok.any() else np.full(k, -np.inf)
        for t, ok in zip(prob.tables, prob.level_ok, strict=True)
    ]
    rest = np.zeros((n_issues + 1, k))
    for i in range(n_issues - 1, -1, -1):
        rest[i] = rest[i + 1] + best[i]
    floor = prob.rlow - tau

    out = _Fold()
    V = np.zeros((1, k))
    cls = np.zeros(1, dtype=np.int64)
    classes: list[frozenset] = [frozenset()]
    count = np.ones(1)
    stages = range(n_issues)
    if progress:
        try:
            from tqdm.auto import tqdm

            stages = tqdm(stages, desc=desc, unit="issue")
        except ImportError:  # pragma: no cover
            pass
    for i in stages:
        t = prob.tables[i]
        n_levels = t.shape[0]
        involved = [j for j, c in enumerate(clauses) if i in c.member]
        signature = np.stack(
            [clauses[j].member[i] for j in involved] or [np.zeros(n_levels, dtype=bool)], axis=1
        )[:, : len(involved)]
        items = _prune_items(t, prob.level_ok[i], signature, tau)
        # Class transitions: (old class, level) -> new class (or -1: forbidden).
        if involved:
            index: dict[frozenset, int] = {}
            new_classes: list[frozenset] = []
            T = np.full((len(classes), items.size), -1, dtype=np.int64)
            for a, cset in enumerate(classes):
                for b, lv in enumerate(items):
                    nxt = _step(cset, clauses, involved, i, int(lv))
                    if nxt is None:
                        continue
                    if nxt not in index:
                        index[nxt] = len(new_classes)
                        new_classes.append(nxt)
                    T[a, b] = index[nxt]
        else:
            new_classes = classes
            T = np.broadcast_to(np.arange(len(classes))[:, None], (len(classes), items.size))
        NC = T[cls]
        s_idx, j_idx = np.nonzero(NC >= 0)
        newc = NC[s_idx, j_idx]
        lev = items[j_idx]
        W = V[s_idx] + t[lev]
        if use_res and W.shape[0]:
            ub_bonus = _bonus_bounds(new_classes, clauses, bonus_ids, i, k)
            ub = W + rest[i + 1] + ub_bonus[newc]
            ok = (ub >= floor).all(axis=1)
            if not ok.all():
                s_idx, newc, lev, W = s_idx[ok], newc[ok], lev[ok], W[ok]
        # Robust Pareto filter; states of different classes compare through their clause bits.
        if len(new_classes) == 1 or W.shape[0] <= 1:
            keep = _robust_filter(W, tau)
        else:
            bits = _class_bits(new_classes, clauses)
            if k + bits.shape[1] <= _MAX_EMBED:
                keep = _robust_filter(W, tau, bits[newc])
            else:
                keep = np.zeros(W.shape[0], dtype=bool)
                order = np.argsort(newc, kind="stable")
                bounds = np.flatnonzero(np.diff(newc[order])) + 1
                for grp in np.split(order, bounds):
                    keep[grp[_robust_filter(W[grp], tau)]] = True
        s_idx, newc, lev, W = s_idx[keep], newc[keep], lev[keep], W[keep]
        # Distinct (class, vector) states, with their producers grouped (CSR).
        n = W.shape[0]
        if n:
            o = np.lexsort(tuple(W[:, c] for c in range(k - 1, -1, -1)) + (newc,))
            W, newc, s_idx, lev = W[o], newc[o], s_idx[o], lev[o]
            start = np.ones(n, dtype=bool)
            start[1:] = (newc[1:] != newc[:-1]) | (W[1:] != W[:-1]).any(axis=1)
            heads = np.flatnonzero(start)
        else:
            heads = np.zeros(0, dtype=np.int64)
        out.ptr.append(np.append(heads, n).astype(np.int64))
        out.parent.append(s_idx.astype(np.int64))
        out.level.append(lev.astype(np.int64))
        count = np.add.reduceat(count[s_idx], heads) if n else np.zeros(0)
        V, cls = W[heads], newc[heads]
        classes = new_classes
        out.sizes.append(int(V.shape[0]))
    # Bonuses, added after all the issues as Scenario.utilities adds them.
    V = V.copy()
    for j in bonus_ids:
        c = clauses[j]
        live = np.array([j in cset for cset in classes], dtype=bool)
        V[:, c.col] += c.value * live[cls]
    out.values = V
    out.count = count
    out.feasible = (V >= prob.rlow).all(axis=1)
    return out


def _step(cset: frozenset, clauses: list[_Clause], involved: list[int], i: int, lv: int):
    """Next class of a state of class ``cset`` taking level ``lv`` on issue ``i``; ``None``
    when a forbidding clause is completed."""
    new = set(cset)
    for j in involved:
        c = clauses[j]
        hit = bool(c.member[i][lv])
        if c.first == i:
            if hit:
                if c.kind == "forbid" and c.last == i:  # pragma: no cover - removed as levels
                    return None
                new.add(j)
        elif j in cset:
            if not hit:
                new.discard(j)
            elif c.kind == "forbid" and c.last == i:
                return None
    return frozenset(new)


def _bonus_bounds(classes, clauses, bonus_ids, i, k) -> np.ndarray:
    """Per class, the largest total the bonuses can still add to each column after stage
    ``i``."""
    out = np.zeros((len(classes), k))
    for a, cset in enumerate(classes):
        for j in bonus_ids:
            c = clauses[j]
            if c.first > i:
                out[a, c.col] += max(c.value, 0.0)
            elif j in cset:
                out[a, c.col] += c.value if c.last <= i else max(c.value, 0.0)
    return out


# --------------------------------------------------------------------------------------------
# Expanding final states into outcomes
# --------------------------------------------------------------------------------------------


def _expand(fold: _Fold, states: np.ndarray, full: bool) -> np.ndarray:
    """Level matrix of the outcomes behind final ``states``: all of them (``full``) or the first
    producer's chain only (one outcome per state)."""
    n_issues = len(fold.ptr)
    rows = np.asarray(states, dtype=np.int64)
    cols: list[np.ndarray] = [None] * n_issues  # type: ignore[list-item]
    backs: list[np.ndarray] = [None] * n_issues  # type: ignore[list-item]
    for i in range(n_issues - 1, -1, -1):
        ptr = fold.ptr[i]
        start = ptr[rows]
        if full:
            n = ptr[rows + 1] - start
            back = np.repeat(np.arange(rows.size), n)
            first = np.cumsum(n) - n
            idx = start[back] + (np.arange(back.size) - first[back])
        else:
            back = np.arange(rows.size)
            idx = start
        cols[i] = fold.level[i][idx]
        backs[i] = back
        rows = fold.parent[i][idx]
    m = rows.size
    levels = np.empty((m, n_issues), dtype=np.int64)
    pos = np.arange(m)
    for i in range(n_issues):
        levels[:, i] = cols[i][pos]
        pos = backs[i][pos]
    return levels


def _exact_counts(fold: _Fold, states: np.ndarray) -> int:
    """Exact (Python int) number of outcomes behind the final ``states`` together."""
    if float(fold.count[states].sum()) < 2.0**52:
        return int(fold.count[states].sum())
    count = np.ones(1, dtype=object)
    for i in range(len(fold.ptr)):
        ptr, parent = fold.ptr[i], fold.parent[i]
        if ptr.size == 1:
            return 0
        count = np.add.reduceat(count[parent], ptr[:-1])
    return int(sum(count[states]))


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------


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


def _nonempty(prob: _Problem) -> bool:
    fold = _fold(prob)
    return bool(fold.feasible.any())


def _diagnose_search(scenario: Scenario) -> dict:
    """Why nothing is feasible, by small extra searches: dropping one party's demands (its red
    lines and reservation), one party's red lines alone, one party's reservation alone."""
    P = len(scenario.parties)
    names = scenario.party_names
    everyone = list(range(P))
    blockers, red, low = [], [], []
    for p in everyone:
        others = [q for q in everyone if q != p]
        if _nonempty(_problem(scenario, others, others)):
            blockers.append(names[p])
        if not _nonempty(_problem(scenario, [p], [p], reservations=False)):
            red.append(names[p])
        if not _nonempty(_problem(scenario, [p], [], reservations=True)):
            low.append(names[p])
    return explain_empty(blockers, red, low)


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------


def search_frontier(
    scenario: Scenario,
    *,
    rule: AgreementRule | None = None,
    epsilon: float | None = None,
    progress: bool = False,
    max_frontier: int | None = None,
    count_feasible: bool = True,
) -> Frontier:
    """Exact Pareto-feasible frontier by an issue-by-issue search, for any number of parties.

    An outcome ``x`` is *feasible* when no constraint forbids it, it crosses no party's red line
    and ``u_p(x) >= r_p`` for every party (unanimity). It is *Pareto-feasible* when no feasible
    ``y`` has ``u(y) >= u(x)`` in every party and ``>`` in one. With additive utilities
    ``u(x) = sum_i s_i(x_i) + bonuses``, the frontier of issues ``0..k+1`` lies inside the
    frontier of (frontier of issues ``0..k``) ``+`` (levels of issue ``k+1``): the
    multi-objective dynamic programme of Nemhauser & Ullmann [NU69]_, as De Jonge et al.
    [DRS19]_ and Koça et al. [KdJB24]_ (MOBANOS) use it for two parties. Clauses over several
    issues are tracked as state classes (see the module docstring); reservations prune partial
    outcomes whose best completion cannot reach them.

    The answer is exactly :func:`~negotiation.engine.frontier.enumerate_frontier`'s: the same
    outcomes (all tied outcomes included) with bit-identical utilities, rows in outcome-index
    (lexicographic) order.

    Parameters
    ----------
    scenario
        A discrete scenario (``scenario.discretize()`` a continuous one first).
    rule
        Agreement rule; defaults to the scenario's own. Only unanimity is supported (a quota
        rule raises :class:`~negotiation.errors.NotApplicableError`: use the enumeration
        engine).
    epsilon
        ``None`` for the whole frontier. A positive number returns an additive epsilon-Pareto
        subset of it (the box archive of Laumanns et al. [LTDZ02]_ applied to the exact frontier
        by :func:`~negotiation.engine.pareto.pareto_mask`): every returned outcome is
        Pareto-feasible, and every Pareto-feasible outcome ``x`` has a returned ``y`` with
        ``u_p(y) >= u_p(x) - epsilon`` for every party ``p``. The search itself stays exact;
        epsilon bounds the size of the returned frontier.
    progress
        Show a progress bar (tqdm) over the issues.
    max_frontier
        Cap on the number of outcomes returned (default :data:`DEFAULT_MAX_FRONTIER`). Ties can
        multiply (an issue nobody cares about multiplies every frontier point by its number of
        levels). When the frontier has more outcomes than the cap, every distinct utility vector
        is still returned with at least one outcome, tie groups are filled while the cap allows,
        and ``diagnostics`` says so (``"truncated": True``, ``"n_frontier_outcomes"``: the exact
        count). When even the distinct vectors exceed the cap a
        :class:`~negotiation.errors.NegotiationError` is raised (use ``epsilon``).
    count_feasible
        With ``False``, skip counting (or estimating) the feasible outcomes: ``n_feasible`` is
        then ``None`` (unless nothing is feasible), for callers that only need the frontier.

    Returns
    -------
    Frontier
        ``engine="search"``. ``n_outcomes`` and ``n_allowed`` are exact Python ints (a counting
        dynamic programme over the constraints, :func:`count_allowed`). ``n_feasible`` is exact
        for spaces of at most :data:`EXACT_COUNT_LIMIT` outcomes (enumerated) and when nothing is
        feasible; otherwise it is the Monte Carlo estimate ``n_allowed * h / n`` from a uniform
        sample of ``n =`` :data:`FEASIBLE_SAMPLE` allowed outcomes (fixed seed) of which ``h``
        are feasible, with ``n_feasible_exact=False`` and the sample in
        ``diagnostics["n_feasible_estimate"]`` (the estimate is raised to the number of
        Pareto-feasible outcomes found, a sure lower bound, when the sample misses them all).

    Raises
    ------
    NotApplicableError
        Under a quota agreement rule, or for a continuous scenario.

    Examples
    --------
    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> issues = tuple(Issue(f"i{k}", ("lo", "mid", "hi")) for k in range(40))
    >>> s = Scenario("big", issues, (Party("A", {i.name: 1 for i in issues}),
    ...     Party("B", {i.name: 1 + k % 3 for k, i in enumerate(issues)},
    ...           {i.name: {"lo": 1.0, "mid": 0.6, "hi": 0.0} for i in issues})))
    >>> f = search_frontier(s)
    >>> f.n_outcomes == 3 ** 40, f.engine
    (True, 'search')
    >>> bool((f.utilities.sum(axis=1) > 0).all())
    True
    """
    rule = rule or scenario.agreement
    P = len(scenario.parties)
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() "
            "before the search engine"
        )
    if not rule.is_unanimity(P):
        raise NotApplicableError(
            f"the frontier search supports only unanimity, not a quota of {rule.quota} of {P} "
            "parties: use the enumeration engine"
        )
    if getattr(scenario, "has_observers", False):
        raise NotApplicableError(
            "the frontier search needs every party's reservation to bind, but the scenario has "
            "observers: use the enumeration engine"
        )
    for v in rule.veto:
        scenario.party(v)
    if epsilon is not None:
        if (
            isinstance(epsilon, bool)
            or not isinstance(epsilon, (int, float))
            or not (math.isfinite(epsilon) and epsilon > 0)
        ):
            raise ScenarioError(f"epsilon must be a positive number, got {epsilon!r}")
        epsilon = float(epsilon)
    cap = DEFAULT_MAX_FRONTIER if max_frontier is None else max_frontier
    if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1:
        raise ScenarioError(f"max_frontier must be a positive whole number, got {max_frontier!r}")

    everyone = list(range(P))
    prob = _problem(scenario, everyone, everyone)
    _check_open_clauses(scenario, prob)
    fold = _fold(prob, progress=progress)
    space = scenario.space
    small = space.cardinality <= EXACT_COUNT_LIMIT
    feasible = fold.feasible
    diagnostics: dict = {}
    if not feasible.any():
        if small:
            base = enumerate_frontier(scenario, rule=rule)
            diagnostics = dict(base.diagnostics)
            n_allowed = base.n_allowed
        else:
            diagnostics = _diagnose_search(scenario)
            n_allowed = count_allowed(scenario)
        return Frontier(
            scenario=scenario,
            levels=np.zeros((0, len(scenario.issues)), dtype=np.int64),
            utilities=np.zeros((0, P)),
            n_outcomes=space.cardinality,
            n_allowed=n_allowed,
            n_feasible=0,
            engine="search",
            rule=rule,
            diagnostics=diagnostics,
            epsilon=epsilon,
        )

    # The exact frontier of the final states (ties across states kept), then epsilon.
    cand = np.flatnonzero(feasible)
    U = fold.values[cand]
    nd = pareto_mask(U, tol=prob.tol)
    cand = cand[nd]
    if epsilon is not None:
        cand = cand[pareto_mask(fold.values[cand], eps=epsilon)]

    # Expand the states into outcomes, within the cap.
    counts = fold.count[cand]
    total = float(counts.sum())
    if total <= cap:
        levels = _expand(fold, cand, full=True)
    else:
        if cand.size > cap:
            raise NegotiationError(
                f"scenario {scenario.name!r}: the frontier has {cand.size:,} distinct utility "
                f"vectors, more than max_frontier={cap:,}; pass a larger max_frontier or an "
                "epsilon to thin it"
            )
        order = np.argsort(counts, kind="stable")
        budget = cap - cand.size  # every state gets one outcome; the rest fills tie groups
        extra = np.cumsum(counts[order] - 1)
        whole = order[extra <= budget]
        part = np.setdiff1d(np.arange(cand.size), whole)
        levels = np.concatenate(
            [_expand(fold, cand[whole], full=True), _expand(fold, cand[part], full=False)]
        )
        diagnostics["truncated"] = True
        diagnostics["n_frontier_outcomes"] = _exact_counts(fold, cand)
        diagnostics["n_frontier_vectors"] = int(cand.size)
        diagnostics["message_truncated"] = (
            f"the frontier has {diagnostics['n_frontier_outcomes']:,} outcomes "
            f"({cand.size:,} distinct utility vectors); returned {levels.shape[0]:,} "
            f"(max_frontier={cap:,}): every vector with at least one of its tied outcomes"
        )

    # Outcome-index order; utilities recomputed exactly as enumeration computes them.
    order = np.lexsort(tuple(levels[:, i] for i in range(levels.shape[1] - 1, -1, -1)))
    levels = levels[order]
    u = scenario.utilities(levels)
    keep = scenario.feasible_mask(levels, u, rule)
    keep[keep] = pareto_mask(u[keep], tol=prob.tol)
    levels, u = levels[keep], u[keep]

    # Counts.
    if not count_feasible:
        n_allowed, n_feasible, exact = count_allowed(scenario), None, False
    elif small:
        n_allowed, n_feasible = _count_feasible_exact(scenario)
        exact = True
    else:
        n_allowed = count_allowed(scenario)
        est = _estimate_feasible(scenario, rule, n_allowed)
        n_feasible = est["estimate"]
        if n_feasible is not None:
            n_feasible = max(int(n_feasible), int(levels.shape[0]))
        diagnostics["n_feasible_estimate"] = est
        exact = False
    return Frontier(
        scenario=scenario,
        levels=levels,
        utilities=u,
        n_outcomes=space.cardinality,
        n_allowed=n_allowed,
        n_feasible=n_feasible,
        engine="search",
        rule=rule,
        n_feasible_exact=exact,
        diagnostics=diagnostics,
        epsilon=epsilon,
        tolerance=prob.tol,
    )
