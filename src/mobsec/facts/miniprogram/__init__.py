"""Facts of a WeChat mini-program package, computed once and read by the ``miniprogram.*``
checks: its configuration, the facts of its JavaScript, and the PI its code reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from mobsec.diagnostics import Diagnostics
from mobsec.facts.miniprogram.config import AppConfig, parse_app_config
from mobsec.facts.miniprogram.js import JsAnalyzer, JsCall, JsFacts
from mobsec.ingest.miniprogram.package import MiniProgramPackage
from mobsec.options import ScanOptions
from mobsec.report.model import Text

PLATFORM = "miniprogram"
JS_SUFFIX = ".js"
MAX_JS_FILE = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WxPiApi:
    api: str  # "getLocation"
    pi_type: str
    scope: str | None
    required_private_info: bool


@cache
def wx_pi_catalog() -> dict[str, Any]:
    return json.loads(
        resources.files("mobsec.facts.miniprogram")
        .joinpath("data/wx_pi_apis.json")
        .read_text("utf-8")
    )


@cache
def wx_pi_apis() -> dict[str, WxPiApi]:
    return {
        name: WxPiApi(name, a["pi"], a["scope"], bool(a["required_private_info"]))
        for name, a in wx_pi_catalog()["apis"].items()
    }


def pi_type_names() -> dict[str, Text]:
    """Names of the PI types the wx API catalog uses (the PI catalog's, then its own)."""
    from mobsec.facts.privacy.catalog import load_pi_catalog

    names = {t.id: t.name for t in load_pi_catalog().types.values()}
    for tid, t in wx_pi_catalog()["local_pi_types"].items():
        names[tid] = Text(t["name"]["en"], t["name"]["zh-CN"])
    return names


class MiniProgramFacts:
    platform = PLATFORM

    def __init__(self, pkg: MiniProgramPackage, diags: Diagnostics, options: ScanOptions) -> None:
        self.pkg = pkg
        self.diags = diags
        self.options = options

    @cached_property
    def config(self) -> AppConfig | None:
        if self.pkg.config is None or self.pkg.config_file is None:
            return None
        return parse_app_config(self.pkg.config, self.pkg.config_file)

    @cached_property
    def js(self) -> JsFacts:
        analyzer = JsAnalyzer(self.diags, self.options.js_parse_chars)
        for entry in self.pkg.entries:
            if entry.path.endswith(JS_SUFFIX) and entry.size <= MAX_JS_FILE:
                analyzer.add_file(entry.path, self.pkg.text(entry))
            elif entry.path.endswith(JS_SUFFIX):
                self.diags.warning(
                    "js.file_too_large",
                    entry.path,
                    f"{entry.size} bytes of JavaScript, above the {MAX_JS_FILE}-byte limit: not read",
                    f"JavaScript 文件 {entry.size} 字节,超过上限 {MAX_JS_FILE}:未读取",
                )
        return analyzer.facts

    def pi_calls(self) -> Iterator[tuple[JsCall, WxPiApi]]:
        apis = wx_pi_apis()
        for call in self.js.calls:
            if call.callee.startswith("wx.") and (api := apis.get(call.callee[3:])) is not None:
                yield call, api

    def hosts(self) -> list[str]:
        """Hosts of the URLs in the code: the domains the mini-program talks to."""
        out: set[str] = set()
        for s in self.js.strings:
            if s.value.startswith(("https://", "http://", "wss://", "ws://")):
                try:
                    host = urlsplit(s.value).hostname
                except ValueError:
                    continue
                if host and "." in host:
                    out.add(host.lower())
        return sorted(out)

    def app_summary(self) -> dict[str, Any]:
        c = self.config
        return {
            "kind": self.pkg.kind,
            "encrypted": self.pkg.encrypted,
            "decrypted": self.pkg.decrypted,
            "app_id": self.options_app_id(),
            "pages": len(c.pages) if c else 0,
        }

    def options_app_id(self) -> str | None:
        return self.options.wx_appid

    def platform_json(self) -> dict[str, Any]:
        """The mini-program section of the report: what app.json declares and what the code
        reaches."""
        c = self.config
        return {
            "kind": self.pkg.kind,
            "encrypted": self.pkg.encrypted,
            "decrypted": self.pkg.decrypted,
            "files": len(self.pkg.entries),
            "config": c.to_json() if c else None,
            "hosts": self.hosts() if self.pkg.readable else [],
            "javascript": self.js.to_json() if self.pkg.readable else None,
        }
