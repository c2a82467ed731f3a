"""Android pipelines: an APK read into an ApkPackage, then facts, checks and the report.

:func:`fill_android_report` is the part every Android format shares (facts → checks →
report sections) once its input has been read into an :class:`ApkPackage`.
"""

from __future__ import annotations

from pathlib import Path

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.app import AppFacts
from mobsec.facts.privacy.assessment import assess_privacy
from mobsec.facts.privacy.collection import attach_flows
from mobsec.ingest.apk import ApkPackage, read_apk
from mobsec.ingest.archive import Archive
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import Report


def scan_apk(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection only says "apk" for a readable ZIP
    pkg = read_apk(archive, diags, phases, options.limits, options.threads)
    fill_android_report(report, pkg, diags, phases, options)


def fill_android_report(
    report: Report,
    pkg: ApkPackage,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> AppFacts:
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
    return facts


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
