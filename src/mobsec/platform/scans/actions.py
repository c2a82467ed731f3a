"""Business rules of scans: upload, reuse, storing a report, triage, dispute, exports.

Pages and the API both call these functions (nothing of this lives in a view), and so will
later features (vulnerability life cycle, incidents, monitoring).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry import actions as registry
from mobsec.platform.registry import sniff
from mobsec.platform.registry.models import App
from mobsec.platform.registry.store import TooLarge

from . import counts
from .models import Finding, Report, Scan, Triage, TriageEvent
from .options import ENGINE_VERSION, clean_options, options_key

log = logging.getLogger(__name__)
SCAN_JOB_KIND = "scan"
MAX_REASON = 4000


# ------------------------------------------------------------------------------------ upload


def _sniff(upload) -> None:
    upload.seek(0)
    head = upload.read(sniff.HEAD_BYTES)
    upload.seek(0)
    what = sniff.not_a_package(head)
    if what is not None:
        name = _display_name(upload.name)
        raise UserError(
            "upload.not_a_package",
            f"{name!r} is not an app package: it is {what.en}. Upload an APK (or another "
            "supported package).",
            f"{name!r} 不是应用安装包：它是{what.zh}。请上传 APK（或其他支持的安装包）。",
            status=415,
        )


def _display_name(name: str | None) -> str:
    """The uploaded name, for display only: last path part, printable, bounded."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "upload"


def upload_organisation(user, organisation_id: str | None) -> Organisation:
    """The organisation an upload goes to: the one named, else the user's only one."""
    orgs = access.organisations(user, roles.UPLOAD)
    if organisation_id:
        org = orgs.filter(public_id=organisation_id).first()
        if org is None:
            raise UserError(
                "upload.no_organisation",
                "You cannot upload to this organisation.",
                "您无权向该组织上传。",
                status=403,
            )
        return org
    found = list(orgs[:2])
    if len(found) != 1:
        raise UserError(
            "upload.which_organisation",
            "Say which organisation the upload is for (organisation).",
            "请指定上传所属的组织（organisation）。",
            status=400 if found else 403,
        )
    return found[0]


def submit_upload(
    organisation: Organisation,
    user,
    upload,
    raw_options: dict[str, Any] | None = None,
    *,
    anonymous: bool = False,
    request=None,
) -> Scan:
    """Store an uploaded package and queue its scan. Quotas are checked by the job system
    when the job is submitted; the job reuses an identical earlier report when there is one
    (same bytes, engine version and options) instead of scanning again."""
    with transaction.atomic():
        scan = create_scan(organisation, user, upload, raw_options, anonymous=anonymous)
        _enqueue(scan, user)
    audit.record(
        "upload",
        actor=user,
        organisation=organisation,
        target=scan.public_id,
        details={"sha256": scan.package.sha256, "size": scan.package.size},
        request=request,
    )
    return scan


def create_scan(
    organisation: Organisation,
    user,
    upload,
    raw_options: dict[str, Any] | None = None,
    *,
    anonymous: bool = False,
) -> Scan:
    """Validate the upload (options, size, content), store it, and create its Scan row."""
    options = clean_options(raw_options or {})
    limit = settings.MOBSEC_MAX_UPLOAD_BYTES
    if (getattr(upload, "size", None) or 0) > limit:
        raise _too_large(limit)
    _sniff(upload)
    try:
        package, _stored = registry.store_package(upload.chunks(), limit)
    except TooLarge:
        raise _too_large(limit) from None
    return Scan.objects.create(
        organisation=organisation,
        package=package,
        file_name=_display_name(upload.name),
        options=options,
        options_key=options_key(options),
        engine_version=ENGINE_VERSION,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        anonymous=anonymous,
    )


def _too_large(limit: int) -> UserError:
    return UserError(
        "upload.too_large",
        f"The package is larger than the upload limit ({limit >> 20} MiB).",
        f"安装包超过上传大小限制（{limit >> 20} MiB）。",
        status=413,
    )


