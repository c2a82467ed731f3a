"""ZIP/APK archive reader: as tolerant as Android, as strict as a security tool must be.

Every other reader (signatures, DEX, manifest, native libraries) gets the package's bytes
through :class:`Archive`. The reader never writes anything to disk (there is no extract
function), never trusts a number it read without checking it against the file size, and
turns every oddity into a :class:`~mobsec.diagnostics.Diagnostic` instead of an exception.
Only when no central directory can be found at all does :meth:`Archive.open` raise
:class:`~mobsec.diagnostics.InputError`.

Which fields are trusted follows Android's native reader (libziparchive), because that
is the reader whose view of the package is what actually runs on a device:

* The **central directory** (CD) is authoritative for the compression method, the sizes
  and the CRC. Android ignores the method written in the local header
  (apksig's ``mismatched-compression-method`` test vector verifies on devices).
* The **data offset** comes from the **local header**: ``offset + 30 + name length +
  extra length`` as written *there*; the CD's extra-field length is often different
  (zipalign padding lives only in the local header).
* Disagreements between the two headers are reported as ``zip.header_mismatch``. Android
  refuses to extract an entry whose local name, sizes or CRC differ from the CD (when no
  data descriptor is used); we still read it, and say so.

Diagnostic codes (stable; tests and users match on them): ``zip.eocd_comment_mismatch``,
``zip.garbage_before_eocd``, ``zip.cd_overlaps_eocd``, ``zip.prefixed_data``,
``zip.multi_disk``, ``zip.zip64``, ``zip.empty``, ``zip.entry_count_mismatch``,
``zip.bad_cd_entry``, ``zip.too_many_entries``, ``zip.extra_cd_data``,
``zip.bad_name_encoding``, ``zip.unsafe_name``, ``zip.duplicate_entry``,
``zip.bad_local_header``, ``zip.header_mismatch``, ``zip.entry_out_of_bounds``,
``zip.overlapping_entries``, ``zip.encrypted``, ``zip.unsupported_method``,
``zip.bad_deflate``, ``zip.truncated_data``, ``zip.bomb_limit``, ``zip.entry_too_large``,
``zip.bad_crc``, ``zip.size_mismatch``, ``zip.cd_size_mismatch``, ``zip.bad_zip64``,
``zip.trailing_data``.

Decompression is accounted on real bytes: the ratio limit compares the bytes inflated so far
with the compressed bytes the deflate stream actually consumed (a declared compressed size
padded with junk buys nothing), entries whose records share one local header are counted
once, and one :class:`InflateBudget` covers the archive and every archive nested in it.
Structural diagnostics carry ``detail["libziparchive"]`` = ``"accepts"``/``"rejects"``:
whether Android's ZIP reader opens such a file (checked against ``aapt`` in the tests).
After 50 diagnostics of one code per archive the rest are dropped. Errors raised as
:class:`InputError`: ``zip.not_a_zip``, ``zip.truncated``, ``zip.no_central_directory``,
``zip.unreadable``.
"""

from __future__ import annotations

import contextlib
import contextvars
import mmap
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError, InputError, Level
from mobsec.limits import DEFAULT_LIMITS, Limits

__all__ = ["Archive", "InflateBudget", "ZipEntry", "shared_budget"]

# --- record layouts (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.14-4.3.16) -------------------------

_EOCD_SIG = b"PK\x05\x06"
_EOCD = struct.Struct("<4s4H2LH")  # sig, disk, cd disk, n this disk, n total, cd size, off, cl
_Z64_LOCATOR_SIG = b"PK\x06\x07"
_Z64_LOCATOR = struct.Struct("<4sLQL")  # sig, disk with z64 eocd, z64 eocd offset, n disks
_Z64_EOCD_SIG = b"PK\x06\x06"
_Z64_EOCD = struct.Struct("<4sQ2H2L4Q")  # sig, size, made, need, disk, cd disk, n, n, size, off
_CD_SIG = 0x02014B50
_CD = struct.Struct("<L6H3L5H2L")
_LH_SIG = 0x04034B50
_LH = struct.Struct("<L5H3L2H")
_DD_SIG = 0x08074B50
_DD = struct.Struct("<3L")

_MAX_COMMENT = 0xFFFF
_ZIP64_EXTRA_ID = 0x0001
_FLAG_ENCRYPTED = 0x0001
_FLAG_DATA_DESCRIPTOR = 0x0008
_FLAG_UTF8 = 0x0800
METHOD_STORED = 0
METHOD_DEFLATED = 8

# A highly compressible small file (a blank 10 KB resource) easily exceeds any sane ratio;
# only output beyond this floor is held to ``Limits.max_compression_ratio``.
_RATIO_FLOOR = 1024 * 1024
# One code repeated for every entry of a hostile archive would only bloat the report.
_MAX_DIAGS_PER_CODE = 50
# Inflate in steps: each step's output is bounded (memory), and the ratio is checked after
# each step against the compressed bytes consumed so far.
_IN_STEP = 64 * 1024
_OUT_STEP = 16 * 1024 * 1024


class InflateBudget:
    """All bytes inflated for one scan: the package and every archive nested in it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()
        self._counted: set[tuple[int, int]] = set()  # (archive id, data offset)

    def left(self) -> int:
        return max(0, self.limit - self.used)

    def charge(self, n: int, key: tuple[int, int] | None = None) -> None:
        """Count ``n`` bytes once per ``key`` (entries sharing a local header share it)."""
        with self._lock:
            if key is not None:
                if key in self._counted:
                    return
                self._counted.add(key)
            self.used += n


# Nested archives opened while this is set charge the outer archive's budget.
_SCOPE: contextvars.ContextVar[InflateBudget | None] = contextvars.ContextVar(
    "mobsec_inflate_budget", default=None
)


@contextlib.contextmanager
def shared_budget(archive: Archive) -> Iterator[None]:
    """Archives opened inside this block (nested ones) use ``archive``'s inflate budget."""
    token = _SCOPE.set(archive.budget)
    try:
        yield
    finally:
        _SCOPE.reset(token)


