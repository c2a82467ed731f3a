"""The public API end to end on fixture apps built from source."""

from __future__ import annotations

import json

import pytest

from mobsec.similarity import (
    AppFingerprint,
    FingerprintError,
    RegistryIndex,
    compare,
    fingerprint,
)


@pytest.fixture(scope="module")
def basic(fixture_apk):
    return fingerprint(fixture_apk("java-basic"))


@pytest.fixture(scope="module")
def other(fixture_apk):
    return fingerprint(fixture_apk("manifest-rich"))


def test_fingerprint_round_trips_through_json(basic):
    text = basic.dumps()
    again = AppFingerprint.from_json(text)
    assert again.to_json() == basic.to_json()
    assert json.loads(text)["version"] == 1
    assert basic.package and basic.certificates and basic.signature_verified


def test_a_release_is_genuine_against_itself(basic):
    result = compare(basic, basic)
    assert result.verdict == "genuine"
    assert result.signal("certificate").matched


def test_another_app_of_the_same_owner_is_not_a_copy(basic, other):
    result = compare(other, basic)
    assert result.verdict == "unrelated", result.to_json()["reasons"]


def test_index_finds_the_registered_app_first(basic, other):
    index = RegistryIndex()
    index.add("other", other)
    index.add("basic", basic)
    hits = index.query(basic)
    assert hits[0].key == "basic"
    assert "package" in hits[0].reasons


def test_wrong_documents_and_files_get_clear_errors(tmp_path):
    with pytest.raises(FingerprintError, match="not an app fingerprint"):
        AppFingerprint.from_json('{"kind": "x"}')
    with pytest.raises(FingerprintError, match="version"):
        AppFingerprint.from_json('{"kind": "mobsec.app-fingerprint", "version": 99}')
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(FingerprintError, match=r"notes\.txt"):
        fingerprint(text)
