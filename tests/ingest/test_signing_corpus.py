"""Signature verdicts on every androguard corpus APK, compared with apksigner.

Expected verdicts: ``data/apksigner_verdicts.tsv`` (checked in, made by Debian's
apksigner 31.0.2 and consistent with AOSP apksig's ``ApkVerifierTest``), and, when
``apksigner`` is installed, a live run of it on each file (once per session, in parallel,
cached in a temp dir). minSdkVersion is passed the way apksigner takes it: from the manifest.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.axml import ANDROID_NS, parse_axml
from mobsec.ingest.signing import verify_apk_signatures

DATA = Path(__file__).parent / "data" / "apksigner_verdicts.tsv"

# Files where we deliberately differ from Debian's apksigner 31.0.2, with the reason.
KNOWN_DISAGREEMENTS = {
    # apksig 31 predates v3.1 (API 33): it sees a v3 signer covering only API 28..32 and then
    # fails the targetSdk 30 rule. Current apksig (ApkVerifierTest
    # verify31_minSdkVersionTTargetSdk30_resultSuccessfully Verified) and Android 13+ accept it.
    "APK__apksig__v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk": True,
}


def _expected_table() -> dict[str, tuple[bool, str, str, int]]:
    out = {}
    for line in DATA.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, ok, sha, bits, n = line.split("\t")
        out[name] = (ok == "1", sha, bits, int(n))
    return out


EXPECTED = _expected_table()


def _manifest_sdks(archive: Archive, diags: Diagnostics) -> tuple[int, int | None, int | None]:
    """(minSdkVersion, targetSdkVersion, targetSandboxVersion) as apksigner reads them."""
    data = archive.read("AndroidManifest.xml")
    root = parse_axml(data, "AndroidManifest.xml", diags) if data else None
    if root is None:
        return 1, None, None

    def attr_int(el: object, name: str) -> int | None:
        a = el.attr(name, ANDROID_NS)  # type: ignore[attr-defined]
        v = a.value() if a is not None else None
        if isinstance(v, int):
            return v
        if isinstance(v, str) and v.isdigit():
            return int(v)
        return None

    sandbox = attr_int(root, "targetSandboxVersion")
    min_sdk, target = 1, None
    for el in root.iter("uses-sdk"):
        min_sdk = attr_int(el, "minSdkVersion") or 1
        target = attr_int(el, "targetSdkVersion")
        break
    return min_sdk, target if target is not None else min_sdk, sandbox


def verify_file(path: Path):
    diags = Diagnostics()
    archive = Archive.open(path, diags)
    min_sdk, target, sandbox = _manifest_sdks(archive, diags)
    return verify_apk_signatures(
        archive, diags, min_sdk=min_sdk, target_sdk=target, target_sandbox_version=sandbox
    ), diags


def _apksigner_one(path: Path, cache: Path) -> tuple[bool, str]:
    out_file = cache / (path.name + ".out")
    if not out_file.exists():
        proc = subprocess.run(
            ["apksigner", "verify", "-v", "--print-certs", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        out_file.write_text(f"{proc.returncode}\n{proc.stdout}{proc.stderr}")
    rc, _, text = out_file.read_text().partition("\n")
    return rc == "0", text


@pytest.fixture(scope="session")
def apksigner_results(corpus_apks: Path, tmp_path_factory) -> dict[str, tuple[bool, str]]:
    if shutil.which("apksigner") is None:
        pytest.skip("apksigner not installed (apt install apksigner)")
    cache = tmp_path_factory.mktemp("apksigner")
    files = sorted((corpus_apks / "androguard").glob("*.apk"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda p: _apksigner_one(p, cache), files))
    return {p.name: r for p, r in zip(files, results, strict=True)}


def _corpus_files() -> list[str]:
    return sorted(EXPECTED)


@pytest.mark.corpus
@pytest.mark.parametrize("name", _corpus_files())
def test_verdict_matches_checked_in_table(corpus_apks: Path, name: str) -> None:
    path = corpus_apks / "androguard" / name
    if not path.exists():
        pytest.skip(f"{name} not in this corpus")
    expected, sha, bits, _ = EXPECTED[name]
    expected = KNOWN_DISAGREEMENTS.get(name, expected)
    try:
        report, _ = verify_file(path)
    except InputError:
        assert not expected, f"{name}: archive unreadable but apksigner verifies it"
        return
    assert report.verified == expected, (name, report.all_error_codes())
    if expected and sha != "-" and name not in KNOWN_DISAGREEMENTS:
        assert report.signers, name
        assert report.signers[0].sha256 == sha
        assert str(report.signers[0].key_bits) == bits
    if not expected:
        assert report.all_error_codes(), "a rejected APK must say why"


@pytest.mark.corpus
@pytest.mark.slow
def test_verdicts_match_live_apksigner(corpus_apks: Path, apksigner_results) -> None:
    disagreements = []
    for name, (ok, text) in sorted(apksigner_results.items()):
        if name in KNOWN_DISAGREEMENTS:
            continue
        try:
            report, _ = verify_file(corpus_apks / "androguard" / name)
            ours = report.verified
        except InputError:
            ours = False
        if ours != ok:
            disagreements.append((name, ours, ok))
            continue
        m = re.search(r"Signer #1 certificate SHA-256 digest: ([0-9a-f]+)", text)
        if ok and m:
            assert report.signers[0].sha256 == m.group(1), name
    assert not disagreements, disagreements


# ApkVerifierTest cases that pass explicit min/max SDK levels (None: the manifest's minSdk).
SDK_CASES = [
    ("v1-sha1-sha256-manifest-and-sf-with-sha1-wrong-in-manifest.apk", 18, None, True),
    ("v1-sha1-sha256-manifest-and-sf-with-sha1-wrong-in-manifest.apk", 1, 17, False),
    ("v1-sha1-sha256-manifest-and-sf-with-sha1-wrong-in-sf.apk", 18, None, True),
    ("v1-sha1-sha256-manifest-and-sf-with-sha256-wrong-in-manifest.apk", 1, 17, True),
    ("v1-sha1-sha256-manifest-and-sf-with-sha256-wrong-in-manifest.apk", 18, None, False),
    ("v1-sha1-sha256-manifest-and-sf-with-sha256-wrong-in-sf.apk", 1, 17, True),
    ("v1-only-with-signed-attrs.apk", 18, None, False),
    ("v1-only-with-signed-attrs.apk", 19, None, True),
    ("v1-only-with-signed-attrs-missing-content-type.apk", 19, 23, True),
    ("v1-only-with-signed-attrs-wrong-content-type.apk", 19, 23, True),
    ("v1-only-with-signed-attrs-signerInfo1-wrong-content-type-signerInfo2-good.apk", 24, None,
     True),
    ("v1-only-with-signed-attrs-signerInfo1-wrong-digest-signerInfo2-good.apk", 24, None, True),
    ("v1-only-with-signed-attrs-signerInfo1-wrong-digest-signerInfo2-good.apk", 19, 23, False),
    ("v1-only-with-signed-attrs-missing-digest.apk", 24, None, False),
    ("v1-only-with-signed-attrs-multiple-good-digests.apk", 24, None, False),
    ("v2-only-targetSandboxVersion-2.apk", 24, None, True),
    ("v1v2v3-with-rsa-2048-lineage-3-signers.apk", None, 26, True),
    ("v1v2v3-with-rsa-2048-lineage-3-signers.apk", None, 23, True),
    ("v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk", 33, None, True),
    ("v2-only-with-ecdsa-sha256-p256.apk", 24, None, True),
    ("v3-only-with-ecdsa-sha256-p256.apk", 28, None, True),
]  # fmt: skip


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "min_sdk", "max_sdk", "expected"), SDK_CASES)
def test_sdk_dependent_verdicts(corpus_apks: Path, name, min_sdk, max_sdk, expected) -> None:
    path = corpus_apks / "androguard" / f"APK__apksig__{name}"
    diags = Diagnostics()
    archive = Archive.open(path, diags)
    manifest_min, target, sandbox = _manifest_sdks(archive, diags)
    report = verify_apk_signatures(
        archive,
        diags,
        min_sdk=manifest_min if min_sdk is None else min_sdk,
        max_sdk=max_sdk or 2**31 - 1,
        target_sdk=target,
        target_sandbox_version=sandbox,
    )
    assert report.verified is expected, report.all_error_codes()


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("v2-stripped.apk", "signing.v1.missing_apk_sig_referenced"),
        ("v2-stripped-with-ignorable-signing-schemes.apk", "signing.v1.missing_apk_sig_referenced"),
        ("v3-stripped.apk", "signing.scheme.missing_apk_sig_referenced"),
        ("v2-only-cert-and-public-key-mismatch.apk", "signing.scheme.public_key_mismatch"),
        ("v3-only-no-supported-sig-algs.apk", "signing.scheme.no_supported_signatures"),
        ("v2-only-with-rsa-pkcs1-sha512-4096-digest-mismatch.apk",
         "signing.scheme.apk_digest_did_not_verify"),
        ("v2-only-with-ecdsa-sha256-p256-sig-does-not-verify.apk", "signing.scheme.did_not_verify"),
        ("v2-only-signatures-and-digests-block-mismatch.apk", "signing.scheme.sig_alg_mismatch"),
        ("v2-only-no-certs-in-sig.apk", "signing.scheme.no_certificates"),
        ("v2-only-wrong-apk-sig-block-magic.apk", "signing.v1.no_manifest"),
        ("v1-only-with-cr-in-entry-name.apk", "signing.v1.unnamed_manifest_section"),
        ("v1-only-with-lf-in-entry-name.apk", "signing.v1.unnamed_manifest_section"),
        ("v1-only-with-signed-attrs-wrong-signature.apk", "signing.v1.did_not_verify"),
        ("empty-unsigned.apk", "signing.no_android_manifest"),
    ],
)  # fmt: skip
def test_failure_codes(corpus_apks: Path, name: str, code: str) -> None:
    report, diags = verify_file(corpus_apks / "androguard" / f"APK__apksig__{name}")
    assert not report.verified
    assert code in report.all_error_codes()
    assert code in diags.codes()
    assert all(d.en and d.zh for d in diags)


@pytest.mark.corpus
def test_not_der_certificates_keep_original_encoding(corpus_apks: Path) -> None:
    # ApkVerifierTest.testV1SchemeSignatureCertNotReencoded{,2}: fingerprints of the bytes as
    # found (BER), not of a DER re-encoding.
    for name, sha in [
        ("v1-only-with-rsa-1024-cert-not-der.apk",
         "c5d4535a7e1c8111687a8374b2198da6f5ff8d811a7a25aa99ef060669342fa9"),
        ("v1-only-with-rsa-1024-cert-not-der2.apk",
         "da3da398de674541313deed77218ce94798531ea5131bb9b1bb4063ba4548cfb"),
        ("v1-only-pkcs7-cert-bag-first-cert-not-used.apk",
         "fb5dbd3c669af9fc236c6991e6387b7f11ff0590997f22d0f5c74ff40e04fca8"),
    ]:  # fmt: skip
        report, _ = verify_file(corpus_apks / "androguard" / f"APK__apksig__{name}")
        assert report.verified, (name, report.all_error_codes())
        assert [c.sha256 for c in report.signers] == [sha]


@pytest.mark.corpus
def test_lineage_reported(corpus_apks: Path) -> None:
    report, _ = verify_file(
        corpus_apks / "androguard" / "APK__apksig__v1v2v3-with-rsa-2048-lineage-3-signers.apk"
    )
    assert report.verified
    assert report.lineage is not None and len(report.lineage) == 3
    assert report.lineage[-1].sha256 == report.signers[0].sha256
    assert report.to_json()["lineage"][0]["key_algorithm"] == "RSA"


@pytest.mark.corpus
def test_verify_large_apk(corpus_apks: Path) -> None:
    """The 18 MB APK verifies (its speed is measured in bench/bench_readers.py)."""
    path = corpus_apks / "realworld" / "appium-uiautomator2-server-v10.6.6.apk"
    diags = Diagnostics()
    archive = Archive.open(path, diags)
    report = verify_apk_signatures(archive, Diagnostics(), min_sdk=24)
    assert report.schemes["v2"].verified or report.schemes["v3"].verified
