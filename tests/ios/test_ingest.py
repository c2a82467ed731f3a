"""IPA reading on the corpus, cross-checked with independent tools, and on hostile input."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from base64 import b64decode
from datetime import datetime
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import IpaPackage, read_ipa
from mobsec.ingest.ios.macho import read_macho
from mobsec.ingest.ios.plist import parse_plist
from mobsec.ingest.ios.profile import read_profile
from mobsec.limits import Limits
from tests.ios.ipa_build import (
    IPA_DIR,
    clear_pie,
    corpus_ipa,
    lying_fat_offset,
    rebuild,
    set_cryptid,
)

# file -> (bundle id, architectures of the main executable) per NOTES.md §1
EXPECTED = {
    "mastg_UnCrackable-Level1.ipa": ("sg.vp.UnCrackable1", ["armv7", "arm64"]),
    "mastg_UnCrackable-Level2.ipa": ("sg.vp.UnCrackable-2", ["armv7", "arm64"]),
    "iGoat-IPA-Git_iGoat.ipa": ("com.krvw.iGoat", ["armv7"]),
    "fastlane_very-capable-app.ipa": ("org.fastlane.very-capable-app", ["arm64"]),
    "appinfo_iphone.ipa": ("com.icyleaf.AppInfoDemo", ["armv7", "arm64"]),
    "appinfo_ipad.ipa": ("com.icyleaf.bundle", ["armv7", "arm64"]),
    "appinfo_embedded.ipa": ("com.icyleaf.test.Demo", ["arm64"]),
    "appinfo_apple-tv.ipa": ("com.etan.tv.BilibiliLive.tvOS", ["arm64"]),
}


def _read(source: Path | bytes, limits: Limits | None = None) -> tuple[IpaPackage, Diagnostics]:
    diags = Diagnostics()
    archive = Archive.open(source, diags, limits or Limits(), display_name="t.ipa")
    return read_ipa(archive, diags, limits or Limits()), diags


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_ipa_identity_and_architectures(corpus_dir, name):
    pkg, diags = _read(IPA_DIR / name)
    bundle_id, archs = EXPECTED[name]
    assert pkg.app is not None and pkg.app.bundle_id == bundle_id
    assert pkg.app.binary is not None
    assert [s.cpu for s in pkg.app.binary.slices] == archs
    assert not [d for d in diags if d.level.value == "error"], [str(d) for d in diags]


def test_nested_extension_read_with_its_own_profile(corpus_dir):
    pkg, _ = _read(IPA_DIR / "appinfo_embedded.ipa")
    [ext] = pkg.nested
    assert ext.kind == "extension" and ext.bundle_id == "com.icyleaf.test.Demo.Notification"
    assert ext.binary is not None and ext.profile is not None
    assert ext.profile.kind == "enterprise"


def test_edge_watch_app_under_top_folder_gives_diagnostics(corpus_dir):
    pkg, diags = _read(IPA_DIR / "edge" / "fastlane_ContainsWatchApp.ipa")
    assert pkg.app is not None and pkg.app.root == "ContainsWatchApp/Payload/Sample.app/"
    assert [b.kind for b in pkg.nested] == ["watch-app"]
    missing = [d for d in diags if d.code == "ios.no_executable"]
    assert {d.file for d in missing} == {
        "ContainsWatchApp/Payload/Sample.app/Sample",
        "ContainsWatchApp/Payload/Sample.app/Watch/Sample WatchKit App.app/Sample WatchKit App",
    }
    assert all(d.zh and d.en for d in missing)


def test_edge_empty_swift_libraries_give_diagnostics(corpus_dir):
    pkg, diags = _read(IPA_DIR / "edge" / "fastlane_with_swift_twice.ipa")
    assert pkg.app is not None and pkg.app.info is None
    assert "ios.no_info_plist" in diags.codes()
    assert len([d for d in diags if d.code == "macho.empty"]) == 10


def test_profile_facts(corpus_dir):
    pkg, _ = _read(IPA_DIR / "fastlane_very-capable-app.ipa")
    prof = pkg.app.profile
    assert prof.team_name == "TestFixture" and prof.team_ids == ["TestFixture"]
    assert prof.get_task_allow and prof.kind == "development"
    assert prof.expires.year == 2019 and len(prof.devices) == 1
    pkg, _ = _read(IPA_DIR / "mastg_UnCrackable-Level2.ipa")
    prof = pkg.app.profile
    assert prof.kind == "ad-hoc" and len(prof.devices) == 13 and not prof.get_task_allow
    assert prof.team_name == "Vantage Point Security Pte. Ltd."
    assert "Apple iPhone OS Provisioning Profile Signing" in prof.signed_by


# --- independent cross-checks ------------------------------------------------------------


def _etree_plist(el: ET.Element):
    """XML plist decoded by ElementTree (independent of plistlib)."""
    tag = el.tag
    if tag == "plist":
        return _etree_plist(el[0])
    if tag == "dict":
        kids = list(el)
        return {k.text or "": _etree_plist(v) for k, v in zip(kids[::2], kids[1::2], strict=True)}
    if tag == "array":
        return [_etree_plist(c) for c in el]
    if tag in ("true", "false"):
        return tag == "true"
    if tag == "integer":
        return int(el.text)
    if tag == "real":
        return float(el.text)
    if tag == "data":
        return b64decode("".join((el.text or "").split()))
    if tag == "date":
        return datetime.fromisoformat((el.text or "").replace("Z", ""))
    return el.text or ""


@pytest.mark.skipif(shutil.which("plistutil") is None, reason="plistutil (libplist-utils) absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_info_plist_agrees_with_plistutil(corpus_dir, name, tmp_path):
    with zipfile.ZipFile(IPA_DIR / name) as z:
        info_names = [n for n in z.namelist() if n.endswith("Info.plist") and "/." not in n]
        for n in info_names:
            raw = z.read(n)
            src = tmp_path / "in.plist"
            src.write_bytes(raw)
            xml = subprocess.run(
                ["plistutil", "-i", str(src), "-f", "xml"], capture_output=True, check=True
            ).stdout
            theirs = _etree_plist(ET.fromstring(xml))
            ours = parse_plist(raw)
            assert ours == theirs, n


def _objdump(path: Path, *args: str) -> str:
    return subprocess.run(
        ["llvm-objdump", "--macho", *args, str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(shutil.which("llvm-objdump") is None, reason="llvm-objdump (llvm) absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_macho_agrees_with_llvm_objdump(corpus_dir, name, tmp_path):
    pkg, _ = _read(IPA_DIR / name)
    binary = pkg.app.binary
    exe = tmp_path / "exe"
    with zipfile.ZipFile(IPA_DIR / name) as z:
        exe.write_bytes(z.read(pkg.app.executable))
    out = _objdump(exe, "--private-headers", "--arch=all")
    # one block per architecture: "<file> (architecture armv7):" or just "<file>:" when thin
    blocks = re.split(r"^\S.*?(?:\(architecture (\S+)\))?:\n", out, flags=re.M)[1:]
    per_arch = dict(zip(blocks[0::2], blocks[1::2], strict=True))
    assert len(per_arch) == len(binary.slices)
    for sl, (arch, text) in zip(binary.slices, per_arch.items(), strict=True):
        if arch:
            assert sl.cpu == arch
        header = re.search(r"MH_MAGIC\S*\s+\S+.*", text).group(0)
        assert sl.pie == (" PIE" in header)
        dylibs = re.findall(r"cmd LC_LOAD_DYLIB\n\s+cmdsize \d+\n\s+name (.+?) \(offset", text)
        assert sl.libraries == dylibs
        assert sl.code_signature == ("cmd LC_CODE_SIGNATURE" in text)
        crypt = re.findall(r"cryptid (\d+)", text)
        assert sl.encryption_info == bool(crypt)
        assert sl.encrypted == any(c != "0" for c in crypt)
    if binary.fat:
        fat = _objdump(exe, "--universal-headers")
        offsets = [int(x) for x in re.findall(r"^\s+offset (\d+)", fat, flags=re.M)]
        assert [s.offset for s in binary.slices] == offsets


# --- hostile input -----------------------------------------------------------------------


def _exe_bytes(name: str) -> bytes:
    pkg, _ = _read(corpus_ipa(name))
    with zipfile.ZipFile(IPA_DIR / name) as z:
        return z.read(pkg.app.executable)


def test_fat_slice_with_lying_offset_is_skipped_and_reported(corpus_dir):
    data = _exe_bytes("mastg_UnCrackable-Level1.ipa")
    diags = Diagnostics()
    binary = read_macho(lying_fat_offset(data, 0, len(data) - 16), "exe", diags)
    assert [s.cpu for s in binary.slices] == ["arm64"]
    assert "macho.fat_slice_out_of_bounds" in diags.codes()
    # both slices lie: nothing readable, still no exception
    both = lying_fat_offset(lying_fat_offset(data, 0, 2**31), 1, 5)
    diags = Diagnostics()
    assert read_macho(both, "exe", diags) is None
    assert {"macho.fat_slice_out_of_bounds", "macho.unreadable"} <= diags.codes()


def test_fat_slices_overlapping_and_bad_counts(corpus_dir):
    data = bytearray(_exe_bytes("mastg_UnCrackable-Level1.ipa"))
    first_off = struct.unpack_from(">I", data, 16)[0]
    overlapped = lying_fat_offset(bytes(data), 1, first_off)
    diags = Diagnostics()
    binary = read_macho(overlapped, "exe", diags)
    assert len(binary.slices) == 1 and "macho.fat_slices_overlap" in diags.codes()
    struct.pack_into(">I", data, 4, 10_000)
    diags = Diagnostics()
    assert read_macho(bytes(data), "exe", diags) is None
    assert "macho.fat_bad_count" in diags.codes()
    diags = Diagnostics()
    assert read_macho(bytes(data[:12]), "exe", diags) is None and diags.codes()


def test_truncated_thin_macho_is_a_diagnostic(corpus_dir):
    data = _exe_bytes("fastlane_very-capable-app.ipa")
    for cut in (4, 64, 600, len(data) // 2):
        diags = Diagnostics()
        read_macho(data[:cut], "exe", diags)  # may parse partially; must not raise


def test_encrypted_main_binary_is_not_analysed(corpus_dir):
    blob = rebuild(corpus_ipa("iGoat-IPA-Git_iGoat.ipa"), executable=set_cryptid)
    pkg, diags = _read(blob)
    assert pkg.app.binary.encrypted and pkg.app.binary.strings == []
    [d] = [d for d in diags if d.code == "ios.encrypted"]
    assert "code not analysed" in d.en and "未分析代码" in d.zh
    plain, _ = _read(corpus_ipa("iGoat-IPA-Git_iGoat.ipa"))
    assert not plain.app.binary.encrypted and plain.app.binary.strings


def test_pie_cleared_is_seen(corpus_dir):
    pkg, _ = _read(rebuild(corpus_ipa("mastg_UnCrackable-Level1.ipa"), executable=clear_pie))
    assert [s.pie for s in pkg.app.binary.slices] == [False, False]


@pytest.mark.parametrize(
    "payload,code",
    [
        (b"bplist00\xd1\x00\x00\x08" + b"\x00" * 6 + b"\x01\x01" + struct.pack(">QQQ", 1, 0, 11),
         "plist.malformed"),  # a dictionary that contains itself
        (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "x">]><plist><dict/></plist>',
         "plist.malformed"),  # entity declaration (billion-laughs shape)
        (b"bplist00\x00", "plist.malformed"),
        (b"<plist><array/></plist>", "plist.not_a_dict"),
        (b"\x00\x01garbage", "plist.not_a_plist"),
    ],
)  # fmt: skip
def test_malformed_info_plist_is_a_diagnostic(corpus_dir, payload, code):
    pkg, diags = _read(rebuild(corpus_ipa("appinfo_iphone.ipa"), replace={"Info.plist": payload}))
    assert pkg.app.info is None
    assert code in diags.codes()


def test_malformed_profile_is_a_diagnostic(corpus_dir):
    blob = rebuild(
        corpus_ipa("appinfo_iphone.ipa"), replace={"embedded.mobileprovision": b"\x30\x82garbage"}
    )
    pkg, diags = _read(blob)
    assert pkg.app.profile is None and "profile.bad_cms" in diags.codes()
    with pytest.raises(FormatError):
        read_profile(b"", "p")


def _zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as w:
        w.writestr(name, data)
    return out.getvalue()


def test_ipa_inside_ipa_is_opened_and_bounded(corpus_dir):
    inner = corpus_ipa("appinfo_iphone.ipa").read_bytes()
    pkg, diags = _read(_zip_of("upload/app.ipa", inner))
    assert pkg.app is not None and pkg.app.bundle_id == "com.icyleaf.AppInfoDemo"
    assert pkg.outer == ["upload/app.ipa"] and "ios.nested_ipa" in diags.codes()
    deep = _zip_of("a.ipa", _zip_of("b.ipa", _zip_of("c.ipa", inner)))
    pkg, diags = _read(deep, Limits(max_nesting_depth=2))
    assert pkg.app is None and "ios.nesting_too_deep" in diags.codes()


def test_not_an_ipa(corpus_dir):
    pkg, diags = _read(_zip_of("readme.txt", b"hello"))
    assert pkg.app is None and "ios.no_app_bundle" in diags.codes()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profile_agrees_with_openssl_cms(corpus_dir, name, tmp_path):
    """The CMS payload as OpenSSL extracts it, decoded by ElementTree, against our profile."""
    pkg, _ = _read(IPA_DIR / name)
    for bundle in pkg.bundles:
        if bundle.profile is None:
            continue
        src = tmp_path / "p.der"
        with zipfile.ZipFile(IPA_DIR / name) as z:
            src.write_bytes(z.read(bundle.profile.path))
        xml = subprocess.run(
            ["openssl", "cms", "-verify", "-noverify", "-inform", "DER", "-in", str(src)],
            capture_output=True,
            check=True,
        ).stdout
        theirs = _etree_plist(ET.fromstring(xml))
        ours = bundle.profile
        assert ours.team_name == theirs["TeamName"]
        assert ours.team_ids == theirs["TeamIdentifier"]
        assert ours.uuid == theirs["UUID"]
        assert ours.expires.replace(tzinfo=None) == theirs["ExpirationDate"]
        assert len(ours.devices) == len(theirs.get("ProvisionedDevices", []))
        assert ours.get_task_allow == theirs["Entitlements"].get("get-task-allow", False)
        assert ours.entitlements == theirs["Entitlements"]


@pytest.mark.skipif(shutil.which("llvm-nm") is None, reason="llvm-nm (llvm) absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_imports_agree_with_llvm_nm(corpus_dir, name, tmp_path):
    """The imported symbols (what the PI section and the resilience checks read) are the
    undefined symbols llvm-nm lists, slice by slice; the app's own local symbols are not."""
    pkg, _ = _read(IPA_DIR / name)
    exe = tmp_path / "exe"
    with zipfile.ZipFile(IPA_DIR / name) as z:
        exe.write_bytes(z.read(pkg.app.executable))
    for sl in pkg.app.binary.slices:
        out = subprocess.run(
            ["llvm-nm", "--undefined-only", f"--arch={sl.cpu}", str(exe)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert sorted(sl.imports) == sorted(out.split()), (name, sl.cpu)


@pytest.mark.skipif(shutil.which("llvm-objdump") is None, reason="llvm-objdump (llvm) absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_selectors_agree_with_llvm_objdump(corpus_dir, name, tmp_path):
    """The selector names (__objc_methname) as llvm-objdump prints the section."""
    pkg, _ = _read(IPA_DIR / name)
    exe = tmp_path / "exe"
    with zipfile.ZipFile(IPA_DIR / name) as z:
        exe.write_bytes(z.read(pkg.app.executable))
    arch = pkg.app.binary.primary.cpu  # the slice the reader takes strings from
    out = _objdump(exe, f"--arch={arch}", "--section=__TEXT,__objc_methname")
    printed = re.findall(r"^[0-9a-f]+\s+(\S.*)$", out, flags=re.M)
    theirs = {p.replace('\\"', '"').replace("\\\\", "\\") for p in printed}  # \" as printed
    assert set(pkg.app.binary.selectors) == theirs, name
