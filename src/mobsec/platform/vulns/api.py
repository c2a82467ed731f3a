"""REST API of the vulnerability desk (/api/v1/vulns/...): the same actions as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.accounts import access as accounts_access

from . import access, actions, attachments, commands, guards, roles
from .models import Transition
from .serializers import (
    SubmissionSerializer,
    TransitionSerializer,
    VulnerabilityListSerializer,
    VulnerabilitySerializer,
)

FIELDS = tuple(actions.Submission.__dataclass_fields__)


def body(request):
    """The request body as a mapping (a JSON list or string is refused, not a 500)."""
    data = request.data
    if not hasattr(data, "get"):
        raise actions.UserError("vulns.bad_body", "The body must be a JSON object or a form.",
                                "请求体必须是 JSON 对象或表单。")  # fmt: skip
    return data


def reporting_organisation(user, public_id: str):
    """The organisation a report is made for (the reporter's, when named)."""
    if not public_id:
        return None
    org = accounts_access.organisations(user, roles.REPORT).filter(public_id=public_id).first()
    if org is None:
        raise actions.forbidden()
    return org


class VulnList(generics.ListAPIView):
    """The cases you are on (reporters: their own; vendors: their products'); POST reports."""

    serializer_class = VulnerabilityListSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return access.visible(self.request.user).order_by("-received_at")

    @extend_schema(request=SubmissionSerializer, responses={201: VulnerabilitySerializer})
    def post(self, request):
        raw = body(request)
        data = {k: raw.get(k) for k in FIELDS if k in raw and k != "contact"}
        org = reporting_organisation(request.user, str(raw.get("organisation") or ""))
        files = request.FILES.getlist("file") if hasattr(request, "FILES") else []
        vuln, _, entry = actions.submit(actions.Submission.from_dict(data), files,
                                        reporter=request.user, organisation=org,
                                        channel="api", request=request)  # fmt: skip
        answer = VulnerabilitySerializer(vuln, context={"request": request}).data
        answer["acknowledgement"] = entry.acknowledgement
        return Response(answer, status=status.HTTP_201_CREATED)


class VulnDetail(APIView):
    @extend_schema(responses=VulnerabilitySerializer)
    def get(self, request, id: str):
        vuln = actions.open_case(id, request.user, request)
        return Response(VulnerabilitySerializer(vuln, context={"request": request}).data)


class VulnTransitions(generics.ListAPIView):
    """The case's audit trail."""

    serializer_class = TransitionSerializer

    def get_queryset(self):
        vuln = actions.open_case(self.kwargs["id"], self.request.user, self.request)
        return Transition.objects.filter(vulnerability=vuln).select_related("actor")


class VulnAction(APIView):
    """Take an action on the case: ``triage``, ``assign``, ``record_verification``,
    ``confirm``, ``notify_vendor``, ``acknowledge``, ``dispute``, ``request_extension``,
    ``grant_extension``, ``report_fix``, ``mark_fixed``, ``national_report``, ... (docs/vulns.md)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=inline_serializer("VulnActionBody", {
        "reason": serializers.CharField(required=False)}), responses=VulnerabilitySerializer)  # fmt: skip
    def post(self, request, id: str, action: str):
        vuln = actions.open_case(id, request.user, request)
        commands.run(action, vuln, request.user, body(request), request)
        vuln.refresh_from_db()
        return Response(VulnerabilitySerializer(vuln, context={"request": request}).data)


class VulnFixUpload(APIView):
    """The vendor uploads the fixed version (multipart ``file``): re-scanned against the
    evidence."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": inline_serializer(
        "FixUpload", {"file": serializers.FileField()})},
        responses={202: inline_serializer("FixCheck", {"id": serializers.CharField(),
                                                       "scan": serializers.CharField(),
                                                       "result": serializers.CharField()})})  # fmt: skip
    def post(self, request, id: str):
        vuln = actions.open_case(id, request.user, request)
        upload = request.FILES.get("file")
        if upload is None:
            raise actions.UserError("vulns.file_required", "Send the package as 'file'.",
                                    "请以 file 字段上传安装包。")  # fmt: skip
        check = actions.upload_fix(vuln, request.user, upload, request=request)
        return Response({"id": check.public_id, "scan": check.scan.public_id,
                         "result": check.result}, status=status.HTTP_202_ACCEPTED)  # fmt: skip


