"""The local-mirror adapter: a directory of packages with ``listing.json``, the store
metadata as a crawler saved it. The listing is hostile input: bounded in size, in entries
and in every string; wrong types are reported, naming the entry, never raised::

    {"store": "Example Store",
     "apps": [{"file": "apks/a.apk", "title": "...", "developer": "...",
               "description": "...", "icon": "icons/a.png", "downloads": 12000,
               "url": "https://store.example/app/a"}]}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import listing, safefs
from . import Found, Problem, register

LISTING = "listing.json"
MAX_LISTING_BYTES = 4 << 20
MAX_ENTRIES = 5000


def mirror(root: Path) -> Iterator[Found | Problem]:
    try:
        with safefs.open_in(root, LISTING, MAX_LISTING_BYTES) as (fd, _st):
            raw = safefs.read_bounded(fd, MAX_LISTING_BYTES)
    except safefs.Refused as e:
        yield Problem(e.code, LISTING, e.en, e.zh)
        return
    doc = _parse(raw)
    if isinstance(doc, Problem):
        yield doc
        return
    apps = doc.get("apps") if isinstance(doc, dict) else None
    if not isinstance(apps, list):
        yield Problem("monitoring.listing_shape", LISTING,
                      'the listing must be an object with an "apps" list',
                      '清单必须是包含 "apps" 列表的对象')  # fmt: skip
        return
    store = listing.text(doc.get("store"), listing.MAX_TITLE)
    if len(apps) > MAX_ENTRIES:
        yield Problem("monitoring.listing_too_many", LISTING,
                      f"{len(apps)} entries; the first {MAX_ENTRIES} are taken",
                      f"共 {len(apps)} 个条目，只处理前 {MAX_ENTRIES} 个")  # fmt: skip
    for i, entry in enumerate(apps[:MAX_ENTRIES]):
        where = f"{LISTING}#apps[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            yield Problem("monitoring.listing_entry", where,
                          'an entry must be an object with a "file" path',
                          '条目必须是包含 "file" 路径的对象')  # fmt: skip
            continue
        try:
            safefs.check_key(entry["file"])
        except safefs.Refused as e:
            yield Problem(e.code, f"{where}: {listing.text(entry['file'], 200)}", e.en, e.zh)
            continue
        cleaned, problems = listing.clean(entry, root, where)
        yield from problems
        if store and not cleaned.get("store"):
            cleaned["store"] = store
        yield Found(entry["file"], cleaned)


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as e:
        return Problem("monitoring.listing_encoding", LISTING,
                       f"not UTF-8 (byte {e.start})", f"不是 UTF-8 编码（第 {e.start} 字节）")  # fmt: skip
    except json.JSONDecodeError as e:
        return Problem("monitoring.listing_json", LISTING,
                       f"not JSON: {e.msg} at line {e.lineno} column {e.colno}",
                       f"不是 JSON：第 {e.lineno} 行第 {e.colno} 列：{e.msg}")  # fmt: skip
    except (RecursionError, ValueError) as e:  # nesting too deep, a number too long
        return Problem("monitoring.listing_json", LISTING, f"not usable JSON: {str(e)[:200]}",
                       f"无法使用的 JSON：{str(e)[:200]}")  # fmt: skip


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


register("local-mirror", mirror)
