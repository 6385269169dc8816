"""The first party's screen with a proof of skipping: most candidate rows are never multiplied.

Part of the batched sweep (:mod:`negotiation.studies.batch`, whose docstring gives the screen:
party ``p``'s utilities of all candidates for a group of samples, one matrix product, rows below
``threshold = r - tol - delta`` certainly unacceptable). For the first party screened, this
module skips the rows that a cheap bound already proves unacceptable.

The bound
---------
Fix a reference coefficient vector ``w`` (per party, kept with the candidate set). For a sample
with coefficients ``c`` (``u(x) = v(x) . c + beta(x)``, values ``v``, bonuses ``beta``), write
``d = c - w``:

.. math::

    u(x) = \\underbrace{v(x)\\cdot w + \\beta(x)}_{b(x)} + v(x)\\cdot d
         \\;\\le\\; b(x) + \\sum_i \\max(d_i \\bar v_i,\\; d_i \\underline v_i) = b(x) + D,

with ``[v_i_low, v_i_high]`` the range of issue ``i``'s values over the candidates. ``b`` does
not depend on the sample: the candidates are sorted by ``b`` once, descending, and for each
sample only the prefix with ``b(x) >= threshold - D - slack`` can reach its threshold. ``slack``
covers the rounding of ``b`` and ``D`` (every one of the at most ``2 I + B + 4`` float
operations errs by at most ``eps`` times the magnitude of what it adds; Higham 2002, sec. 3.1).
The skip is therefore rigorous: a skipped row's screened utility would be below the threshold,
and the exact check after the screen sees only rows the full screen would have passed.

The samples of a group are sorted by their prefix length, so each block of sorted rows is
multiplied only with the samples whose prefix reaches it (a staircase of products). On the
Ukraine sweep the first party's prefix is a quarter of the candidates on average.

Examples
--------
>>> X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
>>> rows = sort_rows(X, np.zeros(4), 0.0, np.array([0.5, 0.5]))
>>> coef = np.array([[0.9, 0.1], [0.5, 0.5]])
>>> k = prefix_lengths(rows, coef, np.array([0.8, 0.4]), n_terms=3)
>>> alive, maybe, best = prefix_screen(rows, coef, np.array([0.8, 0.4]), k)
>>> alive.tolist(), maybe.tolist(), best.tolist()
([0, 1, 2], [[True, False, False], [True, True, True]], [0.9, 0.5])

References
----------
.. [Higham2002] Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from negotiation.studies.candidates import Candidates
from negotiation.studies.numbers import Numbers

__all__ = [
    "SortedRows",
    "sort_rows",
    "prefix_lengths",
    "prefix_screen",
    "product_t",
    "narrow",
    "party_order",
]

_EPS = float(np.finfo(float).eps)

#: Largest ``rows x columns x inner`` size of one matrix product: OpenBLAS multiplies products
#: up to about this size on one thread (larger ones start threads, which on a loaded machine
#: costs 30x more than the product itself).
_PRODUCT_CHUNK = 200_000


@dataclass(frozen=True)
class SortedRows:
    """One party's candidate rows sorted by the sample-free part ``b`` of the bound."""

    order: np.ndarray  # N candidate rows, b descending
    key: np.ndarray  # -b in that order (ascending, for searchsorted)
    values: np.ndarray  # N x I values (candidate order: a reference, not a copy)
    bonus: np.ndarray  # N bonus sums (candidate order)
    ref: np.ndarray  # I reference coefficients w
    high: np.ndarray  # I largest value of each issue over the candidates
    low: np.ndarray  # I smallest value
    magnitude: float  # bound on |v . w| + sum |bonus values|
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def in_order(self) -> tuple[np.ndarray, np.ndarray]:
        """The values (C-contiguous) and bonus sums in the sorted order, copied on first use
        (only the party screened first needs them)."""
        if "in order" not in self.cache:
            self.cache["in order"] = (
                np.ascontiguousarray(self.values[self.order]),
                np.ascontiguousarray(self.bonus[self.order]),
            )
        return self.cache["in order"]


def sort_rows(X: np.ndarray, bonus: np.ndarray, bonus_size: float, ref: np.ndarray) -> SortedRows:
    """Sort the ``N x I`` values ``X`` (with bonus sums ``bonus``, whose terms' absolute values
    add up to ``bonus_size``) by ``b = X @ ref + bonus``, descending."""
    X = np.asarray(X, dtype=float)
    ref = np.asarray(ref, dtype=float)
    if X.shape[0]:
        high, low = X.max(axis=0), X.min(axis=0)
    else:
        high = low = np.zeros(X.shape[1])
    b = X @ ref + bonus
    order = np.argsort(-b, kind="stable")
    top = np.maximum(np.abs(high), np.abs(low))
    return SortedRows(
        order=order,
        key=-b[order],
        values=X,
        bonus=np.asarray(bonus, dtype=float),
        ref=ref,
        high=high,
        low=low,
        magnitude=float(np.abs(ref) @ top) + float(bonus_size),
    )


