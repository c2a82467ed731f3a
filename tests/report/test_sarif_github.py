"""SARIF as GitHub code scanning takes it: every result has a place, relative and with a line.

Schema validity is checked in test_render_sarif.py; here the upload rules
(tests/report/sarif_github.py) on the logs of real scans, and the source mapping: a
result whose line comes from a Java/Kotlin source names that source file, never a Java
line on a .dex.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mobsec
from mobsec.report.render import render
from mobsec.report.render.sarif import render_sarif
from tests.report.findings_doc import report_doc
from tests.report.sarif_github import github_upload_problems, uri_problem


@pytest.fixture(scope="module")
def doc(fixture_apk: Callable[[str], Path]) -> dict[str, Any]:
    return report_doc(fixture_apk("manifest-rich"))


def _result(log: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(r for r in log["runs"][0]["results"] if r["ruleId"] == check_id)


def test_checker_is_not_vacuous(doc: dict[str, Any]) -> None:
    log = render_sarif(doc)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "/home/me/app/classes.dex"
    )
    del log["runs"][0]["results"][1]["partialFingerprints"]
    problems = github_upload_problems(log)
    assert any("absolute uri" in p for p in problems)
    assert any("partialFingerprints" in p for p in problems)
    assert uri_problem("") and uri_problem("file:///x") and uri_problem("../x")
    assert uri_problem("C:\\x") and uri_problem("com/x/Y.java") is None


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_fixture_report_is_accepted(doc: dict[str, Any], lang: str) -> None:
    assert github_upload_problems(json.loads(render(doc, "sarif", lang))) == []


@pytest.mark.parametrize(
    "apk",
    [
        "vulnapps/InsecureBankv2.apk",
        "vulnapps/ovaa.apk",
        "realworld/appium-uiautomator2-server-v10.6.6.apk",
    ],
)
def test_corpus_reports_are_accepted(corpus_apks: Path, apk: str) -> None:
    log = render_sarif(mobsec.scan(corpus_apks / apk).to_json())
    assert github_upload_problems(log) == []
    for res in log["runs"][0]["results"]:  # no Java line number on a .dex
        phys = res["locations"][0]["physicalLocation"]
        if phys["artifactLocation"]["uri"].endswith(".dex"):
            assert phys["region"] == {"startLine": 1}, res
            assert "line" not in json.dumps(phys["region"]).replace("startLine", "")


def test_java_line_names_the_source_file(doc: dict[str, Any]) -> None:
    res = _result(render_sarif(doc), "android.crypto.ecb_mode")
    (loc,) = res["locations"]
    art = loc["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "com/example/basic/Crypto.java", "uriBaseId": "SRCROOT"}
    assert loc["physicalLocation"]["region"] == {"startLine": 34}
    kinds = {x["kind"]: x for x in loc["logicalLocations"]}
    assert kinds["module"]["name"] == "classes.dex"
    assert kinds["function"]["fullyQualifiedName"] == "com.example.basic.Crypto.encrypt([B)[B"


def test_source_root_prefixes_source_paths(doc: dict[str, Any]) -> None:
    log = render_sarif(doc, source_root="app/src/main/java/")
    res = _result(log, "android.crypto.ecb_mode")
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "app/src/main/java/com/example/basic/Crypto.java"
    assert github_upload_problems(log) == []
    with pytest.raises(ValueError):
        render_sarif(doc, source_root="/home/me/src")
    with pytest.raises(ValueError):
        render_sarif(doc, source_root="../elsewhere")


def test_bytecode_without_line_stays_on_the_dex(doc: dict[str, Any]) -> None:
    res = _result(render_sarif(doc), "android.network.trust_all")
    phys = res["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "classes2.dex", "uriBaseId": "PACKAGE"}
    assert phys["region"] == {"startLine": 1}


def test_package_level_result_points_at_the_package(doc: dict[str, Any]) -> None:
    d = json.loads(json.dumps(doc))
    f = json.loads(json.dumps(d["findings"][0]))
    f.update(check_id="android.signing.unsigned", fingerprint="0" * 32)
    f["location"] = {k: None for k in f["location"]} | {"file": ""}
    d["findings"].append(f)
    log = render_sarif(d)
    phys = _result(log, "android.signing.unsigned")["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == d["package"]["file_name"]
    assert phys["artifactLocation"]["uriBaseId"] == "PACKAGE_DIR"
    assert github_upload_problems(log) == []


def test_hostile_source_file_name_cannot_escape(doc: dict[str, Any]) -> None:
    d = json.loads(json.dumps(doc))
    ecb = next(f for f in d["findings"] if f["check_id"] == "android.crypto.ecb_mode")
    ecb["location"]["source_file"] = "../../../etc/passwd"
    log = render_sarif(d)
    assert github_upload_problems(log) == []
    uri = _result(log, "android.crypto.ecb_mode")["locations"][0]["physicalLocation"][
        "artifactLocation"
    ]["uri"]
    assert ".." not in uri
