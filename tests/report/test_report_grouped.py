"""Reports a tester reads through: one card per check, the app's own code first, short evidence.

On a real scan of InsecureBankv2 (87 findings, 50 of them in SDK code): the HTML has one
card per check with its description once, SDK places grouped per SDK and collapsed,
a scope filter that works in Chromium; the PDF fits in 30 pages without blank pages or
headings left at a page foot; manifest evidence is the element concerned, a few lines.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

import mobsec
from mobsec.checks.registry import load_all
from mobsec.report.render import render
from mobsec.report.render.html import render_html
from mobsec.report.render.messages import MESSAGES, pick, t
from mobsec.report.render.privacy import PRINT_EVIDENCE, privacy_of
from mobsec.report.render.view import area_label, risk_of


@pytest.fixture(scope="module")
def doc(corpus_apks: Path) -> dict[str, Any]:
    return mobsec.scan(corpus_apks / "vulnapps" / "InsecureBankv2.apk").to_json()


def _sdk(f: dict[str, Any]) -> bool:
    return (f.get("owner") or {}).get("kind") != "app"


def test_one_card_per_check_with_its_text_once(doc: dict[str, Any]) -> None:
    html = render(doc, "html", "zh-CN").decode("utf-8")
    checks = Counter(f["check_id"] for f in doc["findings"])
    assert html.count('<section class="check ') == len(checks)
    assert html.count('<article class="finding') == len(doc["findings"])
    many = next(c for c, n in checks.most_common() if n > 3)
    f = next(f for f in doc["findings"] if f["check_id"] == many)
    assert html.count(str(escape(pick(f["description"], "zh-CN")))) == 1
    assert html.count(str(escape(pick(f["remediation"], "zh-CN")))) == 1


def test_manifest_evidence_is_the_element_concerned(doc: dict[str, Any]) -> None:
    manifest = [f for f in doc["findings"] if f["location"]["file"] == "AndroidManifest.xml"]
    assert manifest
    for f in manifest:
        lines = f["evidence"].splitlines()
        assert 0 < len(lines) <= 14, (f["check_id"], f["evidence"])
    debuggable = next(f for f in manifest if f["check_id"] == "android.manifest.debuggable")
    assert 'android:debuggable="true"' in [
        x.strip().rstrip(">") for x in debuggable["evidence"].splitlines()
    ]
    assert "<activity" not in debuggable["evidence"]  # not the whole <application>


def test_every_area_has_a_name_in_both_languages(doc: dict[str, Any]) -> None:
    for area in {c.meta.area for c in load_all().values()}:
        assert f"area.{area}" in MESSAGES, area
        for lang in ("en", "zh-CN"):
            assert area_label(f"android.{area}", lang) != t("area.other", lang)
    html = render(doc, "html", "en").decode("utf-8")
    headings = re.findall(r"<h3>(.*?)</h3>", html, re.S)
    assert headings and not any("android." in h for h in headings), headings


def test_risk_rating_says_how_much_is_sdk_code(doc: dict[str, Any]) -> None:
    sdk = sum(1 for f in doc["findings"] if _sdk(f))
    reasons = risk_of(doc, "en").reasons
    assert any(f"{sdk} of the {len(doc['findings'])} open findings" in r for r in reasons), reasons
    assert any("第三方 SDK 代码" in r for r in risk_of(doc, "zh-CN").reasons)


def test_terminal_top_findings_list_the_apps_own_first(doc: dict[str, Any]) -> None:
    text = render(doc, "text", "en").decode("utf-8")
    top = text.split("Top findings:", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in top.splitlines() if re.match(r"^  \S+\s+android\.", line)]
    assert rows
    app_checks = {f["check_id"] for f in doc["findings"] if not _sdk(f) and f["severity"] != "info"}
    first = [r.split()[1] for r in rows[: len(app_checks) if len(app_checks) < len(rows) else 3]]
    assert all(c in app_checks for c in first), (first, app_checks)
    assert "SDK" not in text.split("Top findings:", 1)[1].splitlines()[1]
    zh = render(doc, "text", "zh-CN").decode("utf-8")
    assert "主要发现" in zh and "Top findings" not in zh


@pytest.mark.parametrize("scope", ["app", "sdk"])
def test_scope_is_a_view_filter_of_every_output(doc: dict[str, Any], scope: str) -> None:
    want = [f for f in doc["findings"] if _sdk(f) == (scope == "sdk")]
    assert 0 < len(want) < len(doc["findings"])
    html = render(doc, "html", "en", scope=scope).decode("utf-8")
    assert html.count('<article class="finding') == len(want)
    assert f'data-owner="{"app" if scope == "sdk" else "sdk"}"' not in html
    import json

    sarif = json.loads(render(doc, "sarif", "en", scope=scope))
    assert len(sarif["runs"][0]["results"]) == len(want)
    text = render(doc, "text", "en", scope=scope).decode("utf-8")
    assert f"--scope {scope}" in text
    assert len(json.loads(render(doc, "json", scope=scope))["findings"]) == len(doc["findings"])


def test_sdk_places_are_collapsed_and_the_scope_filter_works(
    doc: dict[str, Any],
    page_of: Callable[[str], Any],
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.html"
    path.write_bytes(render(doc, "html", "zh-CN"))
    page = page_of(str(path))
    visible = "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.owner)"
    owners = page.eval_on_selector_all("article.finding", visible)
    app = sum(1 for f in doc["findings"] if not _sdk(f))
    assert owners == ["app"] * app  # SDK places collapsed until opened
    assert (
        page.eval_on_selector_all("details.instances.sdk", "els => els.filter(e => e.open).length")
        == 0
    )
    page.click("input.scope-filter[value=sdk]")
    page.eval_on_selector_all("details.instances.sdk", "els => els.forEach(e => e.open = true)")
    owners = page.eval_on_selector_all("article.finding", visible)
    assert owners and set(owners) == {"sdk"}
    assert page.inner_text("#shown-count") == str(len(doc["findings"]) - app)
    page.click("input.scope-filter[value=app]")
    assert set(page.eval_on_selector_all("article.finding", visible)) == {"app"}
    first_card = page.eval_on_selector("section.check:not(.hidden)", "e => e.dataset.check")
    assert first_card in {f["check_id"] for f in doc["findings"] if not _sdk(f)}
    page.click("input.scope-filter[value=all]")
    # evidence on demand
    ev = page.locator("article.finding details.evidence").first
    assert not ev.evaluate("e => e.open")
    assert page.js_errors == []


def _pdftotext(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture(scope="module")
def pdf(doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = tmp_path_factory.mktemp("pdf") / "r.pdf"
    path.write_bytes(render(doc, "pdf", "zh-CN"))
    return path


def test_pdf_fits_30_pages_without_blank_pages_or_orphaned_headings(
    doc: dict[str, Any], pdf: Path
) -> None:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert pages <= 30
    headings = {
        area_label(f"android.{a}", "zh-CN") for a in {c.meta.area for c in load_all().values()}
    }
    headings |= {pick(f["title"], "zh-CN") for f in doc["findings"]}
    # every heading the printed page has: chapters, sub-chapters, owner and reason heads
    page_html = render_html(doc, "zh-CN", for_print=True)
    marked = r"<(h[234])[^>]*>(.*?)</\1>|class=\"(?:owner-head|pending-reason)\">(.*?)</"
    for m in re.finditer(marked, page_html, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", m.group(2) or m.group(3)).split())
        headings |= {_heading(html_unescape(text)), _heading(re.sub(r"^\S+\s+", "", text))}
    headings.discard("")
    assert {"权限", "组件", "导出组件", "检测结果"} <= headings
    for n in range(1, pages + 1):
        lines = [x.strip() for x in _pdftotext(pdf, n).splitlines() if x.strip()]
        body = [x for x in lines if "安全检测报告" not in x and not re.fullmatch(r"\d+ / \d+", x)]
        assert len(body) >= (1 if n == pages else 3), f"page {n} is (nearly) blank: {lines}"
        last = {_heading(body[-1]), _heading(re.sub(r"^\S+\s+", "", body[-1]))} - {""}
        assert not last & headings, f"page {n} ends with a heading: {body[-1]}"


def _heading(line: str) -> str:
    """ "高危 Title · 2 处" / "检测结果 (39 个发现)" → the heading's words ("Title", "检测结果")."""
    return re.sub(r"\s*\([^()]*\)$", "", line.split(" · ")[0]).strip()


