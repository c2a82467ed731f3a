"""Hostile input for the iOS readers: mutated real plists, Mach-O files and profiles.

Each reader must return a result (possibly with diagnostics) or raise FormatError, never
another exception, and never hang. Mutations start from real corpus bytes so they reach
deep into the formats instead of failing at the magic number.
"""

from __future__ import annotations

import contextlib
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.ios.macho import read_macho
from mobsec.ingest.ios.plist import parse_plist, to_json
from mobsec.ingest.ios.profile import read_profile
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
