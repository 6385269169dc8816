"""Scenarios with continuous issues compiled into sub-problems with affine utilities.

A continuous issue ranges over an interval ``[low, high]``; each party values it by a
piecewise-linear function ``v(x)`` through the points ``[[x, v], ...]`` of the scenario file
(linear from 0 to 1 over the range when not given). With additive utilities

.. math::

    u_p(x) = \\sum_{c\\ \\text{continuous}} w_{pc} v_{pc}(x_c)
           + \\sum_{i\\ \\text{discrete}} s_{pi}(x_i) + \\sum_b \\beta_{pb} [x \\text{ matches } b]

the problem splits exactly into *sub-problems* on which every utility is affine in ``x``:

1. every continuous issue's range is cut at every breakpoint of every party's value function and
   at every end of a ``{min, max}`` interval of a constraint, red line or bonus that mentions it;
   the pieces of all continuous issues form boxes (*cells*) on which every value is linear and
   every clause either matches the whole cell or none of it;
2. the allowed combinations of the discrete issues are enumerated;
3. a (combination, cell) pair that a constraint or a red line matches is dropped; bonuses that
   match it are constants. What is left is a polytope ``{x in cell : u_p(x) >= r_p for all p}``
   with affine utilities.

Each solution is then solved exactly on every sub-problem that can still beat the best found
(branch and bound on cheap upper bounds: the box maxima of the affine gains), and the best is
kept:

* utilitarian -- a linear programme (``max sum_p u_p``), ties by the leximin order of the gains;
* egalitarian -- the leximin optimum of the gains by sequential linear programmes;
* Kalai-Smorodinsky -- ``max t`` s.t. ``u_p - d_p >= t (I_p - d_p)``, then the largest sum of
  normalised gains, where the ideal point ``I`` is found by one linear programme per party;
* (asymmetric) Nash -- ``max sum_p alpha_p log(u_p(x) - d_p)``, a concave programme on a
  polytope, solved by column generation over the polytope's vertices (the linear programme is
  the oracle; optimality certified by the KKT condition), see
  :mod:`negotiation.engine.solvers.nash_convex`.

Each rule's search lives in its own module of :mod:`negotiation.engine.solutions` (its
``continuous`` variant); this module compiles the sub-problems and holds the steps they share
(the ideal point, the max-min candidates, the leximin optimum, the tie rules across
sub-problems). :class:`negotiation.engine.continuous.ContinuousProblem` adds the lookup by name.

The rules for ties and degenerate cases are those of the pure solutions (:mod:`negotiation.engine.solutions`)
(count-first Nash when no point gives every party a positive gain; parties with ``I_p = d_p``
left out of the KS ratio). Across sub-problems, ties go to the first sub-problem (the smallest
discrete combination, then the leftmost cell).

Open sets. A red line or constraint ``{min, max}`` forbids the *closed* interval, so what it
leaves is open at the cut (``x < min`` or ``x > max``). The optimisation is over the closure of
the allowed set; when a solution sits exactly on a cut, it is the limit of allowed deals
arbitrarily close to it (the supremum), which is what a fine grid converges to.

Limits (:class:`~negotiation.errors.NotApplicableError`): only the unanimity agreement rule
(under a quota rule the acceptance pattern is combinatorial; use the grid), and at most
``max_subproblems`` sub-problems.

References
----------
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [KalaiSmorodinsky1975] Kalai, Smorodinsky, "Other solutions to Nash's bargaining problem" (1975).
   Full entry: docs/references.md.
.. [BoydVandenberghe2004] Boyd, Vandenberghe, *Convex Optimization* (2004); epigraph formulations,
   section 4.1.3; log-concave objectives. Full entry: docs/references.md.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from negotiation.engine.solutions.choice import TIE_RTOL
from negotiation.engine.solvers.leximin import leximin
from negotiation.engine.solvers.polytope import Polytope
from negotiation.errors import InfeasibleError, NotApplicableError
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance
from negotiation.model.utility import point_utilities, value_points

__all__ = [
    "ContinuousSolution",
    "DEFAULT_MAX_SUBPROBLEMS",
    "Subproblems",
    "best_leximin",
    "continuous_utilities",
    "tie",
]

#: Default cap on the number of sub-problems (discrete combinations x cells).
DEFAULT_MAX_SUBPROBLEMS = 20_000


@dataclass(frozen=True, eq=False)
class ContinuousSolution:
    """An exact solution of a scenario with continuous issues.

    Attributes
    ----------
    name
        The solution's name (``"nash"``, ...).
    x
        The deal: ``{issue: value}`` for continuous issues, ``{issue: level name}`` for discrete.
    utilities
        Each party's utility of it.
    parties
        Party names, aligned with ``utilities``.
    objective
        The solution's objective at the deal: the Nash product (over the parties that gain),
        the smallest (normalised) gain, or the utility sum.
    """

    name: str
    x: dict[str, float | str]
    utilities: np.ndarray
    parties: tuple[str, ...]
    objective: float

    def utility_of(self, party: str) -> float:
        """Utility of the named party."""
        return float(self.utilities[self.parties.index(party)])

    def to_dict(self) -> dict:
        """JSON shape: ``{"deal": {issue: value}, "utilities": {party: u}, "objective": v}``."""
        return {
            "deal": {k: (float(v) if not isinstance(v, str) else v) for k, v in self.x.items()},
            "utilities": {p: float(u) for p, u in zip(self.parties, self.utilities, strict=True)},
            "objective": float(self.objective),
        }


# -- the scenario's pieces --------------------------------------------------------------------
def _value_points(scenario: Scenario, p: int, c: int) -> np.ndarray:
    """``[[x, v], ...]`` of party ``p``'s value function on continuous issue ``c`` (the model's
    evaluator, :func:`negotiation.model.utility.value_points`)."""
    return value_points(scenario, p, c)


def _discrete_table(scenario: Scenario, i: int) -> np.ndarray:
    """``levels x parties`` additive scores of discrete issue ``i`` (the scenario's score table,
    filled for the discrete issues of a mixed scenario too)."""
    return scenario.tables[i]


def _clauses(scenario: Scenario) -> list[tuple[str, int, float, Mapping[str, tuple]]]:
    """Every clause as ``(kind, party, value, spec)``: kind constraint/red_line/bonus."""
    out: list[tuple[str, int, float, Mapping[str, tuple]]] = [
        ("constraint", -1, 0.0, c) for c in scenario.constraints
    ]
    for p, party in enumerate(scenario.parties):
        out += [("red_line", p, 0.0, c) for c in party.red_lines]
        out += [("bonus", p, float(v), c) for c, v in party.bonuses]
        out += [("bonus", p, -float(v), c) for c, v in party.soft_red_lines]
    return out


def continuous_utilities(scenario: Scenario, x: Mapping[str, float | str]) -> np.ndarray:
    """Every party's utility of one deal of a scenario with continuous issues (exact): the
    model's one evaluator, :func:`negotiation.model.utility.point_utilities`.

    ``x`` gives a number for each continuous issue and a level name for each discrete one.
    Piecewise-linear values are interpolated; a bonus matches when every discrete level is
    listed and every continuous value lies in its ``[min, max]``.

    Examples
    --------
    >>> from negotiation import Issue, Party, Scenario
    >>> s = Scenario("pie", (Issue("share", range=(0.0, 100.0)),),
    ...              (Party("A", {"share": 1}), Party("B", {"share": 1},
    ...                                                  {"share": ((0, 1.0), (100, 0.0))})))
    >>> continuous_utilities(s, {"share": 30.0}).tolist()
    [0.3, 0.7]
    """
    return point_utilities(scenario, x)


def _cut_points(scenario: Scenario, c: int, clauses: list) -> np.ndarray:
    """Edges of the pieces of continuous issue ``c``: its ends, every breakpoint of a party's
    value function, and every end of a clause's ``{min, max}`` interval on it."""
    issue = scenario.issues[c]
    lo, hi = issue.range  # type: ignore[misc]
    cuts = [lo, hi]
    for p in range(len(scenario.parties)):
        cuts += list(_value_points(scenario, p, c)[:, 0])
    for _, _, _, spec in clauses:
        if issue.name in spec:
            cuts += [float(v) for v in spec[issue.name]]
    e = np.unique(np.clip(np.asarray(cuts, dtype=float), lo, hi))
    keep = np.concatenate([[True], np.diff(e) > 1e-12 * (hi - lo)])
    e = e[keep]
    e[-1] = hi
    return e


