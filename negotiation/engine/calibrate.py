r"""Calibration: the parameters of a scenario consistent with evidence.

Formulation
-----------
Value tables, red lines, bonuses and constraints are held fixed. The free parameters of each
weights-and-values party ``p`` are its normalised weights ``w_p`` and its reservation ``r_p``:
``theta = (w_1, r_1, ..., w_P, r_P)``. The *prior set* is

.. math::

    w_p \ge 0,\quad \sum_i w_{pi} = 1,\quad
    \underline{r}_p \le r_p \le \overline{r}_p

with ``[r_lo, r_hi] = [min(0, sum of negative bonuses), 1 + sum of positive bonuses]`` (every
utility the party can reach). A party's utility of a complete outcome ``x`` is
``u_p(x) = sum_i w_pi v_pi(x_i) + B_p(x)``, linear in ``theta`` (``B_p`` the fixed bonuses). An
*open* proposal is read at the party's best completion ``x*``: each open issue at the level the
party values most (ties: the first), which does not depend on the weights since ``w >= 0``
(bonuses and red lines are not used to choose it). Each evidence item is then linear, with a
margin ``eps`` (default :data:`MARGIN`) making strict preferences strict:

* accepts P: ``u_p(P) >= r_p`` (accepting a proposal that crosses one of the party's red lines
  contradicts the model: the item alone is infeasible);
* rejects P: ``u_p(P) <= r_p - eps`` (no row when P crosses a red line of the party: the red line
  explains it);
* proposed P: accepts P, and ``u_p(P) >= u_p(Q)`` for every Q the same party rejects;
* prefers A to B: ``u_p(A) >= u_p(B) + eps`` (one issue: ``w_pi (v(a) - v(b)) >= eps``);
* weight_order a over b: ``w_pa >= w_pb + eps``;
* bounds: ``lo <= w_pi <= hi``, ``lo <= r_p <= hi``; a value bound is a check of the fixed value.

The consistent set is the polytope ``{theta : A theta <= b, E theta = 1}``. :func:`calibrate`
solves linear programmes with scipy's HiGHS: feasibility, the Chebyshev centre (the centre of
the largest ball inside the set, Boyd & Vandenberghe, *Convex Optimization*, 2004, §8.5.1), the
interval of every parameter, and, when the set is empty, a *minimal* conflicting set of items
found by the deletion filter (Chinneck, *Feasibility and Infeasibility in Optimization*, 2008,
ch. 6): every proper subset of it is feasible. :func:`hit_and_run` draws uniform samples by
hit-and-run (Smith 1984; Lovász 1999) in the affine hull, over several seeded chains, with the
split-R-hat diagnostic (Gelman et al., *Bayesian Data Analysis*, 3rd ed., 2013, §11.4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

from negotiation.errors import InfeasibleError, NegotiationError
from negotiation.model.evidence import Evidence, check_evidence
from negotiation.model.proposals import Proposal
from negotiation.model.scenario import Scenario

__all__ = [
    "MARGIN",
    "blocks",
    "Calibration",
    "Polytope",
    "calibrate",
    "evidence_rows",
    "hit_and_run",
    "split_rhat",
]

#: Margin of strict inequalities (utilities are on a 0..1 scale).
MARGIN = 1e-3
_FEAS_TOL = 1e-9


@dataclass(frozen=True)
class Polytope:
    """``{x : A x <= b, E x = f}``, with ``names[j]`` the input path of coordinate ``j``."""

    A: np.ndarray
    b: np.ndarray
    E: np.ndarray
    f: np.ndarray
    names: tuple[str, ...]

    @property
    def dim(self) -> int:
        return len(self.names)

    def contains(self, x: np.ndarray, tol: float = 1e-9) -> bool:
        """True when ``x`` satisfies every row (within ``tol``)."""
        x = np.asarray(x, dtype=float)
        return bool(
            np.all(self.A @ x <= self.b + tol) and np.allclose(self.E @ x, self.f, atol=tol)
        )

    def add(self, A: np.ndarray, b: np.ndarray) -> Polytope:
        """The polytope with more inequality rows."""
        A = np.asarray(A, dtype=float).reshape(-1, self.dim)
        return Polytope(
            np.vstack([self.A, A]), np.concatenate([self.b, b]), self.E, self.f, self.names
        )


def _lp(poly: Polytope, c: np.ndarray) -> Any:
    return linprog(
        c,
        A_ub=poly.A if len(poly.b) else None,
        b_ub=poly.b if len(poly.b) else None,
        A_eq=poly.E if len(poly.f) else None,
        b_eq=poly.f if len(poly.f) else None,
        bounds=(None, None),
        method="highs",
    )


def feasible(poly: Polytope) -> bool:
    """Is the polytope non-empty (an LP with a zero objective)?"""
    return _lp(poly, np.zeros(poly.dim)).status == 0


# -- the parameter layout and the rows of each item -------------------------------------------
class _Layout:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.parties = [p for p, party in enumerate(scenario.parties) if not party.scored_in_points]
        n = len(scenario.issues)
        self.offset = {p: k * (n + 1) for k, p in enumerate(self.parties)}
        self.n = n
        names = []
        for p in self.parties:
            name = scenario.parties[p].name
            names += [f"{name}/weights/{i}" for i in scenario.issue_names] + [f"{name}/reservation"]
        self.names = tuple(names)

    def w(self, p: int, i: int) -> int:
        return self.offset[p] + i

    def r(self, p: int) -> int:
        return self.offset[p] + self.n

    def bonus_range(self, p: int) -> tuple[float, float]:
        vals = [b.value for b in self.scenario.bonuses[p]]
        return min(0.0, sum(v for v in vals if v < 0)), 1.0 + sum(v for v in vals if v > 0)

    def prior(self) -> Polytope:
        d = len(self.names)
        A, b, E, f = [], [], [], []
        for p in self.parties:
            for i in range(self.n):
                row = np.zeros(d)
                row[self.w(p, i)] = -1.0
                A.append(row)
                b.append(0.0)
            lo, hi = self.bonus_range(p)
            for sign, bound in ((1.0, hi), (-1.0, -lo)):
                row = np.zeros(d)
                row[self.r(p)] = sign
                A.append(row)
                b.append(bound)
            row = np.zeros(d)
            row[self.offset[p] : self.offset[p] + self.n] = 1.0
            E.append(row)
            f.append(1.0)
        return Polytope(np.array(A), np.array(b), np.array(E), np.array(f), self.names)

    # utility of a package: coefficients and constant, and whether it crosses a red line
    def package(self, p: int, spec: Any) -> tuple[np.ndarray, float, bool]:
        s = self.scenario
        if isinstance(spec, str):
            prop = next(q for q in s.proposals if q.name == spec)
        else:
            prop = Proposal("evidence", dict(spec))
        fixed = prop.fixed(s)
        x = np.zeros(self.n, dtype=np.int64)
        coef = np.zeros(len(self.names))
        for i in range(self.n):
            v = s.values(p, i)
            x[i] = fixed[i] if i in fixed else int(np.argmax(v))
            coef[self.w(p, i)] = v[x[i]]
        levels = x[None, :]
        const = sum(b.value * float(b.clause.match(levels, s.space.sizes)[0]) for b in s.bonuses[p])
        crosses = bool(s.red_line_mask(levels)[0, p])
        return coef, float(const), crosses


def evidence_rows(
    scenario: Scenario, items: Sequence[Evidence], margin: float = MARGIN
) -> tuple[Polytope, list[tuple[np.ndarray, np.ndarray]]]:
    """The prior polytope and, per item, its rows ``(A_k, b_k)`` (``A_k x <= b_k``).

    See the module docstring for the formulation.
    """
    items = check_evidence(scenario, items)
    lay = _Layout(scenario)
    d = len(lay.names)
    out: list[tuple[np.ndarray, np.ndarray]] = []
    impossible = (np.zeros((1, d)), np.array([-1.0]))
    for e in items:
        p = scenario.party_names.index(e.party)
        rows: list[np.ndarray] = []
        rhs: list[float] = []

        if e.kind in ("accepts", "proposed"):
            coef, const, crosses = lay.package(p, e.spec)
            if crosses:
                out.append(impossible)
                continue
            row = -coef.copy()  # u >= r  <=>  -coef.x + r <= const
            row[lay.r(p)] += 1.0
            rows.append(row)
            rhs.append(const)
            if e.kind == "proposed":
                for other in items:
                    if other.kind == "rejects" and other.party == e.party:
                        c2, k2, _ = lay.package(p, other.spec)
                        rows.append(c2 - coef)  # u(Q) <= u(P)
                        rhs.append(const - k2)
        elif e.kind == "rejects":
            coef, const, crosses = lay.package(p, e.spec)
            if not crosses:
                row = coef.copy()
                row[lay.r(p)] -= 1.0
                rows.append(row)  # u - r <= -eps
                rhs.append(-margin - const)
        elif e.kind == "prefers":
            spec = e.spec
            if "issue" in spec:
                i = scenario.issue_names.index(spec["issue"])
                lv = scenario.issue(spec["issue"]).levels
                v = scenario.values(p, i)
                diff = v[lv.index(spec["better"])] - v[lv.index(spec["worse"])]
                row = np.zeros(d)
                row[lay.w(p, i)] = -diff
                rows.append(row)
                rhs.append(-margin)
            else:
                ca, ka, _ = lay.package(p, spec["better"])
                cb, kb, _ = lay.package(p, spec["worse"])
                rows.append(cb - ca)
                rhs.append(ka - kb - margin)
        elif e.kind == "weight_order":
            row = np.zeros(d)
            row[lay.w(p, scenario.issue_names.index(e.spec["more"]))] = -1.0
            row[lay.w(p, scenario.issue_names.index(e.spec["less"]))] = 1.0
            rows.append(row)
            rhs.append(-margin)
        else:  # bounds
            spec = e.spec
            lo, hi = float(spec.get("min", -np.inf)), float(spec.get("max", np.inf))
            if "value" in spec:
                i = scenario.issue_names.index(spec["value"])
                lv = scenario.issue(spec["value"]).levels
                v = float(scenario.values(p, i)[lv.index(spec["level"])])
                if not lo - 1e-12 <= v <= hi + 1e-12:
                    out.append(impossible)
                    continue
            else:
                j = (
                    lay.w(p, scenario.issue_names.index(spec["weight"]))
                    if "weight" in spec
                    else lay.r(p)
                )
                for sign, bound in ((1.0, hi), (-1.0, -lo)):
                    if np.isfinite(bound):
                        row = np.zeros(d)
                        row[j] = sign
                        rows.append(row)
                        rhs.append(bound)
        out.append((np.array(rows).reshape(-1, d), np.array(rhs, dtype=float)))
    return lay.prior(), out


def minimal_conflict(
    prior: Polytope,
    rows: Sequence[tuple[np.ndarray, np.ndarray]],
    order: Sequence[int] | None = None,
) -> list[int]:
    """Indices of a minimal infeasible subset of the items (deletion filter; exact by LP).

    Assumes the prior with every item is infeasible and the prior alone is feasible. Every
    proper subset of the result is feasible.
    """
    keep = list(order if order is not None else range(len(rows)))

    def poly(idx: Sequence[int]) -> Polytope:
        if not idx:
            return prior
        return prior.add(
            np.vstack([rows[k][0] for k in idx]), np.concatenate([rows[k][1] for k in idx])
        )

    for k in list(keep):
        trial = [j for j in keep if j != k]
        if not feasible(poly(trial)):
            keep = trial
    return sorted(keep)


# -- the polytope in its affine hull ----------------------------------------------------------
def _reduce(poly: Polytope, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(N, A N, b - A x0)``: coordinates ``z`` with ``x = x0 + N z``, ``N`` orthonormal."""
    N = null_space(poly.E) if len(poly.f) else np.eye(poly.dim)
    return N, poly.A @ N, poly.b - poly.A @ x0


