"""Precision and recall of the similarity verdicts on the labelled set, and timings.

Reads the set built by ``bench/similarity_set.py`` (its ``labels.json``), fingerprints every
package once, compares each labelled (candidate, genuine) pair, and prints per verdict class
precision and recall — on all pairs, on the transformations the thresholds were tuned on,
and on the held-out ones. Then it measures the index: the genuine apps plus synthetic
registered apps (random code sketches, names, icons, packages and certificates) up to
``--registry-size`` entries; every candidate is looked up (time per query, and whether its
genuine app is among the top k).

    .venv/bin/python bench/eval_similarity.py [--registry-size 100000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from similarity_set import cache_root  # noqa: E402

from mobsec.similarity import (  # noqa: E402
    VERDICTS,
    AppFingerprint,
    RegistryIndex,
    compare,
    fingerprint,
)
from mobsec.similarity.codeprints import CodePrints  # noqa: E402
from mobsec.similarity.icons import IconHashes  # noqa: E402
from mobsec.similarity.model import Label  # noqa: E402

COMMON_HAN = "安宝保财车城充从达大点电店动都发飞丰服福富购关管光广和华欢惠家建健金京景快乐联良流路美民名明旅宁牌品平齐企青轻清球全融商尚生盛时世手书顺速泰淘天通万网微文物小信星行讯学阳医易银优游友云运在账找知智中众洲助"


def metrics(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for cls in VERDICTS:
        tp = sum(1 for truth, pred in pairs if truth == cls and pred == cls)
        fp = sum(1 for truth, pred in pairs if truth != cls and pred == cls)
        fn = sum(1 for truth, pred in pairs if truth == cls and pred != cls)
        out[cls] = {
            "support": tp + fn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else float("nan"),
            "recall": round(tp / (tp + fn), 4) if tp + fn else float("nan"),
        }
    return out


def synthetic(i: int, rng: random.Random) -> AppFingerprint:
    """A registered app that is none of the labelled ones: random but realistic sizes."""
    name = "".join(rng.choice(COMMON_HAN) for _ in range(rng.randint(2, 5)))
    methods = [f"{rng.getrandbits(64):016x}" for _ in range(rng.randint(20, 400))]
    icon = IconHashes("res/a.png", "image/png", 192, 192, f"{rng.getrandbits(64):016x}",
                      f"{rng.getrandbits(64):016x}")  # fmt: skip
    return AppFingerprint(
        file_name=f"synthetic-{i}.apk",
        sha256=f"{rng.getrandbits(256):064x}",
        size=0,
        package=f"com.s{rng.getrandbits(32):x}.app{i}",
        labels=[Label(name)],
        icon=icon,
        certificates=[f"{rng.getrandbits(256):064x}"],
        code=CodePrints(app={"Lcom/s/A;": methods}),
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--registry-size", type=int, default=100_000)
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument("-k", type=int, default=5)
    args = p.parse_args()

    labels = json.loads((cache_root() / "labels.json").read_text(encoding="utf-8"))
    paths = sorted({lb["candidate"] for lb in labels} | {lb["genuine"] for lb in labels})
    fps: dict[str, AppFingerprint] = {}
    fp_times = []
    for path in paths:
        t0 = time.perf_counter()
        fps[path] = fingerprint(path)
        fp_times.append(time.perf_counter() - t0)

    rows, cmp_times = [], []
    for lb in labels:
        t0 = time.perf_counter()
        result = compare(fps[lb["candidate"]], fps[lb["genuine"]])
        cmp_times.append(time.perf_counter() - t0)
        rows.append({**lb, "predicted": result.verdict, "confidence": result.confidence})
    everything = [(r["label"], r["predicted"]) for r in rows]
    tuned = [(r["label"], r["predicted"]) for r in rows if not r["held_out"]]
    held = [(r["label"], r["predicted"]) for r in rows if r["held_out"]]
    by_kind: dict[str, Counter[str]] = {}
    for r in rows:
        by_kind.setdefault(r["transformation"], Counter())[r["predicted"]] += 1
    errors = [
        {k: r[k] for k in ("genuine_id", "transformation", "label", "predicted", "candidate")}
        for r in rows
        if r["label"] != r["predicted"]
    ]

    # The index: genuine apps plus synthetic ones up to the registry size.
    genuine_ids = sorted({lb["genuine"] for lb in labels})
    index = RegistryIndex()
    t0 = time.perf_counter()
    for g in genuine_ids:
        index.add(g, fps[g])
    rng = random.Random(7)
    for i in range(max(0, args.registry_size - len(genuine_ids))):
        index.add(f"synthetic-{i}", synthetic(i, rng))
    build_s = time.perf_counter() - t0
    index.query(fps[genuine_ids[0]])  # builds the band tables once
    q_times, found, copies = [], 0, 0
    for lb in labels:
        if lb["label"] == "unrelated":
            continue
        copies += 1
        t0 = time.perf_counter()
        hits = index.query(fps[lb["candidate"]], k=args.k)
        q_times.append(time.perf_counter() - t0)
        found += any(h.key == lb["genuine"] for h in hits)

    def ms(xs: list[float]) -> dict[str, float]:
        xs = sorted(xs)
        return {
            "median_ms": round(statistics.median(xs) * 1000, 2),
            "p95_ms": round(xs[int(0.95 * (len(xs) - 1))] * 1000, 2),
            "max_ms": round(xs[-1] * 1000, 2),
        }

    result = {
        "pairs": len(rows),
        "genuine_apps": len(genuine_ids),
        "packages_fingerprinted": len(paths),
        "all": metrics(everything),
        "tuned_transformations": metrics(tuned),
        "held_out_transformations": metrics(held),
        "by_transformation": {k: dict(v) for k, v in sorted(by_kind.items())},
        "errors": errors,
        "fingerprint_time": ms(fp_times),
        "compare_time": ms(cmp_times),
        "index": {
            "registered": len(index),
            "build_s": round(build_s, 1),
            "query_time": ms(q_times),
            f"genuine_in_top_{args.k}": f"{found}/{copies}",
        },
    }
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
