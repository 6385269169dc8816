"""The report's document model: headings, paragraphs, notes, lists, tables and figures, rendered
to Markdown and to one self-contained HTML page.

A :class:`Document` is a list of blocks ``(kind, payload)``; sections append to it and
:meth:`Document.to_markdown` / :meth:`Document.to_html` render it. Two bits of inline markup are
understood in the HTML: ``**bold**`` and ```code```; everything else is escaped. Figures are
referenced as files in Markdown and embedded as PNG data URIs in HTML (RFC 2397), so the HTML
opens anywhere.

Examples
--------
>>> doc = Document()
>>> doc.h(2, "Zone")
>>> doc.table(["Party", "Utility"], [["A", "0.500"], ["B", "1,200"]])
>>> print(doc.to_markdown())
## Zone
<BLANKLINE>
| Party | Utility |
| --- | ---: |
| A | 0.500 |
| B | 1,200 |
<BLANKLINE>
>>> "<h2 id=\\"zone\\">Zone</h2>" in doc.to_html("t")
True
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document", "is_number", "inline"]


@dataclass
class Document:
    """Blocks of a report: ``(kind, payload)``, rendered to Markdown and to HTML."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        """A heading of ``level`` (1 = the title)."""
        self.blocks.append(("h", (level, text)))

    def p(self, text: str) -> None:
        """A paragraph."""
        self.blocks.append(("p", text))

    def note(self, text: str) -> None:
        """A highlighted note (bold quote in Markdown, a boxed ``div`` in HTML)."""
        self.blocks.append(("note", text))

    def ul(self, items: Iterable[str]) -> None:
        """A bulleted list (nothing when ``items`` is empty)."""
        items = list(items)
        if items:
            self.blocks.append(("ul", items))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: bool = True
    ) -> None:
        """A table; with ``numeric``, columns of numbers are right-aligned."""
        self.blocks.append(("table", (list(header), [list(r) for r in rows], numeric)))

    def figure(self, rel_png: str, caption: str, png: bytes) -> None:
        """A figure: its PNG file (relative path, for Markdown) and bytes (for HTML)."""
        self.blocks.append(("figure", (rel_png, caption, png)))

    def to_markdown(self) -> str:
        """The document as Markdown (GitHub-flavoured tables)."""
        out: list[str] = []
        for kind, x in self.blocks:
            out.append(_MARKDOWN[kind](x))
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def to_html(self, title: str) -> str:
        """The document as one self-contained HTML page titled ``title``."""
        body = [_HTML_BLOCK[kind](x) for kind, x in self.blocks]
        return _HTML.format(title=html.escape(title), body="\n".join(body))


def is_number(v: Any) -> bool:
    """Whether a cell reads as a number (``1,234``, ``−0.5``, ``12%``): right-aligned."""
    return bool(re.fullmatch(r"[\u2212+-]?\d[\d,]*(\.\d+)?%?", str(v).strip()))


def inline(text: str) -> str:
    """Escape, then the two bits of inline markup the report uses: **bold** and `code`."""
    t = html.escape(str(text))
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
    return t.replace("\n", "<br>")


# -- Markdown, one renderer per kind of block ------------------------------------------------------
def _md_cell(v: Any) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(x: tuple[list[str], list[list[Any]], bool]) -> str:
    header, rows, numeric = x
    aligns = ["---"] + [
        "---:" if numeric and rows and all(is_number(r[c]) for r in rows) else "---"
        for c in range(1, len(header))
    ]
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    lines.append("| " + " | ".join(aligns) + " |")
    lines.extend("| " + " | ".join(_md_cell(v) for v in r) + " |" for r in rows)
    return "\n".join(lines)


def _md_figure(x: tuple[str, str, bytes]) -> str:
    rel, caption, _ = x
    return f"![{caption}]({rel})\n\n*{caption}*"


_MARKDOWN: dict[str, Any] = {
    "h": lambda x: "#" * x[0] + " " + x[1],
    "p": lambda x: x,
    "note": lambda x: "> **" + x + "**",
    "ul": lambda x: "\n".join("- " + item for item in x),
    "table": _md_table,
    "figure": _md_figure,
}


# -- HTML, one renderer per kind of block ----------------------------------------------------------
def _html_heading(x: tuple[int, str]) -> str:
    level, text = x
    anchor = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f'<h{level} id="{anchor}">{inline(text)}</h{level}>'


def _html_table(x: tuple[list[str], list[list[Any]], bool]) -> str:
    header, rows, numeric = x
    head = "".join(f"<th>{inline(str(h))}</th>" for h in header)
    trs = []
    for r in rows:
        tds = [f'<th scope="row">{inline(str(r[0]))}</th>'] + [
            f'<td class="{"num" if numeric and is_number(v) else "txt"}">{inline(str(v))}</td>'
            for v in r[1:]
        ]
        trs.append("<tr>" + "".join(tds) + "</tr>")
    return (
        '<div class="tablewrap"><table><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(trs)
        + "</tbody></table></div>"
    )


def _html_figure(x: tuple[str, str, bytes]) -> str:
    _, caption, png = x
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
        f"<figcaption>{inline(caption)}</figcaption></figure>"
    )


_HTML_BLOCK: dict[str, Any] = {
    "h": _html_heading,
    "p": lambda x: f"<p>{inline(x)}</p>",
    "note": lambda x: f'<div class="note">{inline(x)}</div>',
    "ul": lambda x: "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in x) + "</ul>",
    "table": _html_table,
    "figure": _html_figure,
}

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
