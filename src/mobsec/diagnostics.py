"""Problems found in the input while reading it, reported per file instead of raised.

Packages are attacker-controlled. A reader that meets something broken records a
:class:`Diagnostic` naming the file and the problem, in both languages, and goes on
where it can. Only a problem that makes the whole package unreadable is raised, as
:class:`InputError`, which carries the same information.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    ERROR = "error"  # part of the package could not be read; results for it are missing
    WARNING = "warning"  # read, but something is off (and may be a deliberate trick)
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    code: str  # stable, dotted, e.g. "zip.crc_mismatch"; tests and users match on it
    file: str  # path inside the package ("" for the package itself)
    en: str
    zh: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "code": self.code,
            "file": self.file,
            "message": {"en": self.en, "zh-CN": self.zh},
            "detail": self.detail,
        }

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{self.level.value}: {where}{self.en} [{self.code}]"


class Diagnostics:
    """Collector handed down to every reader of one package."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(
        self, level: Level, code: str, file: str, en: str, zh: str, **detail: Any
    ) -> Diagnostic:
        d = Diagnostic(level, code, file, en, zh, detail)
        self._items.append(d)
        return d

    def error(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.ERROR, code, file, en, zh, **detail)

    def warning(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.WARNING, code, file, en, zh, **detail)

    def info(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.INFO, code, file, en, zh, **detail)

    def codes(self) -> set[str]:
        return {d.code for d in self._items}

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class InputError(Exception):
    """The package as a whole cannot be read (not a ZIP, truncated beyond repair, ...)."""

    def __init__(self, code: str, file: str, en: str, zh: str, **detail: Any) -> None:
        super().__init__(f"{file}: {en}" if file else en)
        self.diagnostic = Diagnostic(Level.ERROR, code, file, en, zh, detail)


class FormatError(Exception):
    """Raised inside a single-format parser (DEX, AXML, ARSC, ELF, ...) for malformed bytes.

    The caller that knows the file name turns it into a :class:`Diagnostic`. The message
    is English; ``zh`` carries the Chinese text.
    """

    def __init__(self, en: str, zh: str = "", code: str = "format.invalid", **detail: Any):
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        self.code = code
        self.detail = detail
