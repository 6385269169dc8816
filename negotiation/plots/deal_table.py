"""The deal table as a figure: deals as rows, issues as columns, each cell the chosen level.

Each cell shows the level a deal chooses on an issue (its name made readable: underscores become
spaces, long names wrap) and how good that level is for each party, as ``P`` thin bars in the
party colours: bar length is the party's value of the level on that issue relative to the
issue's worst and best levels for that party,

.. math::

    g_{p,i}(l) = \\frac{s_{p,i}(l) - \\min_{l'} s_{p,i}(l')}{\\max_{l'} s_{p,i}(l') - \\min_{l'} s_{p,i}(l')}

where ``s_{p,i}`` is the party's additive score table of issue ``i`` (``w_i v_i``, or points;
``Scenario.tables``). A party indifferent between the levels of an issue (zero weight) gets no
bar. This is the "scorecard" view of Raiffa (1982, ch. 11) and Susskind's scorable games (1985).
Alternatively one party's ``g`` colours the whole cell (``color_by=<party>``).

Issues on which the deals differ are printed in bold; where all deals agree the level is grey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    analysis_parts,
    as_matrix,
    colors_for,
    group_coincident,
    group_label,
    party_labels,
    wrap,
    wrap_label,
)
from negotiation.plots.colors import pretty_level, solution_label

__all__ = ["plot_deal_table", "plot_deal_table_from_analysis", "level_goodness"]

_LINE = 0.145  # inches per text line at 8 pt
_CHAR = 0.068  # inches per character at 8 pt (average)


def _text_size(text: str, fontsize: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in inches of (multi-line) text, measured with the Agg renderer."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = _text_size.__dict__.setdefault("renderer", RendererAgg(10, 10, 72))
    prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
    lines = str(text).split("\n")
    widths = [
        renderer.get_text_width_height_descent(line or " ", prop, ismath=False)[0] for line in lines
    ]
    return max(widths) / 72.0, len(lines) * fontsize * 1.25 / 72.0


def level_goodness(tables: Sequence[Any]) -> list[np.ndarray]:
    """Per issue, a ``levels x parties`` array of ``g`` in ``[0, 1]`` (NaN where a party is
    indifferent between all levels of the issue).

    >>> level_goodness([np.array([[0.0, 0.3], [0.2, 0.3], [0.4, 0.3]])])[0].tolist()
    [[0.0, nan], [0.5, nan], [1.0, nan]]
    """
    out = []
    for t in tables:
        t = np.asarray(t, dtype=float)
        lo, hi = t.min(axis=0), t.max(axis=0)
        span = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            g = np.where(span > 1e-12, (t - lo) / np.where(span > 0, span, 1.0), np.nan)
        out.append(g)
    return out


@dataclass
class _Table:
    """The checked inputs of a deal table and its layout, in inches (y grows downwards)."""

    L: np.ndarray  # R x I level indices
    goodness: list[np.ndarray] | None
    U: np.ndarray | None
    names: list[str]
    cols: list[str]
    shade: int | None  # the party whose goodness colours the cells
    by_columns: bool  # issues across, deals down
    cell_text: list[list[str]] = field(default_factory=list)
    contested: list[bool] = field(default_factory=list)
    head_lab: list[str] = field(default_factory=list)
    side_lab: list[str] = field(default_factory=list)
    n_lines: int = 1
    cell_w: float = 0.0
    cell_h: float = 0.0
    side_w: float = 0.0
    head_h: float = 0.0
    title_h: float = 0.0
    util_w: float = 0.0
    extra_h: float = 0.0
    W: float = 0.0
    H: float = 0.0
    note: str = ""

    @property
    def R(self) -> int:
        """Number of deals."""
        return self.L.shape[0]

    @property
    def n_iss(self) -> int:
        """Number of issues."""
        return self.L.shape[1]

    @property
    def P(self) -> int:
        """Number of parties (0 without scores or utilities)."""
        if self.goodness is not None:
            return self.goodness[0].shape[1]
        return self.U.shape[1] if self.U is not None else 0

    @property
    def bars(self) -> bool:
        """Whether each cell carries one goodness bar per party."""
        return self.goodness is not None and self.shade is None

    @property
    def x0(self) -> float:
        """Left edge of the first cell column."""
        return self.side_w

    @property
    def y0(self) -> float:
        """Top edge of the first cell row."""
        return self.title_h + self.head_h


def _check_levels(
    levels: Any, issues: Sequence[str], level_names: Sequence[Sequence[str]]
) -> np.ndarray:
    """``levels`` as an ``R x I`` integer matrix whose indices exist."""
    L = np.asarray(levels)
    if L.ndim == 1:
        L = L[None, :]
    if L.ndim != 2 or (L.size and not np.issubdtype(L.dtype, np.integer)):
        raise NegotiationError(f"levels must be an R x I integer matrix, got shape {L.shape}")
    R, n_iss = L.shape
    if len(issues) != n_iss or len(level_names) != n_iss:
        raise NegotiationError(
            f"got {len(issues)} issue labels and {len(level_names)} level lists for {n_iss} issues"
        )
    for i in range(n_iss):
        if R and (L[:, i].min() < 0 or L[:, i].max() >= len(level_names[i])):
            raise NegotiationError(f"level index out of range on issue {issues[i]!r}")
    return L


def _check_goodness(
    scores: Sequence[Any] | None, issues: Sequence[str], level_names: Sequence[Sequence[str]]
) -> list[np.ndarray] | None:
    """:func:`level_goodness` of the score tables, one ``levels x P`` table per issue."""
    if scores is None:
        return None
    goodness = level_goodness(scores)
    if len(goodness) != len(issues):
        raise NegotiationError(f"got {len(goodness)} score tables for {len(issues)} issues")
    P = goodness[0].shape[1]
    for i, g in enumerate(goodness):
        if g.shape != (len(level_names[i]), P):
            raise NegotiationError(
                f"score table of issue {issues[i]!r} must be levels x parties "
                f"({len(level_names[i])} x {P}), got {g.shape}"
            )
    return goodness


def _shade_party(color_by: str, names: list[str], goodness: list[np.ndarray] | None) -> int | None:
    """The index of the party whose goodness colours the cells (``None``: bars per party)."""
    if color_by == "parties":
        return None
    if color_by not in names:
        raise NegotiationError(
            f"color_by must be 'parties' or a party name {names}, got {color_by!r}"
        )
    if goodness is None:
        raise NegotiationError("color_by a party needs the score tables (scores=...)")
    return names.index(color_by)


def _by_columns(issues_as: str, n_iss: int, R: int) -> bool:
    """Whether the issues run across (``"columns"``); ``"auto"``: unless there are more than 6
    issues and more issues than deals."""
    if issues_as == "auto":
        issues_as = "rows" if (n_iss > 6 and n_iss > R) else "columns"
    if issues_as not in ("rows", "columns"):
        raise NegotiationError(f"issues_as must be 'auto', 'rows' or 'columns', got {issues_as!r}")
    return issues_as == "columns"


def _check_table(
    levels: Any,
    issues: Sequence[str],
    level_names: Sequence[Sequence[str]],
    scores: Sequence[Any] | None,
    utilities: Any | None,
    parties: Sequence[str] | None,
    colors: Mapping[str, str] | None,
    color_by: str,
) -> _Table:
    """The checked inputs (no layout yet)."""
    L = _check_levels(levels, issues, level_names)
    goodness = _check_goodness(scores, issues, level_names)
    U = None
    if utilities is not None:
        U = as_matrix(utilities, "deal utilities")
        if U.shape[0] != L.shape[0]:
            raise NegotiationError(f"utilities has {U.shape[0]} rows for {L.shape[0]} deals")
    P = goodness[0].shape[1] if goodness is not None else (U.shape[1] if U is not None else 0)
    names = party_labels(parties, P) if P else list(parties or [])
    cols = colors_for(names, colors) if P else []
    shade = _shade_party(color_by, names, goodness)
    return _Table(L, goodness, U, names, cols, shade, by_columns=True)


def _row_labels(row_labels: Sequence[str] | None, R: int) -> list[str]:
    """Display names of the deals (``Deal 1``.. when omitted)."""
    rows = (
        [solution_label(r) for r in row_labels]
        if row_labels is not None
        else [f"Deal {k + 1}" for k in range(R)]
    )
    if len(rows) != R:
        raise NegotiationError(f"got {len(rows)} row labels for {R} deals")
    return rows


def _lay_out(
    t: _Table,
    issues: Sequence[str],
    level_names: Sequence[Sequence[str]],
    rows: list[str],
    wrap_width: int,
    title: str | None,
) -> None:
    """Texts and sizes (inches): cells, headers, the utilities column or row, the legend."""
    L, P = t.L, t.P
    t.contested = [len(set(L[:, i].tolist())) > 1 for i in range(t.n_iss)]
    t.cell_text = [
        [wrap(pretty_level(level_names[i][L[k, i]]), wrap_width) for i in range(t.n_iss)]
        for k in range(t.R)
    ]
    t.n_lines = max([s.count("\n") + 1 for row in t.cell_text for s in row] or [1])
    t.cell_h = _LINE * t.n_lines + 0.16 + (P * 0.075 + 0.06 if t.bars else 0.0)
    issue_lab = [wrap(x, 20) for x in issues]
    deal_lab = [wrap_label(x, 20) for x in rows]
    util_col = t.U is not None
    t.util_w = 0.2 + 0.42 * P if util_col else 0.0  # per-party numbers side by side
    t.head_lab, t.side_lab = (issue_lab, deal_lab) if t.by_columns else (deal_lab, issue_lab)
    n_c = t.n_iss if t.by_columns else t.R
    t.head_h = max(_text_size(s, 8.5, True)[1] for s in t.head_lab) + 0.14
    t.cell_w = max(
        max(wrap_width * _CHAR + 0.2, 1.0),
        max(_text_size(s, 8.5, True)[0] for s in t.head_lab) + 0.12,
    )
    t.side_w = max(_text_size(s, 8.5, True)[0] for s in t.side_lab) + 0.25
    t.title_h = 0.42 if title else 0.08
    extra_w = t.util_w if (util_col and t.by_columns) else 0.0
    t.extra_h = (P * 0.14 + 0.14) if (util_col and not t.by_columns) else 0.0
    t.W = t.side_w + n_c * t.cell_w + extra_w + 0.15
    t.note = (
        "bars: how good the level is for each party on that issue "
        "(worst to best level; no bar: indifferent)"
    )
    legend_h = 0.1
    if P and t.bars:  # the legend must fit
        t.W = max(t.W, sum(_text_size(n, 8)[0] + 0.45 for n in t.names[:6]) + 0.4)
        t.note = wrap(t.note, int(t.W / 0.062))
        legend_h = 0.2 + _text_size(t.note, 7.5)[1] + 0.2 * (1 + (P - 1) // 6)
    elif t.shade is not None:
        legend_h = 0.6 + (0.3 if util_col else 0.0)
    n_r = t.R if t.by_columns else t.n_iss
    t.H = t.title_h + t.head_h + n_r * t.cell_h + t.extra_h + legend_h


def _bold(ax: Axes, x: float, y: float, text: str, gid: str, **kw: Any) -> None:
    """A bold 8.5 pt header text."""
    ax.text(x, y, text, fontsize=8.5, fontweight="bold", gid=gid, **kw)


def _draw_headers(ax: Axes, t: _Table) -> None:
    """The header row (issues or deals) and the side column (deals or issues)."""
    for c, lab in enumerate(t.head_lab):
        x = t.x0 + (c + 0.5) * t.cell_w
        _bold(
            ax, x, t.y0 - 0.06, lab, "issue" if t.by_columns else "deal", ha="center", va="bottom"
        )
    for r, lab in enumerate(t.side_lab):
        y = t.y0 + (r + 0.5) * t.cell_h
        _bold(ax, t.x0 - 0.1, y, lab, "deal" if t.by_columns else "issue", ha="right", va="center")


def _draw_bars(ax: Axes, t: _Table, g: np.ndarray, cx: float, by: float) -> None:
    """One thin bar per party: how good the cell's level is for it (none if indifferent)."""
    bw = t.cell_w - 0.24
    for p in range(t.P):
        yy = by + p * 0.075
        ax.add_patch(Rectangle((cx + 0.12, yy), bw, 0.05, facecolor="#ECECEC", edgecolor="none"))
        if np.isfinite(g[p]):
            ax.add_patch(
                Rectangle(
                    (cx + 0.12, yy),
                    max(bw * float(g[p]), 0.015),
                    0.05,
                    facecolor=t.cols[p],
                    edgecolor="none",
                    gid=f"bar:{t.names[p]}",
                )
            )


