"""Fill a config template's `${NAME}` placeholders (upper-case names only, so nginx's own `$variables` stay)
from the environment: `python scripts/render.py TEMPLATE OUTPUT`. A name missing from the environment is an
error, never an empty string in a config."""

import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def render(text: str, values: dict[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise SystemExit(f"render: not set in the environment: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


if __name__ == "__main__":
    template, output = map(Path, sys.argv[1:3])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(template.read_text(), dict(os.environ)))
