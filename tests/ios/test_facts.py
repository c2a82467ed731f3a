"""iOS facts: SDKs by name, ATS parsing, Info.plist lists, hosts."""

from __future__ import annotations

import re

from mobsec.diagnostics import Diagnostics
from mobsec.facts.ios import IosFacts, read_ats, sdk_catalog
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import read_ipa
from mobsec.options import ScanOptions
from tests.ios.ipa_build import corpus_ipa, rebuild


def _facts(source) -> IosFacts:
    diags = Diagnostics()
    src = source if isinstance(source, bytes) else corpus_ipa(source)
    return IosFacts(read_ipa(Archive.open(src, diags), diags), diags, ScanOptions())


def test_sdk_catalog_is_well_formed():
    ids = [s.id for s in sdk_catalog()]
    assert len(ids) == len(set(ids))
    for s in sdk_catalog():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", s.id)
        assert s.name["en"] and s.name["zh-CN"] and re.fullmatch(r"[a-z][a-z-]*", s.category)
        assert s.frameworks or s.bundles or s.classes


def test_sdks_found_by_bundle_and_class_names(corpus_dir):
    tv = {s["id"]: s for s in _facts("appinfo_apple-tv.ipa").sdks}
    assert {"alamofire", "snapkit", "swiftyjson", "cocoalumberjack"} <= set(tv)
    assert "Alamofire_Alamofire.bundle" in tv["alamofire"]["evidence"]
    igoat = {s["id"]: s for s in _facts("iGoat-IPA-Git_iGoat.ipa").sdks}
    assert set(igoat) == {"sbjson"} and "SBJsonParser" in igoat["sbjson"]["evidence"]
    assert _facts("mastg_UnCrackable-Level2.ipa").sdks == []


def test_ats_exceptions_parsed():
    ats = read_ats(
        {
            "NSAppTransportSecurity": {
                "NSAllowsArbitraryLoadsInWebContent": True,
                "NSExceptionDomains": {
                    "a.example": {"NSTemporaryExceptionAllowsInsecureHTTPLoads": True},
                    "b.example": {
                        "NSExceptionMinimumTLSVersion": "TLSv1.0",
                        "NSExceptionRequiresForwardSecrecy": False,
                        "NSIncludesSubdomains": True,
                    },
                    "c.example": "not a dict",
                },
            }
        }
    )
    assert ats.declared and not ats.arbitrary_loads and ats.arbitrary_loads_web
    a, b = ats.exceptions
    assert a.insecure_http and a.min_tls is None and a.forward_secrecy
    assert not b.insecure_http and b.min_tls == "TLSv1.0" and not b.forward_secrecy
    assert b.include_subdomains
    assert not read_ats({}).declared


def test_info_plist_lists(corpus_dir):
    def edit(info):
        info["CFBundleURLTypes"] = [{"CFBundleURLSchemes": ["demo", 7]}, "junk"]
        info["NSLocationWhenInUseUsageDescription"] = "Shows shops near you on the map."
        info["NSCameraUsageDescription"] = 42
        info["LSApplicationQueriesSchemes"] = ["weixin"]

    f = _facts(rebuild(corpus_ipa("appinfo_iphone.ipa"), info=edit))
    assert f.url_schemes == ["demo"] and f.queried_schemes == ["weixin"]
    assert f.usage_descriptions == {
        "NSLocationWhenInUseUsageDescription": "Shows shops near you on the map.",
        "NSCameraUsageDescription": "",
    }
    capable = _facts("fastlane_very-capable-app.ipa")
    assert "location" in capable.background_modes and "audio" in capable.background_modes


def test_hosts_from_binary_strings(corpus_dir):
    assert _facts("iGoat-IPA-Git_iGoat.ipa").hosts == ["localhost"]
    tv = _facts("appinfo_apple-tv.ipa").hosts
    assert "api.bilibili.com" in tv and all("/" not in h and ":" not in h for h in tv)


def test_huge_info_plist_lists_are_bounded(corpus_dir):
    def edit(info):
        info["CFBundleURLTypes"] = [{"CFBundleURLSchemes": [f"s{i}" for i in range(5000)]}]
        info["UIBackgroundModes"] = ["audio"] * 5000
        info.update({f"NS{i}UsageDescription": "x" * 10_000 for i in range(300)})

    f = _facts(rebuild(corpus_ipa("appinfo_iphone.ipa"), info=edit))
    assert len(f.url_schemes) == 200 and len(f.background_modes) == 200
    assert len(f.usage_descriptions) == 200
    assert max(len(v) for v in f.usage_descriptions.values()) == 2000
    f.ios_section()
