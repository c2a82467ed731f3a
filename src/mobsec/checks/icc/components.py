"""Component code that trusts its caller: provider file paths, permission checks that also
pass for the app itself, fragment injection, and deserialisation of received objects."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.checks.storage._common import CONTENT_PROVIDER, CONTEXT, forward_uses, site_flow
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.facts.dataflow import method_flow
from mobsec.report.model import Confidence, Finding, Severity, Text

URI = "Landroid/net/Uri;"
PATH_GETTERS = ("getLastPathSegment", "getPath", "getPathSegments", "getEncodedPath")
PROVIDER_FILE_METHODS = ("openFile", "openAssetFile", "openTypedAssetFile", "call")
FILE_OPENERS = {"Ljava/io/File;", "Ljava/io/FileInputStream;", "Ljava/io/FileOutputStream;",
                "Ljava/io/RandomAccessFile;", "Ljava/io/FileReader;", "Ljava/io/FileWriter;"}  # fmt: skip
CANONICALISERS = ("getCanonicalPath", "getCanonicalFile", "normalize", "toRealPath")


@check(
    "android.icc.provider-path-traversal",
    title=("Content provider opens files named by the URI path", "内容提供者按 URI 路径打开文件"),
    description=(
        "A ContentProvider's openFile / openAssetFile / call builds a file path from "
        "Uri.getLastPathSegment() or getPath() without canonicalising it. These return the "
        "decoded path, so '..%2F' becomes '../' and a caller can read or overwrite any file "
        "of the app (path traversal).",
        "ContentProvider 的 openFile / openAssetFile / call 使用 Uri.getLastPathSegment() 或 "
        "getPath() 构造文件路径且未做规范化。它们返回解码后的路径,'..%2F' 会变成 '../',调用方"
        "可借此读取或覆盖应用的任意文件(路径遍历)。",
    ),
    remediation=(
        "Resolve the file, call getCanonicalPath() and check it is inside the intended "
        "directory before opening it; or map URIs to files through a table / FileProvider.",
        "解析出文件后调用 getCanonicalPath() 并确认其位于预期目录内再打开;或通过映射表 / "
        "FileProvider 将 URI 对应到文件。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[22],
    masvs=["MASVS-PLATFORM-1", "MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENT],
)
def provider_path_traversal(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for desc in ctx.facts.hierarchy.app_subtypes([CONTENT_PROVIDER]):
        found = code.find_class(desc)
        if found is None:
            continue
        dex, cls = found
        for m in cls.methods:
            ref = dex.method_ref(m.method_idx)
            if ref.name not in PROVIDER_FILE_METHODS or not m.code_off:
                continue
            flow = method_flow(dex, m)
            if flow is None or not flow.complete:
                continue
            calls = flow.invokes()
            if any(c.callee.name in CANONICALISERS for c in calls):
                continue
            for src in calls:
                if src.callee.class_desc != URI or src.callee.name not in PATH_GETTERS:
                    continue
                for use, pos in forward_uses(flow, src.offset):
                    c = use.callee
                    if c.name == "<init>" and c.class_desc in FILE_OPENERS and pos > 0:
                        yield ctx.method_finding(
                            dex,
                            m.method_idx,
                            use.offset,
                            key=f"{ref.name}:{src.callee.name}",
                            message=Text(
                                f"{ref.name}: new {java_name(c.class_desc)}(…) from "
                                f"Uri.{src.callee.name}() without getCanonicalPath",
                                f"{ref.name}:使用 Uri.{src.callee.name}() 构造 "
                                f"{java_name(c.class_desc)},未调用 getCanonicalPath",
                            ),
                        )
                        break


SELF_CHECKS = ("checkCallingOrSelfPermission", "enforceCallingOrSelfPermission",
               "checkCallingOrSelfUriPermission", "enforceCallingOrSelfUriPermission")  # fmt: skip
BINDER = "Landroid/os/Binder;"
PROVIDER_IPC = frozenset(
    {
        "query",
        "insert",
        "bulkInsert",
        "update",
        "delete",
        "getType",
        "call",
        "openFile",
        "openAssetFile",
        "openTypedAssetFile",
        "applyBatch",
    }
)


@check(
    "android.icc.calling-or-self-permission",
    title=("Permission check that also passes for the app itself", "权限校验对应用自身也会通过"),
    description=(
        "checkCallingOrSelfPermission / enforceCallingOrSelfPermission succeed when either "
        "the caller or this app holds the permission. On an IPC entry point (a Binder "
        "method, an exported content provider's query/insert/call/openFile...) a caller "
        "without the permission passes whenever this app has it.",
        "checkCallingOrSelfPermission / enforceCallingOrSelfPermission 在调用方或本应用持有权限"
        "时都会通过。在 IPC 入口(Binder 方法、导出内容提供器的 query/insert/call/openFile 等)中,"
        "只要本应用持有该权限,无权限的调用方也能通过校验。",
    ),
    remediation=(
        "Use checkCallingPermission / enforceCallingPermission (caller only) for IPC, "
        "or declare the permission on the component in the manifest.",
        "IPC 中使用 checkCallingPermission / enforceCallingPermission(只校验调用方),或在清单中"
        "为组件声明权限。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[863],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M3"],
    gbt_34975=[GBT_COMPONENT],
)
def calling_or_self_permission(ctx: CheckContext) -> Iterator[Finding]:
    # Only on IPC entry points: a Binder method or an exported provider's IPC method runs
    # with the caller's identity. In onCreate/onStartCommand/onReceive the "calling"
    # identity is the app itself, so the check asks about the app's own permissions,
    # which is what such code means to do.
    m = ctx.manifest
    providers = (
        {c.name for c in m.components if c.exported and c.kind == "provider"} if m else set()
    )
    for name in SELF_CHECKS:
        for site in ctx.facts.calls.of(CONTEXT, name):
            desc = site.caller.class_desc
            in_provider = java_name(desc) in providers and site.caller.name in PROVIDER_IPC
            if not in_provider and not ctx.code.is_subtype(desc, BINDER):
                continue
            yield ctx.code_finding(site, key=name, message=Text(name, name))


PREFERENCE_ACTIVITY = "Landroid/preference/PreferenceActivity;"


@check(
    "android.icc.fragment-injection",
    title=(
        "PreferenceActivity open to fragment injection",
        "PreferenceActivity 存在 Fragment 注入",
    ),
    description=(
        "An exported PreferenceActivity loads the fragment class named in the "
        "':android:show_fragment' extra. With targetSdk < 19 and no isValidFragment, or an "
        "isValidFragment that always returns true, another app can make it instantiate any "
        "fragment of the app with its own arguments.",
        "导出的 PreferenceActivity 会加载 ':android:show_fragment' 附加数据指定的 Fragment 类。"
        "targetSdk < 19 且未实现 isValidFragment,或 isValidFragment 总是返回 true 时,其他应用"
        "可让它以攻击者提供的参数实例化应用内任意 Fragment。",
    ),
    remediation=(
        "Override isValidFragment and return true only for the fragment classes the "
        "activity is meant to show; do not export the activity if not needed.",
        "重写 isValidFragment,只对该 Activity 应显示的 Fragment 类返回 true;不需要时不要导出该 Activity。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[470],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENT],
)
def fragment_injection(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    comps = {c.name: c for c in m.components if c.kind == "activity" and c.exported}
    code = ctx.code
    for desc in ctx.facts.hierarchy.app_subtypes([PREFERENCE_ACTIVITY]):
        comp = comps.get(java_name(desc))
        if comp is None:
            continue
        checker = None
        for d in [desc, *code.superclasses(desc)]:
            found = code.find_class(d)
            if found is None:
                break
            for md in found[1].methods:
                if found[0].method_ref(md.method_idx).name == "isValidFragment" and md.code_off:
                    checker = (found[0], md)
                    break
            if checker:
                break
        if checker is None:
            if m.target_sdk < 19:
                yield ctx.manifest_finding(
                    line=comp.line,
                    subject=comp.name,
                    owner_class=comp.name,
                    message=Text(
                        "exported PreferenceActivity, targetSdk < 19, no isValidFragment",
                        "导出的 PreferenceActivity,targetSdk < 19,未实现 isValidFragment",
                    ),
                )
            continue
        dex, md = checker
        ret = _always_true(dex, md)
        if ret is not None:
            yield ctx.method_finding(
                dex,
                md.method_idx,
                ret,
                message=Text(
                    "isValidFragment always returns true", "isValidFragment 总是返回 true"
                ),
            )


def _always_true(dex, md) -> int | None:
    """Offset of the return when every return of the method returns the constant 1."""
    flow = method_flow(dex, md)
    if flow is None or not flow.complete:
        return None
    returns = [insn for insn, _ in flow.iter_states() if insn.op == 0x0F]
    if not returns:
        return None
    for insn in returns:
        vals = flow.values_of(insn.pc, insn.regs[0])
        if not vals or any(v.kind != "const" or v.data != 1 for v in vals):
            return None
    return returns[0].pc


OBJECT_INPUT_STREAM = "Ljava/io/ObjectInputStream;"
SERIALIZABLE_EXTRAS = (("Landroid/content/Intent;", "getSerializableExtra"),
                       ("Landroid/os/Bundle;", "getSerializable"))  # fmt: skip


@check(
    "android.icc.object-deserialization",
    title=("Java deserialisation of received data", "对接收到的数据进行 Java 反序列化"),
    description=(
        "ObjectInputStream.readObject or Intent.getSerializableExtra turns bytes into "
        "objects of any Serializable class on the class path. If another app or the network "
        "controls the bytes, gadget classes can run code or corrupt state while the object is "
        "built. Reported unless the stream restricts classes (resolveClass override), the "
        "bytes come from a file in the app's private storage (openFileInput, getFilesDir), "
        "the extras reach a component no other app can start, or the read is a class's own "
        "readObject hook.",
        "ObjectInputStream.readObject 或 Intent.getSerializableExtra 会把字节还原为类路径上任意 "
        "Serializable 类的对象。若字节由其他应用或网络控制,利用链类可在对象构造时执行代码或破坏"
        "状态。以下情况不报告:流限制了可用类(重写 resolveClass)、字节来自应用私有存储中的文件"
        "(openFileInput、getFilesDir)、Intent 附加数据只能到达其他应用无法启动的组件,或读取发生在"
        "类自身的 readObject 钩子中。",
    ),
    remediation=(
        "Exchange data as JSON / Parcelable with explicit fields; if Java serialisation is "
        "unavoidable, override resolveClass with an allow-list (or ObjectInputFilter) and "
        "use getSerializableExtra(name, Class) on API 33+.",
        "改用字段明确的 JSON / Parcelable 交换数据;确需 Java 序列化时重写 resolveClass 实现白名单"
        "(或使用 ObjectInputFilter),API 33+ 使用 getSerializableExtra(name, Class)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[502],
    masvs=["MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENT],
)
def object_deserialization(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    streams = [
        d for d in ctx.facts.hierarchy.subtypes(OBJECT_INPUT_STREAM)
        if d == OBJECT_INPUT_STREAM or not _restricts_classes(ctx, d)
    ]  # fmt: skip
    for d in streams:
        for name in ("readObject", "readUnshared"):
            for site in ctx.facts.calls.of(d, name, "()Ljava/lang/Object;", exact=True):
                if _restricts_classes(ctx, site.caller.class_desc) and site.caller.name == name:
                    continue  # a stream subclass delegating to super
                if _serialization_hook(site.caller):
                    continue  # the class's own readObject reads its fields: not a sink
                if _reads_private_file(site):
                    continue  # bytes the app wrote into its own private storage
                yield ctx.code_finding(
                    site,
                    key=name,
                    message=Text(f"ObjectInputStream.{name}", f"ObjectInputStream.{name}"),
                )
    private = _private_components(ctx)
    for cls, name in SERIALIZABLE_EXTRAS:
        for site in code.call_sites(cls, name, "(Ljava/lang/String;)Ljava/io/Serializable;"):
            if site.caller.class_desc in private:
                continue  # a component only the app itself can start sent these extras
            yield ctx.code_finding(site, key=name, message=Text(name, name))


def _private_components(ctx: CheckContext) -> set[str]:
    """Class descriptors of the app's declared components no other app can reach."""
    m = ctx.manifest
    if m is None:
        return set()
    return {"L" + c.name.replace(".", "/") + ";" for c in m.components if not c.exported}


