"""The library entry point: ``scan(path, options) -> Report``.

ingest (untrusted bytes → ApkPackage) → facts (computed once, lazily) → checks → Report.
Every problem in the package ends up in the report's diagnostics; only a path that is not a
readable file raises (:class:`~mobsec.diagnostics.InputError`), since then there is no
package to report on.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics, InputError
from mobsec.facts.app import AppFacts
from mobsec.facts.privacy.assessment import assess_privacy
from mobsec.facts.privacy.collection import attach_flows
from mobsec.ingest.apk import ApkPackage, read_apk
from mobsec.ingest.archive import Archive
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import PackageIdentity, Report


def scan(path: str | os.PathLike[str], options: ScanOptions | None = None) -> Report:
    options = options or ScanOptions()
    path = Path(path)
    diags = Diagnostics()
    phases = PhaseRunner(diags, options.progress)
    started = _now()

    t0 = time.perf_counter()
    identity = _identify(path)  # raises: with no readable file there is nothing to report on
    phases.timings["ingest.identity"] = time.perf_counter() - t0
    report = Report(package=identity, started_at=started, options=options.to_json())

    archive: Archive | None = None
    with phases.phase("ingest.archive", identity.file_name):
        archive = Archive.open(path, diags, options.limits, display_name=identity.file_name)
    if archive is not None:
        with archive:
            if archive.get("AndroidManifest.xml") is not None:
                identity.format = "apk"
            pkg = read_apk(archive, diags, phases, options.limits, options.threads)
            _fill_report(report, pkg, diags, phases, options)
    else:
        identity.format = "unknown"

    report.timings = phases.timings
    report.memory = phases.peak_rss_mb
    report.diagnostics = list(diags)
    report.finished_at = _now()
    return report


def _fill_report(
    report: Report,
    pkg: ApkPackage,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    facts = AppFacts(pkg, diags, options)
    with phases.phase("facts.manifest", "AndroidManifest.xml"):
        manifest = facts.manifest
        if manifest is not None:
            report.manifest = manifest.to_json()
            report.app = facts.app_summary()
    if pkg.signing is not None:
        report.signing = pkg.signing.to_json()
    with phases.phase("facts.code"):
        report.code = facts.code_summary()
    with phases.phase("facts.sdks"):
        report.sdks = facts.sdks_json()
    report.native_libraries = [lib.to_json() for lib in pkg.native_libraries]
    report.nested_code = [n.to_json() for n in pkg.nested_code]
    with phases.phase("checks"):
        report.findings = run_checks(facts, diags, phases.timings, phases.progress)
    if manifest is not None:
        with phases.phase("facts.taint"):
            _attach_pi_flows(facts, diags)
        with phases.phase("facts.privacy"):
            report.privacy = assess_privacy(facts).to_json()


def _attach_pi_flows(facts: AppFacts, diags: Diagnostics) -> None:
    """Where the PI the app reads goes (taint analysis), shown with each read."""
    result = facts.pi_flow_analysis
    attach_flows(facts.pi_collection, result.leaks)
    if not result.complete:
        diags.warning(
            "taint.incomplete",
            "",
            f"PI data-flow analysis stopped early ({result.incomplete_reason}); "
            "flows may be missing",
            f"个人信息数据流分析提前结束({result.incomplete_reason}),可能遗漏数据流",
        )


def _identify(path: Path) -> PackageIdentity:
    if not path.exists():
        raise InputError("input.not_found", str(path), "File not found", "文件不存在")
    if not path.is_file():
        raise InputError("input.not_a_file", str(path), "Not a regular file", "不是普通文件")
    md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                size += len(chunk)
                md5.update(chunk)
                sha1.update(chunk)
                sha256.update(chunk)
    except OSError as e:
        raise InputError(
            "input.unreadable", str(path), f"Cannot read file: {e}", f"无法读取文件:{e}"
        ) from e
    return PackageIdentity(
        file_name=path.name,
        size=size,
        md5=md5.hexdigest(),
        sha1=sha1.hexdigest(),
        sha256=sha256.hexdigest(),
        format="zip",
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
