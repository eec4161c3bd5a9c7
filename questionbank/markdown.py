"""Question descriptions are Markdown written by curators (admin, `import_questions`): the one way HTML is
made from them. Markdown renders first, with raw HTML in the source escaped as text; nh3 then sanitises
the result against an allow-list, so no bank entry can put script into a candidate's page.

Sanitising after rendering is what makes link targets safe: nh3 parses the HTML as a browser does
(entities decoded, tabs and newlines dropped from URLs) before it looks at a scheme, where a check on
Markdown's own tree saw `javascript&#58;` as a harmless relative URL (docs/security.md).
"""

import re
import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.preprocessors import Preprocessor

LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s+")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "sub", "sup",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# Relative URLs pass as well (nh3's default): links to other pages of the site.
URL_SCHEMES = {"http", "https", "mailto"}
SANITISER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="nofollow noopener noreferrer", strip_comments=True)


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


def _renderer() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    # Without these, raw HTML in the source is treated as text and escaped instead of passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 5)
    return md


_local = threading.local()
CACHED_TEXT_CHARS = 4096  # question texts, follow-ups and fixed messages come back again and again; answers do not


def _render(text: str) -> SafeString:
    """One Markdown instance per thread, reset between texts: building one per call cost more than most
    conversions (a twentieth of an evaluation task's time)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _renderer()
    return mark_safe(SANITISER.clean(md.reset().convert(text)))  # noqa: S308 - sanitised by nh3 above


_render_cached = lru_cache(maxsize=1024)(_render)


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page as is (question page; any later server-rendered view)."""
    text = text or ""
    return _render_cached(text) if len(text) <= CACHED_TEXT_CHARS else _render(text)
