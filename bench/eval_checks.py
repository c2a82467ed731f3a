#!/usr/bin/env python3
"""Detection quality of the checks against the corpus ground truth (GROUND_TRUTH.md §3).

For every README item of the deliberately vulnerable apps: found or missed, by the checks
that the item's labels map to (``bench/eval_labels.json``); items the ground truth marks
runtime/server-only are listed but not counted. Every finding on those apps that no label of
the app explains is counted as unexplained (a false positive until a reviewer says
otherwise). Prints a table and writes bench/results/eval.json.

    .venv/bin/python bench/eval_checks.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
LABELS = ROOT / "bench" / "eval_labels.json"

_APP_HEADING = re.compile(r"^### (\S+\.apk)")
_ROW = re.compile(r"^\|(.+)\|\s*$")
_RUNTIME = re.compile(r"\*\((runtime|server|runtime/server)\)\*")


@dataclass
class Item:
    app: str
    ref: str  # README line, or evidence for the crackmes
    labels: list[str]
    text: str
    runtime: bool
    found_by: list[str] = field(default_factory=list)
    static: bool = True
    why_not_static: str = ""


def parse_ground_truth(text: str) -> list[Item]:
    """Items of section 3 (deliberately vulnerable apps)."""
    section = text.split("## 3.", 1)[1].split("\n## 4.", 1)[0]
    items: list[Item] = []
    app = None
    for line in section.splitlines():
        if m := _APP_HEADING.match(line):
            app = m.group(1)
            continue
        m = _ROW.match(line)
        if not m or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in m.group(1).split("|")]
        if cells[0] in ("README line", "apk"):
            continue
        if cells[0].endswith(".apk"):  # the crackmes table: apk | labels | evidence
            row_app, labels, body = cells[0], cells[1], cells[2]
            ref = "crackmes"
        else:
            row_app, ref, labels, body = app, cells[0], cells[1], cells[2]
        if row_app is None:
            continue
        # A crackme row lists separate facts (one per label); a README row is one item
        # whose labels describe it together.
        groups = [[lb] for lb in _labels(labels)] if ref == "crackmes" else [_labels(labels)]
        for group in groups:
            items.append(
                Item(
                    app=row_app,
                    ref=ref,
                    labels=group,
                    text=body,
                    runtime=bool(_RUNTIME.search(body)),
                )
            )
    return items


def _labels(cell: str) -> list[str]:
    cell = re.sub(r"\([^)]*\)", "", cell)  # "(present)", "(per flag walkthroughs, HEAD)"
    return [x.strip() for x in cell.split(",") if x.strip()]


def scan_app(path: Path) -> dict:
    from mobsec import ScanOptions, scan

    return scan(path, ScanOptions()).to_json()


def matches(check_id: str, patterns: list[str]) -> bool:
    return any(check_id == p or (p.endswith(".") and check_id.startswith(p)) for p in patterns)


def evaluate(items: list[Item], label_map: dict, reports: dict[str, dict]) -> dict:
    unknown = sorted({lb for it in items for lb in it.labels} - set(label_map))
    if unknown:
        raise SystemExit(f"labels missing from {LABELS.name}: {unknown}")
    per_app: dict[str, dict] = {}
    for app, doc in reports.items():
        app_items = [it for it in items if it.app == app]
        app_patterns = [p for it in app_items for lb in it.labels for p in label_map[lb]["checks"]]
        findings = doc["findings"]
        for it in app_items:
            patterns = [p for lb in it.labels for p in label_map[lb]["checks"]]
            it.static = not it.runtime and bool(patterns)
            if not patterns and not it.runtime:
                it.why_not_static = "; ".join(
                    label_map[lb].get("why", "") for lb in it.labels if label_map[lb].get("why")
                )
            it.found_by = sorted(
                {f["check_id"] for f in findings if matches(f["check_id"], patterns)}
            )
        unexplained = [f for f in findings if not matches(f["check_id"], app_patterns)]
        per_app[app] = {
            "findings": len(findings),
            "unexplained": len(unexplained),
            "unexplained_in_app_code": sum(1 for f in unexplained if f["owner"]["kind"] == "app"),
            "unexplained_by_check": dict(Counter(f["check_id"] for f in unexplained).most_common()),
        }
    counted = [it for it in items if it.app in reports and it.static]
    found = [it for it in counted if it.found_by]
    return {
        "recall": round(len(found) / len(counted), 4) if counted else None,
        "items_counted": len(counted),
        "items_found": len(found),
        "items_runtime": sum(1 for it in items if it.app in reports and it.runtime),
        "items_not_static": [
            {"app": it.app, "ref": it.ref, "labels": it.labels, "why": it.why_not_static}
            for it in items
            if it.app in reports and not it.runtime and not it.static
        ],
        "missed": [
            {"app": it.app, "ref": it.ref, "labels": it.labels, "item": it.text}
            for it in counted
            if not it.found_by
        ],
        "apps": per_app,
        "items": [
            {
                "app": it.app,
                "ref": it.ref,
                "labels": it.labels,
                "runtime": it.runtime,
                "static": it.static,
                "found_by": it.found_by,
            }
            for it in items
            if it.app in reports
        ],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "eval.json")
    args = ap.parse_args()
    gt = CORPUS / "GROUND_TRUTH.md"
    if not gt.is_file():
        print(f"ground truth not found at {gt}", file=sys.stderr)
        return 1
    items = parse_ground_truth(gt.read_text(encoding="utf-8"))
    label_map = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    apps = sorted({it.app for it in items})
    reports = {}
    for app in apps:
        path = CORPUS / "apks" / "vulnapps" / app
        if path.is_file():
            reports[app] = scan_app(path)
    result = evaluate(items, label_map, reports)
    print(
        f"recall {result['recall']:.1%} ({result['items_found']}/{result['items_counted']} items; "
        f"{result['items_runtime']} runtime/server-only items not counted; "
        f"{len(result['items_not_static'])} items no static check can see)"
    )
    print(f"{'app':<40} {'findings':>8} {'unexplained':>11} {'(app code)':>10}")
    for app, s in result["apps"].items():
        print(
            f"{app:<40} {s['findings']:>8} {s['unexplained']:>11} {s['unexplained_in_app_code']:>10}"
        )
    if result["missed"]:
        print("\nmissed:")
        for m in result["missed"]:
            print(f"  {m['app']} line {m['ref']}: {', '.join(m['labels'])} — {m['item'][:90]}")
    if args.verbose:
        for app, s in result["apps"].items():
            print(f"\n{app} unexplained by check: {s['unexplained_by_check']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
