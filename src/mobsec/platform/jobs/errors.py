"""Errors a job handler raises, kept free of Django so the sandbox child can use them too."""

from __future__ import annotations

from typing import Any


class JobFailed(Exception):
    """A job that must not be retried: the input itself is the problem (a hostile package,
    a scan over its limits, an unreadable file). ``en``/``zh`` are shown to the user;
    ``details`` (JSON-able) are the diagnostics kept on the job row."""

    def __init__(self, en: str, zh: str, code: str = "job.failed", **details: Any) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh
        self.code = code
        self.details = details

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "en": self.en, "zh": self.zh, "details": self.details}


class SandboxError(JobFailed):
    """The scan child died or was killed: over its CPU, memory or wall-clock limit, crashed,
    or the package could not be read at all."""


class QuotaExceeded(Exception):
    """An organisation's quota refuses a new upload. ``en``/``zh`` are shown as they are;
    the API answers 429 with them."""

    status = 429

    def __init__(self, code: str, en: str, zh: str, *, limit: int, used: int) -> None:
        super().__init__(en)
        self.code = code
        self.en = en
        self.zh = zh
        self.limit = limit
        self.used = used

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "en": self.en,
            "zh": self.zh,
            "limit": self.limit,
            "used": self.used,
        }
