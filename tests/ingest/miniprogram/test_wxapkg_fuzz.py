"""Hostile wxapkg input: indexes pointing outside the file, lying counts, truncation and
random JavaScript give diagnostics, never an exception or a hang."""

from __future__ import annotations

import contextlib
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.miniprogram.wxbuild import app_service, encrypt_pc, pack_wxapkg

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.facts.miniprogram import MiniProgramFacts
from mobsec.facts.miniprogram.js import JsAnalyzer
from mobsec.ingest.miniprogram.package import read_wxapkg
from mobsec.ingest.miniprogram.wxapkg import read_index
from mobsec.limits import DEFAULT_LIMITS
from mobsec.options import ScanOptions

FUZZ = settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
GOOD = pack_wxapkg(
    {
        "app-config.json": b'{"pages": ["pages/a/a"]}',
        "app-service.js": app_service({"app.js": "wx.getLocation({});"}),
    }
)


def test_entry_pointing_outside_the_file() -> None:
    data = bytearray(GOOD)
    # first entry: u32 count at 14, then u32 name length, name, u32 offset, u32 size
    (name_len,) = struct.unpack_from(">I", data, 18)
    struct.pack_into(">II", data, 22 + name_len, len(data) - 4, 1 << 30)
    diags = Diagnostics()
    entries = read_index(bytes(data), diags)
    assert [e.path for e in entries] == ["app-service.js"]
    assert "wxapkg.entry_out_of_range" in diags.codes()
    (d,) = [d for d in diags if d.code == "wxapkg.entry_out_of_range"]
    assert d.file == "/app-config.json" and d.zh


def test_lying_file_count_and_truncated_index() -> None:
    data = bytearray(GOOD)
    struct.pack_into(">I", data, 14, 0xFFFFFFFF)
    diags = Diagnostics()
    read_index(bytes(data), diags)
    assert "wxapkg.count_too_large" in diags.codes()
    diags = Diagnostics()
    pkg = read_wxapkg(GOOD[:30], diags, DEFAULT_LIMITS)
    assert not pkg.readable and diags.codes() & {"wxapkg.index_truncated", "wxapkg.no_index"}


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(0, 255)), max_size=16),
    st.integers(14, len(GOOD)),
)
def test_damaged_package(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(GOOD)
    for at, value in edits:
        data[at] = value
    data = bytes(data[:cut])
    diags = Diagnostics()
    with contextlib.suppress(FormatError):
        read_index(data, diags)
    pkg = read_wxapkg(data, Diagnostics(), DEFAULT_LIMITS)
    if pkg.readable:
        MiniProgramFacts(pkg, diags, ScanOptions(js_parse_chars=1_000_000)).js  # noqa: B018


@FUZZ
@given(st.binary(max_size=200), st.text(min_size=0, max_size=20))
def test_pc_encrypted_garbage_and_any_app_id(body: bytes, app_id: str) -> None:
    diags = Diagnostics()
    read_wxapkg(b"V1MMWX" + body, diags, DEFAULT_LIMITS, app_id or None)
    assert (
        diags.codes() & {"wxapkg.encrypted", "wxapkg.wrong_appid"}
        or read_wxapkg(b"V1MMWX" + body, Diagnostics(), DEFAULT_LIMITS, app_id or None).decrypted
    )


def test_encrypted_round_trip_of_a_built_package() -> None:
    pkg = read_wxapkg(
        encrypt_pc(GOOD + b" " * 1200, "wxabcdef0123456789"),
        Diagnostics(),
        DEFAULT_LIMITS,
        "wxabcdef0123456789",
    )
    assert pkg.decrypted and {e.path for e in pkg.entries} == {"app-config.json", "app-service.js"}


@FUZZ
@given(st.text(max_size=400))
def test_any_text_as_javascript(source: str) -> None:
    analyzer = JsAnalyzer(Diagnostics(), 100_000)
    analyzer.add_file("app-service.js", "wx.request({url: 'http://x.cn'});\n" + source)
    analyzer.add_file("game.js", 'define("a.js", function(){' + source)
