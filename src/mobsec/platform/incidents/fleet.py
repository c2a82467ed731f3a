"""The fleet re-scan: a rule pack over many app versions, one emergency-priority job each.

Jobs of kind ``incidents.rescan`` run in the job system like scans do (leases, heartbeat,
a killed worker's job requeued by the reaper, the result written once by ``on_success``)
and are dispatched before every routine upload (``Priority.EMERGENCY`` < ``INTERACTIVE``,
``jobs/dispatch.py``). Each runs :mod:`.rescan_child` in the scan sandbox: rules only on
the stored facts when they are of this engine build, a full scan otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.utils import timezone

from mobsec.platform.registry import store
from mobsec.platform.registry.models import Version

from . import packs
from .models import Event, Rescan, RescanItem

JOB_KIND = "incidents.rescan"
CHILD = "mobsec.platform.incidents.rescan_child"


def latest_versions(apps) -> list[Version]:
    """The newest upload of each of ``apps`` (Android: rule packs read Android facts)."""
    newest = (
        Version.objects.filter(app=OuterRef("pk")).order_by("-uploaded_at", "-id").values("id")[:1]
    )
    ids = apps.filter(platform="android").annotate(v=Subquery(newest)).values_list("v", flat=True)
    return list(Version.objects.filter(id__in=[i for i in ids if i]).select_related("package"))


def submit_items(rescan: Rescan, versions: list[Version], actor) -> int:
    """One item and one emergency job per version (in the caller's transaction)."""
    from mobsec.platform.jobs import api as jobs

    items = RescanItem.objects.bulk_create(
        [RescanItem(rescan=rescan, app_id=v.app_id, version=v) for v in versions],
        batch_size=1000,
    )
    for item in items:
        job = jobs.submit(JOB_KIND, organisation=None, payload={"item": item.pk},
                          priority="emergency", created_by=actor)  # fmt: skip
        item.job_id = job.public_id
    RescanItem.objects.bulk_update(items, ["job_id"], batch_size=1000)
    Rescan.objects.filter(pk=rescan.pk).update(total=len(items))
    rescan.total = len(items)
    return len(items)


def handler(job, progress) -> dict[str, Any]:
    from mobsec.platform.jobs import api as jobs
    from mobsec.platform.jobs.sandbox import run_scan_sandboxed

    item = RescanItem.objects.select_related("version__package", "rescan__pack").get(
        pk=job.payload["item"]
    )
    if item.state != RescanItem.State.QUEUED:
        return {"item": item.pk, "already": item.state}
    pack_dir = packs.folder(item.rescan.pack.sha256)
    progress(5, "rules")
    doc = run_scan_sandboxed(
        store.path_for(item.version.package.sha256),
        {"packs": [str(pack_dir)], "facts_dir": str(store.facts_dir()), "threads": 1},
        jobs.sandbox_limits(),
        keep_going=progress.keep_going,
        child=CHILD,
    )
    if not doc.get("complete") and not doc.get("findings"):
        # Nothing found in a package the engine could not read completely says nothing:
        # the item fails visibly, with what could not be read, instead of "not affected".
        sha = item.version.package.sha256[:12]
        errors = (doc.get("errors") or [])[:3]
        en = "; ".join(f"{e['file']}: {e['message']['en']}" for e in errors)
        zh = "；".join(f"{e['file']}:{e['message']['zh-CN']}" for e in errors)
        raise jobs.JobFailed(
            f"{sha}: the package could not be scanned completely, so the re-scan cannot say "
            f"whether it is affected: {en or 'see the scan diagnostics'}",
            f"{sha}：安装包未能完整检测，无法判断是否受影响：{zh or '请查看检测诊断'}",
            code="incident.incomplete",
            errors=errors,
        )
    return {
        "item": item.pk,
        "mode": doc.get("mode"),
        "seconds": doc.get("seconds"),
        "complete": doc.get("complete"),
        "full_scan_reason": doc.get("full_scan_reason"),
        "findings": doc.get("findings") or [],
    }


def done(job, result: dict[str, Any]) -> None:
    """on_success: record the item's findings (once: in the job's completing transaction)."""
    if "already" in result:
        return
    now = timezone.now()
    n = RescanItem.objects.filter(pk=result["item"], state=RescanItem.State.QUEUED).update(
        state=RescanItem.State.DONE,
        mode=str(result.get("mode") or "")[:16],
        seconds=result.get("seconds"),
        findings=result.get("findings") or [],
        finished_at=now,
    )
    if n:
        _finish_if_last(RescanItem.objects.get(pk=result["item"]).rescan_id, now)


def failed(job, error: dict[str, Any]) -> None:
    now = timezone.now()
    item_id = (job.payload or {}).get("item")
    n = RescanItem.objects.filter(pk=item_id, state=RescanItem.State.QUEUED).update(
        state=RescanItem.State.FAILED, error=error, finished_at=now
    )
    if n:
        _finish_if_last(RescanItem.objects.get(pk=item_id).rescan_id, now)


def _finish_if_last(rescan_id: int, now: datetime) -> None:
    with transaction.atomic():
        rescan = Rescan.objects.select_for_update().get(pk=rescan_id)
        if rescan.finished_at is not None:
            return
        if rescan.items.filter(state=RescanItem.State.QUEUED).exists():
            return
        rescan.finished_at = now
        rescan.save(update_fields=["finished_at"])
        s = status(rescan, now)
        Event.objects.create(incident_id=rescan.incident_id, at=now, actor=None,
                             action="rescan_finished",
                             details={"rescan": rescan.public_id, "done": s["done"],
                                      "failed": s["failed"], "affected": s["affected"],
                                      "stored_facts": s["modes"].get("stored-facts", 0),
                                      "full_scan": s["modes"].get("full-scan", 0)})  # fmt: skip


def affected_items(rescan: Rescan):
    """Items whose re-scan found something (the affected list, with evidence)."""
    return rescan.items.filter(state=RescanItem.State.DONE).exclude(findings=[])


def status(rescan: Rescan, now: datetime | None = None) -> dict[str, Any]:
    """Progress, throughput and ETA from the items' finishing times."""
    now = now or timezone.now()
    counts = dict(rescan.items.values_list("state").annotate(n=Count("id")))
    finished = rescan.items.exclude(state=RescanItem.State.QUEUED)
    span = finished.aggregate(first=Min("finished_at"), last=Max("finished_at"))
    modes = dict(finished.exclude(mode="").values_list("mode").annotate(n=Count("id")).order_by())
    done_n, failed_n = counts.get("done", 0), counts.get("failed", 0)
    ended = done_n + failed_n
    remaining = rescan.total - ended
    end = rescan.finished_at or now
    elapsed = max((end - rescan.created_at).total_seconds(), 0.0)
    throughput = ended / elapsed if elapsed > 0 and ended else 0.0  # versions per second
    eta = remaining / throughput if throughput and remaining else (0.0 if not remaining else None)
    return {
        "rescan": rescan.public_id,
        "scope": rescan.scope,
        "pack": {"id": rescan.pack.pack_id, "version": rescan.pack.version},
        "total": rescan.total,
        "queued": remaining,
        "done": done_n,
        "failed": failed_n,
        "affected": affected_items(rescan).count(),
        "percent": round(100 * ended / rescan.total, 1) if rescan.total else 100.0,
        "elapsed_seconds": round(elapsed, 1),
        "throughput_per_minute": round(throughput * 60, 2),
        "eta_seconds": None if eta is None else round(eta, 1),
        "modes": modes,
        "first_finished_at": span["first"],
        "finished_at": rescan.finished_at,
        "created_at": rescan.created_at,
    }
