"""Comments in TOML text: found, so that saving a scenario never silently drops them.

A scenario file's comments often say where each number comes from (the bundled Ukraine
scenario cites a source sentence for every weight). :func:`negotiation.save_scenario` writes a
scenario from its data, which has no comments, so it refuses to replace a file that has any
(see :func:`has_comments`) unless asked to (``overwrite=True``), and says so.

>>> has_comments('name = "x"  # the name')
True
>>> has_comments('name = "a # not a comment"\\nlabel = \\'# nor this\\'')
False
>>> comment_lines('a = 1\\n# source: p. 3\\nb = "#" # why\\n')
[2, 3]
"""

from __future__ import annotations

__all__ = ["has_comments", "comment_lines"]


def comment_lines(text: str) -> list[int]:
    """1-based numbers of the lines of TOML ``text`` that carry a comment (a ``#`` outside
    every string: basic ``"..."``, literal ``'...'`` and their multi-line forms)."""
    out: list[int] = []
    i, n, line = 0, len(text), 1
    quote: str | None = None  # the delimiter of the string we are in
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            if quote in ('"', "'"):  # a one-line string cannot span lines (malformed): reset
                quote = None
            i += 1
            continue
        if quote is None:
            if c == "#":
                out.append(line)
                j = text.find("\n", i)
                i = n if j < 0 else j
                continue
            if text.startswith('"""', i) or text.startswith("'''", i):
                quote = text[i : i + 3]
                i += 3
                continue
            if c in ('"', "'"):
                quote = c
            i += 1
            continue
        if quote.startswith('"') and c == "\\":  # escapes only in basic strings
            i += 2
            continue
        if text.startswith(quote, i):
            i += len(quote)
            quote = None
            continue
        i += 1
    return out


def has_comments(text: str) -> bool:
    """True when TOML ``text`` has at least one comment."""
    return bool(comment_lines(text))
