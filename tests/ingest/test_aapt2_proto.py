"""aapt2 proto XML and resources.pb: real AAB modules against aapt2, and hostile messages."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.aapt2_proto import parse_proto_xml, parse_resources_pb
from mobsec.ingest.archive import Archive
from mobsec.ingest.axml import parse_axml
from mobsec.ingest.bundle import read_aab, read_split_set
from mobsec.limits import Limits
from mobsec.phases import PhaseRunner

AAB = "formats/aab/bundletool_watch-face-from-tool.aab"
FUZZ = settings(
    max_examples=120,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def module_files(corpus_dir: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(corpus_dir / AAB) as z:
        return {n: z.read(n) for n in ("base/manifest/AndroidManifest.xml", "base/resources.pb")}


@pytest.mark.corpus
def test_manifest_tree_agrees_with_aapt2_xmltree(
    module_files: dict[str, bytes], tmp_path: Path, android_tool: Callable[..., str]
) -> None:
    data = module_files["base/manifest/AndroidManifest.xml"]
    apk = tmp_path / "proto.apk"
    with zipfile.ZipFile(apk, "w") as z:
        z.writestr("AndroidManifest.xml", data)
        z.writestr("resources.pb", module_files["base/resources.pb"])
    dump = android_tool("aapt2", "dump", "xmltree", "--file", "AndroidManifest.xml", str(apk))
    theirs = re.findall(r"^\s*E: (\S+) \(line=(\d+)\)", dump, re.M)
    diags = Diagnostics()
    root = parse_axml(data, "AndroidManifest.xml", diags)  # dispatches on the proto form
    assert root is not None and not list(diags)
    ours = [(el.tag, str(el.line)) for el in root.iter()]
    assert ours == theirs
    attrs = re.findall(r"^\s*A: (?:\S+:)?(\w+)(?:\(0x[0-9a-f]+\))?=", dump, re.M)
    assert sum(len(el.attrs) for el in root.iter()) == len(attrs)


@pytest.mark.corpus
def test_resource_table_agrees_with_aapt2(
    module_files: dict[str, bytes], tmp_path: Path, android_tool: Callable[..., str]
) -> None:
    apk = tmp_path / "proto.apk"
    with zipfile.ZipFile(apk, "w") as z:
        z.writestr("AndroidManifest.xml", module_files["base/manifest/AndroidManifest.xml"])
        z.writestr("resources.pb", module_files["base/resources.pb"])
    dump = android_tool("aapt2", "dump", "resources", str(apk))
    theirs = {int(i, 16): n for i, n in re.findall(r"resource 0x([0-9a-f]{8}) (\S+)", dump)}
    diags = Diagnostics()
    table = parse_resources_pb(module_files["base/resources.pb"], "resources.pb", diags)
    assert table is not None and not list(diags)
    assert {i: (table.name_of(i) or "").lstrip("@") for i in table.resource_ids()} == theirs
    label = table.find("string", "app_name")
    assert label is not None and table.resolve(label).value() == "TestInstall"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


@pytest.mark.parametrize(
    "data",
    [
        b"\x0a" + _varint(2**32 - 1) + b"\x1a\x08manifest",  # element longer than the file
        b"\x0a" + _varint(2**63) + b"x",  # a length that is no 64-bit number at all
        b"\x0a\x05\x1a\x03ab",  # the name's length runs past its element
    ],
)
def test_proto_xml_with_lying_lengths_is_an_error(data: bytes) -> None:
    diags = Diagnostics()
    assert parse_proto_xml(data, "AndroidManifest.xml", diags) is None
    assert diags.codes() == {"protoxml.invalid"}


def test_deeply_nested_proto_xml_stops_at_the_depth_limit() -> None:
    node = b"\x0a\x03\x1a\x01a"  # XmlNode{element{name "a"}}
    for _ in range(5000):  # XmlNode{element{child: node}}
        element = b"\x2a" + _varint(len(node)) + node
        node = b"\x0a" + _varint(len(element)) + element
    diags = Diagnostics()
    root = parse_proto_xml(node, "deep.xml", diags, Limits(max_xml_depth=40))
    assert root is not None and len(list(root.iter())) == 40
    assert diags.codes() == {"protoxml.too_many_elements"}


def _wide(children: int = 0, attrs: int = 0, child_attrs: int = 0) -> bytes:
    """XmlNode{element{name "manifest", attrs × attribute{}, children × child{element{}}}};
    each child element with ``child_attrs`` empty attributes."""
    child_el = b"\x22\x00" * child_attrs
    child = b"\x0a" + _varint(len(child_el)) + child_el
    body = b"\x1a\x08manifest" + b"\x22\x00" * attrs
    body += (b"\x2a" + _varint(len(child)) + child) * children
    return b"\x0a" + _varint(len(body)) + body


def test_proto_xml_element_limit_applies_before_decoding() -> None:
    diags = Diagnostics()
    root = parse_proto_xml(_wide(children=5000), "m.xml", diags, Limits(max_xml_elements=100))
    assert root is not None and len(list(root.iter())) == 100
    assert diags.codes() == {"protoxml.too_many_elements"}


def test_proto_xml_attribute_limits_per_element_and_in_all() -> None:
    diags = Diagnostics()
    root = parse_proto_xml(_wide(attrs=5000, children=3), "m.xml", diags)
    assert root is not None and len(root.attrs) == 1000  # max_xml_attrs_per_element
    assert diags.codes() == {"protoxml.too_many_attributes"}
    diags = Diagnostics()
    data = _wide(children=10, child_attrs=10)
    root = parse_proto_xml(data, "m.xml", diags, Limits(max_xml_attrs_total=45))
    assert root is not None and len(root.children) == 10  # elements kept, attributes not
    assert sum(len(el.attrs) for el in root.iter()) == 45
    assert diags.codes() == {"protoxml.too_many_attributes"}
    diags = Diagnostics()
    assert parse_proto_xml(data, "m.xml", diags) is not None and not list(diags)


_MEASURE = """
import sys, time
from mobsec.diagnostics import Diagnostics
from mobsec.ingest.aapt2_proto import parse_proto_xml
data = open(sys.argv[1], "rb").read()
def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # the peak so far was the imports': reset it
base = vm("VmRSS:")
t = time.perf_counter()
d = Diagnostics()
parse_proto_xml(data, "AndroidManifest.xml", d)
grown = vm("VmHWM:") - base
print(time.perf_counter() - t, grown // 1024,
      ",".join(sorted(d.codes())))
