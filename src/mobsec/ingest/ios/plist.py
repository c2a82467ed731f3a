"""Property lists (Info.plist, entitlements, the profile's payload): XML and binary.

``plistlib`` does the decoding; this module bounds it. Hostile plists are small files that
make a naive reader misbehave: entity declarations (plistlib refuses them), binary plists
whose object references form a cycle or nest thousands deep (``RecursionError`` inside
plistlib), offsets past the end (``IndexError``/``struct.error``), bad UTF-16 strings. Every
one of those becomes :class:`~mobsec.diagnostics.FormatError` naming the problem; the size
is checked before anything is decoded.
"""

from __future__ import annotations

import plistlib
import struct
from datetime import datetime
from typing import Any
from xml.parsers.expat import ExpatError

from mobsec.diagnostics import FormatError

MAX_PLIST = 8 * 1024 * 1024  # bytes; real Info.plists are a few KiB, profiles ~20 KiB
_PARSE_ERRORS = (
    plistlib.InvalidFileException,
    ExpatError,
    ValueError,  # includes UnicodeDecodeError
    LookupError,  # an XML declaration naming an unknown encoding
    TypeError,
    KeyError,
    IndexError,
    OverflowError,
    struct.error,
    RecursionError,
    MemoryError,
    AttributeError,
)


def plist_kind(data: bytes) -> str:
    """'binary', 'xml' or 'unknown' from the first bytes."""
    if data.startswith(b"bplist00"):
        return "binary"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<plist", b"<!DOCTYPE")):
        return "xml"
    return "unknown"


def parse_plist(data: bytes) -> Any:
    """The decoded plist (dict, list, str, ...). Raises :class:`FormatError` only."""
    if len(data) > MAX_PLIST:
        raise FormatError(
            f"Property list is {len(data)} bytes, above the {MAX_PLIST}-byte limit",
            f"属性列表大小 {len(data)} 字节,超过 {MAX_PLIST} 字节上限",
            code="plist.too_large",
        )
    kind = plist_kind(data)
    if kind == "unknown":
        raise FormatError(
            "Not a property list (neither XML nor binary plist)",
            "不是属性列表(既不是 XML 也不是二进制 plist)",
            code="plist.not_a_plist",
        )
    try:
        fmt = plistlib.FMT_BINARY if kind == "binary" else plistlib.FMT_XML
        return plistlib.loads(data, fmt=fmt)
    except _PARSE_ERRORS as e:
        raise FormatError(
            f"Malformed {kind} property list: {type(e).__name__}: {str(e)[:200]}",
            f"{'二进制' if kind == 'binary' else 'XML'} 属性列表格式错误:{type(e).__name__}",
            code="plist.malformed",
            kind=kind,
        ) from None


def parse_dict(data: bytes) -> dict[str, Any]:
    """A plist whose top level must be a dictionary (Info.plist, entitlements)."""
    value = parse_plist(data)
    if not isinstance(value, dict):
        raise FormatError(
            f"Property list top level is {type(value).__name__}, expected a dictionary",
            f"属性列表顶层是 {type(value).__name__},应为字典",
            code="plist.not_a_dict",
        )
    return value


def to_json(value: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """A JSON-ready copy of plist data: bytes as hex (truncated), dates as ISO 8601.

    Bounded in depth and total items: binary plists can share one object many times
    (a DAG), which a naive copy would expand exponentially.
    """
    budget = budget if budget is not None else [10_000]
    budget[0] -= 1
    if budget[0] < 0 or depth > 32:
        return "…"
    if isinstance(value, dict):
        return {str(k): to_json(v, depth + 1, budget) for k, v in list(value.items())[:500]}
    if isinstance(value, list | tuple):
        return [to_json(v, depth + 1, budget) for v in value[:500]]
    if isinstance(value, bytes):
        return value[:64].hex() + ("…" if len(value) > 64 else "")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, plistlib.UID):
        return int(value.data)
    if isinstance(value, str):
        return value[:2000]
    return value
