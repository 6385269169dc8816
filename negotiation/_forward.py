"""Lazy forwarders (PEP 562) for modules that moved: the old import path keeps working.

A module that moved *up* the layers (a study that lived in ``dynamics``, a file store that lived
in ``studies``) cannot be re-exported from its old path by an import: that would be an upward
edge. The old module instead defines ``__getattr__`` with :func:`forward`, which imports the new
home by name on first use only.

>>> getattr_, dir_ = forward("old.place", "negotiation.errors", ["NegotiationError"])
>>> getattr_("NegotiationError").__name__
'NegotiationError'
>>> getattr_("missing")
Traceback (most recent call last):
...
AttributeError: module 'old.place' has no attribute 'missing'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["forward"]


def forward(
    old: str, home: str, names: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for module ``old`` that forward ``names`` to module ``home``."""
    known = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name in known:
            return getattr(importlib.import_module(home), name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(known)

    return __getattr__, __dir__
