"""Hostile ELF files: a real library (built here with gcc) damaged by hand, field by field,
plus a bounded hypothesis fuzz run. Every outcome is a NativeLibrary, or None with an error
diagnostic, or FormatError from ``elf_strings`` — never another exception, never a hang."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile  # independent locator of the fields we damage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError, Level
from mobsec.ingest.elf import analyze_elf, elf_strings

SOURCE = r"""
#include <string.h>
char sink[64];
int copy_it(const char *src, size_t n) { memcpy(sink, src, n); return strlen(sink); }
const char *banner(void) { return "hello from rodata"; }
"""

# Offsets inside the 64-bit little-endian ELF header.
E_PHOFF, E_SHOFF, E_PHNUM, E_SHENTSIZE, E_SHNUM = 0x20, 0x28, 0x38, 0x3A, 0x3C


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if shutil.which("gcc") is None:
        pytest.skip("gcc not installed")
    root = tmp_path_factory.mktemp("elf-bad")
    (root / "b.c").write_text(SOURCE)
    out = root / "libb.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O1", "-o", str(out), str(root / "b.c")],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def run(data: bytes, path: str = "lib/x86_64/libb.so"):
    diags = Diagnostics()
    start = time.perf_counter()
    lib = analyze_elf(data, path, diags)
    assert time.perf_counter() - start < 5.0  # hang guard (normally ms), not a speed target
    for d in diags:
        assert d.file == path and d.en and d.zh and d.code.startswith("elf.")
    return lib, diags


def patch(data: bytes, fmt: str, off: int, *values: int) -> bytes:
    b = bytearray(data)
    struct.pack_into(fmt, b, off, *values)
    return bytes(b)


def dynamic_segment(data: bytes) -> tuple[int, int, int]:
    """(program header file offset, dynamic data offset, size) found by pyelftools."""
    elf = ELFFile(io.BytesIO(data))
    phoff, phentsize = elf["e_phoff"], elf["e_phentsize"]
    for i, seg in enumerate(elf.iter_segments()):
        if seg["p_type"] == "PT_DYNAMIC":
            return phoff + i * phentsize, seg["p_offset"], seg["p_filesz"]
    raise AssertionError("no PT_DYNAMIC")


def test_base_is_clean(base: bytes) -> None:
    lib, diags = run(base)
    assert lib is not None and len(diags) == 0
    assert "copy_it" in lib.exported_symbols and "libc.so.6" in lib.needed


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "elf.not_elf"),
        (b"\x7fEL", "elf.not_elf"),
        (b"MZ\x90\x00" + b"\0" * 60, "elf.not_elf"),
        (b"\x7fELF\x03\x01\x01" + b"\0" * 57, "elf.bad_class"),
        (b"\x7fELF\x02\x07\x01" + b"\0" * 57, "elf.bad_endian"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 20, "elf.truncated"),
    ],
)
def test_unreadable_header_is_one_error(data: bytes, code: str) -> None:
    lib, diags = run(data)
    assert lib is None
    assert [(d.code, d.level) for d in diags] == [(code, Level.ERROR)]
    with pytest.raises(FormatError):
        elf_strings(data)


def test_every_truncation(base: bytes) -> None:
    for n in range(0, len(base), 61):
        lib, diags = run(base[:n])
        assert lib is not None or any(d.level is Level.ERROR for d in diags)


def test_bad_section_header_offset_keeps_dynamic_linkage(base: bytes) -> None:
    lib, diags = run(patch(base, "<Q", E_SHOFF, len(base) + 4096))
    assert "elf.bad_shdr" in diags.codes()
    assert lib is not None
    # Symbols and libraries still come from PT_DYNAMIC (DT_SYMTAB sized by the hash table),
    # which is how Android's loader reads packed libraries with wrecked section headers.
    assert lib.needed == ["libc.so.6"]
    assert "copy_it" in lib.exported_symbols and "memcpy" in lib.imported_symbols
    assert list(elf_strings(patch(base, "<Q", E_SHOFF, 1 << 62)))  # falls back to whole file


def test_huge_counts(base: bytes) -> None:
    lib, diags = run(patch(base, "<H", E_SHNUM, 0xFFFF))
    assert lib is not None and "elf.bad_shdr" in diags.codes()
    lib, diags = run(patch(base, "<H", E_PHNUM, 0xFFFF))
    assert lib is not None and "elf.bad_phdr" in diags.codes()
    lib, diags = run(patch(base, "<H", E_SHENTSIZE, 1))
    assert lib is not None and "elf.bad_shdr" in diags.codes()
    lib, diags = run(patch(base, "<Q", E_PHOFF, (1 << 64) - 8))
    assert lib is not None and "elf.bad_phdr" in diags.codes()


def test_dynamic_section_without_terminator(base: bytes) -> None:
    ph, dyn_off, dyn_size = dynamic_segment(base)
    b = bytearray(base)
    # Replace every DT_NULL with DT_DEBUG: no terminator inside the segment's bounds.
    for pos in range(dyn_off, dyn_off + dyn_size, 16):
        if struct.unpack_from("<q", b, pos)[0] == 0:
            struct.pack_into("<q", b, pos, 21)
    lib, diags = run(bytes(b))
    assert lib is not None and lib.needed == ["libc.so.6"]
    assert "elf.dynamic_unterminated" in diags.codes()
    # And a segment that claims to run far beyond the file is read up to the file's end only.
    struct.pack_into("<QQ", b, ph + 0x20, 1 << 60, 1 << 60)  # p_filesz, p_memsz
    lib, diags = run(bytes(b))
    assert lib is not None and lib.needed == ["libc.so.6"]


def test_dynamic_segment_outside_file(base: bytes) -> None:
    ph, _off, _size = dynamic_segment(base)
    lib, diags = run(patch(base, "<Q", ph + 0x08, 1 << 40))  # p_offset
    assert lib is not None and "elf.bad_dynamic" in diags.codes()


def test_string_offsets_out_of_range(base: bytes) -> None:
    _ph, dyn_off, dyn_size = dynamic_segment(base)
    b = bytearray(base)
    for pos in range(dyn_off, dyn_off + dyn_size, 16):
        if struct.unpack_from("<q", b, pos)[0] == 1:  # DT_NEEDED
            struct.pack_into("<Q", b, pos + 8, 0x7FFFFFFF)
    lib, diags = run(bytes(b))
    assert lib is not None and lib.needed == []
    assert "elf.bad_string_offset" in diags.codes()


def test_symbol_names_out_of_range(base: bytes) -> None:
    elf = ELFFile(io.BytesIO(base))
    dynsym = elf.get_section_by_name(".dynsym")
    b = bytearray(base)
    for i in range(1, dynsym.num_symbols()):
        struct.pack_into("<I", b, dynsym["sh_offset"] + i * 24, 0xFFFFFF00)
    lib, diags = run(bytes(b))
    assert lib is not None and lib.imported_symbols == [] and lib.exported_symbols == []
    [d] = [d for d in diags if d.code == "elf.bad_string_offset"]
    assert d.detail["count"] == dynsym.num_symbols() - 1


def test_huge_dynsym_size(base: bytes) -> None:
    elf = ELFFile(io.BytesIO(base))
    idx = next(i for i, s in enumerate(elf.iter_sections()) if s.name == ".dynsym")
    sh = elf["e_shoff"] + idx * elf["e_shentsize"]
    lib, diags = run(patch(base, "<Q", sh + 0x20, 1 << 50))  # sh_size
    assert lib is not None and "elf.bad_symtab" in diags.codes()
    # The loader's view (DT_SYMTAB sized by the hash table) still gives the real symbols.
    clean = run(base)[0]
    assert clean is not None
    assert lib.exported_symbols == clean.exported_symbols
    assert lib.imported_symbols == clean.imported_symbols


def test_memoryview_input(base: bytes) -> None:
    lib, _ = run(memoryview(bytearray(base)))
    assert lib is not None and lib.size == len(base)


def _mutations(base: bytes):
    positions = st.integers(min_value=0, max_value=len(base) - 1)
    edits = st.lists(st.tuples(positions, st.integers(0, 255)), max_size=12)
    # Bias towards the header and the tables near it, where most structure lives.
    header_edits = st.lists(st.tuples(st.integers(0, 0x3F), st.integers(0, 255)), max_size=4)
    return st.tuples(edits, header_edits, st.integers(min_value=16, max_value=len(base)))


def test_fuzz_never_raises_or_hangs(base: bytes) -> None:
    @settings(
        max_examples=300,
        deadline=5000,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_mutations(base))
    def check(m) -> None:
        edits, header_edits, cut = m
        b = bytearray(base[:cut])
        for pos, val in [*edits, *header_edits]:
            if pos < len(b):
                b[pos] = val
        data = bytes(b)
        lib, diags = run(data)
        assert lib is not None or any(d.level is Level.ERROR for d in diags)
        try:
            for _ in elf_strings(data, limit=1000):
                pass
        except FormatError:
            pass

    check()


@settings(max_examples=200, deadline=5000, derandomize=True)
@given(st.binary(min_size=0, max_size=256).map(lambda t: b"\x7fELF" + t))
def test_fuzz_random_headers(data: bytes) -> None:
    lib, diags = run(data)
    assert lib is not None or any(d.level is Level.ERROR for d in diags)


def test_corpus_fake_so_is_not_elf(corpus_apks: Path) -> None:
    import zipfile

    with zipfile.ZipFile(corpus_apks / "androguard" / "APK__apksig__golden-aligned-in.apk") as z:
        data = z.read("lib/armeabi/fake.so")
    lib, diags = run(data, "lib/armeabi/fake.so")
    assert lib is None and diags.codes() == {"elf.not_elf"}
