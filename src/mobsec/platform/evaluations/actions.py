"""Business rules of evaluations: schemes, item results from a scan, manual evidence, the
four-eyes review, report numbers, certificates and their automatic suspension.

Pages call these functions; nothing of this lives in a view.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mobsec.certification import certdoc, decide, schemes
from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.keys import custody
from mobsec.platform.scans.models import Scan, Triage

from .models import (
    Certificate,
    Evaluation,
    EvaluationEvent,
    EvidenceFile,
    ItemResult,
    ReportCounter,
    Scheme,
)
from .roles import APPROVE

log = logging.getLogger(__name__)
MAX_REASON = 4000
MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
MAX_SCHEME_BYTES = 256 * 1024
DEFAULT_VALIDITY_DAYS = 365
MANUAL_RESULTS = (
    ItemResult.Result.PASS,
    ItemResult.Result.FAIL,
    ItemResult.Result.NOT_APPLICABLE,
)


def _forbidden() -> UserError:
    return UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)


def _require(user, capability: str, organisation: Organisation) -> None:
    if not access.can(user, capability, organisation=organisation):
        raise _forbidden()


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserError("evaluation.reason_required", "A reason is required.", "必须填写原因。")
    return reason[:MAX_REASON]


def _event(ev: Evaluation, kind: str, actor, item_id: str = "", **details) -> None:
    EvaluationEvent.objects.create(
        evaluation=ev, kind=kind, item_id=item_id, details=details, actor=actor
    )


# ----------------------------------------------------------------------------------- schemes


def sync_builtin_schemes() -> None:
    """Store the schemes shipped with mobsec (a new version is a new row; old ones stay, as
    evaluations refer to them)."""
    for path in sorted(schemes.builtin_dir().glob("*.yaml")):
        text = path.read_text("utf-8")
        parsed = _parse(text, path.name)
        if not Scheme.objects.filter(
            organisation=None, scheme_id=parsed.id, version=parsed.version
        ).exists():
            try:
                with transaction.atomic():
                    _store_scheme(parsed, text, None, None)
            except IntegrityError:
                pass  # stored meanwhile by another process


def _store_scheme(parsed: schemes.Scheme, text: str, organisation, user) -> Scheme:
    return Scheme.objects.create(
        organisation=organisation,
        scheme_id=parsed.id,
        version=parsed.version,
        code=parsed.code[:200],
        title_en=parsed.title.en[:500],
        title_zh=parsed.title.zh[:500],
        needs_review=parsed.needs_review,
        source=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        created_by=user,
    )


@lru_cache(maxsize=64)
def _parse(text: str, name: str) -> schemes.Scheme:
    return schemes.parse_scheme(text, name)


def parsed(scheme: Scheme) -> schemes.Scheme:
    return _parse(scheme.source, f"{scheme.scheme_id}-{scheme.version}.yaml")


def add_scheme(user, organisation: Organisation, upload, request=None) -> Scheme:
    """An organisation's own scheme from an uploaded YAML file; a bad file is a UserError
    naming the file, the line and the problem."""
    if not (
        access.can(user, APPROVE, organisation=organisation)
        or access.can(user, roles.MANAGE, organisation=organisation)
    ):
        raise _forbidden()
    name = "".join(c for c in (getattr(upload, "name", "") or "scheme.yaml") if c.isprintable())
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:100] or "scheme.yaml"
    data = upload.read(MAX_SCHEME_BYTES + 1)
    if len(data) > MAX_SCHEME_BYTES:
        raise UserError(
            "scheme.too_large",
            f"{name}: larger than {MAX_SCHEME_BYTES // 1024} KiB",
            f"{name}:超过 {MAX_SCHEME_BYTES // 1024} KiB",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(
            "scheme.invalid", f"{name}: not UTF-8 text", f"{name}:不是 UTF-8 文本"
        ) from None
    try:
        scheme = schemes.parse_scheme(text, name)
    except schemes.SchemeFileError as e:
        where = f"{e.file}:{e.line}" if e.line else e.file
        raise UserError("scheme.invalid", f"{where}: {e.en}", f"{where}:{e.zh}") from None
    try:
        with transaction.atomic():
            row = _store_scheme(scheme, text, organisation, user)
    except IntegrityError:
        raise UserError(
            "scheme.exists",
            f"{name}: scheme {scheme.id} version {scheme.version} exists; give a new version",
            f"{name}:评估方案 {scheme.id} 版本 {scheme.version} 已存在,请使用新的版本号",
        ) from None
    audit.record(
        "scheme.add",
        actor=user,
        organisation=organisation,
        target=row.public_id,
        details={"scheme": scheme.id, "version": scheme.version},
        request=request,
    )
    return row


def visible_schemes(user):
    """Shipped schemes and the schemes of the organisations the user can read."""
    sync_builtin_schemes()
    orgs = access.organisations(user, roles.VIEW)
    return Scheme.objects.filter(Q(organisation=None) | Q(organisation__in=orgs))


# ------------------------------------------------------------------------------- evaluations


def visible_evaluations(user):
    """Evaluations of the organisations whose data the user may read (not vendors: an
    evaluation is the testing organisation's work until its report is issued)."""
    return Evaluation.objects.filter(organisation__in=access.organisations(user, roles.VIEW))


def _false_positives(app_id: int) -> set[str]:
    return set(
        Triage.objects.filter(app_id=app_id, status=Triage.Status.FALSE_POSITIVE).values_list(
            "fingerprint", flat=True
        )
    )


def start(user, scan: Scan, scheme: Scheme, client: str, request=None) -> Evaluation:
    """Evaluate the app version a finished scan read: every item decided from its report."""
    if scan.state != Scan.State.DONE or scan.version_id is None or scan.report_id is None:
        raise UserError(
            "evaluation.scan_not_done", "The scan has not finished.", "该检测尚未完成。"
        )
    org = scan.version.app.organisation
    _require(user, roles.TRIAGE, org)
    if scheme.organisation_id not in (None, org.pk):
        raise UserError("not_found", "No such scheme.", "没有该评估方案。", status=404)
    client = (client or "").strip()[:300]
    if not client:
        raise UserError(
            "evaluation.client_required",
            "Name the client (who commissioned the test).",
            "请填写委托方。",
        )
    decisions = decide.decide(
        parsed(scheme), scan.report.document, _false_positives(scan.version.app_id)
    )
    with transaction.atomic():
        ev = Evaluation.objects.create(
            organisation=org,
            version=scan.version,
            scan=scan,
            scheme=scheme,
            client=client,
            tester=user,
        )
        ItemResult.objects.bulk_create(
            ItemResult(
                evaluation=ev,
                item_id=d.item_id,
                position=i,
                automatic=d.result,
                basis=d.to_json(),
                result=d.result,
            )
            for i, d in enumerate(decisions)
        )
        _event(ev, "started", user, scan=scan.public_id, scheme=scheme.scheme_id)
    audit.record(
        "evaluation.start", actor=user, organisation=org, target=ev.public_id, request=request
    )
    return ev


def _evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def evidence_path(sha256: str) -> Path:
    return _evidence_dir() / sha256[:2] / sha256


def _store_evidence(upload) -> tuple[str, int]:
    """Write an uploaded file under its SHA-256 (streamed, bounded)."""
    d = _evidence_dir()
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f".upload-{secrets.token_hex(8)}"
    h, size = hashlib.sha256(), 0
    try:
        with open(tmp, "xb") as f:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > MAX_EVIDENCE_BYTES:
                    raise UserError(
                        "evidence.too_large",
                        f"An evidence file is larger than {MAX_EVIDENCE_BYTES >> 20} MiB.",
                        f"证据文件超过 {MAX_EVIDENCE_BYTES >> 20} MiB。",
                        status=413,
                    )
                h.update(chunk)
                f.write(chunk)
        digest = h.hexdigest()
        final = evidence_path(digest)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            tmp.unlink()
        else:
            tmp.replace(final)
        return digest, size
    finally:
        tmp.unlink(missing_ok=True)


def _display_name(name: str | None) -> str:
    base = (name or "evidence").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "evidence"


def record_item(
    user, ev: Evaluation, item_id: str, result: str, reason: str, files=(), request=None
) -> ItemResult:
    """A tester's manual result for an item, with a reason and evidence files. A pass or
    fail needs at least one evidence file on the item."""
    _require(user, roles.TRIAGE, ev.organisation)
    if ev.state != Evaluation.State.DRAFT:
        raise UserError(
            "evaluation.not_draft",
            "The evaluation is submitted or approved; it can no longer be changed.",
            "该评估已提交或已批准,不能再修改。",
        )
    if result not in MANUAL_RESULTS:
        raise UserError("evaluation.bad_result", "Unknown result.", "未知的结果。")
    reason = _reason(reason)
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise UserError(
            "evidence.too_many",
            f"At most {MAX_EVIDENCE_FILES} files at once.",
            f"一次最多 {MAX_EVIDENCE_FILES} 个文件。",
        )
    item = ev.items.filter(item_id=item_id).first()
    if item is None:
        raise UserError("not_found", "No such item.", "没有该条目。", status=404)
    if result != ItemResult.Result.NOT_APPLICABLE and not files and not item.evidence.exists():
        raise UserError(
            "evidence.required",
            "Attach the evidence (a screenshot, recording or log) for this result.",
            "请附上该结果的证据(截图、录屏或日志)。",
        )
    stored = [
        (_display_name(f.name), *_store_evidence(f), getattr(f, "content_type", "")) for f in files
    ]
    with transaction.atomic():
        old = item.result
        item.result, item.reason, item.manual = result, reason, True
        item.decided_by, item.decided_at = user, timezone.now()
        item.save()
        for name, digest, size, ctype in stored:
            EvidenceFile.objects.create(
                item=item,
                name=name,
                sha256=digest,
                size=size,
                content_type=(ctype or "")[:100],
                uploaded_by=user,
            )
        _event(
            ev,
            "item",
            user,
            item_id,
            old=old,
            new=result,
            reason=reason,
            evidence=[{"name": n, "sha256": d} for n, d, _s, _c in stored],
        )
    audit.record(
        "evaluation.item",
        actor=user,
        organisation=ev.organisation,
        target=f"{ev.public_id}:{item_id}",
        details={"from": old, "to": result},
        request=request,
    )
    return item


def submit(user, ev: Evaluation, request=None) -> Evaluation:
    _require(user, roles.TRIAGE, ev.organisation)
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
        if ev.state != Evaluation.State.DRAFT:
            raise UserError(
                "evaluation.not_draft", "The evaluation is not in progress.", "该评估不在进行中。"
            )
        open_items = list(
            ev.items.filter(result=ItemResult.Result.NEEDS_EVIDENCE).values_list(
                "item_id", flat=True
            )
        )
        if open_items:
            shown = ", ".join(open_items[:10])
            raise UserError(
                "evaluation.incomplete",
                f"Items still need manual evidence: {shown}",
                f"以下条目仍需人工证据:{shown}",
            )
        ev.state, ev.submitted_at = Evaluation.State.SUBMITTED, timezone.now()
        ev.save(update_fields=["state", "submitted_at"])
        _event(ev, "submitted", user)
    audit.record(
        "evaluation.submit", actor=user, organisation=ev.organisation, target=ev.public_id,
        request=request,
    )  # fmt: skip
    return ev


def performed_by(ev: Evaluation) -> set[int]:
    """Who performed the evaluation: its tester and everyone who decided an item."""
    ids = set(ev.items.exclude(decided_by=None).values_list("decided_by_id", flat=True))
    return ids | {ev.tester_id}


def _check_reviewer(user, ev: Evaluation) -> None:
    _require(user, APPROVE, ev.organisation)
    if user.pk in performed_by(ev):
        raise UserError(
            "evaluation.four_eyes",
            "The reviewer must be someone other than the people who performed the evaluation.",
            "审核人必须是未参与该评估的另一人(四眼原则)。",
            status=403,
        )


def return_for_changes(user, ev: Evaluation, reason: str, request=None) -> Evaluation:
    _check_reviewer(user, ev)
    reason = _reason(reason)
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
        if ev.state != Evaluation.State.SUBMITTED:
            raise UserError("evaluation.not_submitted", "Not submitted.", "该评估未提交。")
        ev.state, ev.submitted_at = Evaluation.State.DRAFT, None
        ev.save(update_fields=["state", "submitted_at"])
        _event(ev, "returned", user, reason=reason)
    audit.record(
        "evaluation.return", actor=user, organisation=ev.organisation, target=ev.public_id,
        request=request,
    )  # fmt: skip
    return ev


def _next_report_number(organisation: Organisation, year: int) -> str:
    """Sequential per organisation: the counter row is locked while numbering, so two
    approvals at once get consecutive numbers, never the same one."""
    try:
        with transaction.atomic():  # the first number: two approvals may create the row
            ReportCounter.objects.get_or_create(organisation=organisation)
    except IntegrityError:
        pass  # created by the other one, committed meanwhile
    counter = ReportCounter.objects.select_for_update().get(organisation=organisation)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"R-{year}-{counter.last:05d}"


def approve(user, ev: Evaluation, request=None) -> Evaluation:
    _check_reviewer(user, ev)
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
        if ev.state != Evaluation.State.SUBMITTED:
            raise UserError("evaluation.not_submitted", "Not submitted.", "该评估未提交。")
        now = timezone.now()
        ev.conclusion = decide.conclusion(list(ev.items.values_list("result", flat=True)))
        ev.state, ev.reviewer, ev.approved_at = Evaluation.State.APPROVED, user, now
        ev.report_number = _next_report_number(ev.organisation, now.year)
        ev.save(update_fields=["conclusion", "state", "reviewer", "approved_at", "report_number"])
        _event(ev, "approved", user, conclusion=ev.conclusion, report_number=ev.report_number)
    audit.record(
        "evaluation.approve",
        actor=user,
        organisation=ev.organisation,
        target=ev.public_id,
        details={"report_number": ev.report_number, "conclusion": ev.conclusion},
        request=request,
    )
    return ev


# ------------------------------------------------------------------------------ certificates


def key_name(organisation: Organisation) -> str:
    """The issuing organisation's certificate key in the platform's key custody."""
    return f"certificates-org-{organisation.pk}"


def person(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.username)[:200]


def certificate_document(cert_serial: str, ev: Evaluation, issued, until, verify_url: str) -> dict:
    v, app, pkg = ev.version, ev.version.app, ev.version.package
    s = parsed(ev.scheme)
    return {
        "format": certdoc.FORMAT,
        "serial": cert_serial,
        "issuer": {"organisation": ev.organisation.name, "id": ev.organisation.public_id},
        "subject": {
            "platform": app.platform,
            "package_name": app.package_name,
            "label": app.label,
            "version_name": v.version_name,
            "version_code": v.version_code,
            "signer_sha256": app.signer_sha256,
            "package_sha256": pkg.sha256,
            "package_size": pkg.size,
        },
        "scheme": {
            "id": s.id,
            "version": s.version,
            "code": s.code,
            "title": s.title.to_json(),
        },
        "evaluation": {
            "report_number": ev.report_number,
            "conclusion": ev.conclusion,
            "tester": person(ev.tester),
            "reviewer": person(ev.reviewer),
            "approved_at": certdoc.utc_text(ev.approved_at),
        },
        "issued_at": certdoc.utc_text(issued),
        "valid_from": certdoc.utc_text(issued),
        "valid_until": certdoc.utc_text(until),
        "verify_url": verify_url,
    }


def issue_certificate(
    user, ev: Evaluation, verify_url_for, days: int = DEFAULT_VALIDITY_DAYS, request=None
) -> Certificate:
    """Sign and store the certificate of an approved, passed evaluation. ``verify_url_for``
    turns a serial into the public verification page's absolute URL (printed as QR code)."""
    _check_reviewer(user, ev)
    if ev.state != Evaluation.State.APPROVED or ev.conclusion != decide.PASS:
        raise UserError(
            "certificate.not_passed",
            "Only an approved evaluation that passed gets a certificate.",
            "只有已批准且结论为通过的评估才能颁发证书。",
        )
    if not 1 <= days <= 3 * 365:
        raise UserError(
            "certificate.bad_validity",
            "The validity period is 1 to 1095 days.",
            "有效期为 1 至 1095 天。",
        )
    if Certificate.objects.filter(evaluation=ev).exists():
        raise UserError(
            "certificate.exists", "A certificate was already issued.", "该评估已颁发证书。"
        )
    issued = timezone.now().replace(microsecond=0)
    until = issued + timedelta(days=days)
    serial = f"C-{issued:%Y%m%d}-{secrets.token_hex(5).upper()}"
    doc = certificate_document(serial, ev, issued, until, verify_url_for(serial))
    key = custody.signing_key(key_name(ev.organisation))
    signed = certdoc.sign(doc, key)
    with transaction.atomic():
        cert = Certificate.objects.create(
            serial=serial,
            organisation=ev.organisation,
            evaluation=ev,
            version=ev.version,
            signed=signed,
            key_id=certdoc.key_id(key.public_key()),
            issued_by=user,
            issued_at=issued,
            valid_until=until,
        )
        _event(ev, "certificate", user, serial=serial, valid_until=doc["valid_until"])
    audit.record(
        "certificate.issue",
        actor=user,
        organisation=ev.organisation,
        target=serial,
        request=request,
    )
    return cert


def revoke(user, cert: Certificate, reason: str, request=None) -> Certificate:
    if not (
        access.can(user, APPROVE, organisation=cert.organisation)
        or access.can(user, roles.MANAGE, organisation=cert.organisation)
    ):
        raise _forbidden()
    reason = _reason(reason)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=cert.pk)
        if cert.status == Certificate.Status.REVOKED:
            raise UserError("certificate.revoked", "Already revoked.", "证书已被撤销。")
        cert.status, cert.status_reason = Certificate.Status.REVOKED, reason
        cert.status_changed_at = timezone.now()
        cert.save(update_fields=["status", "status_reason", "status_changed_at"])
        _event(cert.evaluation, "revoked", user, serial=cert.serial, reason=reason)
    audit.record(
        "certificate.revoke", actor=user, organisation=cert.organisation, target=cert.serial,
        details={"reason": reason}, request=request,
    )  # fmt: skip
    return cert


