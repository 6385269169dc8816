"""Coalitions among three or more parties: who can agree without whom, and at whose cost.

For every coalition ``S`` of parties:

* **zone of agreement** -- the allowed outcomes that every member of ``S`` finds acceptable (no
  red line crossed, at least its reservation), *ignoring the outsiders*; and among them those
  that every outsider rejects ("something the others reject");
* **S's best deal** -- S's Nash deal: the acceptable outcome maximising the product of the
  members' normalised gains ``g_i = (u_i - d_i) / (m_i - d_i)``, where ``m_i`` is party ``i``'s best
  utility over the outcomes it finds acceptable (the sum of gains when no outcome gives every
  member a positive gain; ties go to the outcome best for the outsiders);
* **cost to outsiders** -- each outsider's utility of S's best deal minus its reservation value
  (negative: it is worse off than with no agreement), and whether it would accept the deal.

The induced cooperative game respects the agreement rule: a coalition can impose a deal only if
it *wins* (under unanimity only the grand coalition; under a quota ``q``, any ``q`` parties
including every veto player). The transferable-utility version is

.. math::

    v(S) = \\max_{x \\text{ acceptable to all of } S} \\sum_{i \\in S} g_i(x)
           \\quad\\text{if } S \\text{ wins, else } 0,

in normalised gains (each party's gains in units of its own best gain -- a modelling choice,
since utilities are not comparable across parties), and the simple game ``w(S) = 1`` when ``S``
wins and has a zone of agreement. Reported: the core of ``v`` (Gillies 1959) by linear
programming -- the least-core value ``epsilon`` in the convention of Maschler, Peleg & Shapley
(1979), ``x(S) >= v(S) - epsilon`` for every proper coalition (the core is non-empty iff
``epsilon <= 0``), a least-core point and each party's range over the core -- and the Shapley
(1953) values of ``v`` and of ``w`` (the Shapley–Shubik 1954 power index: the share of orderings
in which a party turns a losing coalition into a winning one), exactly, over all ``2^n``
coalitions. Under unanimity every
party is a veto player: the core is every split of ``v(N)`` and the Shapley values are equal,
which is the point -- then the coalition table (who could agree on what, at whose expense)
carries the information, and so do the Shapley values of ``v0`` (the same game as if every
coalition could impose its deal), which are reported beside them.

Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the kernel, nucleolus
and related solution concepts. *Mathematics of Operations Research* 4(4), 303–338.

The outcomes are enumerated (grouped by who accepts them, see
:func:`~negotiation.dynamics.games.projection.pattern_deals`), so this needs a space of at most
a few million outcomes and at most 20 parties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from negotiation.dynamics.games.base import agreement_dict, describe
from negotiation.dynamics.games.patterns import PatternDeals, pattern_deals

# Moved to tu_game.py; re-exported so that documented imports keep working.
from negotiation.dynamics.games.tu_game import CoreResult, core, shapley_values
from negotiation.engine.deal import Deal
from negotiation.errors import NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = [
    "CoalitionAnalysis",
    "CoalitionReport",
    "coalitions",
    "shapley_values",
    "core",
    "CoreResult",
]


@dataclass(frozen=True, eq=False)
class CoalitionReport:
    """What one coalition can do alone, and what it costs the others.

    Attributes
    ----------
    members, outsiders
        Party names.
    can_agree
        Some allowed outcome is acceptable to every member.
    n_acceptable
        How many allowed outcomes every member finds acceptable.
    n_against_outsiders
        How many of those every outsider rejects; ``None`` for the grand coalition (it has no
        outsiders).
    wins
        The coalition passes the agreement rule alone.
    value
        ``v(S)`` of the TU game (0 unless it wins).
    best
        The coalition's Nash deal (``None`` when it cannot agree).
    best_against
        Its Nash deal among the outcomes every outsider rejects (``None`` if there is none).
    outsiders_at_best, outsiders_at_best_against
        ``{outsider: {"utility", "gain", "accepts", "crosses_red_line"}}`` at those deals:
        ``gain`` is utility minus reservation (negative: worse than no agreement).
    """

    members: tuple[str, ...]
    outsiders: tuple[str, ...]
    can_agree: bool
    n_acceptable: int
    n_against_outsiders: int | None
    wins: bool
    value: float
    best: Deal | None
    best_against: Deal | None
    outsiders_at_best: dict[str, dict]
    outsiders_at_best_against: dict[str, dict]

    def to_dict(self) -> dict:
        return {
            "members": list(self.members),
            "outsiders": list(self.outsiders),
            "can_agree": self.can_agree,
            "n_acceptable": self.n_acceptable,
            "n_against_outsiders": self.n_against_outsiders,
            "wins": self.wins,
            "value": self.value,
            "best_deal": agreement_dict(self.best),
            "outsiders_at_best_deal": self.outsiders_at_best,
            "best_deal_against_outsiders": agreement_dict(self.best_against),
            "outsiders_at_best_deal_against_outsiders": self.outsiders_at_best_against,
        }

    def summary(self) -> str:
        who = " + ".join(self.members)
        if not self.can_agree:
            return f"{who}: no outcome all of them accept"
        lines = [
            f"{who}: {self.n_acceptable:,} outcomes all of them accept"
            + (
                f"; {self.n_against_outsiders:,} of them rejected by every outsider "
                f"({', '.join(self.outsiders)})"
                if self.outsiders
                else ""
            ),
            f"  their Nash deal: {describe(self.best)}",
        ]

        def costs(d: dict) -> str:
            def why(v: dict) -> str:
                if v["accepts"]:
                    return "accepts"
                return "rejects: red line" if v["crosses_red_line"] else "rejects"

            return ", ".join(f"{k} {v['gain']:+.4f} ({why(v)})" for k, v in d.items())

        if self.outsiders:
            lines.append(
                f"  outsiders' gain over reservation there: {costs(self.outsiders_at_best)}"
            )
        if self.best_against is not None:
            lines.append(f"  best deal the outsiders all reject: {describe(self.best_against)}")
            lines.append(f"  outsiders' gain there: {costs(self.outsiders_at_best_against)}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class CoalitionAnalysis:
    """Every coalition's zone of agreement, the induced games, their core and Shapley values.

    Attributes
    ----------
    scenario, rule
        The scenario and the agreement rule used for "wins".
    reports
        ``{bit mask: CoalitionReport}`` for every non-empty coalition.
    value, simple
        The TU game ``v`` and the simple game ``w`` on all ``2^n`` bit masks.
    shapley, power
        Shapley values of ``v`` and of ``w`` (Shapley–Shubik power index), by party. Under
        unanimity both are equal for every party (every party is a veto player).
    shapley_unrestricted
        Shapley values of the game ``v0(S)`` = the largest sum of S's normalised gains over the
        outcomes all of S accept, *as if* any coalition could impose its deal (the agreement
        rule ignored): each party's average contribution to what coalitions could agree on.
        Unlike the two above it discriminates under unanimity.
    core
        The core of ``v`` (:class:`CoreResult`).
    ideal
        Each party's best utility over the outcomes it finds acceptable (the normalisation).
    """

    scenario: Scenario
    rule: AgreementRule
    reports: dict[int, CoalitionReport] = field(repr=False)
    value: np.ndarray = field(repr=False)
    simple: np.ndarray = field(repr=False)
    shapley: dict[str, float]
    power: dict[str, float]
    core: CoreResult
    ideal: dict[str, float]
    shapley_unrestricted: dict[str, float] = field(default_factory=dict)
    model: str = "coalitions"

    @property
    def parties(self) -> tuple[str, ...]:
        return self.scenario.party_names

    @property
    def utilities(self) -> dict[str, float]:
        """Every party's utility of the grand coalition's best deal (its Nash deal in
        normalised gains); ``{}`` when the grand coalition has no zone of agreement."""
        best = self.reports[(1 << len(self.parties)) - 1].best
        if best is None:
            return {}
        return dict(zip(best.parties, map(float, best.utilities), strict=False))

    def mask(self, members: Sequence[str] | str) -> int:
        """Bit mask of a coalition given by names (or ``"A,B"``)."""
        if isinstance(members, str):
            members = [m.strip() for m in members.split(",") if m.strip()]
        mask = 0
        for name in members:
            self.scenario.party(name)
            mask |= 1 << self.parties.index(name)
        if mask == 0:
            raise ScenarioError("a coalition needs at least one party")
        return mask

    def coalition(self, members: Sequence[str] | str) -> CoalitionReport:
        """The report of one coalition (e.g. ``("Russia", "United States")``)."""
        return self.reports[self.mask(members)]

    def table(self) -> pd.DataFrame:
        """One row per coalition: size, zone counts, wins, v(S), members' and outsiders' gains
        at the coalition's Nash deal."""
        d = self.scenario.reservations
        rows = []
        for _mask, r in sorted(self.reports.items(), key=lambda kv: (bin(kv[0]).count("1"), kv[0])):
            row = {
                "coalition": " + ".join(r.members),
                "size": len(r.members),
                "can_agree": r.can_agree,
                "n_acceptable": r.n_acceptable,
                "n_against_outsiders": r.n_against_outsiders,
                "wins": r.wins,
                "value": r.value,
            }
            for p, name in enumerate(self.parties):
                row[f"gain {name}"] = (
                    float(r.best.utilities[p] - d[p]) if r.best is not None else np.nan
                )
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def agreement(self) -> Deal | None:
        """The grand coalition's Nash deal (the feasible Nash deal under unanimity)."""
        return self.reports[(1 << len(self.parties)) - 1].best

    def to_dict(self) -> dict:
        c = self.core
        return {
            "model": self.model,
            "parties": list(self.parties),
            "rule": {"quota": self.rule.quota, "veto": list(self.rule.veto)},
            "agreement": agreement_dict(self.agreement),
            "coalitions": [
                r.to_dict()
                for _, r in sorted(
                    self.reports.items(), key=lambda kv: (bin(kv[0]).count("1"), kv[0])
                )
            ],
            "ideal": dict(self.ideal),
            "shapley": dict(self.shapley),
            "power_index": dict(self.power),
            "shapley_unrestricted": dict(self.shapley_unrestricted),
            "core": {
                "nonempty": c.nonempty,
                "least_core_epsilon": c.epsilon,
                "least_core_convention": "Maschler-Peleg-Shapley 1979: x(S) >= v(S) - epsilon; "
                "the core is non-empty iff epsilon <= 0",
                "point": dict(zip(self.parties, map(float, c.point), strict=False)),
                "bounds": (
                    {
                        p: [float(lo), float(hi)]
                        for p, (lo, hi) in zip(self.parties, c.bounds, strict=False)
                    }
                    if c.bounds is not None
                    else None
                ),
            },
        }

    def summary(self) -> str:
        n = len(self.parties)
        rule = (
            "unanimity"
            if self.rule.is_unanimity(n)
            else f"quota {self.rule.quota}"
            + (f", veto {list(self.rule.veto)}" if self.rule.veto else "")
        )
        lines = [f"Coalitions of {', '.join(self.parties)} (rule: {rule})"]
        for _mask, r in sorted(self.reports.items(), key=lambda kv: (bin(kv[0]).count("1"), kv[0])):
            if 2 <= len(r.members) < n:
                lines.append("  " + r.summary().replace("\n", "\n  "))
        unanimity = self.rule.is_unanimity(n) and not self.rule.veto
        lines.append(
            "  Shapley values of v (each party's average contribution to the joint normalised "
            "gain of the coalitions that can impose a deal): "
            + ", ".join(f"{k} {v:.3f}" for k, v in self.shapley.items())
        )
        lines.append(
            "  Shapley-Shubik power index (share of orderings in which the party turns a losing "
            "coalition into a winning one): "
            + ", ".join(f"{k} {v:.3f}" for k, v in self.power.items())
        )
        if unanimity:
            lines.append(
                "  (under unanimity every party is a veto player, so both are equal for all; the "
                "next line does discriminate)"
            )
        if self.shapley_unrestricted:
            lines.append(
                "  Shapley values if any coalition could impose its deal (who adds most to what "
                "coalitions can agree on): "
                + ", ".join(f"{k} {v:.3f}" for k, v in self.shapley_unrestricted.items())
            )
        lines.append("  " + _core_words(self.core))
        return "\n".join(lines)


