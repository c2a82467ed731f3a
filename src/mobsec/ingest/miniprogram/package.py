"""Read one mini-program package file: decrypt it when needed and possible, index it, and
load its configuration (``app-config.json``; ``app.json`` / ``game.json`` in some builds)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.miniprogram.pc_crypto import decrypt, is_pc_encrypted
from mobsec.ingest.miniprogram.wxapkg import WxEntry, is_wxapkg, read_index
from mobsec.limits import Limits

CONFIG_NAMES = ("app-config.json", "app.json", "game.json")
MAX_CONFIG = 8 * 1024 * 1024
GAME_MAIN = "game.js"


@dataclass(slots=True)
class MiniProgramPackage:
    data: bytes
    entries: list[WxEntry] = field(default_factory=list)
    encrypted: bool = False  # a PC-WeChat V1MMWX file
    decrypted: bool = False  # ... that we could decrypt with the app id given
    config_file: str | None = None
    config: dict[str, Any] | None = None

    @property
    def readable(self) -> bool:
        return bool(self.entries)

    @property
    def kind(self) -> str:
        """ "minigame", "miniprogram" (has app-service.js or a config) or "subpackage"."""
        paths = {e.path for e in self.entries}
        if GAME_MAIN in paths or "game.json" in paths:
            return "minigame"
        if self.config is not None:
            return "miniprogram"
        return "subpackage"

    def get(self, path: str) -> WxEntry | None:
        path = path.lstrip("/")
        return next((e for e in self.entries if e.path == path), None)

    def read(self, entry: WxEntry, max_bytes: int | None = None) -> bytes:
        end = (
            entry.offset + entry.size
            if max_bytes is None
            else entry.offset + min(entry.size, max_bytes)
        )
        return self.data[entry.offset : end]

    def text(self, entry: WxEntry, max_bytes: int | None = None) -> str:
        return self.read(entry, max_bytes).decode("utf-8", errors="replace")


def read_wxapkg(
    data: bytes, diags: Diagnostics, limits: Limits, app_id: str | None = None
) -> MiniProgramPackage:
    pkg = MiniProgramPackage(data=data)
    if is_pc_encrypted(data):
        pkg.encrypted = True
        if not app_id:
            diags.error(
                "wxapkg.encrypted",
                "",
                "PC-WeChat encrypted package (V1MMWX): the mini-program's app id is needed to "
                "decrypt it (--wx-appid); code not analysed",
                "PC 微信加密的小程序包(V1MMWX):需要小程序的 AppID 才能解密(--wx-appid),代码未分析",
            )
            return pkg
        plain = decrypt(data, app_id)
        if not is_wxapkg(plain):
            diags.error(
                "wxapkg.wrong_appid",
                "",
                f"Decrypting with app id {app_id} does not give a wxapkg package: wrong app id?",
                f"使用 AppID {app_id} 解密后不是 wxapkg 包:AppID 是否正确?",
                app_id=app_id,
            )
            return pkg
        pkg.data = data = plain
        pkg.decrypted = True
    if len(data) > limits.max_entry_uncompressed:
        diags.error(
            "wxapkg.too_large",
            "",
            f"Package of {len(data)} bytes exceeds the limit of {limits.max_entry_uncompressed}",
            f"小程序包大小 {len(data)} 字节,超过上限 {limits.max_entry_uncompressed}",
        )
        return pkg
    try:
        pkg.entries = read_index(data, diags)
    except FormatError as e:
        diags.error(e.code, "", e.en, e.zh, **e.detail)
        return pkg
    _load_config(pkg, diags)
    return pkg


def _load_config(pkg: MiniProgramPackage, diags: Diagnostics) -> None:
    for name in CONFIG_NAMES:
        entry = pkg.get(name)
        if entry is None:
            continue
        if entry.size > MAX_CONFIG:
            diags.error(
                "wxapkg.config_too_large",
                name,
                f"{name} is {entry.size} bytes, above the {MAX_CONFIG}-byte limit",
                f"{name} 大小 {entry.size} 字节,超过上限 {MAX_CONFIG}",
            )
            return
        try:
            doc = json.loads(pkg.text(entry))
        except (ValueError, RecursionError) as e:
            diags.error(
                "wxapkg.config_json",
                name,
                f"{name} is not valid JSON: {e}",
                f"{name} 不是有效的 JSON:{e}",
            )
            continue
        if isinstance(doc, dict):
            pkg.config_file, pkg.config = name, doc
            return
        diags.error(
            "wxapkg.config_json", name, f"{name} is not a JSON object", f"{name} 不是 JSON 对象"
        )
