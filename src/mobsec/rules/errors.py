"""The error of an unusable rule file or pack, apart from the YAML reader: the command line
catches it without importing PyYAML or the rule engine (a scan without --rules needs neither)."""

from __future__ import annotations


class RuleFileError(ValueError):
    """A rule file or pack that cannot be used: where (file, line) and what, in en and zh-CN."""

    def __init__(self, file: str, line: int | None, en: str, zh: str) -> None:
        self.file, self.line, self.en, self.zh = file, line, en, zh
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {en} / {zh}")
