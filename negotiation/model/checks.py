"""Type and text checks shared by the scenario readers (TOML, GENIUS XML, GeniusWeb JSON).

Every reader turns a file into plain Python data and then into a
:class:`~negotiation.model.scenario.Scenario`. The checks here make sure that data has the right
*type* before anything is built from it (a string where a table is expected is an error with the
party and issue named, never a ``TypeError`` from deep inside), and that every name and label is
printable text: a party called ``"Sel\\x1b[2J\\x07ler"`` would clear the user's terminal when a
table is printed, so control and other non-printable characters are refused at load time.

The model's size bounds live here too (:data:`MAX_LEVELS`, :data:`MAX_ISSUES`, :data:`MAX_PARTIES`):
above them the work that validation and analysis do per level, issue or party would explode, so
such a scenario is refused with a clear message rather than left to run out of memory or time.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np

from negotiation.errors import ScenarioError

__all__ = [
    "MAX_LEVELS",
    "MAX_ISSUES",
    "MAX_PARTIES",
    "MAX_CLAUSES",
    "MAX_FILE_BYTES",
    "check_text",
    "check_table",
    "check_list",
    "check_number",
    "bad_character",
]

#: Most levels one discrete issue may have. Validation and the engine build per-level tables
#: (``levels x parties`` floats), so this keeps one issue's work in milliseconds; the GENIUS and
#: GeniusWeb readers use the same bound for integer issues.
MAX_LEVELS = 100_000

#: Most issues a scenario may have (the largest published ANAC domains have a few dozen).
MAX_ISSUES = 1_000

#: Most parties a scenario may have (every analysis keeps one utility column per party).
MAX_PARTIES = 100

#: Most clauses (constraints, red lines and bonuses, all parties together) a scenario may have;
#: each clause is matched against every enumerated outcome.
MAX_CLAUSES = 10_000

#: Largest scenario file read (bytes); real scenarios are a few kilobytes.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Unicode categories refused in names and labels: control (Cc), format (Cf, e.g. bidi
#: overrides that reorder displayed text), surrogates (Cs), private use (Co), unassigned (Cn),
#: line and paragraph separators (Zl, Zp).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` that is not printable, as a ``U+XXXX`` string, or None.

    ``multiline=True`` allows newline and tab (free text such as a description). Spaces of every
    kind (category Zs) are printable.

    Examples
    --------
    >>> bad_character("Seller") is None
    True
    >>> bad_character("Sel\\x1b[2Jler")
    'U+001B'
    >>> bad_character("line one\\nline two", multiline=True) is None
    True
    """
    if text.isprintable():  # fast path (C): no character of any refused category
        return None
    for ch in text:
        if multiline and ch in "\n\t\r":
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return f"U+{ord(ch):04X}"
    return None


def check_text(
    value: object,
    what: str,
    *,
    multiline: bool = False,
    empty: bool = False,
    **where: str | None,
) -> str:
    """Return ``value`` if it is a string of printable characters, else raise ScenarioError.

    Parameters
    ----------
    value
        The name, label or text to check.
    what
        What it is, for the message (``"party name"``, ``"label"``).
    multiline
        Allow newlines and tabs (descriptions).
    empty
        Allow the empty (or all-blank) string.
    where
        ``party``, ``issue``, ``level`` for the message.

    Examples
    --------
    >>> check_text("Buyer", "party name")
    'Buyer'
    >>> check_text("Bu\\x07yer", "party name")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: party name 'Bu\\x07yer' contains the non-printable character U+0007
    """
    if not isinstance(value, str):
        raise ScenarioError(f"{what} must be a string, got {_show(value)}", **where)
    bad = bad_character(value, multiline=multiline)
    if bad is not None:
        raise ScenarioError(
            f"{what} {_show(value)} contains the non-printable character {bad}", **where
        )
    if not empty and not value.strip():
        raise ScenarioError(f"{what} must not be empty", **where)
    return value


def check_table(value: object, what: str, **where: str | None) -> Mapping[str, Any]:
    """Return ``value`` if it is a table (mapping) with string keys, else raise ScenarioError.

    Examples
    --------
    >>> check_table({"x": 1}, "weights")
    {'x': 1}
    >>> check_table("abc", "weights", party="A")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: party 'A': weights must be a table {key = value}, got 'abc'
    """
    if not isinstance(value, Mapping):
        raise ScenarioError(f"{what} must be a table {{key = value}}, got {_show(value)}", **where)
    for key in value:
        if not isinstance(key, str):
            raise ScenarioError(f"{what} has a key that is not a string: {_show(key)}", **where)
    return value


def check_list(value: object, what: str, **where: str | None) -> list:
    """Return ``value`` as a list if it is a list or tuple (not a string), else raise.

    Examples
    --------
    >>> check_list(("a", "b"), "levels")
    ['a', 'b']
    >>> check_list("ab", "levels", issue="x")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: issue 'x': levels must be a list [...], got 'ab'
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ScenarioError(f"{what} must be a list [...], got {_show(value)}", **where)
    return list(value)


def check_number(value: object, what: str, **where: str | None) -> float:
    """Return ``value`` as a finite float if it is a real number (not a bool), else raise.

    Examples
    --------
    >>> check_number(3, "weight")
    3.0
    >>> check_number(True, "quota")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: quota must be a number, got True
    >>> check_number(float("nan"), "value", level="a")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: level 'a': value must be finite, got nan
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ScenarioError(f"{what} must be a number, got {_show(value)}", **where)
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range
        raise ScenarioError(f"{what} is too large, got {_show(value)}", **where) from None
    if not math.isfinite(number):
        raise ScenarioError(f"{what} must be finite, got {number}", **where)
    return number


def _show(value: object, limit: int = 60) -> str:
    """A short repr for messages (long or deeply nested values are cut)."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deep nesting, or an int too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
