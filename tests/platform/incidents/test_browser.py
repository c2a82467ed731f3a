"""The incident flow end to end in a browser (Playwright, Debian's Chromium): the incident
coordinator (TOTP: also a vulnerability coordinator) creates an incident → runs the
affected-scope query → uploads the signed rule pack and releases it → starts the fleet
re-scan, which a real local worker pool runs to completion → sees the affected list with
evidence → opens a case per affected app; the verifier (TOTP) confirms them; the
coordinator notifies the vendor → reads the report (HTML, PDF) → publishes the bulletin once
the vendor's fix is verified (the vendor's part of the vulns life cycle is driven by its own
actions here; tests/platform/vulns/test_browser.py walks it in a browser).
Screenshots in build/test-artifacts/platform/ (incident-*.png)."""

from __future__ import annotations

import re

import pytest

from mobsec.platform.incidents.models import Bulletin, Incident
from mobsec.platform.vulns import actions as vulns
from tests.platform.browser import Authenticator, browser, pool, screenshot  # noqa: F401
from tests.platform.vulns.test_browser import as_user, submit, wait_for

from .conftest import ADVISORY, RULE_ID

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.toolchain]


def test_incident_end_to_end(desk, world, fleet_apps, signed_pack, live_server, pool,  # noqa: F811
                             browser, tmp_path):  # noqa: F811  # fmt: skip
    base = live_server.url
    phone = Authenticator()
    pack_zip = tmp_path / "contacts-pack.zip"
    pack_zip.write_bytes(signed_pack)
    mine = fleet_apps["affected"].version.inventory.document["apis"]
    theirs = fleet_apps["clean"].version.inventory.document["apis"]
    api = next(f"{cls}.{m}" for cls, ms in sorted(mine.items()) for m in ms
               if m not in theirs.get(cls, []))  # fmt: skip

    # 1. The incident, from an external advisory.
    page = as_user(browser, base, "responder", phone)
    page.goto(f"{base}/incidents/")
    for field in ("title_en", "title_zh", "description_en", "description_zh", "cvss31", "cwe"):
        page.fill(f"#{field}", ADVISORY[field])
    page.fill("#refs", "https://example.org/advisory/1")
    page.fill("#cve_ids", "CVE-2026-12345")
    submit(page, "#create-incident")
    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.public_id}/")
    assert page.locator("#incident-title").inner_text() in (ADVISORY["title_zh"],
                                                            ADVISORY["title_en"])  # fmt: skip

    # 2. Which registered apps call the API? (the inventory, no scan)
    page.select_option("#q-kind", "api")
    page.fill("#q-value", api)
    submit(page, "#run-query")
    assert page.locator("#snapshot-table tr").count() == 2  # header + com.example.versions
    assert "com.example.versions" in page.locator("#snapshot-table").inner_text()

    # 3. The signed rule pack: verified, attached, released to testing organisations.
    page.set_input_files("#pack-file", str(pack_zip))
    submit(page, "#upload-pack")
    assert RULE_ID in page.locator("#pack-table").inner_text()
    submit(page, ".publish-pack")
    assert page.locator("#pack-table a", has_text=re.compile("download|下载")).count() == 1

    # 4. The fleet re-scan of every registered app, run by the worker pool.
    page.select_option("#rescan-scope", "all")
    submit(page, "#start-rescan")
    assert "/rescans/" in page.url
    rescan = incident.rescans.get()

    def finished() -> bool:
        rescan.refresh_from_db()
        return rescan.finished_at is not None

    wait_for(finished, 300)
    page.reload()
    assert page.locator("#rescan-done").inner_text() == "2"
    assert page.locator("#rescan-percent").inner_text() == "100.0"
    assert page.locator("#rescan-throughput").inner_text().split()[0] != "0.0"
    assert "full-scan: 2" in page.locator("#rescan-modes").inner_text()
    affected = page.locator("#affected-table").inner_text()
    assert "com.example.versions" in affected and RULE_ID in affected
    assert "java-basic" not in affected and "com.example.javabasic" not in affected
    screenshot(page, "incident-1-rescan")

    # 5. A case per affected app, confirmed by the verifier, notified to the vendor.
    page.goto(f"{base}/incidents/{incident.public_id}/")
    page.fill("#verifier", desk["verifier"].username)
    submit(page, "#open-cases")
    assert page.locator("#case-table tr").count() == 2
    page = as_user(browser, base, desk["verifier"].username, phone)
    page.goto(f"{base}/incidents/{incident.public_id}/")
    submit(page, "#confirm-cases")
    page = as_user(browser, base, "responder", phone)
    page.goto(f"{base}/incidents/{incident.public_id}/")
    submit(page, "#notify-vendors")
    vuln = incident.cases.get().vulnerability
    vuln.refresh_from_db()
    assert vuln.state == "vendor_notified" and vuln.due_at is not None
    vendors = page.locator("#vendor-table").inner_text()
    assert world.orgs["vendor"].name in vendors
    screenshot(page, "incident-2-notified")

    # 6. The regulator's report, HTML and PDF.
    with page.expect_navigation():
        page.click("#report-html")
    assert page.locator("#count-affected").inner_text() == "1"
    assert world.orgs["vendor"].name in page.locator("#vendors").inner_text()
    screenshot(page, "incident-3-report")
    pdf = page.request.get(f"{base}/incidents/{incident.public_id}/report/?lang=en&fmt=pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

    # 7. The bulletin: refused while the vendor has not fixed, published once it has.
    page.goto(f"{base}/incidents/{incident.public_id}/")
    bulletin = {"#b-title-en": "Contacts SDK: update", "#b-title-zh": "通讯录 SDK：请更新",
                "#b-body-en": "Affected apps were found and fixed.",
                "#b-body-zh": "已发现受影响的应用，均已修复。"}  # fmt: skip
    for sel, text in bulletin.items():
        page.fill(sel, text)
    submit(page, "#publish-bulletin")
    assert not Bulletin.objects.exists()
    assert page.locator(".messages .error").count() >= 1
    vendor = world.user("vendor")
    vulns.acknowledge(vuln, vendor)
    vulns.report_fix(vuln, vendor, "1.1", "Update to 1.1.")
    vulns.produce_national_report(vuln, desk["responder"])
    vulns.mark_fixed(vuln, desk["verifier"], "re-tested 1.1")
    page.goto(f"{base}/incidents/{incident.public_id}/")
    for sel, text in bulletin.items():
        page.fill(sel, text)
    submit(page, "#publish-bulletin")
    b = Bulletin.objects.get()
    assert page.url.endswith(f"/incidents/bulletins/{b.public_id}/")
    assert page.locator("#bulletin-body").inner_text().strip() in (
        bulletin["#b-body-zh"], bulletin["#b-body-en"])  # fmt: skip
    screenshot(page, "incident-4-bulletin")
    assert [e.action for e in incident.events.all()] == [
        "created", "query", "pack_attached", "pack_published", "rescan_started",
        "rescan_finished", "cases_opened", "cases_confirmed", "vendors_notified",
        "bulletin_published"]  # fmt: skip
