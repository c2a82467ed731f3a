"""REST API of the registry: apps and their versions, organisations you can see."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from mobsec.platform.accounts import access, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.scans import queries

from .serializers import AppDetailSerializer, AppSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("package_name", str, required=False),
        OpenApiParameter("organisation", str, required=False),
        OpenApiParameter("sdk_id", str, required=False, description="apps embedding this SDK"),
        OpenApiParameter("check_id", str, required=False, description="apps with this finding"),
        OpenApiParameter(
            "owner_kind",
            str,
            required=False,
            description="with check_id: where the code is (app, sdk, ...)",
        ),
        OpenApiParameter("signer_conflict", bool, required=False),
    ]
)
class AppList(generics.ListAPIView):
    """Apps you can see, most recently updated first."""

    serializer_class = AppSerializer

    def get_queryset(self):
        p = self.request.query_params
        qs = queries.visible_apps(self.request.user).select_related("organisation", "owner")
        if p.get("package_name"):
            qs = qs.filter(package_name=p["package_name"][:255])
        if p.get("organisation"):
            qs = qs.filter(organisation__public_id=p["organisation"][:40])
        if p.get("signer_conflict") in ("1", "true"):
            qs = qs.filter(signer_conflict=True)
        f = {}
        if p.get("sdk_id"):
            f["sdk_id"] = p["sdk_id"][:64]
        if p.get("check_id"):
            f["check_id"] = p["check_id"][:120]
            if p.get("owner_kind"):
                f["owner_kind"] = p["owner_kind"][:24]
        if f:
            qs = qs.filter(
                pk__in=queries.visible_findings(self.request.user).filter(**f).values("app_id")
            )
        return qs.order_by("-updated_at", "-id")


class AppDetail(generics.RetrieveAPIView):
    """One app with its versions."""

    serializer_class = AppDetailSerializer

    def get_object(self):
        return get_object_or_404(
            queries.visible_apps(self.request.user).prefetch_related(
                "versions__package", "versions__uploaded_by"
            ),
            public_id=self.kwargs["id"],
        )


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")

    class Meta:
        model = Organisation
        fields = ["id", "name", "quota_uploads_per_day", "quota_stored_bytes"]


class OrganisationList(generics.ListAPIView):
    """Organisations whose data you can read."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return access.organisations(self.request.user, roles.VIEW).order_by("name")


class OwnerInputSerializer(serializers.Serializer):
    owner = serializers.CharField(allow_blank=True, max_length=40,
                                  help_text="vendor organisation id; empty to clear")  # fmt: skip


class AppOwner(generics.GenericAPIView):
    """Set the vendor organisation that owns the app (organisation administrators)."""

    serializer_class = OwnerInputSerializer

    @extend_schema(request=OwnerInputSerializer, responses=AppSerializer)
    def post(self, request, id: str):
        from mobsec.platform.core.errors import UserError

        from . import actions

        app = get_object_or_404(queries.visible_apps(request.user), public_id=id)
        data = OwnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        owner = None
        if data.validated_data["owner"]:
            owner = Organisation.objects.filter(public_id=data.validated_data["owner"]).first()
            if owner is None:
                raise UserError("not_found", "No such organisation.", "没有该组织。", status=404)
        return Response(AppSerializer(actions.set_owner(request.user, app, owner, request)).data)
