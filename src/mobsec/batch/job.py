"""One package of a batch: scan, write its reports under the output directory, and say how
it went as a summary row (the same exit codes as a single ``mobsec scan``)."""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobsec.diagnostics import InputError
from mobsec.report.render import RenderError

from .inputs import Package

# The format's file suffix under -o DIR.
SUFFIX = {
    "json": ".json",
    "sarif": ".sarif",
    "html": ".html",
    "pdf": ".pdf",
    "text": ".txt",
    "cyclonedx": ".cdx.json",
}
SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True, slots=True)
class JobSettings:
    """What every package of the batch is scanned and rendered with."""

    out_dir: Path
    formats: tuple[str, ...]
    lang: str | None = None
    scope: str = "all"
    source_root: str | None = None
    fail_on: str | None = None
    threads: int = 0
    app_type: str | None = None
    privacy_policy: Path | None = None
    wx_appid: str | None = None
    include_unreachable: bool = False
    facts_dir: Path | None = None
    rules_only: bool = False  # the packs on stored facts (mobsec.rules.stored)


# Set by the parent before the workers fork: parsed once, inherited by every worker.
RULE_PACKS: tuple = ()
SUPPRESSIONS: Any = None


def blank_row(pkg: Package, status: str = "ok", code: int = 0) -> dict[str, Any]:
    """A package's summary row before (or without) its scan."""
    return {
        "package": str(pkg.path),
        "stem": pkg.stem,
        "status": status,
        "exit_code": code,
        "findings": dict.fromkeys(SEVERITIES, 0),
        "failing_findings": 0,
        "seconds": 0.0,
        "cpu_seconds": 0.0,
        "peak_rss_mb": None,
        "reports": [],
        "error": None,
    }


def run_job(pkg: Package, s: JobSettings) -> dict[str, Any]:
    from mobsec import cli
    from mobsec.report.baseline import apply_triage
    from mobsec.report.render.groups import scoped

    t0, cpu0 = time.perf_counter(), _cpu()
    row = blank_row(pkg)
    if s.rules_only:
        return _rules_only(pkg, s, row, t0, cpu0)
    try:
        doc = cli.scan_document(
            pkg.path,
            quiet=True,
            threads=s.threads,
            app_type=s.app_type,
            privacy_policy=s.privacy_policy,
            wx_appid=s.wx_appid,
            include_unreachable=s.include_unreachable,
            rule_packs=RULE_PACKS,
            facts_dir=s.facts_dir,
        )
    except InputError as e:
        d = e.diagnostic
        return _end(row, "error", cli.EXIT_USAGE, f"{d.en} / {d.zh} [{d.code}]", t0, cpu0)
    if SUPPRESSIONS is not None:
        apply_triage(doc, None, SUPPRESSIONS)
    plan = [(f, s.out_dir / f"{pkg.stem}{SUFFIX[f]}") for f in s.formats]
    view = scoped(doc, s.scope)
    row["findings"] = {k: v for k, v in doc["summary"]["findings_by_severity"].items()}
    row["failing_findings"] = cli.gate_count(view, s.fail_on)
    row["peak_rss_mb"] = max(doc.get("memory", {}).values(), default=None)
    try:
        written = cli.write_outputs(doc, plan, s.lang, s.source_root, s.scope)
    except (OSError, RenderError) as e:
        return _end(row, "write-error", cli.EXIT_INTERNAL, str(e)[:500], t0, cpu0)
    row["reports"] = [Path(w).name for w in written]
    if row["failing_findings"]:
        return _end(row, "fail-on", cli.EXIT_FAIL_ON, None, t0, cpu0)
    if not doc["scan"]["complete"]:
        errors = [d for d in doc["diagnostics"] if d["level"] == "error"]
        memory = any("MemoryError" in d["message"]["en"] for d in errors)
        first = errors[0]["message"]["en"][:300] if errors else None
        return _end(row, "memory" if memory else "incomplete", cli.EXIT_INCOMPLETE, first, t0, cpu0)
    return _end(row, "ok", cli.EXIT_OK, None, t0, cpu0)


def _rules_only(pkg: Package, s: JobSettings, row: dict, t0: float, cpu0: float) -> dict:
    import json

    from mobsec import cli
    from mobsec.rules.stored import rules_only

    if not pkg.path.is_file():
        return _end(row, "error", cli.EXIT_USAGE, "not a regular file / 不是普通文件", t0, cpu0)
    assert s.facts_dir is not None  # checked with the arguments
    try:
        doc = rules_only(pkg.path, RULE_PACKS, s.facts_dir, s.threads)
    except InputError as e:  # the package or its stored facts file cannot be read
        d = e.diagnostic
        error = f"{d.file}: {d.en} / {d.zh} [{d.code}]"
        return _end(row, "error", cli.EXIT_USAGE, error, t0, cpu0)
    for f in doc["findings"]:
        row["findings"][f["severity"]] += 1
    row["failing_findings"] = cli.gate_count(doc, s.fail_on)
    name = f"{pkg.stem}.rules.json"
    try:
        data = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        cli.write_atomically(s.out_dir / name, data.encode("utf-8"))
    except OSError as e:
        return _end(row, "write-error", cli.EXIT_INTERNAL, str(e)[:500], t0, cpu0)
    row["reports"], row["mode"] = [name], doc["mode"]
    if row["failing_findings"]:
        return _end(row, "fail-on", cli.EXIT_FAIL_ON, None, t0, cpu0)
    if not doc["complete"]:
        first = doc["errors"][0] if doc["errors"] else None
        why = f"{first['file']}: {first['message']['en']}"[:300] if first else None
        return _end(row, "incomplete", cli.EXIT_INCOMPLETE, why, t0, cpu0)
    return _end(row, "ok", cli.EXIT_OK, None, t0, cpu0)


def _end(row: dict, status: str, code: int, error: str | None, t0: float, cpu0: float) -> dict:
    row.update(
        status=status,
        exit_code=code,
        error=error,
        seconds=round(time.perf_counter() - t0, 3),
        cpu_seconds=round(_cpu() - cpu0, 3),
    )
    return row


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
