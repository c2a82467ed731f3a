#!/usr/bin/env python3
"""Evaluation and certification: cost of deciding schemes and of signing/verifying
certificates, and mobsec scored by the product-scoring module on a test set built from the
corpus ground truth (GROUND_TRUTH.md §3, the deliberately vulnerable apps).

The test set: every item of §3 that eval_checks.py counts (not runtime/server-only), as one
expected weakness of its app, with the item's first label that static analysis can see as
the class. mobsec's results: every finding of the app's scan, mapped by the shipped mapping
table (certification/data/mobsec_mapping.json). Scored exactly as the platform scores any
product (mobsec.certification.scoring); the per-item recall of eval_checks.py is stricter
about labels, so the two numbers differ by design.

    .venv/bin/python bench/bench_certification.py [--cache DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from eval_checks import CORPUS, LABELS, parse_ground_truth, scan_app  # noqa: E402

from mobsec.certification import certdoc, decide, imports, schemes, scoring  # noqa: E402


def build_test_set(label_map: dict) -> list[scoring.SetPackage]:
    items = parse_ground_truth((CORPUS / "GROUND_TRUTH.md").read_text(encoding="utf-8"))
    by_app: dict[str, list[scoring.Expected]] = {}
    for it in items:
        if it.runtime:
            continue
        static = [lb for lb in it.labels if lb in label_map and not label_map[lb].get("why")]
        if static:
            by_app.setdefault(it.app, []).append(scoring.Expected(it.app, static[0]))
    return [scoring.SetPackage(app, expected=tuple(exp)) for app, exp in sorted(by_app.items())]


def timed(fn, n: int) -> float:
    """Median milliseconds of ``n`` calls."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, help="reuse/save scan results (see eval_checks.py)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "certification.json")
    args = ap.parse_args()
    label_map = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    packages = build_test_set(label_map)
    reports, results = {}, []
    started = time.perf_counter()
    for p in packages:
        path = CORPUS / "apks" / "vulnapps" / p.name
        if not path.is_file():
            continue
        reports[p.name] = doc = scan_app(path, args.cache)
        for f in doc.get("findings") or []:
            loc = f.get("location") or {}
            results.append(scoring.Result(p.name, f["check_id"], loc.get("class") or None))
    scan_s = time.perf_counter() - started
    mapping_bytes = files("mobsec.certification").joinpath("data").joinpath("mobsec_mapping.json")
    mapping = imports.parse_mapping(mapping_bytes.read_bytes(), "mobsec_mapping.json")
    t = time.perf_counter()
    s = scoring.score(packages, results, mapping)
    score_ms = (time.perf_counter() - t) * 1000

    shipped = schemes.builtin_schemes()
    docs = list(reports.values())
    decide_ms = {
        sc.id: timed(lambda sc=sc: [decide.decide(sc, d) for d in docs], 5) / max(len(docs), 1)
        for sc in shipped
    }
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    cert = {"serial": "C-1", "subject": {"package_sha256": "a" * 64}, "scheme": {"id": "x"},
            "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}  # fmt: skip
    signed = certdoc.sign(cert, key)
    sign_ms = timed(lambda: certdoc.sign(cert, key), 200)
    verify_ms = timed(lambda: certdoc.verify(signed, key.public_key()), 200)

    o = s.overall
    print(f"test set: {len(packages)} apps, {o.expected} expected weaknesses "
          f"({len(reports)} apps scanned in {scan_s:.1f} s, {len(results)} findings)")  # fmt: skip
    print(f"mobsec overall: recall {o.recall:.3f} ({o.found}/{o.expected}), precision "
          f"{o.precision:.3f} ({o.true_results}/{o.results}); {len(s.false_positives)} false "
          f"positives, {len(s.unmapped)} unmapped results listed; scored in {score_ms:.1f} ms")  # fmt: skip
    print(f"{'weakness class':<34} {'exp':>4} {'found':>5} {'recall':>7} {'res':>5} {'prec':>6}")
    for c in s.per_class:
        r = "-" if c.recall is None else f"{c.recall:.2f}"
        pr = "-" if c.precision is None else f"{c.precision:.2f}"
        print(f"{c.weakness:<34} {c.expected:>4} {c.found:>5} {r:>7} {c.results:>5} {pr:>6}")
    for sid, ms in decide_ms.items():
        print(f"decide {sid}: {ms:.2f} ms per report (median of 5 rounds over {len(docs)})")
    print(f"certificate: sign {sign_ms:.3f} ms, verify {verify_ms:.3f} ms "
          f"(median of 200, {len(signed)} bytes)")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"score": s.to_json(), "decide_ms_per_report": decide_ms, "sign_ms": sign_ms,
             "verify_ms": verify_ms, "score_ms": score_ms, "apps": len(reports)},
            indent=1,
        ),
        encoding="utf-8",
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
