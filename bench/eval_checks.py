#!/usr/bin/env python3
"""Detection quality of the checks against the corpus ground truth (GROUND_TRUTH.md §3).

For every README item of the deliberately vulnerable apps: found or missed, by the checks
that the item's labels map to (``bench/eval_labels.json``); items the ground truth marks
runtime/server-only are listed but not counted. Every finding on those apps that no label of
the app explains is counted as unexplained (a false positive until a reviewer says
otherwise). Prints a table and writes bench/results/eval.json.

Three recalls, from lenient to strict:

- ``recall``: any finding of a mapped check anywhere in the app (SDK code included);
- ``recall_app_code``: a finding of a mapped check outside known-SDK code;
- ``recall_located``: when the item names a class, file, constant or code fragment that
  exists in the app (``WeakCrypto``, ``LogActivity.java:56``, ``jni/divajni.c``,
  ``UNPROTECTED_CREDENTIALS_DATA``, `` `test_url` ``), a finding of a mapped check at that
  place, otherwise one outside SDK code; and each finding is credited to one item only.

A label maps to check ids (``"android.secrets."`` matches the family); a label no static check
can see carries ``why`` (its items are listed, not counted); a label static analysis could see
but no check covers yet carries ``gap`` (its items are counted: a miss unless another of the
item's labels is found).

    .venv/bin/python bench/eval_checks.py [--verbose] [--cache DIR]
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
    hints: list[str] = field(default_factory=list)
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


def scan_app(path: Path, cache: Path | None) -> dict:
    """The report JSON of one app plus the simple names of its classes (for location hints).

    With ``cache``, a saved result is reused when it is newer than the APK and than the
    package sources (so an edited check is always rescanned).
    """
    from mobsec import ScanOptions, scan

    saved = cache / f"{path.name}.json" if cache else None
    if saved is not None and saved.is_file():
        newest_source = max(f.stat().st_mtime for f in (ROOT / "src").rglob("*") if f.is_file())
        if saved.stat().st_mtime > max(newest_source, path.stat().st_mtime):
            return json.loads(saved.read_text(encoding="utf-8"))
    doc = scan(path, ScanOptions()).to_json()
    doc["_class_names"] = sorted(_class_names(path))
    if saved is not None:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(doc), encoding="utf-8")
    return doc


def _class_names(path: Path) -> set[str]:
    """Simple names of the app's classes, inner ones both as ``A$1`` and as ``A``."""
    from mobsec.diagnostics import Diagnostics
    from mobsec.ingest.apk import read_apk
    from mobsec.ingest.archive import Archive
    from mobsec.options import ScanOptions
    from mobsec.phases import PhaseRunner

    diags = Diagnostics()
    options = ScanOptions()
    names: set[str] = set()
    archive = Archive.open(path, diags, options.limits, display_name=path.name)
    if archive is None:
        return names
    with archive:
        pkg = read_apk(archive, diags, PhaseRunner(diags, None), options.limits, options.threads)
        for desc in pkg.dex.classes:
            simple = desc[1:-1].rsplit("/", 1)[-1]
            names.add(simple)
            names.add(simple.split("$", 1)[0])
    return names


def matches(check_id: str, patterns: list[str]) -> bool:
    return any(check_id == p or (p.endswith(".") and check_id.startswith(p)) for p in patterns)


# Location hints in an item's text: class names (CamelCase or with an inner-class '$'),
# source files (`LogActivity.java:56`, `jni/divajni.c:37`) and backticked code fragments.
_TOKEN = re.compile(r"[A-Za-z_][\w$]*(?:\.(?:java|kt|c|cpp|xml))?")
_BACKTICKED = re.compile(r"`([^`]+)`")
_CAMEL = re.compile(r"^[A-Z]\w*[a-z]\w*[A-Z]|\$")
_CONSTANT = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


@dataclass(frozen=True)
class Hints:
    classes: frozenset[str]
    libraries: frozenset[str]
    fragments: frozenset[str]
    # UPPER_SNAKE constants the item names (ACTION_PICK): the most specific place, so a
    # finding must mention one; the class alone ("... in MainActivity") is not enough.
    constants: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.classes or self.libraries or self.fragments)


