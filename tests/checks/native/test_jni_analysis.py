"""The arm64 JNI analysis on real libraries of the jni-input fixture, damaged copies of them,
and JNI name mangling. Damaged or crafted ELF files must give fewer events, never an
exception or a hang (the analysis runs inside every scan of an app with arm64 code)."""

from __future__ import annotations

import random
import struct
import time
import zipfile
from pathlib import Path

import pytest

from mobsec.checks.native._jni import java_method
from mobsec.facts.native_arm64 import MAX_FUNCTION_BYTES, analyze_jni, jni_symbol
from mobsec.ingest.elf_image import load_image
from tests.fixtures.build import build_apk, missing_tools

FIXTURE = Path(__file__).resolve().parent / "jni-input"


def _library(name: str) -> bytes:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    with zipfile.ZipFile(build_apk(FIXTURE)) as z:
        return z.read(f"lib/arm64-v8a/{name}")


@pytest.mark.toolchain
def test_events_of_the_release_library() -> None:
    result = analyze_jni(load_image(_library("libchecks.so")))
    compares = {(c.function.rsplit("_", 1)[-1], c.constant) for c in result.compares}
    assert ("checkKey", b"v3nd0r-K3y!") in compares
    assert ("checkCode", b"open-sesame!") in compares  # built byte by byte on the stack
    assert ("checkToken", b"T0ken-of-acce55!") in compares  # memcpy'd from .rodata
    # filled by a local helper, compared byte by byte after an XOR with a Java-set mask
    encoded = bytes([0x1D, 0x08, 0x11, 0x13, 0x0F, 0x17, 0x49, 0x15, 0x0D, 0x02, 0x03, 0x19])
    assert ("checkEncoded", encoded) in compares
    assert not any(fn == "sameText" for fn, _ in compares)
    copies = {c.function.rsplit("_", 1)[-1] for c in result.copies}
    # not boundedGreet, checkedGreet (length compared), heapGreet, copyPacketChecked
    assert copies == {"greet", "copyPacket", "formatGreet"}  # not formatGreetBounded (%.20s)
    assert not result.truncated


@pytest.mark.toolchain
def test_natives_registered_from_jni_onload() -> None:
    result = analyze_jni(load_image(_library("libregister.so")))
    assert [(c.function, c.constant) for c in result.compares] == [
        ("Java_com_example_jniinput_Licenses_checkLicense", b"LIC-7731-QX9Z")
    ]
    assert result.functions == 2  # both table entries, none exported as Java_*


@pytest.mark.toolchain
def test_damaged_libraries_never_raise() -> None:
    data = _library("libchecks_debug.so")
    rng = random.Random(13)
    started = time.perf_counter()
    for cut in range(0, len(data), max(1, len(data) // 60)):
        image = load_image(data[:cut])
        if image is not None:
            analyze_jni(image)
    for _ in range(60):
        garbled = bytearray(data)
        for _ in range(rng.randint(1, 200)):
            garbled[rng.randrange(16, len(garbled))] = rng.randrange(256)
        image = load_image(bytes(garbled))
        if image is not None:
            analyze_jni(image)
    assert time.perf_counter() - started < 60


def _elf_with_function(code: bytes, size: int) -> bytes:
    """A minimal AArch64 shared object: one PT_LOAD (r-x), one exported Java_ function."""
    dynstr = b"\0Java_a_B_c\0"
    text_off = 0x200
    sym_off, str_off, dyn_off = 0x100, 0x140, 0x160
    ehdr = struct.pack(
        "<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, b"\0" * 7,
        3, 183, 1, 0, 64, 0, 0, 64, 56, 2, 64, 0, 0,
    )  # fmt: skip
    total = text_off + len(code)
    load = struct.pack("<IIQQQQQQ", 1, 5, 0, 0, 0, total, total, 0x1000)
    dyn_seg = struct.pack("<IIQQQQQQ", 2, 4, dyn_off, dyn_off, dyn_off, 0x50, 0x50, 8)
    syms = bytes(24) + struct.pack("<IBBHQQ", 1, 0x12, 0, 1, text_off, size)
    dyn = struct.pack("<qQqQqQqQqQ", 6, sym_off, 5, str_off, 10, len(dynstr), 4, 0x1C0, 0, 0)
    hash_table = struct.pack("<IIIII", 1, 2, 0, 1, 0)
    out = bytearray(total)
    out[0 : len(ehdr)] = ehdr
    out[64 : 64 + 56] = load
    out[120 : 120 + 56] = dyn_seg
    out[sym_off : sym_off + len(syms)] = syms
    out[str_off : str_off + len(dynstr)] = dynstr
    out[dyn_off : dyn_off + len(dyn)] = dyn
    out[0x1C0 : 0x1C0 + len(hash_table)] = hash_table
    out[text_off:] = code
    return bytes(out)


def test_crafted_function_is_bounded() -> None:
    # "b ." (an endless loop) repeated, and a symbol size of 4 GiB: one linear pass over at
    # most MAX_FUNCTION_BYTES, however the code loops.
    loop = struct.pack("<I", 0x14000000) * (MAX_FUNCTION_BYTES // 2)
    image = load_image(_elf_with_function(loop, 1 << 32))
    assert image is not None and "Java_a_B_c" in image.functions
    started = time.perf_counter()
    result = analyze_jni(image)
    assert result.functions == 1
    assert result.instructions <= MAX_FUNCTION_BYTES // 4
    assert time.perf_counter() - started < 10


def test_not_an_elf_is_none() -> None:
    assert load_image(b"") is None
    assert load_image(b"\x7fELF\x02\x01" + b"\xff" * 10) is None


def test_secret_filter() -> None:
    from mobsec.checks.secrets.native_compare import is_secret_like

    assert is_secret_like(b"olsdfgad;lh")
    assert is_secret_like(b"Thanks for all the fish")
    assert is_secret_like(bytes([0x1D, 0x08, 0x11, 0x13, 0x0F]))
    assert not is_secret_like(b"start")  # a command word
    assert not is_secret_like(b"https://")
    assert not is_secret_like(b"/proc/self/maps")
    assert not is_secret_like(b"0123456789abcdef")  # a lookup table
    assert not is_secret_like(b"abc")


def test_jni_name_mangling() -> None:
    assert java_method("Java_jakhar_aseem_diva_DivaJni_access") == (
        "Ljakhar/aseem/diva/DivaJni;",
        "access",
    )
    assert java_method("Java_com_ex_1ample_Foo_bar__Ljava_lang_String_2") == (
        "Lcom/ex_ample/Foo;",
        "bar",
    )
    assert java_method("Java_a_B_u_000e9t") == ("La/B;", "u\u00e9t")
    assert java_method("JNI_OnLoad") is None
    for cls, method in (("com/ex_ample/Foo", "bar"), ("a/B", "u\u00e9t")):
        assert java_method(jni_symbol(cls, method)) == (f"L{cls};", method)


def test_operand_kinds_are_capstones() -> None:
    from capstone import arm64

    from mobsec.facts import native_arm64

    assert (native_arm64._OP_REG, native_arm64._OP_IMM, native_arm64._OP_MEM) == (
        arm64.ARM64_OP_REG,
        arm64.ARM64_OP_IMM,
        arm64.ARM64_OP_MEM,
    )


def test_instruction_budget_stops_the_analysis() -> None:
    loop = struct.pack("<I", 0x14000000) * 1000
    result = analyze_jni(load_image(_elf_with_function(loop, len(loop))), budget=100)
    assert result.truncated and result.instructions <= 101
