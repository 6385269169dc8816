"""Figures of the trade-offs: every function takes results and returns a matplotlib Figure or
Axes; nothing here reads or writes files, and nothing recomputes an analysis.

=======================================  ============================================================
function                                 what it draws
=======================================  ============================================================
:func:`plot_utility_space`               two parties' utility space: outcomes, feasible region,
                                         reservations, frontier, solutions
:func:`plot_pairwise`                    3+ parties: a matrix of the pairwise utility spaces
:func:`plot_parallel`                    3+ parties: parallel coordinates of the frontier
:func:`plot_deal_table`                  the deals as a table figure: levels, and how good for whom
:func:`plot_gains`                       who gains what: utilities under each solution vs reservation
:func:`plot_sensitivity`                 utilities under a solution as one input moves
:func:`plot_tornado`                     one-at-a-time sensitivity, largest effect on top
:func:`plot_level_frequencies`           how often each level is chosen under uncertainty
:func:`plot_trace`                       a negotiation's offers round by round, the agreement marked
=======================================  ============================================================

Each ``plot_X`` takes plain arrays; ``plot_X_from_analysis`` takes an
:class:`~negotiation.engine.analysis.Analysis`. Colours are fixed per party
(:func:`party_colors`, the Okabe–Ito palette) across every figure.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import negotiation as ng
>>> from negotiation.engine.analysis import analyze
>>> from negotiation.plots import plot_gains_from_analysis
>>> ax = plot_gains_from_analysis(analyze(ng.load_scenario("textbook_two_party")))
>>> ax.get_ylabel()
'Utility'
"""

from negotiation.plots._common import scale_notes
from negotiation.plots.colors import party_colors, solution_label
from negotiation.plots.deal_table import plot_deal_table, plot_deal_table_from_analysis
from negotiation.plots.gains import plot_gains, plot_gains_from_analysis
from negotiation.plots.input_names import input_label
from negotiation.plots.level_frequencies import plot_level_frequencies
from negotiation.plots.multiparty import (
    plot_pairwise,
    plot_pairwise_from_analysis,
    plot_parallel,
    plot_parallel_from_analysis,
)
from negotiation.plots.sensitivity import plot_sensitivity
from negotiation.plots.tornado import plot_tornado
from negotiation.plots.trace import plot_trace, plot_trace_from_records, plot_trace_from_result
from negotiation.plots.utility_space import plot_utility_space, plot_utility_space_from_analysis

__all__ = [
    "party_colors",
    "solution_label",
    "scale_notes",
    "plot_utility_space",
    "plot_utility_space_from_analysis",
    "plot_pairwise",
    "plot_pairwise_from_analysis",
    "plot_parallel",
    "plot_parallel_from_analysis",
    "plot_deal_table",
    "plot_deal_table_from_analysis",
    "plot_gains",
    "plot_gains_from_analysis",
    "plot_sensitivity",
    "plot_tornado",
    "plot_level_frequencies",
    "input_label",
    "plot_trace",
    "plot_trace_from_records",
    "plot_trace_from_result",
]
