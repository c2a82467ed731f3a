"""Per-organisation quotas, checked when an upload is submitted: uploads per day (UTC) and
stored bytes. Limits live on ``accounts.Organisation`` (0 = unlimited), set by the operator.

Stored bytes are what the package store holds for the organisation; until the registry
installs its own count (``set_stored_bytes``), it is the sum of the organisation's upload
sizes. The organisation row is locked while checking, so concurrent uploads cannot both
slip under the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Sum

from .errors import QuotaExceeded
from .models import Job


def _uploaded_bytes(org) -> int:
    return (
        Job.objects.filter(organisation=org, is_upload=True).aggregate(s=Sum("upload_bytes"))["s"]
        or 0
    )


_stored_bytes: Callable[[object], int] = _uploaded_bytes


def set_stored_bytes(func: Callable[[object], int]) -> None:
    """The registry's exact count of the bytes stored for an organisation."""
    global _stored_bytes
    _stored_bytes = func


def check_upload(org, size: int, now: datetime) -> None:
    """Raise :class:`QuotaExceeded` if ``org`` may not upload ``size`` more bytes now.
    Call inside the transaction that creates the upload (the org row gets locked)."""
    type(org).objects.select_for_update().filter(pk=org.pk).first()
    per_day = org.quota_uploads_per_day
    if per_day:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        used = Job.objects.filter(
            organisation=org, is_upload=True, created_at__gte=midnight
        ).count()
        if used >= per_day:
            raise QuotaExceeded(
                "quota.uploads-per-day",
                f"Upload refused: organisation {org.name} has used its quota of {per_day} uploads "
                f"per day ({used} today). The quota resets at 00:00 UTC; ask the operator to raise it.",
                f"上传被拒绝：组织 {org.name} 已用完每日 {per_day} 次上传的配额（今日已上传 {used} 次）。"
                f"配额于 UTC 0 点重置；如需提高请联系平台运营方。",
                limit=per_day,
                used=used,
            )
    max_bytes = org.quota_stored_bytes
    if max_bytes:
        stored = _stored_bytes(org)
        if stored + size > max_bytes:
            raise QuotaExceeded(
                "quota.stored-bytes",
                f"Upload refused: organisation {org.name} would store {_mb(stored + size)} MB, "
                f"over its storage quota of {_mb(max_bytes)} MB ({_mb(stored)} MB stored now). "
                f"Delete old packages or ask the operator to raise the quota.",
                f"上传被拒绝：组织 {org.name} 的存储将达到 {_mb(stored + size)} MB，超过 "
                f"{_mb(max_bytes)} MB 的存储配额（当前已存储 {_mb(stored)} MB）。请删除旧安装包或联系平台运营方提高配额。",
                limit=max_bytes,
                used=stored,
            )


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f}"
