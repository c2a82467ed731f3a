"""Run-time self-protection the app ships (informational, as for Android): jailbreak,
debugger and code-injection detection, recognised by the paths, symbols and imports they
need."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_RESILIENCE, facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

JAILBREAK_STRINGS = (
    "/Applications/Cydia.app",
    "/Applications/Sileo.app",
    "/Library/MobileSubstrate/MobileSubstrate.dylib",
    "/usr/sbin/sshd",
    "/etc/apt",
    "/bin/bash",
    "/private/var/lib/apt",
    "/usr/bin/ssh",
    "/var/jb",
    "cydia://",
    "sileo://",
    "/private/jailbreak.txt",
)
DEBUGGER_IMPORTS = ("_ptrace", "_sysctl", "_task_get_exception_ports", "_isatty")
DEBUGGER_STRINGS = ("ptrace", "PT_DENY_ATTACH")
INJECTION_IMPORTS = ("__dyld_register_func_for_add_image", "__dyld_get_image_name", "_dladdr")
INJECTION_STRINGS = ("FridaGadget", "frida-server", "libcycript", "cynject", "SubstrateLoader")

_META = dict(
    severity=Severity.INFO,
    confidence=Confidence.MEDIUM,
    owasp=["M7"],
    gbt_34975=[GBT_RESILIENCE],
)


def _report(ctx: CheckContext, imports: tuple[str, ...], strings: tuple[str, ...], what: Text):
    f = facts(ctx)
    imported = f.imports()
    hits_i = [n for n in imports if n in imported]
    hits_s: dict[str, str] = {}
    for s in f.strings:
        for marker in strings:
            if marker in s.text and marker not in hits_s:
                hits_s[marker] = s.file
    if not hits_i and not hits_s:
        return
    where = next(iter(hits_s.values()), f.app.executable if f.app and f.app.executable else "")
    evidence = [f"import {n}" for n in hits_i] + [f'"{m}"' for m in hits_s]
    yield ctx.file_finding(
        where,
        evidence="\n".join(evidence[:12]),
        key=what.en,
        message=Text(
            f"{what.en}: " + ", ".join(evidence[:6]), f"{what.zh}:" + "、".join(evidence[:6])
        ),
    )


@check(
    "ios.resilience.jailbreak-detection",
    title=("Jailbreak detection present", "存在越狱检测"),
    description=(
        "The binary probes for jailbreak artefacts (Cydia, MobileSubstrate, sshd, apt, "
        "cydia:// URLs). Informational: a hurdle for attackers, bypassable when it is the "
        "only layer.",
        "二进制探测越狱痕迹(Cydia、MobileSubstrate、sshd、apt、cydia:// 链接)。仅供参考:"
        "可提高攻击门槛,但作为唯一防线时可被绕过。",
    ),
    remediation=(
        "Combine several checks, react on the server side (App Attest / DeviceCheck).",
        "组合多种检测,并在服务端结合 App Attest / DeviceCheck 做出判断。",
    ),
    cwe=[919],
    masvs=["MASVS-RESILIENCE-1"],
    **_META,
)
def jailbreak_detection(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, (), JAILBREAK_STRINGS, Text("jailbreak detection", "越狱检测"))


@check(
    "ios.resilience.debugger-detection",
    title=("Anti-debugging present", "存在反调试"),
    description=(
        "The binary uses ptrace (PT_DENY_ATTACH), sysctl (P_TRACED) or exception-port queries, "
        "the usual ways to detect or block a debugger. Informational.",
        "二进制使用 ptrace(PT_DENY_ATTACH)、sysctl(P_TRACED)或异常端口查询,这是检测或阻止调试器"
        "的常用方法。仅供参考。",
    ),
    remediation=(
        "Keep anti-debugging as one layer; the release build must not carry get-task-allow.",
        "将反调试作为防御的一层;发布构建不得带有 get-task-allow。",
    ),
    cwe=[693],
    masvs=["MASVS-RESILIENCE-4"],
    **_META,
)
def debugger_detection(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, DEBUGGER_IMPORTS, DEBUGGER_STRINGS, Text("anti-debugging", "反调试"))


@check(
    "ios.resilience.injection-detection",
    title=("Code-injection / hooking detection present", "存在代码注入/Hook 检测"),
    description=(
        "The binary watches the images loaded into the process (dyld image callbacks, dladdr) "
        "or looks for Frida/Substrate/Cycript: detection of injected or hooked code. "
        "Informational.",
        "二进制监视加载到进程中的镜像(dyld 镜像回调、dladdr)或查找 Frida/Substrate/Cycript:"
        "用于检测注入或 Hook 的代码。仅供参考。",
    ),
    remediation=(
        "Keep it as one layer of defence, combined with integrity checks and server-side "
        "attestation.",
        "将其作为纵深防御的一层,结合完整性校验和服务端认证。",
    ),
    cwe=[693],
    masvs=["MASVS-RESILIENCE-3"],
    **_META,
)
def injection_detection(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(
        ctx, INJECTION_IMPORTS, INJECTION_STRINGS, Text("injection detection", "注入检测")
    )
