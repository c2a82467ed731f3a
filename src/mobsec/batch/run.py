"""``mobsec scan`` over many packages: expand the arguments, skip what is already done,
scan the rest on ``--jobs`` worker processes, write one report per package and format under
``-o DIR``, then the summary (see :mod:`.summary` for the exit code)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from . import job
from .inputs import Package, expand, name_outputs
from .job import JobSettings, blank_row, run_job
from .pool import run_pool
from .state import file_sha256, load_done, options_key, package_key, save_done
from .summary import print_table, totals_of, write_files


class BatchUsageError(Exception):
    """Bad use of the batch options; the CLI prints it and exits 2."""


def run_batch(args: argparse.Namespace, rule_packs: tuple, suppressions: Any) -> int:
    settings, packages = _prepare(args)
    shared = options_key(_options_doc(args, rule_packs))
    rows: dict[int, dict[str, Any]] = {}
    tasks = []
    for i, pkg in enumerate(packages):
        sha = file_sha256(pkg.path)
        key = package_key(shared, sha) if sha else ""
        done = load_done(settings.out_dir, pkg.stem, key) if key and not args.no_resume else None
        if done is not None:
            rows[i] = {**done, "package": str(pkg.path), "resumed": True}
        else:
            tasks.append((i, pkg, key, settings))
    job.RULE_PACKS, job.SUPPRESSIONS = rule_packs, suppressions
    if tasks:
        _warm_up()
    t0 = time.perf_counter()
    n = len(packages)

    def on_done(task: tuple, row: dict[str, Any]) -> None:
        i, pkg, key, _ = task
        rows[i] = row
        if key and row["reports"]:
            save_done(settings.out_dir, pkg.stem, key, row)
        if not args.quiet:
            print(
                f"[{len(rows)}/{n}] {pkg.path.name}: {row['status']} ({row['seconds']:.1f} s)",
                file=sys.stderr,
                flush=True,
            )

    run_pool(
        tasks,
        _task,
        on_done,
        _failed_row,
        args.jobs or 1,
        args.time_limit,
        args.memory_limit,
    )
    ordered = [rows[i] for i in range(n)]
    totals = totals_of(ordered, time.perf_counter() - t0, args.jobs or 1)
    try:
        files = write_files(settings.out_dir, ordered, totals)
    except OSError as e:
        print(f"mobsec: cannot write the batch summary: {e}", file=sys.stderr)
        return 4
    if not args.quiet:
        print_table(ordered, totals, sys.stderr)
        print(f"summary / 汇总: {' '.join(str(f) for f in files)}", file=sys.stderr)
    return int(totals["exit_code"])


def _prepare(args: argparse.Namespace) -> tuple[JobSettings, list[Package]]:
    if args.baseline is not None:
        raise BatchUsageError(
            "--baseline belongs to one app; scan several packages without it / "
            "基线只对应一个应用，批量扫描时不能使用 --baseline"
        )
    if len(args.output) != 1 or str(args.output[0]) == "-":
        raise BatchUsageError(
            "with several packages, give one -o DIR for the reports / "
            "批量扫描时请用一个 -o 目录 指定报告目录"
        )
    out_dir = args.output[0]
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchUsageError(f"-o {out_dir}: not a directory / 不是目录")
    if args.jobs is not None and not 1 <= args.jobs <= 256:
        raise BatchUsageError("--jobs: 1 to 256 / --jobs 取值 1 到 256")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BatchUsageError(f"-o {out_dir}: cannot create: {e.strerror or e}") from e
    packages = name_outputs(expand(args.package))
    if not packages:
        raise BatchUsageError("no packages in the arguments / 参数中没有安装包")
    formats = tuple(dict.fromkeys(args.format or ["json"]))
    settings = JobSettings(
        out_dir=out_dir,
        formats=formats,
        lang=args.lang,
        scope=args.scope,
        source_root=args.source_root,
        fail_on=args.fail_on,
        threads=args.threads,
        app_type=args.app_type,
        privacy_policy=args.privacy_policy,
        wx_appid=args.wx_appid,
        include_unreachable=args.include_unreachable,
        facts_dir=args.facts_dir,
        rules_only=args.rules_only,
    )
    if args.rules_only and (args.facts_dir is None or not args.rules):
        raise BatchUsageError(
            "--rules-only needs --rules and --facts-dir / 需要 --rules 与 --facts-dir"
        )
    return settings, packages


def _options_doc(args: argparse.Namespace, rule_packs: tuple) -> dict[str, Any]:
    """Everything besides the engine and the package that a report depends on."""
    from mobsec.rules.signing import pack_digest

    def digest(p: Path | None) -> str | None:
        return file_sha256(p) if p is not None else None

    return {
        "rules": [pack_digest(p.id, p.version, p.root) for p in rule_packs],
        "formats": sorted(set(args.format or ["json"])),
        "lang": args.lang,
        "scope": args.scope,
        "source_root": args.source_root,
        "fail_on": args.fail_on,
        "app_type": args.app_type,
        "privacy_policy": digest(args.privacy_policy),
        "suppressions": digest(args.suppressions),
        "wx_appid": args.wx_appid,
        "include_unreachable": args.include_unreachable,
        "rules_only": args.rules_only,
    }


def _warm_up() -> None:
    """Import the engine and load the check registry before the workers fork."""
    import mobsec.engine
    import mobsec.pipelines.android  # noqa: F401
    from mobsec.checks.registry import load_all

    load_all()


def _task(task: tuple) -> dict[str, Any]:
    _, pkg, _, settings = task
    return run_job(pkg, settings)


def _failed_row(task: tuple, status: str, message: str) -> dict[str, Any]:
    _, pkg, _, _ = task
    # not scanned completely: exit code 3, like an incomplete package
    return {**blank_row(pkg, status, 3), "error": message}
