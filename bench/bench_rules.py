#!/usr/bin/env python3
"""Benchmark: what rule packs cost on top of a scan.

Loads the example pack and the test pack of every construct (tests/rules/constructs, 18
rules), then scans corpus APKs with both and prints per APK the whole scan time and the time
the rules took (the runner accounts them as ``checks.<area>``: emergency, constructs), plus
the time to load, check and verify a pack. Same process, sequential; one run per APK.

    .venv/bin/python bench/bench_rules.py [APK...]
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
PACKS = [ROOT / "rules/examples/emergency", ROOT / "tests/rules/constructs"]
RULE_AREAS = ("checks.emergency", "checks.constructs")


def main(argv: list[str]) -> int:
    from mobsec.engine import scan
    from mobsec.options import ScanOptions
    from mobsec.rules.loader import load_pack
    from mobsec.rules.signing import generate_key, sign_pack, verify_pack

    t0 = time.perf_counter()
    packs = tuple(load_pack(p) for p in PACKS)
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        key, pub = Path(tmp) / "k", Path(tmp) / "p"
        generate_key(key, pub)
        import shutil

        copy = Path(tmp) / "pack"
        shutil.copytree(PACKS[0], copy, ignore=shutil.ignore_patterns("build"))
        sign_pack(copy, key)
        t0 = time.perf_counter()
        verify_pack(copy, [pub])
        verify_s = time.perf_counter() - t0
    rules = sum(len(p.rules) for p in packs)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load + check {len(packs)} packs ({rules} rules): {load_s * 1000:.0f} ms")
    print(f"verify the signed example pack: {verify_s * 1000:.0f} ms")
    paths = [Path(a) for a in argv] or sorted(
        [*APKS.glob("realworld/*.apk"), *APKS.glob("vulnapps/*.apk")]
    )
    print(f"{'apk':<52} {'MB':>6} {'scan s':>7} {'rules s':>8} {'rule %':>7} {'findings':>8}")
    for path in paths:
        t0 = time.perf_counter()
        report = scan(path, ScanOptions(rule_packs=packs, threads=1))
        total = time.perf_counter() - t0
        rule_s = sum(report.timings.get(a, 0.0) for a in RULE_AREAS)
        n = sum(
            1
            for f in [*report.findings, *report.unreachable_findings]
            if f.check_id.split(".")[1] in ("emergency", "constructs")
        )
        size = path.stat().st_size / 1e6
        print(
            f"{path.name[:52]:<52} {size:>6.1f} {total:>7.2f} {rule_s:>8.3f} "
            f"{100 * rule_s / total:>6.1f}% {n:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
