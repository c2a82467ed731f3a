"""Opaque public identifiers: what URLs and the API show instead of sequential row ids."""

from __future__ import annotations

import secrets

from django.db import models

PUBLIC_ID_LENGTH = 22  # 16 random bytes, url-safe base64 without padding


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class PublicIdField(models.CharField):
    """A unique, random, url-safe id set on creation and never reused."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", new_public_id)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "unique", "editable", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs
