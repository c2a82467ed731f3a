"""In-app notifications, webhook subscriptions and their deliveries."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.core.ids import PublicIdField


class Notification(models.Model):
    """A message to one user, shown in the platform (and e-mailed when asked), in both
    languages: the page shows the user's."""

    public_id = PublicIdField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)  # e.g. "scan.done", "vuln.deadline"
    title_en = models.CharField(max_length=300)
    title_zh = models.CharField(max_length=300)
    body_en = models.TextField(blank=True)
    body_zh = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)  # a path inside the platform
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def title(self, lang: str) -> str:
        return self.title_en if lang.startswith("en") else self.title_zh

    def body(self, lang: str) -> str:
        return self.body_en if lang.startswith("en") else self.body_zh


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An organisation's receiver of events (a ticket system, a chat bot, a CI)."""

    public_id = PublicIdField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    # HMAC-SHA256 key shared with the receiver; shown to the org admin once at creation.
    secret = models.CharField(max_length=64, default=new_secret)
    events = models.JSONField(default=list, blank=True)  # empty: every event
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    public_id = PublicIdField()
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
