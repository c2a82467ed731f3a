"""Vendor notices for an incident's affected apps, through the vulnerability life cycle.

Each affected app (from a finished fleet re-scan) becomes one vulnerability case, walked by
the vulns app's own actions with their own checks: the coordinator opens it (``submit``,
``triage`` to the registered app, ``assign`` a verifier); the verifier records the re-scan's
evidence and confirms it with the incident's CVSS (``record_verification``, ``confirm``);
the coordinator notifies the vendor (``notify_vendor``: notification, e-mail, deadline by
severity, the reminder and escalation sweep). Fix progress per vendor is read from the
cases' states. Nothing here changes a case's state by itself.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from mobsec.platform.core.errors import UserError
from mobsec.platform.vulns import access as vulns_access
from mobsec.platform.vulns import actions as vulns
from mobsec.platform.vulns.machine import State
from mobsec.platform.vulns.models import Channel

from . import actions, fleet
from .models import Incident, IncidentCase, Rescan

FIXED_STATES = frozenset({State.FIXED, State.DISCLOSED})


def _coordinator(actor) -> None:
    if not (actions.can_run(actor) and vulns_access.is_coordinator(actor)):
        raise UserError("incident.not_coordinator",
                        "Opening cases and notifying vendors needs the incident coordinator "
                        "and the vulnerability coordinator roles.",
                        "开立案件和通知厂商需要事件协调人和漏洞协调人角色。", status=403)  # fmt: skip


def _case_text(incident: Incident, item) -> tuple[str, str, str]:
    """(check id, location, the evidence as text) from the item's findings."""
    first = item.findings[0]
    ev = actions._evidence(first)
    lines = [f"{e['check_id']} {e['where']} {e['evidence']}".strip()
             for e in (actions._evidence(f) for f in item.findings[:20])]  # fmt: skip
    text = (f"Incident {incident.public_id}: fleet re-scan {item.rescan.public_id} "
            f"({item.mode}) of version {item.version.version_name or item.version.public_id} "
            "found:\n" + "\n".join(lines))  # fmt: skip
    return ev["check_id"], ev["where"], text


