"""Who is on a case, and as what. Embargoed details are for the people on the case only:
the reporter, the coordinators, the verifiers assigned to it, anyone else assigned to it
(an administrator assigning himself is audited and shown to the case's verifier), and —
once notified — the members of the vendor organisation (role ``vendor`` or its
administrator). Everybody else gets 404, whatever id they guess."""

from __future__ import annotations

from django.db.models import Q

from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.accounts import roles as account_roles
from mobsec.platform.accounts.models import Membership

from . import machine, roles
from .models import CaseAssignment, Vulnerability

VENDOR_ROLES = (account_roles.VENDOR.id, account_roles.ORG_ADMIN.id)


def is_coordinator(user) -> bool:
    return roles.COORDINATE in accounts_access.resolve(user).everything


def is_verifier(user) -> bool:
    return roles.VERIFY in accounts_access.resolve(user).everything


def vendor_org_ids(user) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role__in=VENDOR_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def parts(user, vuln: Vulnerability) -> set[str]:
    """The user's parts on the case (empty: not on it)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    out: set[str] = set()
    if vuln.reporter_id == user.pk:
        out.add(machine.REPORTER)
    if is_coordinator(user):
        out.add(machine.COORDINATOR)
    for part in CaseAssignment.objects.filter(
        vulnerability=vuln, user=user, active=True
    ).values_list("part", flat=True):
        if part == machine.VERIFIER and not is_verifier(user):
            continue  # assigned before losing the role: no longer verifies
        out.add(part)
    if (
        vuln.vendor_id
        and vuln.vendor_notified_at is not None
        and vuln.vendor_id in vendor_org_ids(user)
    ):
        out.add(machine.VENDOR)
    return out


def visible_q(user) -> Q:
    """Q over Vulnerability: the cases the user is on."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if is_coordinator(user):
        return Q()
    q = Q(reporter=user) | Q(assignments__user=user, assignments__active=True)
    vendors = vendor_org_ids(user)
    if vendors:
        q |= Q(vendor__in=vendors, vendor_notified_at__isnull=False)
    return q


def visible(user):
    return Vulnerability.objects.filter(visible_q(user)).distinct()
