"""What a check gets: the app's facts, and builders that turn a place into a Finding.

The builders fill in everything a reviewer needs to verify a finding without the tool:
the file inside the package, class, method, bytecode offset and source line, a short
disassembly or manifest excerpt, and who owns the code (the app or which SDK). They also
make the fingerprint: ids and names only (never offsets), so it survives a rebuild.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mobsec.checks.registry import CheckMeta
from mobsec.diagnostics import FormatError
from mobsec.facts.manifest import manifest_excerpt
from mobsec.ingest.axml import XmlElement
from mobsec.ingest.dex import CodeSite, DexFile, MethodDef
from mobsec.ingest.dex.disasm import format_instruction
from mobsec.report.model import Confidence, Finding, Location, Owner, Severity, Text

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.ingest.jvm.todex import JvmOrigin

EVIDENCE_BEFORE = 3  # instructions shown before the one the finding is about
EVIDENCE_AFTER = 2
MANIFEST_FILE = "AndroidManifest.xml"


def java_name(descriptor: str) -> str:
    """'Lcom/example/A$B;' -> 'com.example.A$B' (arrays and primitives unchanged)."""
    if descriptor.startswith("L") and descriptor.endswith(";"):
        return descriptor[1:-1].replace("/", ".")
    return descriptor


class CheckContext:
    def __init__(self, facts: AppFacts, meta: CheckMeta) -> None:
        self.facts = facts
        self.meta = meta
        self._seen: Counter[tuple[str, ...]] = Counter()
        # Set by the runner once the check has as many findings as it may keep: those that
        # follow are only counted, so their evidence is not worth building.
        self.full = False

    # -- shortcuts checks use often ----------------------------------------------------------

    @property
    def manifest(self):
        return self.facts.manifest

    @property
    def code(self):
        return self.facts.code

    # -- finding builders ----------------------------------------------------------------------

    def code_finding(
        self,
        site: CodeSite,
        *,
        message: Text | None = None,
        key: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> Finding:
        """A finding at one instruction (a call site, a field access, a const-string...)."""
        return self.method_finding(
            site.dex,
            site.caller_idx,
            site.offset,
            message=message,
            key=key,
            severity=severity,
            confidence=confidence,
        )

    def method_finding(
        self,
        dex: DexFile,
        method_idx: int,
        offset: int | None,
        *,
        message: Text | None = None,
        key: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> Finding:
        origin = getattr(dex, "origins", None)
        if origin is not None and method_idx in origin:
            return self._class_file_finding(
                origin[method_idx], offset, message, key, severity, confidence
            )
        ref = dex.method_ref(method_idx)
        method = dex.method_by_idx(method_idx)
        found = self.code.find_class(ref.class_desc)
        source_file = found[1].source_file if found else None
        evidence = ""
        line = None
        if method is not None:
            if not self.full:
                evidence = disassembly_window(dex, method, offset)
            if offset is not None:
                line = source_line(dex, method, offset)
        location = Location(
            file=dex.name,
            class_name=java_name(ref.class_desc),
            method=f"{ref.name}{ref.proto}",
            offset=offset,
            line=line,
            source_file=source_file,
        )
        parts = (ref.class_desc, f"{ref.name}{ref.proto}", key)
        return self._finding(
            location, evidence, self.owner_of(ref.class_desc), parts, message, severity, confidence
        )

    def _class_file_finding(
        self,
        origin: JvmOrigin,
        offset: int | None,
        message: Text | None,
        key: str,
        severity: Severity | None,
        confidence: Confidence | None,
    ) -> Finding:
        """A finding in code translated from a class file (an SDK): the class file, the
        JVM bytecode offset, its source line and the JVM instructions around it."""
        cls, m = origin.cls, origin.method
        pc = origin.translated.jvm_pc(offset) if offset is not None else None
        evidence = ""
        if not self.full and cls.cp is not None:
            # class files come only from AAR/JAR code: an APK scan need not import the JVM reader
            from mobsec.ingest.jvm.disasm import window as jvm_window

            evidence = jvm_window(m.bytecode, cls.cp, pc)
        location = Location(
            file=origin.file,
            class_name=java_name(cls.name),
            method=f"{m.name}{m.desc}",
            offset=pc,
            line=m.line_at(pc) if pc is not None else None,
            source_file=cls.source_file,
        )
        parts = (cls.name, f"{m.name}{m.desc}", key)
        return self._finding(
            location, evidence, self.owner_of(cls.name), parts, message, severity, confidence
        )

    def manifest_finding(
        self,
        *,
        line: int | None,
        subject: str,
        message: Text | None = None,
        key: str = "",
        owner_class: str | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> Finding:
        """A finding about the manifest: ``subject`` names what it is about (a component,
        "application", a permission); ``owner_class`` (Java name) attributes it to an SDK
        when the component is one of its own."""
        element = self.manifest_element(line)
        evidence = (
            manifest_excerpt(element, self.facts.pkg.resources) if element and not self.full else ""
        )
        owner = (
            self.owner_of("L" + owner_class.replace(".", "/") + ";")
            if owner_class
            else Owner("app")
        )
        location = Location(file=MANIFEST_FILE, line=line)
        return self._finding(
            location, evidence, owner, (MANIFEST_FILE, subject, key), message, severity, confidence
        )

    def file_finding(
        self,
        path: str,
        *,
        evidence: str,
        message: Text | None = None,
        key: str = "",
        line: int | None = None,
        owner: Owner | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> Finding:
        """A finding about a file in the package (resource XML, asset, native library...)
        or about the package as a whole (``path`` "")."""
        location = Location(file=path, line=line)
        return self._finding(
            location, evidence, owner or Owner("app"), (path, key), message, severity, confidence
        )

    def finding_at(
        self,
        location: Location,
        evidence: str,
        owner: Owner,
        parts: tuple[str, ...],
        message: Text | None = None,
    ) -> Finding:
        """A finding whose place was resolved elsewhere (a rule on stored facts): the same
        metadata and fingerprint parts as the builders above give."""
        return self._finding(location, evidence, owner, parts, message, None, None)

    # -- helpers -----------------------------------------------------------------------------

    def owner_of(self, class_descriptor: str) -> Owner:
        o = self.facts.owners.owner_of(class_descriptor)
        if o.sdk is not None:
            return Owner(o.kind, o.sdk.id, o.sdk.name.get("en"))
        return Owner(o.kind)

    def manifest_element(self, line: int | None) -> XmlElement | None:
        root = self.facts.pkg.manifest_xml
        if root is None or line is None:
            return None
        return self.facts.memo(("context", "manifest lines"), lambda: _by_line(root)).get(line)

    def _finding(
        self,
        location: Location,
        evidence: str,
        owner: Owner,
        parts: tuple[str, ...],
        message: Text | None,
        severity: Severity | None,
        confidence: Confidence | None,
    ) -> Finding:
        # The same check may fire several times at one place for one key (two identical
        # calls in a method): an ordinal keeps their fingerprints apart, in code order.
        ordinal = self._seen[parts]
        self._seen[parts] += 1
        if ordinal:
            parts = (*parts, str(ordinal))
        m = self.meta
        return Finding(
            check_id=m.id,
            title=m.title,
            severity=severity or m.severity,
            confidence=confidence or m.confidence,
            location=location,
            evidence=evidence,
            owner=owner,
            message=message,
            description=m.description,
            remediation=m.remediation,
            cwe=list(m.cwe),
            masvs=list(m.masvs),
            owasp_mobile_2024=list(m.owasp_mobile_2024),
            standards={
                "GB/T 34975": list(m.gbt_34975),
                **{k: list(v) for k, v in m.standards.items()},
            },
            fingerprint_parts=parts,
        )


def disassembly_window(dex: DexFile, method: MethodDef, offset: int | None) -> str:
    """A few instructions around ``offset``, the one at ``offset`` marked with '>'."""
    try:
        insns = list(dex.iter_instructions(method))
    except FormatError:  # broken code: the finding stands without an excerpt
        return ""
    if not insns:
        return ""
    if offset is None:
        chosen, at = insns[: EVIDENCE_BEFORE + EVIDENCE_AFTER + 1], -1
    else:
        at = next((i for i, insn in enumerate(insns) if insn.offset == offset), -1)
        if at < 0:
            return ""
        chosen = insns[max(0, at - EVIDENCE_BEFORE) : at + EVIDENCE_AFTER + 1]
    lines = []
    for insn in chosen:
        mark = ">" if offset is not None and insn.offset == offset else " "
        lines.append(f"{mark} {format_instruction(insn)}")
    return "\n".join(lines)


def source_line(dex: DexFile, method: MethodDef, offset: int) -> int | None:
    """Source line of the instruction from the DEX debug info, when the app kept it."""
    table = dex.line_table(method)
    return table.line_at(offset) if table is not None else None


def _by_line(root: XmlElement) -> dict[int, XmlElement]:
    """Line -> first element on it, built once per app (findings ask per component)."""
    out: dict[int, XmlElement] = {}
    for el in root.iter():
        out.setdefault(el.line, el)
    return out
