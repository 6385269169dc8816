"""Acceptance: the tolerance of the reservation test, and the rule of who must accept.

An outcome is acceptable to a party when it gives at least the party's reservation value (up to
:data:`RESERVATION_TOL`) and crosses none of its red lines; a deal passes when the parties that
accept it satisfy the :class:`AgreementRule` (unanimity, a quota, vetoes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negotiation.errors import ScenarioError

__all__ = ["AgreementRule", "RESERVATION_TOL", "reservation_tolerance"]


#: Relative tolerance of the reservation test: an outcome is acceptable to a party when
#: ``u >= r - RESERVATION_TOL * max(1, |r|)``, so an outcome exactly at the reservation stays
#: acceptable after weights are normalised (floating-point sums may be off by an ulp or two).
RESERVATION_TOL = 1e-9


def reservation_tolerance(reservation: np.ndarray | float) -> np.ndarray:
    """Absolute tolerance of the reservation test for each reservation value."""
    r = np.asarray(reservation, dtype=float)
    return RESERVATION_TOL * np.maximum(1.0, np.abs(r))


@dataclass(frozen=True)
class AgreementRule:
    """Who must accept for a deal to pass.

    Parameters
    ----------
    quota
        At least this many parties must find the deal acceptable; ``None`` means unanimity.
    veto
        Names of parties that must always be among the acceptors (as in multi-party scorable
        games, Susskind 1985). A single string is one name (``veto="Buyer"`` is
        ``veto=("Buyer",)``), never read letter by letter.

    Examples
    --------
    >>> AgreementRule(veto="Buyer").veto
    ('Buyer',)
    """

    quota: int | None = None
    veto: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        veto = self.veto
        if isinstance(veto, str):
            veto = (veto,)
        elif isinstance(veto, (list, tuple)):
            veto = tuple(veto)
        else:
            raise ScenarioError(f"agreement veto must be a list of party names, got {veto!r}")
        object.__setattr__(self, "veto", veto)

    def is_unanimity(self, n_parties: int) -> bool:
        """True when every party must accept."""
        return self.quota is None or self.quota >= n_parties
