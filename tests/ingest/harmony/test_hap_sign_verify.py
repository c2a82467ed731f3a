"""The ``<hap sign block>`` verified, not only parsed: every signed corpus HAP/APP verifies
(digest over the package, the signer's CMS signature, the chain), agreeing with OpenSSL on
the CMS signatures; a byte changed anywhere signed breaks exactly the step it should."""

from __future__ import annotations

import contextlib
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from tests.conftest import CORPUS
from tests.ingest.harmony.hapbuild import tampered

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.harmony.hap import HarmonyPackage, read_harmony
from mobsec.ingest.harmony.sign_block import HapSigning
from mobsec.limits import DEFAULT_LIMITS

HAP = CORPUS / "formats" / "hap"
SIGNED = [
    HAP / "hapsigner_entry-default-signed-so.hap",
    HAP / "ArkUI_NDK_entry-default-signed.hap",
    HAP / "appinfo_harmony.hap",
    HAP / "helloworld-demo_entry-default-signed.hap",
    CORPUS / "formats" / "harmony-app" / "appinfo_harmony.app",
]
SIGNED_SO = SIGNED[0]


@pytest.fixture(autouse=True)
def _corpus(corpus_dir: Path) -> None:
    pass


def read(source: Path | bytes) -> HarmonyPackage:
    diags = Diagnostics()
    with Archive.open(source, diags) as archive:
        return read_harmony(archive, diags, DEFAULT_LIMITS)


def steps(s: HapSigning) -> dict[str, bool | None]:
    assert s.verification is not None
    v = s.verification
    return {"digest": v.digest, "signature": v.signature, "chain": v.chain,
            "profile": v.profile_signature}  # fmt: skip


def block_range(data: bytes) -> tuple[int, int]:
    """Start and end (= central directory) of the signing block, read with struct."""
    eocd = data.rindex(b"PK\x05\x06")
    (cd,) = struct.unpack_from("<I", data, eocd + 16)
    (size,) = struct.unpack_from("<q", data, cd - 28)
    return cd - size, cd


@pytest.mark.corpus
@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.name)
def test_signed_corpus_packages_verify(path: Path) -> None:
    s = read(path).signing
    assert steps(s) == {"digest": True, "signature": True, "chain": True, "profile": True}
    assert s.verified and s.to_json()["verified"] is True
    assert s.verification.digest_algorithm == "sha256"
    assert len(s.verification.chain_subjects) >= 2  # signer and its CA at least


@pytest.mark.corpus
def test_unsigned_package_has_nothing_to_verify() -> None:
    s = read(HAP / "hapsigner_entry-default-unsigned-so.hap").signing
    assert not s.present and s.verification is None and not s.verified


@pytest.mark.corpus
def test_chain_of_the_signing_tool_kit() -> None:
    v = read(SIGNED_SO).signing.verification
    assert v.chain_subjects == [
        "CN=App1 Release,OU=OpenHarmony Community,O=OpenHarmony,C=CN",
        "CN=Application Signature Service CA,OU=OpenHarmony Community,O=OpenHarmony,C=CN",
        "CN=Root CA,OU=OpenHarmony Community,O=OpenHarmony,C=CN",
    ]
    assert v.root_self_signed


@pytest.mark.corpus
@pytest.mark.parametrize("where", ["first entry", "central directory", "end record"])
def test_a_byte_changed_outside_the_block_breaks_the_digest(where: str) -> None:
    data = SIGNED_SO.read_bytes()
    _, cd = block_range(data)
    at = {"first entry": 10, "central directory": cd + 12, "end record": len(data) - 2}[where]
    s = read(tampered(SIGNED_SO, at)).signing
    assert steps(s) == {"digest": False, "signature": True, "chain": True, "profile": True}
    assert not s.verified
    assert [p.code for p in s.verification.problems] == ["hap.digest_mismatch"]


