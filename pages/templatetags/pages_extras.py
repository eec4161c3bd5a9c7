"""Template helpers for the candidate pages: Markdown, labels and score colours."""

import json
from typing import Any

from django import template
from django.utils.safestring import SafeString

from feedback.presentation import band, shown
from questionbank.markdown import render_markdown

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


@register.filter(name="shown")
def shown_score(value: float | None) -> int | None:
    """A session's or question's score as every page shows it (feedback.presentation.shown: rounded once)."""
    return shown(value)


@register.filter
def score_band(value: float | None) -> str:
    """A CSS modifier for a 0..100 score, so colour always means the same thing (feedback.presentation.band)."""
    return band(value)


@register.filter
def ms(value: float | None) -> str:
    """A test case's run time: whole milliseconds, '<1 ms' below one."""
    if value is None:
        return ""
    return "<1 ms" if value < 1 else f"{round(value)} ms"


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    return (mapping or {}).get(key)
