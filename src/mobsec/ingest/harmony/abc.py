"""Ark bytecode (``ets/modules.abc``): the header and the string area, not the code.

The file starts with the Panda header (``PANDA\\0\\0\\0`` magic, Adler-32 checksum of
everything after it, 4-byte version, file size, then offsets and counts of the foreign
area, classes, line-number programs, literal arrays and index regions). String items are
a ULEB128 header ``(utf16_length << 1) | is_ascii`` followed by the MUTF-8 bytes and a NUL.
We find the ASCII ones by scanning for printable runs that end in NUL and are preceded by
exactly the header their length implies, which rejects the printable noise in code and
tables without decoding the classes. Module requests (``@ohos:net.http``,
``@bundle:…``, ``@normalized:…``, ``@app:…`` for native modules) are string items too.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import FormatError
from mobsec.ingest.leb128 import encode_uleb128

MAGIC = b"PANDA\x00\x00\x00"
HEADER = struct.Struct("<8sI4sIIIIIIIIIIII")
MAX_STRINGS = 200_000
MAX_STRING_LEN = 4096
# A maximal printable run (no backtracking: a bounded repeat followed by NUL retried every
# start inside long runs and took half a second on a 64 KB file); the caller checks the NUL
# after it and the header before it.
_RUN = re.compile(rb"[\x20-\x7e\t\n\r]{2,}")
_IMPORT = re.compile(r"^@(ohos|system|bundle|normalized|native|app|package|hms|kit)[:.]")


@dataclass(slots=True)
class AbcFile:
    path: str
    size: int
    version: str
    checksum_ok: bool
    declared_size: int
    classes: int
    literal_arrays: int
    strings: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "version": self.version,
            "checksum_ok": self.checksum_ok,
            "classes": self.classes,
            "literal_arrays": self.literal_arrays,
            "strings": len(self.strings),
            "imports": self.imports,
        }


def _string_item(data: bytes, run_start: int, end: int) -> str | None:
    """The string item ending at ``end`` (its NUL) inside a printable run, if any.

    A header byte of a string 16..63 long is itself printable, so the run may begin a byte
    or two before the string: try the first few starts."""
    for start in range(run_start, min(run_start + 4, end - 1)):
        head = encode_uleb128(((end - start) << 1) | 1)
        if start >= len(head) and data[start - len(head) : start] == head:
            return data[start:end].decode("ascii")
    return None


def read_abc(data: bytes, path: str) -> AbcFile:
    """Header and ASCII strings of one ABC file; FormatError when it is not one."""
    if len(data) < HEADER.size or not data.startswith(MAGIC):
        raise FormatError(
            "Not an Ark bytecode file (no PANDA magic)",
            "不是方舟字节码文件(缺少 PANDA 标识)",
            code="abc.bad_magic",
        )
    f = HEADER.unpack_from(data)
    checksum, version, declared = f[1], f[2], f[3]
    num_classes, num_literals = f[6], f[10]
    abc = AbcFile(
        path=path,
        size=len(data),
        version=".".join(str(b) for b in version),
        checksum_ok=zlib.adler32(memoryview(data)[12:]) == checksum,
        declared_size=declared,
        # counts of 0xFFFFFFFF mean "not used" in newer files; report what is plausible
        classes=num_classes if num_classes * 4 <= len(data) else 0,
        literal_arrays=num_literals if num_literals * 4 <= len(data) else 0,
    )
    seen: set[str] = set()
    for m in _RUN.finditer(data, HEADER.size):
        end = m.end()
        if end >= len(data) or data[end] != 0 or end - m.start() > MAX_STRING_LEN + 4:
            continue
        s = _string_item(data, m.start(), end)
        if s is None or s in seen:
            continue
        seen.add(s)
        abc.strings.append(s)
        if _IMPORT.match(s):
            abc.imports.append(s)
        if len(abc.strings) >= MAX_STRINGS:
            break
    return abc
