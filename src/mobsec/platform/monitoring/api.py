"""REST API of channel monitoring (/api/v1/monitoring/...)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.core.errors import UserError
from mobsec.platform.scans import queries

from . import actions, official
from .models import Candidate, Source
from .serializers import (
    CandidateDetailSerializer,
    CandidateSerializer,
    CandidateUploadSerializer,
    OfficialAppSerializer,
    OfficialInputSerializer,
    PollSerializer,
    SourceInputSerializer,
    SourceSerializer,
)


def visible_candidate(user, candidate_id: str) -> Candidate:
    return get_object_or_404(
        actions.visible_candidates(user).select_related("organisation", "package", "source"),
        public_id=candidate_id,
    )


@extend_schema(parameters=[OpenApiParameter("verdict", str, required=False)])
class CandidateList(generics.ListAPIView):
    """Candidates you can see, newest first; ``POST`` a package (multipart ``file``, with
    the store listing fields) to compare it with the registry in a job."""

    serializer_class = CandidateSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        qs = actions.visible_candidates(self.request.user).select_related(
            "organisation", "package", "source"
        )
        if self.request.query_params.get("verdict"):
            qs = qs.filter(verdict=self.request.query_params["verdict"][:16])
        return qs.order_by("-created_at", "-id")

    @extend_schema(request=CandidateUploadSerializer, responses={202: CandidateSerializer})
    def post(self, request):
        form = CandidateUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        org = actions.monitoring_organisation(request.user, data.get("organisation"), roles.UPLOAD)
        candidate = actions.submit_upload(org, request.user, data["file"], data,
                                          origin=Candidate.Origin.API, request=request)  # fmt: skip
        return Response(CandidateSerializer(candidate).data, status=status.HTTP_202_ACCEPTED)


class CandidateDetail(APIView):
    """One candidate with the verdicts you may see (evidence tables included)."""

    @extend_schema(responses=CandidateDetailSerializer)
    def get(self, request, id: str):
        c = visible_candidate(request.user, id)
        verdicts = list(actions.visible_verdicts(request.user, c))
        return Response(CandidateDetailSerializer(c, context={"verdicts": verdicts}).data)


@extend_schema(
    parameters=[
        OpenApiParameter("lang", str, enum=list(actions.TAKEDOWN_LANGS)),
        OpenApiParameter("fmt", str, enum=list(actions.TAKEDOWN_FORMATS)),
    ],
    responses={(200, "text/html"): OpenApiTypes.STR, (200, "application/pdf"): OpenApiTypes.BINARY},
)
class Takedown(APIView):
    """The takedown report of a verdict (repackaged or counterfeit), addressed to the channel."""

    def get(self, request, id: str, verdict: str):
        return takedown_response(request, id, verdict, request.query_params.get("lang", "zh-CN"),
                                 request.query_params.get("fmt", "html"))  # fmt: skip


def takedown_response(request, candidate_id: str, verdict_id: str, lang: str, fmt: str):
    c = visible_candidate(request.user, candidate_id)
    v = get_object_or_404(actions.visible_verdicts(request.user, c), public_id=verdict_id)
    body = actions.takedown(v, lang, fmt)
    audit.record("download", actor=request.user, organisation=v.app.organisation,
                 target=v.public_id, details={"format": f"takedown-{lang}.{fmt}"}, request=request)  # fmt: skip
    response = HttpResponse(body, content_type=actions.TAKEDOWN_FORMATS[fmt])
    name = f"takedown-{c.public_id}-{lang}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class OfficialAppList(generics.ListAPIView):
    """The official apps you can see (the genuine-app registry)."""

    serializer_class = OfficialAppSerializer

    def get_queryset(self):
        return (
            actions.official_apps(self.request.user)
            .select_related("organisation")
            .order_by("package_name", "id")
        )


class AppOfficial(APIView):
    """Mark an app official (or not), with its names, channels and certificates
    (organisation administrators)."""

    @extend_schema(request=OfficialInputSerializer, responses=OfficialAppSerializer)
    def post(self, request, id: str):
        app = get_object_or_404(queries.visible_apps(request.user), public_id=id)
        form = OfficialInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        app = official.set_official(request.user, app, official=d["official"],
                                    name_zh=d.get("name_zh"), name_en=d.get("name_en"),
                                    channels=d.get("channels"), certificates=d.get("certificates"),
                                    request=request)  # fmt: skip
        return Response(OfficialAppSerializer(app).data)


class SourceList(generics.ListAPIView):
    """Sources (watched folders, channel adapters) of your organisations; ``POST`` one
    (organisation administrators; the directory must be inside MOBSEC_MONITORING_ROOTS)."""

    serializer_class = SourceSerializer

    def get_queryset(self):
        orgs = access.organisations(self.request.user, roles.VIEW)
        return Source.objects.filter(organisation__in=orgs).select_related("organisation")

    @extend_schema(request=SourceInputSerializer, responses={201: SourceSerializer})
    def post(self, request):
        form = SourceInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        org = actions.monitoring_organisation(request.user, d.get("organisation"), roles.MANAGE)
        source = actions.create_source(request.user, org, kind=d["kind"],
                                       adapter=d.get("adapter", ""), name=d["name"],
                                       path=d["path"], contact=d.get("contact", ""),
                                       request=request)  # fmt: skip
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)


class SourcePoll(APIView):
    """Poll the source now (a job; organisation administrators)."""

    @extend_schema(request=None, responses={202: PollSerializer})
    def post(self, request, id: str):
        source = get_object_or_404(
            Source.objects.filter(organisation__in=access.organisations(request.user, roles.VIEW)),
            public_id=id,
        )
        if not access.can(request.user, roles.MANAGE, organisation=source.organisation):
            raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)
        job = actions.poll(source, request.user)
        return Response({"job": job.public_id}, status=status.HTTP_202_ACCEPTED)
