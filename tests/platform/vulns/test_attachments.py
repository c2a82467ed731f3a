"""Attachments: content-addressed, size-limited, never inline; a package is scanned."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from mobsec.platform.core.errors import UserError
from mobsec.platform.scans.models import Scan
from mobsec.platform.vulns import attachments, fixes
from tests.platform.conftest import PASSWORD, upload_file

from .conftest import report

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_stored_by_content_and_kind_sniffed(desk):
    files = [SimpleUploadedFile("../../etc/passwd<script>.html", b"<script>alert(1)</script>"),
             SimpleUploadedFile("shot.txt", PNG), SimpleUploadedFile("copy.bin", PNG)]  # fmt: skip
    vuln, _, entry = report(desk.reporter, files=files)
    a, shot, copy = vuln.attachments.order_by("pk")
    assert a.name == "passwd<script>.html" and a.kind == "poc"
    assert shot.kind == "screenshot" and shot.sha256 == copy.sha256
    path = attachments.store.path_for(a.sha256, base=attachments.root())
    assert path.read_bytes() == b"<script>alert(1)</script>"
    assert [f["sha256"] for f in entry.attachments] == [a.sha256, shot.sha256, copy.sha256]


def test_download_is_never_inline(desk):
    vuln, _, _ = report(desk.reporter, files=[SimpleUploadedFile("x.html", b"<b>hi</b>")])
    a = vuln.attachments.get()
    c = Client()
    c.login(username="reporter", password=PASSWORD)
    for url in (f"/vulns/{vuln.public_id}/attachments/{a.public_id}/",
                f"/api/v1/vulns/{vuln.public_id}/attachments/{a.public_id}/"):  # fmt: skip
        r = c.get(url)
        assert r.status_code == 200
        assert r["Content-Disposition"].startswith("attachment;")
        assert r["Content-Type"] == "application/octet-stream"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in r["Content-Security-Policy"]
        assert b"".join(r.streaming_content) == b"<b>hi</b>"
    other = Client()
    other.login(username="reporter2", password=PASSWORD)
    assert other.get(f"/vulns/{vuln.public_id}/attachments/{a.public_id}/").status_code == 404


@override_settings(MOBSEC_VULNS_MAX_ATTACHMENT_BYTES=1000, MOBSEC_VULNS_MAX_ATTACHMENTS=2)
def test_size_and_count_limits(desk):
    with pytest.raises(UserError) as e:
        report(desk.reporter, files=[SimpleUploadedFile("big.bin", b"x" * 1001)])
    assert e.value.status == 413 and "big.bin" in e.value.en
    with pytest.raises(UserError):
        report(desk.reporter, files=[SimpleUploadedFile(f"{i}", b"x") for i in range(3)])
    assert not desk.reporter.reported_vulns.exists()  # nothing half-received


@pytest.mark.toolchain
def test_attached_package_is_scanned_by_the_engine(desk, scanned):
    from .jobs import run_jobs

    apk, _ = scanned("diff-v1")
    vuln, _, _ = report(desk.reporter, files=[upload_file(apk, "app.apk")])
    a = vuln.attachments.get()
    assert a.kind == "package" and a.scan is not None
    assert a.scan.organisation == fixes.desk_organisation()
    assert ("scan", "done") in run_jobs()
    scan = Scan.objects.get(pk=a.scan_id)
    assert scan.state == "done"
    assert scan.version.findings.filter(check_id="android.manifest.debuggable").exists()
