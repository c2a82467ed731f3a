"""The registry: content-addressed store, app identity (package name + signer, v3 rotation
lineage counts as the same signer), different certificate flagged and kept apart."""

from __future__ import annotations

import hashlib

import pytest

from mobsec.platform.registry import store
from mobsec.platform.registry.models import App, Package, Version

pytestmark = pytest.mark.django_db


def test_package_is_stored_under_its_sha256_never_its_name(world, ingest, scanned):
    apk, _ = scanned("diff-v1")
    scan = ingest(world.orgs["a"], world.user("tester"), "diff-v1", "../../etc/evil name.apk")
    digest = hashlib.sha256(apk.read_bytes()).hexdigest()
    assert scan.package.sha256 == digest
    path = store.path_for(digest)
    assert path.read_bytes() == apk.read_bytes()
    names = [p.name for p in store.root().rglob("*") if p.is_file()]
    assert "evil name.apk" not in names and digest in names
    assert scan.file_name == "evil name.apk"  # display only, path parts dropped


def test_same_bytes_twice_is_one_package_and_one_version(world, ingest):
    a = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    b = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    assert a.package_id == b.package_id and a.version_id == b.version_id
    assert Package.objects.count() == 1 and Version.objects.count() == 1
    assert a.report_id == b.report_id


def test_different_certificate_is_flagged_not_merged(world, ingest, scanned):
    _, v1 = scanned("diff-v1")
    _, v2 = scanned("diff-v2")
    assert v1["app"]["package"] == v2["app"]["package"]
    assert v1["signing"]["signers"][0]["sha256"] != v2["signing"]["signers"][0]["sha256"]
    s1 = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    s2 = ingest(world.orgs["a"], world.user("tester"), "diff-v2")
    assert s1.version.app_id != s2.version.app_id
    apps = App.objects.filter(package_name=v1["app"]["package"])
    assert apps.count() == 2 and all(a.signer_conflict for a in apps)


def test_rotation_lineage_counts_as_same_signer(world, ingest, scanned):
    _, v1 = scanned("diff-v1")
    _, rotated = scanned("rotated")
    old_cert = v1["signing"]["signers"][0]["sha256"]
    assert rotated["signing"]["signers"][0]["sha256"] != old_cert
    lineage = [c["sha256"] for c in rotated["signing"]["lineage"] or []]
    assert old_cert in lineage  # the engine read the proof-of-rotation
    s1 = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    s2 = ingest(world.orgs["a"], world.user("tester"), "rotated")
    assert s1.version.app_id == s2.version.app_id
    app = App.objects.get(pk=s1.version.app_id)
    assert not app.signer_conflict and app.versions.count() == 2


def test_same_app_in_two_organisations_is_two_registry_entries(world, ingest):
    s1 = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    s2 = ingest(world.orgs["b"], world.user("other_org"), "diff-v1")
    assert s1.version.app.organisation != s2.version.app.organisation
    assert s1.package_id == s2.package_id  # bytes stored once


def test_upload_that_is_not_a_package_is_refused_clearly(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mobsec.platform.core.errors import UserError
    from mobsec.platform.scans import actions

    f = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n" + b"x" * 100)
    with pytest.raises(UserError) as e:
        actions.create_scan(world.orgs["a"], world.user("tester"), f)
    assert e.value.code == "upload.not_a_package" and "report.pdf" in e.value.en
    assert "PDF" in e.value.en and "PDF" in e.value.zh
    assert not Package.objects.exists()
