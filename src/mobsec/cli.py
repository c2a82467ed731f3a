"""Command line: a thin client of ``mobsec.scan`` and the report renderers.

Commands:
  mobsec scan APK [-o FILE]... [--format F]... [--lang L] [--fail-on SEV]
                  [--baseline FILE] [--suppressions FILE] [--app-type TYPE]
                  [--privacy-policy FILE] [-q]
  mobsec scan PKG|DIR... -o DIR [--format F]... [--jobs N] [--time-limit S]
                  [--memory-limit MB] [--no-resume]   (batch: mobsec.batch)
  mobsec baseline APK|REPORT.json -o FILE
  mobsec diff OLD NEW [--format text|json] [-o FILE] [--fail-on SEV]
  mobsec rules keygen|sign|verify|check|test ...   (rule packs, docs/rules.md)
  mobsec similar CANDIDATE GENUINE [--takedown FILE]    (docs/similarity.md)
  mobsec monitor --registry DIR CANDIDATES...           (docs/similarity.md)
  mobsec serve [--data DIR] [--host H] [--port P] [--workers N]   (the web platform)
  mobsec platform create-user NAME --org ORG --role ROLE [--token] [--data DIR]

Exit codes (documented in README.md):
  0  done; outputs written (warnings may be present)
  1  --fail-on: an open finding (not suppressed, not in the baseline) at or above the
     threshold; outputs are still written
  2  usage error: bad arguments, input missing / not a regular file, bad baseline,
     suppressions, report or stored-facts file
  3  the package could not be read completely: outputs are written and say what failed
  4  an output could not be written (or rendered)
Precedence when several apply: 2, then 4, then 1, then 3. A batch exits with the most
severe of its packages' codes by the same precedence (a package over its time or memory
limit counts as 3).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from mobsec.certification import cli as certification_cli
from mobsec.diagnostics import InputError
from mobsec.options import ScanOptions
from mobsec.report.render import FORMATS, RenderError, format_for_path
from mobsec.report.render.messages import LANGS
from mobsec.report.render.view import SEVERITIES
from mobsec.rules import cli as rules_cli
from mobsec.version import __version__

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4

MAX_REPORT_BYTES = 512 << 20


class UsageError(Exception):
    """Bad command-line use; the message is printed and the exit code is 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mobsec",
        description="Static security analysis of mobile app packages / 移动应用静态安全检测",
    )
    p.add_argument("--version", action="version", version=f"mobsec {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "scan",
        help="scan an app package and write reports / 检测应用安装包并输出报告",
        description="Outputs: -o FILE (format from the extension: .json .sarif .html .pdf "
        ".txt) and/or --format F (to stdout when no -o goes with it). Default: JSON on "
        "stdout. / 输出：-o 文件（按扩展名确定格式）或 --format（无 -o 时输出到标准输出）。",
    )
    s.add_argument(
        "package",
        type=Path,
        nargs="+",
        help="app package: APK, APKS, XAPK, APKM, AAB, ... (detected by content); several "
        "packages or directories make a batch with -o DIR / 应用安装包(按内容识别格式);多个安装包"
        "或目录即批量扫描,报告写入 -o 目录",
    )
    _add_output_args(s, FORMATS)
    _add_lang_arg(s)
    s.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when an open finding (not suppressed, not in the baseline) is at or above "
        "this severity / 存在不低于该严重程度的待处理发现时退出码为 1",
    )
    s.add_argument(
        "--baseline",
        type=Path,
        help="baseline file (mobsec baseline): mark findings new or unchanged / 基线文件",
    )
    s.add_argument(
        "--suppressions",
        type=Path,
        help="suppressions file (TOML or JSON) with reasons and expiry / 抑制规则文件",
    )
    s.add_argument(
        "--scope",
        choices=("all", "app", "sdk"),
        default="all",
        help="whose findings the outputs and --fail-on consider: the app's own code, SDK "
        "code, or all (default; the app's first). The JSON report keeps every finding / "
        "输出与 --fail-on 考虑的代码范围：应用自身代码、SDK 代码或全部（JSON 报告始终保留全部发现）",
    )
    s.add_argument(
        "--source-root",
        metavar="DIR",
        help="SARIF: where the Java/Kotlin sources are, relative to the repository root "
        "(e.g. app/src/main/java) / SARIF 中源码文件相对仓库根目录的位置",
    )
    s.add_argument(
        "--app-type",
        metavar="TYPE",
        nargs="?",
        const="",
        help="app type of the necessary-PI rules (id, number 1-39 or name, e.g. 地图导航类): "
        "enables the necessity checks (191 category 4) / 应用类型（《常见类型移动互联网应用程序"
        "必要个人信息范围规定》的编号、标识或名称），用于评估必要原则",
    )
    s.add_argument(
        "--privacy-policy",
        metavar="FILE",
        type=Path,
        help="the app's privacy policy (text or HTML) to compare with what the code reads / "
        "应用的隐私政策（文本或 HTML），与代码实际读取的个人信息比对",
    )
    s.add_argument(
        "--include-unreachable",
        action="store_true",
        help="also list code findings no entry point reaches and those in shipped test code "
        "(marked) / 同时列出入口不可达代码及随包测试代码中的发现（带标记）",
    )
    s.add_argument(
        "--wx-appid",
        metavar="APPID",
        help="WeChat mini-program app id (wx...) to decrypt a PC-WeChat encrypted .wxapkg "
        "(V1MMWX) / 用于解密 PC 微信加密小程序包(V1MMWX)的 AppID",
    )
    s.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or summary / 不显示进度和摘要"
    )
    s.add_argument(
        "--threads", type=int, default=0, help="worker threads (0 = one per core) / 工作线程数"
    )
    _add_batch_args(s)
    rules_cli.add_scan_args(s)
    rules_cli.add_parser(sub)
    certification_cli.add_parser(sub)

    b = sub.add_parser(
        "baseline",
        help="write a baseline of a package's or report's findings / 生成基线文件",
    )
    b.add_argument("input", type=Path, help="APK or report JSON / APK 或报告 JSON")
    b.add_argument("-o", "--output", type=Path, required=True, help="baseline file / 基线文件")
    b.add_argument("-q", "--quiet", action="store_true", help="no summary / 不显示摘要")

    d = sub.add_parser(
        "diff",
        help="compare two versions (packages or report JSONs) / 对比两个版本",
    )
    d.add_argument("old", type=Path, help="old APK or report JSON / 旧版本")
    d.add_argument("new", type=Path, help="new APK or report JSON / 新版本")
    d.add_argument("--format", choices=("text", "json"), default=None, help="text or json")
    d.add_argument("-o", "--output", type=Path, help="write here (default: stdout) / 输出路径")
    _add_lang_arg(d)
    d.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when a finding new in NEW is at or above this severity / "
        "新版本新增发现达到该严重程度时退出码为 1",
    )
    d.add_argument("-q", "--quiet", action="store_true", help="no progress / 不显示进度")

    c = sub.add_parser(
        "checks",
        help="list the check catalog with its metadata / 列出检测规则及其元数据",
    )
    c.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text (default), json, or the markdown of docs/checks.md / 输出格式",
    )
    _add_lang_arg(c)

    from mobsec import cli_similarity  # argparse only; numpy and imagehash load on use

    cli_similarity.add_commands(sub)

    from mobsec.platform.cli_args import add_commands  # argparse only, no Django

    add_commands(sub)
    return p


