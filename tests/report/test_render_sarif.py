"""SARIF output is valid against the official OASIS schema and carries what code scanning uses."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from mobsec.report.baseline import Baseline, Suppression, apply_triage
from mobsec.report.render import render
from mobsec.report.render.sarif import FINGERPRINT_KEY, render_sarif
from mobsec.report.schema import validate_report
from tests.report.findings_doc import report_doc


@pytest.fixture(scope="module")
def sarif_validator() -> Draft4Validator:
    text = files("mobsec.report.schema").joinpath("sarif-2.1.0.schema.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def doc(fixture_apk: Callable[[str], Path]) -> dict[str, Any]:
    d = report_doc(fixture_apk("manifest-rich"))
    validate_report(d)
    return d


def _assert_valid(validator: Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    detail = "\n".join(f"{e.json_path}: {e.message[:200]}" for e in errors[:10])
    assert not errors, detail


def test_sarif_is_valid_and_complete(doc: dict[str, Any], sarif_validator: Draft4Validator) -> None:
    log = json.loads(render(doc, "sarif"))
    _assert_valid(sarif_validator, log)
    (run,) = log["runs"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    results = run["results"]
    assert len(results) == len(doc["findings"])
    assert set(rules) == {f["check_id"] for f in doc["findings"]}
    for r in rules.values():  # help text and GitHub's severity score
        assert r["help"]["text"] and r["shortDescription"]["text"]
        assert 0.0 <= float(r["properties"]["security-severity"]) <= 10.0
    by_fp = {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in results}
    assert set(by_fp) == {f["fingerprint"] for f in doc["findings"]}
    for f in doc["findings"]:
        res = by_fp[f["fingerprint"]]
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == f["check_id"]
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        expected = f["location"]["file"] or doc["package"]["file_name"]  # package-level
        if art["uriBaseId"] == "SRCROOT":  # a source line names the source file
            expected = f["location"]["source_file"]
        assert art["uri"].endswith(expected)
        if f["location"]["class"]:
            logical = loc["logicalLocations"][-1]
            assert logical["fullyQualifiedName"].startswith(f["location"]["class"])
            if f["location"]["method"]:
                assert logical["kind"] == "function"
                assert logical["fullyQualifiedName"].endswith(f["location"]["method"])
        if f["location"]["line"]:
            assert loc["physicalLocation"]["region"]["startLine"] == f["location"]["line"]
    crit = next(r for r in results if r["ruleId"] == "android.network.trust_all")
    assert crit["level"] == "error"
    assert crit["properties"]["owner"]["kind"] == "sdk"
    # the real check's finding from the real scan is there too
    assert "android.manifest.debuggable" in rules


def test_sarif_language_and_triage(doc: dict[str, Any], sarif_validator: Draft4Validator) -> None:
    doc = json.loads(json.dumps(doc))
    ecb = next(f for f in doc["findings"] if f["check_id"] == "android.crypto.ecb_mode")
    base = Baseline(frozenset({ecb["fingerprint"]}), "b.json")
    apply_triage(doc, base, [Suppression("accepted risk", rule="android.privacy.*")])
    validate_report(doc)
    log = render_sarif(doc, "zh-CN")
    _assert_valid(sarif_validator, log)
    results = log["runs"][0]["results"]
    states = {r["ruleId"]: r.get("baselineState") for r in results}
    assert states["android.crypto.ecb_mode"] == "unchanged"
    assert states["android.network.trust_all"] == "new"
    sup = next(r for r in results if r["ruleId"] == "android.privacy.device_id")
    assert sup["suppressions"][0]["justification"] == "accepted risk"
    rule = next(
        r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "android.crypto.ecb_mode"
    )
    assert rule["shortDescription"]["text"] == "分组密码使用 ECB 模式"


def test_sarif_without_findings_is_valid(
    fixture_apk: Callable[[str], Path], sarif_validator: Draft4Validator
) -> None:
    doc = report_doc(fixture_apk("minimal-smali"), extra=False)
    log = render_sarif(doc)
    _assert_valid(sarif_validator, log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_schema_rejects_a_broken_log(
    doc: dict[str, Any], sarif_validator: Draft4Validator
) -> None:
    """The bundled schema is not vacuous: a result without a message is refused."""
    log = render_sarif(doc)
    del log["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(log))
