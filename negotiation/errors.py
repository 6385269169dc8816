"""Errors raised for bad input.

Every error about a scenario names where the problem is: the file, the party, the issue and the
level, as far as they apply, so that a user can fix the input without reading a traceback.
"""

from __future__ import annotations

__all__ = [
    "NegotiationError",
    "ScenarioError",
    "ItemError",
    "InfeasibleError",
    "NotApplicableError",
]


class NegotiationError(ValueError):
    """Base class of the errors this package raises for bad input."""


class ScenarioError(NegotiationError):
    """A scenario is malformed or inconsistent.

    Parameters
    ----------
    message
        What is wrong, in words.
    file, party, issue, level
        Where it is wrong; each is optional and, when given, is prefixed to the message as
        ``file: party 'P': issue 'i': level 'l': message``.

    Examples
    --------
    >>> str(ScenarioError("weight is negative (-1)", file="s.toml", party="A", issue="x"))
    "s.toml: party 'A': issue 'x': weight is negative (-1)"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        party: str | None = None,
        issue: str | None = None,
        level: str | None = None,
    ) -> None:
        self.file, self.party, self.issue, self.level = file, party, issue, level
        self.reason = message
        where = [str(file)] if file else []
        where += self._item_where()
        for what, value in (("party", party), ("issue", issue), ("level", level)):
            if value is not None:
                where.append(f"{what} {value!r}")
        super().__init__(": ".join([*where, message]))

    def _item_where(self) -> list[str]:
        return []

    def _where(self) -> dict:
        return {"party": self.party, "issue": self.issue, "level": self.level}

    def in_file(self, file: str) -> ScenarioError:
        """Return the same error with ``file`` filled in (when it was not known yet)."""
        if self.file:
            return self
        return type(self)(self.reason, file=file, **self._where())


class ItemError(ScenarioError):
    """An error about one named item of a scenario: a proposal, an evidence item, a lever.

    Subclasses set :attr:`KIND`; the message reads
    ``file: KIND 'name': party 'P': issue 'i': level 'l': what is wrong``.

    Examples
    --------
    >>> class ThingError(ItemError):
    ...     KIND = "thing"
    >>> str(ThingError("unknown level", item="t1", party="A", issue="x", level="q"))
    "thing 't1': party 'A': issue 'x': level 'q': unknown level"
    """

    KIND = "item"

    def __init__(self, message: str, *, item: str | None = None, **where: str | None) -> None:
        self.item = item
        super().__init__(message, **where)

    def _item_where(self) -> list[str]:
        return [] if self.item is None else [f"{self.KIND} {self.item!r}"]

    def _where(self) -> dict:
        return {**super()._where(), "item": self.item}


class InfeasibleError(NegotiationError):
    """A computation needs a non-empty feasible set (or frontier) and got an empty one."""


class NotApplicableError(NegotiationError):
    """An engine or model does not apply to this input (the caller may fall back to another).

    For example the frontier search engine under a quota agreement rule, or a two-party model
    called with four parties. The message says why.
    """
