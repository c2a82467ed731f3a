"""The genuine-app registry: marking an app official (who may), names with pinyin,
channels and certificates validated, what a scanned genuine version fills in."""

from __future__ import annotations

import base64

import pytest

from mobsec.platform.core.errors import UserError
from mobsec.platform.jobs.models import Job
from mobsec.platform.monitoring import official


def test_pinyin_of_official_names():
    assert official.pinyin("支付宝") == "zhi fu bao"
    assert official.pinyin("微信 WeChat") == "wei xin wechat"


def test_channels_and_certificates_are_validated():
    assert official.parse_channels("应用宝 https://sj.qq.com/x\n\nhttps://a.example/") == [
        {"name": "应用宝", "url": "https://sj.qq.com/x"},
        {"name": "https://a.example/", "url": "https://a.example/"},
    ]
    for bad in ("store javascript:alert(1)", [{"name": "x"}], ["x"], [{}] * 30, 5):
        with pytest.raises(UserError):
            official.parse_channels(bad)
    digest = "AB:" * 31 + "AB"
    assert official.parse_certificates(digest) == ["ab" * 32]
    with pytest.raises(UserError):
        official.parse_certificates(["ab" * 31])


def test_owner_marks_official_and_the_scan_fills_in(
    world, ingest, token_client, django_capture_on_commit_callbacks
):
    scan = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = scan.version.app
    client = token_client(world.user("tester"))
    r = client.post(f"/api/v1/monitoring/apps/{app.public_id}/official/", {"official": True},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 403  # testers may not: organisation administrators may
    client = token_client(world.user("org_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/monitoring/apps/{app.public_id}/official/", {
            "official": True, "name_zh": "差异测试", "channels": [
                {"name": "官网", "url": "https://example.com/app"}],
            "certificates": ["cd" * 32]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["official"] and body["official_pinyin"] == "cha yi ce shi"
    assert body["official_channels"] == [{"name": "官网", "url": "https://example.com/app"}]
    assert set(body["certificates"]) == {*app.certificates, "cd" * 32}
    # Its version is fingerprinted by a job, not in the request.
    assert Job.objects.filter(kind="monitoring.fingerprint",
                              payload__package=scan.package.sha256).count() == 1  # fmt: skip
    listed = token_client(world.user("regulator")).get("/api/v1/monitoring/official/").json()
    assert [a["id"] for a in listed["results"]] == [app.public_id]
    assert (
        token_client(world.user("other_org")).get("/api/v1/monitoring/official/").json()["count"]
        == 0
    )


def test_fill_from_report_takes_the_label_by_script(world, ingest):
    app = ingest(world.orgs["a"], world.user("tester"), "diff-v1").version.app
    assert official.fill_from_report(app, {"app": {"label": "差异"}})
    assert (app.official_name_zh, app.official_pinyin, app.official_name_en) == (
        "差异",
        "cha yi",
        "",
    )
    assert not official.fill_from_report(app, {"app": {"label": "Other"}})  # the owner's stays
    app.official_name_zh = ""
    assert official.fill_from_report(app, {"app": {"label": "Diff", "icon": {
        "media_type": "image/svg+xml", "data_base64": "PHN2Zy8+"}}})  # fmt: skip
    assert app.official_name_en == "Diff" and app.official_icon == {}  # not PNG/WebP: not kept
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()
    assert official.fill_from_report(app, {"app": {"icon": {
        "media_type": "image/png", "data_base64": png, "path": "res/icon.png"}}})  # fmt: skip
    assert app.official_icon["data_base64"] == png and len(app.official_icon["sha256"]) == 64
    assert official.icon_data_uri(app) == f"data:image/png;base64,{png}"


def test_a_new_version_of_an_official_app_is_fingerprinted(
    world, ingest, django_capture_on_commit_callbacks
):
    first = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = first.version.app
    with django_capture_on_commit_callbacks(execute=True):
        official.set_official(world.user("org_admin"), app, official=True)
    assert Job.objects.filter(kind="monitoring.fingerprint").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        later = ingest(world.orgs["a"], world.user("tester"), "rotated")  # same signer, rotated
    assert later.version.app == app
    queued = set(Job.objects.filter(kind="monitoring.fingerprint")
                 .values_list("payload__package", flat=True))  # fmt: skip
    assert queued == {first.package.sha256, later.package.sha256}
    with django_capture_on_commit_callbacks(execute=True):  # not official: nothing queued
        ingest(world.orgs["b"], world.user("other_org"), "diff-v2")
    assert Job.objects.filter(kind="monitoring.fingerprint").count() == 2
