"""Pages of evaluations: schemes, an evaluation with its items, manual evidence, review,
the test report, certificates; and the public pages (verification, registry, issuer keys)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mobsec.certification import certdoc
from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.keys import custody
from mobsec.platform.scans import queries
from mobsec.platform.scans.models import Scan
from mobsec.report.render import RenderError

from . import actions, documents
from .models import Certificate, Evaluation, EvidenceFile
from .roles import APPROVE

PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _fail(request, e: UserError) -> None:
    if e.status == 403:
        raise PermissionDenied(e.message)
    if e.status == 404:
        raise Http404(e.message)
    messages.error(request, e.message)


def _evaluation(request, evaluation_id: str) -> Evaluation:
    return get_object_or_404(
        actions.visible_evaluations(request.user).select_related(
            "organisation", "version__app", "version__package", "scheme", "scan__report",
            "tester", "reviewer",
        ),
        public_id=evaluation_id,
    )  # fmt: skip


# ----------------------------------------------------------------------------------- schemes


@login_required
@require_http_methods(["GET", "POST"])
def scheme_list(request):
    orgs = [
        o
        for o in access.organisations(request.user, roles.VIEW)
        if access.can(request.user, APPROVE, organisation=o)
        or access.can(request.user, roles.MANAGE, organisation=o)
    ]
    status = 200
    if request.method == "POST":
        org = next((o for o in orgs if o.public_id == request.POST.get("organisation")), None)
        if org is None:
            raise PermissionDenied
        try:
            if "file" not in request.FILES:
                raise UserError("scheme.no_file", "Choose a scheme file.", "请选择评估方案文件。")
            row = actions.add_scheme(request.user, org, request.FILES["file"], request=request)
        except UserError as e:
            _fail(request, e)
            status = 400
        else:
            return redirect("evaluations:scheme", row.public_id)
    rows = actions.visible_schemes(request.user).select_related("organisation")
    return render(
        request, "evaluations/scheme_list.html", {"schemes": rows, "orgs": orgs}, status=status
    )


@login_required
def scheme_detail(request, scheme_id: str):
    row = get_object_or_404(actions.visible_schemes(request.user), public_id=scheme_id)
    if request.GET.get("format") == "yaml":
        response = HttpResponse(row.source, content_type="text/yaml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{row.scheme_id}-{row.version}.yaml"'
        )
        return response
    return render(request, "evaluations/scheme.html", {"row": row, "scheme": actions.parsed(row)})


# ------------------------------------------------------------------------------- evaluations


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_list(request):
    can_start = access.organisations(request.user, roles.TRIAGE).exists()
    if request.method == "POST":
        if not can_start:
            raise PermissionDenied
        scan = get_object_or_404(
            queries.visible_scans(request.user).select_related("version__app", "report"),
            public_id=request.POST.get("scan", "")[:40],
        )
        scheme = get_object_or_404(
            actions.visible_schemes(request.user), public_id=request.POST.get("scheme", "")[:40]
        )
        try:
            ev = actions.start(
                request.user, scan, scheme, request.POST.get("client", ""), request=request
            )
        except UserError as e:
            _fail(request, e)
        else:
            return redirect("evaluations:evaluation", ev.public_id)
    evaluations = actions.visible_evaluations(request.user).select_related(
        "version__app", "scheme", "organisation", "tester", "reviewer"
    )
    page = Paginator(evaluations, 50).get_page(request.GET.get("page"))
    scans = []
    if can_start:
        scans = (
            queries.visible_scans(request.user)
            .filter(state=Scan.State.DONE, version__isnull=False)
            .filter(organisation__in=access.organisations(request.user, roles.TRIAGE))
            .select_related("version__app")
            .order_by("-created_at")[:100]
        )
    return render(
        request,
        "evaluations/evaluation_list.html",
        {
            "page": page,
            "can_start": can_start,
            "scans": scans,
            "schemes": actions.visible_schemes(request.user) if can_start else [],
            "selected_scan": request.GET.get("scan", ""),
        },
    )


@login_required
def evaluation_detail(request, evaluation_id: str):
    ev = _evaluation(request, evaluation_id)
    scheme = actions.parsed(ev.scheme)
    titles = {i.id: i for i in scheme.items}
    items = list(ev.items.prefetch_related("evidence").select_related("decided_by"))
    for i in items:
        i.meta = titles.get(i.item_id)
    user = request.user
    can_test = access.can(user, roles.TRIAGE, organisation=ev.organisation)
    can_review = access.can(user, APPROVE, organisation=ev.organisation) and user.pk not in (
        actions.performed_by(ev)
    )
    cert = Certificate.objects.filter(evaluation=ev).first()
    return render(
        request,
        "evaluations/evaluation.html",
        {
            "ev": ev,
            "scheme": scheme,
            "items": items,
            "events": ev.events.select_related("actor"),
            "can_test": can_test and ev.state == Evaluation.State.DRAFT,
            "can_review": can_review,
            "certificate": cert,
            "results": actions.MANUAL_RESULTS,
        },
    )


@login_required
@require_POST
def record_item(request, evaluation_id: str, item_id: str):
    ev = _evaluation(request, evaluation_id)
    try:
        actions.record_item(
            request.user,
            ev,
            item_id[:40],
            request.POST.get("result", ""),
            request.POST.get("reason", ""),
            request.FILES.getlist("evidence"),
            request=request,
        )
    except UserError as e:
        _fail(request, e)
    return redirect(reverse("evaluations:evaluation", args=[ev.public_id]) + f"#item-{item_id}")


@login_required
@require_POST
def submit(request, evaluation_id: str):
    ev = _evaluation(request, evaluation_id)
    try:
        actions.submit(request.user, ev, request=request)
    except UserError as e:
        _fail(request, e)
    return redirect("evaluations:evaluation", ev.public_id)


@login_required
@require_POST
def review(request, evaluation_id: str):
    ev = _evaluation(request, evaluation_id)
    try:
        if request.POST.get("decision") == "approve":
            actions.approve(request.user, ev, request=request)
        else:
            actions.return_for_changes(
                request.user, ev, request.POST.get("reason", ""), request=request
            )
    except UserError as e:
        _fail(request, e)
    return redirect("evaluations:evaluation", ev.public_id)


@login_required
def report(request, evaluation_id: str, language: str, kind: str):
    ev = _evaluation(request, evaluation_id)
    lang, fmt = language, kind
    if lang not in documents.LANGS or fmt not in ("html", "pdf"):
        raise Http404
    try:
        if fmt == "pdf":
            body = documents.render_report_pdf(ev, lang)
            response = HttpResponse(body, content_type="application/pdf")
        else:
            response = HttpResponse(documents.render_report_html(ev, lang))
            response.headers["Content-Security-Policy"] = PRINT_CSP
    except RenderError as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    audit.record(
        "evaluation.report", actor=request.user, organisation=ev.organisation,
        target=ev.public_id, details={"lang": lang, "format": fmt}, request=request,
    )  # fmt: skip
    name = ev.report_number or f"draft-{ev.public_id}"
    disposition = "attachment" if fmt == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}-{lang}.{fmt}"'
    return response


@login_required
def evidence(request, evaluation_id: str, evidence_id: str):
    ev = _evaluation(request, evaluation_id)
    row = get_object_or_404(EvidenceFile, item__evaluation=ev, public_id=evidence_id)
    path = actions.evidence_path(row.sha256)
    if not path.is_file():
        raise Http404
    # Served as a download, never rendered by the platform's origin (it is untrusted).
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=row.name,
        content_type="application/octet-stream",
    )


@login_required
@require_POST
def issue(request, evaluation_id: str):
    ev = _evaluation(request, evaluation_id)
    try:
        days = int(request.POST.get("days") or actions.DEFAULT_VALIDITY_DAYS)
    except ValueError:
        days = 0
    try:
        cert = actions.issue_certificate(
            request.user,
            ev,
            lambda serial: request.build_absolute_uri(
                reverse("evaluations:verify-serial", args=[serial])
            ),
            days=days,
            request=request,
        )
    except UserError as e:
        _fail(request, e)
        return redirect("evaluations:evaluation", ev.public_id)
    return redirect("evaluations:certificate", cert.serial)


# ------------------------------------------------------------------------------ certificates


def _certificate(serial: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("organisation", "evaluation", "version__app"),
        serial=serial[:40],
    )


@login_required
def certificate_detail(request, serial: str):
    cert = _certificate(serial)
    if not access.can(request.user, roles.VIEW, organisation=cert.organisation):
        raise Http404
    can_revoke = cert.status != Certificate.Status.REVOKED and (
        access.can(request.user, APPROVE, organisation=cert.organisation)
        or access.can(request.user, roles.MANAGE, organisation=cert.organisation)
    )
    return render(
        request,
        "evaluations/certificate.html",
        {"cert": cert, "doc": documents.certificate_context(cert, "en")["doc"],
         "can_revoke": can_revoke},
    )  # fmt: skip


@login_required
@require_POST
def revoke(request, serial: str):
    cert = _certificate(serial)
    if not access.can(request.user, roles.VIEW, organisation=cert.organisation):
        raise Http404
    try:
        actions.revoke(request.user, cert, request.POST.get("reason", ""), request=request)
    except UserError as e:
        _fail(request, e)
    return redirect("evaluations:certificate", cert.serial)


def certificate_json(request, serial: str):
    """The signed certificate file (public: it is what holders hand to anyone)."""
    cert = _certificate(serial)
    response = HttpResponse(bytes(cert.signed), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{cert.serial}.json"'
    return response


def certificate_pdf(request, serial: str):
    cert = _certificate(serial)
    lang = documents.lang_of(request.GET.get("lang"))
    key = f"evaluations:certificate-pdf:{cert.serial}:{lang}"
    try:
        # public and costly to lay out, but the signed content never changes: render once
        body = cache.get(key)
        if body is None:
            body = documents.render_certificate_pdf(cert, lang)
            cache.set(key, body, 24 * 3600)
    except RenderError as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.serial}-{lang}.pdf"'
    return response


def public_key(request, organisation_id: str):
    """The issuing organisation's certificate public key (PEM), for offline verification."""
    org = get_object_or_404(Organisation, public_id=organisation_id[:40])
    if not Certificate.objects.filter(organisation=org).exists():
        raise Http404  # only issuers publish a key
    keys = custody.public_keys(actions.key_name(org))
    wanted = request.GET.get("key_id", "")[:16]
    if wanted:  # a certificate signed before a key rotation names its (retired) key
        if wanted not in keys:
            raise Http404
        public = keys[wanted]
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
    else:
        pem = custody.public_key_pem(actions.key_name(org))
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="mobsec-issuer-{org.public_id}.pem"'
    return response


