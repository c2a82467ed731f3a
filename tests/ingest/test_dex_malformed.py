"""Hostile DEX bytes: crafted by hand from a real smali-built file, and fuzzed.

The reader must turn every problem into a diagnostic (or a FormatError when the header
itself is unusable) and must not crash, hang or allocate without bound.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.dex import DexFile, DexSet

pytestmark = pytest.mark.skipif(shutil.which("smali") is None, reason="smali not installed")

SOURCE = r""".class public LVictim;
.super Ljava/lang/Object;
.field static s:I
.method public static a(I)I
    .registers 4
    const-string v0, "secret"
    sget v1, LVictim;->s:I
    invoke-static {v3}, LVictim;->b(I)I
    packed-switch v3, :p
    :end
    return v3
    :p
    .packed-switch 1
        :end
        :end
    .end packed-switch
.end method
.method public static b(I)I
    .registers 2
    :try
    new-instance v0, Ljava/lang/Object;
    :try_end
    .catchall {:try .. :try_end} :end
    :end
    return v1
.end method
"""


@pytest.fixture(scope="session")
def victim(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    tmp = tmp_path_factory.mktemp("dex-victim")
    (tmp / "Victim.smali").write_text(SOURCE)
    out = tmp / "classes.dex"
    subprocess.run(["smali", "a", "-o", str(out), str(tmp)], check=True, capture_output=True)
    return out.read_bytes()


def parse(data: bytes) -> tuple[DexFile, Diagnostics]:
    diags = Diagnostics()
    return DexFile.parse(data, "classes.dex", diags), diags


def exercise(dex: DexFile) -> int:
    """Touch everything a check could touch; return the number of instructions seen."""
    seen = 0
    for c in dex.classes:
        _ = (c.descriptor, c.superclass, c.interfaces, c.static_fields, c.instance_fields)
        for m in c.methods:
            str(dex.method_ref(m.method_idx))
            try:
                seen += len(dex.disassemble(m).splitlines())
                dex.code_item(m)
            except FormatError:
                pass
    for kind in dex.refs:
        for r in dex.refs.rows(kind):
            dex.refs.refs_to(kind, r.target)
    dex.pools.find_method_ids("LVictim;", "a")
    dex.pools.find_string("secret")
    return seen


def fix_checksum(data: bytearray) -> bytes:
    struct.pack_into("<I", data, 8, zlib.adler32(bytes(data[12:])))
    return bytes(data)


def code_off(dex: DexFile, name: str) -> int:
    (m,) = [m for m in dex.iter_methods() if dex.method_ref(m.method_idx).name == name]
    return m.code_off


def test_clean_file_has_no_diagnostics(victim: bytes):
    dex, diags = parse(victim)
    assert not list(diags)
    assert exercise(dex) > 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "dex.truncated_header"),
        (b"dex\n035\x00" + bytes(50), "dex.truncated_header"),
        (b"PK\x03\x04" + bytes(200), "dex.bad_magic"),
    ],
)
def test_unusable_header_raises(data: bytes, code: str):
    with pytest.raises(FormatError) as err:
        parse(data)
    assert err.value.code == code


def test_endian_and_magic(victim: bytes):
    data = bytearray(victim)
    struct.pack_into("<I", data, 40, 0x78563412)
    with pytest.raises(FormatError) as err:
        parse(bytes(data))
    assert err.value.code == "dex.big_endian"
    data = bytearray(victim)
    data[4:7] = b"099"
    _, diags = parse(fix_checksum(data))
    assert "dex.unknown_version" in diags.codes()


def test_bad_checksum_and_signature(victim: bytes):
    data = bytearray(victim)
    data[-1] ^= 0xFF
    dex, diags = parse(bytes(data))
    assert {"dex.bad_checksum", "dex.bad_signature"} <= diags.codes()
    assert len(dex.classes) == 1  # still read


def test_huge_counts(victim: bytes):
    data = bytearray(victim)
    for field in (56, 64, 72, 80, 88, 96):  # every id table size
        struct.pack_into("<I", data, field, 0xFFFFFFFF)
    dex, diags = parse(fix_checksum(data))
    assert "dex.section_out_of_range" in diags.codes()
    assert dex.classes == []
    exercise(dex)


def test_class_data_with_huge_member_counts(victim: bytes):
    dex, _ = parse(victim)
    (class_data_off,) = struct.unpack_from("<I", victim, dex.header.class_defs_off + 24)
    data = bytearray(victim)
    data[class_data_off : class_data_off + 5] = b"\xff\xff\xff\xff\x0f"  # 2^32-1 static fields
    t = time.monotonic()
    dex, diags = parse(fix_checksum(data))
    assert time.monotonic() - t < 5  # hang guard: 2^32 members must not be walked
    assert "dex.bad_class_data" in diags.codes() or "dex.bad_index" in diags.codes()
    exercise(dex)


def test_out_of_range_index_in_code(victim: bytes):
    dex, _ = parse(victim)
    off = code_off(dex, "a")
    data = bytearray(victim)
    struct.pack_into("<H", data, off + 16 + 2, 0xFFFF)  # const-string v0, string@ffff
    dex, diags = parse(fix_checksum(data))
    bad = [d for d in diags if d.code == "dex.bad_index"]
    assert bad and bad[0].detail["method"] == "LVictim;->a(I)I"
    assert bad[0].detail["opcode"] == "const-string"
    assert dex.refs.count("strings") == 0
    assert dex.refs.count("invokes") == 1  # the rest of the method was still scanned
    assert "<bad-string@65535>" in dex.disassemble(
        dex.method_by_idx(dex.refs.rows("invokes").__next__().caller)
    )


def test_code_item_overlapping_the_end(victim: bytes):
    dex, _ = parse(victim)
    off = code_off(dex, "b")
    data = bytearray(victim)
    struct.pack_into("<I", data, off + 12, 0x7FFFFFFF)  # insns_size
    dex, diags = parse(fix_checksum(data))
    (bad,) = [d for d in diags if d.code == "dex.bad_code_item"]
    assert bad.detail["method"] == "LVictim;->b(I)I"
    assert dex.refs.count("invokes") == 1  # method a is intact
    exercise(dex)


def test_payload_claiming_more_than_the_code(victim: bytes):
    dex, _ = parse(victim)
    off = code_off(dex, "a")
    (n_units,) = struct.unpack_from("<I", victim, off + 12)
    insns = victim[off + 16 : off + 16 + 2 * n_units]
    pos = insns.index(b"\x00\x01")  # packed-switch-data ident
    data = bytearray(victim)
    struct.pack_into("<H", data, off + 16 + pos + 2, 0xFFFF)
    dex, diags = parse(fix_checksum(data))
    assert "dex.truncated_instruction" in diags.codes()
    exercise(dex)


def test_shared_code_items_are_bounded(victim: bytes):
    """Every class_def pointing to the same class data cannot multiply the work."""
    dex, _ = parse(victim)
    h = dex.header
    row = victim[h.class_defs_off : h.class_defs_off + 32]
    copies = 2000
    data = bytearray(victim) + row * copies
    struct.pack_into("<I", data, 96, copies)  # class_defs_size
    struct.pack_into("<I", data, 100, len(victim))  # class_defs_off
    struct.pack_into("<I", data, 32, len(data))
    t = time.monotonic()
    dex, diags = parse(fix_checksum(data))
    assert time.monotonic() - t < 5  # hang guard: shared class data must not multiply work
    assert "dex.too_many_members" in diags.codes()
    assert dex.method_count <= dex.pools.n_methods
    assert "dex.more_problems" in diags.codes()


def test_v41_container_walk_terminates(victim: bytes):
    data = bytearray(victim)
    data[4:7] = b"041"
    struct.pack_into("<I", data, 36, 0x78)  # header_size of a container
    struct.pack_into("<II", data, 0x70, 10 * len(data), 0)  # container_size, header_offset
    diags = Diagnostics()
    dexes = DexSet.parse([("classes.dex", bytes(data) + bytes(data))], diags)
    assert [d.name for d in dexes.dexes] == ["classes.dex#0", "classes.dex#1"]


FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ_SETTINGS
@given(
    edits=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 255)), max_size=12),
    cut=st.integers(0, 4096),
    fix=st.booleans(),
)
def test_fuzz_mutated_dex(victim: bytes, edits: list[tuple[int, int]], cut: int, fix: bool):
    dex = mutated(victim, edits, cut, fix)
    if dex is not None:
        exercise(dex)


def mutated(victim: bytes, edits: list[tuple[int, int]], cut: int, fix: bool) -> DexFile | None:
    """The victim with bytes overwritten, maybe cut short and its checksum fixed, parsed
    (None when the header is unusable)."""
    data = bytearray(victim)
    for pos, value in edits:
        data[pos % len(data)] = value
    if cut < len(data) and cut % 3 == 0:
        del data[cut:]
    if fix and len(data) > 12:
        data = bytearray(fix_checksum(data))
    try:
        return parse(bytes(data))[0]
    except FormatError:
        return None