def _new_failures(item: ItemResult, now: decide.ItemDecision) -> bool:
    """A later scan fails an item when it now fails for a reason the evaluation did not
    already weigh (a tester may have overruled the automatic result with evidence)."""
    if now.result != decide.FAIL:
        return False
    if item.automatic != decide.FAIL:
        return True
    before = item.basis or {}
    old_fp = {f.get("fingerprint") for f in before.get("findings") or []}
    old_pi = {
        p.get("ref")
        for p in before.get("privacy") or []
        if p.get("result") == "violation-suspected"
    }
    new_fp = {f.get("fingerprint") for f in now.findings}
    new_pi = {p.get("ref") for p in now.privacy if p.get("result") == "violation-suspected"}
    return bool(new_fp - old_fp or new_pi - old_pi)


def suspend_on_failing_scan(scan: Scan) -> list[Certificate]:
    """Called when a scan is stored: every valid certificate of the scanned version whose
    scheme the new report fails is suspended (emergency re-scans with new rules included)."""
    if scan.version_id is None or scan.report_id is None:
        return []
    suspended = []
    certs = Certificate.objects.filter(
        version_id=scan.version_id, status=Certificate.Status.VALID
    ).select_related("evaluation__scheme", "evaluation__scan", "organisation")
    for cert in certs:
        ev = cert.evaluation
        if ev.scan_id == scan.pk or (scan.finished_at and scan.finished_at < cert.issued_at):
            continue
        decisions = {
            d.item_id: d
            for d in decide.decide(
                parsed(ev.scheme), scan.report.document, _false_positives(scan.version.app_id)
            )
        }
        failing = [
            i.item_id
            for i in ev.items.all()
            if i.item_id in decisions and _new_failures(i, decisions[i.item_id])
        ]
        if not failing:
            continue
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=cert.pk)
            if locked.status != Certificate.Status.VALID:
                continue
            locked.status = Certificate.Status.SUSPENDED
            locked.status_reason = "scan " + scan.public_id + ": " + ", ".join(failing)[:3000]
            locked.status_changed_at = timezone.now()
            locked.suspended_by_scan = scan
            locked.save(
                update_fields=["status", "status_reason", "status_changed_at", "suspended_by_scan"]
            )
            _event(ev, "suspended", None, serial=cert.serial, scan=scan.public_id, items=failing)
        audit.record(
            "certificate.suspend",
            organisation=cert.organisation,
            target=cert.serial,
            details={"scan": scan.public_id, "items": failing},
        )
        log.info("certificate %s suspended by scan %s: %s", cert.serial, scan.public_id, failing)
        suspended.append(locked)
    return suspended
