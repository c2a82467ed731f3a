"""Native code loaded from external storage: any app that can write there runs code here.

``System.load(path)`` / ``Runtime.load(path)`` map a shared library into the app's process
and run its constructors with the app's identity. When the path lies on external storage
(``getExternalFilesDir``, ``Environment.getExternalStorageDirectory``, ``/sdcard/...``),
other apps with storage access — every app on older Android — can replace the file first.
DEX class loaders from such paths are ``android.code.dynamic-code-loading``; this is the
native twin. The path is followed across methods (a caller's directory, a field).
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.code._common import GBT_CODE
from mobsec.checks.code.dynamic_loading import _external
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

NATIVE_LOADS = (
    ("Ljava/lang/System;", "load", 0),  # static: the path is argument 0
    ("Ljava/lang/Runtime;", "load", 1),  # receiver first
)


@check(
    "android.code.external-native-load",
    title=("Native library loaded from external storage", "从外部存储加载本地库"),
    description=(
        "System.load / Runtime.load maps a native library from external storage into the "
        "app. Other apps that can write there (any app with storage access, every app on "
        "older Android versions) can replace the file before it is loaded and run native "
        "code with this app's identity, data and permissions.",
        "System.load / Runtime.load 从外部存储把本地库加载进应用。能写入该位置的其他应用(任何拥有"
        "存储权限的应用,旧版 Android 上则是所有应用)可在加载前替换该文件,以本应用的身份、数据和"
        "权限执行本地代码。",
    ),
    remediation=(
        "Ship native libraries in the APK (lib/<abi>/) and load them with "
        "System.loadLibrary; if a library must be downloaded, keep it in internal storage, "
        "make it read-only and verify its signature or hash before loading.",
        "将本地库打包在 APK 中(lib/<abi>/)并用 System.loadLibrary 加载;如必须下载,仅存放在内部"
        "存储,设为只读,并在加载前校验其签名或哈希。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[94, 829, 427],
    masvs=["MASVS-CODE-4", "MASVS-PLATFORM-1"],
    owasp=["M2", "M7"],
    gbt_34975=GBT_CODE,
)
def external_native_load(ctx: CheckContext) -> Iterator[Finding]:
    for cls, name, position in NATIVE_LOADS:
        for site in ctx.code.call_sites(cls, name, "(Ljava/lang/String;)V"):
            why = _external_path(ctx, site, position)
            if why is None:
                continue
            yield ctx.code_finding(
                site,
                key=f"{name}:{why}",
                message=Text(
                    f"{cls[1:].split('/')[-1].rstrip(';')}.load of a library under {why} "
                    "(external storage: other apps can replace it)",
                    f"{cls[1:].split('/')[-1].rstrip(';')}.load 加载位于 {why} 下的库"
                    "(外部存储:其他应用可替换该文件)",
                ),
            )


def _external_path(ctx: CheckContext, site: CodeSite, position: int) -> str | None:
    """Why the path argument lies on external storage, looked for in the method that made
    each value reaching the call (the caller's own, or a caller's, or a field's setter)."""
    va = ctx.facts.values
    for r in va.arg(site, position):
        if r.made_in is None:
            continue
        flow = va.flow(*r.made_in)
        if flow is None:
            continue
        why = _external(flow, frozenset({r.value}))
        if why is not None:
            return why
    return None
