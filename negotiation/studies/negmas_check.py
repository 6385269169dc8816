"""The corpus's cross-check against negmas: its reading of the files, its frontier, its Nash point.

With the optional (AGPL) ``negmas`` package importable, :func:`negmas_check` compares one
analysed GENIUS domain with it: (1) *reader* -- is negmas's utility of every outcome a positive
affine function of ours (party by party)?  (2) *frontier* -- on our utilities, does negmas's
``pareto_frontier`` find the same Pareto-feasible utility vectors, and (3) *Nash* -- does its
``nash_points`` pick the same point (or another maximiser of the Nash product, a tie)?  negmas
is never a dependency of this package; without it every verdict is empty and the note says so.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from negotiation.errors import NegotiationError
from negotiation.io.genius.xml import _load_xml

__all__ = ["negmas_check", "format_utilities", "NEGMAS_FULL", "NEGMAS_SAMPLE"]

#: negmas is pure Python: cross-check spaces up to this size in full, larger ones on a sample.
NEGMAS_FULL = 20_000
NEGMAS_SAMPLE = 2_000

#: Largest relative residual of the affine fit still counted as agreement (float round-off).
_AFFINE_TOLERANCE = 1e-9


def format_utilities(u: np.ndarray) -> str:
    """A utility vector as the corpus table writes it: ``u1;u2;...`` (10 significant digits).

    >>> format_utilities(np.array([0.5, 1 / 3]))
    '0.5;0.3333333333'
    """
    return ";".join(f"{float(x):.10g}" for x in u)


def negmas_check(domain: Path, scenario: Any, analysis: Any) -> dict[str, str]:
    """Compare with negmas: its reading of the files, its frontier and its Nash point.

    Returns the table columns ``negmas_reader``, ``negmas_frontier``, ``negmas_nash`` (each
    ``"agree"``, ``"DISAGREE"``, another verdict or empty when not checked) and ``negmas_note``
    (the reasons, ``" | "``-separated). Spaces of more than :data:`NEGMAS_FULL` outcomes have
    their reading checked on :data:`NEGMAS_SAMPLE` sampled outcomes and no frontier check.
    Never raises for what negmas does: its failures become notes. A scenario with continuous
    issues is not cross-checked (the note says so).
    """
    out = {"negmas_reader": "", "negmas_frontier": "", "negmas_nash": "", "negmas_note": ""}
    try:
        import negmas  # noqa: F401
    except ImportError:
        out["negmas_note"] = "negmas not importable"
        return out
    if scenario.is_continuous:
        out["negmas_note"] = "continuous issues: not cross-checked"
        return out
    notes: list[str] = []
    space = scenario.space
    n = space.cardinality
    rng = np.random.default_rng(0)
    levels = space.enumerate() if n <= NEGMAS_FULL else space.sample(NEGMAS_SAMPLE, rng)
    ours = scenario.utilities(levels)
    out["negmas_reader"] = _check_reader(domain, scenario, levels, ours, notes)
    if n <= NEGMAS_FULL and not analysis.is_empty:
        out.update(_check_frontier_and_nash(scenario, analysis, levels, ours, notes))
    elif n > NEGMAS_FULL:
        notes.append(
            f"frontier/Nash not cross-checked (more than {NEGMAS_FULL:,} outcomes); "
            f"reader checked on {levels.shape[0]} sampled outcomes"
        )
    out["negmas_note"] = " | ".join(notes)
    return out


def _check_reader(
    domain: Path, scenario: Any, levels: np.ndarray, ours: np.ndarray, notes: list[str]
) -> str:
    """(1) negmas's reading of the domain folder against ours; the verdict (notes appended)."""
    from negmas import Scenario as NScenario

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ns = NScenario.from_genius_folder(domain.parent, ignore_discount=True)
    except Exception as err:  # negmas raises many kinds; report, never fail the run
        notes.append(f"negmas could not load the folder ({type(err).__name__}: {err})")
        return ""
    by_stem = {str(getattr(uf, "name", "") or ""): uf for uf in ns.ufuns}
    stems = [Path(p).stem for p in scenario.sources[1:]]
    ints = [
        all(isinstance(v, (int, np.integer)) for v in iss.values) for iss in ns.outcome_space.issues
    ]
    verdicts: list[str] = []
    explained: list[str] = []
    try:
        outcomes = [
            tuple(
                int(scenario.issues[i].levels[k]) if ints[i] else scenario.issues[i].levels[k]
                for i, k in enumerate(row)
            )
            for row in levels
        ]
        for p, stem in enumerate(stems):
            uf = by_stem.get(stem)
            name = scenario.party_names[p]
            if uf is None:
                verdicts.append(f"{name}: no negmas ufun named {stem!r}")
                continue
            theirs = np.array([float(uf(o)) for o in outcomes])
            resid = _affine_residual(ours[:, p], theirs)
            if resid <= _AFFINE_TOLERANCE:
                continue
            raw = _raw_evaluation_utility(Path(scenario.sources[1 + p]), scenario, levels)
            if raw is not None and _affine_residual(raw, theirs) <= _AFFINE_TOLERANCE:
                explained.append(name)
            else:
                verdicts.append(
                    f"{name}: negmas utility is not an increasing affine function of ours "
                    f"(relative residual {resid:.2g})"
                )
    except Exception as err:
        verdicts.append(f"could not evaluate negmas utilities ({type(err).__name__}: {err})")
    if verdicts:
        notes.extend(verdicts)
        return "DISAGREE"
    if explained:
        notes.append(
            f"negmas reads {', '.join(explained)} differently from GENIUS: raw discrete "
            "evaluations (GENIUS divides each by its issue's largest) and integer evaluators "
            "as offset + slope * x (GENIUS: clip(offset + slope * (x - lowerbound)))"
        )
        return "negmas conventions"
    return "agree"


