"""Transformation strings as Cipher.getInstance reads them, and a fuzz of the parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobsec.checks.crypto._algorithms import parse_transformation


@pytest.mark.parametrize(
    ("text", "ecb", "weak", "rsa_no_oaep"),
    [
        ("AES", True, False, False),
        ("aes/ecb/pkcs5padding", True, False, False),
        ("AES/GCM/NoPadding", False, False, False),
        ("AES/CBC/PKCS5Padding", False, False, False),
        ("DES", True, True, False),
        ("DESede/CBC/PKCS5Padding", False, True, False),
        ("RC4", False, True, False),
        ("ARCFOUR", False, True, False),
        ("PBEWithMD5AndDES", False, True, False),
        ("PBEWithHmacSHA256AndAES_256", False, False, False),
        ("RSA", False, False, True),
        ("RSA/ECB/PKCS1Padding", False, False, True),
        ("RSA/NONE/NoPadding", False, False, True),
        ("RSA/ECB/OAEPWithSHA-256AndMGF1Padding", False, False, False),
        ("ChaCha20-Poly1305", False, False, False),
    ],
)
def test_transformation_meaning(text: str, ecb: bool, weak: bool, rsa_no_oaep: bool) -> None:
    t = parse_transformation(text)
    assert t is not None
    assert t.is_ecb is ecb
    assert (t.weak_cipher is not None) is weak
    assert t.rsa_without_oaep is rsa_no_oaep


def test_empty_name_is_no_transformation() -> None:
    assert parse_transformation("") is None
    assert parse_transformation("/CBC/NoPadding") is None


@settings(max_examples=300, deadline=5000)
@given(st.text(max_size=64))
def test_parser_never_raises(text: str) -> None:
    t = parse_transformation(text)
    if t is not None:
        assert isinstance(t.is_ecb, bool)
        t.weak_cipher  # noqa: B018 - evaluated for exceptions only
        assert isinstance(t.rsa_without_oaep, bool)
