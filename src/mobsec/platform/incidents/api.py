"""REST API of incidents (/api/v1/incidents/...): the same actions as the pages."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.core.errors import UserError

from . import actions, bulletins, notices, packs, report, serializers


def _body(request):
    data = request.data
    if not hasattr(data, "get"):
        raise UserError("incident.bad_body", "The body must be a JSON object or a form.",
                        "请求体必须是 JSON 对象或表单。")  # fmt: skip
    return data


class IncidentList(APIView):
    """Incidents (incident coordinators, platform administrators, regulators); POST creates
    one from an external advisory, or from a case you coordinate (``vulnerability``)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="v1_incidents_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not actions.can_read(request.user):
            raise actions.forbidden()
        rows = actions.visible(request.user).select_related("created_by", "vulnerability")[:200]
        return Response({"results": [serializers.incident(i) for i in rows]})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _body(request)
        vuln = data.get("vulnerability")
        incident = actions.create(request.user, data, request=request,
                                  vulnerability=vuln if isinstance(vuln, str) else "")  # fmt: skip
        return Response(serializers.incident(incident, full=True), status=status.HTTP_201_CREATED)


class IncidentDetail(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        return Response(serializers.incident(actions.get(request.user, id), full=True))


class IncidentQueries(APIView):
    """The affected-scope query (the inventory's parameters), kept as a snapshot."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        incident = actions.get(request.user, id)
        return Response({"results": [serializers.snapshot(s, results=True)
                                     for s in incident.snapshots.all()[:20]]})  # fmt: skip

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, id: str):
        incident = actions.get(request.user, id)
        snap = actions.run_query(incident, request.user, _body(request))
        return Response(serializers.snapshot(snap, results=True), status=201)


class IncidentPacks(APIView):
    """The incident's rule packs; POST a signed pack as a ZIP (multipart ``file``)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        incident = actions.get(request.user, id)
        return Response({"results": [serializers.pack(p) for p in incident.packs.all()]})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, id: str):
        incident = actions.get(request.user, id)
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        return Response(serializers.pack(actions.attach_pack(incident, request.user, upload)),
                        status=201)  # fmt: skip


class PackPublish(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, id: str, pack: str):
        incident = actions.get(request.user, id)
        return Response(serializers.pack(actions.publish_pack(incident, request.user, pack)))


class ReleasedPacks(APIView):
    """Rule packs released to the testing organisations."""

    @extend_schema(
        operation_id="v1_incidents_released_packs_list", responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        if not actions.can_download_packs(request.user):
            raise actions.forbidden()
        return Response({"results": [serializers.pack(p)
                                     for p in actions.released_packs(request.user)[:200]]})  # fmt: skip


class PackDownload(APIView):
    """The signed pack as uploaded (a ZIP): verify it with ``mobsec rules verify``."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, pack: str):
        row = actions.downloadable_pack(request.user, pack)
        name = "".join(c if c.isalnum() or c in "._-" else "_"
                       for c in f"{row.pack_id}-{row.version}.zip")[:150]  # fmt: skip
        response = FileResponse(packs.archive_path(row.sha256).open("rb"), as_attachment=True,
                                filename=name, content_type="application/zip")  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response


class IncidentRescans(APIView):
    """Fleet re-scans of the incident; POST ``{"pack": id, "scope": "all"|"affected"}``."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="v1_incidents_rescans_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        incident = actions.get(request.user, id)
        from . import fleet

        return Response({"results": [fleet.status(r)
                                     for r in incident.rescans.select_related("pack")[:50]]})  # fmt: skip

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, id: str):
        from . import fleet

        incident = actions.get(request.user, id)
        data = _body(request)
        rescan = actions.start_rescan(incident, request.user, str(data.get("scope") or "all"),
                                      str(data.get("pack") or ""))  # fmt: skip
        return Response(fleet.status(rescan), status=201)


class RescanDetail(APIView):
    """Progress, throughput and ETA of one re-scan, and the affected apps with evidence."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str, rescan: str):
        from . import fleet

        incident = actions.get(request.user, id)
        r = actions.get_rescan(incident, rescan)
        return Response({**fleet.status(r), "affected_apps": actions.affected_list(r)})


class IncidentCases(APIView):
    """Vendor notices through the vulnerability life cycle. GET: fix progress per vendor.
    POST ``{"step": "open", "rescan": id, "verifier": username}`` | ``{"step": "confirm"}``
    (the verifier) | ``{"step": "notify"}``."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, id: str):
        incident = actions.get(request.user, id)
        return Response({"vendors": notices.progress(incident)})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, id: str):
        incident = actions.get(request.user, id)
        data = _body(request)
        step = data.get("step")
        if step == "open":
            rescan = actions.get_rescan(incident, str(data.get("rescan") or ""))
            return Response(notices.open_cases(incident, request.user, rescan,
                                               str(data.get("verifier") or ""), request))  # fmt: skip
        if step == "confirm":
            return Response(notices.confirm_cases(incident, request.user, request))
        if step == "notify":
            return Response(notices.notify_vendors(incident, request.user, request))
        raise UserError("incident.bad_step", "step: open, confirm or notify.",
                        "step 须为 open、confirm 或 notify。")  # fmt: skip


class IncidentReport(APIView):
    """The regulator's report: ``?lang=zh-CN|en&fmt=html|pdf``."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, id: str):
        incident = actions.get(request.user, id)
        return report.response(incident, request.query_params.get("lang") or "zh-CN",
                               request.query_params.get("fmt") or "html")  # fmt: skip


class IncidentBulletin(APIView):
    """Publish the public bulletin (``title_en``, ``title_zh``, ``body_en``, ``body_zh``);
    refused with the guards' reasons (409) while any case may not be published."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, id: str):
        incident = actions.get(request.user, id)
        b = bulletins.publish(incident, request.user, _body(request), request=request)
        return Response({"id": b.public_id, "published_at": b.published_at,
                         "url": bulletins.url(b)}, status=201)  # fmt: skip
