"""Deadlines with a controlled clock: the vendor's 2-day clock for the national report,
the disposal deadline by severity, reminders before it and escalation after it (once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from mobsec.platform.jobs import periodic
from mobsec.platform.vulns import actions, deadlines, guards

from .conftest import T0, report, to_vendor

pytestmark = pytest.mark.django_db
CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def test_two_day_clock_starts_at_confirmation(desk):
    vuln, _, _ = report(desk.reporter)
    assert guards.national_report_clock(vuln).due_at is None
    vuln = to_vendor(desk, vuln)  # confirmed at T0 + 1 h
    clock = guards.national_report_clock(vuln)
    assert clock.started_at == T0 + timedelta(hours=1)
    assert clock.due_at == T0 + timedelta(days=2, hours=1)  # calendar days
    assert not clock.overdue(T0 + timedelta(days=2, hours=1))
    assert clock.overdue(T0 + timedelta(days=2, hours=1, seconds=1))
    assert clock.remaining_seconds(T0 + timedelta(days=2)) == 3600
    late = actions.produce_national_report(vuln, desk.world.user("vendor"),
                                           now=T0 + timedelta(days=3))  # fmt: skip
    assert not late.within_deadline
    doc = late.document
    assert doc["product"] == vuln.package_name and doc["type"]["cwe"] == "CWE-295"
    assert doc["severity"]["zh"] == "高危" and doc["fix_status"] == "unfixed"
    vuln.refresh_from_db()
    assert vuln.national_report_at == T0 + timedelta(days=3)
    assert guards.national_report_clock(vuln).remaining_seconds(T0) is None


@override_settings(MOBSEC_VULNS_NATIONAL_REPORT_DAYS=5)
def test_clock_length_is_configurable(desk):
    vuln = to_vendor(desk, report(desk.reporter)[0])
    assert guards.national_report_clock(vuln).due_at == T0 + timedelta(days=5, hours=1)
    ok = actions.produce_national_report(vuln, desk.coordinator, now=T0 + timedelta(days=3))
    assert ok.within_deadline


def test_deadline_by_severity_reminder_and_escalation(desk, mailoutbox):
    vuln = to_vendor(desk, report(desk.reporter)[0], cvss31=CRITICAL)
    notified = T0 + timedelta(hours=2)
    assert vuln.severity == "critical" and vuln.due_at == notified + timedelta(days=7)
    vendor = desk.world.user("vendor")
    assert deadlines.sweep(notified + timedelta(days=3)) == {"reminded": [], "escalated": []}
    assert deadlines.sweep(notified + timedelta(days=4, hours=1))["reminded"] == [vuln.public_id]
    assert deadlines.sweep(notified + timedelta(days=5))["reminded"] == []  # once
    assert vendor.notifications.filter(kind="vuln.deadline").count() == 1
    assert deadlines.sweep(notified + timedelta(days=7, seconds=-1))["escalated"] == []
    assert deadlines.sweep(notified + timedelta(days=7))["escalated"] == [vuln.public_id]
    assert deadlines.sweep(notified + timedelta(days=8))["escalated"] == []
    assert desk.coordinator.notifications.filter(kind="vuln.escalated").count() == 1
    assert vendor.notifications.filter(kind="vuln.escalated").count() == 1
    actions_ = list(vuln.transitions.values_list("action", "part"))
    assert ("remind", "system") in actions_ and ("escalate", "system") in actions_


def test_extension_moves_the_deadline_and_rearms_reminders(desk):
    vuln = to_vendor(desk, report(desk.reporter)[0], cvss31=CRITICAL)
    vendor = desk.world.user("vendor")
    deadlines.sweep(vuln.due_at)  # escalated
    with pytest.raises(actions.UserError):
        actions.request_extension(vuln, vendor, vuln.due_at - timedelta(days=1), "earlier?")
    until = vuln.due_at + timedelta(days=30)
    actions.request_extension(vuln, vendor, until, "the fix needs a new SDK release")
    vuln.refresh_from_db()
    response = vuln.vendor_responses.get(kind="extension")
    with pytest.raises(actions.UserError):  # the vendor cannot grant itself
        actions.grant_extension(vuln, vendor, response, True)
    actions.grant_extension(vuln, desk.coordinator, response, True, "agreed")
    vuln.refresh_from_db()
    assert vuln.due_at == until and vuln.escalated_at is None and vuln.reminded_at is None
    assert deadlines.sweep(until - timedelta(days=1))["reminded"] == [vuln.public_id]


@override_settings(MOBSEC_VULNS_DEADLINE_DAYS={"critical": 1, "high": 2, "medium": 3, "low": 4})
def test_deadlines_are_configurable(desk):
    vuln = to_vendor(desk, report(desk.reporter)[0])
    assert vuln.due_at == vuln.vendor_notified_at + timedelta(days=2)


def test_sweep_is_registered_with_the_scheduler():
    task = {t.name: t for t in periodic.tasks()}["vulns.deadlines"]
    assert task.every_seconds == 600 and task.func is deadlines.sweep
