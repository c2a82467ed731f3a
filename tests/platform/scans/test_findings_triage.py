"""Findings as rows, triage with reasons and audit trail, carry-over by fingerprint, vendor
dispute, exports that the CLI reads back, version diff, idempotent report storage."""

from __future__ import annotations

import pytest

from mobsec.platform.accounts.models import AuditEvent
from mobsec.platform.core.errors import UserError
from mobsec.platform.scans import actions, queries
from mobsec.platform.scans.models import Finding, Report, TriageEvent
from mobsec.report.baseline import Baseline, load_suppressions

pytestmark = pytest.mark.django_db


def test_findings_are_rows_with_their_fields(world, ingest, scanned):
    _, doc = scanned("manifest-rich")
    scan = ingest(world.orgs["a"], world.user("tester"), "manifest-rich")
    rows = Finding.objects.filter(version=scan.version)
    assert rows.count() == len({f["fingerprint"] for f in doc["findings"]}) > 0
    f = doc["findings"][0]
    row = rows.get(fingerprint=f["fingerprint"])
    assert (row.check_id, row.severity, row.confidence) == (
        f["check_id"],
        f["severity"],
        f["confidence"],
    )
    assert row.owner_kind == f["owner"]["kind"] and row.file == f["location"]["file"]
    assert actions.tag_list(row.cwe) == [str(c) for c in f.get("cwe") or []]
    # A cross-app query is a filter on rows.
    cwe = next(c for g in doc["findings"] for c in g.get("cwe") or [])
    hits = queries.filter_findings(
        queries.visible_findings(world.user("tester")), {"cwe": str(cwe)}
    )
    assert hits.exists() and all(f",{cwe}," in h.cwe for h in hits)


def test_storing_a_report_twice_changes_nothing(world, ingest, scanned):
    """A job retried after a SIGKILL stores the same report again: no duplicate rows."""
    _, doc = scanned("diff-v1")
    scan = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    n = Finding.objects.count()
    scan.state = "running"
    scan.save()
    actions.store_report(scan, doc)
    assert Finding.objects.count() == n and Report.objects.count() == 1


def _finding(scan):
    return Finding.objects.filter(version=scan.version).order_by("check_id").first()


def test_triage_needs_a_reason_and_keeps_an_audit_trail(world, ingest):
    tester = world.user("tester")
    scan = ingest(world.orgs["a"], tester, "diff-v1")
    f = _finding(scan)
    app = scan.version.app
    with pytest.raises(UserError) as e:
        actions.set_status(tester, app, f.fingerprint, "false_positive", "   ")
    assert e.value.code == "triage.reason_required"
    actions.set_status(tester, app, f.fingerprint, "confirmed", "reproduced on device")
    actions.set_status(tester, app, f.fingerprint, "false_positive", "dead code, never called")
    events = list(TriageEvent.objects.filter(app=app).order_by("at"))
    assert [(e.old_status, e.status) for e in events] == [
        ("open", "confirmed"),
        ("confirmed", "false_positive"),
    ]
    assert events[-1].actor == tester and events[-1].reason == "dead code, never called"
    assert AuditEvent.objects.filter(action="triage", actor=tester).count() == 2
    f.refresh_from_db()
    assert f.status == "false_positive"


def test_triage_carries_over_to_the_next_version_by_fingerprint(world, ingest, scanned):
    tester = world.user("tester")
    _, d1 = scanned("diff-v1")
    _, d2 = scanned("rotated")
    shared = sorted({f["fingerprint"] for f in d1["findings"]}
                    & {f["fingerprint"] for f in d2["findings"]})  # fmt: skip
    assert shared, "the fixture pair must share a finding"
    s1 = ingest(world.orgs["a"], tester, "diff-v1")
    actions.set_status(tester, s1.version.app, shared[0], "accepted_risk", "internal build")
    s2 = ingest(world.orgs["a"], tester, "rotated")  # same app, next version
    assert s2.version.app_id == s1.version.app_id
    s2_status = dict(
        Finding.objects.filter(version=s2.version).values_list("fingerprint", "status")
    )
    assert {fp: st for fp, st in s2_status.items() if st != "open"} == {shared[0]: "accepted_risk"}


