"""Facts of an iOS app (IPA), computed once and read by the ``ios.*`` checks.

The main bundle's Info.plist settings (ATS, URL schemes, usage descriptions, background
modes), the entitlements it is signed with, the hardening of every Mach-O, the strings of
the binaries that are not encrypted (with the URLs and hosts among them), and the SDKs
named by frameworks, resource bundles and class names.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.ios.ipa import Bundle, IpaPackage
from mobsec.ingest.ios.plist import to_json
from mobsec.options import ScanOptions

PLATFORM = "ios"
MAX_TEXT_FILE = 512 * 1024
MAX_TEXT_FILES = 300
MAX_LISTED = 200  # items of one Info.plist list kept (a hostile plist may hold millions)
MAX_TEXT = 2000  # characters of one Info.plist text kept
MAX_NIB_FILE = 1024 * 1024
MAX_NIB_FILES = 400
TEXT_SUFFIXES = (".json", ".plist", ".js", ".html", ".htm", ".txt", ".xml", ".strings", ".cfg")
_URL = re.compile(r"\b(?:https?|wss?|ftp)://[^\s\"'<>\\^`{|}]{3,2000}", re.I)


@dataclass(frozen=True, slots=True)
class AtsException:
    domain: str
    include_subdomains: bool
    insecure_http: bool  # NSExceptionAllowsInsecureHTTPLoads (or the temporary key)
    min_tls: str | None  # NSExceptionMinimumTLSVersion
    forward_secrecy: bool  # NSExceptionRequiresForwardSecrecy (default true)

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "include_subdomains": self.include_subdomains,
            "allows_insecure_http": self.insecure_http,
            "minimum_tls": self.min_tls,
            "requires_forward_secrecy": self.forward_secrecy,
        }


@dataclass(slots=True)
class Ats:
    declared: bool = False
    arbitrary_loads: bool = False
    arbitrary_loads_web: bool = False
    arbitrary_loads_media: bool = False
    local_networking: bool = False
    exceptions: list[AtsException] = field(default_factory=list)
    raw: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "declared": self.declared,
            "allows_arbitrary_loads": self.arbitrary_loads,
            "allows_arbitrary_loads_in_web_content": self.arbitrary_loads_web,
            "allows_arbitrary_loads_for_media": self.arbitrary_loads_media,
            "allows_local_networking": self.local_networking,
            "exception_domains": [e.to_json() for e in self.exceptions],
        }


@dataclass(frozen=True, slots=True)
class BinaryString:
    file: str  # the Mach-O (or text file) inside the package
    text: str


@dataclass(frozen=True, slots=True)
class IosSdk:
    id: str
    name: dict[str, str]
    category: str
    frameworks: tuple[str, ...]
    bundles: tuple[str, ...]
    classes: tuple[str, ...]


@cache
def sdk_catalog() -> tuple[IosSdk, ...]:
    doc = json.loads(
        resources.files("mobsec.facts.ios").joinpath("data/ios_sdks.json").read_text("utf-8")
    )
    return tuple(
        IosSdk(
            s["id"],
            s["name"],
            s["category"],
            tuple(s["frameworks"]),
            tuple(s["bundles"]),
            tuple(s["classes"]),
        )
        for s in doc["sdks"]
    )


def read_ats(info: dict[str, Any]) -> Ats:
    raw = info.get("NSAppTransportSecurity")
    ats = Ats(declared=isinstance(raw, dict), raw=raw)
    if not isinstance(raw, dict):
        return ats
    ats.arbitrary_loads = raw.get("NSAllowsArbitraryLoads") is True
    ats.arbitrary_loads_web = raw.get("NSAllowsArbitraryLoadsInWebContent") is True
    ats.arbitrary_loads_media = raw.get("NSAllowsArbitraryLoadsForMedia") is True
    ats.local_networking = raw.get("NSAllowsLocalNetworking") is True
    domains = raw.get("NSExceptionDomains")
    if isinstance(domains, dict):
        for domain, cfg in list(domains.items())[:500]:
            if not isinstance(cfg, dict):
                continue
            insecure = any(
                cfg.get(k) is True
                for k in (
                    "NSExceptionAllowsInsecureHTTPLoads",
                    "NSTemporaryExceptionAllowsInsecureHTTPLoads",
                    "NSThirdPartyExceptionAllowsInsecureHTTPLoads",
                )
            )
            tls = next(
                (
                    cfg[k]
                    for k in (
                        "NSExceptionMinimumTLSVersion",
                        "NSTemporaryExceptionMinimumTLSVersion",
                        "NSThirdPartyExceptionMinimumTLSVersion",
                    )
                    if isinstance(cfg.get(k), str)
                ),
                None,
            )
            fs = not any(
                cfg.get(k) is False
                for k in (
                    "NSExceptionRequiresForwardSecrecy",
                    "NSTemporaryExceptionRequiresForwardSecrecy",
                    "NSThirdPartyExceptionRequiresForwardSecrecy",
                )
            )
            ats.exceptions.append(
                AtsException(
                    str(domain), cfg.get("NSIncludesSubdomains") is True, insecure, tls, fs
                )
            )
    return ats


class IosFacts:
    platform = PLATFORM

    def __init__(self, pkg: IpaPackage, diags: Diagnostics, options: ScanOptions) -> None:
        self.pkg = pkg
        self.diags = diags
        self.options = options
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, factory: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    # -- the main bundle's configuration ---------------------------------------------------

    @property
    def app(self) -> Bundle | None:
        return self.pkg.app

    @property
    def info(self) -> dict[str, Any]:
        return (self.app.info if self.app else None) or {}

    @property
    def info_path(self) -> str:
        return self.app.root + "Info.plist" if self.app else "Info.plist"

    @cached_property
    def ats(self) -> Ats:
        return read_ats(self.info)

    @cached_property
    def url_schemes(self) -> list[str]:
        out: list[str] = []
        types = self.info.get("CFBundleURLTypes")
        for t in types[:10_000] if isinstance(types, list) else []:
            schemes = t.get("CFBundleURLSchemes") if isinstance(t, dict) else None
            for s in schemes if isinstance(schemes, list) else []:
                if isinstance(s, str) and s not in out and len(out) < MAX_LISTED:
                    out.append(s[:200])
        return out

    @cached_property
    def queried_schemes(self) -> list[str]:
        v = self.info.get("LSApplicationQueriesSchemes")
        return (
            [s[:200] for s in v[:MAX_LISTED] if isinstance(s, str)] if isinstance(v, list) else []
        )

    @cached_property
    def usage_descriptions(self) -> dict[str, str]:
        """Permission purpose strings (``NS…UsageDescription``), key → text."""
        keys = [k for k in self.info if isinstance(k, str) and k.endswith("UsageDescription")]
        return {
            k[:200]: (v[:MAX_TEXT] if isinstance(v := self.info[k], str) else "")
            for k in keys[:MAX_LISTED]
        }

    @cached_property
    def background_modes(self) -> list[str]:
        v = self.info.get("UIBackgroundModes")
        return (
            [s[:200] for s in v[:MAX_LISTED] if isinstance(s, str)] if isinstance(v, list) else []
        )

    @property
    def entitlements(self) -> dict[str, Any]:
        return self.app.entitlements if self.app else {}

    # -- code --------------------------------------------------------------------------------

    @cached_property
    def binaries(self):
        return self.pkg.binaries

    @cached_property
    def strings(self) -> list[BinaryString]:
        """C strings of every readable (not encrypted) Mach-O, main executable first."""
        out: list[BinaryString] = []
        for _root, b in self.binaries:
            out.extend(BinaryString(b.path, s) for s in b.strings)
        return out

    @cached_property
    def urls(self) -> list[BinaryString]:
        out = []
        for s in self.strings:
            for m in _URL.finditer(s.text):
                out.append(BinaryString(s.file, m.group(0).rstrip(".,;)")))
        return out

    @cached_property
    def hosts(self) -> list[str]:
        seen: dict[str, None] = {}
        for u in self.urls:
            host = re.sub(r"^[a-z]+://", "", u.text, flags=re.I).split("/")[0].split("?")[0]
            host = host.rsplit("@", 1)[-1].split(":")[0].lower()
            if host and "%" not in host:
                seen.setdefault(host, None)
        return list(seen)

    def imports(self) -> set[str]:
        """Symbols the app's own executables import (main app and its extensions)."""
        return {n for b in self.pkg.bundles if b.binary for n in b.binary.imports()}

    def selectors(self) -> set[str]:
        return {s for b in self.pkg.bundles if b.binary for s in b.binary.selectors}

    def text_files(self) -> list[tuple[str, bytes]]:
        """Small text-like files of the bundle (configuration, web content), bounded."""

        def read() -> list[tuple[str, bytes]]:
            out = []
            for name in self.pkg.files:
                if len(out) >= MAX_TEXT_FILES:
                    break
                if not name.lower().endswith(TEXT_SUFFIXES):
                    continue
                entry = self.pkg.archive.get(name)
                if entry is None or entry.uncompressed_size > MAX_TEXT_FILE:
                    continue
                data = self.pkg.archive.read(entry, MAX_TEXT_FILE)
                if data:
                    out.append((name, data))
            return out

        return self.memo(("ios", "text files"), read)

    def nib_files(self) -> list[tuple[str, bytes]]:
        """Compiled interface files (``.nib``, also inside ``.storyboardc``), bounded."""

        def read() -> list[tuple[str, bytes]]:
            out = []
            for name in self.pkg.files:
                if len(out) >= MAX_NIB_FILES or not name.endswith(".nib"):
                    continue
                entry = self.pkg.archive.get(name)
                if entry is None or entry.uncompressed_size > MAX_NIB_FILE:
                    continue
                data = self.pkg.archive.read(entry, MAX_NIB_FILE)
                if data:
                    out.append((name, data))
            return out

        return self.memo(("ios", "nib files"), read)

    # -- SDKs ------------------------------------------------------------------------------

    @cached_property
    def sdks(self) -> list[dict[str, Any]]:
        frameworks: set[str] = set()
        for name in self.pkg.files:
            for part in name.split("/"):
                if part.endswith(".framework"):
                    frameworks.add(part[: -len(".framework")])
        for _root, b in self.binaries:
            for lib in (s for sl in b.slices for s in sl.libraries + sl.weak_libraries):
                if ".framework/" in lib:
                    frameworks.add(posixpath.basename(lib))
        bundle_dirs = {
            part[: -len(".bundle")]
            for n in self.pkg.files
            for part in n.split("/")
            if part.endswith(".bundle")
        }
        classes = {c for b in self.pkg.bundles if b.binary for c in b.binary.objc_classes}
        out = []
        for sdk in sdk_catalog():
            evidence = sorted(f"{f}.framework" for f in frameworks if f in sdk.frameworks)
            evidence += sorted(
                f"{d}.bundle" for d in bundle_dirs if any(d.startswith(p) for p in sdk.bundles)
            )
            evidence += sorted(
                c
                for c in classes
                if c in sdk.classes or any(len(p) >= 5 and c.startswith(p) for p in sdk.classes)
            )[:5]
            if evidence:
                out.append(
                    {
                        "id": sdk.id,
                        "name": sdk.name,
                        "category": sdk.category,
                        "evidence": evidence[:10],
                    }
                )
        return out

    # -- report sections -----------------------------------------------------------------

    def app_summary(self) -> dict[str, Any] | None:
        if self.app is None:
            return None
        info = self.info
        return {
            "bundle_id": self.app.bundle_id,
            "name": _s(info.get("CFBundleDisplayName")) or _s(info.get("CFBundleName")),
            "version": _s(info.get("CFBundleShortVersionString")),
            "build": _s(info.get("CFBundleVersion")),
            "min_os": _s(info.get("MinimumOSVersion")),
            "platform": _s(info.get("DTPlatformName")),
            "sdk": _s(info.get("DTSDKName")),
        }

    def ios_section(self) -> dict[str, Any]:
        """The report's ``ios`` section: Info.plist settings, entitlements, profile, bundles."""
        app = self.app
        return {
            "app_root": app.root if app else None,
            "info_plist": {
                "path": self.info_path,
                "format": app.info_format if app else None,
                "url_schemes": self.url_schemes,
                "queried_schemes": self.queried_schemes[:200],
                "usage_descriptions": self.usage_descriptions,
                "background_modes": self.background_modes,
                "device_family": to_json(self.info.get("UIDeviceFamily")),
                "required_capabilities": to_json(self.info.get("UIRequiredDeviceCapabilities")),
                "file_sharing": self.info.get("UIFileSharingEnabled") is True,
            },
            "ats": self.ats.to_json(),
            "entitlements": to_json(self.entitlements),
            "profile": app.profile.to_json() if app and app.profile else None,
            "bundles": [b.to_json() for b in self.pkg.bundles],
            "binaries": [b.to_json() for _root, b in self.binaries],
            "hosts": self.hosts[:500],
            "nested_in": self.pkg.outer,
        }


def _s(v: Any) -> str | None:
    return v[:200] if isinstance(v, str) else None
