"""Stored facts: what rules need from one scanned package, kept so a rule-only re-scan runs
without reading the package again (issue 10, point 5).

A full scan with a facts directory writes ``<DIR>/<package sha256>.facts.json.gz``: the
records of :mod:`mobsec.rules.records` (permissions, SDK levels, application flags,
components, SDKs with versions, code strings with their first live instruction, native
libraries with their symbols, signing certificates, every invoked method with up to
MAX_SITES call sites and the supertypes of its class), plus the manifest excerpts and owners
findings cite. It names the engine build (:func:`mobsec.version.engine_build`): facts of
another build are not used, the package is scanned again instead.

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
from mobsec.ingest.dex.index import INVOKES
from mobsec.report.model import Finding, Location, Owner, Text

from .records import LiveRecords, urls_in
from .schema import Cond, Rule

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

    from .loader import RulePack

FORMAT = "mobsec-stored-facts"
FORMAT_VERSION = 3  # 3: string texts and their sites in two sections
SITE_FIELDS = 4  # a stored site: dex no, caller idx, offset, method row (_MethodTable)
MAX_SITES = 50  # per invoked method: a rule leaf keeps at most 50 places anyway
MAX_FILE_BYTES = 256 << 20  # a stored file bigger than this (uncompressed) is not trusted


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


# Top-level sections and their JSON types: a file missing one is damaged, not old.
SECTIONS: dict[str, tuple[type, ...]] = {
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
    "string_texts": (str,),
    "string_sites": (str,),
    "invokes": (str,),
    "ancestors": (str,),
    "methods": (str,),
}


def facts_path(facts_dir: Path, sha256: str) -> Path:
    return facts_dir / f"{sha256}.facts.json.gz"


# ---------------------------------------------------------------------------------- writing


def snapshot(facts: AppFacts, sha256: str) -> dict[str, Any]:
    """The stored facts of one scanned Android package."""
    from mobsec.version import engine_build

    live = LiveRecords(facts)
    table = _MethodTable(facts)
    invokes, ancestors = _invokes(facts, table)
    texts, sites = [], []
    for text, handle in live.strings:
        site = live.site(handle)
        if site is not None:
            texts.append(text)
            sites += table.site(site)
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
        # Big sections as embedded JSON text: reading the file parses them only when a rule
        # asks (a pack of manifest rules never builds the call-site lists).
        # Texts apart from their sites: a rule reads every text, and only its hits' sites.
        "string_texts": _text(texts),
        "string_sites": _text(sites),  # SITE_FIELDS numbers per text
        "invokes": _text(invokes),
        "ancestors": _text(ancestors),
        "methods": _text(table.rows),
    }


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _MethodTable:
    """Callers interned once: a site is [dex no, caller idx, offset, method row]."""

    def __init__(self, facts: AppFacts) -> None:
        self.facts = facts
        self.dex_no = {id(d): i for i, d in enumerate(facts.code.dexes)}
        self.index: dict[tuple[int, int], int] = {}
        self.rows: list[list[Any]] = []

    def site(self, site: Any) -> list[int]:
        d = self.dex_no[id(site.dex)]
        row = self.row(site.dex, d, site.caller_idx)
        return [d, site.caller_idx, site.offset, row]

    def row(self, dex: Any, d: int, caller_idx: int) -> int:
        """The caller's row, made on its first site; -1 for a caller in dead code (its class
        lost to an earlier definition of the same name, as ``DexSet.sites_of`` skips)."""
        key = (d, caller_idx)
        row = self.index.get(key)
        if row is None:
            ref = dex.method_ref(caller_idx)
            found = self.facts.code.find_class(ref.class_desc)
            if found is not None and found[0] is not dex:
                row = self.index[key] = -1
                return row
            source = found[1].source_file if found else None
            o = self.facts.owners.owner_of(ref.class_desc)
            owner = [o.kind, o.sdk.id if o.sdk else None, o.sdk.name.get("en") if o.sdk else None]
            row = self.index[key] = len(self.rows)
            self.rows.append([ref.class_desc, f"{ref.name}{ref.proto}", source, owner])
        return row


def _invokes(facts: AppFacts, table: _MethodTable) -> tuple[list[list[Any]], dict[str, list]]:
    """[class desc, method name, sites] per invoked method ref, and the supertypes of each
    invoked class (once per class)."""
    code, hierarchy = facts.code, facts.hierarchy
    merged: dict[tuple[str, str], list[list[int]]] = {}
    for d, dex in enumerate(code.dexes):
        pools, rows = dex.pools, {}  # this dex's caller idx -> method row
        for idx in dex.refs.referenced_targets(INVOKES):
            key = (pools.type_desc(pools.method_class_idx(idx)), pools.method_name(idx))
            sites = merged.setdefault(key, [])
            if len(sites) >= MAX_SITES:
                continue
            # Rows straight from the index: no CodeSite per call (76k on InsecureBankv2).
            for r in dex.refs.refs_to(INVOKES, idx):
                row = rows.get(r.caller)
                if row is None:
                    row = rows[r.caller] = table.row(dex, d, r.caller)
                if row >= 0:
                    sites.append([d, r.caller, r.offset, row])
                    if len(sites) >= MAX_SITES:
                        break
    out, ancestors = [], {}
    for (cls, name), sites in merged.items():
        if sites:
            if cls not in ancestors:
                above = hierarchy.ancestors(cls) - {cls} if cls[:1] == "L" else set()
                ancestors[cls] = sorted(above)
            out.append([cls, name, sites])
    return out, {k: v for k, v in ancestors.items() if v}


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
    """Write ``doc`` (gzip); refuse what :func:`load` would refuse or ``max_bytes`` packed."""
    from mobsec.cli import write_atomically

    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise FactsTooLarge(len(data), MAX_FILE_BYTES, ("uncompressed", "未压缩"))
    # Level 3: ~2.5x faster than 6 for ~15 % more bytes (1.31 vs 1.12 MB, InsecureBankv2).
    packed = gzip.compress(data, compresslevel=3)
    if len(packed) > max_bytes:
        raise FactsTooLarge(len(packed), max_bytes, ("compressed", "压缩后"))
    os.makedirs(facts_dir, exist_ok=True)
    path = facts_path(facts_dir, doc["package_sha256"])
    write_atomically(path, packed)
    return path


def load(facts_dir: Path, sha256: str) -> tuple[dict[str, Any] | None, str]:
    """(stored facts, "") or (None, why a full scan is needed: none stored, another engine
    build or format version). A file that is there but damaged raises
    :class:`StoredFactsError` naming it."""
    from mobsec.version import engine_build

    path = facts_path(facts_dir, sha256)
    try:
        if path.is_symlink():
            raise StoredFactsError(path, "it is a symbolic link", "它是符号链接")
        with gzip.open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None, "no stored facts for this package"
    except (OSError, EOFError) as e:  # gzip.BadGzipFile, a CRC error, a truncated stream
        raise StoredFactsError(path, f"unreadable ({e})", f"无法读取({e})") from e
    if len(data) > MAX_FILE_BYTES:
        raise StoredFactsError(
            path, f"larger than {MAX_FILE_BYTES} bytes", f"超过 {MAX_FILE_BYTES} 字节"
        )
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as e:
        raise StoredFactsError(path, "not JSON", "不是 JSON") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StoredFactsError(path, "not a stored facts file", "不是事实数据文件")
    if doc.get("version") != FORMAT_VERSION:
        return None, f"stored facts format {doc.get('version')}, this engine reads {FORMAT_VERSION}"
    if doc.get("engine") != engine_build():
        return None, f"stored by engine {doc.get('engine')}, this is {engine_build()}"
    if doc.get("package_sha256") != sha256:
        raise StoredFactsError(path, "stored facts of another package", "属于另一个安装包")
    bad = [k for k, kinds in SECTIONS.items() if not isinstance(doc.get(k), kinds)]
    if bad:
        raise StoredFactsError(
            path,
            f"sections missing or malformed: {', '.join(bad)}",
            f"缺少或损坏的部分:{', '.join(bad)}",
        )
    return doc, ""


# ---------------------------------------------------------------------------------- reading


class StoredRecords:
    """The records of :class:`~mobsec.rules.records.LiveRecords`, from a stored file."""

    stored = True

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
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
        texts = json.loads(self.doc["string_texts"])
        return list(zip(texts, range(len(texts)), strict=True))

    @cached_property
    def _string_sites(self) -> list[int]:
        return json.loads(self.doc["string_sites"])  # type: ignore[no-any-return]

    @cached_property
    def urls(self) -> list[tuple[str, str, Any]]:
        return urls_in(self.strings)

    @cached_property
    def methods(self) -> list[list[Any]]:
        return json.loads(self.doc["methods"])  # type: ignore[no-any-return]

    @cached_property
    def _invokes(self) -> dict[str, list[list[Any]]]:
        by_name: dict[str, list[list[Any]]] = {}
        for entry in json.loads(self.doc["invokes"]):
            by_name.setdefault(entry[1], []).append(entry)
        return by_name

    @cached_property
    def _ancestors(self) -> dict[str, list[str]]:
        return json.loads(self.doc["ancestors"])  # type: ignore[no-any-return]

    def site(self, handle: int) -> list[int]:
        return self._string_sites[handle * SITE_FIELDS : (handle + 1) * SITE_FIELDS]

    def calls(self, class_desc: str, method: str, exact: bool) -> list[Any]:
        exact = exact or method == "<init>"
        sites = [
            s
            for cls, _, found in self._invokes.get(method, [])
            if cls == class_desc or (not exact and class_desc in self._ancestors.get(cls, ()))
            for s in found
        ]
        dexes = self.doc["dexes"]
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
        cls, method, source, owner = records.methods[row]
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
