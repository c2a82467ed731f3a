"""Run every registered check on one app's facts.

Checks are independent: one that hits a bug of ours is reported as an ``internal.error``
diagnostic naming the check, and the others still run. Time is accounted per area.

A check keeps at most ``max_per_check`` findings (``Limits.max_findings_per_check``); past
that its findings are only counted (their evidence is not even built, see
``CheckContext.full``) and end as one finding at the first place left out, whose message
gives the count and whose evidence lists the first places, plus a ``checks.findings_capped``
diagnostic. A crafted manifest with 99,000 exported activities thus gives a bounded report.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterable
from typing import Any

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import Check, load_all
from mobsec.diagnostics import Diagnostics
from mobsec.facts.app import AppFacts
from mobsec.limits import DEFAULT_LIMITS
from mobsec.options import ProgressCallback
from mobsec.report.model import SEVERITY_ORDER, Finding, Text

PLACES_LISTED = 20  # places of the findings left out, listed in the summary finding


def run_checks(
    facts: AppFacts | Any,  # the facts object of ``platform``
    diags: Diagnostics,
    timings: dict[str, float],
    progress: ProgressCallback | None = None,
    checks: Iterable[Check] | None = None,
    platform: str = "android",
    max_per_check: int = DEFAULT_LIMITS.max_findings_per_check,
) -> list[Finding]:
    """``facts`` are the facts of one ``platform`` (AppFacts for Android); only that
    platform's checks run on them."""
    selected = list(checks) if checks is not None else list(load_all(platform).values())
    findings: list[Finding] = []
    for n, chk in enumerate(selected):
        if progress:
            progress("checks", n, len(selected))
        start = time.perf_counter()
        try:
            findings.extend(_capped(chk, CheckContext(facts, chk.meta), max_per_check, diags))
        except Exception as e:  # noqa: BLE001 - contained per check, see module doc
            diags.error(
                "internal.check_failed",
                "",
                f"Check {chk.meta.id} failed: {type(e).__name__}: {e}",
                f"检测规则 {chk.meta.id} 执行失败:{type(e).__name__}: {e}",
                check=chk.meta.id,
                traceback=traceback.format_exc(limit=8),
            )
        area = f"checks.{chk.meta.area}"
        timings[area] = timings.get(area, 0.0) + time.perf_counter() - start
    findings.sort(
        key=lambda f: (
            SEVERITY_ORDER.index(f.severity.value),
            f.check_id,
            f.location.file,
            f.location.class_name or "",
            f.location.method or "",
            f.location.offset or 0,
            f.location.line or 0,
        )
    )
    return findings


def _capped(chk: Check, ctx: CheckContext, cap: int, diags: Diagnostics) -> list[Finding]:
    """The check's first ``cap`` findings, and one finding standing for the rest."""
    kept: list[Finding] = []
    rest: list[Finding] = []  # the first PLACES_LISTED of those left out
    left_out = 0
    for f in chk.run(ctx):
        if len(kept) < cap:
            kept.append(f)
            ctx.full = len(kept) >= cap
            continue
        left_out += 1
        if len(rest) < PLACES_LISTED:
            rest.append(f)
    if not left_out:
        return kept
    diags.warning(
        "checks.findings_capped",
        "",
        f"Check {chk.meta.id} found {cap + left_out} instances; the first {cap} are listed, "
        f"the other {left_out} are counted in one finding",
        f"检测规则 {chk.meta.id} 发现 {cap + left_out} 处问题:列出前 {cap} 处,"
        f"其余 {left_out} 处合并为一条结果计数",
        check=chk.meta.id,
        kept=cap,
        left_out=left_out,
    )
    return [*kept, _rest_finding(rest, left_out)]


def _rest_finding(rest: list[Finding], left_out: int) -> Finding:
    """The first finding left out, standing for all of them: its place, the count in its
    message, the first places in its evidence."""
    first = rest[0]
    places = [_place(f) for f in rest]
    if left_out > len(rest):
        places.append(f"… +{left_out - len(rest)}")
    first.message = Text(
        f"{left_out} more instances of this check are not listed one by one (first: {places[0]})",
        f"另有 {left_out} 处同类问题未逐条列出(第一处:{places[0]})",
    )
    first.evidence = "\n".join(places)
    first.fingerprint_parts = ("findings left out",)  # one per check, stable across rebuilds
    return first


def _place(f: Finding) -> str:
    loc = f.location
    where = loc.file
    if loc.class_name:
        where += f" {loc.class_name}" + (f".{loc.method}" if loc.method else "")
    if loc.line is not None:
        where += f":{loc.line}"
    subject = f.fingerprint_parts[1] if loc.file == "AndroidManifest.xml" else ""
    return f"{where} {subject}".strip()
