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


# What a membership's role reaches: the organisation's own data, only the apps the
# organisation owns as a vendor, or its own data plus the organisations that granted access.
SCOPE_ALL = "all"
SCOPE_ORGANISATION = "organisation"
SCOPE_OWNED_APPS = "owned_apps"
SCOPE_GRANTED = "granted"


@dataclass(frozen=True)
class Role:
    id: str
    label: object  # lazy translated
    capabilities: frozenset[str]
    description: object
    scope: str = SCOPE_ORGANISATION


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
        SCOPE_ALL,
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
        SCOPE_OWNED_APPS,
    )
)
REGULATOR = register(
    Role(
        "regulator",
        _("Regulator"),
        frozenset({VIEW, STATISTICS}),
        _("Reads, without changing anything, the organisations that granted it access."),
        SCOPE_GRANTED,
    )
)


def choices() -> list[tuple[str, object]]:
    return [(r.id, r.label) for r in ROLES.values()]
