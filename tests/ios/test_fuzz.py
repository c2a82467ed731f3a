"""Hostile input for the iOS readers: mutated real plists, Mach-O files and profiles.

Each reader must return a result (possibly with diagnostics) or raise FormatError, never
another exception, and never hang. Mutations start from real corpus bytes so they reach
deep into the formats instead of failing at the magic number.
"""

from __future__ import annotations

import contextlib
import io
import plistlib
import zipfile
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.facts.ios import IosFacts
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import read_ipa
from mobsec.ingest.ios.macho import read_macho
from mobsec.ingest.ios.plist import parse_plist, to_json
from mobsec.ingest.ios.profile import read_profile
from mobsec.options import ScanOptions
from tests.conftest import CORPUS

FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
IPA = CORPUS / "formats" / "ipa"


@cache
def _member(ipa: str, suffix: str) -> bytes:
    path = IPA / ipa
    if not path.is_file():
        return b""
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith(suffix) and n.count("/") == 2:
                return z.read(n)
    return b""


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(data)
    for pos, value in edits:
        if buf:
            buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut is not None else buf)


EDITS = st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), max_size=24)
CUT = st.one_of(st.none(), st.integers(0, 2**20))


@FUZZ
@given(
    which=st.sampled_from(["appinfo_iphone.ipa", "mastg_UnCrackable-Level1.ipa"]),
    edits=EDITS,
    cut=CUT,
)
def test_plist_reader_survives_mutations(which, edits, cut):
    data = _mutate(_member(which, "/Info.plist"), edits, cut)  # binary / XML
    try:
        value = parse_plist(data)
    except FormatError:
        return
    to_json(value)


@FUZZ
@given(raw=st.binary(max_size=512))
def test_plist_reader_survives_random_binary_plists(raw):
    with contextlib.suppress(FormatError):
        to_json(parse_plist(b"bplist00" + raw))


# Header and load commands sit in the first few KiB: mutate there most of the time.
HEADER_EDITS = st.lists(st.tuples(st.integers(0, 8192), st.integers(0, 255)), max_size=16)


@FUZZ
@given(
    which=st.sampled_from(["mastg_UnCrackable-Level1.ipa", "fastlane_very-capable-app.ipa"]),
    edits=HEADER_EDITS,
    cut=CUT,
)
def test_macho_reader_survives_mutations(which, edits, cut):
    exe = {"mastg_UnCrackable-Level1.ipa": "/UnCrackable Level 1"}.get(which, "/very-capable-app")
    data = _mutate(_member(which, exe), edits, cut)
    diags = Diagnostics()
    binary = read_macho(data, "exe", diags)
    if binary is None:
        assert diags.codes()
    else:
        binary.to_json()


@FUZZ
@given(edits=EDITS, cut=CUT)
def test_profile_reader_survives_mutations(edits, cut):
    data = _mutate(_member("appinfo_iphone.ipa", "/embedded.mobileprovision"), edits, cut)
    with contextlib.suppress(FormatError):
        read_profile(data, "p").to_json()


NAMES = st.sampled_from(
    [
        "Payload/A.app/Info.plist",
        "Payload/A.app/A",
        "Payload/A.app/embedded.mobileprovision",
        "Payload/A.app/archived-expanded-entitlements.xcent",
        "Payload/A.app/PlugIns/E.appex/Info.plist",
        "Payload/A.app/PlugIns/E.appex/E",
        "Payload/A.app/Frameworks/F.framework/Info.plist",
        "Payload/A.app/Frameworks/libx.dylib",
        "Payload/A.app/Watch/W.app/Info.plist",
        "Payload/A.app/Base.lproj/Main.storyboardc/x.nib",
        "Payload/A.app/config.json",
        "top/Payload/B.app/Info.plist",
        "__MACOSX/Payload/A.app/._Info.plist",
        "inner.ipa",
    ]
)


@cache
def _parts() -> list[bytes]:
    exe = _member("mastg_UnCrackable-Level1.ipa", "/UnCrackable Level 1")
    return [
        b"",
        _member("appinfo_iphone.ipa", "/Info.plist"),
        plistlib.dumps({"CFBundleExecutable": "A", "CFBundleIdentifier": "x.y"}),
        plistlib.dumps({"CFBundleExecutable": "E", "NSAppTransportSecurity": {"x": 1}}),
        exe[:4096],
        exe,
        _member("appinfo_iphone.ipa", "/embedded.mobileprovision"),
        b"UITextField\x00 NIBArchive",
        b'{"k": "AKIAIOSFODNN7EXAMPLQ"}',
    ]


@pytest.mark.filterwarnings("ignore:Duplicate name")  # duplicates are part of the input
@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(
        st.tuples(NAMES, st.integers(0, 8), st.lists(st.tuples(st.integers(0, 4096),
                                                                st.integers(0, 255)), max_size=4)),
        max_size=10,
    )
)  # fmt: skip
def test_ipa_reader_facts_and_checks_survive_random_layouts(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, part, edits in entries:
            data = _mutate(_parts()[part], edits, None)
            if name == "inner.ipa":
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w") as iz:
                    iz.writestr("Payload/I.app/Info.plist", data)
                data = inner.getvalue()
            z.writestr(name, data)
    diags = Diagnostics()
    archive = Archive.open(buf.getvalue(), diags, display_name="fuzz.ipa")
    facts = IosFacts(read_ipa(archive, diags), diags, ScanOptions())
    facts.ios_section()
    run_checks(facts, diags, {}, platform="ios")
    assert not [d for d in diags if d.code.startswith("internal")], [str(d) for d in diags]
