"""Stored facts: what rules need from one scanned package, kept so a rule-only re-scan runs
without reading the package again (issue 10, point 5).

A full scan with a facts directory writes ``<DIR>/<package sha256>.facts`` (format 4, the
container of :mod:`mobsec.rules.factsfile`; the code part in :mod:`mobsec.rules.codefacts`): the
records of :mod:`mobsec.rules.records` (permissions, SDK levels, application flags,
components, SDKs with versions, code strings with their first live instruction, native
libraries with their symbols, signing certificates, every invoked method with up to
MAX_SITES call sites and the supertypes of its class), plus the manifest excerpts and owners
findings cite. It names the engine build (:func:`mobsec.version.engine_build`): facts of
another build are not used, the package is scanned again instead. Files of formats 1-3
(``<sha256>.facts.json.gz``) are read only to name the reason for that full scan, which
replaces them.

Which constructs run on stored facts and which need a full scan is decided per rule
(:func:`full_scan_reason`): ``call`` with argument conditions (values from the data flow)
and ``native_string`` (every string of every native library) need the package.
Code findings on stored facts cite the instruction (class, method, offset) and what matched;
the disassembly window of a full scan is not stored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobsec.checks.context import MANIFEST_FILE, CheckContext, java_name
from mobsec.diagnostics import InputError
from mobsec.facts.manifest import manifest_excerpt
from mobsec.report.model import Finding, Location, Owner, Text

from . import codefacts, factsfile
from .records import LiveRecords, urls_in
from .schema import Cond, Rule

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

    from .loader import RulePack

FORMAT = "mobsec-stored-facts"
# 3: gzip JSON, string texts and their sites in two sections; 4: the container of
# factsfile.py, code facts as columns of numbers and interned names (codefacts.py).
FORMAT_VERSION = 4
SUFFIX = ".facts"
LEGACY_SUFFIX = ".facts.json.gz"  # formats 1-3: read only to say why a full scan is needed
MAX_FILE_BYTES = 256 << 20  # a stored file bigger than this (unpacked) is not trusted


class NeedsFullScan(Exception):
    """The stored facts cannot answer: the caller scans the package."""


class StoredFactsError(InputError):
    """A stored facts file that is there but cannot be used (damaged, truncated, not ours):
    an error naming it, not a silent full scan, so a storage fault is seen. Missing facts,
    another engine build or another format version fall back to a full scan instead."""

    def __init__(self, path: Path, en: str, zh: str) -> None:
        super().__init__(
            "stored_facts.unreadable",
            str(path),
            f"stored facts file cannot be used: {en} (delete it and the package is scanned in full)",
            f"已存储的事实数据文件无法使用:{zh}(删除该文件即可重新完整检测)",
        )


# Header fields and their JSON types: a file missing one is damaged, not old.
HEADER: dict[str, tuple[type, ...]] = {
    "permissions": (list,),
    "sdk_levels": (dict, type(None)),
    "application": (dict, type(None)),
    "components": (list,),
    "owners": (dict,),
    "manifest_evidence": (dict,),
    "sdks": (dict,),
    "natives": (list,),
    "certificates": (list,),
    "dexes": (list,),
    "code_owners": (list,),
}


def facts_path(facts_dir: Path, sha256: str) -> Path:
    return facts_dir / f"{sha256}{SUFFIX}"


def legacy_path(facts_dir: Path, sha256: str) -> Path:
    return facts_dir / f"{sha256}{LEGACY_SUFFIX}"


# ---------------------------------------------------------------------------------- writing


def snapshot(facts: AppFacts, sha256: str) -> dict[str, Any]:
    """The stored facts of one scanned Android package: the header fields and, under
    ``"sections"``, the code sections as bytes."""
    from mobsec.version import engine_build

    live = LiveRecords(facts)
    sections, code_owners = codefacts.build(facts)
    lines = {line for _, line in live.permissions}
    lines |= {c["line"] for c in live.components} | {
        f["line"] for c in live.components for f in c["filters"]
    }
    for section in (live.sdk_levels, live.application):
        if section:
            lines.add(section["line"])
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "engine": engine_build(),
        "package_sha256": sha256,
        "permissions": live.permissions,
        "sdk_levels": live.sdk_levels,
        "application": live.application,
        "components": live.components,
        "owners": {c["name"]: _owner(facts, c["name"]) for c in live.components},
        "manifest_evidence": _excerpts(facts, lines),
        "sdks": live.sdks,
        "natives": live.natives,
        "certificates": live.certificates,
        "dexes": [d.name for d in facts.code.dexes],
        "code_owners": code_owners,
        "sections": sections,
    }


def _owner(facts: AppFacts, java: str) -> list[Any]:
    o = facts.owners.owner_of("L" + java.replace(".", "/") + ";")
    return [o.kind, o.sdk.id if o.sdk else None, o.sdk.name.get("en") if o.sdk else None]


def _excerpts(facts: AppFacts, lines: set[int | None]) -> dict[str, str]:
    root = facts.pkg.manifest_xml
    if root is None:
        return {}
    out = {}
    for el in root.iter():
        if el.line in lines and str(el.line) not in out:
            out[str(el.line)] = manifest_excerpt(el, facts.pkg.resources)
    return out


class FactsTooLarge(Exception):
    """The facts are bigger than the bound: not stored (a re-scan then scans in full)."""

    def __init__(self, size: int, bound: int, what: tuple[str, str]) -> None:
        super().__init__(f"{size} bytes {what[0]}, over the bound of {bound}")
        self.zh = f"{what[1]} {size} 字节，超过上限 {bound}"


def save(facts_dir: Path, doc: dict[str, Any], max_bytes: int = MAX_FILE_BYTES) -> Path:
    """Write ``doc`` (a :func:`snapshot`); refuse what :func:`load` would refuse or
    ``max_bytes`` packed. A file of an older format for the same package is removed."""
    from mobsec.cli import write_atomically

    sections = doc["sections"]
    header = {k: v for k, v in doc.items() if k not in ("sections", "version")}
    unpacked = sum(map(len, sections.values()))
    if unpacked > MAX_FILE_BYTES:
        raise FactsTooLarge(unpacked, MAX_FILE_BYTES, ("uncompressed", "未压缩"))
    packed = factsfile.pack(FORMAT_VERSION, header, sections)
    if len(packed) > max_bytes:
        raise FactsTooLarge(len(packed), max_bytes, ("compressed", "压缩后"))
    os.makedirs(facts_dir, exist_ok=True)
    path = facts_path(facts_dir, doc["package_sha256"])
    write_atomically(path, packed)
    legacy_path(facts_dir, doc["package_sha256"]).unlink(missing_ok=True)
    return path


def load(facts_dir: Path, sha256: str) -> tuple[dict[str, Any] | None, str]:
    """(stored facts, "") or (None, why a full scan is needed: none stored, another engine
    build or format version). A file that is there but damaged raises
    :class:`StoredFactsError` naming it."""
    from mobsec.version import engine_build

    path = facts_path(facts_dir, sha256)
    data = _read(path)
    if data is None:
        return _legacy(legacy_path(facts_dir, sha256))
    version = factsfile.version_of(data)
    if version is None:
        raise StoredFactsError(path, "unreadable (not a stored facts file, or truncated)",
                               "无法读取(不是事实数据文件或已被截断)")  # fmt: skip
    if version != FORMAT_VERSION:
        return None, f"stored facts format {version}, this engine reads {FORMAT_VERSION}"
    try:
        box = factsfile.Container(data, MAX_FILE_BYTES)
    except factsfile.ContainerError as e:
        raise StoredFactsError(path, f"unreadable ({e})", f"无法读取({e})") from e
    doc = box.header
    if doc.get("format") != FORMAT:
        raise StoredFactsError(path, "not a stored facts file", "不是事实数据文件")
    if doc.get("engine") != engine_build():
        return None, f"stored by engine {doc.get('engine')}, this is {engine_build()}"
    if doc.get("package_sha256") != sha256:
        raise StoredFactsError(path, "stored facts of another package", "属于另一个安装包")
    bad = [k for k, kinds in HEADER.items() if not isinstance(doc.get(k), kinds)]
    bad += [k for k in codefacts.SECTIONS if k not in box.sections]
    if bad:
        raise StoredFactsError(
            path,
            f"sections missing or malformed: {', '.join(bad)}",
            f"缺少或损坏的部分:{', '.join(bad)}",
        )
    doc["version"] = version
    doc["code"] = codefacts.StoredCode(box, len(doc["dexes"]), len(doc["code_owners"]))
    return doc, ""


def _read(path: Path) -> bytes | None:
    """The file's bytes (bounded), None when there is none."""
    try:
        if path.is_symlink():
            raise StoredFactsError(path, "it is a symbolic link", "它是符号链接")
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoredFactsError(path, f"unreadable ({e})", f"无法读取({e})") from e
    if len(data) > MAX_FILE_BYTES:
        raise StoredFactsError(
            path, f"larger than {MAX_FILE_BYTES} bytes", f"超过 {MAX_FILE_BYTES} 字节"
        )
    return data