@pytest.mark.corpus
def test_a_changed_profile_breaks_the_digest_and_its_own_signature() -> None:
    data = SIGNED_SO.read_bytes()
    start, cd = block_range(data)
    at = data.index(b'"bundle-name"', start, cd) + 3  # inside the profile JSON
    s = read(tampered(SIGNED_SO, at)).signing
    assert steps(s)["digest"] is False and steps(s)["profile"] is False
    assert not s.verified


@pytest.mark.corpus
def test_a_changed_signature_value_fails_the_signature() -> None:
    _, cd = block_range(SIGNED_SO.read_bytes())
    # the signature sub-block is the last payload; the signer's signature value ends it
    s = read(tampered(SIGNED_SO, cd - 32 - 3)).signing
    assert steps(s)["signature"] is False and steps(s)["digest"] is True
    assert not s.verified


@pytest.mark.corpus
def test_a_changed_ca_certificate_fails_the_chain() -> None:
    data = SIGNED_SO.read_bytes()
    s = read(SIGNED_SO).signing
    ca = s.verification.chain_subjects[1]
    start, cd = block_range(data)
    blob = data[start:cd]
    der = next(c.public_bytes(_der()) for c in _certs_in(blob) if c.subject.rfc4514_string() == ca)
    # the CA as the signature CMS (the last sub-block) carries it; its own signature ends it
    at = start + blob.rindex(der) + len(der) - 3
    v = read(tampered(SIGNED_SO, at)).signing.verification
    assert v.chain is False and not v.verified
    assert any(p.code == "hap.chain_invalid" for p in v.problems)


def _der():  # the serialization enum
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def _certs_in(blob: bytes) -> list[x509.Certificate]:
    """Every DER certificate found in the bytes (SEQUENCE headers tried one by one)."""
    out = []
    i = blob.find(b"\x30\x82")
    while i != -1:
        length = int.from_bytes(blob[i + 2 : i + 4], "big") + 4
        with contextlib.suppress(ValueError):  # not every 30 82 starts a certificate
            out.append(x509.load_der_x509_certificate(blob[i : i + length]))
        i = blob.find(b"\x30\x82", i + 1)
    return out


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.name)
def test_cms_signatures_agree_with_openssl(path: Path, tmp_path: Path) -> None:
    """OpenSSL checks the signer's signature of both CMS blobs (chain trust not asked)."""
    data = path.read_bytes()
    start, cd = block_range(data)
    (count,) = struct.unpack_from("<i", data, cd - 32)
    for i in range(count):
        btype, length, offset = struct.unpack_from("<III", data, start + 12 * i)
        if btype not in (0x20000000, 0x20000002):
            continue
        blob = tmp_path / f"{btype:x}.der"
        blob.write_bytes(data[start + offset : start + offset + length])
        for der, expect in ((blob.read_bytes(), 0), (_flip_last(blob.read_bytes()), 1)):
            blob.write_bytes(der)
            r = subprocess.run(
                ["openssl", "cms", "-verify", "-noverify", "-binary", "-inform", "DER",
                 "-in", str(blob), "-out", "/dev/null"],
                capture_output=True,
            )  # fmt: skip
            assert (r.returncode != 0) == bool(expect), (btype, r.stderr[-300:])


def _flip_last(der: bytes) -> bytes:
    # the last bytes of a SignedData are the last SignerInfo's signature value
    return der[:-3] + bytes([der[-3] ^ 1]) + der[-2:]


@pytest.mark.corpus
def test_random_bytes_in_the_block_never_raise() -> None:
    """Hostile signing blocks: any byte of the block changed (80 seeded mutations, 1-8 bytes
    each) gives a verdict or a diagnostic, never an exception, and never 'verified'."""
    import random

    data = SIGNED_SO.read_bytes()
    start, cd = block_range(data)
    rng = random.Random(99)
    for _ in range(80):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(start, cd)
            buf[at] = rng.randrange(256)
        if bytes(buf) == data:
            continue
        s = read(bytes(buf)).signing
        assert not s.verified or s.blocks == [], "a changed block still verifies"
