"""Command line: a thin client of ``mobsec.scan``.

Exit codes (documented in README.md):
  0  scan finished, report written (warnings may be present)
  2  usage error: bad arguments, input file missing or not a regular file
  3  the package could not be read completely: the report is written and says what failed
  4  internal error outside the scan (e.g. the report could not be written)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from mobsec.diagnostics import InputError
from mobsec.options import ScanOptions
from mobsec.version import __version__

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mobsec",
        description="Static security analysis of mobile app packages / 移动应用静态安全检测",
    )
    p.add_argument("--version", action="version", version=f"mobsec {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser(
        "scan",
        help="scan an app package and write the JSON report / 检测应用安装包并输出 JSON 报告",
    )
    s.add_argument("package", type=Path, help="APK file / APK 文件")
    s.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write the report JSON here (default: stdout) / 报告 JSON 输出路径(默认标准输出)",
    )
    s.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or summary / 不显示进度和摘要"
    )
    s.add_argument(
        "--threads", type=int, default=0, help="worker threads (0 = one per core) / 工作线程数"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "scan":
        return _cmd_scan(args)
    return EXIT_USAGE  # pragma: no cover - argparse enforces the sub-command


def _cmd_scan(args: argparse.Namespace) -> int:
    from mobsec.engine import scan
    from mobsec.progress import ProgressDisplay

    show = not args.quiet and sys.stderr.isatty()
    with ProgressDisplay(enabled=show) as progress:
        options = ScanOptions(threads=args.threads, progress=progress.update)
        try:
            report = scan(args.package, options)
        except InputError as e:
            d = e.diagnostic
            print(f"mobsec: {d.file}: {d.en} / {d.zh}", file=sys.stderr)
            return EXIT_USAGE
    doc = report.to_json()
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    try:
        if args.output:
            _write_atomically(args.output, text)
        else:
            sys.stdout.write(text + "\n")
    except OSError as e:
        print(f"mobsec: cannot write report to {args.output}: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    if not args.quiet:
        _print_summary(report, args.output)
    return EXIT_OK if report.complete else EXIT_INCOMPLETE


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _fact_lines(report) -> list[str]:
    """A few facts worth seeing before opening the report (bilingual labels)."""
    lines = []
    app = report.app
    if app:
        lines.append(
            f"SDK min/target / 最低/目标 SDK: {app.get('min_sdk')}/{app.get('target_sdk')}"
            + ("  debuggable / 可调试" if app.get("debuggable") else "")
        )
    m = report.manifest
    if m:
        exported = [c for c in m["components"] if c["exported"] and c["kind"] != "activity-alias"]
        dangerous = [
            p for p in m["uses_permissions"] if "dangerous" in (p.get("protection_level") or "")
        ]
        lines.append(
            f"exported components / 导出组件: {len(exported)}; "
            f"dangerous permissions / 危险权限: {len(dangerous)}"
        )
    s = report.signing
    if s is not None:
        schemes = [k for k, v in s["schemes"].items() if v["present"]]
        verdict = "verified / 已验证" if s["verified"] else "NOT verified / 未通过验证"
        lines.append(f"signing / 签名: {verdict} ({', '.join(schemes) or '-'})")
    code = report.code
    if code:
        lines.append(
            f"code / 代码: {len(code['dex_files'])} DEX, {code['classes']} classes / 类, "
            f"{code['methods']} methods / 方法; SDKs / 第三方 SDK: {len(report.sdks)}"
        )
    if report.native_libraries:
        lines.append(f"native libraries / 原生库: {len(report.native_libraries)}")
    return lines


def _print_summary(report, output: Path | None) -> None:
    from mobsec.diagnostics import Level

    out = sys.stderr
    app = report.app or {}
    name = app.get("package") or report.package.file_name
    ver = app.get("version_name") or ""
    print(f"{name} {ver}".rstrip(), file=out)
    for line in _fact_lines(report):
        print(f"  {line}", file=out)
    counts = report.severity_counts()
    print(
        "findings / 发现: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        file=out,
    )
    for d in report.diagnostics:
        if d.level in (Level.ERROR, Level.WARNING):
            where = f"{d.file}: " if d.file else ""
            print(f"  {d.level.value}: {where}{d.en} [{d.code}]", file=out)
    total = sum(report.timings.values())
    print(f"time / 用时: {total:.2f} s", file=out)
    if output:
        print(f"report / 报告: {output}", file=out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
