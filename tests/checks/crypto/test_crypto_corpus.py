"""Crypto checks on the labelled vulnerable apps (GROUND_TRUTH.md sections 3 and 4).

Each labelled crypto weakness must be found at the method the label names, and every
crypto finding in the app's own code must be one the labels explain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec import ScanOptions, scan

# apk -> {(check id suffix, class, method)} that must be reported
EXPECTED = {
    "pivaa.apk": {
        ("static-iv", "com.htbridge.pivaa.handlers.Encryption", "encryptAES_CBC_PKCS5Padding"),
        ("hardcoded-key", "com.htbridge.pivaa.handlers.Encryption", "encryptAES_CBC_PKCS5Padding"),
        ("ecb-mode", "com.htbridge.pivaa.handlers.Encryption", "encryptAES_ECB_PKCS5Padding"),
        ("weak-hash", "com.htbridge.pivaa.handlers.Encryption", "hash"),
        ("insecure-random", "com.htbridge.pivaa.handlers.Encryption", "rng"),
    },
    "ovaa.apk": {("hardcoded-key", "oversecured.ovaa.utils.WeakCrypto", "encrypt")},
    "InsecureBankv2.apk": {
        ("hardcoded-key", "com.android.insecurebankv2.CryptoClass", "aes256encrypt"),
        ("static-iv", "com.android.insecurebankv2.CryptoClass", "aes256encrypt"),
        ("static-iv", "com.android.insecurebankv2.CryptoClass", "aes256decrypt"),
    },
    "AndroGoat.apk": {("weak-hash", "owasp.sat.agoat.AccessControlIssue1Activity", "hashPIN")},
    "UnCrackable-Level1.apk": {("ecb-mode", "sg.vantagepoint.a.a", "a")},
    "InjuredAndroid_2020-01.apk": {
        ("weak-cipher", "b3nac.injuredandroid.VGV4dEVuY3J5cHRpb24", "decrypt"),
        ("weak-cipher", "b3nac.injuredandroid.VGV4dEVuY3J5cHRpb25Ud28", "decrypt"),
    },
}


def crypto_findings(apk: Path) -> list[dict]:
    # The labels name the weak code wherever it is; some of it is dead code no entry point
    # reaches (InjuredAndroid's VGV4dEVuY3J5cHRpb24.decrypt is never called): detection is
    # tested here, reachability in tests/checks/code/reachability-entry-points.
    report = scan(apk, ScanOptions(include_unreachable=True)).to_json()
    assert not [d for d in report["diagnostics"] if d["code"].startswith("internal.")]
    return [f for f in report["findings"] if f["check_id"].startswith("android.crypto.")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_labelled_crypto_weaknesses_found(name: str, corpus_apks: Path) -> None:
    found = {
        (f["check_id"].removeprefix("android.crypto."), f["location"]["class"],
         f["location"]["method"].split("(")[0])
        for f in crypto_findings(corpus_apks / "vulnapps" / name)
    }  # fmt: skip
    missing = EXPECTED[name] - found
    assert not missing, f"labelled crypto weaknesses not found in {name}: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_app_code_findings_are_in_labelled_classes(name: str, corpus_apks: Path) -> None:
    """Own-code crypto findings stay in the classes the labels name (no stray hits)."""
    labelled = {cls for _check, cls, _m in EXPECTED[name]}
    stray = [
        (f["check_id"], f["location"]["class"], f["location"]["method"])
        for f in crypto_findings(corpus_apks / "vulnapps" / name)
        if f["owner"]["kind"] == "app" and f["location"]["class"] not in labelled
    ]
    assert not stray, stray
