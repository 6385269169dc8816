"""The fold: the multi-objective dynamic programme over the issues, stage by stage.

Each stage extends the states of the previous one by the levels of one issue, tracks the
multi-issue clauses as state classes, prunes by reservation bounds and by a rounding-robust Pareto
filter, and keeps back-pointers so that the final states expand into every outcome behind them
(:func:`_expand`). The method and its exactness argument are in :mod:`negotiation.engine.search`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from negotiation.engine.pareto import pareto_mask
from negotiation.engine.search.problem import _Clause, _margin, _Problem

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
class _Fold:
    """Result of the fold: back-pointers per stage and the final states."""

    ptr: list[np.ndarray] = field(default_factory=list)  # per stage, CSR over new states
    parent: list[np.ndarray] = field(default_factory=list)  # producer's previous state
    level: list[np.ndarray] = field(default_factory=list)  # producer's level
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 1)))  # final utilities
    count: np.ndarray = field(default_factory=lambda: np.zeros(0))  # outcomes per final state
    feasible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # meet every r
    sizes: list[int] = field(default_factory=list)  # states after each stage


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
    beats = np.asarray(ge & ahead)
    if S.shape[1]:
        beats &= (S[:, None, :] == S[None, :, :]).all(axis=2)
    np.fill_diagonal(beats, False)
    beaten = beats.any(axis=0)
    return idx[~beaten]


def _remaining_best(prob: _Problem) -> np.ndarray:
    """``rest[i]``: per column, the most the issues ``i..`` can still add (allowed levels)."""
    n_issues, k = len(prob.tables), prob.k
    best = [
        t[ok].max(axis=0) if ok.any() else np.full(k, -np.inf)
        for t, ok in zip(prob.tables, prob.level_ok, strict=True)
    ]
    rest = np.zeros((n_issues + 1, k))
    for i in range(n_issues - 1, -1, -1):
        rest[i] = rest[i + 1] + best[i]
    return rest


def _transitions(
    classes: list[frozenset], clauses: list[_Clause], involved: list[int], i: int, items: np.ndarray
) -> tuple[list[frozenset], np.ndarray]:
    """Class transitions of stage ``i``: the new classes and ``T[old class, item]`` (the index
    of the new class, or -1 when the level completes a forbidding clause)."""
    if not involved:
        T = np.broadcast_to(np.arange(len(classes))[:, None], (len(classes), items.size))
        return classes, T
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
    return new_classes, T


def _stage_filter(
    W: np.ndarray,
    newc: np.ndarray,
    new_classes: list[frozenset],
    clauses: list[_Clause],
    tau: float,
) -> np.ndarray:
    """Robust Pareto filter of one stage's candidate states; states of different classes
    compare through their clause bits (or class by class when the bits are too many)."""
    if len(new_classes) == 1 or W.shape[0] <= 1:
        return _robust_filter(W, tau)
    bits = _class_bits(new_classes, clauses)
    if W.shape[1] + bits.shape[1] <= _MAX_EMBED:
        return _robust_filter(W, tau, bits[newc])
    keep = np.zeros(W.shape[0], dtype=bool)
    order = np.argsort(newc, kind="stable")
    bounds = np.flatnonzero(np.diff(newc[order])) + 1
    for grp in np.split(order, bounds):
        keep[grp[_robust_filter(W[grp], tau)]] = True
    return keep


def _state_heads(W: np.ndarray, newc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order grouping equal (class, vector) candidates, and the first row of each group."""
    n, k = W.shape
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    o = np.lexsort(tuple(W[:, c] for c in range(k - 1, -1, -1)) + (newc,))
    W, newc = W[o], newc[o]
    start = np.ones(n, dtype=bool)
    start[1:] = (newc[1:] != newc[:-1]) | (W[1:] != W[:-1]).any(axis=1)
    return o, np.flatnonzero(start)


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
    rest = _remaining_best(prob)
    floor = prob.rlow - tau

    out = _Fold()
    V = np.zeros((1, k))
    cls = np.zeros(1, dtype=np.int64)
    classes: list[frozenset] = [frozenset()]
    count = np.ones(1)
    stages = tqdm(range(n_issues), desc=desc, unit="issue") if progress else range(n_issues)
    for i in stages:
        t = prob.tables[i]
        involved = [j for j, c in enumerate(clauses) if i in c.member]
        signature = np.stack(
            [clauses[j].member[i] for j in involved] or [np.zeros(t.shape[0], dtype=bool)], axis=1
        )[:, : len(involved)]
        items = _prune_items(t, prob.level_ok[i], signature, tau)
        new_classes, T = _transitions(classes, clauses, involved, i, items)
        NC = T[cls]
        s_idx, j_idx = np.nonzero(NC >= 0)
        newc = NC[s_idx, j_idx]
        lev = items[j_idx]
        W = V[s_idx] + t[lev]
        if use_res and W.shape[0]:
            ub_bonus = _bonus_bounds(new_classes, clauses, bonus_ids, i, k)
            ok = (W + rest[i + 1] + ub_bonus[newc] >= floor).all(axis=1)
            if not ok.all():
                s_idx, newc, lev, W = s_idx[ok], newc[ok], lev[ok], W[ok]
        keep = _stage_filter(W, newc, new_classes, clauses, tau)
        s_idx, newc, lev, W = s_idx[keep], newc[keep], lev[keep], W[keep]
        # Distinct (class, vector) states, with their producers grouped (CSR).
        o, heads = _state_heads(W, newc)
        W, newc, s_idx, lev = W[o], newc[o], s_idx[o], lev[o]
        n = W.shape[0]
        out.ptr.append(np.append(heads, n).astype(np.int64))
        out.parent.append(s_idx.astype(np.int64))
        out.level.append(lev.astype(np.int64))
        count = np.add.reduceat(count[s_idx], heads) if n else np.zeros(0)
        V, cls = W[heads], newc[heads]
        classes = new_classes
        out.sizes.append(int(V.shape[0]))
    out.values = _add_bonuses(V, cls, classes, clauses, bonus_ids)
    out.count = count
    out.feasible = np.asarray((out.values >= prob.rlow).all(axis=1))
    return out


def _add_bonuses(
    V: np.ndarray, cls: np.ndarray, classes: list[frozenset], clauses: list[_Clause], bonus_ids
) -> np.ndarray:
    """Final states' vectors with the bonuses added after all the issues, as
    :meth:`~negotiation.model.scenario.Scenario.utilities` adds them."""
    V = V.copy()
    for j in bonus_ids:
        c = clauses[j]
        live = np.array([j in cset for cset in classes], dtype=bool)
        V[:, c.col] += c.value * live[cls]
    return V


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
