#!/usr/bin/env python3
"""The findings to judge for precision: every open finding on the realworld APKs, up to 3
per check on the deliberately vulnerable apps (GROUND_TRUTH.md, issue 13).

Scans the APKs with the engine on ``sys.path`` (run it with ``PYTHONPATH`` pointing at an
older tree to collect that tree's findings) and writes one JSON file: per finding the APK,
fingerprint, check, severity, owner, place, message and evidence, and whether it is
*open* (in ``findings``, severity low or above) or set apart (``unreachable_findings``,
``protections``, info level). Only open findings count for precision; the others are kept
so a reviewer can see what each mechanism removed.

    .venv/bin/python bench/precision/collect.py -o bench/precision/after.json
    PYTHONPATH=/tmp/old/src .venv/bin/python bench/precision/collect.py -o before.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
GROUPS = ("realworld", "vulnapps")
PER_CHECK = 3  # vulnapps: findings sampled per check (every one on the realworld APKs)


def entry(group: str, apk: str, f: dict, where: str) -> dict:
    loc = f["location"]
    msg = f.get("message") or {}
    return {
        "group": group,
        "apk": apk,
        "fingerprint": f["fingerprint"],
        "check_id": f["check_id"],
        "severity": f["severity"],
        "owner": f["owner"]["kind"],
        "sdk": f["owner"].get("sdk_id"),
        "where": where,  # findings | unreachable_findings | protections
        "reachability": f.get("reachability"),
        "aliases": len(f.get("fingerprint_aliases") or []),  # merged duplicates
        "file": loc.get("file"),
        "class": loc.get("class"),
        "method": loc.get("method"),
        "offset": loc.get("offset"),
        "line": loc.get("line"),
        "message": msg.get("en"),
        "evidence": (f.get("evidence") or "")[:600],
    }


def is_open(e: dict) -> bool:
    return e["where"] == "findings" and e["severity"] != "info"


def sample(entries: list[dict]) -> set[tuple[str, str]]:
    """(apk, fingerprint) of the findings to judge: all realworld, PER_CHECK per check else."""
    chosen: set[tuple[str, str]] = set()
    per_check: dict[str, list[dict]] = {}
    for e in entries:
        if not is_open(e):
            continue
        if e["group"] == "realworld":
            chosen.add((e["apk"], e["fingerprint"]))
        else:
            per_check.setdefault(e["check_id"], []).append(e)
    for es in per_check.values():
        es.sort(key=lambda e: (e["apk"], e["fingerprint"]))  # deterministic spread
        step = max(1, len(es) // PER_CHECK)
        for e in es[::step][:PER_CHECK]:
            chosen.add((e["apk"], e["fingerprint"]))
    return chosen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    from mobsec import ScanOptions, scan

    entries: list[dict] = []
    for group in GROUPS:
        for path in sorted((APKS / group).glob("*.apk")):
            doc = scan(path, ScanOptions()).to_json()
            for where in ("findings", "unreachable_findings", "protections"):
                for f in doc.get(where) or []:
                    entries.append(entry(group, path.name, f, where))
            print(f"{path.name}: {len(doc['findings'])} findings", file=sys.stderr)
    chosen = sample(entries)
    for e in entries:
        e["sampled"] = (e["apk"], e["fingerprint"]) in chosen
    args.output.write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(entries)} findings, {len(chosen)} sampled -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
