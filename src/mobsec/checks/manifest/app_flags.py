"""Application-level flags in the manifest that weaken the app on a user's device."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import (
    GBT_BACKUP,
    GBT_COMMUNICATION,
    GBT_DEBUGGING,
    GBT_PERMISSIONS,
    GBT_PLATFORM,
)
from mobsec.checks.manifest._private_data import private_data_writer
from mobsec.checks.network._cleartext_use import app_cleartext_use
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
    gbt_34975=[GBT_DEBUGGING],
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


def _declared(ctx: CheckContext, line: int, attribute: str) -> bool:
    """Whether the element at ``line`` spells ``android:<attribute>`` out (vs a default)."""
    element = ctx.manifest_element(line)
    return element is not None and element.attr(attribute) is not None


@check(
    "android.manifest.allow-backup",
    title=("Application data can be backed up", "应用数据可被备份"),
    description=(
        "With android:allowBackup true (the default), the app's private files, databases and "
        "shared preferences are copied into backups: with adb backup anyone with USB access "
        "can extract them (apps targeting API 31+ are excluded from adb backup unless "
        "debuggable), and cloud or device-to-device transfer copies them too.",
        "android:allowBackup 为 true(默认值)时,应用的私有文件、数据库和 SharedPreferences 会"
        "被纳入备份:可通过 USB 访问设备的人能用 adb backup 导出这些数据(targetSdk 31 及以上"
        "的应用除非可调试,否则不参与 adb 备份),云备份和设备间迁移也会复制这些数据。",
    ),
    remediation=(
        'Set android:allowBackup="false", or keep backup and exclude secrets and tokens with '
        "android:fullBackupContent / android:dataExtractionRules.",
        '设置 android:allowBackup="false",或保留备份但通过 android:fullBackupContent / '
        "android:dataExtractionRules 排除密钥和令牌等敏感数据。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[530],
    masvs=["MASVS-STORAGE-2"],
    owasp=["M9", "M8"],
    gbt_34975=[GBT_BACKUP],
)
def allow_backup(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    app = m.application
    if not app.allow_backup or app.full_backup_content is False:
        return  # backup off, or full-data backup switched off
    how = (
        ("declared", "显式声明")
        if _declared(ctx, app.line, "allowBackup")
        else ("default", "默认值")
    )
    rules = app.data_extraction_rules or (
        app.full_backup_content if isinstance(app.full_backup_content, str) else None
    )
    severity = Severity.MEDIUM if m.target_sdk < 31 else Severity.LOW
    if rules:
        # What the rules exclude decides the risk; they are not evaluated here.
        yield ctx.manifest_finding(
            line=app.line,
            subject="application",
            key="rules",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            message=Text(
                f"android:allowBackup is true ({how[0]}); backup content is limited by the "
                f"rules in {rules}, review what they include",
                f"android:allowBackup 为 true({how[1]});备份内容受 {rules} 中的规则限制,"
                f"请检查其包含的数据",
            ),
        )
        return
    stored = ("", "")
    if private_data_writer(ctx.facts) is None:
        # Nothing that runs opens a private file, preference or database: a backup holds
        # nothing of the app's, so this is a policy note out of the default view.
        severity = Severity.INFO
        stored = (
            "; no code that runs keeps private files, preferences or databases",
            ";可运行的代码不保存任何私有文件、SharedPreferences 或数据库",
        )
    yield ctx.manifest_finding(
        line=app.line,
        subject="application",
        severity=severity,
        message=Text(
            f"android:allowBackup is true ({how[0]}) and no backup rules limit what is copied "
            f"(targetSdkVersion {m.target_sdk}){stored[0]}",
            f"android:allowBackup 为 true({how[1]}),且没有备份规则限制备份内容"
            f"(targetSdkVersion {m.target_sdk}){stored[1]}",
        ),
    )


@check(
    "android.manifest.cleartext-traffic",
    title=("Cleartext network traffic allowed", "允许明文网络通信"),
    description=(
        "android:usesCleartextTraffic true (declared, or the default for targetSdkVersion < 28) "
        "lets the app use plain HTTP and other unencrypted sockets, which anyone on the "
        "network path can read and change.",
        "android:usesCleartextTraffic 为 true(显式声明,或 targetSdkVersion < 28 时的默认值)"
        "时应用可使用 HTTP 等明文通信,网络路径上的任何人都能读取和篡改。",
    ),
    remediation=(
        'Set android:usesCleartextTraffic="false" (or target API 28+) and use HTTPS; if a '
        "host truly needs HTTP, allow only it in a network security config.",
        '设置 android:usesCleartextTraffic="false"(或将 targetSdk 提升到 28 及以上)并使用 '
        "HTTPS;确需 HTTP 的主机,仅在网络安全配置中单独放行。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def cleartext_traffic(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    app = m.application
    if not app.uses_cleartext_traffic:
        return
    if app.network_security_config:
        # From API 24 the network security config replaces the attribute; the network
        # checks judge the config itself.
        return
    use = app_cleartext_use(ctx)
    note = use.note()
    # Cleartext to the loopback interface never leaves the device: a note, not a risk.
    loopback = Severity.INFO if use.loopback_only else None
    if app.uses_cleartext_traffic_declared:
        yield ctx.manifest_finding(
            line=app.line,
            subject="application",
            severity=loopback,
            message=Text(
                'android:usesCleartextTraffic="true" is declared' + note.en,
                '声明了 android:usesCleartextTraffic="true"' + note.zh,
            ),
        )
        return
    yield ctx.manifest_finding(
        line=app.line,
        subject="application",
        key="default",
        severity=loopback or Severity.LOW,
        confidence=Confidence.MEDIUM,
        message=Text(
            f"cleartext traffic is allowed by default: targetSdkVersion {m.target_sdk} < 28 "
            f"and no network security config{note.en}",
            f"默认允许明文通信:targetSdkVersion {m.target_sdk} < 28 且未配置网络安全配置{note.zh}",
        ),
    )


@check(
    "android.manifest.test-only",
    title=("Application is marked test-only", "应用被标记为仅供测试"),
    description=(
        "android:testOnly marks a build meant for development: it installs only with "
        "adb install -t and can be uninstalled or updated in ways a release cannot; it shows "
        "a development build was shipped.",
        "android:testOnly 表示这是开发用构建:只能通过 adb install -t 安装,且可被以正式版不允许"
        "的方式卸载或更新;说明发布了开发构建。",
    ),
    remediation=(
        "Build releases with the release build type; remove android:testOnly.",
        "使用 release 构建类型生成正式版,删除 android:testOnly。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M8"],
    gbt_34975=[GBT_DEBUGGING],
)
def test_only_build(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is not None and m.application.test_only:
        yield ctx.manifest_finding(
            line=m.application.line,
            subject="application",
            message=Text('android:testOnly="true"', 'android:testOnly="true"'),
        )


# Below this minSdkVersion the app installs on Android 5.x and older: no runtime
# permissions, and no security updates for years (Android 6.0 is API 23).
MIN_SDK_FLOOR = 23
# Android 4.3 and older (API <= 18): addJavascriptInterface reachable from any page below
# API 17, SecureRandom seeding flaw, SELinux not enforcing.


@check(
    "android.manifest.min-sdk-too-low",
    title=("Supports outdated Android versions", "支持过时的 Android 版本"),
    description=(
        "A low minSdkVersion lets the app install on Android versions without security "
        "updates, where platform flaws the app cannot fix (WebView, TLS defaults, the Janus "
        "signature flaw, install-time permissions) put its data at risk.",
        "过低的 minSdkVersion 使应用可安装在已停止安全更新的 Android 版本上,其平台缺陷(WebView、"
        "TLS 默认配置、Janus 签名漏洞、安装时授权等)应用自身无法修复,会危及应用数据。",
    ),
    remediation=(
        f"Raise minSdkVersion to at least {MIN_SDK_FLOOR} (Android 6.0), higher where the "
        "audience allows.",
        f"将 minSdkVersion 提升到至少 {MIN_SDK_FLOOR}(Android 6.0),用户群允许时应更高。",
    ),
    severity=Severity.INFO,  # a per-app policy note, out of the default view
    confidence=Confidence.HIGH,
    cwe=[1104],
    masvs=["MASVS-CODE-1"],
    owasp=["M8"],
    gbt_34975=[GBT_PLATFORM],
)
def min_sdk_too_low(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    root = ctx.facts.pkg.manifest_xml
    if m is None or root is None or m.min_sdk_codename or m.min_sdk >= MIN_SDK_FLOOR:
        return
    uses_sdk = next(iter(root.iter("uses-sdk")), None)
    line = uses_sdk.line if uses_sdk is not None else root.line
    how = "" if uses_sdk is not None else " (no <uses-sdk>: Android assumes 1)"
    how_zh = "" if uses_sdk is not None else "(未声明 <uses-sdk>:Android 视为 1)"
    yield ctx.manifest_finding(
        line=line,
        subject="uses-sdk",
        # A policy note (issue 13): info, out of the default view; the weaknesses an old
        # minSdk enables (Janus, v1 SHA-1, world-readable modes) are their own findings.
        severity=Severity.INFO,
        message=Text(
            f"minSdkVersion is {m.min_sdk}{how}",
            f"minSdkVersion 为 {m.min_sdk}{how_zh}",
        ),
    )


@check(
    "android.manifest.shared-user-id",
    title=("Application shares a Linux user id", "应用共享 Linux 用户 ID"),
    description=(
        "android:sharedUserId runs the app under one Linux user with every other app signed "
        "by the same key that declares the same id: they share files, databases and granted "
        "permissions, so a flaw in one exposes all. It is deprecated since API 29.",
        "android:sharedUserId 使应用与所有使用相同签名且声明相同 ID 的应用运行于同一 Linux 用户下:"
        "它们共享文件、数据库和已授予的权限,一个应用的缺陷会波及全部。该属性自 API 29 起已废弃。",
    ),
    remediation=(
        "Remove android:sharedUserId and exchange data through protected components "
        "(signature-level permissions) instead.",
        "删除 android:sharedUserId,改用受签名级权限保护的组件交换数据。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[250],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_PERMISSIONS],
)
def shared_user_id(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    root = ctx.facts.pkg.manifest_xml
    if m is None or root is None or not m.shared_user_id:
        return
    system = m.shared_user_id.startswith("android.uid.")
    yield ctx.manifest_finding(
        line=root.line,
        subject="manifest",
        severity=Severity.MEDIUM if system else Severity.LOW,
        message=Text(
            f'android:sharedUserId="{m.shared_user_id}"'
            + (" (a platform user id: the app runs with system privileges)" if system else ""),
            f'android:sharedUserId="{m.shared_user_id}"'
            + ("(系统用户 ID:应用以系统权限运行)" if system else ""),
        ),
    )