def _legacy(path: Path) -> tuple[None, str]:
    """A file of formats 1-3 (gzip JSON): never used, only named as the reason for a full
    scan (which writes this format and removes it); a damaged one is an error, as before."""
    data = _read(path)
    if data is None:
        return None, "no stored facts for this package"
    try:
        doc = json.loads(gzip.decompress(data))
    except (OSError, EOFError) as e:  # gzip.BadGzipFile, a CRC error, a truncated stream
        raise StoredFactsError(path, f"unreadable ({e})", f"无法读取({e})") from e
    except (ValueError, RecursionError) as e:
        raise StoredFactsError(path, "not JSON", "不是 JSON") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StoredFactsError(path, "not a stored facts file", "不是事实数据文件")
    return None, f"stored facts format {doc.get('version')}, this engine reads {FORMAT_VERSION}"


# ---------------------------------------------------------------------------------- reading


class StoredRecords:
    """The records of :class:`~mobsec.rules.records.LiveRecords`, from a stored file."""

    stored = True

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.code: codefacts.StoredCode = doc["code"]
        self.permissions = [tuple(p) for p in doc["permissions"]]
        self.sdk_levels = doc["sdk_levels"]
        self.application = doc["application"]
        self.components = doc["components"]
        self.sdks = doc["sdks"]
        self.natives = doc["natives"]
        self.certificates = doc["certificates"]

    @cached_property
    def strings(self) -> list[tuple[str, Any]]:
        """(text, its number): the number is the handle :meth:`site` looks up."""
        texts = self.code.string_texts
        return list(zip(texts, range(len(texts)), strict=True))

    @cached_property
    def urls(self) -> list[tuple[str, str, Any]]:
        return urls_in(self.strings)

    def site(self, handle: int) -> list[int]:
        return self.code.string_site(handle)

    def calls(self, class_desc: str, method: str, exact: bool) -> list[Any]:
        dexes = self.doc["dexes"]
        sites = self.code.calls(class_desc, method, exact)
        return sorted(sites, key=lambda s: (dexes[s[0]], s[1], s[2]))

    def native_strings(self, path: str) -> list[str]:
        raise NeedsFullScan("native_string")

    def arg_values(self, site: Any, position: int) -> list[Any]:
        raise NeedsFullScan("call arguments")


