"""``analyze()``: the zone of agreement, the Pareto-feasible frontier and the solutions, in one call.

:func:`analyze` picks a frontier engine, computes the bargaining solutions (deterministic and over
lotteries, and the exact continuous ones for continuous issues) and returns an :class:`Analysis`:
a thin holder of the results with tables (pandas), a text summary and a JSON form.

>>> import negotiation as ng
>>> from negotiation.engine.analysis import analyze
>>> a = analyze(ng.load_scenario("textbook_two_party"))
>>> a.sizes["n_feasible"], a.sizes["n_pareto"]
(19, 5)
>>> a.solutions["nash"].terms["remote_days"]
'two_days'

Engines: ``"enumerate"`` (:func:`negotiation.engine.frontier.enumerate_frontier`) walks the
whole outcome space in chunks; ``"search"`` (:func:`negotiation.engine.search.search_frontier`)
builds the exact frontier issue by issue for spaces far too large to enumerate; ``"auto"``
enumerates spaces of at most ``max_enumerate`` outcomes, and always under a quota rule (the
search needs unanimity), and searches the others.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from negotiation.engine.continuous import ContinuousSolution, continuous_solutions
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, enumerate_frontier, tie_groups
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.select import choose_engine
from negotiation.engine.solutions import SOLUTIONS
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.scenario import RESERVATION_TOL, AgreementRule, Scenario
from negotiation.model.space import DEFAULT_CHUNK

__all__ = ["Analysis", "analyze", "json_text", "ENGINES", "DEFAULT_MAX_ENUMERATE"]

#: The engine choices of :func:`analyze`.
ENGINES = ("auto", "enumerate", "search")

#: Spaces up to this size are enumerated by ``engine="auto"``.
DEFAULT_MAX_ENUMERATE = 2_000_000

#: Short column headers for the summary table.
_SHORT = {
    "nash": "Nash",
    "asymmetric_nash": "asym. Nash",
    "kalai_smorodinsky": "Kalai-Smor.",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}

_INDEXABLE = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class Analysis:
    """What :func:`analyze` found.

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
    def summary(self, width: int | None = None) -> str:
        """A human-readable report: sizes, each party's range, the solutions side by side.

        ``width`` (characters, e.g. the terminal's): wide tables are wrapped into blocks of
        columns that fit (the full tables are in :meth:`to_dict` and :meth:`solutions_frame`).
        Values of continuous issues carry their unit.
        """
        s, f, sz = self.scenario, self.frontier, self.sizes
        out = [
            f"Scenario: {s.name} ({_count(len(s.parties), 'party', 'parties')}, "
            f"{_count(len(s.issues), 'issue')})",
        ]
        if self.resolution is not None:
            out.append(
                f"Continuous issues are discretised on {self.resolution} grid points for the "
                "frontier; exact continuous solutions below."
            )
        rule = self.rule
        if rule.is_unanimity(len(s.parties)) and not rule.veto:
            out.append("Agreement rule: unanimity")
        else:
            q = rule.quota if rule.quota is not None else len(s.parties)
            veto = f", vetoes: {', '.join(rule.veto)}" if rule.veto else ""
            out.append(f"Agreement rule: at least {q} of {len(s.parties)} parties accept{veto}")
        nf = sz["n_feasible"]
        share = (
            f" ({100.0 * nf / sz['n_outcomes']:.3g}% of the space)"
            if nf is not None and sz["n_outcomes"]
            else ""
        )
        feas = (
            "unknown"
            if nf is None
            else f"{nf:,}" + ("" if sz["n_feasible_exact"] else " (estimate)")
        )
        out.append(f"Outcome space: {sz['n_outcomes']:,} outcomes; feasible: {feas}{share}")
        eps = ""
        if f.epsilon:
            of = "" if self.n_pareto_exact is None else f" of {self.n_pareto_exact:,}"
            eps = f" (an epsilon-Pareto subset, epsilon={f.epsilon:g}{of})"
        tied = (
            "no two with the same utilities"
            if not sz["n_tied"]
            else f"{sz['n_tied']:,} of them tie with another deal on every party's utility"
        )
        out.append(
            f"Pareto-feasible deals: {sz['n_pareto']:,}{eps} ({tied}) [engine: {self.engine}]"
        )
        for note in self.notes:
            out.append(f"Note: {note}")
        out.append("")
        if f.is_empty:
            out.append("No feasible deal: the zone of possible agreement is empty.")
            msg = f.diagnostics.get("message")
            if msg:
                out.append(f"Why: {msg}")
            counts = f.diagnostics.get("acceptable_counts")
            if counts:
                out.append(
                    "Outcomes each party accepts on its own: "
                    + ", ".join(f"{p} {c:,}" for p, c in counts.items())
                )
            if self.diagnosis:
                from negotiation.engine.diagnosis import diagnosis_text

                out.append(diagnosis_text(self.diagnosis))
            return "\n".join(out)
        worst, best = self.worst_feasible, self.best_feasible
        rows = []
        for _p, party in enumerate(s.parties):
            w = worst[party.name]
            rows.append(
                [
                    party.name + (" (observer)" if party.observer else ""),
                    f"{party.reservation:.4g}",
                    "n/a" if w is None else f"{w:.4g}",
                    f"{best[party.name]:.4g}",
                    f"{party.power:g}",
                ]
            )
        table = pd.DataFrame(
            rows, columns=["party", "reservation", "worst feasible", "best feasible", "power"]
        )
        out.append(table.to_string(index=False, line_width=width))
        if self.solutions:
            out.append("")
            exact = "" if self.solutions_exact else " (over the epsilon-Pareto subset)"
            out.append(f"Solutions (deal terms x solution){exact}:")
            frame = _with_units(self.solutions_frame(layout="terms"), s)
            frame = frame.map(lambda v: f"{v:.4f}" if isinstance(v, float) else v)
            frame.columns = [_SHORT.get(c, c) for c in frame.columns]
            text = frame.to_string()
            if width and max(map(len, text.splitlines())) > width:
                # too wide: one column per distinct deal (solutions that agree share it), then
                # wrapped into blocks of columns that fit
                frame = _merge_equal_columns(frame)
                text = frame.to_string(line_width=width)
            out.append(text)
            ties = [
                f"{_SHORT.get(n, n)}: {k - 1} other deal(s) give the same utilities"
                for n, d in self.solutions.items()
                if (k := self._equivalents(d)) > 1
            ]
            if ties:
                out.append("Ties: " + "; ".join(ties))
        if self.lotteries:
            out.append("")
            out.append("Over lotteries (randomised agreements; frontier row: probability):")
            rows_of = _row_lookup(f)

            def part(d, p: float) -> str:
                k = rows_of.get(_key(d))
                if k is not None:
                    return f"row {k}: {p:.3f}"
                # Nash (1950): a lottery may mix in a deal that one party would reject alone
                r = f.disagreement
                below = [
                    n
                    for n, u, ri in zip(self.parties, d.utilities, r, strict=True)
                    if u < ri - RESERVATION_TOL * max(1.0, abs(ri))
                ]
                who = f", rejected alone by {', '.join(below)}" if below else ""
                return f"a deal off the frontier{who}: {p:.3f}"

            for name, lot in self.lotteries.items():
                mix = ", ".join(
                    part(d, p) for d, p in zip(lot.deals, lot.probabilities, strict=True)
                )
                utils = ", ".join(
                    f"{p} {u:.4f}" for p, u in zip(self.parties, lot.utilities, strict=True)
                )
                out.append(f"  {_SHORT.get(name, name)}: {mix} -> {utils}")
        if self.continuous:
            out.append("")
            out.append("Exact continuous solutions:")
            frame = _with_units(self.continuous_frame(), s, digits=4)
            frame = frame.map(lambda v: f"{v:.4f}" if isinstance(v, float) else v)
            frame.columns = [_SHORT.get(c, c) for c in frame.columns]
            out.append(frame.to_string(line_width=width))
        return "\n".join(out)

    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self, max_deals: int | None = None) -> str:
        """The analysis as the JSON text ``negotiation analyze --json`` prints (as pandas'
        ``to_json`` returns a string): :meth:`to_dict` dumped with two-space indents, UTF-8 kept,
        no NaN. The command line adds an ``"equilibria"`` key (from the games module) when it
        applies; everything else is the same text.

        >>> import json, negotiation as ng
        >>> a = analyze(ng.load_scenario("textbook_two_party"))
        >>> json.loads(a.to_json()) == a.to_dict()
        True
        """
        return json_text(self.to_dict(max_deals=max_deals))

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: sizes, the rule, the solutions' utilities."""
        return _analysis_html(self)

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


