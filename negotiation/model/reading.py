"""Moved to :mod:`negotiation.io.reading`; kept so that documented imports keep working.

A module ``__getattr__`` (PEP 562) imports the io layer on first use, so that the model layer
itself never imports io.
"""

from typing import Any

_MOVED = ("read_bounded",)


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # the io layer sits above the model: imported on first use only

    return getattr(importlib.import_module("negotiation.io.reading"), name)
