"""Moved to :mod:`negotiation.cli.store`; kept so that earlier imports keep working.

The sweep's file, its lock and its resume are the faces' part (only faces touch files); the
studies layer never imports the faces, so these names are forwarded on first use only (PEP 562).
"""

from __future__ import annotations

from negotiation._forward import forward

# Defined in the new home and forwarded by __getattr__ below.
__all__ = [  # noqa: F822
    "SweepStore",
    "StoreError",
    "StoreWarning",
    "repair_csv",
    "stored_sweep",
    "LOCK_SUFFIX",
    "META_SUFFIX",
]

__getattr__, __dir__ = forward(__name__, "negotiation.cli.store", __all__)
