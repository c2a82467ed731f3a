"""The batch's summary: a table on the terminal, ``summary.csv`` and ``summary.json`` in the
output directory, and the batch's exit code.

Exit code: the most severe of the packages' codes by the documented precedence of
``mobsec scan`` (2 usage/unreadable input, then 4 output not written, then 1 --fail-on,
then 3 incomplete — including over the time or memory limit — then 0).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, TextIO

PRECEDENCE = (2, 4, 1, 3, 0)
COLUMNS = (
    "package", "status", "exit_code", "critical", "high", "medium", "low", "info",
    "failing_findings", "seconds", "cpu_seconds", "peak_rss_mb", "resumed", "reports", "error",
)  # fmt: skip


def batch_exit_code(codes: list[int]) -> int:
    for code in PRECEDENCE:
        if code in codes:
            return code
    return 0


def flat(row: dict[str, Any]) -> dict[str, Any]:
    f = {k: row.get(k) for k in COLUMNS}
    f.update(row["findings"])
    f["resumed"] = bool(row.get("resumed"))
    f["reports"] = " ".join(row["reports"])
    return f


def write_files(out_dir: Path, rows: list[dict[str, Any]], totals: dict[str, Any]) -> list[Path]:
    from mobsec.cli import write_atomically

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _csv_safe(v) for k, v in flat(r).items()})
    doc = {"totals": totals, "packages": rows}
    csv_path, json_path = out_dir / "summary.csv", out_dir / "summary.json"
    write_atomically(csv_path, buf.getvalue().encode("utf-8"))
    write_atomically(json_path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    return [csv_path, json_path]


def _csv_safe(v: Any) -> Any:
    """Package names and messages come from files: no spreadsheet formula injection."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def totals_of(rows: list[dict[str, Any]], wall: float, jobs: int) -> dict[str, Any]:
    by_status: dict[str, int] = {}
    for r in rows:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    scanned = [r for r in rows if not r.get("resumed")]
    return {
        "packages": len(rows),
        "by_status": by_status,
        "resumed": len(rows) - len(scanned),
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(sum(r["cpu_seconds"] for r in scanned), 3),
        "jobs": jobs,
        "exit_code": batch_exit_code([r["exit_code"] for r in rows]),
    }


def print_table(rows: list[dict[str, Any]], totals: dict[str, Any], out: TextIO) -> None:
    from mobsec.report.render.sanitize import clean_text

    head = ("package / 安装包", "status / 状态", "exit", "C", "H", "M", "L", "I", "s")
    lines = [head]
    for r in rows:
        f = r["findings"]
        status = r["status"] + (" (resumed)" if r.get("resumed") else "")
        lines.append(
            (
                clean_text(Path(r["package"]).name)[:48],
                status,
                str(r["exit_code"]),
                *(str(f[k]) for k in ("critical", "high", "medium", "low", "info")),
                f"{r['seconds']:.1f}",
            )
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        cells = [c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")
    t = totals
    out.write(
        f"{t['packages']} packages / 个安装包, {t['resumed']} resumed / 沿用, "
        f"{t['wall_seconds']:.1f} s wall / 墙钟, {t['cpu_seconds']:.1f} core-s / 核秒, "
        f"--jobs {t['jobs']}, exit code / 退出码 {t['exit_code']}\n"
    )


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
