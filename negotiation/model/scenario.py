"""Scenarios: issues, constraints and parties, validated and compiled to arrays.

A :class:`Scenario` is immutable. Building one validates it (every error names the party, the
issue and the level), and its compiled form gives the engine what it needs:

* ``space`` -- the :class:`~negotiation.model.space.OutcomeSpace` (discrete scenarios only);
* ``tables`` -- one ``levels x parties`` float array per issue, the additive score of each level;
* ``utilities(levels)`` -- the ``N x parties`` utility matrix of a level matrix;
* ``red_line_mask``, ``acceptable``, ``feasible_mask`` -- the boolean masks of the data flow.

Utilities are summed in issue order, then the bonuses in the order given, so that every engine
that sums the same tables in the same order gets bit-identical numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.checks import (
    MAX_CLAUSES,
    MAX_ISSUES,
    MAX_PARTIES,
    check_number,
    check_table,
    check_text,
)
from negotiation.model.clauses import Bonus, Clause
from negotiation.model.compound import issue_components
from negotiation.model.issues import Issue, grid_level_name
from negotiation.model.party import ClauseSpec, Party
from negotiation.model.space import OutcomeSpace

__all__ = ["Scenario", "AgreementRule", "RESERVATION_TOL", "reservation_tolerance"]

#: Relative tolerance of the reservation test: an outcome is acceptable to a party when
#: ``u >= r - RESERVATION_TOL * max(1, |r|)``, so an outcome exactly at the reservation stays
#: acceptable after weights are normalised (floating-point sums may be off by an ulp or two).
RESERVATION_TOL = 1e-9

#: Largest (sub)space that validation enumerates to check reachability exactly.
_EXACT_CHECK_LIMIT = 2_000_000


@lru_cache(maxsize=1024)
def _component_space(
    sizes: tuple[int, ...],
    comp: tuple[int, ...],
    clauses: tuple[Clause, ...],
    bonus_clauses: tuple[Clause, ...],
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Enumerate a compound issue: its level rows, which no clause forbids, and each bonus mask.

    Cached, because sweeps rebuild scenarios that differ only in numbers, not in structure.
    """
    count = math.prod(sizes[i] for i in comp)
    sub = np.stack(np.unravel_index(np.arange(count), [sizes[i] for i in comp]), axis=1)
    full = np.zeros((count, len(sizes)), dtype=np.int64)
    full[:, list(comp)] = sub
    ok = np.ones(count, dtype=bool)
    for c in clauses:
        ok &= ~c.match(full, sizes)
    masks = tuple(c.match(full, sizes) for c in bonus_clauses)
    for a in (sub, ok, *masks):
        a.setflags(write=False)
    return sub, ok, masks


def reservation_tolerance(reservation: np.ndarray | float) -> np.ndarray:
    """Absolute tolerance of the reservation test for each reservation value."""
    r = np.asarray(reservation, dtype=float)
    return RESERVATION_TOL * np.maximum(1.0, np.abs(r))


def _finite_number(x: object, what: str, **where: str | None) -> float:
    return check_number(x, what, **where)


