"""Whole scans of every corpus IPA through the engine, and the iOS section in every renderer."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import mobsec
from mobsec.report.render import render
from tests.ios.ipa_build import IPA_DIR, corpus_ipa

SCHEMA = json.loads(
    (Path(mobsec.__file__).parent / "report" / "schema" / "report.schema.json").read_text()
)
IPAS = sorted(p.name for p in IPA_DIR.glob("*.ipa")) if IPA_DIR.is_dir() else []
# Edge samples (NOTES.md §1) and the diagnostics they must give instead of a crash.
EDGE = {
    "fastlane_ContainsWatchApp.ipa": {"ios.no_executable"},
    "fastlane_with_swift_twice.ipa": {"ios.no_info_plist", "macho.empty"},
}


@cache
def _scan(path: Path) -> dict:
    return mobsec.scan(path, mobsec.ScanOptions()).to_json()


@pytest.mark.parametrize("name", IPAS)
def test_corpus_ipa_scans_cleanly(corpus_dir, name):
    doc = _scan(IPA_DIR / name)
    assert doc["package"]["format"] == "ipa" and doc["package"]["platform"] == "ios"
    Draft202012Validator(SCHEMA).validate(doc)
    assert not [d for d in doc["diagnostics"] if d["level"] == "error"]
    assert {d["id"] for d in doc["platform_details"]} >= {"ios.app", "ios.info_plist", "ios.ats"}
    assert all(f["check_id"].startswith("ios.") for f in doc["findings"])


@pytest.mark.parametrize("name", sorted(EDGE))
def test_edge_ipa_gives_documented_diagnostics(corpus_dir, name):
    doc = _scan(IPA_DIR / "edge" / name)
    Draft202012Validator(SCHEMA).validate(doc)
    codes = {d["code"] for d in doc["diagnostics"]}
    assert EDGE[name] <= codes
    assert not any(c.startswith("internal") for c in codes)


def test_ats_positive_of_notes_is_found(corpus_dir):
    doc = _scan(IPA_DIR / "appinfo_apple-tv.ipa")
    [ats] = [f for f in doc["findings"] if f["check_id"] == "ios.network.ats-arbitrary-loads"]
    assert ats["severity"] == "high" and ats["location"]["file"].endswith("Info.plist")
    table = next(d for d in doc["platform_details"] if d["id"] == "ios.ats")
    assert {"key": "NSAllowsArbitraryLoads", "value": True} in table["rows"]


def test_ipa_zipped_again_is_scanned_inside(corpus_dir, tmp_path):
    outer = tmp_path / "upload.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("build/app.ipa", corpus_ipa("appinfo_iphone.ipa").read_bytes())
    doc = mobsec.scan(outer).to_json()
    assert doc["package"]["format"] == "ipa"
    assert doc["app"]["package"] == "com.icyleaf.AppInfoDemo"
    assert "ios.nested_ipa" in {d["code"] for d in doc["diagnostics"]}


def test_renderers_show_the_ios_section(corpus_dir):
    doc = _scan(IPA_DIR / "appinfo_apple-tv.ipa")
    for lang in ("en", "zh-CN"):
        html = render(doc, "html", lang).decode()
        assert 'id="details-ios.ats"' in html and "NSAllowsArbitraryLoads" in html
        assert 'id="details-ios.binaries"' in html
    sarif = json.loads(render(doc, "sarif", "en"))
    run = sarif["runs"][0]
    assert "ios.network.ats-arbitrary-loads" in {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert any(d["id"] == "ios.ats" for d in run["properties"]["platformDetails"])
    text = render(doc, "text", "en").decode()
    assert "App Transport Security" in text and "NSAllowsArbitraryLoads=True" in text
    text_zh = render(doc, "text", "zh-CN").decode()
    assert "描述文件" in text_zh


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_pdf_shows_the_ios_section(corpus_dir, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(_scan(IPA_DIR / "appinfo_apple-tv.ipa"), "pdf", "en"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "App Transport Security" in text and "NSAllowsArbitraryLoads" in text