def full_scan_reason(cond: Cond) -> str | None:
    """Why a rule needs the package (None: it runs on stored facts)."""
    if cond.kind in ("all", "any"):
        return next((r for c in cond.arg if (r := full_scan_reason(c))), None)
    if cond.kind == "not":
        return full_scan_reason(cond.arg)
    if cond.kind == "call" and cond.arg["args"]:
        return f"line {cond.line}: call arguments need the data flow of a full scan"
    if cond.kind == "native_string":
        return f"line {cond.line}: native_string needs the native libraries' strings"
    return None


def run_on_stored(rule: Rule, doc: dict[str, Any], records: StoredRecords) -> list[Finding]:
    """The rule's findings on stored facts, shaped as a full scan's."""
    from .evaluator import Place, evaluate

    ctx = CheckContext(None, rule.meta)  # type: ignore[arg-type]  # builders need no facts
    matched, places = evaluate(rule.match, ctx, records)
    if not matched:
        return []
    if not places:
        places = [Place("package", _PACKAGE_TEXT, "")]
    out, seen = [], set()
    for p in places:
        ident = (p.kind, p.key, p.line, p.path, str(p.site))
        if ident not in seen:
            seen.add(ident)
            out.append(_finding(ctx, doc, records, p))
    return out


def _finding(ctx: CheckContext, doc: dict[str, Any], records: StoredRecords, p: Any) -> Finding:
    if p.kind == "code":
        d, _, offset, row = p.site
        cls, method, source, owner_no = records.code.method(row)
        owner = doc["code_owners"][owner_no]
        location = Location(
            file=doc["dexes"][d],
            class_name=java_name(cls),
            method=method,
            offset=offset,
            source_file=source,
        )
        evidence = f"{java_name(cls)}.{method} @{offset}: {p.message.en}"
        return ctx.finding_at(location, evidence, Owner(*owner), (cls, method, p.key), p.message)
    if p.kind == "manifest":
        owner = Owner(*doc["owners"][p.owner_class]) if p.owner_class else Owner("app")
        evidence = doc["manifest_evidence"].get(str(p.line), "")
        location = Location(file=MANIFEST_FILE, line=p.line)
        return ctx.finding_at(location, evidence, owner, (MANIFEST_FILE, p.key, ""), p.message)
    return ctx.file_finding(
        p.path, evidence=p.evidence, message=p.message, key=p.key, owner=p.owner or Owner("app")
    )


