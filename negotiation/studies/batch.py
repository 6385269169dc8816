"""Batched evaluation of sweep samples: many parameter samples at once, rows identical.

:func:`evaluate_samples` returns, for a list of samples, exactly the rows that
:func:`negotiation.studies.sweep.evaluate_sample` returns one by one (the same keys in the same
order, bit-identical utilities, the same deals), but shares the work that does not change from
sample to sample.

The idea
--------
With additive utilities, party ``p``'s utility of outcome ``x`` is

.. math::

    u_p(x) = \\sum_i T_{i}[x_i, p] + \\sum_{b} \\beta_b [x \\text{ matches } b],
    \\qquad T_i[l, p] = \\frac{w_{pi}}{\\sum_j w_{pj}} \\, v_{pi}(l),

linear in the per-issue value tables ``T``. A Monte Carlo sample moves weights, values,
reservations (and powers): numbers, not the structure. So, for a batch of samples,

1. the *candidate set* is computed once per red-line configuration (and cached per process):
   the outcomes no constraint forbids that could pass the agreement rule if every party's
   reservation were met (under unanimity: the outcomes crossing no red line). Constraints and red
   lines do not move when only numbers move;
2. every sample's utilities over the candidate set come from **one matrix product** per batch:
   ``X @ T`` with ``X`` the ``N x levels`` one-hot matrix of the candidates and ``T`` the stacked
   tables of all samples of the batch (``levels x samples*parties``). A matrix product sums in
   its own order (and may fuse multiply-adds), so it is used only as a *screen*: its error is
   below ``delta = 4 (n + 1) eps A`` (``n`` terms of total magnitude ``A``; Higham, *Accuracy and
   Stability of Numerical Algorithms*, 2002, sec. 3.1, for both the product and the reference
   sum), so an outcome whose screened utility is below ``r - tol - delta`` for a party is
   certainly not acceptable to it;
3. the outcomes that pass the screen (a few hundred of the ``10^4``) get their utilities
   recomputed exactly as the enumeration engine does (tables added in issue order, then
   bonuses: bit-identical to :meth:`Scenario.utilities`;
   :func:`negotiation.studies.exact.pair_utilities`), and the exact feasibility test decides;
4. the feasible rows of all samples of the group are Pareto-filtered together, exactly
   (:func:`negotiation.studies.pareto_batch.segment_pareto_mask`); a sample whose utilities
   are not :func:`~negotiation.studies.pareto_batch.tie_free` (two distinct values within the
   tie tolerance) goes through the engine's own tolerant filter instead
   (:func:`negotiation.engine.pareto.pareto_mask`, block by block as in
   :func:`negotiation.engine.frontier.enumerate_frontier`). Then the engine's own solutions
   (:data:`negotiation.engine.solutions.SOLUTIONS`) pick the deals, so changes to them flow
   into this path: on all tie-free samples' frontiers at once
   (:mod:`negotiation.studies.pick_batch`, :mod:`negotiation.studies.batch_rows`), each rule's
   own pick where ties within the tolerance leave the batched one unproven.

Under unanimity, step 2 narrows party by party: each next party is screened only on the rows
some sample still accepts, most selective first, while a screen removes more pairs than it
costs to compute, and the first party multiplies only the rows a rigorous bound cannot rule out
(:mod:`negotiation.studies.screen`).

Validity. Building a validated variant scenario costs more than the whole batched evaluation of
a sample, so the numbers are checked here instead, conservatively: finite inputs, weights
``>= 0`` with a positive total, values in ``[0, 1]``, power ``> 0``, discount in ``(0, 1]``, and
each party's reservation *certainly* reachable (some candidate's utility minus ``delta`` is at
least ``r - tol``: under unanimity tried on the exact utilities of the sample's feasible
outcomes first, then on the screen of all candidates; :func:`_certify`). A sample that is not certainly valid goes to the per-sample path, which
records the exact error (or raises exactly as it would).

Where batching does not apply (the per-sample path runs instead, with identical results):
an ``extra`` column function (it needs each sample's :class:`Analysis`), the search engine
(``engine="search"``, or ``"auto"`` on a space above the enumeration threshold), a space that
cannot be enumerated or whose candidate set is too large to hold
(:data:`negotiation.studies.candidates.MAX_CANDIDATES`), a
scenario whose discretisation or baseline deal is refused, and single samples that are not
certainly valid or whose input paths do not parse.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples
>>> s = ng.load_scenario("textbook_two_party")
>>> samples = monte_carlo_samples(s, 20, seed=1)
>>> evaluate_samples(s, samples) == [evaluate_sample(s, x) for x in samples]
True

References
----------
.. [Higham2002] Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002); eq. 3.4,
   the error bound of a sum. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from negotiation.engine.frontier import Frontier
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.solutions import SOLUTIONS
from negotiation.engine.tolerance import TIE_ULPS, utility_tolerance
from negotiation.model.scenario import Scenario, reservation_tolerance
from negotiation.studies.batch_groups import group_samples as _group
from negotiation.studies.batch_rows import LeanRows
from negotiation.studies.candidates import (
    Candidates,
    Plan,
    candidate_set,
    make_plan,
    trusted_variant,
)
from negotiation.studies.exact import all_at_least, pair_indices, pair_utilities
from negotiation.studies.inputs import changed_parties
from negotiation.studies.numbers import Numbers
from negotiation.studies.pareto_batch import segment_pareto_mask, tie_free
from negotiation.studies.pick import pick_deals, uses_index
from negotiation.studies.sample import DEFAULT_SOLUTIONS, evaluate_sample
from negotiation.studies.screen import (
    design,
    first_party,
    onehot,
    prefix_screen,
    product_t,
    screen_rest,
)

__all__ = ["evaluate_samples", "SCREEN_CELLS", "SCREEN_GROUP"]

#: Samples screened together by one matrix product per party.
SCREEN_GROUP = 256

#: Screened utilities held at once (candidates x samples); caps the group size.
SCREEN_CELLS = 4_000_000

#: Samples whose numbers (:class:`Numbers`) are set at once, then sliced for each screen group.
NUMBERS_GROUP = 1024

_EPS = float(np.finfo(float).eps)


# -- evaluation ------------------------------------------------------------------------------------
def evaluate_samples(
    scenario: Scenario,
    samples: Sequence[Mapping[str, float]],
    *,
    solutions: Sequence[str] | None = None,
    baseline: Mapping[str, str] | None = None,
    engine: str = "auto",
    extra: Callable[[Any], Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row per sample, identical to :func:`~negotiation.studies.sweep.evaluate_sample`.

    Parameters are those of :func:`~negotiation.studies.sweep.evaluate_sample` (``solutions``
    defaults to its default). The samples are evaluated together where the module docstring
    says batching applies, one by one elsewhere; the rows are in the order of ``samples``.
    """
    solutions = DEFAULT_SOLUTIONS if solutions is None else tuple(solutions)
    options: dict[str, Any] = dict(
        solutions=solutions, baseline=baseline, engine=engine, extra=extra
    )
    rows: list[dict[str, Any] | None] = [None] * len(samples)
    plan = make_plan(scenario, solutions, baseline, engine, extra) if samples else None
    if plan is not None:
        groups, parsed = _group(plan, samples)
        for drops, members in groups.items():
            cand = candidate_set(plan, drops)
            if cand is None:
                continue
            _evaluate_group(
                plan,
                cand,
                [samples[k] for k in members],
                [parsed[k] for k in members],
                members,
                rows,
            )
    for k, row in enumerate(rows):
        if row is None:
            rows[k] = evaluate_sample(scenario, samples[k], **options)
    return rows  # type: ignore[return-value]  # every None was filled just above


