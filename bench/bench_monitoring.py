"""Channel monitoring, platform side (issue 11): what a candidate job costs besides the
engine's own comparison, and what keeping the registry index costs.

    .venv/bin/python bench/bench_monitoring.py [--registry 10000] [--candidates 5]

1. Fingerprints of real packages (corpus vulnapps, ../shared/corpus) in the jobs sandbox
   child (``fingerprint_child``: what a candidate job runs) against the same in-process.
2. A registry of N official versions made from those fingerprints' JSON (each copy with its
   own package name, certificate, label, icon hash and code hashes, so the index's buckets
   stay realistic): the index rebuilt from the stored JSON (what a worker does when an app
   leaves the registry; JSON -> AppFingerprint -> RegistryIndex.add), then per candidate
   the index query (k=10) and the full comparison of the ten hits from their JSON.

Prints the numbers and writes bench/results/monitoring.json. No database: the ORM read of
the stored JSON is not included (one indexed query; see bench_platform.py for the ORM).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT.parent / "shared" / "corpus" / "apks" / "vulnapps"
SAMPLES = ("InsecureBankv2.apk", "diva-beta.apk", "AndroGoat.apk", "ovaa.apk", "InsecureShop.apk",
           "pivaa.apk", "dvba.apk", "UnCrackable-Level3.apk")  # fmt: skip
MASK = (1 << 64) - 1


def _mix(h: str, i: int) -> str:
    return format(((int(h, 16) * 0x9E3779B97F4A7C15) ^ (i * 0xBF58476D1CE4E5B9)) & MASK, "016x")


def variant(doc: dict, i: int, rnd: random.Random) -> dict:
    """Another app with the same shape: own package, certificate, label, icon, code."""
    d = copy.deepcopy(doc)
    d["package"] = f"{doc['package']}.v{i}"
    d["certificates"] = [format(rnd.getrandbits(256), "064x")]
    d["labels"] = [{"text": f"{lb['text']} {i}", "config": lb.get("config", "")}
                   for lb in doc["labels"]]  # fmt: skip
    if d.get("icon"):
        d["icon"]["phash"] = format(rnd.getrandbits(64), "016x")
    code = d["code"]
    for part in ("app", "lib"):
        code[part] = {k: [_mix(h, i) for h in hs] for k, hs in code[part].items()}
    return d


def timed(fn, *a, **kw):
    t = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", type=int, default=10000)
    ap.add_argument("--candidates", type=int, default=5)
    args = ap.parse_args()
    from mobsec import similarity
    from mobsec.platform.jobs.sandbox import SandboxLimits, run_scan_sandboxed

    apks = [CORPUS / n for n in SAMPLES if (CORPUS / n).is_file()]
    if not apks:
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    docs, rows = [], []
    for apk in apks:
        doc, sandboxed = timed(run_scan_sandboxed, apk, {}, SandboxLimits(),
                               child="mobsec.platform.monitoring.fingerprint_child")  # fmt: skip
        _fp, inproc = timed(similarity.fingerprint, apk)
        size = len(json.dumps(doc))
        docs.append(doc)
        rows.append((apk.name, apk.stat().st_size, sandboxed, inproc, size))
        print(f"fingerprint {apk.name:28s} {apk.stat().st_size / 1e6:6.1f} MB  sandboxed "
              f"{sandboxed:5.2f} s  in-process {inproc:5.2f} s  JSON {size / 1e3:7.1f} kB")  # fmt: skip

    rnd = random.Random(11)
    registry = [variant(docs[i % len(docs)], i, rnd) for i in range(args.registry)]
    registry[: len(docs)] = docs  # the real ones are registered too
    texts = [json.dumps(d) for d in registry]  # as stored (JSONField)
    t = time.perf_counter()
    index = similarity.RegistryIndex()
    for i, text in enumerate(texts):
        index.add(i, similarity.AppFingerprint.from_json(json.loads(text)))
    rebuild = time.perf_counter() - t
    print(f"index rebuilt from stored JSON: {args.registry} versions in {rebuild:.2f} s "
          f"({rebuild / args.registry * 1e3:.2f} ms per version)")  # fmt: skip

    queries, compares, hit_counts = [], [], []
    for doc in docs[: args.candidates]:
        cand = similarity.AppFingerprint.from_json(variant(doc, 10**7, rnd))  # a re-signed copy
        cand.code = similarity.AppFingerprint.from_json(doc).code  # ... of the genuine code
        hits, q = timed(index.query, cand, k=10)
        t = time.perf_counter()
        for h in hits:
            similarity.compare(cand, similarity.AppFingerprint.from_json(json.loads(texts[h.key])))
        compares.append(time.perf_counter() - t)
        queries.append(q)
        hit_counts.append(len(hits))
        assert hits and hits[0].key == docs.index(doc), "the genuine app must rank first"
    print(f"per candidate: index query p50 {statistics.median(queries) * 1e3:.1f} ms, "
          f"max {max(queries) * 1e3:.1f} ms; {min(hit_counts)}-{max(hit_counts)} hits, "
          f"their full comparisons from JSON p50 "
          f"{statistics.median(compares) * 1e3:.0f} ms, max {max(compares) * 1e3:.0f} ms")  # fmt: skip
    out = ROOT / "bench" / "results" / "monitoring.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "fingerprints": [dict(zip(("apk", "bytes", "sandboxed_s", "in_process_s", "json_bytes"), r, strict=True)) for r in rows],
        "registry": args.registry, "rebuild_s": rebuild,
        "query_s": queries, "compare_hits_s": compares, "hits": hit_counts,
    }, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
