"""What a strategy declares about itself: frozen traits, read like a mapping, used by filters.

In the style of the Axelrod library's classifier, every strategy class carries
:class:`Traits` -- a frozen record of yes/no properties that tests check against its behaviour
(``tests/dynamics/strategies/test_traits.py``) and that
:func:`negotiation.dynamics.strategies.filtered` selects on:

``concedes``
    Its offers fall in its own utility during a run (against an opponent that never moves).
``uses_opponent_model``
    It learns a model of the other parties' preferences from their offers (a
    :class:`~negotiation.dynamics.strategies.opponent_model.FrequencyModel`).
``stochastic``
    Its moves depend on the run's seed (it draws from ``view.rng``); a strategy that is not
    stochastic makes the same moves under every seed.
``time_dependent``
    Its responses depend on the time fraction ``t`` (the deadline), not only on the offers.

A strategy written as ``traits = {"stochastic": True}`` gets a :class:`Traits` with the other
properties ``False``; a name that is not a trait is an error.

References
----------
.. [KCH2016] Knight et al., "An open framework for the reproducible study of the iterated prisoner's
   dilemma" (2016); the Axelrod library: players with a classifier of traits, filtered by them.
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from negotiation.errors import NegotiationError

__all__ = ["Traits", "UnknownTraitError", "TRAIT_NAMES"]


class UnknownTraitError(NegotiationError):
    """A trait name that :class:`Traits` does not know, or a trait that is not ``True``/``False``."""


@dataclass(frozen=True)
class Traits(Mapping[str, bool]):
    """The declared properties of a strategy (immutable; a read-only mapping name -> bool).

    Examples
    --------
    >>> t = Traits.of({"stochastic": True}, strategy="Gambler")
    >>> t["stochastic"], t.concedes
    (True, False)
    >>> sorted(k for k, v in t.items() if not v)
    ['concedes', 'time_dependent', 'uses_opponent_model']
    >>> t.matches(stochastic=True, concedes=False)
    True
    """

    concedes: bool = False
    uses_opponent_model: bool = False
    stochastic: bool = False
    time_dependent: bool = False

    @classmethod
    def of(cls, declared: Mapping[str, bool], *, strategy: str = "strategy") -> Traits:
        """Traits from a mapping (missing names are ``False``).

        Raises
        ------
        UnknownTraitError
            Naming the strategy and the trait, when a name is unknown or a value is not a bool.
        """
        if isinstance(declared, Traits):
            return declared
        if not isinstance(declared, Mapping):
            raise UnknownTraitError(
                f"strategy {strategy}: traits must be a mapping of trait names to True/False, "
                f"got {declared!r}"
            )
        _check(declared, strategy)
        return cls(**dict(declared))

    def matches(self, **wanted: bool) -> bool:
        """True when every trait given has the value given (unknown names are an error)."""
        _check(wanted, "filter")
        return all(getattr(self, k) == v for k, v in wanted.items())

    def __getitem__(self, name: str) -> bool:
        if name not in TRAIT_NAMES:
            raise KeyError(name)
        return bool(getattr(self, name))

    def __iter__(self) -> Iterator[str]:
        return iter(TRAIT_NAMES)

    def __len__(self) -> int:
        return len(TRAIT_NAMES)


#: The names of the traits, in order.
TRAIT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Traits))


def _check(declared: Mapping[str, object], where: str) -> None:
    for name, value in declared.items():
        if name not in TRAIT_NAMES:
            raise UnknownTraitError(
                f"{where}: unknown trait {name!r} (the traits are: {', '.join(TRAIT_NAMES)})"
            )
        if not isinstance(value, bool):
            raise UnknownTraitError(f"{where}: trait {name!r} must be True or False, got {value!r}")
