"""The "Sensitivity of the Nash deal" section: a tornado chart, a line plot over the most
influential reservation value, and level frequencies under Monte Carlo uncertainty (the same
draws as ``negotiation sweep``); every sweep runs through :mod:`negotiation.studies.sweep`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negotiation.errors import NegotiationError
from negotiation.plots import plot_level_frequencies, plot_sensitivity, plot_tornado
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver
from negotiation.report.prose import input_words, join_words, num, pct
from negotiation.studies import sweep as sw

__all__ = ["SENSITIVITY_LIMIT", "sensitivity_section"]

#: Sensitivity sweeps run only when one analysis is this cheap (outcome space size).
SENSITIVITY_LIMIT = 300_000


@dataclass
class _Run:
    """What the three parts of the section share."""

    doc: Document
    figs: FigureSaver
    s: Any  # the discrete scenario, under the report's agreement rule
    out: Path
    seed: int
    colors: dict
    issue_labels: dict

    @property
    def names(self) -> list[str]:
        return list(self.s.party_names)

    @property
    def r(self) -> np.ndarray:
        return np.asarray(self.s.reservations, dtype=float)


def sensitivity_section(
    doc: Document,
    figs: FigureSaver,
    analysis: Any,
    out: Path,
    seed: int,
    colors: dict,
    issue_labels: dict,
    samples: int | None = None,
) -> None:
    """Vary the inputs of the Nash deal: one at a time (tornado), the most influential
    reservation value along a grid (line plot), and all at once at random (``samples`` Monte
    Carlo variants, seeded); writes the sweeps' CSV files into ``out``."""
    s = analysis.frontier.scenario
    if s.agreement != analysis.rule:  # the variants are analysed under the report's rule
        s = replace(s, agreement=analysis.rule)
    f = analysis.frontier
    if f.is_empty or "nash" not in analysis.solutions:
        doc.p("Not available: there is no Nash deal to vary.")
        return
    if s.space.cardinality > SENSITIVITY_LIMIT:
        doc.p(
            f"Skipped: the outcome space ({s.space.cardinality:,} deals) is too large to re-analyse "
            "many times inside the report; run `negotiation sweep` instead."
        )
        return
    run = _Run(doc, figs, s, out, seed, colors, issue_labels)
    # the party with the smallest gain under Nash: whose utility is most at stake
    k = int(np.argmin(np.asarray(analysis.solutions["nash"].utilities) - run.r))
    tor = _tornado(run, run.names[k])
    if tor is None:
        return
    _line(run, tor, run.names[k])
    _uncertainty(run, sw.DEFAULT_SAMPLES if samples is None else int(samples))


def _ranges(s: Any, r: np.ndarray) -> dict[str, tuple[float, float]]:
    """Each reservation value ±0.05; each party's weight of its most important issue x0.5..x1.5."""
    ranges: dict[str, tuple[float, float]] = {}
    for q, party in enumerate(s.parties):
        ranges[f"{party.name}/reservation"] = (float(r[q] - 0.05), float(r[q] + 0.05))
    for party in s.parties:  # each party's most important issue, weight x0.5 .. x1.5
        if party.scored_in_points or not party.weights:
            continue
        issue, w = max(party.weights.items(), key=lambda kv: float(kv[1]))
        ranges[f"{party.name}/weights/{issue}"] = (float(w) * 0.5, float(w) * 1.5)
    return ranges


def _tornado(run: _Run, who: str) -> pd.DataFrame | None:
    """The tornado chart of ``who``'s utility under the Nash deal (``None``: not available)."""
    doc, labels = run.doc, run.issue_labels
    try:
        tor = sw.tornado(run.s, _ranges(run.s, run.r), solution="nash", party=who)
    except NegotiationError as err:
        doc.p(f"Not available: {err}.")
        return None
    tor.to_csv(run.out / "sensitivity_tornado.csv", index=False)
    ax = plot_tornado(
        tor,
        solution="nash",
        issues=labels,
        title=f"What moves {who}'s utility under the Nash deal",
    )
    doc.p(
        "One input at a time moves to the ends of its range (each reservation value ±0.05; each "
        "party's weight of its most important issue from half to one and a half times the "
        "analyst's) while the others stay at their base values; the output is the utility of "
        f"**{who}**, the party with the smallest gain under the Nash deal."
    )
    run.figs.add(
        doc,
        ax.figure,
        "sensitivity_tornado",
        f"Tornado chart: {who}'s utility under the Nash solution at the low and high end "
        "of each input (* the Nash deal itself changes).",
    )
    top = tor.iloc[0]
    if np.isfinite(top["swing"]) and top["swing"] > 0:
        doc.p(
            f"The largest swing comes from {input_words(top['input'], labels)}: from "
            f"{num(top['u_low'])} (at {top['low']:g}) to {num(top['u_high'])} (at {top['high']:g})."
        )
    return tor


