"""Repair a proposal: the feasible deals that need the fewest issue changes.

For a proposal ``P`` fixing levels ``l_i`` on a set ``I`` of issues, and a set ``S`` of parties
that must accept (default: the agreement rule), :func:`repair` returns

.. math::

    k^* = \\min_{y \\text{ feasible for } S} |\\{ i \\in I : y_i \\neq l_i \\}|

and the feasible deals reaching it, ordered by the smallest utility loss of the proposal's
authors (``sum_{a in by} u_a(P) - u_a(y)``; every party when ``by`` is empty), i.e. the largest
authors' utility. Open issues are free: choosing their level is not a change. "Feasible for
``S``" means: no joint constraint forbids ``y``, and every party of ``S`` accepts it (no red line
crossed, ``u_p(y) >= r_p - tol``); with ``S`` left out, ``y`` must pass the scenario's agreement
rule.

Two exact methods:

* ``"enumerate"`` (spaces of at most ``max_enumerate`` outcomes): every outcome is checked in
  chunks; all deals with ``k^*`` changes are counted (``n_minimal``).
* ``"search"`` (larger spaces, unanimity among ``S``): the change count is one more objective of
  the frontier search engine (:func:`negotiation.engine.search.search_frontier`): a points
  party scoring ``-1`` per changed issue joins the parties of ``S`` (and the authors, with their
  red lines and reservations lifted). A deal with the fewest changes and, among those, the
  largest authors' utility is never dominated in (utilities of ``S`` and authors, ``-changes``),
  so it lies on that frontier, which the issue-wise fold computes exactly. ``n_minimal`` is then
  the number of such deals on the frontier (a lower bound of all of them).

>>> import negotiation as ng
>>> from negotiation.model.proposals import Proposal
>>> s = ng.load_scenario("textbook_two_party")
>>> r = repair(s, Proposal("p", {i.name: i.levels[0] for i in s.issues}))
>>> r.n_changes is not None and r.n_changes >= 0
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from negotiation.engine.counting import extremes, party_components
from negotiation.engine.select import MAX_ENUMERATE
from negotiation.errors import NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.party import Party
from negotiation.model.proposals import Proposal
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance
from negotiation.model.space import DEFAULT_CHUNK

__all__ = ["Repair", "repair", "MAX_REPAIRS"]

#: Deals listed by default.
MAX_REPAIRS = 10


@dataclass(frozen=True)
class Repair:
    """The result of :func:`repair`.

    Attributes
    ----------
    proposal
        The proposal's name.
    n_changes
        The fewest issue changes that make a feasible deal (``None``: no feasible deal at all).
    deals
        Up to ``max_deals`` deals with ``n_changes`` changes, best for the authors first: each
        ``{"deal", "utilities", "changes": [{"issue", "from", "to"}], "authors_utility",
        "authors_loss"}``.
    n_minimal
        How many deals need ``n_changes`` changes (enumeration: all of them; search: those on
        the frontier).
    acceptable_to
        The parties that must accept (empty: the agreement rule).
    method
        ``"enumerate"`` or ``"search"``.
    """

    proposal: str
    n_changes: int | None
    deals: list[dict] = field(default_factory=list)
    n_minimal: int = 0
    acceptable_to: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    method: str = "enumerate"
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "proposal": self.proposal,
            "n_changes": self.n_changes,
            "n_minimal": self.n_minimal,
            "acceptable_to": list(self.acceptable_to),
            "authors": list(self.authors),
            "method": self.method,
            "deals": list(self.deals),
            "message": self.message,
        }


def _deal_entry(
    scenario: Scenario,
    row: np.ndarray,
    u: np.ndarray,
    fixed: dict[int, int],
    authors: list[int],
    base: float | None,
) -> dict:
    changes = [
        {
            "issue": scenario.issues[i].name,
            "from": scenario.issues[i].levels[lv],
            "to": scenario.issues[i].levels[int(row[i])],
        }
        for i, lv in sorted(fixed.items())
        if int(row[i]) != lv
    ]
    au = float(u[authors].sum())
    return {
        "deal": scenario.space.deal(row),
        "utilities": {p: float(x) for p, x in zip(scenario.party_names, u, strict=True)},
        "changes": changes,
        "authors_utility": au,
        "authors_loss": None if base is None else base - au,
    }


def _by_enumeration(
    scenario: Scenario,
    fixed: dict[int, int],
    required: list[int] | None,
    rule: AgreementRule,
    authors: list[int],
) -> tuple[int | None, np.ndarray, np.ndarray]:
    """Walk the space in blocks (:func:`negotiation.model.blocks.evaluate_blocks`): feasible
    rows only are decoded to levels and their changes counted."""
    from negotiation.model.blocks import evaluate_blocks

    best_k: int | None = None
    rows: list[np.ndarray] = []
    utils: list[np.ndarray] = []
    fi = np.array(sorted(fixed), dtype=np.int64)
    fl = np.array([fixed[i] for i in sorted(fixed)], dtype=np.int64)
    r = scenario.reservations
    floor = r - reservation_tolerance(r)
    for block in evaluate_blocks(scenario, DEFAULT_CHUNK):
        u = block.utilities
        acc = (u >= floor) & ~block.red
        ok = acc[:, required].all(axis=1) if required is not None else scenario.passes(acc, rule)
        ok &= block.allowed
        if not ok.any():
            continue
        levels = scenario.space.levels_of(block.indices[ok])
        u = u[ok]
        k = (levels[:, fi] != fl).sum(axis=1) if fi.size else np.zeros(levels.shape[0], int)
        kmin = int(k.min())
        if best_k is None or kmin < best_k:
            best_k, rows, utils = kmin, [], []
        if kmin == best_k:
            sel = k == best_k
            rows.append(levels[sel])
            utils.append(u[sel])
    if best_k is None:
        return None, np.zeros((0, len(scenario.issues)), np.int64), np.zeros((0, 0))
    return best_k, np.concatenate(rows), np.concatenate(utils)


def _by_search(
    scenario: Scenario,
    fixed: dict[int, int],
    required: list[int],
    authors: list[int],
) -> tuple[int | None, np.ndarray, np.ndarray]:
    from negotiation.engine.search import search_frontier

    keep = sorted(set(required) | set(authors))
    parties = []
    for p in keep:
        party = scenario.parties[p]
        if p not in required:  # an author who need not accept: no red lines, no floor
            ext = extremes(party_components(scenario, p))
            low = (ext[0] if ext else 0.0) - 1.0
            party = replace(party, red_lines=(), reservation=low)
        parties.append(party)
    names = {p.name for p in parties}
    counter = "changes"
    while counter in names:
        counter += "_"
    if fixed:
        points = {
            scenario.issues[i].name: {
                lv: (0.0 if k == fixed[i] else -1.0)
                for k, lv in enumerate(scenario.issues[i].levels)
            }
            for i in sorted(fixed)
        }
    else:
        first = scenario.issues[0]
        points = {first.name: {lv: 0.0 for lv in first.levels}}
    parties.append(Party(counter, points=points, reservation=-float(len(fixed)) - 1.0))
    try:
        aug = replace(
            scenario,
            parties=tuple(parties),
            agreement=AgreementRule(),
            proposals=(),
            levers=(),
        )
    except ScenarioError:
        return None, np.zeros((0, len(scenario.issues)), np.int64), np.zeros((0, 0))
    f = search_frontier(aug, count_feasible=False)
    if f.is_empty:
        return None, np.zeros((0, len(scenario.issues)), np.int64), np.zeros((0, 0))
    k = np.rint(-f.utilities[:, -1]).astype(np.int64)
    sel = k == k.min()
    levels = f.levels[sel]
    return int(k.min()), levels, scenario.utilities(levels)


def repair(
    scenario: Scenario,
    proposal: Proposal,
    *,
    parties: Iterable[str] | None = None,
    rule: AgreementRule | None = None,
    max_deals: int = MAX_REPAIRS,
    max_enumerate: int = MAX_ENUMERATE,
    method: str = "auto",
) -> Repair:
    """The feasible deals closest to a proposal in issue changes (see the module docstring).

    Parameters
    ----------
    scenario
        The scenario (a continuous one is discretised on 21 points per continuous issue).
    proposal
        The proposal to repair (open issues are free).
    parties
        The parties that must accept; default: the agreement rule ``rule``.
    rule
        Agreement rule when ``parties`` is not given (default: the scenario's).
    max_deals
        How many minimal deals to list.
    max_enumerate, method
        ``"auto"`` enumerates spaces of at most ``max_enumerate`` outcomes (and any space under
        a quota rule) and searches the others; ``"enumerate"`` or ``"search"`` force one.

    Returns
    -------
    Repair

    Raises
    ------
    NotApplicableError
        A quota rule on a space too large to enumerate.
    """
    if method not in ("auto", "enumerate", "search"):
        raise NegotiationError(f"unknown repair method {method!r} (auto, enumerate, search)")
    if scenario.is_continuous:
        scenario = scenario.discretize(21)
    proposal.check(scenario)
    fixed = proposal.fixed(scenario)
    rule = rule or scenario.agreement
    names = scenario.party_names
    required: list[int] | None = None
    if parties is not None:
        parties = list(parties)
        for p in parties:
            scenario.party(p)
        required = [names.index(p) for p in parties]
        if not required:
            raise NegotiationError("repair: the set of parties that must accept is empty")
    authors = [names.index(p) for p in proposal.by] or list(range(len(names)))
    n = scenario.space.cardinality
    unanimity = required is not None or rule.is_unanimity(len(names))
    use = method
    if method == "auto":
        use = "enumerate" if (n <= max_enumerate or not unanimity) else "search"
    if use == "search" and not unanimity:
        raise NotApplicableError(
            "repair by search needs unanimity among the accepting parties; a quota rule needs "
            "enumeration (or name the parties that must accept)"
        )
    if use == "enumerate":
        k, rows, utils = _by_enumeration(scenario, fixed, required, rule, authors)
    else:
        req = required if required is not None else list(range(len(names)))
        k, rows, utils = _by_search(scenario, fixed, req, authors)
    acceptable_to = tuple(names[p] for p in required) if required is not None else ()
    if k is None:
        who = ", ".join(acceptable_to) if acceptable_to else "the agreement rule"
        return Repair(
            proposal.name,
            None,
            acceptable_to=acceptable_to,
            authors=tuple(names[a] for a in authors),
            method=use,
            message=f"no deal is acceptable to {who}: the zone of agreement is empty",
        )
    base = None
    if len(fixed) == len(scenario.issues):
        row = np.array([[fixed[i] for i in range(len(scenario.issues))]], dtype=np.int64)
        base = float(scenario.utilities(row)[0, authors].sum())
    score = utils[:, authors].sum(axis=1)
    order = np.lexsort((np.arange(score.size), -score))[:max_deals]
    deals = [_deal_entry(scenario, rows[j], utils[j], fixed, authors, base) for j in order]
    return Repair(
        proposal.name,
        int(k),
        deals=deals,
        n_minimal=int(rows.shape[0]),
        acceptable_to=acceptable_to,
        authors=tuple(names[a] for a in authors),
        method=use,
    )
