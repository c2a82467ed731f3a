"""Native libraries without exploit mitigations: one finding per library and missing property.

The properties come from :class:`mobsec.ingest.elf.Hardening` (what the ELF declares, i.e.
what the Android linker will apply). Copies of a library for several ABIs are one library:
the finding names the ABIs that lack the property (see :mod:`._libraries`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from mobsec.checks.context import CheckContext
from mobsec.checks.native._libraries import LibraryGroup, library_groups, load_sites
from mobsec.checks.registry import check
from mobsec.ingest.elf import Hardening, NativeLibrary
from mobsec.report.model import Confidence, Finding, Severity, Text

GBT = ["5.2.3 本地代码安全 / native code"]
MASVS = ["MASVS-CODE-4"]
OWASP = ["M7"]

# A property test answers: what is missing in this copy (None: nothing), as (en, zh) detail.
Missing = Callable[[Hardening], tuple[str, str] | None]
# libc functions that write into a caller's buffer, as much as the data (or a length the
# caller computed) says: how a stack buffer overflows without the library's own loop.
BUFFER_WRITERS = frozenset(
    {
        "strcpy", "stpcpy", "strncpy", "stpncpy", "strcat", "strncat", "sprintf", "vsprintf",
        "gets", "fgets", "scanf", "sscanf", "fscanf", "vscanf", "vsscanf", "vfscanf",
        "memcpy", "memmove", "mempcpy", "bcopy", "read", "pread", "pread64", "recv",
        "recvfrom", "recvmsg", "fread", "wcscpy", "wcsncpy", "wcscat", "wmemcpy", "realpath",
        "readlink", "getcwd",
    }
)  # fmt: skip


def findings_for(
    ctx: CheckContext,
    missing: Missing,
    what: tuple[str, str],
    severity_of: Callable[[list[NativeLibrary]], Severity | None] = lambda _: None,
) -> Iterator[Finding]:
    """One finding per library (all ABIs) for which ``missing`` reports something."""
    sites = load_sites(ctx)
    for group in library_groups(ctx.facts.pkg.native_libraries):
        bad = [(lib, d) for lib in group.copies if (d := missing(lib.hardening)) is not None]
        if not bad:
            continue
        yield _finding(ctx, group, bad, what, sites, severity_of([b for b, _ in bad]))


def _finding(
    ctx: CheckContext,
    group: LibraryGroup,
    bad: list[tuple[NativeLibrary, tuple[str, str]]],
    what: tuple[str, str],
    sites: dict,
    severity: Severity | None,
) -> Finding:
    paths = ", ".join(lib.path for lib, _ in bad)
    details_en = "; ".join(sorted({d[0] for _, d in bad if d[0]}))
    details_zh = "；".join(sorted({d[1] for _, d in bad if d[1]}))
    message = Text(
        f"{group.name}: {what[0]} ({paths})" + (f": {details_en}" if details_en else ""),
        f"{group.name}:{what[1]}({paths})" + (f":{details_zh}" if details_zh else ""),
    )
    facts = "\n".join(
        f"{lib.path} [{lib.machine}/{lib.bits}] {_summary(lib.hardening)}" for lib, _ in bad
    )
    site = sites.get(group.name)
    if site is None:
        return ctx.file_finding(
            bad[0][0].path, evidence=facts, message=message, key=group.name, severity=severity
        )
    finding = ctx.code_finding(site, message=message, key=group.name, severity=severity)
    evidence = facts + ("\nloaded at:\n" + finding.evidence if finding.evidence else "")
    return replace(finding, evidence=evidence)


def _summary(h: Hardening) -> str:
    """readelf-style one-liner of the mitigations, so the evidence stands on its own."""
    return (
        f"NX={'yes' if h.nx else 'no'} canary={'yes' if h.stack_canary else 'no'} "
        f"FORTIFY={'yes' if h.fortify else 'no'} RELRO={h.relro} BIND_NOW={'yes' if h.bind_now else 'no'} "
        f"TEXTREL={'yes' if h.textrel else 'no'} stripped={'yes' if h.stripped else 'no'}"
    )


@check(
    "android.native.no-nx",
    title=("Native library with an executable stack (no NX)", "本地库栈可执行(未启用 NX)"),
    description=(
        "The library has no PT_GNU_STACK header or marks the stack executable, so the loader "
        "maps the thread stacks executable and a stack overflow can run injected code.",
        "该库缺少 PT_GNU_STACK 程序头或将栈标记为可执行,加载后线程栈可执行,栈溢出即可执行注入的代码。",
    ),
    remediation=(
        "Link with -Wl,-z,noexecstack (the NDK default) and remove assembly that asks for an "
        "executable stack.",
        "使用 -Wl,-z,noexecstack 链接(NDK 默认),并移除要求可执行栈的汇编代码。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[693, 119],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def no_nx(ctx: CheckContext) -> Iterator[Finding]:
    yield from findings_for(
        ctx,
        lambda h: None if h.nx else ("", ""),
        ("stack is executable (no NX)", "栈可执行(未启用 NX)"),
    )


@check(
    "android.native.no-stack-canary",
    title=("Native library without stack canaries", "本地库未启用栈保护(canary)"),
    description=(
        "The library imports neither __stack_chk_fail nor __stack_chk_guard: it was built "
        "without -fstack-protector, so a stack buffer overflow overwrites return addresses "
        "undetected. (A library without any stack buffer gets no canary even when built with "
        "the flag, hence medium confidence.) A library that imports no C function writing "
        "into a buffer (strcpy, memcpy, sprintf, read...) gets an info note only: an "
        "overflow there would need the library's own copy loop.",
        "该库未导入 __stack_chk_fail 或 __stack_chk_guard,编译时未启用 -fstack-protector,栈缓冲区"
        "溢出覆盖返回地址不会被发现。(没有栈缓冲区的库即使启用该选项也不会有 canary,因此置信度为中。)"
        "未导入任何写入缓冲区的 C 函数(strcpy、memcpy、sprintf、read 等)的库仅作为提示信息:"
        "此时溢出只能来自库自身的复制循环。",
    ),
    remediation=(
        "Build with -fstack-protector-strong (the NDK default) and rebuild third-party "
        "native code with it.",
        "使用 -fstack-protector-strong 编译(NDK 默认),并用该选项重新编译第三方本地代码。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[693, 121],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def no_stack_canary(ctx: CheckContext) -> Iterator[Finding]:
    def severity(bad: list[NativeLibrary]) -> Severity | None:
        # Without a buffer-writing import no unchecked copy reaches a stack buffer through
        # libc: the missing canary is a build-policy note, not a weakness to sign.
        writers = {n for lib in bad for n in lib.imported_symbols if n in BUFFER_WRITERS}
        return None if writers else Severity.INFO

    def missing(h: Hardening) -> tuple[str, str] | None:
        return None if h.stack_canary else ("", "")

    for f in findings_for(
        ctx,
        missing,
        ("no stack canary (__stack_chk_fail not imported)", "无栈保护(未导入 __stack_chk_fail)"),
        severity,
    ):
        if f.severity is Severity.INFO:
            f = replace(
                f,
                message=Text(
                    f.message.en + "; it imports no C function that writes into a buffer",
                    f.message.zh + ";未导入任何写入缓冲区的 C 函数",
                ),
            )
        yield f


@check(
    "android.native.no-fortify",
    title=("Native library not built with FORTIFY_SOURCE", "本地库未启用 FORTIFY_SOURCE"),
    description=(
        "The library calls functions FORTIFY_SOURCE can check (strcpy, memcpy, sprintf...) "
        "but imports none of the checked __*_chk variants, so overflows through them are not "
        "caught at run time.",
        "该库调用了可由 FORTIFY_SOURCE 检查的函数(strcpy、memcpy、sprintf 等),却没有导入任何 "
        "__*_chk 检查版本,经由这些函数的溢出在运行时不会被拦截。",
    ),
    remediation=(
        "Compile with -D_FORTIFY_SOURCE=2 and optimisation (-O1 or higher), and prefer "
        "bounded functions (strlcpy, snprintf).",
        "使用 -D_FORTIFY_SOURCE=2 并开启优化(-O1 及以上)编译,优先使用有界函数(strlcpy、snprintf)。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[693, 120],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def no_fortify(ctx: CheckContext) -> Iterator[Finding]:
    def missing(h: Hardening) -> tuple[str, str] | None:
        if h.fortify or not h.fortifiable_functions:
            return None
        names = ", ".join(sorted(h.fortifiable_functions)[:8])
        return f"unchecked {names}", f"未检查的 {names}"

    yield from findings_for(ctx, missing, ("no FORTIFY_SOURCE", "未启用 FORTIFY_SOURCE"))


@check(
    "android.native.no-relro",
    title=("Native library without full RELRO", "本地库未启用完整 RELRO"),
    description=(
        "Without PT_GNU_RELRO and BIND_NOW the global offset table stays writable after "
        "loading, so a memory-corruption bug can redirect calls through it. Partial RELRO "
        "(no BIND_NOW) leaves the PLT part of the table writable.",
        "缺少 PT_GNU_RELRO 与 BIND_NOW 时,全局偏移表(GOT)在加载后仍可写,内存破坏漏洞可借此劫持"
        "函数调用。部分 RELRO(无 BIND_NOW)时 GOT 的 PLT 部分仍可写。",
    ),
    remediation=(
        "Link with -Wl,-z,relro,-z,now (the NDK default).",
        "使用 -Wl,-z,relro,-z,now 链接(NDK 默认)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[693],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def no_relro(ctx: CheckContext) -> Iterator[Finding]:
    def missing(h: Hardening) -> tuple[str, str] | None:
        if h.relro == "full":
            return None
        if h.relro == "partial":
            return "partial RELRO (no BIND_NOW)", "部分 RELRO(无 BIND_NOW)"
        return "no RELRO", "无 RELRO"

    def severity(bad: list[NativeLibrary]) -> Severity | None:
        return None if any(lib.hardening.relro == "none" for lib in bad) else Severity.LOW

    yield from findings_for(ctx, missing, ("no full RELRO", "未启用完整 RELRO"), severity)


@check(
    "android.native.textrel",
    title=("Native library with text relocations", "本地库包含代码段重定位(TEXTREL)"),
    description=(
        "Text relocations make the loader write into code pages, which must then be "
        "writable: it defeats W^X, and Android refuses to load such libraries for apps that "
        "target API 23 or higher.",
        "代码段重定位要求加载器写入代码页,代码页因此必须可写,破坏了 W^X;目标 API 23 及以上的应用"
        "加载此类库会被 Android 拒绝。",
    ),
    remediation=(
        "Build every object with -fPIC and fix hand-written assembly that uses absolute addresses.",
        "所有目标文件使用 -fPIC 编译,并修正使用绝对地址的手写汇编。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[693],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def textrel(ctx: CheckContext) -> Iterator[Finding]:
    yield from findings_for(
        ctx,
        lambda h: ("", "") if h.textrel else None,
        ("has text relocations (TEXTREL)", "包含代码段重定位(TEXTREL)"),
    )


@check(
    "android.native.rpath",
    title=("Native library with RPATH/RUNPATH", "本地库设置了 RPATH/RUNPATH"),
    description=(
        "DT_RPATH/DT_RUNPATH make the linker look for dependencies in the listed "
        "directories first; a writable directory there lets another app plant a library "
        "that is loaded into this process. Build paths left in by a host toolchain also "
        "show the library was not built with the NDK defaults.",
        "DT_RPATH/DT_RUNPATH 让链接器优先在所列目录中查找依赖库;若其中有可写目录,其他应用可植入库并"
        "被加载到本进程中。残留的宿主机构建路径也说明该库未使用 NDK 默认设置构建。",
    ),
    remediation=(
        "Link without -rpath / -Wl,--enable-new-dtags,-rpath and package dependencies in "
        "lib/<abi>/.",
        "链接时不要使用 -rpath,依赖库随应用打包在 lib/<abi>/ 中。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[426],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def rpath(ctx: CheckContext) -> Iterator[Finding]:
    def missing(h: Hardening) -> tuple[str, str] | None:
        paths = [*h.rpath, *h.runpath]
        if not paths:
            return None
        shown = ", ".join(p[:200] for p in paths[:4])
        return f"search path {shown}", f"搜索路径 {shown}"

    yield from findings_for(ctx, missing, ("RPATH/RUNPATH set", "设置了 RPATH/RUNPATH"))


@check(
    "android.native.not-stripped",
    title=("Native library not stripped", "本地库未去除符号表"),
    description=(
        "The library keeps its full symbol table (.symtab): function and variable names "
        "make reverse engineering of the native code much easier. Informational.",
        "该库保留了完整符号表(.symtab),函数和变量名使本地代码的逆向分析容易得多。仅供参考。",
    ),
    remediation=(
        "Strip release libraries (the NDK and Android Gradle plugin do it by default; keep "
        "unstripped copies for symbolication outside the APK).",
        "发布版本的库应去除符号表(NDK 与 Android Gradle 插件默认如此;未去符号的副本留在 APK 之外"
        "用于符号化)。",
    ),
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    cwe=[693],
    masvs=["MASVS-RESILIENCE-3"],
    owasp=OWASP,
    gbt_34975=GBT,
)
def not_stripped(ctx: CheckContext) -> Iterator[Finding]:
    yield from findings_for(
        ctx,
        lambda h: None if h.stripped else ("", ""),
        ("symbol table present (.symtab)", "保留符号表(.symtab)"),
    )