def test_vendor_disputes_its_apps_finding_but_cannot_triage(world, ingest):
    scan = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = scan.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    vendor = world.user("vendor")
    f = _finding(scan)
    with pytest.raises(UserError) as e:
        actions.set_status(vendor, app, f.fingerprint, "false_positive", "not ours")
    assert e.value.status == 403
    t = actions.dispute(vendor, app, f.fingerprint, "the service requires a signature permission")
    assert t.disputed and "signature" in t.dispute_reason
    assert TriageEvent.objects.filter(app=app, kind="dispute", actor=vendor).exists()
    with pytest.raises(UserError):
        actions.dispute(world.user("regulator"), app, f.fingerprint, "x")


def test_exports_are_files_the_cli_reads(world, ingest, client, tmp_path):
    tester = world.user("tester")
    scan = ingest(world.orgs["a"], tester, "diff-v1")
    app = scan.version.app
    fps = list(Finding.objects.filter(version=scan.version).values_list("fingerprint", flat=True))
    actions.set_status(tester, app, fps[0], "false_positive", "test code")
    actions.set_status(tester, app, fps[1], "confirmed", "real")
    client.force_login(tester)
    r = client.get(f"/apps/{app.public_id}/suppressions.json")
    assert r.status_code == 200
    path = tmp_path / "suppressions.json"
    path.write_bytes(r.content)
    sup = load_suppressions(path)
    assert [s.fingerprint for s in sup] == [fps[0]] and "test code" in sup[0].reason
    r = client.get(f"/apps/{app.public_id}/baseline.json")
    path = tmp_path / "baseline.json"
    path.write_bytes(r.content)
    assert Baseline.load(path).fingerprints == frozenset(fps)
    assert AuditEvent.objects.filter(action="download", actor=tester).count() == 2


def test_version_diff_through_the_api(world, ingest, token_client, scanned):
    tester = world.user("tester")
    s1 = ingest(world.orgs["a"], tester, "diff-v1")
    s2 = ingest(world.orgs["a"], tester, "rotated")
    c = token_client(tester)
    app = s1.version.app.public_id
    r = c.get(f"/api/v1/apps/{app}/diff/?old={s1.version.public_id}&new={s2.version.public_id}")
    assert r.status_code == 200, r.content
    d = r.json()
    _, v2 = scanned("rotated")
    _, v1 = scanned("diff-v1")
    new_fps = {f["fingerprint"] for f in v2["findings"]} - {
        f["fingerprint"] for f in v1["findings"]
    }
    assert {f["fingerprint"] for f in d["findings"]["new"]} == new_fps
    assert d["certificates"]["changed"] is True
    assert any(s["id"] for s in d["sdks"]["added"])
    page = c.get(f"/apps/{app}/diff/?old={s1.version.public_id}&new={s2.version.public_id}")
    assert page.status_code == 302  # pages use the session, not the token
    c.force_login(tester)
    page = c.get(f"/apps/{app}/diff/?old={s1.version.public_id}&new={s2.version.public_id}")
    assert page.status_code == 200 and str(len(new_fps)) in page.content.decode()


def test_dashboard_counters_match_the_finding_rows(world, ingest):
    from mobsec.platform.scans import counts

    ingest(world.orgs["a"], world.user("tester"), "manifest-rich")
    ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    ingest(world.orgs["b"], world.user("other_org"), "rotated")
    for role in ("tester", "platform_admin", "regulator", "other_org"):
        user = world.user(role)
        fast = queries.statistics(user)
        slow = queries._statistics_from_rows(user, {})
        assert fast["findings"] == slow["findings"] > 0, role
        assert fast["by_severity"] == slow["by_severity"], role
        assert {r["check_id"]: r["count"] for r in fast["by_check"]} == {
            r["check_id"]: r["count"] for r in slow["by_check"]
        } or len(slow["by_check"]) == 15
        assert fast["by_month"] == slow["by_month"], role
    before = queries.statistics(world.user("platform_admin"))
    counts.rebuild()
    assert queries.statistics(world.user("platform_admin")) == before
