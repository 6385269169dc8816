"""The engine's benchmark against the peer libraries, in one process each.

    python experiments/scaling.py [--quick] [--out DIR]

Runs, in order: ``benchmarks/bench_pareto.py`` (the Pareto filter on ready-made utility
matrices vs paretoset, pymoo, moocore, negmas), ``benchmarks/bench_search.py`` (the exact
frontier search on spaces far beyond enumeration, vs negmas's two-party search),
``benchmarks/bench_engine.py`` (scenario to solutions end to end; 10^7 enumerated outcomes),
``benchmarks/bench_exact_scale.py`` (issue 17's targets: every filter data class, ``analyze``
by the auto engine, 12 parties, with ratios to the best peer) and
``benchmarks/bench_sweep.py`` (Monte Carlo throughput). Peers come with the ``bench`` extra;
missing ones are reported. The printed tables are saved to ``results/scaling/scaling.txt``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from collections.abc import Sequence

from _common import ROOT, parse_args

NAME = "scaling"
BENCHMARKS = ("bench_pareto", "bench_search", "bench_engine", "bench_exact_scale", "bench_sweep")


def run_benchmark(name: str, quick: bool) -> str:
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    argv = ["--quick"] if quick else []
    if quick and name == "bench_pareto":
        argv += ["--peers", "none"]
    if quick and name in ("bench_search", "bench_engine"):
        argv += ["--no-peers"]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        module.main(argv)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    texts = []
    for name in BENCHMARKS:
        text = run_benchmark(name, args.quick)
        block = f"== {name} ==\n{text}"
        print(block)
        texts.append(block)
    target = args.out / "scaling.txt"
    target.write_text("\n".join(texts), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
