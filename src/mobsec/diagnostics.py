"""Problems found in the input while reading it, reported per file instead of raised.

Packages are attacker-controlled. A reader that meets something broken records a
:class:`Diagnostic` naming the file and the problem, in both languages, and goes on
where it can. Only a problem that makes the whole package unreadable is raised, as
:class:`InputError`, which carries the same information.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mobsec.limits import DEFAULT_LIMITS


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


SUPPRESSED = "diagnostics.suppressed"


class Diagnostics:
    """Collector handed down to every reader of one package.

    Each code is kept ``max_per_code`` times; further ones are only counted, and iteration
    ends with one ``diagnostics.suppressed`` summary per such code (a hostile package can
    repeat one problem 100,000 times: the report and stderr stay bounded).
    """

    def __init__(self, max_per_code: int = DEFAULT_LIMITS.max_diagnostics_per_code) -> None:
        self._items: list[Diagnostic] = []
        self._max = max_per_code
        self._counts: dict[str, int] = {}
        self._levels: dict[str, Level] = {}
        self._lock = threading.Lock()  # DEX files are read on several threads

    def add(
        self, level: Level, code: str, file: str, en: str, zh: str, **detail: Any
    ) -> Diagnostic:
        return self.add_diagnostic(Diagnostic(level, code, file, en, zh, detail))

    def add_diagnostic(self, d: Diagnostic) -> Diagnostic:
        """File a diagnostic made elsewhere (a sub-reader's, re-located), under the same cap."""
        code, level = d.code, d.level
        with self._lock:
            n = self._counts[code] = self._counts.get(code, 0) + 1
            self._levels.setdefault(code, level)
            if n <= self._max:
                self._items.append(d)
        return d

    def count_suppressed(self, code: str, level: Level, n: int) -> None:
        """``n`` more of ``code`` that a reader capped itself: counted in the summary."""
        if n <= 0:
            return
        with self._lock:
            self._counts[code] = max(self._counts.get(code, 0), self._max) + n
            self._levels.setdefault(code, level)

    def _summaries(self) -> list[Diagnostic]:
        out = []
        for code, n in self._counts.items():
            if n <= self._max:
                continue
            listed = min(n, sum(1 for d in self._items if d.code == code))
            out.append(
                Diagnostic(
                    self._levels[code],
                    SUPPRESSED,
                    "",
                    f"{n - listed} more '{code}' diagnostics not listed ({n} in all)",
                    f"另有 {n - listed} 条 '{code}' 诊断未逐条列出（共 {n} 条）",
                    {"code": code, "count": n, "listed": listed},
                )
            )
        return out

    def error(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.ERROR, code, file, en, zh, **detail)

    def warning(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.WARNING, code, file, en, zh, **detail)

    def info(self, code: str, file: str, en: str, zh: str, **detail: Any) -> Diagnostic:
        return self.add(Level.INFO, code, file, en, zh, **detail)

    def codes(self) -> set[str]:
        return set(self._counts)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items + self._summaries())

    def __len__(self) -> int:
        return len(self._items) + len(self._summaries())


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
