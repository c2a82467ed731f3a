"""ZIP reader on hand-crafted archives: each trick built here byte by byte with ``struct``.

``zipfile`` (an independent implementation) builds the well-formed archives and is the
reference for their contents; :func:`build_zip` builds the malformed ones, with every
header field under the test's control.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import threading
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError, InputError, Level
from mobsec.ingest.archive import Archive
from mobsec.limits import Limits

# --- a ZIP writer that lets a test lie in any field ----------------------------------------


@dataclass
class Ent:
    name: bytes
    data: bytes = b""
    method: int = 0  # 0 stored, 8 deflate; anything else: ``data`` is deflated anyway
    flags: int = 0
    lh_name: bytes | None = None  # local header overrides (None: same as central)
    lh_method: int | None = None
    lh_flags: int | None = None
    lh_extra: bytes = b""
    cd_extra: bytes = b""
    crc: int | None = None  # central overrides
    csize: int | None = None
    usize: int | None = None
    lh_csize: int | None = None
    descriptor: bool = False  # bit 3: zeros in the local header, descriptor after the data
    lho: int | None = None  # central "local header offset" override
    payload: bytes | None = None  # exact bytes after the local header (overrides data)


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def build_zip(
    entries: list[Ent],
    *,
    comment: bytes = b"",
    comment_len: int | None = None,
    gap: bytes = b"",
    trailing: bytes = b"",
    prefix: bytes = b"",
    cd_size_delta: int = 0,
    count: int | None = None,
    disk: int = 0,
    zip64: bool = False,
) -> bytes:
    out = bytearray(prefix)
    cd = bytearray()
    for e in entries:
        payload = e.payload
        if payload is None:
            payload = e.data if e.method == 0 else deflate(e.data)
        flags = e.flags | (0x08 if e.descriptor else 0)
        crc = zlib.crc32(e.data) if e.crc is None else e.crc
        csize = len(payload) if e.csize is None else e.csize
        usize = len(e.data) if e.usize is None else e.usize
        lh_name = e.name if e.lh_name is None else e.lh_name
        off = len(out) - len(prefix)
        lh_crc, lh_cs, lh_us = (0, 0, 0) if e.descriptor else (crc, csize, usize)
        if e.lh_csize is not None:
            lh_cs = e.lh_csize
        out += struct.pack(
            "<L5H3L2H",
            0x04034B50,
            20,
            flags if e.lh_flags is None else e.lh_flags,
            e.method if e.lh_method is None else e.lh_method,
            0,
            0x21,
            lh_crc,
            lh_cs,
            lh_us,
            len(lh_name),
            len(e.lh_extra),
        )
        out += lh_name + e.lh_extra + payload
        if e.descriptor:
            out += struct.pack("<4L", 0x08074B50, crc, csize, usize)
        cd += struct.pack(
            "<L6H3L5H2L",
            0x02014B50,
            20,
            20,
            flags,
            e.method,
            0,
            0x21,
            crc,
            csize,
            usize,
            len(e.name),
            len(e.cd_extra),
            0,
            0,
            0,
            0,
            off if e.lho is None else e.lho,
        )
        cd += e.name + e.cd_extra
    cd_off = len(out) - len(prefix)
    out += cd + gap
    n = len(entries) if count is None else count
    if zip64:
        rec_off = len(out) - len(prefix)
        out += struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(cd) + cd_size_delta, cd_off
        )
        out += struct.pack("<4sLQL", b"PK\x06\x07", 0, rec_off, 1)
        out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 2**32 - 1, 2**32 - 1, 0)
    else:
        clen = len(comment) if comment_len is None else comment_len
        out += struct.pack(
            "<4s4H2LH", b"PK\x05\x06", disk, disk, n, n, len(cd) + cd_size_delta, cd_off, clen
        )
    out += comment + trailing
    return bytes(out)


def open_bytes(data: bytes, limits: Limits | None = None) -> tuple[Archive, Diagnostics]:
    diags = Diagnostics()
    if limits is None:
        return Archive.open(data, diags), diags
    return Archive.open(data, diags, limits), diags


def codes_of(diags: Diagnostics, level: Level | None = None) -> set[str]:
    return {d.code for d in diags if level is None or d.level == level}


# --- well-formed archives, checked against zipfile ----------------------------------------


def _zipfile_archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("res/"), b"")
        zf.writestr("AndroidManifest.xml", b"<manifest/>" * 200, zipfile.ZIP_DEFLATED)
        zf.writestr("resources.arsc", os.urandom(3000), zipfile.ZIP_STORED)
        zf.writestr("assets/日本語.txt", "ünïcödé".encode() * 50, zipfile.ZIP_DEFLATED)
        with zf.open("big.bin", "w", force_zip64=True) as fh:  # ZIP64 extra in local header
            fh.write(b"x" * 5000)
        zf.writestr("empty.txt", b"", zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_matches_zipfile_on_wellformed_archive() -> None:
    data = _zipfile_archive()
    arch, diags = open_bytes(data)
    ref = zipfile.ZipFile(io.BytesIO(data))
    assert [e.name for e in arch.entries] == ref.namelist()
    assert arch.names() == ref.namelist()
    for e, info in zip(arch.entries, ref.infolist(), strict=True):
        assert (e.crc32, e.compressed_size, e.uncompressed_size) == (
            info.CRC,
            info.compress_size,
            info.file_size,
        )
        assert e.local_header_offset == info.header_offset
        assert e.safe_name
        assert arch.read(e) == ref.read(info)
    assert list(diags) == []
    assert arch.eocd_offset == len(data) - 22
    assert arch.cd_offset + arch.cd_size == arch.eocd_offset
    assert arch.get("assets/日本語.txt") is arch.entries[3]
    assert arch.head("AndroidManifest.xml", 10) == b"<manifest/"
    assert arch.read("missing") is None


def test_reads_from_path_with_mmap(tmp_path: Path) -> None:
    p = tmp_path / "a.apk"
    p.write_bytes(_zipfile_archive())
    diags = Diagnostics()
    with Archive.open(p, diags) as arch:
        assert arch.display_name == "a.apk"
        assert arch.size == p.stat().st_size
        assert arch.read("empty.txt") == b""
        assert bytes(arch.view(0, 4)) == b"PK\x03\x04"
        with pytest.raises(FormatError):
            arch.view(0, arch.size + 1)
        with pytest.raises(FormatError):
            arch.view(-1, 3)
        held = arch.view(0, 2)  # a view still alive at close must not break close()
    assert bytes(held) == b"PK"
    with pytest.raises(ValueError, match="closed"):
        arch.read("empty.txt")


def test_data_offset_comes_from_local_header() -> None:
    # zipalign-style padding exists only in the local header's extra field.
    e = Ent(b"classes.dex", b"dex\n035\x00" + bytes(100), lh_extra=b"\x35\xd9\x07\x00" + bytes(7))
    arch, diags = open_bytes(build_zip([e]))
    entry = arch.entries[0]
    assert entry.data_offset == 30 + len(b"classes.dex") + 11
    assert arch.read(entry) == e.data
    assert list(diags) == []


def test_data_descriptor_entries_read_and_checked() -> None:
    good = Ent(b"a.txt", b"hello " * 100, method=8, descriptor=True)
    arch, diags = open_bytes(build_zip([good]))
    assert arch.entries[0].has_data_descriptor
    assert arch.entries[0].lh_crc32 == 0
    assert arch.read("a.txt") == good.data
    assert list(diags) == []


def test_name_encoding_cp437_and_utf8_flag() -> None:
    utf8 = "données/é.txt".encode()
    arch, diags = open_bytes(
        build_zip(
            [
                Ent(utf8, b"1", flags=0x800),
                Ent(b"caf\x82.txt", b"2"),
                Ent(b"\xff\xfe", b"3", flags=0x800),
            ]
        )
    )
    assert arch.entries[0].name == "données/é.txt"
    assert arch.entries[1].name == "café.txt"  # CP437 0x82 is é
    assert "zip.bad_name_encoding" in codes_of(diags)
    # Android compares raw bytes: a UTF-8 lookup finds a CP437-decoded entry with those bytes.
    arch2, _ = open_bytes(build_zip([Ent("é.txt".encode(), b"x")]))
    assert arch2.entries[0].name != "é.txt"
    assert arch2.get("é.txt") is arch2.entries[0]


def test_in_memory_archive_prefixes_diagnostics_with_display_name() -> None:
    diags = Diagnostics()
    Archive.open(build_zip([Ent(b"../x", b"1")]), diags, display_name="assets/inner.apk")
    assert [d.file for d in diags] == ["assets/inner.apk!/../x"]


def test_concurrent_reads_agree_with_sequential() -> None:
    entries = [
        Ent(f"classes{i}.dex".encode(), os.urandom(20000) + bytes(50000), method=8)
        for i in range(8)
    ]
    arch, diags = open_bytes(build_zip(entries))
    results: dict[int, bytes | None] = {}

    def work(i: int) -> None:
        results[i] = arch.read(f"classes{i}.dex")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[i] == entries[i].data for i in range(8))
    assert list(diags) == []


# --- end of central directory ---------------------------------------------------------------


def test_max_sized_comment() -> None:
    comment = b"c" * 0xFFFF
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], comment=comment))
    assert arch.comment == comment
    assert arch.read("a") == b"1"
    assert list(diags) == []


def test_fake_end_record_inside_comment_is_reported() -> None:
    # Android takes the signature nearest the end; here that one's comment length is wrong.
    comment = b"xx" + b"PK\x05\x06" + bytes(16) + b"\x00\x00" + b"yy"
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], comment=comment))
    assert arch.read("a") == b"1"
    assert arch.comment == comment
    assert "zip.eocd_comment_mismatch" in codes_of(diags, Level.WARNING)


def test_trailing_bytes_after_end_record() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], trailing=b"JUNK"))
    assert arch.read("a") == b"1"
    assert codes_of(diags) == {"zip.eocd_comment_mismatch"}


def test_garbage_between_cd_and_eocd() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], gap=b"\x00" * 7))
    assert arch.read("a") == b"1"
    assert codes_of(diags) == {"zip.garbage_before_eocd"}
    assert [d.detail["gap"] for d in diags] == [7]


def test_cd_size_past_eocd() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], cd_size_delta=1))
    assert arch.read("a") == b"1"
    assert codes_of(diags) == {"zip.cd_overlaps_eocd"}
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], cd_size_delta=-1))
    assert arch.names() == ["a", "b"]  # records are parsed up to the end record, as Android does
    assert codes_of(diags) == {"zip.cd_size_mismatch"}


def test_zip64_end_records_are_read_and_warned() -> None:
    arch, diags = open_bytes(
        build_zip([Ent(b"a", b"1"), Ent(b"b", b"22" * 50, method=8)], zip64=True)
    )
    assert arch.zip64
    assert arch.names() == ["a", "b"]
    assert arch.read("b") == b"22" * 50
    assert codes_of(diags) == {"zip.zip64"}


def test_zip64_locator_pointing_nowhere() -> None:
    data = bytearray(build_zip([Ent(b"a", b"1")], zip64=True))
    loc = len(data) - 22 - 20
    struct.pack_into("<Q", data, loc + 8, 2**63)
    with pytest.raises(InputError):  # sentinel offsets remain: no central directory found
        open_bytes(bytes(data))


def test_empty_archive_22_bytes() -> None:
    data = build_zip([])
    assert len(data) == 22
    arch, diags = open_bytes(data)
    assert arch.entries == [] and arch.names() == []
    assert codes_of(diags) == {"zip.empty"}


def test_multi_disk_markers() -> None:
    _arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], disk=1))
    assert "zip.multi_disk" in codes_of(diags, Level.ERROR)


def test_entry_count_disagrees_with_directory() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], count=1))
    assert arch.names() == ["a"]  # Android reads the announced number of records
    assert "zip.extra_cd_data" in codes_of(diags)
    assert "zip.entry_count_mismatch" not in codes_of(diags)
    arch, diags = open_bytes(build_zip([Ent(b"a", b"1")], count=3))
    assert "zip.entry_count_mismatch" in codes_of(diags)


def test_prefixed_data_is_found_and_flagged() -> None:
    inner = build_zip([Ent(b"a", b"hello", method=8)])
    data = b"MZ" + bytes(998) + inner
    assert zipfile.ZipFile(io.BytesIO(data)).read("a") == b"hello"  # zipfile copes too
    arch, diags = open_bytes(data)
    assert arch.read("a") == b"hello"
    assert "zip.prefixed_data" in codes_of(diags)


def test_too_many_entries_limit() -> None:
    arch, diags = open_bytes(
        build_zip([Ent(f"{i}".encode(), b"") for i in range(10)]), Limits(max_entries=4)
    )
    assert len(arch.entries) == 4
    assert "zip.too_many_entries" in codes_of(diags)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "zip.not_a_zip"),
        (b"hello world, definitely not a zip file at all", "zip.not_a_zip"),
        (b"PK\x03\x04abc", "zip.truncated"),
    ],
)
def test_not_a_zip(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as ei:
        open_bytes(data)
    assert ei.value.diagnostic.code == code
    assert ei.value.diagnostic.en and ei.value.diagnostic.zh


def test_truncated_archive_and_bad_cd_offset(tmp_path: Path) -> None:
    whole = _zipfile_archive()
    with pytest.raises(InputError) as ei:
        open_bytes(whole[: len(whole) // 2])
    assert ei.value.diagnostic.code == "zip.truncated"
    bad = bytearray(build_zip([Ent(b"a", b"1")]))
    struct.pack_into("<L", bad, len(bad) - 6, 3)  # CD offset into the local header...
    bad[len(bad) - 22 - 47 : len(bad) - 22 - 43] = b"XXXX"  # ...and no CD where it should be
    with pytest.raises(InputError) as ei:
        open_bytes(bytes(bad))
    assert ei.value.diagnostic.code == "zip.no_central_directory"
    empty = tmp_path / "empty.apk"
    empty.write_bytes(b"")
    with pytest.raises(InputError):
        Archive.open(empty, Diagnostics())
    with pytest.raises(InputError) as ei:
        Archive.open(tmp_path / "missing.apk", Diagnostics())
    assert ei.value.diagnostic.code == "zip.unreadable"


# --- central directory vs local header ------------------------------------------------------


def test_local_name_mismatch() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"classes.dex", b"A", lh_name=b"classes.xex")]))
    assert arch.read("classes.dex") == b"A"
    (d,) = [d for d in diags if d.code == "zip.header_mismatch"]
    assert d.file == "classes.dex" and "name" in d.detail["fields"]


def test_method_mismatch_uses_central_directory() -> None:
    data = b"payload " * 100
    arch, diags = open_bytes(build_zip([Ent(b"a", data, method=8, lh_method=0)]))
    assert arch.read("a") == data
    (d,) = list(diags)
    assert d.code == "zip.header_mismatch" and d.detail["fields"]["method"] == {
        "central": 8,
        "local": 0,
    }


def test_size_and_crc_mismatch_in_local_header() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"abc", lh_csize=999)]))
    assert arch.read("a") == b"abc"
    (d,) = list(diags)
    assert set(d.detail["fields"]) == {"compressed_size"}


def test_missing_local_header() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"abc", lho=10_000)]))
    assert arch.entries[0].data_offset == -1
    assert arch.read("a") is None
    assert "zip.bad_local_header" in codes_of(diags, Level.ERROR)


def test_entry_data_past_end_of_file() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"abc", method=8, csize=10_000_000)]))
    assert arch.read("a") is None
    assert "zip.entry_out_of_bounds" in codes_of(diags)


# --- duplicates, names, overlaps -------------------------------------------------------------


def test_duplicate_names_first_wins() -> None:
    evil, good = b"dex\n035\x00EVIL", b"dex\n035\x00GOOD"
    arch, diags = open_bytes(
        build_zip(
            [
                Ent(b"classes.dex", evil),
                Ent(b"AndroidManifest.xml", b"m"),
                Ent(b"classes.dex", good),
            ]
        )
    )
    assert arch.names() == ["classes.dex", "AndroidManifest.xml"]
    assert arch.read("classes.dex") == evil
    assert [arch.read(e) for e in arch.get_all("classes.dex")] == [evil, good]
    (d,) = [d for d in diags if d.code == "zip.duplicate_entry"]
    assert d.detail["cd_indexes"] == [0, 2]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        (b"assets/a..b.txt", True),
        (b"..foo", True),
        (b"res/raw/x", True),
        (b"../evil.so", False),
        (b"lib/../../etc/x", False),
        (b"/abs", False),
        (b"a\\b", False),
        (b"C:/x", False),
        (b"a\x00b", False),
        (b"a\nb", False),
        (b"a\rb", False),
        (b"", False),
    ],
)
def test_unsafe_names(raw: bytes, safe: bool) -> None:
    arch, diags = open_bytes(build_zip([Ent(raw, b"x")]))
    assert arch.entries[0].safe_name is safe
    assert ("zip.unsafe_name" in codes_of(diags)) is not safe
    assert arch.read(arch.entries[0]) == b"x"


def test_overlapping_entries() -> None:
    base = build_zip([Ent(b"a", b"0" * 1000)])
    # A second central record pointing at the same local header (a classic bomb multiplier).
    arch, diags = open_bytes(build_zip([Ent(b"a", b"0" * 1000), Ent(b"b", b"0" * 1000, lho=0)]))
    assert "zip.overlapping_entries" in codes_of(diags)
    assert arch.read("b") == b"0" * 1000  # readable; its local name differs, also reported
    assert "zip.header_mismatch" in codes_of(diags)
    assert open_bytes(base)[0].read("a") == b"0" * 1000


# --- methods, CRC, encryption ----------------------------------------------------------------


def test_unsupported_method() -> None:
    data = b"DER" * 100
    arch, diags = open_bytes(build_zip([Ent(b"META-INF/CERT.RSA", data, method=21)]))
    assert "zip.unsupported_method" in codes_of(diags, Level.WARNING)
    assert arch.read("META-INF/CERT.RSA") is None
    assert "zip.unsupported_method" in codes_of(diags, Level.ERROR)
    assert arch.read("META-INF/CERT.RSA", android_compat=True) == data
    n = len(diags)
    arch.read("META-INF/CERT.RSA")
    assert len(diags) == n  # a repeated read does not repeat the diagnostic


def test_bad_crc_returns_data_and_says_so() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"tampered", method=8, crc=0x12345678)]))
    assert arch.read("a") == b"tampered"
    assert "zip.bad_crc" in codes_of(diags, Level.WARNING)


def test_declared_size_differs_from_inflated_size() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"a", b"abcdef" * 10, method=8, usize=5)]))
    assert arch.read("a") == b"abcdef" * 10
    assert "zip.size_mismatch" in codes_of(diags)


def test_corrupt_and_truncated_deflate() -> None:
    good = deflate(os.urandom(5000))
    arch, diags = open_bytes(
        build_zip(
            [
                Ent(b"corrupt", b"", method=8, payload=b"\xff" * 50),
                Ent(b"short", b"", method=8, payload=good[: len(good) // 2]),
            ]
        )
    )
    assert arch.read("corrupt") is None
    assert arch.read("short") is None
    assert {"zip.bad_deflate", "zip.truncated_data"} <= codes_of(diags, Level.ERROR)


def test_encrypted_flag() -> None:
    arch, diags = open_bytes(build_zip([Ent(b"classes.dex", b"plain", flags=1)]))
    assert arch.entries[0].encrypted
    assert arch.read("classes.dex") is None
    assert arch.head("classes.dex", 4) is None
    assert "zip.encrypted" in codes_of(diags, Level.ERROR)
    # Pseudo-encryption: the bytes are plain, and old Android read them.
    assert arch.read("classes.dex", android_compat=True) == b"plain"


# --- zip bombs --------------------------------------------------------------------------------

_ZEROS = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1024 * 1024)
    payload = b"".join(c.compress(chunk) for _ in range(_ZEROS // len(chunk))) + c.flush()
    return build_zip(
        [Ent(b"bomb.bin", b"", method=8, payload=payload, usize=_ZEROS, crc=0)]
        + [Ent(f"part{i}".encode(), os.urandom(600_000), method=8) for i in range(2)]
    )


def test_bomb_entry_limit_never_inflates_past_it(bomb: bytes) -> None:
    assert len(bomb) < 1_500_000
    arch, diags = open_bytes(bomb, Limits(max_entry_uncompressed=1024 * 1024))
    tracemalloc.start()
    try:
        assert arch.read("bomb.bin") is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak
    (d,) = [d for d in diags if d.code == "zip.bomb_limit"]
    assert d.detail["kind"] == "size" and d.detail["limit"] == 1024 * 1024


def test_bomb_ratio_limit(bomb: bytes) -> None:
    arch, diags = open_bytes(bomb)  # default limits: 512 MiB per entry, ratio 200
    assert arch.read("bomb.bin") is None
    (d,) = [d for d in diags if d.code == "zip.bomb_limit"]
    assert d.detail["kind"] == "compression ratio"
    # the ratio is held on the compressed bytes consumed so far, not the declared size
    assert d.detail["limit"] == d.detail["consumed"] * 200
    assert d.detail["consumed"] <= arch.get("bomb.bin").compressed_size


def test_bomb_total_limit(bomb: bytes) -> None:
    arch, diags = open_bytes(bomb, Limits(max_total_uncompressed=1_000_000))
    assert arch.read("part0") is not None
    assert arch.read("part1") is None
    assert "zip.bomb_limit" in codes_of(diags)


def test_caller_max_bytes(bomb: bytes) -> None:
    arch, diags = open_bytes(bomb)
    assert arch.read("part0", max_bytes=1000) is None
    assert "zip.entry_too_large" in codes_of(diags)
    assert len(arch.read("part0", max_bytes=600_000) or b"") == 600_000
    assert arch.head("bomb.bin", 16) == bytes(16)


# --- fuzz -------------------------------------------------------------------------------------


def _seed_archives() -> list[bytes]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("AndroidManifest.xml", b"<manifest/>" * 20, zipfile.ZIP_DEFLATED)
        zf.writestr("classes.dex", b"dex\n035\x00" + bytes(64), zipfile.ZIP_STORED)
    return [
        buf.getvalue(),
        build_zip([Ent(b"a", b"x" * 300, method=8, descriptor=True), Ent(b"b", b"y")], zip64=True),
    ]


_SEEDS = _seed_archives()


@settings(
    max_examples=400,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_fuzz_mutated_archives(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(seed)
    for pos, val in edits:
        data[pos % len(data)] = val
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    diags = Diagnostics()
    try:
        arch = Archive.open(bytes(data), diags, Limits(max_entry_uncompressed=1 << 20))
    except InputError as exc:
        assert exc.diagnostic.code.startswith("zip.")
        return
    with arch:
        for e in arch.entries:
            out = arch.read(e)
            assert out is None or isinstance(out, bytes)
            arch.read(e, android_compat=True)
            arch.head(e, 8)
        for name in arch.names():
            assert arch.get(name) is not None
    for d in diags:
        assert d.code.startswith("zip.") and d.en and d.zh


# --- agreement with aapt (AOSP libziparchive, an independent reader) ------------------------

_AAPT_CASES = {
    "plain": lambda: build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")]),
    "gap": lambda: build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], gap=b"\0" * 7),
    "cd_size_plus_2": lambda: build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], cd_size_delta=2),
    "cd_size_minus_1": lambda: build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], cd_size_delta=-1),
    "trailing": lambda: build_zip([Ent(b"a", b"1")], trailing=b"JUNK"),
    "count_short": lambda: build_zip([Ent(b"a", b"1"), Ent(b"b", b"2")], count=1),
    "count_long": lambda: build_zip([Ent(b"a", b"1")], count=2),
    "zip64": lambda: build_zip([Ent(b"a", b"1")], zip64=True),
    "prefix": lambda: b"MZ" + bytes(100) + build_zip([Ent(b"a", b"1")]),
    "multi_disk": lambda: build_zip([Ent(b"a", b"1")], disk=1),
    "empty": lambda: build_zip([]),
    "max_comment": lambda: build_zip([Ent(b"a", b"1")], comment=b"c" * 0xFFFF),
}


@pytest.mark.parametrize("case", sorted(_AAPT_CASES))
def test_libziparchive_verdict_matches_aapt(case: str, tmp_path: Path) -> None:
    """Each structural diagnostic states whether libziparchive opens such a file; aapt
    (built on libziparchive) must agree."""
    aapt = shutil.which("aapt")
    if aapt is None:
        pytest.skip("aapt not installed (apt install aapt)")
    data = _AAPT_CASES[case]()
    path = tmp_path / f"{case}.zip"
    path.write_bytes(data)
    aapt_opens = subprocess.run([aapt, "list", str(path)], capture_output=True).returncode == 0
    _, diags = open_bytes(data)
    we_say_rejects = any(d.detail.get("libziparchive") == "rejects" for d in diags)
    assert aapt_opens is not we_say_rejects, [str(d) for d in diags]
