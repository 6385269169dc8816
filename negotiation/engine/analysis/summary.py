"""The text forms of an analysis: :meth:`Analysis.summary` (what ``negotiation analyze``
prints) and the notebook HTML."""

from __future__ import annotations

import pandas as pd

from negotiation.engine.analysis.result import AnalysisResult
from negotiation.engine.deal import Deal
from negotiation.engine.diagnosis import diagnosis_text
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.registry import SOLUTIONS
from negotiation.model.scenario import RESERVATION_TOL, Scenario

__all__ = ["Analysis"]


def _short(name: str) -> str:
    """The summary table's column header for a solution: the registry's ``short`` name."""
    solution = SOLUTIONS.get(name)
    return solution.short if solution is not None else name


class Analysis(AnalysisResult):
    """What :func:`~negotiation.engine.analysis.analyze` found (the attributes are
    :class:`~negotiation.engine.analysis.result.AnalysisResult`'s), with its text forms."""

    def summary(self, width: int | None = None) -> str:
        """A human-readable report: sizes, each party's range, the solutions side by side.

        ``width`` (characters, e.g. the terminal's): wide tables are wrapped into blocks of
        columns that fit (the full tables are in :meth:`to_dict` and :meth:`solutions_frame`).
        Values of continuous issues carry their unit.
        """
        out = self._header_lines()
        out.append("")
        if self.frontier.is_empty:
            return "\n".join(out + self._empty_lines())
        out.append(self._party_table(width))
        if self.solutions:
            out += self._solution_lines(width)
        if self.lotteries:
            out += self._lottery_lines()
        if self.continuous:
            out.append("")
            out.append("Exact continuous solutions:")
            frame = _with_units(self.continuous_frame(), self.scenario, digits=4)
            frame = frame.map(lambda v: f"{v:.4f}" if isinstance(v, float) else v)
            frame.columns = [_short(c) for c in frame.columns]
            out.append(frame.to_string(line_width=width))
        return "\n".join(out)

    def _header_lines(self) -> list[str]:
        """Scenario, grid, rule, sizes, frontier and notes lines of :meth:`summary`."""
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
        out += [f"Note: {note}" for note in self.notes]
        return out

    def _empty_lines(self) -> list[str]:
        """Why there is no feasible deal, for :meth:`summary`."""
        f = self.frontier
        out = ["No feasible deal: the zone of possible agreement is empty."]
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
            out.append(diagnosis_text(self.diagnosis))
        return out

    def _party_table(self, width: int | None) -> str:
        """Each party's reservation, worst and best feasible utility and power."""
        worst, best = self.worst_feasible, self.best_feasible
        rows = []
        for party in self.scenario.parties:
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
        return table.to_string(index=False, line_width=width)

    def _solution_lines(self, width: int | None) -> list[str]:
        """The deal terms x solution table (wrapped to ``width``) and the ties."""
        out = [""]
        exact = "" if self.solutions_exact else " (over the epsilon-Pareto subset)"
        out.append(f"Solutions (deal terms x solution){exact}:")
        frame = _with_units(self.solutions_frame(layout="terms"), self.scenario)
        frame = frame.map(lambda v: f"{v:.4f}" if isinstance(v, float) else v)
        frame.columns = [_short(c) for c in frame.columns]
        text = frame.to_string()
        if width and max(map(len, text.splitlines())) > width:
            # too wide: one column per distinct deal (solutions that agree share it), then
            # wrapped into blocks of columns that fit
            frame = _merge_equal_columns(frame)
            text = frame.to_string(line_width=width)
        out.append(text)
        ties = [
            f"{_short(n)}: {k - 1} other deal(s) give the same utilities"
            for n, d in self.solutions.items()
            if (k := self._equivalents(d)) > 1
        ]
        if ties:
            out.append("Ties: " + "; ".join(ties))
        return out

    def _lottery_lines(self) -> list[str]:
        """The lottery solutions: each one's mixture of frontier rows and its utilities."""
        f = self.frontier
        out = ["", "Over lotteries (randomised agreements; frontier row: probability):"]
        rows_of = _row_lookup(f)

        def part(d: Deal, p: float) -> str:
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
            mix = ", ".join(part(d, p) for d, p in zip(lot.deals, lot.probabilities, strict=True))
            utils = ", ".join(
                f"{p} {u:.4f}" for p, u in zip(self.parties, lot.utilities, strict=True)
            )
            out.append(f"  {_short(name)}: {mix} -> {utils}")
        return out

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: sizes, the rule, the solutions' utilities."""
        return _analysis_html(self)


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
        + escape(_short(n))
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
