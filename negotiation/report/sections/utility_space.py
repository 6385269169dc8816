"""The "The utility space" section: every outcome's utilities (or a seeded sample), the zone of
agreement, the frontier and the solutions; for two parties one plane, for three or more the
matrix of pairwise planes and the parallel coordinates, each also zoomed on the zone."""

from __future__ import annotations

from typing import Any

from negotiation.plots import plot_pairwise, plot_parallel, plot_utility_space, scale_notes
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver

__all__ = ["shown_words", "utility_space_section"]

_ZOOMED = "The same, zoomed on the zone of agreement."


def utility_space_section(
    doc: Document,
    figs: FigureSaver,
    f: Any,
    points: dict[str, Any],
    markers: dict[str, Any],
    colors: dict,
    shown: str,
) -> None:
    """The utility-space figures of the frontier ``f`` over ``points`` (``outcomes``: their
    utilities, ``feasible``: their mask), with ``markers`` (solutions, equilibria, the simulated
    agreement); ``shown`` says which outcomes are drawn ("every outcome" or a sample)."""
    s = f.scenario
    names = list(s.party_names)
    doc.h(2, "The utility space")
    # what every utility-space figure shows; the zoomed ones again, on the zone of agreement
    space: dict[str, Any] = {
        "outcomes": points["outcomes"],
        "feasible": points["feasible"],
        "disagreement": s.reservations,
        "solutions": markers,
        "parties": names,
        "colors": colors,
        "axis_notes": scale_notes(s),  # points-scored parties on their own scale; bonuses
    }
    if len(names) == 2:
        _two_parties(doc, figs, f, space, shown)
    elif len(names) >= 3:
        _many_parties(doc, figs, f, space, shown)


def _two_parties(doc: Document, figs: FigureSaver, f: Any, space: dict, shown: str) -> None:
    """One utility plane, and the same zoomed on the zone of agreement."""
    ax = plot_utility_space(f.utilities, **space, title="The utility space")
    figs.add(
        doc,
        ax.figure,
        "utility_space",
        f"Each party's utility of {shown}; feasible outcomes in green, the "
        "Pareto-feasible frontier as a staircase, the solutions as labelled markers, the "
        "reservation values as dashed lines.",
    )
    if not f.is_empty:
        ax = plot_utility_space(
            f.utilities, **space, zoom=True, title="The zone of agreement (zoomed)"
        )
        figs.add(doc, ax.figure, "utility_space_zoom", _ZOOMED)


def _many_parties(doc: Document, figs: FigureSaver, f: Any, space: dict, shown: str) -> None:
    """The matrix of pairwise planes (and zoomed), and the parallel coordinates."""
    fig = plot_pairwise(f.utilities, **space, title="Utility of each pair of parties")
    figs.add(
        doc,
        fig,
        "utility_pairs",
        f"Each pair of parties' utilities over {shown}: feasible outcomes in green, "
        "Pareto-feasible deals (for all parties) as open circles with the pair's outer edge, "
        "the solutions as black markers, the reservation values dashed.",
    )
    if f.is_empty:
        return
    fig = plot_pairwise(
        f.utilities,
        **space,
        zoom=True,
        title="The zone of agreement, pair by pair (zoomed)",
    )
    figs.add(doc, fig, "utility_pairs_zoom", _ZOOMED)
    ax = plot_parallel(
        f.utilities,
        disagreement=space["disagreement"],
        solutions=space["solutions"],
        parties=space["parties"],
        colors=space["colors"],
        axis_notes=scale_notes(f.scenario),
        title="The Pareto-feasible deals, party by party",
    )
    figs.add(
        doc,
        ax.figure,
        "parallel",
        "Parallel coordinates: one grey line per Pareto-feasible deal through each "
        "party's utility, the solutions in black, each reservation value marked in the "
        "party's colour. Lines crossing between two axes are a trade-off between those "
        "parties.",
    )


def shown_words(exact: bool, n: int, seed: int) -> str:
    """Which outcomes the utility-space figures draw, in words."""
    return "every outcome" if exact else f"a uniform sample of {n:,} outcomes (seed {seed})"
