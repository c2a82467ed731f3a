"""Benchmark: parse + scan every DEX of the appium APK (the project's speed bar).

Prints wall time and peak RSS. The zip entries are read with the standard library before
the clock starts, so the numbers are the DEX reader's own (header, checksums, pools,
classes, scan of every instruction, one reverse-index query).

    .venv/bin/python bench/bench_dex.py [APK] [--workers N]
"""

from __future__ import annotations

import argparse
import resource
import time
import zipfile
from pathlib import Path

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.dex import DexSet

DEFAULT_APK = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/corpus/apks/realworld/appium-uiautomator2-server-v10.6.6.apk"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("apk", nargs="?", default=str(DEFAULT_APK))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with zipfile.ZipFile(args.apk) as z:
        files = [(n, z.read(n)) for n in z.namelist() if n.endswith(".dex")]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(len(d) for _, d in files)

    t0 = time.perf_counter()
    diags = Diagnostics()
    dexes = DexSet.parse(files, diags, workers=args.workers)
    t1 = time.perf_counter()
    sites = dexes.call_sites("Ljavax/crypto/Cipher;", "getInstance")
    t2 = time.perf_counter()

    refs = {k: sum(d.refs.count(k) for d in dexes.dexes) for k in dexes.dexes[0].refs}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"apk              : {Path(args.apk).name}")
    print(f"dex files        : {len(files)} ({size / 1e6:.1f} MB)")
    print(f"classes          : {dexes.class_count}")
    print(f"methods (defined): {dexes.method_count}")
    print(f"instructions     : {dexes.instruction_count}")
    print("references       : " + ", ".join(f"{k} {v}" for k, v in refs.items()))
    print(f"diagnostics      : {len(diags)}")
    print(f"parse+scan wall  : {t1 - t0:.3f} s  (workers={args.workers})")
    print(
        f"first call_sites : {(t2 - t1) * 1000:.1f} ms ({len(sites)} sites of Cipher.getInstance)"
    )
    print(
        f"peak RSS         : {rss:.0f} MB (before parsing, with the DEX bytes read: "
        f"{rss_before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
