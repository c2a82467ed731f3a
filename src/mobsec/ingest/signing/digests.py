"""Content digests of APK Signature Scheme v2+: what the signer's digest records cover.

The signed content is the file minus the APK Signing Block: the ZIP entries section,
the central directory, and the end record with its central-directory offset rewritten to
point at the signing block. Each section is cut into 1 MiB chunks;
digest = H(0x5a || u32 count || H(0xa5 || u32 len || chunk)...). The verity variant is the
root of a 4 KiB-page salted SHA-256 Merkle tree over the same bytes, followed by the u64 length.

Hashing runs straight over memoryviews of the mapped file: no copy of the APK is made.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable

from .algorithms import ContentDigest

CHUNK = 1024 * 1024
_PAGE = 4096
_SALT = b"\x00" * 8  # apksig salts every verity page hash with 8 zero bytes


def _salted(data: memoryview | bytes) -> bytes:
    h = hashlib.sha256(_SALT)
    h.update(data)
    return h.digest()


def modified_eocd(eocd: memoryview, signing_block_offset: int) -> bytes:
    """The end record as signed: its CD offset field (bytes 16..20) = signing block offset."""
    out = bytearray(eocd)
    struct.pack_into("<I", out, 16, signing_block_offset & 0xFFFFFFFF)
    return bytes(out)


def _chunked(algo: str, sections: Iterable[memoryview | bytes]) -> bytes:
    secs = [memoryview(s) for s in sections]
    count = sum((len(s) + CHUNK - 1) // CHUNK for s in secs)
    top = hashlib.new(algo)
    top.update(b"\x5a" + struct.pack("<I", count))
    prefix = bytearray(b"\xa5\x00\x00\x00\x00")
    new = hashlib.sha256 if algo == "sha256" else hashlib.sha512
    for s in secs:
        for off in range(0, len(s), CHUNK):
            piece = s[off : off + CHUNK]
            struct.pack_into("<I", prefix, 1, len(piece))
            h = new(prefix)
            h.update(piece)
            top.update(h.digest())
    return top.digest()


def _verity(sections: list[memoryview | bytes]) -> bytes:
    total = sum(len(s) for s in sections)
    # Level 0: hash every 4 KiB page of the concatenated content (last page zero-padded).
    level = bytearray()
    carry = bytearray()  # a page split across two sections
    for s in sections:
        mv = memoryview(s)
        pos = 0
        if carry:
            take = min(_PAGE - len(carry), len(mv))
            carry += mv[:take]
            pos = take
            if len(carry) < _PAGE:
                continue
            level += _salted(carry)
            carry = bytearray()
        whole_end = pos + ((len(mv) - pos) // _PAGE) * _PAGE
        for off in range(pos, whole_end, _PAGE):
            level += _salted(mv[off : off + _PAGE])
        carry += mv[whole_end:]
    if carry:
        level += _salted(bytes(carry) + b"\x00" * (_PAGE - len(carry)))
    # Upper levels until one page remains.
    while len(level) > _PAGE:
        if len(level) % _PAGE:
            level += b"\x00" * (_PAGE - len(level) % _PAGE)
        nxt = bytearray()
        mv = memoryview(level)
        for off in range(0, len(level), _PAGE):
            nxt += _salted(mv[off : off + _PAGE])
        level = nxt
    page = bytes(level) + b"\x00" * (_PAGE - len(level))
    return _salted(page) + struct.pack("<Q", total)


def compute(kind: ContentDigest, entries: memoryview, cd: memoryview, eocd: bytes) -> bytes:
    """Digest of the three signed sections for one content-digest algorithm."""
    if kind is ContentDigest.CHUNKED_SHA256:
        return _chunked("sha256", (entries, cd, eocd))
    if kind is ContentDigest.CHUNKED_SHA512:
        return _chunked("sha512", (entries, cd, eocd))
    return _verity([entries, cd, eocd])
