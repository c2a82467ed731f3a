"""Channel monitoring in a browser, as an app owner uses it: mark the app official, add a
local-mirror source, poll it; a repackaged copy (apktool rebuild, new key) in the mirror is
found by the workers, the owner sees the alert, the verdict with its evidence, and downloads
the takedown report. Jobs run in a real local worker pool. Screenshots in
build/test-artifacts/platform/."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from mobsec.platform.monitoring.models import Candidate
from mobsec.platform.registry.models import App
from tests.platform.browser import browser, log_in, screenshot, worker_pool  # noqa: F401
from tests.platform.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def mirror(tmp_path, repackaged_apk, settings):
    root = tmp_path / "mirrors"
    store = root / "store-x"
    (store / "apks").mkdir(parents=True)
    shutil.copy(repackaged_apk, store / "apks" / "dataflow-pro.apk")
    (store / "listing.json").write_text(json.dumps({"store": "应用商店 X", "apps": [
        {"file": "apks/dataflow-pro.apk", "title": "数据流 Pro <b>免费</b>",
         "developer": "Unknown Dev", "description": "最新版", "downloads": 48213}]},
        ensure_ascii=False), encoding="utf-8")  # fmt: skip
    settings.MOBSEC_MONITORING_ROOTS = [str(root)]
    return store


@pytest.fixture
def pool(live_server, mirror):
    with worker_pool(MOBSEC_MONITORING_ROOTS=str(mirror.parent)) as p:
        yield p


def test_owner_finds_a_repackaged_copy(world, ingest, live_server, pool, mirror, browser):  # noqa: F811
    base = live_server.url
    app = ingest(world.orgs["a"], world.user("tester"), "dataflow-cases").version.app
    page = browser.new_page()
    log_in(page, base, "org_admin", PASSWORD)

    # 1. The owner marks the app official, with its Chinese name and an official channel.
    page.click(".nav-monitoring")
    page.click("#official-link")
    page.click(f"#manageable a[href='/monitoring/official/{app.public_id}/']")
    page.check("#official-form input[name=official]")
    page.fill("#official-form input[name=name_zh]", "数据流")
    page.fill("#official-form textarea[name=channels]", "官网 https://example.com/dataflow")
    page.click("#official-form button[type=submit]")
    page.wait_for_url(f"{base}/monitoring/official/")
    assert "shu ju liu" in page.locator("#official-table").inner_text()
    app.refresh_from_db()
    assert app.official and app.official_pinyin == "shu ju liu"
    screenshot(page, "monitoring-1-official")

    # 2. A local mirror of a store as a source, polled now (the poll runs in a worker).
    page.click("#sources-link")
    page.select_option("#source-form select[name=kind]", "adapter")
    page.select_option("#source-form select[name=adapter]", "local-mirror")
    page.fill("#source-form input[name=name]", "Store X")
    page.fill("#source-form input[name=path]", str(mirror))
    page.fill("#source-form input[name=contact]", "abuse@store-x.example")
    page.click("#source-form button[type=submit]")
    page.click("#source-table button.poll")
    screenshot(page, "monitoring-2-source")

    # 3. The alert reaches the owner once the workers fingerprinted, polled and compared.
    page.goto(f"{base}/monitoring/")
    deadline = time.monotonic() + 240
    while page.locator("#alerts li.alert").count() == 0:
        assert time.monotonic() < deadline, _state()
        time.sleep(2)
        page.reload()
    alert = page.locator("#alerts li.alert").first
    assert "数据流" in alert.inner_text()
    screenshot(page, "monitoring-3-alert")

    # 4. The verdict with its evidence; the hostile listing text shown as text.
    alert.locator("a").click()
    card = page.locator(".verdict-card").first
    assert "repackaged" in card.inner_text()  # Chromium asks for English
    assert card.locator("tr.signal-code.matched").count() == 1
    assert card.locator("tr.signal-certificate.matched").count() == 0
    card.locator("tr.signal-code details summary").click()
    assert "Lcom/adsdk/injected/Tracker;" in card.locator("tr.signal-code pre").inner_text()
    assert "数据流 Pro <b>免费</b>" in page.locator("#listing").inner_text()
    screenshot(page, "monitoring-4-verdict")
    page.click("button.lang-zh-hans")
    card = page.locator(".verdict-card").first
    assert "二次打包" in card.inner_text() and "置信度" in card.inner_text()
    assert "代码" in card.locator("tr.signal-code").inner_text()
    screenshot(page, "monitoring-5-verdict-zh")

    # 5. The takedown report, addressed to the channel, downloaded as PDF and HTML.
    with page.expect_download() as dl:
        card.locator(".takedown-zh-CN-pdf").click()
    pdf = dl.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and dl.value.suggested_filename.endswith("-zh-CN.pdf")
    with page.expect_download() as dl:
        card.locator(".takedown-en-html").click()
    html = dl.value.path().read_text(encoding="utf-8")
    assert "Store X" in html or "应用商店 X" in html
    assert "abuse@store-x.example" in html and app.package_name in html
    c = Candidate.objects.get()
    assert c.verdict == "repackaged" and c.listing["downloads"] == 48213


def _state() -> str:
    from mobsec.platform.jobs.models import Job

    jobs_ = list(Job.objects.values_list("kind", "state", "error"))
    return f"no alert in time; jobs: {jobs_}; official: {list(App.objects.values_list('official'))}"
