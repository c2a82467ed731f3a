"""Two-factor gate: an account that must use TOTP (``totp.needs_two_factor``) reaches
nothing but the code page, log-out and the language switch until it has passed it in this
session. API calls with the session get 403; API tokens are created only on pages behind
this gate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from . import totp

OPEN_PREFIXES = ("/static/", "/i18n/", "/api/health/", "/accounts/login/", "/accounts/logout/")


class TwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and request.path != reverse("vulns:two-factor")
            and not totp.passed(request)
            and totp.needs_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor login required.", "code": "auth.two_factor",
                     "messages": {"en": "Two-factor login required.",
                                  "zh-CN": "需要完成双因素登录。"}},
                    status=403,
                )  # fmt: skip
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('vulns:two-factor')}?{query}")
        return self.get_response(request)
