"""The DEX header: magic, version, checksums and the table of sections.

Only a header that cannot be used at all raises :class:`FormatError`; everything else
(bad checksum, a section that points outside the file) is a diagnostic, and the section
is treated as empty so that the rest of the file can still be read.

DEX 041 ("container" format) may hold several dex sections back to back in one file;
each section has its own header, and offsets inside a section are relative to the start
of the container (the whole file), as ART and jadx read them.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass

from mobsec.diagnostics import Diagnostics, FormatError

ENDIAN_CONSTANT = 0x12345678
REVERSE_ENDIAN_CONSTANT = 0x78563412
KNOWN_VERSIONS = frozenset({35, 36, 37, 38, 39, 40, 41})
HEADER_SIZE = 0x70
CONTAINER_HEADER_SIZE = 0x78
MAX_CONTAINER_SECTIONS = 1024  # a bound on the walk over v41 sections

_HEADER = struct.Struct("<8sI20sIIIIII" + "II" * 7)  # 0x70 bytes

# (name, item size in bytes) of the id tables, in header order.
ID_TABLES = (
    ("string_ids", 4),
    ("type_ids", 4),
    ("proto_ids", 12),
    ("field_ids", 8),
    ("method_ids", 8),
    ("class_defs", 32),
)


@dataclass(frozen=True, slots=True)
class DexHeader:
    """Header fields of one dex section; offsets are relative to the container start."""

    version: int
    checksum: int
    signature: bytes
    file_size: int
    header_size: int
    link_size: int
    link_off: int
    map_off: int
    string_ids_size: int
    string_ids_off: int
    type_ids_size: int
    type_ids_off: int
    proto_ids_size: int
    proto_ids_off: int
    field_ids_size: int
    field_ids_off: int
    method_ids_size: int
    method_ids_off: int
    class_defs_size: int
    class_defs_off: int
    data_size: int
    data_off: int
    section_off: int = 0  # where this header starts in the container (v41)
    container_size: int = 0  # v41 only

    @property
    def magic_version(self) -> str:
        return f"{self.version:03d}"


def parse_header(data: bytes, name: str, diags: Diagnostics, section_off: int = 0) -> DexHeader:
    """Read and check the header at ``section_off``; raise FormatError if unusable."""
    if len(data) - section_off < HEADER_SIZE:
        raise FormatError(
            f"DEX header truncated ({len(data) - section_off} bytes)",
            f"DEX 文件头不完整（{len(data) - section_off} 字节）",
            code="dex.truncated_header",
        )
    fields = _HEADER.unpack_from(data, section_off)
    magic = fields[0]
    if magic[:4] != b"dex\n" or magic[7] != 0 or not magic[4:7].isdigit():
        raise FormatError(
            f"not a DEX file (magic {magic[:8]!r})",
            f"不是 DEX 文件（魔数 {magic[:8]!r}）",
            code="dex.bad_magic",
        )
    version = int(magic[4:7])
    endian = fields[5]
    if endian == REVERSE_ENDIAN_CONSTANT:
        raise FormatError(
            "big-endian DEX files are not supported (no Android runtime loads them)",
            "不支持大端序 DEX 文件（Android 运行时不加载此类文件）",
            code="dex.big_endian",
        )
    if endian != ENDIAN_CONSTANT:
        raise FormatError(
            f"bad endian tag 0x{endian:08x}",
            f"字节序标记无效 0x{endian:08x}",
            code="dex.bad_endian",
        )
    if version not in KNOWN_VERSIONS:
        diags.warning(
            "dex.unknown_version",
            name,
            f"unknown DEX version {version:03d}; reading it as the nearest known one",
            f"未知的 DEX 版本 {version:03d}；按最接近的已知版本读取",
            version=version,
        )
    header_size = fields[4]
    container_size = 0
    if version >= 41 and header_size >= CONTAINER_HEADER_SIZE:
        if len(data) - section_off >= CONTAINER_HEADER_SIZE:
            container_size, _header_off = struct.unpack_from("<II", data, section_off + 0x70)
    elif header_size != HEADER_SIZE:
        diags.warning(
            "dex.bad_header_size",
            name,
            f"header_size is {header_size}, expected {HEADER_SIZE}",
            f"header_size 为 {header_size}，应为 {HEADER_SIZE}",
        )
    h = DexHeader(version, *fields[1:3], *fields[3:5], *fields[6:], section_off, container_size)
    return h


def check_integrity(data: bytes, h: DexHeader, name: str, diags: Diagnostics) -> None:
    """Compare file_size, the adler32 checksum and the SHA-1 signature with the bytes."""
    start = h.section_off
    end = start + h.file_size
    if h.file_size < HEADER_SIZE or end > len(data):
        diags.warning(
            "dex.file_size_mismatch",
            name,
            f"header file_size {h.file_size} does not match the {len(data) - start} bytes present",
            f"文件头中的 file_size {h.file_size} 与实际的 {len(data) - start} 字节不符",
            file_size=h.file_size,
            actual=len(data) - start,
        )
        end = len(data)
    elif end != len(data) and h.version < 41:
        diags.info(
            "dex.trailing_data",
            name,
            f"{len(data) - end} bytes after the end given by file_size",
            f"file_size 所指结尾之后还有 {len(data) - end} 字节",
        )
    view = memoryview(data)[start + 12 : end]
    actual = zlib.adler32(view)
    if actual != h.checksum:
        diags.warning(
            "dex.bad_checksum",
            name,
            f"adler32 checksum 0x{h.checksum:08x} in the header, 0x{actual:08x} computed",
            f"文件头中的 adler32 校验和为 0x{h.checksum:08x}，计算值为 0x{actual:08x}",
            expected=h.checksum,
            actual=actual,
        )
    digest = hashlib.sha1(view[20:]).digest()
    if digest != h.signature:
        diags.warning(
            "dex.bad_signature",
            name,
            "SHA-1 signature in the header does not match the file",
            "文件头中的 SHA-1 签名与文件内容不符",
            expected=h.signature.hex(),
            actual=digest.hex(),
        )


def checked_tables(data: bytes, h: DexHeader, name: str, diags: Diagnostics) -> dict[str, int]:
    """Sizes of the id tables that lie inside the data; an out-of-range table counts as 0."""
    sizes: dict[str, int] = {}
    for table, item in ID_TABLES:
        size = getattr(h, f"{table}_size")
        off = getattr(h, f"{table}_off")
        if size and (off < HEADER_SIZE or off + size * item > len(data)):
            diags.error(
                "dex.section_out_of_range",
                name,
                f"{table} ({size} items at 0x{off:x}) lies outside the file; ignored",
                f"{table}（{size} 项，位于 0x{off:x}）超出文件范围，已忽略",
                table=table,
                size=size,
                offset=off,
            )
            size = 0
        sizes[table] = size
    return sizes


def container_sections(data: bytes, first: DexHeader) -> list[int]:
    """Start offsets of the dex sections of a v41 container (``[0]`` otherwise)."""
    if first.version < 41 or not first.container_size:
        return [0]
    limit = min(first.container_size, len(data))
    starts = [0]
    pos = first.file_size
    while pos < limit and len(starts) < MAX_CONTAINER_SECTIONS:
        if pos + HEADER_SIZE > limit or data[pos : pos + 4] != b"dex\n":
            break
        starts.append(pos)
        (size,) = struct.unpack_from("<I", data, pos + 32)
        if size < HEADER_SIZE:  # would not advance: stop instead of looping
            break
        pos += size
    return starts