def _core_words(c: CoreResult) -> str:
    """The core's state in words, with the least-core value in the convention of Maschler,
    Peleg & Shapley (1979): ``x(S) >= v(S) - epsilon`` for every proper coalition."""
    eps = c.epsilon
    if c.nonempty:
        room = (
            f"every coalition can be given {abs(eps):.4f} more than it could get alone"
            if eps < -1e-9
            else "some coalition gets exactly what it could get alone"
        )
        return f"core: non-empty, least-core epsilon {eps:+.4f} <= 0 ({room})"
    return (
        f"core: empty, least-core epsilon {eps:+.4f} > 0 (no split of v(N) is stable unless each "
        f"coalition gives up {eps:.4f} of what it could get alone)"
    )


def _pick(obj_members: np.ndarray, others: np.ndarray) -> int:
    """Row maximising the product of the members' normalised gains (sum if no product is
    positive), ties to the largest outsiders' sum, then the lowest row."""
    prod = np.prod(np.clip(obj_members, 0.0, None), axis=1)
    score = prod if prod.max() > 0 else obj_members.sum(axis=1)
    best = score.max()
    top = np.flatnonzero(score >= best - 1e-12 * max(1.0, abs(best)))
    return int(top[np.argmax(others[top])])


def coalitions(
    scenario: Scenario,
    *,
    rule: AgreementRule | None = None,
    deals: PatternDeals | None = None,
) -> CoalitionAnalysis:
    """Zones of agreement, best deals and costs to outsiders of every coalition; the induced
    TU and simple games, their core and Shapley values (see the module docstring).

    Parameters
    ----------
    scenario
        A discrete scenario (enumerable).
    rule
        The agreement rule deciding which coalitions *win* (default: the scenario's). Pass a
        hypothetical rule, e.g. ``AgreementRule(quota=3)``, to see who would be needed then.
    deals
        A ready-made :func:`~negotiation.dynamics.games.projection.pattern_deals` result.

    References
    ----------
    .. [Shapley1953] Shapley, "A value for n-person games" (1953). Full entry: docs/references.md.
    .. [ShapleyShubik1954] Shapley, Shubik, "A method for evaluating the distribution of power in a
       committee system" (1954). Full entry: docs/references.md.
    .. [Gillies1959] Gillies, "Solutions to general non-zero-sum games" (1959).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import negotiation as ng
    >>> a = coalitions(ng.load_scenario("ukraine_2025"))
    >>> a.coalition(("Russia", "United States")).can_agree
    True
    """
    rule = rule or scenario.agreement
    names = scenario.party_names
    P = len(names)
    if P < 2:
        raise ScenarioError("coalitions need at least two parties")
    if getattr(scenario, "has_observers", False):
        raise NotApplicableError(
            "the coalition analysis counts every party as a player; this scenario has "
            "observers (not needed for agreement): leave them out of the scenario to analyse "
            "coalitions"
        )
    for v in rule.veto:
        scenario.party(v)
    pdl = deals or pattern_deals(scenario)
    ideal, g = _normalised_gains(pdl, scenario.reservations)
    veto_mask = sum(1 << names.index(v) for v in rule.veto)
    need = P if rule.is_unanimity(P) else int(rule.quota)  # type: ignore[arg-type]
    value = np.zeros(1 << P)
    simple = np.zeros(1 << P)
    free = np.zeros(1 << P)  # as v, but every coalition may impose its deal (no rule)
    reports: dict[int, CoalitionReport] = {}
    for mask in range(1, 1 << P):
        wins = bin(mask).count("1") >= need and (veto_mask & mask) == veto_mask
        reports[mask], free[mask] = _coalition_report(scenario, pdl, g, mask, wins)
        value[mask] = reports[mask].value
        simple[mask] = 1.0 if wins and reports[mask].can_agree else 0.0
    sh = shapley_values(value)
    pw = shapley_values(simple)
    sh_free = shapley_values(free)
    return CoalitionAnalysis(
        scenario=scenario,
        rule=rule,
        reports=reports,
        value=value,
        simple=simple,
        shapley=dict(zip(names, map(float, sh), strict=False)),
        power=dict(zip(names, map(float, pw), strict=False)),
        shapley_unrestricted=dict(zip(names, map(float, sh_free), strict=False)),
        core=core(value),
        ideal=dict(zip(names, map(float, ideal), strict=False)),
    )


