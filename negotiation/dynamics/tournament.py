"""Moved to :mod:`negotiation.studies.tournament`; kept so that documented imports keep working.

``from negotiation.dynamics.tournament import tournament`` (docs/simulation.md,
docs/howto-add-a-strategy.md) still works. A tournament is a study (it runs the dynamics over
scenarios and strategies and compares with the engine's frontier), and the dynamics layer never
imports the studies layer, so the names are forwarded on first use only (PEP 562): importing
:mod:`negotiation.dynamics` does not load the studies.
"""

from __future__ import annotations

from negotiation._forward import forward

# Defined in the new home and forwarded by __getattr__ below.
__all__ = ["tournament", "reference_points", "frontier_distance"]  # noqa: F822

__getattr__, __dir__ = forward(__name__, "negotiation.studies.tournament", __all__)
