"""The bargaining solutions' picks on many samples' frontiers at once, ties left to the exact path.

:func:`pick_segments` takes the frontiers of a group of sweep samples concatenated (``M x P``
utilities, sample ``s`` owning rows ``bounds[s]:bounds[s + 1]``) and returns, for every sample and
solution, the row :func:`negotiation.studies.pick.pick_deals` would pick, or ``-1`` where it
cannot *prove* that row (then the caller runs :func:`~negotiation.studies.pick.pick_deals` on that
sample: the exact per-sample path decides every tie).

How
---
Every rule of :mod:`negotiation.engine.solutions` with a generic pure deal picks by
:func:`~negotiation.engine.solutions.choice.choose`: a lexicographic maximisation of keys
``k_1, k_2, ...``, where at each key the rows still in play whose value is within the tie
tolerance of the best stay,

.. math::

    T_{j} = \\{ r \\in T_{j-1} : k_j(r) \\ge b_j - \\tau |b_j|_1 \\}, \\qquad
    b_j = \\max_{r \\in T_{j-1}} k_j(r), \\quad |b|_1 = \\max(1, |b|), \\quad
    \\tau = \\mathrm{TIE\\_RTOL},

until one row is left (else the smallest outcome index). Here every key is computed for all
rows of all samples with the same element-wise float operations the ``*_index`` functions use
(so the same values), and each sample's best by a segmented maximum
(``np.maximum.reduceat``). Keys that are sums over the parties (the Nash log product, the
Kalai-Smorodinsky sum of normalised gains, the utilitarian sum) may be summed here in another
order than there (BLAS, pairwise sums): for those, ``|k - k'| <= E_r`` with
``E_r = 2 \\gamma_P \\sum_i |t_{ri}|`` plus a few ulps of each term (Higham 2002, eq. 3.4), and a row
is kept only if it is certainly within the tolerance for every value in that interval, dropped
only if certainly outside. A sample with a row in neither case, with more than one row left after
the last key (the final tie-break by outcome index), or with any input the scalar path would
refuse (non-finite numbers, bad powers), gets ``-1``. So a pick returned here is the one the
scalar path returns, not just usually.

Examples
--------
>>> import negotiation as ng
>>> s = ng.load_scenario("textbook_two_party")
>>> f = ng.analyze(s).frontier
>>> U = np.vstack([f.utilities, f.utilities])  # the same frontier twice: two samples
>>> bounds = np.array([0, f.size, 2 * f.size])
>>> R = np.vstack([s.reservations, s.reservations])
>>> A = np.vstack([s.powers, s.powers])
>>> rows = pick_segments(s, ("nash", "egalitarian"), U, bounds, R, A)
>>> from negotiation.studies.pick import pick_deals
>>> want = pick_deals(s, ("nash", "egalitarian"), f.levels, f.utilities)
>>> rows.tolist() == [[want["nash"], want["egalitarian"]],
...                   [want["nash"] + f.size, want["egalitarian"] + f.size]]
True

References
----------
.. [Higham2002] Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002); eq. 3.4,
   the error bound of a sum. Full entry: docs/references.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from negotiation.engine.solutions import SOLUTIONS
from negotiation.engine.solutions.choice import TIE_RTOL
from negotiation.engine.solutions.egalitarian import Egalitarian
from negotiation.engine.solutions.kalai_smorodinsky import KalaiSmorodinsky
from negotiation.engine.solutions.nash import Nash
from negotiation.engine.solutions.utilitarian import Utilitarian
from negotiation.model.scenario import Scenario, reservation_tolerance

__all__ = ["pick_segments"]

_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).tiny)

#: A key: its values over all rows, and ``None`` (computed exactly as the scalar path computes
#: it) or a per-row bound on the difference from the scalar path's value.
Key = tuple[np.ndarray, np.ndarray | None]


class _Segments:
    """Rows ``M`` split into ``S`` segments by ``bounds``; segmented reductions."""

    def __init__(self, bounds: np.ndarray) -> None:
        bounds = np.asarray(bounds, dtype=np.int64)
        self.S = bounds.size - 1
        self.sizes = np.diff(bounds)
        self.full = np.flatnonzero(self.sizes > 0)
        self.starts = bounds[:-1][self.full]
        self.seg = np.repeat(np.arange(self.S), self.sizes)

    def max(self, v: np.ndarray, empty: float = -np.inf) -> np.ndarray:
        """Per-segment maximum of a row vector (``empty`` for empty segments)."""
        out = np.full(self.S, empty, dtype=v.dtype)
        if self.starts.size:
            out[self.full] = np.maximum.reduceat(v, self.starts)
        return out

    def rows(self, x: np.ndarray) -> np.ndarray:
        """A per-segment vector repeated over the segment's rows."""
        return np.repeat(x, self.sizes)

    def count(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.seg[mask], minlength=self.S)


