"""The mini-program's configuration as declared: ``app-config.json`` (the compiled form of
``app.json``) or ``game.json`` for mini-games. Wrong types read as absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_ITEMS = 5_000


def _list(v: Any) -> list[Any]:
    return v[:MAX_ITEMS] if isinstance(v, list) else []


def _obj(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _strs(v: Any) -> list[str]:
    return [x for x in _list(v) if isinstance(x, str)]


@dataclass(slots=True)
class AppConfig:
    file: str
    pages: list[str] = field(default_factory=list)
    entry_page: str | None = None
    sub_packages: list[dict[str, Any]] = field(default_factory=list)  # root, pages, independent
    permissions: dict[str, str] = field(default_factory=dict)  # scope -> desc shown to users
    required_private_infos: list[str] = field(default_factory=list)
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> provider/version
    navigate_to_app_ids: list[str] = field(default_factory=list)
    debug: bool = False
    background_modes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "pages": self.pages,
            "entry_page": self.entry_page,
            "sub_packages": self.sub_packages,
            "permissions": self.permissions,
            "required_private_infos": self.required_private_infos,
            "plugins": self.plugins,
            "navigate_to_app_ids": self.navigate_to_app_ids,
            "debug": self.debug,
            "background_modes": self.background_modes,
        }


def parse_app_config(doc: dict[str, Any], file: str) -> AppConfig:
    # app-config.json nests app.json's top level under "global" for some keys; accept both
    glob = _obj(doc.get("global"))
    c = AppConfig(file=file)
    c.pages = _strs(doc.get("pages"))
    entry = doc.get("entryPagePath")
    c.entry_page = entry if isinstance(entry, str) else (c.pages[0] if c.pages else None)
    for sp in _list(doc.get("subPackages") or doc.get("subpackages")):
        sp = _obj(sp)
        root = sp.get("root")
        if isinstance(root, str):
            c.sub_packages.append(
                {
                    "root": root,
                    "pages": _strs(sp.get("pages")),
                    "independent": sp.get("independent") is True,
                }
            )
    for scope, v in _obj(doc.get("permission") or glob.get("permission")).items():
        desc = _obj(v).get("desc")
        c.permissions[str(scope)] = desc if isinstance(desc, str) else ""
    c.required_private_infos = _strs(
        doc.get("requiredPrivateInfos") or glob.get("requiredPrivateInfos")
    )
    for name, v in _obj(doc.get("plugins")).items():
        v = _obj(v)
        c.plugins[str(name)] = {
            "provider": v.get("provider") if isinstance(v.get("provider"), str) else None,
            "version": v.get("version") if isinstance(v.get("version"), str) else None,
        }
    c.navigate_to_app_ids = _strs(doc.get("navigateToMiniProgramAppIdList"))
    c.debug = doc.get("debug") is True or glob.get("debug") is True
    c.background_modes = _strs(doc.get("requiredBackgroundModes"))
    return c
