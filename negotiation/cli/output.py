"""Output of the command line, shared by the sub-commands: terminal width, text that fits it,
JSON text, and the JSON summaries of ``sweep``, ``report`` and ``corpus``.

Every command that computes something prints either readable text fitted to the terminal (wide
tables wrapped into blocks of columns, long lines wrapped with a hanging indent) or, with
``--json``, the full result as JSON on stdout; the full tables are also in the CSV files the
commands write.

>>> print(fit_text("  Russia + Ukraine alone: " + "x " * 30, width=40))
  Russia + Ukraine alone: x x x x x x x
      x x x x x x x x x x x x x x x x x x
      x x x x x
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "terminal_width",
    "show_progress",
    "fit_text",
    "add_json_argument",
    "print_text",
    "print_json_text",
    "sweep_summary",
    "sweep_text",
    "report_index",
    "corpus_summary",
]

#: Width used when stdout is not a terminal and ``COLUMNS`` is not set.
DEFAULT_WIDTH = 100


def terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` wins; :data:`DEFAULT_WIDTH` when not a terminal),
    at least 40."""
    if os.environ.get("COLUMNS", "").isdigit():
        return max(40, int(os.environ["COLUMNS"]))
    if not sys.stdout.isatty():
        return DEFAULT_WIDTH
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def fit_text(text: str, width: int | None = None) -> str:
    """Wrap every line longer than ``width`` at word boundaries; continuation lines are indented
    four spaces more than the line they continue. Shorter lines (tables) are kept as they are."""
    width = width or terminal_width()
    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        out.extend(
            textwrap.wrap(
                line.strip(),
                width=width,
                initial_indent=lead,
                subsequent_indent=lead + "    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def show_progress(args: argparse.Namespace) -> bool:
    """Progress bars on stderr only for a person watching: not with ``--quiet`` or ``--json``,
    and not when stderr is not a terminal (a pipe, a file, a test), as tqdm's ``disable=None``."""
    if getattr(args, "quiet", False) or getattr(args, "json", False):
        return False
    return sys.stderr.isatty()


def add_json_argument(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    """The ``--json`` flag: print ``what`` as JSON (stdout) instead of text."""
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def print_text(text: str) -> None:
    """Print readable text fitted to the terminal width."""
    print(fit_text(text))


def print_json_text(data: Any) -> None:
    """Print JSON exactly as :meth:`negotiation.Analysis.to_json` writes it, and a newline."""
    from negotiation.engine.analysis import json_text  # on use: the engine imports scipy

    sys.stdout.write(json_text(data) + "\n")


def _plain(x: Any) -> Any:
    """numpy scalars -> Python numbers (JSON-ready); NaN -> None."""
    import numpy as np

    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and x != x:
        return None
    return x


def sweep_summary(results: Any, scenario_name: str, path: Path | str) -> dict:
    """The summary ``negotiation sweep`` prints, as JSON-ready data.

    Keys: ``scenario``, ``samples``, ``valid``, ``with_agreement``, ``robustness`` (share of
    samples in which the baseline Nash deal stays Pareto-feasible, or ``None``),
    ``nash_levels`` (``[{"issue", "level", "probability"}]``, the most likely level of each
    issue in the Nash deal), ``influence`` (``[{"input", "party", "rho"}]``, the five inputs
    that move the Nash utilities most, Spearman's rho), ``csv`` (the path of the rows).
    """
    from negotiation.studies.sweep import influence, level_probabilities, robustness

    valid = results[results["valid"].astype(bool)]
    out: dict = {
        "scenario": scenario_name,
        "samples": len(results),
        "valid": len(valid),
        "with_agreement": int(valid["agreement"].sum()) if len(valid) else 0,
        "robustness": None,
        "nash_levels": [],
        "influence": [],
        "csv": str(path),
    }
    if len(valid) and valid["agreement"].any():
        out["robustness"] = float(robustness(results))
        probs = level_probabilities(results, "nash")
        for issue, group in probs.groupby("issue", sort=False):
            top = group.sort_values("probability", ascending=False).iloc[0]
            out["nash_levels"].append(
                {
                    "issue": str(issue),
                    "level": str(top["level"]),
                    "probability": float(top["probability"]),
                }
            )
        if len(valid) > 5:
            inf = influence(results, "nash").dropna(how="all").head(5)
            for input_path, row in inf.iterrows():
                who = row.abs().idxmax()
                out["influence"].append(
                    {"input": str(input_path), "party": str(who), "rho": _plain(float(row[who]))}
                )
    return out


def sweep_text(summary: Mapping[str, Any]) -> str:
    """The readable form of :func:`sweep_summary`."""
    lines = [
        f"{summary['samples']:,} samples of {summary['scenario']!r}: {summary['valid']:,} valid, "
        f"{summary['with_agreement']:,} with a zone of agreement"
    ]
    if summary["robustness"] is not None:
        lines.append(
            f"baseline (Nash) deal stays Pareto-feasible in {summary['robustness']:.1%} of "
            f"{summary['valid']:,} valid samples"
        )
        lines.append(
            f"\nMost likely level of each issue in the Nash deal "
            f"(share of {summary['with_agreement']:,} samples):"
        )
        iw = max((len(r["issue"]) for r in summary["nash_levels"]), default=0)
        lw = max((len(r["level"]) for r in summary["nash_levels"]), default=0)
        for r in summary["nash_levels"]:
            lines.append(f"  {r['issue']:{iw}s}  {r['level']:{lw}s}  {r['probability']:6.1%}")
        if summary["influence"]:
            lines.append("\nInputs that move the Nash utilities most (Spearman's rho):")
            w = max(len(r["input"]) for r in summary["influence"])
            for r in summary["influence"]:
                rho = "n/a" if r["rho"] is None else f"{r['rho']:+.2f}"
                lines.append(f"  {r['input']:{w}s}  {r['party']}: {rho}")
        elif summary["valid"] > 5:
            lines.append("\nInputs that move the Nash utilities most: none, they do not vary")
    lines.append(f"\nwrote {summary['csv']}")
    return "\n".join(lines)


def report_index(report_html: Path | str) -> dict:
    """What ``negotiation report`` wrote, as JSON-ready data: ``report`` (report.html),
    ``markdown``, ``json`` (analysis.json), ``tables`` (CSV files), ``figures`` (by format),
    each a path; only files of the report's own names that exist in its folder."""
    html = Path(report_html)
    out_dir = html.parent
    figures: dict[str, list[str]] = {}
    fig_dir = out_dir / "figures"
    if fig_dir.is_dir():
        for p in sorted(fig_dir.iterdir()):
            if p.is_file() and p.suffix.lower() in (".png", ".svg", ".pdf"):
                figures.setdefault(p.suffix.lower()[1:], []).append(str(p))
    tables = sorted(str(p) for p in out_dir.glob("*.csv") if p.is_file())
    md = out_dir / "report.md"
    js = out_dir / "analysis.json"
    return {
        "out": str(out_dir),
        "report": str(html),
        "markdown": str(md) if md.is_file() else None,
        "json": str(js) if js.is_file() else None,
        "tables": tables,
        "figures": figures,
    }


def corpus_summary(rows: Sequence[Mapping[str, Any]], path: Path | str) -> dict:
    """``negotiation corpus --json``: counts by status, the table's rows, the CSV path."""
    from collections import Counter

    status = Counter(str(r.get("status", "")) for r in rows)
    return {
        "domains": len(rows),
        "status": dict(status),
        "rows": [{k: _plain(v) for k, v in r.items()} for r in rows],
        "csv": str(path),
    }