def chebyshev_centre(poly: Polytope) -> tuple[np.ndarray, float]:
    """Centre and radius of the largest ball in the polytope (within its affine hull)."""
    res = _lp(poly, np.zeros(poly.dim))
    if res.status != 0:
        raise InfeasibleError("the consistent set is empty")
    x0 = res.x
    N, Az, bz = _reduce(poly, x0)
    norms = np.linalg.norm(Az, axis=1)
    k = Az.shape[1]
    c = np.zeros(k + 1)
    c[-1] = -1.0
    A_ub = np.hstack([Az, norms[:, None]])
    res = linprog(c, A_ub=A_ub, b_ub=bz, bounds=[(None, None)] * k + [(0, None)], method="highs")
    if res.status != 0:
        raise InfeasibleError(f"the Chebyshev-centre LP failed: {res.message}")
    return x0 + N @ res.x[:k], float(res.x[-1])


def parameter_bounds(poly: Polytope) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of every coordinate over the polytope (two LPs each)."""
    lo, hi = np.empty(poly.dim), np.empty(poly.dim)
    for j in range(poly.dim):
        c = np.zeros(poly.dim)
        c[j] = 1.0
        lo[j] = _lp(poly, c).fun
        hi[j] = -_lp(poly, -c).fun
    return lo, hi


def split_rhat(chains: np.ndarray) -> np.ndarray:
    """Split-R-hat of each coordinate of ``chains`` (``chains x draws x dim``).

    Each chain is split in halves; with ``W`` the mean within-half variance and ``B/n`` the
    variance of the half means, ``R = sqrt(((n-1)/n W + B/n) / W)`` (Gelman et al. 2013, §11.4).
    Values near 1 (below 1.01–1.05) say the chains agree. A coordinate constant in every chain
    gets 1.

    >>> rng = np.random.default_rng(0)
    >>> float(np.round(split_rhat(rng.normal(size=(4, 1000, 1)))[0], 2))
    1.0
    """
    chains = np.asarray(chains, dtype=float)
    n = chains.shape[1] // 2
    halves = np.concatenate([chains[:, :n], chains[:, n : 2 * n]], axis=0)
    means = halves.mean(axis=1)
    W = halves.var(axis=1, ddof=1).mean(axis=0)
    B = n * means.var(axis=0, ddof=1)
    var = (n - 1) / n * W + B / n
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(var / W)
    return np.where(W > 1e-300, r, 1.0)


def blocks(poly: Polytope) -> list[np.ndarray]:
    """Groups of coordinates no row couples (connected components; one per party here)."""
    parent = list(range(poly.dim))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for M in (poly.A, poly.E):
        for row in M:
            nz = np.flatnonzero(np.abs(row) > 0)
            for j in nz[1:]:
                parent[root(int(j))] = root(int(nz[0]))
    roots = np.array([root(i) for i in range(poly.dim)])
    return [np.flatnonzero(roots == r) for r in dict.fromkeys(roots.tolist())]


def hit_and_run(
    poly: Polytope,
    n: int,
    *,
    seed: int | np.random.Generator | None = 0,
    chains: int = 8,
    thin: int | None = None,
    burn: int | None = None,
) -> tuple[np.ndarray, float]:
    """``n`` approximately uniform points of the polytope, and the worst split-R-hat.

    The uniform law on a product of polytopes is the product of the uniform laws, so each
    block of coordinates that no row couples (:func:`blocks`: one per party) is sampled on its
    own (:func:`_char`), from its own seed spawned from ``seed``: chains mix in the block's
    dimension, not the whole one.
    """
    if n < 1:
        raise NegotiationError(f"the number of samples must be >= 1, got {n}")
    if chains < 2:
        raise NegotiationError(f"at least 2 chains are needed for the diagnostic, got {chains}")
    ss = (
        seed.bit_generator.seed_seq
        if isinstance(seed, np.random.Generator)
        else np.random.SeedSequence(seed)
    )
    groups = blocks(poly)
    out = np.empty((n, poly.dim))
    rhat = 1.0
    for cols, child in zip(groups, ss.spawn(len(groups)), strict=True):
        rows = np.flatnonzero(np.any(np.abs(poly.A[:, cols]) > 0, axis=1))
        erows = np.flatnonzero(np.any(np.abs(poly.E[:, cols]) > 0, axis=1)) if len(poly.f) else []
        sub = Polytope(
            poly.A[np.ix_(rows, cols)],
            poly.b[rows],
            poly.E[np.ix_(erows, cols)] if len(erows) else np.zeros((0, len(cols))),
            poly.f[erows] if len(erows) else np.zeros(0),
            tuple(poly.names[j] for j in cols),
        )
        x, r = _char(sub, n, np.random.default_rng(child), chains, thin, burn)
        out[:, cols] = x
        rhat = max(rhat, r) if np.isfinite(r) else float("nan")
    return out, rhat


def _char(
    poly: Polytope,
    n: int,
    rng: np.random.Generator,
    chains: int,
    thin: int | None,
    burn: int | None,
) -> tuple[np.ndarray, float]:
    """Uniform points of one block, and its worst split-R-hat.

    Coordinate hit-and-run in the affine hull: from ``z``, pick one of a fixed set of
    directions ``u`` at random, find the chord ``{z + t u}`` inside the polytope and move to a
    uniform point of it; each move is reversible for the uniform law, which is therefore
    invariant. The directions are first the parameter axes projected on the hull; after half
    the burn-in they become the axes of the rounded set (rows of ``C^T``, ``C C^T`` the
    covariance of the chains' positions), and stay fixed ("coordinate hit-and-run with
    rounding", Haraldsdóttir et al., *Bioinformatics* 33, 2017).
    ``chains`` chains run side by side from the Chebyshev centre; each keeps
    every ``thin``-th step (default: six times the dimension) after ``burn`` steps (default ``20 * dim``).
    """
    centre, radius = chebyshev_centre(poly)
    if radius <= 1e-9:
        raise InfeasibleError(
            "the consistent set has no interior (an equality hides in the evidence: "
            "widen a bound min = max, or remove duplicate opposite items)"
        )
    N, Az, bz = _reduce(poly, centre)
    k = Az.shape[1]
    thin = thin or 6 * max(1, k)
    burn = burn if burn is not None else 20 * k
    per = -(-n // chains)
    out = np.empty((per, chains, k))
    z = np.zeros((chains, k))
    slack = np.tile(bz, (chains, 1))  # chains x rows
    D = N.copy()  # directions: the coordinate axes of the parameters, projected on the hull
    D = D[np.linalg.norm(D, axis=1) > 1e-12]
    history: list[np.ndarray] = []
    for step in range(burn + per * thin):
        if step == burn // 2 and history:
            pts = np.concatenate(history)
            cov = np.cov(pts, rowvar=False) + 1e-12 * np.eye(k)
            D = np.linalg.cholesky(cov).T  # rows: the axes of the rounded set
            history = []
        u = D[rng.integers(len(D), size=chains)]
        a = u @ Az.T  # chains x rows
        with np.errstate(divide="ignore", invalid="ignore"):
            t = slack / a
        t_hi = np.where(a > 1e-14, t, np.inf).min(axis=1)
        t_lo = np.where(a < -1e-14, t, -np.inf).max(axis=1)
        if not (np.all(np.isfinite(t_hi)) and np.all(np.isfinite(t_lo))):
            raise NegotiationError("the consistent set is unbounded; add bounds")
        s = rng.uniform(t_lo, t_hi)
        z = z + s[:, None] * u
        slack = slack - s[:, None] * a
        if step < burn // 2 and step >= burn // 4:
            history.append(z.copy())
        kept = step - burn
        if kept >= 0 and kept % thin == thin - 1:
            out[kept // thin] = z
    x = centre + out @ N.T  # per x chains x dim
    rhat = float(np.max(split_rhat(np.swapaxes(x, 0, 1)))) if per >= 4 else float("nan")
    return x.reshape(-1, poly.dim)[:n], rhat


@dataclass(frozen=True)
class Calibration:
    """The consistent set of a scenario's parameters given evidence (see :func:`calibrate`)."""

    scenario: Scenario
    evidence: tuple[Evidence, ...]
    names: tuple[str, ...]
    feasible: bool
    prior_bounds: np.ndarray  # dim x 2
    bounds: np.ndarray | None  # dim x 2, None when empty
    centre: np.ndarray | None
    radius: float
    conflict: tuple[str, ...] = ()
    polytope: Polytope | None = field(default=None, repr=False)
    shipped: np.ndarray | None = field(default=None, repr=False)

    @property
    def shipped_inside(self) -> bool:
        """Do the scenario's own parameters satisfy every item?"""
        return bool(self.polytope is not None and self.polytope.contains(self.shipped, tol=1e-9))

    def violated(self) -> list[str]:
        """Names of the items the scenario's own parameters violate."""
        return list(self._violated)

    def sample(
        self, n: int, *, seed: int | np.random.Generator | None = 0, chains: int = 8
    ) -> tuple[list[dict[str, float]], float]:
        """``n`` uniform samples of the consistent set as sweep inputs ``{path: value}``, and
        the worst split-R-hat over the chains."""
        if not self.feasible or self.polytope is None:
            raise InfeasibleError("the evidence is contradictory: " + ", ".join(self.conflict))
        x, rhat = hit_and_run(self.polytope, n, seed=seed, chains=chains)
        return [dict(zip(self.names, map(float, row), strict=True)) for row in x], rhat

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: feasibility, conflict, per-parameter intervals before/after."""
        params = []
        for j, name in enumerate(self.names):
            params.append(
                {
                    "parameter": name,
                    "shipped": float(self.shipped[j]) if self.shipped is not None else None,
                    "prior": [float(v) for v in self.prior_bounds[j]],
                    "consistent": None
                    if self.bounds is None
                    else [float(v) for v in self.bounds[j]],
                }
            )
        return {
            "feasible": self.feasible,
            "conflict": list(self.conflict),
            "radius": self.radius,
            "shipped_inside": self.shipped_inside if self.feasible else False,
            "violated": self.violated(),
            "n_evidence": len(self.evidence),
            "parameters": params,
        }

    _violated: tuple[str, ...] = ()


def calibrate(
    scenario: Scenario,
    evidence: Sequence[Evidence],
    *,
    margin: float = MARGIN,
    bounds: bool = True,
) -> Calibration:
    """The set of weights and reservations consistent with the evidence.

    Parameters
    ----------
    scenario
        A discrete scenario (a continuous one is discretised with the default resolution).
    evidence
        Items from :func:`negotiation.model.evidence.load_evidence`; checked against the scenario.
    margin
        ``eps`` of the strict inequalities (see the module docstring).
    bounds
        Compute each parameter's interval (two LPs per parameter).

    Returns
    -------
    Calibration
        ``feasible``; when not, ``conflict`` names a minimal conflicting set of items.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.model.evidence import loads_evidence
    >>> s = ng.load_scenario("textbook_two_party")
    >>> ev = loads_evidence('''
    ... [[evidence]]
    ... source = "test"
    ... party = "Candidate"
    ... bounds = {reservation = true, min = 0.2, max = 0.3}
    ... ''')
    >>> cal = calibrate(s, ev)
    >>> cal.feasible, cal.bounds[cal.names.index("Candidate/reservation")].round(3).tolist()
    (True, [0.2, 0.3])
    """
    if scenario.is_continuous:
        scenario = scenario.discretize()
    items = check_evidence(scenario, tuple(evidence))
    prior, rows = evidence_rows(scenario, items, margin)
    lay = _Layout(scenario)
    shipped = np.zeros(prior.dim)
    for p in lay.parties:
        shipped[lay.offset[p] : lay.offset[p] + lay.n] = scenario.weights[p]
        shipped[lay.r(p)] = scenario.reservations[p]
    violated = tuple(
        e.name
        for e, (A, b) in zip(items, rows, strict=True)
        if len(b) and np.any(A @ shipped > b + 1e-12)
    )
    prior_lo, prior_hi = parameter_bounds(prior) if bounds else (np.full(prior.dim, np.nan),) * 2
    poly = prior.add(
        np.vstack([r[0] for r in rows]) if rows else np.zeros((0, prior.dim)),
        np.concatenate([r[1] for r in rows]) if rows else np.zeros(0),
    )
    common = dict(
        scenario=scenario,
        evidence=items,
        names=prior.names,
        prior_bounds=np.column_stack([prior_lo, prior_hi]),
        shipped=shipped,
        _violated=violated,
    )
    if not feasible(poly):
        conflict = minimal_conflict(prior, rows)
        return Calibration(
            feasible=False,
            bounds=None,
            centre=None,
            radius=0.0,
            conflict=tuple(items[k].name for k in conflict),
            polytope=None,
            **common,
        )
    centre, radius = chebyshev_centre(poly)
    after = np.column_stack(parameter_bounds(poly)) if bounds else None
    return Calibration(
        feasible=True, bounds=after, centre=centre, radius=radius, polytope=poly, **common
    )


def acceptance(
    scenario: Scenario,
    samples: np.ndarray,
    names: Sequence[str],
    proposal: str | Mapping[str, Any],
    party: str,
) -> np.ndarray:
    """Whether ``party`` accepts ``proposal`` under each sample (rows of ``samples``).

    Same reading as the evidence: the party's best completion of an open proposal, ``u >= r``
    within the reservation tolerance, and never across its red line.
    """
    from negotiation.model.scenario import reservation_tolerance

    lay = _Layout(scenario)
    p = scenario.party_names.index(party)
    if p not in lay.parties:
        raise NegotiationError(f"party {party!r} is scored in points; it is not calibrated")
    if tuple(names) != lay.names:
        raise NegotiationError("samples do not match the scenario's parameter layout")
    coef, const, crosses = lay.package(p, proposal)
    x = np.asarray(samples, dtype=float)
    u = x @ coef + const
    r = x[:, lay.r(p)]
    return (u >= r - reservation_tolerance(r)) & (not crosses)
