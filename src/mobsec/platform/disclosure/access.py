"""Who may do what here: public pages need no login; the desk is the coordinators'
(on the case); statistics are for the regulator, the coordinators and platform admins."""

from __future__ import annotations

from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.accounts import roles as account_roles
from mobsec.platform.accounts.models import Membership
from mobsec.platform.vulns import access as vulns_access


def can_see_statistics(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        accounts_access.is_platform_admin(user)
        or vulns_access.is_coordinator(user)
        or Membership.objects.filter(user=user, role=account_roles.REGULATOR.id).exists()
    )
