"""Errors raised for bad input.

Every error about a scenario names where the problem is: the file, the party, the issue and the
level, as far as they apply, so that a user can fix the input without reading a traceback.
"""

from __future__ import annotations

__all__ = ["NegotiationError", "ScenarioError", "InfeasibleError", "NotApplicableError"]


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
        where = []
        if file:
            where.append(str(file))
        if party is not None:
            where.append(f"party {party!r}")
        if issue is not None:
            where.append(f"issue {issue!r}")
        if level is not None:
            where.append(f"level {level!r}")
        super().__init__(": ".join([*where, message]))

    def in_file(self, file: str) -> ScenarioError:
        """Return the same error with ``file`` filled in (when it was not known yet)."""
        if self.file:
            return self
        return ScenarioError(
            self.reason, file=file, party=self.party, issue=self.issue, level=self.level
        )


class InfeasibleError(NegotiationError):
    """A computation needs a non-empty feasible set (or frontier) and got an empty one."""


class NotApplicableError(NegotiationError):
    """An engine or model does not apply to this input (the caller may fall back to another).

    For example the frontier search engine under a quota agreement rule, or a two-party model
    called with four parties. The message says why.
    """
