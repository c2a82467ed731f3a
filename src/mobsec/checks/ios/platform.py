"""Info.plist interfaces to other apps and to the user: URL schemes, permission purposes."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import (
    GBT_COMPONENTS,
    GBT_PERMISSIONS,
    GBT_STORAGE,
    excerpt,
    facts,
)
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

# Schemes every app may declare for system features; not an app-defined entry point.
SYSTEM_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms", "file"})
MIN_PURPOSE_LEN = 12  # characters; shorter texts cannot say what the data is used for
PLACEHOLDERS = ("todo", "tbd", "xxx", "lorem", "description", "usage description", "test")


@check(
    "ios.platform.url-scheme",
    title=("Custom URL scheme: input from any app", "自定义 URL Scheme:可被任意应用调用"),
    description=(
        "The app registers a custom URL scheme (CFBundleURLTypes). Any app or web page can "
        "open such a URL, and another app can register the same scheme: parameters must be "
        "validated and nothing sensitive may be sent to it.",
        "应用注册了自定义 URL Scheme(CFBundleURLTypes)。任何应用或网页都能打开此类 URL,其他应用也"
        "可注册同名 Scheme:必须校验参数,且不能通过它传递敏感数据。",
    ),
    remediation=(
        "Validate every parameter in application(_:open:options:); prefer Universal Links "
        "(associated domains) for authentication callbacks.",
        "在 application(_:open:options:) 中校验所有参数;认证回调优先使用通用链接(Universal Links)。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[939],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENTS],
)
def url_scheme(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    for scheme in f.url_schemes:
        if scheme.lower() in SYSTEM_SCHEMES:
            continue
        yield ctx.file_finding(
            f.info_path,
            evidence=excerpt("CFBundleURLTypes", f.info.get("CFBundleURLTypes")),
            key=scheme,
            message=Text(f"{scheme}://", f"{scheme}://"),
        )


@check(
    "ios.privacy.usage-description",
    title=("Permission purpose string missing or vague", "权限用途说明缺失或含糊"),
    description=(
        "An NS…UsageDescription shown to the user when the app asks for a permission is "
        "empty, a placeholder, or too short to say what the data is used for. Users must be "
        "told the purpose of collecting personal information.",
        "申请权限时向用户展示的 NS…UsageDescription 为空、为占位文字或过短,无法说明数据用途。"
        "收集个人信息必须向用户明示目的。",
    ),
    remediation=(
        "Write, for each permission, what is collected, why and how it is used, in the "
        "user's language (InfoPlist.strings).",
        "为每项权限写明收集什么、为何收集及如何使用,并以用户语言提供(InfoPlist.strings)。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[359],
    masvs=["MASVS-PRIVACY-3"],
    owasp=["M6"],
    gbt_34975=[GBT_PERMISSIONS],
    standards={"191": ("3.2",)},
)
def usage_description(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    for key, text in f.usage_descriptions.items():
        t = text.strip()
        vague = len(t) < MIN_PURPOSE_LEN or t.lower() in PLACEHOLDERS
        # CJK text says more per character: 6 characters can state a purpose
        if vague and any("\u4e00" <= c <= "\u9fff" for c in t) and len(t) >= 6:
            vague = False
        if vague:
            yield ctx.file_finding(
                f.info_path,
                evidence=excerpt(key, text),
                key=key,
                message=Text(f'{key}: "{t}"', f"{key}:“{t}”"),
            )


FILE_SHARING_KEYS = ("UIFileSharingEnabled", "LSSupportsOpeningDocumentsInPlace")


@check(
    "ios.platform.file-sharing",
    title=("Documents folder shared with the computer / Files app", "文档目录对电脑/文件应用共享"),
    description=(
        "Info.plist sets UIFileSharingEnabled (or LSSupportsOpeningDocumentsInPlace): "
        "everything the app writes to its Documents folder can be read and replaced from a "
        "connected computer (Finder/iTunes) or the Files app, without the app's consent.",
        "Info.plist 设置了 UIFileSharingEnabled(或 LSSupportsOpeningDocumentsInPlace):应用写入"
        "Documents 目录的所有内容都可以被连接的电脑(Finder/iTunes)或“文件”应用读取和替换。",
    ),
    remediation=(
        "Keep sensitive files out of Documents (use Library/Application Support with data "
        "protection), or turn file sharing off.",
        "不要把敏感文件放在 Documents 目录(改用启用数据保护的 Library/Application Support),"
        "或关闭文件共享。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[552],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M9"],
    gbt_34975=[GBT_STORAGE],
)
def file_sharing(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    for key in FILE_SHARING_KEYS:
        if f.info.get(key) is True:
            yield ctx.file_finding(
                f.info_path,
                evidence=excerpt(key, True),
                key=key,
                message=Text(f"{key} = true", f"{key} = true"),
            )
