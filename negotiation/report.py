"""The report: every figure, the tables, the JSON, and one document a reader can open.

:func:`build_report` analyses a scenario (or takes a finished
:class:`~negotiation.engine.analysis.Analysis`) and writes into one folder:

* ``figures/*.png`` (and ``.svg``/``.pdf``): the utility space (two parties) or the matrix of
  pairwise utility spaces and the parallel coordinates (three or more), each also zoomed on the
  zone of agreement; the solutions' deal table; who gains what; the sensitivity of the Nash deal
  (tornado chart, a line plot, level frequencies under uncertainty) and a simulated negotiation's
  trace when those modules are available;
* ``frontier.csv``, ``solutions.csv`` (and the sensitivity and simulation tables);
* ``analysis.json`` (:meth:`Analysis.to_dict`, plus the equilibria when available);
* ``report.md`` (figures referenced as files) and ``report.html`` (self-contained: figures
  embedded as PNG data URIs, so it opens anywhere).

The report describes the scenario (parties, issues, weights, red lines, sources), the zone of
agreement, the solutions side by side, and the main trade-offs in words generated from the numbers
(:func:`describe_trade_offs`). Every report says, at the top, that a scenario is a model for
analysis, not a forecast.

This module is part of the faces layer: it is the one place (with the command line) that writes
files; the figures come from :mod:`negotiation.plots`, which only draws.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negotiation.errors import NegotiationError
from negotiation.plots._common import group_coincident
from negotiation.plots.colors import party_colors, pretty_level, solution_label

__all__ = [
    "build_report",
    "describe_trade_offs",
    "zone_of_agreement",
    "FORECAST_NOTE",
    "DEFAULT_MAX_OUTCOMES",
]

#: Said prominently in every report.
FORECAST_NOTE = (
    "A scenario is a model for analysis, not a forecast. Its weights, values, red lines and "
    "reservation values are assumptions (see the sources and the scenario file's comments); the "
    "deals below are what those assumptions imply, not predictions or recommendations."
)

#: At most this many outcomes are drawn in the utility-space figures (a seeded sample above it).
DEFAULT_MAX_OUTCOMES = 1_000_000

#: Sensitivity sweeps run only when one analysis is this cheap (outcome space size).
_SENSITIVITY_LIMIT = 300_000
#: At most this many Monte Carlo variants in the report (run in one process; minutes at most).
_MAX_REPORT_SAMPLES = 100_000

_ORDER = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


# -- a tiny document model rendered to Markdown and HTML -----------------------------------------
@dataclass
class _Doc:
    """Blocks of a report: ``(kind, payload)``, rendered to Markdown and to HTML."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", (level, text)))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def note(self, text: str) -> None:
        self.blocks.append(("note", text))

    def ul(self, items: Iterable[str]) -> None:
        items = list(items)
        if items:
            self.blocks.append(("ul", items))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: bool = True
    ) -> None:
        self.blocks.append(("table", (list(header), [list(r) for r in rows], numeric)))

    def figure(self, rel_png: str, caption: str, png: bytes) -> None:
        self.blocks.append(("figure", (rel_png, caption, png)))

    # Markdown ---------------------------------------------------------------------------------
    def to_markdown(self) -> str:
        out: list[str] = []
        for kind, x in self.blocks:
            if kind == "h":
                out.append("#" * x[0] + " " + x[1])
            elif kind == "p":
                out.append(x)
            elif kind == "note":
                out.append("> **" + x + "**")
            elif kind == "ul":
                out.append("\n".join("- " + item for item in x))
            elif kind == "table":
                header, rows, numeric = x
                cell = lambda v: str(v).replace("|", "\\|").replace("\n", " ")  # noqa: E731
                out.append("| " + " | ".join(cell(h) for h in header) + " |")
                aligns = ["---"] + [
                    "---:" if numeric and rows and all(_is_number(r[c]) for r in rows) else "---"
                    for c in range(1, len(header))
                ]
                out.append("| " + " | ".join(aligns) + " |")
                out.extend("| " + " | ".join(cell(v) for v in r) + " |" for r in rows)
            elif kind == "figure":
                rel, caption, _ = x
                out.append(f"![{caption}]({rel})\n\n*{caption}*")
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    # HTML -------------------------------------------------------------------------------------
    def to_html(self, title: str) -> str:
        body: list[str] = []
        for kind, x in self.blocks:
            if kind == "h":
                level, text = x
                anchor = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
                body.append(f'<h{level} id="{anchor}">{_inline(text)}</h{level}>')
            elif kind == "p":
                body.append(f"<p>{_inline(x)}</p>")
            elif kind == "note":
                body.append(f'<div class="note">{_inline(x)}</div>')
            elif kind == "ul":
                body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in x) + "</ul>")
            elif kind == "table":
                header, rows, numeric = x
                head = "".join(f"<th>{_inline(str(h))}</th>" for h in header)
                trs = []
                for r in rows:
                    tds = [f'<th scope="row">{_inline(str(r[0]))}</th>'] + [
                        f'<td class="{"num" if numeric and _is_number(v) else "txt"}">{_inline(str(v))}</td>'
                        for v in r[1:]
                    ]
                    trs.append("<tr>" + "".join(tds) + "</tr>")
                body.append(
                    '<div class="tablewrap"><table><thead><tr>'
                    + head
                    + "</tr></thead><tbody>"
                    + "".join(trs)
                    + "</tbody></table></div>"
                )
            elif kind == "figure":
                rel, caption, png = x
                data = base64.b64encode(png).decode("ascii")
                body.append(
                    f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
                    f"<figcaption>{_inline(caption)}</figcaption></figure>"
                )
        return _HTML.format(title=html.escape(title), body="\n".join(body))


def _is_number(v: Any) -> bool:
    return bool(re.fullmatch(r"[\u2212+-]?\d[\d,]*(\.\d+)?%?", str(v).strip()))


def _inline(text: str) -> str:
    """Escape, then the two bits of inline markup the report uses: **bold** and `code`."""
    t = html.escape(str(text))
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
    return t.replace("\n", "<br>")


_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a;
       max-width: 1080px; margin: 2em auto; padding: 0 1.2em; line-height: 1.5; }}
