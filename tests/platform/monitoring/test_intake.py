"""Candidates in: upload and API (queued, never compared in the request), sources (watched
folder, local mirror) polled by a job, hostile files reported on the source."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from mobsec.platform.core.errors import UserError
from mobsec.platform.jobs.dispatch import claim_one
from mobsec.platform.jobs.models import Job
from mobsec.platform.jobs.runner import run_claimed
from mobsec.platform.monitoring import actions
from mobsec.platform.monitoring.models import Candidate, Source
from tests.platform.conftest import upload_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def run(job: Job) -> Job:
    claimed = claim_one(job, "test-worker")
    assert claimed is not None
    run_claimed(claimed, "test-worker")
    job.refresh_from_db()
    return job


def test_api_upload_queues_a_candidate(world, token_client, fixture_apk):
    apk = fixture_apk("diff-v1")
    client = token_client(world.user("tester"))
    r = client.post("/api/v1/monitoring/candidates/", {
        "file": upload_file(apk, "../../evil\u202e.apk"), "channel": "Store <b>X</b>",
        "title": "Fake\u202eApp", "downloads": 5})  # fmt: skip
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["state"] == "queued" and body["origin"] == "api" and body["verdict"] == ""
    assert body["file_name"] == "evil.apk" and body["channel"] == "Store <b>X</b>"
    assert body["listing"]["title"] == "FakeApp" and body["listing"]["downloads"] == 5
    job = Job.objects.get(public_id=body["job_id"])
    assert job.kind == "monitoring.candidate" and job.state == "queued"
    # Visible to a's readers, not to another organisation.
    assert token_client(world.user("regulator")).get(
        f"/api/v1/monitoring/candidates/{body['id']}/").status_code == 200  # fmt: skip
    assert token_client(world.user("other_org")).get(
        f"/api/v1/monitoring/candidates/{body['id']}/").status_code == 404  # fmt: skip
    client = token_client(world.user("tester"))  # the same client: its token again
    r = client.post("/api/v1/monitoring/candidates/",
                    {"file": upload_file(apk, "x.apk"),
                     "organisation": world.orgs["b"].public_id})  # fmt: skip
    assert r.status_code == 403


def test_page_upload_refuses_what_is_no_package(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.user("tester"))
    r = client.post("/monitoring/", {"file": SimpleUploadedFile("a.apk", b"%PDF-1.7 not an app")},
                    follow=True)  # fmt: skip
    assert r.status_code == 200
    assert "a.apk" in r.content.decode() and Candidate.objects.count() == 0


@pytest.fixture
def mirror_dir(tmp_path, settings):
    settings.MOBSEC_MONITORING_ROOTS = [str(tmp_path)]
    d = tmp_path / "store"
    d.mkdir()
    return d


def test_source_must_be_inside_the_roots(world, mirror_dir, tmp_path):
    admin = world.user("org_admin")
    org = world.orgs["a"]
    for path in ("/etc", str(tmp_path / "nope"), str(tmp_path / "..")):
        with pytest.raises(UserError):
            actions.create_source(admin, org, kind="folder", adapter="", name="x", path=path)
    os.symlink("/etc", mirror_dir / "etc")  # resolved before the check: /etc is outside
    with pytest.raises(UserError) as e:
        actions.create_source(admin, org, kind="folder", adapter="", name="x",
                              path=str(mirror_dir / "etc"))  # fmt: skip
    assert e.value.code == "monitoring.outside_roots"
    with pytest.raises(UserError) as e:
        actions.create_source(admin, org, kind="adapter", adapter="nope", name="x",
                              path=str(mirror_dir))  # fmt: skip
    assert e.value.code == "monitoring.unknown_adapter"
    with pytest.raises(UserError):
        actions.create_source(world.user("tester"), org, kind="folder", adapter="", name="x",
                              path=str(mirror_dir))  # fmt: skip


def test_poll_a_local_mirror(world, mirror_dir, fixture_apk, settings):
    shutil.copy(fixture_apk("diff-v1"), mirror_dir / "genuine-copy.apk")
    (mirror_dir / "readme.apk").write_text("not a package")
    (mirror_dir / "icon.png").write_bytes(PNG)
    os.symlink("/etc/passwd", mirror_dir / "passwd.apk")
    (mirror_dir / "listing.json").write_text(json.dumps({"store": "Mirror Store", "apps": [
        {"file": "genuine-copy.apk", "title": "差异", "developer": "Someone", "downloads": 7,
         "icon": "icon.png"},
        {"file": "readme.apk"}, {"file": "passwd.apk"}, {"file": "missing.apk"},
        {"file": "../../etc/passwd"}]}))  # fmt: skip
    source = actions.create_source(world.user("org_admin"), world.orgs["a"], kind="adapter",
                                   adapter="local-mirror", name="Mirror", path=str(mirror_dir))  # fmt: skip
    job = run(actions.poll(source))
    assert job.state == "done", job.error
    assert job.result == {"source": source.public_id, "added": 1, "skipped": 0, "problems": 4}
    source.refresh_from_db()
    assert [(p["code"], p["file"]) for p in source.problems] == [
        ("monitoring.not_a_package", "readme.apk"),
        ("monitoring.symlink", "passwd.apk"),
        ("monitoring.unreadable", "missing.apk"),
        ("monitoring.path_escape", "listing.json#apps[4]: ../../etc/passwd"),
    ]
    [c] = Candidate.objects.filter(source=source)
    assert (c.origin, c.channel, c.file_name) == ("adapter", "Mirror Store", "genuine-copy.apk")
    assert c.listing["title"] == "差异" and c.listing["icon"]["media_type"] == "image/png"
    assert Job.objects.get(public_id=c.job_id).kind == "monitoring.candidate"
    # The next poll reads nothing again; a file changed in place is taken again, but the
    # same bytes make no second candidate.
    job = run(actions.poll(source))
    assert (job.result["added"], job.result["skipped"]) == (0, 1)
    os.utime(mirror_dir / "genuine-copy.apk", (1, 1))
    job = run(actions.poll(source))
    assert (job.result["added"], job.result["skipped"]) == (0, 1)
    # The operator narrows the roots: the source is refused at the next poll, with a reason.
    settings.MOBSEC_MONITORING_ROOTS = [str(mirror_dir / "elsewhere")]
    job = run(actions.poll(source))
    source.refresh_from_db()
    assert job.state == "done" and source.problems[0]["code"] == "monitoring.outside_roots"


def test_watched_folder_and_periodic_polls(world, mirror_dir, fixture_apk):
    from mobsec.platform.monitoring import handlers

    shutil.copy(fixture_apk("diff-v2"), mirror_dir / "drop.apk")
    os.utime(mirror_dir / "drop.apk", (1, 1))
    source = actions.create_source(world.user("org_admin"), world.orgs["a"], kind="folder",
                                   adapter="ignored", name="Share", path=str(mirror_dir))  # fmt: skip
    assert source.adapter == "folder"
    assert handlers.queue_polls() == 1
    assert handlers.queue_polls() == 0  # one queued already
    job = run(Job.objects.get(kind="monitoring.poll"))
    assert job.result["added"] == 1
    c = Candidate.objects.get(source=source)
    assert (c.origin, c.channel, c.listing) == ("folder", "Share", {})
    Source.objects.filter(pk=source.pk).update(active=False)
    assert handlers.queue_polls() == 0
