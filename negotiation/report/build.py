"""The report: every figure, the tables, the JSON, and one document a reader can open.

:func:`build_report` analyses a scenario (or takes a finished
:class:`~negotiation.engine.analysis.Analysis`) and writes into one folder:

* ``figures/*.png`` (and ``.svg``/``.pdf``): the utility space (two parties) or the matrix of
  pairwise utility spaces and the parallel coordinates (three or more), each also zoomed on the
  zone of agreement; the solutions' deal table; who gains what; the sensitivity of the Nash deal
  (tornado chart, a line plot, level frequencies under uncertainty) and a simulated negotiation's
  trace;
* ``frontier.csv``, ``solutions.csv`` (and the sensitivity and simulation tables);
* ``analysis.json`` (:meth:`Analysis.to_dict`, plus the equilibria when available);
* ``report.md`` (figures referenced as files) and ``report.html`` (self-contained: figures
  embedded as PNG data URIs, so it opens anywhere).

The report describes the scenario (parties, issues, weights, red lines, sources), the zone of
agreement, the solutions side by side, and the main trade-offs in words generated from the numbers
(:func:`~negotiation.report.prose.describe_trade_offs`). Every report says, at the top, that a
scenario is a model for analysis, not a forecast.

This module only orchestrates: the document model is :mod:`negotiation.report.document`, the
sentences :mod:`negotiation.report.prose`, each section one module of
:mod:`negotiation.report.sections`; the figures come from :mod:`negotiation.plots`, which only
draws. With the command line, the report is the one place that writes files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from negotiation.engine.analysis import analyze
from negotiation.errors import NegotiationError
from negotiation.io import load_scenario
from negotiation.plots.colors import party_colors
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver
from negotiation.report.files import snapshot, written_since
from negotiation.report.prose import FORECAST_NOTE, describe_trade_offs, ordered_solutions
from negotiation.report.sections.equilibria import equilibria as equilibria_of
from negotiation.report.sections.equilibria import equilibria_section, equilibrium_points
from negotiation.report.sections.forecasts import forecasts_section
from negotiation.report.sections.proposals import proposals_section
from negotiation.report.sections.scenario import scenario_section
from negotiation.report.sections.sensitivity import sensitivity_section
from negotiation.report.sections.simulation import simulate, simulation_section
from negotiation.report.sections.solutions import solutions_section
from negotiation.report.sections.utility_space import shown_words, utility_space_section
from negotiation.report.sections.zone import sample_outcomes, zone_of_agreement, zone_section
from negotiation.report.tables import write_json, write_tables

__all__ = ["DEFAULT_MAX_OUTCOMES", "MAX_REPORT_SAMPLES", "build_report"]

#: At most this many outcomes are drawn in the utility-space figures (a seeded sample above it).
DEFAULT_MAX_OUTCOMES = 1_000_000

#: At most this many Monte Carlo variants in the report (run in one process; minutes at most).
MAX_REPORT_SAMPLES = 100_000


def _resolve(obj: Any) -> Any:
    """An Analysis as it is; a Scenario, scenario name or file analysed with the defaults."""
    if hasattr(obj, "frontier") and hasattr(obj, "solutions"):
        return obj
    if isinstance(obj, (str, Path)):
        obj = load_scenario(obj)
    if not hasattr(obj, "parties") or not hasattr(obj, "issues"):
        raise NegotiationError(
            f"build_report needs a Scenario, a scenario name/file or an Analysis, got {type(obj).__name__}"
        )
    return analyze(obj)


def _check_samples(samples: int | None) -> None:
    if samples is not None and not (isinstance(samples, int) and samples >= 1):
        raise NegotiationError(f"samples must be a whole number >= 1, got {samples!r}")
    if samples is not None and samples > MAX_REPORT_SAMPLES:
        raise NegotiationError(
            f"the report draws at most {MAX_REPORT_SAMPLES:,} Monte Carlo variants, got "
            f"{samples:,}; run `negotiation sweep` for more (it shows progress and resumes)"
        )


# size: the numpy docstring of the public entry point (every option, an example) is most of it
def build_report(
    scenario_or_analysis: Any,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg"),
    seed: int = 0,
    dpi: int = 150,
    max_outcomes: int = DEFAULT_MAX_OUTCOMES,
    sensitivity: bool = True,
    simulation: bool = True,
    equilibria: bool = True,
    samples: int | None = None,
    progress: bool | None = False,
) -> Path:
    """Write the report, figures, tables and JSON of a scenario into ``out_dir``.

    Parameters
    ----------
    scenario_or_analysis
        A :class:`~negotiation.model.scenario.Scenario`, a scenario name or file, or an
        :class:`~negotiation.engine.analysis.Analysis` (then nothing is re-analysed).
    out_dir
        The folder to write (created if needed; files of the same names are overwritten: the
        command line refuses to overwrite files it did not write, see
        :mod:`negotiation.cli.outdir`). The "Files" section lists only what this call wrote.
    formats
        Figure formats besides PNG (always written: the HTML embeds it): ``"svg"``, ``"pdf"``.
    seed
        Seed of every random step: the outcome sample (when the space has more than
        ``max_outcomes`` outcomes), the Monte Carlo sensitivity and the simulation.
    dpi
        Resolution of the PNG figures.
    max_outcomes
        Outcomes drawn in the utility-space figures; larger spaces are sampled uniformly.
    progress
        Show a progress bar (one step per figure) on stderr: ``True``, ``False``, or ``None``
        for "only when stderr is a terminal" (tqdm's ``disable=None``).
    sensitivity, simulation, equilibria
        Include these sections (each only when its module is available and, for the
        sensitivity sweeps, when one analysis is cheap; otherwise the report says why not).
    samples
        Monte Carlo variants in the uncertainty section (default
        :data:`negotiation.studies.sweep.DEFAULT_SAMPLES`, the default of ``negotiation
        sweep``: for the same seed and number the two give the same level probabilities).

    Returns
    -------
    pathlib.Path
        The path of ``report.html`` (``report.md`` and the rest are next to it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = build_report("textbook_two_party", d, formats=("png",), sensitivity=False,
    ...                         simulation=False)
    ...     sorted(p.name for p in path.parent.iterdir() if p.is_file())
    ['analysis.json', 'frontier.csv', 'lotteries.csv', 'report.html', 'report.md', 'solutions.csv']
    """
    _check_samples(samples)
    analysis = _resolve(scenario_or_analysis)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = snapshot(out)  # the "Files" section lists only what this run writes
    figs = FigureSaver(out, formats, dpi)
    if progress is not False:
        figs.bar = tqdm(
            desc="report figures", unit="figure", disable=None if progress is None else False
        )
    f = analysis.frontier
    s = f.scenario  # discrete (the one the frontier was computed on)
    names = list(s.party_names)
    colors = party_colors(names)
    sols = ordered_solutions(analysis)
    doc = Document()
    data = analysis.to_dict()
    on = not f.is_empty
    eq, eq_why = (
        equilibria_of(analysis.scenario) if equilibria and on and len(names) >= 2 else (None, None)
    )
    if eq:
        data["equilibria"] = eq
    write_tables(analysis, out)
    levels, exact = sample_outcomes(s, max_outcomes, seed)
    U = s.utilities(levels)
    zone = zone_of_agreement(s, U, levels, analysis.rule)
    feasible = zone.pop("feasible_mask")
    _front_matter(doc, analysis, zone, exact)
    # the simulation runs before the figures: its agreement is a marker
    sim, sim_why, sim_how = simulate(s, seed) if simulation and on else (None, None, "")
    markers: dict[str, Any] = dict(sols)
    markers.update(equilibrium_points(eq, names))
    if sim is not None and sim.agreement is not None:
        markers["simulated"] = np.asarray(sim.agreement.utilities, dtype=float)
    points = {"outcomes": U, "feasible": feasible}
    shown = shown_words(exact, levels.shape[0], seed)
    utility_space_section(doc, figs, f, points, markers, colors, shown)
    solutions_section(doc, figs, analysis, sols, markers, colors)
    doc.h(2, "The main trade-offs")
    doc.ul(describe_trade_offs(analysis))
    proposals_section(doc, figs, analysis, colors, data)  # the diagnosis, proposals, levers
    if equilibria:
        doc.h(2, "Equilibria")
        if eq:
            equilibria_section(doc, eq, names)
        else:
            doc.p("Not available: " + (eq_why or "the zone of agreement is empty") + ".")
    if sensitivity:
        doc.h(2, "Sensitivity of the Nash deal")
        issue_labels = {i.name: i.display for i in s.issues}
        sensitivity_section(doc, figs, analysis, out, seed, colors, issue_labels, samples)
    if simulation:
        doc.h(2, "A simulated negotiation")
        if sim is None:
            doc.p("Not available: " + (sim_why or "the zone of agreement is empty") + ".")
        else:
            simulation_section(doc, figs, sim, sim_how, s, colors, out)
    forecasts_section(doc, figs, analysis, data)  # political forecasting models (issue 16)
    path = _finish(doc, out, before, data, analysis.scenario.name)
    if figs.bar is not None:
        figs.bar.close()
    return path


def _front_matter(doc: Document, analysis: Any, zone: dict, exact: bool) -> None:
    """The title, the note that a scenario is no forecast, the scenario and the zone."""
    scenario = analysis.scenario
    doc.h(1, f"Negotiation analysis: {scenario.name}")
    doc.note(FORECAST_NOTE)
    if scenario.description:
        doc.p(" ".join(scenario.description.split()))
    scenario_section(doc, scenario, analysis.frontier.scenario)
    doc.h(2, "The zone of agreement")
    zone_section(doc, analysis, zone, exact)


def _finish(doc: Document, out: Path, before: dict, data: dict, name: str) -> Path:
    """``analysis.json``, the "Files" section (what this run wrote), report.md and .html."""
    write_json(out / "analysis.json", data)
    doc.h(2, "Files")
    files = [x for x in written_since(out, before) if x not in ("report.md", "report.html")]
    doc.p(
        "Written next to this report: "
        + ", ".join(f"`{x}`" for x in files + ["report.md", "report.html"])
        + "."
    )
    (out / "report.md").write_text(doc.to_markdown(), encoding="utf-8")
    path = out / "report.html"
    path.write_text(doc.to_html(f"Negotiation analysis: {name}"), encoding="utf-8")
    return path
