#!/usr/bin/env python3
"""Benchmark: the inter-procedural value analysis (mobsec.facts.values) on corpus APKs.

Per APK, in a fresh child process: the full Android pipeline runs once, then the value
analysis's own counters are printed: questions asked by the checks, steps taken (bounded
per question by Limits.value_steps), memoised answers, seconds spent inside it, and the
checks phase time per area, so its share of the scan is visible. Compare with
``bench/bench_scan.py`` (whole scan) before/after.

    .venv/bin/python bench/bench_values.py                 # default set (largest first)
    .venv/bin/python bench/bench_values.py APK...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
DEFAULT = [
    "realworld/appium-uiautomator2-server-v10.6.6.apk",
    "realworld/io.appium.settings-8.0.10-debug.apk",
    "vulnapps/InsecureBankv2.apk",
    "vulnapps/pivaa.apk",
]


def _child(path: str) -> None:
    from mobsec.diagnostics import Diagnostics
    from mobsec.ingest.apk import read_apk
    from mobsec.ingest.archive import Archive
    from mobsec.options import ScanOptions
    from mobsec.phases import PhaseRunner
    from mobsec.pipelines.android import fill_android_report
    from mobsec.report.model import Report

    options = ScanOptions()
    diags = Diagnostics()
    phases = PhaseRunner(diags, None)
    t0 = time.perf_counter()
    archive = Archive.open(path, diags, options.limits)
    pkg = read_apk(archive, diags, phases, options.limits, options.threads)
    report = Report(package=None, started_at="")  # type: ignore[arg-type]
    facts = fill_android_report(report, pkg, diags, phases, options)
    wall = time.perf_counter() - t0
    values = facts.__dict__.get("values")  # the cached_property, if any check asked
    checks = {k: round(v, 3) for k, v in phases.timings.items() if k.startswith("checks")}
    print(
        json.dumps(
            {
                "wall_s": round(wall, 3),
                "methods": pkg.dex.method_count,
                "questions": values.questions if values else 0,
                "steps": values.steps if values else 0,
                "memoised": len(values._memo) if values else 0,
                "value_s": round(values.seconds, 3) if values else 0.0,
                "checks": checks,
            }
        )
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("apks", nargs="*")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return 0
    paths = [Path(p) for p in args.apks] or [APKS / p for p in DEFAULT]
    for p in (p for p in paths if p.is_file()):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(p)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{p.name:<48} methods {r['methods']:>7}  scan {r['wall_s']:7.2f} s  "
            f"value questions {r['questions']:>6}  steps {r['steps']:>7}  "
            f"memoised {r['memoised']:>6}  in values {r['value_s']:6.2f} s  "
            f"checks {r['checks'].get('checks', 0):6.2f} s"
        )
        areas = {k: v for k, v in r["checks"].items() if k != "checks"}
        top = sorted(areas.items(), key=lambda kv: -kv[1])[:5]
        print("    " + "  ".join(f"{k[7:]} {v:.2f}s" for k, v in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
