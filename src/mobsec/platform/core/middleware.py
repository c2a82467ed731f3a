"""Content-Security-Policy on every response: no inline script, nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Pages use only our own static files. Inline styles are allowed for the engine's
# self-contained HTML report (served in a sandboxed iframe without scripts of its own).
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view may set a stricter policy (the report iframe does); keep it.
        response.headers.setdefault("Content-Security-Policy", DEFAULT_POLICY)
        return response


class RejectNulMiddleware:
    """A NUL character in the path or a query parameter can never match anything we store
    (and PostgreSQL refuses it in text): answer 400 instead of reaching a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs
        ):
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": "NUL character in the request", "code": "request.nul",
                 "messages": {"en": "NUL character in the request", "zh-CN": "请求中含有 NUL 字符"}},
                status=400,
            )  # fmt: skip
        return self.get_response(request)
