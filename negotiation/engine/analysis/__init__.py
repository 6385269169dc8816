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

from negotiation.engine.analysis.pipeline import ENGINES, analyze
from negotiation.engine.analysis.result import DEFAULT_MAX_ENUMERATE, AnalysisResult, json_text
from negotiation.engine.analysis.summary import Analysis

__all__ = ["Analysis", "AnalysisResult", "analyze", "json_text", "ENGINES", "DEFAULT_MAX_ENUMERATE"]
