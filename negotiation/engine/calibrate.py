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
hit-and-run (Smith 1984 [Smith1984]_; Lovász 1999 [Lovasz1999]_) in the affine hull, over several
seeded chains, with the split-R-hat diagnostic (Gelman et al., *Bayesian Data Analysis*, 3rd ed.,
2013, §11.4).

References
----------
.. [BoydVandenberghe2004] Boyd, Vandenberghe, *Convex Optimization* (2004); the Chebyshev centre,
   section 8.5.1. Full entry: docs/references.md.
.. [Chinneck2008] Chinneck, *Feasibility and Infeasibility in Optimization* (2008); the deletion
   filter, ch. 6. Full entry: docs/references.md.
.. [Smith1984] Smith, "Efficient Monte Carlo procedures for generating points uniformly distributed
   over bounded regions" (1984). Full entry: docs/references.md.
.. [Lovasz1999] Lovász, "Hit-and-run mixes fast" (1999). Full entry: docs/references.md.
.. [GCSDVR2013] Gelman et al., *Bayesian Data Analysis*, 3rd ed. (2013); split-R-hat, section 11.4.
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negotiation.engine.polytope import (
    Polytope,
    blocks,
    chebyshev_centre,
    feasible,
    hit_and_run,
    minimal_conflict,
    parameter_bounds,
    split_rhat,
)
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
                value = float(scenario.values(p, i)[lv.index(spec["level"])])
                if not lo - 1e-12 <= value <= hi + 1e-12:
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
        if self.polytope is None or self.shipped is None:
            return False
        return bool(self.polytope.contains(self.shipped, tol=1e-9))

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
    common: dict[str, Any] = dict(
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
