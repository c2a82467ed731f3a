"""Who may see and do what: every view, API endpoint and action asks here.

Access is computed from the user's memberships: each role has capabilities and a scope
(roles.py). Querysets are filtered with ``app_filter`` / ``scan_filter`` so that an object
outside the user's reach is simply not found (404), whatever id is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from . import roles
from .models import AccessGrant, Membership, Organisation


@dataclass
class Access:
    """The resolved reach of one user, per capability."""

    everything: set[str] = field(default_factory=set)  # platform-wide capabilities
    orgs: dict[str, set[int]] = field(default_factory=dict)  # capability -> organisation ids
    owned: dict[str, set[int]] = field(default_factory=dict)  # capability -> vendor org ids

    def _add(self, table: dict[str, set[int]], caps, org_ids) -> None:
        for cap in caps:
            table.setdefault(cap, set()).update(org_ids)

    def org_ids(self, capability: str) -> set[int]:
        return self.orgs.get(capability, set())

    def app_q(self, capability: str, prefix: str = "") -> Q:
        """Q over App (or, with ``prefix``, a model that leads to one) for the capability."""
        if capability in self.everything:
            return Q()
        q = Q(**{f"{prefix}organisation__in": self.org_ids(capability)})
        owned = self.owned.get(capability)
        if owned:
            q |= Q(**{f"{prefix}owner__in": owned})
        return q


def resolve(user) -> Access:
    access = Access()
    if not getattr(user, "is_authenticated", False):
        return access
    cached = getattr(user, "_mobsec_access", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        access.everything.update(roles.PLATFORM_ADMIN.capabilities)
    for m in Membership.objects.filter(user=user).only("organisation_id", "role"):
        role = roles.ROLES.get(m.role)
        if role is None:
            continue  # a role removed from the catalogue grants nothing
        if role.scope == roles.SCOPE_ALL:
            access.everything.update(role.capabilities)
        elif role.scope == roles.SCOPE_OWNED_APPS:
            access._add(access.owned, role.capabilities, {m.organisation_id})
        elif role.scope == roles.SCOPE_GRANTED:
            granted = set(
                AccessGrant.objects.filter(grantee_id=m.organisation_id).values_list(
                    "organisation_id", flat=True
                )
            )
            access._add(access.orgs, role.capabilities, granted | {m.organisation_id})
        else:
            access._add(access.orgs, role.capabilities, {m.organisation_id})
    user._mobsec_access = access
    return access


def can(user, capability: str, organisation: Organisation | None = None, app=None) -> bool:
    access = resolve(user)
    if capability in access.everything:
        return True
    if app is not None:
        if app.organisation_id in access.org_ids(capability):
            return True
        return app.owner_id is not None and app.owner_id in access.owned.get(capability, set())
    if organisation is not None:
        return organisation.pk in access.org_ids(capability)
    return bool(access.org_ids(capability) or access.owned.get(capability))


def organisations(user, capability: str):
    """Organisations where the user may use ``capability`` on the organisation's own data."""
    access = resolve(user)
    if capability in access.everything:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.org_ids(capability))


def scan_q(user, capability: str = roles.VIEW) -> Q:
    """Q over Scan: scans of reachable organisations, and finished scans of owned apps."""
    access = resolve(user)
    if capability in access.everything:
        return Q()
    q = Q(organisation__in=access.org_ids(capability))
    owned = access.owned.get(capability)
    if owned:
        q |= Q(version__app__owner__in=owned)
    return q


def is_platform_admin(user) -> bool:
    return roles.MANAGE in resolve(user).everything
