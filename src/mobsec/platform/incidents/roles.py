"""Who runs incidents and who reads them (registered in the role catalogue, docs/roles.md).

``incident_coordinator`` (platform-wide) creates incidents, runs affected-scope queries
and fleet re-scans, releases rule packs and publishes bulletins; platform administrators
may do the same. Regulators (the existing ``regulator`` role) read incidents and their
reports. Opening vulnerability cases for the affected vendors goes through the vulns
desk's own actions, so it also needs its ``vuln_coordinator`` (and ``verifier``) roles.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts import roles

RUN = "incident.run"

INCIDENT_COORDINATOR = roles.register(
    roles.Role(
        "incident_coordinator",
        _("Incident coordinator"),
        frozenset({roles.VIEW, roles.STATISTICS, RUN}),
        _(
            "Runs emergency incidents: affected-scope queries over every app, rule packs, "
            "fleet re-scans, the regulator's report and the public bulletin."
        ),
        roles.SCOPE_ALL,
    )
)
# Roles that read every incident (besides those who run them).
READER_ROLES = frozenset({roles.REGULATOR.id})
