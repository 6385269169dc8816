"""Scenarios: issues, constraints and parties, validated and compiled to arrays.

A :class:`Scenario` is immutable. Building one validates it (every error names the party, the
issue and the level), and its compiled form gives the engine what it needs:

* ``space`` -- the :class:`~negotiation.model.space.OutcomeSpace` (discrete scenarios only);
* ``tables`` -- one ``levels x parties`` float array per issue, the additive score of each level;
* ``utilities(levels)`` -- the ``N x parties`` utility matrix of a level matrix;
* ``red_line_mask``, ``acceptable``, ``feasible_mask`` -- the boolean masks of the data flow.

Utilities are summed in issue order, then the bonuses in the order given, by the one evaluator
(:mod:`negotiation.model.utility`), so that every engine gets bit-identical numbers. Validation
lives in :mod:`negotiation.model.validation` and :mod:`negotiation.model.reachability`, the
agreement rule and the reservation test's tolerance in :mod:`negotiation.model.agreement`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.agreement import RESERVATION_TOL, AgreementRule, reservation_tolerance
from negotiation.model.clauses import Bonus, Clause
from negotiation.model.issues import Issue, grid_level_name
from negotiation.model.party import ClauseSpec, Party
from negotiation.model.reachability import check_reachable, check_reachable_bound
from negotiation.model.space import OutcomeSpace
from negotiation.model.utility import UtilityFunction, score_tables
from negotiation.model.validation import compile_clause, issue_values, validate

__all__ = ["Scenario", "AgreementRule", "RESERVATION_TOL", "reservation_tolerance"]


@dataclass(frozen=True)
class Scenario:
    """A negotiation: issues, constraints and parties.

    Parameters
    ----------
    name
        Name of the scenario.
    issues
        The issues, in order.
    parties
        The parties, in order (at least one; most analyses need two).
    constraints
        Clauses ``{issue: (level, ...)}`` that forbid every matching outcome for everybody.
    description, sources
        Free text: what the scenario is, and where its numbers come from.
    agreement
        The agreement rule (unanimity by default).
    file
        The file it was loaded from, if any (not part of equality).

    Examples
    --------
    >>> s = Scenario("toy", (Issue("x", ("a", "b")),),
    ...              (Party("A", {"x": 1}), Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.0}})))
    >>> s.utilities(s.space.enumerate()).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """

    name: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    constraints: tuple[ClauseSpec, ...] = ()
    description: str = ""
    sources: tuple[str, ...] = ()
    agreement: AgreementRule = field(default_factory=AgreementRule)
    file: str | None = field(default=None, compare=False)
    #: Plans on the table (:class:`~negotiation.model.proposals.Proposal`), as data. They are
    #: checked against the scenario when a file is loaded and when they are used, not when a
    #: scenario is derived (a projection on fewer parties keeps them as they were written).
    proposals: tuple = ()
    #: Named what-ifs (:class:`~negotiation.model.levers.Lever`), as data (checked likewise).
    levers: tuple = ()

    def __repr__(self) -> str:  # a summary, not a dump of every weight (issue 18)
        from negotiation.model.display import scenario_repr

        return scenario_repr(self)

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks (:func:`negotiation.model.display.scenario_html`)."""
        from negotiation.model.display import scenario_html

        return scenario_html(self)

    def __post_init__(self) -> None:
        for attr in ("issues", "parties", "constraints", "sources", "proposals", "levers"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        try:
            self._validate()
        except ScenarioError as err:
            raise err.in_file(self.file) if self.file else err from None

    # -- validation (negotiation.model.validation, negotiation.model.reachability) -----------
    def _validate(self) -> None:
        validate(self)
        if not self.is_continuous:
            check_reachable(self)
        else:
            check_reachable_bound(self)

    @property
    def deciders(self) -> tuple[int, ...]:
        """Indices of the parties whose acceptance the agreement rule counts (all but the
        observers)."""
        return tuple(k for k, p in enumerate(self.parties) if not p.observer)

    @property
    def has_observers(self) -> bool:
        """True when some party is an observer (see :class:`~negotiation.model.party.Party`)."""
        return any(p.observer for p in self.parties)

    def _issue_values(self, issue: Issue, spec: object, party: str) -> np.ndarray:
        """Values of one issue's levels or breakpoints, validated (see
        :func:`~negotiation.model.validation.issue_values`)."""
        return issue_values(issue, spec, party)

    def _compile_clause(self, spec: ClauseSpec, *, what: str, party: str | None = None) -> Clause:
        return compile_clause(self, spec, what=what, party=party)

    def _issue_position(self, name: str, **where: str | None) -> int:
        positions = self.__dict__.get("_positions")
        if positions is None:
            positions = {issue.name: k for k, issue in enumerate(self.issues)}
            self.__dict__["_positions"] = positions
        k = positions.get(name) if isinstance(name, str) else None
        if k is not None:
            return k
        raise ScenarioError(
            f"unknown issue (the issues are {[i.name for i in self.issues]})",
            issue=str(name),
            **where,
        )

    def issue(self, name: str, **where: str | None) -> Issue:
        """The named issue; :class:`ScenarioError` naming it if unknown."""
        return self.issues[self._issue_position(name, **where)]

    def party(self, name: str) -> Party:
        """The named party; :class:`ScenarioError` if unknown."""
        for p in self.parties:
            if p.name == name:
                return p
        raise ScenarioError(f"unknown party (the parties are {list(self.party_names)})", party=name)

    # -- compiled form -----------------------------------------------------------------------
    @property
    def party_names(self) -> tuple[str, ...]:
        """Names of the parties, in order."""
        return tuple(p.name for p in self.parties)

    @property
    def issue_names(self) -> tuple[str, ...]:
        """Names of the issues, in order."""
        return tuple(i.name for i in self.issues)

    @property
    def is_continuous(self) -> bool:
        """True if any issue is continuous (discretise before enumerating)."""
        return any(i.is_continuous for i in self.issues)

    @cached_property
    def space(self) -> OutcomeSpace:
        """The discrete outcome space with the scenario's constraints."""
        return OutcomeSpace(self.issues, self.constraint_clauses)

    @cached_property
    def constraint_clauses(self) -> tuple[Clause, ...]:
        """The constraints compiled to level-index clauses."""
        return tuple(self._compile_clause(c, what="constraint") for c in self.constraints)

    @cached_property
    def red_line_clauses(self) -> tuple[tuple[Clause, ...], ...]:
        """Each party's red lines compiled to level-index clauses."""
        return tuple(
            tuple(self._compile_clause(c, what="red line", party=p.name) for c in p.red_lines)
            for p in self.parties
        )

    @cached_property
    def bonuses(self) -> tuple[tuple[Bonus, ...], ...]:
        """Each party's bonuses compiled to level-index clauses; a soft red line with penalty
        ``c`` is a bonus of ``-c`` (after the party's own bonuses)."""
        return tuple(
            tuple(
                Bonus(self._compile_clause(c, what="bonus", party=p.name), float(v))
                for c, v in p.bonuses
            )
            + tuple(
                Bonus(self._compile_clause(c, what="soft red line", party=p.name), -float(v))
                for c, v in p.soft_red_lines
            )
            for p in self.parties
        )

    @cached_property
    def weights(self) -> np.ndarray:
        """``parties x issues`` normalised weights (rows sum to 1; zeros for points parties)."""
        out = np.zeros((len(self.parties), len(self.issues)))
        for p, party in enumerate(self.parties):
            if party.scored_in_points:
                continue
            for name, w in party.weights.items():
                out[p, self._issue_position(name)] = float(w)
            out[p] /= out[p].sum()
        return out

    def values(self, party: int, issue: int) -> np.ndarray:
        """Value of each level of a discrete issue for a weights-and-values party (in [0, 1])."""
        p, iss = self.parties[party], self.issues[issue]
        spec = p.values.get(iss.name)
        if spec is None:
            return np.linspace(0.0, 1.0, iss.size) if iss.size > 1 else np.ones(1)
        cached = self.__dict__.get("_values_cache", {}).get((p.name, iss.name))
        return cached if cached is not None else self._issue_values(iss, spec, p.name)

    @cached_property
    def tables(self) -> tuple[np.ndarray, ...]:
        """Per issue, a ``levels x parties`` array: each level's additive score for each party.

        ``w_i * v_i(level)`` for a weights-and-values party, its points for a points party.
        A continuous issue has no levels until discretised: its table is empty (``0 x parties``).
        """
        return score_tables(self)

    @cached_property
    def reservations(self) -> np.ndarray:
        """Reservation value of each party (the disagreement point)."""
        return np.array([float(p.reservation) for p in self.parties])

    @cached_property
    def powers(self) -> np.ndarray:
        """Bargaining power of each party."""
        return np.array([float(p.power) for p in self.parties])

    @cached_property
    def discounts(self) -> np.ndarray:
        """Discount factor of each party."""
        return np.array([float(p.discount) for p in self.parties])

    # -- the masks and the utility matrix ---------------------------------------------------
    @cached_property
    def utility_function(self) -> UtilityFunction:
        """Every party's compiled utility function (:class:`~negotiation.model.utility.UtilityFunction`)."""
        return UtilityFunction.of(self)

    def utilities(self, levels: np.ndarray) -> np.ndarray:
        """``N x parties`` utility matrix of the rows of a level matrix (vectorised).

        Sums the issues' tables in issue order, then adds each party's matching bonuses.
        """
        return self.utility_function(levels)

    def red_line_mask(self, levels: np.ndarray) -> np.ndarray:
        """``N x parties`` boolean: True where the outcome crosses one of the party's red lines."""
        levels = np.asarray(levels)
        out = np.zeros((levels.shape[0], len(self.parties)), dtype=bool)
        sizes = self.space.sizes
        for p, clauses in enumerate(self.red_line_clauses):
            for c in clauses:
                out[:, p] |= c.match(levels, sizes)
        return out

    def acceptable(self, levels: np.ndarray, utilities: np.ndarray | None = None) -> np.ndarray:
        """``N x parties`` boolean: the outcome crosses no red line of the party and gives it at
        least its reservation value (``u >= r - tol``, see :data:`RESERVATION_TOL`)."""
        u = self.utilities(levels) if utilities is None else utilities
        r = self.reservations
        return (u >= r - reservation_tolerance(r)) & ~self.red_line_mask(levels)

    def passes(self, acceptable: np.ndarray, rule: AgreementRule | None = None) -> np.ndarray:
        """Which rows of an ``N x parties`` acceptance matrix pass the agreement rule (the
        columns of observers are ignored: their acceptance is neither needed nor counted)."""
        rule = rule or self.agreement
        if self.has_observers:  # observers' acceptance is not needed (nor counted)
            acceptable_ = acceptable[:, list(self.deciders)]
            n = len(self.deciders)
        else:
            acceptable_, n = acceptable, len(self.parties)
        if rule.is_unanimity(n):
            ok = acceptable_.all(axis=1)
        else:
            ok = acceptable_.sum(axis=1) >= int(rule.quota)  # type: ignore[arg-type]
        for v in rule.veto:
            ok &= acceptable[:, self.party_names.index(v)]
        return np.asarray(ok)

    def feasible_mask(
        self,
        levels: np.ndarray,
        utilities: np.ndarray | None = None,
        rule: AgreementRule | None = None,
    ) -> np.ndarray:
        """True for outcomes allowed by the constraints that pass the agreement rule
        (under unanimity: individually rational for every party and crossing no red line)."""
        ok = self.space.allowed_mask(levels)
        return ok & self.passes(self.acceptable(levels, utilities), rule)

    # -- transformations ---------------------------------------------------------------------
    def discretize(self, resolution: int = 21) -> Scenario:
        """A discrete copy: every continuous issue becomes ``resolution`` evenly spaced levels.

        Piecewise-linear values are evaluated at the grid points; a ``{min, max}`` clause on a
        continuous issue becomes the grid levels inside ``[min, max]``.
        """
        if not self.is_continuous:
            return self
        grids = {i.name: i.grid(resolution) for i in self.issues if i.is_continuous}
        issues = tuple(i.discretize(resolution) if i.is_continuous else i for i in self.issues)

        def clause(spec: ClauseSpec) -> dict[str, tuple]:
            out = {}
            for name, lv in spec.items():
                if name in grids:
                    lo, hi = lv
                    g = grids[name]
                    inside = g[(g >= lo - 1e-12) & (g <= hi + 1e-12)]
                    if inside.size == 0:
                        raise ScenarioError(
                            f"no grid point of resolution {resolution} lies in [{lo:g}, {hi:g}]",
                            issue=name,
                        )
                    out[name] = tuple(grid_level_name(x) for x in inside)
                else:
                    out[name] = tuple(lv)
            return out

        parties = []
        for party in self.parties:
            values = dict(party.values)
            for name, g in grids.items() if not party.scored_in_points else ():
                issue = self.issue(name)
                if name in values:
                    pts = self._issue_values(issue, values[name], party.name)
                    v = np.interp(g, pts[:, 0], pts[:, 1])
                else:
                    v = (g - g[0]) / (g[-1] - g[0])
                values[name] = {grid_level_name(x): float(y) for x, y in zip(g, v, strict=True)}
            parties.append(
                replace(
                    party,
                    values=values,
                    red_lines=tuple(clause(c) for c in party.red_lines),
                    bonuses=tuple((clause(c), v) for c, v in party.bonuses),
                    soft_red_lines=tuple((clause(c), v) for c, v in party.soft_red_lines),
                )
            )
        return replace(
            self,
            issues=issues,
            parties=tuple(parties),
            constraints=tuple(clause(c) for c in self.constraints),
        )

    def with_party(self, name: str, **changes: Any) -> Scenario:
        """A copy with one party's fields changed (``weights``, ``reservation``, ``power``, ...).

        The new scenario is validated like any other.
        """
        self.party(name)
        parties = tuple(replace(p, **changes) if p.name == name else p for p in self.parties)
        return replace(self, parties=parties)
