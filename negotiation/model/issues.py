"""Issues: the deal dimensions.

An issue is either *discrete* (a tuple of named levels) or *continuous* (a closed interval
``[low, high]`` with a unit). Continuous issues are turned into discrete ones on a grid with
:meth:`Issue.discretize`; the engine's exact continuous solver works on the interval itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.checks import MAX_LEVELS, check_number, check_text

__all__ = ["Issue", "IDENTIFIER", "check_identifier", "grid_level_name"]

#: Identifiers of issues: lower-case letters, digits and underscores, starting with a letter.
#: Match it with ``fullmatch`` (``$`` alone would let a trailing newline through).
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def check_identifier(name: object, what: str, **where: str | None) -> str:
    """Return ``name`` if it is a valid identifier, else raise :class:`ScenarioError`.

    Examples
    --------
    >>> check_identifier("price", "issue")
    'price'
    >>> check_identifier("price\\n", "issue")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: issue name 'price\\n' is not an identifier (lower-case letters, digits and _, starting with a letter)
    """
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ScenarioError(
            f"{what} name {name!r} is not an identifier (lower-case letters, digits and _, "
            "starting with a letter)",
            **where,
        )
    return name


def grid_level_name(x: float) -> str:
    """Name of the grid level at ``x`` for a discretised continuous issue (``'12.5'``)."""
    text = f"{x:.10g}"
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Issue:
    """One deal dimension.

    Parameters
    ----------
    name
        Identifier (``[a-z][a-z0-9_]*``).
    levels
        Names of the discrete levels, in order (empty for a continuous issue).
    label
        Human-readable name, for plots and reports (defaults to ``name``).
    range
        ``(low, high)`` of a continuous issue, else ``None``.
    unit
        Unit of a continuous issue (``"%"``, ``"km"``), for labels.

    Examples
    --------
    >>> Issue("x", ("low", "high")).size
    2
    >>> Issue("share", range=(0.0, 100.0), unit="%").discretize(5).levels
    ('0', '25', '50', '75', '100')
    """

    name: str
    levels: tuple[str, ...] = ()
    label: str | None = None
    range: tuple[float, float] | None = None
    unit: str | None = None
    _index: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        check_identifier(self.name, "issue", issue=None)
        where = {"issue": self.name}
        if self.label is not None:
            check_text(self.label, "label", issue=self.name)
        if self.unit is not None:
            check_text(self.unit, "unit", empty=True, issue=self.name)
        if isinstance(self.levels, (str, bytes)) or not isinstance(self.levels, (tuple, list)):
            raise ScenarioError(f"levels must be a list of names, got {self.levels!r}", **where)
        object.__setattr__(self, "levels", tuple(self.levels))
        object.__setattr__(self, "_index", {})
        if self.range is not None:
            if self.levels:
                raise ScenarioError("has both levels and a range; give one", issue=self.name)
            if isinstance(self.range, (str, bytes)) or not (
                isinstance(self.range, (tuple, list)) and len(self.range) == 2
            ):
                raise ScenarioError(
                    f"range must be [low, high], got {self.range!r}", issue=self.name
                )
            lo, hi = (check_number(v, "range bound", **where) for v in self.range)
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise ScenarioError(
                    f"range must be two finite numbers low < high, got {list(self.range)}",
                    issue=self.name,
                )
            object.__setattr__(self, "range", (lo, hi))
        else:
            if len(self.levels) == 0:
                raise ScenarioError("has no levels (and no continuous range)", issue=self.name)
            if len(self.levels) > MAX_LEVELS:
                raise ScenarioError(
                    f"has {len(self.levels)} levels, more than the {MAX_LEVELS} an issue may have",
                    issue=self.name,
                )
            index = self._index
            for k, level in enumerate(self.levels):
                if not isinstance(level, str) or not level:
                    raise ScenarioError(
                        f"level names must be non-empty strings, got {level!r}", issue=self.name
                    )
                check_text(level, "level name", issue=self.name)
                if level in index:
                    raise ScenarioError("duplicate level", issue=self.name, level=level)
                index[level] = k

    @property
    def is_continuous(self) -> bool:
        """True for an issue over an interval rather than named levels."""
        return self.range is not None

    @property
    def size(self) -> int:
        """Number of levels (a continuous issue has none until discretised)."""
        return len(self.levels)

    @property
    def display(self) -> str:
        """The label if there is one, else the name."""
        return self.label or self.name

    def level_index(self, level: str, **where: str | None) -> int:
        """Index of the named level; :class:`ScenarioError` if the issue has no such level.

        A dictionary lookup (O(1)), so validating an issue of many levels stays linear.
        """
        k = self._index.get(level) if isinstance(level, str) else None
        if k is None:
            shown = list(self.levels[:20]) + (["..."] if self.size > 20 else [])
            raise ScenarioError(
                f"unknown level (the levels are {shown})",
                issue=self.name,
                level=str(level),
                **where,
            )
        return k

    def grid(self, resolution: int) -> np.ndarray:
        """Evenly spaced points of a continuous issue's range, ends included."""
        if not self.is_continuous:
            raise ScenarioError("is not continuous: it has no grid", issue=self.name)
        if int(resolution) < 2:
            raise ScenarioError(f"grid resolution must be >= 2, got {resolution}", issue=self.name)
        lo, hi = self.range  # type: ignore[misc]
        return np.linspace(lo, hi, int(resolution))

    def discretize(self, resolution: int) -> Issue:
        """Discrete copy of a continuous issue with ``resolution`` grid levels (named by value)."""
        names = tuple(grid_level_name(x) for x in self.grid(resolution))
        if len(set(names)) != len(names):
            raise ScenarioError(
                f"grid of {resolution} points is too fine to name distinctly", issue=self.name
            )
        return Issue(self.name, names, label=self.label, unit=self.unit)