def item_hints(text: str, class_names: set[str], report: dict) -> Hints:
    """The places an item names that exist in this app (unknown names are dropped)."""
    classes, libraries, fragments, constants = set(), set(), set(), set()
    libs = " ".join(lib.get("path", "") for lib in report.get("native_libraries") or [])
    for token in _TOKEN.findall(text):
        stem, _, ext = token.partition(".")
        if ext in ("c", "cpp"):
            if f"lib{stem}.so" in libs:
                libraries.add(f"lib{stem}.so")
        elif _CAMEL.search(stem) and stem in class_names:
            classes.add(stem)
    for const in _CONSTANT.findall(text):  # UNPROTECTED_CREDENTIALS_DATA, VIEW_CREDS
        fragments.add(const.lower())
        constants.add(const.lower())
    for frag in _BACKTICKED.findall(text):
        if "/" not in frag and ":" not in frag and not _CAMEL.search(frag.split(".")[0]):
            fragments.add(frag.lower())
    return Hints(
        frozenset(classes), frozenset(libraries), frozenset(fragments), frozenset(constants)
    )


def located(finding: dict, hints: Hints) -> bool:
    """Whether a finding sits at one of the places the item names."""
    loc = finding.get("location") or {}
    cls = (loc.get("class") or "").rsplit(".", 1)[-1]
    text = f"{finding['message']['en']}\n{finding.get('evidence') or ''}"
    if hints.constants:
        return any(const in text.lower() for const in hints.constants)
    for name in hints.classes:
        if cls == name or cls.startswith(name + "$"):
            return True
        # manifest findings name the component in their evidence/message, not in location
        if re.search(rf"[.]{re.escape(name)}(?![\w$])", text):
            return True
    for lib in hints.libraries:
        if lib in (loc.get("file") or "") or lib in text:
            return True
    lowered = text.lower()
    return any(frag in lowered for frag in hints.fragments)


def _assign(candidates: dict[int, list[str]]) -> dict[int, bool]:
    """Items that get a finding of their own when each finding may explain one item only.

    One ``implicit-broadcast-sensitive`` finding must not count for three README items that
    share the label. Maximum bipartite matching (augmenting paths; a few dozen items per app).
    """
    owner: dict[str, int] = {}

    def place(item: int, seen: set[str]) -> bool:
        for fp in candidates[item]:
            if fp in seen:
                continue
            seen.add(fp)
            if fp not in owner or place(owner[fp], seen):
                owner[fp] = item
                return True
        return False

    return {item: place(item, set()) for item in candidates}


def _outside_sdk(finding: dict) -> bool:
    return finding["owner"]["kind"] != "sdk"


def _check_label_map(label_map: dict) -> None:
    """Typos in check ids would silently turn items into misses: refuse them."""
    from mobsec.checks.registry import load_all

    known = set(load_all())
    bad = sorted(
        p
        for entry in label_map.values()
        for p in entry["checks"]
        if not (p in known or (p.endswith(".") and any(k.startswith(p) for k in known)))
    )
    if bad:
        raise SystemExit(f"{LABELS.name} names checks that do not exist: {bad}")
    empty = sorted(lb for lb, e in label_map.items() if not e["checks"] and not e.get("why"))
    no_gap = [lb for lb in empty if not label_map[lb].get("gap")]
    if no_gap:
        raise SystemExit(f"{LABELS.name}: labels without checks need 'why' or 'gap': {no_gap}")


