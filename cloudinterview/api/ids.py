"""Opaque public identifiers with the contract's prefixes, never sequential."""

import hashlib
import secrets
from functools import partial
from typing import Any

from django.db import models


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
