"""Cleaning one store listing entry (hostile): strings bounded and stripped of control
characters, the download count a non-negative integer, the icon a PNG/WebP/JPEG file of
the mirror under a size bound, carried base64 with its sniffed media type."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import safefs
from .adapters import Problem

MAX_TITLE = 200
MAX_DEVELOPER = 200
MAX_DESCRIPTION = 4000
MAX_ICON_BYTES = 256 * 1024
MAX_DOWNLOADS = 10**15


def text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isprintable() or ch in "\n\t")[:limit].strip()


def media_type(data: bytes) -> str | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    return None


def clean(entry: dict[str, Any], root: Path, where: str) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    out: dict[str, Any] = {
        "title": text(entry.get("title"), MAX_TITLE),
        "developer": text(entry.get("developer"), MAX_DEVELOPER),
        "description": text(entry.get("description"), MAX_DESCRIPTION),
    }
    downloads = entry.get("downloads")
    if (
        isinstance(downloads, int)
        and not isinstance(downloads, bool)
        and 0 <= downloads <= MAX_DOWNLOADS
    ):
        out["downloads"] = downloads
    elif downloads is not None:
        problems.append(Problem("monitoring.listing_downloads", where,
                                "downloads must be a whole number ≥ 0; ignored",
                                "downloads 必须是非负整数；已忽略"))  # fmt: skip
    url = text(entry.get("url"), 500)
    parts = urlsplit(url) if url else None
    if parts is not None and parts.scheme in ("http", "https") and parts.hostname:
        out["url"] = url
    if entry.get("icon") is not None:
        icon, problem = _icon(entry.get("icon"), root, where)
        if icon:
            out["icon"] = icon
        if problem:
            problems.append(problem)
    return out, problems


def _icon(key: Any, root: Path, where: str) -> tuple[dict[str, str] | None, Problem | None]:
    if not isinstance(key, str):
        return None, Problem("monitoring.listing_icon", where, "icon must be a file path; ignored",
                             "icon 必须是文件路径；已忽略")  # fmt: skip
    try:
        with safefs.open_in(root, key, MAX_ICON_BYTES) as (fd, _st):
            data = safefs.read_bounded(fd, MAX_ICON_BYTES)
    except safefs.Refused as e:
        return None, Problem(e.code, f"{where}: icon {text(key, 200)}", e.en, e.zh)
    kind = media_type(data)
    if kind is None:
        return None, Problem("monitoring.listing_icon", f"{where}: icon {text(key, 200)}",
                             "the icon is not a PNG, WebP or JPEG image; ignored",
                             "图标不是 PNG、WebP 或 JPEG 图片；已忽略")  # fmt: skip
    return {
        "media_type": kind,
        "data_base64": base64.b64encode(data).decode("ascii"),
        "sha256": hashlib.sha256(data).hexdigest(),
    }, None
