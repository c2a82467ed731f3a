"""Benchmark: scan time and peak memory of every Android SDK corpus sample (.aar, .jar;
issue 12: "each sample scans in <= 1 s"), in one process, and the class-file reader alone.

Cold = the first scan in the process (imports of the reader, facts and the checks
included); warm = best of N further scans (wall clock); "warm cpu" = the same scans' best
process CPU time (what the scan costs without other processes' load). "reader" = parse
every class file of the sample's JARs, "to_dex" = translate them to DEX and parse that
(mobsec.ingest.jvm.todex), best of N each: the parts that grow with the SDK's size.

    .venv/bin/python bench/bench_sdk.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from mobsec import scan
from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.jvm import JvmCode
from mobsec.ingest.jvm.todex import to_dex


def _reader_time(path: Path, repeat: int) -> tuple[float, float, int]:
    best, best_dex, classes = float("inf"), float("inf"), 0
    for _ in range(repeat):
        diags = Diagnostics()
        with Archive.open(path, diags) as arch:
            t0 = time.perf_counter()
            code = JvmCode()
            if path.suffix == ".aar":
                data = arch.read("classes.jar")
                if data:
                    with Archive.open(data, diags, display_name="classes.jar") as inner:
                        code.add_jar(inner, "classes.jar!/", diags)
            else:
                code.add_jar(arch, "", diags)
            best = min(best, time.perf_counter() - t0)
            classes = len(code.classes)
            t0 = time.perf_counter()
            to_dex(code, diags)
            best_dex = min(best_dex, time.perf_counter() - t0)
    return best, best_dex, classes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    formats = args.corpus / "formats"
    samples = sorted([*formats.glob("aar/*.aar"), *formats.glob("jar/*.jar")])
    rows = []
    for path in samples:
        times, cpu = [], []
        doc = None
        for _ in range(args.repeat + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            doc = scan(path).to_json()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        reader, dex, classes = _reader_time(path, args.repeat)
        assert doc is not None
        found = len(doc["findings"]) + len(doc["unreachable_findings"])
        rows.append(
            (path.name, path.stat().st_size, classes, found, times[0], min(times[1:]),
             min(cpu[1:]), reader, dex)
        )  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{'sample':<46} {'bytes':>8} {'classes':>7} {'findings':>8} {'cold s':>7} "
        f"{'warm s':>7} {'warm cpu':>8} {'reader s':>8} {'to_dex s':>8}"
    )
    for name, size, classes, found, cold, warm, cpu, reader, dex in rows:
        print(
            f"{name:<46} {size:>8} {classes:>7} {found:>8} {cold:>7.3f} {warm:>7.3f} "
            f"{cpu:>8.3f} {reader:>8.3f} {dex:>8.3f}"
        )
    print(f"max warm: {max(r[5] for r in rows):.3f} s; process peak RSS {peak:.0f} MiB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
