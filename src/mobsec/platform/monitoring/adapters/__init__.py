"""Channel adapters: the plug-in interface for app-store crawlers.

An adapter turns one channel into packages with their store listing. It yields ``Found``
items (a package file inside the source's directory, the listing as the channel shows it)
and ``Problem`` items (what it could not take, naming the file); it never raises for bad
input. The platform opens each file itself (``safefs.open_in``), so an adapter only names
paths relative to the source directory. Register a new adapter with ``register``; the
watched folder is the adapter without listings (``folder``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Found:
    key: str  # the package's path relative to the source directory
    listing: dict[str, Any] = field(default_factory=dict)  # cleaned: see listing.py


@dataclass(frozen=True)
class Problem:
    code: str
    file: str
    en: str
    zh: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "file": self.file, "en": self.en, "zh": self.zh}


Adapter = Callable[[Path], Iterator[Found | Problem]]
ADAPTERS: dict[str, Adapter] = {}


def register(name: str, adapter: Adapter) -> None:
    ADAPTERS[name] = adapter


def get(name: str) -> Adapter | None:
    _load_builtin()
    return ADAPTERS.get(name)


def names() -> list[str]:
    _load_builtin()
    return sorted(ADAPTERS)


def _load_builtin() -> None:
    from . import folder, local_mirror  # noqa: F401 - they register themselves
