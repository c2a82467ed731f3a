"""The monitoring jobs (run by workers of platform/jobs, never in a web request):

- ``monitoring.fingerprint``: a stored package's fingerprint, in the sandboxed child;
- ``monitoring.candidate``: fingerprint a candidate, look it up in the registry index,
  compare it with the versions ranked first, store the verdicts; alerts on success;
- ``monitoring.poll``: read a source (watched folder, channel adapter) and bring in what is
  new as candidates.

Each is idempotent: a job that runs again after its worker died finds what is stored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobsec.platform.registry import actions as registry
from mobsec.platform.registry import sniff, store
from mobsec.platform.registry.models import Package, Version

from . import actions, adapters, alerts, engine, safefs
from .index import registry_index
from .models import Candidate, Fingerprint, SeenFile, Source, Verdict

CHILD = "mobsec.platform.monitoring.fingerprint_child"
TOP_K = 10  # versions of the registry compared with one candidate, best ranked first
MAX_PROBLEMS = 50


def register_jobs() -> None:
    try:
        from mobsec.platform.jobs import api as jobs
        from mobsec.platform.jobs import periodic
    except ImportError:
        return
    jobs.register(actions.FINGERPRINT_JOB, fingerprint_handler)
    jobs.register(actions.CANDIDATE_JOB, candidate_handler, on_success=candidate_done,
                  on_failure=candidate_failed)  # fmt: skip
    jobs.register(actions.POLL_JOB, poll_handler, max_attempts=2)
    periodic.register("monitoring.poll", lambda: settings.MOBSEC_MONITORING_POLL_SECONDS,
                      queue_polls)  # fmt: skip


# ----------------------------------------------------------------------------- fingerprints


def ensure_fingerprint(package: Package, progress=None) -> Fingerprint:
    found = Fingerprint.objects.filter(package=package).first()
    if found is not None:
        return found
    from mobsec.platform.jobs import api as jobs
    from mobsec.platform.jobs.sandbox import run_scan_sandboxed

    if progress is not None:
        progress(10, "fingerprint")
    doc = run_scan_sandboxed(store.path_for(package.sha256), {}, jobs.sandbox_limits(),
                             keep_going=progress.keep_going if progress else None,
                             child=CHILD)  # fmt: skip
    try:
        with transaction.atomic():
            return Fingerprint.objects.create(
                package=package, format_version=engine.format_version(doc), document=doc
            )
    except IntegrityError:  # another job stored it meanwhile: same bytes, same fingerprint
        return Fingerprint.objects.get(package=package)


def fingerprint_handler(job, progress) -> dict[str, Any]:
    package = Package.objects.get(sha256=job.payload["package"])
    fp = ensure_fingerprint(package, progress)
    return {"package": package.sha256, "format_version": fp.format_version}


# ------------------------------------------------------------------------------- candidates


def candidate_handler(job, progress) -> dict[str, Any]:
    candidate = Candidate.objects.select_related("package").get(public_id=job.payload["candidate"])
    fp = ensure_fingerprint(candidate.package, progress)
    progress(60, "index")
    info = engine.summary(fp.document)
    Candidate.objects.filter(pk=candidate.pk).update(**info)
    hits = registry_index().query(engine.load(fp.document), k=TOP_K)
    progress(80, "compare")
    best: dict[int, tuple[float, Verdict]] = {}
    versions = Version.objects.select_related("app", "package__fingerprint").in_bulk(
        [int(h.key) for h in hits]
    )
    for hit in hits:
        version = versions.get(int(hit.key))
        if version is None or not version.app.official:
            continue  # unmarked since the index was built
        comparison = engine.compare(fp.document, version.package.fingerprint.document,
                                    list(version.app.certificates))  # fmt: skip
        row = Verdict(candidate=candidate, app=version.app, version=version,
                      verdict=comparison.verdict, confidence=float(comparison.confidence),
                      comparison=comparison.to_json())  # fmt: skip
        rank = (Verdict.ORDER.index(row.verdict) * -1, row.confidence)
        if version.app_id not in best or rank > best[version.app_id][0]:
            best[version.app_id] = (rank, row)
    with transaction.atomic():
        Verdict.objects.filter(candidate=candidate).delete()  # a re-run writes them anew
        Verdict.objects.bulk_create([row for _, row in best.values()])
    strongest = min((Verdict.ORDER.index(r.verdict) for _, r in best.values()),
                    default=Verdict.ORDER.index(Verdict.UNRELATED))  # fmt: skip
    return {"candidate": candidate.public_id, "verdict": Verdict.ORDER[strongest],
            "compared": len(best), "index_hits": len(hits)}  # fmt: skip


def candidate_done(job, result: dict[str, Any]) -> None:
    candidate = Candidate.objects.get(public_id=result["candidate"])
    candidate.state = Candidate.State.DONE
    candidate.verdict = result["verdict"]
    candidate.finished_at = timezone.now()
    candidate.save(update_fields=["state", "verdict", "finished_at"])
    alerts.send(candidate)


def candidate_failed(job, error: dict[str, Any]) -> None:
    Candidate.objects.filter(public_id=job.payload.get("candidate")).update(
        state=Candidate.State.FAILED, error=error, finished_at=timezone.now()
    )


# ---------------------------------------------------------------------------------- sources


def queue_polls() -> int:
    """Periodic: a poll job for every active source with none queued or running."""
    from mobsec.platform.jobs.models import FINAL_STATES, Job

    busy = set(Job.objects.filter(kind=actions.POLL_JOB).exclude(state__in=FINAL_STATES)
               .values_list("payload__source", flat=True))  # fmt: skip
    queued = 0
    for source in Source.objects.filter(active=True).select_related("organisation"):
        if source.public_id not in busy:
            actions.poll(source)
            queued += 1
    return queued


def poll_handler(job, progress) -> dict[str, Any]:
    source = Source.objects.select_related("organisation").get(public_id=job.payload["source"])
    problems: list[dict[str, str]] = []
    added = skipped = 0
    try:
        root = actions.source_directory(source.path)  # the roots may have changed since
    except Exception as e:  # noqa: BLE001 - a UserError: recorded on the source, not retried
        problems.append({"code": getattr(e, "code", "monitoring.no_directory"), "file": source.path,
                         "en": getattr(e, "en", str(e)), "zh": getattr(e, "zh", str(e))})  # fmt: skip
        root = None
    adapter = adapters.get(source.adapter) if root is not None else None
    if root is not None and adapter is None:
        problems.append({"code": "monitoring.unknown_adapter", "file": source.adapter,
                         "en": "this adapter is not installed", "zh": "未安装该适配器"})  # fmt: skip
    for item in adapter(root) if adapter is not None else ():
        if not progress.keep_going():
            break
        if isinstance(item, adapters.Problem):
            problems.append(item.to_json())
            continue
        try:
            if _take(source, root, item):
                added += 1
            else:
                skipped += 1
        except safefs.Refused as e:
            problems.append({"code": e.code, "file": item.key[:300], "en": e.en, "zh": e.zh})
    Source.objects.filter(pk=source.pk).update(last_polled_at=timezone.now(),
                                               problems=problems[:MAX_PROBLEMS])  # fmt: skip
    return {"source": source.public_id, "added": added, "skipped": skipped,
            "problems": len(problems)}  # fmt: skip


def _take(source: Source, root: Path, item: adapters.Found) -> bool:
    """Bring one file in as a candidate unless the source handed it in before unchanged."""
    limit = settings.MOBSEC_MAX_UPLOAD_BYTES
    with safefs.open_in(root, item.key, limit) as (fd, st):
        seen = SeenFile.objects.filter(source=source, key=item.key[:1000]).first()
        if seen is not None and (seen.size, seen.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return False
        head = os.pread(fd, sniff.HEAD_BYTES, 0)
        what = sniff.not_a_package(head)
        if what is not None:  # not remembered: reported again at every poll until removed
            raise safefs.Refused("monitoring.not_a_package", f"not an app package: it is {what.en}",
                                 f"不是应用安装包：它是{what.zh}")  # fmt: skip
        try:
            package, _stored = registry.store_package(safefs.chunks(fd), limit)
        except store.TooLarge:
            raise safefs.Refused("monitoring.too_large", f"larger than the limit of {limit} bytes",
                                 f"超过 {limit} 字节的上限") from None  # fmt: skip
    _remember(source, item.key, st)
    if Candidate.objects.filter(source=source, package=package).exists():
        return False  # the same bytes under another name, or touched without change
    origin = (
        Candidate.Origin.FOLDER if source.kind == Source.Kind.FOLDER else Candidate.Origin.ADAPTER
    )
    channel = str(item.listing.get("store") or source.name)
    actions._create(source.organisation, package, origin=origin,
                    file_name=item.key.rsplit("/", 1)[-1], channel=channel,
                    listing=item.listing, source=source)  # fmt: skip
    return True


def _remember(source: Source, key: str, st) -> None:
    SeenFile.objects.update_or_create(source=source, key=key[:1000],
                                      defaults={"size": st.st_size, "mtime_ns": st.st_mtime_ns})  # fmt: skip
