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

The other parties are screened on the rows the first leaves (:func:`screen_rest`), most
selective first, only while a screen removes more (sample, candidate) pairs than it costs:
every pair left is checked exactly afterwards (:mod:`negotiation.studies.exact`), so a screen
that removes few pairs is work the exact check would do more cheaply.

Examples
--------
>>> X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
>>> rows = sort_rows(X, np.zeros(4), 0.0, np.array([0.5, 0.5]))
>>> coef = np.array([[0.9, 0.1], [0.5, 0.5]])
>>> k = prefix_lengths(rows, coef, np.array([0.8, 0.4]), n_terms=3)
>>> alive, maybe = prefix_screen(rows, coef, np.array([0.8, 0.4]), k)
>>> alive.tolist(), maybe.tolist()
([0, 1, 2], [[True, False, False], [True, True, True]])

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
    "extended",
    "with_ones",
    "first_party",
    "design",
    "onehot",
    "screen_rest",
    "PAIR_COST",
    "PROBE_ROWS",
]

_EPS = float(np.finfo(float).eps)

#: Largest ``rows x columns x inner`` size of one matrix product: OpenBLAS multiplies products
#: up to about this size on one thread (larger ones start threads, which on a loaded machine
#: costs 30x more than the product itself).
_PRODUCT_CHUNK = 200_000

#: What checking one (sample, outcome) pair exactly costs (:mod:`negotiation.studies.exact`, the
#: feasibility test, the pair indices), in cells of a screen's product: measured on the Ukraine
#: sweep (about 110 ns per pair, 5-7 ns per cell).
PAIR_COST = 16

#: Rows on which :func:`screen_rest` estimates each party's pass rate.
PROBE_ROWS = 128

#: :func:`screen_rest` drops the dead rows when fewer than this share of them are left.
COMPACT = 0.75


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

    def in_order(self) -> np.ndarray:
        """The rows in the sorted order with the bonus sums as a last column (``N x (I + 1)``,
        C-contiguous), copied on first use (only the party screened first needs them)."""
        if "in order" not in self.cache:
            self.cache["in order"] = extended(self.values[self.order], self.bonus[self.order])
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


