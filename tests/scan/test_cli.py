"""The command line as a user (and a CI job) meets it: exit codes, outputs, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mobsec.report.schema import validate_report


def mobsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mobsec.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.toolchain
def test_scan_writes_a_valid_report(fixture_apk, tmp_path: Path) -> None:
    apk = fixture_apk("java-basic")
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(apk), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["package"]["format"] == "apk"
    assert doc["scan"]["complete"] is True
    assert doc["code"]["methods"] > 0
    assert "report / 报告" in proc.stderr  # summary on stderr, both languages


@pytest.mark.toolchain
def test_report_on_stdout_when_no_output_given(fixture_apk) -> None:
    proc = mobsec("scan", "-q", str(fixture_apk("minimal-smali")))
    assert proc.returncode == 0, proc.stderr
    validate_report(json.loads(proc.stdout))
    assert proc.stderr == ""  # --quiet: nothing else


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = mobsec("scan", str(tmp_path / "nope.apk"))
    assert proc.returncode == 2
    assert "nope.apk" in proc.stderr and "File not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_not_a_zip_gives_exit_3_and_still_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "random.apk"
    bad.write_bytes(b"this is not a zip file at all\n" * 100)
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(bad), "-o", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["scan"]["complete"] is False
    assert doc["package"]["hashes"]["sha256"]  # what the user gave is identified
    (err,) = [d for d in doc["diagnostics"] if d["level"] == "error"]
    assert err["code"].startswith("zip.")
    assert err["message"]["en"] and err["message"]["zh-CN"]


def test_truncated_apk_is_partially_reported(fixture_apk_or_corpus: Path, tmp_path: Path) -> None:
    """An APK cut in half: whatever is still readable is reported, the rest is named."""
    data = fixture_apk_or_corpus.read_bytes()
    cut = tmp_path / "cut.apk"
    cut.write_bytes(data[: len(data) // 2])
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(cut), "-o", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert any(d["level"] == "error" for d in doc["diagnostics"])


@pytest.fixture
def fixture_apk_or_corpus(corpus_apks: Path) -> Path:
    return corpus_apks / "vulnapps" / "InsecureBankv2.apk"
