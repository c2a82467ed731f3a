"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    can_manage = False
    if request.user.is_authenticated:
        from mobsec.platform.accounts import access, roles

        can_manage = access.organisations(request.user, roles.MANAGE).exists()
    return {
        "can_manage": can_manage,
        "platform_name": settings.PLATFORM_NAME,
        "public_upload_enabled": settings.MOBSEC_PUBLIC_UPLOAD,
    }
