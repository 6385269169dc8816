"""What pressure changes: apply each lever and each pair of levers, and rank them by effect.

A lever (:class:`negotiation.model.levers.Lever`) is a named what-if ("US support withdrawn:
Ukraine's reservation -0.10"). :func:`lever_effects` analyses the scenario as given (the
*baseline*), then with each lever and each pair of levers applied, and reports for each
variant: whether the zone of agreement is open, the feasible count and its change, which terms
of each solution change (and from what to what), and every party's utility change under each
solution.

Ranking (largest effect first), lexicographic:

1. the zone opens or closes (the biggest change an analyst can report);
2. the size of the change of the feasible set, ``|log((n + 1) / (n_0 + 1))|``;
3. the number of (solution, issue) terms that change;
4. the total absolute utility change under the Nash solution, ``sum_p |u_p - u_p^0|``.

A variant whose scenario is invalid (e.g. a reservation pushed above every outcome) counts as a
closed zone, with the reason in ``error``.

>>> import negotiation as ng
>>> study = lever_effects(ng.load_scenario("ukraine_2025"), pairs=False)
>>> len(study.effects) == len(ng.load_scenario("ukraine_2025").levers)
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm.auto import tqdm

from negotiation.engine.analysis import Analysis, analyze
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.levers import Lever
from negotiation.model.scenario import Scenario
from negotiation.studies.sample import DEFAULT_SOLUTIONS

__all__ = ["LeverEffect", "LeverStudy", "lever_effects", "MAX_VARIANTS"]

#: Refuse studies with more variants than this (each is one full analysis).
MAX_VARIANTS = 500


@dataclass(frozen=True)
class LeverEffect:
    """The effect of one lever or one pair of levers (see the module docstring)."""

    levers: tuple[Lever, ...]
    zone_open: bool
    n_feasible: int | None
    baseline_feasible: int | None
    baseline_open: bool
    changed_terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    utility_change: dict[str, dict[str, float]] = field(default_factory=dict)
    error: str | None = None
    solutions: dict[str, dict] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """``"a"`` or ``"a + b"``."""
        return " + ".join(lever.name for lever in self.levers)

    @property
    def opens_zone(self) -> bool:
        return self.zone_open and not self.baseline_open

    @property
    def closes_zone(self) -> bool:
        return self.baseline_open and not self.zone_open

    @property
    def score(self) -> tuple[float, float, float, float]:
        """The ranking key (larger is a bigger effect)."""
        n, n0 = self.n_feasible or 0, self.baseline_feasible or 0
        nash = self.utility_change.get("nash", {})
        return (
            float(self.opens_zone or self.closes_zone),
            abs(math.log((n + 1) / (n0 + 1))),
            float(sum(len(v) for v in self.changed_terms.values())),
            float(sum(abs(v) for v in nash.values())),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "levers": [lever.name for lever in self.levers],
            "labels": [lever.display for lever in self.levers],
            "changes": [c for lever in self.levers for c in lever.to_dict()["changes"]],
            "sources": [lever.source for lever in self.levers],
            "zone_open": self.zone_open,
            "opens_zone": self.opens_zone,
            "closes_zone": self.closes_zone,
            "n_feasible": self.n_feasible,
            "delta_n_feasible": None
            if self.n_feasible is None or self.baseline_feasible is None
            else self.n_feasible - self.baseline_feasible,
            "changed_terms": self.changed_terms,
            "utility_change": self.utility_change,
            "solutions": self.solutions,
            "error": self.error,
        }


@dataclass(frozen=True, eq=False)
class LeverStudy:
    """The baseline and the ranked lever effects."""

    scenario: Scenario
    baseline: Analysis
    effects: list[LeverEffect]

    def to_json(self) -> dict[str, Any]:
        """``{scenario, baseline: {...}, levers: [effect, ...]}`` ranked, largest effect first."""
        b = self.baseline
        return {
            "scenario": self.scenario.name,
            "baseline": {
                "zone_open": not b.is_empty,
                "n_feasible": b.sizes["n_feasible"],
                "solutions": {n: d.to_dict() for n, d in b.solutions.items()},
            },
            "levers": [dict(e.to_dict(), rank=k) for k, e in enumerate(self.effects, 1)],
        }

    def summary(self) -> str:
        """The ranking in words, one line per variant and the changed terms under it."""
        b = self.baseline
        n0 = b.sizes["n_feasible"]
        out = [
            f"Levers of {self.scenario.name}: {len(self.effects)} variant(s), ranked by effect "
            f"(baseline: {'open' if not b.is_empty else 'EMPTY'} zone, {n0:,} feasible)"
        ]
        for k, e in enumerate(self.effects, 1):
            zone = (
                "OPENS the zone"
                if e.opens_zone
                else "CLOSES the zone"
                if e.closes_zone
                else ("zone open" if e.zone_open else "zone empty")
            )
            delta = "" if e.n_feasible is None or n0 is None else f" ({e.n_feasible - n0:+,})"
            n = "?" if e.n_feasible is None else f"{e.n_feasible:,}"
            out.append(f"{k:>2}. {e.name}: {zone}; feasible {n}{delta}")
            for lever in e.levers:
                out.append(f"      {lever.display}: {lever.describe()}")
            if e.opens_zone and "nash" in e.solutions:
                terms = ", ".join(f"{i}={v}" for i, v in e.solutions["nash"]["deal"].items())
                out.append(f"      new Nash deal: {terms}")
            for sol, diff in e.changed_terms.items():
                terms = ", ".join(f"{i} {a} -> {b_}" for i, (a, b_) in diff.items())
                out.append(f"      {sol} deal changes: {terms}")
            du = e.utility_change.get("nash")
            if du and any(abs(v) > 1e-12 for v in du.values()):
                out.append(
                    "      Nash utility change: "
                    + ", ".join(f"{p} {v:+.3f}" for p, v in du.items())
                )
            if e.error:
                out.append(f"      invalid variant: {e.error}")
        return "\n".join(out)


def _effect(baseline: Analysis, levers: tuple[Lever, ...], solutions: Sequence[str]) -> LeverEffect:
    s0 = baseline.scenario
    n0 = baseline.sizes["n_feasible"]
    try:
        variant = s0
        for lever in levers:
            variant = lever.apply_unchecked(variant)
    except ScenarioError as err:
        return LeverEffect(levers, False, 0, n0, not baseline.is_empty, error=str(err))
    a = analyze(variant, solutions=list(solutions), lotteries=False, continuous=False)
    changed: dict[str, dict[str, list[str]]] = {}
    du: dict[str, dict[str, float]] = {}
    for name in solutions:
        old, new = baseline.solutions.get(name), a.solutions.get(name)
        if old is None or new is None:
            continue
        diff = {i: [old.terms[i], new.terms[i]] for i in old.terms if old.terms[i] != new.terms[i]}
        if diff:
            changed[name] = diff
        du[name] = {
            p: float(u1 - u0)
            for p, u0, u1 in zip(s0.party_names, old.utilities, new.utilities, strict=True)
        }
    return LeverEffect(
        levers,
        not a.is_empty,
        a.sizes["n_feasible"],
        n0,
        not baseline.is_empty,
        changed_terms=changed,
        utility_change=du,
        solutions={n: d.to_dict() for n, d in a.solutions.items()},
    )


def lever_effects(
    scenario: Scenario,
    levers: Sequence[Lever] | None = None,
    *,
    pairs: bool = True,
    solutions: Sequence[str] = DEFAULT_SOLUTIONS,
    progress: bool = False,
) -> LeverStudy:
    """Apply each lever and each pair of levers; rank the variants by effect.

    Parameters
    ----------
    scenario
        The scenario (its ``[[lever]]`` tables are used when ``levers`` is ``None``).
    levers
        The levers to study.
    pairs
        Also every pair of distinct levers.
    solutions
        The solutions whose terms are compared.
    progress
        A progress bar over the variants (tqdm).

    Raises
    ------
    NegotiationError
        No levers, or more than :data:`MAX_VARIANTS` variants.
    """
    levers = list(scenario.levers if levers is None else levers)
    if not levers:
        raise NegotiationError(
            f"scenario {scenario.name!r} has no [[lever]] tables (see docs/howto-evaluate-a-proposal.md)"
        )
    for lever in levers:
        lever.check(scenario)
        lever.check_red_lines(scenario)
    variants: list[tuple[Lever, ...]] = [(lever,) for lever in levers]
    if pairs:
        variants += list(itertools.combinations(levers, 2))
    if len(variants) > MAX_VARIANTS:
        raise NegotiationError(
            f"{len(variants)} lever variants are more than {MAX_VARIANTS}: study fewer levers "
            "or no pairs"
        )
    baseline = analyze(scenario, solutions=list(solutions), lotteries=False, continuous=False)
    effects = [
        _effect(baseline, v, solutions)
        for v in tqdm(variants, desc="levers", disable=None if progress else True)
    ]
    order = sorted(range(len(effects)), key=lambda k: tuple(-x for x in effects[k].score) + (k,))
    return LeverStudy(scenario, baseline, [effects[k] for k in order])
