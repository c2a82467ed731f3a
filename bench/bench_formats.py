"""Benchmark: scan time of every sample of ../shared/corpus/formats (MANIFEST.tsv) in one
process, default options: the first scan of each file (cold: imports of its platform's
readers and checks included) and the median of N further scans (warm), wall time and the
process's CPU time (on a machine shared with other busy processes the CPU time is what the
scan would take alone: the scan is single-threaded). The bar of issue 12
is "each sample scans in ≤ 1 s"; the split sets and App Bundles, whose Android analysis
carries a 10 s taint budget, have their own bar (within 1.2x of one APK: bench_bundles.py)
and are left out unless --all.

    .venv/bin/python bench/bench_formats.py [--corpus DIR] [--repeat N] [--all]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from mobsec import ScanOptions, scan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
BUNDLES = ("aab/", "apks/")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--all", action="store_true", help="include .aab/.apks")
    ap.add_argument("--only", default="", help="only samples whose path holds this text")
    args = ap.parse_args()
    formats = args.corpus / "formats"
    rows = (formats / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = [r.split("\t")[0] for r in rows if r.strip()]
    if not args.all:
        names = [n for n in names if not n.startswith(BUNDLES)]
    names = [n for n in names if args.only in n]
    options = ScanOptions()
    print(f"{'sample':64} {'cold s':>7} {'warm s':>7} {'cpu s':>7} {'errors':>6}")
    worst = worst_cpu = 0.0
    for name in names:
        path = formats / name
        t = time.perf_counter()
        doc = scan(path, options).to_json()
        cold = time.perf_counter() - t
        warm, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            scan(path, options)
            warm.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        median, cpu_median = statistics.median(warm), statistics.median(cpu)
        worst = max(worst, median)
        worst_cpu = max(worst_cpu, cpu_median)
        errors = sum(1 for d in doc["diagnostics"] if d["level"] == "error")
        print(f"{name:64} {cold:7.3f} {median:7.3f} {cpu_median:7.3f} {errors:6d}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max warm median: {worst:.3f} s wall, {worst_cpu:.3f} s CPU; peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
