"""Permissions the app defines and providers whose protection has holes.

A custom permission only keeps other apps out at ``signature`` level; ``normal`` is granted
to any app that lists it, ``dangerous`` to any app the user approves. Providers can hand out
per-URI grants (``grantUriPermissions``) that outlive the permission check, and
``<path-permission>`` protects only the paths it names.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import GBT_COMPONENTS, GBT_PERMISSIONS, strength_of_level
from mobsec.checks.registry import check
from mobsec.facts.manifest import Manifest
from mobsec.report.model import Confidence, Finding, Severity, Text


def _guarded_by(m: Manifest, permission: str) -> list[str]:
    """Names of this app's components (or "application") that require ``permission``."""
    out = ["application"] if m.application.permission == permission else []
    for c in m.components:
        perms = {c.permission, c.read_permission, c.write_permission}
        for pp in c.path_permissions:
            perms |= {pp.get("permission"), pp.get("read_permission"), pp.get("write_permission")}
        if permission in perms:
            out.append(c.name)
    return out


@check(
    "android.manifest.weak-custom-permission",
    title=("Custom permission with a weak protection level", "自定义权限保护级别过低"),
    description=(
        "The app defines a permission with protectionLevel normal or dangerous: any app can "
        "obtain it (normal: just by asking; dangerous: once the user agrees), so the "
        "components it guards are open to them.",
        "应用定义的权限保护级别为 normal 或 dangerous:任何应用都能获得该权限(normal 只需声明;"
        "dangerous 只需用户同意),其保护的组件因此对这些应用开放。",
    ),
    remediation=(
        'Use android:protectionLevel="signature" for permissions that guard the app\'s own '
        "components, so only apps signed with the same key get them.",
        '保护本应用组件的权限应使用 android:protectionLevel="signature",使只有相同签名的应用才能'
        "获得。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[732],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8", "M3"],
    gbt_34975=[GBT_PERMISSIONS],
)
def weak_custom_permission(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for p in m.permissions:
        strength = strength_of_level(p.protection_level)
        if strength == "signature":
            continue
        guarded = _guarded_by(m, p.name)
        if guarded:
            names = ", ".join(guarded[:5]) + (" ..." if len(guarded) > 5 else "")
            extra = (f"; it guards {names}", f";它保护 {names}")
            severity = Severity.MEDIUM
        else:
            # Defined for other apps to use (or unused): weak, but nothing of ours behind it.
            extra = ("; no component of this app requires it", ";本应用没有组件要求该权限")
            severity = Severity.LOW
        yield ctx.manifest_finding(
            line=p.line,
            subject=p.name,
            severity=severity,
            message=Text(
                f"permission {p.name} has protectionLevel {p.protection_level}{extra[0]}",
                f"权限 {p.name} 的保护级别为 {p.protection_level}{extra[1]}",
            ),
        )


@check(
    "android.manifest.provider-grant-uri-permissions",
    title=(
        "Content provider grants URI permissions on all paths",
        "内容提供器对全部路径授予 URI 权限",
    ),
    description=(
        'android:grantUriPermissions="true" lets the app hand any URI of this provider to '
        "another app with an intent flag (FLAG_GRANT_READ/WRITE_URI_PERMISSION), even when "
        "the provider is not exported. Combined with an intent the app passes on unchecked "
        "(setResult, intent redirection) an attacker reads or writes everything it serves.",
        'android:grantUriPermissions="true" 允许应用通过 Intent 标志(FLAG_GRANT_READ/'
        "WRITE_URI_PERMISSION)把该提供器的任意 URI 授权给其他应用,即使提供器未导出。若应用"
        "未经检查就转发 Intent(setResult、Intent 重定向),攻击者即可读写其提供的全部数据。",
    ),
    remediation=(
        "Limit grants to the paths that must be shared with <grant-uri-permission "
        "android:pathPrefix=...>, and never return or forward intents received from other "
        "apps without removing their grant flags.",
        "使用 <grant-uri-permission android:pathPrefix=...> 将授权限制在必须共享的路径,且不要在"
        "未清除授权标志的情况下返回或转发来自其他应用的 Intent。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[732, 926],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def provider_grant_uri_permissions(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c in m.components_of("provider"):
        if not c.enabled or not c.grant_uri_permissions:
            continue
        exported = c.exported
        file_provider = _is_file_provider(ctx, c.name)
        # A FileProvider can grant only the files its paths resource lists (judged where
        # that resource is checked); any other provider grants whatever it serves.
        scope_en = " (a FileProvider: grants are limited to its configured paths)"
        scope_zh = "(FileProvider:授权范围限于其配置的路径)"
        yield ctx.manifest_finding(
            line=c.line,
            subject=c.name,
            owner_class=c.name,
            # A private FileProvider must set grantUriPermissions (it refuses to start
            # otherwise): the required configuration, a note; its paths are the finding.
            severity=(
                Severity.MEDIUM if exported else (Severity.INFO if file_provider else Severity.LOW)
            ),
            confidence=Confidence.LOW if file_provider else None,
            message=Text(
                f"provider {c.name} ({', '.join(c.authorities) or 'no authority'}) sets "
                f'android:grantUriPermissions="true"'
                + (" and is exported" if exported else "")
                + (scope_en if file_provider else ""),
                f"内容提供器 {c.name}({', '.join(c.authorities) or '无 authority'})设置了 "
                f'android:grantUriPermissions="true"'
                + ("且已导出" if exported else "")
                + (scope_zh if file_provider else ""),
            ),
        )


_FILE_PROVIDERS = (
    "Landroidx/core/content/FileProvider;",
    "Landroid/support/v4/content/FileProvider;",
)


def _is_file_provider(ctx: CheckContext, class_name: str) -> bool:
    desc = "L" + class_name.replace(".", "/") + ";"
    return desc in _FILE_PROVIDERS or any(ctx.code.is_subtype(desc, fp) for fp in _FILE_PROVIDERS)


@check(
    "android.manifest.provider-path-permission-only",
    title=(
        "Exported content provider protected only by path permissions",
        "导出的内容提供器仅由路径权限保护",
    ),
    description=(
        "The provider has no provider-wide read or write permission; <path-permission> "
        "elements protect only the paths they match. Every other path, and paths reached "
        "through a different spelling (encoded characters, extra slashes), is open to any app.",
        "该提供器没有整体的读写权限;<path-permission> 只保护其匹配的路径。其他路径,以及通过不同"
        "写法(编码字符、多余斜杠)访问到的路径,对任何应用开放。",
    ),
    remediation=(
        "Protect the whole provider with android:readPermission/android:writePermission "
        '(protectionLevel="signature") and use <path-permission> only to open specific paths.',
        "用 android:readPermission/android:writePermission(保护级别 signature)保护整个提供器,"
        "<path-permission> 仅用于放开特定路径。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[926, 285],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8", "M3"],
    gbt_34975=[GBT_COMPONENTS],
)
def provider_path_permission_only(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None or not m.application.enabled:
        return
    for c in m.components_of("provider"):
        if not (c.exported and c.enabled and c.path_permissions):
            continue
        if c.read_permission or c.write_permission:
            continue
        paths = [
            pp.get("path") or pp.get("path_prefix") or pp.get("path_pattern") or "?"
            for pp in c.path_permissions
        ]
        listed = ", ".join(p for p in paths[:5] if p)
        yield ctx.manifest_finding(
            line=c.line,
            subject=c.name,
            owner_class=c.name,
            message=Text(
                f"exported provider {c.name} has no provider-wide permission; only {listed} "
                f"are protected by <path-permission>",
                f"导出的内容提供器 {c.name} 没有整体权限;只有 {listed} 受 <path-permission> 保护",
            ),
        )
