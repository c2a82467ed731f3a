"""Every ``miniprogram.*`` check: a package where it fires and a near twin where it must not.

The corpus where it has both sides (NOTES.md §3: the AppSecret in the decrypted sample), else
.wxapkg files written here by the packer from source modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mobsec.checks.registry import load_all
from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.miniprogram import MiniProgramFacts
from mobsec.ingest.miniprogram.package import read_wxapkg
from mobsec.limits import DEFAULT_LIMITS
from mobsec.options import ScanOptions
from mobsec.report.model import Finding
from tests.conftest import CORPUS
from tests.ingest.miniprogram.wxbuild import miniprogram

WX = CORPUS / "formats" / "wxapkg"
DECRYPTED = WX / "secdevlpr26_wx0a3f2cb08e5994bc-decrypted.wxapkg"


def findings(source: Path | bytes, check_id: str) -> list[Finding]:
    data = source.read_bytes() if isinstance(source, Path) else source
    diags = Diagnostics()
    pkg = read_wxapkg(data, diags, DEFAULT_LIMITS)
    facts = MiniProgramFacts(pkg, diags, ScanOptions(js_parse_chars=10_000_000))
    checks = [load_all("miniprogram")[check_id]]
    found = run_checks(facts, diags, {}, None, checks, "miniprogram")
    assert not [d for d in diags if d.code.startswith("internal.")]
    return found


def app(code: str, config: dict | None = None) -> bytes:
    return miniprogram(
        {"app.js": "App({onLaunch: function () {}});", "pages/index/index.js": code}, config
    )


def page(body: str) -> str:
    return f"Page({{onLoad: function () {{ {body} }}}});"


SECRET = (
    'var config = {appid: "wx1234567890abcdef", appsecret: "9f86d081884c7d659a2feaa0c55ad015"};'
)
NOT_SECRET = (
    'var config = {appid: "wx1234567890abcdef", title: "9f86d081884c7d659a2feaa0c55ad015"};'
)
LOCATION = page("wx.getLocation({type: 'gcj02', success: function (r) { console.log(r); }});")

# check id -> (fires, near twin)
CASES: dict[str, tuple[Callable[[], Path | bytes], Callable[[], Path | bytes]]] = {
    "miniprogram.secrets.hardcoded-secret": (lambda: app(SECRET), lambda: app(NOT_SECRET)),
    "miniprogram.network.cleartext-request": (
        lambda: app(page("wx.request({url: 'http://api.shop-cn.net/cart?id=' + this.id});")),
        lambda: app(page("wx.request({url: 'https://api.shop-cn.net/cart?id=' + this.id});")),
    ),
    "miniprogram.code.dynamic-code": (
        lambda: app(page("var f = new Function('a', 'return a + 1'); eval(this.data.expr);")),
        lambda: app(page("var f = function (a) { return a + 1; }; setTimeout(f, 10);")),
    ),
    "miniprogram.config.debug": (
        lambda: app(page("wx.setEnableDebug({enableDebug: true});")),
        lambda: app(page("wx.setEnableDebug({enableDebug: false});")),
    ),
    "miniprogram.privacy.sensitive-api": (
        lambda: app(LOCATION),
        lambda: app(page("wx.getSystemInfo({success: function (r) { console.log(r); }});")),
    ),
    "miniprogram.privacy.undeclared-private-info": (
        lambda: app(LOCATION, {"permission": {"scope.userLocation": {"desc": "附近门店"}}}),
        lambda: app(
            LOCATION,
            {
                "permission": {"scope.userLocation": {"desc": "附近门店"}},
                "requiredPrivateInfos": ["getLocation"],
            },
        ),
    ),
}


def test_every_miniprogram_check_has_a_case() -> None:
    assert set(CASES) == set(load_all("miniprogram"))


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_fires_and_twin_stays_quiet(check_id: str, corpus_dir: Path) -> None:
    fire, quiet = CASES[check_id]
    hits = findings(fire(), check_id)
    assert hits, f"{check_id} did not fire"
    assert all(
        f.location.file and f.location.line for f in hits if f.location.file != "app-config.json"
    )
    assert not [
        f
        for f in findings(quiet(), check_id)
        if "getUserInfo" not in (f.message.en if f.message else "")
    ], f"{check_id} fired on its twin"


@pytest.mark.corpus
def test_appsecret_of_the_corpus_sample(corpus_dir: Path) -> None:
    (hit,) = findings(DECRYPTED, "miniprogram.secrets.hardcoded-secret")
    assert "AppSecret" in hit.message.en and "73a9****772e" in hit.message.en
    assert "73a942a7" not in hit.evidence  # masked


def test_debug_flag_in_app_json() -> None:
    assert findings(app(page(""), {"debug": True}), "miniprogram.config.debug")
    assert not findings(app(page(""), {"debug": False}), "miniprogram.config.debug")


def test_calls_found_by_pattern_when_the_parser_gives_up() -> None:
    """A module too deep for the parser still yields its plain-HTTP request (medium)."""
    deep = "var x = " + "(" * 3000 + "1" + ")" * 3000 + ";"
    code = deep + "\nwx.request({url: 'http://api.shop-cn.net/pay'});"
    hits = findings(app(code), "miniprogram.network.cleartext-request")
    assert [f.confidence.value for f in hits] == ["medium"]
