"""Run-time self-protection the app ships: root, emulator, debugger and tamper detection.

These are informational: MASVS-RESILIENCE asks for them, reviewers want to know they are
there (and where, to judge how easily they are bypassed). Each finding is one method that
performs the detection, placed at its first indicator; an SDK's detection is attributed
to the SDK.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mobsec.checks.code._common import GBT_RESILIENCE
from mobsec.checks.code._flow import arg_ints, arg_strings, arg_values
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.diagnostics import FormatError
from mobsec.facts.dataflow.cfg import MAX_CODE_UNITS, BrokenCode, decode_all
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

ROOT_STRINGS = (
    "/system/xbin/su",
    "/system/bin/su",
    "/sbin/su",
    "/system/sd/xbin/su",
    "/system/bin/failsafe/su",
    "/data/local/xbin/su",
    "/data/local/bin/su",
    "/su/bin/su",
    "/system/app/Superuser.apk",
    "/system/app/SuperSU.apk",
    "com.noshufou.android.su",
    "com.noshufou.android.su.elite",
    "eu.chainfire.supersu",
    "com.koushikdutta.superuser",
    "com.thirdparty.superuser",
    "com.yellowes.su",
    "com.topjohnwu.magisk",
    "com.kingroot.kinguser",
    "com.devadvance.rootcloak",
    "de.robv.android.xposed.installer",
    "test-keys",
    "/system/xbin/which",
)
ROOT_CLASSES = ("Lcom/scottyab/rootbeer/RootBeer;",)
EMULATOR_STRINGS = (
    "goldfish",
    "ranchu",
    "ro.kernel.qemu",
    "/dev/qemu_pipe",
    "/dev/socket/qemud",
    "/system/lib/libc_malloc_debug_qemu.so",
    "/sys/qemu_trace",
    "/system/bin/qemu-props",
    "Android SDK built for x86",
    "Genymotion",
    "vbox86p",
    "sdk_gphone",
)
BUILD_FIELDS = ("FINGERPRINT", "MODEL", "PRODUCT", "HARDWARE", "BRAND", "DEVICE", "MANUFACTURER")
# With a Build field read in the same method, these generic words mean an emulator test.
EMULATOR_WITH_BUILD = ("generic", "emulator", "google_sdk", "sdk", "unknown")
DEBUGGER_APIS = (
    ("Landroid/os/Debug;", "isDebuggerConnected"),
    ("Landroid/os/Debug;", "waitingForDebugger"),
)
DEBUGGER_STRINGS = ("TracerPid",)
APPLICATION_INFO = "Landroid/content/pm/ApplicationInfo;"
FLAG_DEBUGGABLE = 0x2
AND_LIT = (0xD5, 0xDD)  # and-int/lit16, and-int/lit8
FLAG_TEST_WINDOW = 6  # instructions after the flags read in which the mask is looked for
GET_SIGNATURES = 0x40
GET_SIGNING_CERTIFICATES = 0x08000000


@dataclass
class _Hit:
    site: CodeSite
    indicator: str


def _per_method(hits: Iterable[_Hit]) -> list[list[_Hit]]:
    """Hits grouped by method, each group in code order (the first one places the finding)."""
    groups: dict[tuple[str, int], list[_Hit]] = {}
    for h in hits:
        groups.setdefault((h.site.dex.name, h.site.caller_idx), []).append(h)
    out = []
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda h: h.site.offset)
        out.append(group)
    return out


def _report(ctx: CheckContext, hits: Iterable[_Hit], en: str, zh: str) -> Iterator[Finding]:
    for group in _per_method(hits):
        indicators = ", ".join(dict.fromkeys(h.indicator for h in group))
        yield ctx.code_finding(
            group[0].site,
            message=Text(f"{en}: {indicators}", f"{zh}:{indicators}"),
        )


def _string_hits(ctx: CheckContext, strings: Iterable[str]) -> Iterator[_Hit]:
    for s in strings:
        for site in ctx.code.string_refs(s):
            yield _Hit(site, f'"{s}"')


_META = dict(
    severity=Severity.INFO,
    confidence=Confidence.MEDIUM,
    owasp=["M7"],
    gbt_34975=GBT_RESILIENCE,
)


@check(
    "android.code.root-detection",
    title=("Root detection present", "存在 Root 检测"),
    description=(
        "The code looks for signs of a rooted device (su binaries, root-manager packages, "
        "test-keys builds, RootBeer). Informational: such checks raise the bar for "
        "attackers but are bypassed easily when done only in Java.",
        "代码检测设备是否已 Root(su 文件、Root 管理应用包名、test-keys 构建、RootBeer)。仅供参考:"
        "此类检测提高了攻击门槛,但仅在 Java 层实现时容易被绕过。",
    ),
    remediation=(
        "Keep root detection as one layer of defence: combine several checks, run some in "
        "native code, and rely on Play Integrity / server-side attestation for decisions "
        "that matter.",
        "将 Root 检测作为纵深防御的一层:组合多种检测、部分放在本地代码中实现,重要判断依赖 Play "
        "Integrity 或服务端认证。",
    ),
    cwe=[919],
    masvs=["MASVS-RESILIENCE-1"],
    **_META,
)
def root_detection(ctx: CheckContext) -> Iterator[Finding]:
    hits = list(_string_hits(ctx, ROOT_STRINGS))
    for cls in ROOT_CLASSES:
        for site in ctx.code.call_sites(cls):
            if site.caller.class_desc != cls:  # the app calling RootBeer, not RootBeer itself
                hits.append(_Hit(site, "RootBeer"))
    for site in ctx.code.call_sites(
        "Ljava/lang/Runtime;", "exec", "(Ljava/lang/String;)Ljava/lang/Process;"
    ):
        for text in arg_strings(site, 1, ctx.facts.values):
            if text.strip() in ("su", "which su", "su -c id"):
                hits.append(_Hit(site, f'exec("{text}")'))
    yield from _report(ctx, hits, "root detection", "Root 检测")


@check(
    "android.code.emulator-detection",
    title=("Emulator detection present", "存在模拟器检测"),
    description=(
        'The code tests whether it runs in an emulator (Build.FINGERPRINT "generic", '
        "goldfish/ranchu hardware, ro.kernel.qemu, QEMU device files). Informational.",
        '代码检测是否运行在模拟器中(Build.FINGERPRINT 为 "generic"、goldfish/ranchu 硬件、'
        "ro.kernel.qemu、QEMU 设备文件)。仅供参考。",
    ),
    remediation=(
        "Treat emulator detection as a hurdle for dynamic analysis, not as a security "
        "boundary; use Play Integrity device verdicts for server-side decisions.",
        "将模拟器检测视为动态分析的障碍而非安全边界;服务端判断应使用 Play Integrity 的设备判定。",
    ),
    cwe=[693],
    masvs=["MASVS-RESILIENCE-1"],
    **_META,
)
def emulator_detection(ctx: CheckContext) -> Iterator[Finding]:
    hits = list(_string_hits(ctx, EMULATOR_STRINGS))
    build_readers: set[tuple[str, int]] = set()
    for name in BUILD_FIELDS:
        for site in ctx.code.field_reads("Landroid/os/Build;", name):
            build_readers.add((site.dex.name, site.caller_idx))
    if build_readers:
        for s in EMULATOR_WITH_BUILD:
            for site in ctx.code.string_refs(s):
                if (site.dex.name, site.caller_idx) in build_readers:
                    hits.append(_Hit(site, f'Build.* == "{s}"'))
    yield from _report(ctx, hits, "emulator detection", "模拟器检测")


@check(
    "android.code.debugger-detection",
    title=("Debugger detection present", "存在调试器检测"),
    description=(
        "The code checks for an attached debugger (Debug.isDebuggerConnected, "
        "waitingForDebugger, TracerPid in /proc/self/status). Informational.",
        "代码检测是否附加了调试器(Debug.isDebuggerConnected、waitingForDebugger、"
        "/proc/self/status 中的 TracerPid)。仅供参考。",
    ),
    remediation=(
        "Combine Java and native anti-debugging checks and react in ways that are hard to "
        "patch out; never rely on them alone to protect secrets.",
        "结合 Java 层与本地层的反调试检测,并以难以被修补的方式响应;不要仅依赖其保护机密。",
    ),
    cwe=[693],
    masvs=["MASVS-RESILIENCE-4"],
    **_META,
)
def debugger_detection(ctx: CheckContext) -> Iterator[Finding]:
    hits = list(_string_hits(ctx, DEBUGGER_STRINGS))
    for cls, name in DEBUGGER_APIS:
        for site in ctx.code.call_sites(cls, name):
            hits.append(_Hit(site, f"Debug.{name}()"))
    for site in ctx.code.field_reads(APPLICATION_INFO, "flags"):
        if _masks_debuggable(site):
            hits.append(_Hit(site, "ApplicationInfo.flags & FLAG_DEBUGGABLE"))
    yield from _report(ctx, hits, "debugger detection", "调试器检测")


def _masks_debuggable(site: CodeSite) -> bool:
    """Whether the ``flags`` read at ``site`` is and-ed with FLAG_DEBUGGABLE right after.

    Why: an app testing its own ``FLAG_DEBUGGABLE`` (UnCrackable Level 1) refuses to run
    when rebuilt as debuggable: a debugger check. Other flag tests are not."""
    method = site.dex.method_by_idx(site.caller_idx)
    try:
        code = site.dex.code_item(method) if method is not None else None
        if code is None or code.insns_size > MAX_CODE_UNITS:
            return False
        insns = decode_all(site.dex, code)
    except (FormatError, BrokenCode):
        return False
    for k, insn in enumerate(insns):
        if insn.pc != site.offset:
            continue
        held = {insn.regs[0]}
        for nxt in insns[k + 1 : k + 1 + FLAG_TEST_WINDOW]:
            if nxt.op in AND_LIT and nxt.regs[1] in held and nxt.lit == FLAG_DEBUGGABLE:
                return True
            if 0x01 <= nxt.op <= 0x03 and nxt.regs[1] in held:  # move
                held.add(nxt.regs[0])
        return False
    return False


@check(
    "android.code.tamper-detection",
    title=("Tamper detection present", "存在防篡改检测"),
    description=(
        "The code reads its own signing certificate (getPackageInfo with GET_SIGNATURES or "
        "GET_SIGNING_CERTIFICATES and the signatures it returns), or the CRC of an entry of "
        "its own APK (classes.dex, a native library: ZipEntry.getCrc() on the file "
        "getPackageCodePath()/sourceDir names), typically to compare it with a known value "
        "and detect repackaging. Reads of another package's signatures (a font provider's, "
        "Play services') are not this. Informational.",
        "代码读取自身的签名证书(使用 GET_SIGNATURES 或 GET_SIGNING_CERTIFICATES 调用 "
        "getPackageInfo 并读取返回的签名),或读取自身安装包中某个条目(classes.dex、本地库)的 "
        "CRC(对 getPackageCodePath()/sourceDir 指向的文件调用 ZipEntry.getCrc()),通常用于与"
        "已知值比较以发现重打包。读取其他应用(字体提供方、Play 服务)的签名不属于此类。仅供参考。",
    ),
    remediation=(
        "Verify integrity on the server too (Play Integrity app verdict); a local "
        "comparison can be patched out of a repackaged app.",
        "同时在服务端校验完整性(Play Integrity 的应用判定);本地比较可以在重打包时被去除。",
    ),
    cwe=[354],
    masvs=["MASVS-RESILIENCE-2"],
    **_META,
)
def tamper_detection(ctx: CheckContext) -> Iterator[Finding]:
    readers: set[tuple[str, int]] = set()
    for name in ("signatures", "signingInfo"):
        for site in ctx.code.field_reads("Landroid/content/pm/PackageInfo;", name):
            readers.add((site.dex.name, site.caller_idx))
    hits = []
    for site in ctx.code.call_sites("Landroid/content/pm/PackageManager;", "getPackageInfo"):
        if (site.dex.name, site.caller_idx) not in readers:
            continue
        if any(
            f & (GET_SIGNATURES | GET_SIGNING_CERTIFICATES)
            for f in arg_ints(site, 2, ctx.facts.values)
        ) and not _other_package(ctx, site):
            hits.append(_Hit(site, "getPackageInfo(…, GET_SIGNATURES).signatures"))
    # What a CRC compare checks is the entry's bytes, not the signature: each kind says
    # what it checks; one finding per method (its fingerprint) names both if both are there.
    labels = {id(h): SIGNATURE_LABEL for h in hits}
    for h in _own_crc_hits(ctx):
        labels[id(h)] = CRC_LABEL
        hits.append(h)
    for group in _per_method(hits):
        en, zh = [], []
        for label in (SIGNATURE_LABEL, CRC_LABEL):
            found = ", ".join(dict.fromkeys(h.indicator for h in group if labels[id(h)] is label))
            if found:
                en.append(f"{label[0]}: {found}")
                zh.append(f"{label[1]}:{found}")
        yield ctx.code_finding(group[0].site, message=Text("; ".join(en), "；".join(zh)))


SIGNATURE_LABEL = ("signature check", "签名校验")
CRC_LABEL = ("CRC check of its own APK entry", "自身安装包条目的 CRC 校验")


# Package-name fields of the records an app looks other packages up by (a font provider's
# ProviderInfo, a resolved service...): their signatures are another package's.
FOREIGN_PACKAGE_FIELDS = frozenset(
    {"Landroid/content/pm/ProviderInfo;", "Landroid/content/pm/ServiceInfo;",
     "Landroid/content/pm/ActivityInfo;", "Landroid/content/pm/ComponentInfo;",
     "Landroid/content/pm/PackageItemInfo;"}
)  # fmt: skip


def _other_package(ctx: CheckContext, site: CodeSite) -> bool:
    """The signatures read are provably another package's: every package name reaching
    getPackageInfo is a constant other than the app's (Play services' "com.google.android.gms")
    or a provider's/component's packageName (font providers). ``getPackageName()``, the app's
    own name and unknown values count as the app verifying itself."""
    own = ctx.manifest.package if ctx.manifest is not None else None
    values = arg_values(site, 1, ctx.facts.values)
    if not values:
        return False
    for v in values:
        text = v.text()
        if text is not None:
            if text == own:
                return False
            continue
        foreign = v.kind == "field" and v.data.class_desc in FOREIGN_PACKAGE_FIELDS
        if not (foreign and v.data.name == "packageName"):
            return False
    return True


OWN_PACKAGE_PATH = (
    ("Landroid/content/Context;", "getPackageCodePath"),
    ("Landroid/content/Context;", "getPackageResourcePath"),
)


def _own_crc_hits(ctx: CheckContext) -> Iterator[_Hit]:
    """CRCs of entries of the app's own APK (UnCrackable Level 3 compares classes.dex's and
    libfoo.so's with baked-in values): a method that opens its own package path and reads
    ``ZipEntry.getCrc()``."""
    openers: set[tuple[str, int]] = set()
    for cls, name in OWN_PACKAGE_PATH:
        for site in ctx.facts.calls.of(cls, name):  # called on the Activity itself, too
            openers.add((site.dex.name, site.caller_idx))
    for site in ctx.code.field_reads("Landroid/content/pm/ApplicationInfo;", "sourceDir"):
        openers.add((site.dex.name, site.caller_idx))
    if not openers:
        return
    entries = _entry_names(ctx, openers)
    for site in ctx.code.call_sites("Ljava/util/zip/ZipEntry;", "getCrc"):
        method = (site.dex.name, site.caller_idx)
        if method in openers:
            names = entries.get(method)
            got = ", ".join(f'"{n}"' for n in names) if names else "…"
            yield _Hit(site, f"ZipFile.getEntry({got}).getCrc()")


def _entry_names(ctx: CheckContext, methods: set[tuple[str, int]]) -> dict[tuple, list[str]]:
    """The constant entry names each of ``methods`` opens with ``ZipFile.getEntry``."""
    out: dict[tuple, list[str]] = {}
    for site in ctx.code.call_sites("Ljava/util/zip/ZipFile;", "getEntry"):
        method = (site.dex.name, site.caller_idx)
        if method in methods:
            names = out.setdefault(method, [])
            names += [n for n in sorted(arg_strings(site, 1, ctx.facts.values)) if n not in names]
    return out
