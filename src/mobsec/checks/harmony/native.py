"""Native libraries (libs/<abi>/*.so) of HarmonyOS modules: exploit mitigations."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.harmony._common import facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "harmony.native.weak-hardening",
    title=("Native library without standard exploit mitigations", "原生库缺少标准漏洞缓解措施"),
    description=(
        "A native library of the HAP lacks a mitigation the OpenHarmony NDK applies by "
        "default: a non-executable stack (NX), stack canaries (__stack_chk_fail), RELRO, or "
        "position independence. Memory-safety bugs in it are then far easier to exploit.",
        "HAP 中的原生库缺少 OpenHarmony NDK 默认启用的缓解措施:不可执行栈(NX)、栈保护(__stack_chk_fail)、"
        "RELRO 或位置无关代码。其中的内存安全漏洞将更容易被利用。",
    ),
    remediation=(
        "Build with the NDK defaults: -fstack-protector-strong, -Wl,-z,noexecstack, "
        "-Wl,-z,relro,-z,now, -fPIC.",
        "使用 NDK 默认选项编译:-fstack-protector-strong、-Wl,-z,noexecstack、-Wl,-z,relro,-z,now、-fPIC。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[693],
    masvs=["MASVS-CODE-4"],
    owasp=["M7"],
    gbt_34975=["5.2.3 本地代码安全 / native code"],
)
def weak_hardening(ctx: CheckContext) -> Iterator[Finding]:
    for m in facts(ctx).modules:
        for lib in m.native_libraries:
            h = lib.hardening
            missing = [
                name
                for name, ok in (
                    ("NX", h.nx),
                    ("stack canary", h.stack_canary),
                    ("RELRO", h.relro != "none"),
                    ("PIE/PIC", h.pie),
                )
                if not ok
            ]
            if not missing:
                continue
            yield ctx.file_finding(
                lib.path,
                evidence=(
                    f"NX={'yes' if h.nx else 'no'} canary={'yes' if h.stack_canary else 'no'} "
                    f"RELRO={h.relro} PIE={'yes' if h.pie else 'no'}"
                ),
                key=lib.path,
                severity=Severity.HIGH if not h.nx else None,
                message=Text(f"missing: {', '.join(missing)}", f"缺少:{', '.join(missing)}"),
            )
