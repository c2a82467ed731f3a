"""Split-APK sets (.apks, .xapk, .apkm) and App Bundles (.aab) scanned as one app.

Real bundletool sets and bundles from ../shared/corpus/formats; XAPK and APKM (no public
sample) are built here from the split set's APKs following their published layout
(``manifest.json`` / ``info.json`` + the APKs at the root). Facts are compared with ``aapt
dump badging`` on every APK inside the sets, and with ``aapt2 dump badging`` on the AAB's
base module repacked as a proto APK (manifest + resources.pb, what aapt2 reads).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.engine import scan
from mobsec.ingest.archive import Archive
from mobsec.ingest.bundle import read_split_set
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.schema import validate_report

pytestmark = pytest.mark.corpus

OPTIONS = ScanOptions(taint_seconds=2)
SPLIT_SET = "apks/mlevytskiy-Core_app.apks"
UNIVERSAL_SET = "apks/SimplestNotes_app.apks"
WATCH_AAB = "aab/bundletool_watch-face-from-tool.aab"
FEATURE_AAB = "aab/bundletool_install-time-permanent-modules.aab"
ONE_MODULE_AAB = "aab/appinfo_android.aab"


@pytest.fixture(scope="module")
def formats(corpus_dir: Path) -> Path:
    return corpus_dir / "formats"


@pytest.fixture(scope="module")
def reports(formats: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for rel in (SPLIT_SET, UNIVERSAL_SET, WATCH_AAB, FEATURE_AAB, ONE_MODULE_AAB):
        doc = scan(formats / rel, OPTIONS).to_json()
        validate_report(doc)
        out[rel] = doc
    return out


def _parts(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (section,) = [d for d in doc["platform_details"] if d["id"] == "android.bundle"]
    return {r["key"]: r["value"] for r in section["rows"]}


def _errors(doc: dict[str, Any]) -> list[str]:
    return [d["code"] for d in doc["diagnostics"] if d["level"] == "error"]


def test_split_set_is_one_app_located_per_split(reports: dict[str, dict[str, Any]]) -> None:
    doc = reports[SPLIT_SET]
    assert (doc["package"]["format"], doc["package"]["platform"]) == ("apks", "android")
    assert doc["app"]["package"] == "com.core.sample" and not _errors(doc)
    parts = _parts(doc)
    assert parts["splits/base-master.apk"]["kind"] == "base"
    assert parts["splits/base-en.apk"] == {
        "kind": "config",
        "split": "config.en",
        "size": 21718,
        "signer": "same",
    }
    assert parts["splits/base-xxhdpi.apk"]["split"] == "config.xxhdpi"
    assert [d["name"] for d in doc["code"]["dex_files"]] == ["splits/base-master.apk!/classes.dex"]
    assert doc["signing"]["verified"] is True
    assert doc["findings"]
    for f in doc["findings"]:  # every finding names the APK of the set it comes from
        assert f["location"]["file"] == "" or f["location"]["file"].startswith("splits/"), f
    # the verifier's own file names are also said inside their APK
    signing = [d for d in doc["diagnostics"] if d["code"].startswith("signing.")]
    assert all(d["file"].startswith("splits/base-master.apk") for d in signing)


def test_universal_set_is_its_universal_apk(reports: dict[str, dict[str, Any]]) -> None:
    doc = reports[UNIVERSAL_SET]
    assert doc["app"]["package"] == "com.example.SimplestNotes" and not _errors(doc)
    assert list(_parts(doc)) == ["universal.apk"]
    assert {d["name"] for d in doc["code"]["dex_files"]} == {"universal.apk!/classes.dex"}


def _badging(text: str) -> dict[str, Any]:
    pkg = re.search(
        r"^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'", text, re.M
    )
    split = re.search(r"^package: .*split='([^']*)'", text, re.M)
    return {
        "package": pkg.group(1) if pkg else None,
        "version_code": pkg.group(2) if pkg else None,
        "version_name": pkg.group(3) if pkg else None,
        "split": split.group(1) if split else "",
        "min_sdk": re.search(r"^sdkVersion:'(\d+)'", text, re.M),
        "permissions": sorted(re.findall(r"^uses-permission: name='([^']*)'", text, re.M)),
        "label": re.search(r"^application-label:'([^']*)'", text, re.M),
    }


@pytest.mark.parametrize("rel", [SPLIT_SET, UNIVERSAL_SET])
def test_facts_agree_with_aapt_on_every_apk_of_the_set(
    formats: Path, reports: dict[str, dict[str, Any]], android_tool, tmp_path: Path, rel: str
) -> None:
    doc = reports[rel]
    parts = _parts(doc)
    with zipfile.ZipFile(formats / rel) as z:
        for name in parts:
            apk = tmp_path / name.replace("/", "_")
            apk.write_bytes(z.read(name))
            aapt = _badging(android_tool("aapt", "dump", "badging", str(apk)))
            if aapt["split"]:
                assert parts[name]["kind"] == "config", name
                assert parts[name]["split"] == aapt["split"], name
                continue
            assert parts[name]["kind"] == "base", name
            app, manifest = doc["app"], doc["manifest"]
            assert aapt["package"] == app["package"]
            assert aapt["version_code"] == str(app["version_code"])
            assert aapt["version_name"] == app["version_name"]
            assert int(aapt["min_sdk"].group(1)) == app["min_sdk"]
            ours = sorted(p["name"] for p in manifest["uses_permissions"])
            assert aapt["permissions"] == ours


def _built_from_split_set(formats: Path, tmp_path: Path, kind: str, index: dict | None) -> Path:
    """An XAPK / APKM made of the split set's APKs, as the published layouts describe."""
    out = tmp_path / f"app.{kind}"
    with zipfile.ZipFile(formats / SPLIT_SET) as src, zipfile.ZipFile(out, "w") as dst:
        names = {
            "splits/base-master.apk": "com.core.sample.apk" if kind == "xapk" else "base.apk",
            "splits/base-en.apk": "config.en.apk" if kind == "xapk" else "split_config.en.apk",
            "splits/base-xxhdpi.apk": (
                "config.xxhdpi.apk" if kind == "xapk" else "split_config.xxhdpi.apk"
            ),
        }
        for old, new in names.items():
            dst.writestr(new, src.read(old), compress_type=zipfile.ZIP_STORED)
        if index is not None:
            dst.writestr("manifest.json" if kind == "xapk" else "info.json", json.dumps(index))
        dst.writestr("icon.png", b"\x89PNG\r\n\x1a\n")
    return out


