"""Scenario items in words: a clause (``"x = a and y in {b, c}"``) and a party's possessive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["clause_text", "possessive"]


def clause_text(spec: Mapping[str, Sequence]) -> str:
    """A clause in words: ``"donbas = ukraine_withdraws and recognition in {de_jure, none}"``.

    >>> clause_text({"donbas": ("a",), "x": ("b", "c")})
    'donbas = a and x in {b, c}'
    """
    parts = []
    for issue, levels in spec.items():
        levels = tuple(levels)
        if len(levels) == 2 and all(isinstance(v, float) for v in levels):
            parts.append(f"{issue} in [{levels[0]:g}, {levels[1]:g}]")
        elif len(levels) == 1:
            parts.append(f"{issue} = {levels[0]}")
        else:
            parts.append(f"{issue} in {{{', '.join(map(str, levels))}}}")
    return " and ".join(parts)


def possessive(name: str) -> str:
    """``"Russia's"``, ``"European allies'"``.

    >>> possessive("European allies")
    "European allies'"
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"