def extended(X: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    """``[X | bonus]``: the rows with their bonus sums as one more column (C-contiguous), so
    that one product gives the screened utility ``C @ X.T + bonus`` (with ``C`` given a column
    of ones, :func:`with_ones`): the bonus is one more term of the same sum, inside the same
    error bound."""
    out = np.empty((X.shape[0], X.shape[1] + 1))
    out[:, :-1] = X
    out[:, -1] = bonus
    return out


def with_ones(C: np.ndarray) -> np.ndarray:
    """``[C | 1]``: coefficients that take the bonus column of :func:`extended` rows once."""
    out = np.ones((C.shape[0], C.shape[1] + 1))
    out[:, :-1] = C
    return out


def narrow(C: np.ndarray, X: np.ndarray, threshold: np.ndarray, maybe: np.ndarray) -> None:
    """One party's screen on rows ``X`` (``rows x K``, any row stride; coefficients ``C``:
    ``S x K``; bonus sums, if any, as a column of ``X`` with a column of ones in ``C``):
    ``maybe &= C @ X.T >= threshold`` (``S x rows``, in place), block by block so each block's
    utilities stay in cache and each product stays on one BLAS thread."""
    S, K = C.shape
    step = max(16, _PRODUCT_CHUNK // max(1, K * S))
    buf = np.empty((S, step))
    hit = np.empty((S, step), dtype=bool)
    thr = threshold[:, None]
    for r in range(0, X.shape[0], step):
        end = min(r + step, X.shape[0])
        a, h = buf[:, : end - r], hit[:, : end - r]
        np.matmul(C, X[r:end].T, out=a)
        np.greater_equal(a, thr, out=h)
        maybe[:, r:end] &= h


def prefix_screen(
    rows: SortedRows, coef: np.ndarray, threshold: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The screen on each sample's prefix of the sorted rows.

    Returns the candidate rows some sample may accept (ascending) and, ``S x rows``, whether
    the screened utility reaches the sample's threshold (the rows skipped are certainly below
    it).
    """
    S, K = coef.shape
    perm = np.argsort(-k, kind="stable")  # samples by prefix length, longest first
    kp = k[perm]
    top = int(kp[0]) if S else 0
    C = with_ones(coef[perm])  # S x (K + 1): the bonus column is the last of the rows
    thr = threshold[perm][:, None]
    maybe = np.zeros((S, top), dtype=bool)
    step = max(16, _PRODUCT_CHUNK // max(1, (K + 1) * S))
    buf = np.empty((S, step))
    X = rows.in_order()
    reach = np.searchsorted(-kp, -np.arange(0, top, step), side="left")  # samples with kp > r
    for j, r in enumerate(range(0, top, step)):
        m = int(reach[j])  # samples whose prefix reaches this block
        end = min(r + step, top)
        a = buf[:m, : end - r]
        np.matmul(C[:m], X[r:end].T, out=a)
        np.greater_equal(a, thr[:m], out=maybe[:m, r:end])
    live = np.flatnonzero(maybe.any(axis=0))
    cand = rows.order[live]
    # the live rows in candidate order, by a mark per candidate (cheaper than a sort)
    pos = np.full(rows.order.size, -1, dtype=np.int64)
    pos[cand] = live
    back = pos[pos >= 0]  # sorted position of each live row, in candidate order
    inverse = np.empty(S, dtype=np.int64)
    inverse[perm] = np.arange(S)
    return rows.order[back], maybe[inverse][:, back]


def first_party(
    cand: Candidates, num: Numbers, threshold: np.ndarray, ok: np.ndarray
) -> tuple[int, SortedRows, np.ndarray] | None:
    """The party screened first, its sorted rows and every sample's prefix length, when the
    bound applies (values fixed, candidates and valid samples present); else ``None``.

    The party is chosen once per candidate set, at its first group: the one whose bound leaves
    the fewest rows to multiply (a selective party first leaves the fewest rows to the next).
    Later groups reuse the choice and compute the prefix lengths of that party only (the
    choice changes the work, never the rows). ``threshold`` is ``S x P``, ``ok`` the valid
    samples (the others get empty prefixes).
    """
    N, P = cand.index.shape[0], threshold.shape[1]
    if not (num.same_values and N and ok.any()):
        return None
    chosen = cand.screen_cache.get("first party")
    work = []
    for p in range(P) if chosen is None else (chosen,):
        rows = _sorted_rows(cand, num, p, ok)
        if rows is None:
            return None
        n_terms = len(num.sizes) + sum(1 for q, _, _ in cand.bonus_terms if q == p)
        k = prefix_lengths(rows, num.coef[:, p, :], threshold[:, p], n_terms)
        k[~ok] = 0
        work.append((int(k.sum()), p, rows, k))
    work.sort(key=lambda w: w[:2])
    cand.screen_cache["first party"] = work[0][1]
    return work[0][1:]


def _sorted_rows(cand: Candidates, num: Numbers, p: int, ok: np.ndarray) -> SortedRows | None:
    """Party ``p``'s rows sorted by the bound's sample-free part (cached with the candidates;
    the reference coefficients are the mean of the first valid samples seen)."""
    if p not in cand.screen_cache:
        ref = num.coef[ok, p, :].mean(axis=0)
        if not np.isfinite(ref).all():
            return None
        size = sum(abs(v) for q, v, _ in cand.bonus_terms if q == p)
        cand.screen_cache[p] = sort_rows(cand.values[p], cand.bonus[:, p], size, ref)
    return cand.screen_cache[p]


def design(cand: Candidates, num: Numbers) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per party ``(C, Z)``: its ``S x F`` coefficients and the ``N x F`` rows it multiplies
    (C-contiguous, cached with the candidates), so that ``C @ Z.T`` is its screened utility,
    bonus included.

    Values fixed: ``Z = [values_p | bonus_p]`` and ``C = [coef_p | 1]``. Values moving: one
    ``Z = [one-hot | bonus_0 ... bonus_{P-1}]`` shared by all, and ``C = [tables_p | e_p]``
    (exact zeros for the other bonus columns: they add nothing, not even rounding).
    """
    P = len(cand.values)
    key = ("design", num.same_values)
    if key not in cand.screen_cache:
        if num.same_values:
            blocks = [extended(cand.values[p], cand.bonus[:, p]) for p in range(P)]
        else:
            shared = np.ascontiguousarray(np.concatenate([onehot(cand), cand.bonus], axis=1))
            blocks = [shared] * P
        cand.screen_cache[key] = blocks
    out = []
    for p, Z in enumerate(cand.screen_cache[key]):
        if num.same_values:
            C = with_ones(num.coef[:, p, :])
        else:
            tables = [num.tables[:, i, : num.sizes[i], p] for i in range(len(num.sizes))]
            pick = np.zeros((num.coef.shape[0], P))
            pick[:, p] = 1.0
            C = np.concatenate([*tables, pick], axis=1)
        out.append((C, Z))
    return out


def onehot(cand: Candidates) -> np.ndarray:
    """``N x levels`` 0/1 matrix: row ``n`` has a 1 at each of its levels (built once)."""
    if not cand.onehot_cache:
        widths = np.asarray(cand.sizes)
        offsets = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)
        out = np.zeros((cand.index.size, int(widths.sum())))
        rows = np.arange(cand.index.size)
        for i in range(widths.size):
            out[rows, offsets[i] + cand.levels[:, i]] = 1.0
        cand.onehot_cache.append(out)
    return cand.onehot_cache[0]


def screen_rest(
    terms: dict[int, tuple[np.ndarray, np.ndarray]],
    threshold: np.ndarray,
    maybe: np.ndarray,
    alive: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray]:
    """Narrow ``maybe`` (``S x rows``) by the parties of ``terms`` (``p -> (C, Z)``, as
    :func:`design` gives them) on the candidate rows ``alive`` (``None``: all), while it pays.

    Every pair left is checked exactly afterwards, so a party's screen is only worth its
    product when the pairs it removes cost more to check than its ``S x rows`` cells cost to
    screen (:data:`PAIR_COST` cells per pair). Each party's pass rate is estimated on a
    probe of at most :data:`PROBE_ROWS` rows (given the parties already applied), the most
    selective goes next, and the screen stops when the estimate says it no longer pays.
    Which parties run changes the work, never the rows. Returns the rows some sample may still
    accept and ``maybe`` on them.
    """
    S, n = maybe.shape
    if not n or not terms:
        return alive, maybe
    sub = np.unique(np.linspace(0, n - 1, min(n, PROBE_ROWS)).astype(np.int64))
    rows = sub if alive is None else alive[sub]
    probe = {
        p: product_t(C, np.take(Z, rows, axis=0)) >= threshold[:, p, None]
        for p, (C, Z) in terms.items()
    }
    msub = maybe[:, sub].copy()
    left = dict(terms)
    while left:
        base = np.count_nonzero(msub)
        if not base:
            break
        rate = {p: np.count_nonzero(msub & probe[p]) / base for p in left}
        p = min(left, key=lambda q: (rate[q], q))
        if (1.0 - rate[p]) * np.count_nonzero(maybe) * PAIR_COST <= S * maybe.shape[1]:
            break
        live = np.flatnonzero(maybe.any(axis=0))
        if live.size < COMPACT * maybe.shape[1]:
            alive = live if alive is None else alive[live]
            maybe = maybe[:, live]
        C, Z = left.pop(p)
        narrow(C, Z if alive is None else np.take(Z, alive, axis=0), threshold[:, p], maybe)
        msub &= probe[p]
    return alive, maybe