_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


@dataclass(slots=True)
class ZipEntry:
    """One central-directory record, with what its local header says beside it.

    ``method``, ``flags``, ``crc32`` and the sizes are the central directory's values
    (what Android uses); ``lh_*`` hold the local header's values for mismatch reporting.
    ``data_offset`` is -1 when the local header is missing or outside the file: such an
    entry is listed but cannot be read.
    """

    name: str
    raw_name: bytes
    method: int
    flags: int
    crc32: int
    compressed_size: int
    uncompressed_size: int
    local_header_offset: int
    data_offset: int
    cd_index: int
    safe_name: bool
    extra: bytes = b""
    comment: bytes = b""
    external_attr: int = 0
    zip64: bool = False
    lh_raw_name: bytes | None = None
    lh_method: int | None = None
    lh_flags: int | None = None
    lh_crc32: int | None = None
    lh_compressed_size: int | None = None
    lh_uncompressed_size: int | None = None
    lh_extra: bytes = b""

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & _FLAG_ENCRYPTED)

    @property
    def has_data_descriptor(self) -> bool:
        return bool(self.flags & _FLAG_DATA_DESCRIPTOR)

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


@dataclass(slots=True)
class _Eocd:
    offset: int
    disk: int
    cd_disk: int
    count_this_disk: int
    count: int
    cd_size: int
    cd_offset: int
    comment: bytes
    zip64: bool = False
    # Where the ZIP64 records start, if any: the CD must end before them, not before EOCD.
    records_start: int = 0


@dataclass(slots=True)
class _DiagSink:
    """Adds the file prefix for nested archives and caps repeats of one code."""

    diags: Diagnostics
    prefix: str
    counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def where(self, entry_name: str) -> str:
        if not self.prefix:
            return entry_name
        return f"{self.prefix}!/{entry_name}" if entry_name else self.prefix

    def add(self, level: Level, code: str, entry_name: str, en: str, zh: str, **d: Any) -> None:
        with self.lock:
            n = self.counts.get(code, 0) + 1
            self.counts[code] = n
        if n > _MAX_DIAGS_PER_CODE:
            return
        if n == _MAX_DIAGS_PER_CODE:
            en += f" (further '{code}' diagnostics for this archive are suppressed)"
            zh += f"（本归档后续的 '{code}' 诊断不再逐条列出）"
        self.diags.add(level, code, self.where(entry_name), en, zh, **d)


def _is_safe_name(raw: bytes, name: str) -> bool:
    """False for names that would escape or confuse an extraction directory."""
    if not raw or b"\x00" in raw or b"\n" in raw or b"\r" in raw:
        return False
    if name.startswith("/") or "\\" in name or _DRIVE_LETTER.match(name):
        return False
    return ".." not in name.split("/")


def _decode_name(raw: bytes, flags: int) -> tuple[str, bool]:
    """Decode an entry name as APPNOTE says: UTF-8 with flag bit 11, else CP437.

    Returns the name and whether it decoded cleanly. Android itself ignores bit 11 and
    compares raw bytes; :meth:`Archive.get` therefore also matches the UTF-8 bytes.
    """
    if flags & _FLAG_UTF8:
        try:
            return raw.decode("utf-8"), True
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace"), False
    if raw.isascii():
        return raw.decode("ascii"), True
    return raw.decode("cp437"), True


def _parse_zip64_extra(
    extra: bytes, usize: int, csize: int, offset: int
) -> tuple[int, int, int, bool]:
    """Replace 0xFFFFFFFF sentinels with the ZIP64 extended-information values (4.5.3)."""
    pos = 0
    while pos + 4 <= len(extra):
        hid, hlen = struct.unpack_from("<2H", extra, pos)
        body = extra[pos + 4 : pos + 4 + hlen]
        pos += 4 + hlen
        if hid != _ZIP64_EXTRA_ID:
            continue
        vals = [struct.unpack_from("<Q", body, i)[0] for i in range(0, len(body) - 7, 8)]
        it = iter(vals)
        if usize == 0xFFFFFFFF:
            usize = next(it, usize)
        if csize == 0xFFFFFFFF:
            csize = next(it, csize)
        if offset == 0xFFFFFFFF:
            offset = next(it, offset)
        return usize, csize, offset, True
    return usize, csize, offset, False


