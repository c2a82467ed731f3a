"""CLI friction around reports: mistakes fail before the scan, and say how to fix them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobsec.facts.privacy.app_types import load_app_types
from tests.scan.test_cli import mobsec


@pytest.fixture(scope="module")
def apk(corpus_apks: Path) -> Path:
    return corpus_apks / "vulnapps" / "InsecureBankv2.apk"


def test_unwritable_output_fails_before_the_scan(apk: Path, tmp_path: Path) -> None:
    (tmp_path / "dir.html").mkdir()
    for out in (tmp_path / "no-such-dir" / "r.html", tmp_path / "dir.html"):
        proc = mobsec("scan", str(apk), "-o", str(tmp_path / "ok.json"), "-o", str(out))
        assert proc.returncode == 4, proc.stderr
        assert str(out) in proc.stderr and "Traceback" not in proc.stderr
        assert "risk / 风险" not in proc.stderr.lower()  # no summary: the scan never ran
        assert not (tmp_path / "ok.json").exists()  # nothing half-written either


def test_app_type_without_or_with_a_wrong_value_lists_the_types(tmp_path: Path) -> None:
    apk = tmp_path / "x.apk"
    apk.write_bytes(b"PK")
    types = list(load_app_types().values())
    assert len(types) == 39
    for args in (["--app-type"], ["--app-type", "no-such-type"]):
        proc = mobsec("scan", str(apk), *args)
        assert proc.returncode == 2, proc.stderr
        for t in types:
            assert t.name.zh in proc.stderr and t.name.en in proc.stderr, t.id
        assert "Traceback" not in proc.stderr


def test_source_root_must_be_relative(apk: Path, tmp_path: Path) -> None:
    proc = mobsec("scan", str(apk), "-o", str(tmp_path / "r.sarif"), "--source-root", "/home/x")
    assert proc.returncode == 2 and "--source-root" in proc.stderr
    proc = mobsec(
        "scan", "-q", str(apk), "-o", str(tmp_path / "r.sarif"),
        "--source-root", "app/src/main/java",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    log = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert any(u.startswith("app/src/main/java/com/android/insecurebankv2/") for u in uris)
    assert str(tmp_path) not in json.dumps(log)  # no machine path
