"""Binary XML reader: corpus manifests against `aapt dump xmltree`, hand-crafted tricks.

The hand-crafted files come from a tiny encoder below that writes the chunk layout of
frameworks/base ResourceTypes.h byte by byte, so each trick (blanked attribute names,
bad string offsets, junk chunks...) can be produced exactly and nothing else changes.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.axml import (
    ANDROID_NS,
    TYPE_INT_BOOLEAN,
    TYPE_INT_DEC,
    TYPE_STRING,
    XmlElement,
    parse_axml,
    to_xml_text,
)

FRAMEWORK = Path("/usr/share/android-framework-res/framework-res.apk")
needs_aapt = pytest.mark.skipif(
    shutil.which("aapt") is None or not FRAMEWORK.is_file(),
    reason="aapt and android-framework-res are needed (apt-get install aapt android-framework-res)",
)

# --------------------------------------------------------------------------------------------
# A minimal AXML encoder for crafted inputs.


def _pool(strings: list[str], utf8: bool, offsets: list[int] | None = None) -> bytes:
    blobs = []
    for s in strings:
        if utf8:
            b = s.encode("utf-8")
            assert len(s) < 0x80 and len(b) < 0x80
            blobs.append(bytes([len(s), len(b)]) + b + b"\x00")
        else:
            blobs.append(struct.pack("<H", len(s)) + s.encode("utf-16-le") + b"\x00\x00")
    offs, pos = [], 0
    for b in blobs:
        offs.append(pos)
        pos += len(b)
    if offsets is not None:
        offs = offsets
    data = b"".join(blobs)
    data += b"\x00" * (-len(data) % 4)
    header_size = 28
    strings_start = header_size + 4 * len(strings)
    size = strings_start + len(data)
    flags = 0x100 if utf8 else 0
    head = struct.pack("<HHIIIIII", 1, header_size, size, len(strings), 0, flags, strings_start, 0)
    return head + b"".join(struct.pack("<I", o) for o in offs) + data


def _resmap(ids: list[int]) -> bytes:
    return struct.pack("<HHI", 0x180, 8, 8 + 4 * len(ids)) + b"".join(
        struct.pack("<I", i) for i in ids
    )


def _start(
    name: int, attrs: list[tuple[int, int, int, int, int]], line: int = 1, ns: int = 0xFFFFFFFF
) -> bytes:
    body = struct.pack("<IIHHHHHH", ns, name, 20, 20, len(attrs), 0, 0, 0)
    for a_ns, a_name, raw, vtype, data in attrs:
        body += struct.pack("<IIIHBBI", a_ns, a_name, raw, 8, 0, vtype, data)
    return struct.pack("<HHIII", 0x102, 16, 16 + len(body), line, 0xFFFFFFFF) + body


def _end(name: int, ns: int = 0xFFFFFFFF) -> bytes:
    return struct.pack("<HHIIIII", 0x103, 16, 24, 1, 0xFFFFFFFF, ns, name)


def _ns(prefix: int, uri: int, start: bool = True) -> bytes:
    return struct.pack("<HHIIIII", 0x100 if start else 0x101, 16, 24, 1, 0xFFFFFFFF, prefix, uri)


def _doc(*chunks: bytes, size: int | None = None) -> bytes:
    body = b"".join(chunks)
    return struct.pack("<HHI", 3, 8, size if size is not None else 8 + len(body)) + body


NO = 0xFFFFFFFF
# Strings: 0 "name", 1 "debuggable", 2 android, 3 ns uri, 4 manifest, 5 application,
#          6 package, 7 com.ex, 8 ".Main", 9 activity
STRINGS = [
    "name",
    "debuggable",
    "android",
    ANDROID_NS,
    "manifest",
    "application",
    "package",
    "com.ex",
    ".Main",
    "activity",
]


def _manifest(
    strings: list[str] = STRINGS,
    utf8: bool = False,
    resmap: list[int] | None = None,
    extra_between: bytes = b"",
    close: bool = True,
    offsets: list[int] | None = None,
) -> bytes:
    rm = _resmap(resmap if resmap is not None else [0x01010003, 0x0101000F])
    chunks = [
        _pool(strings, utf8, offsets),
        rm,
        _ns(2, 3),
        _start(4, [(NO, 6, 7, TYPE_STRING, 7)], line=1),
        _start(5, [(3, 1, NO, TYPE_INT_BOOLEAN, 0xFFFFFFFF)], line=2),
        extra_between,
        _start(9, [(3, 0, 8, TYPE_STRING, 8)], line=3),
    ]
    if close:
        chunks += [_end(9), _end(5), _end(4), _ns(2, 3, start=False)]
    return _doc(*chunks)


def _parse(data: bytes) -> tuple[XmlElement | None, Diagnostics]:
    d = Diagnostics()
    return parse_axml(data, "AndroidManifest.xml", d), d


@pytest.mark.parametrize("utf8", [False, True])
def test_crafted_manifest_utf8_and_utf16(utf8: bool) -> None:
    root, d = _parse(_manifest(utf8=utf8))
    assert root is not None and len(d) == 0, [str(x) for x in d]
    assert root.tag == "manifest"
    assert root.attr("package", "").value() == "com.ex"
    app = root.children[0]
    assert app.tag == "application" and app.line == 2
    assert app.attr("debuggable").value() is True
    assert app.children[0].attr("name").value() == ".Main"
    assert [e.tag for e in root.iter()] == ["manifest", "application", "activity"]


def test_blanked_attribute_names_resolved_by_resource_id() -> None:
    # Obfuscators blank or rename attribute-name strings; Android looks at the id only.
    strings = list(STRINGS)
    strings[0], strings[1] = "", "zzz"
    root, d = _parse(_manifest(strings=strings))
    assert root is not None
    app = root.children[0]
    assert app.attr("debuggable").value() is True
    assert app.children[0].attr("name").value() == ".Main"
    assert "axml.attr_name_mismatch" in d.codes()


def test_android_attribute_without_resource_id_is_ignored_like_android() -> None:
    # Without the resource map, android:debuggable is a name only: Android ignores it.
    root, d = _parse(_manifest(resmap=[]))
    assert root is not None
    app = root.children[0]
    assert app.attr("debuggable") is None
    assert any(a.name == "debuggable" for a in app.attrs)
    assert "axml.attr_without_resource_id" in d.codes()


def test_string_index_out_of_range_and_bad_offsets() -> None:
    # Offsets pointing past the pool: those strings read as None, parsing goes on.
    bad = [0, 12, 99999, 40, 0x7FFFFFF0, 80, 90, 100, 110, 120]
    root, d = _parse(_manifest(offsets=bad))
    assert root is not None
    assert "axml.bad_string_ref" in d.codes()
    # An out-of-range index in an attribute value.
    data = _doc(
        _pool(STRINGS, False),
        _resmap([0x01010003]),
        _start(4, [(NO, 6, 5000, TYPE_STRING, 5000)]),
        _end(4),
    )
    root, d = _parse(data)
    assert root is not None and root.attrs[0].raw is None
    assert "axml.bad_string_ref" in d.codes()


def test_overlong_string_length() -> None:
    pool = bytearray(_pool(STRINGS, False))
    # First string's UTF-16 length field (just after header + offsets) claims 0x7fff chars.
    first = 28 + 4 * len(STRINGS)
    pool[first : first + 2] = struct.pack("<H", 0x7FFF)
    data = _doc(bytes(pool), _start(4, [(NO, 0, NO, TYPE_INT_DEC, 1)]), _end(4))
    root, d = _parse(data)
    assert root is not None and root.tag == "manifest"
    assert "axml.bad_string_ref" in d.codes()
    pool8 = bytearray(_pool(STRINGS, True))
    pool8[first + 1] = 0xFF  # UTF-8 byte length (two-byte form) beyond the pool
    root, d = _parse(_doc(bytes(pool8), _start(4, [(NO, 0, NO, TYPE_INT_DEC, 1)]), _end(4)))
    assert root is not None
    assert "axml.bad_string_ref" in d.codes()


def test_raw_text_differs_from_typed_value() -> None:
    # Raw says ".Decoy", the typed value (what Android reads) says ".Main".
    strings = [*STRINGS, ".Decoy"]
    data = _doc(
        _pool(strings, False),
        _resmap([0x01010003]),
        _start(9, [(3, 0, len(strings) - 1, TYPE_STRING, 8)]),
        _end(9),
    )
    root, d = _parse(data)
    assert root is not None and root.attr("name").value() == ".Main"
    assert "axml.raw_value_mismatch" in d.codes()


def test_junk_chunks_between_elements_are_skipped() -> None:
    junk = struct.pack("<HHI", 0x7777, 8, 16) + b"\xde\xad\xbe\xef" * 2
    root, d = _parse(_manifest(extra_between=junk))
    assert root is not None
    assert [e.tag for e in root.iter()] == ["manifest", "application", "activity"]
    assert "axml.unknown_chunk" in d.codes()


def test_unclosed_tags_keep_the_tree() -> None:
    root, d = _parse(_manifest(close=False))
    assert root is not None
    assert [e.tag for e in root.iter()] == ["manifest", "application", "activity"]
    assert "axml.unbalanced_tags" in d.codes()


def test_wrong_sizes() -> None:
    good = _manifest()
    # Header claims more than the file: read what is there.
    root, d = _parse(good[:4] + struct.pack("<I", len(good) + 1000) + good[8:])
    assert root is not None and "axml.size_mismatch" in d.codes()
    # A chunk that runs past the end stops reading but keeps what came before.
    cut = good[:-30]
    root, d = _parse(cut[:4] + struct.pack("<I", len(cut)) + cut[8:])
    assert root is not None and "axml.bad_chunk" in d.codes()
    # Truncated inside the string pool: nothing usable.
    root, d = _parse(good[:40])
    assert root is None and d.codes()


def test_not_xml_and_text_xml() -> None:
    root, d = _parse(b"PK\x03\x04" + b"\x00" * 100)
    assert root is None and "axml.bad_magic" in d.codes()
    root, d = _parse(b"\x03\x00")
    assert root is None and "axml.truncated" in d.codes()
    text = (
        b'<?xml version="1.0"?><manifest xmlns:android="' + ANDROID_NS.encode() + b'" '
        b'package="com.t"><application android:debuggable="true">'
        b'<activity android:name=".A"/></application></manifest>'
    )
    root, d = _parse(text)
    assert root is not None and "axml.plain_text_xml" in d.codes()
    assert root.children[0].attr("debuggable").value() is True
    assert root.children[0].children[0].attr("name").value() == ".A"
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><manifest>&a;</manifest>'
    root, d = _parse(bomb)
    assert root is None and "axml.text_xml_dtd" in d.codes()


def test_deep_nesting_is_bounded() -> None:
    chunks = [_pool(STRINGS, False)] + [_start(4, []) for _ in range(5000)]
    root, d = _parse(_doc(*chunks))
    assert root is not None
    assert "axml.too_many_elements" in d.codes()


# --------------------------------------------------------------------------------------------
# Real files against aapt.

_E = re.compile(r"^(\s*)E: (?:[\w-]+:)?(\S+) \(line=(\d+)\)")
_A = re.compile(r"^\s*A: (?:([\w-]+):)?([\w-]*)(?:\((0x[0-9a-f]+)\))?=(.*)$")


def _aapt_tree(apk: Path) -> list[tuple[int, str, int, list[tuple[str, str]]]]:
    out = subprocess.run(
        ["aapt", "dump", "xmltree", str(apk), "AndroidManifest.xml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elements: list[tuple[int, str, int, list[tuple[str, str]]]] = []
    for line in out.splitlines():
        if m := _E.match(line):
            elements.append((len(m.group(1)), m.group(2), int(m.group(3)), []))
        elif (m := _A.match(line)) and elements:
            elements[-1][3].append((m.group(2), m.group(4)))
    return elements


def _aapt_value_text(v: str) -> str | None:
    if m := re.match(r'^"(.*)" \(Raw: ', v):
        return m.group(1)
    if m := re.match(r"^\(type 0x1[0-1]\)0x([0-9a-f]+)$", v):
        return str(int(m.group(1), 16))
    return None


def _corpus_manifest_apks(corpus_apks: Path) -> list[Path]:
    apks = sorted((corpus_apks / "vulnapps").glob("*.apk"))
    apks += sorted((corpus_apks / "realworld").glob("*.apk"))
    apks += sorted((corpus_apks / "droidbench").glob("*.apk"))[::10]
    apks.append(corpus_apks / "androguard" / "APK__AndroidManifest_ShortName.apk")
    return apks


@needs_aapt
def test_corpus_manifests_match_aapt_xmltree(corpus_apks: Path) -> None:
    checked = values = 0
    for apk in _corpus_manifest_apks(corpus_apks):
        with zipfile.ZipFile(apk) as z:
            data = z.read("AndroidManifest.xml")
        root, d = _parse(data)
        assert root is not None, apk
        assert not [x for x in d if x.level == "error"], apk
        expected = _aapt_tree(apk)
        ours = list(root.iter())
        assert [(e.tag, e.line) for e in ours] == [(t, ln) for _, t, ln, _ in expected], apk
        for el, (_, _, _, attrs) in zip(ours, expected, strict=True):
            assert [a.name for a in el.attrs] == [n for n, _ in attrs], (apk, el.tag)
            for a, (_, text) in zip(el.attrs, attrs, strict=True):
                want = _aapt_value_text(text)
                if want is None:
                    continue
                if a.value_type == TYPE_STRING:
                    assert a.value() == want, (apk, el.tag, a.name)
                    values += 1
                elif a.value_type in (TYPE_INT_DEC, 0x11):
                    assert str(a.data) == want, (apk, el.tag, a.name)
                    values += 1
        checked += 1
    assert checked >= 30 and values > 800, (checked, values)


def test_shortname_manifest(corpus_apks: Path) -> None:
    apk = corpus_apks / "androguard" / "APK__AndroidManifest_ShortName.apk"
    with zipfile.ZipFile(apk) as z:
        root, d = _parse(z.read("AndroidManifest.xml"))
    assert root is not None and len(d) == 0
    assert root.attr("package", "").value() == "com.android.galaxy4"
    names = [e.attr("name").value() for e in root.iter("service")]
    assert names == [".Galaxy4Wallpaper"]


def test_to_xml_text_excerpt(corpus_apks: Path) -> None:
    with zipfile.ZipFile(corpus_apks / "vulnapps" / "diva-beta.apk") as z:
        root, _ = _parse(z.read("AndroidManifest.xml"))
    assert root is not None
    text = to_xml_text(root, max_depth=2, max_chars=4000)
    assert text.startswith("<manifest") and "xmlns:android=" in text.split(">", 1)[0]
    assert 'package="jakhar.aseem.diva"' in text
    assert len(text) <= 4000 + 20
    provider = next(root.iter("provider"))
    snippet = to_xml_text(provider)
    assert "android:authorities=" in snippet and "android:exported" in snippet
    # a long start tag puts one attribute on each line, so each is seen
    assert any(line.strip().startswith("android:exported=") for line in snippet.splitlines())


# --------------------------------------------------------------------------------------------
# Fuzz: mutated real inputs give a tree or diagnostics, never another exception.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.conftest import CORPUS  # noqa: E402


def _fuzz_seeds() -> list[bytes]:
    seeds = [_manifest(), _manifest(utf8=True)]
    apk = CORPUS / "apks" / "vulnapps" / "diva-beta.apk"
    if apk.is_file():
        with zipfile.ZipFile(apk) as z:
            seeds.append(z.read("AndroidManifest.xml"))
    return seeds


_SEEDS = _fuzz_seeds()


@settings(
    max_examples=300,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, len(_SEEDS) - 1),
    edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12),
    cut=st.one_of(st.none(), st.integers(0, 1 << 20)),
    word=st.tuples(st.integers(0, 1 << 20), st.sampled_from([0, 0xFFFFFFFF, 0x7FFFFFFF, 8])),
)
def test_fuzz_parse_axml(
    seed: int, edits: list[tuple[int, int]], cut: int | None, word: tuple[int, int]
) -> None:
    data = bytearray(_SEEDS[seed])
    for pos, value in edits:
        data[pos % len(data)] = value
    at = (word[0] % max(1, len(data) - 4)) & ~3
    data[at : at + 4] = struct.pack("<I", word[1])
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    d = Diagnostics()
    root = parse_axml(bytes(data), "AndroidManifest.xml", d)
    if root is not None:
        to_xml_text(root)
        for el in root.iter():
            for a in el.attrs:
                a.value()
    else:
        assert len(d) > 0