"""


@pytest.mark.parametrize(
    ("shape", "code"),
    [({"children": 4_000_000}, "protoxml.too_many_elements"),
     ({"attrs": 8_000_000}, "protoxml.too_many_attributes")],
)  # fmt: skip
def test_huge_proto_xml_is_bounded_in_memory_and_time(
    tmp_path: Path, shape: dict[str, int], code: str
) -> None:
    """16 MB of proto XML: decoding it whole held ~0.6 GB (children) or ~1.4 GB and a minute
    (attributes); read element by element it stays near the size of the data."""
    import subprocess
    import sys

    path = tmp_path / "m.pb"
    path.write_bytes(_wide(**shape))
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    seconds, peak_mb, codes = out.stdout.split()
    assert codes == code
    # The growth while parsing, not the process's peak: the imports alone come near 200 MB.
    assert int(peak_mb) < 200 and float(seconds) < 20, out.stdout


def test_resources_pb_with_huge_length_is_an_error() -> None:
    diags = Diagnostics()
    data = b"\x12" + _varint(2**31) + b"\x12\x03com"  # ResourceTable.package, lying length
    assert parse_resources_pb(data, "base/resources.pb", diags) is None
    assert diags.codes() == {"resources_pb.invalid"}


@pytest.mark.corpus
@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=10),
    cut=st.integers(0, 1 << 16),
)
def test_fuzzed_proto_messages_never_raise(
    module_files: dict[str, bytes], edits: list[tuple[int, int]], cut: int
) -> None:
    for name, parse in (
        ("base/manifest/AndroidManifest.xml", parse_proto_xml),
        ("base/resources.pb", parse_resources_pb),
    ):
        data = bytearray(module_files[name])
        for pos, value in edits:
            data[pos % len(data)] = value
        diags = Diagnostics()
        parse(bytes(data[: max(1, cut % (len(data) + 1))]), name, diags)
        assert all(d.en and d.zh for d in diags)


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@FUZZ
@given(
    parts=st.dictionaries(
        st.sampled_from(["base.apk", "config.en.apk", "splits/base-master.apk", "x/y.apk"]),
        st.one_of(
            st.binary(max_size=64),
            st.builds(
                _zip,
                st.dictionaries(
                    st.sampled_from(["AndroidManifest.xml", "classes.dex", "lib/x86/a.so"]),
                    st.binary(max_size=64),
                    max_size=3,
                ),
            ),
        ),
        max_size=4,
    ),
    fmt=st.sampled_from(["apks", "xapk", "apkm"]),
)
def test_fuzzed_split_sets_never_raise(parts: dict[str, bytes], fmt: str) -> None:
    diags = Diagnostics()
    with Archive.open(_zip({"toc.pb": b"", **parts}), diags) as archive:
        bundle = read_split_set(archive, fmt, diags, PhaseRunner(diags, None), Limits(), 1)
        if bundle is not None:
            bundle.close()
    assert "internal.error" not in diags.codes()


@FUZZ
@given(
    files=st.dictionaries(
        st.sampled_from(
            [
                "base/manifest/AndroidManifest.xml",
                "base/resources.pb",
                "base/dex/classes.dex",
                "feature/manifest/AndroidManifest.xml",
                "feature/dex/classes.dex",
                "base/lib/arm64-v8a/libx.so",
                "META-INF/MANIFEST.MF",
                "META-INF/KEY0.SF",
                "META-INF/KEY0.RSA",
            ]
        ),
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from([b"Manifest-Version: 1.0\r\n\r\nName: base/dex/classes.dex\r\n"]),
        ),
        max_size=8,
    )
)
def test_fuzzed_bundles_never_raise(files: dict[str, bytes]) -> None:
    diags = Diagnostics()
    with Archive.open(_zip({"BundleConfig.pb": b"", **files}), diags) as archive:
        read_aab(archive, diags, PhaseRunner(diags, None), Limits(), 1)
    assert "internal.error" not in diags.codes()


@pytest.mark.corpus
def test_split_sets_are_held_in_memory_within_a_budget(corpus_dir: Path) -> None:
    """The parts of a set stay in memory for the scan: past the budget they are named."""
    path = corpus_dir / "formats/apks/mlevytskiy-Core_app.apks"
    diags = Diagnostics()
    limits = Limits(max_split_set_bytes=1_300_000)  # base-master (1.25 MB) fits, not all three
    with Archive.open(path, diags) as archive:
        bundle = read_split_set(archive, "apks", diags, PhaseRunner(diags, None), limits, 1)
        assert bundle is not None
        names = [p.name for p in bundle.parts]
        bundle.close()
    assert "splits/base-master.apk" in names and len(names) < 3
    refused = [d for d in diags if d.code == "bundle.set_too_large"]
    assert refused and all(d.en and d.zh for d in refused)
