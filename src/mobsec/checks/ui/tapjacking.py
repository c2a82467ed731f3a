"""No protection against tapjacking (touches through an overlay window)."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

# Android 12 (API 31) blocks touches through most untrusted overlays for every app, so only
# devices below it are exposed; an app supporting them needs its own protection.
OVERLAY_PROTECTED_FROM_API = 31


def _layouts_filter_touches(ctx: CheckContext) -> bool:
    for path in ctx.facts.layout_files():
        root = ctx.facts.xml_file(path)
        if root is None:
            continue
        for el in root.iter():
            a = el.attr("filterTouchesWhenObscured")
            if a is not None and a.value(ctx.facts.pkg.resources) is True:
                return True
    return False


def _code_filters_touches(ctx: CheckContext) -> bool:
    """setFilterTouchesWhenObscured(...) called, or a view of the app that inspects
    touches itself by overriding onFilterTouchEventForSecurity."""
    code = ctx.code
    if code.call_sites("Landroid/view/View;", "setFilterTouchesWhenObscured"):
        return True
    name = "onFilterTouchEventForSecurity"
    # The name must be in a DEX string pool for any method to have it: a cheap filter
    # before looking at the classes of that file.
    for dex in code.dexes:
        if dex.pools.find_string(name) is None:
            continue
        for cls in dex.classes:
            if any(dex.method_ref(m.method_idx).name == name for m in cls.virtual_methods):
                return True
    return False


@check(
    "android.ui.tapjacking",
    title=("No tapjacking protection", "缺少防点击劫持保护"),
    description=(
        "No view of the app filters touches received while another window covers it "
        "(filterTouchesWhenObscured). On Android versions before 12 that the app supports, a "
        "malicious overlay can trick the user into tapping buttons of this app (granting, "
        "confirming, paying).",
        "应用的任何视图都未过滤被其他窗口遮挡时收到的触摸事件(filterTouchesWhenObscured)。在应用"
        "支持的 Android 12 以下版本上,恶意悬浮窗可诱导用户点击本应用的按钮(授权、确认、支付)。",
    ),
    remediation=(
        'Set android:filterTouchesWhenObscured="true" on views that confirm sensitive actions, '
        "or check MotionEvent.FLAG_WINDOW_IS_OBSCURED in onFilterTouchEventForSecurity.",
        '在确认敏感操作的视图上设置 android:filterTouchesWhenObscured="true",或在 '
        "onFilterTouchEventForSecurity 中检查 MotionEvent.FLAG_WINDOW_IS_OBSCURED。",
    ),
    severity=Severity.INFO,  # a per-app policy note, out of the default view
    confidence=Confidence.MEDIUM,
    cwe=[1021],
    masvs=["MASVS-PLATFORM-3"],
    owasp=["M8"],
    gbt_34975=["5.3.3 界面安全 / UI security"],
)
def tapjacking(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None or m.min_sdk >= OVERLAY_PROTECTED_FROM_API:
        return
    if not m.components_of("activity") or _layouts_filter_touches(ctx):
        return
    if _code_filters_touches(ctx):
        return
    yield ctx.manifest_finding(
        line=m.application.line,
        subject="application",
        message=Text(
            f"minSdk {m.min_sdk} < 31 and no view sets filterTouchesWhenObscured",
            f"minSdk 为 {m.min_sdk}(低于 31),且没有视图设置 filterTouchesWhenObscured",
        ),
    )
