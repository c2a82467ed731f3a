"""Every ios.* check: a real (or minimally edited real) IPA where it fires, a twin where not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec.checks.registry import load_all
from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.ios import IosFacts
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import read_ipa
from mobsec.options import ScanOptions
from tests.ios.ipa_build import clear_pie, corpus_ipa, rebuild, rename_symbol

UNCRACKABLE1 = "mastg_UnCrackable-Level1.ipa"
UNCRACKABLE2 = "mastg_UnCrackable-Level2.ipa"
IGOAT = "iGoat-IPA-Git_iGoat.ipa"
TV = "appinfo_apple-tv.ipa"
CAPABLE = "fastlane_very-capable-app.ipa"
SWIFT_DEMO = "appinfo_embedded.ipa"


def findings(source: Path | bytes, check_id: str):
    diags = Diagnostics()
    archive = Archive.open(
        source if isinstance(source, bytes) else corpus_ipa(source), diags, display_name="t.ipa"
    )
    facts = IosFacts(read_ipa(archive, diags), diags, ScanOptions())
    out = run_checks(facts, diags, {}, checks=[load_all("ios")[check_id]], platform="ios")
    assert not [d for d in diags if d.code.startswith("internal")], [str(d) for d in diags]
    return out


def _ats(value: dict):
    return lambda info: info.__setitem__("NSAppTransportSecurity", value)


def test_every_ios_check_is_covered_here():
    tested = {name.split("::")[0] for name in CASES}
    assert set(load_all("ios")) == tested


# check id -> (source where it fires, twin where it must not); a source is a corpus name
# or a callable building an edited IPA from real parts.
CASES = {
    "ios.network.ats-arbitrary-loads": (TV, IGOAT),
    "ios.network.ats-insecure-exception": (
        lambda: rebuild(
            corpus_ipa(SWIFT_DEMO),
            info=_ats(
                {
                    "NSExceptionDomains": {
                        "legacy.example.com": {
                            "NSExceptionAllowsInsecureHTTPLoads": True,
                            "NSIncludesSubdomains": True,
                        }
                    }
                }
            ),
        ),
        lambda: rebuild(
            corpus_ipa(SWIFT_DEMO),
            info=_ats(
                {
                    "NSExceptionDomains": {
                        "legacy.example.com": {"NSExceptionMinimumTLSVersion": "TLSv1.2"}
                    }
                }
            ),
        ),
    ),
    "ios.network.cleartext-url": (IGOAT, UNCRACKABLE2),
    "ios.binary.no-pie": (
        lambda: rebuild(corpus_ipa(UNCRACKABLE1), executable=clear_pie),
        UNCRACKABLE1,
    ),
    "ios.binary.no-stack-canary": (
        lambda: rebuild(
            corpus_ipa(UNCRACKABLE1),
            executable=lambda d: rename_symbol(
                rename_symbol(d, b"___stack_chk_guard", b"___stack_chk_gxxxx"),
                b"___stack_chk_fail",
                b"___stack_chk_fxxx",
            ),
        ),
        UNCRACKABLE1,
    ),
    "ios.binary.no-arc": (
        lambda: rebuild(
            corpus_ipa(IGOAT),
            executable=lambda d: _rename_all(
                d,
                [
                    (b"_objc_release", b"_objc_relxxxx"),
                    (b"_objc_retain", b"_objc_retxxx"),
                    (b"_objc_storeStrong", b"_objc_storeStxxxx"),
                    (b"_objc_autoreleaseReturnValue", b"_objc_autoreleaseReturnVxxxx"),
                    (
                        b"_objc_retainAutoreleasedReturnValue",
                        b"_objc_retainAutoreleasedReturnVxxxx",
                    ),
                ],
            ),
        ),
        IGOAT,
    ),
    "ios.binary.no-code-signature": (
        lambda: rebuild(corpus_ipa(UNCRACKABLE1), executable=_drop_code_signature),
        UNCRACKABLE1,
    ),
    "ios.binary.banned-functions": (
        TV,  # imports sscanf
        lambda: rebuild(
            corpus_ipa(TV), executable=lambda d: rename_symbol(d, b"_sscanf", b"_sxxanf")
        ),
    ),
    "ios.crypto.weak-hash": (UNCRACKABLE2, UNCRACKABLE1),
    "ios.crypto.insecure-random": (
        lambda: rebuild(
            corpus_ipa(IGOAT), executable=lambda d: rename_symbol(d, b"_memset", b"_random")
        ),
        IGOAT,
    ),
    "ios.signing.get-task-allow": (CAPABLE, IGOAT),
    "ios.platform.url-scheme": (
        lambda: rebuild(
            corpus_ipa(IGOAT),
            info=lambda i: i.__setitem__(
                "CFBundleURLTypes", [{"CFBundleURLSchemes": ["igoat", "https"]}]
            ),
        ),
        lambda: rebuild(
            corpus_ipa(IGOAT),
            info=lambda i: i.__setitem__("CFBundleURLTypes", [{"CFBundleURLSchemes": ["https"]}]),
        ),
    ),
    "ios.privacy.usage-description": (
        lambda: rebuild(
            corpus_ipa(IGOAT), info=lambda i: i.__setitem__("NSCameraUsageDescription", "TODO")
        ),
        lambda: rebuild(
            corpus_ipa(IGOAT),
            info=lambda i: i.__setitem__(
                "NSCameraUsageDescription", "Scan the QR code on your parcel to track it."
            ),
        ),
    ),
    "ios.secrets.hardcoded": (
        lambda: rebuild(
            corpus_ipa(IGOAT),
            add={"config.json": b'{"aws": "AKIAIOSFODNN7EXAMPLQ"}'},
        ),
        IGOAT,
    ),
    "ios.storage.sql-injection": (
        IGOAT,
        lambda: rebuild(
            corpus_ipa(IGOAT),
            executable=lambda d: d.replace(b"LIKE '%@' AND", b"LIKE ?    AND"),
        ),
    ),
    "ios.storage.plaintext-credentials-sqlite": (IGOAT, UNCRACKABLE2),
    "ios.storage.credentials-userdefaults": (IGOAT, UNCRACKABLE2),
    "ios.resilience.jailbreak-detection": (UNCRACKABLE2, UNCRACKABLE1),
    "ios.resilience.debugger-detection": (UNCRACKABLE2, UNCRACKABLE1),
    "ios.resilience.injection-detection": (UNCRACKABLE1, IGOAT),
    # the keystroke-logging exercise's nibs, and the same IPA keeping only the nibs whose
    # fields opt out (cut-and-paste exercise: UIAutocorrectionType, UISecureTextEntry)
    "ios.ui.keyboard-cache": (IGOAT, lambda: _only_nibs(IGOAT, "CutAndPaste")),
    "ios.webview.uiwebview": (IGOAT, SWIFT_DEMO),  # iGoat's pages: @"UIWebView" properties
    "ios.platform.file-sharing": (
        lambda: rebuild(
            corpus_ipa(IGOAT), info=lambda i: i.__setitem__("UIFileSharingEnabled", True)
        ),
        lambda: rebuild(
            corpus_ipa(IGOAT), info=lambda i: i.__setitem__("UIFileSharingEnabled", False)
        ),
    ),
}


def _only_nibs(name: str, keep: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(corpus_ipa(name)) as z:
        nibs = [n for n in z.namelist() if n.endswith(".nib") and keep not in n]
    root = "Payload/iGoat.app/"
    return rebuild(corpus_ipa(name), drop=tuple(n[len(root) :] for n in nibs))


def _rename_all(data: bytes, pairs: list[tuple[bytes, bytes]]) -> bytes:
    for old, new in pairs:
        if old + b"\x00" in data:
            data = rename_symbol(data, old, new)
    return data


def _drop_code_signature(data: bytes) -> bytes:
    """Turn every LC_CODE_SIGNATURE into an LC_SOURCE_VERSION-sized no-op (LC_UUID-less
    padding command 0x2A is 16 bytes like LC_CODE_SIGNATURE)."""
    import struct

    from tests.ios.ipa_build import load_commands, thin_slices

    buf = bytearray(data)
    for off, _ in thin_slices(data):
        for pos, cmd in load_commands(data, off):
            if cmd == 0x1D:  # LC_CODE_SIGNATURE -> LC_SOURCE_VERSION (0x2A), also 16 bytes
                struct.pack_into("<I", buf, pos, 0x2A)
    return bytes(buf)


def _source(s) -> Path | bytes:
    return s() if callable(s) else s


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_fires_and_twin_quiet(corpus_dir, check_id):
    fire, quiet = CASES[check_id]
    hits = findings(_source(fire), check_id)
    assert hits, f"{check_id} did not fire"
    for f in hits:
        assert f.title.en and f.title.zh and f.location.file
        assert f.message is None or (f.message.en and f.message.zh)
    assert findings(_source(quiet), check_id) == [], f"{check_id} fired on its twin"


def test_keyboard_cache_names_the_keystroke_exercise(corpus_dir):
    files = {f.location.file for f in findings(IGOAT, "ios.ui.keyboard-cache")}
    assert "Payload/iGoat.app/KeystrokeLoggingExerciseController_iPhone.nib" in files
    assert not any("CutAndPaste" in f for f in files)


def test_secret_is_masked(corpus_dir):
    blob = rebuild(corpus_ipa(IGOAT), add={"config.json": b'{"aws": "AKIAIOSFODNN7EXAMPLQ"}'})
    [f] = findings(blob, "ios.secrets.hardcoded")
    assert "AKIAIOSFODNN7EXAMPLQ" not in f.evidence + f.message.en
    assert f.location.file.endswith("config.json")
