#!/usr/bin/env python3
"""Precision of the open findings from the reviewed judgements (bench/precision/RULES.md).

Joins a collected findings file (``collect.py``) with ``judgements.tsv`` (apk, fingerprint,
check, verdict, reviewer, reason) and prints:

- precision = true / (true + false + noise) over the sampled *open* findings (severity low
  or above, not set apart as unreachable/test code/protection), on the realworld APKs and
  over app-owned findings of all APKs, and per check;
- the sampled open findings that no judgement covers yet (they must be judged: the score
  is not computed over a partial sample without saying so);
- with ``--second``, the agreement between the first reviewer and the second one
  (``judgements-second.tsv``) and every disagreement.

    .venv/bin/python bench/precision/score.py bench/precision/after.json [--second]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICTS = ("true", "false", "noise")


def load_judgements(path: Path) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            if row["verdict"] not in VERDICTS:
                raise SystemExit(f"{path}:{n}: verdict must be one of {VERDICTS}")
            out[(row["apk"], row["fingerprint"])] = row
    return out


def pct(t: int, n: int) -> str:
    return f"{100 * t / n:.1f}% ({t}/{n})" if n else "–"


def score(entries: list[dict], judged: dict[tuple[str, str], dict]) -> dict:
    open_sampled = [
        e for e in entries if e["sampled"] and e["where"] == "findings" and e["severity"] != "info"
    ]
    missing = [e for e in open_sampled if (e["apk"], e["fingerprint"]) not in judged]
    rows = [
        (e, judged[(e["apk"], e["fingerprint"])]["verdict"])
        for e in open_sampled
        if (e["apk"], e["fingerprint"]) in judged
    ]

    def prec(pred) -> tuple[int, int]:
        sel = [v for e, v in rows if pred(e)]
        return sum(1 for v in sel if v == "true"), len(sel)

    per_check: dict[str, list[str]] = defaultdict(list)
    for e, v in rows:
        per_check[e["check_id"]].append(v)
    return {
        "realworld": prec(lambda e: e["group"] == "realworld"),
        "app_owned": prec(lambda e: e["owner"] == "app"),
        "sdk_owned": prec(lambda e: e["owner"] != "app"),
        "all": prec(lambda e: True),
        "per_check": {
            c: (vs.count("true"), vs.count("false"), vs.count("noise"))
            for c, vs in sorted(per_check.items())
        },
        "missing": missing,
    }


def removed(before: list[dict], after: list[dict]) -> dict[str, int]:
    """Each open (>= low) finding of the older tree: still open, or which mechanism took it
    out (a move keeps the fingerprint; a merge leaves it as an alias)."""
    where = {(e["apk"], e["fingerprint"]): e for e in after}
    merged = sum(e.get("aliases", 0) for e in after)
    out: dict[str, int] = defaultdict(int)
    for e in before:
        if e["where"] != "findings" or e["severity"] == "info":
            continue
        a = where.get((e["apk"], e["fingerprint"]))
        if a is None:
            out["gone (check changed: purpose/context rule, or merged)"] += 1
        elif a["where"] == "protections":
            out["moved to protections"] += 1
        elif a["where"] == "unreachable_findings":
            out[f"set apart: {a['reachability']}"] += 1
        elif a["severity"] == "info":
            out["now an info-level policy note"] += 1
        else:
            out["still open"] += 1
    out["(of the gone: merged into a neighbour, as aliases)"] = merged
    return dict(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("findings", type=Path, help="output of collect.py")
    ap.add_argument("--judgements", type=Path, default=HERE / "judgements.tsv")
    ap.add_argument("--second", action="store_true", help="compare with judgements-second.tsv")
    ap.add_argument("--table", action="store_true", help="per-check table in Markdown")
    ap.add_argument(
        "--before",
        type=Path,
        help="collect.py output of the older tree: what each mechanism removed",
    )
    args = ap.parse_args()
    entries = json.loads(args.findings.read_text("utf-8"))
    judged = load_judgements(args.judgements)
    s = score(entries, judged)
    print(f"precision, realworld APKs: {pct(*s['realworld'])}")
    print(f"precision, app-owned (all APKs): {pct(*s['app_owned'])}")
    print(f"precision, SDK-owned (all APKs): {pct(*s['sdk_owned'])}")
    print(f"precision, all sampled: {pct(*s['all'])}")
    if args.table:
        print("\n| check | true | false | noise | precision |\n|---|---:|---:|---:|---:|")
        for c, (t, f, n) in s["per_check"].items():
            print(f"| {c} | {t} | {f} | {n} | {pct(t, t + f + n)} |")
    if args.before:
        print("\nopen findings (severity low or above) of the older tree, where they went:")
        for what, n in removed(json.loads(args.before.read_text("utf-8")), entries).items():
            print(f"  {what}: {n}")
    if s["missing"]:
        print(f"\n{len(s['missing'])} sampled open findings not judged yet:")
        for e in s["missing"]:
            print(
                f"  {e['apk']}\t{e['fingerprint']}\t{e['check_id']}\t{e['class'] or ''}"
                f"\t{(e['message'] or '')[:90]}"
            )
    if args.second:
        second = load_judgements(HERE / "judgements-second.tsv")
        both = [k for k in second if k in judged]
        agree = sum(1 for k in both if second[k]["verdict"] == judged[k]["verdict"])
        print(f"\nsecond reviewer: {len(both)} re-judged, agreement {pct(agree, len(both))}")
        for k in both:
            a, b = judged[k], second[k]
            if a["verdict"] != b["verdict"]:
                print(f"  {k[0]} {a['check_id']}: {a['verdict']} vs {b['verdict']} — {b['reason']}")
        # The decision asks for a fifth of *the scored sample* re-judged: count it there.
        scored = {
            (e["apk"], e["fingerprint"])
            for e in entries
            if e["sampled"] and e["where"] == "findings" and e["severity"] != "info"
        }
        in_sample = [k for k in both if k in scored]
        agree = sum(1 for k in in_sample if second[k]["verdict"] == judged[k]["verdict"])
        realworld = {(e["apk"], e["fingerprint"]) for e in entries if e["group"] == "realworld"}
        print(
            f"in today's scored sample: {len(in_sample)} of {len(scored)} re-judged "
            f"({sum(1 for k in in_sample if k in realworld)} realworld), "
            f"agreement {pct(agree, len(in_sample))}"
        )
        w = score(entries, {**judged, **{k: second[k] for k in in_sample}})
        print(
            f"if the second verdicts replaced the first: realworld {pct(*w['realworld'])}, "
            f"app-owned {pct(*w['app_owned'])}, all sampled {pct(*w['all'])}"
        )
    return 1 if s["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
