"""Android SDKs (.aar, .jar) through ``mobsec.scan``: the SDK pipeline, a report valid
against the closed schema, what the SDK adds to every host app (NOTES.md §4/§5: AltBeacon's
BOOT_COMPLETED receiver and location permission), the PI it reads and the hosts it names,
consumer ProGuard rules; javac-built fixtures with near twins where nothing must fire."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

import mobsec
from mobsec.report.render import render
from tests.conftest import CORPUS
from tests.fixtures.sdkbuild import SDKS, build_aar, build_jar
from tests.scan.test_scan_harmony_wx import _valid

FORMATS = CORPUS / "formats"
SAMPLES = sorted([*FORMATS.glob("aar/*.aar"), *FORMATS.glob("jar/*.jar")])
BEACON = FORMATS / "aar" / "dexcount_android-beacon-library-2.7.aar"


def _rows(doc: dict[str, Any], section: str) -> dict[str, Any]:
    found = [s for s in doc["platform_details"] if s["id"] == section]
    assert found, f"{section} missing"
    return {r["key"]: r["value"] for r in found[0]["rows"]}


@pytest.mark.corpus
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_corpus_sdk_scans(path: Path, corpus_dir: Path) -> None:
    doc = mobsec.scan(path).to_json()
    assert doc["package"]["platform"] == "android"
    assert doc["package"]["format"] == path.suffix[1:]
    assert not [d for d in doc["diagnostics"] if d["level"] != "info"], doc["diagnostics"]
    code = _rows(doc, "sdk.code")
    assert code["classes"] > 0 and code["jars"][0]["malformed"] == 0
    _valid(doc)


@pytest.mark.corpus
def test_beacon_library_adds_to_host(corpus_dir: Path) -> None:
    doc = mobsec.scan(BEACON).to_json()
    perms = _rows(doc, "sdk.host_permissions")
    assert perms["android.permission.ACCESS_COARSE_LOCATION"]["uses-permission-sdk-23"]
    assert {"android.permission.BLUETOOTH", "android.permission.RECEIVE_BOOT_COMPLETED"} <= set(
        perms
    )
    boot = _rows(doc, "sdk.host_components")[
        "org.altbeacon.beacon.startup.StartupBroadcastReceiver"
    ]
    assert boot["kind"] == "receiver" and boot["exported"]
    assert "android.intent.action.BOOT_COMPLETED" in boot["actions"]
    pi = _rows(doc, "sdk.pi")
    android_id = [v for v in pi.values() if v["source"] == "settings.android-id"]
    assert android_id and "ModelSpecificDistanceUpdater.getInstallId" in android_id[0]["where"][0]
    discovery = [v for v in pi.values() if v["source"] == "bluetooth.start-discovery"]
    assert "android.permission.BLUETOOTH_ADMIN" in discovery[0]["declared_by_sdk"]
    assert android_id[0]["declared_by_sdk"] == []  # ANDROID_ID needs no permission
    assert "data.altbeacon.org" in _rows(doc, "sdk.hosts")
    # NOTES.md §5.4: the BOOT_COMPLETED receiver, exported by its intent filter, found by the
    # Android manifest check itself; no app-level check (allowBackup...) judges a library
    by_check = {f["check_id"]: f for f in doc["findings"]}
    assert set(by_check) == {
        "android.manifest.exported-receiver",
        "android.privacy.device-identifier",
    }
    finding = by_check["android.manifest.exported-receiver"]
    assert "StartupBroadcastReceiver" in finding["message"]["en"]
    # the code checks ran on classes.jar: the ANDROID_ID read, at its JVM offset and line
    loc = by_check["android.privacy.device-identifier"]["location"]
    assert (
        loc["file"]
        == "classes.jar!/org/altbeacon/beacon/distance/ModelSpecificDistanceUpdater.class"
    )
    assert (loc["method"], loc["offset"], loc["line"]) == (
        "getInstallId()Ljava/lang/String;",
        9,
        56,
    )
    assert doc["app"]["package"] == "org.altbeacon.beacon" and doc["app"]["min_sdk"] == 7
    html = render(doc, "html", "zh-CN").decode()
    assert "合入每个宿主应用的权限" in html and "StartupBroadcastReceiver" in html
    sarif = json.loads(render(doc, "sarif"))
    assert sarif["runs"][0]["properties"]["platformDetails"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("sdk")
    jar = build_jar(SDKS / "tracker", tmp / "tracker.jar")
    twin = build_jar(SDKS / "tracker-twin", tmp / "twin.jar")
    return {
        "jar": jar,
        "twin-jar": twin,
        "aar": build_aar(jar, tmp / "tracker.aar", "-dontobfuscate\n-keep class ** { *; }\n"),
        "twin-aar": build_aar(
            twin,
            tmp / "twin.aar",
            "-keep class com.example.sdk.** { *; }\n",
            SDKS / "AndroidManifest-twin.xml",  # the receiver says exported="false"
        ),
    }


def test_pi_read_with_constant_argument_and_its_twin(built: dict[str, Path]) -> None:
    doc = mobsec.scan(built["jar"]).to_json()
    pi = {v["source"]: v for v in _rows(doc, "sdk.pi").values()}
    assert pi["settings.android-id"]["where"] == [
        "com.example.sdk.Tracker.deviceId (Tracker.java:12)"
    ]
    assert set(_rows(doc, "sdk.hosts")) == {
        "collect.tracker-example.com",
        "debug.tracker-example.com",
    }
    assert _rows(doc, "sdk.code")["entry_points"] == 4  # constructor, deviceId, endpoint, line
    # the report's endpoints section, found in the translated code as in an APK's
    assert {e["value"] for e in doc["endpoints"] if e["kind"] == "url"} == set(
        _rows(doc, "sdk.hosts")
    )
    # the entry points are the public/protected methods: what they reach, and what not
    assert pi["settings.android-id"]["reachable_from_api"] == 1
    assert "declared_by_sdk" not in pi["settings.android-id"]  # a JAR has no manifest
    assert pi["telephony.line1-number"]["reachable_from_api"] == 1  # through a private method
    assert pi["telephony.device-id"]["sites"] == 1
    assert pi["telephony.device-id"]["reachable_from_api"] == 0  # imei() is never called
    twin = mobsec.scan(built["twin-jar"]).to_json()
    assert "settings.android-id" not in {v["source"] for v in _rows(twin, "sdk.pi").values()}
    _valid(doc)


def test_aar_manifest_and_consumer_rules_and_twin(built: dict[str, Path]) -> None:
    doc = mobsec.scan(built["aar"]).to_json()
    rules = [d for d in doc["diagnostics"] if d["code"] == "aar.consumer_rule"]
    assert [d["detail"]["line"] for d in rules] == [1, 2] and all(
        d["message"]["zh-CN"] for d in rules
    )
    assert _rows(doc, "sdk.aar")["proguard.txt"] == ["-dontobfuscate", "-keep class ** { *; }"]
    assert "android.permission.READ_PHONE_STATE" in _rows(doc, "sdk.host_permissions")
    comp = _rows(doc, "sdk.host_components")["com.example.sdk.BootReceiver"]
    assert comp["exported"] and comp["actions"] == ["android.intent.action.BOOT_COMPLETED"]
    assert sorted(f["check_id"] for f in doc["findings"]) == [
        "android.manifest.exported-receiver",
        "android.privacy.device-identifier",  # Tracker.deviceId, a code check on classes.jar
    ]
    _valid(doc)
    twin = mobsec.scan(built["twin-aar"]).to_json()
    assert not [d for d in twin["diagnostics"] if d["code"] == "aar.consumer_rule"]
    assert _rows(twin, "sdk.aar")["proguard.txt"] == []
    assert twin["findings"] == []


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")
def test_aar_native_library_and_libs_jar(
    built: dict[str, Path], tmp_path: Path, corpus_dir: Path
) -> None:
    """jni/<abi>/*.so through the ELF reader; libs/*.jar read as code too (class path order:
    classes.jar first); the catalog names SDKs inside the SDK."""
    src = tmp_path / "n.c"
    src.write_text("#include <string.h>\nvoid cp(char *d, const char *s) { strcpy(d, s); }\n")
    so = tmp_path / "libnative.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True, timeout=120)
    support = CORPUS / "formats" / "jar" / "android-support-v4.jar"
    aar = build_aar(
        built["jar"],
        tmp_path / "n.aar",
        extra={"jni/x86_64/libnative.so": so, "libs/support.jar": support},
    )
    doc = mobsec.scan(aar).to_json()
    (lib,) = doc["native_libraries"]
    assert lib["path"] == "jni/x86_64/libnative.so" and lib["abi"] == "x86_64"
    jars = _rows(doc, "sdk.code")["jars"]
    assert [j["name"] for j in jars] == ["classes.jar", "libs/support.jar"]
    assert jars[1]["classes"] == 11
    assert "android-support" in {s["id"] for s in doc["sdks"]}
    _valid(doc)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_hostile_aar_parts_are_named_diagnostics(built: dict[str, Path], tmp_path: Path) -> None:
    """A classes.jar that is no ZIP, a manifest with a DTD, a truncated class in libs/:
    each a diagnostic naming the file, the rest of the SDK still read, never a crash."""
    with zipfile.ZipFile(built["jar"]) as z:
        cls = z.read("com/example/sdk/Tracker.class")
    bad_lib = _zip(tmp_path / "bad.jar", {"a/B.class": cls[:100]})
    aar = _zip(
        tmp_path / "hostile.aar",
        {
            "AndroidManifest.xml": b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]>'
            b"<manifest>&a;</manifest>",
            "classes.jar": b"this is not a zip",
            "R.txt": b"",
            "libs/bad.jar": bad_lib.read_bytes(),
        },
    )
    doc = mobsec.scan(aar).to_json()
    by_code = {d["code"]: d for d in doc["diagnostics"]}
    assert by_code["axml.text_xml_dtd"]["file"] == "AndroidManifest.xml"
    assert by_code["aar.bad_jar"]["file"] == "classes.jar"
    assert by_code["jvm.bad_class"]["file"] == "libs/bad.jar!/a/B.class"
    assert not [d for d in doc["diagnostics"] if d["code"].startswith("internal.")]
    assert doc["manifest"] is None and doc["findings"] == []
    _valid(doc)
