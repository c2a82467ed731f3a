"""The keystroke-log check reads the keyboard layout an IME loads: a log in the fallback
branch that no declared key code reaches is an info note (and says why); the same code with
a letter key in the layout stays a finding. The marks cannot say severity, so it is here."""

from __future__ import annotations

from pathlib import Path

from tests.checks.fixture_scan import findings_by_name

HERE = Path(__file__).parent
CHECK = "android.storage.keystroke-log"


def test_fallback_reached_by_no_declared_key_is_info() -> None:
    found = findings_by_name(HERE / "storage-keystroke-ime", CHECK, ("onKey",))
    note = found["onKey"]
    assert note["severity"] == "info"
    assert "no key of its keyboard layout reaches" in note["message"]["en"]
    assert "-5, -4, -3" in note["message"]["en"]


def test_letter_key_in_layout_reaches_the_log() -> None:
    found = findings_by_name(HERE / "storage-keystroke-ime-printable", CHECK, ("onKey",))
    assert found["onKey"]["severity"] == "medium"
    assert "writes what the user types" in found["onKey"]["message"]["en"]
