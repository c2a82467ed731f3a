"""Who-collects-what and the 191 assessment on APKs built from the privacy fixtures and on
corpus apps (DroidBench reads the IMEI; InsecureBankv2 carries Google SDKs that read IDs)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from tests.fixtures.build import build_apk, missing_tools

from mobsec import ScanOptions, scan
from mobsec.facts.privacy.app_types import find_app_type, load_app_types

CHECKS = Path(__file__).resolve().parents[2] / "checks" / "privacy"
COLLECTION_APP = CHECKS / "privacy-collection"
POLICY_APP = CHECKS / "privacy-policy-shipped"
RESULTS = {
    "violation-suspected",
    "compliant-statically",
    "not-assessed-statically",
    "not-applicable",
}


@pytest.fixture(scope="module")
def collection_apk() -> Path:
    missing = missing_tools(COLLECTION_APP)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    return build_apk(COLLECTION_APP)


def _privacy(apk: Path, **opts: object) -> dict:
    report = scan(apk, ScanOptions(**opts)).to_json()  # type: ignore[arg-type]
    assert not [d for d in report["diagnostics"] if d["code"].startswith("internal.")]
    return report["privacy"]


def _scenario(priv: dict, sid: str) -> dict:
    return next(s for s in priv["scenarios"] + priv["miit"] if s["id"] == sid)


def test_app_type_table_has_39_types_13_without_pi() -> None:
    raw = resources.files("mobsec.facts.privacy").joinpath("data")
    doc = json.loads(raw.joinpath("app_types.json").read_text("utf-8"))
    jsonschema.validate(doc, json.loads(raw.joinpath("app_types.schema.json").read_text("utf-8")))
    types = load_app_types()
    assert len(types) == 39
    assert sum(1 for t in types.values() if not t.necessary) == 13
    assert [t.number for t in types.values()] == list(range(1, 40))
    assert find_app_type("地图导航类") is find_app_type("1") is types["map-navigation"]
    assert find_app_type("实用工具") is types["utilities"]
    assert find_app_type("nonsense") is None


@pytest.mark.toolchain
def test_collection_on_fixture(collection_apk: Path) -> None:
    priv = _privacy(collection_apk)
    types = {t["id"]: t for t in priv["collection"]["pi_types"]}
    assert {"device-id", "imsi", "android-id", "installed-apps"} <= set(types)
    assert types["device-id"]["permissions_declared"] == ["android.permission.READ_PHONE_STATE"]
    # argument-sensitive: only the "android_id" call counts, not "bluetooth_name"
    assert len(types["android-id"]["accesses"]) == 1
    assert types["android-id"]["accesses"][0]["class"] == "com.example.pi.Analytics"
    assert all(t["by_app"] for t in types.values())
    # The fixture also carries a stand-in for Netty reading a MAC address for its channel
    # ids: a collector in the facts (who reads what), though not a device-identifier finding.
    assert [c["key"] for c in priv["collection"]["collectors"]] == ["app", "sdk:netty"]


@pytest.mark.toolchain
def test_assessment_lists_all_31_scenarios_and_never_passes_silently(collection_apk: Path) -> None:
    priv = _privacy(collection_apk)
    ids = [s["id"] for s in priv["scenarios"]]
    assert len(ids) == 31 and len(set(ids)) == 31
    assert ids[0] == "1.1" and ids[-1] == "6.5"
    for s in priv["scenarios"] + priv["miit"]:
        assert s["result"] in RESULTS
        if s["result"] in ("not-assessed-statically", "not-applicable"):
            assert s["reason"] and s["reason"]["en"] and s["reason"]["zh-CN"], s["id"]
        assert s["needs_review"] == (s["tag"] == "M")
    assert _scenario(priv, "1.1")["result"] == "violation-suspected"
    s31 = _scenario(priv, "3.1")
    assert s31["result"] == "violation-suspected" and s31["heuristic"]
    early = {(e["access"]["source"], e["root_kind"]) for e in priv["pre_consent_access"]}
    assert early == {
        ("telephony.device-id", "application"),
        ("settings.android-id", "application"),
        ("package-manager.getInstalledPackages", "launcher"),
    }
    assert _scenario(priv, "164-2.2")["result"] == "violation-suspected"
    assert [a["component"] for a in priv["auto_start"]] == ["com.example.pi.BootReceiver"]
    # inputs not given: said so, not guessed
    assert _scenario(priv, "4.1")["result"] == "not-assessed-statically"
    assert "--app-type" in _scenario(priv, "4.1")["reason"]["en"]
    assert _scenario(priv, "2.1")["result"] == "not-assessed-statically"
    assert priv["summary"]["violation-suspected"] >= 2


@pytest.mark.toolchain
def test_app_type_and_policy_inputs(collection_apk: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.html"
    policy.write_text(
        "<p>我们会收集您的设备识别码（IMEI）。</p><p>我们会收集您的位置信息用于导航。</p>"
        "<p>联系我们：privacy@example.com，投诉将在15个工作日内处理。</p>",
        encoding="utf-8",
    )
    priv = _privacy(collection_apk, app_type="地图导航类", privacy_policy=policy)
    assert priv["app_type"]["id"] == "map-navigation"
    s41 = _scenario(priv, "4.1")
    assert s41["result"] == "violation-suspected"  # device IDs, app list: not necessary
    cmp = priv["policy_comparison"]
    assert "device-id" not in cmp["observed_but_undeclared_pi"]
    assert {"imsi", "android-id", "installed-apps"} <= set(cmp["observed_but_undeclared_pi"])
    assert cmp["declared_but_unobserved_pi"] == ["location"]
    assert _scenario(priv, "3.9")["result"] == "violation-suspected"
    assert _scenario(priv, "6.5")["result"] == "compliant-statically"


@pytest.mark.toolchain
def test_unknown_app_type_and_missing_policy_become_diagnostics(
    collection_apk: Path, tmp_path: Path
) -> None:
    opts = ScanOptions(app_type="no-such-type", privacy_policy=tmp_path / "absent.txt")
    report = scan(collection_apk, opts).to_json()
    codes = {d["code"] for d in report["diagnostics"]}
    assert {"privacy.unknown_app_type", "policy.unreadable"} <= codes
    assert report["privacy"]["policy"] is None


@pytest.mark.toolchain
def test_policy_shipped_in_resources_is_found() -> None:
    if missing_tools(POLICY_APP):
        pytest.skip("Android fixture toolchain missing")
    priv = _privacy(build_apk(POLICY_APP))
    assert _scenario(priv, "1.1")["result"] == "compliant-statically"
    assert any(e["kind"] == "resource-string" for e in priv["policy_in_app"])


def test_droidbench_imei_read_is_collected(corpus_apks: Path) -> None:
    apk = corpus_apks / "droidbench" / "AndroidSpecific__ApplicationModeling1.apk"
    priv = _privacy(apk)
    types = {t["id"]: t for t in priv["collection"]["pi_types"]}
    assert types["device-id"]["accesses"][0]["source"] == "telephony.device-id"


def test_insecurebank_sdk_readers_attributed(corpus_apks: Path) -> None:
    priv = _privacy(corpus_apks / "vulnapps" / "InsecureBankv2.apk")
    keys = {c["key"] for c in priv["collection"]["collectors"]}
    assert {"sdk:gms-ads", "sdk:gms-analytics"} <= keys
    s = _scenario(priv, "337-3")
    assert s["result"] == "violation-suspected"
    assert all("SDK" in e["text"]["en"] for e in s["evidence"])
    ana = next(c for c in priv["collection"]["collectors"] if c["key"] == "sdk:gms-analytics")
    assert "ssl.google-analytics.com" in ana["hosts"]
