"""Benchmark: scan time and peak memory of every HarmonyOS and WeChat mini-program corpus
sample (issue 12: "each sample scans in <= 1 s"), in one warm process.

Cold = the first scan of each platform in the process (imports of the checks and of esprima
included); warm = best of N further scans (what a worker that has scanned before pays). The
JavaScript parse budget is the default (ScanOptions.js_parse_chars); the share of modules
esprima parsed within it is printed, since past the budget the rest is searched by pattern.

    .venv/bin/python bench/bench_harmony_wx.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from mobsec import ScanOptions, scan

APP_ID = {"secdevlpr26_wx0a3f2cb08e5994bc-pc-encrypted-V1MMWX.wxapkg": "wx0a3f2cb08e5994bc"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    formats = args.corpus / "formats"
    samples = sorted(
        [
            *formats.glob("hap/*.hap"),
            *formats.glob("harmony-app/*.app"),
            *formats.glob("wxapkg/*.wxapkg"),
        ]
    )
    rows = []
    for path in samples:
        runs = []
        for app_id in (None, APP_ID.get(path.name)) if path.name in APP_ID else (None,):
            times = []
            doc = None
            for _ in range(args.repeat + 1):
                t0 = time.perf_counter()
                doc = scan(path, ScanOptions(wx_appid=app_id)).to_json()
                times.append(time.perf_counter() - t0)
            js = next(
                (
                    r["value"]
                    for d in doc["platform_details"]
                    for r in d["rows"]
                    if r["key"].startswith("JavaScript")
                ),
                "",
            )
            label = path.name + (" (--wx-appid)" if app_id else "")
            runs.append((label, times[0], min(times[1:]), len(doc["findings"]), js))
        rows += runs
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'sample':<62} {'cold s':>7} {'warm s':>7} {'findings':>8}  JS parsed/all")
    for label, cold, warm, n, js in rows:
        print(f"{label:<62} {cold:>7.3f} {warm:>7.3f} {n:>8}  {js}")
    print(f"max warm: {max(r[2] for r in rows):.3f} s; process peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
