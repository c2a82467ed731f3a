"""Organisations, users, memberships with roles, access grants, API tokens, audit log."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.core.ids import PublicIdField

from . import roles


class Organisation(models.Model):
    """A tenant: nothing of one organisation is visible to another without a grant."""

    public_id = PublicIdField()
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Quotas set by the operator; 0 means unlimited.
    quota_uploads_per_day = models.PositiveIntegerField(_("uploads per day"), default=0)
    quota_stored_bytes = models.PositiveBigIntegerField(_("stored bytes"), default=0)
    # The organisation that owns anonymous uploads of the public testing page.
    is_public_service = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    public_id = PublicIdField()


class Membership(models.Model):
    """One user in one organisation with one role (see roles.py and docs/roles.md)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org")
        ]

    @property
    def role_def(self) -> roles.Role | None:
        return roles.ROLES.get(self.role)

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class AccessGrant(models.Model):
    """``organisation`` lets the members of ``grantee`` (e.g. a regulator) read its data."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="grants_given"
    )
    grantee = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="grants_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "grantee"], name="one_grant")
        ]


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for scripts and CI. Only its SHA-256 is stored; the key is shown once."""

    public_id = PublicIdField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class AuditEvent(models.Model):
    """Who did what when: logins, role changes, downloads, triage decisions, tokens."""

    public_id = PublicIdField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
