"""Question Markdown to HTML: every link and image a browser would follow stays on a harmless scheme.

The checks read the output as a browser does: attribute values are entity-decoded, then tabs and
newlines are dropped and surrounding whitespace trimmed (the URL Standard), and only then is the
scheme looked at. That is exactly where the old renderer went wrong: it looked before decoding.
"""

import re
from html.parser import HTMLParser

import pytest

from questionbank.markdown import render_markdown

SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

XSS_PAYLOADS = {
    "decimal entity colon": "[x](javascript&#58;alert(1))",
    "entity in the scheme": "[x](&#106;avascript:alert(1))",
    "named colon entity": "[x](javascript&colon;alert(1))",
    "hex entity colon": "[x](javascript&#x3a;alert(1))",
    "tab inside the scheme": "[x](java&#x09;script:alert(1))",
    "newline inside the scheme": "[x](java&#10;script:alert(1))",
    "reference-style link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "reference-style link with an entity": "[x][evil]\n\n[evil]: javascript&#58;alert(1)",
    "mixed case": "[x](JaVaScRiPt:alert(1))",
    "leading space entity": "[x](&#32;javascript:alert(1))",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data URL": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "image with a script URL": "![x](javascript&#58;alert(1))",
    "raw anchor": '<a href="javascript:alert(1)">x</a>',
    "raw script": "<script>alert(1)</script>",
    "raw event handler": '<img src="x" onerror="alert(1)">',
}


class _Links(HTMLParser):
    """Collects tags, and href/src values entity-decoded the way a browser's tokenizer decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def parsed(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    links.close()
    return links


def scheme_a_browser_sees(url: str) -> str:
    """The URL Standard: strip leading/trailing C0 controls and spaces, remove tabs and newlines."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(chr(c) for c in range(0x21)))
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


@pytest.mark.parametrize("source", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_link_or_image_keeps_a_script_scheme(source):
    links = parsed(render_markdown(source))

    assert all(scheme_a_browser_sees(url) in SAFE_SCHEMES | {""} for url in links.urls), links.urls


@pytest.mark.parametrize("source", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_script_element_or_event_handler_survives(source):
    links = parsed(render_markdown(source))

    assert all(tag != "script" for tag, _ in links.tags)
    assert all(not name.startswith("on") for _, attrs in links.tags for name in attrs)


@pytest.mark.parametrize(("source", "url"), [
    ("[docs](https://example.com/a?b=1&c=2)", "https://example.com/a?b=1&c=2"),
    ("[plain](http://example.com)", "http://example.com"),
    ("[mail](mailto:someone@example.com)", "mailto:someone@example.com"),
    ("[relative](/questions/)", "/questions/"),
    ("[anchor](#constraints)", "#constraints"),
    ("[ref][r]\n\n[r]: https://example.com/ref", "https://example.com/ref"),
])
def test_harmless_links_are_kept(source, url):
    assert parsed(render_markdown(source)).urls == [url]


def test_links_never_pass_the_referrer_or_the_opener():
    tag, attrs = parsed(render_markdown("[docs](https://example.com)")).tags[-1]

    assert tag == "a"
    assert set(attrs["rel"].split()) >= {"nofollow", "noopener", "noreferrer"}


def test_the_formatting_questions_use_survives_sanitising():
    html = render_markdown("Use **a map**, `O(1)`.\n\n| n | out |\n|---|-----|\n| 1 | 2 |\n\n"
                           "```python\nprint('<b>')\n```\n\n1. one\n2. two")

    assert "<strong>a map</strong>" in html
    assert "<code>O(1)</code>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "print('&lt;b&gt;')" in html
    assert "<ol>" in html


def test_one_text_renders_nothing_of_another():
    """The renderer is reused between texts (one per thread): a link definition, a footnote of state, in one
    text must not resolve a reference in the next."""
    defined = render_markdown("[docs][ref]\n\n[ref]: https://example.com/docs")
    assert 'href="https://example.com/docs"' in defined
    assert "href" not in render_markdown("[docs][ref] again")

