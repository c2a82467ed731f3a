"""The ``scan`` job: runs in a worker process of the job system (platform/jobs).

Idempotent: the job may run again after its worker was killed; ``store_report`` writes in one
transaction keyed by package + engine version + options, and a scan already done is answered
from what is stored.
"""

from __future__ import annotations

from typing import Any

from mobsec.platform.registry import store

from . import actions
from .models import Report, Scan


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
        if report is not None:  # finished by an earlier attempt or an identical upload
            doc = report.document
        else:
            options = {**scan.options, "file_name": scan.file_name}
            try:
                doc = jobs.run_scan_sandboxed(
                    store.path_for(scan.package.sha256), options, None, progress=progress
                )
            except jobs.JobFailed as e:
                actions.mark_failed(scan, e.to_json())
                raise
        scan = actions.store_report(scan, doc)
    return {
        "scan": scan.public_id,
        "report": scan.report.public_id,
        "version": scan.version.public_id,
    }
