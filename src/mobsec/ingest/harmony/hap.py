"""Read a HarmonyOS package: one ``.hap`` module, or an ``.app`` pack of them.

A HAP is a ZIP with ``module.json`` (stage model) or ``config.json`` (FA model), Ark
bytecode under ``ets/`` (``modules.abc``), native code under ``libs/<abi>/``, resources,
and a ``<hap sign block>`` before the central directory. An ``.app`` is a ZIP of HAPs plus
``pack.info``, signed the same way; its HAPs are opened from memory one level deep only (a
HAP inside a HAP inside an APP is listed, never opened).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.elf import NativeLibrary, analyze_elf, elf_strings
from mobsec.ingest.harmony.abc import AbcFile, read_abc
from mobsec.ingest.harmony.module_config import (
    ModuleConfig,
    load_json,
    parse_config_json,
    parse_module_json,
)
from mobsec.ingest.harmony.sign_block import HapSigning, read_sign_block
from mobsec.ingest.harmony.sign_verify import verify_sign_block
from mobsec.limits import Limits

NATIVE_LIB = re.compile(r"^libs/([^/]+)/[^/]+\.so(\.\d+)*$")
ABC = re.compile(r"^(ets/)?.*\.abc$")
PROFILE_DIR = "resources/base/profile/"
MAX_HAPS = 64  # modules in one .app pack
MAX_SIGN_BLOCK = 64 << 20  # bytes before the central directory searched for the block
MAX_ABC_FILES = 16
MAX_PROFILE_SIZE = 256 * 1024
TEXT_SUFFIXES = (".json", ".js", ".ts", ".ets", ".txt", ".properties", ".xml")
MAX_TEXT_FILE = 512 * 1024
MAX_TEXT_FILES = 200
MAX_NATIVE_STRINGS = 20_000  # per library


@dataclass(slots=True)
class HapModule:
    path: str  # inside the .app ("entry-default.hap"), or "" for the scanned HAP itself
    config: ModuleConfig | None
    signing: HapSigning
    abc_files: list[AbcFile] = field(default_factory=list)
    native_libraries: list[NativeLibrary] = field(default_factory=list)
    entries: int = 0
    # small text files (resources, raw files, rawfile JSON...) for secret and URL search
    text_files: dict[str, str] = field(default_factory=dict)
    native_strings: dict[str, list[str]] = field(default_factory=dict)  # lib path -> strings

    def where(self, name: str) -> str:
        """The path of ``name`` as a finding shows it (``entry.hap!/module.json``)."""
        return f"{self.path}!/{name}" if self.path else name

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "config": self.config.to_json() if self.config else None,
            "signing": self.signing.to_json(),
            "abc_files": [a.to_json() for a in self.abc_files],
            "native_libraries": [self.where(n.path) for n in self.native_libraries],
            "entries": self.entries,
        }


@dataclass(slots=True)
class HarmonyPackage:
    format: str  # "hap" | "harmony-app"
    modules: list[HapModule]
    signing: HapSigning  # the scanned file's own signing block
    pack_info: dict[str, Any] | None = None

    @property
    def main(self) -> HapModule | None:
        """The entry module (the one whose config names the app), else the first."""
        for m in self.modules:
            if m.config and m.config.module_type == "entry":
                return m
        return self.modules[0] if self.modules else None

    @property
    def native_libraries(self) -> list[NativeLibrary]:
        return [lib for m in self.modules for lib in m.native_libraries]


def is_hap(archive: Archive) -> bool:
    return archive.get("module.json") is not None or archive.get("config.json") is not None


def is_harmony_app(archive: Archive) -> bool:
    names = archive.names()
    return "pack.info" in names and any(n.endswith(".hap") for n in names) and not is_hap(archive)


def read_harmony(archive: Archive, diags: Diagnostics, limits: Limits) -> HarmonyPackage:
    signing = _signing(archive, diags, "")
    if is_hap(archive):
        module = read_hap(archive, diags, limits, "", signing)
        return HarmonyPackage("hap", [module], signing, _pack_info(archive, diags, ""))
    pkg = HarmonyPackage("harmony-app", [], signing, _pack_info(archive, diags, ""))
    haps = [e for e in archive.entries if e.name.endswith(".hap") and not e.is_dir]
    if len(haps) > MAX_HAPS:
        diags.warning(
            "harmony.too_many_modules",
            "",
            f"{len(haps)} HAP modules in the pack; the first {MAX_HAPS} are read",
            f"APP 包中有 {len(haps)} 个 HAP 模块,只读取前 {MAX_HAPS} 个",
        )
    for entry in haps[:MAX_HAPS]:
        data = archive.read(entry)
        if data is None:
            continue
        try:
            inner = Archive.open(data, diags, limits, display_name=entry.name)
        except InputError as e:
            d = e.diagnostic
            diags.error(d.code, entry.name, d.en, d.zh, **d.detail)
            continue
        with inner:
            if not is_hap(inner):
                diags.warning(
                    "harmony.module_not_hap",
                    entry.name,
                    "Entry named .hap has neither module.json nor config.json",
                    "以 .hap 命名的条目既没有 module.json 也没有 config.json",
                )
                continue
            inner_signing = _signing(inner, diags, entry.name)
            pkg.modules.append(read_hap(inner, diags, limits, entry.name, inner_signing))
    if not pkg.modules:
        diags.error(
            "harmony.no_modules",
            "",
            "The APP pack holds no readable HAP module",
            "APP 包中没有可读取的 HAP 模块",
        )
    return pkg


def _signing(archive: Archive, diags: Diagnostics, where: str) -> HapSigning:
    start = max(0, archive.cd_offset - MAX_SIGN_BLOCK)
    try:
        view = archive.view(start, archive.cd_offset)
    except FormatError as e:
        diags.error(e.code, where, e.en, e.zh)
        return HapSigning(present=False)
    with view:
        signing = read_sign_block(view, archive.cd_offset - start, diags, where)  # no copy
    if signing.present and signing.block_size:
        with archive.view(0, archive.size) as whole:
            signing.verification = verify_sign_block(
                whole,
                archive.cd_offset - signing.block_size,
                archive.cd_offset,
                archive.eocd_offset,
                signing.signature_blob,
                signing.other_blobs,
                signing.profile_blob,
            )
    return signing


def _pack_info(archive: Archive, diags: Diagnostics, where: str) -> dict[str, Any] | None:
    data = archive.read("pack.info", max_bytes=1 << 20)
    if data is None:
        return None
    try:
        return load_json(data, "pack.info")
    except FormatError as e:
        diags.warning(e.code, where + "!/pack.info" if where else "pack.info", e.en, e.zh)
        return None


def read_hap(
    archive: Archive, diags: Diagnostics, limits: Limits, path: str, signing: HapSigning
) -> HapModule:
    module = HapModule(path=path, config=None, signing=signing, entries=len(archive.entries))
    module.config = _config(archive, diags, module)
    if module.config is not None:
        _subscribed_events(archive, diags, module)
    for entry in archive.entries:
        name = entry.name
        if archive.get(name) is not entry or entry.is_dir:
            continue
        m = NATIVE_LIB.match(name)
        if m:
            data = archive.read(entry)
            if data is not None:
                lib = analyze_elf(data, module.where(name), diags, limits)
                if lib is not None:
                    lib.abi = m.group(1)
                    module.native_libraries.append(lib)
                    # .rodata strings, for the secret and URL checks
                    module.native_strings[lib.path] = list(
                        elf_strings(data, min_len=8, limit=MAX_NATIVE_STRINGS)
                    )
        elif name.endswith(".abc") and len(module.abc_files) < MAX_ABC_FILES:
            data = archive.read(entry)
            if data is not None:
                try:
                    module.abc_files.append(read_abc(data, module.where(name)))
                except FormatError as e:
                    diags.error(e.code, module.where(name), e.en, e.zh, **e.detail)
        elif (
            name.endswith(TEXT_SUFFIXES)
            and len(module.text_files) < MAX_TEXT_FILES
            and entry.uncompressed_size <= MAX_TEXT_FILE
            and not name.endswith(".map")
        ):
            data = archive.read(entry, max_bytes=MAX_TEXT_FILE)
            if data is not None:
                module.text_files[name] = data.decode("utf-8", errors="replace")
    return module


def _config(archive: Archive, diags: Diagnostics, module: HapModule) -> ModuleConfig | None:
    for name, parse in (("module.json", parse_module_json), ("config.json", parse_config_json)):
        if archive.get(name) is None:
            continue
        data = archive.read(name)
        if data is None:
            return None
        try:
            return parse(data, module.where(name))
        except FormatError as e:
            diags.error(e.code, module.where(name), e.en, e.zh, **e.detail)
            return None
    diags.error(
        "hap.no_config",
        module.path,
        "The HAP has neither module.json nor config.json",
        "HAP 中既没有 module.json 也没有 config.json",
    )
    return None


def _subscribed_events(archive: Archive, diags: Diagnostics, module: HapModule) -> None:
    """Common events of static subscribers, from their ``$profile:`` metadata files."""
    assert module.config is not None
    for ability in module.config.abilities:
        if ability.type != "staticSubscriber":
            continue
        for ref in ability.metadata_resources:
            if not ref.startswith("$profile:"):
                continue
            name = PROFILE_DIR + ref.removeprefix("$profile:") + ".json"
            data = archive.read(name, max_bytes=MAX_PROFILE_SIZE)
            if data is None:
                continue
            try:
                doc = json.loads(data.decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                diags.warning(
                    "hap.profile_json",
                    module.where(name),
                    "Subscriber profile is not valid JSON",
                    "订阅者配置文件不是有效的 JSON",
                )
                continue
            events = doc.get("commonEvents") if isinstance(doc, dict) else None
            for item in events if isinstance(events, list) else []:
                if isinstance(item, dict) and isinstance(item.get("events"), list):
                    ability.subscribed_events += [e for e in item["events"] if isinstance(e, str)]
