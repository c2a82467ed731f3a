"""Facts of a HarmonyOS package (``.hap`` / ``.app``), computed once and read by the
``harmony.*`` checks: the modules' configuration, permission grades from the OpenHarmony
permission catalog, the strings of the Ark bytecode and text files, signing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.harmony.hap import HapModule, HarmonyPackage
from mobsec.ingest.harmony.module_config import api_level
from mobsec.options import ScanOptions

PLATFORM = "harmony"
APL_ORDER = ("normal", "system_basic", "system_core")
MAX_STRINGS_SEARCHED = 100_000


@dataclass(frozen=True, slots=True)
class OhosPermission:
    name: str
    apl: str  # normal | system_basic | system_core
    grant: str  # system_grant | user_grant
    pi: tuple[str, ...]  # PI types (pi_catalog.json ids) a user_grant permission guards
    review: bool  # written from memory of the upstream list: to be checked against it


@cache
def ohos_permissions() -> dict[str, OhosPermission]:
    doc = json.loads(
        resources.files("mobsec.facts.harmony")
        .joinpath("data/ohos_permissions.json")
        .read_text("utf-8")
    )
    return {
        name: OhosPermission(
            name, p["apl"], p["grant"], tuple(p.get("pi", ())), bool(p.get("review"))
        )
        for name, p in doc["permissions"].items()
    }


@dataclass(frozen=True, slots=True)
class TextString:
    """One string of the package's code or text files, with where it came from."""

    file: str  # path as findings show it
    text: str


class HarmonyFacts:
    platform = PLATFORM

    def __init__(self, pkg: HarmonyPackage, diags: Diagnostics, options: ScanOptions) -> None:
        self.pkg = pkg
        self.diags = diags
        self.options = options

    @property
    def modules(self) -> list[HapModule]:
        return self.pkg.modules

    @property
    def main(self) -> HapModule | None:
        return self.pkg.main

    @cached_property
    def strings(self) -> list[TextString]:
        """ABC string items, lines of text files and native .rodata strings, bounded."""
        out: list[TextString] = []
        for m in self.modules:
            for abc in m.abc_files:
                out += [TextString(abc.path, s) for s in abc.strings]
            for name, text in m.text_files.items():
                out += [TextString(m.where(name), line) for line in text.splitlines() if line]
            for path, strings in m.native_strings.items():
                out += [TextString(path, s) for s in strings]
        return out[:MAX_STRINGS_SEARCHED]

    def code_lines(self) -> Iterator[TextString]:
        """Strings split in lines, comment lines dropped: API 9 toolchains keep each source
        file's text (licence headers with their URLs included) as one string."""
        for s in self.strings:
            for line in s.text.splitlines() if "\n" in s.text else (s.text,):
                if not _COMMENT.match(line):
                    yield TextString(s.file, line)

    def permission_rows(self) -> list[dict[str, Any]]:
        catalog = ohos_permissions()
        rows = []
        for m in self.modules:
            if m.config is None:
                continue
            for p in m.config.permissions:
                known = catalog.get(p.name)
                rows.append(
                    {
                        "name": p.name,
                        "module": m.config.module_name,
                        "apl": known.apl if known else None,
                        "grant": known.grant if known else None,
                        "pi_types": list(known.pi) if known else [],
                        "catalog_review": known.review if known else None,
                        "reason": p.reason,
                        "used_scene": p.to_json()["used_scene"],
                    }
                )
        return rows

    def app_summary(self) -> dict[str, Any] | None:
        """The report's ``app`` section (the keys of the APK report; API levels as min/target
        sdk)."""
        main = self.main
        c = main.config if main else None
        if c is None:
            return None
        return {
            "package": c.bundle_name,
            "version_code": c.version_code,
            "version_name": c.version_name,
            "label": None,  # a resource reference ($string:app_name) in resources.index
            "min_sdk": api_level(c.min_api),
            "target_sdk": api_level(c.target_api),
            "debuggable": bool(c.debug),
            "vendor": c.vendor,
            "model": c.model,
        }

    def platform_json(self) -> dict[str, Any]:
        """The HarmonyOS section of the report: what module.json/config.json declare."""
        return {
            "format": self.pkg.format,
            "modules": [m.to_json() for m in self.modules],
            "permissions": self.permission_rows(),
            "pack_info": self.pkg.pack_info,
            "signing": self.pkg.signing.to_json(),
        }


_COMMENT = re.compile(r"^\s*(\*|//|/\*)")