def _draw_cell(ax: Axes, t: _Table, k: int, i: int, cmap: Any) -> None:
    """The cell of deal ``k`` on issue ``i``: background (shaded by one party's goodness, if
    asked), the level, and the parties' bars."""
    r, c = (k, i) if t.by_columns else (i, k)
    cx, cy = t.x0 + c * t.cell_w, t.y0 + r * t.cell_h
    g = t.goodness[i][t.L[k, i]] if t.goodness is not None else None
    face: Any = "white" if r % 2 == 0 else "#F6F6F6"
    text_color = "#111111" if t.contested[i] else "#777777"
    if t.shade is not None and g is not None and np.isfinite(g[t.shade]):
        face = cmap(float(g[t.shade]))
        r_, g_, b_ = face[:3]
        text_color = "black" if 0.299 * r_ + 0.587 * g_ + 0.114 * b_ > 0.45 else "white"
    ax.add_patch(
        Rectangle((cx, cy), t.cell_w, t.cell_h, facecolor=face, edgecolor="#CCCCCC", lw=0.6)
    )
    text_h = _LINE * t.n_lines + 0.1
    ax.text(
        cx + t.cell_w / 2,
        cy + 0.08 + text_h / 2 - 0.05,
        t.cell_text[k][i],
        ha="center",
        va="center",
        fontsize=8,
        color=text_color,
        fontweight="bold" if t.contested[i] else "normal",
        gid="cell",
        linespacing=1.1,
    )
    if t.bars and g is not None:
        _draw_bars(ax, t, g, cx, cy + text_h + 0.04)


