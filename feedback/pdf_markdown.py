"""Markdown as the transcript PDF prints it: the question bank's one renderer (questionbank.markdown, sanitised
HTML) turned into reportlab flowables, so `**bold**` prints bold and backticks print as code, never as marks.

reportlab's paragraph markup is a small XML dialect (b, i, font, a, br); the sanitised HTML's inline tags map
onto it, its blocks onto paragraphs, bullets and preformatted code. Anything else keeps only its text.
"""

from html.parser import HTMLParser
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from questionbank.markdown import render_markdown

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Blocks(HTMLParser):
    """Sanitised HTML -> [(kind, markup or text, depth)]: kind is "p", "h", "li", "pre" or "quote"."""

    def __init__(self, mono: str) -> None:
        super().__init__(convert_charrefs=True)
        self.mono = mono
        self.blocks: list[tuple[str, str, int]] = []
        self.parts: list[str] = []
        self.kind = "p"
        self.lists: list[list[int]] = []  # per open list: [next number] for <ol>, [] for <ul>
        self.pre = False
        self.quote = 0

    def _flush(self) -> None:
        text = "".join(self.parts)
        if text.strip():
            self.blocks.append((self.kind, text if self.pre else text.strip(), len(self.lists)))
        self.parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([int(dict(attrs).get("start") or 1)] if tag == "ol" else [])
        elif tag in BLOCKS:
            self._flush()
            self.pre = tag == "pre"
            self.kind = ("h" if tag in HEADINGS else "li" if tag == "li" else "pre" if self.pre
                         else "quote" if self.quote else "p")
            if tag == "li" and self.lists and self.lists[-1]:
                self.parts.append(f"{self.lists[-1][0]}. ")
                self.lists[-1][0] += 1
            elif tag == "li":
                self.parts.append("• ")
            if tag == "blockquote":
                self.quote += 1
        else:
            self._inline_start(tag, dict(attrs))

    def _inline_start(self, tag: str, attrs: dict[str, Any]) -> None:
        if self.pre:
            return
        if tag in ("strong", "b"):
            self.parts.append("<b>")
        elif tag in ("em", "i"):
            self.parts.append("<i>")
        elif tag == "code":
            self.parts.append(f'<font name="{self.mono}">')
        elif tag == "a" and attrs.get("href"):
            self.parts.append(f"<a href={quoteattr(attrs['href'])}>")
        elif tag == "a":
            self.parts.append("<a>")
        elif tag == "br":
            self.parts.append("<br/>")
        elif tag == "img" and attrs.get("alt"):
            self.parts.append(escape(f"[{attrs['alt']}]"))
        elif tag in ("td", "th") and self.parts:
            self.parts[-1] = self.parts[-1].rstrip()
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.pop()
        elif tag in BLOCKS:
            self._flush()
            self.pre = False
            self.quote -= tag == "blockquote"
            self.kind = "quote" if self.quote else "p"
        elif not self.pre:
            closing = {"strong": "</b>", "b": "</b>", "em": "</i>", "i": "</i>", "code": "</font>", "a": "</a>"}
            if tag in closing:
                self.parts.append(closing[tag])

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.parts.append(data)
        elif data.strip() or self.parts:
            self.parts.append(escape(data.replace("\n", " ")))

    def close(self) -> None:
        super().close()
        self._flush()


def markdown_blocks(text: str, *, mono: str) -> list[tuple[str, str, int]]:
    """The blocks of a Markdown text: (kind, reportlab markup — or plain text for "pre" —, list depth)."""
    parser = _Blocks(mono)
    parser.feed(render_markdown(text))
    parser.close()
    return parser.blocks
