"""Pages of the vulnerability desk: report (registered or anonymous), follow-up, the case
page with the actions of one's part, attachments, batch import, freeze, convention, TOTP."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.accounts import audit
from mobsec.platform.accounts import roles as account_roles
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry.models import App

from . import access, actions, attachments, batch, commands, guards, machine, rating, roles, totp
from .api import FIELDS, reporting_organisation
from .models import Convention, ConventionSignature, IntakeLogEntry, PublicationFreeze, Transition


def _case(request, vuln_id: str):
    try:
        return actions.open_case(vuln_id, request.user, request)
    except UserError as e:
        if e.status == 404:
            raise Http404 from None
        raise


@login_required
def case_list(request):
    cases = access.visible(request.user).order_by("-received_at")
    state = request.GET.get("state", "")
    if state in machine.State.values:
        cases = cases.filter(state=state)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "vulns/list.html", {
        "page": page, "states": machine.State.choices, "state": state,
        "coordinator": access.is_coordinator(request.user),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def submit(request):
    """The reporter portal: signed-in reporters, or anonymous with a follow-up token."""
    signed_in = request.user.is_authenticated
    orgs = list(accounts_access.organisations(request.user, roles.REPORT)) if signed_in else []
    token = None
    if request.method == "POST":
        data = {k: request.POST[k] for k in FIELDS if request.POST.get(k)}
        if signed_in:
            data.pop("contact", None)
        try:
            org = reporting_organisation(request.user, request.POST.get("organisation", ""))
            vuln, token, entry = actions.submit(
                actions.Submission.from_dict(data), request.FILES.getlist("file"),
                reporter=request.user if signed_in else None, organisation=org,
                request=request,
            )  # fmt: skip
        except UserError as e:
            messages.error(request, e.message)
            return render(request, "vulns/submit.html", {"orgs": orgs, "data": data,
                                                         "tiers": rating.TIERS}, status=400)  # fmt: skip
        if signed_in:
            messages.success(request, _("Report received: %(id)s") % {"id": vuln.public_id})
            return redirect("vulns:detail", vuln_id=vuln.public_id)
        return render(request, "vulns/received.html", {"vuln": vuln, "token": token,
                                                       "ack": entry.acknowledgement})  # fmt: skip
    return render(request, "vulns/submit.html", {"orgs": orgs, "data": {}, "tiers": rating.TIERS})


@require_http_methods(["GET", "POST"])
def follow(request):
    """Anonymous reporters: the state of their report, and withdrawing it, by token."""
    vuln = None
    if request.method == "POST":
        vuln = actions.find_by_token(request.POST.get("token", ""))
        if vuln is None:
            messages.error(request, _("No report has this follow-up token."))
        elif request.POST.get("withdraw") == "1":
            try:
                actions.withdraw(vuln, None, request.POST.get("reason", ""), request=request,
                                 token_holder=True)  # fmt: skip
                vuln.refresh_from_db()
            except UserError as e:
                messages.error(request, e.message)
    return render(request, "vulns/follow.html", {"vuln": vuln,
                                                 "token": request.POST.get("token", "")})  # fmt: skip


@login_required
def detail(request, vuln_id: str):
    vuln = _case(request, vuln_id)
    parts = access.parts(request.user, vuln)
    exact, near = actions.duplicates(vuln) if machine.COORDINATOR in parts else (None, [])
    now = timezone.now()
    clock = guards.national_report_clock(vuln)
    return render(request, "vulns/detail.html", {
        "vuln": vuln, "parts": parts,
        "can": set(machine.actions_from(vuln.state, parts)),
        "trail": Transition.objects.filter(vulnerability=vuln).select_related("actor"),
        "assignments": vuln.assignments.select_related("user", "assigned_by"),
        "responses": vuln.vendor_responses.select_related("actor"),
        "checks": vuln.fix_checks.select_related("scan").order_by("-created_at"),
        "exact": exact, "near": near, "clock": clock,
        "clock_overdue": clock.overdue(now),
        "blockers": guards.publication_blockers(vuln, now),
        "candidate_apps": App.objects.filter(package_name=vuln.package_name)[:20]
        if machine.COORDINATOR in parts else [],
        "severity_label": rating.label(vuln.severity, request.LANGUAGE_CODE or "zh"),
        "factors": rating.FACTORS, "levels": rating.FACTOR_LEVELS,
        "evidence": _attached_findings(vuln) if parts & {machine.VERIFIER, machine.COORDINATOR}
        else [],
    })  # fmt: skip


def _attached_findings(vuln):
    """Findings of the scanned attached packages: what a verifier can pick as evidence."""
    from mobsec.platform.scans.models import Finding

    scans = [a.scan for a in vuln.attachments.select_related("scan") if a.scan_id]
    done = [s for s in scans if s.state == "done" and s.version_id]
    return [
        (s, Finding.objects.filter(version_id=s.version_id).order_by("check_id")[:100])
        for s in done
    ]


@login_required
@require_POST
def act(request, vuln_id: str):
    vuln = _case(request, vuln_id)
    try:
        commands.run(request.POST.get("action", ""), vuln, request.user, request.POST, request)
        messages.success(request, _("Done."))
    except guards.GuardError as e:
        messages.error(request, e.message)
    except UserError as e:
        if e.status == 404:
            raise Http404 from None
        messages.error(request, e.message)
    return redirect("vulns:detail", vuln_id=vuln.public_id)


@login_required
@require_POST
def upload_fix(request, vuln_id: str):
    vuln = _case(request, vuln_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise UserError("vulns.file_required", "Choose the package.", "请选择安装包。")
        actions.upload_fix(vuln, request.user, upload, request=request)
        messages.success(request, _("The fixed version is being scanned."))
    except UserError as e:
        messages.error(request, e.message)
    return redirect("vulns:detail", vuln_id=vuln.public_id)


@login_required
def attachment(request, vuln_id: str, attachment_id: str):
    vuln = _case(request, vuln_id)
    a = vuln.attachments.filter(public_id=attachment_id[:32]).first()
    if a is None:
        raise Http404
    audit.record("vuln.attachment", actor=request.user, target=a.public_id, request=request)
    return attachments.download(a)


@login_required
@require_http_methods(["GET", "POST"])
def import_batch(request):
    orgs = list(accounts_access.organisations(request.user, roles.IMPORT))
    if not orgs:
        raise Http404
    rows = None
    if request.method == "POST":
        org = next((o for o in orgs if o.public_id == request.POST.get("organisation")), None)
        upload = request.FILES.get("file")
        try:
            if org is None or upload is None:
                raise UserError("vulns.bad_batch", "Choose the organisation and the file.",
                                "请选择组织和文件。")  # fmt: skip
            fmt = upload.name.rsplit(".", 1)[-1].lower()
            rows = actions.import_batch(request.user, org, upload.read(batch.MAX_BYTES + 1),
                                        fmt, request=request)  # fmt: skip
        except UserError as e:
            messages.error(request, e.message)
    return render(request, "vulns/import.html", {"orgs": orgs, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def freeze(request):
    """The regulator-ordered publication freeze: platform administrators switch it;
    coordinators see it."""
    admin = accounts_access.is_platform_admin(request.user)
    if not (admin or access.is_coordinator(request.user)):
        raise Http404
    if request.method == "POST":
        try:
            actions.set_freeze(request.user, request.POST.get("active") == "1",
                               request.POST.get("order_ref", ""), request.POST.get("reason", ""),
                               request=request)  # fmt: skip
        except UserError as e:
            messages.error(request, e.message)
        return redirect("vulns:freeze")
    return render(request, "vulns/freeze.html", {
        "admin": admin, "current": guards.freeze_in_force(),
        "history": PublicationFreeze.objects.select_related("set_by")[:50],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def convention(request):
    """The disclosure convention: its current text, and signing it (organisation
    administrators) — pre-disclosure details are shared only with signatories."""
    current = Convention.objects.first()
    orgs = list(accounts_access.organisations(request.user, account_roles.MANAGE))
    if request.method == "POST":
        org = next((o for o in orgs if o.public_id == request.POST.get("organisation")), None)
        if org is None or current is None:
            raise Http404
        try:
            actions.sign_convention(request.user, org, current, request=request)
            messages.success(request, _("Signed."))
        except UserError as e:
            messages.error(request, e.message)
        return redirect("vulns:convention")
    signed = {s.organisation_id: s
              for s in ConventionSignature.objects.filter(convention=current)}  # fmt: skip
    return render(request, "vulns/convention.html", {
        "current": current, "orgs": [(o, signed.get(o.pk)) for o in orgs]})  # fmt: skip


@login_required
def intake_log(request):
    if not access.is_coordinator(request.user):
        raise Http404
    page = Paginator(IntakeLogEntry.objects.select_related("vulnerability").order_by("-seq"),
                     100).get_page(request.GET.get("page"))  # fmt: skip
    return render(request, "vulns/intake_log.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enrol (first time: the secret and the otpauth URI) and enter the code."""
    device = totp.device_for(request.user)
    nxt = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = "/"
    if request.method == "POST":
        if totp.verify(device, request.POST.get("code", "")):
            totp.mark_passed(request)
            audit.record("two_factor", actor=request.user, request=request)
            return redirect(nxt)
        audit.record("two_factor_failed", actor=request.user, request=request)
        messages.error(request, _("Wrong or already used code."))
    return render(request, "vulns/two_factor.html", {
        "enrolling": device.confirmed_at is None, "secret": totp.secret_base32(device),
        "uri": totp.provisioning_uri(device), "next": nxt,
    })  # fmt: skip
