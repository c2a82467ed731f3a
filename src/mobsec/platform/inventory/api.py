"""REST API of the inventory (/api/v1/inventory/...)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.core.errors import UserError
from mobsec.platform.scans import queries

from . import actions
from .models import VersionInventory


def visible_inventory(user, version_id: str) -> VersionInventory:
    return get_object_or_404(
        VersionInventory.objects.filter(app__in=queries.visible_apps(user)).select_related(
            "version", "app"
        ),
        version__public_id=version_id[:40],
    )


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=list(actions.KINDS)),
        OpenApiParameter(
            "value",
            str,
            description="SDK id or group:artifact, Class.method, "
            "library file name or SHA-256, host",
        ),
        OpenApiParameter("below", str, required=False, description="sdk: versions below"),
        OpenApiParameter("scope", str, required=False, enum=["latest", "any"]),
        OpenApiParameter("include_unknown", bool, required=False),
        OpenApiParameter("page", int, required=False),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
class Affected(APIView):
    """Which app versions you can see contain SDK X below version V, call API Y, load native
    library Z or talk to host H: answered from the stored inventory, with evidence."""

    def get(self, request):
        q = actions.Query.from_params(request.query_params)
        page = request.query_params.get("page") or "1"
        return Response(actions.result_rows(request.user, q, int(page) if page.isdigit() else 1))


class VersionInventoryDetail(APIView):
    """One version's stored inventory."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        inv = visible_inventory(request.user, id)
        return Response(
            {"version": inv.version.public_id, "latest": inv.latest, "inventory": inv.document}
        )


class VersionSbom(APIView):
    """One version's CycloneDX 1.6 SBOM, rendered from its stored report."""

    @extend_schema(responses={(200, "application/vnd.cyclonedx+json"): OpenApiTypes.BINARY})
    def get(self, request, id: str):
        from mobsec.platform.scans.models import Report
        from mobsec.report.render import RenderError, render

        inv = visible_inventory(request.user, id)
        report = Report.objects.filter(package_id=inv.version.package_id).order_by("-id").first()
        if report is None:
            raise UserError("inventory.no_report", "No report for this version", "该版本没有报告",
                            status=404)  # fmt: skip
        try:
            data = render(report.document, "cyclonedx")
        except RenderError as e:
            raise UserError("inventory.no_sbom", str(e), str(e), status=409) from e
        response = HttpResponse(data, content_type="application/vnd.cyclonedx+json")
        name = f"{inv.app.package_name}-{inv.version.public_id}.cdx.json"
        response["Content-Disposition"] = f'attachment; filename="{_safe(name)}"'
        return response


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:150]
