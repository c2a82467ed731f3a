"""Writing the audit log. Every business action that must be traceable calls ``record``."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent, Organisation


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor=None,
    organisation: Organisation | None = None,
    target: str = "",
    details: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        organisation=organisation,
        target=target[:200],
        details=details or {},
        ip=client_ip(request),
    )
