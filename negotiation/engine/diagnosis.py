"""Why is there no deal? Minimal conflicting sets and least-bad deals of an empty zone.

The *demands* of a scenario are its hard red lines (per party), its joint constraints and the
parties' reservation values. The zone of agreement is empty when no outcome satisfies them all.
A **minimal conflicting set** is a set of demands that no outcome satisfies together, while any
smaller part of it is satisfied by some outcome: an *irreducible infeasible subset* (IIS,
Chinneck & Dravnieks 1991 [ChinneckDravnieks1991]_; Chinneck, *Feasibility and Infeasibility in
Optimization*, 2008).

Exact method (spaces of at most ``max_enumerate`` outcomes): every outcome ``x`` gets the bit
set ``V(x)`` of the demands it violates. A set ``S`` of demands is infeasible iff it meets every
``V(x)``, i.e. ``S`` is a *hitting set* (transversal) of the family ``{V(x)}``; the minimal
conflicting sets are exactly its *minimal* transversals (Eiter & Gottlob 1995 [EiterGottlob1995]_).
They are listed by increasing size (a set is minimal iff it contains no smaller one found before),
and the list is complete: a minimal transversal never has more members than the family has minimal
sets.

Least-bad deals (exact, same scan):

* the deals that violate the fewest demands, with the demands they violate;
* the deals that cross no hard red line or constraint and minimise the largest shortfall below
  a reservation, ``min_x max_p max(0, r_p - u_p(x))`` (a min-max, egalitarian reading).

For each hard red line in a conflicting set, the *price* of crossing it: the best utility its
party gets from a deal that crosses only that line (every other demand held, its own reservation
aside). ``surplus = that utility - reservation``: if positive, a soft red line with a penalty
below it would open the zone; if negative, the party would need that much compensation even
with the line gone.

Larger spaces: one minimal conflicting set by the deletion filter (drop each demand in turn if
the rest stays infeasible, checked by the exact frontier search), without least-bad deals.

References
----------
.. [ChinneckDravnieks1991] Chinneck, Dravnieks, "Locating minimal infeasible constraint sets in
   linear programs" (1991). Full entry: docs/references.md.
.. [Chinneck2008] Chinneck, *Feasibility and Infeasibility in Optimization* (2008).
   Full entry: docs/references.md.
.. [EiterGottlob1995] Eiter, Gottlob, "Identifying the minimal transversals of a hypergraph and
   related problems" (1995). Full entry: docs/references.md.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from negotiation.engine.select import MAX_ENUMERATE
from negotiation.engine.words import clause_text, possessive
from negotiation.errors import NegotiationError, NotApplicableError
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance
from negotiation.model.space import DEFAULT_CHUNK

__all__ = ["Demand", "demands", "diagnose", "diagnosis_text", "DIAGNOSIS_MAX_ENUMERATE"]

#: Spaces up to this size are diagnosed exactly by enumeration: the one enumeration limit,
#: :data:`negotiation.engine.select.MAX_ENUMERATE`.
DIAGNOSIS_MAX_ENUMERATE = MAX_ENUMERATE
#: Deals listed per least-bad kind.
MAX_LISTED = 5
#: Candidate subsets examined at most when listing minimal conflicting sets.
MAX_CANDIDATES = 2_000_000


@dataclass(frozen=True)
class Demand:
    """One demand: a hard red line, a joint constraint or a reservation value."""

    kind: str  # "red_line", "constraint" or "reservation"
    party: str | None
    index: int  # position among the party's red lines / the constraints
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "party": self.party, "text": self.text}


def demands(scenario: Scenario) -> list[Demand]:
    """Every demand of a scenario, in a fixed order: constraints, then per party its red lines
    and its reservation."""
    out = [
        Demand("constraint", None, k, f"joint constraint: no deal with {clause_text(c)}")
        for k, c in enumerate(scenario.constraints)
    ]
    for party in scenario.parties:
        for k, rl in enumerate(party.red_lines):
            out.append(
                Demand(
                    "red_line",
                    party.name,
                    k,
                    f"{possessive(party.name)} red line on {clause_text(rl)}",
                )
            )
        out.append(
            Demand(
                "reservation",
                party.name,
                0,
                f"{possessive(party.name)} reservation {party.reservation:g}",
            )
        )
    return out


def _violations(scenario: Scenario, levels: np.ndarray, u: np.ndarray, ds: list[Demand]):
    """``N`` uint64 bit masks of the demands each outcome violates."""
    sizes = scenario.space.sizes
    names = scenario.party_names
    r = scenario.reservations
    tol = reservation_tolerance(r)
    mask = np.zeros(levels.shape[0], dtype=np.uint64)
    for b, d in enumerate(ds):
        if d.kind == "constraint":
            hit = scenario.constraint_clauses[d.index].match(levels, sizes)
        elif d.kind == "red_line":
            p = names.index(d.party)
            hit = scenario.red_line_clauses[p][d.index].match(levels, sizes)
        else:
            p = names.index(d.party)
            hit = u[:, p] < r[p] - tol[p]
        mask |= hit.astype(np.uint64) << np.uint64(b)
    return mask


def _popcount(x: np.ndarray) -> np.ndarray:
    x = x.copy()
    out = np.zeros(x.shape, dtype=np.int64)
    while x.any():
        out += (x & np.uint64(1)).astype(np.int64)
        x >>= np.uint64(1)
    return out


def _minimal_sets(masks: np.ndarray) -> list[int]:
    """Inclusion-minimal members of a family of bit sets."""
    family = sorted(set(int(m) for m in masks), key=lambda m: (bin(m).count("1"), m))
    out: list[int] = []
    for m in family:
        if not any((o & m) == o for o in out):
            out.append(m)
    return out


def _transversals(family: list[int], n_bits: int) -> tuple[list[int], bool]:
    """Minimal hitting sets of ``family`` by increasing size; second value: complete."""
    if not family:
        return [], True
    relevant = sorted({b for m in family for b in range(n_bits) if m >> b & 1})
    fam = np.array(family, dtype=np.uint64)
    found: list[int] = []
    bound = min(len(relevant), len(family))
    examined = 0
    for k in range(1, bound + 1):
        for combo in itertools.combinations(relevant, k):
            examined += 1
            if examined > MAX_CANDIDATES:
                return found, False
            s = 0
            for b in combo:
                s |= 1 << b
            if any((f & s) == f for f in found):
                continue
            if np.all((fam & np.uint64(s)) != 0):
                found.append(s)
    return found, True


def _bits(m: int, n: int) -> list[int]:
    return [b for b in range(n) if m >> b & 1]


def _without(scenario: Scenario, ds: list[Demand], keep: set[int]) -> Scenario | None:
    """The scenario keeping only the demands in ``keep`` (others dropped or lifted)."""
    from negotiation.engine.counting import extremes, party_components

    constraints = tuple(
        c
        for k, c in enumerate(scenario.constraints)
        if ds.index(_find(ds, "constraint", None, k)) in keep
    )
    parties = []
    for p, party in enumerate(scenario.parties):
        red = tuple(
            rl
            for k, rl in enumerate(party.red_lines)
            if ds.index(_find(ds, "red_line", party.name, k)) in keep
        )
        res = party.reservation
        if ds.index(_find(ds, "reservation", party.name, 0)) not in keep:
            ext = extremes(party_components(scenario, p, forbid=()))
            res = (ext[0] if ext else 0.0) - 1.0
        parties.append(replace(party, red_lines=red, reservation=res))
    try:
        return replace(
            scenario,
            constraints=constraints,
            parties=tuple(parties),
            proposals=(),
            levers=(),
            agreement=AgreementRule(),
        )
    except NegotiationError:
        return None


def _find(ds: list[Demand], kind: str, party: str | None, index: int) -> Demand:
    for d in ds:
        if d.kind == kind and d.party == party and d.index == index:
            return d
    raise KeyError((kind, party, index))  # pragma: no cover


def _infeasible_by_search(scenario: Scenario, ds: list[Demand], keep: set[int]) -> bool:
    from negotiation.engine.search import search_frontier

    sub = _without(scenario, ds, keep)
    if sub is None:  # validation found a party that can reach nothing: infeasible
        return True
    return search_frontier(sub, count_feasible=False, epsilon=1e9).is_empty


def _deletion_filter(scenario: Scenario, ds: list[Demand]) -> list[int]:
    keep = set(range(len(ds)))
    for b in range(len(ds)):
        trial = keep - {b}
        if _infeasible_by_search(scenario, ds, trial):
            keep = trial
    return sorted(keep)


def diagnose(
    scenario: Scenario,
    *,
    rule: AgreementRule | None = None,
    max_enumerate: int = DIAGNOSIS_MAX_ENUMERATE,
) -> dict[str, Any]:
    """Explain an empty zone of agreement (see the module docstring).

    Returns
    -------
    dict
        ``{"empty": bool, "method", "demands": [...], "conflicting_sets": [[demand, ...]],
        "complete": bool, "fewest_violations": {"count", "deals": [...]},
        "least_shortfall": {"shortfall", "deals": [...]}, "red_line_prices": [...],
        "notes": [...]}``; when the zone is not empty, only ``{"empty": False}``.
    """
    if scenario.is_continuous:
        scenario = scenario.discretize(21)
    rule = rule or scenario.agreement
    if not rule.is_unanimity(len(scenario.parties)):
        raise NotApplicableError("the diagnosis of an empty zone assumes unanimity")
    ds = demands(scenario)
    if len(ds) > 63:
        raise NotApplicableError(f"{len(ds)} demands: the diagnosis handles at most 63")
    if scenario.space.cardinality > max_enumerate:
        return _diagnose_large(scenario, ds)
    scan = _Scan(scenario, ds)
    for levels in scenario.space.chunks(DEFAULT_CHUNK):
        u = scenario.utilities(levels)
        m = _violations(scenario, levels, u, ds)
        if not m.all():
            return {"empty": False}
        scan.update(levels, u, m)
    return scan.result()


class _Scan:
    """What one pass over the outcomes collects for :func:`diagnose`: the distinct violation
    masks, the deals with the fewest violations, the least reservation shortfall among deals
    crossing no hard demand, and each red line's price (the best utility its party gets
    across it when nothing else but its own reservation is violated)."""

    def __init__(self, scenario: Scenario, ds: list[Demand]) -> None:
        self.scenario, self.ds = scenario, ds
        self.uniq: set[int] = set()
        self.fewest: tuple[float, list] = (math.inf, [])  # count, [(row, u, mask)]
        self.n_fewest = 0
        self.least: tuple[float, list] = (math.inf, [])  # shortfall, [(row, u)]
        self.price = {b: -math.inf for b, d in enumerate(ds) if d.kind == "red_line"}
        self.price_deal: dict[int, Any] = {}
        self.hard = np.uint64(sum(1 << b for b, d in enumerate(ds) if d.kind != "reservation"))

    def update(self, levels: np.ndarray, u: np.ndarray, m: np.ndarray) -> None:
        """Fold in one chunk of outcomes (``levels``), their utilities and violation masks."""
        self.uniq.update(np.unique(m).tolist())
        self._fewest(levels, u, m)
        self._least(levels, u, m)
        self._prices(levels, u, m)

    def _fewest(self, levels: np.ndarray, u: np.ndarray, m: np.ndarray) -> None:
        pc = _popcount(m)
        k = int(pc.min())
        if k < self.fewest[0]:
            self.fewest = (k, [])
            self.n_fewest = 0
        if k == self.fewest[0]:
            self.n_fewest += int((pc == k).sum())
        listed = self.fewest[1]
        if k == self.fewest[0] and len(listed) < MAX_LISTED:
            for j in np.flatnonzero(pc == k)[: MAX_LISTED - len(listed)]:
                listed.append((levels[j], u[j], int(m[j])))

    def _least(self, levels: np.ndarray, u: np.ndarray, m: np.ndarray) -> None:
        clean = (m & self.hard) == 0
        if not clean.any():
            return
        short = np.maximum(self.scenario.reservations - u[clean], 0.0).max(axis=1)
        s = float(short.min())
        if s < self.least[0]:
            self.least = (s, [])
        if s == self.least[0] and len(self.least[1]) < MAX_LISTED:
            rows = np.flatnonzero(clean)[short == s][: MAX_LISTED - len(self.least[1])]
            self.least[1].extend((levels[j], u[j]) for j in rows)

    def _prices(self, levels: np.ndarray, u: np.ndarray, m: np.ndarray) -> None:
        ds, names = self.ds, self.scenario.party_names
        for b in self.price:
            p = names.index(ds[b].party)
            res_bit = ds.index(_find(ds, "reservation", ds[b].party, 0))
            allow = np.uint64((1 << b) | (1 << res_bit))
            ok = ((m & ~allow) == 0) & ((m >> np.uint64(b)) & np.uint64(1) == 1)
            if ok.any():
                j = int(np.flatnonzero(ok)[np.argmax(u[ok, p])])
                if u[j, p] > self.price[b]:
                    self.price[b] = float(u[j, p])
                    self.price_deal[b] = levels[j]

    def result(self) -> dict[str, Any]:
        """The diagnosis of an empty zone from what the pass collected."""
        scenario, ds = self.scenario, self.ds
        family = _minimal_sets(np.array(sorted(self.uniq), dtype=np.uint64))
        sets, complete = _transversals(family, len(ds))
        out: dict[str, Any] = {
            "empty": True,
            "method": "enumerate",
            "demands": [d.to_dict() for d in ds],
            "conflicting_sets": [[ds[b].to_dict() for b in _bits(s, len(ds))] for s in sets],
            "complete": complete,
            "fewest_violations": {
                "count": int(self.fewest[0]),
                "n_deals": self.n_fewest,
                "deals": [
                    {
                        **_deal(scenario, row, uu),
                        "violates": [ds[b].text for b in _bits(mm, len(ds))],
                    }
                    for row, uu, mm in self.fewest[1]
                ],
            },
            "least_shortfall": None
            if not self.least[1]
            else {
                "shortfall": float(self.least[0]),
                "deals": [_deal(scenario, row, uu) for row, uu in self.least[1]],
            },
            "red_line_prices": self._price_list({b for s in sets for b in _bits(s, len(ds))}),
            "notes": [],
        }
        if not complete:
            out["notes"].append(
                f"listing stopped after {MAX_CANDIDATES:,} candidate sets: larger conflicting "
                "sets may exist"
            )
        return out

    def _price_list(self, in_sets: set[int]) -> list[dict[str, Any]]:
        """The price of every red line that is part of a conflicting set."""
        ds, r = self.ds, self.scenario.reservations
        out = []
        for b in sorted(self.price):
            if b not in in_sets or self.price[b] == -math.inf:
                continue
            p = self.scenario.party_names.index(ds[b].party)
            out.append(
                {
                    "red_line": ds[b].text,
                    "party": ds[b].party,
                    "best_utility_across": self.price[b],
                    "reservation": float(r[p]),
                    "surplus": self.price[b] - float(r[p]),
                    "deal": self.scenario.space.deal(self.price_deal[b]),
                }
            )
        return out


def _deal(scenario: Scenario, row: np.ndarray, u: np.ndarray) -> dict:
    return {
        "deal": scenario.space.deal(row),
        "utilities": {p: float(x) for p, x in zip(scenario.party_names, u, strict=True)},
    }


def _diagnose_large(scenario: Scenario, ds: list[Demand]) -> dict[str, Any]:
    if not _infeasible_by_search(scenario, ds, set(range(len(ds)))):
        return {"empty": False}
    iis = _deletion_filter(scenario, ds)
    return {
        "empty": True,
        "method": "search (deletion filter)",
        "demands": [d.to_dict() for d in ds],
        "conflicting_sets": [[ds[b].to_dict() for b in iis]],
        "complete": False,
        "fewest_violations": None,
        "least_shortfall": None,
        "red_line_prices": [],
        "notes": [
            f"the space has {scenario.space.cardinality:.3g} outcomes, more than can be "
            "enumerated: one minimal conflicting set is shown (others may exist), and no "
            "least-bad deals"
        ],
    }


def diagnosis_text(diag: dict[str, Any]) -> str:
    """The diagnosis in words, one screen."""
    if not diag.get("empty"):
        return "The zone of agreement is not empty."
    out = ["Why no deal: the minimal conflicting sets (demands that cannot hold together):"]
    for k, s in enumerate(diag["conflicting_sets"], 1):
        out.append(f"  {k}. " + " + ".join(d["text"] for d in s))
    if not diag.get("complete", True):
        out.append("  (the list may be incomplete, see the notes)")
    fv = diag.get("fewest_violations")
    if fv and fv["deals"]:
        d = fv["deals"][0]
        out.append(
            f"Least-bad deals: {fv.get('n_deals', len(fv['deals'])):,} deal(s) violate only "
            f"{fv['count']} demand(s), e.g. this one violates " + "; ".join(d["violates"]) + ":"
        )
        out.append("    " + ", ".join(f"{k}={v}" for k, v in d["deal"].items()))
    ls = diag.get("least_shortfall")
    if ls:
        d = ls["deals"][0]
        utils = ", ".join(f"{p} {u:.3f}" for p, u in d["utilities"].items())
        out.append(
            f"Within every red line, the smallest largest shortfall below a reservation is "
            f"{ls['shortfall']:.3f}: {utils}"
        )
    for rp in diag.get("red_line_prices", []):
        if rp["surplus"] >= 0:
            verdict = f"softened to a penalty below {rp['surplus']:.3f}, it would open the zone"
        else:
            verdict = f"even dropped, {rp['party']} would need {-rp['surplus']:.3f} more"
        out.append(
            f"Price of {rp['red_line']}: best deal across it gives {rp['party']} "
            f"{rp['best_utility_across']:.3f} (reservation {rp['reservation']:g}); {verdict}"
        )
    for note in diag.get("notes", []):
        out.append(f"Note: {note}")
    return "\n".join(out)
