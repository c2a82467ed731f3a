"""REST API of scans, reports, findings, triage, diff and statistics (/api/v1/)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.accounts import audit
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry.models import App, Version
from mobsec.report.baseline import baseline_document
from mobsec.report.diff import diff_reports

from . import actions, queries, reports
from .models import Scan, Triage, TriageEvent
from .serializers import (
    DisputeInputSerializer,
    FindingSerializer,
    ScanSerializer,
    TriageEventSerializer,
    TriageInputSerializer,
    TriageSerializer,
    UploadSerializer,
)

FINDING_PARAMS = [
    OpenApiParameter(name, str, required=False)
    for name in (
        *queries.FILTERS,
        "check_prefix",
        "organisation",
        "app",
        "package_name",
        "cwe",
        "masvs",
        "latest",
    )
]


def visible_app(user, app_id: str) -> App:
    return get_object_or_404(queries.visible_apps(user), public_id=app_id)


def visible_scan(user, scan_id: str) -> Scan:
    return get_object_or_404(
        queries.visible_scans(user).select_related("report", "package", "version__app"),
        public_id=scan_id,
    )


class ScanList(generics.ListAPIView):
    """Scans you can see, newest first; ``POST`` a package (multipart ``file``) to scan it."""

    serializer_class = ScanSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        qs = queries.visible_scans(self.request.user).select_related(
            "organisation", "package", "version__app", "report"
        )
        state = self.request.query_params.get("status")
        if state:
            qs = qs.filter(state=state[:16])
        return qs.order_by("-created_at")

    @extend_schema(request=UploadSerializer, responses={202: ScanSerializer})
    def post(self, request: Request) -> Response:
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        org = actions.upload_organisation(request.user, form.validated_data.get("organisation"))
        scan = actions.submit_upload(
            org,
            request.user,
            form.validated_data["file"],
            {"app_type": form.validated_data.get("app_type")},
            request=request,
        )
        code = (
            status.HTTP_201_CREATED if scan.state == Scan.State.DONE else status.HTTP_202_ACCEPTED
        )
        return Response(ScanSerializer(scan, context={"request": request}).data, status=code)


class ScanDetail(generics.RetrieveAPIView):
    """One scan: ``status`` (queued, running, done, failed, cancelled), progress, error."""

    serializer_class = ScanSerializer

    def get_object(self):
        return visible_scan(self.request.user, self.kwargs["id"])


@extend_schema(
    parameters=[
        OpenApiParameter("format", str, enum=list(reports.EXTENSIONS), required=False),
        OpenApiParameter("lang", str, enum=["zh-CN", "en"], required=False),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
class ScanReport(APIView):
    """The Report JSON document (default), or ``?format=sarif|html|pdf``."""

    def get(self, request: Request, id: str) -> HttpResponse:
        scan = visible_scan(request.user, id)
        if scan.report_id is None:
            raise UserError(
                "report.not_ready", "The scan has no report (yet).", "该检测尚无报告。", status=409
            )
        fmt = request.query_params.get("format", "json")
        if fmt not in reports.EXTENSIONS:
            raise UserError(
                "report.bad_format",
                "format must be json, sarif, html or pdf.",
                "format 必须是 json、sarif、html 或 pdf。",
            )
        lang = request.query_params.get("lang")
        if lang not in (None, "zh-CN", "en"):
            raise UserError(
                "report.bad_lang", "lang must be zh-CN or en.", "lang 必须是 zh-CN 或 en。"
            )
        body = reports.render_scan(scan, fmt, {"en": "en", "zh-CN": "zh-hans"}.get(lang or ""))
        audit.record(
            "download",
            actor=request.user,
            organisation=scan.organisation,
            target=scan.public_id,
            details={"format": fmt},
            request=request,
        )
        response = HttpResponse(body, content_type=reports.CONTENT_TYPES[fmt])
        if fmt == "html":
            response.headers["Content-Security-Policy"] = reports.report_csp()
        if fmt in ("pdf", "html", "sarif"):
            response["Content-Disposition"] = (
                f'attachment; filename="mobsec-{scan.public_id}.{reports.EXTENSIONS[fmt]}"'
            )
        return response


@extend_schema(parameters=FINDING_PARAMS)
class FindingList(generics.ListAPIView):
    """Findings across every app you can see, filtered (e.g. ``?check_id=…&owner_kind=app``)."""

    serializer_class = FindingSerializer

    def get_queryset(self):
        qs = queries.filter_findings(
            queries.visible_findings(self.request.user), self.request.query_params
        )
        return qs.select_related("app", "version", "organisation").order_by("-id")


@extend_schema(parameters=FINDING_PARAMS)
class AppFindingList(FindingList):
    """Findings of one app (all versions unless ``?version=`` names one)."""

    def get_queryset(self):
        app = visible_app(self.request.user, self.kwargs["id"])
        qs = super().get_queryset().filter(app=app)
        version = self.request.query_params.get("version")
        if version:
            qs = qs.filter(version__public_id=version[:40])
        return qs


class _FindingAction(APIView):
    def _app(self, request, id: str) -> App:
        return visible_app(request.user, id)


class TriageFinding(_FindingAction):
    """Set a finding's status (open, confirmed, false_positive, accepted_risk, fixed) with a
    mandatory reason; it carries over to later versions by fingerprint."""

    @extend_schema(request=TriageInputSerializer, responses=TriageSerializer)
    def post(self, request: Request, id: str, fingerprint: str) -> Response:
        app = self._app(request, id)
        data = TriageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        t = actions.set_status(
            request.user,
            app,
            fingerprint,
            data.validated_data["status"],
            data.validated_data["reason"],
            request=request,
        )
        return Response(TriageSerializer(t).data)


class DisputeFinding(_FindingAction):
    """A vendor disputes a finding of its app, with a reason."""

    @extend_schema(request=DisputeInputSerializer, responses=TriageSerializer)
    def post(self, request: Request, id: str, fingerprint: str) -> Response:
        app = self._app(request, id)
        data = DisputeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        t = actions.dispute(
            request.user, app, fingerprint, data.validated_data["reason"], request=request
        )
        return Response(TriageSerializer(t).data)


class AppTriageList(generics.ListAPIView):
    """The current decisions on an app's findings."""

    serializer_class = TriageSerializer

    def get_queryset(self):
        app = visible_app(self.request.user, self.kwargs["id"])
        return Triage.objects.filter(app=app).select_related("decided_by").order_by("fingerprint")


