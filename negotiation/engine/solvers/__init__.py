"""Numerical solvers shared by the bargaining solutions and the games.

Nothing here knows a scenario or a frontier: these modules work on arrays only.

=================  ===============================================================================
:mod:`.lp`         the one wrapper of scipy's HiGHS linear-programme solver (our tolerances, the
                   fallback order)
:mod:`.polytope`   a polytope with an affine gain map and its linear programmes
:mod:`.simplex`    linear programmes over lotteries on many deals, by column generation
:mod:`.leximin`    max-min and leximin (lexicographic max-min) by sequential linear programmes
:mod:`.nash_convex`  the Nash product over a convex set: master problem, column generation,
                   Newton polish
:mod:`.hull`       convex-hull vertices and Carathéodory support reduction
=================  ===============================================================================
"""