class Archive:
    """A read-only view of one ZIP/APK, from a path (mmap) or from bytes (nested archives).

    Thread-safe for concurrent :meth:`read` calls (the DEX reader uses a thread pool).
    """

    display_name: str
    size: int
    entries: list[ZipEntry]
    cd_offset: int  # where the central directory really starts (after any prefix shift)
    cd_size: int  # as the end record declares it; the parsed records end at ``cd_end``
    eocd_offset: int
    comment: bytes

    def __init__(
        self,
        buf: bytes | mmap.mmap,
        diags: Diagnostics,
        limits: Limits,
        display_name: str,
        prefix: str,
        mapped: mmap.mmap | None = None,
    ) -> None:
        """Use :meth:`open`; this constructor only stores what ``open`` prepared."""
        self._buf = buf
        self._mmap = mapped
        self._diags = diags
        self._sink = _DiagSink(diags, prefix)
        self._limits = limits
        self._lock = threading.Lock()
        self.budget = _SCOPE.get() or InflateBudget(limits.max_total_uncompressed)
        self._first_at: dict[int, ZipEntry] = {}  # local header offset -> first entry there
        self._reported: set[tuple[str, int]] = set()
        self.display_name = display_name
        self.size = len(buf)
        self.entries = []
        self.cd_offset = 0
        self.cd_size = 0
        self.eocd_offset = 0
        self.comment = b""
        self.zip64 = False
        self.cd_end = 0
        self._shift = 0  # bytes prepended before the archive (zip.prefixed_data); 0 normally
        self._closed = False
        self._by_name: dict[str, ZipEntry] = {}
        self._by_raw: dict[bytes, ZipEntry] = {}
        self._dups: dict[bytes, list[ZipEntry]] = {}

    # --- opening -----------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        source: str | os.PathLike[str] | bytes,
        diags: Diagnostics,
        limits: Limits = DEFAULT_LIMITS,
        display_name: str | None = None,
    ) -> Archive:
        """Open and index an archive.

        Archive-wide diagnostics carry file ``""`` and entry diagnostics the entry name;
        for an in-memory (nested) archive opened with a ``display_name`` they are
        prefixed ``"<display_name>!/<entry>"`` so they stay attributable.

        Raises :class:`InputError` only when no central directory can be found.
        """
        if isinstance(source, bytes | bytearray | memoryview):
            name = display_name or "<memory>"
            arch = cls(bytes(source), diags, limits, name, display_name or "")
        else:
            path = os.fspath(source)
            name = display_name or os.path.basename(path)
            mapped = _map_file(path, name)
            arch = cls(mapped if mapped is not None else b"", diags, limits, name, "", mapped)
        try:
            arch._index()
        except BaseException:
            arch.close()
            raise
        return arch

    def _fail(self, code: str, en: str, zh: str, **detail: Any) -> InputError:
        return InputError(code, self.display_name, en, zh, **detail)

    def _index(self) -> None:
        if self.size < _EOCD.size:
            if self._buf[:2] == b"PK":
                raise self._fail(
                    "zip.truncated",
                    f"File is {self.size} bytes: too short for a ZIP end record",
                    f"文件只有 {self.size} 字节，不足以容纳 ZIP 结束记录",
                )
            raise self._fail("zip.not_a_zip", "Not a ZIP/APK file", "不是 ZIP/APK 文件")
        eocd = self._find_eocd()
        self.eocd_offset = eocd.offset
        self.comment = eocd.comment
        self._check_eocd(eocd)
        cd_start, cd_end = self._locate_cd(eocd)
        self.cd_offset, self.cd_size = cd_start, eocd.cd_size
        self._read_cd(eocd, cd_start, cd_end)
        self._read_local_headers()
        self._check_overlaps(cd_start)
        for e in self.entries:
            if e.data_offset >= 0:
                self._first_at.setdefault(e.local_header_offset, e)

    def _find_eocd(self) -> _Eocd:
        """Find the end record the way Android does, and check its comment length.

        libziparchive takes the signature nearest the end of the file and rejects the
        file unless ``EOCD + 22 + comment length`` is exactly the file size; apksig looks
        for the record whose comment length makes that true. We take Android's candidate
        when it is consistent, else apksig's, else Android's with an error.
        """
        buf = self._buf
        lowest = max(0, self.size - _EOCD.size - _MAX_COMMENT)
        end = self.size - _EOCD.size + 4  # a signature must leave room for the record
        first: int | None = None
        consistent: int | None = None
        pos = buf.rfind(_EOCD_SIG, lowest, end)
        while pos >= 0:
            if first is None:
                first = pos
            (comment_len,) = struct.unpack_from("<H", buf, pos + 20)
            if pos + _EOCD.size + comment_len == self.size:
                consistent = pos
                break
            pos = buf.rfind(_EOCD_SIG, lowest, pos + 3)
        if first is None:
            if buf[:4] == b"PK\x03\x04":
                raise self._fail(
                    "zip.truncated",
                    "ZIP local headers present but no end-of-central-directory record: "
                    "the file is truncated",
                    "存在 ZIP 本地文件头，但找不到中央目录结束记录：文件被截断",
                )
            raise self._fail(
                "zip.not_a_zip",
                "No ZIP end-of-central-directory record: not a ZIP/APK file",
                "找不到 ZIP 中央目录结束记录：不是 ZIP/APK 文件",
            )
        chosen = consistent if consistent is not None else first
        if chosen != first or consistent is None:
            self._sink.add(
                Level.WARNING,
                "zip.eocd_comment_mismatch",
                "",
                "End-of-central-directory comment length does not match the bytes after "
                "the record (data appended to the archive, or a fake end record in the "
                "comment); apksig rejects such an APK",
                "中央目录结束记录的注释长度与其后的字节数不符（归档后附加了数据，或注释中藏有"
                "伪造的结束记录）；apksig 拒绝此类 APK",
                android_candidate=first,
                used=chosen,
                libziparchive="accepts",
            )
        _, disk, cd_disk, n_disk, n, cd_size, cd_off, clen = _EOCD.unpack_from(buf, chosen)
        comment = bytes(buf[chosen + _EOCD.size : min(self.size, chosen + _EOCD.size + clen)])
        eocd = _Eocd(chosen, disk, cd_disk, n_disk, n, cd_size, cd_off, comment)
        eocd.records_start = chosen
        self._read_zip64(eocd)
        return eocd

    def _read_zip64(self, eocd: _Eocd) -> None:
        """Use the ZIP64 end record if a locator precedes the EOCD (APPNOTE 4.3.14-15)."""
        loc = eocd.offset - _Z64_LOCATOR.size
        if loc < 0 or self._buf[loc : loc + 4] != _Z64_LOCATOR_SIG:
            return
        _, _, rec_off, _ = _Z64_LOCATOR.unpack_from(self._buf, loc)
        eocd.records_start = loc
        self.zip64 = eocd.zip64 = True
        self._sink.add(
            Level.WARNING,
            "zip.zip64",
            "",
            "Archive uses ZIP64 records; Android does not support ZIP64 for APKs",
            "归档使用了 ZIP64 记录；Android 不支持 ZIP64 格式的 APK",
            libziparchive="rejects",
        )
        if rec_off + _Z64_EOCD.size > loc or self._buf[rec_off : rec_off + 4] != _Z64_EOCD_SIG:
            self._sink.add(
                Level.ERROR,
                "zip.bad_zip64",
                "",
                "ZIP64 locator points outside the file or not at a ZIP64 end record",
                "ZIP64 定位器指向文件之外或未指向 ZIP64 结束记录",
                offset=rec_off,
                libziparchive="rejects",
            )
            return
        eocd.records_start = rec_off
        f = _Z64_EOCD.unpack_from(self._buf, rec_off)
        eocd.disk, eocd.cd_disk, eocd.count_this_disk, eocd.count = f[4], f[5], f[6], f[7]
        eocd.cd_size, eocd.cd_offset = f[8], f[9]

    def _check_eocd(self, eocd: _Eocd) -> None:
        if eocd.disk != 0 or eocd.cd_disk != 0 or eocd.count_this_disk != eocd.count:
            self._sink.add(
                Level.ERROR,
                "zip.multi_disk",
                "",
                "Multi-disk (spanned) archive markers: Android rejects such a file; "
                "reading what is in this file only",
                "存在多卷（分卷）归档标记：Android 拒绝此类文件；仅读取本文件中的内容",
                disk=eocd.disk,
                cd_disk=eocd.cd_disk,
                entries_this_disk=eocd.count_this_disk,
                entries=eocd.count,
                libziparchive="rejects",
            )
        if eocd.count == 0:
            self._sink.add(
                Level.INFO,
                "zip.empty",
                "",
                "Archive has no entries (Android refuses to install an empty archive)",
                "归档中没有条目（Android 拒绝安装空归档）",
                libziparchive="accepts",
            )

    def _locate_cd(self, eocd: _Eocd) -> tuple[int, int]:
        """Return ``(start, end)`` of the central directory actually present in the file."""
        limit = eocd.records_start
        start, size = eocd.cd_offset, eocd.cd_size
        if eocd.count == 0 and size == 0:
            return min(start, limit), min(start, limit)
        if start < limit and self._u32(start) == _CD_SIG:
            if start + size > limit:
                self._sink.add(
                    Level.WARNING,
                    "zip.cd_overlaps_eocd",
                    "",
                    "The end record's central-directory size runs into the end record itself; "
                    "libziparchive ignores the size, apksig rejects the APK",
                    "结束记录给出的中央目录大小越过了结束记录本身；libziparchive 忽略该大小，"
                    "apksig 拒绝此 APK",
                    cd_offset=start,
                    cd_size=size,
                    eocd_offset=eocd.offset,
                    libziparchive="accepts",
                )
            # Like libziparchive, the records are parsed up to the end record; the declared
            # size is only checked against them (see _read_cd).
            return start, limit
        # Self-extracting style: data prepended, every offset shifted by the same amount.
        shifted = limit - size
        if 0 <= shifted < limit and self._u32(shifted) == _CD_SIG:
            self._sink.add(
                Level.ERROR,
                "zip.prefixed_data",
                "",
                f"Central directory found {shifted - start} bytes after where the end record "
                "says: data was prepended to the archive (Android rejects it)",
                f"中央目录位于结束记录所述位置之后 {shifted - start} 字节：归档前被插入了数据"
                "（Android 拒绝此类文件）",
                shift=shifted - start,
                libziparchive="rejects",
            )
            self._shift = shifted - start
            return shifted, limit
        raise self._fail(
            "zip.no_central_directory",
            f"No central directory at offset {start} (size {size}) given by the end record",
            f"结束记录给出的偏移 {start}（大小 {size}）处没有中央目录",
            cd_offset=start,
            cd_size=size,
        )

    def _u32(self, pos: int) -> int | None:
        if pos < 0 or pos + 4 > self.size:
            return None
        return int.from_bytes(self._buf[pos : pos + 4], "little")

    def _read_cd(self, eocd: _Eocd, start: int, end: int) -> None:
        """Parse the number of records the end record announces, bounded by the CD bytes."""
        buf, pos = self._buf, start
        wanted = eocd.count
        cap = self._limits.max_entries
        while len(self.entries) < wanted and pos + _CD.size <= end:
            if len(self.entries) >= cap:
                self._sink.add(
                    Level.ERROR,
                    "zip.too_many_entries",
                    "",
                    f"More than {cap} entries; the rest are ignored (Limits.max_entries)",
                    f"条目超过 {cap} 个；其余条目被忽略（Limits.max_entries）",
                    announced=wanted,
                )
                break
            f = _CD.unpack_from(buf, pos)
            if f[0] != _CD_SIG:
                self._sink.add(
                    Level.ERROR,
                    "zip.bad_cd_entry",
                    "",
                    f"Bad central-directory record signature at offset {pos}; "
                    "the remaining entries are unreadable",
                    f"偏移 {pos} 处中央目录记录签名错误；其余条目无法读取",
                    offset=pos,
                    libziparchive="rejects",
                )
                break
            nlen, xlen, clen = f[10], f[11], f[12]
            rec_end = pos + _CD.size + nlen + xlen + clen
            if rec_end > end:
                self._sink.add(
                    Level.ERROR,
                    "zip.bad_cd_entry",
                    "",
                    f"Central-directory record at offset {pos} runs past the directory end",
                    f"偏移 {pos} 处的中央目录记录超出了中央目录末尾",
                    offset=pos,
                    libziparchive="rejects",
                )
                break
            self._add_entry(f, pos)
            pos = rec_end
        if len(self.entries) != wanted and len(self.entries) < cap:
            self._sink.add(
                Level.ERROR,
                "zip.entry_count_mismatch",
                "",
                f"End record announces {wanted} entries, central directory holds "
                f"{len(self.entries)}",
                f"结束记录声明 {wanted} 个条目，中央目录中实际有 {len(self.entries)} 个",
                announced=wanted,
                found=len(self.entries),
                libziparchive="rejects",
            )
        elif pos < end and self._u32(pos) == _CD_SIG:
            self._sink.add(
                Level.WARNING,
                "zip.extra_cd_data",
                "",
                "More central-directory records follow the announced count: tools disagree "
                "on the entry list; libziparchive rejects the file",
                "中央目录中在声明数量之后还有记录：各工具看到的条目列表不同；libziparchive "
                "拒绝此文件",
                offset=pos,
                libziparchive="rejects",
            )
        elif pos < end:
            self._sink.add(
                Level.WARNING,
                "zip.garbage_before_eocd",
                "",
                f"{end - pos} bytes between the central directory and the end record; "
                "libziparchive rejects the file and APK Signature Scheme v2+ "
                "verification fails",
                f"中央目录与结束记录之间有 {end - pos} 个多余字节；libziparchive 拒绝此文件，"
                "APK 签名方案 v2 及以上的校验也会失败",
                gap=end - pos,
                libziparchive="rejects",
            )
        if pos - start != eocd.cd_size and start + eocd.cd_size <= end:
            self._sink.add(
                Level.WARNING,
                "zip.cd_size_mismatch",
                "",
                f"End record says the central directory is {eocd.cd_size} bytes, its "
                f"records take {pos - start}",
                f"结束记录声明中央目录为 {eocd.cd_size} 字节，其记录实际占 {pos - start} 字节",
                declared=eocd.cd_size,
                parsed=pos - start,
                libziparchive="accepts",
            )
        self.cd_end = pos

    def _add_entry(self, f: tuple[int, ...], pos: int) -> None:
        flags, method, crc, csize, usize = f[3], f[4], f[7], f[8], f[9]
        nlen, xlen, clen, attr, lho = f[10], f[11], f[12], f[15], f[16]
        p = pos + _CD.size
        raw = bytes(self._buf[p : p + nlen])
        extra = bytes(self._buf[p + nlen : p + nlen + xlen])
        comment = bytes(self._buf[p + nlen + xlen : p + nlen + xlen + clen])
        usize, csize, lho, z64 = _parse_zip64_extra(extra, usize, csize, lho)
        name, clean = _decode_name(raw, flags)
        entry = ZipEntry(
            name=name,
            raw_name=raw,
            method=method,
            flags=flags,
            crc32=crc,
            compressed_size=csize,
            uncompressed_size=usize,
            local_header_offset=lho + self._shift,
            data_offset=-1,
            cd_index=len(self.entries),
            safe_name=_is_safe_name(raw, name),
            extra=extra,
            comment=comment,
            external_attr=attr,
            zip64=z64,
        )
        self.entries.append(entry)
        if not clean:
            self._sink.add(
                Level.WARNING,
                "zip.bad_name_encoding",
                name,
                "Entry name is flagged UTF-8 but is not valid UTF-8",
                "条目名称标记为 UTF-8，但不是有效的 UTF-8",
                raw_name=raw.hex(),
            )
        if not entry.safe_name:
            self._sink.add(
                Level.WARNING,
                "zip.unsafe_name",
                name,
                "Entry name could escape an extraction directory or confuse tools "
                "('..', absolute path, backslash, drive letter, NUL/CR/LF)",
                "条目名称可能逃逸解压目录或干扰工具（含 '..'、绝对路径、反斜杠、盘符或 NUL/CR/LF）",
                raw_name=raw.hex(),
            )
        if entry.encrypted:
            self._sink.add(
                Level.WARNING,
                "zip.encrypted",
                name,
                "Entry is flagged encrypted and will not be read (older Android ignored "
                "the flag: a known anti-analysis trick)",
                "条目带有加密标记，不会被读取（旧版 Android 忽略此标记：一种已知的反分析手法）",
            )
        if method not in (METHOD_STORED, METHOD_DEFLATED):
            self._sink.add(
                Level.WARNING,
                "zip.unsupported_method",
                name,
                f"Compression method {method} is not stored/deflate; Android's verifier "
                "treats any non-stored method as deflate, so the entry may still be used",
                f"压缩方法 {method} 既非存储也非 deflate；Android 校验器将非存储方法一律按 "
                "deflate 处理，该条目仍可能被使用",
                method=method,
            )
        first = self._by_raw.get(raw)
        if first is None:
            self._by_raw[raw] = entry
            self._by_name.setdefault(name, entry)
            return
        group = self._dups.setdefault(raw, [first])
        group.append(entry)
        self._sink.add(
            Level.WARNING,
            "zip.duplicate_entry",
            name,
            f"Entry name occurs {len(group)} times (Android 4.4+ refuses to install; "
            "older versions verified one copy and ran another — 'Master Key')",
            f"条目名称出现 {len(group)} 次（Android 4.4 及以上拒绝安装；旧版本校验一个副本却"
            "运行另一个——“Master Key”漏洞）",
            cd_indexes=[e.cd_index for e in group],
        )

    def _read_local_headers(self) -> None:
        for e in self.entries:
            self._read_local_header(e)

    def _read_local_header(self, e: ZipEntry) -> None:
        off = e.local_header_offset
        if off + _LH.size > self.size or self._u32(off) != _LH_SIG:
            self._sink.add(
                Level.ERROR,
                "zip.bad_local_header",
                e.name,
                f"No local file header at offset {off}; the entry cannot be read",
                f"偏移 {off} 处没有本地文件头；该条目无法读取",
                offset=off,
            )
            return
        _, _, flags, method, _, _, crc, csize, usize, nlen, xlen = _LH.unpack_from(self._buf, off)
        p = off + _LH.size
        e.lh_raw_name = bytes(self._buf[p : p + nlen])
        e.lh_extra = bytes(self._buf[p + nlen : p + nlen + xlen])
        usize, csize, _, _ = _parse_zip64_extra(e.lh_extra, usize, csize, 0)
        e.lh_flags, e.lh_method, e.lh_crc32 = flags, method, crc
        e.lh_compressed_size, e.lh_uncompressed_size = csize, usize
        data = p + nlen + xlen
        # Stored entries are read for uncompressed_size bytes, as libziparchive does.
        length = e.uncompressed_size if e.method == METHOD_STORED else e.compressed_size
        if data + length > self.size:
            self._sink.add(
                Level.ERROR,
                "zip.entry_out_of_bounds",
                e.name,
                f"Entry data ({length} bytes at offset {data}) runs past the end of the file",
                f"条目数据（偏移 {data}，{length} 字节）超出了文件末尾",
                data_offset=data,
                length=length,
                file_size=self.size,
            )
            return
        e.data_offset = data
        self._compare_headers(e)

    def _compare_headers(self, e: ZipEntry) -> None:
        """Report local-vs-central disagreements; Android keeps the CD's values."""
        diffs: dict[str, tuple[Any, Any]] = {}
        if e.lh_raw_name != e.raw_name:
            diffs["name"] = (e.raw_name.hex(), (e.lh_raw_name or b"").hex())
        if e.lh_method != e.method:
            diffs["method"] = (e.method, e.lh_method)
        if e.lh_flags is not None and (e.lh_flags ^ e.flags) & _FLAG_ENCRYPTED:
            diffs["encrypted"] = (e.encrypted, bool(e.lh_flags & _FLAG_ENCRYPTED))
        if e.lh_flags is not None and e.lh_flags & _FLAG_DATA_DESCRIPTOR:
            self._compare_descriptor(e, diffs)
        else:
            for key, cd_val, lh_val in (
                ("crc32", e.crc32, e.lh_crc32),
                ("compressed_size", e.compressed_size, e.lh_compressed_size),
                ("uncompressed_size", e.uncompressed_size, e.lh_uncompressed_size),
            ):
                if cd_val != lh_val:
                    diffs[key] = (cd_val, lh_val)
        if diffs:
            self._sink.add(
                Level.WARNING,
                "zip.header_mismatch",
                e.name,
                f"Local header disagrees with the central directory on {', '.join(diffs)}; "
                "the central directory's values are used (Android uses the CD's method and "
                "refuses entries whose local name/sizes/CRC differ)",
                f"本地文件头与中央目录在 {', '.join(diffs)} 上不一致；采用中央目录的值"
                "（Android 使用中央目录的压缩方法，并拒绝本地名称/大小/CRC 不一致的条目）",
                fields={k: {"central": c, "local": loc} for k, (c, loc) in diffs.items()},
            )

    def _compare_descriptor(self, e: ZipEntry, diffs: dict[str, tuple[Any, Any]]) -> None:
        """Compare the data descriptor after the data (bit 3) with the CD, when it is there."""
        pos = e.data_offset + e.compressed_size
        if self._u32(pos) == _DD_SIG:
            pos += 4
        if pos + _DD.size > self.size or e.zip64:
            return  # ZIP64 descriptors use 8-byte sizes; Android does not support them anyway
        crc, csize, usize = _DD.unpack_from(self._buf, pos)
        for key, cd_val, dd_val in (
            ("crc32", e.crc32, crc),
            ("compressed_size", e.compressed_size, csize),
            ("uncompressed_size", e.uncompressed_size, usize),
        ):
            if cd_val != dd_val:
                diffs[f"descriptor.{key}"] = (cd_val, dd_val)

    def _check_overlaps(self, cd_start: int) -> None:
        """Warn when entries share bytes with each other or with the central directory.

        Overlapping entries are how "non-recursive" zip bombs multiply output and how
        some packers hide one entry inside another.
        """
        spans = sorted(
            (
                (e.local_header_offset, e.data_offset + self._data_length(e), e)
                for e in self.entries
                if e.data_offset >= 0
            ),
            key=lambda s: (s[0], s[1]),
        )
        reach_end, reach_entry = -1, None
        for start, end, e in spans:
            if reach_entry is not None and start < reach_end:
                self._sink.add(
                    Level.WARNING,
                    "zip.overlapping_entries",
                    e.name,
                    f"Entry data overlaps entry '{reach_entry.name}' (a zip-bomb or "
                    "obfuscation trick)",
                    f"条目数据与条目 '{reach_entry.name}' 重叠（一种 zip 炸弹或混淆手法）",
                    other=reach_entry.name,
                    offset=start,
                )
            if end > cd_start >= start:
                self._sink.add(
                    Level.WARNING,
                    "zip.overlapping_entries",
                    e.name,
                    "Entry data overlaps the central directory",
                    "条目数据与中央目录重叠",
                    offset=start,
                )
            if end > reach_end:
                reach_end, reach_entry = end, e

    @staticmethod
    def _data_length(e: ZipEntry) -> int:
        return e.uncompressed_size if e.method == METHOD_STORED else e.compressed_size

    # --- lookup ------------------------------------------------------------------------

    def get(self, name: str) -> ZipEntry | None:
        """The entry Android would use for ``name``: the **first** one in CD order.

        Android 4.4+ refuses to install an APK with duplicate names at all. Before that
        ("Master Key", bug 8219321) the Java verifier kept the *last* duplicate (a map
        overwritten on each put) while the native loader that extracted ``classes.dex``
        took the *first*: the first copy is the one that ran, so it is the one a security
        tool must analyse. All copies are in :meth:`get_all`.

        Lookup is by decoded name, then by the name's UTF-8 bytes (Android compares raw
        bytes and ignores the UTF-8 flag).
        """
        entry = self._by_name.get(name)
        if entry is None:
            entry = self._by_raw.get(name.encode("utf-8", errors="surrogateescape"))
        return entry

    def get_all(self, name: str) -> list[ZipEntry]:
        """Every entry with this name, in CD order (more than one only for duplicates)."""
        first = self.get(name)
        if first is None:
            return []
        return list(self._dups.get(first.raw_name, [first]))

    def alias_of(self, entry: ZipEntry) -> ZipEntry | None:
        """The earlier entry whose record points at the same local header, if any.

        Such entries have the same bytes: readers that go over many entries (DEX files,
        layouts) read and analyse the first only.
        """
        first = self._first_at.get(entry.local_header_offset)
        return first if first is not None and first is not entry else None

    def names(self) -> list[str]:
        """Unique effective names in CD order (the name of each first occurrence)."""
        return [e.name for e in self._by_raw.values()]

    def view(self, start: int, end: int) -> memoryview:
        """Raw file bytes ``[start, end)``, e.g. for signature digests over file sections.

        Raises :class:`FormatError` (``zip.view_out_of_range``) for a range outside the
        file: callers compute ranges from attacker-controlled numbers. Release the view
        (or drop it) before :meth:`close`.
        """
        self._check_open()
        if not 0 <= start <= end <= self.size:
            raise FormatError(
                f"Byte range {start}..{end} is outside the {self.size}-byte file",
                f"字节范围 {start}..{end} 超出了 {self.size} 字节的文件",
                code="zip.view_out_of_range",
            )
        return memoryview(self._buf)[start:end]

    # --- reading -----------------------------------------------------------------------

    def read(
        self,
        entry_or_name: ZipEntry | str,
        max_bytes: int | None = None,
        *,
        android_compat: bool = False,
    ) -> bytes | None:
        """Decompressed bytes of an entry, or ``None`` plus a diagnostic.

        ``None`` for: a name not in the archive (no diagnostic), an unreadable local
        header, encryption, an unsupported method, a corrupt or truncated deflate stream,
        or a limit exceeded (``zip.bomb_limit`` for :class:`Limits`, ``zip.entry_too_large``
        for ``max_bytes``). Output never grows beyond the limit in force.

        A CRC or size mismatch (``zip.bad_crc``, ``zip.size_mismatch``) still returns the
        data: Android would refuse the entry, but an attacker's payload is exactly what we
        must analyse; the diagnostic says the bytes are not what the directory claims.

        ``android_compat=True`` reads like old Android did: the encryption flag is
        ignored and any method other than stored is inflated (apksig's
        ``weird-compression-method`` vector); the diagnostics are still reported.
        """
        self._check_open()
        entry = self.get(entry_or_name) if isinstance(entry_or_name, str) else entry_or_name
        if entry is None or entry.data_offset < 0:
            return None
        if entry.encrypted and not android_compat:
            self._once(
                Level.ERROR,
                "zip.encrypted",
                entry,
                "Encrypted entry cannot be read",
                "加密条目无法读取",
            )
            return None
        if entry.method not in (METHOD_STORED, METHOD_DEFLATED) and not android_compat:
            self._once(
                Level.ERROR,
                "zip.unsupported_method",
                entry,
                f"Entry not read: unsupported compression method {entry.method}",
                f"条目未读取：不支持的压缩方法 {entry.method}",
                method=entry.method,
            )
            return None
        cap, limit_code = self._cap(entry, max_bytes)
        if entry.method == METHOD_STORED:
            data = self._read_stored(entry, cap, limit_code)
        else:
            data = self._inflate(entry, cap, limit_code)
        if data is None:
            return None
        self._verify(entry, data)
        return data

    def head(self, entry_or_name: ZipEntry | str, n: int) -> bytes | None:
        """At most the first ``n`` decompressed bytes (to sniff a magic number cheaply).

        No CRC check and no limit diagnostic; ``None`` when the entry cannot be read.
        """
        self._check_open()
        entry = self.get(entry_or_name) if isinstance(entry_or_name, str) else entry_or_name
        if entry is None or entry.data_offset < 0 or entry.encrypted or n < 0:
            return None
        n = min(n, self._limits.max_entry_uncompressed)
        start = entry.data_offset
        if entry.method == METHOD_STORED:
            return bytes(self._buf[start : start + min(n, entry.uncompressed_size)])
        if entry.method != METHOD_DEFLATED:
            return None
        with memoryview(self._buf)[start : start + entry.compressed_size] as src:
            try:
                return zlib.decompressobj(-15).decompress(src, n) if n else b""
            except zlib.error:
                return None

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"archive {self.display_name!r} is closed")  # a caller bug

    def _cap(self, entry: ZipEntry, max_bytes: int | None) -> tuple[int, str]:
        """The most output this read may produce, and which limit that is."""
        lim = self._limits
        caps = [
            (lim.max_entry_uncompressed, "zip.bomb_limit"),
            (self.budget.left(), "zip.bomb_limit"),
        ]
        if max_bytes is not None:
            caps.append((max(0, max_bytes), "zip.entry_too_large"))
        return min(caps, key=lambda c: c[0])

    def _read_stored(self, entry: ZipEntry, cap: int, limit_code: str) -> bytes | None:
        length = entry.uncompressed_size
        if length != entry.compressed_size:
            self._once(
                Level.WARNING,
                "zip.size_mismatch",
                entry,
                f"Stored entry has compressed size {entry.compressed_size} but uncompressed "
                f"size {length}; reading {length} bytes as Android does",
                f"存储条目的压缩大小为 {entry.compressed_size}，未压缩大小为 {length}；"
                f"与 Android 一致读取 {length} 字节",
            )
        if length > cap:
            self._limit_hit(entry, cap, limit_code)
            return None
        self._account(entry, length)
        return bytes(self._buf[entry.data_offset : entry.data_offset + length])

    def _inflate(self, entry: ZipEntry, cap: int, limit_code: str) -> bytes | None:
        """Raw-deflate the entry's bytes in steps, never producing more than ``cap`` + 1.

        After each step the output so far is held to ``max_compression_ratio`` times the
        compressed bytes the stream has really consumed (not the declared compressed size,
        which an attacker pads with junk); input left over after the end of the stream is
        reported (``zip.trailing_data``). zlib releases the GIL, so parallel reads of DEX
        files really run in parallel.
        """
        start = entry.data_offset
        ratio = self._limits.max_compression_ratio
        d = zlib.decompressobj(-15)
        pieces: list[bytes] = []
        out_n = 0
        with memoryview(self._buf)[start : start + entry.compressed_size] as src:
            fed = 0
            try:
                while not d.eof:
                    chunk = d.unconsumed_tail
                    if not chunk:
                        if fed >= len(src):
                            break
                        chunk = src[fed : fed + _IN_STEP]
                        fed += len(chunk)
                    piece = d.decompress(chunk, min(_OUT_STEP, cap + 1 - out_n))
                    pieces.append(piece)
                    out_n += len(piece)
                    consumed = fed - len(d.unconsumed_tail) - len(d.unused_data)
                    if out_n > cap:
                        break
                    allowed = max(_RATIO_FLOOR, consumed * ratio)
                    if out_n > allowed:
                        cap, limit_code = allowed, "ratio"
                        break
            except zlib.error as exc:
                self._once(
                    Level.ERROR,
                    "zip.bad_deflate",
                    entry,
                    f"Corrupt deflate data: {exc}",
                    f"deflate 数据损坏：{exc}",
                )
                return None
            consumed = fed - len(d.unconsumed_tail) - len(d.unused_data)
            trailing = len(src) - consumed
        self._account(entry, out_n)
        if out_n > cap:
            pieces.clear()
            self._limit_hit(entry, cap, limit_code, consumed)
            return None
        if not d.eof:
            self._once(
                Level.ERROR,
                "zip.truncated_data",
                entry,
                "Deflate stream ends before its end marker (truncated entry data)",
                "deflate 数据流在结束标记之前中断（条目数据被截断）",
            )
            return None
        if trailing > 0:
            self._once(
                Level.WARNING,
                "zip.trailing_data",
                entry,
                f"{trailing} bytes after the end of the deflate stream are counted in the "
                "entry's compressed size (junk that inflates the declared size)",
                f"deflate 数据流结束后还有 {trailing} 字节被计入条目的压缩大小（用于虚增声明大小的"
                "垃圾数据）",
                trailing=trailing,
                consumed=consumed,
                compressed_size=entry.compressed_size,
            )
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _account(self, entry: ZipEntry, n: int) -> None:
        self.budget.charge(n, (id(self), entry.local_header_offset))

    def _limit_hit(
        self, entry: ZipEntry, cap: int, limit_code: str, consumed: int | None = None
    ) -> None:
        if limit_code == "zip.entry_too_large":
            self._once(
                Level.ERROR,
                "zip.entry_too_large",
                entry,
                f"Entry is larger than the caller's limit of {cap} bytes; not read",
                f"条目大于调用方限制的 {cap} 字节；未读取",
                limit=cap,
            )
            return
        which = "compression ratio" if limit_code == "ratio" else "size"
        self._once(
            Level.ERROR,
            "zip.bomb_limit",
            entry,
            f"Decompression stopped at the {which} limit ({cap} bytes): possible zip bomb",
            f"解压在{'压缩比' if limit_code == 'ratio' else '大小'}上限（{cap} 字节）处停止："
            "疑似 zip 炸弹",
            limit=cap,
            kind=which,
            compressed_size=entry.compressed_size,
            consumed=consumed,
            declared_size=entry.uncompressed_size,
        )

    def _verify(self, entry: ZipEntry, data: bytes) -> None:
        if len(data) != entry.uncompressed_size:
            self._once(
                Level.WARNING,
                "zip.size_mismatch",
                entry,
                f"Entry decompressed to {len(data)} bytes, directory says "
                f"{entry.uncompressed_size}",
                f"条目解压后为 {len(data)} 字节，目录记录为 {entry.uncompressed_size} 字节",
                actual=len(data),
                declared=entry.uncompressed_size,
            )
        crc = zlib.crc32(data)
        if crc != entry.crc32:
            self._once(
                Level.WARNING,
                "zip.bad_crc",
                entry,
                "CRC-32 of the data does not match the directory (Android would refuse "
                "the entry); analysed anyway",
                "数据的 CRC-32 与目录不符（Android 会拒绝该条目）；仍继续分析",
                actual=f"{crc:08x}",
                declared=f"{entry.crc32:08x}",
            )

    def _once(self, level: Level, code: str, entry: ZipEntry, en: str, zh: str, **d: Any) -> None:
        """Report a read problem once per entry, however often the entry is read."""
        key = (code, entry.cd_index)
        with self._lock:
            if key in self._reported:
                return
            self._reported.add(key)
        self._sink.add(level, code, entry.name, en, zh, **d)

    # --- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Unmap the file. Views still held by callers keep the mapping alive until freed."""
        mapped, self._mmap = self._mmap, None
        self._buf = b""
        self._closed = True
        if mapped is not None:
            # A caller still holding a view() keeps the mapping until that view is freed.
            with contextlib.suppress(BufferError):
                mapped.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _map_file(path: str, display_name: str) -> mmap.mmap | None:
    """Map the file read-only; ``None`` for an empty file (mmap cannot map 0 bytes)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                return None
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise InputError(
            "zip.unreadable",
            display_name,
            f"Cannot read the file: {exc.strerror or exc}",
            f"无法读取文件：{exc.strerror or exc}",
        ) from exc
