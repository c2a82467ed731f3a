"""Pages of scans: dashboard, upload, scan progress, report, downloads, finding queries,
and the anonymous public upload (off unless the operator enables it)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError

from . import actions, queries, reports
from .models import SEVERITIES, Scan, Triage
from .status import live_status


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("App package (APK)"))
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    app_type = forms.CharField(
        label=gettext_lazy("App type (PI rules, optional)"), required=False, max_length=100
    )


def _visible_scan(request, scan_id: str) -> Scan:
    return get_object_or_404(
        queries.visible_scans(request.user).select_related(
            "report", "package", "version__app", "organisation"
        ),
        public_id=scan_id,
    )


@login_required
def dashboard(request):
    stats = queries.statistics(request.user)
    recent = (
        queries.visible_scans(request.user)
        .select_related("version__app", "organisation")
        .order_by("-created_at")[:10]
    )
    chart = {
        "severity": {
            "labels": [str(_(s)) for s in SEVERITIES],
            "values": [stats["by_severity"][s] for s in SEVERITIES],
        },
        "checks": {
            "labels": [c["check_id"] for c in stats["by_check"]],
            "values": [c["count"] for c in stats["by_check"]],
        },
        "sdks": {
            "labels": [c["sdk_id"] for c in stats["by_sdk"]],
            "values": [c["count"] for c in stats["by_sdk"]],
        },
        "months": {
            "labels": [c["month"] for c in stats["by_month"]],
            "values": [c["count"] for c in stats["by_month"]],
        },
    }
    return render(
        request, "scans/dashboard.html", {"stats": stats, "recent": recent, "chart": chart}
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    orgs = list(access.organisations(request.user, roles.UPLOAD))
    if not orgs:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["organisation"].choices = [(o.public_id, o.name) for o in orgs]
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("organisation")
        if chosen and chosen not in {o.public_id for o in orgs}:
            raise PermissionDenied
        if form.is_valid():
            try:
                org = actions.upload_organisation(
                    request.user, form.cleaned_data.get("organisation") or None
                )
                scan = actions.submit_upload(
                    org,
                    request.user,
                    form.cleaned_data["file"],
                    {"app_type": form.cleaned_data["app_type"]},
                    request=request,
                )
            except UserError as e:
                messages.error(request, e.message)
                status = e.status
            else:
                return redirect("scans:scan", scan.public_id)
        else:
            status = 400
    return render(request, "scans/upload.html", {"form": form}, status=status)


@login_required
def scan_list(request):
    qs = (
        queries.visible_scans(request.user)
        .select_related("version__app", "organisation", "package")
        .order_by("-created_at")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "scans/scan_list.html", {"page": page})


@login_required
def scan_detail(request, scan_id: str):
    scan = _visible_scan(request, scan_id)
    return render(
        request,
        "scans/scan.html",
        {"scan": scan, "live": live_status(scan), "formats": reports.EXTENSIONS},
    )


@login_required
def scan_report(request, scan_id: str):
    scan = _visible_scan(request, scan_id)
    if scan.report_id is None:
        return redirect("scans:scan", scan.public_id)
    return render(request, "scans/report.html", {"scan": scan, "formats": reports.EXTENSIONS})


def report_html_response(scan: Scan) -> HttpResponse:
    """The engine's HTML report, for a sandboxed iframe: its CSP lets only the report's own
    script run (by hash) in an opaque origin, so nothing from a package can execute."""
    response = HttpResponse(
        reports.render_scan(scan, "html"), content_type=reports.CONTENT_TYPES["html"]
    )
    response.headers["Content-Security-Policy"] = reports.report_csp()
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
@xframe_options_sameorigin
def scan_report_html(request, scan_id: str):
    scan = _visible_scan(request, scan_id)
    if scan.report_id is None:
        raise Http404
    audit.record(
        "view_report",
        actor=request.user,
        organisation=scan.organisation,
        target=scan.public_id,
        request=request,
    )
    return report_html_response(scan)


@login_required
def scan_download(request, scan_id: str, fmt: str):
    scan = _visible_scan(request, scan_id)
    if scan.report_id is None or fmt not in reports.EXTENSIONS:
        raise Http404
    body = reports.render_scan(scan, fmt)
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
    response["Content-Disposition"] = (
        f'attachment; filename="mobsec-{scan.public_id}.{reports.EXTENSIONS[fmt]}"'
    )
    return response


@login_required
def findings(request):
    """Questions across apps: filter finding rows by check, severity, owner, SDK, CWE, …"""
    qs = queries.filter_findings(queries.visible_findings(request.user), request.GET)
    qs = qs.select_related("app", "version", "organisation").order_by("-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "scans/findings.html",
        {
            "page": page,
            "params": request.GET,
            "query": params.urlencode(),
            "severities": SEVERITIES,
            "statuses": Triage.Status.choices,
            "owner_kinds": ["app", "sdk", "unknown-third-party", "framework", "unknown"],
        },
    )


# ---------------------------------------------------------------------- public free testing


def _public_enabled() -> None:
    if not settings.MOBSEC_PUBLIC_UPLOAD:
        raise Http404


def public_organisation() -> Organisation:
    org = Organisation.objects.filter(is_public_service=True).order_by("id").first()
    if org is None:
        org, _created = Organisation.objects.get_or_create(
            name="Public testing service", defaults={"is_public_service": True}
        )
    return org


def _rate_limited(request) -> bool:
    key = f"mobsec:public-upload:{audit.client_ip(request) or '-'}"
    cache.add(key, 0, 3600)
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        n = 1
    return n > settings.MOBSEC_PUBLIC_UPLOADS_PER_HOUR


@require_http_methods(["GET", "POST"])
def public_upload(request):
    _public_enabled()
    form = UploadForm(request.POST or None, request.FILES or None)
    del form.fields["organisation"]
    status = 200
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            messages.error(request, _("Too many uploads from your address. Try again later."))
            status = 429
        else:
            try:
                scan = actions.submit_upload(
                    public_organisation(),
                    None,
                    form.cleaned_data["file"],
                    {"app_type": form.cleaned_data["app_type"]},
                    anonymous=True,
                    request=request,
                )
            except UserError as e:
                messages.error(request, e.message)
                status = e.status
            else:
                return redirect("scans:public-scan", scan.public_id)
    return render(request, "scans/public_upload.html", {"form": form}, status=status)


def _public_scan(scan_id: str) -> Scan:
    _public_enabled()
    return get_object_or_404(
        Scan.objects.select_related("report", "package"), public_id=scan_id[:40], anonymous=True
    )


def public_scan(request, scan_id: str):
    scan = _public_scan(scan_id)
    return render(request, "scans/public_scan.html", {"scan": scan, "live": live_status(scan)})


@xframe_options_sameorigin
def public_report_html(request, scan_id: str):
    scan = _public_scan(scan_id)
    if scan.report_id is None:
        raise Http404
    return report_html_response(scan)


def public_status(request, scan_id: str):
    from django.http import JsonResponse

    scan = _public_scan(scan_id)
    live = live_status(scan)
    return JsonResponse(
        {
            "status": live["state"],
            "progress": live["progress"],
            "phase": live["phase"],
            "error": live["error"],
        }
    )
