"""The inventory of real apps against what independent tools read from the same package:
versions against the build-metadata files themselves (zipfile), native hashes against
hashlib, permissions against ``aapt dump permissions``, framework API calls against the
invoke instructions ``dexdump -d`` disassembles."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec.engine import scan
from mobsec.facts.inventory.libraries import build_metadata_artifacts
from mobsec.report.schema import validate_report

pytestmark = pytest.mark.corpus

# Corpus apps that ship build metadata (META-INF/*.version, Google *.properties).
WITH_METADATA = [
    "vulnapps/InsecureShop.apk",
    "vulnapps/dvba.apk",
    "vulnapps/ovaa.apk",
    "vulnapps/UnCrackable-Level2.apk",
    "realworld/io.appium.settings-8.0.10-debug.apk",
]
_REPORTS: dict[Path, dict] = {}


def report_of(apk: Path) -> dict:
    if apk not in _REPORTS:
        _REPORTS[apk] = scan(apk).to_json()
    return _REPORTS[apk]


def metadata_versions(apk: Path) -> dict[str, str]:
    """{file name: version} read with zipfile, the way a person would check them."""
    out = {}
    with zipfile.ZipFile(apk) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace") if _is_metadata(name) else ""
            if name.endswith(".version"):
                out[name] = text.strip()
            elif name.endswith("pom.properties"):
                m = re.search(r"^version=(.+)$", text, re.M)
                if m:
                    out[name] = m.group(1).strip()
            elif name.endswith(".properties"):
                m = re.search(r"^version=(.+)$", text, re.M)
                if m and "client=" in text:
                    out[name] = m.group(1).strip()
    return out


def _is_metadata(name: str) -> bool:
    return (
        (name.startswith("META-INF/") and name.endswith(".version"))
        or ("/" not in name and name.endswith(".properties"))
        or (name.startswith("META-INF/maven/") and name.endswith("/pom.properties"))
    )


@pytest.mark.parametrize("rel", WITH_METADATA)
def test_versions_agree_with_the_apps_own_metadata(corpus_apks: Path, rel: str) -> None:
    apk = corpus_apks / rel
    doc = report_of(apk)
    validate_report(doc)
    truth = metadata_versions(apk)
    libs = doc["inventory"]["libraries"]
    # versions from metadata files (code-marker versions name a DEX: tested below)
    with_source = [
        lib for lib in libs if lib["version_source"] and ".dex: " not in lib["version_source"]
    ]
    assert with_source, "no library with a version from the metadata files"
    for lib in with_source:
        assert lib["version"] == truth[lib["version_source"]], lib
    # every META-INF version file is one library of the inventory, with its coordinate
    listed = {lib["version_source"] for lib in libs if lib["kind"] == "library"}
    meta_inf = {n for n in truth if n.startswith("META-INF/") and "_" in n}
    assert meta_inf <= listed
    # every catalogued SDK the code holds and a file dates says that file's version
    sdks = [lib for lib in libs if lib["kind"] == "sdk" and lib["version"]]
    for sdk in sdks:
        assert sdk["version"] == truth[sdk["version_source"]]


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("vulnapps/ovaa.apk", {"com.squareup.okhttp3:okhttp": "3.8.0"}),
        ("realworld/uiautomator2-app-uiautomator.apk", {"com.squareup.okhttp3:okhttp": "3.11.0"}),
        # OkHttp 2.x is another Maven group: the same marker prefix, another package
        (
            "realworld/appium-uiautomator2-server-debug-androidTest.apk",
            {"com.squareup.okhttp:okhttp": "2.7.5"},
        ),
        ("vulnapps/InsecureShop.apk", {}),
    ],
)
def test_versions_compiled_into_code(corpus_apks: Path, rel: str, expected: dict) -> None:
    apk = corpus_apks / rel
    libs = report_of(apk)["inventory"]["libraries"]
    from_code = {lib["id"]: lib for lib in libs if ".dex: " in (lib["version_source"] or "")}
    assert {k: v["version"] for k, v in from_code.items()} == expected
    # the string the source names is in that DEX, as `unzip -p | grep -a` shows
    with zipfile.ZipFile(apk) as z:
        for lib in from_code.values():
            dex, _, text = lib["version_source"].partition(": ")
            assert text.strip('"').encode() in z.read(dex)
            assert text.strip('"').endswith("/" + lib["version"])


def test_google_properties_give_maven_coordinates(corpus_apks: Path) -> None:
    apk = corpus_apks / "vulnapps/dvba.apk"
    with zipfile.ZipFile(apk) as z:
        found = build_metadata_artifacts(z.namelist(), z.read)
    by_id = {f"{a['group']}:{a['artifact']}": a["version"] for a in found}
    assert by_id["com.google.firebase:firebase-auth"] == "19.4.0"
    assert by_id["com.google.android.gms:play-services-base"] == "17.1.0"


def test_maven_pom_properties_give_coordinates() -> None:
    pom = "META-INF/maven/com.squareup.okhttp3/okhttp/pom.properties"
    files = {
        pom: b"#Generated by Maven\nversion=3.12.0\ngroupId=com.squareup.okhttp3\nartifactId=okhttp\n",
        # the path and the file disagree: which one is it? neither
        "META-INF/maven/com.google.code.gson/gson/pom.properties": b"version=2.8.6\n"
        b"groupId=com.evil\nartifactId=gson\n",
        "META-INF/maven/a/b/pom.properties": b"version=1.0<x>\ngroupId=a\nartifactId=b\n",
    }
    found = build_metadata_artifacts(files, files.get)
    assert found == [
        {"group": "com.squareup.okhttp3", "artifact": "okhttp", "version": "3.12.0", "source": pom}
    ]


def test_hostile_metadata_is_left_out() -> None:
    files = {
        "META-INF/a.b_c.version": b"1.2.3",
        "META-INF/nounderscore.version": b"1.0",  # no group/artifact split
        "META-INF/x.y_z.version": b"<script>alert(1)</script>",
        "META-INF/big_big.version": b"9" * 100_000,
        "evil.properties": b"client=firebase-x\nversion=../../etc",
        "ok.properties": b"client=play-services-ads\nversion=22.0.0",
    }
    found = build_metadata_artifacts(files, files.get)
    assert [(a["group"], a["artifact"], a["version"]) for a in found] == [
        ("a.b", "c", "1.2.3"),
        ("com.google.android.gms", "play-services-ads", "22.0.0"),
    ]


def test_native_libraries_with_their_hashes(corpus_apks: Path) -> None:
    apk = corpus_apks / "vulnapps/dvba.apk"
    natives = report_of(apk)["inventory"]["native_libraries"]
    with zipfile.ZipFile(apk) as z:
        expected = {
            n: hashlib.sha256(z.read(n)).hexdigest()
            for n in z.namelist()
            if n.startswith("lib/") and n.endswith(".so")
        }
    assert {n["path"]: n["sha256"] for n in natives} == expected


def test_permissions_as_aapt_reads_them(corpus_apks: Path) -> None:
    if shutil.which("aapt") is None:
        pytest.skip("aapt not installed")
    apk = corpus_apks / "vulnapps/InsecureShop.apk"
    out = subprocess.run(
        ["aapt", "dump", "permissions", str(apk)], capture_output=True, text=True, check=True
    ).stdout
    expected = set(re.findall(r"uses-permission: name='([^']+)'", out))
    assert set(report_of(apk)["inventory"]["permissions"]) == expected


def test_framework_apis_are_invoked(corpus_apks: Path, tmp_path: Path) -> None:
    if shutil.which("dexdump") is None:
        pytest.skip("dexdump not installed")
    apk = corpus_apks / "vulnapps/InsecureShop.apk"
    invoked: set[tuple[str, str]] = set()
    defined: set[str] = set()
    with zipfile.ZipFile(apk) as z:
        for name in z.namelist():
            if re.fullmatch(r"classes\d*\.dex", name):
                (tmp_path / name).write_bytes(z.read(name))
                dump = subprocess.run(
                    ["dexdump", "-d", str(tmp_path / name)], capture_output=True, errors="replace"
                ).stdout
                defined |= set(re.findall(r"Class descriptor\s*: 'L([^;]+);'", dump))
                for cls, meth in re.findall(r"invoke-\S+ \{[^}]*\}, L([^;]+);\.([^:]+):", dump):
                    invoked.add((cls.replace("/", "."), meth))
    apis = report_of(apk)["inventory"]["apis"]
    ours = {(c, m) for c, methods in apis.items() for m in methods}
    platform = ("android.", "java.", "javax.", "dalvik.")
    framework = {
        (c, m)
        for c, m in invoked
        if c.startswith(platform)
        and not c.startswith("android.support.")  # the support library ships in the APK
        and c.replace(".", "/") not in defined
    }
    assert ours, "no framework API found"
    assert ours <= invoked
    assert framework <= ours
    assert "android.webkit.WebView" in apis


def test_exported_components_and_hosts(corpus_apks: Path) -> None:
    doc = report_of(corpus_apks / "vulnapps/InsecureShop.apk")
    inv = doc["inventory"]
    exported = {c["name"] for c in doc["manifest"]["components"] if c["exported"]}
    assert {c["name"] for c in inv["exported_components"]} == exported
    url_hosts = {e["value"] for e in doc["endpoints"] if e["kind"] == "url"}
    assert {h["host"] for h in inv["hosts"]} == url_hosts
