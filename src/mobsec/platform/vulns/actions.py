"""Business rules of the vulnerability life cycle: pages, the API, the import, the job
hooks and the periodic sweep all call these functions; nothing of this lives in a view.

Each action checks the actor's part on the case (``access.parts``), the legal guards
(``guards.py``), and moves the case through the state machine (``machine.step`` via
:func:`_step`), writing the audit trail (``Transition``) and the platform's audit log in the
same transaction. ``now`` can be given (tests drive a controlled clock); it defaults to the
current time.

Publishing: ``disclose(vuln, actor, advisory_ref, now=...)`` — refuses with
:class:`guards.GuardError` while ``guards.publication_blockers`` names a reason.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mobsec.platform.accounts import audit
from mobsec.platform.accounts.models import Organisation, User
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry.models import App, Version

from . import access, attachments, conf, guards, machine, rating
from .machine import State
from .models import (
    CaseAssignment,
    Channel,
    Convention,
    ConventionSignature,
    DetailShare,
    IntakeLogEntry,
    JointAssessment,
    NationalReport,
    OrganisationProfile,
    PublicationFreeze,
    Transition,
    VendorResponse,
    Vulnerability,
)

MAX_TEXT = 20_000
PLATFORMS = ("android", "ios", "harmony", "miniprogram")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def forbidden() -> UserError:
    return UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)


def not_found() -> UserError:
    return UserError("not_found", "No such vulnerability.", "没有该漏洞。", status=404)


def _required(value: str, field: str, zh: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise UserError("vulns.required", f"{field} is required.", f"必须填写{zh}。")
    return value[:limit]


def _part(user, vuln: Vulnerability, action: str) -> str:
    """The part in which ``user`` takes ``action`` (the first the machine allows)."""
    mine = {machine.SYSTEM} if user is None else access.parts(user, vuln)
    allowed = machine.TRANSITIONS[action].parts & mine if action in machine.TRANSITIONS else set()
    if not mine - {machine.SYSTEM} and user is not None:
        raise not_found()  # not on the case: the case does not exist for them
    if not allowed:
        raise _invalid(action, vuln.state, mine)
    for p in (machine.SYSTEM, machine.VERIFIER, machine.COORDINATOR, machine.VENDOR,
              machine.REPORTER):  # fmt: skip
        if p in allowed:
            return p
    raise _invalid(action, vuln.state, mine)


def _invalid(action: str, state: str, parts) -> UserError:
    e = machine.InvalidTransition(action, state, frozenset(parts))
    return UserError("vulns.invalid_transition", e.en, e.zh, status=409)


def _step(
    vuln: Vulnerability,
    actor,
    action: str,
    now: datetime,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    request=None,
    part: str | None = None,
) -> Vulnerability:
    """Move the locked case by ``action``: state, fields, trail and audit in one go."""
    part = part or _part(actor, vuln, action)
    try:
        target = machine.next_state(action, vuln.state, {part})
    except machine.InvalidTransition as e:
        raise UserError("vulns.invalid_transition", e.en, e.zh, status=409) from None
    old = vuln.state
    for k, v in (fields or {}).items():
        setattr(vuln, k, v)
    vuln.state = target
    vuln.save()
    Transition.objects.create(
        vulnerability=vuln, action=action, from_state=old, to_state=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None, part=part,
        reason=reason[:MAX_TEXT], details=details or {}, at=now,
    )  # fmt: skip
    audit.record(
        f"vuln.{action}"[:40], actor=actor, target=vuln.public_id,
        details={"from": old, "to": target, "part": part, **(details or {})}, request=request,
    )  # fmt: skip
    return vuln


def _locked(vuln: Vulnerability) -> Vulnerability:
    return Vulnerability.objects.select_for_update().get(pk=vuln.pk)


# ------------------------------------------------------------------------------------ intake


@dataclass
class Submission:
    """A report as received (from the portal form, the API or a batch row)."""

    package_name: str
    title: str
    description: str
    app_version: str = ""
    platform: str = "android"
    cwe: str = ""
    check_id: str = ""
    location: str = ""
    reproduction: str = ""
    impact: str = ""
    suggested_severity: str = ""
    credit_name: str = ""
    contact: str = ""
    partner_ref: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Submission:
        known = cls.__dataclass_fields__
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise UserError("vulns.unknown_field", f"Unknown field(s): {', '.join(unknown)}.",
                            f"未知字段：{', '.join(unknown)}。")  # fmt: skip
        values = {}
        for k, v in data.items():
            if v is None:
                continue
            if not isinstance(v, (str, int)):
                raise UserError("vulns.bad_field", f"Field {k!r} must be text.",
                                f"字段 {k!r} 必须是文本。")  # fmt: skip
            values[k] = str(v)
        return cls(**{"package_name": "", "title": "", "description": "", **values})


def clean_cwe(value: str) -> str:
    value = (value or "").strip().upper()
    if not value:
        return ""
    digits = value.removeprefix("CWE-")
    if not digits.isdigit() or len(digits) > 6:
        raise UserError("vulns.bad_cwe", f"{value[:40]!r} is not a CWE id (CWE-295).",
                        f"{value[:40]!r} 不是 CWE 编号（如 CWE-295）。")  # fmt: skip
    return f"CWE-{int(digits)}"


def dedup_key(package_name: str, cwe: str, check_id: str, location: str) -> str:
    """Same app + weakness + location fingerprint: an exact duplicate."""
    norm = "\0".join(s.strip().lower() for s in (package_name, cwe, check_id, location))
    return hashlib.sha256(norm.encode()).hexdigest()


def _validate(sub: Submission) -> Submission:
    sub.package_name = _required(sub.package_name, "The package name", "包名", 255)
    sub.title = _required(sub.title, "A title", "标题", 300)
    sub.description = _required(sub.description, "A description", "描述")
    if sub.platform not in PLATFORMS:
        raise UserError("vulns.bad_platform", f"Platform must be one of {', '.join(PLATFORMS)}.",
                        f"平台必须是 {', '.join(PLATFORMS)} 之一。")  # fmt: skip
    sub.cwe = clean_cwe(sub.cwe)
    if not sub.cwe and not sub.check_id.strip():
        raise UserError("vulns.weakness_required",
                        "Name the weakness: a CWE id and/or one of our check ids.",
                        "请填写漏洞类型：CWE 编号和/或检测项编号。")  # fmt: skip
    if sub.suggested_severity and sub.suggested_severity not in rating.TIERS:
        raise UserError("vulns.bad_severity", "Unknown severity.", "未知的严重程度。")
    for f in ("app_version", "partner_ref"):
        setattr(sub, f, getattr(sub, f).strip()[:100])
    sub.check_id, sub.location = sub.check_id.strip()[:120], sub.location.strip()[:500]
    sub.reproduction, sub.impact = sub.reproduction[:MAX_TEXT], sub.impact[:MAX_TEXT]
    sub.credit_name, sub.contact = sub.credit_name.strip()[:120], sub.contact.strip()[:254]
    return sub


def _content_digest(sub: Submission, files: list[dict[str, Any]]) -> str:
    doc = {**sub.__dict__, "attachments": files}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def acknowledgement(vuln: Vulnerability, token: str | None) -> str:
    text = (
        f"已收到您的漏洞报告 {vuln.public_id}（{vuln.package_name}：{vuln.title}），"
        f"接收时间 {vuln.received_at:%Y-%m-%d %H:%M} UTC。\n"
        f"We received your vulnerability report {vuln.public_id} ({vuln.package_name}: "
        f"{vuln.title}) at {vuln.received_at:%Y-%m-%d %H:%M} UTC."
    )
    if token:
        text += "\n跟进凭证 / follow-up token: " + token
    return text


def submit(
    sub: Submission,
    files: list = (),
    *,
    reporter=None,
    organisation: Organisation | None = None,
    channel: str = Channel.PORTAL,
    request=None,
    now: datetime | None = None,
) -> tuple[Vulnerability, str | None, IntakeLogEntry]:
    """Receive a report: the case, its attachments, the intake log entry and the
    acknowledgement (shown, and notified to a registered reporter). An anonymous report
    gets a follow-up token (returned once, only its SHA-256 is kept)."""
    now = _now(now)
    sub = _validate(sub)
    files = list(files)
    if len(files) > conf.max_attachments():
        raise UserError("vulns.too_many_attachments",
                        f"At most {conf.max_attachments()} attachments.",
                        f"附件最多 {conf.max_attachments()} 个。")  # fmt: skip
    anonymous = not getattr(reporter, "is_authenticated", False)
    token = ("vft_" + secrets.token_urlsafe(24)) if anonymous else None
    with transaction.atomic():
        vuln = Vulnerability.objects.create(
            channel=Channel.ANONYMOUS if anonymous and channel == Channel.PORTAL else channel,
            reporter=None if anonymous else reporter, reporter_org=organisation,
            follow_up_digest=hashlib.sha256(token.encode()).hexdigest() if token else "",
            reporter_contact=sub.contact, credit_name=sub.credit_name,
            partner_ref=sub.partner_ref, package_name=sub.package_name,
            app_version=sub.app_version, platform=sub.platform, cwe=sub.cwe,
            check_id=sub.check_id, location=sub.location,
            dedup_key=dedup_key(sub.package_name, sub.cwe, sub.check_id, sub.location),
            title=sub.title, description=sub.description, reproduction=sub.reproduction,
            impact=sub.impact, suggested_severity=sub.suggested_severity, received_at=now,
        )  # fmt: skip
        stored = [attachments.add(vuln, f, reporter) for f in files]
        listed = [{"sha256": a.sha256, "size": a.size, "name": a.name} for a in stored]
        entry = IntakeLogEntry.objects.create(
            received_at=now, vulnerability=vuln, channel=vuln.channel,
            reporter="" if anonymous else reporter.username,
            reporter_org=organisation.name if organisation else "",
            package_name=vuln.package_name, title=vuln.title,
            content_sha256=_content_digest(sub, listed), attachments=listed,
            acknowledgement=acknowledgement(vuln, None), ip=audit.client_ip(request),
        )  # fmt: skip
        Transition.objects.create(vulnerability=vuln, action="receive", from_state="",
                                  to_state=vuln.state, actor=None if anonymous else reporter,
                                  part=machine.REPORTER, at=now,
                                  details={"channel": vuln.channel})  # fmt: skip
        audit.record("vuln.receive", actor=reporter, organisation=organisation,
                     target=vuln.public_id, request=request)  # fmt: skip
        if not anonymous:
            _notify(
                vuln,
                [reporter],
                "vuln.received",
                (f"Report {vuln.public_id} received", f"漏洞报告 {vuln.public_id} 已收到"),
            )
        for a in stored:
            if a.kind == a.Kind.PACKAGE:
                from . import fixes

                fixes.scan_attachment(a, reporter)
    return vuln, token, entry


def import_batch(actor, organisation: Organisation, raw: bytes, fmt: str,
                 request=None, now: datetime | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Import a partner organisation's batch (JSON list or CSV with a header row): every
    row is received like a single report (intake log included). Rows with errors are
    reported by row number; the valid ones are kept."""
    from mobsec.platform.accounts import access as accounts_access

    from . import batch, roles

    if not accounts_access.can(actor, roles.IMPORT, organisation=organisation):
        raise forbidden()
    rows = batch.parse(raw, fmt)
    out = []
    for i, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                vuln, _, _ = submit(Submission.from_dict(row), reporter=actor,
                                    organisation=organisation, channel=Channel.IMPORT,
                                    request=request, now=now)  # fmt: skip
            out.append({"row": i, "id": vuln.public_id})
        except UserError as e:
            out.append({"row": i, "error": e.to_json()})
    return out