def _merge_equal_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns with identical values merged into one headed ``"A = B"`` (first-seen order)."""
    groups: list[list[str]] = []
    for col in frame.columns:
        for g in groups:
            if frame[g[0]].tolist() == frame[col].tolist():
                g.append(col)
                break
        else:
            groups.append([col])
    merged = pd.DataFrame({" = ".join(g): frame[g[0]] for g in groups}, index=frame.index)
    return merged


def _count(n: int, word: str, plural: str | None = None) -> str:
    """``1 issue``, ``3 issues`` (with thousands separators)."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _with_units(frame: pd.DataFrame, scenario: Scenario, digits: int | None = None) -> pd.DataFrame:
    """The issue rows of a terms x solution frame with the unit of each continuous issue
    appended to its values (``60 %``); other rows unchanged."""
    frame = frame.copy()
    for issue in scenario.issues:
        unit = getattr(issue, "unit", None)
        if not unit or issue.name not in frame.index:
            continue

        def fmt(v, unit=unit):
            num = f"{v:.{digits}g}" if digits and isinstance(v, float) else str(v)
            return f"{num} {unit}" if unit != "%" else f"{num}%"

        frame.loc[issue.name] = [fmt(v) for v in frame.loc[issue.name]]
    return frame


def _unreachable_reservation(scenario: Scenario) -> str | None:
    """A message when a weighted party's reservation lies above the best utility it can have at
    all (1 plus its positive bonuses: values are in [0, 1] and weights sum to 1)."""
    for p in scenario.parties:
        if p.scored_in_points:
            continue
        best = 1.0 + sum(max(0.0, float(v)) for _, v in p.bonuses)
        if p.reservation > best * (1 + 1e-9):
            return (
                f"party {p.name!r}: reservation {p.reservation:g} is above the best possible "
                f"utility {best:g} (a weighted party's utilities run from 0 to 1, plus bonuses): "
                "no deal can ever satisfy it"
            )
    return None