def _white_box(ax: Axes, xy: tuple[float, float], w: float, h: float) -> None:
    """A white cell with the table's grey border."""
    ax.add_patch(Rectangle(xy, w, h, facecolor="white", edgecolor="#CCCCCC", lw=0.6))


def _draw_utilities(ax: Axes, t: _Table) -> None:
    """The utilities column (issues across) or row (issues down): coloured numbers per party."""
    assert t.U is not None
    if t.by_columns:
        ux = t.x0 + t.n_iss * t.cell_w
        _bold(ax, ux + t.util_w / 2, t.y0 - 0.06, "Utility", "issue", ha="center", va="bottom")
        for k in range(t.R):
            cy = t.y0 + k * t.cell_h
            _white_box(ax, (ux, cy), t.util_w, t.cell_h)
            _utility_numbers(
                ax, t.U[k], t.cols, ux + 0.1, cy + t.cell_h / 2, t.util_w - 0.2, vertical=False
            )
    else:
        uy = t.y0 + t.n_iss * t.cell_h
        _bold(ax, t.x0 - 0.1, uy + t.extra_h / 2, "Utility", "issue", ha="right", va="center")
        for k in range(t.R):
            cx = t.x0 + k * t.cell_w
            _white_box(ax, (cx, uy), t.cell_w, t.extra_h)
            _utility_numbers(
                ax, t.U[k], t.cols, cx + 0.12, uy + t.extra_h / 2, t.cell_w - 0.24, vertical=True
            )


