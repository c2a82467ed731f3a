"""The role catalogue (docs/roles.md): what each per-membership role may do.

Roles are data, not code paths: a view asks ``can(user, org, capability)``. Later features
add their roles with ``register`` (e.g. reporter, triager, verifier) and their capabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Capabilities checked by views and actions.
VIEW = "view"  # read the organisation's apps, scans, reports, findings
UPLOAD = "upload"  # upload packages, start scans
TRIAGE = "triage"  # set a finding's status
DISPUTE = "dispute"  # vendor: dispute a finding on its own app
MANAGE = "manage"  # members, roles, quotas, access grants of the organisation
STATISTICS = "statistics"  # aggregated counts across granted organisations


@dataclass(frozen=True)
class Role:
    id: str
    label: object  # lazy translated
    capabilities: frozenset[str]
    description: object


ROLES: dict[str, Role] = {}


def register(role: Role) -> Role:
    if role.id in ROLES:
        raise ValueError(f"role {role.id!r} is already registered")
    ROLES[role.id] = role
    return role


PLATFORM_ADMIN = register(
    Role(
        "platform_admin",
        _("Platform administrator"),
        frozenset({VIEW, UPLOAD, TRIAGE, MANAGE, STATISTICS}),
        _("Operates the platform: every organisation, quotas, public upload."),
    )
)
ORG_ADMIN = register(
    Role(
        "org_admin",
        _("Organisation administrator"),
        frozenset({VIEW, UPLOAD, TRIAGE, MANAGE, STATISTICS}),
        _("Manages the members and roles of one organisation; everything a tester does."),
    )
)
TESTER = register(
    Role(
        "tester",
        _("Tester"),
        frozenset({VIEW, UPLOAD, TRIAGE, STATISTICS}),
        _("Uploads packages, reads reports, triages findings of the organisation."),
    )
)
VENDOR = register(
    Role(
        "vendor",
        _("Vendor"),
        frozenset({VIEW, DISPUTE}),
        _("Sees only the apps its organisation owns and answers (disputes) their findings."),
    )
)
REGULATOR = register(
    Role(
        "regulator",
        _("Regulator"),
        frozenset({VIEW, STATISTICS}),
        _("Reads, without changing anything, the organisations that granted it access."),
    )
)


def choices() -> list[tuple[str, object]]:
    return [(r.id, r.label) for r in ROLES.values()]
