"""resources.arsc reader: corpus tables against `aapt dump resources`, aapt-built fixtures
for references and cycles, crafted malformed tables, and a bounded fuzz run."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import CORPUS

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.arsc import ResourceTable, parse_arsc
from mobsec.ingest.axml import parse_axml

FRAMEWORK = Path("/usr/share/android-framework-res/framework-res.apk")
needs_aapt = pytest.mark.skipif(
    shutil.which("aapt") is None or not FRAMEWORK.is_file(),
    reason="aapt and android-framework-res are needed (apt-get install aapt android-framework-res)",
)


def _table(data: bytes) -> tuple[ResourceTable | None, Diagnostics]:
    d = Diagnostics()
    return parse_arsc(data, "resources.arsc", d), d


def _read(apk: Path) -> bytes:
    with zipfile.ZipFile(apk) as z:
        return z.read("resources.arsc")


def _build(tmp_path: Path, values_xml: str, manifest_extra: str = "") -> bytes:
    """An APK from aapt (no JVM, ~30 ms); returns its resources.arsc."""
    (tmp_path / "res" / "values").mkdir(parents=True)
    (tmp_path / "res" / "xml").mkdir()
    (tmp_path / "res" / "values-de").mkdir()
    (tmp_path / "res" / "values" / "v.xml").write_text(values_xml)
    (tmp_path / "res" / "values-de" / "v.xml").write_text(
        '<resources><string name="app_name">Beispiel</string></resources>'
    )
    (tmp_path / "res" / "xml" / "nsc.xml").write_text("<network-security-config/>")
    (tmp_path / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" '
        f'package="com.ex.res"><application android:label="@string/app_name" {manifest_extra}/>'
        "</manifest>"
    )
    out = tmp_path / "out.apk"
    subprocess.run(
        [
            "aapt", "package", "-f", "-M", str(tmp_path / "AndroidManifest.xml"),
            "-S", str(tmp_path / "res"), "-I", str(FRAMEWORK), "-F", str(out),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return _read(out)


VALUES = """<resources>
  <string name="app_name">Example</string>
  <bool name="dbg_on">true</bool>
  <bool name="dbg_off">false</bool>
  <item name="dbg_alias" type="bool">@bool/dbg_on</item>
  <item name="cyc_a" type="bool">@bool/cyc_b</item>
  <item name="cyc_b" type="bool">@bool/cyc_a</item>
  <integer name="answer">42</integer>
  <style name="Base"><item name="android:windowNoTitle">true</item></style>
