"""Question descriptions are Markdown written by curators; pages render them with raw HTML escaped
and only harmless link targets, so a bad bank entry cannot inject script into a candidate's page."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds Markdown's own tree, never parses input
from urllib.parse import urlsplit

import markdown
from django.utils.safestring import SafeString, mark_safe
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = {"", "http", "https", "mailto"}
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s+")


class _ListsAfterText(Preprocessor):
    """The bank writes "**Constraints**" directly above "- ..." lines (as GitHub renders it); Python-Markdown
    needs a blank line there, or the list is run into the paragraph."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False
        for line in lines:
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if (not fenced and LIST_ITEM.match(line) and out and out[-1].strip()
                    and not LIST_ITEM.match(out[-1])):
                out.append("")
            out.append(line)
        return out


class _SafeUrls(Treeprocessor):
    """Drop href/src values whose scheme could run code (javascript:, data:, vbscript:)."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and urlsplit(value.strip()).scheme.lower() not in SAFE_SCHEMES:
                    element.set(attribute, "#")
            if element.tag == "a":
                element.set("rel", "nofollow noopener")


def _renderer() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    # Without these, raw HTML in the source is treated as text and escaped instead of passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 5)
    md.treeprocessors.register(_SafeUrls(md), "safe_urls", 0)
    return md


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page as is."""
    return mark_safe(_renderer().convert(text or ""))  # noqa: S308 - raw HTML escaped, URLs filtered above
