"""Job kinds the tests run; worker processes import this module too (MOBSEC_JOBS_IMPORT).

They are real handlers going through the real runner: ``test.scan`` scans a package in the
sandbox and records its result row in ``on_success`` (an audit event), so the tests can
count result rows."""

from __future__ import annotations

import time

from mobsec.platform.accounts.models import AuditEvent
from mobsec.platform.jobs import api as jobs


def echo(job, progress):
    progress(50, "echo")
    return {"echo": job.payload}


def refuse(job, progress):
    raise jobs.JobFailed("the package is not an app", "该文件不是应用安装包", code="test.refused")


def crash(job, progress):
    raise RuntimeError("a bug in a handler")


def sleep(job, progress):
    """Sleeps in small steps, reporting progress, until done or told to stop."""
    end = time.monotonic() + float(job.payload.get("seconds", 5))
    while time.monotonic() < end:
        progress(10, "sleeping")
        time.sleep(0.05)
    return {"slept": job.payload.get("seconds", 5)}


def scan(job, progress):
    doc = jobs.run_scan_sandboxed(
        job.payload["path"], {"file_name": "upload.apk"}, progress=progress
    )
    return {
        "sha256": doc["package"]["hashes"]["sha256"],
        "findings": sorted(f["fingerprint"] for f in doc["findings"]),
        "errors": sorted({d["code"] for d in doc["diagnostics"] if d["level"] == "error"}),
        "memory_mb": max(doc.get("memory", {}).values(), default=0),
    }


def store_scan_result(job, result):
    AuditEvent.objects.create(
        action="test.scan-result", target=job.public_id, organisation=job.organisation
    )


def record_failure(job, error):
    AuditEvent.objects.create(
        action="test.job-failed", target=job.public_id, details={"code": error["code"]}
    )


jobs.register("test.echo", echo, on_failure=record_failure)
jobs.register("test.refuse", refuse, on_failure=record_failure)
jobs.register("test.crash", crash, max_attempts=2, backoff_seconds=0.0)
jobs.register("test.sleep", sleep)
jobs.register("test.scan", scan, on_success=store_scan_result)


def failure_rows(job) -> list[str]:
    rows = AuditEvent.objects.filter(action="test.job-failed", target=job.public_id)
    return [r.details["code"] for r in rows]


def result_rows(job) -> int:
    return AuditEvent.objects.filter(action="test.scan-result", target=job.public_id).count()
