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
