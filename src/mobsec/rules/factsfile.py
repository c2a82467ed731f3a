"""The stored-facts container (format 4): a small header and separately compressed sections,
so a rule-only re-scan decompresses only the sections its rules read (a pack of manifest
rules never touches the code tables).

Layout: ``MAGIC``, u32 format version, u32 header length, the header (zlib of JSON: the
document's small fields and ``sections``: name -> [offset, packed length, unpacked length,
CRC-32 of the packed bytes], offsets relative to the end of the header), then the sections
(each zlib of its bytes). The CRCs are checked on opening, so damage anywhere is seen even
in a section no rule reads. Numbers
are little-endian. Nothing in a file is trusted: every length is bounded and checked, and a
section is decompressed no further than its declared size.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from typing import Any

MAGIC = b"MOBSEC-FACTS\r\n\x1a\n"  # text-mode and truncation damage show in the magic
_HEAD = struct.Struct("<II")
# zlib level 1: the sections are mostly small integers and identifiers, where level 1 packs
# within ~10 % of level 6 at a fraction of the time (bench/RESULTS.md "Stored facts, v4").
LEVEL = 1
MAX_HEADER_BYTES = 64 << 20


class ContainerError(ValueError):
    """The bytes are not a well-formed container (the message says what is wrong)."""


def pack(version: int, header: dict[str, Any], sections: dict[str, bytes]) -> bytes:
    body, index, at = [], {}, 0
    for name, raw in sections.items():
        packed = zlib.compress(raw, LEVEL)
        index[name] = [at, len(packed), len(raw), zlib.crc32(packed)]
        body.append(packed)
        at += len(packed)
    head = zlib.compress(_json({**header, "sections": index}), LEVEL)
    return b"".join([MAGIC, _HEAD.pack(version, len(head)), head, *body])


def version_of(data: bytes) -> int | None:
    """The format version of a container, None when ``data`` is not one."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEAD.size:
        return None
    return int(_HEAD.unpack_from(data, len(MAGIC))[0])


class Container:
    """A parsed container: ``header`` at once, each section when first asked for."""

    def __init__(self, data: bytes, max_unpacked: int) -> None:
        at = len(MAGIC) + _HEAD.size
        _, head_len = _HEAD.unpack_from(data, len(MAGIC))
        if head_len > min(len(data) - at, MAX_HEADER_BYTES):
            raise ContainerError(f"header of {head_len} bytes does not fit in the file")
        try:
            header = json.loads(_inflate(data[at : at + head_len], MAX_HEADER_BYTES))
        except (ValueError, RecursionError) as e:
            raise ContainerError(f"header is not JSON ({e})") from e
        if not isinstance(header, dict) or not isinstance(header.get("sections"), dict):
            raise ContainerError("header is not a stored facts header")
        self._body = memoryview(data)[at + head_len :]
        self.sections: dict[str, tuple[int, int, int]] = {}
        total = 0
        for name, entry in header.pop("sections").items():
            if not (isinstance(entry, list) and len(entry) == 4 and _ints(entry)):
                raise ContainerError(f"section {name!r}: malformed index entry")
            off, n, raw, crc = entry
            if off < 0 or n < 0 or raw < 0 or off + n > len(self._body):
                raise ContainerError(f"section {name!r} lies outside the file (truncated?)")
            if zlib.crc32(self._body[off : off + n]) != crc:
                raise ContainerError(f"section {name!r} is damaged (checksum mismatch)")
            total += raw
            self.sections[name] = (off, n, raw)
        if total > max_unpacked:
            raise ContainerError(f"sections unpack to {total} bytes, over {max_unpacked}")
        self.header = header

    def raw(self, name: str) -> bytes:
        if name not in self.sections:
            raise ContainerError(f"section {name!r} is missing")
        off, n, size = self.sections[name]
        data = _inflate(self._body[off : off + n], size)
        if len(data) != size:
            raise ContainerError(f"section {name!r}: {len(data)} bytes, {size} declared")
        return data

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.raw(name))
        except (ValueError, RecursionError) as e:
            if isinstance(e, ContainerError):
                raise
            raise ContainerError(f"section {name!r} is not JSON") from e

    def ints(self, name: str) -> array:
        """A section of little-endian i32."""
        data = self.raw(name)
        if len(data) % 4:
            raise ContainerError(f"section {name!r}: {len(data)} bytes is not a whole i32 array")
        return ints_from(data)

    def texts(self, name: str) -> list[str]:
        """A section written by :func:`texts_bytes`."""
        data = self.raw(name)
        if len(data) < 4:
            raise ContainerError(f"section {name!r} is too short")
        (count,) = struct.unpack_from("<I", data)
        if count > (len(data) - 4) // 4:
            raise ContainerError(f"section {name!r}: {count} texts do not fit")
        lengths = ints_from(data[4 : 4 + 4 * count])
        try:
            joined = data[4 + 4 * count :].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError as e:
            raise ContainerError(f"section {name!r} is not UTF-8") from e
        if count and (min(lengths) < 0 or sum(lengths) != len(joined)):
            raise ContainerError(f"section {name!r}: text lengths do not add up")
        out, at = [], 0
        for n in lengths:
            out.append(joined[at : at + n])
            at += n
        return out


def texts_bytes(texts: list[str]) -> bytes:
    """Texts as a count, their lengths (code points) and their UTF-8 (lone surrogates kept:
    DEX strings may hold them)."""
    lengths = array("i", map(len, texts))
    return (
        struct.pack("<I", len(texts))
        + le_bytes(lengths)
        + "".join(texts).encode("utf-8", "surrogatepass")
    )


def le_bytes(values: array) -> bytes:
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped.tobytes()


def ints_from(data: bytes) -> array:
    out = array("i")
    out.frombytes(data)
    if sys.byteorder != "little":
        out.byteswap()
    return out


def _inflate(data: bytes | memoryview, limit: int) -> bytes:
    try:
        d = zlib.decompressobj()
        out = d.decompress(data, limit + 1)
        if not d.eof:
            raise ContainerError("a compressed part is truncated or longer than declared")
    except zlib.error as e:
        raise ContainerError(f"a compressed part is damaged ({e})") from e
    return out


def _ints(values: list[Any]) -> bool:
    return all(type(v) is int for v in values)


def _json(value: Any) -> bytes:
    # ASCII with escapes: a lone surrogate (possible in DEX and manifest strings) survives
    return json.dumps(value, separators=(",", ":")).encode("ascii")
