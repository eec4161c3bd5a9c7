"""Template helpers for the candidate pages: Markdown, labels, score colours and the report's charts."""

import json
from typing import Any

from django import template
from django.utils.safestring import SafeString

from questionbank.markdown import render_markdown

from ..reports import report_charts as _report_charts

register = template.Library()

LABELS = {"system_design": "System design", "in_progress": "In progress", "pending": "Not started",
          "javascript": "JavaScript", "typescript": "TypeScript", "cpp": "C++", "csharp": "C#"}


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def tojson(value: Any) -> str:
    """Test-case values as the API shows them (JSON), not as Python reprs; escaped by the template."""
    return json.dumps(value, separators=(", ", ": "))


@register.filter
def label(value: Any) -> str:
    """'system_design' -> 'System design': enum values as people read them."""
    text = str(value or "")
    return LABELS.get(text, text.replace("_", " ").capitalize())


@register.filter
def score_band(value: float | None) -> str:
    """A CSS modifier for a 0..100 score, so colour always means the same thing."""
    if value is None:
        return "none"
    if value >= 80:
        return "high"
    if value >= 50:
        return "mid"
    return "low"


@register.filter
def ms(value: float | None) -> str:
    """A test case's run time: whole milliseconds, '<1 ms' below one."""
    if value is None:
        return ""
    return "<1 ms" if value < 1 else f"{round(value)} ms"


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.simple_tag
def report_charts(session: dict[str, Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    return _report_charts(session=session, questions=questions)
