"""Batch import from partner organisations: a JSON list of reports or a CSV file with a
header row (the field names of ``actions.Submission``). Bounded, and every problem names
the row."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mobsec.platform.core.errors import UserError

MAX_BYTES = 5 << 20
MAX_ROWS = 1000


def _bad(en: str, zh: str) -> UserError:
    return UserError("vulns.bad_batch", en, zh)


def parse(raw: bytes, fmt: str) -> list[dict[str, Any]]:
    if len(raw) > MAX_BYTES:
        raise _bad(f"The batch is larger than {MAX_BYTES >> 20} MiB.",
                   f"批量文件超过 {MAX_BYTES >> 20} MiB。")  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad("The batch is not UTF-8 text.", "批量文件不是 UTF-8 文本。") from None
    if fmt == "json":
        try:
            rows = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as e:
            raise _bad(
                f"The batch is not valid JSON: {e}", f"批量文件不是有效的 JSON：{e}"
            ) from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _bad("The JSON batch must be a list of objects.",
                       "JSON 批量文件必须是对象列表。")  # fmt: skip
    elif fmt == "csv":
        try:
            rows = [dict(r) for r in csv.DictReader(io.StringIO(text, newline=""))]
        except csv.Error as e:
            raise _bad(f"The batch is not valid CSV: {e}", f"批量文件不是有效的 CSV：{e}") from None
        for i, r in enumerate(rows, start=1):
            if None in r:
                raise _bad(f"CSV row {i} has more cells than the header.",
                           f"CSV 第 {i} 行的列数多于表头。")  # fmt: skip
    else:
        raise _bad("The format must be json or csv.", "格式必须是 json 或 csv。")
    if len(rows) > MAX_ROWS:
        raise _bad(f"At most {MAX_ROWS} reports per batch.", f"每批最多 {MAX_ROWS} 条报告。")
    if not rows:
        raise _bad("The batch is empty.", "批量文件为空。")
    return rows
