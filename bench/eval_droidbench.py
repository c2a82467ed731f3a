"""DroidBench 3.0: recall and precision of the PI taint analysis, per category.

    .venv/bin/python bench/eval_droidbench.py [--corpus ../shared/corpus] [--budget 30]
        [--only Callbacks] [--write]   # --write: bench/results/droidbench.json + RESULTS.md

Counting (written in bench/RESULTS.md too): a detected leak is a distinct
(source site, sink site) pair reported by ``mobsec.facts.taint``; per APK with
``expected`` leaks and ``detected`` pairs, TP = min(detected, expected),
FP = max(0, detected - expected), FN = max(0, expected - detected). Recall = TP / (TP + FN),
precision = TP / (TP + FP), summed per category (the prefix of the APK name before ``__``)
and in total. APKs without an expected count (the Echoer/SendSMS helper apps) are skipped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mobsec.diagnostics import Diagnostics  # noqa: E402
from mobsec.facts.app import AppFacts  # noqa: E402
from mobsec.facts.taint import TaintBudget, analyse_app  # noqa: E402
from mobsec.ingest.apk import read_apk  # noqa: E402
from mobsec.ingest.archive import Archive  # noqa: E402
from mobsec.options import ScanOptions  # noqa: E402
from mobsec.phases import PhaseRunner  # noqa: E402

SECTION = "## DroidBench taint analysis"
_ROW = re.compile(r"^\|\s*`([^`]+\.apk)`\s*\|\s*(\d+)\s*\|")
BAR = 0.80


def expected_counts(corpus: Path) -> dict[str, int]:
    """APK name -> expected leaks, from GROUND_TRUTH.md section 2 (javadoc counts)."""
    out: dict[str, int] = {}
    for line in (corpus / "GROUND_TRUTH.md").read_text("utf-8").splitlines():
        m = _ROW.match(line)
        if m and "__" in m.group(1):
            out[m.group(1)] = int(m.group(2))
    return out


def scan_one(apk: Path, budget: TaintBudget) -> dict:
    diags = Diagnostics()
    options = ScanOptions()
    t0 = time.perf_counter()
    archive = Archive.open(apk, diags, options.limits, display_name=apk.name)
    if archive is None:
        return {"error": "unreadable", "leaks": [], "seconds": 0.0}
    with archive:
        pkg = read_apk(archive, diags, PhaseRunner(diags, None), options.limits, 1)
        facts = AppFacts(pkg, diags)
        result = analyse_app(facts, budget)
    doc = result.to_json()
    doc["seconds_total"] = round(time.perf_counter() - t0, 3)
    return doc


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(corpus: Path, budget: TaintBudget, only: str | None) -> dict:
    expected = expected_counts(corpus)
    apks = sorted((corpus / "apks" / "droidbench").glob("*.apk"))
    per_apk: dict[str, dict] = {}
    started = time.perf_counter()
    for apk in apks:
        if apk.name not in expected or (only and not apk.name.startswith(only)):
            continue
        doc = scan_one(apk, budget)
        pairs = {(json.dumps(x["source"], sort_keys=True), json.dumps(x["sink"], sort_keys=True))
                 for x in doc["leaks"]}  # fmt: skip
        exp, det = expected[apk.name], len(pairs)
        per_apk[apk.name] = {
            "expected": exp,
            "detected": det,
            "tp": min(det, exp),
            "fp": max(0, det - exp),
            "fn": max(0, exp - det),
            "complete": doc["complete"],
            "seconds": doc["seconds_total"],
            "leaks": [
                f"{x['source']['api']} @ {x['source']['method']} -> {x['sink']['api']} @ "
                f"{x['sink']['method']}"
                for x in doc["leaks"]
            ],
        }
    total_s = time.perf_counter() - started
    cats: dict[str, dict] = {}
    for name, r in per_apk.items():
        c = cats.setdefault(name.split("__", 1)[0], {"apks": 0, "expected": 0, "tp": 0, "fp": 0,
                                                      "fn": 0, "seconds": 0.0})  # fmt: skip
        c["apks"] += 1
        for k in ("expected", "tp", "fp", "fn", "seconds"):
            c[k] += r[k]
    for c in cats.values():
        c["recall"] = ratio(c["tp"], c["tp"] + c["fn"])
        c["precision"] = ratio(c["tp"], c["tp"] + c["fp"])
    tot = {k: sum(c[k] for c in cats.values()) for k in ("apks", "expected", "tp", "fp", "fn")}
    tot["recall"] = ratio(tot["tp"], tot["tp"] + tot["fn"])
    tot["precision"] = ratio(tot["tp"], tot["tp"] + tot["fp"])
    tot["seconds"] = round(total_s, 1)
    tot["incomplete_apks"] = sum(1 for r in per_apk.values() if not r["complete"])
    return {"budget_seconds": budget.seconds, "total": tot, "categories": cats, "apks": per_apk}


def table(res: dict) -> str:
    lines = [
        "| category | APKs | expected | TP | FP | FN | recall | precision | time (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in sorted(res["categories"].items()):
        flag = "" if c["recall"] >= BAR and c["precision"] >= BAR else " ⚠"
        lines.append(
            f"| {name}{flag} | {c['apks']} | {c['expected']} | {c['tp']} | {c['fp']} | "
            f"{c['fn']} | {c['recall']:.0%} | {c['precision']:.0%} | {c['seconds']:.1f} |"
        )
    t = res["total"]
    lines.append(
        f"| **total** | {t['apks']} | {t['expected']} | {t['tp']} | {t['fp']} | {t['fn']} | "
        f"**{t['recall']:.0%}** | **{t['precision']:.0%}** | {t['seconds']:.1f} |"
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per app")
    ap.add_argument("--only", help="APK name prefix (a category)")
    ap.add_argument("--write", action="store_true", help="write bench/results/droidbench.json")
    ap.add_argument("-v", "--verbose", action="store_true", help="list APKs with FP or FN")
    args = ap.parse_args()
    res = evaluate(args.corpus, TaintBudget(seconds=args.budget), args.only)
    print(table(res))
    if args.verbose:
        for name, r in res["apks"].items():
            if r["fp"] or r["fn"]:
                print(f"{name}: expected {r['expected']} detected {r['detected']}")
                for leak in r["leaks"]:
                    print("    " + leak)
    if args.write:
        out = ROOT / "bench" / "results" / "droidbench.json"
        out.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
