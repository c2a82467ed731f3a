"""Strings from a package are escaped everywhere: a fixture APK built from source
(tests/fixtures/apps/platform-hostile) carries <script> and attribute-breaking payloads in its
label, version name, a deep-link host and a URL in code, and is uploaded under a hostile file
name. Every page that shows them is opened in Chromium: no payload runs (none marks the page
with data-xss), the browser reports no blocked script (escaping, not the CSP, stopped them),
and the payload text is visible as text."""

from __future__ import annotations

import pytest

from mobsec.platform.scans.models import Finding
from tests.platform.browser import browser, log_in, screenshot  # noqa: F401
from tests.platform.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE_NAME = (
    "\"><img src=x onerror=\"document.documentElement.setAttribute('data-xss','file')\">.apk"
)


def test_no_package_string_runs_anywhere(world, ingest, live_server, browser):  # noqa: F811
    tester = world.user("tester")
    s1 = ingest(world.orgs["a"], tester, "platform-hostile", HOSTILE_NAME)
    app = s1.version.app
    assert "<script>" in app.label and Finding.objects.filter(
        app=app, evidence__contains="<script>"
    )
    base = live_server.url
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("dialog", lambda d: (console.append(f"dialog {d.message}"), d.dismiss()))
    log_in(page, base, "tester", PASSWORD)
    pages = {
        "dashboard": "/dashboard/",
        "scans": "/scans/",
        "scan": f"/scans/{s1.public_id}/",
        "apps": "/apps/",
        "app": f"/apps/{app.public_id}/",
        "findings": "/findings/",
        "report": f"/scans/{s1.public_id}/report/",
    }
    for name, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state("load")
        if name == "app":
            for d in page.query_selector_all("details"):
                d.evaluate("e => e.open = true")
        if name == "report":
            frame = page.frame_locator("#report-frame")
            frame.locator("body").wait_for()
            page.wait_for_timeout(500)  # the report's own script runs (filters, search)
        for frame in page.frames:
            marked = frame.evaluate("document.documentElement.getAttribute('data-xss')")
            assert marked is None, f"{name}: payload {marked!r} ran in {frame.url}"
        text = "\n".join(f.evaluate("document.body ? document.body.innerText : ''")
                         for f in page.frames)  # fmt: skip
        if name in ("app", "apps", "report"):
            assert "<script>document.documentElement.setAttribute('data-xss','label')" in text, name
        screenshot(page, f"xss-{name}")
    blocked = [m for m in console if "Content Security Policy" in m or "dialog" in m]
    assert not blocked, blocked
    # The report's own script did run inside its sandbox (the CSP hash lets it through).
    page.goto(base + pages["report"])
    frame = page.frame_locator("#report-frame")
    frame.locator("body").wait_for()
    assert page.frames[-1].evaluate("document.readyState") == "complete"
