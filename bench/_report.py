"""One writer for docs/benchmarks.md: each benchmark replaces its own `## ` section, leaving the others."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the section headed `## {title}` with `body`."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")