class VulnAttachment(APIView):
    """An attachment's bytes: always a download (never inline)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, id: str, attachment: str) -> HttpResponse:
        vuln = actions.open_case(id, request.user, request)
        a = vuln.attachments.filter(public_id=attachment[:32]).first()
        if a is None:
            raise actions.not_found()
        actions.audit.record("vuln.attachment", actor=request.user, target=a.public_id,
                             request=request)  # fmt: skip
        return attachments.download(a)


class VulnPublication(APIView):
    """Whether the case may be published now, and why not (the guards' reasons)."""

    @extend_schema(responses=inline_serializer("PublicationBlockers", {
        "publishable": serializers.BooleanField(),
        "reasons": serializers.ListField(child=serializers.DictField())}))  # fmt: skip
    def get(self, request, id: str):
        from django.utils import timezone

        vuln = actions.open_case(id, request.user, request)
        reasons = guards.publication_blockers(vuln, timezone.now())
        return Response({"publishable": not reasons, "reasons": [r.to_json() for r in reasons]})


class VulnNationalReport(APIView):
    """The latest report document for the national platform (art. 7)."""

    @extend_schema(responses=inline_serializer("NationalReport", {
        "document": serializers.DictField(), "at": serializers.DateTimeField(),
        "within_deadline": serializers.BooleanField()}))  # fmt: skip
    def get(self, request, id: str):
        vuln = actions.open_case(id, request.user, request)
        report = vuln.national_reports.order_by("-at").first()
        if report is None:
            raise actions.not_found()
        return Response({"document": report.document, "at": report.at,
                         "within_deadline": report.within_deadline})  # fmt: skip


class VulnImport(APIView):
    """Batch import for a partner organisation: multipart ``file`` (.json or .csv),
    ``organisation`` (id), ``format`` (json|csv)."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": inline_serializer("VulnImport", {
        "file": serializers.FileField(), "organisation": serializers.CharField(),
        "format": serializers.ChoiceField(["json", "csv"])})},
        responses=inline_serializer("VulnImportResult", {
            "rows": serializers.ListField(child=serializers.DictField())}))  # fmt: skip
    def post(self, request):
        from mobsec.platform.accounts.models import Organisation

        from . import batch

        upload = request.FILES.get("file")
        org = Organisation.objects.filter(
            public_id=str(request.data.get("organisation") or "")[:32]).first()  # fmt: skip
        if upload is None or org is None:
            raise actions.UserError("vulns.bad_batch", "Send 'file' and 'organisation'.",
                                    "请提供 file 与 organisation。")  # fmt: skip
        raw = upload.read(batch.MAX_BYTES + 1)
        fmt = str(request.data.get("format") or upload.name.rsplit(".", 1)[-1]).lower()
        rows = actions.import_batch(request.user, org, raw, fmt, request=request)
        return Response({"rows": rows})


class VulnFollow(APIView):
    """Anonymous reporters: the state of their report, with the follow-up token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=inline_serializer("FollowUp", {"token": serializers.CharField()}),
                   responses=inline_serializer("FollowUpState", {
                       "id": serializers.CharField(), "state": serializers.CharField()}),
                   auth=[], parameters=[OpenApiParameter("token", str, required=False)])  # fmt: skip
    def post(self, request):
        vuln = actions.find_by_token(str(body(request).get("token") or ""))
        if vuln is None:
            raise actions.not_found()
        return Response({"id": vuln.public_id, "state": vuln.state})
