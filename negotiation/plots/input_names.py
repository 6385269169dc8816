"""Readable names of sweep inputs (the paths of :mod:`negotiation.studies.inputs`), for axis
and row labels."""

from __future__ import annotations

from collections.abc import Mapping

from negotiation.plots.colors import plain, pretty_level

__all__ = ["input_label"]

_FIELDS = {
    "reservation": "reservation value",
    "power": "bargaining power",
    "discount": "discount factor",
}


def input_label(path: str, issues: Mapping[str, str] | None = None) -> str:
    """A readable name of a sweep input path (see :mod:`negotiation.studies.inputs`).

    >>> input_label("Ukraine/reservation")
    'Ukraine: reservation value'
    >>> input_label("Ukraine/weights/donbas", {"donbas": "Donbas"})
    'Ukraine: weight of Donbas'
    >>> input_label("Russia/values/sanctions/phased_relief")
    "Russia: value of 'phased relief' (sanctions)"
    """
    return plain(_input_label(path, issues))


def _input_label(path: str, issues: Mapping[str, str] | None = None) -> str:
    """:func:`input_label` before :func:`~negotiation.plots.colors.plain`."""
    parts = str(path).split("/")
    if len(parts) < 2:
        return str(path)
    party, field, rest = parts[0], parts[1], parts[2:]
    labels = issues or {}
    if field in _FIELDS and not rest:
        return f"{party}: {_FIELDS[field]}"
    if field == "weights" and len(rest) == 1:
        return f"{party}: weight of {labels.get(rest[0], pretty_level(rest[0]))}"
    if field == "values" and len(rest) == 2:
        return f"{party}: value of '{pretty_level(rest[1])}' ({labels.get(rest[0], pretty_level(rest[0]))})"
    if field == "red_line" and len(rest) == 1:
        return f"{party}: red line {rest[0]} (on/off)"
    return str(path).replace("/", " / ")