def json_text(data: object) -> str:
    """JSON text as the command line prints it: two-space indents, UTF-8 characters kept, no
    NaN or infinity (a ``ValueError`` instead)."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def _analysis_html(a: Analysis) -> str:
    """The HTML summary of :meth:`Analysis._repr_html_` (escaped; no figures, no scripts)."""
    from html import escape

    sz = a.sizes
    head = (
        f"<b>Analysis of {escape(a.scenario.name)}</b>: {sz['n_outcomes']:,} outcomes, "
        + ("feasible unknown" if sz["n_feasible"] is None else f"{sz['n_feasible']:,} feasible")
        + f", {sz['n_pareto']:,} Pareto-feasible (engine: {escape(a.engine)})"
    )
    if a.is_empty:
        return f"<div>{head}<br>No feasible deal: the zone of agreement is empty.</div>"
    rows = "".join(
        "<tr><th>"
        + escape(_SHORT.get(n, n))
        + "</th>"
        + "".join(f"<td>{u:.4f}</td>" for u in d.utilities)
        + "</tr>"
        for n, d in a.solutions.items()
    )
    header = "<tr><th>solution</th>" + "".join(f"<th>{escape(p)}</th>" for p in a.parties) + "</tr>"
    return (
        f"<div>{head}<table>{header}{rows}</table>"
        "<small>Utilities of each party under each solution; "
        "<code>.solutions_frame()</code> has the deals.</small></div>"
    )


def _key(deal: Deal) -> tuple[int, ...]:
    return tuple(int(v) for v in deal.levels)


def _row_lookup(frontier: Frontier) -> dict[tuple[int, ...], int]:
    return {tuple(int(v) for v in row): k for k, row in enumerate(frontier.levels)}


# -- the facade -------------------------------------------------------------------------------
def _check_rule(rule: AgreementRule, scenario: Scenario) -> AgreementRule:
    P = len(scenario.parties)
    if rule.quota is not None and not (isinstance(rule.quota, int) and 1 <= rule.quota <= P):
        raise ScenarioError(
            f"agreement quota must be a whole number from 1 to {P}, got {rule.quota!r}"
        )
    for v in rule.veto:
        if v not in scenario.party_names:
            raise ScenarioError(
                f"agreement veto names unknown party (parties: {list(scenario.party_names)})",
                party=v,
            )
    return rule


def _search(scenario: Scenario, rule: AgreementRule, epsilon: float | None, progress: bool):
    try:
        from negotiation.engine.search import search_frontier
    except ImportError:
        return None
    return search_frontier(scenario, rule=rule, epsilon=epsilon, progress=progress)


def analyze(
    scenario: Scenario | str | Path,
    *,
    engine: str = "auto",
    rule: AgreementRule | None = None,
    epsilon: float | None = None,
    solutions: list[str] | tuple[str, ...] | None = None,
    lotteries: bool = True,
    max_enumerate: int = DEFAULT_MAX_ENUMERATE,
    progress: bool = False,
    resolution: int = 21,
    continuous: bool = True,
) -> Analysis:
    """Analyse a negotiation: feasible set, Pareto-feasible frontier, bargaining solutions.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, or a scenario file / bundled scenario name.
    engine
        ``"auto"`` (the cheaper engine by an estimate made before any work, see
        :func:`negotiation.engine.select.choose_engine`; enumeration under a quota rule, the
        search above ``max_enumerate`` outcomes), ``"enumerate"`` or ``"search"``.
    rule
        Agreement rule; defaults to the scenario's own (unanimity unless it says otherwise).
    epsilon
        Return an additive epsilon-Pareto subset of the frontier (every frontier deal is within
        ``epsilon`` of a listed one, in every party's utility). With enumeration the solutions
        are still computed on the exact frontier; with the search engine on the subset.
    solutions
        Names from :data:`negotiation.engine.solutions.SOLUTIONS` (default: all).
    lotteries
        Also compute the solutions over lotteries.
    max_enumerate
        Above this many outcomes ``"auto"`` always uses the search (where it applies).
    progress
        Show progress bars (tqdm) in the engines.
    resolution
        Grid points per continuous issue for the frontier of a continuous scenario.
    continuous
        For a scenario with continuous issues, also solve exactly
        (:mod:`negotiation.engine.continuous`); a refusal is recorded in ``notes``.

    Returns
    -------
    Analysis
        Never raises for an empty feasible set: the solutions are then empty and the frontier's
        diagnosis says which parties' red lines or reservations empty it.

    Raises
    ------
    NegotiationError
        Unknown engine or solution name, a bad epsilon, or an engine that cannot run (for
        example a space too large to enumerate when the search engine is unavailable).
    """
    if isinstance(scenario, (str, Path)):
        from negotiation.model.loader import load_scenario

        scenario = load_scenario(scenario)
    if engine not in ENGINES:
        raise NegotiationError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    names = list(SOLUTIONS) if solutions is None else list(solutions)
    unknown = [n for n in names if n not in SOLUTIONS]
    if unknown:
        raise NegotiationError(f"unknown solution(s) {unknown} (known: {', '.join(SOLUTIONS)})")
    if epsilon is not None and not (
        isinstance(epsilon, (int, float)) and math.isfinite(epsilon) and epsilon > 0
    ):
        raise NegotiationError(f"epsilon must be a positive number, got {epsilon!r}")
    rule = _check_rule(rule or scenario.agreement, scenario)
    notes: list[str] = []
    kinds = {p.scored_in_points for p in scenario.parties}
    if len(kinds) == 2:
        notes.append(
            "some parties score in points and others in normalised utilities: the utilitarian "
            "and egalitarian solutions compare utilities in different units"
        )
    discrete = scenario
    res_used = None
    exact_continuous: dict[str, ContinuousSolution] = {}
    if scenario.is_continuous:
        res_used = int(resolution)
        try:
            discrete = scenario.discretize(res_used)
        except ScenarioError as err:
            beyond = _unreachable_reservation(scenario)
            if beyond:  # no grid helps: say what is wrong
                raise ScenarioError(beyond) from None
            raise ScenarioError(
                f"on the grid of {res_used} points per continuous issue: {err} "
                "(try a finer resolution)"
            ) from None
        if continuous:
            try:
                exact_continuous = continuous_solutions(scenario, names, rule=rule)
            except NotApplicableError as err:
                notes.append(f"exact continuous solutions not computed: {err}")
            except InfeasibleError as err:
                notes.append(f"exact continuous solutions: {err}")
    n = discrete.space.cardinality
    # a quota rule, or observers (whose reservations do not bind), needs enumeration
    quota = not rule.is_unanimity(len(discrete.parties)) or discrete.has_observers
    frontier = None
    used = engine
    if engine == "auto":
        used = choose_engine(discrete, rule, max_enumerate=max_enumerate)
    if used == "search":
        try:
            frontier = _search(discrete, rule, epsilon, progress)
        except NotApplicableError as err:
            if engine == "search" or n > 50 * max_enumerate or n > _INDEXABLE:
                raise
            notes.append(f"search engine not applicable ({err}); enumerated instead")
            used = "enumerate"
        else:
            if frontier is None:
                if engine == "search" or n > 50 * max_enumerate or n > _INDEXABLE:
                    raise NotApplicableError(
                        f"scenario {scenario.name!r}: the outcome space has {n:.3e} outcomes, "
                        f"more than max_enumerate={max_enumerate:,}, and the search engine "
                        "(negotiation.engine.search) is not available"
                    )
                notes.append("search engine not available; enumerated instead")
                used = "enumerate"
    if used == "enumerate":
        if n > _INDEXABLE:
            raise NotApplicableError(
                f"scenario {scenario.name!r}: {n:.3e} outcomes are too many to enumerate"
                + (" (a quota rule needs enumeration)" if quota else "; use engine='search'")
            )
        frontier = enumerate_frontier(discrete, rule=rule, progress=progress)
    assert frontier is not None
    n_exact = frontier.size
    exact = frontier.epsilon is None
    # Solutions on the frontier we have (the exact one under enumeration).
    sols: dict[str, Deal] = {}
    lots: dict[str, Lottery] = {}
    if not frontier.is_empty:
        for name in names:
            sols[name] = SOLUTIONS[name](frontier)
        if lotteries:
            for name in names:
                lots[name] = LOTTERY_SOLUTIONS[name](frontier)
    if epsilon is not None and frontier.epsilon is None and not frontier.is_empty:
        keep = pareto_mask(frontier.utilities, eps=epsilon)
        frontier = replace(
            frontier,
            levels=frontier.levels[keep],
            utilities=frontier.utilities[keep],
            epsilon=float(epsilon),
        )
    return Analysis(
        scenario=scenario,
        frontier=frontier,
        solutions=sols,
        lotteries=lots,
        continuous=exact_continuous,
        engine=frontier.engine,
        rule=rule,
        resolution=res_used,
        solutions_exact=exact,
        n_pareto_exact=n_exact if exact else None,
        notes=tuple(notes),
        max_enumerate=max_enumerate,
    )
