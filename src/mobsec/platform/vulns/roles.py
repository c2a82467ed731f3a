"""The vulnerability desk's roles and capabilities (registered in the role catalogue).

Reporters and support units submit; coordinators triage and assign; verifiers verify the
cases they are assigned to. Vendors answer through the existing ``vendor`` role (or the
organisation administrator) of the organisation named as the case's vendor.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts import roles

REPORT = "vuln.report"  # submit reports, follow one's own
IMPORT = "vuln.import"  # batch import (JSON/CSV) for the organisation
COORDINATE = "vuln.coordinate"  # triage, assign, contact vendors, disclose
VERIFY = "vuln.verify"  # verify and rate assigned cases

REPORTER = roles.register(
    roles.Role(
        "reporter",
        _("Vulnerability reporter"),
        frozenset({REPORT}),
        _("Submits vulnerability reports and follows their own reports."),
    )
)
SUPPORT_UNIT = roles.register(
    roles.Role(
        "support_unit",
        _("Support unit member"),
        frozenset({REPORT, IMPORT}),
        _("Member of a technical support unit: submits reports, imports batches."),
    )
)
COORDINATOR = roles.register(
    roles.Role(
        "vuln_coordinator",
        _("Vulnerability coordinator"),
        frozenset({REPORT, COORDINATE}),
        _("Triages reports, assigns verifiers, contacts vendors and discloses."),
        roles.SCOPE_ALL,
    )
)
VERIFIER = roles.register(
    roles.Role(
        "verifier",
        _("Vulnerability verifier"),
        frozenset({REPORT, VERIFY}),
        _("Reproduces and rates the vulnerabilities they are assigned to."),
        roles.SCOPE_ALL,
    )
)

# Accounts holding these roles see embargoed details and must log in with TOTP.
TWO_FACTOR_ROLES = frozenset({COORDINATOR.id, VERIFIER.id})
