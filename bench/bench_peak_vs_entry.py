#!/usr/bin/env python3
"""Benchmark (issue 15): a scan's peak memory against the largest entry it inflates.

The issue's line: peak RSS ≤ max(300 MB, 3 × the largest single entry actually inflated).
For each package given (default: the corpus's vulnerable and real-world APKs) one CLI scan
runs in a fresh process (``tests/hostile/harness``: peak RSS of the scan process itself);
the largest entry is the biggest uncompressed size in the ZIP's central directory.

    .venv/bin/python bench/bench_peak_vs_entry.py [APK ...]
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.harness import scan  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "apks"
FLOOR_MB = 300


def largest_entry_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as z:
        return max((i.file_size for i in z.infolist()), default=0) / 2**20


def main() -> int:
    apks = [Path(a) for a in sys.argv[1:]] or sorted(
        [*CORPUS.glob("vulnapps/*.apk"), *CORPUS.glob("realworld/*.apk")]
    )
    work = Path(tempfile.mkdtemp(prefix="bench-peak-"))
    print(f"{'package':<48} {'largest MB':>10} {'bound MB':>9} {'peak MB':>8} {'wall s':>7} ok")
    worst = 0.0
    for apk in apks:
        big = largest_entry_mb(apk)
        bound = max(FLOOR_MB, 3 * big)
        r = scan(apk, work, timeout=300, extra=["-q"])
        worst = max(worst, r.peak_mb / bound)
        ok = "yes" if r.peak_mb <= bound else "NO"
        print(f"{apk.name[:48]:<48} {big:10.1f} {bound:9.0f} {r.peak_mb:8.0f} {r.wall_s:7.1f} {ok}")
    print(f"highest peak / bound: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
