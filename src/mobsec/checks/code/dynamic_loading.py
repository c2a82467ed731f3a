"""Code loaded at run time: class loaders over DEX files, and other packages' code.

Loading code is not a weakness by itself; loading it from a place another app can write
is (code injection). So every loader is reported, and the severity goes up when data
flow shows the DEX path comes from external storage or a world-writable location.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.code._common import CONTEXT, GBT_CODE
from mobsec.checks.code._flow import arg_ints, arg_strings, flow_at
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.dataflow import MethodFlow, Value
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

LOADERS = (
    "Ldalvik/system/DexClassLoader;",
    "Ldalvik/system/PathClassLoader;",
    "Ldalvik/system/InMemoryDexClassLoader;",
    "Ldalvik/system/BaseDexClassLoader;",
    "Ldalvik/system/DelegateLastClassLoader;",
)
# Calls whose result is a directory another app can write (pre-scoped-storage external
# storage): code loaded from below them can be replaced by any app with storage access.
EXTERNAL_SOURCES = {
    ("Landroid/os/Environment;", "getExternalStorageDirectory"),
    ("Landroid/os/Environment;", "getExternalStoragePublicDirectory"),
    ("Landroid/os/Environment;", "getDownloadCacheDirectory"),
    ("getExternalFilesDir", None),
    ("getExternalFilesDirs", None),
    ("getExternalCacheDir", None),
    ("getExternalCacheDirs", None),
    ("getExternalMediaDirs", None),
}
WRITABLE_PREFIXES = ("/sdcard", "/storage/", "/mnt/sdcard", "/mnt/shell/", "/data/local/tmp")
# Calls that pass a path through (File(parent, child), getAbsolutePath, concat...).
PATH_PASSTHROUGH = {
    "getAbsolutePath",
    "getPath",
    "getCanonicalPath",
    "toString",
    "getAbsoluteFile",
    "getCanonicalFile",
    "getParent",
    "getParentFile",
    "valueOf",
}
MAX_TRACE = 32  # values inspected while tracing one argument back


def _external(flow: MethodFlow, values: frozenset[Value]) -> str | None:
    """Why a path value is writable by others (e.g. "getExternalFilesDir()"), or None.

    A bounded backward walk over the method's values: results of calls (and the
    receiver/arguments of path pass-through calls), concat parts, and the constructor
    arguments of ``new File(...)`` objects.
    """
    todo = list(values)
    seen: set[Value] = set()
    ctors: dict[Value, list[frozenset[Value]]] | None = None
    while todo and len(seen) < MAX_TRACE:
        v = todo.pop()
        if v in seen:
            continue
        seen.add(v)
        if v.kind == "string" and isinstance(v.data, str) and v.data.startswith(WRITABLE_PREFIXES):
            return f'"{v.data}"'
        if v.kind == "concat":
            todo.extend(v.data)  # type: ignore[arg-type]
        elif v.kind == "result" and v.offset is not None:
            ref = v.data
            if (ref.class_desc, ref.name) in EXTERNAL_SOURCES or (
                ref.name,
                None,
            ) in EXTERNAL_SOURCES:
                return f"{ref.name}()"
            if ref.name in PATH_PASSTHROUGH or ref.name == "<init>":
                for arg in flow.args_at(v.offset):
                    todo.extend(arg)
        elif v.kind == "new":
            if ctors is None:
                ctors = {}
                for call in flow.invokes():
                    if call.callee.name == "<init>":
                        args = flow.args_at(call.offset)
                        for r in args[0] if args else ():
                            ctors.setdefault(r, []).extend(args[1:])
            for arg in ctors.get(v, ()):
                todo.extend(arg)
    return None


@check(
    "android.code.dynamic-code-loading",
    title=("Code loaded at run time from a file", "运行时从文件加载代码"),
    description=(
        "The app creates a DEX class loader. Code loaded this way escapes review of the "
        "installed package, and when the DEX file lies where other apps can write "
        "(external storage, downloads, world-writable directories) any of them can replace "
        "it and run its code inside this app.",
        "应用创建了 DEX 类加载器。这样加载的代码不在安装包的审核范围内;若 DEX 文件位于其他应用可写的"
        "位置(外部存储、下载目录、全局可写目录),任何应用都可替换它并在本应用中执行代码。",
    ),
    remediation=(
        "Ship code inside the APK or use Play Feature Delivery; if code must be loaded, "
        "keep it in the app's private storage, mark it read-only, and verify its signature "
        "or hash before loading.",
        "将代码打包在 APK 内或使用 Play Feature Delivery;如必须动态加载,仅从应用私有目录加载,设为"
        "只读,并在加载前校验其签名或哈希。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[94, 829],
    masvs=["MASVS-CODE-4", "MASVS-PLATFORM-1"],
    owasp=["M2", "M7"],
    gbt_34975=GBT_CODE,
)
def dynamic_code_loading(ctx: CheckContext) -> Iterator[Finding]:
    for loader in LOADERS:
        for site in ctx.code.call_sites(loader, "<init>"):
            yield _loader_finding(ctx, site, loader)


def _loader_finding(ctx: CheckContext, site: CodeSite, loader: str) -> Finding:
    name = loader.rsplit("/", 1)[-1].rstrip(";")
    flow = flow_at(site)
    in_memory = "InMemory" in loader
    where = None
    if flow is not None and not in_memory:
        args = flow.args_at(site.offset)
        if len(args) > 1:
            where = _external(flow, args[1])
    paths = sorted(arg_strings(site, 1, ctx.facts.values)) if not in_memory else []
    shown = f" from {paths[0]!r}" if len(paths) == 1 else ""
    if where:
        return ctx.code_finding(
            site,
            key=name,
            severity=Severity.HIGH,
            message=Text(
                f"{name} loads a DEX file from storage other apps can write ({where})",
                f"{name} 从其他应用可写的存储位置加载 DEX 文件({where})",
            ),
        )
    what = "from a byte buffer" if in_memory else f"a DEX file{shown}"
    what_zh = "内存缓冲区中的代码" if in_memory else f"DEX 文件{shown}"
    return ctx.code_finding(
        site,
        key=name,
        message=Text(f"{name} loads {what}", f"{name} 加载{what_zh}"),
    )


CONTEXT_INCLUDE_CODE = 0x1
CONTEXT_IGNORE_SECURITY = 0x2


# Play services loads its own module from the gms package after checking its signature.
PLAY_SERVICES = "com.google.android.gms"
GMS = "Lcom/google/android/gms/"


@check(
    "android.code.package-context-code-loading",
    title=("Code of another package loaded into the app", "将其他应用包的代码加载到本应用"),
    description=(
        "createPackageContext with CONTEXT_INCLUDE_CODE (and often CONTEXT_IGNORE_SECURITY) "
        "gives a class loader over another installed package; loading classes from it runs "
        "that package's code with this app's permissions and data. Any app installed under "
        "the expected package name (or matching a name prefix) gets code execution.",
        "使用 CONTEXT_INCLUDE_CODE(常与 CONTEXT_IGNORE_SECURITY 一起)调用 createPackageContext "
        "会得到其他已安装应用包的类加载器,从中加载类即以本应用的权限和数据执行该包的代码。任何以预期包名"
        "(或匹配包名前缀)安装的应用都能借此执行代码。",
    ),
    remediation=(
        "Do not load code from other packages. If a plug-in model is required, verify the "
        "plug-in's signing certificate (PackageManager.checkSignatures / hasSigningCertificate) "
        "before loading, and never pass CONTEXT_IGNORE_SECURITY.",
        "不要加载其他应用包的代码。如确需插件机制,加载前校验插件的签名证书(PackageManager."
        "checkSignatures / hasSigningCertificate),且不要使用 CONTEXT_IGNORE_SECURITY。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[94, 829],
    masvs=["MASVS-CODE-4", "MASVS-PLATFORM-1"],
    owasp=["M2", "M7"],
    gbt_34975=GBT_CODE,
)
def package_context_code(ctx: CheckContext) -> Iterator[Finding]:
    for site in ctx.facts.calls.of(
        CONTEXT, "createPackageContext", "(Ljava/lang/String;I)Landroid/content/Context;"
    ):
        flags = arg_ints(site, 2, ctx.facts.values)
        if not any(f & CONTEXT_INCLUDE_CODE for f in flags):
            continue
        if arg_strings(site, 1, ctx.facts.values) == {
            PLAY_SERVICES
        } and site.caller.class_desc.startswith(GMS):
            continue  # Play services' own loader: the gms package's signature is verified
        ignore = any(f & CONTEXT_IGNORE_SECURITY for f in flags)
        loads = _loads_class(site)
        how = " | CONTEXT_IGNORE_SECURITY" if ignore else ""
        then = ", then getClassLoader().loadClass()" if loads else ""
        then_zh = ",随后调用 getClassLoader().loadClass()" if loads else ""
        yield ctx.code_finding(
            site,
            severity=None if ignore or loads else Severity.MEDIUM,
            confidence=None if loads else Confidence.MEDIUM,
            message=Text(
                f"createPackageContext(…, CONTEXT_INCLUDE_CODE{how}){then}",
                f"createPackageContext(…, CONTEXT_INCLUDE_CODE{how}){then_zh}",
            ),
        )


def _loads_class(site: CodeSite) -> bool:
    """The context's class loader is used to load a class in the same method."""
    flow = flow_at(site)
    if flow is None:
        return False
    calls = {c.offset: c for c in flow.invokes()}
    for use, pos in flow.result_users(site.offset):
        call = calls.get(use)
        if pos != 0 or call is None or call.callee.name != "getClassLoader":
            continue
        for use2, pos2 in flow.result_users(use):
            c2 = calls.get(use2)
            if pos2 == 0 and c2 is not None and c2.callee.name in ("loadClass", "forName"):
                return True
            if c2 is not None and c2.callee.name == "forName":
                return True
    return False
