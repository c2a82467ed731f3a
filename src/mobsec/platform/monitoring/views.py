"""Pages of channel monitoring: candidates and alerts, a candidate's verdicts with their
evidence and takedown reports, the genuine-app registry, sources."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mobsec.platform.accounts import access, roles
from mobsec.platform.core.errors import UserError
from mobsec.platform.notifications.models import Notification
from mobsec.platform.scans import queries

from . import actions, adapters, alerts, official
from .api import takedown_response, visible_candidate
from .models import Source


def _refuse(request, e: UserError):
    if e.status == 403:
        raise PermissionDenied(e.message) from None
    messages.error(request, e.message)


@login_required
def candidates(request):
    if request.method == "POST":
        try:
            org = actions.monitoring_organisation(request.user, request.POST.get("organisation"),
                                                  roles.UPLOAD)  # fmt: skip
            if "file" not in request.FILES:
                raise UserError(
                    "monitoring.no_file", "Choose a package file.", "请选择安装包文件。"
                )
            c = actions.submit_upload(org, request.user, request.FILES["file"], request.POST,
                                      request=request)  # fmt: skip
            return redirect("monitoring:candidate", c.public_id)
        except UserError as e:
            _refuse(request, e)
    qs = actions.visible_candidates(request.user).select_related("organisation", "package")
    verdict = (request.GET.get("verdict") or "")[:16]
    if verdict:
        qs = qs.filter(verdict=verdict)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    alert_rows = Notification.objects.filter(user=request.user, kind=alerts.KIND)[:20]
    return render(request, "monitoring/candidates.html", {
        "page": page, "verdict": verdict, "alerts": alert_rows,
        "upload_orgs": access.organisations(request.user, roles.UPLOAD),
    })  # fmt: skip


@login_required
def candidate(request, candidate_id: str):
    c = visible_candidate(request.user, candidate_id)
    verdicts = list(actions.visible_verdicts(request.user, c))
    Notification.objects.filter(user=request.user, kind=alerts.KIND,
                                link=request.path, read_at__isnull=True).update(read_at=_now())  # fmt: skip
    return render(request, "monitoring/candidate.html", {
        "c": c, "verdicts": verdicts, "langs": actions.TAKEDOWN_LANGS,
        "fmts": list(actions.TAKEDOWN_FORMATS), "alerted": alerts.ALERTED,
    })  # fmt: skip


def _now():
    from django.utils import timezone

    return timezone.now()


@login_required
def takedown(request, candidate_id: str, verdict_id: str, lang: str, fmt: str):
    try:
        return takedown_response(request, candidate_id, verdict_id, lang, fmt)
    except UserError as e:
        _refuse(request, e)
        return redirect("monitoring:candidate", candidate_id)


@login_required
def official_list(request):
    apps = (
        actions.official_apps(request.user).select_related("organisation").order_by("package_name")
    )
    manageable = [a for a in queries.visible_apps(request.user).filter(official=False)
                  .select_related("organisation").order_by("package_name")[:200]
                  if access.can(request.user, roles.MANAGE, app=a)]  # fmt: skip
    return render(request, "monitoring/official.html", {"apps": apps, "manageable": manageable})


@login_required
def official_edit(request, app_id: str):
    app = get_object_or_404(queries.visible_apps(request.user), public_id=app_id)
    if not access.can(request.user, roles.MANAGE, app=app):
        raise PermissionDenied
    if request.method == "POST":
        p = request.POST
        try:
            official.set_official(request.user, app, official=p.get("official") == "on",
                                  name_zh=p.get("name_zh", ""), name_en=p.get("name_en", ""),
                                  channels=p.get("channels", ""),
                                  certificates=p.get("certificates", ""), request=request)  # fmt: skip
            messages.success(request, UserError("", "Saved.", "已保存。").message)
            return redirect("monitoring:official")
        except UserError as e:
            _refuse(request, e)
    channels = "\n".join(f"{c['name']} {c['url']}" for c in app.official_channels)
    return render(request, "monitoring/official_edit.html", {
        "app": app, "channels": channels, "icon": official.icon_data_uri(app),
    })  # fmt: skip


@login_required
def sources(request):
    if request.method == "POST":
        p = request.POST
        try:
            org = actions.monitoring_organisation(request.user, p.get("organisation"), roles.MANAGE)
            actions.create_source(request.user, org, kind=p.get("kind", ""),
                                  adapter=p.get("adapter", ""), name=p.get("name", ""),
                                  path=p.get("path", ""), contact=p.get("contact", ""),
                                  request=request)  # fmt: skip
            return redirect("monitoring:sources")
        except UserError as e:
            _refuse(request, e)
    orgs = access.organisations(request.user, roles.VIEW)
    rows = Source.objects.filter(organisation__in=orgs).select_related("organisation")
    return render(request, "monitoring/sources.html", {
        "sources": rows.order_by("name"), "manage_orgs": access.organisations(request.user, roles.MANAGE),
        "adapters": [a for a in adapters.names() if a != "folder"], "kinds": Source.Kind.choices,
    })  # fmt: skip


@login_required
@require_POST
def poll(request, source_id: str):
    source = get_object_or_404(
        Source.objects.filter(organisation__in=access.organisations(request.user, roles.VIEW)),
        public_id=source_id,
    )
    if not access.can(request.user, roles.MANAGE, organisation=source.organisation):
        raise PermissionDenied
    actions.poll(source, request.user)
    messages.success(request, UserError("", "Poll queued.", "已排队轮询。").message)
    return redirect("monitoring:sources")
