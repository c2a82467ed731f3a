"""The Report: one versioned JSON document per scan; every other output is rendered from it.

The model is deliberately plain: sections produced by ingest and facts arrive as JSON-ready
dicts from their own ``to_json`` methods, and this module owns only what is the Report's own
(package identity, findings, timings, diagnostics, summary). The JSON Schema in
``report/schema/report.schema.json`` is the contract; tests validate every report against it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mobsec.diagnostics import Diagnostic
from mobsec.version import REPORT_SCHEMA_VERSION, __version__


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = [s.value for s in Severity]


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing text in both working languages."""

    en: str
    zh: str

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "zh-CN": self.zh}


@dataclass(slots=True)
class Location:
    """Where a finding is, precise enough to verify without the tool."""

    file: str  # path inside the package, e.g. "classes3.dex" or "AndroidManifest.xml"
    class_name: str | None = None  # Java name, e.g. "com.example.Login"
    method: str | None = None  # "name(Ljava/lang/String;)V"
    offset: int | None = None  # bytecode offset in code units, as dexdump prints it
    # XML: line in the decoded document. Code: source line from the DEX debug info, if any.
    line: int | None = None
    source_file: str | None = None  # code: the class's SourceFile attribute ("Login.java")

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "class": self.class_name,
            "method": self.method,
            "offset": self.offset,
            "line": self.line,
            "source_file": self.source_file,
        }


@dataclass(slots=True)
class Owner:
    kind: str  # "app" | "sdk" | "unknown-third-party" | "framework"
    sdk_id: str | None = None
    sdk_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sdk_id": self.sdk_id, "sdk_name": self.sdk_name}


@dataclass(slots=True)
class Finding:
    check_id: str
    title: Text
    severity: Severity
    confidence: Confidence
    location: Location
    evidence: str  # short disassembly or manifest excerpt
    owner: Owner = field(default_factory=lambda: Owner("app"))
    # What this occurrence is about, e.g. 'Cipher.getInstance("AES/ECB/PKCS5Padding")'.
    message: Text | None = None
    description: Text | None = None
    remediation: Text | None = None
    cwe: list[int] = field(default_factory=list)
    masvs: list[str] = field(default_factory=list)
    owasp_mobile_2024: list[str] = field(default_factory=list)
    standards: dict[str, list[str]] = field(default_factory=dict)  # e.g. {"GB/T 34975": [...]}
    fingerprint_parts: tuple[str, ...] = ()  # stable across rebuilds: ids and names, no offsets
    # Code findings: "reachable", "unreachable" (no entry point reaches the method),
    # "test-code" (test framework shipped in the APK) or "unknown" (entry points not found).
    reachability: str | None = None
    protection: str | None = None  # kind, when the finding is a protection (report.protections)
    # Fingerprints this finding had before (a merge or a move): baselines match them too.
    fingerprint_aliases: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        basis = "\x1f".join((self.check_id, *self.fingerprint_parts))
        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "title": self.title.to_json(),
            "message": self.message.to_json() if self.message else None,
            "description": self.description.to_json() if self.description else None,
            "remediation": self.remediation.to_json() if self.remediation else None,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "cwe": self.cwe,
            "masvs": self.masvs,
            "owasp_mobile_2024": self.owasp_mobile_2024,
            "standards": self.standards,
            "location": self.location.to_json(),
            "evidence": self.evidence,
            "owner": self.owner.to_json(),
            "fingerprint": self.fingerprint,
            "fingerprint_aliases": self.fingerprint_aliases,
            "reachability": self.reachability,
        }

    def protection_json(self) -> dict[str, Any]:
        """The finding as an entry of the report's protections section."""
        return {"kind": self.protection, **self.to_json()}


@dataclass(slots=True)
class PackageIdentity:
    file_name: str
    size: int
    md5: str
    sha1: str
    sha256: str
    format: str  # mobsec.ingest.detect.FORMATS: "apk", "aab", "ipa", "hap", ... or "unknown"
    platform: str | None = None  # "android" | "ios" | "harmony" | "miniprogram"

    def to_json(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "size": self.size,
            "format": self.format,
            "platform": self.platform,
            "hashes": {"md5": self.md5, "sha1": self.sha1, "sha256": self.sha256},
        }


@dataclass(slots=True)
class DetailSection:
    """One titled key/value table of platform facts (e.g. iOS "Info.plist", HarmonyOS
    "module.json"). Values are JSON: scalars, lists or small objects; renderers show them as
    they are, so put the facts a reviewer reads, not whole files."""

    id: str  # stable, e.g. "ios.info_plist"
    title: Text
    rows: list[tuple[str, Any]] = field(default_factory=list)  # (key as in the file, value)

    def add(self, key: str, value: Any) -> DetailSection:
        self.rows.append((key, value))
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.to_json(),
            "rows": [{"key": k, "value": v} for k, v in self.rows],
        }


@dataclass(slots=True)
class Report:
    package: PackageIdentity
    started_at: str
    finished_at: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    # Sections filled by ingest/facts; each is the JSON form its producer gives, or None when
    # that part of the package could not be read (the diagnostics then say why).
    app: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    signing: dict[str, Any] | None = None
    code: dict[str, Any] | None = None
    native_libraries: list[dict[str, Any]] = field(default_factory=list)
    nested_code: list[dict[str, Any]] = field(default_factory=list)
    sdks: list[dict[str, Any]] = field(default_factory=list)
    # URLs (by host) and e-mail addresses in the code, with whose code holds them
    # (mobsec.facts.endpoints).
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    # What the app is made of and talks to (mobsec.facts.inventory): libraries with versions,
    # native libraries, permissions, exported components, hosts, framework APIs called.
    inventory: dict[str, Any] | None = None
    # Personal-information compliance (mobsec.facts.privacy.assessment): None when the app
    # could not be assessed (no manifest) or the section was not computed.
    privacy: dict[str, Any] | None = None
    # Platform-specific facts with no common section (Info.plist/ATS, module.json, app.json,
    # the splits of a bundle...): shown by every renderer as key/value tables, in order.
    platform_details: list[DetailSection] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Code findings no entry point reaches, and findings in shipped test-framework code:
    # not open findings, kept for who asks (mobsec.checks.scope).
    unreachable_findings: list[Finding] = field(default_factory=list)
    # Defences the app has (root/debugger/emulator/tamper detection, obfuscation, packer,
    # certificate pinning): facts about the app, not weaknesses.
    protections: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)  # peak RSS (MiB) after each phase
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """False when some part of the package could not be read (an error diagnostic)."""
        return not any(d.level.value == "error" for d in self.diagnostics)

    def severity_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "mobsec", "version": __version__},
            "scan": {
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "options": self.options,
                "complete": self.complete,
            },
            "package": self.package.to_json(),
            "app": self.app,
            "manifest": self.manifest,
            "signing": self.signing,
            "code": self.code,
            "native_libraries": self.native_libraries,
            "nested_code": self.nested_code,
            "sdks": self.sdks,
            "endpoints": self.endpoints,
            "inventory": self.inventory,
            "privacy": self.privacy,
            "platform_details": [d.to_json() for d in self.platform_details],
            "findings": [f.to_json() for f in self.findings],
            "unreachable_findings": [f.to_json() for f in self.unreachable_findings],
            "protections": [f.protection_json() for f in self.protections],
            "summary": {
                "unreachable_findings": len(self.unreachable_findings),
                "findings_by_severity": self.severity_counts(),
                "errors": sum(1 for d in self.diagnostics if d.level.value == "error"),
                "warnings": sum(1 for d in self.diagnostics if d.level.value == "warning"),
            },
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "memory": self.memory,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }
