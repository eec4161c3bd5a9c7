"""JSON at the edges: what comes in is bounded before it is decoded, what goes out is always storable.

In: REST bodies and socket messages go through `loads`, which refuses, as a clear error, JSON nested
deeper than any real message (Python's decoder would recurse until RecursionError, a 500), NaN and
Infinity (not JSON), NUL characters (PostgreSQL text cannot hold them) and lone surrogates (no UTF-8
encoding exists for them; token checks and the database fail on them).

Out: values the server did not write itself, such as what candidates' code returned, go through
`storable`, so NaN, a NUL or a surrogate there can neither fail a response nor a database write
(docs/security.md, "Bad input").
"""

import json
import math
import re
from typing import Any

MAX_DEPTH = 32  # the deepest real message (a socket submit_answer) is 3 levels
MAX_STORED_DEPTH = 64
UNREPRESENTABLE = re.compile("[\x00\ud800-\udfff]")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# In JSON text, NUL and surrogates can only arrive as \u escapes: strings are searched only after one of these.
_UNREPRESENTABLE_ESCAPE = re.compile(r"\\u(?:0000|d[89a-f][0-9a-f]{2})", re.IGNORECASE)
_OPEN_CLOSE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKET = bytes(set(range(256)) - set(b"[]{}"))


class UnsafeJSON(ValueError):
    """Input the API refuses with VALIDATION_ERROR; the message says which rule it broke."""


def _refuse_constant(name: str) -> None:
    raise UnsafeJSON(f"{name} is not a JSON value.")


def _check_depth(text: str, max_depth: int) -> None:
    """Measure nesting on the brackets outside strings before decoding, without recursion: each pass drops
    every innermost pair, so a valid document needs as many passes as it is deep. Brackets left unmatched
    (malformed JSON, which the decoder would still recurse into) count as levels too."""
    brackets = _STRING.sub("", text).encode("utf-8", "ignore").translate(_OPEN_CLOSE, _NOT_BRACKET)
    passes = 0
    while passes <= max_depth and (reduced := brackets.replace(b"[]", b"")) != brackets:
        brackets, passes = reduced, passes + 1
    if passes + brackets.count(b"[") > max_depth:
        raise UnsafeJSON(f"JSON nested deeper than {max_depth} levels.")


def _check_strings(value: Any) -> None:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and (bad := UNREPRESENTABLE.search(item)):
            if bad.group() == "\x00":
                raise UnsafeJSON("NUL characters are not allowed in text.")
            raise UnsafeJSON(f"A lone surrogate (\\u{ord(bad.group()):04x}) is not a character; "
                             "text must be valid Unicode.")


def loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode untrusted JSON text; UnsafeJSON (a ValueError, like json's own errors) when refused."""
    _check_depth(text, max_depth)
    value = json.loads(text, parse_constant=_refuse_constant)
    if _UNREPRESENTABLE_ESCAPE.search(text):
        _check_strings(value)
    return value


def storable(value: Any, *, max_depth: int = MAX_STORED_DEPTH) -> Any:
    """The value with what strict JSON and PostgreSQL cannot hold replaced: NaN and the infinities by
    their names, NUL and lone surrogates by U+FFFD, anything nested deeper than `max_depth` by a note."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, str):
        return UNREPRESENTABLE.sub("\ufffd", value)
    if isinstance(value, (dict, list, tuple)) and max_depth <= 0:
        return "(nested too deep to show)"
    if isinstance(value, dict):
        return {storable(str(key)): storable(item, max_depth=max_depth - 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable(item, max_depth=max_depth - 1) for item in value]
    return value