def pick_segments(
    scenario: Scenario,
    names: Sequence[str],
    U: np.ndarray,
    bounds: np.ndarray,
    reservations: np.ndarray,
    powers: np.ndarray,
) -> np.ndarray:
    """``S x len(names)``: the row of ``U`` each solution picks on each sample's frontier, or
    ``-1`` where the exact per-sample path must decide (see the module docstring).

    Parameters
    ----------
    scenario
        The scenario the frontiers belong to (its structure: the solutions' columns).
    names
        Solution names, each satisfying :func:`~negotiation.studies.pick.uses_index`; a rule
        without a vectorised form here gets ``-1`` everywhere.
    U
        ``M x P`` utilities: the frontiers of the ``S`` samples, one after the other.
    bounds
        ``S + 1`` ascending row offsets: sample ``s`` owns rows ``bounds[s]:bounds[s + 1]``.
    reservations, powers
        ``S x P``: each sample's disagreement point and bargaining powers.
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # such rows: -1
        return _pick(scenario, names, U, _Segments(bounds), reservations, powers)


def _pick(scenario, names, U, seg, reservations, powers) -> np.ndarray:
    """pick_segments on the columns of ``U``: every key is computed column by column (row
    vectors of all samples' rows), the same element-wise operations as the scalar path."""
    out = np.full((seg.S, len(names)), -1, dtype=np.int64)
    if not seg.starts.size:
        return out
    R = np.asarray(reservations, dtype=float)
    columns = [np.ascontiguousarray(U[:, p], dtype=float) for p in range(U.shape[1])]
    good = np.isfinite(R).all(axis=1)
    for col in columns:
        good &= seg.count(~np.isfinite(col)) == 0
    memo: dict = {}  # what rules share (the Nash gains and logs, for both Nash rules)
    for j, name in enumerate(names):
        sol = SOLUTIONS[name]
        rule = _RULES.get(type(sol).index)
        if rule is None:
            continue
        cols = tuple(sol.columns(scenario))
        alpha = np.asarray(powers, dtype=float)[:, cols] if sol.uses_power else None
        ok, keys = rule(seg, [columns[p] for p in cols], R[:, cols], alpha, memo, cols)
        out[:, j] = np.where(good & ok, _choose(seg, keys), -1)
    return out


def _choose(seg: _Segments, keys: Iterator[Key]) -> np.ndarray:
    """Per segment, the row :func:`~negotiation.engine.solutions.choice.choose` keeps when it
    is provably alone after the keys; ``-1`` otherwise. Keys are computed only while some
    segment still has more than one row in play."""
    M = seg.seg.size
    live = np.ones(M, dtype=bool)
    unsure = np.zeros(seg.S, dtype=bool)
    while True:
        n = seg.count(live)
        if (n <= 1).all():
            break
        step = next(keys, None)
        if step is None:
            break
        key, err = step
        v = np.where(live, key, -np.inf)
        if err is None:
            best = seg.max(v)
            thr = best - TIE_RTOL * np.maximum(1.0, np.abs(best))  # as choice._tied
            keep = v >= thr[seg.seg]
            odd = ~np.isfinite(best)
            if odd.any():
                keep = np.where(odd[seg.seg], v == best[seg.seg], keep)
        else:
            e = np.where(live, err, 0.0)
            lo, hi = seg.max(v - e), seg.max(v + e)  # the scalar path's best lies in [lo, hi]
            if not (np.isfinite(lo) | (n == 0)).all():
                unsure |= ~np.isfinite(lo) & (n > 1)
                lo, hi = np.nan_to_num(lo), np.nan_to_num(hi)
            small = np.where(lo * hi <= 0, 0.0, np.minimum(np.abs(lo), np.abs(hi)))
            big = np.maximum(np.abs(lo), np.abs(hi))
            tol_lo = TIE_RTOL * np.maximum(1.0, small)
            tol_hi = TIE_RTOL * np.maximum(1.0, big)
            pad = 4 * _EPS * (big + tol_hi) + _TINY  # the rounding of the threshold itself
            top = (hi - tol_lo + pad)[seg.seg]  # the threshold is at most this
            bottom = (lo - tol_hi - pad)[seg.seg]  # and at least this
            keep = v - e >= top
            doubt = live & ~keep & (v + e >= bottom)
            unsure |= (seg.count(doubt) > 0) & (n > 1)
        live = np.where((n > 1)[seg.seg], keep & live, live)
    n = seg.count(live)
    first = np.full(seg.S, -1, dtype=np.int64)
    rows = np.flatnonzero(live)
    first[seg.seg[rows[::-1]]] = rows[::-1]  # each segment's first live row
    return np.where((n == 1) & ~unsure, first, -1)


Cols = list[np.ndarray]


def _total(cols: Cols) -> np.ndarray:
    return functools.reduce(np.add, cols)


def _sum_err(terms: Cols) -> np.ndarray:
    """Bound on the difference of two float sums of the terms of each row (any order), plus a
    few ulps of each term (for element-wise functions that may round differently)."""
    return (2 * len(terms) + 8) * _EPS * _total([np.abs(t) for t in terms]) + _TINY


def _leximin(seg: _Segments, G: Cols, use: np.ndarray | None = None) -> Iterator[Key]:
    """choice.leximin_keys of the columns ``use`` (``P x S`` booleans; the others sort last as
    ``+inf``, a key on which every row ties, as if absent). The smallest first, by a minimum
    (the same value); the others by a sort, only if asked for."""
    if use is not None:
        G = [np.where(seg.rows(use[p]), g, np.inf) for p, g in enumerate(G)]
    yield functools.reduce(np.minimum, G), None
    yield from ((g, None) for g in _sorted(G)[1:])


def _sorted(G: Cols) -> Cols:
    """The columns sorted row by row (the same values as ``np.sort(axis=1)``: comparisons
    only), by an odd-even transposition network of element-wise min/max for a few columns."""
    if len(G) > 8:
        S = np.sort(np.stack(G, axis=1), axis=1)
        return [S[:, j] for j in range(S.shape[1])]
    G = list(G)
    for r in range(len(G)):
        for j in range(r % 2, len(G) - 1, 2):
            G[j], G[j + 1] = np.minimum(G[j], G[j + 1]), np.maximum(G[j], G[j + 1])
    return G


def _gains(seg: _Segments, U: Cols, d: np.ndarray) -> Cols:
    return [u - seg.rows(d[:, p]) for p, u in enumerate(U)]


def _nash(seg, U, d, alpha, memo, cols) -> tuple[np.ndarray, Iterator[Key]]:
    """nash_index's keys: the count of gaining parties, the log product of the normalised
    gains (a sum), the leximin of the normalised gains of the parties that can gain."""
    if ("nash", cols) not in memo:
        G = _gains(seg, U, d)
        tol = reservation_tolerance(d)
        pos = [g > seg.rows(tol[:, p]) for p, g in enumerate(G)]
        anypos = np.array([seg.max(x.view(np.int8), 0).astype(bool) for x in pos])  # P x S
        span = [np.where(a, seg.max(g, 1.0), 1.0) for a, g in zip(anypos, G, strict=True)]
        R = [g / seg.rows(sp) for g, sp in zip(G, span, strict=True)]
        logs = [np.where(x, np.log(np.where(x, r, 1.0)), 0.0) for x, r in zip(pos, R, strict=True)]
        count = _total([x.astype(float) for x in pos])
        memo["nash", cols] = (count, anypos, R, logs)
    count, anypos, R, logs = memo["nash", cols]
    if alpha is None:
        ok = np.ones(seg.S, dtype=bool)
    else:
        ok = np.isfinite(alpha).all(axis=1) & (alpha > 0).all(axis=1)
        alpha = alpha / alpha.max(axis=1, keepdims=True)

    def keys() -> Iterator[Key]:
        yield count, None
        # alpha = 1: the logs themselves (the product is exact)
        L = logs if alpha is None else [x * seg.rows(alpha[:, p]) for p, x in enumerate(logs)]
        yield _total(L), _sum_err(L)
        yield from _leximin(seg, R, anypos)

    return ok, keys()


def _kalai_smorodinsky(seg, U, d, alpha, memo, cols) -> tuple[np.ndarray, Iterator[Key]]:
    """kalai_smorodinsky_index's keys: the smallest and the sum of the normalised gains over
    the parties with room to gain (none: the scalar path picks by outcome index)."""
    span = np.array([seg.max(u) for u in U]).T - d  # S x P
    use = span > reservation_tolerance(d)
    R = [(u - seg.rows(d[:, p])) / seg.rows(span[:, p]) for p, u in enumerate(U)]
    inside = [seg.rows(use[:, p]) for p in range(len(U))]

    def keys() -> Iterator[Key]:
        yield (
            functools.reduce(
                np.minimum, [np.where(i, r, np.inf) for i, r in zip(inside, R, strict=True)]
            ),
            None,
        )
        terms = [np.where(i, r, 0.0) for i, r in zip(inside, R, strict=True)]
        yield _total(terms), _sum_err(terms)

    return use.any(axis=1), keys()


def _egalitarian(seg, U, d, alpha, memo, cols) -> tuple[np.ndarray, Iterator[Key]]:
    """egalitarian_index's keys: the leximin order of the gains."""
    return np.ones(seg.S, dtype=bool), _leximin(seg, _gains(seg, U, d))


def _utilitarian(seg, U, d, alpha, memo, cols) -> tuple[np.ndarray, Iterator[Key]]:
    """utilitarian_index's keys: the sum of utilities, then the leximin order of the gains."""

    def keys() -> Iterator[Key]:
        yield _total(U), _sum_err(U)
        yield from _leximin(seg, _gains(seg, U, d))

    return np.ones(seg.S, dtype=bool), keys()


_Rule = Callable[..., tuple[np.ndarray, Iterator[Key]]]

#: The vectorised rule of each ``index`` implementation (a subclass that overrides ``index``
#: has none: its picks all go to the exact path).
_RULES: dict[object, _Rule] = {
    Nash.index: _nash,
    KalaiSmorodinsky.index: _kalai_smorodinsky,
    Egalitarian.index: _egalitarian,
    Utilitarian.index: _utilitarian,
}
