"""Read a scenario file's bytes, with a bound: the one place the readers touch a file's content.

A path can name something that is not a file of bounded size: a folder, a FIFO that never ends,
a device such as ``/dev/zero`` (size 0, endless content), or a ``/proc`` file whose reported size
is 0. :func:`read_bounded` refuses anything but a regular file and never reads more than
:data:`~negotiation.model.checks.MAX_FILE_BYTES` (plus one byte, to know it is too large), so a
wrong path fails at once with a :class:`~negotiation.errors.ScenarioError` naming it instead of
hanging or filling the memory.
"""

from __future__ import annotations

import stat
from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.model.checks import MAX_FILE_BYTES

__all__ = ["read_bounded"]


def read_bounded(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises
    ------
    ScenarioError
        Naming the file: it cannot be read, is not a regular file, or is larger than ``limit``.

    Examples
    --------
    >>> read_bounded("/nonexistent/s.toml")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: /nonexistent/s.toml: cannot read: No such file or directory
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise ScenarioError(
                "is not a regular file (a folder, device or pipe cannot be a scenario)",
                file=str(path),
            )
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        raise ScenarioError(f"cannot read: {err.strerror or err}", file=str(path)) from None
    if len(data) > limit:
        raise ScenarioError(
            f"file is larger than the {limit} bytes a scenario file may have", file=str(path)
        )
    return data
