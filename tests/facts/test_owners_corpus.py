"""Owners of real apps' classes. Class lists come from ``dexdump`` (the platform's own DEX
dumper, independent of our DEX reader); versions are checked against the bytes ``unzip``
reads."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics
from mobsec.facts.owners import (
    OwnerResolver,
    SdkCatalog,
    SdkVersion,
    component_app_prefixes,
    detect_sdks,
    sdk_versions_from_files,
)

pytestmark = pytest.mark.corpus

CATALOG = SdkCatalog.load()


def dexdump_classes(apk: Path, tmp: Path) -> list[str]:
    """Class descriptors of every classes*.dex in the APK, as dexdump lists them."""
    if shutil.which("dexdump") is None:
        pytest.skip("dexdump not installed (apt install dexdump)")
    out: list[str] = []
    with zipfile.ZipFile(apk) as z:
        for name in sorted(
            n for n in z.namelist() if n.startswith("classes") and n.endswith(".dex")
        ):
            dex = tmp / name
            dex.write_bytes(z.read(name))
            text = subprocess.run(
                ["dexdump", str(dex)], capture_output=True, check=True, timeout=120
            ).stdout.decode("utf-8", "surrogateescape")
            out += [
                line.split("'")[1]
                for line in text.splitlines()
                if line.startswith("  Class descriptor") and "'" in line
            ]
    return out


@pytest.fixture(scope="module")
def insecurebank(corpus_apks: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return dexdump_classes(
        corpus_apks / "vulnapps" / "InsecureBankv2.apk", tmp_path_factory.mktemp("ib")
    )


def test_insecurebank_app_and_gms(insecurebank: list[str]) -> None:
    r = OwnerResolver(CATALOG, "com.android.insecurebankv2")
    own = [c for c in insecurebank if c.startswith("Lcom/android/insecurebankv2/")]
    gms = [c for c in insecurebank if c.startswith("Lcom/google/android/gms/")]
    assert len(own) > 20 and len(gms) > 1000
    assert {r.owner_of(c).kind for c in own} == {"app"}
    assert {r.owner_of(c).kind for c in gms} == {"sdk"}
    # com.android is a shared namespace (Volley, billing): not claimed for the app.
    assert "com.android" not in r.app_prefixes
    found = {f.sdk.id: f for f in detect_sdks(insecurebank, r)}
    for sdk_id in ("gms-ads", "gms-base", "gms-analytics", "gms-location", "android-support"):
        assert sdk_id in found, sdk_id
    # dexdump's list, filtered by hand, gives the same count for the ads SDK's two namespaces.
    ads = [
        c
        for c in insecurebank
        if c.startswith(("Lcom/google/android/gms/ads/", "Lcom/google/ads/"))
        and not c.startswith("Lcom/google/android/gms/ads/identifier/")
    ]
    assert found["gms-ads"].class_count == len(ads)
    print({k: v.class_count for k, v in sorted(found.items())})


def test_every_vulnapp_is_attributed(corpus_apks: Path, tmp_path: Path) -> None:
    """Across the vulnerable apps, report how much code each kind of owner has; the app's
    own manifest package always resolves to 'app'."""
    apps = {
        "InsecureShop.apk": "com.insecureshop",
        "AndroGoat.apk": "owasp.sat.agoat",
        "diva-beta.apk": "jakhar.aseem.diva",
        "ovaa.apk": "oversecured.ovaa",
        "pivaa.apk": "com.htbridge.pivaa",
    }
    for apk, package in apps.items():
        classes = dexdump_classes(corpus_apks / "vulnapps" / apk, tmp_path)
        r = OwnerResolver(CATALOG, package)
        kinds: dict[str, int] = {}
        for c in classes:
            kinds[r.owner_of(c).kind] = kinds.get(r.owner_of(c).kind, 0) + 1
        own = [c for c in classes if c.startswith("L" + package.replace(".", "/") + "/")]
        assert own and {r.owner_of(c).kind for c in own} == {"app"}, apk
        print(apk, len(classes), kinds)
        # Jetpack / support code is attributed to an SDK, never to "unknown".
        jetpack = [c for c in classes if c.startswith(("Landroidx/", "Landroid/support/"))]
        assert {r.owner_of(c).kind for c in jetpack} <= {"sdk"}, apk


def test_code_outside_the_manifest_package(corpus_apks: Path, tmp_path: Path) -> None:
    """UnCrackable-Level3's package is owasp.mstg.uncrackable3 but its code lives in
    sg.vantagepoint.uncrackable3: the launcher activity named in the manifest tells."""
    classes = dexdump_classes(corpus_apks / "vulnapps" / "UnCrackable-Level3.apk", tmp_path)
    own = [c for c in classes if c.startswith("Lsg/vantagepoint/uncrackable3/")]
    assert own
    plain = OwnerResolver(CATALOG, "owasp.mstg.uncrackable3")
    assert {plain.owner_of(c).package for c in own} == {"sg.vantagepoint.uncrackable3"}
    assert {plain.owner_of(c).kind for c in own} == {"unknown-third-party"}
    extra = component_app_prefixes(
        CATALOG,
        "owasp.mstg.uncrackable3",
        ["sg.vantagepoint.uncrackable3.MainActivity", "com.google.android.gms.ads.AdActivity"],
    )
    assert extra == ["sg.vantagepoint.uncrackable3"]
    fixed = OwnerResolver(CATALOG, "owasp.mstg.uncrackable3", extra)
    assert {fixed.owner_of(c).kind for c in own} == {"app"}


def test_versions_of_real_apk(corpus_apks: Path) -> None:
    apk = corpus_apks / "vulnapps" / "InsecureShop.apk"
    with zipfile.ZipFile(apk) as z:
        names = z.namelist()
        versions = sdk_versions_from_files(names, z.read, CATALOG)
    by_source = {v.source: v for v in versions}
    core = by_source["META-INF/androidx.core_core.version"]
    assert core == SdkVersion("androidx-core", _unzip(apk, core.source), core.source)
    appcompat = by_source["META-INF/androidx.appcompat_appcompat.version"]
    assert appcompat.sdk_id == "androidx-appcompat"
    material = by_source.get("META-INF/com.google.android.material_material.version")
    if material is not None:
        assert material.sdk_id == "google-material"
    coroutines = by_source.get("META-INF/kotlinx_coroutines_core.version")
    if coroutines is not None:
        assert coroutines.sdk_id == "kotlinx-coroutines"
    meta_inf = [n for n in names if n.startswith("META-INF/androidx.") and n.endswith(".version")]
    assert {v.source for v in versions} >= set(meta_inf)
    print(len(versions), sorted((v.sdk_id, v.version) for v in versions)[:8])


def test_versions_support_library_and_play_services(corpus_apks: Path) -> None:
    found: dict[str, SdkVersion] = {}
    for apk in sorted((corpus_apks / "vulnapps").glob("*.apk")):
        with zipfile.ZipFile(apk) as z:
            for v in sdk_versions_from_files(z.namelist(), z.read, CATALOG):
                found.setdefault(v.source, v)
                if v.source.endswith(".properties"):
                    assert f"version={v.version}" in _unzip(apk, v.source)
    support = found.get("META-INF/com.android.support_support-compat.version")
    if support is not None:
        assert support.sdk_id == "android-support"
    basement = found.get("play-services-basement.properties")
    if basement is not None:
        assert basement.sdk_id == "gms-base"
    assert support is not None or basement is not None
    print(sorted((v.source, v.version) for v in found.values() if "androidx" not in v.source))


def _unzip(apk: Path, name: str) -> str:
    if shutil.which("unzip") is None:
        with zipfile.ZipFile(apk) as z:
            return z.read(name).decode().strip()
    return subprocess.run(
        ["unzip", "-p", str(apk), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_versions_bad_content_is_a_diagnostic() -> None:
    files = {
        "META-INF/androidx.core_core.version": b"\xff\xfe<script>" * 10,
        "play-services-basement.properties": b"client=x\nversion=18.1.0\n",
        "META-INF/unknown.group_thing.version": b"1.0",
        "META-INF/androidx.fragment_fragment.version": None,
    }
    diags = Diagnostics()
    versions = sdk_versions_from_files(files, files.get, CATALOG, diags)
    assert versions == [SdkVersion("gms-base", "18.1.0", "play-services-basement.properties")]
    assert diags.codes() == {"owners.version_unreadable"}
    assert next(iter(diags)).file == "META-INF/androidx.core_core.version"


@settings(max_examples=200, deadline=5000)  # hang guard, not a speed target
@given(
    files=st.dictionaries(
        st.sampled_from(
            [
                "META-INF/androidx.core_core.version",
                "META-INF/kotlinx_coroutines_core.version",
                "play-services-base.properties",
                "assets/supplierconfig.json",
                "META-INF/x_y.version",
                "META-INF/.version",
            ]
        ),
        st.one_of(st.none(), st.binary(max_size=300)),
    )
)
def test_fuzz_versions_never_raise(files: dict[str, bytes | None]) -> None:
    for v in sdk_versions_from_files(files, files.get, CATALOG, Diagnostics()):
        assert 1 <= len(v.version) <= 64 and v.sdk_id
