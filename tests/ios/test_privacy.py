"""The iOS PI section: PI-reading APIs found in real executables (corpus IPAs with one import,
selector or Info.plist key changed: the twin is the corpus file itself) and the usage
descriptions that guard them, in the same section shape as an APK's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import mobsec
from mobsec.diagnostics import Diagnostics
from mobsec.facts.ios import IosFacts
from mobsec.facts.ios.privacy import ios_pi_apis, ios_privacy
from mobsec.facts.privacy.assessment import NOT_ASSESSED
from mobsec.facts.privacy.catalog import load_pi_catalog
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import read_ipa
from mobsec.options import ScanOptions
from mobsec.report.render import render
from tests.ios.ipa_build import corpus_ipa, rebuild, rename_symbol

IGOAT = "iGoat-IPA-Git_iGoat.ipa"
L2 = "mastg_UnCrackable-Level2.ipa"
SCHEMA = json.loads(
    (Path(mobsec.__file__).parent / "report" / "schema" / "report.schema.json").read_text()
)


def pi_types(source: str | bytes) -> dict[str, dict]:
    diags = Diagnostics()
    src = source if isinstance(source, bytes) else corpus_ipa(source)
    facts = IosFacts(read_ipa(Archive.open(src, diags), diags), diags, ScanOptions())
    return {t["id"]: t for t in ios_privacy(facts)["collection"]["pi_types"]}


def renamed(name: str, old: str, new: str) -> bytes:
    return rebuild(
        corpus_ipa(name), executable=lambda b: rename_symbol(b, old.encode(), new.encode())
    )


def test_catalog_is_well_formed():
    doc = ios_pi_apis()
    known = set(load_pi_catalog().types) | set(doc["local_pi_types"])
    ids = [a["id"] for a in doc["apis"]]
    assert len(ids) == len(set(ids))
    for api in doc["apis"]:
        assert api["pi"] in known, api["id"]
        assert api["symbols"] or api["selectors"], api["id"]
        assert all(re.fullmatch(r"_[A-Za-z_$]+", s) for s in api["symbols"]), api["id"]
        assert all(g.endswith("UsageDescription") for g in api["guards"])
    for key, pi in doc["usage_descriptions"].items():
        assert key.endswith("UsageDescription") and pi in known


@pytest.mark.corpus
def test_corpus_apps_without_pi_apis_list_none(corpus_dir):
    for name in (IGOAT, L2, "mastg_UnCrackable-Level1.ipa", "appinfo_iphone.ipa"):
        assert pi_types(name) == {}, name


@pytest.mark.corpus
def test_linked_framework_alone_is_low(corpus_dir):
    """The capabilities demo links HealthKit and calls nothing of it that we can see."""
    health = pi_types("fastlane_very-capable-app.ipa")["health"]
    [access] = health["accesses"]
    assert access["source"] == "HealthKit.framework"
    assert (access["confidence"], access["how"]) == ("low", "linked")
    assert health["permissions_needed"] == ["NSHealthShareUsageDescription"]
    assert health["permissions_declared"] == [] and health["sensitive"] is True


@pytest.mark.corpus
def test_imported_class_is_a_read_guarded_by_its_usage_description(corpus_dir):
    # iGoat imports NSUserDefaults (14 characters), now CNContactStore (14)
    bare = pi_types(renamed(IGOAT, "_OBJC_CLASS_$_NSUserDefaults", "_OBJC_CLASS_$_CNContactStore"))
    contacts = bare["contacts"]
    [access] = contacts["accesses"]
    assert access["source"] == "_OBJC_CLASS_$_CNContactStore"
    assert access["confidence"] == "medium"  # no enumerating selector: a class use only
    assert access["file"].endswith("iGoat.app/iGoat") and access["owner"]["kind"] == "app"
    assert contacts["permissions_needed"] == ["NSContactsUsageDescription"]
    assert contacts["permissions_declared"] == []  # read without its usage description

    with_key = rebuild(
        corpus_ipa(IGOAT),
        executable=lambda b: rename_symbol(
            b, b"_OBJC_CLASS_$_NSUserDefaults", b"_OBJC_CLASS_$_CNContactStore"
        ),
        info=lambda i: i.__setitem__("NSContactsUsageDescription", "Invite your friends."),
    )
    declared = pi_types(with_key)["contacts"]
    assert declared["permissions_declared"] == ["NSContactsUsageDescription"]
    sources = {(a["source"], a["how"]) for a in declared["accesses"]}
    assert sources == {
        ("_OBJC_CLASS_$_CNContactStore", "call"),
        ("NSContactsUsageDescription", "declared"),
    }


@pytest.mark.corpus
def test_class_with_its_reading_selector_is_high(corpus_dir):
    # UnCrackable L2: import NSMutableDictionary -> ASIdentifierManager (19 characters each),
    # selectors base64DataFromString: -> advertisingIdentifier (21), stringWithCapacity: ->
    # identifierForVendor (19)
    def edit(b: bytes) -> bytes:
        b = rename_symbol(
            b, b"_OBJC_CLASS_$_NSMutableDictionary", b"_OBJC_CLASS_$_ASIdentifierManager"
        )
        b = rename_symbol(b, b"base64DataFromString:", b"advertisingIdentifier")
        return rename_symbol(b, b"stringWithCapacity:", b"identifierForVendor")

    found = pi_types(rebuild(corpus_ipa(L2), executable=edit))
    [idfa] = found["idfa"]["accesses"]
    assert (idfa["source"], idfa["confidence"]) == ("_OBJC_CLASS_$_ASIdentifierManager", "high")
    assert found["idfa"]["permissions_needed"] == ["NSUserTrackingUsageDescription"]
    assert found["idfa"]["name"]["en"] == "Advertising identifier (IDFA)"
    [idfv] = found["idfv"]["accesses"]  # a selector alone (UIDevice is imported by everyone)
    assert (idfv["source"], idfv["confidence"]) == ("identifierForVendor", "medium")
    assert found["idfv"]["permissions_needed"] == []

    class_only = rebuild(
        corpus_ipa(L2),
        executable=lambda b: rename_symbol(
            b, b"_OBJC_CLASS_$_NSMutableDictionary", b"_OBJC_CLASS_$_ASIdentifierManager"
        ),
    )
    assert pi_types(class_only)["idfa"]["accesses"][0]["confidence"] == "medium"


@pytest.mark.corpus
def test_function_import_needs_no_selector_to_be_high(corpus_dir):
    # iGoat's '_objc_autoreleasePoolPush' import renamed to '_CNCopyCurrentNetworkInfo' (25)
    data = renamed(IGOAT, "_objc_autoreleasePoolPush", "_CNCopyCurrentNetworkInfo")
    [wifi] = pi_types(data)["wifi-info"]["accesses"]
    assert (wifi["source"], wifi["confidence"]) == ("_CNCopyCurrentNetworkInfo", "high")


@pytest.mark.corpus
def test_usage_description_alone_is_declared(corpus_dir):
    data = rebuild(
        corpus_ipa(IGOAT),
        info=lambda i: i.update(
            NSLocationWhenInUseUsageDescription="Find shops near you.",
            NSCameraUsageDescription="Scan codes.",
        ),
    )
    found = pi_types(data)
    assert set(found) == {"location", "camera"}
    [loc] = found["location"]["accesses"]
    assert (loc["source"], loc["how"], loc["file"]) == (
        "NSLocationWhenInUseUsageDescription", "declared", "Payload/iGoat.app/Info.plist"
    )  # fmt: skip
    assert found["location"]["permissions_declared"] == ["NSLocationWhenInUseUsageDescription"]


@pytest.mark.corpus
def test_scan_report_carries_the_section_in_every_renderer(corpus_dir, tmp_path):
    data = rebuild(
        corpus_ipa(IGOAT),
        executable=lambda b: rename_symbol(
            b, b"_OBJC_CLASS_$_NSUserDefaults", b"_OBJC_CLASS_$_CNContactStore"
        ),
    )
    path = tmp_path / "contacts.ipa"
    path.write_bytes(data)
    report = mobsec.scan(path, mobsec.ScanOptions())
    doc = report.to_json()
    Draft202012Validator(SCHEMA).validate(doc)
    assert [t["id"] for t in doc["privacy"]["collection"]["pi_types"]] == ["contacts"]
    assert len(doc["privacy"]["scenarios"]) == 31
    assert all(s["result"] == NOT_ASSESSED for s in doc["privacy"]["scenarios"])
    for fmt in ("html", "text"):
        for lang, label in (("en", "Contacts"), ("zh-CN", "通讯录")):
            out = render(doc, fmt, lang=lang).decode("utf-8")
            assert label in out, (fmt, lang)
    html = render(doc, "html", lang="en").decode("utf-8")
    assert "not declared: NSContactsUsageDescription" in html  # the read, without its key
