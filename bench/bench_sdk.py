"""Benchmark: scan time and peak memory of every Android SDK corpus sample (.aar, .jar;
issue 12: "each sample scans in <= 1 s"), in one process, and the class-file reader alone.

Cold = the first scan in the process (imports of the reader, facts and the manifest checks
included); warm = best of N further scans. "reader" = parse every class file of the
sample's JARs (best of N), the part that grows with the SDK's size.

    .venv/bin/python bench/bench_sdk.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from mobsec import scan
from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.jvm import JvmCode


def _reader_time(path: Path, repeat: int) -> tuple[float, int]:
    best, classes = float("inf"), 0
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
    return best, classes


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
        times = []
        doc = None
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            doc = scan(path).to_json()
            times.append(time.perf_counter() - t0)
        reader, classes = _reader_time(path, args.repeat)
        assert doc is not None
        rows.append((path.name, path.stat().st_size, classes, times[0], min(times[1:]), reader))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'sample':<46} {'bytes':>8} {'classes':>7} {'cold s':>7} {'warm s':>7} {'reader s':>8}")
    for name, size, classes, cold, warm, reader in rows:
        print(f"{name:<46} {size:>8} {classes:>7} {cold:>7.3f} {warm:>7.3f} {reader:>8.3f}")
    print(f"max warm: {max(r[4] for r in rows):.3f} s; process peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
