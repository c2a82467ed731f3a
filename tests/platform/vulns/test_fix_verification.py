"""Fix verification with real packages scanned by the engine: diff-v1 is debuggable,
diff-v2 (the next version of the same app) is not. The vendor uploads diff-v2 → the re-scan
job runs the engine → the evidence (the finding's fingerprint) is gone → fixed. Uploading
diff-v1 again leaves the case in fixing; so does another app; a verifier may still confirm
by hand, with a reason."""

from __future__ import annotations

import pytest

from mobsec.platform.vulns import actions, fixes
from mobsec.platform.vulns.models import FixCheck
from tests.platform.conftest import upload_file

from .conftest import report
from .jobs import run_jobs

pytestmark = [pytest.mark.django_db, pytest.mark.toolchain]
DEBUGGABLE = "android.manifest.debuggable"


@pytest.fixture
def case(desk, ingest):
    world = desk.world
    s1 = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = s1.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    finding = s1.version.findings.get(check_id=DEBUGGABLE)
    vuln, _, _ = report(desk.reporter, title="Debuggable build in production", cwe="CWE-489")
    actions.triage(vuln, desk.coordinator, app=app)
    actions.assign(vuln, desk.coordinator, desk.verifier)
    actions.record_verification(vuln, desk.verifier, "adb can attach a debugger",
                                evidence_scan=s1, evidence_fingerprint=finding.fingerprint)  # fmt: skip
    vuln.refresh_from_db()
    assert vuln.check_id == DEBUGGABLE and vuln.evidence_fingerprint == finding.fingerprint
    vuln = to_vendor_from_verifying(desk, vuln)
    actions.acknowledge(vuln, world.user("vendor"))
    vuln.refresh_from_db()
    return vuln


def to_vendor_from_verifying(desk, vuln):
    actions.confirm(vuln, desk.verifier, cvss40="CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/"
                    "VA:N/SC:N/SI:N/SA:N")  # fmt: skip
    actions.notify_vendor(vuln, desk.coordinator)
    vuln.refresh_from_db()
    return vuln


def test_evidence_gone_marks_fixed(desk, case, scanned):
    apk, _ = scanned("diff-v2")
    check = actions.upload_fix(case, desk.world.user("vendor"), upload_file(apk))
    assert check.result == "pending" and check.scan.organisation == fixes.desk_organisation()
    assert ("vulns.rescan", "done") in run_jobs()
    check.refresh_from_db()
    case.refresh_from_db()
    assert check.result == FixCheck.Result.GONE and check.matched == []
    assert case.state == "fixed" and case.fix_version_ref == check.scan.version
    trail = case.transitions.filter(action="mark_fixed").get()
    assert trail.part == "system" and trail.actor is None
    assert desk.reporter.notifications.filter(kind="vuln.fixed").exists()


def test_evidence_present_stays_fixing_then_by_hand(desk, case, scanned):
    apk, _ = scanned("diff-v1")
    check = actions.upload_fix(case, desk.world.user("vendor"), upload_file(apk, "fixed.apk"))
    run_jobs()
    check.refresh_from_db()
    case.refresh_from_db()
    assert check.result == FixCheck.Result.PRESENT
    assert [m["check_id"] for m in check.matched] == [DEBUGGABLE]
    assert case.state == "fixing"
    assert case.transitions.filter(action="fix_not_verified").exists()
    with pytest.raises(actions.UserError):  # the vendor cannot declare it fixed
        actions.mark_fixed(case, desk.world.user("vendor"), "trust us")
    with pytest.raises(actions.UserError):  # a verifier must give a reason
        actions.mark_fixed(case, desk.verifier, "  ")
    actions.mark_fixed(case, desk.verifier, "debuggable only in the flavour nobody ships")
    case.refresh_from_db()
    assert case.state == "fixed"


def test_another_app_is_not_a_fix(desk, case, fixture_apk):
    check = actions.upload_fix(case, desk.world.user("vendor"),
                               upload_file(fixture_apk("java-basic")))  # fmt: skip
    run_jobs()
    check.refresh_from_db()
    case.refresh_from_db()
    assert check.result == FixCheck.Result.WRONG_APP and case.state == "fixing"


def test_evidence_matching_by_check_and_location(desk, scanned):
    _, doc1 = scanned("diff-v1")
    _, doc2 = scanned("diff-v2")
    vuln, _, _ = report(desk.reporter, check_id=DEBUGGABLE, cwe="", location="AndroidManifest")
    assert fixes.evidence_matches(vuln, doc1)[0] == "present"
    assert fixes.evidence_matches(vuln, doc2) == ("gone", [])
    vuln.location = "com/example/Elsewhere"
    assert fixes.evidence_matches(vuln, doc1)[0] == "gone"  # not at that location
    vuln.check_id = ""
    assert fixes.evidence_matches(vuln, doc1)[0] == "no_evidence"
