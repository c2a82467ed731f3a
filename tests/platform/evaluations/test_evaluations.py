"""Evaluations on the platform: items from a real scan, manual evidence, four-eyes review,
sequential report numbers, the test report, certificates (signed with the organisation's
custody key), automatic suspension by a later failing scan, revocation, public pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from mobsec.certification import certdoc
from mobsec.platform.accounts.models import AuditEvent
from mobsec.platform.core.errors import UserError
from mobsec.platform.evaluations import actions, documents
from mobsec.platform.evaluations.models import Certificate, Evaluation
from mobsec.platform.keys import custody
from mobsec.report.render.fonts import cjk_family
from tests.platform.conftest import PASSWORD

from .conftest import APP_TYPE, add_reviewer, evidence_file, scan_leak

pytestmark = pytest.mark.django_db


def approved(world, leak_app, leak_docs, lab_scheme, reviewer):
    plain, _ = leak_docs
    scan = scan_leak(world, leak_app, plain)
    tester = world.user("tester")
    ev = actions.start(tester, scan, lab_scheme, "Example Vendor Ltd")
    actions.record_item(
        tester, ev, "pi-necessity", "pass", "only location is read", [evidence_file()]
    )
    actions.record_item(tester, ev, "ui", "pass", "prompt shown before any read",
                        [evidence_file("run.mp4", b"video")])  # fmt: skip
    actions.submit(tester, ev)
    return scan, actions.approve(reviewer, ev)


def test_items_from_the_scan_and_manual_evidence(world, leak_app, leak_docs, lab_scheme):
    plain, _ = leak_docs
    scan = scan_leak(world, leak_app, plain)
    tester = world.user("tester")
    ev = actions.start(tester, scan, lab_scheme, "Example Vendor Ltd")
    auto = {i.item_id: i.automatic for i in ev.items.all()}
    assert auto == {"net": "pass", "pi-necessity": "needs_evidence", "ui": "needs_evidence"}
    with pytest.raises(UserError, match="still need manual evidence"):
        actions.submit(tester, ev)
    with pytest.raises(UserError, match="Attach the evidence"):
        actions.record_item(tester, ev, "ui", "pass", "seen it")
    with pytest.raises(UserError, match="reason is required"):
        actions.record_item(tester, ev, "ui", "pass", "  ", [evidence_file()])
    with pytest.raises(UserError) as e:  # a vendor cannot evaluate
        actions.record_item(world.user("vendor"), ev, "ui", "pass", "x", [evidence_file()])
    assert e.value.status == 403
    item = actions.record_item(tester, ev, "ui", "pass", "prompt shown", [evidence_file()])
    stored = item.evidence.get()
    assert actions.evidence_path(stored.sha256).read_bytes() == b"\x89PNG screenshot"
    assert ev.events.filter(kind="item", item_id="ui").get().details["reason"] == "prompt shown"
    assert AuditEvent.objects.filter(action="evaluation.item").count() == 1


def test_four_eyes(world, leak_app, leak_docs, lab_scheme, reviewer):
    plain, _ = leak_docs
    scan = scan_leak(world, leak_app, plain)
    # a reviewer who performs an evaluation cannot approve it
    ev = actions.start(reviewer, scan, lab_scheme, "Client")
    for item in ("pi-necessity", "ui"):
        actions.record_item(reviewer, ev, item, "pass", "ok", [evidence_file()])
    actions.submit(reviewer, ev)
    with pytest.raises(UserError, match="someone other") as e:
        actions.approve(reviewer, ev)
    assert e.value.status == 403
    # a tester (no approve permission) cannot approve either
    with pytest.raises(UserError):
        actions.approve(world.user("tester"), ev)
    # a reviewer of another organisation cannot
    with pytest.raises(UserError):
        actions.approve(add_reviewer(world, "rev-b", "b"), ev)
    second = add_reviewer(world, "second")
    ev = actions.approve(second, ev)
    assert ev.state == Evaluation.State.APPROVED and ev.reviewer == second


def test_return_then_approve_and_sequential_numbers(
    world, leak_app, leak_docs, lab_scheme, reviewer
):
    _, ev1 = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    assert ev1.conclusion == "pass" and ev1.report_number.endswith("-00001")
    plain, _ = leak_docs
    scan = scan_leak(world, leak_app, plain)
    tester = world.user("tester")
    ev2 = actions.start(tester, scan, lab_scheme, "Client 2")
    actions.record_item(tester, ev2, "pi-necessity", "fail", "reads contacts", [evidence_file()])
    actions.record_item(tester, ev2, "ui", "not_applicable", "no UI")
    actions.submit(tester, ev2)
    with pytest.raises(UserError, match="reason"):
        actions.return_for_changes(reviewer, ev2, "")
    ev2 = actions.return_for_changes(reviewer, ev2, "attach the contacts trace")
    assert ev2.state == Evaluation.State.DRAFT
    actions.submit(tester, ev2)
    ev2 = actions.approve(reviewer, ev2)
    assert ev2.conclusion == "fail" and ev2.report_number.endswith("-00002")
    kinds = list(ev2.events.values_list("kind", flat=True))
    assert kinds == ["started", "item", "item", "submitted", "returned", "submitted", "approved"]
    with pytest.raises(UserError, match="passed"):  # no certificate for a failed evaluation
        actions.issue_certificate(reviewer, ev2, lambda s: f"https://x/{s}/")
    # another organisation numbers from 1 on its own
    assert actions._next_report_number(world.orgs["b"], 2026) == "R-2026-00001"


def test_test_report_html_and_pdf(world, leak_app, leak_docs, lab_scheme, reviewer):
    scan, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    for lang, words in (
        ("zh-CN", ("检测报告", "委托方", "结论")),
        ("en", ("Test report", "Client", "Conclusion")),
    ):
        html = documents.render_report_html(ev, lang)
        for w in words:
            assert w in html, (lang, w)
        assert ev.report_number in html and ev.version.package.sha256 in html
        assert scan.report.document["package"]["hashes"]["sha256"] in html
        assert "lab-baseline 1" in html and "Example Vendor Ltd" in html
        assert "Rev Iewer" in html  # the reviewer's name with the approval time
        assert "DRAFT" not in html
        assert "android.network. ≥ high" in html  # what the passing "net" item looked for
        for i in ev.items.all():
            for e in i.evidence.all():
                assert e.sha256 in html
    if cjk_family() is None:
        pytest.skip("no CJK font for the zh-CN PDF")
    for lang in ("zh-CN", "en"):
        assert documents.render_report_pdf(ev, lang).startswith(b"%PDF-")


def test_certificate_signed_verified_suspended(world, leak_app, leak_docs, lab_scheme, reviewer):
    scan, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    with pytest.raises(UserError, match="may not"):  # testers do not issue certificates
        actions.issue_certificate(world.user("tester"), ev, lambda s: s)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"https://lab.example/verify/{s}/")
    public = custody.public_keys(actions.key_name(world.orgs["a"]))[cert.key_id]
    result = certdoc.verify(bytes(cert.signed), public)
    assert result.valid, result.problems
    doc = result.certificate
    assert doc["subject"]["package_sha256"] == ev.version.package.sha256
    assert doc["evaluation"]["report_number"] == ev.report_number
    assert doc["scheme"] == {"id": "lab-baseline", "version": "1", "code": "LAB-2026",
                             "title": {"en": "Lab baseline for PI and network",
                                       "zh-CN": "实验室个人信息与网络基线"}}  # fmt: skip
    # another organisation's key does not verify it
    other = custody.signing_key(actions.key_name(world.orgs["b"])).public_key()
    assert not certdoc.verify(bytes(cert.signed), other).valid

    # the same scan stored again, and a later scan that passes, change nothing
    assert actions.suspend_on_failing_scan(scan) == []
    plain, typed = leak_docs
    assert actions.suspend_on_failing_scan(scan_leak(world, leak_app, plain)) == []
    # a later scan of the same version with the PI rules' app type fails pi-necessity
    later = scan_leak(world, leak_app, typed, {"app_type": APP_TYPE})
    assert later.version_id == ev.version_id
    assert [c.serial for c in actions.suspend_on_failing_scan(later)] == [cert.serial]
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED and "pi-necessity" in cert.status_reason
    assert cert.suspended_by_scan_id == later.pk
    assert ev.events.filter(kind="suspended").exists()
    assert actions.suspend_on_failing_scan(later) == []  # already suspended

    with pytest.raises(UserError):
        actions.revoke(world.user("tester"), cert, "no")
    actions.revoke(world.user("org_admin"), cert, "vendor withdrew the app")
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED
    with pytest.raises(UserError, match="Already revoked"):
        actions.revoke(reviewer, cert, "again")


def test_certificate_pdf_has_qr(world, leak_app, leak_docs, lab_scheme, reviewer):
    _, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"https://lab.example/verify/{s}/")
    html = documents.render_certificate_html(cert, "en")
    assert "<svg" in html and cert.serial in html and "Certificate of conformity" in html
    assert "合格证书" in documents.render_certificate_html(cert, "zh-CN")
    if cjk_family() is None:
        pytest.skip("no CJK font for the zh-CN PDF")
    assert documents.render_certificate_pdf(cert, "zh-CN").startswith(b"%PDF-")


def test_public_pages(world, leak_app, leak_docs, lab_scheme, reviewer):
    _, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"http://testserver/verify/{s}/")
    anon = Client()
    page = anon.get(f"/verify/{cert.serial}/")
    assert page.status_code == 200 and b'data-status="valid"' in page.content
    assert b'data-ok="yes"' in page.content
    signed = anon.get(f"/certificates/{cert.serial}/certificate.json").content
    assert signed == bytes(cert.signed)
    pem = anon.get(f"/certificates/keys/{world.orgs['a'].public_id}.pem").content
    assert certdoc.verify(signed, certdoc.load_public_key(pem)).valid
    # an uploaded file is verified; a tampered one is not
    ok = anon.post("/verify/", {"file": SimpleUploadedFile("c.json", signed)})
    assert b'data-ok="yes"' in ok.content
    bad = anon.post(
        "/verify/", {"file": SimpleUploadedFile("c.json", signed.replace(b"1", b"2", 1))}
    )
    assert b'data-ok="no"' in bad.content
    junk = anon.post("/verify/", {"file": SimpleUploadedFile("c.json", b"\x00\xff junk")})
    assert junk.status_code == 200 and b'data-ok="no"' in junk.content
    assert anon.get("/verify/C-NOPE/").status_code == 404
    registry = anon.get("/certificates/?status=valid")
    assert cert.serial.encode() in registry.content
    assert anon.get("/certificates/keys/nobody.pem").status_code == 404
    pdf = anon.get(f"/certificates/{cert.serial}/certificate.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert anon.get(f"/certificates/{cert.serial}/certificate.pdf?lang=en").content == pdf.content
    assert b'id="verify-expired"' not in anon.get(f"/verify/{cert.serial}/").content
    Certificate.objects.filter(pk=cert.pk).update(valid_until=timezone.now() - timedelta(days=1))
    assert b'id="verify-expired"' in anon.get(f"/verify/{cert.serial}/").content


def test_scheme_upload_page_names_file_line_problem(world, client):
    client.login(username="org_admin", password=PASSWORD)
    bad = SimpleUploadedFile(
        "mine.yaml", b"scheme: x\nversion: '1'\nstandard: {code: X}\nitems: []\n"
    )
    r = client.post("/evaluations/schemes/", {"organisation": world.orgs["a"].public_id, "file": bad},
                    HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert r.status_code == 400
    assert "mine.yaml:3: standard needs &#x27;title&#x27;" in r.content.decode()
    binary = SimpleUploadedFile("x.yaml", b"\xff\xfe\x00")
    r = client.post(
        "/evaluations/schemes/", {"organisation": world.orgs["a"].public_id, "file": binary}
    )
    assert r.status_code == 400
    # a tester may not add schemes
    tester = Client()
    tester.login(username="tester", password=PASSWORD)
    ok = SimpleUploadedFile("s.yaml", json.dumps({}).encode())
    r = tester.post(
        "/evaluations/schemes/", {"organisation": world.orgs["a"].public_id, "file": ok}
    )
    assert r.status_code == 403


OVERRIDE_SCHEME = """\
scheme: lab-override
version: "1"
standard: {code: LAB-O, title: {en: Override, zh-CN: 覆盖}}
items:
  - id: "debug"
    title: {en: Not debuggable, zh-CN: 不可调试}
    findings:
      - check: android.manifest.debuggable
        min_severity: high
  - id: "necessity"
    title: {en: Necessary PI only, zh-CN: 仅必要个人信息}
    privacy: ["191:4.1"]
