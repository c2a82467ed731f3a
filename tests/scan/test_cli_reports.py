"""CLI friction around reports: mistakes fail before the scan, and say how to fix them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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


def _at_or_above(doc: dict, scope: str, threshold: str) -> int:
    from mobsec.report.render.view import at_or_above

    return sum(
        1
        for f in doc["findings"]
        if (scope == "all" or ((f["owner"] or {}).get("kind") == "app") == (scope == "app"))
        and at_or_above(f["severity"], threshold)
    )


def test_scope_filters_outputs_and_fail_on_but_not_the_json(apk: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.json"
    assert mobsec("scan", "-q", str(apk), "-o", str(full)).returncode == 0
    doc = json.loads(full.read_text(encoding="utf-8"))
    threshold = "high"
    counts = {scope: _at_or_above(doc, scope, threshold) for scope in ("app", "sdk")}
    assert counts["app"] and counts["sdk"] and counts["app"] != counts["sdk"]
    for scope in ("app", "sdk"):
        out = tmp_path / scope
        out.mkdir()
        proc = mobsec(
            "scan", str(apk), "--scope", scope, "--fail-on", threshold, "--lang", "en",
            "-o", str(out / "r.json"), "-o", str(out / "r.sarif"), "-o", str(out / "r.txt"),
        )  # fmt: skip
        assert proc.returncode == 1, (scope, proc.stderr[-800:])
        assert f"{counts[scope]} open finding(s) at or above high" in proc.stderr
        kept = json.loads((out / "r.json").read_text(encoding="utf-8"))
        assert len(kept["findings"]) == len(doc["findings"])  # the JSON keeps every finding
        sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
        owners = {r["properties"]["owner"]["kind"] == "app" for r in sarif["runs"][0]["results"]}
        assert owners == {scope == "app"}
        assert f"--scope {scope}" in (out / "r.txt").read_text(encoding="utf-8")
        assert f"--scope {scope}" in proc.stderr


def test_pdf_shows_progress(apk: Path, tmp_path: Path) -> None:
    proc = mobsec("scan", str(apk), "--lang", "en", "-o", str(tmp_path / "r.pdf"))
    assert proc.returncode == 0, proc.stderr[-800:]
    assert re.search(r"r\.pdf: PDF: layout", proc.stderr)
    assert re.search(r"r\.pdf: PDF: \d+ pages in [\d.]+ s", proc.stderr)
    quiet = mobsec("scan", "-q", str(apk), "--lang", "en", "-o", str(tmp_path / "q.pdf"))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_zh_pdf_without_a_chinese_font_fails_naming_the_fix(apk: Path, tmp_path: Path) -> None:
    """fontconfig with no font directory at all stands for a machine without CJK fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = tmp_path / "r.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "mobsec.cli", "scan", str(apk), "-o", str(out)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 4, proc.stderr[-800:]
    assert "fonts-wqy-zenhei" in proc.stderr and "fonts-noto-cjk" in proc.stderr
    assert "中文字体" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_non_package_says_what_it_looks_like_and_is_not_rated(tmp_path: Path) -> None:
    pdf = tmp_path / "manual.apk"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    proc = mobsec("scan", str(pdf), "-o", str(tmp_path / "r.json"), "-o", str(tmp_path / "r.html"))
    assert proc.returncode == 3, proc.stderr
    assert "looks like a PDF document" in proc.stderr and "看起来是PDF" in proc.stderr
    assert "No open issues" not in proc.stderr and "未发现待处理问题" not in proc.stderr
    assert "Not assessed / 未评估" in proc.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'data-rating="unassessed"' in html and "未发现待处理问题" not in html
