"""Where secrets are looked for: code strings, resource strings, text files, native strings.

Each source yields ``(text, place)`` candidates cheaply: code strings come from the string
ids that const-string instructions actually load (the index's string table read as an
array, no per-instruction Python), so unused pool entries never become findings.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from mobsec.facts.code_strings import native_strings, referenced_string_ids

from ._patterns import SecretMatch, patterns

MIN_LEN = 8
MAX_TEXT_FILE = 512 * 1024  # bytes of one asset/raw file searched
MAX_TEXT_FILES = 400
TEXT_SUFFIXES = (
    ".json", ".xml", ".txt", ".properties", ".cfg", ".conf", ".ini", ".yaml", ".yml",
    ".js", ".html", ".htm", ".plist", ".env", ".pem", ".key", ".config", "",
)  # fmt: skip
SEPARATOR = "\x00"


@dataclass(frozen=True, slots=True)
class Hit:
    text_index: int  # which candidate text
    match: SecretMatch


def search_many(texts: list[str]) -> Iterator[Hit]:
    """Every known-format secret in ``texts``, one regex pass per pattern over all of them.

    Joining the candidates keeps the per-string Python cost out of the hot path (tens of
    thousands of strings in a large app); a match that spans two candidates is dropped.
    """
    if not texts:
        return
    starts: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    blob = SEPARATOR.join(texts)
    for p in patterns():
        seen: set[int] = set()
        for m in p.regex.finditer(blob):
            i = bisect.bisect_right(starts, m.start()) - 1
            end = starts[i] + len(texts[i])
            if m.end() > end or i in seen:
                continue
            if (
                m.start() > starts[i]
                and blob[m.start() - 1].isalnum()
                and p.id != "url-credentials"
            ):
                continue  # inside a longer token: not this format
            seen.add(i)
            value = m.group(0) if p.id == "private-key" else m.group("secret")
            yield Hit(i, SecretMatch(p, value, m.start() - starts[i]))


def text_lines(data: bytes) -> str | None:
    """The file as text if it looks like text (UTF-8, no NUL bytes), else None."""
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


__all__ = ["MIN_LEN", "Hit", "native_strings", "referenced_string_ids", "search_many", "text_lines"]
