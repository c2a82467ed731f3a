"""`mobsec scan --app-type TYPE --privacy-policy FILE` as a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobsec.report.schema import validate_report
from tests.fixtures.build import build_apk, missing_tools
from tests.scan.test_cli import mobsec

APP = Path(__file__).resolve().parents[1] / "checks" / "privacy" / "privacy-collection"


@pytest.fixture(scope="module")
def apk() -> Path:
    missing = missing_tools(APP)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    return build_apk(APP)


@pytest.mark.toolchain
def test_app_type_and_policy_reach_the_report(apk: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.txt"
    policy.write_text("我们会收集您的设备识别码（IMEI）和位置信息。\n", encoding="utf-8")
    out = tmp_path / "r.json"
    proc = mobsec(
        "scan", str(apk), "-o", str(out), "--app-type", "1", "--privacy-policy", str(policy)
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    priv = doc["privacy"]
    assert priv["app_type"]["id"] == "map-navigation"
    assert priv["policy"]["name"] == "policy.txt"
    assert "location" in priv["policy_comparison"]["declared_but_unobserved_pi"]
    assert doc["scan"]["options"]["app_type"] == "1"
    assert "Personal information / 个人信息 (191)" in proc.stderr  # terminal block
    # without the flags: the inputs are absent, said so in the report
    proc = mobsec("scan", "-q", str(apk), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    priv = json.loads(out.read_text(encoding="utf-8"))["privacy"]
    assert priv["app_type"] is None and priv["policy_comparison"] is None


def test_bad_privacy_inputs_are_usage_errors(tmp_path: Path) -> None:
    apk = tmp_path / "x.apk"
    apk.write_bytes(b"PK")
    proc = mobsec("scan", str(apk), "--app-type", "no-such-type")
    assert proc.returncode == 2 and "no-such-type" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = mobsec("scan", str(apk), "--privacy-policy", str(tmp_path / "absent.html"))
    assert proc.returncode == 2 and "absent.html" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_names_the_flags_in_both_languages() -> None:
    proc = mobsec("scan", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "--app-type [TYPE]" in text and "--privacy-policy FILE" in text
    assert "necessary-PI rules" in text and "必要原则" in text
    assert "privacy policy" in text and "隐私政策" in text
