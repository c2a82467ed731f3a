"""The API contract: upload -> job -> report, through the real job runner and the scan
sandbox (the job runs in this process here; tests/platform/test_serve.py runs the pool)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from mobsec.platform.accounts.models import AuditEvent
from mobsec.platform.jobs.dispatch import claim_one
from mobsec.platform.jobs.models import Job
from mobsec.platform.jobs.runner import run_claimed
from mobsec.platform.scans.models import Finding, Report, Scan
from tests.platform.conftest import upload_file

pytestmark = pytest.mark.django_db


def run_job(scan_body: dict) -> None:
    scan = Scan.objects.get(public_id=scan_body["id"])
    job = claim_one(Job.objects.get(public_id=scan.job_id), "test-worker")
    assert job is not None
    run_claimed(job, "test-worker")


def post_scan(client, apk, name=None, **extra):
    return client.post("/api/v1/scans/", {"file": upload_file(apk, name), **extra})


def test_upload_poll_report(world, token_client, fixture_apk):
    c = token_client(world.user("tester"))
    apk = fixture_apk("java-basic")
    r = post_scan(c, apk)
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["status"] == "queued" and body["url"].endswith(f"/api/v1/scans/{body['id']}/")
    assert c.get(body["url"]).json()["status"] == "queued"
    run_job(body)
    done = c.get(body["url"]).json()
    assert done["status"] == "done" and done["progress"] == 1.0 and done["app"]
    report = c.get(done["report_url"])
    assert report.status_code == 200 and report["Content-Type"] == "application/json"
    doc = report.json()
    assert doc["app"]["package"] and doc["package"]["file_name"] == apk.name
    assert Finding.objects.filter(version__public_id=done["version"]).count() == len(
        {f["fingerprint"] for f in doc["findings"]}
    )
    sarif = c.get(done["report_url"] + "?format=sarif").json()
    assert sarif["version"] == "2.1.0"
    html = c.get(done["report_url"] + "?format=html&lang=en")
    assert html.status_code == 200 and b"<html" in html.content[:500]
    assert "sandbox allow-scripts" in html["Content-Security-Policy"]
    pdf = c.get(done["report_url"] + "?format=pdf")
    assert pdf.content[:5] == b"%PDF-"
    assert AuditEvent.objects.filter(action="download", target=body["id"]).count() == 4


def test_same_bytes_reuse_the_report(world, token_client, fixture_apk):
    c = token_client(world.user("tester"))
    apk = fixture_apk("java-basic")
    first = post_scan(c, apk).json()
    run_job(first)
    second = post_scan(c, apk, "renamed.apk").json()
    run_job(second)
    again = c.get(second["url"]).json()
    assert again["status"] == "done" and again["reused"] is True
    assert Report.objects.count() == 1
    doc = c.get(again["report_url"]).json()
    assert doc["package"]["file_name"] == "renamed.apk"  # this upload's name, not the first
    # Another app type is another scan.
    third = post_scan(c, apk, app_type="1").json()
    run_job(third)
    assert c.get(third["url"]).json()["reused"] is False and Report.objects.count() == 2


def test_a_zip_without_an_app_fails_with_diagnostics(world, token_client):
    c = token_client(world.user("tester"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = c.post("/api/v1/scans/", {"file": SimpleUploadedFile("x.zip", buf.getvalue())}).json()
    run_job(body)
    failed = c.get(body["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "scan.no_app"
    assert "input.unsupported_format" in json.dumps(failed["error"]["details"])
    assert failed["error"]["zh"] and failed["report_url"] is None
    assert c.get(f"/api/v1/scans/{body['id']}/report/").status_code == 409


def test_upload_limits(world, token_client, settings, fixture_apk):
    c = token_client(world.user("tester"))
    settings.MOBSEC_MAX_UPLOAD_BYTES = 1000
    r = post_scan(c, fixture_apk("java-basic"))
    assert r.status_code == 413 and r.json()["code"] == "upload.too_large"
    settings.MOBSEC_MAX_UPLOAD_BYTES = 300 << 20
    org = world.orgs["a"]
    org.quota_uploads_per_day = 1
    org.save()
    assert post_scan(c, fixture_apk("java-basic")).status_code == 202
    r = post_scan(c, fixture_apk("java-basic"))
    assert r.status_code == 429 and "quota" in r.json()["code"]
    assert Scan.objects.count() == 1  # the refused upload left no scan behind
    r = c.post("/api/v1/scans/", {"app_type": "1"})
    assert r.status_code == 400 and "file" in r.json()


def test_ci_endpoint_pass_and_fail_against_a_baseline(world, token_client, fixture_apk, tmp_path):
    c = token_client(world.user("tester"))
    apk = fixture_apk("java-basic")
    r = c.post("/api/v1/ci/scans/", {"file": upload_file(apk), "fail_on": "info"})
    assert r.status_code == 202 and r.json()["result"] == "pending"
    run = r.json()
    run_job(run["scan"])
    verdict = c.get(run["url"]).json()
    assert verdict["result"] == "fail" and verdict["failing"]
    sarif = c.get(verdict["sarif_url"])
    assert sarif.status_code == 200 and sarif.json()["runs"][0]["results"]
    # Accept everything with the baseline the platform exports: the next build passes.
    app = Scan.objects.get(public_id=run["scan"]["id"]).version.app
    baseline = c.get(f"/api/v1/apps/{app.public_id}/baseline/").content
    bad = c.post(
        "/api/v1/ci/scans/",
        {"file": upload_file(apk), "baseline": upload_file_bytes(b"{not json", "b.json")},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "ci.bad_baseline"
    r = c.post(
        "/api/v1/ci/scans/",
        {
            "file": upload_file(apk),
            "fail_on": "info",
            "baseline": upload_file_bytes(baseline, "baseline.json"),
        },
    )
    run2 = r.json()
    run_job(run2["scan"])
    verdict2 = c.get(run2["url"]).json()
    assert verdict2["result"] == "pass" and verdict2["failing"] == []
    results = c.get(verdict2["sarif_url"]).json()["runs"][0]["results"]
    assert {res.get("baselineState") for res in results} == {"unchanged"}


def upload_file_bytes(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
