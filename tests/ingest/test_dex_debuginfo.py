"""debug_info_item decoding against dexdump's "positions" and "locals", and hostile bytes.

dexdump (AOSP) prints every position entry and every local variable range of every
method; the decoder must list exactly the same, on corpus DEX files (support-library and
app code from several compilers) and on a fixture built by javac -g + dx.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.dex import DexFile
from mobsec.ingest.dex.debuginfo import decode_debug_info, line_at

needs_dexdump = pytest.mark.skipif(shutil.which("dexdump") is None, reason="dexdump not installed")

_CLASS = re.compile(r"^\s+Class descriptor\s+: '(.*)'")
_NAME = re.compile(r"^\s+name\s+: '(.*)'")
_TYPE = re.compile(r"^\s+type\s+: '(.*)'")
_POS = re.compile(r"^\s+0x([0-9a-f]+) line=(-?\d+)")
_LOCAL = re.compile(r"^\s+0x([0-9a-f]+) - 0x([0-9a-f]+) reg=(\d+) (\S*) (\S*)")

Key = tuple[str, str, str]


def dexdump_debug(path: Path) -> dict[Key, tuple[list, list]]:
    """(class, name, proto) -> (positions [(addr, line)], locals [(start, end, reg, name, type)])."""
    out = subprocess.run(["dexdump", "-d", str(path)], capture_output=True, check=True)
    text = out.stdout.decode("utf-8", "replace")
    cls = name = typ = ""
    mode = ""
    res: dict[Key, tuple[list, list]] = {}
    cur: tuple[list, list] = ([], [])
    for line in text.splitlines():
        if m := _CLASS.match(line):
            cls = m.group(1)
        elif m := _NAME.match(line):
            name = m.group(1)
        elif m := _TYPE.match(line):
            typ = m.group(1)
        elif re.match(r"^\s+positions\s+:", line):
            mode, cur = "p", res.setdefault((cls, name, typ), ([], []))
        elif re.match(r"^\s+locals\s+:", line):
            mode = "l"
        elif mode == "p" and (m := _POS.match(line)):
            cur[0].append((int(m.group(1), 16), int(m.group(2))))
        elif mode == "l" and (m := _LOCAL.match(line)):
            g = m.groups()
            cur[1].append((int(g[0], 16), int(g[1], 16), int(g[2]), g[3], g[4]))
        else:
            mode = ""
    return res


def compare_with_dexdump(path: Path) -> int:
    dex = DexFile.parse(path.read_bytes(), path.name, Diagnostics())
    expected = dexdump_debug(path)
    compared = 0
    for m in dex.iter_methods():
        if not m.code_off:
            continue
        ref = dex.method_ref(m.method_idx)
        want = expected.get((ref.class_desc, ref.name, ref.proto))
        if want is None:
            continue
        table = dex.line_table(m)
        positions = [] if table is None else list(zip(table.addresses, table.lines, strict=True))
        assert positions == want[0], ref
        got_locals = (
            []
            if table is None
            else [
                (v.start, v.end, v.register, v.name or "(null)", v.type_desc or "")
                for v in table.locals
            ]
        )
        assert sorted(got_locals) == sorted(want[1]), ref
        compared += 1
    return compared


@pytest.mark.corpus
@needs_dexdump
@pytest.mark.parametrize("apk", ["vulnapps/InsecureBankv2.apk", "vulnapps/diva-beta.apk"])
def test_positions_and_locals_match_dexdump_on_corpus(corpus_apks: Path, tmp_path, apk) -> None:
    with zipfile.ZipFile(corpus_apks / apk) as z:
        (tmp_path / "classes.dex").write_bytes(z.read("classes.dex"))
    assert compare_with_dexdump(tmp_path / "classes.dex") > 1000


def _fixture_dex(fixture_apk, tmp_path: Path) -> Path:
    with zipfile.ZipFile(fixture_apk("dataflow-cases")) as z:
        (tmp_path / "classes.dex").write_bytes(z.read("classes.dex"))
    return tmp_path / "classes.dex"


@needs_dexdump
def test_positions_and_locals_match_dexdump_on_fixture(fixture_apk, tmp_path) -> None:
    assert compare_with_dexdump(_fixture_dex(fixture_apk, tmp_path)) >= 30


def _method_with_debug(dex: DexFile, name: str):
    for m in dex.iter_methods():
        if m.code_off and dex.method_ref(m.method_idx).name == name:
            return m
    raise AssertionError(name)


def _debug_off(data: bytes, code_off: int) -> int:
    return struct.unpack_from("<I", data, code_off + 8)[0]


def _with_debug_off(data: bytes, code_off: int, value: int) -> bytes:
    b = bytearray(data)
    struct.pack_into("<I", b, code_off + 8, value)
    return bytes(b)


def test_line_at_semantics(fixture_apk, tmp_path) -> None:
    dex = DexFile.parse(_fixture_dex(fixture_apk, tmp_path).read_bytes(), "c", Diagnostics())
    m = _method_with_debug(dex, "cipherSwitch")
    table = dex.line_table(m)
    assert table is not None and table is dex.line_table(m)  # cached
    first = table.addresses[0]
    assert line_at(dex, m, first) == table.lines[0]
    assert line_at(dex, m, 10_000) == table.lines[-1]  # last entry with address <= offset
    if first > 0:
        assert line_at(dex, m, first - 1) is None


def test_hostile_debug_info_gives_none(fixture_apk, tmp_path) -> None:
    data = _fixture_dex(fixture_apk, tmp_path).read_bytes()
    dex = DexFile.parse(data, "c", Diagnostics())
    m = _method_with_debug(dex, "cipherSwitch")
    n = len(data)
    cases = {
        "outside": _with_debug_off(data, m.code_off, n + 100),
        "at the end": _with_debug_off(data, m.code_off, n - 1),
        # runaway ULEB128 (line_start) in the padding we append
        "runaway uleb": _with_debug_off(data + b"\xff" * 16, m.code_off, n),
        # no END_SEQUENCE before the end of the file
        "no end": _with_debug_off(data + b"\x01\x00\x0e\x0e\x0e", m.code_off, n),
        # parameters_size far beyond the file
        "huge params": _with_debug_off(data + b"\x01\xff\xff\x03", m.code_off, n),
    }
    for what, bad in cases.items():
        broken = DexFile.parse(bad, "c", Diagnostics())
        assert decode_debug_info(broken, broken.method_def(m.record)) is None, what
        assert line_at(broken, broken.method_def(m.record), 0) is None, what


@settings(
    max_examples=150,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(min_size=0, max_size=64), st.integers(min_value=0, max_value=40))
def test_fuzz_debug_info_bytes(fixture_apk, tmp_path_factory, junk: bytes, cut: int) -> None:
    """Random debug streams (appended or overwriting a real one): a table or None, fast."""
    path = _fixture_dex(fixture_apk, tmp_path_factory.mktemp("fz"))
    data = path.read_bytes()
    dex = DexFile.parse(data, "c", Diagnostics())
    m = _method_with_debug(dex, "cipherInCatch")
    off = _debug_off(data, m.code_off)
    overwritten = bytearray(data)
    overwritten[off + cut : off + cut + len(junk)] = junk
    for bad in (
        bytes(overwritten[: len(data)]),
        _with_debug_off(data + junk, m.code_off, len(data)),
    ):
        d = DexFile.parse(bad, "c", Diagnostics())
        t0 = time.perf_counter()
        table = decode_debug_info(d, d.method_def(m.record))
        assert time.perf_counter() - t0 < 5.0  # hang guard, not a speed target
        assert table is None or len(table.addresses) == len(table.lines)
