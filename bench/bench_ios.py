"""iOS (IPA): scan time per corpus sample and the ground-truth score of NOTES.md §5.

Every IPA of ../shared/corpus/formats/ipa (edge ones included) is scanned in this process
with the default options: once cold (the first scan also imports LIEF and the check
modules) and then --repeat times warm; the warm median is the per-sample time. Peak RSS
is the process's after all scans.

Ground truth: the 8 iGoat exercises (Assets.plist catalogue, NOTES.md §5.2) and the
UnCrackable L1/L2 descriptions (§5.3), each mapped to the finding a static view can give;
what no static view of the IPA can show is listed as a miss with the reason.

    .venv/bin/python bench/bench_ios.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import mobsec

IPA_DIR = Path(__file__).resolve().parent.parent.parent / "shared/corpus/formats/ipa"

# (sample, item, check id that must fire, substring its location or message must hold)
# check None: not visible statically; the reason says why.
GROUND_TRUTH = [
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Cut-and-Paste", None,
     "the weakness is a field whose copy menu is not disabled: absence of code "
     "(canPerformAction:withSender:) that a static view cannot tie to one field"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Backgrounding", None,
     "the snapshot iOS takes on backgrounding is a run-time artefact; no Info.plist key or "
     "binary marker says the app fails to hide its screen"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Local Data Storage",
     "ios.storage.plaintext-credentials-sqlite", "password"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Keychain Usage (credentials in NSUserDefaults)",
     "ios.storage.credentials-userdefaults", "password"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Keystroke Logging", "ios.ui.keyboard-cache",
     "KeystrokeLoggingExerciseController"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Remote Authentication (no TLS)",
     "ios.network.cleartext-url", "password="),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: SQL Injection", "ios.storage.sql-injection", "LIKE '%@'"),
    ("iGoat-IPA-Git_iGoat.ipa", "iGoat: Server Communication (cleartext HTTP)",
     "ios.network.cleartext-url", "http://localhost:8080/igoat/user"),
    ("mastg_UnCrackable-Level1.ipa", "L1: secret hidden in the binary", None,
     "the secret is computed at run time into a hidden label (the storyboard holds only the "
     "placeholder 'TheLabel' and the hint); recovering it needs disassembly or execution"),
    ("mastg_UnCrackable-Level1.ipa", "L1: dyld image callback (hook detection)",
     "ios.resilience.injection-detection", "_dyld_register_func_for_add_image"),
    ("mastg_UnCrackable-Level2.ipa", "L2: jailbreak detection",
     "ios.resilience.jailbreak-detection", "/Applications/Cydia.app"),
    ("mastg_UnCrackable-Level2.ipa", "L2: anti-debugging (sysctl / exception ports)",
     "ios.resilience.debugger-detection", "_sysctl"),
    ("mastg_UnCrackable-Level2.ipa", "L2: hook/injection detection (dladdr, dyld callback)",
     "ios.resilience.injection-detection", "_dladdr"),
    ("mastg_UnCrackable-Level2.ipa", "L2: secret hidden in the binary", None,
     "not a readable string: the binary carries an AESCrypt class and CommonCrypto imports "
     "(ios.crypto.weak-hash lists its MD5/SHA-1 imports); the plaintext exists only at run "
     "time"),
    ("appinfo_apple-tv.ipa", "§5.4 ATS NSAllowsArbitraryLoads = true",
     "ios.network.ats-arbitrary-loads", "NSAllowsArbitraryLoads"),
]  # fmt: skip


def _found(doc: dict, check_id: str, needle: str) -> bool:
    for f in doc["findings"]:
        if f["check_id"] != check_id:
            continue
        text = " ".join(
            [f["location"]["file"], f["evidence"], (f.get("message") or {}).get("en", "")]
        )
        if needle in text:
            return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    samples = sorted(IPA_DIR.glob("*.ipa")) + sorted((IPA_DIR / "edge").glob("*.ipa"))
    docs = {}
    t0 = time.perf_counter()
    import lief  # noqa: F401 - the one-time cost the first scan of a process pays

    from mobsec.checks.registry import load_all

    load_all()
    print(f"one-time imports (LIEF, check modules): {time.perf_counter() - t0:.3f} s")
    print(f"{'sample':42} {'size':>9} {'cold s':>7} {'warm s':>7} {'find':>4} {'err':>3}")
    for path in samples:
        t0 = time.perf_counter()
        doc = mobsec.scan(path).to_json()
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            mobsec.scan(path)
            warm.append(time.perf_counter() - t0)
        docs[path.name] = doc
        errors = sum(1 for d in doc["diagnostics"] if d["level"] == "error")
        print(
            f"{path.name:42} {path.stat().st_size:9d} {cold:7.3f} "
            f"{statistics.median(warm):7.3f} {len(doc['findings']):4d} {errors:3d}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS after all scans: {rss:.0f} MiB")
    print()
    found = visible = 0
    for sample, item, check_id, needle in GROUND_TRUTH:
        if check_id is None:
            print(f"  MISS (not static)  {item}: {needle}")
            continue
        visible += 1
        ok = _found(docs[sample], check_id, needle)
        found += ok
        print(f"  {'found' if ok else 'MISSED':17}  {item}  [{check_id}]")
    total = len(GROUND_TRUTH)
    print(
        f"ground truth: {found}/{total} items found ({found}/{visible} of those a static view can see)"
    )


if __name__ == "__main__":
    main()
