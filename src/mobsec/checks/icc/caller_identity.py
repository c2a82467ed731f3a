"""IPC entry points that do not know who called them, or ask the wrong identity.

``ContentProvider.call()`` is not covered by the provider's read/write permissions: the
framework passes every call through, and only the method can check its caller. ``openFile``
of an exported provider with no permission hands files to any app unless the method checks.
And a permission check is only as good as the identity it asks about: after
``Binder.clearCallingIdentity()`` the "calling" uid is the app's own until
``restoreCallingIdentity``, and ``Process.myUid()`` / ``myPid()`` always are.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.checks.storage._common import CONTENT_PROVIDER, CONTEXT, site_args
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.facts.dataflow import MethodFlow, method_flow
from mobsec.ingest.dex import DexFile, DexSet, MethodDef
from mobsec.report.model import Confidence, Finding, Severity, Text

from .components import BINDER, PROVIDER_IPC

# Calls that identify or vet the caller; any one of them in the method counts as a check
# (whether it is sufficient is for a reviewer: the finding is about their absence).
CALLER_CHECKS = frozenset(
    {
        "getCallingPackage",
        "getCallingAttributionTag",
        "getCallingAttributionSource",
        "getCallingUid",
        "getCallingPid",
        "getCallingUserHandle",
        "checkCallingPermission",
        "enforceCallingPermission",
        "checkCallingOrSelfPermission",
        "enforceCallingOrSelfPermission",
        "checkCallingUriPermission",
        "enforceCallingUriPermission",
        "checkPermission",
        "enforcePermission",
        "checkSignatures",
    }
)
CALL_PROTOS = (
    "(Ljava/lang/String;Ljava/lang/String;Landroid/os/Bundle;)Landroid/os/Bundle;",
    "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/os/Bundle;)"
    "Landroid/os/Bundle;",
)
FILE_METHODS = ("openFile", "openAssetFile", "openTypedAssetFile")


@check(
    "android.icc.provider-call-unchecked",
    title=(
        "Content provider call() or openFile() does not check its caller",
        "内容提供器的 call() 或 openFile() 未校验调用方",
    ),
    description=(
        "An exported content provider implements call() (or, with no permission on the "
        "provider, openFile()) and the method never asks who is calling: no "
        "getCallingPackage / Binder.getCallingUid, no checkCallingPermission or "
        "enforceCallingPermission. The framework does not apply the provider's read and "
        "write permissions to call(), so every installed app can invoke whatever the method "
        "does (change settings, return data, run commands), and openFile() of an "
        "unprotected provider returns the app's files to anyone.",
        "导出的内容提供器实现了 call()(或在提供器未设置权限时实现了 openFile()),而该方法从不确认"
        "调用方:没有 getCallingPackage / Binder.getCallingUid,也没有 checkCallingPermission 或 "
        "enforceCallingPermission。框架不会对 call() 应用提供器的读写权限,任何已安装的应用都能调用"
        "该方法所做的一切(修改设置、返回数据、执行命令);未受保护的提供器的 openFile() 会把应用的"
        "文件交给任何人。",
    ),
    remediation=(
        "In call(), enforce a permission for each method name "
        "(getContext().enforceCallingPermission(...)) or check getCallingPackage() against "
        "an allow-list verified by signature; protect openFile() with a provider permission "
        "or serve files through FileProvider with per-URI grants.",
        "在 call() 中按方法名校验权限(getContext().enforceCallingPermission(...)),或将 "
        "getCallingPackage() 与经签名校验的白名单比对;为 openFile() 所在提供器设置权限,或改用 "
        "FileProvider 按 URI 临时授权。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[862, 926],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M3", "M8"],
    gbt_34975=[GBT_COMPONENT],
)
def provider_call_unchecked(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    providers = {
        c.name: c for c in m.components if c.kind == "provider" and c.exported and c.enabled
    }
    code = ctx.code
    for desc in ctx.facts.hierarchy.app_subtypes([CONTENT_PROVIDER]):
        comp = providers.get(java_name(desc))
        if comp is None:
            continue
        found = code.find_class(desc)
        if found is None:
            continue
        dex, cls = found
        open_to_all = not (comp.permission or comp.read_permission)
        for method in cls.virtual_methods:
            ref = dex.method_ref(method.method_idx)
            is_call = ref.name == "call" and ref.proto in CALL_PROTOS
            if not (is_call or (open_to_all and ref.name in FILE_METHODS)) or not method.code_off:
                continue
            flow = method_flow(dex, method)
            if flow is None or not flow.complete or not _does_something(flow, ref.name):
                continue
            if _checks_caller(code, dex, method, flow, depth=0):
                continue
            guard = "" if open_to_all else " (its permission does not cover call())"
            guard_zh = "" if open_to_all else "(提供器权限不覆盖 call())"
            yield ctx.method_finding(
                dex,
                method.method_idx,
                0,  # the method's first instruction: the finding is about the whole body
                key=ref.name,
                message=Text(
                    f"exported provider {comp.name}: {ref.name}() never checks its caller{guard}",
                    f"导出的提供器 {comp.name}:{ref.name}() 从不校验调用方{guard_zh}",
                ),
            )


def _does_something(flow: MethodFlow, name: str) -> bool:
    """More than the default body (``return super.call(...)`` / ``return null`` / throw)."""
    return any(c.callee.name != name and c.callee.name != "<init>" for c in flow.invokes())


def _checks_caller(
    code: DexSet, dex: DexFile, method: MethodDef, flow: MethodFlow, depth: int
) -> bool:
    """A caller check in the method or in a helper of the same class it calls (one level:
    ``call()`` dispatching to ``checkAccess(); doWork()`` is common)."""
    own = dex.method_ref(method.method_idx).class_desc
    for c in flow.invokes():
        if c.callee.name in CALLER_CHECKS:
            return True
        if depth == 0 and c.callee.class_desc == own:
            found = _method(code, own, c.callee.name, c.callee.proto)
            if found is not None:
                inner = method_flow(found[0], found[1])
                if inner is not None and _checks_caller(code, found[0], found[1], inner, 1):
                    return True
    return False


def _method(code: DexSet, desc: str, name: str, proto: str) -> tuple[DexFile, MethodDef] | None:
    found = code.find_class(desc)
    if found is None:
        return None
    dex, cls = found
    for m in cls.methods:
        ref = dex.method_ref(m.method_idx)
        if ref.name == name and ref.proto == proto and m.code_off:
            return dex, m
    return None


PROCESS = "Landroid/os/Process;"
# Permission checks that take the identity to check: (method, pid position, uid position),
# receiver 0.
IDENTITY_CHECKS = {
    "checkPermission": (2, 3),
    "enforcePermission": (2, 3),
    "checkUriPermission": (3, 4),
    "enforceUriPermission": (3, 4),
}
OWN_IDENTITY = ("myUid", "myPid")


@check(
    "android.icc.wrong-caller-identity",
    title=(
        "Permission check asks about the app's own identity instead of the caller's",
        "权限校验使用了应用自身身份而非调用方身份",
    ),
    description=(
        "An IPC entry point (a Binder method, an exported provider's query/call/openFile...) "
        "checks the caller with an identity that is the app's own: Binder.getCallingUid() or "
        "getCallingPid() read after Binder.clearCallingIdentity() (until "
        "restoreCallingIdentity they return this process's identity), or "
        "checkPermission(permission, Process.myPid(), Process.myUid()). The check then passes "
        "for every caller whenever the app itself holds the permission (a confused deputy).",
        "IPC 入口(Binder 方法、导出提供器的 query/call/openFile 等)用应用自身的身份校验调用方:在 "
        "Binder.clearCallingIdentity() 之后读取 Binder.getCallingUid() 或 getCallingPid()(在 "
        "restoreCallingIdentity 之前它们返回本进程的身份),或调用 checkPermission(permission, "
        "Process.myPid(), Process.myUid())。只要应用自身持有该权限,任何调用方都能通过校验(混淆代理)。",
    ),
    remediation=(
        "Read Binder.getCallingUid()/getCallingPid() (or use checkCallingPermission) before "
        "clearCallingIdentity(), and pass the caller's pid and uid to checkPermission; never "
        "Process.myPid()/myUid() in an IPC method.",
        "在 clearCallingIdentity() 之前读取 Binder.getCallingUid()/getCallingPid()(或使用 "
        "checkCallingPermission),向 checkPermission 传入调用方的 pid 与 uid;IPC 方法中不要使用 "
        "Process.myPid()/myUid()。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[863, 441],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M3"],
    gbt_34975=[GBT_COMPONENT],
)
def wrong_caller_identity(ctx: CheckContext) -> Iterator[Finding]:
    yield from _after_clear(ctx)
    yield from _own_identity_checks(ctx)


def _after_clear(ctx: CheckContext) -> Iterator[Finding]:
    """getCallingUid/Pid between clearCallingIdentity and restoreCallingIdentity (code order
    within one method: the usual try/finally shape)."""
    for clear in ctx.code.call_sites(BINDER, "clearCallingIdentity"):
        method = clear.dex.method_by_idx(clear.caller_idx)
        flow = method_flow(clear.dex, method) if method is not None else None
        if flow is None:
            continue
        restores = [
            c.offset
            for c in flow.invokes()
            if c.callee.class_desc == BINDER
            and c.callee.name == "restoreCallingIdentity"
            and c.offset > clear.offset
        ]
        end = min(restores, default=1 << 30)
        for c in flow.invokes():
            if (
                c.callee.class_desc == BINDER
                and c.callee.name in ("getCallingUid", "getCallingPid")
                and clear.offset < c.offset < end
            ):
                yield ctx.method_finding(
                    clear.dex,
                    clear.caller_idx,
                    c.offset,
                    key=f"after-clear:{c.callee.name}",
                    message=Text(
                        f"Binder.{c.callee.name}() after clearCallingIdentity(): returns this "
                        "app's own identity, not the caller's",
                        f"在 clearCallingIdentity() 之后调用 Binder.{c.callee.name}():返回的是"
                        "本应用自身的身份而非调用方的",
                    ),
                )


def _own_identity_checks(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    providers = (
        {c.name for c in m.components if c.exported and c.kind == "provider"} if m else set()
    )
    for name, positions in IDENTITY_CHECKS.items():
        for site in ctx.facts.calls.of(CONTEXT, name):
            desc = site.caller.class_desc
            in_provider = java_name(desc) in providers and site.caller.name in PROVIDER_IPC
            if not in_provider and not ctx.code.is_subtype(desc, BINDER):
                continue  # outside IPC, checking the app's own permission is the intent
            args = site_args(site)
            if args is None or len(args) <= max(positions):
                continue
            own = sorted(
                {
                    v.data.name  # type: ignore[union-attr]
                    for p in positions
                    for v in args[p]
                    if v.kind == "result"
                    and v.data.class_desc == PROCESS  # type: ignore[union-attr]
                    and v.data.name in OWN_IDENTITY  # type: ignore[union-attr]
                }
            )
            if not own:
                continue
            shown = "/".join(f"Process.{o}()" for o in own)
            yield ctx.code_finding(
                site,
                key=f"own:{name}",
                message=Text(
                    f"{name} with {shown} in an IPC method: checks this app, not the caller",
                    f"IPC 方法中以 {shown} 调用 {name}:校验的是本应用而非调用方",
                ),
            )
