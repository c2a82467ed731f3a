"""Evaluation and certification in a browser, end to end, on a corpus app (DroidBench
DirectLeak1, which reads the IMEI): upload and scan → items from the scan → manual evidence
→ submit → a reviewer approves (four-eyes) → test report → certificate → public
verification (and the signed file offline with the issuer's key) → the same version scanned
again with the PI rules' app type fails an item → the certificate is suspended, on the
public page too. Scans run in a real local worker pool; screenshots in
build/test-artifacts/platform/."""

from __future__ import annotations

import re

import pytest

from mobsec.certification import certdoc
from mobsec.platform.evaluations.models import Certificate, Evaluation
from tests.platform.browser import browser, log_in, screenshot  # noqa: F401
from tests.platform.conftest import PASSWORD
from tests.platform.test_browser_flow import pool, upload  # noqa: F401

from .conftest import APP_TYPE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def log_out(page) -> None:
    page.click(".logout button")
    page.wait_for_load_state("load")


def record(page, item: str, reason: str, evidence) -> None:
    row = page.locator(f"#item-{item}")
    row.locator("summary").click()
    row.locator("select[name=result]").select_option("pass")
    row.locator("textarea[name=reason]").fill(reason)
    row.locator("input[name=evidence]").set_input_files(str(evidence))
    row.locator("form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_scan_evaluate_review_certify_verify_suspend(
    world,
    reviewer,
    lab_scheme,
    leak_app,
    live_server,
    pool,  # noqa: F811
    browser,  # noqa: F811
    tmp_path,
):
    base = live_server.url
    evidence = tmp_path / "first-run.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n screenshot of the privacy prompt")
    page = browser.new_page()

    # tester: upload and scan, then evaluate against the lab's scheme
    log_in(page, base, "tester", PASSWORD)
    upload(page, base, leak_app)
    page.locator("#open-report").wait_for(timeout=180_000)
    page.click("#evaluate-link")  # from the scan: the evaluation form with the scan chosen
    page.wait_for_load_state("load")
    page.fill("#start-client", "Example Vendor Ltd")
    page.select_option("#start-scheme", label="lab-baseline 1")
    page.click("#start-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/evaluations/[A-Za-z0-9_-]{22}/$"))
    ev_url = page.url

    def results() -> dict[str, str]:
        return {
            r.get_attribute("id")[5:]: r.get_attribute("data-result")
            for r in page.locator("#items tr[data-result]").all()
        }

    assert results() == {"net": "pass", "pi-necessity": "needs_evidence", "ui": "needs_evidence"}
    screenshot(page, "cert-1-items")
    record(page, "pi-necessity", "location only, as the map type needs", evidence)
    record(page, "ui", "the privacy prompt shows before any read", evidence)
    assert results() == {"net": "pass", "pi-necessity": "pass", "ui": "pass"}
    assert "first-run.png" in page.locator("#item-ui").inner_text()
    page.click("#submit-form button")
    page.wait_for_load_state("load")
    assert page.locator("#ev-state").get_attribute("data-state") == "submitted"
    assert page.locator("#review-form").count() == 0  # the tester cannot approve
    log_out(page)

    # reviewer: approve, read the report, issue the certificate
    log_in(page, base, "reviewer", PASSWORD)
    page.goto(ev_url)
    page.click("#approve")
    page.wait_for_load_state("load")
    number = page.locator("#ev-report-number").inner_text()
    assert re.fullmatch(r"R-\d{4}-00001", number)
    assert page.locator("#ev-conclusion").inner_text() == "pass"
    screenshot(page, "cert-2-approved")
    page.click("#report-en-html")
    page.wait_for_load_state("load")
    report = page.locator("body").inner_text()
    assert "Test report" in report and number in report and "Example Vendor Ltd" in report
    assert "Rev Iewer" in report and "tester" in report
    screenshot(page, "cert-3-report")
    pdf = page.request.get(f"{ev_url}report/zh-CN/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    page.goto(ev_url)
    page.click("#issue")
    page.wait_for_url(re.compile(r".*/certificates/C-[0-9A-F-]+/$"))
    assert page.locator("#cert-status").get_attribute("data-status") == "valid"
    signed = page.request.get(base + page.locator("#cert-json").get_attribute("href")).body()
    pem = page.request.get(base + page.locator("#public-key").get_attribute("href")).body()
    cert_page = page.url
    screenshot(page, "cert-4-certificate")

    # anyone: the public verification page, and the file offline with the issuer's key
    page.click("#verify-link")
    page.wait_for_load_state("load")
    assert page.locator("#verify-status").get_attribute("data-status") == "valid"
    assert page.locator("#verify-signature").get_attribute("data-ok") == "yes"
    verify_url = page.url
    assert certdoc.verify(signed, certdoc.load_public_key(pem)).valid
    screenshot(page, "cert-5-verified")

    # a later scan of the same version with the PI rules' app type fails pi-necessity
    page.goto(f"{base}/scans/upload/")
    page.set_input_files("#id_file", str(leak_app))
    page.fill("#id_app_type", APP_TYPE)
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/scans/[A-Za-z0-9_-]{22}/$"))
    page.locator("#open-report").wait_for(timeout=180_000)
    cert = Certificate.objects.get()
    assert cert.status == Certificate.Status.SUSPENDED, cert.status
    assert "pi-necessity" in cert.status_reason
    page.goto(verify_url)
    assert page.locator("#verify-status").get_attribute("data-status") == "suspended"
    page.goto(cert_page)
    assert page.locator("#cert-status").get_attribute("data-status") == "suspended"
    screenshot(page, "cert-6-suspended")
    page.goto(f"{base}/certificates/?status=suspended")
    assert cert.serial in page.locator("#registry").inner_text()
    ev = Evaluation.objects.get()
    assert list(ev.events.values_list("kind", flat=True)) == [
        "started", "item", "item", "submitted", "approved", "certificate", "suspended",
    ]  # fmt: skip
