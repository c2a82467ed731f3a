"""Issue 9's browser test, in Chromium through every page a person uses: a support unit's
reporter submits with the app package attached → the coordinator triages and assigns → the
verifier records the evidence (a finding of the attached package's scan) and confirms with a
CVSS vector → the vendor is notified, reports the fix and uploads the fixed version → the
re-scan finds the evidence gone and the case is fixed → the coordinator drafts, reviews and
publishes the advisory → it is in the feed with its formats (CSAF en, CSAF zh-CN, CVE; an
app has no OSV) and every download validates → the reporter's points and the unit's rating
have changed. Jobs (the attachment's scan, the re-scan) run as a worker runs them. Desk
accounts pass the TOTP second factor like a person with an authenticator app.
Screenshots: build/test-artifacts/platform/lifecycle-*.png."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
from cvss import CVSS3

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.disclosure import rewards
from mobsec.platform.vulns import roles, totp
from mobsec.platform.vulns.models import TotpDevice, Vulnerability
from tests.advisories.schemas import cna_container_errors, csaf_errors
from tests.platform.browser import browser, log_in, screenshot  # noqa: F401
from tests.platform.conftest import PASSWORD
from tests.platform.vulns.conftest import add_user
from tests.platform.vulns.jobs import run_jobs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow,
              pytest.mark.toolchain]  # fmt: skip
DEBUGGABLE = "android.manifest.debuggable"
CVSS31 = "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"
ATOM = "{http://www.w3.org/2005/Atom}"
REPRODUCTION = "adb shell am set-debug-app -w com.example.versions; attach jdb to the pid"


def _code(user) -> str:
    """What the authenticator shows: a step not used yet (the platform refuses replays)."""
    device = TotpDevice.objects.get(user=user)
    now_step = int(time.time() // totp.STEP)
    step = max(now_step, device.last_step + 1)
    if step > now_step + totp.SKEW:
        time.sleep(max(0.0, (step - totp.SKEW) * totp.STEP - time.time()) + 0.5)
    return totp.code_at(device, step * totp.STEP)


def login(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    if "/vulns/2fa/" in page.url:
        page.fill("#id_code", _code(user))
        page.click("#totp-form button[type=submit]")
        page.wait_for_url(f"{base}/dashboard/")


def logout(page) -> None:
    page.click(".logout button")
    page.wait_for_load_state("load")


def act(page, form: str, **fields: str) -> None:
    for name, value in fields.items():
        page.locator(f"#{form} [name={name}]").fill(value)
    page.click(f"#{form} button[type=submit]")
    page.wait_for_load_state("load")


def test_report_to_published_advisory(world, desk, ingest, scanned, live_server, browser,  # noqa: F811
                                      settings):  # fmt: skip
    base = live_server.url
    # One verified high vulnerability is enough for two stars under this (configured) formula.
    settings.MOBSEC_SUPPORT_UNIT_RATING = {
        "weights": {"critical": 10, "high": 5, "medium": 2, "low": 1}, "timely_days": 30,
        "verification_factor": 0.5,
        "levels": [{"stars": 2, "score": 5, "validity": 0.5, "timeliness": 0.5}],
    }  # fmt: skip
    registered = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = registered.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    v1, doc1 = scanned("diff-v1")
    v2, _ = scanned("diff-v2")  # the next version: no longer debuggable
    evidence = next(f["fingerprint"] for f in doc1["findings"] if f["check_id"] == DEBUGGABLE)
    lab = Organisation.objects.create(name="Example Security Lab")
    reporter = add_user("lab-reporter", lab, roles.SUPPORT_UNIT.id)
    page = browser.new_page()

    # 1. The reporter submits, with the package attached; no points yet.
    log_in(page, base, "lab-reporter", PASSWORD)
    page.goto(f"{base}/vulns/report/")
    page.select_option("#report-form select[name=organisation]", lab.public_id)
    page.fill("#id_package_name", "com.example.versions")
    page.fill("#id_app_version", "1.0")
    page.fill("#id_cwe", "CWE-489")
    page.fill("#id_title", "Release build is debuggable")
    page.fill("#id_description", "The release build sets android:debuggable.")
    page.fill("#id_reproduction", REPRODUCTION)
    page.fill("#id_impact", "Code execution as the app on a connected device.")
    page.fill("#report-form input[name=credit_name]", "Lab Reporter")
    page.set_input_files("#id_file", str(v1))
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"{base}/vulns/*/")
    vuln = Vulnerability.objects.get(reporter=reporter)
    assert vuln.reporter_org == lab and vuln.attachments.count() == 1
    assert ("scan", "done") in run_jobs()  # the attached package is scanned
    page.goto(f"{base}/rewards/me/")
    assert page.locator("#my-points").inner_text() == "0"
    page.goto(f"{base}/support-units/")
    unit_row = page.locator("#ratings tr", has_text=lab.name)
    assert unit_row.locator(".score").inner_text() == "0"
    assert unit_row.locator(".stars").inner_text() == "—"
    screenshot(page, "lifecycle-1-unit-before")
    logout(page)

    # 2. The coordinator triages (linking the registered app) and assigns the verifier.
    login(page, base, desk.coordinator)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    page.select_option("#form-triage select[name=app]", app.public_id)
    act(page, "form-triage", reason="in scope")
    act(page, "form-assign", user="verifier", reason="Android case")
    logout(page)

    # 3. The verifier records the evidence (the attachment's scan, prefilled) and confirms.
    login(page, base, desk.verifier)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    assert page.locator("#form-verify [name=scan]").input_value()  # the attachment's scan
    act(page, "form-verify", notes="jdb attaches to the release build", fingerprint=evidence)
    act(page, "form-confirm", cvss31=CVSS31)
    assert page.locator("#cvss31-score").inner_text() == str(CVSS3(CVSS31).base_score)
    screenshot(page, "lifecycle-2-confirmed")
    logout(page)

    # 4. The coordinator notifies the vendor and produces the national platform report.
    login(page, base, desk.coordinator)
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    act(page, "form-notify")
    act(page, "form-national")
    logout(page)

    # 5. The vendor acknowledges, reports the fix and uploads the fixed version.
    login(page, base, world.user("vendor"))
    page.goto(f"{base}/vulns/{vuln.public_id}/")
    act(page, "form-acknowledge")
    act(page, "form-report-fix", fix_version="2.0",
        mitigation="Update to 2.0. Until then, do not connect the device to untrusted "
                   "computers.")  # fmt: skip
    page.set_input_files("#id_fix_file", str(v2))
    page.click("#form-upload-fix button[type=submit]")
    page.wait_for_load_state("load")
    assert ("vulns.rescan", "done") in run_jobs()
    page.reload()
    assert page.locator("#fix-checks .fix-gone").count() == 1
    vuln.refresh_from_db()
    assert vuln.state == "fixed"
    screenshot(page, "lifecycle-3-fixed")
    logout(page)

    # 6. The coordinator drafts, reviews and publishes the advisory.
    login(page, base, desk.coordinator)
    page.goto(f"{base}/disclosure/{vuln.public_id}/")
    page.click("#draft-advisory")
    page.wait_for_load_state("load")
    for field, text in {
        "title_zh": "正式版可调试", "description_zh": "正式版设置了 android:debuggable。",
        "impact_zh": "连接设备后可以以应用身份执行代码。", "solution_zh": "升级到 2.0 版本。",
        "mitigation_zh": "升级到 2.0；在此之前不要将设备连接到不可信的电脑。",
    }.items():  # fmt: skip
        page.fill(f"#id_{field}", text)
    page.click("#save-advisory")
    page.wait_for_load_state("load")
    page.click("#review-advisory")
    page.wait_for_load_state("load")
    page.click("#publish-advisory")
    page.wait_for_load_state("load")
    assert page.locator("#advisory-status").inner_text() in ("published", "已发布")
    advisory_id = page.locator("#advisory-public-link").inner_text()
    screenshot(page, "lifecycle-4-published")
    vuln.refresh_from_db()
    assert vuln.state == "disclosed" and vuln.advisory_ref == advisory_id
    logout(page)

    # 7. Public, no login: the page, the feed with the formats, valid downloads, no PoC.
    page.goto(f"{base}/advisories/")
    page.click(f"a.advisory-link:has-text('{advisory_id}')")
    page.wait_for_load_state("load")
    assert page.locator("#advisory-id").inner_text() == advisory_id
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("load")
    assert page.locator("#advisory-description").inner_text() == (
        "The release build sets android:debuggable."
    )
    screenshot(page, "lifecycle-5-advisory-en")
    page.click("form.lang button[value=zh-hans]")
    page.wait_for_load_state("load")
    assert page.locator("#advisory-description").inner_text() == "正式版设置了 android:debuggable。"
    assert "升级到 2.0；" in page.locator("#advisory-mitigation").inner_text()
    screenshot(page, "lifecycle-5-advisory-zh")
    feed = page.request.get(f"{base}/advisories/feed.atom")
    entry = ET.fromstring(feed.body()).find(f"{ATOM}entry")
    assert advisory_id in entry.find(f"{ATOM}title").text
    links = [e.get("href") for e in entry.findall(f"{ATOM}link") if e.get("rel") == "enclosure"]
    assert [u.rsplit("/", 1)[1] for u in links] == ["csaf.json", "csaf-zh.json", "cve.json"]
    docs = {}
    for url in links:
        path = url.split("://", 1)[1].split("/", 1)[1]  # canonical host -> the live server
        r = page.request.get(f"{base}/{path}")
        assert r.ok
        docs[url.rsplit("/", 1)[1]] = json.loads(r.body())
    assert csaf_errors(docs["csaf.json"]) == [] and csaf_errors(docs["csaf-zh.json"]) == []
    assert cna_container_errors(docs["cve.json"]) == []
    public = page.content() + feed.text() + json.dumps(docs, ensure_ascii=False)
    assert REPRODUCTION not in public and "diff-v1" not in public

    # 8. The reporter's points and the unit's rating changed.
    login(page, base, reporter)
    page.goto(f"{base}/rewards/me/")
    expected = rewards.points_for(vuln.severity, "good")
    assert expected > 0 and page.locator("#my-points").inner_text() == str(expected)
    page.goto(f"{base}/rewards/")
    assert page.locator("#leaderboard tr", has_text="Lab Reporter").locator(
        ".points").inner_text() == str(expected)  # fmt: skip
    page.goto(f"{base}/support-units/")
    unit_row = page.locator("#ratings tr", has_text=lab.name)
    assert unit_row.locator(".score").inner_text() == "5"  # one verified high: weight 5
    assert unit_row.locator(".stars").inner_text() == "二星"
    screenshot(page, "lifecycle-6-unit-after")