def test_pdf_condenses_the_privacy_scenarios_the_html_keeps_whole(
    doc: dict[str, Any], pdf: Path
) -> None:
    """Paper: scenarios left to a manual/dynamic assessment without evidence once per reason,
    at most PRINT_EVIDENCE evidence items per scenario; the HTML keeps every scenario whole."""
    priv = privacy_of(doc)
    assert priv
    scenarios = priv["scenarios"] + priv.get("miit", [])
    pending = [
        s for s in scenarios if s["result"] == "not-assessed-statically" and not s["evidence"]
    ]
    shown = [s for s in scenarios if s not in pending]
    longest = max(scenarios, key=lambda s: len(s["evidence"]))
    assert pending and len(longest["evidence"]) > PRINT_EVIDENCE
    text = re.sub(r"\s+", "", subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout)  # fmt: skip
    assert t("privacy.pending", "zh-CN").replace(" ", "") in text
    for reason in {pick(s["reason"], "zh-CN") for s in pending}:
        also = sum(1 for s in shown if pick(s["reason"], "zh-CN") == reason)
        assert text.count(re.sub(r"\s+", "", reason)) == 1 + also, reason
    more = len(longest["evidence"]) - PRINT_EVIDENCE
    assert f"另有{more}项" in text
    assert "耗时" not in text  # phase timings stay in the HTML and JSON
    html = render(doc, "html", "zh-CN").decode("utf-8")
    assert html.count('<article class="scenario ') == len(scenarios)
    assert str(escape(pick(longest["evidence"][-1]["text"], "zh-CN"))) in html
    assert 'id="privacy-pending"' not in html and 'id="timings"' in html
