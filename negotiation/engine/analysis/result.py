"""The result of :func:`~negotiation.engine.analysis.analyze`: the record of what it found, with
its numbers (sizes, disagreement, ideal and worst feasible points), its tables (pandas) and its
JSON form (the ``negotiation analyze --json`` contract)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from negotiation.engine.continuous import ContinuousSolution
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, tie_groups
from negotiation.engine.select import MAX_ENUMERATE
from negotiation.errors import NegotiationError, NotApplicableError
from negotiation.model.scenario import AgreementRule, Scenario
from negotiation.model.space import DEFAULT_CHUNK

__all__ = ["AnalysisResult", "json_text", "DEFAULT_MAX_ENUMERATE"]

#: Spaces up to this size are enumerated by ``engine="auto"``: the one enumeration limit,
#: :data:`negotiation.engine.select.MAX_ENUMERATE` (this name kept for its importers).
DEFAULT_MAX_ENUMERATE = MAX_ENUMERATE


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """What :func:`~negotiation.engine.analysis.analyze` found: the record, its numbers, tables
    and JSON form (:class:`~negotiation.engine.analysis.Analysis` adds the text forms).

    Attributes
    ----------
    scenario
        The scenario as given (possibly with continuous issues).
    frontier
        The Pareto-feasible frontier (over the discretised scenario if it has continuous
        issues; an epsilon-Pareto subset if ``epsilon`` was given).
    solutions
        ``{name: Deal}``; empty when the feasible set is empty.
    lotteries
        ``{name: Lottery}``: the solutions over randomised agreements (empty when not asked for
        or when the feasible set is empty).
    continuous
        ``{name: ContinuousSolution}``: exact solutions of a scenario with continuous issues.
    engine
        The frontier engine used (``"enumerate"`` or ``"search"``).
    rule
        The agreement rule used.
    resolution
        Grid points per continuous issue for the frontier (``None`` for discrete scenarios).
    solutions_exact
        False when the solutions were computed on an epsilon-Pareto subset only.
    n_pareto_exact
        Size of the exact frontier (differs from ``frontier.size`` under ``epsilon``).
    notes
        Remarks for the reader (engine fall-backs, refused continuous solutions, ...).
    max_enumerate
        Spaces up to this size may be walked for :attr:`worst_feasible`.
    """

    scenario: Scenario
    frontier: Frontier
    solutions: dict[str, Deal]
    lotteries: dict[str, Lottery] = field(default_factory=dict)
    continuous: dict[str, ContinuousSolution] = field(default_factory=dict)
    engine: str = "enumerate"
    rule: AgreementRule = field(default_factory=AgreementRule)
    resolution: int | None = None
    solutions_exact: bool = True
    n_pareto_exact: int | None = None
    notes: tuple[str, ...] = ()
    max_enumerate: int = DEFAULT_MAX_ENUMERATE

    def __repr__(self) -> str:
        s = self.sizes
        return (
            f"Analysis(scenario={self.scenario.name!r}, engine={self.engine!r}, "
            f"n_outcomes={s['n_outcomes']}, n_feasible={s['n_feasible']}, "
            f"n_pareto={s['n_pareto']}, solutions={list(self.solutions)})"
        )

    # -- numbers ------------------------------------------------------------------------------
    @property
    def parties(self) -> tuple[str, ...]:
        """Party names."""
        return self.scenario.party_names

    @property
    def is_empty(self) -> bool:
        """True when no outcome is feasible (the zone of agreement is empty)."""
        return self.frontier.is_empty

    @property
    def sizes(self) -> dict[str, int | bool | None]:
        """Sizes: the space, the allowed and feasible outcomes, the frontier and its ties."""
        f = self.frontier
        return {
            "n_outcomes": int(f.n_outcomes),
            "n_allowed": None if f.n_allowed is None else int(f.n_allowed),
            "n_feasible": None if f.n_feasible is None else int(f.n_feasible),
            "n_feasible_exact": bool(f.n_feasible_exact),
            "n_pareto": int(f.size),
            "n_pareto_exact": self.n_pareto_exact,
            "n_tied": int(f.n_tied),
        }

    @property
    def disagreement(self) -> dict[str, float]:
        """The disagreement point: each party's reservation value."""
        return {p: float(r) for p, r in zip(self.parties, self.scenario.reservations, strict=True)}

    @property
    def best_feasible(self) -> dict[str, float | None]:
        """Each party's best feasible utility (the ideal point); ``None`` when nothing is feasible.

        Over an epsilon-Pareto frontier this is the best listed deal (within epsilon of the best).
        """
        if self.frontier.is_empty:
            return {p: None for p in self.parties}
        return {p: float(v) for p, v in zip(self.parties, self.frontier.ideal, strict=True)}

    @cached_property
    def worst_feasible(self) -> dict[str, float | None]:
        """Each party's worst utility over the feasible set.

        The frontier does not hold it, so it is computed on first use by walking the (discrete)
        outcome space in chunks, when the space has at most ``max_enumerate`` outcomes or was
        enumerated anyway. Otherwise ``None`` for every party: under unanimity it is at least
        the party's reservation value (see :attr:`disagreement`).
        """
        f = self.frontier
        s = f.scenario
        if f.is_empty:
            return {p: None for p in self.parties}
        if self.engine != "enumerate" and s.space.cardinality > self.max_enumerate:
            return {p: None for p in self.parties}
        worst = np.full(len(self.parties), np.inf)
        for levels in s.space.chunks(DEFAULT_CHUNK):
            allowed = s.space.allowed_mask(levels)
            if not allowed.any():
                continue
            levels = levels[allowed]
            u = s.utilities(levels)
            ok = s.passes(s.acceptable(levels, u), self.rule)
            if ok.any():
                worst = np.minimum(worst, u[ok].min(axis=0))
        return {p: float(v) for p, v in zip(self.parties, worst, strict=True)}

    @cached_property
    def diagnosis(self) -> dict | None:
        """Why the zone of agreement is empty (:func:`negotiation.engine.diagnosis.diagnose`):
        minimal conflicting sets of demands and least-bad deals; ``None`` when it is not empty
        or the diagnosis does not apply (a quota rule)."""
        if not self.frontier.is_empty:
            return None
        from negotiation.engine.diagnosis import diagnose

        try:
            return diagnose(self.frontier.scenario, rule=self.rule)
        except NotApplicableError:
            return None

    # -- tables -------------------------------------------------------------------------------
    def to_frame(self, labels: bool = False) -> pd.DataFrame:
        """The frontier: one column per issue (level names), one per party's utility."""
        return self.frontier.to_frame(labels=labels)

    def solutions_frame(self, labels: bool = False, layout: str = "solutions") -> pd.DataFrame:
        """The solutions as a typed table.

        ``layout="solutions"`` (default): one row per solution (the index), one column per issue
        (an ordered categorical of the issue's levels; a continuous issue's grid levels) and one
        float64 column per party (``"<party> utility"``).
        ``layout="terms"``: the transposed view for reading side by side, deal terms x solution
        (one column per solution, rows issue levels then utilities, object dtype). Both are
        empty when nothing is feasible.

        >>> import negotiation as ng
        >>> from negotiation.engine.analysis import analyze
        >>> f = analyze(ng.load_scenario("textbook_two_party")).solutions_frame()
        >>> str(f["Candidate utility"].dtype), str(f["remote_days"].dtype)
        ('float64', 'category')
        """
        if layout == "terms":
            return self._terms_frame(labels)
        if layout != "solutions":
            raise NegotiationError(f"layout must be 'solutions' or 'terms', got {layout!r}")
        columns: dict = {}
        names = list(self.solutions)
        # the frontier's scenario: continuous issues appear as their grid levels
        for issue in self.frontier.scenario.issues:
            head = issue.display if labels else issue.name
            values = [str(self.solutions[n].terms[issue.name]) for n in names]
            kind = pd.CategoricalDtype([str(lv) for lv in issue.levels], ordered=True)
            columns[head] = pd.Series(values, index=names, dtype=kind)
        for k, p in enumerate(self.parties):
            columns[f"{p} utility"] = pd.Series(
                [float(self.solutions[n].utilities[k]) for n in names], index=names, dtype="float64"
            )
        frame = pd.DataFrame(columns, index=pd.Index(names, name="solution"))
        return frame

    def _terms_frame(self, labels: bool = False) -> pd.DataFrame:
        """Deal terms x solution (object dtype): see :meth:`solutions_frame`."""
        issues = [i.display if labels else i.name for i in self.scenario.issues]
        index = issues + [f"{p} utility" for p in self.parties]
        data = {}
        for name, deal in self.solutions.items():
            data[name] = [deal.terms[i.name] for i in self.scenario.issues] + [
                float(u) for u in deal.utilities
            ]
        return pd.DataFrame(data, index=index, dtype=object)

    def continuous_frame(self) -> pd.DataFrame:
        """Like :meth:`solutions_frame` for the exact continuous solutions."""
        index = list(self.scenario.issue_names) + [f"{p} utility" for p in self.parties]
        data = {}
        for name, sol in self.continuous.items():
            data[name] = [sol.x[i] for i in self.scenario.issue_names] + [
                float(u) for u in sol.utilities
            ]
        return pd.DataFrame(data, index=index, dtype=object)

    def _equivalents(self, deal: Deal) -> int:
        """How many frontier deals have exactly the deal's utility vector (itself included)."""
        return int(np.all(self.frontier.utilities == deal.utilities, axis=1).sum())

    # -- text ---------------------------------------------------------------------------------
    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self, max_deals: int | None = None) -> str:
        """The analysis as the JSON text ``negotiation analyze --json`` prints (as pandas'
        ``to_json`` returns a string): :meth:`to_dict` dumped with two-space indents, UTF-8 kept,
        no NaN. The command line adds an ``"equilibria"`` key (from the games module) when it
        applies; everything else is the same text.

        >>> import json, negotiation as ng
        >>> from negotiation.engine.analysis import analyze
        >>> a = analyze(ng.load_scenario("textbook_two_party"))
        >>> json.loads(a.to_json()) == a.to_dict()
        True
        """
        return json_text(self.to_dict(max_deals=max_deals))

    def to_dict(self, max_deals: int | None = None) -> dict:
        """The analysis as plain JSON-ready data (``json.dumps`` works on it, no NaN).

        Keys: ``scenario``, ``parties``, ``issues``, ``n_outcomes``, ``n_feasible``,
        ``n_pareto``, ``pareto`` (the frontier deals with utilities; the first ``max_deals`` if
        given, with ``pareto_truncated``), ``solutions`` (``{name: {"deal", "utilities"}}``),
        ``lottery_solutions`` (``{name: {"mixture": [{"deal", "probability"}], "utilities"}}``),
        and more: ``engine``, ``rule``, ``n_allowed``, ``n_feasible_exact``, ``n_tied``,
        ``disagreement``, ``ideal``, ``worst_feasible``, ``powers``, ``epsilon``,
        ``feasible_empty_reason``, ``blocking_parties``, ``continuous_solutions``, ``notes``.
        """
        if max_deals is not None and max_deals < 0:
            raise NegotiationError(f"max_deals must be >= 0, got {max_deals}")
        s, f, sz = self.scenario, self.frontier, self.sizes
        n_list = f.size if max_deals is None else min(f.size, int(max_deals))
        groups = tie_groups(f.utilities, f.tolerance)
        counts = np.bincount(groups) if groups.size else groups
        pareto = []
        for k in range(n_list):
            entry = f.deal(k).to_dict()
            entry["tie_group"] = int(groups[k]) if counts[groups[k]] > 1 else None
            pareto.append(entry)
        sols = {}
        for name, deal in self.solutions.items():
            entry = deal.to_dict()
            entry["n_equivalent"] = self._equivalents(deal)
            sols[name] = entry
        rule = self.rule
        data: dict = {
            "scenario": s.name,
            "parties": list(self.parties),
            "issues": list(s.issue_names),
            "n_outcomes": sz["n_outcomes"],
            "n_feasible": sz["n_feasible"],
            "n_pareto": sz["n_pareto"],
            "pareto": pareto,
            "solutions": sols,
            "lottery_solutions": {n: lot.to_dict() for n, lot in self.lotteries.items()},
            "pareto_truncated": n_list < f.size,
            "n_pareto_listed": n_list,
            "engine": self.engine,
            "rule": {"quota": rule.quota, "veto": list(rule.veto)},
            "n_allowed": sz["n_allowed"],
            "n_feasible_exact": sz["n_feasible_exact"],
            "n_pareto_exact": self.n_pareto_exact,
            "n_tied": sz["n_tied"],
            "epsilon": None if f.epsilon is None else float(f.epsilon),
            "solutions_exact": self.solutions_exact,
            "disagreement": self.disagreement,
            "ideal": self.best_feasible,
            "worst_feasible": self.worst_feasible,
            "powers": {p: float(a) for p, a in zip(self.parties, s.powers, strict=True)},
            "feasible_empty_reason": f.diagnostics.get("message") if f.is_empty else None,
            "blocking_parties": list(f.diagnostics.get("blocking_parties", [])),
            "notes": list(self.notes),
        }
        if f.is_empty and self.diagnosis:
            data["diagnosis"] = self.diagnosis
        if self.resolution is not None:
            data["resolution"] = self.resolution
            data["continuous_solutions"] = {n: c.to_dict() for n, c in self.continuous.items()}
        return data


def json_text(data: object) -> str:
    """JSON text as the command line prints it: two-space indents, UTF-8 characters kept, no
    NaN or infinity (a ``ValueError`` instead)."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