def _verify_upload(data: bytes) -> tuple[certdoc.Verification, Certificate | None]:
    """Check an uploaded certificate file with the key of the issuer it names."""
    import json

    try:
        serial = json.loads(data.decode("utf-8"))["certificate"]["serial"]
        cert = (
            Certificate.objects.select_related("organisation")
            .filter(serial=str(serial)[:40])
            .first()
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        cert = None
    if cert is None:
        return certdoc.Verification(
            False, [("no certificate with this number was issued here", "本平台未颁发该编号的证书")]
        ), None
    keys = custody.public_keys(actions.key_name(cert.organisation))
    public = keys.get(cert.key_id)
    if public is None:
        return certdoc.Verification(False, [("the issuer's key is gone", "签发密钥已不存在")]), cert
    return certdoc.verify(data, public), cert


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: verify an uploaded certificate file, or look one up by number."""
    serial = (request.GET.get("serial") or "").strip()
    if serial:
        return redirect("evaluations:verify-serial", serial[:40])
    result = cert = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        data = upload.read(certdoc.MAX_BYTES + 1) if upload else b""
        result, cert = _verify_upload(data)
    return render(request, "evaluations/verify.html", {"result": result, "cert": cert})


def verify_serial(request, serial: str):
    cert = (
        Certificate.objects.select_related("organisation", "version__app")
        .filter(serial=serial[:40])
        .first()
    )
    if cert is None:
        return render(request, "evaluations/verify.html", {"unknown": serial[:40]}, status=404)
    result, _ = _verify_upload(bytes(cert.signed))
    return render(
        request,
        "evaluations/verify.html",
        {"cert": cert, "result": result, "doc": result.certificate, "by_serial": True},
    )


def public_registry(request):
    qs = Certificate.objects.select_related("organisation", "version__app", "evaluation__scheme")
    status = request.GET.get("status")
    if status in Certificate.Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()[:200]
    if q:
        qs = qs.filter(version__app__package_name__icontains=q) | qs.filter(serial=q)
    page = Paginator(qs.order_by("-issued_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/registry.html",
        {"page": page, "status": status, "q": q, "statuses": Certificate.Status.choices},
    )
