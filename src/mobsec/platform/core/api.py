"""API plumbing shared by the apps: the error format (en + zh-CN) and the health probe."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import UserError


def exception_handler(exc, context):
    """DRF's handler plus a stable ``code``; messages follow the request's language
    (Accept-Language or the language cookie: zh-Hans by default, en)."""
    if isinstance(exc, UserError):
        return Response(exc.to_json(), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", "error"))
    return response


@extend_schema(
    responses=inline_serializer(
        "Health", {"status": serializers.CharField(), "database": serializers.CharField()}
    ),
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def health(request: Request) -> Response:
    """Liveness and database reachability; no authentication, no data."""
    try:
        with connection.cursor() as c:
            c.execute("SELECT 1")
        db = "ok"
    except Exception:  # noqa: BLE001 - a probe reports, it does not raise
        db = "unavailable"
    return Response(
        {"status": "ok" if db == "ok" else "degraded", "database": db},
        status=200 if db == "ok" else 503,
    )
