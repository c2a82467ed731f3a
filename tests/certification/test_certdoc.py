"""Certificates: RFC 8785 canonical form, Ed25519 signature, offline verification (library
and CLI). Verification must fail on any changed byte of the file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mobsec.certification import certdoc
from mobsec.cli import main

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def certificate() -> dict:
    return {
        "format": certdoc.FORMAT,
        "serial": "C-20261205-0A1B2C3D4E",
        "issuer": {"organisation": "测试机构 Lab", "id": "abc"},
        "subject": {"package_name": "com.example.app", "version_name": "1.0", "version_code": 7,
                    "package_sha256": "ab" * 32, "signer_sha256": "cd" * 32},
        "scheme": {"id": "cac-191-2019", "version": "2026.1", "code": "191号",
                   "title": {"en": "Methods", "zh-CN": "认定方法"}},
        "issued_at": "2026-12-01T00:00:00Z",
        "valid_from": "2026-12-01T00:00:00Z",
        "valid_until": "2027-12-01T00:00:00Z",
        "verify_url": "https://lab.example/verify/C-20261205-0A1B2C3D4E/",
    }  # fmt: skip


def test_jcs_rfc8785_example():
    """The example of RFC 8785 section 3.2.2 (numbers, escapes, literals, key order)."""
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert certdoc.canonical(json.loads(source)) == expected.encode("utf-8")


def test_jcs_sorts_keys_by_utf16_code_units():
    # RFC 8785 3.2.3: "\u20ac" (U+20AC) sorts before "\U0001f600" (surrogates D83D...) by
    # UTF-16 code units; by code points it would be the other way round only above U+FFFF
    doc = {"\U0001f600": 1, "\ufb01": 2, "a": 3}
    assert certdoc.canonical(doc) == '{"a":3,"\U0001f600":1,"\ufb01":2}'.encode()


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key):
    return certdoc.sign(certificate(), key)


def test_signed_certificate_verifies(key, signed):
    result = certdoc.verify(signed, key.public_key(), NOW)
    assert result.valid and result.signature_ok and not result.problems
    assert result.certificate["serial"] == "C-20261205-0A1B2C3D4E"
    assert json.loads(signed)["signature"]["key_id"] == certdoc.key_id(key.public_key())


def test_every_tampered_byte_fails(key, signed):
    """Flip each byte of the file in turn (and try a neighbouring character): never valid."""
    assert len(signed) > 500
    for i in range(len(signed)):
        for delta in (1, 2):
            tampered = bytearray(signed)
            tampered[i] = (tampered[i] + delta) % 256
            r = certdoc.verify(bytes(tampered), key.public_key(), NOW)
            assert not r.valid and not r.signature_ok, f"byte {i} +{delta} still verifies"


def test_reformatted_or_reordered_file_fails(key, signed):
    doc = json.loads(signed)
    pretty = json.dumps(doc, indent=2, ensure_ascii=False).encode()
    assert "canonical" in certdoc.verify(pretty, key.public_key(), NOW).problems[0][0]
    doc["certificate"]["valid_until"] = "2099-01-01T00:00:00Z"
    r = certdoc.verify(certdoc.canonical(doc), key.public_key(), NOW)
    assert not r.valid and "does not match" in r.problems[0][0]


def test_wrong_key_expired_and_garbage(key, signed):
    other = Ed25519PrivateKey.generate().public_key()
    assert "not with the given public key" in certdoc.verify(signed, other, NOW).problems[0][0]
    late = certdoc.verify(signed, key.public_key(), datetime(2028, 1, 1, tzinfo=UTC))
    assert late.signature_ok and not late.valid and "expired" in late.problems[0][0]
    early = certdoc.verify(signed, key.public_key(), datetime(2020, 1, 1, tzinfo=UTC))
    assert not early.valid and "not yet valid" in early.problems[0][0]
    for junk in (
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"certificate": 1, "signature": 2}',
        b"9" * 10**6,
        b'{"a":1,"a":2}',
        b"[" * 100_000,
        b'{"certificate":{},"signature":{},"x":1}',
    ):
        r = certdoc.verify(junk, key.public_key(), NOW)
        assert not r.valid and r.problems, junk[:40]


def _pem(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_cli_verify(tmp_path: Path, key, signed, capsys):
    cert, pub = tmp_path / "c.json", tmp_path / "issuer.pem"
    cert.write_bytes(signed)
    pub.write_bytes(_pem(key))
    at = "2027-01-01T00:00:00+00:00"
    assert main(["certificate", "verify", str(cert), "--public-key", str(pub), "--at", at]) == 0
    assert "VALID" in capsys.readouterr().out
    cert.write_bytes(signed.replace(b"com.example.app", b"com.example.apq"))
    assert main(["certificate", "verify", str(cert), "--public-key", str(pub), "--at", at]) == 1
    assert "NOT VALID" in capsys.readouterr().out
    pub.write_text("not a key")
    assert main(["certificate", "verify", str(cert), "--public-key", str(pub)]) == 2
    assert "not a PEM public key" in capsys.readouterr().out