# Where an ObjectInputStream's bytes come from decides whether another party controls them:
# the app's private directories are written by the app alone (another app, the network,
# external storage or an unknown origin are reported).
PRIVATE_DIRS = frozenset({"getFilesDir", "getCacheDir", "getDir", "getNoBackupFilesDir",
                          "getDataDir", "getDatabasePath", "getCodeCacheDir"})  # fmt: skip
PRIVATE_OPENERS = frozenset({"openFileInput"})
STREAM_WRAPPERS = frozenset({"Ljava/io/BufferedInputStream;", "Ljava/io/FileInputStream;",
                             "Ljava/io/File;", "Ljava/util/zip/GZIPInputStream;"})  # fmt: skip


def _reads_private_file(site) -> bool:
    """True when every stream the ObjectInputStream at ``site`` reads is a file in the app's
    private storage (``openFileInput``, or a File under ``getFilesDir()``...), as the
    calling method builds it."""
    flow = site_flow(site)
    if flow is None or not flow.complete:
        return False
    args = flow.args_at(site.offset)
    return bool(args) and _private_origin(flow, args[0], 0)


def _private_origin(flow, values, depth: int) -> bool:
    if not values or depth > 4:
        return False
    for v in values:
        if v.kind == "result" and v.data.name in PRIVATE_OPENERS | PRIVATE_DIRS:
            continue
        if v.kind == "new" and (v.data == OBJECT_INPUT_STREAM or v.data in STREAM_WRAPPERS):
            made = _constructor_args(flow, v)
            # new File(parent, name): the parent decides; a stream wraps its first argument
            if made is None or not _private_origin(flow, made, depth + 1):
                return False
            continue
        return False
    return True


def _constructor_args(flow, new):
    """The values of the first constructor argument of the object ``new`` made here."""
    for call in flow.invokes():
        if call.callee.name != "<init>" or call.callee.class_desc != new.data:
            continue
        args = flow.args_at(call.offset)
        if len(args) >= 2 and new in args[0]:
            return args[1]
    return None


# A class's own deserialisation hooks: they run only when something already deserialises
# the class, and read that class's own fields from the stream handed to them.
SERIALIZATION_HOOKS = frozenset({"readObject", "readObjectImpl", "readExternal", "readResolve"})


def _serialization_hook(caller) -> bool:
    return caller.name in SERIALIZATION_HOOKS and caller.proto.startswith(
        ("(Ljava/io/ObjectInputStream;)", "(Ljava/io/ObjectInput;)")
    )


def _restricts_classes(ctx: CheckContext, desc: str) -> bool:
    found = ctx.code.find_class(desc)
    if found is None:
        return False
    dex, cls = found
    return any(dex.method_ref(m.method_idx).name == "resolveClass" for m in cls.methods)