def prefix_lengths(
    rows: SortedRows, coef: np.ndarray, threshold: np.ndarray, n_terms: int
) -> np.ndarray:
    """Per sample, how many sorted rows can reach ``threshold`` (``S``); all rows where the
    bound is not finite. ``coef`` is ``S x I``, ``n_terms`` the issues plus bonus terms."""
    d = coef - rows.ref
    D = np.maximum(d * rows.high, d * rows.low).sum(axis=1)
    top = np.maximum(np.abs(rows.high), np.abs(rows.low))
    size = rows.magnitude + (np.abs(coef) + np.abs(rows.ref)) @ top
    slack = 4.0 * (2 * n_terms + 4) * _EPS * size + np.finfo(float).tiny
    cut = threshold - D - slack  # rows with b >= cut may pass
    N = rows.order.size
    with np.errstate(invalid="ignore"):
        k = np.searchsorted(rows.key, -cut, side="right")
        return np.where(np.isfinite(cut), k, N)


def product_t(C: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``C @ X.T`` (``S x K`` times the ``rows x K`` matrix ``X`` transposed), by blocks of
    rows small enough to stay on one BLAS thread (:data:`_PRODUCT_CHUNK`)."""
    S, K = C.shape
    out = np.empty((S, X.shape[0]))
    step = max(16, _PRODUCT_CHUNK // max(1, K * S))
    for r in range(0, X.shape[0], step):
        np.matmul(C, X[r : r + step].T, out=out[:, r : r + step])
    return out


def narrow(
    C: np.ndarray, X: np.ndarray, bonus: np.ndarray, threshold: np.ndarray, maybe: np.ndarray
) -> np.ndarray:
    """One party's screen on rows ``X`` (``rows x K``, coefficients ``C``: ``S x K``, bonus
    sums ``bonus``): ``maybe &= C @ X.T + bonus >= threshold`` (``S x rows``, in place), block
    by block so each block's utilities stay in cache. Returns every sample's largest screened
    utility (``-inf`` without rows)."""
    S, K = C.shape
    best = np.full(S, -np.inf)
    step = max(16, _PRODUCT_CHUNK // max(1, K * S))
    buf = np.empty((S, step))
    hit = np.empty((S, step), dtype=bool)
    thr = threshold[:, None]
    for r in range(0, X.shape[0], step):
        end = min(r + step, X.shape[0])
        a, h = buf[:, : end - r], hit[:, : end - r]
        np.matmul(C, X[r:end].T, out=a)
        a += bonus[r:end]
        np.maximum(best, a.max(axis=1), out=best)
        np.greater_equal(a, thr, out=h)
        maybe[:, r:end] &= h
    return best


def prefix_screen(
    rows: SortedRows, coef: np.ndarray, threshold: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The screen on each sample's prefix of the sorted rows.

    Returns the candidate rows some sample may accept (ascending), ``S x rows``: whether the
    screened utility reaches the sample's threshold, and per sample the largest screened
    utility over the rows multiplied for it (``-inf`` if none): a lower bound of the largest
    over all candidates (the rows skipped are certainly below the threshold).
    """
    S, K = coef.shape
    perm = np.argsort(-k, kind="stable")  # samples by prefix length, longest first
    kp = k[perm]
    top = int(kp[0]) if S else 0
    C = np.ascontiguousarray(coef[perm])  # S x K
    thr = threshold[perm][:, None]
    maybe = np.zeros((S, top), dtype=bool)
    best = np.full(S, -np.inf)
    step = max(16, _PRODUCT_CHUNK // max(1, K * S))
    buf = np.empty((S, step))
    X, bonus = rows.in_order()
    for r in range(0, top, step):
        m = int(np.count_nonzero(kp > r))  # samples whose prefix reaches this block
        end = min(r + step, top)
        a = buf[:m, : end - r]
        np.matmul(C[:m], X[r:end].T, out=a)
        a += bonus[r:end]
        np.maximum(best[:m], a.max(axis=1), out=best[:m])
        np.greater_equal(a, thr[:m], out=maybe[:m, r:end])
    live = np.flatnonzero(maybe.any(axis=0))
    cand = rows.order[live]
    back = np.argsort(cand)
    inverse = np.empty(S, dtype=np.int64)
    inverse[perm] = np.arange(S)
    return cand[back], maybe[inverse][:, live[back]], best[inverse]


def party_order(
    cand: Candidates, num: Numbers, threshold: np.ndarray, ok: np.ndarray
) -> tuple[list[int], tuple | None]:
    """The order in which to screen the parties and, when the bound applies (values fixed,
    candidates and valid samples present), the first party's sorted rows (cached with the
    candidates) and every sample's prefix length. By the bound's rows to multiply, fewest
    first: a selective party first leaves the fewest rows to the next. ``threshold`` is
    ``S x P``, ``ok`` the valid samples (the others get empty prefixes)."""
    N, n_issues, P = cand.index.shape[0], len(num.sizes), threshold.shape[1]
    if not (num.same_values and N and ok.any()):
        return list(range(P)), None
    work = []
    for p in range(P):
        if p not in cand.screen_cache:
            ref = num.coef[ok, p, :].mean(axis=0)
            if not np.isfinite(ref).all():
                return list(range(P)), None
            size = sum(abs(v) for q, v, _ in cand.bonus_terms if q == p)
            cand.screen_cache[p] = sort_rows(cand.values[p], cand.bonus[:, p], size, ref)
        rows = cand.screen_cache[p]
        n_terms = n_issues + sum(1 for q, _, _ in cand.bonus_terms if q == p)
        k = prefix_lengths(rows, num.coef[:, p, :], threshold[:, p], n_terms)
        k[~ok] = 0
        work.append((int(k.sum()), p, rows, k))
    work.sort(key=lambda w: w[:2])
    return [w[1] for w in work], work[0][1:]
