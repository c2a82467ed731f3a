"""What other apps call: ``notify`` a user, ``emit`` an organisation's event to its
webhooks, ``add_webhook``, ``mark_read``. Sending happens in jobs (``delivery.py``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from .models import Notification, Webhook, WebhookDelivery

EMAIL_JOB = "notifications.email"
WEBHOOK_JOB = "notifications.webhook"


class InvalidWebhook(ValueError):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def notify(
    user,
    kind: str,
    title: tuple[str, str],
    body: tuple[str, str] = ("", ""),
    *,
    link: str = "",
    organisation=None,
    email: bool = False,
) -> Notification:
    """Create an in-app notification (``title``/``body`` as (en, zh)); with ``email``, also
    mail it to the user (both languages) from a job."""
    from mobsec.platform.jobs import api as jobs

    with transaction.atomic():
        n = Notification.objects.create(
            user=user,
            organisation=organisation,
            kind=kind,
            title_en=title[0],
            title_zh=title[1],
            body_en=body[0],
            body_zh=body[1],
            link=link,
        )
        if email and user.email:
            jobs.submit(EMAIL_JOB, organisation=organisation, payload={"notification": n.public_id})
    return n


def unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user, public_ids: list[str] | None = None) -> int:
    rows = unread(user)
    if public_ids is not None:
        rows = rows.filter(public_id__in=public_ids)
    return rows.update(read_at=timezone.now())


def add_webhook(
    organisation, url: str, events: list[str] | None = None, created_by=None
) -> Webhook:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidWebhook(
            f"webhook URL must be http(s)://host/...: {url!r}",
            f"Webhook 地址必须是 http(s)://主机/... 形式：{url!r}",
        )
    return Webhook.objects.create(
        organisation=organisation, url=url, events=list(events or []), created_by=created_by
    )


def emit(organisation, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``event`` with ``data`` (JSON) to every active webhook of the organisation
    that subscribed to it. Each delivery is its own job, retried with back-off."""
    from mobsec.platform.jobs import api as jobs

    deliveries = []
    with transaction.atomic():
        for hook in Webhook.objects.filter(organisation=organisation, active=True):
            if not hook.wants(event):
                continue
            d = WebhookDelivery.objects.create(webhook=hook, event=event, payload=data)
            jobs.submit(WEBHOOK_JOB, organisation=organisation, payload={"delivery": d.public_id})
            deliveries.append(d)
    return deliveries