def _draw_legend(fig: Figure, t: _Table, cmap: Any, color_by: str) -> None:
    """The parties' colours (with the bars' note), or the colour bar of the shading party."""
    util_col = t.U is not None
    party_legend: dict[str, Any] = {
        "handles": [Patch(facecolor=cp, label=n) for n, cp in zip(t.names, t.cols, strict=True)],
        "loc": "lower center",
        "ncols": min(t.P, 6),
        "fontsize": 8,
        "frameon": False,
        "bbox_to_anchor": (0.5, 0.0),
    }
    if t.P and t.bars:
        fig.legend(title=t.note, title_fontsize=7.5, **party_legend)
    elif t.shade is not None:
        if util_col and t.P:  # the utility numbers are in the party colours
            fig.legend(**party_legend)
        bottom = 0.3 + (0.3 if util_col and t.P else 0.0)
        cax = fig.add_axes((0.3, bottom / t.H, 0.4, 0.12 / t.H))
        cb = fig.colorbar(ScalarMappable(cmap=cmap), cax=cax, orientation="horizontal")
        cb.set_ticks([0, 1], labels=[f"worst for {color_by}", f"best for {color_by}"])
        cb.ax.tick_params(labelsize=7)


# size: the numpy docstring (parameters, the gids, references, example) is 60 lines
def plot_deal_table(
    levels: Any,
    *,
    issues: Sequence[str],
    level_names: Sequence[Sequence[str]],
    scores: Sequence[Any] | None = None,
    utilities: Any | None = None,
    row_labels: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    color_by: str = "parties",
    issues_as: str = "auto",
    wrap_width: int = 16,
    title: str | None = None,
) -> Figure:
    """Draw a table of deals: one row per deal, one column per issue (or transposed).

    Parameters
    ----------
    levels
        ``R x I`` level indices of the deals (rows of a frontier's ``levels``, or solutions').
    issues
        Issue labels (the scenario's ``Issue.display``), one per column of ``levels``.
    level_names
        For each issue, its level names in order (shown with underscores as spaces).
    scores
        For each issue, a ``levels x P`` score table (``Scenario.tables``); turned into the
        goodness ``g`` (see the module doc). Omitted: cells show only the level.
    utilities
        ``R x P`` utilities of the deals: adds a last column with each party's utility.
    row_labels
        Name of each deal (solution names such as ``"nash"`` get their display label);
        ``Deal 1``.. when omitted.
    parties, colors
        Party names (for the legend and bars) and ``{party: colour}``.
    color_by
        ``"parties"``: one thin bar per party in each cell; a party name: the cell is shaded by
        that party's goodness (colour-blind-safe ``cividis``, with a colour bar).
    issues_as
        ``"columns"`` (issues across, deals down), ``"rows"`` (issues down), or ``"auto"``:
        columns unless there are more than 6 issues and more issues than deals.
    wrap_width
        Characters per line of a level name.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes in inch coordinates. Cell texts carry gid ``"cell"``, headers ``"issue"`` and
        ``"deal"``, party bars are ``Rectangle`` patches with gid ``"bar:<party>"``.

    References
    ----------
    .. [Raiffa1982] Raiffa, *The Art and Science of Negotiation* (1982); ch. 11.
       Full entry: docs/references.md.
    .. [Susskind1985] Susskind, "Scorable games: a better way to teach negotiation?" (1985).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig = plot_deal_table([[0, 1], [1, 1]], issues=["Price", "Delivery"],
    ...                       level_names=[["low", "high"], ["fast", "slow_but_cheap"]],
    ...                       row_labels=["nash", "utilitarian"])
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid() == "cell")
    ['high', 'low', 'slow but cheap', 'slow but cheap']
    """
    t = _check_table(levels, issues, level_names, scores, utilities, parties, colors, color_by)
    rows = _row_labels(row_labels, t.R)
    t.by_columns = _by_columns(issues_as, t.n_iss, t.R)
    _lay_out(t, issues, level_names, rows, wrap_width, title)
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(t.W, t.H))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, t.W)
    ax.set_ylim(t.H, 0)
    ax.axis("off")
    cmap = plt.get_cmap("cividis")
    if title:
        ax.text(
            t.W / 2, 0.08, title, ha="center", va="top", fontsize=11, fontweight="bold", gid="title"
        )
    _draw_headers(ax, t)
    for k in range(t.R):
        for i in range(t.n_iss):
            _draw_cell(ax, t, k, i, cmap)
    if t.U is not None:
        _draw_utilities(ax, t)
    _draw_legend(fig, t, cmap, color_by)
    return fig


