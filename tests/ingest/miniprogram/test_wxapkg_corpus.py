"""The wxapkg reader on the corpus (NOTES.md §3): index, configuration, PC-WeChat
encryption (decrypted byte-exact to the corpus twin), and JavaScript facts."""

from __future__ import annotations

import gc
import struct
from pathlib import Path

import pytest
from tests.conftest import CORPUS
from tests.ingest.miniprogram.wxbuild import encrypt_pc

from mobsec.diagnostics import Diagnostics
from mobsec.facts.miniprogram import MiniProgramFacts
from mobsec.ingest.miniprogram.package import read_wxapkg
from mobsec.ingest.miniprogram.pc_crypto import decrypt
from mobsec.limits import DEFAULT_LIMITS
from mobsec.options import ScanOptions

WX = CORPUS / "formats" / "wxapkg"
ENCRYPTED = WX / "secdevlpr26_wx0a3f2cb08e5994bc-pc-encrypted-V1MMWX.wxapkg"
DECRYPTED = WX / "secdevlpr26_wx0a3f2cb08e5994bc-decrypted.wxapkg"
APP_ID = "wx0a3f2cb08e5994bc"


@pytest.fixture(autouse=True)
def _corpus(corpus_dir: Path) -> None:
    pass


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name,files,kind",
    [
        ("ezshine_haoduo-calculator.wxapkg", 21, "miniprogram"),
        ("ezshine_tiaoyitiao_jump-game.wxapkg", 177, "minigame"),
        ("sjatsh_102.wxapkg", 95, "miniprogram"),
        ("secdevlpr26_wx0a3f2cb08e5994bc-decrypted.wxapkg", 7, "miniprogram"),
    ],
)
def test_index_and_kind(name: str, files: int, kind: str) -> None:
    data = (WX / name).read_bytes()
    diags = Diagnostics()
    pkg = read_wxapkg(data, diags, DEFAULT_LIMITS)
    assert len(pkg.entries) == files and pkg.kind == kind
    assert pkg.config_file == "app-config.json"
    _, index_len, data_len = struct.unpack_from(">III", data, 1)
    assert 14 + index_len + data_len == len(data)  # what NOTES §3 checked, here by the reader
    assert all(14 + index_len <= e.offset and e.offset + e.size <= len(data) for e in pkg.entries)
    assert not list(diags)


@pytest.mark.corpus
def test_encrypted_without_app_id_is_a_diagnostic_not_a_crash() -> None:
    diags = Diagnostics()
    pkg = read_wxapkg(ENCRYPTED.read_bytes(), diags, DEFAULT_LIMITS)
    assert pkg.encrypted and not pkg.readable
    assert [d.code for d in diags] == ["wxapkg.encrypted"]
    assert "app id" in next(iter(diags)).en and "AppID" in next(iter(diags)).zh


@pytest.mark.corpus
def test_decrypts_to_the_corpus_twin_byte_for_byte() -> None:
    assert decrypt(ENCRYPTED.read_bytes(), APP_ID) == DECRYPTED.read_bytes()
    diags = Diagnostics()
    pkg = read_wxapkg(ENCRYPTED.read_bytes(), diags, DEFAULT_LIMITS, APP_ID)
    assert pkg.decrypted and len(pkg.entries) == 7 and not list(diags)
    # the test's own encryptor (written from the published description) is the inverse
    assert encrypt_pc(DECRYPTED.read_bytes(), APP_ID) == ENCRYPTED.read_bytes()


@pytest.mark.corpus
def test_wrong_app_id_is_named() -> None:
    diags = Diagnostics()
    pkg = read_wxapkg(ENCRYPTED.read_bytes(), diags, DEFAULT_LIMITS, "wx0000000000000000")
    assert not pkg.readable and diags.codes() == {"wxapkg.wrong_appid"}


@pytest.mark.corpus
def test_javascript_facts_of_the_shop() -> None:
    diags = Diagnostics()
    pkg = read_wxapkg((WX / "sjatsh_102.wxapkg").read_bytes(), diags, DEFAULT_LIMITS)
    # The parse has a 5 s time guard; late in a full run the test process holds ~2 GB of
    # earlier tests' objects, and collecting them mid-parse tripped it. Leave them out of GC.
    gc.collect()
    gc.freeze()
    try:
        facts = MiniProgramFacts(pkg, diags, ScanOptions(js_parse_chars=10_000_000))
    finally:
        gc.unfreeze()
    callees = {c.callee for c in facts.js.calls}
    assert {"wx.getLocation", "wx.chooseAddress", "wx.request", "wx.requestPayment"} <= callees
    assert all(c.parsed for c in facts.js.calls if c.module != "util/digest.js")
    # util/digest.js nests deeper than the parser's recursion: found by pattern, said so
    assert any(d.code == "js.not_parsed" and "digest" in d.en for d in diags)
    assert facts.config.pages and len(facts.config.pages) == 63
