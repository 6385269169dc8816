"""Each party's rank of an outcome in its own order over the allowed outcomes.

For a utility vector ``u`` (one outcome's), party ``p``'s *rank* is ``1 +`` the number of
allowed outcomes it strictly prefers (``u_p(y) > u_p + tol``; competition ranking: ties share
a rank), with ``n_tied`` (``|u_p(y) - u_p| <= tol``), ``n_allowed`` and the percentile, where
``tol`` is :func:`~negotiation.model.scenario.reservation_tolerance`. Three methods, in order:

1. exact counting by a dynamic programme over the compound issues
   (:func:`negotiation.engine.counting.count_at_least`), for any size of space while its
   distinct partial utilities stay under a bound;
2. exact counting outcome by outcome (spaces of at most :data:`RANK_ENUMERATE` outcomes);
3. an estimate from a seeded uniform sample of :data:`RANK_SAMPLE` allowed outcomes
   (``exact: False``, with the binomial standard error of the percentile, and a note).

>>> import negotiation as ng
>>> s = ng.load_scenario("textbook_two_party")
>>> out, notes = ranks(s, s.utilities(s.space.enumerate()[:1])[0])
>>> out["Candidate"]["exact"], notes
(True, [])
"""

from __future__ import annotations

import numpy as np

from negotiation.engine.counting import count_at_least, n_outcomes, party_components
from negotiation.engine.select import MAX_ENUMERATE
from negotiation.errors import NotApplicableError
from negotiation.model.scenario import Scenario, reservation_tolerance

__all__ = ["ranks", "RANK_SAMPLE", "RANK_SEED", "RANK_ENUMERATE"]


#: Allowed outcomes sampled to estimate a rank when exact counting is refused.
RANK_SAMPLE = 200_000
#: Seed of that sample (fixed: the estimate is reproducible).
RANK_SEED = 20250815


#: Spaces up to this size are counted outcome by outcome when the counting DP is refused: the
#: one enumeration limit, :data:`negotiation.engine.select.MAX_ENUMERATE`.
RANK_ENUMERATE = MAX_ENUMERATE


def _count_by_enumeration(discrete: Scenario, p: int, t: float, tol: float) -> tuple[int, int]:
    """Allowed outcomes with ``u_p > t + tol`` and with ``u_p >= t - tol``, by enumeration."""
    from negotiation.model.blocks import evaluate_blocks

    better = at_least = 0
    for block in evaluate_blocks(discrete):
        col = block.utilities[block.allowed, p]
        better += int((col > t + tol).sum())
        at_least += int((col >= t - tol).sum())
    return better, at_least


def ranks(discrete: Scenario, u: np.ndarray) -> tuple[dict[str, dict], list[str]]:
    """Every party's rank of the outcome with utilities ``u`` (see the module docstring);
    returns ``({party: rank data}, notes)``."""
    out: dict[str, dict] = {}
    notes: list[str] = []
    sample = None
    for p, name in enumerate(discrete.party_names):
        tol = float(reservation_tolerance(u[p]))
        comps = party_components(discrete, p)
        total = n_outcomes(comps)
        try:
            better = count_at_least(comps, u[p] + tol * 1.000001 + 1e-300)
            at_least = count_at_least(comps, u[p] - tol)
        except NotApplicableError as err:
            if discrete.space.cardinality <= RANK_ENUMERATE:
                # Too many distinct partial sums, but few outcomes: count them one by one.
                better, at_least = _count_by_enumeration(discrete, p, u[p], tol)
                out[name] = {
                    "rank": better + 1,
                    "n_better": better,
                    "n_tied": at_least - better,
                    "n_allowed": total,
                    "percentile": 100.0 * (total - better) / total if total else None,
                    "exact": True,
                }
                continue
            # Too many distinct partial sums to count exactly: a seeded uniform sample of the
            # allowed outcomes estimates the shares (binomial standard error reported).
            if sample is None:
                levels = discrete.space.sample(RANK_SAMPLE, RANK_SEED, allowed_only=True)
                sample = discrete.utilities(levels)
            col = sample[:, p]
            share_b = float((col > u[p] + tol).mean())
            share_t = float((np.abs(col - u[p]) <= tol).mean())
            se = float(np.sqrt(share_b * (1 - share_b) / col.size))
            notes.append(f"rank of {name} estimated from {col.size:,} sampled outcomes ({err})")
            out[name] = {
                "rank": round(share_b * total) + 1,
                "n_better": round(share_b * total),
                "n_tied": round(share_t * total),
                "n_allowed": total,
                "percentile": 100.0 * (1 - share_b),
                "exact": False,
                "percentile_standard_error": 100.0 * se,
            }
            continue
        out[name] = {
            "rank": better + 1,
            "n_better": better,
            "n_tied": at_least - better,
            "n_allowed": total,
            "percentile": 100.0 * (total - better) / total if total else None,
            "exact": True,
        }
    return out, notes
