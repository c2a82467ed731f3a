"""Business rules of accounts: users, memberships and role changes (audited)."""

from __future__ import annotations

import secrets

from django.db import transaction

from mobsec.platform.core.errors import UserError

from . import audit, roles
from .models import Membership, Organisation, User


def check_role(role: str) -> roles.Role:
    found = roles.ROLES.get(role)
    if found is None:
        names = ", ".join(roles.ROLES)
        raise UserError(
            "accounts.bad_role",
            f"Unknown role {role!r}; one of: {names}.",
            f"未知的角色 {role!r}；可选：{names}。",
        )
    return found


@transaction.atomic
def set_role(actor, user: User, organisation: Organisation, role: str, request=None) -> Membership:
    """Give ``user`` ``role`` in ``organisation`` (creating the membership): audited."""
    check_role(role)
    m, created = Membership.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    old = None if created else m.role
    if not created and m.role != role:
        m.role = role
        m.save(update_fields=["role"])
    if created or old != role:
        audit.record(
            "role_change",
            actor=actor,
            organisation=organisation,
            target=user.username,
            details={"from": old, "to": role},
            request=request,
        )
    return m


@transaction.atomic
def create_user(
    name: str, organisation_name: str, role: str, password: str | None = None, actor=None
) -> tuple[User, str | None]:
    """Create (or find) a user and give them the role in the organisation (created when new).
    Returns the user and the generated password of a new user (None for an existing one)."""
    check_role(role)
    if not name or len(name) > 150:
        raise UserError(
            "accounts.bad_name",
            "A user name of 1 to 150 characters is required.",
            "用户名须为 1 到 150 个字符。",
        )
    org, _ = Organisation.objects.get_or_create(name=organisation_name[:200])
    user = User.objects.filter(username=name).first()
    generated = None
    if user is None:
        generated = password or secrets.token_urlsafe(12)
        user = User.objects.create_user(name, password=generated)
        audit.record("user_created", actor=actor, organisation=org, target=name)
        if password:
            generated = None
    set_role(actor, user, org, role)
    return user, generated
