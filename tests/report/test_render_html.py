"""The HTML report: self-contained, escaped, and working in a real browser.

The browser is Debian's /usr/bin/chromium driven by Playwright (its own browser download
does not work offline); the test skips when either is missing (CI installs both).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mobsec.report.baseline import Baseline, Suppression, apply_triage
from mobsec.report.render import render
from mobsec.report.render.html import SECTIONS, render_html
from mobsec.report.schema import validate_report
from tests.report.findings_doc import HOSTILE, report_doc

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


class _Loads(HTMLParser):
    """Collects everything in a page that could make the browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if (
                name in ("src", "href", "action", "srcset", "poster", "data", "xlink:href")
                and value
            ):
                self.urls.append(value)
            if name == "style" and value:
                self.urls += re.findall(r"url\(([^)]*)\)", value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += re.findall(r"url\(([^)]*)\)", data) + re.findall(
                r"@import\s+([^;]+)", data
            )


@pytest.fixture(scope="module")
def doc(fixture_apk: Callable[[str], Path]) -> dict[str, Any]:
    d = report_doc(fixture_apk("manifest-rich"))
    ecb = next(f for f in d["findings"] if f["check_id"] == "android.crypto.ecb_mode")
    others = frozenset(f["fingerprint"] for f in d["findings"] if f is not ecb)
    apply_triage(
        d, Baseline(others, "baseline.json"), [Suppression("reviewed", rule="android.privacy.*")]
    )
    validate_report(d)
    return d


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_html_is_self_contained_and_escaped(doc: dict[str, Any], lang: str) -> None:
    html = render(doc, "html", lang).decode("utf-8")
    parser = _Loads()
    parser.feed(html)
    remote = [u for u in parser.urls if REMOTE.match(u.strip("'\""))]
    assert not remote, remote
    assert all(u.startswith("#") for u in parser.urls), parser.urls  # only in-page anchors
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert {"link", "img", "iframe", "object", "embed"}.isdisjoint(parser.tags)
    # attacker-controlled text is escaped, never markup
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    assert parser.tags.count("script") == 1  # ours only
    title = "安全检测报告" if lang == "zh-CN" else "Security report"
    assert title in html
    for section_id, _ in SECTIONS:
        assert f'id="{section_id}"' in html


def test_html_shows_every_section(doc: dict[str, Any]) -> None:
    html = render_html(doc, "en")
    assert "android.crypto" in html and "Cryptography" in html  # grouped by area
    assert "Use AES/GCM/NoPadding with a random IV." in html  # remediation
    assert "AES/ECB/PKCS5Padding" in html  # evidence
    assert "android.permission.CAMERA" in html
    assert doc["signing"]["signers"][0]["sha256"] in html
    assert "Rated Critical: the most severe open finding is critical" in html
    suppressed = sum(1 for f in doc["findings"] if f["check_id"].startswith("android.privacy."))
    assert f"{suppressed} suppressed finding(s) are not counted." in html
    assert "1 finding(s) are new since the baseline." in html


@pytest.fixture(scope="module")
def page_of(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Any]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).is_file():
        _skip_or_fail("chromium not installed (./dev setup installs Debian's chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))

        def open_page(path: str) -> Any:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(Path(path).as_uri())
            page.js_errors = errors
            page.requests = requests
            return page

        yield open_page
        context.close()


def _visible_checks(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "article.finding",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.check)",
    )


def test_html_in_chromium_filters_and_screenshot(
    doc: dict[str, Any], page_of: Callable[[str], Any], tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(render(doc, "html", "zh-CN"))
    page = page_of(str(path))
    assert page.title().startswith("安全检测报告")
    assert page.inner_text("#risk-rating") == "严重"
    total = len(doc["findings"])
    # the suppressed ones (every android.privacy.* finding) are hidden by default
    suppressed = sum(1 for f in doc["findings"] if f["check_id"].startswith("android.privacy."))
    visible = _visible_checks(page)
    assert len(visible) == total - suppressed
    assert "android.privacy.device_id" not in visible
    assert page.inner_text("#shown-count") == str(total - suppressed)

    page.fill("#search", "ecb")  # search, as typed
    assert _visible_checks(page) == ["android.crypto.ecb_mode"]
    page.fill("#search", "checkserver")  # matches the method in the location
    assert _visible_checks(page) == ["android.network.trust_all"]
    page.fill("#search", "")

    page.click("input.sev-filter[value=critical]")  # untick critical
    assert "android.network.trust_all" not in _visible_checks(page)
    page.click("input.sev-filter[value=critical]")
    page.check("#new-only")
    assert _visible_checks(page) == ["android.crypto.ecb_mode"]
    page.uncheck("#new-only")
    page.check("#show-suppressed")
    assert "android.privacy.device_id" in _visible_checks(page)
    assert page.inner_text("#shown-count") == str(total)
    # an area with nothing visible is hidden as a whole
    page.fill("#search", "ecb")
    assert page.is_hidden("#area-android\\.network")
    assert page.is_visible("#area-android\\.crypto")
    page.fill("#search", "")

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / "report-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert page.js_errors == []
    assert all(u.startswith("file://") for u in page.requests), page.requests  # no network
    json.dumps(doc)  # the document was not mutated into something unserialisable
