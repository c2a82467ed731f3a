"""`mobsec diff`: two versions of a fixture app (tests/fixtures/apps/diff-v1, diff-v2).

diff-v2 drops debuggable, changes permissions, exported components, adds an SDK and is
signed with another key; the expected changes are written down here from the fixture
sources, and the certificate digests are checked against apksigner.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mobsec
from mobsec.report.diff import diff_reports, render_diff_text
from mobsec.report.schema import validate_report


@pytest.fixture(scope="module")
def apks(fixture_apk: Callable[[str], Path]) -> tuple[Path, Path]:
    return fixture_apk("diff-v1"), fixture_apk("diff-v2")


@pytest.fixture(scope="module")
def docs(apks: tuple[Path, Path]) -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = (mobsec.scan(p).to_json() for p in apks)
    validate_report(old)
    validate_report(new)
    return old, new


def _ids(items: list[dict[str, Any]]) -> set[str]:
    return {f["check_id"] for f in items}


def test_diff_of_two_versions(docs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = docs
    d = diff_reports(old, new)
    assert d["old"]["version_code"] == 1 and d["new"]["version_code"] == 2
    assert d["app_changes"]["debuggable"] == {"old": True, "new": False}
    assert "android.manifest.debuggable" in _ids(d["findings"]["fixed"])
    assert "android.manifest.debuggable" not in _ids(
        d["findings"]["new"] + d["findings"]["unchanged"]
    )
    # every finding is accounted for exactly once
    assert len(d["findings"]["new"]) + len(d["findings"]["unchanged"]) == len(new["findings"])
    assert len(d["findings"]["fixed"]) + len(d["findings"]["unchanged"]) == len(old["findings"])
    assert {p["name"] for p in d["permissions"]["added"]} == {
        "android.permission.CAMERA",
        "android.permission.ACCESS_FINE_LOCATION",
    }
    assert [p["name"] for p in d["permissions"]["removed"]] == ["android.permission.READ_CONTACTS"]
    assert [(c["kind"], c["name"]) for c in d["exported_components"]["added"]] == [
        ("receiver", "com.example.versions.PushReceiver")
    ]
    assert [(c["kind"], c["name"]) for c in d["exported_components"]["removed"]] == [
        ("service", "com.example.versions.SyncService")
    ]
    assert [s["id"] for s in d["sdks"]["added"]] == ["umeng-analytics"] and not d["sdks"]["removed"]
    assert d["certificates"]["changed"] is True
    assert "diff-v2 release key" in d["certificates"]["added"][0]["subject"]
    # the same version compared with itself: nothing changed
    same = diff_reports(new, new)
    assert not same["findings"]["new"] and not same["findings"]["fixed"]
    assert not same["certificates"]["changed"] and not same["app_changes"]
    text = render_diff_text(same, "en")
    assert text.count("no change") == 4


def test_certificate_digests_match_apksigner(
    docs: tuple[dict[str, Any], dict[str, Any]],
    apks: tuple[Path, Path],
    android_tool: Callable[..., str],
) -> None:
    d = diff_reports(*docs)
    for apk, change in zip(apks, ("removed", "added"), strict=True):
        out = android_tool("apksigner", "verify", "--print-certs", str(apk))
        digests = set(re.findall(r"certificate SHA-256 digest: ([0-9a-f]{64})", out))
        assert {c["sha256"] for c in d["certificates"][change]} == digests


def _mobsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mobsec.cli", *args],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_diff_cli_packages_and_reports(apks: tuple[Path, Path], tmp_path: Path) -> None:
    v1, v2 = (str(p) for p in apks)
    proc = _mobsec("diff", "-q", v1, v2)
    assert proc.returncode == 0, proc.stderr
    assert "+ android.permission.CAMERA" in proc.stdout and "新增" in proc.stdout
    reports = []
    for apk, name in ((v1, "v1.json"), (v2, "v2.json")):
        out = tmp_path / name
        assert _mobsec("scan", "-q", apk, "-o", str(out)).returncode == 0
        validate_report(json.loads(out.read_text(encoding="utf-8")))
        reports.append(str(out))
    out = tmp_path / "diff.json"
    proc = _mobsec("diff", *reports, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    from_reports = json.loads(out.read_text(encoding="utf-8"))
    proc = _mobsec("diff", "-q", "--format", "json", v1, reports[1])  # a package and a report
    assert json.loads(proc.stdout) == from_reports
    assert from_reports["mobsec_diff"] == 1
    # CI: fail when the new version brings a finding at or above the threshold
    worst = min(
        (f["severity"] for f in from_reports["findings"]["new"]),
        key=["critical", "high", "medium", "low", "info"].index,
    )
    assert _mobsec("diff", "-q", *reports, "--fail-on", worst).returncode == 1
    assert (
        _mobsec("diff", "-q", *reports, "--fail-on", "critical").returncode == 0
        or worst == "critical"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "9"}')
    proc = _mobsec("diff", str(bad), reports[1])
    assert proc.returncode == 2 and "not a valid mobsec report" in proc.stderr