def find_by_token(token: str) -> Vulnerability | None:
    if not token or not token.startswith("vft_") or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Vulnerability.objects.filter(follow_up_digest=digest).first()


# ------------------------------------------------------------------------------------ triage


def duplicates(vuln: Vulnerability) -> tuple[Vulnerability | None, list[Vulnerability]]:
    """(the first valid earlier report with the same key, near duplicates): same app and
    same weakness (CWE or check id) elsewhere — suggestions for the coordinator."""
    invalid = (State.REJECTED, State.DUPLICATE, State.WITHDRAWN)
    earlier = (
        Vulnerability.objects.exclude(pk=vuln.pk)
        .exclude(state__in=invalid)
        .filter(received_at__lte=vuln.received_at)
    )
    exact = earlier.filter(dedup_key=vuln.dedup_key).order_by("received_at", "pk").first()
    near = (
        Vulnerability.objects.exclude(pk=vuln.pk)
        .exclude(state__in=invalid)
        .filter(package_name__iexact=vuln.package_name)
    )
    weak = []
    if vuln.cwe:
        weak.append(near.filter(cwe=vuln.cwe))
    if vuln.check_id:
        weak.append(near.filter(check_id=vuln.check_id))
    nearby: list[Vulnerability] = []
    for qs in weak:
        nearby += [v for v in qs.order_by("received_at")[:20] if v not in nearby and v != exact]
    return exact, nearby[:20]


