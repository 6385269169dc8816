"""Safe XML reading for GENIUS files, their bounds, and attribute helpers.

Files are parsed with :mod:`defusedxml` and any document type declaration is refused, so
entity-expansion bombs ("billion laughs") and external entities are rejected with a
:class:`~negotiation.errors.ScenarioError` naming the file; nothing in a file is ever executed or
fetched.
"""

from __future__ import annotations

import math
import re
import warnings
import xml.etree.ElementTree as ET  # the ParseError type; parsing goes through defusedxml
from pathlib import Path
from xml.parsers.expat import ErrorString

import defusedxml
import defusedxml.ElementTree as safe_et
import numpy as np

from negotiation.errors import ScenarioError
from negotiation.io.reading import read_bounded
from negotiation.model.checks import MAX_FILE_BYTES as _MAX_FILE_BYTES
from negotiation.model.checks import MAX_LEVELS, bad_character

__all__ = ["GeniusWarning", "MAX_FILE_BYTES", "MAX_INTEGER_LEVELS"]

#: Largest file read (bytes); GENIUS files are a few kilobytes (the bound of every scenario file).
MAX_FILE_BYTES = _MAX_FILE_BYTES

#: Largest integer issue (levels) turned into a discrete issue (the model's bound on levels).
MAX_INTEGER_LEVELS = MAX_LEVELS


class GeniusWarning(UserWarning):
    """Something in a GENIUS file was read in a documented but noteworthy way.

    For example weights that do not sum to 1 (normalised, reservation rescaled), a discount
    factor outside ``(0, 1]`` (read as 1, as GENIUS does), or a value listed twice in a profile
    (the last one counts, as in GENIUS).
    """


def _warn(message: str) -> None:
    warnings.warn(message, GeniusWarning, stacklevel=4)


# -- secure XML reading -----------------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    return read_bounded(path, MAX_FILE_BYTES)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 byte order marks
        return True
    return head.startswith(b"<")


def _parse_xml(data: bytes, path: Path):
    """Parse XML bytes with defusedxml, refusing any DTD; errors name the file and line."""
    try:
        return safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (LookupError, UnicodeError) as err:  # encoding="no-such-codec", or bytes not in it
        raise ScenarioError(
            f"cannot decode the XML: {err} (GENIUS files are UTF-8)", file=str(path)
        ) from None
    except RecursionError:
        raise ScenarioError("XML nested too deeply", file=str(path)) from None
    except ET.ParseError as err:
        line, col = getattr(err, "position", (None, None))
        try:
            reason = ErrorString(err.code)
        except (TypeError, ValueError):
            reason = str(err)
        raise ScenarioError(
            f"malformed XML at line {line}, column {(col or 0) + 1}: {reason}", file=str(path)
        ) from None
    except defusedxml.DefusedXmlException as err:
        text = data[:65536].decode("utf-8", "replace")
        if "<!ENTITY" in text:
            what = (
                "it declares XML entities (an entity-expansion bomb or external entity)"
                if re.search(r"<!ENTITY[^>]*(SYSTEM|PUBLIC)", text) is None
                else "it declares an external entity (SYSTEM/PUBLIC)"
            )
        else:
            what = "it has a document type declaration (<!DOCTYPE ...>)"
        raise ScenarioError(
            f"refused to read: {what}; GENIUS files need none, and entity expansion and "
            f"external references are never resolved ({type(err).__name__})",
            file=str(path),
        ) from None


def _load_xml(path: Path, *, skip_non_xml: bool = False):
    data = _read_bytes(path)
    if not _looks_like_xml(data):
        if skip_non_xml:
            return None
        raise ScenarioError("is not an XML file (it does not start with '<')", file=str(path))
    return _parse_xml(data, path)


# -- attribute helpers -------------------------------------------------------------------------
def _number(el, attr: str, file: Path, what: str, *, default: float | None = None) -> float:
    raw = el.get(attr) if el is not None else None
    if raw is None or raw.strip() == "":
        if default is not None:
            return default
        raise ScenarioError(f"{what}: missing attribute {attr!r}", file=str(file))
    try:
        value = float(raw)
    except ValueError:
        raise ScenarioError(
            f"{what}: attribute {attr}={raw!r} is not a number", file=str(file)
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(f"{what}: attribute {attr}={raw!r} is not finite", file=str(file))
    return value


def _integer(el, attr: str, file: Path, what: str) -> int:
    raw = el.get(attr) if el is not None else None
    if raw is None:
        raise ScenarioError(f"{what}: missing attribute {attr!r}", file=str(file))
    try:
        return int(raw.strip())
    except ValueError:
        raise ScenarioError(
            f"{what}: attribute {attr}={raw!r} is not a whole number", file=str(file)
        ) from None


def _check_label(text: str, what: str, path: Path, *, where: str) -> None:
    """Refuse control and other non-printable characters in a name read from the file."""
    bad = bad_character(text)
    if bad is not None:
        raise ScenarioError(
            f"{where}: {what} {text!r} contains the non-printable character {bad}",
            file=str(path),
        )


def _clip01(x: np.ndarray | float) -> np.ndarray:
    return np.minimum(1.0, np.maximum(0.0, x))
