"""The personal-information section in every renderer, from a real scan of a PI-reading app.

The app is tests/checks/privacy/privacy-collection (IMEI and ANDROID_ID read from
Application.onCreate, IMSI on a click, the installed-app list at launch, a boot receiver),
scanned with an app type and a small privacy policy written here, so the who-collects-what
table, the 31 scenarios with every kind of result and the policy comparison are all real.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from mobsec import ScanOptions, scan
from mobsec.report.render import render
from mobsec.report.render.html import SECTIONS, render_html
from mobsec.report.render.privacy import collection_rows, scenario_groups
from mobsec.report.schema import validate_report
from tests.fixtures.build import build_apk, missing_tools
from tests.report.test_render_html import _visible_checks, page_of  # noqa: F401 (fixture)
from tests.report.test_render_pdf import _tool

APP = Path(__file__).resolve().parents[1] / "checks" / "privacy" / "privacy-collection"
POLICY = (
    "<h1>隐私政策</h1><p>我们会收集您的设备识别码（IMEI）。</p>"
    "<p>我们会收集您的位置信息用于导航。</p><p>联系我们：privacy@example.com</p>"
)
pytestmark = pytest.mark.toolchain


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    missing = missing_tools(APP)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    policy = tmp_path_factory.mktemp("policy") / "policy.html"
    policy.write_text(POLICY, encoding="utf-8")
    report = scan(build_apk(APP), ScanOptions(app_type="地图导航类", privacy_policy=policy))
    d = report.to_json()
    validate_report(d)
    assert d["privacy"]["app_type"]["id"] == "map-navigation"
    assert d["privacy"]["policy_comparison"]["declared_but_unobserved_pi"] == ["location"]
    return d


def _scenarios(d: dict[str, Any]) -> list[dict[str, Any]]:
    return d["privacy"]["scenarios"] + d["privacy"]["miit"]


def test_view_joins_collection_and_groups_scenarios(doc: dict[str, Any]) -> None:
    rows = {r.pi_id: r for r in collection_rows(doc["privacy"], "en")}
    assert {"device-id", "imsi", "android-id", "installed-apps"} <= set(rows)
    assert rows["device-id"].collector == "app code"
    assert rows["device-id"].permissions_declared == ["android.permission.READ_PHONE_STATE"]
    assert rows["installed-apps"].permissions_declared == []  # QUERY_ALL_PACKAGES not declared
    assert all(r.accesses >= 1 for r in rows.values())
    groups = scenario_groups(doc["privacy"], "zh-CN")
    assert [g.label.split(".")[0] for g in groups[:6]] == ["1", "2", "3", "4", "5", "6"]
    assert sum(len(g.scenarios) for g in groups[:6]) == 31
    assert groups[6].scenarios == doc["privacy"]["miit"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_html_privacy_section(doc: dict[str, Any], lang: str) -> None:
    html = render_html(doc, lang)
    assert ("privacy", "section.privacy") in SECTIONS and 'id="privacy"' in html
    title = "个人信息" if lang == "zh-CN" else "Personal information"
    assert f"<h2>{title}</h2>" in html
    table = html.split('id="privacy-collection"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr data-pi=") == len(collection_rows(doc["privacy"], lang))
    assert "android.permission.READ_PHONE_STATE" in table
    assert ("未声明" if lang == "zh-CN" else "not declared") in table  # QUERY_ALL_PACKAGES
    arts = re.findall(r'<article class="scenario [^"]+" id="scenario-([^"]+)"', html)
    assert arts == [s["id"] for s in _scenarios(doc)]
    counts = doc["privacy"]["summary"]
    assert counts["violation-suspected"] >= 2 and counts["not-assessed-statically"] >= 1
    badge = "疑似违规" if lang == "zh-CN" else "violation suspected"
    assert html.count(f">{badge}</span>") >= counts["violation-suspected"]
    s11 = html.split('id="scenario-1.1"', 1)[1].split("</article>", 1)[0]
    assert ("启发式" if lang == "zh-CN" else "heuristic") in s11
    s41 = html.split('id="scenario-4.1"', 1)[1].split("</article>", 1)[0]
    assert "com.example.pi" in s41  # evidence with its place in the code
    cmp = html.split('id="privacy-policy-comparison"', 1)[1].split("</table>", 1)[0]
    assert "我们会收集您的位置信息用于导航。" in cmp  # declared, not seen: its sentence
    assert ("位置" if lang == "zh-CN" else "ocation") in cmp  # named from the PI catalog
    assert "<td>location</td>" not in cmp
    assert ("已安装应用列表" if lang == "zh-CN" else "Installed-app list") in cmp


def test_html_without_privacy_section_still_renders(doc: dict[str, Any]) -> None:
    old = {k: v for k, v in doc.items() if k != "privacy"}  # a report older than the section
    html = render_html(old, "en")
    assert 'id="privacy"' in html and "No personal-information assessment" in html
    assert "scenario-1.1" not in html


def test_html_privacy_filters_in_chromium(doc: dict[str, Any], page_of, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "report.html"
    path.write_bytes(render(doc, "html", "zh-CN"))
    page = page_of(str(path))
    assert page.is_visible("#privacy-collection")
    total = len(_scenarios(doc))

    def visible() -> list[str]:
        return page.eval_on_selector_all(
            "article.scenario",
            "els => els.filter(e => e.offsetParent !== null).map(e => e.id.slice(9))",
        )

    assert len(visible()) == total
    assert page.inner_text("#privacy-shown-count") == str(total)
    not_assessed = sum(1 for s in _scenarios(doc) if s["result"] == "not-assessed-statically")
    page.click("input.result-filter[value=not-assessed-statically]")
    assert len(visible()) == total - not_assessed
    assert page.inner_text("#privacy-shown-count") == str(total - not_assessed)
    page.click("input.result-filter[value=not-assessed-statically]")
    page.fill("#privacy-search", "bootreceiver")  # evidence text of the self-start items
    hits = visible()
    assert hits and all(
        any("BootReceiver" in json.dumps(s["evidence"]) for s in _scenarios(doc) if s["id"] == h)
        for h in hits
    )
    page.fill("#privacy-search", "")
    # the findings' own search is untouched by the second filter
    page.fill("#search", "auto-start")
    assert set(_visible_checks(page)) == {"android.privacy.auto-start"}
    assert len(visible()) == total
    assert page.js_errors == []
    assert all(u.startswith("file://") for u in page.requests), page.requests


def test_pdf_has_privacy_section(doc: dict[str, Any], tmp_path: Path) -> None:
    pdftotext = _tool("pdftotext")
    path = tmp_path / "r.pdf"
    path.write_bytes(render(doc, "pdf", "zh-CN"))
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, timeout=120
    ).stdout
    assert "个人信息收集方" in text and "《App违法违规收集使用个人信息行为认定方法》" in text
    assert "疑似违规" in text and "隐私政策与应用行为比对" in text
    toc = text.split("目录", 1)[1][:3000]
    assert re.search(r"个人信息\s*\.{3,}\s*\d+", toc), toc[:800]


def test_sarif_carries_the_assessment(doc: dict[str, Any]) -> None:
    text = files("mobsec.report.schema").joinpath("sarif-2.1.0.schema.json").read_text("utf-8")
    validator = Draft4Validator(json.loads(text), format_checker=Draft4Validator.FORMAT_CHECKER)
    log = json.loads(render(doc, "sarif"))
    errors = [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(log)]
    assert not errors, errors[:5]
    (run,) = log["runs"]
    priv = run["properties"]["privacy"]
    assert priv["summary"] == doc["privacy"]["summary"]
    assert priv["appType"] == "map-navigation"
    assert [s["id"] for s in priv["scenarios"]] == [s["id"] for s in _scenarios(doc)]
    assert priv["policyComparison"]["declared_but_unobserved_pi"] == ["location"]
    privacy_findings = [f for f in doc["findings"] if f["check_id"].startswith("android.privacy")]
    assert privacy_findings
    assert sum(1 for r in run["results"] if r["ruleId"].startswith("android.privacy")) == len(
        privacy_findings
    )


def test_terminal_has_privacy_block(doc: dict[str, Any]) -> None:
    c = doc["privacy"]["summary"]
    zh = render(doc, "text", "zh-CN").decode("utf-8")
    assert f"个人信息 (191): 疑似违规 {c['violation-suspected']} 项" in zh
    assert "设备识别码(IMEI/MEID) (应用自身代码)" in zh
    suspected = [s["id"] for s in _scenarios(doc) if s["result"] == "violation-suspected"]
    assert f"疑似违规: {', '.join(suspected)}" in zh
    both = render(doc, "text").decode("utf-8")
    assert "Personal information / 个人信息 (191)" in both
    assert "PI collected / 收集的个人信息: " in both and "(app code)" in both
