"""Manifest model: corpus APKs against `aapt dump badging`/`xmltree`, and aapt-built twins
for every platform rule (each rule has a fixture where it applies and one where it does not).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.facts.manifest import (
    Manifest,
    build_manifest,
    decode_protection_level,
    platform_permissions,
    qualify_class_name,
)
from mobsec.ingest.arsc import parse_arsc
from mobsec.ingest.axml import parse_axml

FRAMEWORK = Path("/usr/share/android-framework-res/framework-res.apk")
needs_aapt = pytest.mark.skipif(
    shutil.which("aapt") is None or not FRAMEWORK.is_file(),
    reason="aapt and android-framework-res are needed (apt-get install aapt android-framework-res)",
)


def _load(apk: Path) -> tuple[Manifest, Diagnostics]:
    d = Diagnostics()
    with zipfile.ZipFile(apk) as z:
        names = set(z.namelist())
        root = parse_axml(z.read("AndroidManifest.xml"), "AndroidManifest.xml", d)
        res = (
            parse_arsc(z.read("resources.arsc"), "resources.arsc", d)
            if "resources.arsc" in names
            else None
        )
    assert root is not None, [str(x) for x in d]
    return build_manifest(root, res, "AndroidManifest.xml", d), d


NS = 'xmlns:android="http://schemas.android.com/apk/res/android"'


def _build(tmp_path: Path, body: str, sdk: str = "", values: str = "", pkg: str = "com.ex") -> Path:
    """Compile a manifest (and optional values) with aapt, as a real APK build would."""
    (tmp_path / "res" / "values").mkdir(parents=True, exist_ok=True)
    (tmp_path / "res" / "xml").mkdir(exist_ok=True)
    (tmp_path / "res" / "xml" / "nsc.xml").write_text("<network-security-config/>")
    (tmp_path / "res" / "values" / "v.xml").write_text(
        '<resources><string name="app_name">Example</string>'
        '<bool name="yes">true</bool><bool name="no">false</bool>'
        '<item name="yes_alias" type="bool">@bool/yes</item>'
        f"{values}</resources>"
    )
    (tmp_path / "AndroidManifest.xml").write_text(
        f'<manifest {NS} package="{pkg}" android:versionCode="7" android:versionName="1.7">'
        f"{sdk}{body}</manifest>"
    )
    out = tmp_path / "out.apk"
    subprocess.run(
        [
            "aapt", "package", "-f", "-M", str(tmp_path / "AndroidManifest.xml"),
            "-S", str(tmp_path / "res"), "-I", str(FRAMEWORK), "-F", str(out),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out


def _sdk(min_sdk: int, target: int) -> str:
    return f'<uses-sdk android:minSdkVersion="{min_sdk}" android:targetSdkVersion="{target}"/>'


MAIN = (
    '<intent-filter><action android:name="android.intent.action.MAIN"/>'
    '<category android:name="android.intent.category.LAUNCHER"/></intent-filter>'
)


# --------------------------------------------------------------------------------------------
# Corpus against aapt.


def _badging(apk: Path) -> dict[str, object]:
    out = subprocess.run(
        ["aapt", "dump", "badging", str(apk)], capture_output=True, text=True
    ).stdout
    info: dict[str, object] = {"perms": [], "implied": set(), "launchable": None, "label": None}
    for line in out.splitlines():
        if line.startswith("package:"):
            info.update(dict(re.findall(r"(\w+)='([^']*)'", line)))
        elif m := re.match(r"sdkVersion:'(\d+)'", line):
            info["min"] = int(m.group(1))
        elif m := re.match(r"targetSdkVersion:'(\d+)'", line):
            info["target"] = int(m.group(1))
        elif m := re.match(r"uses-permission(?:-sdk-23)?: name='([^']*)'", line):
            info["perms"].append(m.group(1))  # type: ignore[union-attr]
        elif m := re.match(r"uses-implied-permission: name='([^']*)'", line):
            info["implied"].add(m.group(1))  # type: ignore[union-attr]
        elif m := re.match(r"launchable-activity: name='([^']*)'", line):
            info["launchable"] = m.group(1)
        elif m := re.match(r"application-label:'(.*)'$", line):
            info["label"] = m.group(1)
        elif line == "application-debuggable":
            info["debuggable"] = True
    return info


def _xmltree_components(apk: Path) -> list[tuple[str, str]]:
    out = subprocess.run(
        ["aapt", "dump", "xmltree", str(apk), "AndroidManifest.xml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    comps = []
    kinds = ("activity", "activity-alias", "service", "receiver", "provider")
    for i, line in enumerate(out):
        m = re.match(r"^(\s*)E: (?:[\w-]+:)?([\w-]+) \(line=", line)
        if not m or m.group(2) not in kinds:
            continue
        for attr_line in out[i + 1 :]:
            if not attr_line.lstrip().startswith("A:"):
                break
            if n := re.match(r'^\s*A: android:name\(0x01010003\)="([^"]*)"', attr_line):
                comps.append((m.group(2), n.group(1)))
                break
    return comps


def _corpus_apks(corpus_apks: Path) -> list[Path]:
    apks = sorted((corpus_apks / "vulnapps").glob("*.apk"))
    apks += sorted((corpus_apks / "realworld").glob("*.apk"))
    apks += sorted((corpus_apks / "droidbench").glob("*.apk"))[::8]
    return apks


@needs_aapt
def test_corpus_manifests_agree_with_aapt(corpus_apks: Path) -> None:
    checked = 0
    for apk in _corpus_apks(corpus_apks):
        m, d = _load(apk)
        assert not [x for x in d if x.level == "error"], apk
        b = _badging(apk)
        assert m.package == b["name"], apk
        if b.get("versionCode"):
            assert str(m.version_code) == b["versionCode"], apk
        if b.get("versionName"):
            assert m.version_name == b["versionName"], apk
        if b.get("compileSdkVersion"):
            assert str(m.compile_sdk) == b["compileSdkVersion"], apk
        if b.get("platformBuildVersionName"):
            assert m.platform_build_version_name == b["platformBuildVersionName"], apk
        if "min" in b:
            assert m.min_sdk == b["min"], apk
        if "target" in b:
            assert m.target_sdk == b["target"], apk
        # aapt adds permissions the platform implies (e.g. READ_ with WRITE_EXTERNAL_STORAGE).
        implied = b["implied"]
        assert [p for p in m.permission_names() if p not in implied] == [
            p for p in b["perms"] if p not in implied
        ], apk
        if b["launchable"]:
            assert b["launchable"] in [c.name for c in m.launcher_activities], apk
        if b["label"]:
            assert m.application.label == b["label"], apk
        assert m.application.debuggable == bool(b.get("debuggable")), apk
        expected = [(k, qualify_class_name(m.package, n)) for k, n in _xmltree_components(apk)]
        assert [(c.kind, c.name) for c in m.components] == expected, apk
        json.dumps(m.to_json())
        checked += 1
    assert checked >= 40


def test_corpus_known_facts(corpus_apks: Path) -> None:
    m, _ = _load(corpus_apks / "realworld" / "appium-uiautomator2-server-v10.6.6.apk")
    assert m.application.debuggable and m.application.allow_backup
    m, _ = _load(corpus_apks / "realworld" / "uiautomator2-app-uiautomator.apk")
    assert m.application.debuggable and m.application.uses_cleartext_traffic
    m, _ = _load(corpus_apks / "vulnapps" / "AndroGoat.apk")
    assert m.application.network_security_config == "res/xml/network_security_config.xml"
    m, _ = _load(corpus_apks / "vulnapps" / "diva-beta.apk")
    provider = m.components_of("provider")[0]
    assert provider.name == "jakhar.aseem.diva.NotesProvider"
    assert provider.exported and provider.exported_reason == "declared"
    # aapt's badging lists a launchable activity even when it is disabled; Android's
    # launcher does not show it, and neither do we.
    m, _ = _load(corpus_apks / "droidbench" / "AndroidSpecific__InactiveActivity.apk")
    main = m.components_of("activity")[0]
    assert main.name == "de.ecspride.InactiveActivity" and not main.enabled
    assert m.launcher_activities == []


def test_corpus_debuggable_literal_vs_resource(corpus_apks: Path) -> None:
    """apksig's pair. The resource twin's @bool/debuggable is *false* in its only
    configuration (see `aapt dump --values resources`), so Android does not make it
    debuggable; we report that and flag the indirection for checks."""
    lit, _ = _load(corpus_apks / "androguard" / "APK__apksig__debuggable-boolean.apk")
    ref, _ = _load(corpus_apks / "androguard" / "APK__apksig__debuggable-resource.apk")
    assert lit.application.debuggable is True and not lit.application.debuggable_is_reference
    assert ref.application.debuggable_is_reference is True
    assert ref.application.debuggable is False


def test_appium_manifest_builds(corpus_apks: Path) -> None:
    """The largest app's manifest and resources read cleanly (their speed is measured in
    bench/bench_readers.py)."""
    apk = corpus_apks / "realworld" / "appium-uiautomator2-server-v10.6.6.apk"
    with zipfile.ZipFile(apk) as z:
        manifest, arsc = z.read("AndroidManifest.xml"), z.read("resources.arsc")
    d = Diagnostics()
    root = parse_axml(manifest, "AndroidManifest.xml", d)
    res = parse_arsc(arsc, "resources.arsc", d)
    assert root is not None and res is not None
    doc = build_manifest(root, res, "AndroidManifest.xml", d).to_json()
    assert doc["package"] == "io.appium.uiautomator2.server"


# --------------------------------------------------------------------------------------------
# Rules, each with a twin.


@needs_aapt
def test_exported_implicit_by_intent_filter_vs_explicit_false(tmp_path: Path) -> None:
    body = (
        "<application>"
        f'<activity android:name=".Implicit">{MAIN}</activity>'
        f'<activity android:name=".Explicit" android:exported="false">{MAIN}</activity>'
        '<activity android:name=".NoFilter"/>'
        '<service android:name=".Svc" android:exported="true"/>'
        "</application>"
    )
    m, _ = _load(_build(tmp_path, body, _sdk(21, 30)))
    c = {x.name: x for x in m.components}
    assert c["com.ex.Implicit"].exported and c["com.ex.Implicit"].exported_reason == "intent-filter"
    assert not c["com.ex.Explicit"].exported and c["com.ex.Explicit"].exported_declared is False
    assert not c["com.ex.NoFilter"].exported
    assert c["com.ex.NoFilter"].exported_reason == "no-intent-filter"
    assert c["com.ex.Svc"].exported
    assert not any(x.missing_exported_blocks_install for x in m.components)
    assert [x.name for x in m.launcher_activities] == ["com.ex.Implicit", "com.ex.Explicit"]


@needs_aapt
def test_target_31_missing_exported_blocks_install(tmp_path: Path) -> None:
    body = f'<application><activity android:name=".A">{MAIN}</activity></application>'
    m31, d31 = _load(_build(tmp_path / "a", body, _sdk(21, 31)))
    m30, d30 = _load(_build(tmp_path / "b", body, _sdk(21, 30)))
    assert m31.components[0].missing_exported_blocks_install
    assert m31.install_blockers == ["missing-exported-with-intent-filter"]
    assert "manifest.exported_required" in d31.codes()
    assert not m30.components[0].missing_exported_blocks_install and not m30.install_blockers
    assert "manifest.exported_required" not in d30.codes()


@needs_aapt
def test_provider_default_export_by_target_sdk(tmp_path: Path) -> None:
    body = '<application><provider android:name=".P" android:authorities="a.b;c.d"/></application>'
    m16, _ = _load(_build(tmp_path / "a", body, _sdk(8, 16)))
    m17, _ = _load(_build(tmp_path / "b", body, _sdk(8, 17)))
    p16, p17 = m16.components[0], m17.components[0]
    assert p16.exported is True and p16.exported_reason == "provider-sdk"
    assert p17.exported is False
    assert p16.authorities == ["a.b", "c.d"]


@needs_aapt
def test_debuggable_by_resource_reference_true_vs_false(tmp_path: Path) -> None:
    yes, _ = _load(_build(tmp_path / "a", '<application android:debuggable="@bool/yes_alias"/>'))
    no, _ = _load(_build(tmp_path / "b", '<application android:debuggable="@bool/no"/>'))
    absent, _ = _load(_build(tmp_path / "c", "<application/>"))
    assert yes.application.debuggable is True and yes.application.debuggable_is_reference
    assert no.application.debuggable is False and no.application.debuggable_is_reference
    assert absent.application.debuggable is False


@needs_aapt
def test_cleartext_default_by_target_sdk_and_declared(tmp_path: Path) -> None:
    m27, _ = _load(_build(tmp_path / "a", "<application/>", _sdk(21, 27)))
    m28, _ = _load(_build(tmp_path / "b", "<application/>", _sdk(21, 28)))
    decl, _ = _load(
        _build(tmp_path / "c", '<application android:usesCleartextTraffic="true"/>', _sdk(21, 28))
    )
    assert m27.application.uses_cleartext_traffic is True
    assert m28.application.uses_cleartext_traffic is False
    assert decl.application.uses_cleartext_traffic is True
    assert decl.application.uses_cleartext_traffic_declared is True


@needs_aapt
def test_sdk_defaults_and_codename(tmp_path: Path) -> None:
    none, _ = _load(_build(tmp_path / "a", "<application/>"))
    only_min, _ = _load(
        _build(tmp_path / "b", "<application/>", '<uses-sdk android:minSdkVersion="15"/>')
    )
    assert (none.min_sdk, none.target_sdk, none.max_sdk) == (1, 1, None)
    assert (only_min.min_sdk, only_min.target_sdk) == (15, 15)
    assert (none.version_code, none.version_name) == (7, "1.7")


@needs_aapt
def test_application_flags_and_references(tmp_path: Path) -> None:
    body = (
        '<application android:name=".App" android:label="@string/app_name" '
        'android:allowBackup="false" android:networkSecurityConfig="@xml/nsc" '
        'android:testOnly="true" android:largeHeap="true" android:extractNativeLibs="false" '
        'android:hasFragileUserData="true" android:requestLegacyExternalStorage="true" '
        'android:taskAffinity="x.y" android:fullBackupContent="@xml/nsc" '
        'android:permission="com.ex.APP_PERM"/>'
    )
    m, _ = _load(_build(tmp_path / "a", body, _sdk(21, 29)))
    default, _ = _load(_build(tmp_path / "b", "<application/>", _sdk(21, 29)))
    a = m.application
    assert a.name == "com.ex.App" and a.label == "Example"
    assert a.allow_backup is False and default.application.allow_backup is True
    assert a.network_security_config == "res/xml/nsc.xml"
    assert default.application.network_security_config is None
    assert a.full_backup_content == "res/xml/nsc.xml"
    assert a.test_only and a.large_heap and a.has_fragile_user_data
    assert a.request_legacy_external_storage and not a.extract_native_libs
    assert default.application.extract_native_libs
    assert a.task_affinity == "x.y" and a.permission == "com.ex.APP_PERM"


def test_class_name_rules() -> None:
    assert qualify_class_name("com.ex", ".Foo") == "com.ex.Foo"
    assert qualify_class_name("com.ex", "Foo") == "com.ex.Foo"
    assert qualify_class_name("com.ex", "a.b.Foo") == "a.b.Foo"


@needs_aapt
def test_components_details_and_permission_inheritance(tmp_path: Path) -> None:
    body = (
        '<application android:permission="com.ex.APP">'
        '<activity android:name="Plain" android:launchMode="singleTask" '
        'android:taskAffinity="" android:allowTaskReparenting="true" android:process=":p" '
        'android:directBootAware="true" android:enabled="false"/>'
        '<activity android:name="a.b.Own" android:permission="com.ex.OWN"/>'
        '<activity-alias android:name=".Alias" android:targetActivity="a.b.Own">'
        f"{MAIN}</activity-alias>"
        '<receiver android:name=".R" android:exported="true"/>'
        '<provider android:name=".P" android:authorities="p" android:exported="true" '
        'android:readPermission="com.ex.READ" android:grantUriPermissions="true">'
        '<grant-uri-permission android:pathPrefix="/files"/>'
        '<path-permission android:pathPrefix="/secret" android:permission="com.ex.SECRET"/>'
        '<meta-data android:name="k" android:value="v"/>'
        '<meta-data android:name="r" android:resource="@xml/nsc"/>'
        "</provider>"
        "</application>"
    )
    m, _ = _load(_build(tmp_path, body, _sdk(21, 29)))
    c = {x.name: x for x in m.components}
    plain = c["com.ex.Plain"]
    assert plain.launch_mode == "singleTask" and plain.allow_task_reparenting
    assert plain.task_affinity == "" and plain.process == ":p" and plain.direct_boot_aware
    assert plain.enabled is False
    assert plain.permission == "com.ex.APP" and plain.permission_source == "application"
    assert c["a.b.Own"].permission == "com.ex.OWN"
    alias = c["com.ex.Alias"]
    assert alias.kind == "activity-alias" and alias.target_activity == "a.b.Own"
    assert alias.permission == "com.ex.OWN" and alias.permission_source == "target-activity"
    assert [x.name for x in m.launcher_activities] == ["com.ex.Alias"]
    assert c["com.ex.R"].permission == "com.ex.APP"
    p = c["com.ex.P"]
    assert p.read_permission == "com.ex.READ" and p.write_permission == "com.ex.APP"
    assert p.grant_uri_permissions and p.grant_uri_permission_paths == [{"pathPrefix": "/files"}]
    assert p.path_permissions[0]["permission"] == "com.ex.SECRET"
    assert p.meta_data == [
        {"name": "k", "value": "v"},
        {"name": "r", "resource": "res/xml/nsc.xml"},
    ]
    json.dumps(m.to_json())


@needs_aapt
def test_intent_filters_and_deep_links(tmp_path: Path) -> None:
    body = (
        "<application>"
        '<activity android:name=".Link" android:exported="true">'
        '<intent-filter android:autoVerify="true" android:priority="5">'
        '<action android:name="android.intent.action.VIEW"/>'
        '<category android:name="android.intent.category.DEFAULT"/>'
        '<category android:name="android.intent.category.BROWSABLE"/>'
        '<data android:scheme="https"/><data android:scheme="app"/>'
        '<data android:host="ex.com" android:pathPrefix="/open"/>'
        "</intent-filter></activity>"
        '<activity android:name=".NotBrowsable" android:exported="true"><intent-filter>'
        '<action android:name="android.intent.action.VIEW"/>'
        '<data android:scheme="https" android:host="no.com" android:mimeType="text/plain"/>'
        "</intent-filter></activity>"
        "</application>"
    )
    m, _ = _load(_build(tmp_path, body, _sdk(21, 29)))
    f = m.components[0].intent_filters[0]
    assert f.auto_verify and f.priority == 5
    assert f.categories == ["android.intent.category.DEFAULT", "android.intent.category.BROWSABLE"]
    assert sorted(dl.url() for dl in m.deep_links) == ["app://ex.com/open*", "https://ex.com/open*"]
    assert all(dl.component == "com.ex.Link" and dl.auto_verify for dl in m.deep_links)
    nb = m.components[1].intent_filters[0].data[0]
    assert (nb.scheme, nb.host, nb.mime_type) == ("https", "no.com", "text/plain")


@needs_aapt
def test_permissions_features_queries_instrumentation(tmp_path: Path) -> None:
    body = (
        '<permission android:name="com.ex.SIG" android:protectionLevel="signature|privileged"/>'
        '<permission android:name="com.ex.NORMAL"/>'
        '<permission-group android:name="com.ex.GROUP"/>'
        '<uses-permission android:name="android.permission.READ_CONTACTS"/>'
        '<uses-permission android:name="android.permission.INTERNET" android:maxSdkVersion="28"/>'
        '<uses-permission-sdk-23 android:name="android.permission.CAMERA"/>'
        '<uses-permission android:name="com.ex.SIG"/>'
        '<uses-permission android:name="com.other.UNKNOWN"/>'
        '<uses-feature android:name="android.hardware.camera" android:required="false"/>'
        '<uses-feature android:glEsVersion="0x00020000"/>'
        '<queries><package android:name="com.target"/>'
        '<intent><action android:name="android.intent.action.SEND"/></intent></queries>'
        '<queries><package android:name="com.second"/></queries>'
        '<instrumentation android:name=".Instr" android:targetPackage="com.ex"/>'
        '<application><uses-library android:name="org.apache.http.legacy"/>'
        '<meta-data android:name="com.sdk.API_KEY" android:value="abc123"/>'
        '<service android:name=".S" android:isolatedProcess="true" android:exported="false"/>'
        "</application>"
    )
    m, _ = _load(_build(tmp_path, body, _sdk(21, 30)))
    defs = {p.name: p.protection_level for p in m.permissions}
    assert defs == {"com.ex.SIG": "signature|privileged", "com.ex.NORMAL": "normal"}
    assert m.permission_groups == ["com.ex.GROUP"]
    up = {p.name: p for p in m.uses_permissions}
    assert up["android.permission.READ_CONTACTS"].protection_level == "dangerous"
    assert up["android.permission.INTERNET"].max_sdk == 28
    assert up["android.permission.CAMERA"].sdk23_only
    assert up["com.ex.SIG"].protection_level == "signature|privileged"
    assert up["com.other.UNKNOWN"].protection_level is None
    assert m.uses_features[0] == {
        "name": "android.hardware.camera",
        "required": False,
        "gl_es_version": None,
    }
    assert m.uses_features[1]["gl_es_version"] == 0x20000
    assert m.queries["packages"] == ["com.target", "com.second"]  # all <queries> merged
    assert m.queries["intents"][0]["actions"] == ["android.intent.action.SEND"]
    assert m.instrumentations[0]["name"] == "com.ex.Instr"
    assert m.uses_libraries == [
        {"name": "org.apache.http.legacy", "required": True, "native": False}
    ]
    assert m.application.meta_data == [{"name": "com.sdk.API_KEY", "value": "abc123"}]
    svc = m.components_of("service")[0]
    assert svc.attributes["android:isolatedProcess"] is True
    assert svc.attributes["android:name"] == ".S"


def test_protection_level_decoding_and_platform_data() -> None:
    assert decode_protection_level(0x12) == "signature|privileged"
    assert decode_protection_level(1) == "dangerous"
    assert decode_protection_level(0x4E2) == "signature|development|appop|pre23|preinstalled"
    perms = platform_permissions()
    assert perms["android.permission.READ_SMS"] == "dangerous"
    assert perms["android.permission.INSTALL_PACKAGES"].startswith("signature")
    assert perms["android.permission.INTERNET"].startswith("normal")
    assert perms["android.permission.POST_NOTIFICATIONS"] == "dangerous"


# --------------------------------------------------------------------------------------------
# Fuzz: whatever tree the reader salvages, the model builds without exceptions.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.conftest import CORPUS  # noqa: E402

_FUZZ_APK = CORPUS / "apks" / "vulnapps" / "InsecureShop.apk"


def _fuzz_inputs() -> tuple[bytes, bytes] | None:
    if not _FUZZ_APK.is_file():
        return None
    with zipfile.ZipFile(_FUZZ_APK) as z:
        return z.read("AndroidManifest.xml"), z.read("resources.arsc")


_INPUTS = _fuzz_inputs()


@pytest.mark.skipif(_INPUTS is None, reason=f"labelled corpus not present at {CORPUS}")
@settings(
    max_examples=40,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), min_size=1, max_size=16
    ),
    arsc_edits=st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
)
def test_fuzz_manifest_model(
    edits: list[tuple[int, int]], arsc_edits: list[tuple[int, int]]
) -> None:
    assert _INPUTS is not None
    manifest, arsc = bytearray(_INPUTS[0]), bytearray(_INPUTS[1])
    for pos, value in edits:
        manifest[pos % len(manifest)] = value
    for pos, value in arsc_edits:
        arsc[pos % len(arsc)] = value
    d = Diagnostics()
    root = parse_axml(bytes(manifest), "AndroidManifest.xml", d)
    res = parse_arsc(bytes(arsc), "resources.arsc", d)
    if root is None:
        return
    m = build_manifest(root, res, "AndroidManifest.xml", d)
    json.dumps(m.to_json())
    m.launcher_activities  # noqa: B018
    for dl in m.deep_links:
        dl.url()
