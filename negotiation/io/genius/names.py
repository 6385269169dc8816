"""Names made from GENIUS file contents: issue identifiers, party names, domain titles.

The one lower module that both :mod:`negotiation.io.genius` and :mod:`negotiation.io.geniusweb`
use (so neither imports the other for its names).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

__all__ = ["issue_identifier"]

#: Objective names that say nothing about the domain (then the file or folder name is used).
_GENERIC_OBJECTIVE_NAMES = {"", "root", "conflict", "objective", "domain", "template"}

#: File-name words that say nothing about a party (dropped from the end of a derived name).
_GENERIC_PROFILE_WORDS = {
    "utility",
    "utilityspace",
    "space",
    "prof",
    "profile",
    "util",
    "preferences",
}


# -- names ----------------------------------------------------------------------------------
def issue_identifier(label: str, taken: Iterable[str] = (), *, fallback: str = "issue") -> str:
    """A deterministic issue identifier (``[a-z][a-z0-9_]*``) made from a GENIUS issue name.

    Accents are stripped (NFKD), letters lower-cased, every run of other characters becomes one
    ``_``; a name starting with a digit gets the prefix ``i_``; an empty result becomes
    ``fallback``; a name already in ``taken`` gets the suffix ``_2``, ``_3``, ...

    Examples
    --------
    >>> issue_identifier("Size of Fund")
    'size_of_fund'
    >>> issue_identifier("0:00-2:59 prices [cents/kWh]")
    'i_0_00_2_59_prices_cents_kwh'
    >>> issue_identifier("Café", taken={"cafe"})
    'cafe_2'
    """
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not text:
        text = fallback
    if text[0].isdigit():
        text = f"i_{text}"
    taken = set(taken)
    name, k = text, 2
    while name in taken:
        name, k = f"{text}_{k}", k + 1
    return name


def _natural_key(path: Path | str) -> list:
    """Sort key: digit runs compare as numbers (``util2`` < ``util10``), the stem before the suffix."""
    path = Path(path)
    return [
        [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", part)]
        for part in (path.stem, path.suffix)
    ]


def _tokens(stem: str) -> list[str]:
    return [t for t in re.split(r"[-_\s.]+", stem) if t]


def _party_name(profile_stem: str, domain_stem: str) -> str:
    """A readable party name from a profile file name (the domain's name and generic words cut)."""
    tokens = _tokens(profile_stem)
    dom = [t.lower() for t in _tokens(domain_stem)]
    k = 0
    while k < len(tokens) and k < len(dom):
        a, b = tokens[k].lower(), dom[k]
        if a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))):
            k += 1
        else:
            break
    rest = tokens[k:] or tokens
    while len(rest) > 1 and rest[0].lower() == "domain":
        rest = rest[1:]
    while len(rest) > 1 and rest[-1].lower() in _GENERIC_PROFILE_WORDS:
        rest = rest[:-1]
    text = " ".join(rest)
    m = re.fullmatch(r"(?i)(?:util|utility|prof|profile|party|agent)\s*(\d+)", text)
    if m:
        return f"party {int(m.group(1))}"
    return text


def _domain_title(domain_stem: str) -> str:
    tokens = [t for t in _tokens(domain_stem) if t.lower() != "domain"]
    return "-".join(tokens) if tokens else domain_stem