def _enqueue(scan: Scan, user) -> None:
    try:
        from mobsec.platform.jobs import api as jobs
    except ImportError:
        raise UserError(
            "jobs.unavailable", "The job system is not installed.", "任务系统未安装。", status=503
        ) from None
    try:
        job = jobs.submit(
            SCAN_JOB_KIND,
            organisation=scan.organisation,
            payload={"scan": scan.public_id},
            priority="interactive",
            created_by=user if getattr(user, "is_authenticated", False) else None,
            upload_bytes=scan.package.size,
        )
    except jobs.QuotaExceeded as e:
        raise UserError(e.code, e.en, e.zh, status=429) from None
    Scan.objects.filter(pk=scan.pk).update(job_id=job.public_id)
    scan.job_id = job.public_id


# ------------------------------------------------------------------------------ report in


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return str(value or "")


def _tags(values: Any, limit: int) -> str:
    items = [str(v).replace(",", " ") for v in values or []]
    return ("," + ",".join(items) + ",")[:limit] if items else ""


def tag_list(text: str) -> list[str]:
    return [t for t in text.split(",") if t]


def _finding_row(f: dict[str, Any], version) -> Finding:
    loc = f.get("location") or {}
    owner = f.get("owner") or {}
    return Finding(
        organisation_id=version.app.organisation_id,
        app_id=version.app_id,
        version=version,
        check_id=str(f["check_id"])[:120],
        severity=f["severity"],
        confidence=f["confidence"],
        fingerprint=f["fingerprint"],
        title_en=_text(f.get("title"), "en")[:300],
        title_zh=_text(f.get("title"), "zh-CN")[:300],
        file=str(loc.get("file") or "")[:500],
        class_name=str(loc.get("class") or "")[:500],
        method=str(loc.get("method") or "")[:500],
        evidence=str(f.get("evidence") or "")[:4000],
        owner_kind=str(owner.get("kind") or ""),
        sdk_id=str(owner.get("sdk_id") or "")[:64],
        sdk_name=str(owner.get("sdk_name") or "")[:200],
        cwe=_tags(f.get("cwe"), 200),
        masvs=_tags(f.get("masvs"), 300),
    )


def store_report(scan: Scan, doc: dict[str, Any], *, reused: bool = False) -> Scan:
    """Record a scan's report: the Report row (one per package + engine + options), the
    version in the registry, its findings as rows (with carried-over triage), the scan done.

    Idempotent and atomic: a job retried after its worker was killed, or two identical
    uploads finishing together, leave exactly one report, version and set of findings."""
    with transaction.atomic():
        scan = Scan.objects.select_for_update().get(pk=scan.pk)
        if scan.state == Scan.State.DONE and scan.version_id:
            return scan
        try:
            with transaction.atomic():
                report, _ = Report.objects.get_or_create(
                    package=scan.package,
                    engine_version=scan.engine_version,
                    options_key=scan.options_key,
                    defaults={"document": doc},
                )
        except IntegrityError:  # a concurrent writer won the race
            report = Report.objects.get(
                package=scan.package,
                engine_version=scan.engine_version,
                options_key=scan.options_key,
            )
        version = registry.register_version(
            scan.organisation,
            scan.package,
            report.document,
            file_name=scan.file_name,
            uploaded_by=scan.created_by,
        )
        if not version.findings.exists():
            decided = dict(
                Triage.objects.filter(app_id=version.app_id).values_list("fingerprint", "status")
            )
            rows = []
            seen = set()
            for f in report.document.get("findings") or []:
                if f["fingerprint"] in seen:
                    continue
                seen.add(f["fingerprint"])
                row = _finding_row(f, version)
                row.status = decided.get(row.fingerprint, Triage.Status.OPEN)
                rows.append(row)
            Finding.objects.bulk_create(rows, batch_size=1000)
            counts.add(version.app.organisation_id, rows)
        scan.report, scan.version, scan.reused = report, version, reused
        scan.state, scan.finished_at, scan.error = Scan.State.DONE, timezone.now(), None
        scan.save(update_fields=["report", "version", "reused", "state", "finished_at", "error"])
    return scan


