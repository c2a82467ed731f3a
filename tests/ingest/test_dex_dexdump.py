"""The DEX reader against Debian's dexdump on real DEX files from the corpus.

dexdump is AOSP's own reader, so it is the reference for header fields, class and method
counts, per-method instruction counts (payload pseudo-instructions included) and the
mnemonic of every instruction.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.dex import DexFile, DexSet

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(shutil.which("dexdump") is None, reason="dexdump not installed"),
]

APPIUM = "realworld/appium-uiautomator2-server-v10.6.6.apk"
SAMPLES = [
    ("droidbench/Aliasing__Merge1.apk", "classes.dex"),
    ("droidbench/AndroidSpecific__Obfuscation1.apk", "classes.dex"),
    ("vulnapps/InsecureBankv2.apk", "classes.dex"),
    ("vulnapps/diva-beta.apk", "classes.dex"),
    ("vulnapps/UnCrackable-Level3.apk", "classes.dex"),
    (APPIUM, "classes16.dex"),
    (APPIUM, "classes6.dex"),
]

_METHOD = re.compile(r"^[0-9a-f]{6}:\s+\|\[[0-9a-f]{6}\] (.*)$")
_INSN = re.compile(r"^[0-9a-f]{6}: [^|]*\|[0-9a-f]{4}: ([\w\-/]+)")
_HEADER = re.compile(r"^(\w+)\s+: (\S+)")


def dexdump(*args: str) -> str:
    out = subprocess.run(["dexdump", *args], capture_output=True, check=True)
    return out.stdout.decode("utf-8", "replace")


def dexdump_methods(path: Path) -> dict[str, list[str]]:
    """dexdump -d: method key ("pkg.Cls.name:(proto)ret") -> mnemonics."""
    methods: dict[str, list[str]] = {}
    current: list[str] = []
    for line in dexdump("-d", str(path)).splitlines():
        m = _INSN.match(line)
        if m:
            current.append(m.group(1))
            continue
        m = _METHOD.match(line)
        if m:
            current = methods.setdefault(m.group(1), [])
    return methods


def dexdump_counts(path: Path) -> tuple[dict[str, str], int, int]:
    """dexdump -f: header fields, number of classes, number of methods."""
    text = dexdump("-f", str(path))
    header: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        m = _HEADER.match(line)
        if m:
            header[m.group(1)] = m.group(2)
    classes = len(re.findall(r"^Class #\d+", text, re.M))
    methods = len(re.findall(r"^\s+type\s+: '\(", text, re.M))
    return header, classes, methods


def method_key(dex: DexFile, method_idx: int) -> str:
    ref = dex.method_ref(method_idx)
    return f"{ref.class_desc[1:-1].replace('/', '.')}.{ref.name}:{ref.proto}"


def extract(corpus_apks: Path, apk: str, entry: str, tmp_path: Path) -> Path:
    with zipfile.ZipFile(corpus_apks / apk) as z:
        out = tmp_path / f"{Path(apk).stem}-{entry}"
        out.write_bytes(z.read(entry))
    return out


def check_header_and_counts(path: Path) -> DexFile:
    diags = Diagnostics()
    dex = DexFile.parse(path.read_bytes(), path.name, diags)
    header, n_classes, n_methods = dexdump_counts(path)
    h = dex.header
    assert int(header["checksum"], 16) == h.checksum
    assert int(header["string_ids_size"]) == h.string_ids_size
    assert int(header["type_ids_size"]) == h.type_ids_size
    assert int(header["method_ids_size"]) == h.method_ids_size
    assert int(header["field_ids_size"]) == h.field_ids_size
    assert int(header["class_defs_size"]) == h.class_defs_size
    assert int(header["file_size"]) == h.file_size
    assert len(dex.classes) == n_classes
    assert dex.method_count == n_methods
    # dexdump verified the adler32 checksum; the SHA-1 is checked here independently
    # (UnCrackable-Level3's classes.dex really carries a stale one)
    data = path.read_bytes()
    expected = set() if hashlib.sha1(data[32:]).digest() == data[12:32] else {"dex.bad_signature"}
    assert {d.code for d in diags if d.level != "info"} == expected, [str(d) for d in diags]
    return dex


@pytest.mark.parametrize(("apk", "entry"), SAMPLES)
def test_instructions_match_dexdump(corpus_apks: Path, tmp_path: Path, apk: str, entry: str):
    path = extract(corpus_apks, apk, entry, tmp_path)
    dex = check_header_and_counts(path)
    theirs = dexdump_methods(path)
    compared = 0
    total = 0
    for method in dex.iter_methods():
        if not method.code_off:
            continue
        key = method_key(dex, method.method_idx)
        mine = [i.mnemonic for i in dex.iter_instructions(method)]
        assert mine == theirs[key], key
        assert dex.instruction_count(method) == len(theirs[key]), key
        total += len(mine)
        compared += 1
    assert compared == len(theirs)
    assert dex.instruction_count() == total == sum(len(v) for v in theirs.values())


@pytest.mark.slow
def test_all_appium_dex_counts_match_dexdump(corpus_apks: Path, tmp_path: Path):
    with zipfile.ZipFile(corpus_apks / APPIUM) as z:
        entries = [(n, z.read(n)) for n in z.namelist() if n.endswith(".dex")]
    assert len(entries) == 16
    diags = Diagnostics()
    dexset = DexSet.parse(entries, diags)
    assert [d.name for d in dexset.dexes] == [
        "classes.dex",
        *(f"classes{i}.dex" for i in range(2, 17)),
    ]
    by_name = {d.name: d for d in dexset.dexes}
    total_classes = total_methods = 0
    for name, data in entries:
        path = tmp_path / name
        path.write_bytes(data)
        dex = by_name[name]
        header, n_classes, n_methods = dexdump_counts(path)
        assert int(header["checksum"], 16) == dex.header.checksum
        assert int(header["method_ids_size"]) == dex.header.method_ids_size
        assert len(dex.classes) == n_classes, name
        assert dex.method_count == n_methods, name
        total_classes += n_classes
        total_methods += n_methods
    assert dexset.class_count == total_classes
    assert dexset.method_count == total_methods
    assert not [d for d in diags if d.level == "error"]