XAPK_MANIFEST = {
    "xapk_version": 2,
    "package_name": "com.core.sample",
    "name": "Core",
    "version_code": "1",
    "version_name": "1.0",
    "min_sdk_version": "21",
    "split_configs": ["config.en", "config.xxhdpi"],
    "split_apks": [
        {"file": "com.core.sample.apk", "id": "base"},
        {"file": "config.en.apk", "id": "config.en"},
        {"file": "config.xxhdpi.apk", "id": "config.xxhdpi"},
    ],
}
APKM_INFO = {"apkm_version": 5, "app_name": "Core", "pname": "com.core.sample", "versioncode": "1"}


@pytest.mark.parametrize(("kind", "index"), [("xapk", XAPK_MANIFEST), ("apkm", APKM_INFO)])
def test_xapk_and_apkm_give_the_same_app_as_the_split_set(
    formats: Path,
    reports: dict[str, dict[str, Any]],
    tmp_path: Path,
    kind: str,
    index: dict,
) -> None:
    doc = scan(_built_from_split_set(formats, tmp_path, kind, index), OPTIONS).to_json()
    validate_report(doc)
    assert doc["package"]["format"] == kind and doc["package"]["platform"] == "android"
    assert not _errors(doc)
    assert "bundle.index_mismatch" not in {d["code"] for d in doc["diagnostics"]}
    ref = reports[SPLIT_SET]
    assert doc["app"] == ref["app"]
    assert {f["fingerprint"] for f in doc["findings"]} == {
        f["fingerprint"] for f in ref["findings"]
    }
    base = "com.core.sample.apk" if kind == "xapk" else "base.apk"
    assert _parts(doc)[base]["kind"] == "base"
    located = [f["location"]["file"] for f in doc["findings"] if f["location"]["file"]]
    assert located and all(file.startswith(f"{base}!/") for file in located)


