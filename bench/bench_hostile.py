#!/usr/bin/env python3
"""Benchmark: every hostile case of issue 15 at full size, each scanned in a fresh process.

Prints wall time, peak RSS (the child's own, from ``wait4``), exit code, report and stderr
size per case, and writes ``bench/results/hostile-LABEL.json``. ``--src DIR`` runs another
checkout's ``src`` (the "before" figures were taken from main before the fix that way).

    .venv/bin/python bench/bench_hostile.py                    # full sizes, label "after"
    .venv/bin/python bench/bench_hostile.py --ci               # the sizes the tests use
    .venv/bin/python bench/bench_hostile.py --label before --src /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.generators import CASES, generate  # noqa: E402
from tests.hostile.harness import scan  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", help=f"default: all of {', '.join(CASES)}")
    ap.add_argument("--ci", action="store_true", help="the smaller sizes the tests use")
    ap.add_argument("--label", default="after")
    ap.add_argument("--src", help="PYTHONPATH for the scanned code (another checkout's src)")
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--workdir", type=Path, help="keep generated APKs here (default: temp)")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.cases or list(CASES):
        case_dir = work / name
        case_dir.mkdir(exist_ok=True)
        apks = sorted(case_dir.glob("*.apk"))
        apk = next((a for a in apks if not a.name.startswith("v1-")), None)
        if apk is None:
            apk = generate(name, case_dir, full=not args.ci)
        r = scan(apk, case_dir, timeout=args.timeout, env=env)
        report_mb = r.report.stat().st_size / 2**20 if r.report.exists() else None
        results[name] = {
            "apk": apk.name,
            "apk_mb": round(apk.stat().st_size / 2**20, 2),
            "rc": r.rc,
            "wall_s": round(r.wall_s, 2),
            "peak_mb": round(r.peak_mb),
            "report_mb": None if report_mb is None else round(report_mb, 2),
            "stderr_kb": round(len(r.stderr) / 1024, 1),
        }
        rep = "no report" if report_mb is None else f"report {report_mb:7.2f} MB"
        print(
            f"{name:<18} {apk.name:<36} {results[name]['apk_mb']:6.2f} MB  {r.line()}  {rep}"
            f"  stderr {len(r.stderr) / 1024:8.1f} KB",
            flush=True,
        )
    out = ROOT / "bench" / "results" / f"hostile-{args.label}{'-ci' if args.ci else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "full": not args.ci}
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
