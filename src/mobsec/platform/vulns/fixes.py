"""Scanning what reporters and vendors upload: an attached package (evidence for the
verifier) and the vendor's fixed version (fix verification).

A fixed version is scanned by the engine in a job (kind ``vulns.rescan``: the scan job's
handler, then :func:`rescan_done`). The case is marked fixed only when the evidence is gone:
no finding with the recorded fingerprint, and no finding of the case's check id at its
location. Otherwise the case stays in ``fixing`` and a verifier may still confirm the fix
by hand, with a reason (``actions.mark_fixed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files import File
from django.utils import timezone

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError

from . import attachments, conf
from .models import Attachment, FixCheck, Vulnerability

RESCAN_JOB = "vulns.rescan"


def desk_organisation() -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=conf.desk_organisation_name()[:200])
    return org


def scan_attachment(attachment: Attachment, user) -> None:
    """Scan an attached package like an upload of the desk (a file that is no package after
    all is left unscanned, its sniffed type shown)."""
    from mobsec.platform.scans import actions as scans

    path = attachments.store.path_for(attachment.sha256, base=attachments.root())
    with open(path, "rb") as f:
        try:
            scan = scans.submit_upload(desk_organisation(), user, File(f, name=attachment.name))
        except UserError as e:
            Attachment.objects.filter(pk=attachment.pk).update(sniffed=e.en[:80])
            return
    Attachment.objects.filter(pk=attachment.pk).update(scan=scan)
    attachment.scan = scan


def start_rescan(vuln: Vulnerability, user, upload, now: datetime) -> FixCheck:
    """Store the fixed version and queue its scan; the FixCheck waits for the result."""
    from mobsec.platform.jobs import api as jobs
    from mobsec.platform.scans import actions as scans

    org = desk_organisation()
    scan = scans.create_scan(org, user, upload)
    check = FixCheck.objects.create(vulnerability=vuln, scan=scan, requested_by=user,
                                    created_at=now)  # fmt: skip
    try:
        job = jobs.submit(RESCAN_JOB, organisation=org, payload={"scan": scan.public_id,
                          "check": check.public_id}, priority="interactive",
                          created_by=user, upload_bytes=scan.package.size)  # fmt: skip
    except jobs.QuotaExceeded as e:
        raise UserError(e.code, e.en, e.zh, status=429) from None
    scan.job_id = job.public_id
    scan.save(update_fields=["job_id"])
    return check


def _location_of(f: dict[str, Any]) -> str:
    loc = f.get("location") or {}
    parts = [str(loc.get(k) or "") for k in ("file", "class", "method")]
    return " ".join([*parts, f"{parts[1]}/{parts[2]}"])


def evidence_matches(vuln: Vulnerability, doc: dict[str, Any]) -> tuple[str, list[dict]]:
    """(result, findings of ``doc`` that still show the vulnerability)."""
    package = str((doc.get("app") or {}).get("package") or "")
    if package != vuln.package_name:
        return FixCheck.Result.WRONG_APP, []
    if not vuln.evidence_fingerprint and not vuln.check_id:
        return FixCheck.Result.NO_EVIDENCE, []
    matched = []
    for f in doc.get("findings") or []:
        same_print = vuln.evidence_fingerprint and f.get("fingerprint") == vuln.evidence_fingerprint
        same_check = (
            vuln.check_id
            and f.get("check_id") == vuln.check_id
            and (not vuln.location or vuln.location in _location_of(f))
        )
        if same_print or same_check:
            matched.append({"fingerprint": f.get("fingerprint"), "check_id": f.get("check_id"),
                            "location": f.get("location") or {}})  # fmt: skip
    return (FixCheck.Result.PRESENT if matched else FixCheck.Result.GONE), matched[:50]


def rescan_handler(job, progress) -> dict[str, Any]:
    from mobsec.platform.scans.handlers import scan_handler

    return scan_handler(job, progress)


def rescan_done(job, result: dict[str, Any]) -> None:
    from mobsec.platform.scans.models import Scan

    from . import actions

    check = FixCheck.objects.select_related("vulnerability").get(public_id=job.payload["check"])
    scan = Scan.objects.select_related("report", "version").get(pk=check.scan_id)
    outcome, matched = evidence_matches(check.vulnerability, scan.report.document)
    FixCheck.objects.filter(pk=check.pk).update(result=outcome, matched=matched,
                                                finished_at=timezone.now())  # fmt: skip
    check.refresh_from_db()
    vuln = check.vulnerability
    if outcome == FixCheck.Result.GONE and vuln.state == "fixing":
        actions.mark_fixed(vuln, None, "re-scan: the evidence is gone", check=check)
    else:
        actions.fix_not_verified(vuln, check)


def rescan_failed(job, error: dict[str, Any]) -> None:
    from . import actions

    check = (
        FixCheck.objects.select_related("vulnerability")
        .filter(public_id=job.payload.get("check", ""))
        .first()
    )
    if check is None:
        return
    FixCheck.objects.filter(pk=check.pk).update(result=FixCheck.Result.FAILED,
                                                finished_at=timezone.now())  # fmt: skip
    check.refresh_from_db()
    actions.fix_not_verified(check.vulnerability, check)
