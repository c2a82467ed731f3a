#!/usr/bin/env python3
"""Benchmark: scan corpus APKs, print wall time and peak RSS per APK and per phase.

Each APK is scanned in a fresh child process so its peak RSS is its own. Results are
printed as a table and written to bench/results/scan.json; bench/RESULTS.md records the
numbers with the machine they were measured on.

    .venv/bin/python bench/bench_scan.py                 # default set
    .venv/bin/python bench/bench_scan.py --repeat 5 APK...
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
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
    "realworld/appium-uiautomator2-server-debug-androidTest.apk",
    "realworld/uiautomator2-app-uiautomator.apk",
    "vulnapps/InsecureBankv2.apk",
    "vulnapps/AndroGoat.apk",
    "vulnapps/ovaa.apk",
    "vulnapps/pivaa.apk",
    "droidbench/AndroidSpecific__DirectLeak1.apk",
]


def _child(path: str) -> None:
    """Runs in the child: one scan, then a JSON line on stdout."""
    from mobsec import ScanOptions, scan
    from mobsec.phases import peak_rss_mb

    t0 = time.perf_counter()
    report = scan(path, ScanOptions())
    doc = report.to_json()
    json.dumps(doc)  # serialisation is part of the cost a user pays
    wall = time.perf_counter() - t0
    code = doc.get("code") or {}
    print(
        json.dumps(
            {
                "wall_s": round(wall, 4),
                "peak_rss_mb": peak_rss_mb(),
                "timings": doc["timings"],
                "memory": doc["memory"],
                "dex_files": len(code.get("dex_files", [])),
                "methods": code.get("methods"),
                "instructions": code.get("instructions"),
                "errors": doc["summary"]["errors"],
            }
        )
    )


def _run_one(path: Path) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # What a CLI user waits for: interpreter start, imports, scan, report serialisation.
    result["process_wall_s"] = round(time.perf_counter() - t0, 4)
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("apks", nargs="*", help="APK paths (default: a corpus set)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per APK; the median is reported")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scan.json")
    args = ap.parse_args()
    if args.child:
        _child(args.child)
        return 0
    paths = [Path(p) for p in args.apks] or [APKS / p for p in DEFAULT]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        print(f"no APKs found (corpus expected at {APKS})", file=sys.stderr)
        return 1
    results = []
    for p in paths:
        runs = [_run_one(p) for _ in range(args.repeat)]
        med = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
        med["wall_s_runs"] = [r["wall_s"] for r in runs]
        med["apk"] = str(p.relative_to(APKS)) if p.is_relative_to(APKS) else str(p)
        med["size_mb"] = round(p.stat().st_size / 2**20, 1)
        results.append(med)
        print(
            f"{med['apk']:<58} {med['size_mb']:>6.1f} MB  wall {med['wall_s']:.3f} s "
            f"(min {min(med['wall_s_runs']):.3f}, median of {len(runs)}; "
            f"process {med['process_wall_s']:.3f} s)  "
            f"peak RSS {med['peak_rss_mb']:.0f} MB  dex {med['dex_files']}  "
            f"methods {med['methods']}  insns {med['instructions']}"
        )
        for phase, secs in med["timings"].items():
            print(
                f"    {phase:<22} {secs * 1000:8.1f} ms   rss {med['memory'].get(phase, 0):6.0f} MB"
            )
    meta = {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
        "median_wall_s_all": statistics.median(r["wall_s"] for r in results),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
