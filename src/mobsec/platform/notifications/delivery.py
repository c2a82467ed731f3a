"""The jobs that send: e-mail through Django's configured backend, webhooks over HTTP(S).

A webhook that does not answer 2xx raises, so the job system retries it with back-off
(30 s, 1 min, 2 min, ... up to WEBHOOK_ATTEMPTS); each try is recorded on the delivery.
Redirects are not followed: a receiver must answer at the URL it gave.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from mobsec.platform.keys import custody

from . import signing
from .actions import EMAIL_JOB, WEBHOOK_JOB
from .models import Notification, WebhookDelivery

WEBHOOK_ATTEMPTS = 6
WEBHOOK_BACKOFF_S = 30.0
TIMEOUT_S = 10
USER_AGENT = "mobsec-webhook/1"


class WebhookNotDelivered(Exception):
    """The receiver did not take it (yet): retried by the job system."""


def send_email(job, progress) -> dict[str, Any]:
    n = Notification.objects.select_related("user").get(public_id=job.payload["notification"])
    if n.emailed_at is not None:  # a retry after the mail went out: do not send it twice
        return {"sent": False}
    subject = f"{n.title_zh} / {n.title_en}"
    text = f"{n.title_zh}\n\n{n.body_zh}\n\n---\n\n{n.title_en}\n\n{n.body_en}\n"
    if n.link:
        text += f"\n{n.link}\n"
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [n.user.email])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return {"sent": True}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def send_webhook(job, progress) -> dict[str, Any]:
    d = WebhookDelivery.objects.select_related("webhook__organisation").get(
        public_id=job.payload["delivery"]
    )
    if d.state == WebhookDelivery.State.DELIVERED:
        return {"status": d.last_status}
    hook = d.webhook
    body = json.dumps(
        {
            "id": d.public_id,
            "event": d.event,
            "created_at": d.created_at.isoformat(),
            "organisation": hook.organisation.public_id,
            "data": d.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    ts = int(time.time())
    kid, sig = custody.sign("webhooks", signing.signed_bytes(ts, body))
    request = urllib.request.Request(
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Mobsec-Event": d.event,
            "X-Mobsec-Delivery": d.public_id,
            "X-Mobsec-Timestamp": str(ts),
            "X-Mobsec-Signature": signing.hmac_signature(hook.secret, ts, body),
            "X-Mobsec-Signature-Ed25519": f"{kid}:{sig}",
        },
    )
    status, error = None, ""
    try:
        with _opener.open(request, timeout=TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status, error = e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        error = str(getattr(e, "reason", e))[:500]
    delivered = status is not None and 200 <= status < 300
    last_try = job.attempts >= job.max_attempts
    state = (
        WebhookDelivery.State.DELIVERED
        if delivered
        else WebhookDelivery.State.FAILED
        if last_try
        else WebhookDelivery.State.PENDING
    )
    WebhookDelivery.objects.filter(pk=d.pk).update(
        attempts=F("attempts") + 1,
        last_status=status,
        last_error=error,
        state=state,
        delivered_at=timezone.now() if delivered else None,
    )
    if not delivered:
        raise WebhookNotDelivered(f"{hook.url}: {error or status}")
    return {"status": status}


def register_jobs() -> None:
    from mobsec.platform.jobs import api as jobs

    jobs.register(EMAIL_JOB, send_email, max_attempts=5, backoff_seconds=60.0)
    jobs.register(
        WEBHOOK_JOB, send_webhook, max_attempts=WEBHOOK_ATTEMPTS, backoff_seconds=WEBHOOK_BACKOFF_S
    )
