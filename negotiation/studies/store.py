"""Moved to :mod:`negotiation.cli.store`; kept so that earlier imports keep working.

The sweep's file, its lock and its resume are the faces' part (only faces touch files); the
studies layer never imports the faces, so these names are forwarded on first use only (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import Any

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

_HOME = "negotiation.cli.store"


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(_HOME), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
