"""Application-level flags in the manifest that weaken the app on a user's device."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "android.manifest.debuggable",
    title=("Application is debuggable", "应用可被调试"),
    description=(
        "android:debuggable lets anyone with USB access attach a debugger, read the app's "
        "private files with run-as and change its behaviour at run time.",
        "android:debuggable 允许任何可通过 USB 连接设备的人附加调试器、用 run-as 读取应用私有"
        "文件并在运行时改变其行为。",
    ),
    remediation=(
        "Remove android:debuggable (release builds set it to false) and make sure release "
        "builds do not point it at a resource that can be true.",
        "删除 android:debuggable(正式版构建默认为 false),并确保正式版不会通过资源引用将其设为 true。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M8", "M7"],
    gbt_34975=["5.3.4 应用调试安全 / debugging"],
)
def debuggable(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    app = m.application
    if app.debuggable:
        how = "resource reference" if app.debuggable_is_reference else "literal"
        yield ctx.manifest_finding(
            line=app.line,
            subject="application",
            message=Text(
                f"android:debuggable is true ({how})", f"android:debuggable 为 true({how})"
            ),
        )
    elif app.debuggable_is_reference:
        # The value comes from a resource: true in some configuration or build flavour
        # is possible even when the default is false, so say so at lower confidence.
        yield ctx.manifest_finding(
            line=app.line,
            subject="application",
            key="reference",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            message=Text(
                "android:debuggable is set through a resource reference (false in the "
                "default configuration); it can differ per build or configuration",
                "android:debuggable 通过资源引用设置(默认配置下为 false),不同构建或配置下可能不同",
            ),
        )