def _evaluate_group(
    plan: Plan,
    cand: Candidates,
    samples: list[Mapping[str, float]],
    parsed_all: list,
    members: list[int],
    rows: list,
) -> None:
    d = plan.discrete
    N, P = cand.index.shape[0], len(d.parties)
    step = max(1, min(SCREEN_GROUP, SCREEN_CELLS // max(1, N * P)))
    chunk = step * max(1, NUMBERS_GROUP // step)  # samples whose Numbers are built at once
    lean = LeanRows(plan, cand)  # the tie-free samples' rows, built at the end all at once
    for lo in range(0, len(samples), step):
        if lo % chunk == 0:
            numbers = Numbers(d, parsed_all[lo : lo + chunk])
        part = samples[lo : lo + step]
        parsed = parsed_all[lo : lo + step]
        num = numbers.part(lo % chunk, lo % chunk + step)
        _evaluate_numbers(plan, cand, part, parsed, num, members[lo : lo + step], rows, lean)
        if lean.full:
            lean.fill(rows)
    lean.fill(rows)


def _error_bound(T: np.ndarray, cand: Candidates) -> np.ndarray:
    """``S x P`` bound on the difference of two float sums of one outcome's terms.

    ``n`` terms (one per issue, one per bonus, and the zero start) of total magnitude at most
    ``A`` (each issue's largest table entry plus the bonuses): each sum is within
    ``gamma_n A``, ``gamma_n = n eps / (1 - n eps)``, of the exact value (Higham 2002, eq. 3.4),
    so two of them differ by at most ``2 gamma_n A <= 4 (n + 1) eps A``.
    """
    n_terms = T.shape[1] + len(cand.bonus_terms) + 1
    magnitude = np.abs(T).max(axis=2).sum(axis=1)
    for p, value, _mask in cand.bonus_terms:
        magnitude[:, p] += abs(value)
    return 4.0 * (n_terms + 1) * _EPS * magnitude + np.finfo(float).tiny


def _screen(
    cand: Candidates,
    num: Numbers,
    p: int,
    rows: np.ndarray | None = None,
    samples: np.ndarray | None = None,
) -> np.ndarray:
    """``S x N`` utilities of party ``p`` up to the screen's error, samples first: one matrix
    product (only the candidate ``rows`` and the ``samples`` given, if given)."""
    pick = slice(None) if rows is None else rows
    C, X = _terms(cand, num, p, samples)
    out = product_t(C, X[pick])  # by blocks small enough for one BLAS thread
    out += cand.bonus[pick, p]
    return out


def _terms(cand: Candidates, num: Numbers, p: int, samples: np.ndarray | None = None) -> tuple:
    """``(C, X)`` with party ``p``'s screened utilities ``C @ X.T + bonus``: weights and values
    (``K`` = issues) in the usual case; when values move too, tables and one-hot rows (``K`` =
    all levels)."""
    cols = slice(None) if samples is None else samples
    if num.same_values:
        return num.coef[cols, p, :], cand.values[p]
    flat = np.concatenate(
        [num.tables[cols, i, : num.sizes[i], p] for i in range(len(num.sizes))], axis=1
    )
    return flat, onehot(cand)


def _screen_unanimous(cand, num, threshold, ok) -> tuple[np.ndarray, np.ndarray]:
    """The candidate rows some sample may accept (ascending) and ``S x rows``: may the
    candidate be feasible for the sample (unanimity; the candidate set already excludes every
    red line)? Only the valid samples (``ok``) get rows.

    The first party is the one whose bound (:mod:`negotiation.studies.screen`) leaves the
    fewest rows to multiply, and its screen skips the rows the bound rules out; the next
    parties are screened on the rows some sample still accepts, most selective first, while
    a screen removes more pairs than it costs (:func:`~negotiation.studies.screen.screen_rest`;
    the exact check tests every party anyway). Reachability is certified afterwards
    (:func:`_certify`).
    """
    N, P = cand.index.shape[0], threshold.shape[1]
    terms = design(cand, num)
    first = first_party(cand, num, threshold, ok)
    alive: np.ndarray | None
    if first is None:
        alive, maybe = None, np.repeat(ok[:, None], N, axis=1)
    else:
        p, rows, k = first
        alive, maybe = prefix_screen(rows, num.coef[:, p, :], threshold[:, p], k)
    rest = {p: terms[p] for p in range(P) if first is None or p != first[0]}
    alive, maybe = screen_rest(rest, threshold, maybe, alive)
    return np.arange(N) if alive is None else alive, maybe


def _certify(cand, num, u, bounds, delta, r_low, ok) -> bool:
    """Narrow ``ok`` in place to the samples whose every reservation is certainly reachable;
    ``False`` if it dropped a sample.

    A party's reservation is reachable when some candidate's utility, minus the error bound
    ``delta``, reaches ``r - tol``. Tried on each sample's first feasible pair (``u``, exact,
    by sample in ``bounds``: a feasible outcome reaches every reservation, so this settles
    all but outcomes within ``delta`` of one), then on the best of its feasible pairs, then,
    for the samples still unsure, on the party's full screen over all candidates. (The
    candidates cross no red line, so they are a subset of what the party may accept: a lower
    bound of its best.)
    """
    S, P = ok.size, r_low.shape[1]
    best = np.full((S, P), -np.inf)
    has = np.flatnonzero(bounds[1:] > bounds[:-1])
    best[has] = u[bounds[has]]
    good = best - delta >= r_low
    unsure = np.flatnonzero(ok & ~good.all(axis=1))
    if not unsure.size:
        return True
    some = unsure[bounds[unsure + 1] > bounds[unsure]]
    for s in some:
        best[s] = u[bounds[s] : bounds[s + 1]].max(axis=0)
    good = best - delta >= r_low
    before = ok.copy()
    for p in range(P):
        unsure = np.flatnonzero(ok & ~good[:, p])
        if unsure.size:
            full = _screen(cand, num, p, samples=unsure).max(axis=1)
            good[unsure, p] = full - delta[unsure, p] >= r_low[unsure, p]
        ok &= good[:, p]
    return bool(np.array_equal(before, ok))


def _evaluate_numbers(plan, cand, part, parsed, num: Numbers, members, rows, lean) -> None:
    with np.errstate(invalid="ignore", over="ignore"):  # invalid samples: not ok, not used
        _evaluate_checked(plan, cand, part, parsed, num, members, rows, lean)


def _evaluate_checked(plan, cand, part, parsed, num: Numbers, members, rows, lean) -> None:
    d = plan.discrete
    S, P = len(part), len(d.parties)
    N = cand.index.shape[0]
    T = num.tables  # S x I x Lmax x P
    R = num.reservations
    r_low = R - reservation_tolerance(R)
    delta = _error_bound(T, cand)  # S x P
    ok = num.ok.copy()
    if N == 0:
        ok[:] = False
    threshold = r_low - delta  # S x P: below it, certainly not acceptable
    unanimous = plan.rule.is_unanimity(P) and not plan.rule.veto
    if unanimous:
        screened, maybe = _screen_unanimous(cand, num, threshold, ok)
    else:
        screened, maybe = _screen_rule(plan, cand, num, threshold, delta, r_low, ok)
    maybe &= ok[:, None]
    s_idx, n_idx, counts = pair_indices(maybe, screened)  # by sample, then outcome index
    # exact utilities of the screened pairs, added exactly as the enumeration engine adds them
    u = pair_utilities(
        T, num.sizes, cand.levels, cand.bonus_terms, s_idx, n_idx, cache=cand.screen_cache
    )
    bounds = np.searchsorted(s_idx, np.arange(S + 1))
    if unanimous and not d.has_observers:  # every party, no red line (the candidates cross none)
        feasible = all_at_least(u, np.repeat(r_low, counts, axis=0))
    else:
        acc = (u >= r_low[s_idx]) & ~cand.red[n_idx]
        feasible = d.passes(acc, plan.rule)
    if not feasible.all():  # (the pairs are of valid samples only)
        s_idx, n_idx = np.compress(feasible, s_idx), np.compress(feasible, n_idx)
        u = np.compress(feasible, u, axis=0)
        bounds = np.searchsorted(s_idx, np.arange(S + 1))
    if unanimous and not _certify(cand, num, u, bounds, delta, r_low, ok):
        keep = np.repeat(ok, np.diff(bounds))  # drop the pairs of samples found invalid
        s_idx, n_idx, u = s_idx[keep], n_idx[keep], u[keep]
        bounds = np.searchsorted(s_idx, np.arange(S + 1))
    # every sample's exact Pareto filter at once, used where the tolerant one agrees with it
    free = tie_free(u, bounds, _tolerances(T, d, num.sizes))
    front = segment_pareto_mask(u, bounds)
    # the tie-free samples' rows: collected, built for the whole group at once (LeanRows)
    together = ok & free if lean.wanted else np.zeros(S, dtype=bool)
    if together.any():
        lean.add(part, members, together, s_idx, n_idx, u, front, num.reservations, num.powers)
    for s in range(S):
        if not ok[s] or together[s]:
            continue  # left to the per-sample path, or to the lean rows
        lo, hi = bounds[s], bounds[s + 1]
        tables = tuple(T[s, i, : num.sizes[i], :] for i in range(len(num.sizes)))
        rows[members[s]] = _row(
            plan,
            cand,
            part[s],
            parsed[s],
            n_idx[lo:hi],
            u[lo:hi],
            tables,
            front[lo:hi] if free[s] else None,
            (num.reservations[s], num.powers[s]),
        )


def _tolerances(T: np.ndarray, d: Scenario, sizes: list[int]) -> np.ndarray:
    """``S x P``: :func:`~negotiation.engine.tolerance.utility_tolerance` of every sample's
    variant, computed as it computes it (the same sums in the same order) from the stacked
    tables ``T`` (``S x I x Lmax x P``, zero beyond each issue's levels)."""
    S, P = T.shape[0], T.shape[-1]
    M = np.zeros((S, P))
    for i, size in enumerate(sizes):
        if size:
            M += np.abs(T[:, i, :size, :]).max(axis=1)
    n_bonus = 0
    for p, bonuses in enumerate(d.bonuses):
        for b in bonuses:
            M[:, p] += abs(float(b.value))
        n_bonus = max(n_bonus, len(bonuses))
    steps = len(sizes) + n_bonus + 4
    M = np.maximum(M, np.finfo(float).tiny)
    return TIE_ULPS * steps * np.spacing(M)


def _screen_rule(plan, cand, num, threshold, delta, r_low, ok) -> tuple[np.ndarray, np.ndarray]:
    """All candidate rows and ``S x N``: may the candidate pass the agreement rule for the
    sample (any rule; red lines per party)? Narrows ``ok`` in place to the certainly valid
    samples."""
    d = plan.discrete
    N, S, P = cand.index.shape[0], ok.size, threshold.shape[1]
    red = cand.red
    maybe = np.zeros((S, N, P), dtype=bool)
    for p in range(P):
        if not ok.any():
            break
        approx = _screen(cand, num, p)
        # validity: the party's reservation is certainly reachable
        mine = ~red[:, p]
        if not mine.any():
            ok[:] = False
            break
        best = (approx if mine.all() else approx[:, mine]).max(axis=1)
        ok &= best - delta[:, p] >= r_low[:, p]
        maybe[:, :, p] = (approx >= threshold[:, p, None]) & mine[None, :]
    return np.arange(N), d.passes(maybe.reshape(S * N, P), plan.rule).reshape(S, N)


def _frontier_rows(
    cand: Candidates, rows: np.ndarray, u: np.ndarray, tol: np.ndarray | None = None
) -> tuple:
    """The engine's Pareto filter, applied as enumerate_frontier applies it: to each
    enumeration block's feasible rows, then to the union of what the blocks kept. Returns the
    kept candidate rows (ascending, i.e. by outcome index) and their utilities.

    With a single block the second pass is skipped: a filter that keeps exactly the rows no
    other row dominates keeps all of its own output (a row not dominated within a set is not
    dominated within a subset), whatever the dominance relation.
    """
    blocks = cand.index[rows] // cand.block_len
    if blocks[0] == blocks[-1]:
        mask = pareto_mask(u, tol=tol)
        return rows[mask], u[mask]
    cuts = np.flatnonzero(np.diff(blocks)) + 1
    kept_r, kept_u = [], []
    for br, bu in zip(np.split(rows, cuts), np.split(u, cuts), strict=True):
        mask = pareto_mask(bu, tol=tol)
        kept_r.append(br[mask])
        kept_u.append(bu[mask])
    rows, u = np.concatenate(kept_r), np.concatenate(kept_u)
    mask = pareto_mask(u, tol=tol)
    rows, u = rows[mask], u[mask]
    order = np.argsort(rows, kind="stable")
    return rows[order], u[order]


class _Picked:
    """What a row reads of a deal: its labelled terms and utilities."""

    __slots__ = ("terms", "utilities")

    def __init__(self, terms: dict[str, str], utilities: np.ndarray) -> None:
        self.terms, self.utilities = terms, utilities


def _row(
    plan: Plan,
    cand: Candidates,
    inputs,
    parsed,
    feas: np.ndarray,
    u: np.ndarray,
    tables: tuple[np.ndarray, ...],
    front: np.ndarray | None = None,
    numbers: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict:
    """The row of one sample from its feasible candidate rows and their exact utilities.

    ``tables`` are the sample's per-issue score tables (``levels x parties``), built for the
    whole group by :class:`Numbers` exactly as :attr:`Scenario.tables` builds them: the variant
    takes them instead of rebuilding its own (validating every value again costs more than the
    rest of the row), for the tie tolerance and the solutions. ``numbers`` are the sample's
    reservations and powers (as the variant would hold them): with them, a tie-free sample whose
    solutions all pick by index (:func:`~negotiation.studies.pick.uses_index`) needs no variant
    scenario at all.
    """
    d = plan.discrete
    row: dict[str, Any] = {path: float(v) for path, v in inputs.items()}
    n_feasible = int(feas.size)
    fast = [name for name in plan.solutions if uses_index(name)]
    lean = numbers is not None and front is not None and len(fast) == len(plan.solutions)
    parties = changed_parties(d, parsed) if n_feasible and not lean else None
    variant = trusted_variant(d, parties) if parties is not None else d
    if parties is not None:
        variant.__dict__["tables"] = tables
    if n_feasible and front is not None:
        # tie-free sample: the tolerant filter is the exact one, computed for the whole group
        kept, fu = feas[front], u[front]
        levels = cand.levels[kept]
    elif n_feasible:
        # the same tie tolerance as the enumeration engine (from the sample's own numbers)
        kept, fu = _frontier_rows(cand, feas, u, utility_tolerance(variant))
        levels = cand.levels[kept]
    else:
        levels = np.zeros((0, len(d.issues)), dtype=np.int64)
    row.update(
        valid=True,
        error="",
        n_feasible=n_feasible,
        n_pareto=int(levels.shape[0]),
        agreement=bool(levels.shape[0]),
    )
    deals: dict[str, Any] = {}
    if levels.shape[0] and fast:
        terms: dict[int, dict[str, str]] = {}
        r, a = numbers if lean else (None, None)  # type: ignore[misc]  # lean: numbers given
        picked = pick_deals(variant, fast, levels, fu, reservations=r, powers=a)
        for name, k in picked.items():
            if k not in terms:
                terms[k] = variant.space.deal(levels[k])
            deals[name] = _Picked(terms[k], fu[k])
    if levels.shape[0] and len(fast) < len(plan.solutions):
        frontier = Frontier(
            scenario=variant,
            levels=levels,
            utilities=fu,
            n_outcomes=plan.n_outcomes,
            n_allowed=cand.n_allowed,
            n_feasible=n_feasible,
            engine="enumerate",
            rule=plan.rule,
        )
        deals.update(
            {name: SOLUTIONS[name](frontier) for name in plan.solutions if name not in deals}
        )
    for name in plan.solutions:
        deal = deals.get(name)
        for issue in plan.issues:
            row[f"{name}.deal.{issue}"] = deal.terms[issue] if deal is not None else None
        for p, party in enumerate(plan.parties):
            row[f"{name}.u.{party}"] = float(deal.utilities[p]) if deal is not None else np.nan
    if plan.target is not None:
        row["baseline_pareto"] = bool(
            levels.shape[0] and np.any(np.all(levels == plan.target, axis=1))
        )
    return row
