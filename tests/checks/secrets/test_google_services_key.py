"""The Firebase client key the google-services plugin writes into strings is a note; the same
key format under a name the app chose is a shipped key (fixture secrets-in-code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.fixture_scan import findings_by_name

FIXTURE = Path(__file__).resolve().parent / "secrets-in-code"


@pytest.mark.toolchain
def test_google_services_key_is_a_note_and_its_twin_a_finding() -> None:
    google = findings_by_name(
        FIXTURE,
        "android.secrets.hardcoded-secret",
        ("@string/google_api_key", "@string/maps_server_key"),
    )
    note, shipped = google["@string/google_api_key"], google["@string/maps_server_key"]
    assert note["severity"] == "info" and "google-services plugin" in note["message"]["en"]
    assert "google-services" in note["message"]["zh-CN"]
    assert shipped["severity"] == "medium" and "plugin" not in shipped["message"]["en"]
    for f in (note, shipped):  # masked like every secret
        assert "AIzaSy" not in f["evidence"] + f["message"]["en"]
