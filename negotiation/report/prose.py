"""The report's sentences: numbers in words, solution names in running text, and the main
trade-offs of an analysis described from its numbers.

Everything here returns strings; nothing draws or writes files. :func:`describe_trade_offs` is the
"main trade-offs" list of the report (and of ``negotiation.report.describe_trade_offs``).

Examples
--------
>>> num(0.5), signed(-0.25), pct(0.125), join_words(["a", "b", "c"])
('0.500', '\u22120.250', '12.5%', 'a, b and c')
>>> prose_name("utilitarian"), prose_name("nash")
('utilitarian', 'Nash')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiation.engine.solutions.registry import SOLUTIONS
from negotiation.plots._common import group_coincident
from negotiation.plots.colors import pretty_level, solution_label
from negotiation.plots.input_names import input_label

__all__ = [
    "FORECAST_NOTE",
    "capitalize",
    "clause_words",
    "describe_trade_offs",
    "group_name",
    "input_words",
    "join_words",
    "num",
    "ordered_solutions",
    "pct",
    "prose_name",
    "signed",
    "solution_groups",
]

#: Said prominently in every report.
FORECAST_NOTE = (
    "A scenario is a model for analysis, not a forecast. Its weights, values, red lines and "
    "reservation values are assumptions (see the sources and the scenario file's comments); the "
    "deals below are what those assumptions imply, not predictions or recommendations."
)


# -- numbers and words -----------------------------------------------------------------------------
def num(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` decimals."""
    return f"{x:.{digits}f}"


def signed(x: float, digits: int = 3) -> str:
    """``x`` with its sign and ``digits`` decimals; the minus is U+2212."""
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def pct(x: float) -> str:
    """A share as a percentage: three significant digits, two below 0.1%."""
    if x == 0:
        return "0%"
    if x < 0.001:
        return f"{100 * x:.2g}%"
    return f"{100 * x:.3g}%"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def capitalize(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def prose_name(name: str) -> str:
    """A solution's label for running text: common nouns in lower case (``utilitarian``)."""
    label = solution_label(name)
    if label.split()[0] in ("Egalitarian", "Utilitarian", "Simulated", "Equilibrium", "Asymmetric"):
        return label[0].lower() + label[1:]
    return label


def ordered_solutions(analysis: Any) -> dict[str, Any]:
    """The analysis' solutions (those that exist), in the report's order."""
    sols = {k: v for k, v in (analysis.solutions or {}).items() if v is not None}
    names = [n for n in SOLUTIONS if n in sols] + [n for n in sols if n not in SOLUTIONS]
    return {n: sols[n] for n in names}


def solution_groups(analysis: Any) -> list[list[str]]:
    """The solutions grouped by the deal they pick (same levels: one group)."""
    sols = ordered_solutions(analysis)
    return group_coincident({n: np.asarray(d.levels, dtype=float) for n, d in sols.items()}, tol=0)


def group_name(group: Sequence[str]) -> str:
    """A group's column title: its solutions' labels joined by ``=``."""
    return " = ".join(solution_label(n) for n in group)


def clause_words(clause: dict, scenario: Any) -> str:
    """A red line, constraint or bonus clause in words (``Issue = level or level``)."""
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


def input_words(path: str, issue_labels: dict) -> str:
    """A sweep input path in words: ``Russia's weight of Donbas``."""
    text = input_label(path, issue_labels)
    party, _, rest = text.partition(": ")
    return f"{party}'s {rest}" if rest else text


# -- the main trade-offs ---------------------------------------------------------------------------
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
    sols = ordered_solutions(analysis)
    out: list[str] = []
    if f.is_empty or not sols:
        return ["No outcome is feasible, so there is no trade-off to describe."]
    groups = solution_groups(analysis)
    shared = [g for g in groups if len(g) > 1]
    if len(groups) == 1:
        out.append(f"All {len(sols)} solutions pick the same deal.")
    elif shared:
        out.append(
            capitalize(
                "; ".join(
                    f"{join_words([prose_name(n) for n in g])} pick the same deal" for g in shared
                )
            )
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
            + join_words([f"**{s.issues[i].display}**" for i in contested])
            + "."
        )
    # frontier-wide fixed issues
    fixed = [i for i in range(len(s.issues)) if f.size and len(np.unique(f.levels[:, i])) == 1]
    if fixed:
        out.append(
            "Every Pareto-feasible deal has "
            + join_words(
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
            f" ({pct(share)} of the most it could gain in a feasible deal)"
            if np.isfinite(share)
            else ""
        )
        out.append(
            f"Under {join_words([prose_name(n) for n in g])}, **{names[k]}** is closest to its "
            f"reservation value: {num(d.utilities[k])}, {signed(gain[k])} above {num(r[k])}{tail}."
        )
    return out


def _main_pair(sols: dict[str, Any]) -> tuple[str | None, str | None]:
    """Nash vs utilitarian when they differ; else the two solutions whose deals differ most."""
    if (
        "nash" in sols
        and "utilitarian" in sols
        and not np.array_equal(sols["nash"].levels, sols["utilitarian"].levels)
    ):
        return "nash", "utilitarian"
    best = 0
    pair: tuple[str | None, str | None] = (None, None)
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
    A, B = prose_name(a), prose_name(b)
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
    gain = [f"{names[k]} ({signed(du[k])})" for k in np.argsort(-du) if du[k] > 1e-12]
    lose = [f"{names[k]} ({signed(du[k])})" for k in np.argsort(du) if du[k] < -1e-12]
    move = f"Moving from the {A} to the {B} deal"
    g_verb = "gains" if len(gain) == 1 else "gain"
    l_verb = "loses" if len(lose) == 1 else "lose"
    if gain and lose:
        out.append(f"{move}, {join_words(gain)} {g_verb} utility; {join_words(lose)} {l_verb}.")
    elif gain:
        out.append(f"{move}, {join_words(gain)} {g_verb} and nobody loses.")
    elif lose:
        out.append(f"{move}, {join_words(lose)} {l_verb} and nobody gains.")
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
    movers = [f"{names[k]} {signed(delta[k])}" for k in np.argsort(delta) if abs(delta[k]) > 1e-12]
    lead = "The issue that decides between them is" if len(diff) > 1 else "The deciding issue is"
    size = "relative to each party's own scale" if mixed else f"{num(total)} in total"
    out.append(
        f"{lead} **{s.issues[i].display}**: switching it alone moves the parties' scores by "
        f"{join_words(movers)} (the largest swing, {size}"
        + (f", of {len(diff)} differing issues" if len(diff) > 1 else "")
        + ")."
    )
    return out
