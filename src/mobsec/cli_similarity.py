"""``mobsec similar A B`` and ``mobsec monitor --registry DIR CANDIDATES...``.

A thin client of :mod:`mobsec.similarity`, imported lazily (numpy, imagehash) so other
commands start as fast as before.

- ``similar``: the signals and verdict of candidate A against genuine B; ``--takedown FILE``
  also writes the takedown report (.html or .pdf) addressed to ``--channel``.
- ``monitor``: the registry is a folder of genuine packages (and/or ``*.fingerprint.json``
  files written by ``--save-fingerprints``); each candidate is looked up in its index and
  compared in full with the best hits; one line (or JSON object) per candidate.

Exit codes: 0 done; 1 ``--fail-on-copy`` and a candidate is repackaged or counterfeit;
2 usage error or an input that is no readable package.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_COPY, EXIT_USAGE = 0, 1, 2
PACKAGE_SUFFIXES = (".apk", ".apks", ".xapk", ".apkm", ".aab")
FINGERPRINT_SUFFIX = ".fingerprint.json"
ORDER = ("genuine", "repackaged", "counterfeit", "unrelated")


def add_commands(sub: Any) -> None:
    s = sub.add_parser(
        "similar",
        help="compare a candidate package with a genuine one / 比对被检应用与正版应用",
    )
    s.add_argument("candidate", type=Path, help="candidate package / 被检应用")
    s.add_argument("genuine", type=Path, help="genuine package or fingerprint JSON / 正版应用")
    s.add_argument(
        "--registered-cert",
        action="append",
        default=[],
        metavar="SHA256",
        help="registered signing certificate SHA-256 (repeatable; default: the genuine "
        "package's) / 已登记的签名证书 SHA-256",
    )
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.add_argument("-o", "--output", type=Path, help="write here (default: stdout)")
    s.add_argument("--takedown", type=Path, help="also write a takedown report (.html/.pdf)")
    s.add_argument("--channel", default="", help="channel the takedown report is addressed to")
    s.add_argument("--lang", choices=("zh-CN", "en"), default="zh-CN")

    m = sub.add_parser(
        "monitor",
        help="check candidate packages against a registry of genuine apps / 仿冒监测",
    )
    m.add_argument("--registry", type=Path, required=True, help="folder of genuine packages")
    m.add_argument("candidates", type=Path, nargs="+", help="candidate packages / 被检应用")
    m.add_argument("-k", type=int, default=5, help="registry hits compared in full (default 5)")
    m.add_argument("--format", choices=("text", "json"), default="text")
    m.add_argument("--fail-on-copy", action="store_true", help="exit 1 on a copy")
    m.add_argument(
        "--save-fingerprints",
        action="store_true",
        help="write NAME.fingerprint.json next to each registry package (faster next time)",
    )


def run(args: argparse.Namespace) -> int:
    from mobsec.similarity import FingerprintError

    try:
        if args.command == "similar":
            return _similar(args)
        return _monitor(args)
    except FingerprintError as e:
        print(f"mobsec: {e.en} / {e.zh} [{e.code}]", file=sys.stderr)
        return EXIT_USAGE


def _load(path: Path) -> Any:
    from mobsec.similarity import AppFingerprint, fingerprint

    if path.name.endswith(".json") and path.is_file():
        return AppFingerprint.from_json(path.read_text(encoding="utf-8", errors="replace"))
    return fingerprint(path)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _text(result: Any) -> str:
    doc = result.to_json()
    lines = [
        f"{doc['candidate']['file']} vs {doc['genuine']['file']}: "
        f"{result.verdict} ({doc['verdict_title']['zh-CN']}), confidence {result.confidence:.2f}",
    ]
    lines += [f"  - {r}" for r in doc["reasons"]["en"]]
    for s in doc["signals"]:
        mark = "*" if s["matched"] else " "
        lines.append(f" {mark} {s['id']:<12} {s['score']:.2f}  {s['summary']['en']}")
    for what in ("classes", "sdks", "permissions"):
        added = result.injected.get(what) or []
        if added:
            shown = [a["id"] if isinstance(a, dict) else a for a in added[:10]]
            more = f" (+{len(added) - 10})" if len(added) > 10 else ""
            lines.append(f"   injected {what}: {', '.join(shown)}{more}")
    return "\n".join(lines) + "\n"


def _similar(args: argparse.Namespace) -> int:
    from mobsec.report.render import RenderError
    from mobsec.similarity import compare, render_takedown

    candidate, genuine = _load(args.candidate), _load(args.genuine)
    result = compare(candidate, genuine, registered_certs=args.registered_cert or None)
    if args.format == "json":
        _emit(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n", args.output)
    else:
        _emit(_text(result), args.output)
    if args.takedown is not None:
        fmt = "pdf" if args.takedown.suffix.lower() == ".pdf" else "html"
        try:
            data = render_takedown(result, args.channel or "—", args.lang, fmt)
        except RenderError as e:
            print(f"mobsec: {e}", file=sys.stderr)
            return EXIT_USAGE
        args.takedown.write_bytes(data)
    return EXIT_OK


def _registry(folder: Path, save: bool) -> dict[str, Any]:
    """Registry entries by file name: fingerprints of the packages in ``folder``."""
    from mobsec.similarity import AppFingerprint, FingerprintError, fingerprint

    if not folder.is_dir():
        raise FingerprintError(
            f"{folder}: the registry is not a folder", f"{folder}:登记库不是文件夹"
        )
    entries: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(FINGERPRINT_SUFFIX):
            stem = path.name[: -len(FINGERPRINT_SUFFIX)]
            try:
                entries[stem] = AppFingerprint.from_json(path.read_text(encoding="utf-8"))
            except (FingerprintError, OSError, UnicodeDecodeError) as e:
                print(f"mobsec: {path.name}: skipped: {e}", file=sys.stderr)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in PACKAGE_SUFFIXES or path.name in entries:
            continue
        try:
            fp = fingerprint(path)
        except FingerprintError as e:
            print(f"mobsec: registry {e.en} / {e.zh}: skipped", file=sys.stderr)
            continue
        entries[path.name] = fp
        if save:
            (folder / f"{path.name}{FINGERPRINT_SUFFIX}").write_text(fp.dumps(), encoding="utf-8")
    return entries


def _monitor(args: argparse.Namespace) -> int:
    from mobsec.similarity import FingerprintError, RegistryIndex, compare, fingerprint

    registry = _registry(args.registry, args.save_fingerprints)
    index = RegistryIndex()
    certs_by_package: dict[str, set[str]] = {}
    for key, fp in registry.items():
        index.add(key, fp)
        certs_by_package.setdefault(fp.package, set()).update(fp.certificates)
    copies = 0
    for path in args.candidates:
        try:
            candidate = fingerprint(path)
        except FingerprintError as e:
            print(f"mobsec: {e.en} / {e.zh} [{e.code}]", file=sys.stderr)
            continue
        results = []
        for hit in index.query(candidate, k=max(1, args.k)):
            genuine = registry[hit.key]
            certs = certs_by_package.get(genuine.package) or set(genuine.certificates)
            results.append(compare(candidate, genuine, registered_certs=certs))
        best = min(results, key=lambda r: (ORDER.index(r.verdict), -r.confidence), default=None)
        verdict = best.verdict if best else "unrelated"
        copies += verdict in ("repackaged", "counterfeit")
        if args.format == "json":
            doc = {"candidate": str(path), "verdict": verdict}
            doc["comparison"] = best.to_json() if best else None
            sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        elif best is None:
            sys.stdout.write(f"{path.name}: unrelated (no registered app is similar)\n")
        else:
            sys.stdout.write(
                f"{path.name}: {verdict} of {best.genuine.file_name} "
                f"({best.genuine.package}), confidence {best.confidence:.2f}\n"
            )
    return EXIT_COPY if copies and args.fail_on_copy else EXIT_OK
