"""The anonymous public upload page (free testing service): off by default, rate-limited per
client, each upload answered with an unguessable link to its own report only."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from mobsec.platform.jobs.dispatch import claim_one
from mobsec.platform.jobs.models import Job
from mobsec.platform.jobs.runner import run_claimed
from mobsec.platform.scans.models import Scan
from tests.platform.conftest import upload_file

pytestmark = pytest.mark.django_db


def test_public_upload_is_off_by_default(client):
    assert client.get("/public/").status_code == 404


def test_public_upload_link_rate_limit_and_isolation(client, settings, fixture_apk, world):
    settings.MOBSEC_PUBLIC_UPLOAD = True
    settings.MOBSEC_PUBLIC_UPLOADS_PER_HOUR = 2
    cache.clear()
    apk = fixture_apk("java-basic")
    r = client.post("/public/", {"file": upload_file(apk)})
    assert r.status_code == 302
    link = r.headers["Location"]
    scan_id = re.fullmatch(r"/public/([A-Za-z0-9_-]{22})/", link).group(1)
    scan = Scan.objects.get(public_id=scan_id)
    assert scan.anonymous and scan.organisation.is_public_service
    run_claimed(claim_one(Job.objects.get(public_id=scan.job_id), "w"), "w")
    page = client.get(link)
    assert page.status_code == 200 and b"report-frame" in page.content
    assert client.get(f"/public/{scan_id}/status/").json()["status"] == "done"
    assert client.get(f"/public/{scan_id}/report.html").status_code == 200
    # Guessing, or a logged-in user's scan, gets nothing.
    assert client.get("/public/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    c = client.__class__()
    c.force_login(world.user("tester"))
    other = Scan.objects.create(organisation=world.orgs["a"], package=scan.package,
                                options_key="x", engine_version="x")  # fmt: skip
    assert client.get(f"/public/{other.public_id}/").status_code == 404
    # Nothing of the public organisation is visible to other organisations' users.
    assert c.get(f"/scans/{scan_id}/").status_code == 404
    # A non-package is refused with its reason; the third upload in the hour is refused.
    r = client.post("/public/", {"file": upload_file_bytes(b"%PDF-1.4 hello", "x.pdf")})
    assert r.status_code == 415
    r = client.post("/public/", {"file": upload_file(apk)})
    assert r.status_code == 429
    assert Scan.objects.filter(anonymous=True).count() == 1


def upload_file_bytes(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
