"""The ``scan`` job: runs in a worker process of the job system (platform/jobs).

Idempotent: the job may run again after its worker was killed; ``store_report`` writes in one
transaction keyed by package + engine version + options, and a scan already done is answered
from what is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from mobsec.platform.registry import store

from . import actions
from .models import Report, Scan
from .signals import scan_stored

log = logging.getLogger(__name__)


def unreadable(doc: dict[str, Any]):
    """The scan ran but found no app in the package (not a package, unsupported, damaged):
    a final failure showing the engine's own error diagnostics."""
    from mobsec.platform.jobs import api as jobs

    errors = [d for d in doc.get("diagnostics") or [] if d.get("level") == "error"]
    first = (errors[0].get("message") if errors else None) or {}
    return jobs.JobFailed(
        "No app could be read from the package" + (f": {first['en']}" if first.get("en") else "."),
        "无法从安装包中读取应用" + (f"：{first['zh-CN']}" if first.get("zh-CN") else "。"),
        code="scan.no_app",
        diagnostics=errors[:20],
    )


def scan_handler(job, progress) -> dict[str, Any]:
    from mobsec.platform.jobs import api as jobs

    scan = Scan.objects.select_related("package").get(public_id=job.payload["scan"])
    if scan.state != Scan.State.DONE:
        Scan.objects.filter(pk=scan.pk).exclude(state=Scan.State.DONE).update(
            state=Scan.State.RUNNING
        )
        report = Report.objects.filter(
            package=scan.package,
            engine_version=scan.engine_version,
            options_key=scan.options_key,
        ).first()
        reused = report is not None
        if reused:  # an identical upload was scanned before (reports are written with
            # their scan in one transaction, so this is never a half-done earlier attempt)
            doc = report.document
        else:
            options = {**scan.options, "file_name": scan.file_name}
            if getattr(settings, "MOBSEC_FACTS_ON_SCAN", True):
                # what rules need, so an incident's first rule-only re-scan of this version
                # need not read the package again
                options["facts_dir"] = str(store.facts_dir())
            try:
                doc = jobs.run_scan_sandboxed(
                    store.path_for(scan.package.sha256), options, None, progress=progress
                )
            except jobs.JobFailed as e:
                actions.mark_failed(scan, e.to_json())
                raise
        if not (doc.get("app") or {}).get("package"):
            e = unreadable(doc)
            actions.mark_failed(scan, e.to_json())
            raise e
        scan = actions.store_report(scan, doc, reused=reused)
        for receiver, error in scan_stored.send_robust(sender=Scan, scan=scan):
            if isinstance(error, Exception):
                log.error(
                    "scan_stored listener %r failed on %s: %r", receiver, scan.public_id, error
                )
    return {
        "scan": scan.public_id,
        "report": scan.report.public_id,
        "version": scan.version.public_id,
    }
