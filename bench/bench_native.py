#!/usr/bin/env python3
"""Cost of the arm64 JNI analysis (mobsec.facts.native_arm64) per library of the corpus.

For every ``lib/arm64-v8a/*.so`` in the corpus APKs: mapping the ELF (load_image) plus the
analysis of its exported Java_* functions, best of 3 in one process (capstone already
imported), with the functions and instructions walked and the events found. Also the one-off
cost of importing capstone in a fresh interpreter (paid only by scans of apps that have
arm64 JNI functions).

    .venv/bin/python bench/bench_native.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"


def libraries() -> list[tuple[str, bytes]]:
    out = []
    for apk in sorted(APKS.rglob("*.apk")):
        try:
            with zipfile.ZipFile(apk) as z:
                for name in z.namelist():
                    if name.startswith("lib/arm64-v8a/") and name.endswith(".so"):
                        out.append((f"{apk.name}:{name.rsplit('/', 1)[-1]}", z.read(name)))
        except (zipfile.BadZipFile, OSError, ValueError):
            continue  # the corpus's deliberately broken packages (parser-robustness set)
    return out


def import_cost() -> float:
    code = "import time; t=time.perf_counter(); import capstone; print(time.perf_counter()-t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    return min(runs)


def main() -> None:
    import capstone  # noqa: F401  (paid once; measured separately below)

    from mobsec.facts.native_arm64 import analyze_jni
    from mobsec.ingest.elf_image import load_image

    print(f"{'library':58} {'KiB':>6} {'fns':>4} {'insns':>6} {'events':>6} {'ms':>7}")
    total = 0.0
    for label, data in libraries():
        best = float("inf")
        result = None
        for _ in range(3):
            t0 = time.perf_counter()
            image = load_image(data)
            result = analyze_jni(image) if image is not None else None
            best = min(best, time.perf_counter() - t0)
        total += best
        fns = result.functions if result else 0
        insns = result.instructions if result else 0
        events = len(result.compares) + len(result.copies) if result else 0
        print(f"{label:58} {len(data) / 1024:6.1f} {fns:4} {insns:6} {events:6} {best * 1e3:7.2f}")
    print(f"all libraries: {total * 1e3:.1f} ms")
    print(f"import capstone (fresh interpreter, best of 3): {import_cost() * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
