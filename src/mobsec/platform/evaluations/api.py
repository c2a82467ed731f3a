"""REST API of certificates: the public status of a certificate, for machines (what the
verification page shows people)."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mobsec.certification import certdoc
from mobsec.platform.keys import custody

from . import actions
from .models import Certificate


@extend_schema(
    responses=inline_serializer(
        "CertificateStatus",
        {
            "serial": serializers.CharField(),
            "status": serializers.CharField(help_text="valid, suspended or revoked"),
            "expired": serializers.BooleanField(),
            "status_changed_at": serializers.DateTimeField(allow_null=True),
            "issued_at": serializers.DateTimeField(),
            "valid_until": serializers.DateTimeField(),
            "issuer": serializers.CharField(),
            "key_id": serializers.CharField(),
            "signature_valid": serializers.BooleanField(),
            "certificate": serializers.JSONField(),
        },
    ),
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def certificate_status(request: Request, serial: str) -> Response:
    """A certificate's status (valid, suspended, revoked; expired past its period), its
    signed content and whether the signature holds with the issuer's key. Public."""
    cert = get_object_or_404(Certificate.objects.select_related("organisation"), serial=serial[:40])
    public = custody.public_keys(actions.key_name(cert.organisation)).get(cert.key_id)
    signed = bytes(cert.signed)
    ok = public is not None and certdoc.verify(signed, public).signature_ok
    return Response(
        {
            "serial": cert.serial,
            "status": cert.status,
            "expired": cert.expired,
            "status_changed_at": cert.status_changed_at,
            "issued_at": cert.issued_at,
            "valid_until": cert.valid_until,
            "issuer": cert.organisation.name,
            "key_id": cert.key_id,
            "signature_valid": ok,
            "certificate": json.loads(signed)["certificate"],
        }
    )
