"""The CI endpoint: upload a build, poll, get SARIF and pass/fail against a baseline.

A finding fails the build when it is at or above ``fail_on``, not in the baseline file sent
with the upload, and not accepted by the organisation's triage (false positive / accepted
risk): the same rule as ``mobsec scan --fail-on --baseline --suppressions``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mobsec.platform.accounts import audit
from mobsec.platform.core.errors import UserError
from mobsec.report.baseline import BASELINE_FORMAT, MAX_ENTRIES, Baseline
from mobsec.report.render import render

from . import actions, queries, reports
from .models import SEVERITIES, CiRun, Scan
from .serializers import ScanSerializer
from .status import live_status

MAX_BASELINE_BYTES = 32 << 20


class CiUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the app package (APK)")
    baseline = serializers.FileField(required=False, help_text="a `mobsec baseline` file")
    fail_on = serializers.ChoiceField(choices=SEVERITIES, default="high")
    organisation = serializers.CharField(required=False)
    app_type = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CiResultSerializer(serializers.Serializer):
    id = serializers.CharField()
    scan = ScanSerializer()
    result = serializers.ChoiceField(choices=["pending", "pass", "fail", "error"])
    fail_on = serializers.CharField()
    failing = serializers.ListField(child=serializers.DictField())
    counts = serializers.DictField(child=serializers.IntegerField())
    sarif_url = serializers.CharField(allow_null=True)


def _baseline_fingerprints(upload) -> list[str]:
    if upload is None:
        return []
    bad = UserError(
        "ci.bad_baseline",
        f"{upload.name!r} is not a mobsec baseline file (make one with `mobsec baseline`).",
        f"{upload.name!r} 不是 mobsec 基线文件（请用 `mobsec baseline` 生成）。",
    )
    if upload.size > MAX_BASELINE_BYTES:
        raise bad
    try:
        doc = json.loads(upload.read())
    except (ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(doc, dict) or doc.get("mobsec_baseline") != BASELINE_FORMAT:
        raise bad
    entries = doc.get("findings")
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise bad
    fps = [e.get("fingerprint") for e in entries if isinstance(e, dict)]
    if not all(isinstance(fp, str) and len(fp) <= 64 for fp in fps):
        raise bad
    return sorted(set(fps))


def verdict(run: CiRun, request=None) -> dict[str, Any]:
    scan = run.scan
    live = live_status(scan)
    out: dict[str, Any] = {
        "id": run.public_id,
        "scan": ScanSerializer(scan, context={"request": request}).data,
        "fail_on": run.fail_on,
        "failing": [],
        "counts": {},
        "sarif_url": None,
    }
    if live["state"] in ("failed", "cancelled"):
        return {**out, "result": "error"}
    if scan.state != Scan.State.DONE:
        return {**out, "result": "pending"}
    doc = reports.document_for(scan)
    accepted = set(run.baseline)
    threshold = SEVERITIES.index(run.fail_on)
    counts = dict.fromkeys(SEVERITIES, 0)
    failing = []
    for f in doc.get("findings") or []:
        if f["fingerprint"] in accepted or f.get("suppression"):
            continue
        counts[f["severity"]] += 1
        if SEVERITIES.index(f["severity"]) <= threshold:
            failing.append(
                {
                    "fingerprint": f["fingerprint"],
                    "check_id": f["check_id"],
                    "severity": f["severity"],
                    "location": f.get("location"),
                }
            )
    path = reverse("api-ci-sarif", args=[run.public_id])
    return {
        **out,
        "result": "fail" if failing else "pass",
        "failing": failing,
        "counts": counts,
        "sarif_url": request.build_absolute_uri(path) if request else path,
    }


def _visible_run(user, run_id: str) -> CiRun:
    run = (
        CiRun.objects.filter(scan__in=queries.visible_scans(user), public_id=run_id[:40])
        .select_related("scan__report", "scan__package", "scan__version__app")
        .first()
    )
    if run is None:
        raise UserError("not_found", "Not found.", "未找到。", status=404)
    return run


class CiScans(APIView):
    """Upload a build for CI; poll the returned ``url`` until ``result`` is not pending."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=CiUploadSerializer, responses={202: CiResultSerializer})
    def post(self, request: Request) -> Response:
        form = CiUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        fps = _baseline_fingerprints(data.get("baseline"))
        org = actions.upload_organisation(request.user, data.get("organisation"))
        with transaction.atomic():
            scan = actions.submit_upload(
                org, request.user, data["file"], {"app_type": data.get("app_type")}, request=request
            )
            run = CiRun.objects.create(scan=scan, baseline=fps, fail_on=data["fail_on"])
        body = verdict(run, request)
        body["url"] = request.build_absolute_uri(reverse("api-ci-detail", args=[run.public_id]))
        return Response(body, status=status.HTTP_202_ACCEPTED)


class CiScanDetail(APIView):
    """The CI verdict: ``result`` pending, pass, fail (findings listed) or error."""

    @extend_schema(responses=CiResultSerializer)
    def get(self, request: Request, id: str) -> Response:
        return Response(verdict(_visible_run(request.user, id), request))


class CiScanSarif(APIView):
    """The SARIF log of the CI scan (baseline state and suppressions filled in)."""

    @extend_schema(responses={(200, "application/sarif+json"): dict})
    def get(self, request: Request, id: str) -> HttpResponse:
        run = _visible_run(request.user, id)
        if run.scan.state != Scan.State.DONE:
            raise UserError(
                "report.not_ready", "The scan has no report (yet).", "该检测尚无报告。", status=409
            )
        baseline = Baseline(frozenset(run.baseline), "baseline") if run.baseline else None
        doc = reports.document_for(run.scan, baseline)
        audit.record(
            "download",
            actor=request.user,
            organisation=run.scan.organisation,
            target=run.scan.public_id,
            details={"format": "sarif", "ci": True},
            request=request,
        )
        return HttpResponse(render(doc, "sarif", "en"), content_type="application/sarif+json")
