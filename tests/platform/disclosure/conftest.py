"""Cases walked to *fixed* by the vulns app's own actions (tests/platform/vulns/conftest.py),
ready for an advisory; the CNA that takes CVE submissions configured."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mobsec.platform.vulns import actions as vulns_actions
from tests.platform.vulns.conftest import T0, add_user, desk, report, to_vendor  # noqa: F401

CNA = {"org_id": "8254265b-2729-46b6-b9e3-3dfca2d5bfca", "short_name": "mobsec"}


@pytest.fixture(autouse=True)
def _cna(settings):
    settings.MOBSEC_CVE_CNA = CNA
    settings.MOBSEC_PUBLIC_URL = "https://vulns.example"


def fixed_case(the_desk, now=T0, **kw):
    """A report by ``desk.reporter`` confirmed, notified, fixed in 1.1 and reported to the
    national platform."""
    vuln, _token, _log = report(the_desk.reporter, now=now, **kw)
    vuln = to_vendor(the_desk, vuln, now=now)
    vendor = the_desk.world.user("vendor")
    vulns_actions.acknowledge(vuln, vendor, now=now + timedelta(hours=3))
    vulns_actions.report_fix(vuln, vendor, "1.1", "Update to 1.1; until then use a trusted "
                             "network only.", now=now + timedelta(days=2))  # fmt: skip
    vulns_actions.produce_national_report(vuln, the_desk.coordinator, now=now + timedelta(days=1))
    vulns_actions.mark_fixed(vuln, the_desk.verifier, "re-tested 1.1 by hand",
                             now=now + timedelta(days=3))  # fmt: skip
    vuln.refresh_from_db()
    return vuln


def unit_report(user, unit, now=T0, **kw):
    """A report by ``user`` for their organisation ``unit`` (a support unit)."""
    sub = vulns_actions.Submission(
        package_name="com.example.versions", title=kw.pop("title", "Trust manager"),
        description="The app trusts any TLS certificate.", cwe="CWE-295",
        reproduction="Run mitmproxy, open the app, read the traffic.", **kw,
    )  # fmt: skip
    vuln, _token, _log = vulns_actions.submit(sub, reporter=user, organisation=unit, now=now)
    return vuln
