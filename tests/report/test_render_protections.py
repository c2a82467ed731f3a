"""The protections section (root detection, obfuscation, pinning...) in every renderer,
on a real scan of a crackme that checks for root, debuggers and tampering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mobsec import ScanOptions, scan
from mobsec.checks.scope import PROTECTION_CHECKS
from mobsec.report.render import render
from mobsec.report.schema import validate_report

APK = "vulnapps/UnCrackable-Level3.apk"


@pytest.fixture(scope="module")
def doc(corpus_apks: Path) -> dict[str, Any]:
    return scan(corpus_apks / APK, ScanOptions()).to_json()


def test_protections_are_a_section_not_findings(doc: dict[str, Any]) -> None:
    validate_report(doc)
    kinds = {p["kind"] for p in doc["protections"]}
    assert {"root-detection", "obfuscation"} <= kinds
    assert not [f for f in doc["findings"] if f["check_id"] == "android.code.root-detection"]


def test_every_renderer_shows_the_protections(doc: dict[str, Any]) -> None:
    html = render(doc, "html", "en").decode()
    assert 'id="protections-table"' in html and "Root detection" in html
    zh = render(doc, "html", "zh-CN").decode()
    assert "安全防护" in zh and "Root 检测" in zh
    sarif = json.loads(render(doc, "sarif"))
    props = sarif["runs"][0]["properties"]["protections"]
    assert {p["kind"] for p in props} == {p["kind"] for p in doc["protections"]}
    results = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    # no protection is a result, so no package-level obfuscation result without a place
    assert "android.code.obfuscation" in PROTECTION_CHECKS
    assert not results & set(PROTECTION_CHECKS), results & set(PROTECTION_CHECKS)
    text = render(doc, "text", "en").decode()
    assert "Protections:" in text and "Root detection (" in text


def test_no_protection_said_so(doc: dict[str, Any]) -> None:
    bare = dict(doc, protections=[])
    html = render(bare, "html", "en").decode()
    assert "No protection found" in html
    assert "protections" not in json.loads(render(bare, "sarif"))["runs"][0]["properties"]
