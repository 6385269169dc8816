"""Saving the report's figures: every requested format, one progress step per figure.

:class:`FigureSaver` writes ``figures/NAME.png`` (always: the HTML embeds it) and the other
requested formats (``svg``, ``pdf``, written without a date so that reruns give the same bytes),
closes the figure, and hands the PNG to the :class:`~negotiation.report.document.Document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt

from negotiation.errors import NegotiationError
from negotiation.report.document import Document

__all__ = ["FigureSaver", "FIGURE_FORMATS"]

#: The figure formats a report can write.
FIGURE_FORMATS = ("png", "svg", "pdf")


class FigureSaver:
    """Saves figures in the requested formats and remembers them for the document.

    Parameters
    ----------
    out
        The report's folder; figures go to ``out/figures``.
    formats
        Formats besides PNG (which is always written): ``"svg"``, ``"pdf"``.
    dpi
        Resolution of the PNG files.
    """

    def __init__(self, out: Path, formats: Sequence[str], dpi: int) -> None:
        self.dir = out / "figures"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.formats = [f.lower().lstrip(".") for f in formats]
        bad = [f for f in self.formats if f not in FIGURE_FORMATS]
        if bad:
            raise NegotiationError(f"figure formats must be png, svg or pdf, got {bad}")
        if "png" not in self.formats:
            self.formats.insert(0, "png")  # the HTML embeds PNGs
        self.dpi = dpi
        self.saved: dict[str, bytes] = {}
        self.bar: Any = None  # a tqdm bar, advanced once per figure saved

    def save(self, fig: Any, name: str) -> str:
        """Write ``fig`` as ``figures/name.*``, close it; returns the PNG's relative path."""
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

    def add(self, doc: Document, fig: Any, name: str, caption: str) -> None:
        """Save ``fig`` as ``name`` and put it, with its caption, into ``doc``."""
        doc.figure(self.save(fig, name), caption, self.saved[name])