def triage(vuln: Vulnerability, actor, *, app: App | None = None, version: Version | None = None,
           reason: str = "", request=None, now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """Link the case to the registered app (and version) and accept it for verification.
    An exact duplicate of an earlier valid report is refused: mark it duplicate instead."""
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        exact, _near = duplicates(vuln)
        if exact is not None:
            raise UserError("vulns.duplicate",
                            f"Same app, weakness and location as {exact.public_id}: mark it "
                            "as a duplicate.",
                            f"与 {exact.public_id} 的应用、类型和位置相同：请标记为重复。",
                            status=409)  # fmt: skip
        if version is not None and app is None:
            app = version.app
        if version is not None and version.app_id != app.pk:
            raise UserError("vulns.bad_version", "The version is not of that app.",
                            "该版本不属于此应用。")  # fmt: skip
        fields = {"triaged_at": now}
        if app is not None:  # the registered name wins (the intake log keeps the reported one)
            fields.update(app=app, platform=app.platform, package_name=app.package_name,
                          vendor=vuln.vendor or app.owner)  # fmt: skip
        if version is not None:
            fields["version"] = version
        return _step(vuln, actor, "triage", now, reason=reason, fields=fields, request=request,
                     details={"app": app.public_id if app else None})  # fmt: skip


def mark_duplicate(vuln: Vulnerability, actor, of: Vulnerability, reason: str = "",
                   request=None, now: datetime | None = None) -> Vulnerability:  # fmt: skip
    now = _now(now)
    if of.pk == vuln.pk or of.state in (State.REJECTED, State.DUPLICATE, State.WITHDRAWN):
        raise UserError("vulns.bad_original", "Name a valid earlier report.",
                        "请指定一个有效的较早报告。")  # fmt: skip
    with transaction.atomic():
        vuln = _locked(vuln)
        return _step(vuln, actor, "mark_duplicate", now, reason=reason, request=request,
                     fields={"duplicate_of": of, "closed_at": now},
                     details={"of": of.public_id})  # fmt: skip


def reject(vuln: Vulnerability, actor, reason: str, request=None,
           now: datetime | None = None) -> Vulnerability:  # fmt: skip
    now = _now(now)
    reason = _required(reason, "A reason", "原因")
    with transaction.atomic():
        return _step(_locked(vuln), actor, "reject", now, reason=reason, request=request,
                     fields={"closed_at": now})  # fmt: skip


def withdraw(vuln: Vulnerability, actor, reason: str = "", request=None,
             now: datetime | None = None, *, token_holder: bool = False) -> Vulnerability:  # fmt: skip
    """The reporter (signed in, or an anonymous one with the follow-up token) withdraws."""
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        part = machine.REPORTER if token_holder else None
        return _step(vuln, actor, "withdraw", now, reason=reason, request=request,
                     fields={"closed_at": now}, part=part)  # fmt: skip


def assign(vuln: Vulnerability, actor, user: User, part: str = machine.VERIFIER,
           reason: str = "", request=None, now: datetime | None = None) -> CaseAssignment:  # fmt: skip
    """Put ``user`` on the case. Coordinators assign verifiers (and coordinators); a platform
    administrator may assign himself only with a reason: audited, shown on the case, and
    notified to the case's verifier — never silently."""
    from mobsec.platform.accounts import access as accounts_access

    now = _now(now)
    if part not in (machine.VERIFIER, machine.COORDINATOR):
        raise UserError("vulns.bad_part", "Assign as verifier or coordinator.",
                        "只能指派为验证人或协调人。")  # fmt: skip
    self_admin = (
        user.pk == getattr(actor, "pk", None)
        and accounts_access.is_platform_admin(actor)
        and not access.is_coordinator(actor)
    )
    if not (access.is_coordinator(actor) or self_admin):
        raise not_found() if not access.parts(actor, vuln) else forbidden()
    if self_admin:
        reason = _required(reason, "A reason for assigning yourself", "自我指派的原因")
    if part == machine.VERIFIER and not access.is_verifier(user):
        raise UserError("vulns.not_verifier", f"{user.username} is not a verifier.",
                        f"{user.username} 不是验证人。")  # fmt: skip
    if part == machine.COORDINATOR and not (access.is_coordinator(user) or self_admin):
        raise UserError("vulns.not_coordinator", f"{user.username} is not a coordinator.",
                        f"{user.username} 不是协调人。")  # fmt: skip
    with transaction.atomic():
        vuln = _locked(vuln)
        if vuln.state in machine.FINAL:
            raise _invalid("assign", vuln.state, access.parts(actor, vuln))
        a = CaseAssignment.objects.create(vulnerability=vuln, user=user, part=part,
                                          assigned_by=actor, reason=reason, at=now)  # fmt: skip
        details = {"user": user.username, "part": part, "self_assigned_admin": self_admin}
        if vuln.state == State.TRIAGED and part == machine.VERIFIER:
            _step(vuln, actor, "assign", now, reason=reason, details=details, request=request,
                  part=machine.COORDINATOR)  # fmt: skip
        else:
            Transition.objects.create(vulnerability=vuln, action="assign",
                                      from_state=vuln.state, to_state=vuln.state, actor=actor,
                                      part=machine.COORDINATOR if not self_admin else "admin",
                                      reason=reason, details=details, at=now)  # fmt: skip
            audit.record("vuln.assign", actor=actor, target=vuln.public_id, details=details,
                         request=request)  # fmt: skip
        if self_admin:
            verifiers = [x.user for x in vuln.assignments.filter(part=machine.VERIFIER,
                                                                 active=True)]  # fmt: skip
            _notify(vuln, verifiers, "vuln.admin_assigned",
                    (f"Administrator {user.username} put himself on {vuln.public_id}",
                     f"管理员 {user.username} 将自己加入了 {vuln.public_id}"),
                    (reason, reason))  # fmt: skip
        elif part == machine.VERIFIER:
            _notify(
                vuln,
                [user],
                "vuln.assigned",
                (f"You verify {vuln.public_id}", f"请验证 {vuln.public_id}"),
            )
    return a


# ------------------------------------------------------------------------------ verification


def record_verification(vuln: Vulnerability, actor, notes: str, *, evidence_scan=None,
                        evidence_fingerprint: str = "", request=None,
                        now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """The verifier's reproduction notes, optionally with a platform scan of the affected
    version and the finding in it that shows the vulnerability (the evidence a fix
    re-scan is compared with)."""
    from mobsec.platform.scans.models import Finding

    now = _now(now)
    notes = _required(notes, "Reproduction notes", "复现记录")
    fields: dict[str, Any] = {"verification_notes": notes}
    if evidence_scan is not None:
        fields["evidence_scan"] = evidence_scan
        if evidence_fingerprint:
            f = Finding.objects.filter(version=evidence_scan.version,
                                       fingerprint=evidence_fingerprint).first()  # fmt: skip
            if f is None:
                raise UserError("vulns.no_such_finding",
                                "The scan has no finding with that fingerprint.",
                                "该检测结果中没有此指纹的发现。")  # fmt: skip
            fields.update(evidence_fingerprint=f.fingerprint,
                          check_id=vuln.check_id or f.check_id)  # fmt: skip
            if not vuln.location:
                fields["location"] = "/".join(x for x in (f.class_name, f.method) if x)[:500]
    with transaction.atomic():
        return _step(_locked(vuln), actor, "record_verification", now, reason=notes[:500],
                     fields=fields, request=request,
                     details={"scan": getattr(evidence_scan, "public_id", None),
                              "fingerprint": evidence_fingerprint or None})  # fmt: skip


def confirm(vuln: Vulnerability, actor, *, cvss31: str = "", cvss40: str = "",
            factors: dict | None = None, reason: str = "", request=None,
            now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """Confirm with CVSS (scored by the library) and the list factors; starts the vendor's
    2-day clock for the national report (art. 7)."""
    now = _now(now)
    r = rating.rate(cvss31, cvss40)
    clean = rating.clean_factors(factors)
    with transaction.atomic():
        vuln = _locked(vuln)
        if not vuln.verification_notes:
            raise UserError("vulns.reproduction_required",
                            "Record the reproduction before confirming.",
                            "确认前请先记录复现情况。")  # fmt: skip
        return _step(vuln, actor, "confirm", now, reason=reason, request=request,
                     fields={"cvss31_vector": r.cvss31_vector, "cvss31_score": r.cvss31_score,
                             "cvss40_vector": r.cvss40_vector, "cvss40_score": r.cvss40_score,
                             "severity": r.severity, "factors": clean, "confirmed_at": now},
                     details={"severity": r.severity})  # fmt: skip


def set_vendor(vuln: Vulnerability, actor, vendor: Organisation, reason: str = "",
               request=None, now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """Name (invite) the vendor organisation when the app has no owner in the registry."""
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        if vuln.vendor_notified_at is not None:
            raise UserError("vulns.vendor_fixed", "The vendor was already notified.",
                            "已通知厂商，不能更换。", status=409)  # fmt: skip
        return _step(
            vuln,
            actor,
            "set_vendor",
            now,
            reason=reason,
            request=request,
            fields={"vendor": vendor},
            details={"vendor": vendor.public_id},
        )


def vendor_members(vuln: Vulnerability) -> list[User]:
    if not vuln.vendor_id:
        return []
    return list(User.objects.filter(
        memberships__organisation_id=vuln.vendor_id, memberships__role__in=access.VENDOR_ROLES,
        is_active=True,
    ).distinct())  # fmt: skip


def notify_vendor(vuln: Vulnerability, actor, request=None,
                  now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """Tell the vendor (in the platform and by e-mail); its deadline starts, by severity."""
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        if vuln.vendor_id is None:
            raise UserError("vulns.no_vendor",
                            "No vendor organisation: link the app or name the vendor first.",
                            "没有厂商组织：请先关联应用或指定厂商。", status=409)  # fmt: skip
        due = now + conf.deadline(vuln.severity)
        vuln = _step(
            vuln,
            actor,
            "notify_vendor",
            now,
            request=request,
            fields={"vendor_notified_at": now, "due_at": due},
            details={"vendor": vuln.vendor.public_id, "due_at": due.isoformat()},
        )
        _notify(vuln, vendor_members(vuln), "vuln.vendor_notified",
                (f"Vulnerability {vuln.public_id} in {vuln.package_name}: answer by "
                 f"{due:%Y-%m-%d}",
                 f"{vuln.package_name} 存在漏洞 {vuln.public_id}：请于 {due:%Y-%m-%d} 前处置"),
                ("Severity: " + rating.label(vuln.severity, "en") + ". Report it to the "
                 "national platform within 2 days of confirmation (the platform prepares the "
                 "document).",
                 "严重程度：" + rating.label(vuln.severity, "zh") + "。请在确认后 2 日内向国家"
                 "漏洞平台报送（平台可生成报送材料）。"),
                email=True)  # fmt: skip
    return vuln


def _vendor_event(vuln, actor, action, kind, reason="", now=None, request=None, **extra):
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        fields = extra.pop("fields", {})
        vuln = _step(vuln, actor, action, now, reason=reason, request=request, fields=fields,
                     details={k: str(v) for k, v in extra.items()})  # fmt: skip
        VendorResponse.objects.create(vulnerability=vuln, kind=kind, reason=reason,
                                      actor=actor, at=now, **extra)  # fmt: skip
        return vuln


def acknowledge(vuln, actor, reason: str = "", request=None, now=None) -> Vulnerability:
    return _vendor_event(vuln, actor, "acknowledge", VendorResponse.Kind.ACKNOWLEDGE, reason,
                         now, request)  # fmt: skip


def dispute(vuln, actor, reason: str, request=None, now=None) -> Vulnerability:
    reason = _required(reason, "A reason", "原因")
    vuln = _vendor_event(vuln, actor, "dispute", VendorResponse.Kind.DISPUTE, reason, now,
                         request, fields={"disputed": True})  # fmt: skip
    _notify_desk(vuln, "vuln.disputed", (f"The vendor disputes {vuln.public_id}",
                                         f"厂商对 {vuln.public_id} 提出异议"))  # fmt: skip
    return vuln


def request_extension(vuln, actor, until: datetime, reason: str, request=None,
                      now=None) -> Vulnerability:  # fmt: skip
    now = _now(now)
    reason = _required(reason, "A reason", "原因")
    if vuln.due_at and until <= vuln.due_at:
        raise UserError("vulns.bad_extension", "Ask for a date after the current deadline.",
                        "申请的日期须晚于当前期限。")  # fmt: skip
    vuln = _vendor_event(vuln, actor, "request_extension", VendorResponse.Kind.EXTENSION,
                         reason, now, request, requested_until=until)  # fmt: skip
    _notify_desk(vuln, "vuln.extension", (f"The vendor asks for more time on {vuln.public_id}",
                                          f"厂商申请延长 {vuln.public_id} 的处置期限"))  # fmt: skip
    return vuln


def grant_extension(vuln, actor, response: VendorResponse, grant: bool, reason: str = "",
                    request=None, now=None) -> Vulnerability:  # fmt: skip
    now = _now(now)
    if response.vulnerability_id != vuln.pk or response.kind != VendorResponse.Kind.EXTENSION:
        raise UserError("vulns.bad_extension", "No such extension request.", "没有该延期申请。")
    with transaction.atomic():
        vuln = _locked(vuln)
        fields = {"due_at": response.requested_until, "reminded_at": None,
                  "escalated_at": None} if grant else {}  # fmt: skip
        vuln = _step(vuln, actor, "grant_extension", now, reason=reason, request=request,
                     fields=fields, details={"granted": grant})  # fmt: skip
        VendorResponse.objects.filter(pk=response.pk).update(granted=grant)
    _notify(
        vuln,
        vendor_members(vuln),
        "vuln.extension_decided",
        (
            f"Extension for {vuln.public_id} " + ("granted" if grant else "refused"),
            f"{vuln.public_id} 的延期申请" + ("已批准" if grant else "未批准"),
        ),
        email=True,
    )
    return vuln


def report_fix(vuln, actor, fix_version: str, mitigation: str, request=None,
               now=None) -> Vulnerability:  # fmt: skip
    """The vendor reports a fix in version X (and the fix/mitigation text to publish)."""
    fix_version = _required(fix_version, "The fixed version", "修复版本", 100)
    mitigation = _required(mitigation, "The fix or mitigation", "修复或缓解措施")
    return _vendor_event(vuln, actor, "report_fix", VendorResponse.Kind.FIX, mitigation[:500],
                         now, request, fix_version=fix_version,
                         fields={"fix_version": fix_version, "mitigation": mitigation})  # fmt: skip


def upload_fix(vuln, actor, upload, request=None, now=None):
    """The vendor (or a verifier) uploads the fixed version: it is scanned, and the case is
    fixed when the evidence is gone (``fixes.evaluate``)."""
    from . import fixes

    now = _now(now)
    part = _part(actor, vuln, "upload_fix")
    with transaction.atomic():
        vuln = _locked(vuln)
        check = fixes.start_rescan(vuln, actor, upload, now)
        _step(vuln, actor, "upload_fix", now, request=request, part=part,
              details={"scan": check.scan.public_id})  # fmt: skip
    return check


def mark_fixed(vuln, actor, reason: str, *, check=None, request=None,
               now=None) -> Vulnerability:  # fmt: skip
    """Fixed: by the platform when a re-scan shows the evidence gone (``actor`` None,
    ``check`` given), or by a verifier by hand with a reason."""
    now = _now(now)
    if actor is not None:
        reason = _required(reason, "A reason", "原因")
    with transaction.atomic():
        vuln = _locked(vuln)
        fields = {"fixed_at": now}
        if check is not None and check.scan.version_id:
            fields["fix_version_ref"] = check.scan.version
            if not vuln.fix_version:
                fields["fix_version"] = check.scan.version.version_name[:100]
        vuln = _step(vuln, actor, "mark_fixed", now, reason=reason, request=request,
                     fields=fields,
                     part=machine.SYSTEM if actor is None else None,
                     details={"check": check.public_id if check else None,
                              "by_hand": actor is not None})  # fmt: skip
    people = vendor_members(vuln) + ([vuln.reporter] if vuln.reporter else [])
    _notify(
        vuln,
        people,
        "vuln.fixed",
        (f"{vuln.public_id} is fixed", f"{vuln.public_id} 已修复"),
        email=True,
    )
    return vuln


# ---------------------------------------------------------------------- legal obligations


def national_report_document(vuln: Vulnerability) -> dict[str, Any]:
    """The report to the national platform (art. 7): product, version, type, harm and
    scope, mitigation, fix status."""
    return {
        "product": vuln.package_name,
        "platform": vuln.platform,
        "vendor": vuln.vendor.name if vuln.vendor_id else "",
        "version": vuln.app_version,
        "type": {"cwe": vuln.cwe, "check_id": vuln.check_id},
        "title": vuln.title,
        "harm": vuln.impact or vuln.description[:2000],
        "scope": vuln.factors.get("scope", ""),
        "severity": {"tier": vuln.severity, "zh": rating.label(vuln.severity, "zh"),
                     "cvss_v3_1": vuln.cvss31_vector, "cvss_v4_0": vuln.cvss40_vector},
        "mitigation": vuln.mitigation,
        "fix_status": vuln.state if vuln.state in (State.FIXING, State.FIXED) else "unfixed",
        "fix_version": vuln.fix_version,
        "confirmed_at": vuln.confirmed_at.isoformat() if vuln.confirmed_at else None,
    }  # fmt: skip


def produce_national_report(vuln, actor, request=None, now=None) -> NationalReport:
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        clock = guards.national_report_clock(vuln)
        fields = {} if vuln.national_report_at else {"national_report_at": now}
        vuln = _step(vuln, actor, "national_report", now, request=request, fields=fields)
        return NationalReport.objects.create(
            vulnerability=vuln, document=national_report_document(vuln),
            produced_by=actor, at=now,
            within_deadline=clock.due_at is not None and now <= clock.due_at,
        )  # fmt: skip


def set_disclosure_date(vuln, actor, at: datetime, reason: str, request=None, now=None):
    now = _now(now)
    reason = _required(reason, "A reason (the agreement with the vendor)", "原因（与厂商的约定）")
    with transaction.atomic():
        return _step(_locked(vuln), actor, "set_disclosure_date", now, reason=reason,
                     request=request, fields={"agreed_disclosure_at": at},
                     details={"at": at.isoformat()})  # fmt: skip


def record_joint_assessment(vuln, actor, parties: str, conclusion: str, reported_to: str,
                            request=None, now=None) -> JointAssessment:  # fmt: skip
    now = _now(now)
    parties = _required(parties, "The parties", "参与评估的各方")
    conclusion = _required(conclusion, "The conclusion", "评估结论")
    reported_to = _required(reported_to, "Where it was reported (MIIT, MPS)",
                            "报告情况（工信部、公安部）", 200)  # fmt: skip
    with transaction.atomic():
        vuln = _step(_locked(vuln), actor, "record_joint_assessment", now, reason=conclusion,
                     request=request, details={"reported_to": reported_to})  # fmt: skip
        return JointAssessment.objects.create(vulnerability=vuln, parties=parties,
                                              conclusion=conclusion, reported_to=reported_to,
                                              recorded_by=actor, at=now)  # fmt: skip


def set_mitigation(vuln, actor, mitigation: str, request=None, now=None) -> Vulnerability:
    """Coordinators may also write the mitigation to publish (e.g. a workaround)."""
    now = _now(now)
    mitigation = _required(mitigation, "The fix or mitigation", "修复或缓解措施")
    with transaction.atomic():
        return _step(_locked(vuln), actor, "set_mitigation", now, request=request,
                     fields={"mitigation": mitigation})  # fmt: skip


def disclose(vuln, actor, advisory_ref: str, request=None,
             now: datetime | None = None) -> Vulnerability:  # fmt: skip
    """Publish: the only way to the ``disclosed`` state. Refused with GuardError while
    ``guards.publication_blockers`` gives a reason (no role can skip one)."""
    now = _now(now)
    advisory_ref = _required(advisory_ref, "The advisory reference", "公告编号", 64)
    with transaction.atomic():
        vuln = _locked(vuln)
        _part(actor, vuln, "disclose")  # not on the case: 404 before any guard is shown
        blockers = guards.publication_blockers(vuln, now)
        if blockers:
            audit.record(
                "vuln.disclose_refused",
                actor=actor,
                target=vuln.public_id,
                details={"reasons": [b.code for b in blockers]},
                request=request,
            )
            raise guards.GuardError(blockers)
        return _step(vuln, actor, "disclose", now, request=request,
                     fields={"disclosed_at": now, "advisory_ref": advisory_ref},
                     details={"advisory": advisory_ref})  # fmt: skip


# ----------------------------------------------------------------- freeze, recipients, access


def set_freeze(actor, active: bool, order_ref: str, reason: str = "", request=None,
               now=None) -> PublicationFreeze:  # fmt: skip
    """Switch the regulator-ordered publication freeze (platform administrators only)."""
    from mobsec.platform.accounts import access as accounts_access

    if not accounts_access.is_platform_admin(actor):
        raise forbidden()
    order_ref = _required(order_ref, "The order (who, reference)", "冻结令（发出机关、文号）", 200)
    f = PublicationFreeze.objects.create(active=active, order_ref=order_ref, reason=reason,
                                         set_by=actor, at=_now(now))  # fmt: skip
    audit.record("vuln.freeze", actor=actor, target=order_ref,
                 details={"active": active}, request=request)  # fmt: skip
    return f


def set_overseas(actor, organisation: Organisation, overseas: bool, request=None):
    from mobsec.platform.accounts import access as accounts_access

    if not (accounts_access.is_platform_admin(actor) or access.is_coordinator(actor)):
        raise forbidden()
    OrganisationProfile.objects.update_or_create(organisation=organisation,
                                                 defaults={"overseas": overseas})  # fmt: skip
    audit.record(
        "vuln.overseas",
        actor=actor,
        organisation=organisation,
        target=organisation.public_id,
        details={"overseas": overseas},
        request=request,
    )


def sign_convention(actor, organisation: Organisation, convention: Convention, request=None,
                    now=None) -> ConventionSignature:  # fmt: skip
    """An organisation administrator signs a version of the disclosure convention."""
    from mobsec.platform.accounts import access as accounts_access
    from mobsec.platform.accounts import roles as account_roles

    if not accounts_access.can(actor, account_roles.MANAGE, organisation=organisation):
        raise forbidden()
    sig, created = ConventionSignature.objects.get_or_create(
        organisation=organisation, convention=convention,
        defaults={"signed_by": actor, "signed_at": _now(now)},
    )  # fmt: skip
    if created:
        audit.record("vuln.convention_signed", actor=actor, organisation=organisation,
                     target=convention.version, request=request)  # fmt: skip
    return sig


def share_details(vuln, actor, organisation: Organisation, request=None, now=None) -> DetailShare:
    """Give an organisation outside the case the unpublished details (guarded: never
    overseas other than the provider, only signatories of the convention)."""
    now = _now(now)
    if machine.COORDINATOR not in access.parts(actor, vuln):
        raise not_found() if not access.parts(actor, vuln) else forbidden()
    blockers = guards.detail_recipient_blockers(vuln, organisation)
    if blockers:
        audit.record(
            "vuln.share_refused",
            actor=actor,
            organisation=organisation,
            target=vuln.public_id,
            details={"reasons": [b.code for b in blockers]},
        )
        raise guards.GuardError(blockers)
    share = DetailShare.objects.create(vulnerability=vuln, organisation=organisation,
                                       shared_by=actor, at=now)  # fmt: skip
    audit.record("vuln.share", actor=actor, organisation=organisation, target=vuln.public_id,
                 request=request)  # fmt: skip
    return share


def open_case(vuln_id: str, user, request=None) -> Vulnerability:
    """The case for ``user`` (404 when not on it), its embargoed details' access logged."""
    vuln = access.visible(user).filter(public_id=vuln_id).first()
    if vuln is None:
        raise not_found()
    if vuln.embargoed and guards.user_is_overseas(user, vuln) and vuln.reporter_id != user.pk:
        raise guards.GuardError([guards.Reason(
            "overseas", "Your organisation is marked overseas: unpublished details are not "
            "shown.", "您的组织为境外组织：不显示未公开的漏洞细节。", "art. 9(7) [M]")])  # fmt: skip
    if vuln.embargoed:
        audit.record("vuln.view", actor=user, target=vuln.public_id, request=request)
    return vuln


# ------------------------------------------------------------------------------ notifications


def _notify(vuln, users, kind, title, body=("", ""), *, email=False) -> int:
    """Notify people about a case. The message carries no details (only the id, the app and
    the state): the details stay behind the case page's access checks. Recipients in an
    overseas organisation (other than the provider) are skipped while the case is embargoed."""
    from mobsec.platform.notifications import actions as notifications

    sent = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        if vuln.embargoed and guards.user_is_overseas(user, vuln):
            audit.record("vuln.notify_skipped_overseas", target=vuln.public_id,
                         details={"user": user.username})  # fmt: skip
            continue
        notifications.notify(user, kind, title, body, link=f"/vulns/{vuln.public_id}/",
                             organisation=vuln.vendor if kind.startswith("vuln.vendor") else None,
                             email=email)  # fmt: skip
        sent += 1
    return sent


def coordinators() -> list[User]:
    from . import roles

    return list(User.objects.filter(memberships__role=roles.COORDINATOR.id,
                                    is_active=True).distinct())  # fmt: skip


def _notify_desk(vuln, kind, title, body=("", ""), *, email=False) -> int:
    people = coordinators() + [a.user for a in vuln.assignments.filter(active=True)]
    return _notify(vuln, people, kind, title, body, email=email)


def fix_not_verified(vuln, check, now=None) -> Vulnerability:
    """A re-scan did not show the fix: recorded, the vendor and the desk told."""
    now = _now(now)
    with transaction.atomic():
        vuln = _locked(vuln)
        if vuln.state != State.FIXING:
            return vuln
        vuln = _step(vuln, None, "fix_not_verified", now, part=machine.SYSTEM,
                     reason=check.get_result_display(),
                     details={"check": check.public_id, "result": check.result})  # fmt: skip
    people = vendor_members(vuln) + [a.user for a in vuln.assignments.filter(active=True)]
    _notify(
        vuln,
        people,
        "vuln.fix_not_verified",
        (
            f"The re-scan of {vuln.public_id} does not show the fix ({check.result})",
            f"{vuln.public_id} 的复测未能证实修复（{check.result}）",
        ),
        email=True,
    )
    return vuln
