"""What storing the facts costs a routine platform scan (issue 10 leftovers): every scan job
now writes ``<sha256>.facts`` (format 4; formats 1-3: ``.facts.json.gz``) for rule-only
re-scans.

    .venv/bin/python bench/bench_facts_store.py [--runs 3] [APK ...]

For each APK (default: five corpus apps from 66 KB to 18 MB), in one process: a warm-up scan,
then ``--runs`` scans with a facts directory (threads=1). The CPU of building the snapshot
(:func:`mobsec.rules.stored.snapshot`) and of writing it (:func:`~mobsec.rules.stored.save`:
JSON + gzip + atomic write) is taken around those two calls (``time.process_time``; the
scan runs on one thread), against the CPU of the whole scan. Bytes on disk = the file's size.
Prints a table and JSON; medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
DEFAULT = (
    "vulnapps/UnCrackable-Level1.apk",
    "vulnapps/InsecureBankv2.apk",
    "vulnapps/InsecureShop.apk",
    "vulnapps/dvba.apk",
    "realworld/appium-uiautomator2-server-v10.6.6.apk",
)


class CpuMeter:
    """CPU seconds spent inside the wrapped functions (instrumentation for this bench)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn):
        def timed(*args, **kwargs):
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - t

        return timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("apks", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from mobsec.engine import scan
    from mobsec.options import ScanOptions
    from mobsec.rules import stored

    meter = CpuMeter()
    stored.snapshot = meter.wrap(stored.snapshot)
    stored.save = meter.wrap(stored.save)
    paths = args.apks or [APKS / p for p in DEFAULT]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-facts-") as tmp:
        facts_dir = Path(tmp)
        for apk in paths:
            scan(apk, ScanOptions(threads=1))  # warm-up: imports, caches
            store_cpu, scan_cpu, wall = [], [], []
            for _ in range(args.runs):
                meter.seconds = 0.0
                c0 = time.process_time()
                report = scan(apk, ScanOptions(threads=1, facts_dir=facts_dir))
                scan_cpu.append(time.process_time() - c0)
                store_cpu.append(meter.seconds)
                wall.append(report.to_json()["timings"].get("facts.store", 0.0))
            path = stored.facts_path(facts_dir, report.package.sha256)
            size = path.stat().st_size if path.exists() else 0
            row = {
                "apk": apk.name,
                "apk_bytes": apk.stat().st_size,
                "facts_bytes": size,
                "store_cpu_s": round(statistics.median(store_cpu), 4),
                "scan_cpu_s": round(statistics.median(scan_cpu), 3),
                "store_share": round(statistics.median(store_cpu) / statistics.median(scan_cpu), 4),
                "store_wall_s": round(statistics.median(wall), 4),
            }
            rows.append(row)
            print(
                f"{row['apk'][:44]:44} {row['apk_bytes']:>11,} B  facts {size:>10,} B  "
                f"store {row['store_cpu_s']:.3f} of {row['scan_cpu_s']:.2f} core-s "
                f"({100 * row['store_share']:.1f} %)",
                flush=True,
            )
    print(json.dumps({"runs": args.runs, "load": os.getloadavg()[0], "rows": rows}, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
