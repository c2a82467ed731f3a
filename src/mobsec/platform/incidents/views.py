"""Pages of incidents: the list (and creating one), the incident with every step of the
workflow, a re-scan's progress, the regulator's report, released rule packs, and the public
bulletins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mobsec.platform.core.errors import UserError
from mobsec.platform.inventory import actions as inventory

from . import actions, bulletins, fleet, notices, report
from .models import Rescan


def _refused(e: UserError):
    if e.status == 404:
        raise Http404
    return HttpResponseForbidden(e.message)


def _incident(request, incident_id: str):
    try:
        return actions.get(request.user, incident_id)
    except UserError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def incident_list(request):
    if not actions.can_read(request.user):
        return HttpResponseForbidden(_("You may not see incidents."))
    data = {}
    if request.method == "POST":
        data = request.POST
        try:
            incident = actions.create(request.user, data, request=request,
                                      vulnerability=data.get("vulnerability", ""))  # fmt: skip
        except UserError as e:
            if e.status == 403:
                return _refused(e)
            messages.error(request, e.message)
        else:
            return redirect("incidents:detail", incident_id=incident.public_id)
    return render(request, "incidents/list.html", {
        "incidents": actions.visible(request.user).select_related("created_by")[:200],
        "can_run": actions.can_run(request.user), "data": data,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def detail(request, incident_id: str):
    incident = _incident(request, incident_id)
    snapshot = incident.snapshots.first()
    rescan = incident.rescans.select_related("pack").first()
    return render(request, "incidents/detail.html", {
        "i": incident, "can_run": actions.can_run(request.user),
        "events": actions.timeline(incident), "snapshot": snapshot,
        "packs": incident.packs.all(), "rescan": fleet.status(rescan) if rescan else None,
        "rescan_row": rescan, "affected": actions.affected_list(rescan) if rescan else [],
        "vendors": notices.progress(incident), "kinds": inventory.KINDS,
        "cases": incident.cases.select_related("vulnerability", "app").order_by("id"),
        "bulletin": getattr(incident, "bulletin", None), "scopes": Rescan.Scope.choices,
    })  # fmt: skip


STEPS = ("query", "pack", "publish_pack", "rescan", "open", "confirm", "notify", "bulletin")


@login_required
@require_POST
def act(request, incident_id: str):
    incident = _incident(request, incident_id)
    step, user, post = request.POST.get("step"), request.user, request.POST
    try:
        if step == "query":
            snap = actions.run_query(incident, user, post)
            messages.success(request, _("%(n)d app versions affected.") % {"n": snap.count})
        elif step == "pack":
            p = actions.attach_pack(incident, user, request.FILES.get("file"))
            messages.success(request, _("Rule pack %(id)s %(v)s verified and attached.")
                             % {"id": p.pack_id, "v": p.version})  # fmt: skip
        elif step == "publish_pack":
            actions.publish_pack(incident, user, post.get("pack", ""))
            messages.success(request, _("Rule pack released to the testing organisations."))
        elif step == "rescan":
            r = actions.start_rescan(incident, user, post.get("scope", "all"), post.get("pack", ""))
            return redirect("incidents:rescan", incident_id=incident.public_id,
                            rescan_id=r.public_id)  # fmt: skip
        elif step == "open":
            r = actions.get_rescan(incident, post.get("rescan", ""))
            out = notices.open_cases(incident, user, r, post.get("verifier", ""), request)
            _summary(request, _("Cases opened: %(n)d.") % {"n": len(out["opened"])}, out)
        elif step == "confirm":
            out = notices.confirm_cases(incident, user, request)
            _summary(request, _("Cases confirmed: %(n)d.") % {"n": len(out["confirmed"])}, out)
        elif step == "notify":
            out = notices.notify_vendors(incident, user, request)
            _summary(request, _("Vendors notified: %(n)d.") % {"n": len(out["notified"])}, out)
        elif step == "bulletin":
            b = bulletins.publish(incident, user, post, request=request)
            messages.success(request, _("Bulletin published."))
            return redirect("incidents:bulletin", bulletin_id=b.public_id)
        else:
            messages.error(request, _("Unknown step."))
    except UserError as e:
        if e.status == 403:
            return _refused(e)
        messages.error(request, e.message)
        for r in getattr(e, "reasons", []):
            messages.error(request, r.zh if request.LANGUAGE_CODE.startswith("zh") else r.en)
    return redirect("incidents:detail", incident_id=incident.public_id)


def _summary(request, text: str, out: dict) -> None:
    messages.success(request, text)
    zh = request.LANGUAGE_CODE.startswith("zh")
    for s in out.get("skipped", []):
        messages.warning(request, s["zh"] if zh else s["en"])


@login_required
def rescan(request, incident_id: str, rescan_id: str):
    incident = _incident(request, incident_id)
    try:
        r = actions.get_rescan(incident, rescan_id)
    except UserError:
        raise Http404 from None
    return render(request, "incidents/rescan.html", {
        "i": incident, "s": fleet.status(r), "affected": actions.affected_list(r),
        "failed": r.items.filter(state="failed").select_related("app")[:100],
    })  # fmt: skip


@login_required
def incident_report(request, incident_id: str):
    incident = _incident(request, incident_id)
    try:
        return report.response(incident, request.GET.get("lang") or "zh-CN",
                               request.GET.get("fmt") or "html")  # fmt: skip
    except UserError as e:
        if e.status in (403, 404):
            return _refused(e)
        return render(request, "incidents/error.html", {"message": e.message}, status=e.status)


@login_required
def released_packs(request):
    if not actions.can_download_packs(request.user):
        return HttpResponseForbidden(_("Rule packs are released to testing organisations."))
    from mobsec.platform.keys import custody

    from . import packs

    return render(request, "incidents/packs.html", {
        "packs": actions.released_packs(request.user)[:200],
        "public_key": custody.public_key_pem(packs.PLATFORM_KEY),
    })  # fmt: skip


def bulletin_list(request):
    return render(request, "incidents/bulletins.html", {"bulletins": bulletins.published()[:200]})


def bulletin(request, bulletin_id: str):
    b = bulletins.published().filter(public_id=str(bulletin_id)[:40]).first()
    if b is None:
        raise Http404
    return render(request, "incidents/bulletin.html", {"b": b})
