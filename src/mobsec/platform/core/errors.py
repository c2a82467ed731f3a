"""A refused request with its reason in both languages (pages and API show the active one)."""

from __future__ import annotations

from django.utils.translation import get_language


class UserError(Exception):
    def __init__(self, code: str, en: str, zh: str, status: int = 400) -> None:
        super().__init__(en)
        self.code, self.en, self.zh, self.status = code, en, zh, status

    @property
    def message(self) -> str:
        return self.en if (get_language() or "").startswith("en") else self.zh

    def to_json(self) -> dict[str, object]:
        return {
            "detail": self.message,
            "code": self.code,
            "messages": {"en": self.en, "zh-CN": self.zh},
        }