def _line(run: _Run, tor: pd.DataFrame, who: str) -> None:
    """A line plot of the Nash deal over the most influential reservation value (±0.15)."""
    names, r, labels = run.names, run.r, run.issue_labels
    res_rows = tor[tor["input"].str.endswith("/reservation")]
    path = str(res_rows.iloc[0]["input"]) if len(res_rows) else f"{who}/reservation"
    q = names.index(path.split("/")[0])
    grid = np.round(np.linspace(r[q] - 0.15, r[q] + 0.15, 11), 6)
    results = sw.run_sweep(
        run.s,
        sw.grid_samples(run.s, {path: list(grid)}),
        workers=1,
        progress=False,
        solutions=["nash"],
        baseline=None,
    )
    results.to_csv(run.out / "sensitivity_sweep.csv", index=False)
    ax = plot_sensitivity(
        results,
        path,
        solution="nash",
        colors=run.colors,
        reservations=dict(zip(names, r.tolist(), strict=True)),
        issues=labels,
        title=f"The Nash deal as {input_words(path, labels)} moves",
    )
    run.figs.add(
        run.doc,
        ax.figure,
        "sensitivity_line",
        f"Each party's utility under the Nash solution as {input_words(path, labels)} "
        "moves (dotted lines: the deal changes; the changed issues are listed).",
    )


def _uncertainty(run: _Run, n: int) -> None:
    """Monte Carlo over weights and reservations, as `negotiation sweep` draws them."""
    doc, seed, labels = run.doc, run.seed, run.issue_labels
    draws = sw.monte_carlo_samples(run.s, n, seed=seed)
    mc = sw.run_sweep(
        run.s, draws, workers=1, batch_size=250, progress=False, solutions=["nash"], baseline=None
    )
    mc.to_csv(run.out / "sensitivity_monte_carlo.csv", index=False)
    try:
        lp = sw.level_probabilities(mc, "nash")
    except NegotiationError:
        lp = pd.DataFrame()
    ok = int((mc["valid"].astype(bool) & mc["agreement"].astype(bool)).sum())
    how = (
        f"{n:,} random variants of the scenario (seed {seed}; each party's weights drawn from a "
        "Dirichlet distribution around the analyst's, concentration 50, and its reservation "
        "value uniform within ±0.05; the same draws as "
        f"`negotiation sweep --samples {n} --seed {seed}`)"
    )
    if lp.empty:
        doc.p(f"Under uncertainty: {how}. No variant had a zone of agreement.")
        return
    lp.to_csv(run.out / "level_frequencies.csv", index=False)
    ax = plot_level_frequencies(
        lp,
        issues=labels,
        levels={i.name: i.levels for i in run.s.issues},
        title=f"The Nash deal under uncertainty ({ok:,} of {n:,} variants with a deal, seed {seed})",
    )
    doc.p(f"Under uncertainty: {how}. {ok:,} of them have a zone of agreement.")
    run.figs.add(
        doc,
        ax.figure,
        "level_frequencies",
        f"How often each level of each issue is in the Nash deal across the {ok:,} variants with "
        f"a deal (of {n:,} drawn, seed {seed}).",
    )
    doc.ul(_stability_words(lp, labels, ok, n, seed))


def _stability_words(lp: pd.DataFrame, labels: dict, ok: int, n: int, seed: int) -> list[str]:
    """Which issues the Nash deal never changes, and the least settled one."""
    top_share = lp.groupby("issue")["probability"].max()
    unstable = top_share.sort_values().index[0]
    stable = [labels.get(i, i) for i, v in top_share.items() if v >= 0.999]
    words = []
    if stable:
        words.append(
            f"The Nash deal keeps the same level on {join_words(stable)} in every variant with a deal."
        )
    if top_share[unstable] < 0.999:
        words.append(
            f"The least settled issue is **{labels.get(unstable, unstable)}**: its most "
            f"frequent level is chosen in only {pct(float(top_share[unstable]))} of the "
            f"{ok:,} variants with a deal ({n:,} drawn, seed {seed})."
        )
    return words
