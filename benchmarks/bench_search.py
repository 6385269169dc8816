"""Benchmark: the exact frontier search on outcome spaces far too large to enumerate.

Usage::

    python benchmarks/bench_search.py [--quick] [--repeat R] [--no-peers] [--check]

Each case is a seeded random scenario: weights from a flat Dirichlet, a value uniform in
``[0, 1]`` per level, reservations 0 (the realistic additive setting of the issue); some cases
add random constraints, red lines and bonuses over distant issues (``+clauses``), or use small
integer points (``points``: many tied vectors). For each case the table gives the best
wall-clock time of :func:`negotiation.engine.search.search_frontier` over ``--repeat`` runs
(end to end from a built scenario: the search, the tie expansion, the exact recomputation of
the utilities, and the counts, including the ``n_feasible`` Monte Carlo estimate), the target
from the issue, the frontier size (outcomes and distinct utility vectors) and the largest
intermediate number of states.

Peers, in the same process (missing ones are skipped, saying so):

* ``negmas`` (``pip install negmas``): ``MOBANOSParetoSampler`` -- the two-party issue-by-issue
  construction of De Jonge et al. (2019) / Koça et al. (2024) -- on the same two-party
  scenarios, as ``LinearAdditiveUtilityFunction`` objects with the same weights and values
  (building them is not timed). Its frontier is compared with ours as sets of outcomes and of
  utility vectors (rounded to 1e-9: its sums run in another order).
* For three or more parties no peer runs: negmas's sampler is two-party only and the spaces
  (``4**12`` to ``4**20`` outcomes) are beyond enumeration for the peers' filters; the table
  says so. ``--check`` enumerates the cases small enough (our enumeration engine) and checks
  equality; ``--quick`` cases are always checked.

``--quick`` uses smaller cases, for a smoke test in seconds.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negotiation.engine.frontier import enumerate_frontier  # noqa: E402
from negotiation.engine.search import _fold, _problem, search_frontier  # noqa: E402
from negotiation.model.issues import Issue  # noqa: E402
from negotiation.model.party import Party  # noqa: E402
from negotiation.model.scenario import Scenario  # noqa: E402

#: Largest space the --check option enumerates.
CHECK_LIMIT = 20_000_000


# ---------------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------------


def random_scenario(
    n_parties: int,
    n_issues: int,
    n_levels: int,
    seed: int,
    *,
    clauses: bool = False,
    points: bool = False,
) -> Scenario:
    """Seeded random scenario: Dirichlet weights and uniform values (or integer points 0..9);
    with ``clauses`` 3 constraints, and per party a red line and a bonus, each over 2-3 random
    (usually distant) issues."""
    rng = np.random.default_rng(seed)
    issues = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(n_levels))) for k in range(n_issues))

    def clause(m: int) -> dict:
        ks = sorted(rng.choice(n_issues, m, replace=False))
        out = {}
        for k in ks:
            chosen = sorted(rng.choice(n_levels, int(rng.integers(1, n_levels)), replace=False))
            out[issues[k].name] = tuple(issues[k].levels[j] for j in chosen)
        return out

    parties = []
    for p in range(n_parties):
        extra = {}
        if clauses:
            extra = {
                "red_lines": (clause(2),),
                "bonuses": ((clause(2), float(rng.choice([-0.05, 0.05, 0.1]))),),
            }
        if points:
            table = {
                i.name: {
                    lv: int(v)
                    for lv, v in zip(i.levels, rng.integers(0, 10, n_levels), strict=True)
                }
                for i in issues
            }
            parties.append(Party(f"P{p}", points=table, **extra))
        else:
            w = rng.dirichlet(np.ones(n_issues))
            values = {
                i.name: {lv: float(v) for lv, v in zip(i.levels, rng.random(n_levels), strict=True)}
                for i in issues
            }
            parties.append(
                Party(f"P{p}", {i.name: float(w[k]) for k, i in enumerate(issues)}, values, **extra)
            )
    constraints = tuple(clause(int(rng.integers(2, 4))) for _ in range(3)) if clauses else ()
    tag = "+clauses" if clauses else ("points" if points else "")
    name = f"{n_parties}p {n_issues}x{n_levels} {tag}".strip()
    return Scenario(name, issues, tuple(parties), constraints=constraints)


@dataclass
class Case:
    parties: int
    issues: int
    levels: int
    target: float | None = None
    clauses: bool = False
    points: bool = False
    seed: int = 0

    def build(self) -> Scenario:
        return random_scenario(
            self.parties,
            self.issues,
            self.levels,
            self.seed,
            clauses=self.clauses,
            points=self.points,
        )


def cases(quick: bool) -> list[Case]:
    if quick:
        return [
            Case(2, 30, 4, 0.1),
            Case(2, 8, 4, clauses=True),
            Case(3, 9, 4),
            Case(4, 7, 4, clauses=True),
            Case(2, 9, 4, points=True),
        ]
    return [
        Case(2, 30, 4, 0.1),
        Case(2, 30, 4, 0.1, seed=1),
        Case(2, 30, 4, 0.1, seed=2),
        Case(2, 30, 4, clauses=True),
        Case(2, 30, 4, points=True),
        Case(2, 100, 5),
        Case(3, 20, 4, 5.0),
        Case(3, 20, 4, 5.0, seed=1),
        Case(3, 20, 4, 5.0, seed=2),
        Case(3, 20, 4, clauses=True),
        Case(3, 30, 4),
        Case(4, 12, 4, 5.0),
        Case(4, 12, 4, 5.0, seed=1),
        Case(4, 12, 4, 5.0, seed=2),
        Case(4, 12, 4, clauses=True),
        Case(4, 20, 4),
    ]


# ---------------------------------------------------------------------------------------------
# peers
# ---------------------------------------------------------------------------------------------


def negmas_peer(s: Scenario, repeat: int):
    """negmas's MOBANOS issue-by-issue Pareto construction on the same two-party scenario.

    Returns ``(seconds, level matrix)`` or a string saying why it cannot run."""
    if len(s.parties) != 2:
        return "two parties only"
    if s.constraints or any(p.red_lines or p.bonuses for p in s.parties):
        return "linear additive ufuns only (no constraints, red lines, bonuses)"
    try:
        from negmas import make_issue, make_os
        from negmas.preferences import LinearAdditiveUtilityFunction, MOBANOSParetoSampler
        from negmas.preferences.value_fun import TableFun
    except ImportError:
        return "not installed"
    space = make_os([make_issue(list(i.levels), i.name) for i in s.issues])
    ufuns = []
    for p in range(2):
        # each issue's additive scores (w_i * v_i(level), or points) as values, weights 1
        values = {
            i.name: TableFun({lv: float(v) for lv, v in zip(i.levels, t[:, p], strict=True)})
            for i, t in zip(s.issues, s.tables, strict=True)
        }
        weights = {i.name: 1.0 for i in s.issues}
        ufuns.append(
            LinearAdditiveUtilityFunction(values=values, weights=weights, outcome_space=space)
        )
    best, outcomes = float("inf"), []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sampler = MOBANOSParetoSampler(max_pareto_size=10**7)
        sampler.init(ufuns[0], ufuns[1])
        outcomes = sampler.pareto_outcomes()
        best = min(best, time.perf_counter() - t0)
    index = [{lv: j for j, lv in enumerate(i.levels)} for i in s.issues]
    levels = np.array([[index[k][v] for k, v in enumerate(o)] for o in outcomes], dtype=np.int64)
    return best, levels.reshape(-1, len(s.issues))


# ---------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------


def timed(fn, repeat: int):
    fn()  # warm-up (compiled tables, imports), not timed
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def rows_set(levels: np.ndarray) -> set:
    return {tuple(map(int, r)) for r in levels}


def vec_set(u: np.ndarray) -> set:
    return {tuple(r) for r in np.round(u, 9)}


def run(quick: bool, repeat: int, peers: bool, check: bool) -> int:
    print(
        f"# bench_search  {datetime.date.today()}  {platform.platform()}  "
        f"python {platform.python_version()}  numpy {np.__version__}  cpus {os.cpu_count()}"
    )
    header = (
        f"{'case':<22} {'outcomes':>9} {'search s':>9} {'+counts':>8} {'target':>7} {'frontier':>9} "
        f"{'vectors':>8} {'states':>7}  peer"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for case in cases(quick):
        s = case.build()
        P = len(s.parties)
        seconds, f = timed(lambda s=s: search_frontier(s, count_feasible=False), repeat)
        seconds_all, _ = timed(lambda s=s: search_frontier(s), repeat)
        fold = _fold(_problem(s, list(range(P)), list(range(P))))
        vectors = len(np.unique(f.utilities, axis=0)) if f.size else 0
        target = f"{case.target:g}" if case.target else "-"
        ok_target = case.target is None or seconds < case.target
        notes = []
        if peers:
            res = negmas_peer(s, repeat)
            if isinstance(res, str):
                if P > 2 and s.space.cardinality > CHECK_LIMIT:
                    notes.append(
                        "no peer runs this case (negmas's search is two-party only; the space "
                        "is beyond enumeration for the peers' filters)"
                    )
                else:
                    notes.append(f"negmas: {res}")
            else:
                t_peer, lv = res
                u_peer = s.utilities(lv) if lv.size else np.zeros((0, P))
                same_rows = rows_set(lv) == rows_set(f.levels)
                same_vecs = vec_set(u_peer) == vec_set(f.utilities)
                notes.append(
                    f"negmas MOBANOS {t_peer:.4f} s = {t_peer / seconds:.2g}x ours; "
                    f"same outcomes: {'yes' if same_rows else 'NO'}, "
                    f"same utility vectors: {'yes' if same_vecs else 'NO'}"
                )
                failures += not same_vecs
        if quick or check:
            if s.space.cardinality <= CHECK_LIMIT:
                t0 = time.perf_counter()
                e = enumerate_frontier(s)
                t_e = time.perf_counter() - t0
                same = np.array_equal(e.levels, f.levels) and np.array_equal(
                    e.utilities, f.utilities
                )
                failures += not same
                notes.append(f"enumeration {t_e:.2f} s, identical: {'yes' if same else 'NO'}")
        flag = "" if ok_target else " (MISSED)"
        print(
            f"{s.name:<22} {float(s.space.cardinality):>9.2e} {seconds:>9.4f} {seconds_all:>8.4f} "
            f"{target + flag:>7} {f.size:>9,} {vectors:>8,} {max(fold.sizes):>7,}  "
            + "; ".join(n for n in notes if n)
        )
        sys.stdout.flush()
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small cases, seconds")
    ap.add_argument("--repeat", type=int, default=None, help="timed runs per case (best kept)")
    ap.add_argument("--no-peers", action="store_true", help="skip negmas")
    ap.add_argument(
        "--check",
        action="store_true",
        help=f"enumerate cases up to {CHECK_LIMIT:,} outcomes and compare",
    )
    args = ap.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    return run(args.quick, repeat, not args.no_peers, args.check)


if __name__ == "__main__":
    raise SystemExit(main())
