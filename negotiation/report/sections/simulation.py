"""The "A simulated negotiation" section: one seeded run of a protocol between time-dependent
strategies (Faratin, Sierra & Jennings 1998), its trace figure and its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from negotiation.dynamics.protocols import simulate as run_protocol
from negotiation.errors import NegotiationError
from negotiation.plots import plot_trace_from_result
from negotiation.plots.colors import pretty_level
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver
from negotiation.report.prose import num
from negotiation.report.tables import write_json

__all__ = ["simulate", "simulation_section"]


def simulate(scenario: Any, seed: int) -> tuple[Any, str | None, str]:
    """One seeded simulated negotiation ``(result, None, how)``, or ``(None, why not, "")``.

    Two parties play alternating offers (Boulware against Conceder), more parties stacked
    alternating offers (all Boulware), deadline 100 offers (Faratin, Sierra & Jennings 1998).
    An error inside the run ends only this section, never the report.
    """
    agents: str | tuple[str, str]
    if len(scenario.parties) == 2:
        protocol, agents = "alternating", ("boulware", "conceder")
        how = "alternating offers, the first party playing a Boulware and the second a Conceder time-dependent strategy"
    else:
        protocol, agents = "stacked", "boulware"
        how = "stacked alternating offers, every party playing a Boulware time-dependent strategy"
    try:
        result = run_protocol(scenario, protocol, agents, seed=seed, rounds=100)
    except NegotiationError as err:
        return None, f"the simulation did not run: {err}", ""
    except Exception as err:  # an optional section must not sink the whole report
        return None, f"the simulation failed ({type(err).__name__}: {err})", ""
    return (
        result,
        None,
        f"{how} (Faratin, Sierra & Jennings 1998), deadline 100 offers, seed {seed}",
    )


def simulation_section(
    doc: Document, figs: FigureSaver, sim: Any, how: str, s: Any, colors: dict, out: Path
) -> None:
    """The run's files (``simulation.json``, ``simulation_trace.csv``), trace figure and outcome."""
    write_json(out / "simulation.json", sim.to_json())
    sim.to_frame().to_csv(out / "simulation_trace.csv", index=False)
    doc.p(
        f"One illustrative run: {how}. Simulated agents follow simple concession rules; the run "
        "shows how a deal can be reached, not how the real talks will go."
    )
    ax = plot_trace_from_result(sim, colors=colors, title="A simulated negotiation")
    figs.add(
        doc,
        ax.figure,
        "trace",
        "Each party's utility of every offer; a party's line joins its own offers (its "
        "concessions); the agreement is the vertical line with stars.",
    )
    if sim.agreement is not None:
        u = sim.agreement.utilities
        doc.p(
            f"Agreement after {sim.rounds} offers: "
            + "; ".join(
                f"{s.issue(k).display}: {pretty_level(v)}" for k, v in sim.agreement.terms.items()
            )
            + ". Utilities: "
            + ", ".join(f"{p} {num(x)}" for p, x in zip(sim.agreement.parties, u, strict=True))
            + "."
        )
    else:
        doc.p(f"No agreement: {sim.reason}.")
