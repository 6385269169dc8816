"""The document model (negotiation.report.document): Markdown and HTML rendering."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

from negotiation.report.document import Document, inline, is_number


def test_markdown_blocks():
    doc = Document()
    doc.h(1, "Title")
    doc.note("Not a forecast")
    doc.p("Some **bold** text.")
    doc.ul([])  # an empty list writes nothing
    doc.ul(["one", "two"])
    doc.table(["Party", "u", "note"], [["A|B", "0.500", "x"], ["C", "\u22121,200", "y"]])
    doc.figure("figures/f.png", "A caption", b"png")
    assert doc.to_markdown() == (
        "# Title\n\n"
        "> **Not a forecast**\n\n"
        "Some **bold** text.\n\n"
        "- one\n- two\n\n"
        "| Party | u | note |\n| --- | ---: | --- |\n| A\\|B | 0.500 | x |\n| C | \u22121,200 | y |\n\n"
        "![A caption](figures/f.png)\n\n*A caption*\n"
    )


def test_text_tables_are_not_right_aligned():
    doc = Document()
    doc.table(["a", "b"], [["x", "1"]], numeric=False)
    assert "| --- | --- |" in doc.to_markdown()


def test_html_escapes_and_embeds():
    doc = Document()
    doc.h(2, "Zone & <deals>")
    doc.p("a <script> with `code` and **bold**")
    doc.table(["Party", "u"], [["A", "0.5"], ["B", "n/a"]])
    doc.figure("figures/f.png", 'say "hi"', b"\x89PNG-bytes")
    page = doc.to_html("T <1>")
    assert "<title>T &lt;1&gt;</title>" in page
    assert '<h2 id="zone-deals">Zone &amp; &lt;deals&gt;</h2>' in page
    assert "<p>a &lt;script&gt; with <code>code</code> and <strong>bold</strong></p>" in page
    assert '<td class="num">0.5</td>' in page and '<td class="txt">n/a</td>' in page
    src = base64.b64encode(b"\x89PNG-bytes").decode("ascii")
    assert f'<img src="data:image/png;base64,{src}" alt="say &quot;hi&quot;">' in page

    class Balanced(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.bad: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in {"meta", "img", "br"}:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if not self.stack or self.stack.pop() != tag:
                self.bad.append(tag)

    checker = Balanced()
    checker.feed(page)
    assert not checker.bad and not checker.stack


def test_numbers_and_inline_markup():
    assert is_number("1,234") and is_number("\u22120.5") and is_number("12%")
    assert not is_number("n/a") and not is_number("") and not is_number("1.2.3")
    assert inline("a\nb") == "a<br>b" and inline("**x**") == "<strong>x</strong>"
