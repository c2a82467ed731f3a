"""Pages of the registry: apps, an app with its versions and findings (triage, dispute),
two versions compared, decisions exported as CLI files."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.core.errors import UserError
from mobsec.platform.scans import actions, queries, reports
from mobsec.platform.scans.api import diff_versions
from mobsec.platform.scans.models import SEVERITIES, Scan, Triage, TriageEvent
from mobsec.report.baseline import baseline_document


def _app(request, app_id: str):
    return get_object_or_404(
        queries.visible_apps(request.user).select_related("organisation", "owner"),
        public_id=app_id,
    )


@login_required
def app_list(request):
    qs = queries.visible_apps(request.user).select_related("organisation")
    q = (request.GET.get("q") or "").strip()[:255]
    if q:
        qs = qs.filter(package_name__icontains=q)
    page = Paginator(qs.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "registry/app_list.html", {"page": page, "q": q})


@login_required
def app_detail(request, app_id: str):
    app = _app(request, app_id)
    versions = list(app.versions.select_related("package", "uploaded_by"))
    selected = next(
        (v for v in versions if v.public_id == request.GET.get("version")),
        versions[0] if versions else None,
    )
    findings = []
    if selected is not None:
        qs = selected.findings.all()
        sev = request.GET.get("severity")
        if sev in SEVERITIES:
            qs = qs.filter(severity=sev)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        findings = sorted(qs, key=lambda f: (order.get(f.severity, 9), f.check_id, f.fingerprint))
    decisions = {
        t.fingerprint: t for t in Triage.objects.filter(app=app).select_related("decided_by")
    }
    for f in findings:
        f.decision = decisions.get(f.fingerprint)
    scan = (
        Scan.objects.filter(version=selected, state=Scan.State.DONE).order_by("-created_at").first()
        if selected
        else None
    )
    return render(
        request,
        "registry/app_detail.html",
        {
            "app": app,
            "versions": versions,
            "selected": selected,
            "findings": findings,
            "scan": scan,
            "statuses": Triage.Status.choices,
            "can_triage": access.can(request.user, roles.TRIAGE, app=app),
            "can_dispute": access.can(request.user, roles.DISPUTE, app=app),
            "events": TriageEvent.objects.filter(app=app).select_related("actor")[:50],
        },
    )


@login_required
@require_POST
def triage(request, app_id: str, fingerprint: str):
    app = _app(request, app_id)
    try:
        actions.set_status(
            request.user,
            app,
            fingerprint[:64],
            request.POST.get("status", ""),
            request.POST.get("reason", ""),
            request=request,
        )
    except UserError as e:
        if e.status == 403:
            raise PermissionDenied(e.message) from None
        messages.error(request, e.message)
    return redirect(_back(request, app))


@login_required
@require_POST
def dispute(request, app_id: str, fingerprint: str):
    app = _app(request, app_id)
    try:
        actions.dispute(
            request.user, app, fingerprint[:64], request.POST.get("reason", ""), request=request
        )
    except UserError as e:
        if e.status == 403:
            raise PermissionDenied(e.message) from None
        messages.error(request, e.message)
    return redirect(_back(request, app))


def _back(request, app) -> str:
    from django.urls import reverse

    url = reverse("registry:app", args=[app.public_id])
    version = request.POST.get("version", "")
    if version and version.replace("-", "").replace("_", "").isalnum():
        url += f"?version={version[:40]}"
    return url


@login_required
def app_diff(request, app_id: str):
    app = _app(request, app_id)
    versions = list(app.versions.all())
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if not (old and new) and len(versions) >= 2:
        new, old = versions[0].public_id, versions[1].public_id
    diff = error = None
    if old and new:
        try:
            diff = diff_versions(app, old, new)
        except UserError as e:
            error = e.message
    return render(
        request,
        "registry/app_diff.html",
        {
            "app": app,
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff,
            "error": error,
        },
    )


def _json_download(request, app, doc, name: str, what: str) -> HttpResponse:
    audit.record(
        "download",
        actor=request.user,
        organisation=app.organisation,
        target=app.public_id,
        details={"format": what},
        request=request,
    )
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def app_suppressions(request, app_id: str):
    app = _app(request, app_id)
    return _json_download(
        request, app, actions.suppressions_document([app]), "suppressions.json", "suppressions"
    )


@login_required
def app_baseline(request, app_id: str):
    app = _app(request, app_id)
    scan = (
        Scan.objects.filter(version__app=app, state=Scan.State.DONE)
        .select_related("report", "version")
        .order_by("-version__uploaded_at", "-created_at")
        .first()
    )
    if scan is None:
        messages.error(
            request,
            UserError(
                "report.not_ready", "The app has no finished scan.", "该应用尚无完成的检测。"
            ).message,
        )
        return redirect("registry:app", app.public_id)
    return _json_download(
        request, app, baseline_document(reports.document_for(scan)), "baseline.json", "baseline"
    )