def _normalised_gains(pdl: PatternDeals, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each party's best acceptable utility, and every deal's gains over reservation in units
    of the party's best acceptable gain."""
    U = pdl.utilities
    P = U.shape[1]
    ideal = np.array(
        [U[pdl.acceptable[:, p], p].max() if pdl.acceptable[:, p].any() else d[p] for p in range(P)]
    )
    span = np.where(ideal - d > 1e-12, ideal - d, 1.0)
    return ideal, (U - d) / span


def _outsiders_at(
    scenario: Scenario, pdl: PatternDeals, k: int | None, out_idx: list[int]
) -> dict[str, dict]:
    """The outsiders' utility, gain, acceptance and red lines at deal ``k``."""
    if k is None:
        return {}
    names, d = scenario.party_names, scenario.reservations
    U = pdl.utilities
    red = scenario.red_line_mask(pdl.levels[k : k + 1])[0]
    return {
        names[j]: {
            "utility": float(U[k, j]),
            "gain": float(U[k, j] - d[j]),
            "accepts": bool(pdl.acceptable[k, j]),
            "crosses_red_line": bool(red[j]),
        }
        for j in out_idx
    }


def _coalition_report(
    scenario: Scenario, pdl: PatternDeals, g: np.ndarray, mask: int, wins: bool
) -> tuple[CoalitionReport, float]:
    """The report of the coalition ``mask`` (bit ``p`` for party ``p``), and its value when it
    may impose its deal whatever the rule (the largest sum of its normalised gains)."""
    names = scenario.party_names
    P = len(names)
    codes = pdl.codes
    members = np.array([p for p in range(P) if (mask >> p) & 1], dtype=np.int64)
    out_idx = [p for p in range(P) if not (mask >> p) & 1]
    rows = np.flatnonzero((codes & mask) == mask)
    count_codes = np.array(list(pdl.counts.keys()), dtype=np.int64)
    count_vals = np.array(list(pdl.counts.values()), dtype=np.int64)
    n_acc = int(count_vals[(count_codes & mask) == mask].sum())
    n_against = int(pdl.counts.get(mask, 0)) if out_idx else None
    others_score = g[:, out_idx].sum(axis=1) if out_idx else np.zeros(len(g))
    best = against = None
    free = value = 0.0
    if rows.size:
        best = int(rows[_pick(g[np.ix_(rows, members)], others_score[rows])])
        free = float(g[np.ix_(rows, members)].sum(axis=1).max())
        value = free if wins else 0.0
        exact = rows[codes[rows] == mask] if out_idx else np.zeros(0, dtype=np.int64)
        if exact.size:
            against = int(exact[_pick(g[np.ix_(exact, members)], others_score[exact])])
    report = CoalitionReport(
        members=tuple(names[p] for p in members),
        outsiders=tuple(names[p] for p in out_idx),
        can_agree=bool(rows.size),
        n_acceptable=n_acc,
        n_against_outsiders=n_against,
        wins=bool(wins),
        value=value,
        best=pdl.deal(best) if best is not None else None,
        best_against=pdl.deal(against) if against is not None else None,
        outsiders_at_best=_outsiders_at(scenario, pdl, best, out_idx),
        outsiders_at_best_against=_outsiders_at(scenario, pdl, against, out_idx),
    )
    return report, free
