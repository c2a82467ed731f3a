#!/usr/bin/env python3
"""Benchmark: scan cost against the number of manifest components (1k, 10k, 100k).

Each synthetic APK (``tests/hostile/generators.py``: N exported activities, the first the
launcher, one small DEX) is scanned in a fresh process. Linear growth means the time per
component stays flat as N grows tenfold; a fact recomputed per component (issue 15 found
``launcher_activities``) shows up as time per component growing with N.

    .venv/bin/python bench/bench_components.py [N ...]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.generators import case_many_components  # noqa: E402
from tests.hostile.harness import scan  # noqa: E402


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    work = Path(tempfile.mkdtemp(prefix="bench-components-"))
    print(f"{'components':>10} {'wall s':>8} {'µs/comp':>8} {'peak MB':>8}  phases (s)")
    for n in sizes:
        apk = case_many_components(work, n, scratch=work)
        r = scan(apk, work, timeout=600)
        doc = json.loads(r.report.read_text()) if r.rc is not None else {}
        t = doc.get("timings", {})
        phases = {k: round(t.get(k, 0), 2) for k in ("ingest.manifest", "facts.manifest", "checks")}
        print(
            f"{n:>10} {r.wall_s:8.1f} {r.wall_s / n * 1e6:8.0f} {r.peak_mb:8.0f}  {phases}  "
            f"findings {len(doc.get('findings', []))}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
