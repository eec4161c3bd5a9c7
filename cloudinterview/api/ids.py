"""Opaque public identifiers with the contract's prefixes, never sequential."""

import hashlib
import secrets
from functools import partial
from typing import Any

from django.db import models
from django.urls import register_converter
from django.urls.converters import get_converters


def new_public_id(prefix: str) -> str:
    """96 random bits: unguessable and collision-free in practice."""
    return f"{prefix}_{secrets.token_hex(12)}"


def stable_public_id(prefix: str, key: str) -> str:
    """The same id on every install for the same key (bundled questions), yet not the key itself."""
    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:16]}"


class PublicIdField(models.CharField):
    """A unique, indexed, read-only public id generated at creation with a fixed prefix."""

    def __init__(self, prefix: str = "", **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs["default"] = partial(new_public_id, prefix)
        super().__init__(**kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs


ID_CHARS = "[A-Za-z0-9_-]"
ID_MAX_LENGTH = 40  # PublicIdField's and Question.public_id's max_length
SHARE_TOKEN = f"{ID_CHARS}{{16,64}}"  # secrets.token_urlsafe text, ShareLink.token's max_length


def public_id_pattern(prefix: str) -> str:
    """The format of a `<prefix>_…` public id, as a regular expression (no anchors)."""
    return f"{prefix}_{ID_CHARS}{{1,{ID_MAX_LENGTH - len(prefix) - 1}}}"


class _FormatConverter:
    """A path converter that only matches its format: anything else (a NUL, a 300-character string) is a 404
    from the URL resolver and never reaches the ORM, whose databases fail on some of it (docs/security.md)."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


ID_CONVERTERS = {
    "session": public_id_pattern("session"),
    "answer": public_id_pattern("answer"),
    "question": public_id_pattern("q"),
    "feedback": public_id_pattern("feedback"),
    "webhook": public_id_pattern("wh"),
    "share_token": SHARE_TOKEN,
}


def register_id_converters() -> None:
    """Register `<session:…>`, `<answer:…>`, `<question:…>`, `<feedback:…>`, `<webhook:…>` and `<share_token:…>` once;
    every urls.py that uses them calls this first."""
    registered = get_converters()
    for name, pattern in ID_CONVERTERS.items():
        if name not in registered:
            register_converter(type(f"{name.title()}Converter", (_FormatConverter,), {"regex": pattern}), name)
