"""Can this method reject? The question behind "a TrustManager that trusts everything".

``checkServerTrusted`` says no to a certificate only by throwing. A body that has no
``throw`` and calls nothing that can throw a rejection (only logging, string building,
null checks, certificate getters) accepts every chain; so does one whose rejecting calls
(a delegate TrustManager, ``verify``) sit in a try block whose handler catches the
exception and drops it. Calls into the app's own code are followed (a few levels, bounded)
and judged the same way; any call we cannot see into counts as one that may reject, so
the analysis errs towards silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.checks.network._hierarchy import find_method
from mobsec.diagnostics import FormatError
from mobsec.ingest.dex import DexFile, DexSet, MethodDef, MethodRef
from mobsec.ingest.dex.code import CodeItem

THROW = 0x27
INVOKES = frozenset(range(0x6E, 0x73)) | frozenset(range(0x74, 0x79)) | {0xFA, 0xFB, 0xFC, 0xFD}
MAX_DEPTH = 3  # calls into the app's own helpers followed this deep
MAX_METHODS = 64  # methods examined per question
MAX_CODE_UNITS = 10_000  # bigger bodies are assumed to reject (no finding)

# Exception types whose handler swallows a rejection (CertificateException and its parents).
SWALLOWING = frozenset(
    {
        None,  # catch-all
        "Ljava/lang/Throwable;",
        "Ljava/lang/Exception;",
        "Ljava/security/GeneralSecurityException;",
        "Ljava/security/cert/CertificateException;",
    }
)
# Callees that cannot reject a certificate (they may throw, but not as a decision about it).
HARMLESS_CLASSES = frozenset(
    {
        "Ljava/lang/StringBuilder;",
        "Ljava/lang/StringBuffer;",
        "Ljava/lang/String;",
        "Landroid/util/Log;",
        "Ljava/io/PrintStream;",
        "Ljava/util/Arrays;",
        "Ljava/lang/Integer;",
        "Ljava/lang/Long;",
        "Ljava/lang/Boolean;",
        "Ljava/lang/Object;",
        "Lkotlin/jvm/internal/Intrinsics;",  # parameter null checks
        "Ljava/lang/System;",
        "Ljava/util/Date;",
        "Ljava/security/Principal;",
        "Ljavax/security/auth/x500/X500Principal;",
    }
)
CERTIFICATE_CLASSES = ("Ljava/security/cert/X509Certificate;", "Ljava/security/cert/Certificate;")
HARMLESS_NAMES = frozenset({"printStackTrace", "getMessage", "toString", "hashCode", "equals"})
# Checks that reject only an expired or not-yet-valid certificate, not a forged one.
VALIDITY_ONLY = frozenset({"checkValidity"})


@dataclass(slots=True)
class Verdict:
    rejects: bool
    reason: str = ""  # why it rejects, or "" when it accepts everything
    swallowed: list[str] = field(default_factory=list)  # rejecting calls whose error is dropped
    validity_only: bool = False  # calls checkValidity and nothing stronger


def can_reject(code: DexSet, dex: DexFile, method: MethodDef) -> Verdict:
    """Whether ``method`` can throw to reject (see module doc); errs towards True."""
    return _Analysis(code).run(dex, method, 0)


class _Analysis:
    def __init__(self, code: DexSet) -> None:
        self.code = code
        self.examined = 0
        self.memo: dict[tuple[int, int], Verdict] = {}

    def run(self, dex: DexFile, method: MethodDef, depth: int) -> Verdict:
        key = (id(dex), method.record)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = Verdict(True, "recursive call")  # cycles: assume it may reject
        verdict = self._run(dex, method, depth)
        self.memo[key] = verdict
        return verdict

    def _run(self, dex: DexFile, method: MethodDef, depth: int) -> Verdict:
        self.examined += 1
        if self.examined > MAX_METHODS:
            return Verdict(True, "too many methods to follow")
        try:
            item = dex.code_item(method)
            if item is None:
                return Verdict(True, "no code (abstract or native)")
            if item.insns_size > MAX_CODE_UNITS:
                return Verdict(True, "method too large to analyse")
            insns = list(dex.iter_instructions(method))
        except FormatError:
            return Verdict(True, "code cannot be decoded")
        verdict = Verdict(False)
        for insn in insns:
            if insn.opcode == THROW:
                return Verdict(True, "throws")
            if insn.opcode not in INVOKES or insn.index is None:
                continue
            if insn.opcode in (0xFA, 0xFB, 0xFC, 0xFD):
                return Verdict(True, "invoke-custom/polymorphic")
            callee = dex.method_ref(insn.index)
            if _harmless(callee):
                continue
            if callee.name in VALIDITY_ONLY and callee.class_desc in CERTIFICATE_CLASSES:
                verdict.validity_only = True
                continue
            if self._app_callee_accepts(callee, depth):
                continue
            if _swallowed(item, insn.offset):
                verdict.swallowed.append(f"{callee.class_desc}->{callee.name}")
                continue
            return Verdict(True, f"calls {callee.class_desc}->{callee.name}")
        return verdict

    def _app_callee_accepts(self, callee: MethodRef, depth: int) -> bool:
        if depth >= MAX_DEPTH:
            return False
        found = find_method(self.code, callee.class_desc, callee.name, callee.proto)
        if found is None:
            return False
        sub = self.run(found[0], found[1], depth + 1)
        return not sub.rejects and not sub.swallowed


def _harmless(callee: MethodRef) -> bool:
    if callee.class_desc in HARMLESS_CLASSES or callee.name in HARMLESS_NAMES:
        return True
    return callee.class_desc in CERTIFICATE_CLASSES and callee.name.startswith("get")


def _swallowed(item: CodeItem, pc: int) -> bool:
    """True if a handler of a try block covering ``pc`` catches a rejection."""
    for t in item.tries:
        if t.start_addr <= pc < t.start_addr + t.insn_count and any(
            h.type_desc in SWALLOWING for h in t.handlers
        ):
            return True
    return False
