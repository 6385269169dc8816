"""The report's sections, one module each, in the order of the report.

=================  ===========================================================================
module             section
=================  ===========================================================================
``scenario``       The scenario: parties, issues and weights, red lines, sources
``zone``           The zone of agreement (and :func:`~.zone.zone_of_agreement`, its counts)
``utility_space``  The utility space (one plane, or pairwise planes and parallel coordinates)
``solutions``      The solutions side by side (deal table, lotteries, continuous, who gains)
``proposals``      Proposals: the diagnosis of an empty zone, the scorecard, the levers
``equilibria``     Equilibria of the game-theoretic models
``sensitivity``    Sensitivity of the Nash deal (tornado, line, Monte Carlo)
``simulation``     A simulated negotiation
``forecasts``      Forecasts of the political forecasting models
=================  ===========================================================================

A section is a function ``*_section(doc, ...)`` that appends headings, words, tables and
figures to a :class:`~negotiation.report.document.Document`;
:func:`negotiation.report.build.build_report` calls them in order. A new figure is one plot in
:mod:`negotiation.plots` plus one section module here and one call there.
"""
