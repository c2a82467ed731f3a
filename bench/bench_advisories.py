#!/usr/bin/env python3
"""Cost of the advisory formats (mobsec.advisories): building CSAF (en, zh-CN), OSV and CVE
JSON 5 documents for many advisories, their JSON size, and validating them against the
official schemas in ../shared/schemas (the same validators as tests/advisories).

Advisories are generated from the test samples with varied ids, versions and CVSS vectors
(every vector scored by the cvss library, as in production).

    .venv/bin/python bench/bench_advisories.py [--count N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.advisories import schemas  # noqa: E402
from tests.advisories.samples import APP, SDK  # noqa: E402

from mobsec.advisories import (  # noqa: E402
    Assignment,
    Cna,
    Publisher,
    cna_container,
    cve_record,
    to_csaf,
    to_osv,
)

PUBLISHER = Publisher("mobsec", "https://mobsec.example")
CNA = Cna("8254265b-2729-46b6-b9e3-3dfca2d5bfca", "mobsec")
AV = ("N", "A", "L", "P")
CIA = ("H", "L", "N")


def advisories(n: int):
    for i in range(n):
        base = SDK if i % 2 else APP
        v31 = f"CVSS:3.1/AV:{AV[i % 4]}/AC:L/PR:N/UI:N/S:U/C:{CIA[i % 3]}/I:{CIA[(i // 3) % 3]}/A:N"
        v40 = (f"CVSS:4.0/AV:{AV[i % 4]}/AC:L/AT:N/PR:N/UI:N/VC:{CIA[i % 3]}/VI:H/VA:N/SC:N/"
               "SI:N/SA:N")  # fmt: skip
        yield replace(base, id=f"MOBSEC-2026-{i + 1:04d}", cvss_v31=v31, cvss_v40=v40)


def timed(label: str, fn, items, sized: bool = True) -> list:
    out, times = [], []
    for x in items:
        t = time.perf_counter()
        out.append(fn(x))
        times.append(time.perf_counter() - t)
    line = (f"{label:<22} {len(items):>5} docs  median {statistics.median(times) * 1e3:7.3f} ms  "
            f"max {max(times) * 1e3:7.3f} ms  total {sum(times):6.2f} s")  # fmt: skip
    if sized:
        size = statistics.median(len(json.dumps(d, ensure_ascii=False).encode()) for d in out)
        line += f"  median size {size:,.0f} B"
    print(line)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()
    items = list(advisories(args.count))
    sdk = [a for a in items if a.has_ecosystem()]
    csaf = timed("CSAF en", lambda a: to_csaf(a, PUBLISHER, "en"), items)
    timed("CSAF zh-CN", lambda a: to_csaf(a, PUBLISHER, "zh-CN"), items)
    osv = timed("OSV (SDKs)", to_osv, sdk)
    cna = timed("CVE CNA container", lambda a: cna_container(a, CNA), items)
    rec = timed("CVE record", lambda a: cve_record(a, CNA, Assignment("CVE-2026-12345")), items)
    sample = slice(0, min(200, len(items)))
    for label, check, docs in (("validate CSAF", schemas.csaf_errors, csaf[sample]),
                               ("validate OSV", schemas.osv_errors, osv[sample]),
                               ("validate CNA", schemas.cna_container_errors, cna[sample]),
                               ("validate CVE record", schemas.cve_record_errors, rec[sample])):  # fmt: skip
        errors = timed(label, check, docs, sized=False)
        assert not any(errors), f"{label}: {next(e for e in errors if e)}"


if __name__ == "__main__":
    main()