def evaluate(items: list[Item], label_map: dict, reports: dict[str, dict]) -> dict:
    unknown = sorted({lb for it in items for lb in it.labels} - set(label_map))
    if unknown:
        raise SystemExit(f"labels missing from {LABELS.name}: {unknown}")
    per_app: dict[str, dict] = {}
    located_items: dict[int, bool] = {}
    app_code_items: dict[int, bool] = {}
    for app, doc in reports.items():
        app_items = [it for it in items if it.app == app]
        app_patterns = [p for it in app_items for lb in it.labels for p in label_map[lb]["checks"]]
        # Protections (root/emulator/debugger/tamper detection, obfuscation, packer, pinning)
        # are reported in their own section: found all the same. Unreachable findings and
        # those in shipped test code are not open findings and do not count.
        findings = doc["findings"] + doc.get("protections", [])
        class_names = set(doc.get("_class_names") or ())
        candidates: dict[int, list[str]] = {}
        for it in app_items:
            patterns = [p for lb in it.labels for p in label_map[lb]["checks"]]
            seeable = [
                lb for lb in it.labels if label_map[lb]["checks"] or label_map[lb].get("gap")
            ]
            it.static = not it.runtime and bool(seeable)
            if not it.static and not it.runtime:
                it.why_not_static = "; ".join(
                    label_map[lb].get("why", "") for lb in it.labels if label_map[lb].get("why")
                )
            hits = [f for f in findings if matches(f["check_id"], patterns)]
            it.found_by = sorted({f["check_id"] for f in hits})
            own = [f for f in hits if _outside_sdk(f)]
            app_code_items[id(it)] = bool(own)
            # a crackme row's evidence names the files of all its labels together (and the
            # callers of the protections): no per-item place to check against
            hints = item_hints("" if it.ref == "crackmes" else it.text, class_names, doc)
            at_place = [f for f in hits if located(f, hints)] if hints else own
            candidates[id(it)] = [f["fingerprint"] for f in at_place]
            it.hints = sorted(hints.classes | hints.libraries | hints.fragments)
        located_items.update(_assign(candidates))
        unexplained = [f for f in findings if not matches(f["check_id"], app_patterns)]
        own = [f for f in unexplained if _outside_sdk(f)]
        per_app[app] = {
            "findings": len(findings),
            "unexplained": len(unexplained),
            "unexplained_in_app_code": len(own),
            "unexplained_in_sdk_code": len(unexplained) - len(own),
            "unexplained_by_check": dict(Counter(f["check_id"] for f in unexplained).most_common()),
            "unexplained_app_code_by_check": dict(
                Counter(f["check_id"] for f in own).most_common()
            ),
        }
    counted = [it for it in items if it.app in reports and it.static]
    found = [it for it in counted if it.found_by]
    in_app = [it for it in counted if app_code_items[id(it)]]
    at_place = [it for it in counted if located_items[id(it)]]

    def ratio(part: list) -> float | None:
        return round(len(part) / len(counted), 4) if counted else None

    return {
        "recall": ratio(found),
        "recall_app_code": ratio(in_app),
        "recall_located": ratio(at_place),
        "items_counted": len(counted),
        "items_found": len(found),
        "items_found_app_code": len(in_app),
        "items_found_located": len(at_place),
        "items_runtime": sum(1 for it in items if it.app in reports and it.runtime),
        "items_not_static": [
            {"app": it.app, "ref": it.ref, "labels": it.labels, "why": it.why_not_static}
            for it in items
            if it.app in reports and not it.runtime and not it.static
        ],
        "missed": [
            {
                "app": it.app,
                "ref": it.ref,
                "labels": it.labels,
                "item": it.text,
                "gap": "; ".join(
                    label_map[lb]["gap"] for lb in it.labels if label_map[lb].get("gap")
                ),
            }
            for it in counted
            if not it.found_by
        ],
        "found_not_located": [
            {
                "app": it.app,
                "ref": it.ref,
                "labels": it.labels,
                "hints": it.hints,
                "found_by": it.found_by,
            }
            for it in counted
            if it.found_by and not located_items[id(it)]
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
                "found_in_app_code": app_code_items.get(id(it), False),
                "located": located_items.get(id(it), False),
                "hints": it.hints,
            }
            for it in items
            if it.app in reports
        ],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "eval.json")
    ap.add_argument(
        "--cache", type=Path, help="reuse/save scan results here (rescanned whenever src/ changed)"
    )
    args = ap.parse_args()
    gt = CORPUS / "GROUND_TRUTH.md"
    if not gt.is_file():
        print(f"ground truth not found at {gt}", file=sys.stderr)
        return 1
    items = parse_ground_truth(gt.read_text(encoding="utf-8"))
    label_map = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    _check_label_map(label_map)
    apps = sorted({it.app for it in items})
    reports = {}
    for app in apps:
        path = CORPUS / "apks" / "vulnapps" / app
        if path.is_file():
            reports[app] = scan_app(path, args.cache)
    result = evaluate(items, label_map, reports)
    print(
        f"recall {result['recall']:.1%} ({result['items_found']}/{result['items_counted']} items; "
        f"{result['items_runtime']} runtime/server-only items not counted; "
        f"{len(result['items_not_static'])} items no static check can see)"
    )
    print(
        f"recall in app code {result['recall_app_code']:.1%} "
        f"({result['items_found_app_code']}), at the named place {result['recall_located']:.1%} "
        f"({result['items_found_located']})"
    )
    print(f"{'app':<36} {'findings':>8} {'unexplained':>11} {'(app code)':>10} {'(SDK)':>6}")
    for app, s in result["apps"].items():
        print(
            f"{app:<36} {s['findings']:>8} {s['unexplained']:>11} "
            f"{s['unexplained_in_app_code']:>10} {s['unexplained_in_sdk_code']:>6}"
        )
    if result["missed"]:
        print("\nmissed:")
        for m in result["missed"]:
            print(f"  {m['app']} line {m['ref']}: {', '.join(m['labels'])} — {m['item'][:90]}")
    if result["found_not_located"]:
        print("\nfound, but not at the place the item names (or only in SDK code):")
        for m in result["found_not_located"]:
            print(f"  {m['app']} line {m['ref']}: {', '.join(m['labels'])} hints {m['hints']}")
    if args.verbose:
        for app, s in result["apps"].items():
            print(f"\n{app} unexplained in app code: {s['unexplained_app_code_by_check']}")
            print(f"{app} unexplained, all: {s['unexplained_by_check']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
