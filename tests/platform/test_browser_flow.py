"""The platform in a browser, as a tester uses it: log in, upload, watch the progress, open
the report, triage a finding, upload the next version and compare the two, switch language.
Scans run in a real local worker pool (what ``mobsec serve`` starts). Screenshots are kept in
build/test-artifacts/platform/."""

from __future__ import annotations

import re

import pytest

from mobsec.platform.scans.models import Triage, TriageEvent
from tests.platform.browser import browser, log_in, pool, screenshot  # noqa: F401
from tests.platform.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def upload(page, base: str, apk) -> str:
    page.goto(f"{base}/scans/upload/")
    page.set_input_files("#id_file", str(apk))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/scans/[A-Za-z0-9_-]{22}/$"))
    return page.url


def test_tester_flow(world, live_server, pool, browser, scanned):  # noqa: F811
    base = live_server.url
    v1, doc1 = scanned("diff-v1")
    v2, doc2 = scanned("rotated")  # same app after key rotation: the next version
    # Triage a finding both versions have, to see the decision carried over.
    fingerprint = sorted({f["fingerprint"] for f in doc1["findings"]}
                         & {f["fingerprint"] for f in doc2["findings"]})[0]  # fmt: skip
    page = browser.new_page()
    log_in(page, base, "tester", PASSWORD)
    screenshot(page, "flow-1-dashboard")

    upload(page, base, v1)
    assert page.locator("#scan-status progress").count() == 1
    screenshot(page, "flow-2-progress")
    page.locator("#open-report").wait_for(timeout=180_000)  # the page reloads when done
    screenshot(page, "flow-3-scan-done")

    page.click("#open-report")
    frame = page.frame_locator("#report-frame")
    frame.locator("body").wait_for()
    assert "com.example.versions" in frame.locator("body").inner_text()
    screenshot(page, "flow-4-report")

    page.goto(page.url.replace("/report/", "/"))
    page.click("#app-link")
    row = page.locator(f"#f-{fingerprint}")
    row.locator("select[name=status]").select_option("false_positive")
    row.locator("textarea[name=reason]").fill("only reachable from a test build")
    row.locator(".triage-form button").click()
    page.wait_for_load_state("load")
    t = Triage.objects.get(fingerprint=fingerprint)
    assert t.status == "false_positive" and t.decided_by == world.user("tester")
    assert TriageEvent.objects.filter(fingerprint=fingerprint).count() == 1
    assert "only reachable from a test build" in page.locator("#triage-events").inner_text()
    screenshot(page, "flow-5-triaged")

    upload(page, base, v2)
    page.locator("#open-report").wait_for(timeout=180_000)
    page.click("#app-link")
    assert page.locator(f"#f-{fingerprint} .status").inner_text().startswith("false_positive")
    page.click("#compare-link")
    page.locator("#diff-summary").wait_for()
    assert int(page.locator("#n-new").inner_text()) > 0
    screenshot(page, "flow-6-compare")

    page.click("button.lang-en")
    page.wait_for_load_state("load")
    assert "Compare versions" in page.locator("h1").inner_text()
    page.click("button.lang-zh-hans")
    page.wait_for_load_state("load")
    assert "版本对比" in page.locator("h1").inner_text()
    screenshot(page, "flow-7-zh")