def open_cases(incident: Incident, actor, rescan: Rescan, verifier_name: str,
               request=None, now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """One case per affected app of ``rescan`` not yet on a case, assigned to the verifier."""
    _coordinator(actor)
    now = actions._now(now)
    verifier = get_user_model().objects.filter(username=str(verifier_name or "")[:150],
                                               is_active=True).first()  # fmt: skip
    if verifier is None or not vulns_access.is_verifier(verifier):
        raise UserError("incident.no_verifier", "verifier: name an active verifier account.",
                        "verifier：请填写一个有效的验证人账号。")  # fmt: skip
    if rescan.finished_at is None:
        raise UserError("incident.rescan_running", "Wait until the re-scan has finished.",
                        "请等待复测完成。", status=409)  # fmt: skip
    have = set(incident.cases.values_list("app_id", flat=True))
    opened, skipped = [], []
    for item in fleet.affected_items(rescan).select_related("app", "version", "rescan"):
        if item.app_id in have:
            continue
        check_id, where, text = _case_text(incident, item)
        sub = vulns.Submission(package_name=item.app.package_name, title=incident.title_en,
                               description=incident.description_en + "\n\n" + text,
                               platform=item.app.platform, cwe=incident.cwe,
                               check_id=check_id, location=where,
                               app_version=item.version.version_name[:100])  # fmt: skip
        try:
            with transaction.atomic():
                vuln, _, _ = vulns.submit(sub, reporter=actor, channel=Channel.API,
                                          request=request, now=now)  # fmt: skip
                vulns.triage(vuln, actor, app=item.app, version=item.version, now=now,
                             reason=f"incident {incident.public_id}")  # fmt: skip
                vulns.assign(vuln, actor, verifier, now=now)
                IncidentCase.objects.create(incident=incident, vulnerability=vuln,
                                            app=item.app, item=item)  # fmt: skip
        except UserError as e:
            skipped.append({"app": item.app.public_id, "code": e.code, "en": e.en, "zh": e.zh})
            continue
        opened.append(vuln.public_id)
    actions.record(incident, actor, "cases_opened", now, rescan=rescan.public_id,
                   opened=len(opened), skipped=len(skipped), verifier=verifier.username)  # fmt: skip
    return {"opened": opened, "skipped": skipped}


def confirm_cases(incident: Incident, verifier, request=None,
                  now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """The verifier records the re-scan evidence on each of the incident's cases assigned
    to them and confirms it with the incident's CVSS v3.1 vector."""
    now = actions._now(now)
    if not vulns_access.is_verifier(verifier):
        raise actions.forbidden()
    confirmed, skipped = [], []
    for case in incident.cases.select_related("vulnerability", "item__rescan", "item__version"):
        vuln = case.vulnerability
        if vuln.state != State.VERIFYING or "verifier" not in vulns_access.parts(verifier, vuln):
            continue
        notes = _case_text(incident, case.item)[2] if case.item else incident.description_en
        try:
            with transaction.atomic():
                vulns.record_verification(vuln, verifier, notes, now=now)
                vulns.confirm(vuln, verifier, cvss31=incident.cvss31, now=now,
                              reason=f"incident {incident.public_id}")  # fmt: skip
        except UserError as e:
            skipped.append({"case": vuln.public_id, "code": e.code, "en": e.en, "zh": e.zh})
            continue
        confirmed.append(vuln.public_id)
    if confirmed or skipped:
        actions.record(incident, verifier, "cases_confirmed", now, confirmed=len(confirmed),
                       skipped=len(skipped))  # fmt: skip
    return {"confirmed": confirmed, "skipped": skipped}


def notify_vendors(incident: Incident, actor, request=None,
                   now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """``notify_vendor`` on every confirmed case of the incident: the vendor's members are
    told and the deadline (by severity) starts. A case whose app has no owner is left for
    the coordinator to name the vendor on the case page."""
    _coordinator(actor)
    now = actions._now(now)
    notified, skipped = [], []
    for case in incident.cases.select_related("vulnerability"):
        vuln = case.vulnerability
        if vuln.state != State.CONFIRMED:
            continue
        try:
            vuln = vulns.notify_vendor(vuln, actor, request=request, now=now)
        except UserError as e:
            skipped.append({"case": vuln.public_id, "code": e.code, "en": e.en, "zh": e.zh})
            continue
        notified.append({"case": vuln.public_id, "vendor": vuln.vendor.name,
                         "due_at": vuln.due_at.isoformat()})  # fmt: skip
    actions.record(incident, actor, "vendors_notified", now, notified=len(notified),
                   skipped=len(skipped))  # fmt: skip
    return {"notified": notified, "skipped": skipped}


def progress(incident: Incident) -> list[dict[str, Any]]:
    """Fix progress per vendor: the incident's cases by vendor, their states and deadlines."""
    by_vendor: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "cases": 0,
            "fixed": 0,
            "notified": 0,
            "overdue": 0,
            "states": defaultdict(int),
            "next_due": None,
        }
    )
    from django.utils import timezone

    now = timezone.now()
    for case in incident.cases.select_related("vulnerability__vendor"):
        v = case.vulnerability
        row = by_vendor[v.vendor.name if v.vendor_id else ""]
        row["cases"] += 1
        row["states"][v.state] += 1
        if v.vendor_notified_at is not None:
            row["notified"] += 1
        if v.state in FIXED_STATES:
            row["fixed"] += 1
        elif v.due_at is not None:
            if v.due_at < now:
                row["overdue"] += 1
            if row["next_due"] is None or v.due_at < row["next_due"]:
                row["next_due"] = v.due_at
    return [{"vendor": name, **{**row, "states": dict(row["states"])}}
            for name, row in sorted(by_vendor.items())]  # fmt: skip
