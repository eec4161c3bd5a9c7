"""What a browser would submit from an admin page: every named field of its change form with its current value.

Tests post what the page shows (and change a few fields) instead of hand-writing each inline's management
form, so they follow the form as it is rendered, widgets included.
"""

from html.parser import HTMLParser
from typing import Any

INLINE_PREFIXES = ("hints", "follow_ups", "rubric_points", "misconceptions", "red_flags", "signatures", "test_cases")


class _FormFields(HTMLParser):
    """Collects the values of the page's form `form_id` (the admin change form is `<model>_form`)."""

    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data: dict[str, Any] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str, multiple: bool = False) -> None:
        if "__prefix__" in name:
            return  # the template of "Add another" rows
        if multiple:
            self.data.setdefault(name, []).append(value)
        else:
            self.data[name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option = (a.get("value", ""), "selected" in a)
                self._text = []
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(name, a.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select = name

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside and self.form_id is not None:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            if selected:
                self._add(self._select, value)
            self._option = None
        elif tag == "select":
            self._select = None


def page_form(response: Any, form_id: str = "question_form") -> dict[str, Any]:
    """The fields of a rendered page's form as the browser would post them."""
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.data


def empty_inlines() -> dict[str, int]:
    data: dict[str, int] = {}
    for prefix in INLINE_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0,
                 f"{prefix}-MAX_NUM_FORMS": 1000}
    return data


def add_rows(data: dict[str, Any], prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Append new inline rows (as "Add another" does) after those already in `data`."""
    start = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    for offset, row in enumerate(rows):
        for field, value in row.items():
            if value is True:
                data[f"{prefix}-{start + offset}-{field}"] = "on"
            elif value not in (False, None):
                data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = start + len(rows)
    return data
