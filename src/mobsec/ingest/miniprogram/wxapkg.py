"""The ``.wxapkg`` container: a header, a file index, then the files' bytes.

    u8  0xBE | u32 BE unknown (0) | u32 BE index length | u32 BE data length | u8 0xED
    u32 BE file count, then per file: u32 name length, name (UTF-8), u32 offset, u32 size

Offsets count from the start of the file. Every number is checked against the data before
use: an index entry pointing outside the file is a diagnostic and the entry is dropped; a
truncated index keeps the entries read so far. Names are never used as paths on disk.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from mobsec.diagnostics import Diagnostics, FormatError

FIRST_MARK = 0xBE
LAST_MARK = 0xED
HEADER_SIZE = 14
MAX_FILES = 100_000
MAX_NAME = 4096


@dataclass(frozen=True, slots=True)
class WxEntry:
    name: str  # "/app-service.js" as stored (leading slash kept)
    offset: int
    size: int

    @property
    def path(self) -> str:
        return self.name.lstrip("/")


def is_wxapkg(head: bytes) -> bool:
    return len(head) >= HEADER_SIZE and head[0] == FIRST_MARK and head[13] == LAST_MARK


def read_index(data: bytes, diags: Diagnostics, where: str = "") -> list[WxEntry]:
    """The file index; raises FormatError when the header itself is not a wxapkg header."""
    if not is_wxapkg(data):
        raise FormatError(
            "Not a wxapkg package (no 0xBE ... 0xED header)",
            "不是 wxapkg 小程序包(缺少 0xBE … 0xED 文件头)",
            code="wxapkg.bad_header",
        )
    _, index_len, data_len = struct.unpack_from(">III", data, 1)
    if HEADER_SIZE + index_len + data_len != len(data):
        diags.warning(
            "wxapkg.size_mismatch",
            where,
            f"Header declares {HEADER_SIZE + index_len + data_len} bytes, file has {len(data)}",
            f"文件头声明 {HEADER_SIZE + index_len + data_len} 字节,实际 {len(data)} 字节",
            index_length=index_len,
            data_length=data_len,
        )
    index_end = min(len(data), HEADER_SIZE + index_len)
    if index_end < HEADER_SIZE + 4:
        raise FormatError(
            "wxapkg index is empty or truncated",
            "wxapkg 文件索引为空或被截断",
            code="wxapkg.no_index",
        )
    (count,) = struct.unpack_from(">I", data, HEADER_SIZE)
    if count > min(MAX_FILES, (index_end - HEADER_SIZE - 4) // 12):
        diags.error(
            "wxapkg.count_too_large",
            where,
            f"Index declares {count} files, more than its {index_len} bytes can hold",
            f"索引声明 {count} 个文件,超过 {index_len} 字节索引所能容纳的数量",
            count=count,
        )
        count = min(MAX_FILES, (index_end - HEADER_SIZE - 4) // 12)
    entries: list[WxEntry] = []
    seen: set[str] = set()
    pos = HEADER_SIZE + 4
    for _ in range(count):
        if pos + 4 > index_end:
            _truncated(diags, where, len(entries))
            break
        (name_len,) = struct.unpack_from(">I", data, pos)
        if name_len > MAX_NAME or pos + 4 + name_len + 8 > index_end:
            _truncated(diags, where, len(entries))
            break
        name = data[pos + 4 : pos + 4 + name_len].decode("utf-8", errors="replace")
        offset, size = struct.unpack_from(">II", data, pos + 4 + name_len)
        pos += 12 + name_len
        if offset < index_end or offset + size > len(data):
            diags.error(
                "wxapkg.entry_out_of_range",
                name,
                f"Index entry points outside the file ({size} bytes at {offset}, file is "
                f"{len(data)} bytes)",
                f"索引条目指向文件之外(偏移 {offset} 处 {size} 字节,文件共 {len(data)} 字节)",
                offset=offset,
                size=size,
            )
            continue
        if name in seen:
            diags.warning(
                "wxapkg.duplicate_name",
                name,
                "File listed twice in the index; the first is used",
                "索引中重复列出该文件,使用第一个",
            )
            continue
        seen.add(name)
        entries.append(WxEntry(name, offset, size))
    return entries


def _truncated(diags: Diagnostics, where: str, read: int) -> None:
    diags.error(
        "wxapkg.index_truncated",
        where,
        f"File index ends in the middle of an entry; {read} entries read",
        f"文件索引在条目中间截断,已读取 {read} 个条目",
    )
