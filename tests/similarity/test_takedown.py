"""The takedown report: HTML that renders in Chromium, PDF with Chinese text."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mobsec.report.render import RenderError
from mobsec.similarity import AppFingerprint, compare, fingerprint, render_takedown

HOSTILE_LABEL = '<script>alert("x")</script><img src=https://evil.example/t.png>'


@pytest.fixture(scope="module")
def comparison(corpus_apks: Path):
    genuine = fingerprint(corpus_apks / "vulnapps" / "diva-beta.apk")
    doc = fingerprint(corpus_apks / "vulnapps" / "diva_quark-samples.apk").to_json()
    doc["labels"].insert(0, {"text": HOSTILE_LABEL, "config": ""})  # strings from packages
    doc["file"]["name"] = "Diva 破解版 </td>.apk"
    return compare(AppFingerprint.from_json(doc), genuine)


def test_html_renders_in_chromium_with_evidence(
    comparison, page_of: Callable[[str], Any], tmp_path: Path
) -> None:
    for lang, title in (
        ("zh-CN", "侵权应用下架申请"),
        ("en", "Request to remove an infringing app"),
    ):
        html = render_takedown(comparison, {"name": "应用宝", "contact": "legal@example.com"}, lang)
        path = tmp_path / f"takedown-{lang}.html"
        path.write_bytes(html)
        page = page_of(str(path))
        assert page.inner_text("#title") == title
        assert page.inner_text("#channel") == "应用宝"
        verdict = page.inner_text("#verdict")
        assert verdict == ("仿冒" if lang == "zh-CN" else "Counterfeit"), verdict
        rows = page.eval_on_selector_all("#evidence tr", "rows => rows.length")
        assert rows == 1 + len(comparison.signals)
        assert page.evaluate("() => document.querySelectorAll('script, img').length") == 0
        assert not page.js_errors
        assert not [u for u in page.requests if u.startswith("http")]
        body = page.inner_text("body")
        assert "Diva 破解版 </td>.apk" in body and HOSTILE_LABEL in body  # shown as text


def test_pdf_has_the_chinese_text(comparison, tmp_path: Path) -> None:
    pdf = render_takedown(comparison, "华为应用市场", "zh-CN", "pdf")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "takedown.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("侵权应用下架申请", "华为应用市场", "仿冒", "签名证书", "jakhar.aseem.diva"):
        assert expected in text, expected
    en = render_takedown(comparison, "Store", "en", "pdf")
    path.write_bytes(en)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Request to remove an infringing app" in text


def test_bad_arguments_are_render_errors(comparison) -> None:
    with pytest.raises(RenderError, match="language"):
        render_takedown(comparison, "x", "fr", "html")
    with pytest.raises(RenderError, match="format"):
        render_takedown(comparison, "x", "en", "docx")
