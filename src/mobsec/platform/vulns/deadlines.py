"""The periodic sweep (jobs.periodic, ``vulns.deadlines``): reminders before a vendor's
deadline and escalation once it has passed; safe to run twice at once (each step is a
conditional update, so a reminder is sent once)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import conf
from .machine import State
from .models import Vulnerability

WITH_VENDOR = (State.VENDOR_NOTIFIED, State.FIXING)


def every_seconds() -> float:
    return conf.sweep_seconds()


def sweep(now: datetime | None = None) -> dict[str, list[str]]:
    """Remind and escalate what is due at ``now``; returns the case ids touched."""
    from . import actions

    now = now or timezone.now()
    done: dict[str, list[str]] = {"reminded": [], "escalated": []}
    due_soon = Vulnerability.objects.filter(
        state__in=WITH_VENDOR, due_at__isnull=False, reminded_at__isnull=True,
        due_at__lte=now + conf.remind_before(), due_at__gt=now,
    )  # fmt: skip
    for vuln in due_soon:
        with transaction.atomic():
            if not Vulnerability.objects.filter(pk=vuln.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another sweep got it
            vuln.refresh_from_db()
            actions._step(vuln, None, "remind", now, part="system",
                          details={"due_at": vuln.due_at.isoformat()})  # fmt: skip
            actions._notify(vuln, actions.vendor_members(vuln), "vuln.deadline",
                            (f"{vuln.public_id}: the deadline is {vuln.due_at:%Y-%m-%d}",
                             f"{vuln.public_id}：处置期限为 {vuln.due_at:%Y-%m-%d}"),
                            email=True)  # fmt: skip
        done["reminded"].append(vuln.public_id)
    overdue = Vulnerability.objects.filter(
        state__in=WITH_VENDOR, due_at__lte=now, escalated_at__isnull=True
    )
    for vuln in overdue:
        with transaction.atomic():
            if not Vulnerability.objects.filter(pk=vuln.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            vuln.refresh_from_db()
            actions._step(vuln, None, "escalate", now, part="system",
                          details={"due_at": vuln.due_at.isoformat()})  # fmt: skip
            title = (f"{vuln.public_id}: the vendor's deadline has passed",
                     f"{vuln.public_id}：厂商处置期限已过")  # fmt: skip
            actions._notify_desk(vuln, "vuln.escalated", title, email=True)
            actions._notify(vuln, actions.vendor_members(vuln), "vuln.escalated", title,
                            email=True)  # fmt: skip
        done["escalated"].append(vuln.public_id)
    return done
