"""HarmonyOS readers on the corpus HAP/APP files (NOTES.md §2): configuration, signing,
Ark bytecode, and native libraries compared with readelf."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from tests.conftest import CORPUS

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.harmony.hap import HarmonyPackage, read_harmony
from mobsec.limits import DEFAULT_LIMITS

HAP = CORPUS / "formats" / "hap"
APP = CORPUS / "formats" / "harmony-app"
SIGNED_SO = HAP / "hapsigner_entry-default-signed-so.hap"
UNSIGNED_SO = HAP / "hapsigner_entry-default-unsigned-so.hap"


def read(path: Path) -> tuple[HarmonyPackage, Diagnostics]:
    diags = Diagnostics()
    with Archive.open(path, diags) as archive:
        return read_harmony(archive, diags, DEFAULT_LIMITS), diags


@pytest.fixture(autouse=True)
def _corpus(corpus_dir: Path) -> None:
    pass


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name,bundle,min_api,has_sign_block",
    [
        ("hapsigner_entry-default-signed-so.hap", "com.example.nativetemplatedemo", 9, True),
        ("hapsigner_entry-default-unsigned-so.hap", "com.example.nativetemplatedemo", 9, False),
        ("ArkUI_NDK_entry-default-signed.hap", "com.example.arkuicpp", 60001021, True),
        ("appinfo_harmony.hap", "com.example.myapplication", 50000012, True),
        ("helloworld-demo_entry-default-signed.hap", "com.example.helloworld", 9, True),
    ],
)
def test_hap_identity_debug_and_signing(
    name: str, bundle: str, min_api: int, has_sign_block: bool
) -> None:
    pkg, diags = read(HAP / name)
    assert pkg.format == "hap"
    c = pkg.main.config
    assert c.model == "stage" and c.bundle_name == bundle and c.min_api == min_api
    assert c.debug is True  # NOTES §2: every corpus HAP is a debug build
    assert pkg.signing.present is has_sign_block
    assert (b"<hap sign block>" in (HAP / name).read_bytes()) is has_sign_block
    if has_sign_block:
        assert pkg.signing.certificates and pkg.signing.profile is not None
    assert not [d for d in diags if d.level.value == "error"], [str(d) for d in diags]


@pytest.mark.corpus
def test_system_permissions_and_exported_entry() -> None:
    pkg, _ = read(SIGNED_SO)
    c = pkg.main.config
    assert [p.name for p in c.permissions] == [
        "ohos.permission.UPDATE_SYSTEM",
        "ohos.permission.REBOOT",
    ]
    entry = next(a for a in c.abilities if a.name == "EntryAbility")
    assert entry.exported and entry.launcher


@pytest.mark.corpus
def test_profile_of_test_signing_kit() -> None:
    pkg, _ = read(SIGNED_SO)
    p = pkg.signing.profile
    assert p.type == "debug" and p.bundle_name == "com.OpenHarmony.app.test"
    assert p.app_feature == "hos_system_app" and p.device_ids == 2
    assert pkg.signing.signer.subject.startswith("Common Name: App1 Release")
    release, _ = read(HAP / "helloworld-demo_entry-default-signed.hap")
    assert release.signing.profile.type == "release"


@pytest.mark.corpus
def test_app_pack_opens_its_hap() -> None:
    pkg, diags = read(APP / "appinfo_harmony.app")
    assert pkg.format == "harmony-app"
    assert [m.path for m in pkg.modules] == ["entry-default.hap"]
    assert pkg.signing.present  # the outer .app is signed ...
    assert not pkg.modules[0].signing.present  # ... its inner HAP is not (NOTES §2)
    assert pkg.main.config.bundle_name == "com.example.myapplication"
    assert pkg.pack_info["summary"]["app"]["bundleName"] == "com.example.myapplication"
    assert not [d for d in diags if d.level.value == "error"]


@pytest.mark.corpus
def test_abc_header_and_module_imports() -> None:
    pkg, _ = read(HAP / "ArkUI_NDK_entry-default-signed.hap")
    (abc,) = pkg.main.abc_files
    assert abc.path == "ets/modules.abc" and abc.checksum_ok and abc.version == "13.0.1.0"
    assert "@ohos:hilog" in abc.imports
    assert "@normalized:Y&&&libentry.so&" in abc.imports  # the native module it loads
    assert "EntryAbility" in " ".join(abc.strings)


def _readelf(path: Path, *args: str) -> str:
    return subprocess.run(
        ["readelf", "-W", *args, str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("readelf") is None, reason="readelf (binutils) not installed")
def test_native_libraries_agree_with_readelf(tmp_path: Path) -> None:
    pkg, _ = read(SIGNED_SO)
    libs = {lib.path: lib for lib in pkg.native_libraries}
    with zipfile.ZipFile(SIGNED_SO) as z:
        names = sorted(n for n in z.namelist() if n.endswith(".so"))
        z.extractall(tmp_path, members=names)
    assert sorted(libs) == names and len(names) == 6
    for name in names:
        lib, path = libs[name], tmp_path / name
        assert lib.abi == name.split("/")[1]
        dyn = _readelf(path, "-d")
        assert lib.needed == re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dyn)
        soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dyn)
        assert lib.soname == (soname.group(1) if soname else None)
        segments = _readelf(path, "-l")
        assert lib.hardening.nx == bool(re.search(r"GNU_STACK.*RW ", segments))
        assert (lib.hardening.relro != "none") == ("GNU_RELRO" in segments)
        syms = _readelf(path, "--dyn-syms")
        assert lib.hardening.stack_canary == (
            "__stack_chk_fail" in syms or "__stack_chk_guard" in syms
        )