def _utility_numbers(
    ax: Any, u: np.ndarray, cols: list[str], x: float, y: float, w: float, vertical: bool
) -> None:
    """Each party's utility as coloured numbers side by side (or stacked)."""
    n = len(u)
    for p in range(n):
        if vertical:
            ax.text(
                x + w / 2,
                y + (p - (n - 1) / 2) * 0.14,
                f"{u[p]:.3f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=cols[p],
                fontweight="bold",
                gid="utility",
            )
        else:
            ax.text(
                x + (p + 0.5) * w / n,
                y,
                f"{u[p]:.2f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=cols[p],
                fontweight="bold",
                gid="utility",
            )


def plot_deal_table_from_analysis(
    analysis: Any,
    *,
    rows: str = "solutions",
    include: Sequence[str] | None = None,
    merge_identical: bool = True,
    max_rows: int | None = None,
    **kwargs: Any,
) -> Figure:
    """:func:`plot_deal_table` of an ``Analysis``: its solutions (``rows="solutions"``, in the
    order of ``include`` if given; solutions choosing the same deal share one row when
    ``merge_identical``) or its frontier deals (``rows="frontier"``), with the scenario's issue
    labels, level names and score tables. ``max_rows`` keeps the first rows only."""
    parts = analysis_parts(analysis)
    scenario = parts["scenario"]
    if rows == "solutions":
        sols = {
            k: v for k, v in (getattr(analysis, "solutions", None) or {}).items() if v is not None
        }
        names = [n for n in (include or list(sols)) if n in sols]
        if not names:
            raise NegotiationError("the analysis has no solutions to tabulate")
        if merge_identical:
            groups = group_coincident(
                {n: np.asarray(sols[n].levels, dtype=float) for n in names}, tol=0
            )
        else:
            groups = [[n] for n in names]
        L = np.array([np.asarray(sols[g[0]].levels) for g in groups])
        U = np.array([np.asarray(sols[g[0]].utilities, dtype=float) for g in groups])
        labels = [group_label(g) for g in groups]
    elif rows == "frontier":
        L, U = parts["levels"], parts["frontier"]
        labels = [f"Frontier deal {k + 1}" for k in range(L.shape[0])]
    else:
        raise NegotiationError(f"rows must be 'solutions' or 'frontier', got {rows!r}")
    if max_rows is not None:
        L, U, labels = L[:max_rows], U[:max_rows], labels[:max_rows]
    return plot_deal_table(
        L,
        issues=[i.display for i in scenario.issues],
        # a continuous issue's grid levels carry its unit ("60 %" -> "60%")
        level_names=[
            [f"{lv}{'' if i.unit == '%' else ' '}{i.unit}" for lv in i.levels]
            if getattr(i, "unit", None)
            else i.levels
            for i in scenario.issues
        ],
        scores=scenario.tables,
        utilities=U,
        row_labels=labels,
        parties=parts["parties"],
        **kwargs,
    )