@dataclass(frozen=True)
class AgreementRule:
    """Who must accept for a deal to pass.

    Parameters
    ----------
    quota
        At least this many parties must find the deal acceptable; ``None`` means unanimity.
    veto
        Names of parties that must always be among the acceptors (as in multi-party scorable
        games, Susskind 1985). A single string is one name (``veto="Buyer"`` is
        ``veto=("Buyer",)``), never read letter by letter.

    Examples
    --------
    >>> AgreementRule(veto="Buyer").veto
    ('Buyer',)
    """

    quota: int | None = None
    veto: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        veto = self.veto
        if isinstance(veto, str):
            veto = (veto,)
        elif isinstance(veto, (list, tuple)):
            veto = tuple(veto)
        else:
            raise ScenarioError(f"agreement veto must be a list of party names, got {veto!r}")
        object.__setattr__(self, "veto", veto)

    def is_unanimity(self, n_parties: int) -> bool:
        """True when every party must accept."""
        return self.quota is None or self.quota >= n_parties


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

    # -- validation --------------------------------------------------------------------------
    def _validate(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScenarioError("the scenario needs a non-empty name")
        check_text(self.name, "scenario name")
        check_text(self.description, "description", multiline=True, empty=True)
        for source in self.sources:
            check_text(source, "source", multiline=True)
        if not self.issues:
            raise ScenarioError("the scenario has no issues")
        if not self.parties:
            raise ScenarioError("the scenario has no parties")
        if len(self.issues) > MAX_ISSUES:
            raise ScenarioError(
                f"the scenario has {len(self.issues)} issues, more than the {MAX_ISSUES} "
                "a scenario may have"
            )
        if len(self.parties) > MAX_PARTIES:
            raise ScenarioError(
                f"the scenario has {len(self.parties)} parties, more than the {MAX_PARTIES} "
                "a scenario may have"
            )
        seen: set[str] = set()
        for issue in self.issues:
            if not isinstance(issue, Issue):
                raise ScenarioError(f"issues must be Issue objects, got {issue!r}")
            if issue.name in seen:
                raise ScenarioError("duplicate issue name", issue=issue.name)
            seen.add(issue.name)
        names: set[str] = set()
        for party in self.parties:
            if not isinstance(party, Party):
                raise ScenarioError(f"parties must be Party objects, got {party!r}")
            if not isinstance(party.name, str) or not party.name.strip():
                raise ScenarioError(f"party name must be a non-empty string, got {party.name!r}")
            check_text(party.name, "party name")
            for attr in ("red_lines", "bonuses"):
                if not isinstance(getattr(party, attr), (tuple, list)):
                    raise ScenarioError(
                        f"{attr} must be a tuple, got {getattr(party, attr)!r}", party=party.name
                    )
            if party.name in names:
                raise ScenarioError("duplicate party name", party=party.name)
            names.add(party.name)
        n_clauses = len(self.constraints) + sum(
            len(p.red_lines) + len(p.bonuses) for p in self.parties
        )
        if n_clauses > MAX_CLAUSES:
            raise ScenarioError(
                f"the scenario has {n_clauses} constraints, red lines and bonuses, more than "
                f"the {MAX_CLAUSES} a scenario may have"
            )
        for clause in self.constraints:
            self._compile_clause(clause, what="constraint")
        for party in self.parties:
            self._validate_party(party)
        self._validate_observers()
        rule = self.agreement
        if rule.quota is not None and not (
            isinstance(rule.quota, int)
            and not isinstance(rule.quota, bool)
            and 1 <= rule.quota <= len(self.parties)
        ):
            raise ScenarioError(
                f"agreement quota must be a whole number from 1 to {len(self.parties)}, "
                f"got {rule.quota!r}"
            )
        for v in rule.veto:
            if not isinstance(v, str):
                raise ScenarioError(f"agreement veto must list party names, got {v!r}")
            if v not in names:
                raise ScenarioError(
                    f"agreement veto names unknown party (parties: {sorted(names)})", party=v
                )
        if not self.is_continuous:
            self._check_reachable()
        else:
            self._check_reachable_bound()

    # -- observers (issue 18): scored and shown, not part of the agreement rule -------------
    def _validate_observers(self) -> None:
        for party in self.parties:
            if not isinstance(party.observer, bool):
                raise ScenarioError(
                    f"observer must be true or false, got {party.observer!r}", party=party.name
                )
        n = len(self.deciders)
        if n == 0:
            raise ScenarioError("every party is an observer: nobody is left to agree")
        rule = self.agreement
        if self.has_observers and isinstance(rule.quota, int) and rule.quota > n:
            raise ScenarioError(
                f"agreement quota must be a whole number from 1 to {n} (the parties that are "
                f"not observers), got {rule.quota!r}"
            )
        for v in rule.veto:
            if v in self.party_names and self.party(v).observer:
                raise ScenarioError("an observer cannot hold a veto", party=v)

    @property
    def deciders(self) -> tuple[int, ...]:
        """Indices of the parties whose acceptance the agreement rule counts (all but the
        observers)."""
        return tuple(k for k, p in enumerate(self.parties) if not p.observer)

    @property
    def has_observers(self) -> bool:
        """True when some party is an observer (see :class:`~negotiation.model.party.Party`)."""
        return any(p.observer for p in self.parties)

    def _validate_party(self, party: Party) -> None:
        where = {"party": party.name}
        check_table(party.weights, "weights", **where)
        check_table(party.values, "values", **where)
        if party.points is not None:
            check_table(party.points, "points", **where)
        for attr, low, high in (("power", 0.0, math.inf), ("discount", 0.0, 1.0)):
            value = _finite_number(getattr(party, attr), attr, **where)
            if not (value > low and value <= high):
                raise ScenarioError(
                    f"{attr} must be in ({low:g}, {high:g}], got {value:g}"
                    if high < math.inf
                    else f"{attr} must be > 0, got {value:g}",
                    **where,
                )
        _finite_number(party.reservation, "reservation", **where)
        if party.scored_in_points:
            if party.weights or party.values:
                raise ScenarioError("give either points or weights/values, not both", **where)
            if not party.points:
                raise ScenarioError("points table is empty", **where)
            for issue_name, table in party.points.items():
                issue = self.issue(issue_name, **where)
                if issue.is_continuous:
                    raise ScenarioError("points need a discrete issue", issue=issue.name, **where)
                if not isinstance(table, Mapping):
                    raise ScenarioError(
                        "points must be a table {level = number}", issue=issue.name, **where
                    )
                for level, pts in table.items():
                    issue.level_index(level, **where)
                    _finite_number(pts, "points", issue=issue.name, level=level, **where)
                missing = [lv for lv in issue.levels if lv not in table]
                if missing:
                    raise ScenarioError(
                        f"points missing for levels {missing}", issue=issue.name, **where
                    )
        else:
            if not party.weights:
                raise ScenarioError("has no weights (nor points)", **where)
            total = 0.0
            for issue_name, w in party.weights.items():
                self.issue(issue_name, **where)
                w = _finite_number(w, "weight", issue=issue_name, **where)
                if w < 0:
                    raise ScenarioError(f"weight is negative ({w:g})", issue=issue_name, **where)
                total += w
            if total <= 0:
                raise ScenarioError("weights are all zero", **where)
            for issue_name, spec in party.values.items():
                issue = self.issue(issue_name, **where)
                values = self._issue_values(issue, spec, party.name)
                values.setflags(write=False)
                self.__dict__.setdefault("_values_cache", {})[(party.name, issue.name)] = values
        for clause in party.red_lines:
            self._compile_clause(clause, what="red line", party=party.name)
        for pair in party.bonuses:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ScenarioError(f"bonus must be (clause, value), got {pair!r}", **where)
            clause, value = pair
            self._compile_clause(clause, what="bonus", party=party.name)
            _finite_number(value, "bonus value", **where)
        for pair in party.soft_red_lines:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ScenarioError(
                    f"soft red line must be (clause, penalty), got {pair!r}", **where
                )
            clause, penalty = pair
            self._compile_clause(clause, what="soft red line", party=party.name)
            if not _finite_number(penalty, "red line penalty", **where) > 0:
                raise ScenarioError(f"red line penalty must be > 0, got {penalty!r}", **where)

    def _issue_values(self, issue: Issue, spec: object, party: str) -> np.ndarray:
        """Values of one issue's levels (discrete) or breakpoints (continuous), validated."""
        where = {"party": party, "issue": issue.name}
        if issue.is_continuous:
            if isinstance(spec, Mapping):
                raise ScenarioError(
                    "continuous issue needs piecewise-linear points [[x, v], ...]", **where
                )
            try:
                pts = np.array([[float(a), float(b)] for a, b in spec], dtype=float)  # type: ignore[union-attr]
            except (TypeError, ValueError):
                raise ScenarioError(
                    f"values must be points [[x, v], ...], got {spec!r}", **where
                ) from None
            if pts.shape[0] < 2 or not np.all(np.isfinite(pts)):
                raise ScenarioError("need at least two finite points [[x, v], ...]", **where)
            if np.any(np.diff(pts[:, 0]) <= 0):
                raise ScenarioError("points' x must be strictly increasing", **where)
            lo, hi = issue.range  # type: ignore[misc]
            if not (np.isclose(pts[0, 0], lo) and np.isclose(pts[-1, 0], hi)):
                raise ScenarioError(
                    f"points must span the issue's range [{lo:g}, {hi:g}] exactly "
                    f"(got [{pts[0, 0]:g}, {pts[-1, 0]:g}])",
                    **where,
                )
            if np.any(pts[:, 1] < 0) or np.any(pts[:, 1] > 1):
                raise ScenarioError("values must be in [0, 1]", **where)
            return pts
        if not isinstance(spec, Mapping):
            raise ScenarioError("values must be a table {level = value}", **where)
        out = np.full(issue.size, np.nan)
        for level, v in spec.items():
            k = issue.level_index(level, party=party)
            v = _finite_number(v, "value", level=level, **where)
            if not 0.0 <= v <= 1.0:
                raise ScenarioError(f"value must be in [0, 1], got {v:g}", level=level, **where)
            out[k] = v
        missing = [lv for lv, v in zip(issue.levels, out, strict=True) if np.isnan(v)]
        if missing:
            raise ScenarioError(f"values missing for levels {missing}", **where)
        return out

    def _compile_clause(self, spec: ClauseSpec, *, what: str, party: str | None = None) -> Clause:
        where = {"party": party}
        if not isinstance(spec, Mapping) or not spec:
            raise ScenarioError(f"{what} must list at least one issue", **where)
        terms: dict[int, list[int]] = {}
        for issue_name, levels in spec.items():
            if not isinstance(issue_name, str):
                raise ScenarioError(f"{what} names an issue that is not a string", **where)
            k = self._issue_position(issue_name, party=party)
            issue = self.issues[k]
            if issue.is_continuous:
                if not (
                    isinstance(levels, tuple)
                    and len(levels) == 2
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in levels)
                ):
                    raise ScenarioError(
                        f"{what} on a continuous issue needs {{min, max}}",
                        issue=issue.name,
                        **where,
                    )
                lo, hi = (
                    check_number(v, f"{what} bound", issue=issue.name, **where) for v in levels
                )
                if lo > hi:
                    raise ScenarioError(
                        f"{what} bounds need min <= max, got min {lo:g} > max {hi:g}",
                        issue=issue.name,
                        **where,
                    )
                terms[k] = []  # resolved on discretisation
                continue
            if isinstance(levels, str) or not isinstance(levels, (tuple, list)) or not levels:
                raise ScenarioError(
                    f"{what} must list levels as a non-empty list", issue=issue.name, **where
                )
            terms[k] = [issue.level_index(lv, **where) for lv in levels]
        return Clause.of(terms)

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

    def _check_reachable(self) -> None:
        """Constraints must allow some outcome, and every reservation must be reachable."""
        allowed = self._component_maxima(self.constraint_clauses, None)
        if allowed is None:
            raise ScenarioError("the constraints forbid every outcome")
        for p, party in enumerate(self.parties):
            clauses = self.constraint_clauses + self.red_line_clauses[p]
            best = self._component_maxima(clauses, p)
            if best is None:
                raise ScenarioError(
                    "the red lines and constraints forbid every outcome for this party",
                    party=party.name,
                )
            tol = float(reservation_tolerance(party.reservation))
            if best < party.reservation - tol:
                unit = " points" if party.scored_in_points else ""
                raise ScenarioError(
                    f"reservation {party.reservation:g}{unit} is above the best utility any "
                    f"allowed outcome gives ({best:.6g}{unit}): no outcome can reach it",
                    party=party.name,
                )

    def _check_reachable_bound(self) -> None:
        """With continuous issues: a reservation above an upper bound of the party's utility
        (each issue at its best level or breakpoint, every positive bonus) can never be met.

        The exact test (:meth:`_check_reachable`) runs on the discretised scenario.
        """
        for p, party in enumerate(self.parties):
            best = sum(max(float(v), 0.0) for _, v in party.bonuses)
            for i, issue in enumerate(self.issues):
                if not issue.is_continuous:
                    best += float(self.tables[i][:, p].max())
                elif not party.scored_in_points and self.weights[p, i] > 0:
                    spec = party.values.get(issue.name)
                    top = (
                        1.0
                        if spec is None
                        else float(self._issue_values(issue, spec, party.name)[:, 1].max())
                    )
                    best += self.weights[p, i] * top
            tol = float(reservation_tolerance(party.reservation))
            if best < party.reservation - tol:
                unit = " points" if party.scored_in_points else ""
                raise ScenarioError(
                    f"reservation {party.reservation:g}{unit} is above the best utility any "
                    f"outcome can give ({best:.6g}{unit}): no outcome can reach it",
                    party=party.name,
                )

    def _component_maxima(self, clauses: Sequence[Clause], party: int | None) -> float | None:
        """Exact max utility of ``party`` over outcomes matching none of ``clauses``.

        Issues tied by the clauses or the party's bonuses are grouped into compound issues and
        each group's sub-space is enumerated; ``None`` when some group has no allowed outcome.
        With ``party=None`` only allowedness is checked (returns 0.0). A group too large to
        enumerate falls back to an upper bound (so only a certainly-unreachable value fails).
        """
        bonuses = self.bonuses[party] if party is not None else []
        groups = [c.issues for c in clauses] + [b.clause.issues for b in bonuses]
        total = 0.0
        sizes = self.space.sizes
        for comp in issue_components(len(self.issues), groups):
            inside = tuple(c for c in clauses if set(c.issues) <= set(comp))
            sub_bonus = [b for b in bonuses if set(b.clause.issues) <= set(comp)]
            if not inside and not sub_bonus:
                if party is not None:
                    total += sum(float(self.tables[i][:, party].max()) for i in comp)
                continue
            count = math.prod(sizes[i] for i in comp)
            if count > _EXACT_CHECK_LIMIT:
                if party is not None:
                    total += sum(float(self.tables[i][:, party].max()) for i in comp)
                    total += sum(max(b.value, 0.0) for b in sub_bonus)
                continue
            sub, ok, masks = _component_space(
                sizes, comp, inside, tuple(b.clause for b in sub_bonus)
            )
            if not ok.any():
                return None
            if party is not None:
                u = np.zeros(count)
                for k, i in enumerate(comp):
                    u += self.tables[i][sub[:, k], party]
                for b, mask in zip(sub_bonus, masks, strict=True):
                    u += b.value * mask
                total += float(u[ok].max())
        return total

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
        out = []
        for i, issue in enumerate(self.issues):
            t = np.zeros((issue.size, len(self.parties)))
            for p, party in enumerate(self.parties if not issue.is_continuous else ()):
                if party.scored_in_points:
                    table = party.points.get(issue.name)  # type: ignore[union-attr]
                    if table is not None:
                        t[:, p] = [float(table[lv]) for lv in issue.levels]
                elif self.weights[p, i] > 0:
                    t[:, p] = self.weights[p, i] * self.values(p, i)
            t.setflags(write=False)
            out.append(t)
        return tuple(out)

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
    def utilities(self, levels: np.ndarray) -> np.ndarray:
        """``N x parties`` utility matrix of the rows of a level matrix (vectorised).

        Sums the issues' tables in issue order, then adds each party's matching bonuses.
        """
        levels = np.asarray(levels, dtype=np.int64)
        if levels.ndim != 2 or levels.shape[1] != len(self.issues):
            raise ValueError(
                f"levels must be an N x {len(self.issues)} integer matrix, got shape {levels.shape}"
            )
        u = np.zeros((levels.shape[0], len(self.parties)))
        for i, table in enumerate(self.tables):
            u += table[levels[:, i]]
        sizes = self.space.sizes
        for p, bonuses in enumerate(self.bonuses):
            for b in bonuses:
                u[:, p] += b.value * b.clause.match(levels, sizes)
        return u

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
        return ok

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

    def with_party(self, name: str, **changes: object) -> Scenario:
        """A copy with one party's fields changed (``weights``, ``reservation``, ``power``, ...).

        The new scenario is validated like any other.
        """
        self.party(name)
        parties = tuple(replace(p, **changes) if p.name == name else p for p in self.parties)
        return replace(self, parties=parties)