def mark_failed(scan: Scan, error: dict[str, Any]) -> None:
    Scan.objects.filter(pk=scan.pk).exclude(state=Scan.State.DONE).update(
        state=Scan.State.FAILED, error=error, finished_at=timezone.now()
    )


# ------------------------------------------------------------------------------------ triage


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserError("triage.reason_required", "A reason is required.", "必须填写原因。")
    return reason[:MAX_REASON]


def _require(user, capability: str, app: App) -> None:
    if not access.can(user, capability, app=app):
        raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)


def set_status(user, app: App, fingerprint: str, status: str, reason: str, request=None) -> Triage:
    """Decide a finding's status for the app (all versions carrying the fingerprint)."""
    _require(user, roles.TRIAGE, app)
    reason = _reason(reason)
    if status not in Triage.Status.values:
        raise UserError("triage.bad_status", "Unknown status.", "未知的状态。")
    finding = Finding.objects.filter(app=app, fingerprint=fingerprint).first()
    if finding is None:
        raise UserError("not_found", "No such finding.", "没有该发现。", status=404)
    with transaction.atomic():
        t, created = Triage.objects.select_for_update().get_or_create(
            app=app,
            fingerprint=fingerprint,
            defaults={
                "check_id": finding.check_id,
                "status": status,
                "reason": reason,
                "decided_by": user,
                "decided_at": timezone.now(),
            },
        )
        old = "open" if created else t.status
        if not created:
            t.status, t.reason, t.decided_by, t.decided_at = (status, reason, user, timezone.now())
            t.save()
        Finding.objects.filter(app=app, fingerprint=fingerprint).update(status=status)
        TriageEvent.objects.create(
            app=app,
            fingerprint=fingerprint,
            kind="status",
            old_status=old,
            status=status,
            reason=reason,
            actor=user,
        )
        audit.record(
            "triage",
            actor=user,
            organisation=app.organisation,
            target=f"{app.public_id}:{fingerprint}",
            details={"from": old, "to": status},
            request=request,
        )
    return t


def dispute(user, app: App, fingerprint: str, reason: str, request=None) -> Triage:
    """A vendor contests a finding on its app; testers see the dispute and its reason."""
    _require(user, roles.DISPUTE, app)
    reason = _reason(reason)
    finding = Finding.objects.filter(app=app, fingerprint=fingerprint).first()
    if finding is None:
        raise UserError("not_found", "No such finding.", "没有该发现。", status=404)
    with transaction.atomic():
        t, _ = Triage.objects.select_for_update().get_or_create(
            app=app,
            fingerprint=fingerprint,
            defaults={
                "check_id": finding.check_id,
                "status": Triage.Status.OPEN,
                "reason": "",
                "decided_by": None,
                "decided_at": timezone.now(),
            },
        )
        t.disputed, t.dispute_reason = True, reason
        t.save(update_fields=["disputed", "dispute_reason"])
        TriageEvent.objects.create(
            app=app,
            fingerprint=fingerprint,
            kind="dispute",
            status=t.status,
            old_status=t.status,
            reason=reason,
            actor=user,
        )
        audit.record(
            "dispute",
            actor=user,
            organisation=app.organisation,
            target=f"{app.public_id}:{fingerprint}",
            request=request,
        )
    return t


# ----------------------------------------------------------------------------------- exports

ACCEPTED = (Triage.Status.FALSE_POSITIVE, Triage.Status.ACCEPTED_RISK)


def suppressions_document(apps) -> dict[str, Any]:
    """The CLI's suppressions file (JSON form) from the decisions on ``apps``: every finding
    decided false positive or accepted risk, by fingerprint, with the reason."""
    entries = []
    for t in (
        Triage.objects.filter(app__in=apps, status__in=ACCEPTED)
        .select_related("app")
        .order_by("app__package_name", "check_id", "fingerprint")
    ):
        entries.append(
            {
                "fingerprint": t.fingerprint,
                "reason": f"{t.status}: {t.reason} ({t.app.package_name}, {t.check_id})",
            }
        )
    return {"suppress": entries}
