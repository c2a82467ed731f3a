"""The library entry point: ``scan(path, options) -> Report``.

identify (hashes) → detect the format by content (:mod:`mobsec.ingest.detect`) → the
pipeline registered for it (:mod:`mobsec.pipelines`: ingest → facts → checks → report
sections). Every problem in the package ends up in the report's diagnostics; a file that is
no supported package gets an ``input.unsupported_format`` error naming what it looks like.
Only a path that is not a readable file raises (:class:`~mobsec.diagnostics.InputError`),
since then there is no package to report on.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.gc_pacing import scan_gc_pacing
from mobsec.ingest.archive import Archive
from mobsec.ingest.detect import SNIFF_BYTES, Detection, classify_archive, describe_non_zip, sniff
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.pipelines import pipeline_for
from mobsec.report.model import PackageIdentity, Report


def scan(path: str | os.PathLike[str], options: ScanOptions | None = None) -> Report:
    with scan_gc_pacing():
        return _scan(path, options)


def _scan(path: str | os.PathLike[str], options: ScanOptions | None) -> Report:
    options = options or ScanOptions()
    path = Path(path)
    diags = Diagnostics()
    phases = PhaseRunner(diags, options.progress)
    started = _now()

    t0 = time.perf_counter()
    identity, head = _identify(path)  # raises: with no readable file there is nothing to report
    phases.timings["ingest.identity"] = time.perf_counter() - t0
    report = Report(package=identity, started_at=started, options=options.to_json())

    archive: Archive | None = None
    detected = sniff(head)
    if detected is None:  # a ZIP (or data that may hide one): the entry names decide
        with phases.phase("ingest.archive", identity.file_name):
            archive = _open_archive(path, head, diags, options, identity.file_name)
        if archive is not None:
            detected = classify_archive(archive)
        elif head[:2] != b"PK":
            detected = describe_non_zip(head)
    try:
        if detected is not None:
            identity.format = detected.format
            identity.platform = detected.platform
            _run_pipeline(path, archive, report, diags, phases, options, detected)
    finally:
        if archive is not None:
            archive.close()

    report.timings = phases.timings
    report.memory = phases.peak_rss_mb
    report.diagnostics = list(diags)
    report.finished_at = _now()
    return report


def _open_archive(
    path: Path, head: bytes, diags: Diagnostics, options: ScanOptions, name: str
) -> Archive | None:
    """The bounded ZIP view, or None. A damaged ZIP is reported by the ZIP reader; data that
    is no ZIP at all is left to the unsupported-format message (the caller's)."""
    try:
        return Archive.open(path, diags, options.limits, display_name=name)
    except InputError:
        if head[:2] == b"PK":
            raise  # the phase records the ZIP reader's own diagnosis
        return None


def _run_pipeline(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
    detected: Detection,
) -> None:
    pipeline = pipeline_for(detected.format) if detected.is_package else None
    if pipeline is None:
        _unsupported(diags, detected)
        return
    try:
        pipeline(path, archive, report, diags, phases, options)
    except (MemoryError, RecursionError, Exception) as e:  # noqa: BLE001 - a bug of ours
        diags.error(
            "internal.error",
            "",
            f"Internal error in the {detected.format} pipeline: {type(e).__name__}: {e}",
            f"{detected.format} 流程内部错误:{type(e).__name__}: {e}",
            traceback=traceback.format_exc(limit=8),
        )


def _unsupported(diags: Diagnostics, detected: Detection) -> None:
    if detected.is_package:
        en = f"The file is {detected.en}: this format is not supported yet"
        zh = f"该文件是{detected.zh}:暂不支持此格式"
    else:
        en = f"The file is not a mobile app package: it looks like {detected.en}"
        zh = f"该文件不是移动应用安装包:看起来是{detected.zh}"
    diags.error(
        "input.unsupported_format",
        "",
        en,
        zh,
        format=detected.format,
        looks_like=detected.kind or detected.format,
    )


def _identify(path: Path) -> tuple[PackageIdentity, bytes]:
    if not path.exists():
        raise InputError("input.not_found", str(path), "File not found", "文件不存在")
    if not path.is_file():
        raise InputError("input.not_a_file", str(path), "Not a regular file", "不是普通文件")
    md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
    size = 0
    head = b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                if not head:
                    head = chunk[:SNIFF_BYTES]
                size += len(chunk)
                md5.update(chunk)
                sha1.update(chunk)
                sha256.update(chunk)
    except OSError as e:
        raise InputError(
            "input.unreadable", str(path), f"Cannot read file: {e}", f"无法读取文件:{e}"
        ) from e
    identity = PackageIdentity(
        file_name=path.name,
        size=size,
        md5=md5.hexdigest(),
        sha1=sha1.hexdigest(),
        sha256=sha256.hexdigest(),
        format="unknown",
    )
    return identity, head


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
