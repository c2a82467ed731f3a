"""Locating the APK Signing Block and reading its length-prefixed records.

The block sits right before the ZIP central directory::

    u64 size | (u64 len, u32 id, value)* | u64 size | "APK Sig Block 42"

Android ignores the whole block (falls back to v1) when the magic, either size field, or
the ZIP layout around it is off — so these are verdicts, not exceptions.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from mobsec.diagnostics import FormatError

from .messages import Issue, make_issue

MAGIC = b"APK Sig Block 42"
V2_BLOCK_ID = 0x7109871A
V3_BLOCK_ID = 0xF05368C0
V31_BLOCK_ID = 0x1B93AD61
VERITY_PADDING_ID = 0x42726577
SOURCE_STAMP_IDS = (0x2B09189E, 0x6DFF800D)
DEPENDENCY_INFO_ID = 0x504B4453  # Play "dependency metadata"
KNOWN_IDS = {V2_BLOCK_ID, V3_BLOCK_ID, V31_BLOCK_ID, VERITY_PADDING_ID, DEPENDENCY_INFO_ID,
             *SOURCE_STAMP_IDS, 0x71777777}  # fmt: skip
_INT_MAX = 2**31 - 1


@dataclass
class SigningBlock:
    offset: int  # file offset of the block's first byte
    pairs: dict[int, memoryview]  # first value for each id (what Android reads)
    ids: list[int] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


class Reader:
    """Bounds-checked little-endian reader over a memoryview (apksig's ByteBuffer idiom)."""

    __slots__ = ("buf", "pos")

    def __init__(self, buf: memoryview | bytes) -> None:
        self.buf = memoryview(buf)
        self.pos = 0

    def remaining(self) -> int:
        return len(self.buf) - self.pos

    def has_remaining(self) -> bool:
        return self.pos < len(self.buf)

    def _need(self, n: int) -> None:
        if n < 0 or self.pos + n > len(self.buf):
            raise FormatError(
                f"Record needs {n} bytes, {self.remaining()} left",
                f"记录需要 {n} 字节，仅剩 {self.remaining()} 字节",
                code="signing.record.truncated",
            )

    def u32(self) -> int:
        self._need(4)
        v = struct.unpack_from("<I", self.buf, self.pos)[0]
        self.pos += 4
        return v

    def i32(self) -> int:
        self._need(4)
        v = struct.unpack_from("<i", self.buf, self.pos)[0]
        self.pos += 4
        return v

    def u64(self) -> int:
        self._need(8)
        v = struct.unpack_from("<Q", self.buf, self.pos)[0]
        self.pos += 8
        return v

    def take(self, n: int) -> memoryview:
        self._need(n)
        v = self.buf[self.pos : self.pos + n]
        self.pos += n
        return v

    def rest(self) -> memoryview:
        v = self.buf[self.pos :]
        self.pos = len(self.buf)
        return v

    def lp(self) -> memoryview:
        """A u32-length-prefixed slice (apksig's getLengthPrefixedSlice)."""
        n = self.u32()
        if n > _INT_MAX:
            raise FormatError("Negative length", "长度为负", code="signing.record.truncated")
        return self.take(n)

    def lp_reader(self) -> Reader:
        return Reader(self.lp())


def find_signing_block(
    buf: memoryview, cd_offset: int, cd_size: int, eocd_offset: int
) -> SigningBlock | Issue:
    """Return the block, or the :class:`Issue` that makes Android ignore it.

    ``buf`` is the whole file. An APK without any block returns ``signing.block.bad_magic``
    at warning level for the caller to decide how loud to be.
    """
    if cd_offset + cd_size != eocd_offset:
        return make_issue("signing.block.cd_not_followed_by_eocd")
    if cd_offset < 32 or cd_offset > len(buf):
        return make_issue("signing.block.bad_magic")
    footer = buf[cd_offset - 24 : cd_offset]
    if bytes(footer[8:]) != MAGIC:
        return make_issue("signing.block.bad_magic")
    size_footer = struct.unpack_from("<Q", footer, 0)[0]
    if size_footer < 24 or size_footer > _INT_MAX - 8:
        return make_issue("signing.block.size_out_of_range", size=size_footer)
    total = size_footer + 8
    start = cd_offset - total
    if start < 0:
        return make_issue("signing.block.size_out_of_range", size=size_footer)
    size_header = struct.unpack_from("<Q", buf, start)[0]
    if size_header != size_footer:
        return make_issue("signing.block.size_mismatch", header=size_header, footer=size_footer)
    block = SigningBlock(offset=start, pairs={})
    r = Reader(buf[start + 8 : cd_offset - 24])
    index = 0
    while r.has_remaining():
        index += 1
        if r.remaining() < 8:
            block.issues.append(make_issue("signing.block.malformed_pair", index=index))
            break
        length = r.u64()
        if length < 4 or length > _INT_MAX or length > r.remaining():
            block.issues.append(make_issue("signing.block.malformed_pair", index=index))
            break
        value = r.take(length)
        pair_id = struct.unpack_from("<I", value, 0)[0]
        block.ids.append(pair_id)
        block.pairs.setdefault(pair_id, value[4:])
        if pair_id not in KNOWN_IDS:
            block.issues.append(make_issue("signing.block.unknown_pair", id=pair_id))
    return block