</resources>"""


@needs_aapt
def test_references_locales_cycles(tmp_path: Path) -> None:
    table, d = _table(_build(tmp_path, VALUES))
    assert table is not None and len(d) == 0
    app_name = table.find("string", "app_name")
    assert app_name is not None and app_name >> 24 == 0x7F
    assert table.name_of(app_name) == "@string/app_name"
    assert table.resolve(app_name).value() == "Example"
    assert dict((c, v.value()) for c, v in table.values(app_name)) == {
        "": "Example",
        "de": "Beispiel",
    }
    assert table.resolve(table.find("bool", "dbg_on")).value() is True
    assert table.resolve(table.find("bool", "dbg_off")).value() is False
    assert table.resolve(table.find("bool", "dbg_alias")).value() is True  # followed
    assert table.resolve(table.find("bool", "cyc_a")) is None  # cycle ends, no hang
    assert table.resolve(table.find("integer", "answer")).value() == 42
    nsc = table.find("xml", "nsc")
    assert table.resolve(nsc).value() == "res/xml/nsc.xml"
    style = table.resolve(table.find("style", "Base"))
    assert style is not None and style.bag is not None
    assert style.bag[0][0] == 0x01010056  # android:windowNoTitle
    assert table.find("string", "nope") is None
    assert table.resolve(0x7F7F7F7F) is None and table.name_of(0x7F7F7F7F) is None
    assert table.name_of(0x01010003) == "@android:attr/name"


_RES = re.compile(r"^\s+resource (0x[0-9a-f]{8}) [^:]+:(\w+)/([^:]+): (?:t=0x(\w\w)|<bag>)")


def _aapt_values(apk: Path) -> tuple[int, dict[int, str]]:
    """(number of resource values, default-config string values) per `aapt dump --values`."""
    out = subprocess.run(
        ["aapt", "dump", "--values", "resources", str(apk)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    count = 0
    strings: dict[int, str] = {}
    config = None
    for i, line in enumerate(out):
        if line.strip().startswith("config "):
            config = line.strip()
        m = _RES.match(line)
        if not m:
            continue
        count += 1
        if m.group(4) == "03" and config == "config (default):" and i + 1 < len(out):
            sm = re.match(r'^\s+\(string(?:8|16)\) "(.*)"$', out[i + 1])
            if sm:
                strings[int(m.group(1), 16)] = sm.group(1)
    return count, strings


def _unescape_aapt(s: str) -> str:
    return s.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


@needs_aapt
def test_corpus_tables_match_aapt(corpus_apks: Path) -> None:
    apks = sorted((corpus_apks / "vulnapps").glob("*.apk"))
    apks += sorted((corpus_apks / "realworld").glob("*.apk"))
    compared = 0
    for apk in apks:
        table, d = _table(_read(apk))
        assert table is not None and not [x for x in d if x.level == "error"], apk
        count, strings = _aapt_values(apk)
        assert table.entry_count() == count, apk
        # A sample of default-config strings (every 3rd), compared exactly.
        for res_id in sorted(strings)[::3]:
            want = strings[res_id]
            if "\\" in want or "\n" in want:
                want = _unescape_aapt(want)
                if "\\" in want:
                    continue  # aapt's escaping is ambiguous here
            got = table.resolve(res_id)
            assert got is not None and got.value() == want, (apk, hex(res_id))
            compared += 1
    assert compared > 1000, compared


def test_corpus_network_security_config_path(corpus_apks: Path) -> None:
    table, _ = _table(_read(corpus_apks / "vulnapps" / "AndroGoat.apk"))
    assert table is not None
    res_id = table.find("xml", "network_security_config")
    assert res_id is not None
    assert table.resolve(res_id).value() == "res/xml/network_security_config.xml"


# --------------------------------------------------------------------------------------------
# Crafted malformed tables.


def test_not_a_table() -> None:
    table, d = _table(b"\x03\x00\x08\x00" + b"\x00" * 40)
    assert table is None and "arsc.bad_magic" in d.codes()
    table, d = _table(b"\x02\x00")
    assert table is None and "arsc.truncated" in d.codes()


@needs_aapt
def test_wrong_sizes_and_truncation(tmp_path: Path) -> None:
    good = _build(tmp_path, VALUES)
    # Header claims more than the file.
    table, d = _table(good[:4] + struct.pack("<I", len(good) * 3) + good[8:])
    assert table is not None and "arsc.size_mismatch" in d.codes()
    # Cut in the middle of the package: what was read is kept, the cut is reported.
    cut = good[: len(good) * 2 // 3]
    table, d = _table(cut)
    assert table is not None
    assert {"arsc.size_mismatch", "arsc.bad_chunk"} <= d.codes()
    # A type chunk claiming 2**32-1 entries, and one whose entry offsets point far away.
    at = _first_type_chunk(good)
    huge = bytearray(good)
    huge[at + 12 : at + 16] = struct.pack("<I", 0xFFFFFFFF)
    table, d = _table(bytes(huge))
    assert table is not None and table.find("string", "app_name") is not None
    far = bytearray(good)
    (hsize,) = struct.unpack_from("<H", far, at + 2)
    far[at + hsize : at + hsize + 4] = struct.pack("<I", 0x7FFFFFF0)
    table, d = _table(bytes(far))
    assert table is not None and "arsc.bad_entries" in d.codes()


def _first_type_chunk(table: bytes) -> int:
    """Offset of the first RES_TABLE_TYPE_TYPE chunk, found by walking the real layout."""
    (_, hsize, _) = struct.unpack_from("<HHI", table, 0)
    pos = hsize
    while pos < len(table):
        ctype, chsize, size = struct.unpack_from("<HHI", table, pos)
        if ctype == 0x0200:  # package: descend into its children
            pos += chsize
            continue
        if ctype == 0x0201:
            return pos
        pos += size
    raise AssertionError("no type chunk")


def _fuzz_seed() -> list[bytes]:
    seeds = []
    apk = CORPUS / "apks" / "vulnapps" / "UnCrackable-Level1.apk"
    if apk.is_file():
        seeds.append(_read(apk))
    apk = CORPUS / "apks" / "androguard" / "APK__apksig__debuggable-resource.apk"
    if apk.is_file():
        seeds.append(_read(apk))
    return seeds


_SEEDS = _fuzz_seed()


@pytest.mark.skipif(not _SEEDS, reason=f"labelled corpus not present at {CORPUS}")
@settings(
    max_examples=300,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, 1),
    edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12),
    cut=st.one_of(st.none(), st.integers(0, 1 << 20)),
    word=st.tuples(st.integers(0, 1 << 20), st.sampled_from([0, 0xFFFFFFFF, 0x7FFFFFFF, 3])),
)
def test_fuzz_parse_arsc(
    seed: int, edits: list[tuple[int, int]], cut: int | None, word: tuple[int, int]
) -> None:
    data = bytearray(_SEEDS[seed % len(_SEEDS)])
    for pos, value in edits:
        data[pos % len(data)] = value
    at = (word[0] % max(1, len(data) - 4)) & ~3
    data[at : at + 4] = struct.pack("<I", word[1])
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    d = Diagnostics()
    table = parse_arsc(bytes(data), "resources.arsc", d)
    if table is None:
        assert len(d) > 0
        return
    for res_id in table.resource_ids()[:50]:
        table.name_of(res_id)
        table.values(res_id)
        v = table.resolve(res_id)
        if v is not None:
            v.value()
    table.find("string", "app_name")


@needs_aapt
def test_shared_library_package_id_zero(tmp_path: Path) -> None:
    """`aapt --shared-lib` gives package id 0x00 and dynamic references; they still resolve."""
    (tmp_path / "res" / "values").mkdir(parents=True)
    (tmp_path / "res" / "values" / "v.xml").write_text(
        '<resources><string name="app_name">Lib</string></resources>'
    )
    (tmp_path / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" '
        'package="com.ex.lib"><application android:label="@string/app_name"/></manifest>'
    )
    out = tmp_path / "lib.apk"
    subprocess.run(
        [
            "aapt", "package", "-f", "--shared-lib", "-M", str(tmp_path / "AndroidManifest.xml"),
            "-S", str(tmp_path / "res"), "-I", str(FRAMEWORK), "-F", str(out),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    table, d = _table(_read(out))
    assert table is not None and len(d) == 0
    res_id = table.find("string", "app_name")
    assert res_id is not None and res_id >> 24 == 0x00
    with zipfile.ZipFile(out) as z:
        root = parse_axml(z.read("AndroidManifest.xml"), "AndroidManifest.xml", Diagnostics())
    assert root is not None
    label = root.children[0].attr("label")
    assert label is not None and label.is_reference()
    assert label.value(table) == "Lib"