def _add_output_args(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        action="append",
        default=[],
        help="output file, repeatable; '-' is stdout / 输出文件（可重复；'-' 为标准输出）",
    )
    p.add_argument(
        "--format",
        choices=formats,
        action="append",
        default=[],
        help="output format, repeatable / 输出格式（可重复）",
    )


def _add_batch_args(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="batch: packages scanned at once, one worker process each (default 1) / "
        "批量:同时扫描的安装包数(每个一个工作进程)",
    )
    s.add_argument(
        "--time-limit",
        type=float,
        default=900.0,
        metavar="S",
        help="batch: wall-clock seconds per package before it is stopped (default 900) / "
        "批量:单个安装包的时间上限(秒)",
    )
    s.add_argument(
        "--memory-limit",
        type=int,
        default=4096,
        metavar="MB",
        help="batch: address space per worker in MiB (default 4096) / 批量:每个工作进程的内存上限",
    )
    s.add_argument(
        "--no-resume",
        action="store_true",
        help="batch: scan every package again even if its reports exist for the same engine, "
        "rules and options / 批量:忽略已有结果,全部重新扫描",
    )


def _add_lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGS,
        help="language of HTML/PDF/SARIF/text (default: zh-CN for HTML/PDF, en for SARIF, "
        "both for the terminal) / 报告语言",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "scan":
            return _cmd_scan(args)
        if args.command == "baseline":
            return _cmd_baseline(args)
        if args.command == "diff":
            return _cmd_diff(args)
        if args.command == "checks":
            return _cmd_checks(args)
        if args.command == "rules":
            return rules_cli.run(args)
        if args.command == "certificate":
            return certification_cli.run_certificate(args)
        if args.command == "scheme":
            return certification_cli.run_scheme(args)
        if args.command in ("similar", "monitor"):
            from mobsec import cli_similarity

            return cli_similarity.run(args)
        if args.command in ("serve", "platform"):
            from mobsec.platform.cli import run  # loads Django: only for these commands

            return run(args)
    except UsageError as e:
        print(f"mobsec: {e}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as e:
        d = e.diagnostic
        where = f"{d.file}: " if d.file else ""
        print(f"mobsec: {where}{d.en} / {d.zh} [{d.code}]", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE  # pragma: no cover - argparse enforces the sub-command


# ------------------------------------------------------------------------------------ outputs


def plan_outputs(outputs: list[Path], formats: list[str]) -> list[tuple[str, Path | None]]:
    """Pair formats with destinations (None = stdout).

    * no -o, no --format: JSON on stdout (the historical default);
    * only -o: each file's format from its extension;
    * only --format: each to stdout (at most one);
    * both, equally many: paired in order; one --format with several -o: that format for
      files whose extension says nothing.
    """
    plan: list[tuple[str, Path | None]] = []
    if not outputs:
        plan = [(f, None) for f in formats or ["json"]]
    elif len(formats) == len(outputs):
        plan = list(zip(formats, outputs, strict=True))
    elif len(formats) <= 1:
        for path in outputs:
            fmt = format_for_path(path) or (formats[0] if formats else None)
            if fmt is None:
                raise UsageError(
                    f"cannot tell the format of {path} from its extension; add --format / "
                    f"无法从扩展名判断 {path} 的格式，请指定 --format"
                )
            plan.append((fmt, path))
    else:
        raise UsageError(
            "give one --format per -o, or let extensions decide / 每个 -o 对应一个 --format"
        )
    plan = [(f, None if p is not None and str(p) == "-" else p) for f, p in plan]
    if sum(1 for _, p in plan if p is None) > 1:
        raise UsageError("only one output can go to stdout / 只能有一个输出写到标准输出")
    return plan


def check_outputs(plan: list[tuple[str, Path | None]], lang: str | None) -> str | None:
    """Why an output cannot be written or rendered (checked before the scan), or None."""
    if any(fmt == "pdf" for fmt, _ in plan):
        from mobsec.report.render.pdf import check_pdf_fonts

        try:
            check_pdf_fonts(lang or "zh-CN")
        except RenderError as e:
            return str(e)
    for _, path in plan:
        if path is None:
            continue
        parent = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            return f"{path}: is a directory / 是目录"
        if not parent.is_dir():
            return f"{path}: directory {parent} does not exist / 目录不存在"
        if not os.access(parent, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            return f"{path}: not writable / 无写入权限"
    return None


def write_outputs(
    doc: dict[str, Any],
    plan: list[tuple[str, Path | None]],
    lang: str | None,
    source_root: str | None = None,
    scope: str = "all",
    quiet: bool = True,
) -> list[str]:
    """Render and write every planned output; raises OSError/RenderError on failure."""
    from mobsec.report.render import render

    written = []
    for fmt, path in plan:
        name = str(path) if path else "-"

        def progress(line: str, name: str = name) -> None:  # the PDF takes seconds: say so
            if not quiet:
                print(f"mobsec: {name}: {line}", file=sys.stderr, flush=True)

        data = render(doc, fmt, lang, source_root=source_root, scope=scope, progress=progress)
        if path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_atomically(path, data)
            written.append(str(path))
    return written


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a fresh temporary file beside ``path``, then rename it into place.

    The temporary name is random and created with O_EXCL|O_NOFOLLOW, so nothing planted in
    the output directory (a symlink at a guessable ``report.json.tmp``) is written through;
    a symlink at the output path itself is refused rather than replaced.
    """
    if path.is_symlink():
        raise OSError(
            f"{path} is a symbolic link; refusing to write through it / 输出路径是符号链接"
        )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(tmp, flags, 0o666)
    except FileExistsError as e:  # 64 random bits: something planted it there
        raise OSError(f"{tmp} already exists; refusing to use it / 临时文件已存在") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------- scan


def scan_document(
    path: Path,
    quiet: bool,
    threads: int = 0,
    app_type: str | None = None,
    privacy_policy: Path | None = None,
    wx_appid: str | None = None,
    include_unreachable: bool = False,
    rule_packs: tuple = (),
    facts_dir: Path | None = None,
) -> dict[str, Any]:
    from mobsec.engine import scan
    from mobsec.progress import ProgressDisplay

    show = not quiet and sys.stderr.isatty()
    with ProgressDisplay(enabled=show) as progress:
        options = ScanOptions(
            threads=threads,
            progress=progress.update,
            app_type=app_type,
            privacy_policy=privacy_policy,
            wx_appid=wx_appid,
            include_unreachable=include_unreachable,
            rule_packs=rule_packs,
            facts_dir=facts_dir,
        )
        report = scan(path, options)
    return report.to_json()


def _check_privacy_args(args: argparse.Namespace) -> None:
    """A mistyped app type or policy path fails at once, not as a note after a long scan."""
    if args.app_type is not None:
        from mobsec.facts.privacy.app_types import find_app_type, load_app_types

        if not args.app_type or find_app_type(args.app_type) is None:
            what = f"{args.app_type!r}: unknown app type" if args.app_type else "needs a value"
            listing = "\n".join(
                f"  {t.number:>2}  {t.id:<28} {t.name.zh}  {t.name.en}"
                for t in load_app_types().values()
            )
            raise UsageError(
                f"--app-type {what}; give a number, id or name of the necessary-PI rules / "
                f"应用类型无效，请给出以下编号、标识或名称之一:\n{listing}"
            )
    if args.privacy_policy is not None and not args.privacy_policy.is_file():
        raise UsageError(
            f"--privacy-policy {args.privacy_policy}: file not found / 隐私政策文件不存在"
        )


def _cmd_scan(args: argparse.Namespace) -> int:
    from mobsec.batch import is_batch

    if is_batch(args):
        return _cmd_scan_batch(args)
    args.package = args.package[0]
    return _cmd_scan_one(args)


def _cmd_scan_batch(args: argparse.Namespace) -> int:
    from mobsec.batch.run import BatchUsageError, run_batch

    suppressions, rule_packs = _scan_inputs(args)
    if "pdf" in (args.format or []):
        problem = check_outputs([("pdf", None)], args.lang)
        if problem:
            print(f"mobsec: cannot write report: {problem}", file=sys.stderr)
            return EXIT_INTERNAL
    try:
        return run_batch(args, rule_packs, suppressions)
    except BatchUsageError as e:
        raise UsageError(str(e)) from e


def _scan_inputs(args: argparse.Namespace) -> tuple[Any, tuple]:
    """Suppressions and rule packs, with every user file checked before the (long) scan."""
    from mobsec.report.baseline import load_suppressions

    try:
        from mobsec.report.render.sarif_locations import check_source_root

        check_source_root(args.source_root)
    except ValueError as e:
        raise UsageError(str(e)) from e
    suppressions = load_suppressions(args.suppressions) if args.suppressions else None
    _check_privacy_args(args)
    try:
        rule_packs = rules_cli.load_for_scan(args)
    except rules_cli.RuleFileError as e:
        raise UsageError(str(e)) from e
    return suppressions, rule_packs


def _cmd_rules_only(args: argparse.Namespace, rule_packs: tuple) -> int:
    """`scan --rules-only`: the packs' findings, from stored facts where they serve."""
    from mobsec.rules.stored import rules_only

    if not rule_packs or args.facts_dir is None:
        raise UsageError("--rules-only needs --rules and --facts-dir / 需要 --rules 与 --facts-dir")
    if len(args.output) > 1 or args.format not in ([], ["json"]):
        raise UsageError("--rules-only writes one JSON document / 仅输出一个 JSON 文档")
    if not args.package.is_file():
        raise UsageError(f"{args.package}: not a regular file / 不是普通文件")
    doc = rules_only(args.package, rule_packs, args.facts_dir, args.threads)
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        if args.output and str(args.output[0]) != "-":
            write_atomically(args.output[0], data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    except OSError as e:
        print(f"mobsec: cannot write report: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    if not doc["complete"]:  # said even with -q: "0 findings" of a broken package is no answer
        for d in doc["errors"]:
            where = f"{d['file']}: " if d["file"] else ""
            m = d["message"]
            print(f"mobsec: {where}{m['en']} / {m['zh-CN']} [{d['code']}]", file=sys.stderr)
        print(
            f"mobsec: {args.package.name}: could not be read completely, the rule results are "
            "not conclusive / 安装包未能完整读取，规则结果不能说明其不受影响",
            file=sys.stderr,
        )
    elif not args.quiet:
        print(
            f"mobsec: {len(doc['findings'])} rule findings / 条规则发现 ({doc['mode']}, "
            f"{doc['seconds']:.2f} s)"
            + (f"; {doc['full_scan_reason']}" if doc["full_scan_reason"] else ""),
            file=sys.stderr,
        )
    if gate_count({"findings": doc["findings"]}, args.fail_on):
        return EXIT_FAIL_ON
    return EXIT_OK if doc["complete"] else EXIT_INCOMPLETE


def _cmd_scan_one(args: argparse.Namespace) -> int:
    from mobsec.report.baseline import Baseline, apply_triage

    plan = plan_outputs(args.output, args.format)
    # Read the user's files before the (long) scan, so a typo fails at once.
    baseline = Baseline.load(args.baseline) if args.baseline else None
    suppressions, rule_packs = _scan_inputs(args)
    if args.rules_only:
        return _cmd_rules_only(args, rule_packs)
    problem = check_outputs(plan, args.lang)
    if problem:
        print(f"mobsec: cannot write report: {problem}", file=sys.stderr)
        return EXIT_INTERNAL
    doc = scan_document(
        args.package,
        args.quiet,
        args.threads,
        args.app_type,
        args.privacy_policy,
        args.wx_appid,
        args.include_unreachable,
        rule_packs,
        args.facts_dir,
    )
    _print_unsupported(doc)
    if baseline is not None or suppressions is not None:
        apply_triage(doc, baseline, suppressions)
    try:
        written = write_outputs(
            doc, plan, args.lang, args.source_root, args.scope, quiet=args.quiet
        )
    except (OSError, RenderError) as e:
        print(f"mobsec: cannot write report: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    from mobsec.report.render.groups import scoped

    view = scoped(doc, args.scope)  # --scope: what the summary and --fail-on consider
    gate = gate_count(view, args.fail_on)
    if not args.quiet:
        from mobsec.report.render.terminal import render_terminal

        render_terminal(view, sys.stderr, args.lang, written)
        if gate:
            _print_gate(gate, args.fail_on, args.lang)
    if gate:
        return EXIT_FAIL_ON
    return EXIT_OK if doc["scan"]["complete"] else EXIT_INCOMPLETE


def _print_unsupported(doc: dict[str, Any]) -> None:
    """A file that is no supported package is said at once, even with --quiet (exit 3)."""
    for d in doc.get("diagnostics") or []:
        if d.get("code") == "input.unsupported_format":
            m = d["message"]
            name = doc["package"]["file_name"]
            print(f"mobsec: {name}: {m['en']} / {m['zh-CN']} [{d['code']}]", file=sys.stderr)


def gate_count(doc: dict[str, Any], threshold: str | None) -> int:
    """How many findings fail ``--fail-on`` (open, not in the baseline, severe enough)."""
    if threshold is None:
        return 0
    from mobsec.report.render.view import at_or_above, gates

    return sum(
        1 for f in doc.get("findings") or [] if gates(f) and at_or_above(f["severity"], threshold)
    )


def _print_gate(n: int, threshold: str, lang: str | None) -> None:
    from mobsec.report.render.messages import both, t

    text = (
        both("summary.fail_on", n=n, severity=threshold)
        if lang is None
        else t("summary.fail_on", lang, n=n, severity=threshold)
    )
    print(text, file=sys.stderr)


# ------------------------------------------------------------------------- reports as inputs


def _is_report_file(path: Path) -> bool:
    """A report JSON starts with '{'; an APK starts with 'PK' (or garbage)."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        return False  # let the scan report the problem with its own diagnostic
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def load_report(path: Path) -> dict[str, Any]:
    """Read a stored report and check it against the report schema."""
    from jsonschema import ValidationError

    from mobsec.report.baseline import load_json_object
    from mobsec.report.schema import validate_report

    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise UsageError(f"{path}: report larger than {MAX_REPORT_BYTES >> 20} MiB")
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}") from e
    doc = load_json_object(data, path, "report", "报告")
    try:
        validate_report(doc)
    except ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        raise UsageError(
            f"{path}: not a valid mobsec report at '{where}': {e.message[:200]} / "
            "不是有效的 mobsec 报告"
        ) from e
    return doc


def _doc_of(path: Path, quiet: bool) -> dict[str, Any]:
    return load_report(path) if _is_report_file(path) else scan_document(path, quiet)


# ----------------------------------------------------------------------------------- baseline


def _cmd_baseline(args: argparse.Namespace) -> int:
    from mobsec.report.baseline import baseline_document

    doc = _doc_of(args.input, args.quiet)
    base = baseline_document(doc)
    text = json.dumps(base, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomically(args.output, text.encode("utf-8"))
    except OSError as e:
        print(f"mobsec: cannot write baseline to {args.output}: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    if not args.quiet:
        print(
            f"baseline / 基线: {len(base['findings'])} findings / 个发现 → {args.output}",
            file=sys.stderr,
        )
    return EXIT_OK


# --------------------------------------------------------------------------------------- diff


def _cmd_diff(args: argparse.Namespace) -> int:
    from mobsec.report.diff import diff_reports, render_diff_text
    from mobsec.report.render.view import at_or_above

    old = _doc_of(args.old, args.quiet)
    new = _doc_of(args.new, args.quiet)
    d = diff_reports(old, new)
    fmt = args.format or ("json" if args.output and args.output.suffix == ".json" else "text")
    if fmt == "json":
        data = (json.dumps(d, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = render_diff_text(d, args.lang).encode("utf-8")
    try:
        if args.output and str(args.output) != "-":
            write_atomically(args.output, data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    except OSError as e:
        print(f"mobsec: cannot write diff: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    if args.fail_on and any(at_or_above(f["severity"], args.fail_on) for f in d["findings"]["new"]):
        return EXIT_FAIL_ON
    complete = old["scan"]["complete"] and new["scan"]["complete"]
    return EXIT_OK if complete else EXIT_INCOMPLETE


# ------------------------------------------------------------------------------------- checks


def _cmd_checks(args: argparse.Namespace) -> int:
    from mobsec.checks.catalog import catalog_markdown, catalog_text
    from mobsec.checks.registry import load_all

    checks = load_all()
    if args.format == "json":
        doc = [c.meta.to_json() for c in checks.values()]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(catalog_markdown(checks))
    else:
        sys.stdout.write(catalog_text(checks, args.lang))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
