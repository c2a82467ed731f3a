"""JAR manifest / signature-file (MANIFEST.MF, *.SF) parsing the way Android reads it.

Byte offsets of each section are kept because .SF files sign the *bytes* of manifest
sections, not their parsed form. Any of CR LF, CRLF, LF ends a line; a line starting with
a space continues the previous one; an empty line ends a section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SECTIONS = 500_000  # far above any real APK; bounds a hostile manifest


@dataclass
class Section:
    start: int
    size: int
    attrs: list[tuple[str, str]] = field(default_factory=list)
    line: int = 0

    def get(self, name: str) -> str | None:
        low = name.lower()
        for k, v in self.attrs:
            if k.lower() == low:
                return v
        return None

    @property
    def name(self) -> str | None:
        return self.get("Name")


class ManifestParser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.line_no = 0

    def _read_line(self) -> str | None:
        d, n = self.data, len(self.data)
        if self.pos >= n:
            return None
        start = self.pos
        cr, lf = d.find(b"\r", start), d.find(b"\n", start)
        ends = [i for i in (cr, lf) if i != -1]
        if not ends:
            self.pos = n
            end = n
        else:
            end = min(ends)
            self.pos = end + (2 if d[end : end + 2] == b"\r\n" else 1)
        self.line_no += 1
        return d[start:end].decode("utf-8", errors="replace")

    def _read_attribute(self) -> str | None:
        line = self._read_line()
        if line is None:
            return None
        parts = [line]
        while self.pos < len(self.data) and self.data[self.pos : self.pos + 1] == b" ":
            nxt = self._read_line()
            if nxt is None:
                break
            parts.append(nxt[1:])
        return "".join(parts)

    def read_section(self) -> Section | None:
        while True:
            start = self.pos
            attr = self._read_attribute()
            if attr is None:
                return None
            if attr:
                break
        sec = Section(start, 0, [], self.line_no)
        sec.attrs.append(_split(attr))
        while True:
            attr = self._read_attribute()
            if not attr:
                break
            sec.attrs.append(_split(attr))
        sec.size = self.pos - start
        return sec

    def read_all(self) -> list[Section]:
        out: list[Section] = []
        while len(out) < MAX_SECTIONS:
            s = self.read_section()
            if s is None:
                break
            out.append(s)
        return out


def _split(attr: str) -> tuple[str, str]:
    i = attr.find(": ")
    return (attr, "") if i < 0 else (attr[:i], attr[i + 2 :])
