"""The life cycle through actions: intake with its log, triage with duplicates, verification
with CVSS from the library, vendor disposal, the legal guards at disclosure."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from cvss import CVSS3, CVSS4
from django.core.exceptions import ValidationError

from mobsec.platform.core.errors import UserError
from mobsec.platform.vulns import actions, guards, rating
from mobsec.platform.vulns.models import IntakeLogEntry, Transition

from .conftest import T0, report, to_vendor

pytestmark = pytest.mark.django_db


def test_intake_logs_and_acknowledges(desk):
    vuln, token, entry = report(desk.reporter)
    assert token is None and vuln.state == "received"
    assert entry.vulnerability == vuln and entry.reporter == "reporter"
    assert vuln.public_id in entry.acknowledgement
    assert desk.reporter.notifications.filter(kind="vuln.received").count() == 1
    anon, token, _ = actions.submit(
        actions.Submission(package_name="com.x", title="t", description="d", cwe="295"),
        reporter=None, now=T0,
    )  # fmt: skip
    assert anon.channel == "anonymous" and anon.cwe == "CWE-295"
    assert token.startswith("vft_") and actions.find_by_token(token) == anon
    assert actions.find_by_token(token + "x") is None


def test_intake_log_is_append_only(desk):
    _, _, entry = report(desk.reporter)
    entry.title = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert IntakeLogEntry.objects.get(pk=entry.pk).title != "changed"


def test_weakness_and_fields_are_validated(desk):
    for bad in ({"cwe": "", "check_id": ""}, {"cwe": "CWE-abc"}, {"platform": "symbian"}):
        with pytest.raises(UserError):
            report(desk.reporter, **bad)
    with pytest.raises(UserError, match="Unknown field"):
        actions.Submission.from_dict({"package_name": "x", "evil": 1})


def test_exact_duplicate_is_refused_at_triage_first_valid_wins(desk):
    first, _, _ = report(desk.reporter)
    second, _, _ = report(desk.other_reporter, now=T0 + timedelta(hours=1))
    exact, near = actions.duplicates(second)
    assert exact == first
    with pytest.raises(UserError) as e:
        actions.triage(second, desk.coordinator)
    assert e.value.code == "vulns.duplicate"
    actions.mark_duplicate(second, desk.coordinator, first, "same location")
    second.refresh_from_db()
    assert second.state == "duplicate" and second.duplicate_of == first
    other, _, _ = report(desk.other_reporter, location="com/x/Net", now=T0 + timedelta(hours=2))
    exact, near = actions.duplicates(other)
    assert exact is None and first in near  # same app and CWE elsewhere: a suggestion


@pytest.mark.parametrize("vector", [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
])  # fmt: skip
def test_cvss31_scores_are_the_librarys(vector):
    _clean, score = rating.score31(vector)
    assert score == Decimal(str(CVSS3(vector).base_score))
    assert (
        rating.tier(score)
        == {
            "Critical": "critical",
            "High": "high",
            "Medium": "medium",
            "Low": "low",
            "None": "low",
        }[CVSS3(vector).severities()[0]]
    )


@pytest.mark.parametrize("vector", [
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:A/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:L/SI:L/SA:N",
])  # fmt: skip
def test_cvss40_scores_are_the_librarys(vector):
    _, score = rating.score40(vector)
    assert score == Decimal(str(CVSS4(vector).base_score))


def test_bad_vectors_are_refused_with_the_problem():
    for bad in ("", "CVSS:3.1/AV:X", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "CVSS:4.0/AV:N"):  # fmt: skip
        with pytest.raises(UserError):
            rating.rate(bad)
    r = rating.rate("", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    assert r.severity == "critical" and rating.label(r.severity, "zh") == "超危"


def test_full_cycle_to_disclosure_with_guards(desk, mailoutbox):
    vuln, _, _ = report(desk.reporter)
    vuln = to_vendor(desk, vuln)
    assert vuln.state == "vendor_notified" and vuln.severity == "high"
    assert vuln.due_at == vuln.vendor_notified_at + timedelta(days=30)
    vendor = desk.world.user("vendor")
    assert vendor.notifications.filter(kind="vuln.vendor_notified").exists()
    now = T0 + timedelta(days=1)
    codes = {r.code for r in guards.publication_blockers(vuln, now)}
    assert codes == {"no_fix", "no_mitigation", "no_national_report"}
    with pytest.raises(guards.GuardError) as e:
        actions.disclose(vuln, desk.coordinator, "MOBSEC-2026-0001", now=now)
    assert {r.code for r in e.value.reasons} == codes
    actions.acknowledge(vuln, vendor, now=now)
    actions.produce_national_report(vuln, vendor, now=now)
    actions.report_fix(vuln, vendor, "1.0.1", "Update to 1.0.1.", now=now)
    vuln.refresh_from_db()
    assert [r.code for r in guards.publication_blockers(vuln, now)] == ["no_fix"]
    actions.mark_fixed(vuln, desk.verifier, "checked the new trust manager by hand", now=now)
    vuln.refresh_from_db()
    assert guards.publication_blockers(vuln, now) == []
    actions.set_freeze(desk.world.user("platform_admin"), True, "MPS order 1")
    with pytest.raises(guards.GuardError, match="freeze"):
        actions.disclose(vuln, desk.coordinator, "MOBSEC-2026-0001", now=now)
    actions.set_freeze(desk.world.user("platform_admin"), False, "MPS order 1 lifted")
    actions.disclose(vuln, desk.coordinator, "MOBSEC-2026-0001", now=now)
    vuln.refresh_from_db()
    assert vuln.state == "disclosed" and vuln.advisory_ref == "MOBSEC-2026-0001"
    trail = list(Transition.objects.filter(vulnerability=vuln).values_list("action", flat=True))
    assert trail[0] == "receive" and trail[-1] == "disclose" and "confirm" in trail


def test_admin_cannot_skip_a_guard_nor_see_cases(desk):
    vuln, _, _ = report(desk.reporter)
    vuln = to_vendor(desk, vuln)
    admin = desk.world.user("platform_admin")
    with pytest.raises(UserError) as e:
        actions.disclose(vuln, admin, "X-1", now=T0 + timedelta(days=400))
    assert e.value.status == 404
    actions.assign(vuln, admin, admin, part="coordinator", reason="audit of the desk")
    with pytest.raises(guards.GuardError):
        actions.disclose(vuln, admin, "X-1", now=T0 + timedelta(days=1))
    assert desk.verifier.notifications.filter(kind="vuln.admin_assigned").exists()


def test_database_refuses_changes_to_the_log_and_trail(desk):
    """On PostgreSQL a trigger refuses UPDATE and DELETE whatever code runs them; on SQLite
    (local mode) the model and queryset guards do (raw SQL is not stopped there)."""
    from django.db import DatabaseError, connection, transaction

    _, _, entry = report(desk.reporter)
    with pytest.raises(ValidationError):
        IntakeLogEntry.objects.filter(pk=entry.pk).update(title="x")
    with pytest.raises(ValidationError):
        Transition.objects.all().delete()
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite relies on the model guards")
    for sql in ("UPDATE vulns_intakelogentry SET title = 'x'",
                "DELETE FROM vulns_intakelogentry", "DELETE FROM vulns_transition"):  # fmt: skip
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as c):  # fmt: skip
            c.execute(sql)
    assert IntakeLogEntry.objects.get(pk=entry.pk).title == entry.title
