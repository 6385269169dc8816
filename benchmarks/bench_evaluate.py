"""Scoring and repairing a proposal: ``evaluate`` + ``repair`` on a 10^6-outcome scenario and on
a 2-party x 30-issue scenario (1.2e18 outcomes, the search engine).

    python benchmarks/bench_evaluate.py [--quick] [--repeat N]

Cases (issue 14, "The analyst's questions"):

1. 4 parties, 4^10 = 1,048,576 outcomes, every reservation 0.45: ``evaluate`` of a complete
   proposal (utilities, acceptance, red lines, exact ranks by counting, efficiency, distances)
   and ``repair`` by enumeration (every minimal deal counted), cross-checked against ``repair``
   by search (same change count).
2. 2 parties, 30 issues x 4 levels (4^30 = 1.2e18 outcomes), reservations 0.55: ``evaluate``
   (frontier by the search engine; ranks counted exactly, the space cannot be enumerated) and
   ``repair`` by the search engine, for a complete proposal and for one fixing 10 issues.

The analysis (frontier and solutions) is timed separately: ``evaluate`` reuses it. No peer
library scores or repairs a proposal (negmas, paretoset, moocore, pymoo compute frontiers), so
there is no side-by-side column. Times are wall-clock best of ``--repeat`` on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import random_scenario  # noqa: E402

import negotiation as ng  # noqa: E402
from negotiation.engine.repair import repair  # noqa: E402
from negotiation.model.proposals import Proposal  # noqa: E402


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def with_reservations(s, r: float):
    for p in s.party_names:
        s = s.with_party(p, reservation=r)
    return s


def case(title: str, s, proposals, repeat: int, *, engine: str, cross_check: bool) -> None:
    print(f"\n{title}: {s.space.cardinality:.3g} outcomes, {len(s.parties)} parties")
    t, a = best_of(lambda: ng.analyze(s, engine=engine, lotteries=False), repeat)
    print(f"  analyze ({a.engine}): {t:.3f} s, frontier {a.sizes['n_pareto']:,} deals")
    for prop in proposals:
        t, ev = best_of(lambda p=prop: ng.evaluate(s, p, analysis=a), repeat)
        card = ev.scorecards[0]
        ranks = ", ".join(
            f"{p} {r['rank']:,}{'' if r.get('exact', True) else ' (estimated)'}"
            for p, r in (card.ranks or {}).items()
            if r is not None
        )
        print(
            f"  evaluate '{prop.name}' ({len(prop.terms)} of {len(s.issues)} issues fixed): "
            f"{t:.3f} s; accepted by {card.accepted_by or 'nobody'}"
            + (f"; ranks {ranks}" if ranks else "")
        )
        t, r = best_of(lambda p=prop: repair(s, p), repeat)
        print(
            f"  repair ({r.method}): {t:.3f} s; {r.n_changes} change(s), "
            f"{r.n_minimal:,} minimal deal(s)"
        )
        if cross_check:
            t2, r2 = best_of(lambda p=prop: repair(s, p, method="search"), 1)
            assert r2.n_changes == r.n_changes, (r2.n_changes, r.n_changes)
            assert abs(r2.deals[0]["authors_utility"] - r.deals[0]["authors_utility"]) < 1e-9
            print(f"  repair (search, cross-check): {t2:.3f} s; same change count and best deal")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller cases, one repeat")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    n1 = 8 if args.quick else 10
    s1 = with_reservations(random_scenario(4, n1, 4, seed=0), 0.45)
    all_l0 = Proposal("all_first_levels", {i.name: "l0" for i in s1.issues}, by=("P0",))
    case(f"4 parties, 4^{n1}", s1, [all_l0], repeat, engine="enumerate", cross_check=True)
    n2 = 20 if args.quick else 30
    s2 = with_reservations(random_scenario(2, n2, 4, seed=0), 0.55)
    full = Proposal("all_first_levels", {i.name: "l0" for i in s2.issues}, by=("P0",))
    part = Proposal("ten_fixed", {i.name: "l3" for i in s2.issues[:10]}, by=("P1",))
    case(f"2 parties, 4^{n2}", s2, [full, part], repeat, engine="search", cross_check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
