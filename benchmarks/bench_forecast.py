"""Forecasting models at scale: the EUM and the exchange model on random spatial problems.

Targets (issue 16): the EUM with 50 actors x 10 issues x 100 rounds, and the exchange model
with 50 actors x 20 issues; the reference exchange model (``decide-exchange-model``, the
optional ``crosscheck`` extra) side by side on the same input, one round, when it is installed.
Inputs are seeded (positions on Decide's usual grid of 5 points, salience and power in
(0, 1]). Usage: ``python benchmarks/bench_forecast.py [--quick] [--rounds N] [--no-reference]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from negotiation.forecast import forecast


def problem(n: int, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0, 100, (n, m)) / 5) * 5
    return x, np.round(rng.uniform(0.05, 1, (n, m)), 2), np.round(rng.uniform(0.05, 1, (n, m)), 2)


def decide_file(path: Path, x, c, s) -> None:
    n, m = x.shape
    rows = [f"#A\ta{k}\tActor {k}" for k in range(n)]
    for d in range(m):
        rows += [f"#P\tissue{d}\tIssue {d}", f"#M\tissue{d}\t0\tlow", f"#M\tissue{d}\t100\thigh"]
    for d in range(m):
        rows += [f"#D\ta{k}\tissue{d}\t{x[k, d]:g}\t{s[k, d]:g}\t{c[k, d]:g}" for k in range(n)]
    path.write_text("\n".join(r + "\t" * (6 - r.count("\t")) for r in rows) + "\n")


REFERENCE = """
import sys, time
from decide.data.reader import InputDataFile
from decide.data.modelfactory import ModelFactory
from decide.model.equalgain import EqualGainModel
EqualGainModel.ALLOW_RANDOM = False
model = ModelFactory(InputDataFile.open(sys.argv[1]))(EqualGainModel)
t = time.perf_counter()
model.calc_nbs(); model.determine_positions(); model.calc_combinations()
model.determine_groups_and_calculate_exchanges()
n = 0
while model.exchanges:
    e = model.highest_gain()
    if e and e.is_valid:
        model.remove_invalid_exchanges(e); n += 1
print(time.perf_counter() - t, n)
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--rounds", type=int, default=3, help="exchange model rounds (default 3)")
    parser.add_argument("--no-reference", action="store_true", help="skip decide-exchange-model")
    parser.add_argument("--timeout", type=float, default=900, help="reference time limit (s)")
    args = parser.parse_args(argv)
    n_e, m_e, r_e = (20, 5, 10) if args.quick else (50, 10, 100)
    x, c, s = problem(n_e, m_e)
    t = time.perf_counter()
    forecast("eum", x, c[:, 0], s, rounds=r_e)
    print(f"EUM {n_e} actors x {m_e} issues x {r_e} rounds: {time.perf_counter() - t:.2f} s")

    n_x, m_x = (20, 6) if args.quick else (50, 20)
    rounds = 1 if args.quick else args.rounds
    x, c, s = problem(n_x, m_x, seed=1)
    t = time.perf_counter()
    r = forecast("exchange", x, c, s, rounds=rounds)
    secs = time.perf_counter() - t
    print(
        f"exchange {n_x} actors x {m_x} issues x {rounds} rounds: {secs:.2f} s "
        f"({secs / rounds:.2f} s/round; exchanges per round {r.details['exchanges']})"
    )
    if args.no_reference:
        return 0
    try:
        import decide  # noqa: F401
    except ImportError:
        print("decide-exchange-model not installed (pip install -e '.[crosscheck]'): skipped")
        return 0
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "input.txt"
        decide_file(path, x, c, s)
        t = time.perf_counter()
        first = forecast("exchange", x, c, s, rounds=1)
        ours = time.perf_counter() - t
        try:
            out = subprocess.run(
                [sys.executable, "-c", REFERENCE, str(path)],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=True,
            ).stdout.split()
            print(
                f"one round, same input: ours {ours:.2f} s ({first.details['exchanges'][0]} "
                f"exchanges), decide-exchange-model {float(out[0]):.2f} s ({out[1]} exchanges)"
            )
        except subprocess.TimeoutExpired:
            print(f"decide-exchange-model: one round did not finish in {args.timeout:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
