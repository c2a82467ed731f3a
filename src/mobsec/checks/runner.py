"""Run every registered check on one app's facts.

Checks are independent: one that hits a bug of ours is reported as an ``internal.error``
diagnostic naming the check, and the others still run. Time is accounted per area.
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
from mobsec.options import ProgressCallback
from mobsec.report.model import SEVERITY_ORDER, Finding


def run_checks(
    facts: AppFacts | Any,  # the facts object of ``platform``
    diags: Diagnostics,
    timings: dict[str, float],
    progress: ProgressCallback | None = None,
    checks: Iterable[Check] | None = None,
    platform: str = "android",
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
            findings.extend(chk.run(CheckContext(facts, chk.meta)))
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
