"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    return {
        "platform_name": settings.PLATFORM_NAME,
        "public_upload_enabled": settings.MOBSEC_PUBLIC_UPLOAD,
    }
