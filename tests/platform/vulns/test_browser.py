"""The life cycle in a browser (Playwright, Debian's Chromium), each person in their own
session: a reporter submits with an attachment (a package, scanned by the engine) → the
coordinator (TOTP) triages and assigns → the verifier (TOTP) records the evidence from the
attachment's scan and confirms with a CVSS vector → the vendor is notified (in the platform
and by e-mail), acknowledges, reports the fix and uploads the fixed version → the re-scan
shows the evidence gone and the case is fixed. Scans run in a real local worker pool.
Screenshots in build/test-artifacts/platform/ (vulns-*.png)."""

from __future__ import annotations

import re
import time

import pytest
from cvss import CVSS3

from mobsec.platform.notifications.models import Notification
from mobsec.platform.scans.models import Scan
from mobsec.platform.vulns.models import Vulnerability
from tests.platform.browser import Authenticator, browser, log_in, pool, screenshot  # noqa: F401
from tests.platform.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.toolchain]
VECTOR = "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"


def as_user(context, base: str, username: str, authenticator: Authenticator | None = None):
    """A fresh session of ``username`` (with the TOTP step when given an authenticator)."""
    context.clear_cookies()
    page = context.new_page()
    log_in(page, base, username, PASSWORD, authenticator)
    return page


def submit(page, button: str) -> None:
    """Click a form's button and wait for the page it leads to (post, redirect, load)."""
    with page.expect_navigation():
        page.click(button)


def wait_for(predicate, timeout_s: float = 240.0) -> None:
    end = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.5)


def test_report_verify_notify_fix(desk, live_server, pool, browser, ingest, scanned):  # noqa: F811
    base = live_server.url
    phone = Authenticator()  # the desk's authenticator app, enrolled on this test's database
    world = desk.world
    registered = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = registered.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    v1, _ = scanned("diff-v1")
    v2, _ = scanned("diff-v2")

    # The reporter submits, with the package as attachment.
    page = as_user(browser, base, "reporter")
    page.goto(f"{base}/vulns/report/")
    page.fill("#id_package_name", "com.example.versions")
    page.fill("#id_app_version", "1.0")
    page.fill("#id_cwe", "CWE-489")
    page.fill("#id_check_id", "android.manifest.debuggable")
    page.fill("#id_title", "Release build is debuggable")
    page.fill("#id_description", "android:debuggable is true in the release build.")
    page.fill("#id_reproduction", "adb shell run-as com.example.versions")
    page.set_input_files("#id_file", str(v1))
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/vulns/[A-Za-z0-9_-]{22}/$"))
    vuln = Vulnerability.objects.get(reporter=desk.reporter)
    assert vuln.intake_log.count() == 1 and vuln.attachments.get().kind == "package"
    screenshot(page, "vulns-1-reported")
    scan = vuln.attachments.get().scan
    wait_for(lambda: Scan.objects.get(pk=scan.pk).state == "done")

    # The coordinator (two-factor) links the registered app and assigns the verifier.
    page = as_user(browser, base, "coordinator", phone)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    page.locator("#form-triage select[name=app]").select_option(app.public_id)
    submit(page, "#form-triage button[type=submit]")
    page.fill("#form-assign input[name=user]", "verifier")
    submit(page, "#form-assign button[type=submit]")
    vuln.refresh_from_db()
    assert vuln.state == "verifying" and vuln.app == app and vuln.vendor == world.orgs["vendor"]

    # The verifier (two-factor) picks the evidence in the attachment's scan and confirms.
    page = as_user(browser, base, "verifier", phone)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    row = page.locator(".evidence-findings tr", has_text="android.manifest.debuggable")
    fingerprint = row.locator(".fp").inner_text()
    page.fill("#form-verify textarea[name=notes]", "run-as works: the app is debuggable")
    page.fill("#form-verify input[name=fingerprint]", fingerprint)
    submit(page, "#form-verify button[type=submit]")
    page.fill("#form-confirm input[name=cvss31]", VECTOR)
    submit(page, "#form-confirm button[type=submit]")
    page.locator("#cvss31-score").wait_for()
    assert page.locator("#cvss31-score").inner_text() == str(CVSS3(VECTOR).base_score)
    screenshot(page, "vulns-2-confirmed")
    vuln.refresh_from_db()
    assert vuln.state == "confirmed" and vuln.evidence_fingerprint == fingerprint

    # The coordinator notifies the vendor: in the platform and by e-mail (a job).
    page = as_user(browser, base, "coordinator", phone)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    submit(page, "#form-notify button[type=submit]")
    page.locator("#due-at").wait_for()
    note = Notification.objects.get(user=world.user("vendor"), kind="vuln.vendor_notified")
    wait_for(lambda: Notification.objects.get(pk=note.pk).emailed_at is not None)

    # The vendor acknowledges, reports the fix and uploads the fixed version.
    page = as_user(browser, base, "vendor")
    page.goto(f"{base}/vulns/")
    page.click(f"text={vuln.public_id}")
    assert page.locator("#national-clock").count() == 1
    submit(page, "#form-acknowledge button[type=submit]")
    page.fill("#form-report-fix input[name=fix_version]", "2.0")
    page.fill("#form-report-fix textarea[name=mitigation]", "Update to 2.0 (not debuggable).")
    submit(page, "#form-report-fix button[type=submit]")
    page.set_input_files("#id_fix_file", str(v2))
    submit(page, "#form-upload-fix button[type=submit]")
    page.locator("#fix-checks").wait_for()
    wait_for(lambda: Vulnerability.objects.get(pk=vuln.pk).state == "fixed")
    page.reload()
    assert page.locator(".fix-gone").count() == 1
    screenshot(page, "vulns-3-fixed")
    vuln.refresh_from_db()
    assert vuln.fix_version == "2.0" and vuln.fixed_at is not None
    assert vuln.transitions.get(action="mark_fixed").part == "system"