def _check_frontier_and_nash(
    scenario: Any, analysis: Any, levels: np.ndarray, ours: np.ndarray, notes: list[str]
) -> dict[str, str]:
    """(2, 3) negmas's frontier and Nash point computed on our utilities of the feasible set."""
    from negmas.preferences import MappingUtilityFunction, nash_points, pareto_frontier

    space = scenario.space
    n = space.cardinality
    U = ours if levels.shape[0] == n else scenario.utilities(space.enumerate())
    L = levels if levels.shape[0] == n else space.enumerate()
    ok = scenario.feasible_mask(L, U)
    outs = [tuple(int(v) for v in row) for row in L[ok]]
    ufs = [
        MappingUtilityFunction(
            dict(zip(outs, map(float, U[ok][:, p]), strict=True)),
            reserved_value=float(scenario.reservations[p]),
        )
        for p in range(len(scenario.parties))
    ]
    # The disagreement point is the reservation vector (negmas would otherwise raise it to
    # each party's worst outcome when the reservation lies below it).
    ranges = [(float(scenario.reservations[p]), float(U[ok][:, p].max())) for p in range(len(ufs))]
    out: dict[str, str] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            front, _ = pareto_frontier(ufs, outcomes=outs, sort_by_welfare=True)
        theirs = {tuple(np.round(np.asarray(f, float), 9)) for f in front}
        mine = {tuple(np.round(u, 9)) for u in analysis.frontier.utilities}
        out["negmas_frontier"] = "agree" if theirs == mine else "DISAGREE"
        if theirs != mine:
            notes.append(
                f"frontier: {len(mine)} utility vectors here, {len(theirs)} in negmas, "
                f"{len(mine ^ theirs)} differ"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            npts = nash_points(ufs, front, ranges=ranges, outcomes=outs)
        out["negmas_nash"] = _nash_verdict(scenario, analysis, npts, notes)
    except Exception as err:
        notes.append(f"negmas frontier/Nash failed ({type(err).__name__}: {err})")
    return out


def _nash_verdict(scenario: Any, analysis: Any, npts: list, notes: list[str]) -> str:
    """Does negmas's first Nash point equal ours, or tie with it on the Nash product?"""
    if not npts:
        notes.append("negmas found no Nash point")
        return "none"
    nu = np.asarray(npts[0][0], float)
    mu = analysis.solutions["nash"].utilities
    if np.allclose(nu, mu, atol=1e-9):
        return "agree"
    # Ties: negmas's point may be another maximiser of the Nash product.
    d = scenario.reservations

    def product(u: np.ndarray) -> float:
        return float(np.prod(np.maximum(np.asarray(u) - d, 0)))

    if math.isclose(product(nu), product(mu), rel_tol=1e-9, abs_tol=1e-15):
        notes.append("Nash: a different point with the same Nash product (a tie)")
        return "agree"
    notes.append(f"Nash: here {format_utilities(mu)}, negmas {format_utilities(nu)}")
    return "DISAGREE"


def _affine_residual(x: np.ndarray, y: np.ndarray) -> float:
    """Relative residual of the best fit ``y = a x + b`` (``inf`` if that needs ``a <= 0``).

    >>> _affine_residual(np.array([0.0, 0.5, 1.0]), np.array([1.0, 2.0, 3.0])) < 1e-12
    True
    >>> _affine_residual(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    inf
    """
    A = np.column_stack([x, np.ones(x.size)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    if np.ptp(y) > 0 and coef[0] <= 0:
        return math.inf
    return float(np.max(np.abs(A @ coef - y))) / max(1.0, float(np.ptp(y)))


def _raw_evaluation_utility(profile: Path, scenario: Any, levels: np.ndarray) -> np.ndarray | None:
    """The utility under negmas's reading conventions, to explain a negmas disagreement.

    ``sum_i w_i e_i(x)`` with raw (undivided) discrete evaluations ``e_i`` and, for integer
    issues, ``offset + slope * x`` on the value itself (no lower bound subtracted, no clipping
    to [0, 1]); ``None`` for other kinds of profile.
    """
    try:
        root = _load_xml(profile)
        weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
        tables = {}
        for el in root.iter("issue"):
            index = int(el.get("index"))
            kind = el.get("type") or el.get("vtype") or el.get("etype") or "discrete"
            if kind == "discrete":
                tables[index] = {
                    it.get("value"): float(it.get("evaluation"))
                    for it in el.findall("item")
                    if it.get("evaluation") not in (None, "", "null")
                }
            elif kind == "integer" and el.find("evaluator") is not None:
                ev = el.find("evaluator")
                slope, offset = float(ev.get("slope", 0)), float(ev.get("offset", 0))
                tables[index] = {"slope": slope, "offset": offset}
            else:
                return None
        indices = sorted(tables)
        if len(indices) != len(scenario.issues):
            return None
        u = np.zeros(levels.shape[0])
        for i, index in enumerate(indices):
            spec, names = tables[index], scenario.issues[i].levels
            if "slope" in spec and set(spec) == {"slope", "offset"}:
                table = np.array([spec["offset"] + spec["slope"] * int(lv) for lv in names])
            else:
                table = np.array([spec[lv] for lv in names])
            u += weights.get(index, 0.0) * table[levels[:, i]]
        return u
    except (NegotiationError, KeyError, ValueError, TypeError):
        return None
