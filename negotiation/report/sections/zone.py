"""The "The zone of agreement" section, and the counts it rests on (:func:`zone_of_agreement`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from negotiation.report.document import Document
from negotiation.report.prose import num, pct

__all__ = ["sample_outcomes", "zone_of_agreement", "zone_section"]


def zone_of_agreement(
    scenario: Any, utilities: np.ndarray, levels: np.ndarray, rule: Any = None
) -> dict[str, Any]:
    """Counts of the zone of agreement over a set of outcomes (all of them, or a sample).

    Returns ``n`` (outcomes looked at), ``allowed`` (no joint constraint forbids them),
    ``feasible`` (the agreement rule passes), and per party ``accepts`` (allowed outcomes the
    party finds acceptable on its own: at least its reservation, no red line crossed) and
    ``red_line`` (allowed outcomes crossing one of its red lines).
    """
    allowed = scenario.space.allowed_mask(levels)
    acc = scenario.acceptable(levels, utilities)
    red = scenario.red_line_mask(levels)
    feasible = allowed & scenario.passes(acc, rule)
    names = scenario.party_names
    return {
        "n": int(levels.shape[0]),
        "allowed": int(allowed.sum()),
        "feasible": int(feasible.sum()),
        "accepts": {p: int((acc[:, k] & allowed).sum()) for k, p in enumerate(names)},
        "red_line": {p: int((red[:, k] & allowed).sum()) for k, p in enumerate(names)},
        "feasible_mask": feasible,
    }


def sample_outcomes(scenario: Any, max_outcomes: int, seed: int) -> tuple[np.ndarray, bool]:
    """Level matrix of all outcomes, or of a seeded uniform sample when there are more."""
    space = scenario.space
    if space.cardinality <= max_outcomes:
        return space.enumerate(), True
    return space.sample(max_outcomes, seed=seed), False


def zone_section(doc: Document, analysis: Any, zone: dict, exact: bool) -> None:
    """The sizes of the zone (possible, allowed, feasible, Pareto-feasible deals) and, per party,
    the share of deals it accepts on its own, its red lines, reservation and best feasible
    utility; ``zone`` comes from :func:`zone_of_agreement` (over every outcome when ``exact``)."""
    sz = analysis.sizes
    f = analysis.frontier
    n = sz["n_outcomes"]
    feas = sz["n_feasible"]
    feas_txt = (
        "unknown"
        if feas is None
        else f"{feas:,}" + ("" if sz["n_feasible_exact"] else " (estimated)")
    )
    share = f" ({pct(feas / n)} of all deals)" if feas is not None and n else ""
    allowed = sz["n_allowed"]
    allowed_txt = (
        f"{allowed:,} are allowed by the joint constraints, " if allowed is not None else ""
    )
    doc.p(
        f"Of {n:,} possible deals, {allowed_txt}{feas_txt}{share} are **feasible** — acceptable to the "
        f"parties under the agreement rule (at least each party's reservation value, no red line "
        f"crossed) — and **{sz['n_pareto']:,}** of those are **Pareto-feasible**: no other feasible "
        "deal is at least as good for every party and better for one."
    )
    for note in getattr(analysis, "notes", ()):
        doc.p(f"Note: {note}")
    if f.is_empty:
        msg = f.diagnostics.get("message", "")
        doc.p("**The zone of agreement is empty.** " + (f"Why: {msg}" if msg else ""))
    names = list(analysis.frontier.scenario.party_names)
    base = zone["allowed"] or 1
    source = (
        "all allowed deals"
        if exact
        else f"a sample of {zone['n']:,} deals ({zone['allowed']:,} allowed)"
    )
    rows = []
    r = analysis.frontier.scenario.reservations
    best = analysis.best_feasible
    for k, p in enumerate(names):
        rows.append(
            [
                p,
                pct(zone["accepts"][p] / base),
                pct(zone["red_line"][p] / base),
                num(r[k]),
                "—" if best[p] is None else num(best[p]),
                "—"
                if f.is_empty
                else f"{num(f.utilities[:, k].min())}–{num(f.utilities[:, k].max())}",
            ]
        )
    doc.table(
        [
            "Party",
            "Accepts on its own",
            "Crosses its red lines",
            "Reservation",
            "Best feasible",
            "Range on the frontier",
        ],
        rows,
    )
    k = int(np.argmin([zone["accepts"][p] for p in names]))
    doc.p(
        f"Shares are of {source}. **{names[k]}** accepts the fewest deals on its own "
        f"({pct(zone['accepts'][names[k]] / base)}): its demands bind the zone of agreement most."
    )