def test_an_index_that_lies_about_the_package_is_named(formats: Path, tmp_path: Path) -> None:
    lying = dict(XAPK_MANIFEST, package_name="com.bank.trusted")
    doc = scan(_built_from_split_set(formats, tmp_path, "xapk", lying), OPTIONS).to_json()
    (d,) = [d for d in doc["diagnostics"] if d["code"] == "bundle.index_mismatch"]
    assert "com.bank.trusted" in d["message"]["en"] and d["message"]["zh-CN"]
    assert doc["app"]["package"] == "com.core.sample"  # the APKs decide, not the index


def test_aab_modules_union_and_locations(reports: dict[str, dict[str, Any]]) -> None:
    doc = reports[WATCH_AAB]
    assert (doc["package"]["format"], doc["package"]["platform"]) == ("aab", "android")
    assert not _errors(doc)
    assert [k for k in _parts(doc) if ": " not in k] == ["base", "runtime"]
    dex = [d["name"] for d in doc["code"]["dex_files"]]
    assert dex == ["base/dex/classes.dex", "runtime/dex/classes.dex", "runtime/dex/classes2.dex"]
    libs = {lib["path"]: lib["abi"] for lib in doc["native_libraries"]}
    assert libs["runtime/lib/arm64-v8a/libglide-webp.so"] == "arm64-v8a" and len(libs) == 5
    perms = {p["name"] for p in doc["manifest"]["uses_permissions"]}
    assert {"android.permission.BODY_SENSORS", "android.permission.SCHEDULE_EXACT_ALARM"} <= perms
    assert doc["signing"] is None  # an AAB is re-signed by the store; its APKs are not here
    for f in doc["findings"]:
        assert f["location"]["file"] == "" or f["location"]["file"].startswith(
            ("base/", "runtime/")
        )


def test_aab_feature_modules_are_named(reports: dict[str, dict[str, Any]]) -> None:
    doc = reports[FEATURE_AAB]
    parts = _parts(doc)
    assert [k for k in parts if ": " not in k] == ["base", "assets", "initialInstall", "java"]
    assert parts["java"] == {"kind": "feature", "split": "java", "size": 4868, "signer": ""}
    names = [d["name"] for d in doc["code"]["dex_files"]]
    assert names[0] == "base/dex/classes.dex" and "java/dex/classes.dex" in names


@pytest.mark.parametrize("rel", [WATCH_AAB, FEATURE_AAB, ONE_MODULE_AAB])
def test_aab_facts_agree_with_aapt2(
    formats: Path,
    reports: dict[str, dict[str, Any]],
    tmp_path: Path,
    android_tool: Callable[..., str],
    rel: str,
) -> None:
    """aapt2 reads a module as a "proto APK": the manifest at the root beside resources.pb."""
    proto_apk = tmp_path / "base-proto.apk"
    with zipfile.ZipFile(formats / rel) as z, zipfile.ZipFile(proto_apk, "w") as out:
        out.writestr("AndroidManifest.xml", z.read("base/manifest/AndroidManifest.xml"))
        out.writestr("resources.pb", z.read("base/resources.pb"))
    aapt = _badging(android_tool("aapt2", "dump", "badging", str(proto_apk)))
    doc = reports[rel]
    app = doc["app"]
    assert aapt["package"] == app["package"]
    assert aapt["version_code"] == str(app["version_code"])
    assert aapt["version_name"] == app["version_name"]
    assert int(aapt["min_sdk"].group(1)) == app["min_sdk"]
    assert aapt["permissions"] == sorted(p["name"] for p in doc["manifest"]["uses_permissions"])
    assert aapt["label"] and aapt["label"].group(1) == app["label"]  # @string resolved via .pb


def _run_split_set(path: Path, fmt: str = "apks") -> Diagnostics:
    diags = Diagnostics()
    with Archive.open(path, diags) as archive:
        bundle = read_split_set(archive, fmt, diags, PhaseRunner(diags, None), OPTIONS.limits, 1)
        if bundle is not None:
            bundle.close()
    return diags