def _grid(sizes: list[int]) -> np.ndarray:
    """Every index row of a mixed-radix grid with these sizes (``prod(sizes) x len(sizes)``)."""
    n = math.prod(sizes)
    if not sizes:
        return np.zeros((1, 0), dtype=np.int64)
    return np.stack(np.unravel_index(np.arange(n), sizes), axis=1).astype(np.int64)


class Subproblems:
    """A scenario with continuous issues compiled into sub-problems with affine utilities.

    Sub-problem ``k`` is the polytope ``{z in [lo_k, hi_k] : A_k z + b_k >= 0}`` of the
    continuous variables ``z`` for one discrete combination and one cell, with the parties'
    gains over disagreement ``g = A_k z + b_k`` (see the module docstring).
    :class:`negotiation.engine.continuous.ContinuousProblem` is this with the solutions by name.

    Parameters
    ----------
    scenario
        A scenario with at least one continuous issue (discrete issues are allowed too).
    rule
        The agreement rule (default: the scenario's); only unanimity is supported.
    max_subproblems
        Refuse (:class:`NotApplicableError`) scenarios needing more sub-problems than this.

    Examples
    --------
    >>> from negotiation import Issue, Party, Scenario
    >>> pie = Scenario("pie", (Issue("share", range=(0.0, 100.0)),),
    ...                (Party("A", {"share": 1}), Party("B", {"share": 1},
    ...                                                    {"share": ((0, 1.0), (100, 0.0))})))
    >>> Subproblems(pie).n_subproblems, Subproblems(pie).ideal.tolist()
    (1, [1.0, 1.0])
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        rule: AgreementRule | None = None,
        max_subproblems: int = DEFAULT_MAX_SUBPROBLEMS,
    ) -> None:
        self.scenario = scenario
        rule = rule or scenario.agreement
        if not rule.is_unanimity(len(scenario.parties)):
            raise NotApplicableError(
                f"scenario {scenario.name!r}: exact continuous solutions need the unanimity rule "
                f"(got a quota of {rule.quota}); use the grid instead (Scenario.discretize)"
            )
        self.cont = [k for k, i in enumerate(scenario.issues) if i.is_continuous]
        self.disc = [k for k, i in enumerate(scenario.issues) if not i.is_continuous]
        if not self.cont:
            raise NotApplicableError(
                f"scenario {scenario.name!r} has no continuous issue: use the discrete engine"
            )
        self.d = scenario.reservations
        self.tol = reservation_tolerance(self.d)
        clauses = _clauses(scenario)
        # 1. cut every continuous issue into pieces
        self.edges: list[np.ndarray] = [_cut_points(scenario, c, clauses) for c in self.cont]
        n_pieces = [len(e) - 1 for e in self.edges]
        disc_sizes = [scenario.issues[i].size for i in self.disc]
        n_comb, n_cell = math.prod(disc_sizes), math.prod(n_pieces)
        if n_comb * n_cell > max_subproblems:
            raise NotApplicableError(
                f"scenario {scenario.name!r}: {n_comb} discrete combinations x {n_cell} cells of "
                f"the continuous issues = {n_comb * n_cell} sub-problems, more than "
                f"max_subproblems={max_subproblems}; use the grid (Scenario.discretize) or raise "
                "the limit"
            )
        combos, cells = _grid(disc_sizes), _grid(n_pieces)
        C = len(self.cont)
        lo_cell = np.stack([self.edges[j][cells[:, j]] for j in range(C)], axis=1)
        hi_cell = np.stack([self.edges[j][cells[:, j] + 1] for j in range(C)], axis=1)
        # 2. affine utilities on each cell, constants of each discrete combination
        A, b_cell = self._affine_cells(lo_cell, hi_cell)
        b_comb = np.zeros((n_comb, len(scenario.parties)))
        for j, i in enumerate(self.disc):
            b_comb += _discrete_table(scenario, i)[combos[:, j]]
        # 3. clauses: forbidden pairs and bonuses
        forbidden, bonus = self._clause_effects(clauses, combos, (lo_cell + hi_cell) / 2)
        ci, ce = np.nonzero(~forbidden)
        self.combos, self.cells = combos, cells
        self._keep(
            ci, ce, A[ce], b_comb[ci] + b_cell[ce] + bonus[ci, ce] - self.d, lo_cell, hi_cell
        )
        self._cache: dict = {}

    def _affine_cells(self, lo_cell: np.ndarray, hi_cell: np.ndarray) -> tuple[np.ndarray, ...]:
        """Slopes ``(cell, P, C)`` and intercepts ``(cell, P)`` of the continuous part of every
        party's utility on each cell (the value functions are linear within a cell)."""
        s = self.scenario
        P, C = len(s.parties), len(self.cont)
        A = np.zeros((lo_cell.shape[0], P, C))
        b_cell = np.zeros((lo_cell.shape[0], P))
        for j, c in enumerate(self.cont):
            for p in range(P):
                w = s.weights[p, c]
                if w <= 0:
                    continue
                pts = _value_points(s, p, c)
                v0 = np.interp(lo_cell[:, j], pts[:, 0], pts[:, 1])
                v1 = np.interp(hi_cell[:, j], pts[:, 0], pts[:, 1])
                slope = (v1 - v0) / (hi_cell[:, j] - lo_cell[:, j])
                A[:, p, j] = w * slope
                b_cell[:, p] += w * (v0 - slope * lo_cell[:, j])
        return A, b_cell

    def _clause_effects(
        self, clauses: list, combos: np.ndarray, mid: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(combination, cell)`` pairs a constraint or red line forbids, and the bonus of each
        pair for each party (a clause matches a whole cell or none of it, so the cell's
        midpoint decides)."""
        s = self.scenario
        n_comb, n_cell = combos.shape[0], mid.shape[0]
        forbidden = np.zeros((n_comb, n_cell), dtype=bool)
        bonus = np.zeros((n_comb, n_cell, len(s.parties)))
        for kind, p, value, spec in clauses:
            m_comb = np.ones(n_comb, dtype=bool)
            m_cell = np.ones(n_cell, dtype=bool)
            for name, levels in spec.items():
                k = s.issue_names.index(name)
                issue = s.issues[k]
                if issue.is_continuous:
                    j = self.cont.index(k)
                    lo, hi = (float(v) for v in levels)
                    m_cell &= (mid[:, j] >= lo) & (mid[:, j] <= hi)
                else:
                    j = self.disc.index(k)
                    idx = [issue.level_index(lv) for lv in levels]
                    m_comb &= np.isin(combos[:, j], idx)
            match = m_comb[:, None] & m_cell[None, :]
            if kind == "bonus":
                bonus[:, :, p] += value * match
            else:
                forbidden |= match
        return forbidden, bonus

    def _keep(
        self,
        ci: np.ndarray,
        ce: np.ndarray,
        A: np.ndarray,
        b: np.ndarray,
        lo_cell: np.ndarray,
        hi_cell: np.ndarray,
    ) -> None:
        """Store the allowed sub-problems that can be individually rational (the box maximum of
        every affine gain, a cheap bound, reaches the reservation)."""
        lo, hi = lo_cell[ce], hi_cell[ce]
        gmax = np.maximum(A * lo[:, None, :], A * hi[:, None, :]).sum(-1) + b
        ok = (gmax >= -self.tol).all(axis=1)
        self.sub_comb, self.sub_cell = ci[ok], ce[ok]
        self.A, self.b, self.lo, self.hi, self.gmax = A[ok], b[ok], lo[ok], hi[ok], gmax[ok]
        self.n_subproblems = int(ok.sum())

    # -- building blocks ---------------------------------------------------------------------
    def polytope(self, k: int) -> Polytope:
        """Sub-problem ``k`` as a polytope in the continuous variables, feasibility included."""
        A, b = self.A[k], self.b[k]
        return Polytope(
            A=A,
            b=b,
            bounds=tuple(zip(self.lo[k].tolist(), self.hi[k].tolist(), strict=True)),
            A_ub=-A,
            b_ub=b.copy(),
            scale=np.maximum(np.abs(A).sum(axis=1) * np.abs(self.hi[k]).max() + np.abs(b), 1.0),
        )

    def max_gain(self, k: int, p: int) -> tuple[np.ndarray, float] | None:
        key = ("max", k, p)
        if key not in self._cache:
            poly = self.polytope(k)
            e = np.zeros(poly.k)
            e[p] = 1.0
            res = poly.lp(e)
            self._cache[key] = None if res is None else (res[0], res[2])
        return self._cache[key]

    def _deal(self, k: int, z: np.ndarray) -> dict[str, float | str]:
        s = self.scenario
        x: dict[str, float | str] = {}
        combo = self.combos[self.sub_comb[k]]
        z = np.clip(z, self.lo[k], self.hi[k])
        for issue_pos, issue in enumerate(s.issues):
            if issue.is_continuous:
                x[issue.name] = float(z[self.cont.index(issue_pos)])
            else:
                x[issue.name] = issue.levels[int(combo[self.disc.index(issue_pos)])]
        return x

    def solution(self, name: str, k: int, z: np.ndarray, objective: float) -> ContinuousSolution:
        x = self._deal(k, z)
        u = self.A[k] @ np.clip(z, self.lo[k], self.hi[k]) + self.b[k] + self.d
        return ContinuousSolution(
            name=name,
            x=x,
            utilities=u,
            parties=self.scenario.party_names,
            objective=float(objective),
        )

    def empty_error(self) -> InfeasibleError:
        return InfeasibleError(
            f"scenario {self.scenario.name!r}: no feasible deal (no allowed point of the "
            "continuous issues gives every party its reservation value without crossing a red line)"
        )

    @cached_property
    def ideal(self) -> np.ndarray:
        """Each party's best feasible utility (one linear programme per visited sub-problem)."""
        P = len(self.scenario.parties)
        best = np.full(P, -np.inf)
        for p in range(P):
            order = np.argsort(-self.gmax[:, p], kind="stable")
            for k in order:
                if self.gmax[k, p] <= best[p] + 1e-12:
                    break
                res = self.max_gain(int(k), p)
                if res is not None:
                    best[p] = max(best[p], res[1])
        if not np.isfinite(best).all():
            raise self.empty_error()
        return best + self.d

    # -- the solutions -----------------------------------------------------------------------

    def maxmin_candidates(self, scale: np.ndarray) -> tuple[float, list[int]]:
        """The best ``t`` of ``max t`` s.t. ``g_p >= t scale_p`` (parties with ``scale_p > 0``)
        over all sub-problems, and the sub-problems that reach it (branch and bound on the box
        maxima of the gains; ties within :func:`tie`)."""
        use = scale > 0
        ub = (self.gmax[:, use] / scale[use]).min(axis=1)
        best, cands = -np.inf, []
        for k in np.argsort(-ub, kind="stable"):
            if ub[k] < best - tie(best):
                break
            poly = self.polytope(int(k))
            res = poly.lp(np.zeros(poly.k), t_scale=scale, c_t=1.0)
            if res is None:
                continue
            t = res[1]
            if t > best + tie(best):
                best, cands = t, [int(k)]
            elif t >= best - tie(best):
                cands.append(int(k))
        if not cands:
            raise self.empty_error()
        return best, sorted(cands)

    def leximin_solution(self, name: str, scale: np.ndarray) -> ContinuousSolution:
        """The leximin optimum of the normalised gains ``g_p / scale_p`` over every
        sub-problem, reported under ``name`` with the smallest gain as its objective."""
        best, cands = self.maxmin_candidates(scale)
        picks = []
        for k in cands:
            poly = self.polytope(k)
            res = leximin(poly, scale)
            if res is None:  # pragma: no cover
                continue
            z = res[0]
            picks.append((k, z, np.sort(poly.gains(z) / scale)))
        k, z = best_leximin(picks)
        g = self.A[k] @ z + self.b[k]
        return self.solution(name, k, z, float(g.min()))


def tie(v: float) -> float:
    """Tolerance under which two objective values near ``v`` tie across sub-problems."""
    return TIE_RTOL * 10 * max(1.0, abs(v)) if np.isfinite(v) else 0.0


def best_leximin(picks: list[tuple[int, np.ndarray, np.ndarray]]) -> tuple[int, np.ndarray]:
    """The pick with the leximin-largest sorted vector (tolerance), first among ties."""
    best = picks[0]
    for cand in picks[1:]:
        for a, b in zip(cand[2], best[2], strict=True):
            if a > b + 1e-9 * max(1.0, abs(b)):
                best = cand
                break
            if a < b - 1e-9 * max(1.0, abs(b)):
                break
    return best[0], best[1]