"""


def test_overruled_failure_does_not_suspend_but_a_new_one_does(
    world, leak_app, leak_docs, reviewer
):
    """A tester overrules an automatic fail with evidence; a later scan that fails the same
    item for the same findings keeps the certificate, one that fails another item anew (191
    scenario 4.1, decided once the app type is known) suspends it."""
    plain, typed = leak_docs
    scheme = actions.add_scheme(
        world.user("org_admin"), world.orgs["a"],
        SimpleUploadedFile("o.yaml", OVERRIDE_SCHEME.encode()),
    )  # fmt: skip
    tester = world.user("tester")
    ev = actions.start(tester, scan_leak(world, leak_app, plain), scheme, "Client")
    auto = {i.item_id: i.automatic for i in ev.items.all()}
    assert auto == {"debug": "fail", "necessity": "needs_evidence"}
    actions.record_item(tester, ev, "necessity", "pass", "location only", [evidence_file()])
    actions.record_item(
        tester, ev, "debug", "pass", "the shipped build is re-signed", [evidence_file()]
    )
    actions.submit(tester, ev)
    ev = actions.approve(reviewer, ev)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"https://x/{s}/")
    assert actions.suspend_on_failing_scan(scan_leak(world, leak_app, plain)) == []
    later = scan_leak(world, leak_app, typed, {"app_type": APP_TYPE})
    assert [c.serial for c in actions.suspend_on_failing_scan(later)] == [cert.serial]
    cert.refresh_from_db()
    assert cert.status_reason.endswith(": necessity")  # not the overruled "debug"


def test_key_rotation_keeps_certificates_verifiable(
    world, leak_app, leak_docs, lab_scheme, reviewer
):
    _, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"http://testserver/verify/{s}/")
    old_kid, new_kid = custody.rotate(actions.key_name(world.orgs["a"]))
    assert old_kid == cert.key_id != new_kid
    anon = Client()
    assert b'data-ok="yes"' in anon.get(f"/verify/{cert.serial}/").content
    key_url = f"/certificates/keys/{world.orgs['a'].public_id}.pem"
    current = certdoc.load_public_key(anon.get(key_url).content)
    assert certdoc.key_id(current) == new_kid
    retired = certdoc.load_public_key(anon.get(f"{key_url}?key_id={old_kid}").content)
    assert certdoc.verify(bytes(cert.signed), retired).valid
    assert anon.get(f"{key_url}?key_id=0000000000000000").status_code == 404


def test_scheme_versions_and_evidence_bound(world, leak_app, leak_docs, lab_scheme, monkeypatch):
    from .conftest import SCHEME

    admin, org = world.user("org_admin"), world.orgs["a"]
    with pytest.raises(UserError, match="exists; give a new version"):
        actions.add_scheme(admin, org, SimpleUploadedFile("l.yaml", SCHEME.encode()))
    v2 = actions.add_scheme(
        admin, org, SimpleUploadedFile("l.yaml", SCHEME.replace('"1"', '"2"', 1).encode())
    )
    assert (v2.scheme_id, v2.version) == ("lab-baseline", "2")
    assert {s.version for s in actions.visible_schemes(admin).filter(scheme_id="lab-baseline")} == {
        "1",
        "2",
    }
    plain, _ = leak_docs
    ev = actions.start(world.user("tester"), scan_leak(world, leak_app, plain), v2, "Client")
    monkeypatch.setattr(actions, "MAX_EVIDENCE_BYTES", 1024)
    with pytest.raises(UserError, match="larger than") as e:
        actions.record_item(world.user("tester"), ev, "ui", "pass", "x",
                            [evidence_file("big.mp4", b"v" * 5000)])  # fmt: skip
    assert e.value.status == 413
    assert not list(actions._evidence_dir().glob(".upload-*"))  # the partial file is gone
    assert not ev.items.get(item_id="ui").evidence.exists()


def test_certificate_status_api(world, leak_app, leak_docs, lab_scheme, reviewer):
    _, ev = approved(world, leak_app, leak_docs, lab_scheme, reviewer)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"http://testserver/verify/{s}/")
    anon = Client()
    body = anon.get(f"/api/v1/certificates/{cert.serial}/").json()
    assert body["status"] == "valid" and body["signature_valid"] and not body["expired"]
    assert body["certificate"]["serial"] == cert.serial and body["key_id"] == cert.key_id
    actions.revoke(reviewer, cert, "withdrawn")
    assert anon.get(f"/api/v1/certificates/{cert.serial}/").json()["status"] == "revoked"
    assert anon.get("/api/v1/certificates/C-NONE/").status_code == 404