def test_a_split_set_inside_a_split_set_is_named_not_opened(formats: Path, tmp_path: Path) -> None:
    inner = (formats / SPLIT_SET).read_bytes()
    outer = tmp_path / "nested.apks"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("toc.pb", b"")
        z.writestr("splits/base-master.apk", inner)  # a whole set where an APK should be
    diags = _run_split_set(outer)
    (d,) = [d for d in diags if d.code == "bundle.part_not_apk"]
    assert d.file == "splits/base-master.apk" and d.detail["looks_like"] == "apks"
    assert "bundle.no_base" in diags.codes()
    doc = scan(outer, OPTIONS).to_json()
    validate_report(doc)
    assert doc["scan"]["complete"] is False and doc["findings"] == []


def test_a_part_that_is_no_zip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "junk.apks"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("toc.pb", b"")
        z.writestr("splits/base-master.apk", b"%PDF-1.4 not an apk")
    diags = _run_split_set(path)
    assert "bundle.part_unreadable" in diags.codes()


def test_aab_gives_what_its_base_module_built_as_an_apk_gives(
    formats: Path,
    reports: dict[str, dict[str, Any]],
    tmp_path: Path,
    android_tool: Callable[..., str],
) -> None:
    """The single-module bundle and its base module converted to a binary APK by aapt2:
    the same manifest model, app facts and findings; only the place of each file differs
    (and the converted APK is unsigned)."""
    aab = formats / ONE_MODULE_AAB
    proto = tmp_path / "proto.apk"
    with zipfile.ZipFile(aab) as src, zipfile.ZipFile(proto, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            rest = name.removeprefix("base/")
            top, _, below = rest.partition("/")
            if rest != name and not name.endswith("/") and rest not in ("assets.pb", "native.pb"):
                dst.writestr(below if top in ("manifest", "dex", "root") else rest, src.read(name))
    apk = tmp_path / "base.apk"
    android_tool("aapt2", "convert", "-o", str(apk), "--output-format", "binary", str(proto))
    ours, theirs = reports[ONE_MODULE_AAB], scan(apk, OPTIONS).to_json()
    assert ours["manifest"] == theirs["manifest"] and ours["app"] == theirs["app"]
    by_print = {f["fingerprint"]: f for f in ours["findings"]}
    expected = [f for f in theirs["findings"] if f["check_id"] != "android.signing.unsigned"]
    assert sorted(by_print) == sorted(f["fingerprint"] for f in expected)
    in_bundle = {"AndroidManifest.xml": "base/manifest/AndroidManifest.xml"}
    for f in expected:
        file = f["location"]["file"]
        where = in_bundle.get(file, f"base/dex/{file}" if file.endswith(".dex") else file)
        assert by_print[f["fingerprint"]]["location"]["file"] == where


def test_a_split_signed_by_another_key_is_named(
    formats: Path, tmp_path: Path, android_tool: Callable[..., str]
) -> None:
    """An XAPK whose native/config split was replaced and re-signed by someone else; the
    untouched set (above) has every split "signed like the base"."""
    from tests.fixtures.build import KEY_ALIAS, KEYSTORE, KEYSTORE_PASSWORD_FILE

    xapk = _built_from_split_set(formats, tmp_path, "xapk", XAPK_MANIFEST)
    unsigned = tmp_path / "config.en-unsigned.apk"
    with zipfile.ZipFile(xapk) as z:
        original = z.read("config.en.apk")
    with zipfile.ZipFile(io.BytesIO(original)) as split, zipfile.ZipFile(unsigned, "w") as out:
        for info in split.infolist():
            if not info.filename.startswith("META-INF/"):
                out.writestr(info, split.read(info))
    resigned = tmp_path / "config.en.apk"
    password = KEYSTORE_PASSWORD_FILE.read_text(encoding="utf-8").strip()
    android_tool(
        "apksigner", "sign", "--ks", str(KEYSTORE), "--ks-key-alias", KEY_ALIAS,
        "--ks-pass", f"pass:{password}", "--min-sdk-version", "21",
        "--out", str(resigned), str(unsigned),
    )  # fmt: skip
    swapped = tmp_path / "swapped.xapk"
    with zipfile.ZipFile(xapk) as z, zipfile.ZipFile(swapped, "w") as out:
        for info in z.infolist():
            data = resigned.read_bytes() if info.filename == "config.en.apk" else z.read(info)
            out.writestr(info, data)
    doc = scan(swapped, OPTIONS).to_json()
    (d,) = [d for d in doc["diagnostics"] if d["code"] == "bundle.split_signature"]
    assert d["file"] == "config.en.apk" and d["detail"]["signer"] == "other"
    assert _parts(doc)["config.en.apk"]["signer"] == "other"
    assert _parts(doc)["config.xxhdpi.apk"]["signer"] == "same"


def test_bundle_parts_are_shown_by_every_renderer(reports: dict[str, dict[str, Any]]) -> None:
    from mobsec.report.render import render

    doc = reports[SPLIT_SET]
    html = render(doc, "html", "en").decode()
    assert 'id="details-android.bundle"' in html and "splits/base-en.apk" in html
    sarif = json.loads(render(doc, "sarif", "en"))
    (section,) = sarif["runs"][0]["properties"]["platformDetails"]
    assert section["id"] == "android.bundle" and len(section["rows"]) == 3


@pytest.mark.parametrize("rel", [WATCH_AAB, FEATURE_AAB, ONE_MODULE_AAB])
def test_aab_upload_signature_agrees_with_keytool(
    formats: Path, reports: dict[str, dict[str, Any]], android_tool: Callable[..., str], rel: str
) -> None:
    """keytool verifies the JAR signature and prints the signer, or names the broken digest
    (bundletool's test bundle was changed after signing: BundleConfig.pb)."""
    printed = android_tool("keytool", "-printcert", "-jarfile", str(formats / rel), ok_codes=(0, 1))
    doc = reports[rel]
    signature = _parts(doc)["META-INF: upload signature (JAR)"]
    codes = {d["code"] for d in doc["diagnostics"]}
    if "digest error" in printed:
        assert signature["verified"] is False and "bundle.signature_invalid" in codes
        assert signature["errors"] == ["signing.v1.entry_digest_mismatch"]
        return
    theirs = re.search(r"SHA256: ([0-9A-F:]+)", printed).group(1).replace(":", "").lower()
    assert signature["verified"] is True and "bundle.signature_invalid" not in codes
    assert signature["sha256"] == theirs and signature["subject"]


FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")


def test_native_code_in_abi_splits_is_checked_and_located(
    fixture_apk: Callable[[str], Path], tmp_path: Path, android_tool: Callable[..., str]
) -> None:
    """The native-libs fixture cut the way bundletool cuts it: a base without lib/ plus one
    config split per ABI (aapt-built split manifests, signed with the same key). The checks
    run on the union and give what the single APK gives; each library is named in its split."""
    from tests.fixtures.build import KEY_ALIAS, KEYSTORE, KEYSTORE_PASSWORD_FILE

    if not FRAMEWORK_RES.exists():
        pytest.skip("no framework-res.apk for aapt -I (apt install android-framework-res)")
    apk = fixture_apk("native-libs")
    password = KEYSTORE_PASSWORD_FILE.read_text(encoding="utf-8").strip()

    def sign(unsigned: Path, out: Path) -> Path:
        android_tool(
            "apksigner", "sign", "--ks", str(KEYSTORE), "--ks-key-alias", KEY_ALIAS,
            "--ks-pass", f"pass:{password}", "--min-sdk-version", "21",
            "--out", str(out), str(unsigned),
        )  # fmt: skip
        return out

    parts: dict[str, Path] = {}
    with zipfile.ZipFile(apk) as src:
        base = tmp_path / "base-unsigned.apk"
        with zipfile.ZipFile(base, "w") as out:
            for info in src.infolist():
                if not info.filename.startswith(("lib/", "META-INF/")):
                    out.writestr(info, src.read(info))
        parts["splits/base-master.apk"] = sign(base, tmp_path / "base-master.apk")
        for abi in ("arm64-v8a", "x86_64"):
            split = f"config.{abi.replace('-', '_')}"
            (tmp_path / split).mkdir()
            manifest = tmp_path / split / "AndroidManifest.xml"  # the name aapt insists on
            manifest.write_text(
                '<manifest xmlns:android="http://schemas.android.com/apk/res/android" '
                f'package="com.example.nativelibs" split="{split}">'
                '<application android:hasCode="false"/></manifest>',
                encoding="utf-8",
            )
            unsigned = tmp_path / f"{split}-unsigned.apk"
            android_tool(
                "aapt", "package", "-f", "-M", str(manifest), "-I", str(FRAMEWORK_RES),
                "-F", str(unsigned),
            )  # fmt: skip
            with zipfile.ZipFile(unsigned, "a") as out:
                for name in src.namelist():
                    if name.startswith(f"lib/{abi}/"):
                        out.writestr(name, src.read(name))
            name = f"splits/base-{abi.replace('-', '_')}.apk"
            parts[name] = sign(unsigned, tmp_path / name.replace("/", "_"))
    apks = tmp_path / "native.apks"
    with zipfile.ZipFile(apks, "w") as out:
        out.writestr("toc.pb", b"")
        for name, path in parts.items():
            out.writestr(name, path.read_bytes())

    ours, single = scan(apks, OPTIONS).to_json(), scan(apk, OPTIONS).to_json()
    validate_report(ours)
    assert not _errors(ours)
    assert {k: v["kind"] for k, v in _parts(ours).items()} == {
        "splits/base-master.apk": "base",
        "splits/base-arm64_v8a.apk": "config",
        "splits/base-x86_64.apk": "config",
    }
    assert all(v["signer"] in ("base", "same") for v in _parts(ours).values())
    libs = {lib["path"]: lib["abi"] for lib in ours["native_libraries"]}
    assert libs == {
        "splits/base-arm64_v8a.apk!/lib/arm64-v8a/libhardened.so": "arm64-v8a",
        "splits/base-arm64_v8a.apk!/lib/arm64-v8a/libweak.so": "arm64-v8a",
        "splits/base-x86_64.apk!/lib/x86_64/libhardened.so": "x86_64",
        "splits/base-x86_64.apk!/lib/x86_64/libweak.so": "x86_64",
    }
    native = sorted(f["check_id"] for f in ours["findings"] if ".native." in f["check_id"])
    assert native and native == sorted(
        f["check_id"] for f in single["findings"] if ".native." in f["check_id"]
    )
    assert {f["fingerprint"] for f in ours["findings"] if ".native." in f["check_id"]} == {
        f["fingerprint"] for f in single["findings"] if ".native." in f["check_id"]
    }


_AAPT_VALUE = re.compile(r"^\s+resource (0x[0-9a-f]{8}) ")


def test_config_splits_resources_are_merged_as_aapt_lists_them(
    formats: Path, android_tool, tmp_path: Path
) -> None:
    """Every value `aapt dump resources` lists in any APK of the set (base-master, the en
    and xxhdpi config splits) is in the app's one table, under the same id, and the split-only
    values (other locales, densities) resolve by name like the base's."""
    diags = Diagnostics()
    with Archive.open(formats / SPLIT_SET, diags) as container:
        bundle = read_split_set(
            container, "apks", diags, PhaseRunner(diags, None), OPTIONS.limits, 1
        )
        assert bundle is not None
        table = bundle.package.resources
        assert table is not None
        per_id: dict[int, int] = {}
        with zipfile.ZipFile(formats / SPLIT_SET) as z:
            for name in ("splits/base-master.apk", "splits/base-en.apk", "splits/base-xxhdpi.apk"):
                apk = tmp_path / name.replace("/", "_")
                apk.write_bytes(z.read(name))
                for line in android_tool("aapt", "dump", "resources", str(apk)).splitlines():
                    m = _AAPT_VALUE.match(line)
                    if m:
                        res_id = int(m.group(1), 16)
                        per_id[res_id] = per_id.get(res_id, 0) + 1
        assert table.entry_count() == sum(per_id.values()) == 2290
        assert {i: len(table.values(i)) for i in per_id} == per_id
        home = table.find("string", "abc_action_bar_home_description")
        configs = {c for c, _v in table.values(home)}
        assert "" in configs and {"en-rGB", "en-rCA"} <= configs  # en-* only in config.en
        assert table.name_of(home) == "@string/abc_action_bar_home_description"
        split_only = [i for i in per_id if table.name_of(i) is None]
        assert split_only == []  # names of split-only resources come with their values