_PACKAGE_TEXT = Text("The app matches the rule", "应用符合该规则的条件")


# ----------------------------------------------------------------------------- re-scanning


def rules_only(
    path: Path, packs: tuple[RulePack, ...], facts_dir: Path, threads: int = 0
) -> dict[str, Any]:
    """The rules' findings on ``path``: from stored facts when they are there, of this
    engine and every rule can run on them; otherwise by a full scan (which stores facts)."""
    from mobsec.version import engine_build

    t0 = time.perf_counter()
    try:
        with path.open("rb") as f:
            sha = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as e:
        raise InputError(
            "input.unreadable", str(path), f"Cannot read file: {e}", f"无法读取文件:{e}"
        ) from e
    rules = [r for p in packs for r in p.rules]
    reason = next((f"{r.meta.id}: {w}" for r in rules if (w := full_scan_reason(r.match))), "")
    doc, errors = None, []
    if not reason:
        doc, reason = load(facts_dir, sha)
    if doc is not None:
        findings = _on_stored(rules, doc, facts_path(facts_dir, sha))
        mode, complete = "stored-facts", True
    else:
        from mobsec.engine import scan
        from mobsec.options import ScanOptions

        report = scan(path, ScanOptions(threads=threads, rule_packs=packs, facts_dir=facts_dir))
        ids = {r.meta.id for r in rules}
        found = [*report.findings, *report.unreachable_findings]
        findings = [f for f in found if f.check_id in ids]
        mode, complete = "full-scan", report.complete
        # What could not be read, so "no findings" of a broken package is never read as clean.
        errors = [d.to_json() for d in report.diagnostics if d.level.value == "error"]
    return {
        "format": "mobsec-rule-results",
        "version": 1,
        "engine": engine_build(),
        "package": {"file_name": path.name, "sha256": sha},
        "rule_packs": [{"id": p.id, "version": p.version} for p in packs],
        "mode": mode,
        "full_scan_reason": reason or None,
        "complete": complete,
        "errors": errors,
        "seconds": round(time.perf_counter() - t0, 4),
        "findings": [f.to_json() for f in findings],
    }


def _on_stored(rules: list[Rule], doc: dict[str, Any], path: Path) -> list[Finding]:
    records = StoredRecords(doc)
    try:
        return [f for r in rules for f in run_on_stored(r, doc, records)]
    except (KeyError, TypeError, ValueError, IndexError, RecursionError) as e:
        # Inside a section: a row of the wrong shape (the sections' types were checked).
        raise StoredFactsError(
            path,
            f"malformed content ({type(e).__name__}: {e})",
            f"内容损坏({type(e).__name__}:{e})",
        ) from e
