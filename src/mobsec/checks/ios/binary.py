"""Mach-O hardening of every executable and library the IPA ships, and risky imports.

A slice that lacks a protection is enough: the device runs whichever slice matches it.
Imports come from the symbol tables, which FairPlay leaves in clear, so these checks also
run on an encrypted executable (its strings are not read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_CODE, GBT_CRYPTO, GBT_NATIVE, GBT_SIGNING, facts
from mobsec.checks.registry import check
from mobsec.ingest.ios.macho import MachOBinary, MachOSlice
from mobsec.report.model import Confidence, Finding, Severity, Text

BANNED = {
    "_gets": "gets",
    "_strcpy": "strcpy",
    "_strcat": "strcat",
    "_sprintf": "sprintf",
    "_vsprintf": "vsprintf",
    "_scanf": "scanf",
    "_sscanf": "sscanf",
    "_strtok": "strtok",
    "_alloca": "alloca",
    "_system": "system",
    "_popen": "popen",
    "_mktemp": "mktemp",
    "_tmpnam": "tmpnam",
}
WEAK_HASHES = {
    "_CC_MD2": "MD2",
    "_CC_MD4": "MD4",
    "_CC_MD5": "MD5",
    "_CC_SHA1": "SHA-1",
}
# C buffer handling: a binary importing none of these (a tiny Objective-C shell of runtime
# calls) has no function the compiler would protect, so a missing canary proves nothing.
C_BUFFER_IMPORTS = frozenset(
    {"_memcpy", "_memmove", "_memset", "_bzero", "_strcpy", "_strncpy", "_strlcpy", "_strcat",
     "_strncat", "_strlen", "_sprintf", "_snprintf", "_vsnprintf", "___sprintf_chk",
     "___memcpy_chk", "___strcpy_chk", "_malloc", "_read", "_fgets", "_sscanf", "_gets"}
)  # fmt: skip
INSECURE_RANDOM = {"_rand": "rand", "_srand": "srand", "_random": "random", "_srandom": "srandom"}


def _evidence(b: MachOBinary, pick: Callable[[MachOSlice], object]) -> str:
    return "\n".join(f"{s.cpu}: {pick(s)}" for s in b.slices)


def _lacking(
    ctx: CheckContext, attr: str, en: str, zh: str, applies: Callable[[MachOSlice], bool]
) -> Iterator[Finding]:
    for _root, b in facts(ctx).binaries:
        bad = [s.cpu for s in b.slices if applies(s) and not getattr(s, attr)]
        if bad:
            yield ctx.file_finding(
                b.path,
                evidence=_evidence(b, lambda s: f"{attr}={getattr(s, attr)}"),
                key=attr,
                message=Text(f"{en}: {', '.join(bad)}", f"{zh}:{'、'.join(bad)}"),
            )


_HARDENING = dict(
    confidence=Confidence.HIGH,
    masvs=["MASVS-CODE-4"],
    owasp=["M7"],
    gbt_34975=[GBT_NATIVE],
)


@check(
    "ios.binary.no-pie",
    title=("Executable not position independent (no ASLR)", "可执行文件非位置无关(无 ASLR)"),
    description=(
        "The Mach-O header lacks MH_PIE: the executable loads at a fixed address, so memory "
        "corruption bugs are far easier to exploit.",
        "Mach-O 头缺少 MH_PIE 标志:可执行文件加载到固定地址,内存破坏漏洞更容易被利用。",
    ),
    remediation=(
        "Build with -fPIE / -pie (the Xcode default; check 'Generate Position-Dependent "
        "Code' is off).",
        "使用 -fPIE / -pie 编译(Xcode 默认;确认关闭了 Generate Position-Dependent Code)。",
    ),
    severity=Severity.HIGH,
    cwe=[1312],
    **_HARDENING,
)
def no_pie(ctx: CheckContext) -> Iterator[Finding]:
    yield from _lacking(ctx, "pie", "not PIE", "非 PIE", lambda s: s.file_type == "execute")


@check(
    "ios.binary.no-stack-canary",
    title=("No stack canaries", "未启用栈保护(stack canary)"),
    description=(
        "The binary handles C buffers (memcpy, strlen, sprintf…) but imports neither "
        "___stack_chk_guard nor ___stack_chk_fail: it was built without -fstack-protector, "
        "so stack buffer overflows are not detected.",
        "二进制处理 C 缓冲区(memcpy、strlen、sprintf 等),却未导入 ___stack_chk_guard 或 "
        "___stack_chk_fail:编译时未启用 -fstack-protector,栈缓冲区溢出不会被检测到。",
    ),
    remediation=(
        "Build with -fstack-protector-strong (Xcode default for Objective-C/C code).",
        "使用 -fstack-protector-strong 编译(Xcode 对 Objective-C/C 代码的默认设置)。",
    ),
    severity=Severity.MEDIUM,
    cwe=[121],
    **_HARDENING,
)
def no_stack_canary(ctx: CheckContext) -> Iterator[Finding]:
    # Pure Swift code has no C stack buffers to protect; only C/Objective-C binaries count.
    yield from _lacking(
        ctx,
        "stack_canary",
        "no stack canary",
        "无栈保护",
        lambda s: not s.swift and not C_BUFFER_IMPORTS.isdisjoint(s.imports),
    )


@check(
    "ios.binary.no-arc",
    title=("Objective-C code without ARC", "Objective-C 代码未启用 ARC"),
    description=(
        "The binary uses the Objective-C runtime but imports none of the ARC entry points "
        "(objc_release, objc_storeStrong…): memory is managed by hand, a frequent source of "
        "use-after-free bugs.",
        "二进制使用 Objective-C 运行时,但未导入任何 ARC 入口(objc_release、objc_storeStrong 等):"
        "内存由手工管理,常导致释放后使用(use-after-free)漏洞。",
    ),
    remediation=(
        "Enable Automatic Reference Counting (-fobjc-arc, CLANG_ENABLE_OBJC_ARC=YES).",
        "启用自动引用计数(-fobjc-arc,CLANG_ENABLE_OBJC_ARC=YES)。",
    ),
    severity=Severity.LOW,
    cwe=[416],
    **_HARDENING,
)
def no_arc(ctx: CheckContext) -> Iterator[Finding]:
    yield from _lacking(ctx, "arc", "no ARC", "未启用 ARC", lambda s: s.objc and not s.swift)


@check(
    "ios.binary.no-code-signature",
    title=("Executable not code-signed", "可执行文件没有代码签名"),
    description=(
        "The Mach-O has no LC_CODE_SIGNATURE: iOS will not run it, and its integrity cannot "
        "be verified. Packages re-signed or tampered with after the build often look so.",
        "Mach-O 没有 LC_CODE_SIGNATURE:iOS 不会运行它,其完整性也无法验证。构建后被重签名或篡改"
        "的安装包常呈现这种状态。",
    ),
    remediation=(
        "Sign every executable and framework with codesign (Xcode archive/export does it).",
        "使用 codesign 对所有可执行文件和框架签名(Xcode 归档/导出会自动完成)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[345],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7"],
    gbt_34975=[GBT_SIGNING],
)
def no_code_signature(ctx: CheckContext) -> Iterator[Finding]:
    yield from _lacking(ctx, "code_signature", "unsigned", "未签名", lambda s: True)


def _imports_hit(ctx: CheckContext, table: dict[str, str], key: str) -> Iterator[Finding]:
    for _root, b in facts(ctx).binaries:
        names = sorted({table[n] for n in b.imports() if n in table})
        if names:
            yield ctx.file_finding(
                b.path,
                evidence="imports: " + ", ".join(f"_{n}" for n in names),
                key=key,
                message=Text(", ".join(names), "、".join(names)),
            )


@check(
    "ios.binary.banned-functions",
    title=("Unsafe C functions imported", "导入了不安全的 C 函数"),
    description=(
        "The binary calls C library functions that cannot bound their output (gets, strcpy, "
        "strcat, sprintf…) or run shell commands (system, popen): classic sources of buffer "
        "overflows and command injection.",
        "二进制调用了无法限制输出长度的 C 库函数(gets、strcpy、strcat、sprintf 等)或执行 shell "
        "命令的函数(system、popen):缓冲区溢出和命令注入的常见来源。",
    ),
    remediation=(
        "Use the bounded variants (strlcpy, strlcat, snprintf, fgets) and never build shell "
        "commands from data.",
        "改用有长度限制的版本(strlcpy、strlcat、snprintf、fgets),不要用数据拼接 shell 命令。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[676],
    masvs=["MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_CODE],
)
def banned_functions(ctx: CheckContext) -> Iterator[Finding]:
    yield from _imports_hit(ctx, BANNED, "banned")


@check(
    "ios.crypto.weak-hash",
    title=("Weak hash function used (MD5/SHA-1)", "使用了弱哈希算法(MD5/SHA-1)"),
    description=(
        "The binary imports CommonCrypto's MD2, MD4, MD5 or SHA-1: collisions are practical, "
        "so these must not protect integrity, signatures or passwords.",
        "二进制导入了 CommonCrypto 的 MD2、MD4、MD5 或 SHA-1:这些算法可实际构造碰撞,不得用于完整性、"
        "签名或口令保护。",
    ),
    remediation=(
        "Use SHA-256 or better (CC_SHA256, CryptoKit SHA256); for passwords a slow KDF.",
        "使用 SHA-256 及以上(CC_SHA256、CryptoKit SHA256);口令使用慢速密钥派生函数。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[328],
    masvs=["MASVS-CRYPTO-1"],
    owasp=["M10"],
    gbt_34975=[GBT_CRYPTO],
)
def weak_hash(ctx: CheckContext) -> Iterator[Finding]:
    yield from _imports_hit(ctx, WEAK_HASHES, "weak-hash")


@check(
    "ios.crypto.insecure-random",
    title=("Predictable random numbers (rand/random)", "使用了可预测的随机数(rand/random)"),
    description=(
        "The binary imports the C library's rand/random generators: their output is "
        "predictable and unsuitable for keys, tokens or nonces.",
        "二进制导入了 C 库的 rand/random 随机数生成器:其输出可预测,不能用于密钥、令牌或随机数。",
    ),
    remediation=(
        "Use SecRandomCopyBytes (or arc4random_buf) for anything security-relevant.",
        "涉及安全的场景使用 SecRandomCopyBytes(或 arc4random_buf)。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    cwe=[338],
    masvs=["MASVS-CRYPTO-1"],
    owasp=["M10"],
    gbt_34975=[GBT_CRYPTO],
)
def insecure_random(ctx: CheckContext) -> Iterator[Finding]:
    yield from _imports_hit(ctx, INSECURE_RANDOM, "random")
