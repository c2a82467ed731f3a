"""Modified UTF-8 (the DEX string encoding) to ``str``.

DEX strings are MUTF-8: NUL is written as ``C0 80`` and characters outside the BMP as two
3-byte surrogates. Python's UTF-8 codec handles the common case fast; the rare strings it
rejects go through a small lenient decoder that never raises (malformed bytes become
U+FFFD), so a hostile string cannot stop the reader.
"""

from __future__ import annotations

import re

# A UTF-16 surrogate code unit (what "surrogatepass" leaves for MUTF-8's paired 3-byte
# sequences); one regex scan instead of a Python-level loop over every character.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def decode_mutf8(raw: bytes) -> str:
    """Decode the bytes of one string_data_item (without the terminating NUL)."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        text = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return _decode_lenient(raw)
    if _SURROGATE.search(text):
        # join surrogate pairs; lone surrogates stay as they are
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _decode_lenient(raw: bytes) -> str:
    units: list[int] = []
    i, n = 0, len(raw)
    while i < n:  # every branch advances i
        b = raw[i]
        if b < 0x80:
            units.append(b)
            i += 1
        elif 0xC0 <= b < 0xE0 and i + 1 < n and raw[i + 1] & 0xC0 == 0x80:
            units.append(((b & 0x1F) << 6) | (raw[i + 1] & 0x3F))
            i += 2
        elif (
            0xE0 <= b < 0xF0
            and i + 2 < n
            and raw[i + 1] & 0xC0 == 0x80
            and raw[i + 2] & 0xC0 == 0x80
        ):
            units.append(((b & 0x0F) << 12) | ((raw[i + 1] & 0x3F) << 6) | (raw[i + 2] & 0x3F))
            i += 3
        else:
            units.append(0xFFFD)
            i += 1
    data = b"".join(u.to_bytes(2, "little") for u in units)
    return data.decode("utf-16-le", "surrogatepass")


def utf16_key(text: str) -> bytes:
    """Sort key matching the DEX string order (by UTF-16 code units)."""
    return text.encode("utf-16-be", "surrogatepass")