class AppTriageEvents(generics.ListAPIView):
    """The audit trail of triage on an app: every status change and dispute."""

    serializer_class = TriageEventSerializer

    def get_queryset(self):
        app = visible_app(self.request.user, self.kwargs["id"])
        return TriageEvent.objects.filter(app=app).select_related("actor")


@extend_schema(responses=OpenApiTypes.OBJECT)
class AppSuppressions(APIView):
    """The app's decisions as the CLI's suppressions file (``mobsec scan --suppressions``)."""

    def get(self, request: Request, id: str) -> Response:
        app = visible_app(request.user, id)
        audit.record(
            "download",
            actor=request.user,
            organisation=app.organisation,
            target=app.public_id,
            details={"format": "suppressions"},
            request=request,
        )
        return Response(actions.suppressions_document([app]))


@extend_schema(responses=OpenApiTypes.OBJECT)
class AppBaseline(APIView):
    """The CLI's baseline file (``mobsec scan --baseline``) from the app's latest version."""

    def get(self, request: Request, id: str) -> Response:
        app = visible_app(request.user, id)
        scan = (
            Scan.objects.filter(version__app=app, state=Scan.State.DONE)
            .select_related("report", "version")
            .order_by("-version__uploaded_at", "-created_at")
            .first()
        )
        if scan is None:
            raise UserError(
                "report.not_ready",
                "The app has no finished scan.",
                "该应用尚无完成的检测。",
                status=409,
            )
        audit.record(
            "download",
            actor=request.user,
            organisation=app.organisation,
            target=app.public_id,
            details={"format": "baseline"},
            request=request,
        )
        return Response(baseline_document(reports.document_for(scan)))


def version_report(app: App, version_id: str) -> dict:
    version = get_object_or_404(Version, app=app, public_id=version_id)
    scan = (
        Scan.objects.filter(version=version, state=Scan.State.DONE)
        .select_related("report")
        .order_by("-created_at")
        .first()
    )
    if scan is None:
        raise UserError(
            "report.not_ready",
            "The version has no finished scan.",
            "该版本尚无完成的检测。",
            status=409,
        )
    return scan.report.document


def diff_versions(app: App, old: str, new: str) -> dict:
    if not old or not new:
        raise UserError(
            "diff.versions",
            "Give two versions: ?old=ID&new=ID.",
            "请指定两个版本：?old=ID&new=ID。",
        )
    return diff_reports(version_report(app, old[:40]), version_report(app, new[:40]))


@extend_schema(
    parameters=[OpenApiParameter("old", str), OpenApiParameter("new", str)],
    responses=OpenApiTypes.OBJECT,
)
class AppDiff(APIView):
    """Two versions compared: findings new/fixed/unchanged; permission, SDK, certificate and
    exported-component changes (the engine's ``mobsec diff``)."""

    def get(self, request: Request, id: str) -> Response:
        app = visible_app(request.user, id)
        return Response(
            diff_versions(
                app, request.query_params.get("old", ""), request.query_params.get("new", "")
            )
        )


class StatisticsSerializer(serializers.Serializer):
    apps = serializers.IntegerField()
    findings = serializers.IntegerField()
    by_severity = serializers.DictField(child=serializers.IntegerField())
    by_check = serializers.ListField(child=serializers.DictField())
    by_sdk = serializers.ListField(child=serializers.DictField())
    by_organisation = serializers.ListField(child=serializers.DictField())
    by_month = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=FINDING_PARAMS, responses=StatisticsSerializer)
class Statistics(APIView):
    """Finding counts by severity, check, SDK, organisation and month (your reach)."""

    def get(self, request: Request) -> Response:
        return Response(queries.statistics(request.user, request.query_params))