h1 {{ font-size: 1.8em; border-bottom: 2px solid #333; padding-bottom: .2em; }}
h2 {{ font-size: 1.35em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: .15em; }}
h3 {{ font-size: 1.1em; margin-top: 1.5em; }}
.note {{ background: #fff4d6; border-left: 5px solid #e69f00; padding: .7em 1em; margin: 1em 0;
        font-weight: 600; }}
.tablewrap {{ overflow-x: auto; margin: .8em 0; }}
table {{ border-collapse: collapse; font-size: .88em; }}
th, td {{ border: 1px solid #d0d0d0; padding: .3em .6em; vertical-align: top; }}
thead th {{ background: #f0f0f0; }}
tbody th {{ text-align: left; font-weight: 600; background: #fafafa; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 1.5em 0; }}
figure img {{ max-width: 100%; height: auto; border: 1px solid #eee; }}
figcaption {{ font-size: .9em; color: #444; margin-top: .3em; }}
code {{ background: #f3f3f3; padding: 0 .25em; border-radius: 3px; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


# -- numbers and words -----------------------------------------------------------------------------
def _f(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _signed(x: float, digits: int = 3) -> str:
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def _pct(x: float) -> str:
    if x == 0:
        return "0%"
    if x < 0.001:
        return f"{100 * x:.2g}%"
    return f"{100 * x:.3g}%"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordered_solutions(analysis: Any) -> dict[str, Any]:
    sols = {k: v for k, v in (analysis.solutions or {}).items() if v is not None}
    names = [n for n in _ORDER if n in sols] + [n for n in sols if n not in _ORDER]
    return {n: sols[n] for n in names}


def _solution_groups(analysis: Any) -> list[list[str]]:
    sols = _ordered_solutions(analysis)
    return group_coincident({n: np.asarray(d.levels, dtype=float) for n, d in sols.items()}, tol=0)


def _group_name(group: Sequence[str]) -> str:
    return " = ".join(solution_label(n) for n in group)


def zone_of_agreement(
    scenario: Any, utilities: np.ndarray, levels: np.ndarray, rule: Any = None
) -> dict[str, Any]:
    """Counts of the zone of agreement over a set of outcomes (all of them, or a sample).

    Returns ``n`` (outcomes looked at), ``allowed`` (no joint constraint forbids them),
    ``feasible`` (the agreement rule passes), and per party ``accepts`` (allowed outcomes the
    party finds acceptable on its own: at least its reservation, no red line crossed) and
    ``red_line`` (allowed outcomes crossing one of its red lines).
    """
    allowed = scenario.space.allowed_mask(levels)
    acc = scenario.acceptable(levels, utilities)
    red = scenario.red_line_mask(levels)
    feasible = allowed & scenario.passes(acc, rule)
    names = scenario.party_names
    return {
        "n": int(levels.shape[0]),
        "allowed": int(allowed.sum()),
        "feasible": int(feasible.sum()),
        "accepts": {p: int((acc[:, k] & allowed).sum()) for k, p in enumerate(names)},
        "red_line": {p: int((red[:, k] & allowed).sum()) for k, p in enumerate(names)},
        "feasible_mask": feasible,
    }


def describe_trade_offs(analysis: Any) -> list[str]:
    """The main trade-offs in words, generated from the numbers of an analysis.

    Sentences on: which solutions pick the same deal; on which issues the solutions agree and on
    which they differ; between the Nash and the utilitarian deal (or the most different pair),
    which issues differ, who gains and loses how much, and which issue decides (the largest
    swing of the parties' additive scores ``sum_p |s_{p,i}(l') - s_{p,i}(l)|``, Raiffa 1982);
    under each solution, which party is closest to its reservation value; which issues are the
    same in every Pareto-feasible deal.
    """
    s = analysis.frontier.scenario
    f = analysis.frontier
    names = list(s.party_names)
    r = np.asarray(s.reservations, dtype=float)
    sols = _ordered_solutions(analysis)
    out: list[str] = []
    if f.is_empty or not sols:
        return ["No outcome is feasible, so there is no trade-off to describe."]
    groups = _solution_groups(analysis)
    shared = [g for g in groups if len(g) > 1]
    if len(groups) == 1:
        out.append(f"All {len(sols)} solutions pick the same deal.")
    elif shared:
        out.append(
            _cap("; ".join(f"{_join([_prose(n) for n in g])} pick the same deal" for g in shared))
            + f" ({len(groups)} different deals among {len(sols)} solutions)."
        )
    # issues agreed and contested
    L = np.array([np.asarray(d.levels) for d in sols.values()])
    agreed = [i for i in range(len(s.issues)) if len(set(L[:, i].tolist())) == 1]
    contested = [i for i in range(len(s.issues)) if i not in agreed]
    if contested and agreed:
        out.append(
            f"The solutions agree on {len(agreed)} of {len(s.issues)} issues and differ "
            + ("only " if len(contested) == 1 else "")
            + "on "
            + _join([f"**{s.issues[i].display}**" for i in contested])
            + "."
        )
    # frontier-wide fixed issues
    fixed = [i for i in range(len(s.issues)) if f.size and len(np.unique(f.levels[:, i])) == 1]
    if fixed:
        out.append(
            "Every Pareto-feasible deal has "
            + _join(
                [
                    f"{s.issues[i].display}: {pretty_level(s.issues[i].levels[f.levels[0, i]])}"
                    for i in fixed
                ]
            )
            + " (nothing else on these issues is both feasible and efficient)."
        )
    # the main comparison
    a_name, b_name = _main_pair(sols)
    if a_name and b_name:
        out.extend(_compare(s, sols[a_name], sols[b_name], a_name, b_name))
    # closest to the reservation
    ideal = f.ideal
    for g in groups:
        d = sols[g[0]]
        gain = np.asarray(d.utilities, dtype=float) - r
        span = np.where(ideal - r > 0, ideal - r, np.nan)
        k = int(np.argmin(gain))
        share = gain[k] / span[k] if np.isfinite(span[k]) else float("nan")
        tail = (
            f" ({_pct(share)} of the most it could gain in a feasible deal)"
            if np.isfinite(share)
            else ""
        )
        out.append(
            f"Under {_join([_prose(n) for n in g])}, **{names[k]}** is closest to its "
            f"reservation value: {_f(d.utilities[k])}, {_signed(gain[k])} above {_f(r[k])}{tail}."
        )
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _prose(name: str) -> str:
    """A solution's label for running text: common nouns in lower case (``utilitarian``)."""
    label = solution_label(name)
    if label.split()[0] in ("Egalitarian", "Utilitarian", "Simulated", "Equilibrium", "Asymmetric"):
        return label[0].lower() + label[1:]
    return label


def _main_pair(sols: dict[str, Any]) -> tuple[str | None, str | None]:
    """Nash vs utilitarian when they differ; else the two solutions whose deals differ most."""
    if (
        "nash" in sols
        and "utilitarian" in sols
        and not np.array_equal(sols["nash"].levels, sols["utilitarian"].levels)
    ):
        return "nash", "utilitarian"
    best, pair = 0, (None, None)
    keys = list(sols)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            n = int(np.sum(np.asarray(sols[a].levels) != np.asarray(sols[b].levels)))
            if n > best:
                best, pair = n, (a, b)
    return pair


def _compare(s: Any, da: Any, db: Any, a: str, b: str) -> list[str]:
    names = list(s.party_names)
    la, lb = np.asarray(da.levels), np.asarray(db.levels)
    diff = [i for i in range(len(s.issues)) if la[i] != lb[i]]
    A, B = _prose(a), _prose(b)
    if not diff:
        return []
    parts = [
        f"{s.issues[i].display} ({pretty_level(s.issues[i].levels[la[i]])} under {A}, "
        f"{pretty_level(s.issues[i].levels[lb[i]])} under {B})"
        for i in diff
    ]
    out = [
        f"The {A} and the {B} deals differ on {len(diff)} issue{'s' if len(diff) > 1 else ''}: {'; '.join(parts)}."
    ]
    du = np.asarray(db.utilities, dtype=float) - np.asarray(da.utilities, dtype=float)
    gain = [f"{names[k]} ({_signed(du[k])})" for k in np.argsort(-du) if du[k] > 1e-12]
    lose = [f"{names[k]} ({_signed(du[k])})" for k in np.argsort(du) if du[k] < -1e-12]
    move = f"Moving from the {A} to the {B} deal"
    g_verb = "gains" if len(gain) == 1 else "gain"
    l_verb = "loses" if len(lose) == 1 else "lose"
    if gain and lose:
        out.append(f"{move}, {_join(gain)} {g_verb} utility; {_join(lose)} {l_verb}.")
    elif gain:
        out.append(f"{move}, {_join(gain)} {g_verb} and nobody loses.")
    elif lose:
        out.append(f"{move}, {_join(lose)} {l_verb} and nobody gains.")
    # which issue decides: largest total swing in the additive scores
    # (points-scored beside weighted parties: never add across scales; compare each party's
    # swing relative to the span of its own scale instead)
    mixed = len({p.scored_in_points for p in s.parties}) == 2
    span = np.ones(len(names))
    if mixed:
        span = np.array(
            [sum(float(np.ptp(t[:, k])) for t in s.tables) or 1.0 for k in range(len(names))]
        )
    swings = []
    for i in diff:
        delta = s.tables[i][lb[i]] - s.tables[i][la[i]]
        swings.append((float((np.abs(delta) / span).sum()), i, delta))
    swings.sort(key=lambda t: -t[0])
    total, i, delta = swings[0]
    movers = [f"{names[k]} {_signed(delta[k])}" for k in np.argsort(delta) if abs(delta[k]) > 1e-12]
    lead = "The issue that decides between them is" if len(diff) > 1 else "The deciding issue is"
    size = "relative to each party's own scale" if mixed else f"{_f(total)} in total"
    out.append(
        f"{lead} **{s.issues[i].display}**: switching it alone moves the parties' scores by "
        f"{_join(movers)} (the largest swing, {size}"
        + (f", of {len(diff)} differing issues" if len(diff) > 1 else "")
        + ")."
    )
    return out


# -- figures -----------------------------------------------------------------------------------------
class _Figures:
    """Saves figures in the requested formats and remembers them for the document."""

    def __init__(self, out: Path, formats: Sequence[str], dpi: int) -> None:
        self.dir = out / "figures"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.formats = [f.lower().lstrip(".") for f in formats]
        bad = [f for f in self.formats if f not in ("png", "svg", "pdf")]
        if bad:
            raise NegotiationError(f"figure formats must be png, svg or pdf, got {bad}")
        if "png" not in self.formats:
            self.formats.insert(0, "png")  # the HTML embeds PNGs
        self.dpi = dpi
        self.saved: dict[str, bytes] = {}
        self.bar: Any = None  # a tqdm bar, advanced once per figure saved

    def save(self, fig: Any, name: str) -> str:
        import matplotlib.pyplot as plt

        if fig.get_layout_engine() is not None:
            fig.draw_without_rendering()  # lay out once, then freeze it for every format
            fig.set_layout_engine("none")
        for fmt in self.formats:
            path = self.dir / f"{name}.{fmt}"
            kw: dict[str, Any] = {}
            if fmt == "png":
                kw["dpi"] = self.dpi
            elif fmt == "svg":
                kw["metadata"] = {"Date": None}
            else:
                kw["metadata"] = {"CreationDate": None}
            fig.savefig(path, **kw)
        plt.close(fig)
        self.saved[name] = (self.dir / f"{name}.png").read_bytes()
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)
        return f"figures/{name}.png"

    def add(self, doc: _Doc, fig: Any, name: str, caption: str) -> None:
        """Save ``fig`` as ``name`` and put it, with its caption, into ``doc``."""
        doc.figure(self.save(fig, name), caption, self.saved[name])


def _outcomes(scenario: Any, max_outcomes: int, seed: int) -> tuple[np.ndarray, bool]:
    """Level matrix of all outcomes, or of a seeded uniform sample when there are more."""
    space = scenario.space
    if space.cardinality <= max_outcomes:
        return space.enumerate(), True
    return space.sample(max_outcomes, seed=seed), False


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _equilibria(scenario: Any) -> tuple[dict | None, str | None]:
    """``(summary, None)`` from :func:`negotiation.dynamics.games.equilibria_summary`, or
    ``(None, why not)``."""
    if not _available("negotiation.dynamics.games"):
        return None, "the game-theory module (negotiation.dynamics.games) is not installed"
    try:
        from negotiation.dynamics.games import equilibria_summary
    except ImportError:
        return None, "the game-theory module has no equilibria_summary"
    try:
        return dict(equilibria_summary(scenario)), None
    except NegotiationError as err:
        return None, f"not applicable: {err}"
    except Exception as err:  # an optional section must not sink the whole report
        return None, f"the equilibria could not be computed ({type(err).__name__}: {err})"


def _equilibrium_points(eq: dict | None, parties: Sequence[str]) -> dict[str, np.ndarray]:
    out = {}
    for name, res in (eq or {}).items():
        if not isinstance(res, dict):
            continue
        agreement = res.get("agreement")
        if isinstance(agreement, dict) and isinstance(agreement.get("utilities"), dict):
            u = agreement["utilities"]
            if all(p in u for p in parties):
                label = res.get("label") or name
                out[f"equilibrium: {label}"] = np.array([float(u[p]) for p in parties])
    return out


def _simulate(scenario: Any, seed: int) -> tuple[Any, str | None, str]:
    """One seeded simulated negotiation, or ``(None, why not, "")``."""
    if not _available("negotiation.dynamics.protocols"):
        return None, "the protocols module (negotiation.dynamics.protocols) is not installed", ""
    try:
        from negotiation.dynamics.protocols import simulate
    except ImportError as err:
        return None, f"the protocols module cannot be imported ({err})", ""
    if len(scenario.parties) == 2:
        protocol, agents = "alternating", ("boulware", "conceder")
        how = "alternating offers, the first party playing a Boulware and the second a Conceder time-dependent strategy"
    else:
        protocol, agents = "stacked", "boulware"
        how = "stacked alternating offers, every party playing a Boulware time-dependent strategy"
    try:
        result = simulate(scenario, protocol, agents, seed=seed, rounds=100)
    except NegotiationError as err:
        return None, f"the simulation did not run: {err}", ""
    except Exception as err:  # an optional section must not sink the whole report
        return None, f"the simulation failed ({type(err).__name__}: {err})", ""
    return (
        result,
        None,
        f"{how} (Faratin, Sierra & Jennings 1998), deadline 100 offers, seed {seed}",
    )


# -- the report -------------------------------------------------------------------------------------
def _resolve(obj: Any) -> Any:
    if hasattr(obj, "frontier") and hasattr(obj, "solutions"):
        return obj
    from negotiation.engine.analysis import analyze

    if isinstance(obj, (str, Path)):
        from negotiation.model import load_scenario

        obj = load_scenario(obj)
    if not hasattr(obj, "parties") or not hasattr(obj, "issues"):
        raise NegotiationError(
            f"build_report needs a Scenario, a scenario name/file or an Analysis, got {type(obj).__name__}"
        )
    return analyze(obj)


def build_report(
    scenario_or_analysis: Any,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg"),
    seed: int = 0,
    dpi: int = 150,
    max_outcomes: int = DEFAULT_MAX_OUTCOMES,
    sensitivity: bool = True,
    simulation: bool = True,
    equilibria: bool = True,
    samples: int | None = None,
    progress: bool | None = False,
) -> Path:
    """Write the report, figures, tables and JSON of a scenario into ``out_dir``.

    Parameters
    ----------
    scenario_or_analysis
        A :class:`~negotiation.model.scenario.Scenario`, a scenario name or file, or an
        :class:`~negotiation.engine.analysis.Analysis` (then nothing is re-analysed).
    out_dir
        The folder to write (created if needed; files of the same names are overwritten: the
        command line refuses to overwrite files it did not write, see
        :mod:`negotiation.cli.outdir`). The "Files" section lists only what this call wrote.
    formats
        Figure formats besides PNG (always written: the HTML embeds it): ``"svg"``, ``"pdf"``.
    seed
        Seed of every random step: the outcome sample (when the space has more than
        ``max_outcomes`` outcomes), the Monte Carlo sensitivity and the simulation.
    dpi
        Resolution of the PNG figures.
    max_outcomes
        Outcomes drawn in the utility-space figures; larger spaces are sampled uniformly.
    progress
        Show a progress bar (one step per figure) on stderr: ``True``, ``False``, or ``None``
        for "only when stderr is a terminal" (tqdm's ``disable=None``).
    sensitivity, simulation, equilibria
        Include these sections (each only when its module is available and, for the
        sensitivity sweeps, when one analysis is cheap; otherwise the report says why not).
    samples
        Monte Carlo variants in the uncertainty section (default
        :data:`negotiation.studies.sweep.DEFAULT_SAMPLES`, the default of ``negotiation
        sweep``: for the same seed and number the two give the same level probabilities).

    Returns
    -------
    pathlib.Path
        The path of ``report.html`` (``report.md`` and the rest are next to it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = build_report("textbook_two_party", d, formats=("png",), sensitivity=False,
    ...                         simulation=False)
    ...     sorted(p.name for p in path.parent.iterdir() if p.is_file())
    ['analysis.json', 'frontier.csv', 'lotteries.csv', 'report.html', 'report.md', 'solutions.csv']
    """
    if samples is not None and not (isinstance(samples, int) and samples >= 1):
        raise NegotiationError(f"samples must be a whole number >= 1, got {samples!r}")
    if samples is not None and samples > _MAX_REPORT_SAMPLES:
        raise NegotiationError(
            f"the report draws at most {_MAX_REPORT_SAMPLES:,} Monte Carlo variants, got "
            f"{samples:,}; run `negotiation sweep` for more (it shows progress and resumes)"
        )
    analysis = _resolve(scenario_or_analysis)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from negotiation.cli.outdir import snapshot, written_since

    before = snapshot(out)  # the "Files" section lists only what this run writes
    figs = _Figures(out, formats, dpi)
    if progress is not False:
        from tqdm.auto import tqdm

        figs.bar = tqdm(
            desc="report figures", unit="figure", disable=None if progress is None else False
        )
    scenario = analysis.scenario
    s = analysis.frontier.scenario  # discrete (the one the frontier was computed on)
    f = analysis.frontier
    names = list(s.party_names)
    colors = party_colors(names)
    P = len(names)
    issue_labels = {i.name: i.display for i in s.issues}
    sols = _ordered_solutions(analysis)
    doc = _Doc()

    # -- data files ---------------------------------------------------------------------------
    data = analysis.to_dict()
    eq, eq_why = _equilibria(scenario) if equilibria and not f.is_empty and P >= 2 else (None, None)
    if eq:
        data["equilibria"] = eq
    analysis.to_frame().to_csv(out / "frontier.csv", index=False)
    analysis.solutions_frame().to_csv(out / "solutions.csv")
    if analysis.lotteries:
        _lottery_frame(analysis).to_csv(out / "lotteries.csv", index=False)

    # -- outcomes for the utility-space figures --------------------------------------------------
    levels, exact = _outcomes(s, max_outcomes, seed)
    U = s.utilities(levels)
    zone = zone_of_agreement(s, U, levels, analysis.rule)
    feasible = zone.pop("feasible_mask")

    # -- title and the note -------------------------------------------------------------------------
    doc.h(1, f"Negotiation analysis: {scenario.name}")
    doc.note(FORECAST_NOTE)
    if scenario.description:
        doc.p(" ".join(scenario.description.split()))

    # -- scenario ------------------------------------------------------------------------------------
    _scenario_section(doc, scenario, s)

    # -- zone of agreement -----------------------------------------------------------------------------
    doc.h(2, "The zone of agreement")
    _zone_section(doc, analysis, zone, exact)

    # -- simulation (before figures: its agreement is a marker) -----------------------------------
    sim, sim_why, sim_how = (None, None, "")
    if simulation and not f.is_empty:
        sim, sim_why, sim_how = _simulate(s, seed)

    markers: dict[str, Any] = dict(sols)
    markers.update(_equilibrium_points(eq, names))
    if sim is not None and sim.agreement is not None:
        markers["simulated"] = np.asarray(sim.agreement.utilities, dtype=float)

    # -- the utility space ----------------------------------------------------------------------------
    from negotiation.plots import (
        plot_deal_table_from_analysis,
        plot_gains,
        plot_pairwise,
        plot_parallel,
        plot_utility_space,
        scale_notes,
    )
    from negotiation.plots.gains import mixed_scales

    doc.h(2, "The utility space")
    shown = (
        "every outcome"
        if exact
        else f"a uniform sample of {levels.shape[0]:,} outcomes (seed {seed})"
    )
    # what every utility-space figure shows; the zoomed ones again, on the zone of agreement
    space: dict[str, Any] = {
        "outcomes": U,
        "feasible": feasible,
        "disagreement": s.reservations,
        "solutions": markers,
        "parties": names,
        "colors": colors,
        "axis_notes": scale_notes(s),  # points-scored parties on their own scale; bonuses
    }
    zoomed = "The same, zoomed on the zone of agreement."
    if P == 2:
        ax = plot_utility_space(f.utilities, **space, title="The utility space")
        figs.add(
            doc,
            ax.figure,
            "utility_space",
            f"Each party's utility of {shown}; feasible outcomes in green, the "
            "Pareto-feasible frontier as a staircase, the solutions as labelled markers, the "
            "reservation values as dashed lines.",
        )
        if not f.is_empty:
            ax = plot_utility_space(
                f.utilities, **space, zoom=True, title="The zone of agreement (zoomed)"
            )
            figs.add(doc, ax.figure, "utility_space_zoom", zoomed)
    elif P >= 3:
        fig = plot_pairwise(f.utilities, **space, title="Utility of each pair of parties")
        figs.add(
            doc,
            fig,
            "utility_pairs",
            f"Each pair of parties' utilities over {shown}: feasible outcomes in green, "
            "Pareto-feasible deals (for all parties) as open circles with the pair's outer edge, "
            "the solutions as black markers, the reservation values dashed.",
        )
        if not f.is_empty:
            fig = plot_pairwise(
                f.utilities,
                **space,
                zoom=True,
                title="The zone of agreement, pair by pair (zoomed)",
            )
            figs.add(doc, fig, "utility_pairs_zoom", zoomed)
            ax = plot_parallel(
                f.utilities,
                disagreement=s.reservations,
                solutions=markers,
                parties=names,
                colors=colors,
                axis_notes=scale_notes(s),
                title="The Pareto-feasible deals, party by party",
            )
            figs.add(
                doc,
                ax.figure,
                "parallel",
                "Parallel coordinates: one grey line per Pareto-feasible deal through each "
                "party's utility, the solutions in black, each reservation value marked in the "
                "party's colour. Lines crossing between two axes are a trade-off between those "
                "parties.",
            )

    # -- the solutions ---------------------------------------------------------------------------------
    doc.h(2, "The solutions side by side")
    if not sols:
        doc.p("No outcome is feasible, so no solution exists.")
    else:
        doc.p(
            "Nash (1950) maximises the product of the parties' gains over their reservation values; "
            "the asymmetric Nash solution weights them by bargaining power (Kalai 1977); "
            "Kalai–Smorodinsky (1975) gives every party the same share of its best possible gain; "
            "the egalitarian solution maximises the smallest gain (Kalai 1977); the utilitarian one "
            "the sum of utilities. All are computed over the Pareto-feasible deals."
        )
        groups = _solution_groups(analysis)
        header = ["Issue"] + [_group_name(g) for g in groups]
        rows = []
        for issue in s.issues:
            rows.append(
                [issue.display] + [pretty_level(sols[g[0]].terms[issue.name]) for g in groups]
            )
        for k, p in enumerate(names):
            rows.append([f"{p} utility"] + [_f(sols[g[0]].utilities[k]) for g in groups])
        for k, p in enumerate(names):
            rows.append(
                [f"{p} gain over reservation"]
                + [_signed(sols[g[0]].utilities[k] - s.reservations[k]) for g in groups]
            )
        doc.table(header, rows)
        fig = plot_deal_table_from_analysis(
            analysis, include=list(sols), colors=colors, title="The solutions' deals"
        )
        figs.add(
            doc,
            fig,
            "deal_table",
            "The deals the solutions choose (bold: the issues on which they differ). Under "
            "each level, one bar per party: how good that level is for the party on that issue, "
            "from its worst level (no bar) to its best (full bar).",
        )
        if analysis.lotteries:
            _lottery_section(doc, analysis, names)
        if getattr(analysis, "continuous", None):
            _continuous_section(doc, analysis, names)
        ax = plot_gains(
            markers,  # the solutions, then the equilibria and the simulated agreement
            disagreement=s.reservations,
            parties=names,
            colors=colors,
            scales=mixed_scales(s, analysis.best_feasible),  # points beside 0-1 utilities
            title="Who gains what",
        )
        figs.add(
            doc,
            ax.figure,
            "gains",
            "Each party's utility under each solution: the pale part is its reservation "
            "value (what it has without a deal), the solid part its gain from agreeing.",
        )

    # -- trade-offs ---------------------------------------------------------------------------------------
    doc.h(2, "The main trade-offs")
    doc.ul(describe_trade_offs(analysis))

    # -- proposals, repairs, the diagnosis of an empty zone, levers (issue 14) -------------------------
    _proposals_section(doc, figs, analysis, colors, data)

    # -- equilibria --------------------------------------------------------------------------------------
    if equilibria:
        doc.h(2, "Equilibria")
        if eq:
            _equilibria_section(doc, eq, names)
        else:
            doc.p("Not available: " + (eq_why or "the zone of agreement is empty") + ".")

    # -- sensitivity ---------------------------------------------------------------------------------------
    if sensitivity:
        doc.h(2, "Sensitivity of the Nash deal")
        _sensitivity_section(doc, figs, analysis, out, seed, colors, issue_labels, samples)

    # -- simulation ------------------------------------------------------------------------------------------
    if simulation:
        doc.h(2, "A simulated negotiation")
        if sim is None:
            doc.p("Not available: " + (sim_why or "the zone of agreement is empty") + ".")
        else:
            _simulation_section(doc, figs, sim, sim_how, s, colors, out)

    _forecasts_section(doc, figs, analysis, data)  # political forecasting models (issue 16)

    # -- files ---------------------------------------------------------------------------------------------------
    (out / "analysis.json").write_text(
        json.dumps(_clean_json(data), indent=2, ensure_ascii=False, allow_nan=False),
        encoding="utf-8",
    )
    doc.h(2, "Files")
    files = [x for x in written_since(out, before) if x not in ("report.md", "report.html")]
    doc.p(
        "Written next to this report: "
        + ", ".join(f"`{x}`" for x in files + ["report.md", "report.html"])
        + "."
    )
    (out / "report.md").write_text(doc.to_markdown(), encoding="utf-8")
    path = out / "report.html"
    path.write_text(doc.to_html(f"Negotiation analysis: {scenario.name}"), encoding="utf-8")
    if figs.bar is not None:
        figs.bar.close()
    return path


def _forecasts_section(doc: _Doc, figs: _Figures, analysis: Any, data: dict) -> None:
    """The five forecasting models on the scenario: their paths and their deals beside the
    bargaining solutions (``data["forecasts"]`` gets each model's JSON)."""
    try:
        from negotiation.forecast import FORECASTS
        from negotiation.forecast.scenario import forecast_scenario
        from negotiation.plots.forecast import MODEL_STYLES, plot_forecast_paths_from_results
    except ImportError:  # pragma: no cover - the layer ships with the package
        return
    s = analysis.frontier.scenario
    doc.h(2, "Forecasts")
    doc.p(
        "Political forecasting models read the scenario spatially: each issue's levels are "
        "points on a 0–100 line, each party sits at its best level, cares about the issue as "
        "much as its weight, and pushes with its power. The compromise model forecasts the "
        "power-and-salience weighted mean, the median voter model the weighted median; the "
        "expected utility model (Bueno de Mesquita; Scholz et al. 2011 reconstruction) lets "
        "parties challenge and concede round by round, the exchange model (Stokman) lets them "
        "trade positions across issues, and KTAB's probabilistic Condorcet election weighs "
        "the positions by their chance of winning pairwise votes. A forecast deal is the level "
        "nearest each forecast; the bargaining solutions answer a different question (what "
        "the parties could agree on), so the two are compared below (see the project's "
        "docs/forecasting.md)."
    )
    results = {name: forecast_scenario(s, name, analysis=analysis) for name in FORECASTS}
    data["forecasts"] = {name: r.to_dict() for name, r in results.items()}
    fig = plot_forecast_paths_from_results(results, title="Forecast of each issue, round by round")
    figs.add(
        doc,
        fig,
        "forecasts",
        "Each issue's forecast position after every round (EUM, exchange, PCE) and the static "
        "forecasts (dashed: compromise; dotted: median voter), on the issue's 0–100 line with "
        "its levels marked; the coloured ticks on the left are the parties' starting positions.",
    )
    names = list(s.party_names)
    sols = _ordered_solutions(analysis)
    groups = _solution_groups(analysis) if sols else []  # solutions with one deal share a column
    cols = list(results) + [g[0] for g in groups]
    header = ["Issue"] + [MODEL_STYLES[c][3] for c in results] + [_group_name(g) for g in groups]
    deals = {c: results[c].deal if c in results else sols[c] for c in cols}
    rows = [
        [issue.display] + [pretty_level(deals[c].terms[issue.name]) for c in cols]
        for issue in s.issues
    ]
    for k, p in enumerate(names):
        rows.append([f"{p} utility"] + [_f(deals[c].utilities[k]) for c in cols])
    rows.append(
        ["feasible"]
        + ["yes" if (results[c].feasible if c in results else True) else "no" for c in cols]
    )
    rows.append(
        ["distance to the frontier"]
        + [
            (
                "—"
                if c in results and results[c].distance_to_frontier is None
                else _f(results[c].distance_to_frontier if c in results else 0.0)
            )
            for c in cols
        ]
    )
    doc.table(header, rows)
    doc.p(
        "Distances are Euclidean, in utility space, to the nearest Pareto-feasible deal; a "
        "forecast deal that is not feasible would leave some party below its walk-away value or "
        "across a red line."
    )


def _clean_json(x: Any) -> Any:
    """Replace NaN/inf (not JSON) by None, numpy scalars by Python ones."""
    if isinstance(x, dict):
        return {str(k): _clean_json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean_json(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, np.ndarray):
        return _clean_json(x.tolist())
    return x


def _lottery_frame(analysis: Any) -> pd.DataFrame:
    rows = []
    for name, lot in analysis.lotteries.items():
        for d, p in zip(lot.deals, lot.probabilities, strict=True):
            row = {"solution": name, "probability": float(p)}
            row.update(d.terms)
            row.update(
                {f"{q} utility": float(u) for q, u in zip(d.parties, d.utilities, strict=True)}
            )
            rows.append(row)
    return pd.DataFrame(rows)


def _lottery_section(doc: _Doc, analysis: Any, names: Sequence[str]) -> None:
    """The solutions over lotteries (randomised agreements), next to the deterministic ones."""
    rows = []
    sols = analysis.solutions
    for name, lot in analysis.lotteries.items():
        k = int(np.sum(np.asarray(lot.probabilities) > 0))
        row = [solution_label(name), "1 deal" if k == 1 else f"{k} deals"]
        for q in range(len(names)):
            u = float(lot.utilities[q])
            base = sols.get(name)
            row.append(
                _f(u) + (f" ({_signed(u - float(base.utilities[q]))})" if base is not None else "")
            )
        rows.append(row)
    doc.p(
        "Over lotteries (a randomised agreement: one of several deals drawn with given probabilities, "
        "valued at its expected utility; von Neumann & Morgenstern 1944) the solutions can do "
        "better than any single deal. Expected utilities, with the change from the single-deal "
        "solution in brackets:"
    )
    doc.table(["Solution over lotteries", "Mixes"] + [f"{p} utility" for p in names], rows)


def _continuous_section(doc: _Doc, analysis: Any, names: Sequence[str]) -> None:
    """The exact solutions over the continuous issues (the tables above use the grid)."""
    frame = analysis.continuous_frame()
    if frame.empty:
        return
    s = analysis.scenario
    doc.p(
        f"The continuous issues are discretised on {analysis.resolution} grid points for the "
        "frontier and the figures; the exact solutions over the continuous ranges are:"
    )
    header = ["Issue"] + [solution_label(c) for c in frame.columns]
    rows = []
    for key, values in frame.iterrows():
        if key in s.issue_names:
            issue = s.issue(key)
            unit = f" {issue.unit}" if issue.unit else ""
            label = issue.display
            cells = [
                (f"{v:.4g}{unit}" if isinstance(v, float) else pretty_level(str(v))) for v in values
            ]
        else:
            label = str(key)
            cells = [_f(float(v)) for v in values]
        rows.append([label] + cells)
    doc.table(header, rows)


def _clause_words(clause: dict, scenario: Any) -> str:
    parts = []
    for issue_name, levels in clause.items():
        issue = scenario.issue(issue_name)
        if issue.is_continuous:
            lo, hi = levels
            parts.append(
                f"{issue.display} between {lo:g} and {hi:g}{(' ' + issue.unit) if issue.unit else ''}"
            )
        else:
            parts.append(f"{issue.display} = " + " or ".join(pretty_level(lv) for lv in levels))
        # Clause: every term must match
    return " and ".join(parts)


def _scenario_section(doc: _Doc, scenario: Any, s: Any) -> None:
    doc.h(2, "The scenario")
    names = list(scenario.party_names)
    rule = scenario.agreement
    if rule.is_unanimity(len(names)) and not rule.veto:
        rule_text = "unanimity (every party must accept)"
    else:
        q = rule.quota if rule.quota is not None else len(names)
        rule_text = f"at least {q} of {len(names)} parties must accept" + (
            f", always including {_join(list(rule.veto))}" if rule.veto else ""
        )
    doc.p(
        f"{len(names)} parties negotiate over {len(scenario.issues)} issues "
        f"({s.space.cardinality:,} possible deals). Agreement rule: {rule_text}."
    )
    doc.h(3, "Parties")
    rows = []
    for k, party in enumerate(scenario.parties):
        top = ""
        if not party.scored_in_points:
            w = s.weights[k]
            order = np.argsort(-w)[:3]
            top = ", ".join(f"{s.issues[i].display} ({_pct(w[i])})" for i in order if w[i] > 0)
        else:
            top = "scored in points"
        rows.append(
            [party.name, f"{party.reservation:g}", f"{party.power:g}", f"{party.discount:g}", top]
        )
    doc.table(
        ["Party", "Reservation value", "Power", "Discount", "Weighs most"], rows, numeric=True
    )
    doc.h(3, "Issues and weights")
    weighted = [p for p in scenario.parties if not p.scored_in_points]
    header = ["Issue", "Levels"] + [p.name for p in weighted]
    rows = []
    for i, issue in enumerate(s.issues):
        row = [issue.display, ", ".join(pretty_level(lv) for lv in issue.levels)]
        for p in weighted:
            k = names.index(p.name)
            row.append(_pct(s.weights[k, i]))
        rows.append(row)
    doc.table(header, rows, numeric=True)
    doc.p("Weights are normalised to sum to 100% per party.")
    doc.h(3, "Red lines and constraints")
    items = []
    for party in scenario.parties:
        for clause in party.red_lines:
            items.append(f"**{party.name}** never accepts {_clause_words(clause, scenario)}.")
    for clause in scenario.constraints:
        items.append(f"No deal may combine {_clause_words(clause, scenario)} (a joint constraint).")
    for party in scenario.parties:
        for clause, value in party.bonuses:
            items.append(
                f"{party.name} values {_clause_words(clause, scenario)} together at {value:+g} extra "
                "(an interaction bonus)."
            )
    if items:
        doc.ul(items)
    else:
        doc.p("No red lines or joint constraints.")
    doc.h(3, "Sources")
    doc.ul(scenario.sources or ["(none given)"])
    if scenario.file:
        doc.p(f"Scenario file: `{Path(scenario.file).name}`.")


def _zone_section(doc: _Doc, analysis: Any, zone: dict, exact: bool) -> None:
    sz = analysis.sizes
    f = analysis.frontier
    n = sz["n_outcomes"]
    feas = sz["n_feasible"]
    feas_txt = (
        "unknown"
        if feas is None
        else f"{feas:,}" + ("" if sz["n_feasible_exact"] else " (estimated)")
    )
    share = f" ({_pct(feas / n)} of all deals)" if feas is not None and n else ""
    allowed = sz["n_allowed"]
    allowed_txt = (
        f"{allowed:,} are allowed by the joint constraints, " if allowed is not None else ""
    )
    doc.p(
        f"Of {n:,} possible deals, {allowed_txt}{feas_txt}{share} are **feasible** — acceptable to the "
        f"parties under the agreement rule (at least each party's reservation value, no red line "
        f"crossed) — and **{sz['n_pareto']:,}** of those are **Pareto-feasible**: no other feasible "
        "deal is at least as good for every party and better for one."
    )
    for note in getattr(analysis, "notes", ()):
        doc.p(f"Note: {note}")
    if f.is_empty:
        msg = f.diagnostics.get("message", "")
        doc.p("**The zone of agreement is empty.** " + (f"Why: {msg}" if msg else ""))
    names = list(analysis.frontier.scenario.party_names)
    base = zone["allowed"] or 1
    source = (
        "all allowed deals"
        if exact
        else f"a sample of {zone['n']:,} deals ({zone['allowed']:,} allowed)"
    )
    rows = []
    r = analysis.frontier.scenario.reservations
    best = analysis.best_feasible
    for k, p in enumerate(names):
        rows.append(
            [
                p,
                _pct(zone["accepts"][p] / base),
                _pct(zone["red_line"][p] / base),
                _f(r[k]),
                "—" if best[p] is None else _f(best[p]),
                "—"
                if f.is_empty
                else f"{_f(f.utilities[:, k].min())}–{_f(f.utilities[:, k].max())}",
            ]
        )
    doc.table(
        [
            "Party",
            "Accepts on its own",
            "Crosses its red lines",
            "Reservation",
            "Best feasible",
            "Range on the frontier",
        ],
        rows,
    )
    k = int(np.argmin([zone["accepts"][p] for p in names]))
    doc.p(
        f"Shares are of {source}. **{names[k]}** accepts the fewest deals on its own "
        f"({_pct(zone['accepts'][names[k]] / base)}): its demands bind the zone of agreement most."
    )


def _equilibria_section(doc: _Doc, eq: dict, names: Sequence[str]) -> None:
    doc.p(
        "Game-theoretic models of the bargaining (see the game-theory documentation for each model's assumptions)."
    )
    rows = []
    for name, res in eq.items():
        if not isinstance(res, dict):
            continue
        who = ", ".join(res.get("parties", [])) or "all"
        agreement = res.get("agreement")
        if not isinstance(agreement, dict):
            rows.append(
                [res.get("label") or solution_label(name), who, "no agreement"] + ["—"] * len(names)
            )
            continue
        u = agreement.get("utilities", {})
        deal = agreement.get("deal") or {}
        if not deal and agreement.get("mixture"):
            deal_txt = f"a lottery over {len(agreement['mixture'])} deals"
        else:
            deal_txt = (
                "; ".join(f"{pretty_level(k)}: {pretty_level(v)}" for k, v in deal.items()) or "—"
            )
        rows.append(
            [res.get("label") or solution_label(name), who, deal_txt]
            + [_f(u[p]) if p in u else "—" for p in names]
        )
    if rows:
        doc.table(["Model", "Players", "Agreement"] + [f"{p} utility" for p in names], rows)
    else:
        doc.p("No equilibrium applies to this scenario.")


def _sensitivity_section(
    doc: _Doc,
    figs: _Figures,
    analysis: Any,
    out: Path,
    seed: int,
    colors: dict,
    issue_labels: dict,
    samples: int | None = None,
) -> None:
    s = analysis.frontier.scenario
    if s.agreement != analysis.rule:  # the variants are analysed under the report's rule
        from dataclasses import replace

        s = replace(s, agreement=analysis.rule)
    f = analysis.frontier
    if f.is_empty or "nash" not in analysis.solutions:
        doc.p("Not available: there is no Nash deal to vary.")
        return
    if not _available("negotiation.studies.sweep"):
        doc.p("Not available: the sweep module (negotiation.studies.sweep) is not installed.")
        return
    if s.space.cardinality > _SENSITIVITY_LIMIT:
        doc.p(
            f"Skipped: the outcome space ({s.space.cardinality:,} deals) is too large to re-analyse "
            "many times inside the report; run `negotiation sweep` instead."
        )
        return
    from negotiation.plots import plot_level_frequencies, plot_sensitivity, plot_tornado
    from negotiation.studies import sweep as sw

    names = list(s.party_names)
    r = np.asarray(s.reservations, dtype=float)
    nash = analysis.solutions["nash"]
    # the party with the smallest gain under Nash: whose utility is most at stake
    k = int(np.argmin(np.asarray(nash.utilities) - r))
    who = names[k]
    ranges: dict[str, tuple[float, float]] = {}
    for q, party in enumerate(s.parties):
        ranges[f"{party.name}/reservation"] = (float(r[q] - 0.05), float(r[q] + 0.05))
    for party in s.parties:  # each party's most important issue, weight x0.5 .. x1.5
        if party.scored_in_points or not party.weights:
            continue
        issue, w = max(party.weights.items(), key=lambda kv: float(kv[1]))
        ranges[f"{party.name}/weights/{issue}"] = (float(w) * 0.5, float(w) * 1.5)
    try:
        tor = sw.tornado(s, ranges, solution="nash", party=who)
    except NegotiationError as err:
        doc.p(f"Not available: {err}.")
        return
    tor.to_csv(out / "sensitivity_tornado.csv", index=False)
    ax = plot_tornado(
        tor,
        solution="nash",
        issues=issue_labels,
        title=f"What moves {who}'s utility under the Nash deal",
    )
    doc.p(
        "One input at a time moves to the ends of its range (each reservation value ±0.05; each "
        "party's weight of its most important issue from half to one and a half times the "
        "analyst's) while the others stay at their base values; the output is the utility of "
        f"**{who}**, the party with the smallest gain under the Nash deal."
    )
    figs.add(
        doc,
        ax.figure,
        "sensitivity_tornado",
        f"Tornado chart: {who}'s utility under the Nash solution at the low and high end "
        "of each input (* the Nash deal itself changes).",
    )
    top = tor.iloc[0]
    if np.isfinite(top["swing"]) and top["swing"] > 0:
        doc.p(
            f"The largest swing comes from {_input_words(top['input'], issue_labels)}: from "
            f"{_f(top['u_low'])} (at {top['low']:g}) to {_f(top['u_high'])} (at {top['high']:g})."
        )
    # a line plot over the most influential reservation
    res_rows = tor[tor["input"].str.endswith("/reservation")]
    path = str(res_rows.iloc[0]["input"]) if len(res_rows) else f"{who}/reservation"
    q = names.index(path.split("/")[0])
    grid = np.round(np.linspace(r[q] - 0.15, r[q] + 0.15, 11), 6)
    results = sw.run_sweep(
        s,
        sw.grid_samples(s, {path: grid}),
        workers=1,
        progress=False,
        solutions=["nash"],
        baseline=None,
    )
    results.to_csv(out / "sensitivity_sweep.csv", index=False)
    ax = plot_sensitivity(
        results,
        path,
        solution="nash",
        colors=colors,
        reservations=dict(zip(names, r.tolist(), strict=True)),
        issues=issue_labels,
        title=f"The Nash deal as {_input_words(path, issue_labels)} moves",
    )
    figs.add(
        doc,
        ax.figure,
        "sensitivity_line",
        f"Each party's utility under the Nash solution as {_input_words(path, issue_labels)} "
        "moves (dotted lines: the deal changes; the changed issues are listed).",
    )
    # uncertainty: Monte Carlo over weights and reservations, as `negotiation sweep` draws them
    n = sw.DEFAULT_SAMPLES if samples is None else int(samples)
    draws = sw.monte_carlo_samples(s, n, seed=seed)
    mc = sw.run_sweep(
        s, draws, workers=1, batch_size=250, progress=False, solutions=["nash"], baseline=None
    )
    mc.to_csv(out / "sensitivity_monte_carlo.csv", index=False)
    try:
        lp = sw.level_probabilities(mc, "nash")
    except NegotiationError:
        lp = pd.DataFrame()
    ok = int((mc["valid"].astype(bool) & mc["agreement"].astype(bool)).sum())
    how = (
        f"{n:,} random variants of the scenario (seed {seed}; each party's weights drawn from a "
        "Dirichlet distribution around the analyst's, concentration 50, and its reservation "
        "value uniform within ±0.05; the same draws as "
        f"`negotiation sweep --samples {n} --seed {seed}`)"
    )
    if lp.empty:
        doc.p(f"Under uncertainty: {how}. No variant had a zone of agreement.")
        return
    lp.to_csv(out / "level_frequencies.csv", index=False)
    ax = plot_level_frequencies(
        lp,
        issues=issue_labels,
        levels={i.name: i.levels for i in s.issues},
        title=f"The Nash deal under uncertainty ({ok:,} of {n:,} variants with a deal, seed {seed})",
    )
    doc.p(f"Under uncertainty: {how}. {ok:,} of them have a zone of agreement.")
    figs.add(
        doc,
        ax.figure,
        "level_frequencies",
        f"How often each level of each issue is in the Nash deal across the {ok:,} variants with "
        f"a deal (of {n:,} drawn, seed {seed}).",
    )
    top_share = lp.groupby("issue")["probability"].max()
    unstable = top_share.sort_values().index[0]
    stable = [issue_labels.get(i, i) for i, v in top_share.items() if v >= 0.999]
    words = []
    if stable:
        words.append(
            f"The Nash deal keeps the same level on {_join(stable)} in every variant with a deal."
        )
    if top_share[unstable] < 0.999:
        words.append(
            f"The least settled issue is **{issue_labels.get(unstable, unstable)}**: its most "
            f"frequent level is chosen in only {_pct(float(top_share[unstable]))} of the "
            f"{ok:,} variants with a deal ({n:,} drawn, seed {seed})."
        )
    doc.ul(words)


def _input_words(path: str, issue_labels: dict) -> str:
    from negotiation.plots.sensitivity import input_label

    text = input_label(path, issue_labels)
    party, _, rest = text.partition(": ")
    return f"{party}'s {rest}" if rest else text


def _simulation_section(
    doc: _Doc, figs: _Figures, sim: Any, how: str, s: Any, colors: dict, out: Path
) -> None:
    from negotiation.plots import plot_trace_from_result

    (out / "simulation.json").write_text(
        json.dumps(_clean_json(sim.to_json()), indent=2, ensure_ascii=False, allow_nan=False),
        encoding="utf-8",
    )
    sim.to_frame().to_csv(out / "simulation_trace.csv", index=False)
    doc.p(
        f"One illustrative run: {how}. Simulated agents follow simple concession rules; the run "
        "shows how a deal can be reached, not how the real talks will go."
    )
    ax = plot_trace_from_result(sim, colors=colors, title="A simulated negotiation")
    figs.add(
        doc,
        ax.figure,
        "trace",
        "Each party's utility of every offer; a party's line joins its own offers (its "
        "concessions); the agreement is the vertical line with stars.",
    )
    if sim.agreement is not None:
        u = sim.agreement.utilities
        doc.p(
            f"Agreement after {sim.rounds} offers: "
            + "; ".join(
                f"{s.issue(k).display}: {pretty_level(v)}" for k, v in sim.agreement.terms.items()
            )
            + ". Utilities: "
            + ", ".join(f"{p} {_f(x)}" for p, x in zip(sim.agreement.parties, u, strict=True))
            + "."
        )
    else:
        doc.p(f"No agreement: {sim.reason}.")


def _proposals_section(doc: _Doc, figs: Any, analysis: Any, colors: Any, data: dict) -> None:
    """The "Proposals" section: the diagnosis of an empty zone, the scorecard table and figure
    with the repair of each rejected proposal in words, and the lever ranking (single levers;
    ``negotiation levers`` also ranks the pairs). Written only when there is something to say."""
    from negotiation.engine.evaluate import evaluate, possessive, repair_lines

    scenario = analysis.scenario
    diag = analysis.diagnosis if analysis.is_empty else None
    if not (scenario.proposals or scenario.levers or diag):
        return
    doc.h(2, "Proposals")
    if diag:
        doc.p(
            "**Why there is no deal.** The minimal conflicting sets: demands that cannot hold "
            "together, while dropping any one of them removes that conflict"
            + ("" if diag.get("complete", True) else " (the list may be incomplete)")
            + ":"
        )
        doc.ul(" + ".join(d["text"] for d in cs) for cs in diag.get("conflicting_sets", []))
        items = []
        fv = diag.get("fewest_violations")
        if fv and fv["deals"]:
            d = fv["deals"][0]
            items.append(
                f"Least-bad deals: {fv['n_deals']:,} deal(s) violate only {fv['count']} "
                f"demand(s); for example {', '.join(d['violates'])} is crossed by: "
                + ", ".join(f"{k} = {pretty_level(v)}" for k, v in d["deal"].items())
            )
        ls = diag.get("least_shortfall")
        if ls:
            items.append(
                "Within every red line, the smallest possible largest shortfall below a "
                f"reservation value is {_f(ls['shortfall'])}."
            )
        for rp in diag.get("red_line_prices", []):
            verdict = (
                f"a soft red line with a penalty below {_f(rp['surplus'])} would open the zone"
                if rp["surplus"] >= 0
                else f"even without it, {rp['party']} would need {_f(-rp['surplus'])} more"
            )
            items.append(
                f"The price of {rp['red_line']}: the best deal across it gives {rp['party']} "
                f"{_f(rp['best_utility_across'])} against a reservation of "
                f"{_f(rp['reservation'])}; {verdict}."
            )
        doc.ul(items + [f"Note: {n}" for n in diag.get("notes", [])])
    if scenario.proposals:
        from negotiation.plots.scorecard import plot_scorecard_from_evaluation

        ev = evaluate(scenario, None, analysis=analysis, repair=True)
        data["proposals"] = ev.to_json()["proposals"]
        doc.p(
            "The proposals on the table, scored against the scenario (`negotiation evaluate` "
            "gives ranks, efficiency and completions too). The repair is the smallest change of "
            "issues that makes a deal every party accepts, best for the proposal's authors."
        )
        header = ["Proposal", "by", "accepted by", "rejected by", "red lines crossed", "repair"]
        rows = []
        for c in ev.scorecards:
            crossed = "; ".join(
                f"{possessive(r['party'])} {r['clause']}" for r in c.red_lines_crossed
            )
            rep = repair_lines(c.repair)[0].removeprefix("repair: ") if c.repair else ""
            rows.append(
                [
                    c.proposal.display,
                    ", ".join(c.proposal.by) or "-",
                    ", ".join(c.accepted_by) or "nobody",
                    ", ".join(c.rejected_by) or "nobody",
                    crossed or "none",
                    rep.split(" (")[0],
                ]
            )
        doc.table(header, rows)
        ax = plot_scorecard_from_evaluation(ev, colors=colors, title="The proposals' scorecard")
        figs.add(
            doc,
            ax.figure,
            "scorecard",
            "Each proposal, party by party: the bar is the party's utility of the proposal (for "
            "a proposal that leaves issues open, of the completion best for that party, with the "
            "range over its completions as a thin line); the black tick is the party's "
            "reservation value; hatched bars cross a red line of that party.",
        )
        doc.ul(
            f"*{c.proposal.display}* ({c.proposal.date or 'undated'}): {c.proposal.source}"
            for c in ev.scorecards
            if c.proposal.source
        )
    if scenario.levers:
        from negotiation.studies.levers import lever_effects

        study = lever_effects(scenario, pairs=False)
        data["levers"] = study.to_json()["levers"]
        doc.p(
            "**What pressure changes.** Each lever applied alone, largest effect first "
            "(`negotiation levers` also ranks the pairs)."
        )
        n0 = study.baseline.sizes["n_feasible"]
        rows = []
        for k, e in enumerate(study.effects, 1):
            zone = "opens" if e.opens_zone else "closes" if e.closes_zone else "no change"
            terms = "; ".join(
                f"{_prose(sol)}: "
                + ", ".join(
                    f"{i} {pretty_level(a)} -> {pretty_level(b)}" for i, (a, b) in d.items()
                )
                for sol, d in e.changed_terms.items()
            )
            if e.opens_zone and "nash" in e.solutions:
                terms = "new Nash deal: " + ", ".join(
                    f"{i} = {pretty_level(v)}" for i, v in e.solutions["nash"]["deal"].items()
                )
            delta = "" if e.n_feasible is None or n0 is None else f" ({e.n_feasible - n0:+,})"
            rows.append(
                [
                    str(k),
                    e.levers[0].display,
                    e.levers[0].source or "-",
                    zone,
                    ("?" if e.n_feasible is None else f"{e.n_feasible:,}") + delta,
                    terms or "none",
                ]
            )
        doc.table(
            ["rank", "lever", "source", "zone", "feasible deals", "solution terms that change"],
            rows,
        )
