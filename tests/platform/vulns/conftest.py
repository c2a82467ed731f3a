"""The desk around the platform's test world: a coordinator and a verifier (desk
organisation), two reporters, and the vendor of organisation a's app (``world``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from mobsec.platform.accounts.models import Membership, Organisation, User
from mobsec.platform.vulns import actions, fixes, roles
from mobsec.platform.vulns.models import Convention
from tests.platform.conftest import PASSWORD

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Desk:
    world: object
    coordinator: User
    verifier: User
    reporter: User
    other_reporter: User
    desk: Organisation

    def user(self, name: str) -> User:
        return getattr(self, name, None) or self.world.user(name)


def add_user(name: str, org: Organisation, role: str, email: str = "") -> User:
    u = User.objects.create_user(name, password=PASSWORD, email=email or f"{name}@example.org")
    Membership.objects.create(user=u, organisation=org, role=role)
    return u


@pytest.fixture
def desk(world) -> Desk:
    org = fixes.desk_organisation()
    reporters = Organisation.objects.create(name="Independent reporters")
    vendor = world.user("vendor")
    vendor.email = "security@vendor.example"
    vendor.save()
    return Desk(
        world,
        add_user("coordinator", org, roles.COORDINATOR.id),
        add_user("verifier", org, roles.VERIFIER.id),
        add_user("reporter", reporters, roles.REPORTER.id),
        add_user("reporter2", reporters, roles.REPORTER.id),
        org,
    )


def report(reporter, package="com.example.versions", now=T0, files=(), **kw):
    sub = actions.Submission(
        package_name=package,
        title=kw.pop("title", "Trust manager accepts every certificate"),
        description=kw.pop("description", "The app trusts any TLS certificate."),
        cwe=kw.pop("cwe", "CWE-295"),
        reproduction=kw.pop("reproduction", "Run mitmproxy, open the app, read the traffic."),
        **kw,
    )
    return actions.submit(sub, files, reporter=reporter, now=now)


def to_vendor(
    desk: Desk, vuln, app=None, now=T0, cvss31="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
):
    """Walk a received case to vendor_notified (the vendor is the app's owner)."""
    actions.triage(vuln, desk.coordinator, app=app, now=now)
    actions.assign(vuln, desk.coordinator, desk.verifier, now=now)
    actions.record_verification(vuln, desk.verifier, "reproduced on 1.0", now=now)
    actions.confirm(vuln, desk.verifier, cvss31=cvss31, now=now + timedelta(hours=1))
    vuln.refresh_from_db()
    if vuln.vendor_id is None:
        actions.set_vendor(vuln, desk.coordinator, desk.world.orgs["vendor"], now=now)
    actions.notify_vendor(vuln, desk.coordinator, now=now + timedelta(hours=2))
    vuln.refresh_from_db()
    return vuln


@pytest.fixture
def convention(db):
    return Convention.objects.create(version="2026.1", text_en="We disclose responsibly.",
                                     text_zh="我们负责任地披露漏洞。", published_at=T0)  # fmt: skip
