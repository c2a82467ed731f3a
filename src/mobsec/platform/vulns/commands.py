"""The actions a page form or an API call may ask for by name, with their text fields read
from the request (one table for both, so pages and API accept the same things)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware

from mobsec.platform.accounts.models import Organisation, User
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry.models import App, Version

from . import access, actions
from .models import VendorResponse, Vulnerability


def _text(data, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise UserError("vulns.bad_field", f"Field {key!r} must be text.",
                        f"字段 {key!r} 必须是文本。")  # fmt: skip
    return value


def _when(data, key: str) -> datetime:
    raw = _text(data, key).strip()
    value = parse_datetime(raw) if "T" in raw or " " in raw else None
    if value is None and (d := parse_date(raw)) is not None:
        value = datetime(d.year, d.month, d.day)
    if value is None:
        raise UserError("vulns.bad_date", f"{key} must be a date (2026-12-31).",
                        f"{key} 必须是日期（如 2026-12-31）。")  # fmt: skip
    return value if value.tzinfo else make_aware(value)


def _user(data, key: str) -> User:
    u = User.objects.filter(username=_text(data, key)[:150], is_active=True).first()
    if u is None:
        raise UserError("accounts.no_user", "No such user.", "没有该用户。")
    return u


def _org(data, key: str) -> Organisation:
    o = Organisation.objects.filter(public_id=_text(data, key)[:32]).first()
    if o is None:
        raise UserError("vulns.no_org", "No such organisation.", "没有该组织。")
    return o


def _app(user, data) -> tuple[App | None, Version | None]:
    """The registered app (and version) to link at triage, among those the coordinator's
    desk can name: any app id, looked up by public id."""
    app = version = None
    if vid := _text(data, "version").strip():
        version = Version.objects.select_related("app").filter(public_id=vid[:32]).first()
        if version is None:
            raise UserError("vulns.no_version", "No such version.", "没有该版本。")
        app = version.app
    elif aid := _text(data, "app").strip():
        app = App.objects.filter(public_id=aid[:32]).first()
        if app is None:
            raise UserError("vulns.no_app", "No such app.", "没有该应用。")
    return app, version


def _evidence(user, vuln, data):
    from mobsec.platform.accounts.access import scan_q
    from mobsec.platform.scans.models import Scan

    sid = _text(data, "scan").strip()
    if not sid:
        return None
    # A scan the user may read, or the scan of a package attached to this case.
    attached = vuln.attachments.exclude(scan=None).values_list("scan_id", flat=True)
    scan = Scan.objects.filter(scan_q(user) | Q(pk__in=list(attached)), public_id=sid[:32],
                               state="done").first()  # fmt: skip
    if scan is None:
        raise UserError("vulns.no_scan", "No such finished scan.", "没有该已完成的检测。")
    return scan


def _extension(vuln, data) -> VendorResponse:
    r = vuln.vendor_responses.filter(pk=_text(data, "response")[:20] or 0).first()
    if r is None:
        r = vuln.vendor_responses.filter(kind="extension", granted__isnull=True).last()
    if r is None:
        raise UserError("vulns.bad_extension", "No such extension request.", "没有该延期申请。")
    return r


COMMANDS: dict[str, Callable[[Vulnerability, Any, Any, Any], Any]] = {
    "triage": lambda v, u, d, r: actions.triage(
        v, u, **dict(zip(("app", "version"), _app(u, d), strict=True)),
        reason=_text(d, "reason"), request=r),
    "assign": lambda v, u, d, r: actions.assign(
        v, u, _user(d, "user"), _text(d, "part") or "verifier", _text(d, "reason"), request=r),
    "reject": lambda v, u, d, r: actions.reject(v, u, _text(d, "reason"), request=r),
    "withdraw": lambda v, u, d, r: actions.withdraw(v, u, _text(d, "reason"), request=r),
    "mark_duplicate": lambda v, u, d, r: actions.mark_duplicate(
        v, u, _case(u, _text(d, "of")), _text(d, "reason"), request=r),
    "record_verification": lambda v, u, d, r: actions.record_verification(
        v, u, _text(d, "notes"), evidence_scan=_evidence(u, v, d),
        evidence_fingerprint=_text(d, "fingerprint").strip()[:32], request=r),
    "confirm": lambda v, u, d, r: actions.confirm(
        v, u, cvss31=_text(d, "cvss31"), cvss40=_text(d, "cvss40"),
        factors={k: _text(d, k) for k in ("harm", "scope", "repair_difficulty",
                                          "exploitability") if _text(d, k)},
        reason=_text(d, "reason"), request=r),
    "set_vendor": lambda v, u, d, r: actions.set_vendor(
        v, u, _org(d, "vendor"), _text(d, "reason"), request=r),
    "notify_vendor": lambda v, u, d, r: actions.notify_vendor(v, u, request=r),
    "acknowledge": lambda v, u, d, r: actions.acknowledge(v, u, _text(d, "reason"), request=r),
    "dispute": lambda v, u, d, r: actions.dispute(v, u, _text(d, "reason"), request=r),
    "request_extension": lambda v, u, d, r: actions.request_extension(
        v, u, _when(d, "until"), _text(d, "reason"), request=r),
    "grant_extension": lambda v, u, d, r: actions.grant_extension(
        v, u, _extension(v, d), _text(d, "grant") in ("1", "true", "yes"),
        _text(d, "reason"), request=r),
    "report_fix": lambda v, u, d, r: actions.report_fix(
        v, u, _text(d, "fix_version"), _text(d, "mitigation"), request=r),
    "mark_fixed": lambda v, u, d, r: actions.mark_fixed(v, u, _text(d, "reason"), request=r),
    "national_report": lambda v, u, d, r: actions.produce_national_report(v, u, request=r),
    "set_disclosure_date": lambda v, u, d, r: actions.set_disclosure_date(
        v, u, _when(d, "at"), _text(d, "reason"), request=r),
    "set_mitigation": lambda v, u, d, r: actions.set_mitigation(
        v, u, _text(d, "mitigation"), request=r),
    "record_joint_assessment": lambda v, u, d, r: actions.record_joint_assessment(
        v, u, _text(d, "parties"), _text(d, "conclusion"), _text(d, "reported_to"),
        request=r),
    "share_details": lambda v, u, d, r: actions.share_details(
        v, u, _org(d, "organisation"), request=r),
}  # fmt: skip


def _case(user, public_id: str) -> Vulnerability:
    v = access.visible(user).filter(public_id=public_id.strip()[:32]).first()
    if v is None:
        raise actions.not_found()
    return v


def run(name: str, vuln: Vulnerability, user, data, request=None):
    command = COMMANDS.get(name)
    if command is None:
        raise UserError("vulns.unknown_action", f"Unknown action {name[:40]!r}.",
                        f"未知的操作 {name[:40]!r}。", status=404)  # fmt: skip
    return command(vuln, user, data, request)
