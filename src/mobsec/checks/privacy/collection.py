"""Reads of personal information the regulators single out: device identifiers and the
installed-app list (MIIT 337号文 items 1–3), at every place the code reads them."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.privacy._common import GBT_PRIVACY, access_message
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity

DEVICE_ID_TYPES = frozenset(
    {"device-id", "imsi", "sim-serial", "serial", "android-id", "mac-address"}
    | {"advertising-id", "oaid"}
)


@check(
    "android.privacy.device-identifier",
    title=("Device identifier read", "读取设备识别信息"),
    description=(
        "The code reads a device or subscriber identifier (IMEI/MEID, IMSI, SIM serial, "
        "hardware serial, Android ID, MAC address, advertising ID or OAID). Identifiers "
        "link a user's activity across apps and resets; Chinese regulators treat collecting "
        "them before consent or without stating the purpose as a violation (Notice 191 3.1, "
        "2.1; MIIT Notice 337).",
        "代码读取了设备或用户识别码(IMEI/MEID、IMSI、SIM 卡序列号、硬件序列号、Android ID、"
        "MAC 地址、广告标识符或 OAID)。这些标识可跨应用、跨重置关联用户行为；在同意前收集或未"
        "说明目的即收集属于违规(191号文 3.1、2.1;工信部 337号文)。",
    ),
    remediation=(
        "Read identifiers only after the user has agreed to the privacy policy and only "
        "where a function needs them; prefer app-scoped IDs (a random UUID, or OAID where "
        "an ad ID is required); list every SDK that reads them in the policy.",
        "仅在用户同意隐私政策后、且确有业务需要时读取设备标识;优先使用应用内随机 ID(或在需要广告"
        "标识时使用 OAID);在隐私政策中列明读取这些标识的每个 SDK。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
    standards={"191": ("2.1", "3.1"), "MIIT-337": ("1", "3")},
)
def device_identifier(ctx: CheckContext) -> Iterator[Finding]:
    col = ctx.facts.pi_collection
    for tid in sorted(DEVICE_ID_TYPES & set(col.uses)):
        for a in col.uses[tid].accesses:
            if a.how == "callback":
                continue
            sdk = a.owner.sdk
            if sdk is not None and sdk.id in NETWORK_LIBRARIES and not _app_calls(ctx, a.site):
                continue  # a MAC read for the library's own ids (Netty channel ids): not PI
            yield ctx.code_finding(a.site, message=access_message(a), key=a.source.id)


# Networking libraries that read a MAC address or device id for their own bookkeeping
# (Netty's DefaultChannelId/MacAddressUtil): the value does not leave the device as PI,
# unless the app's own code calls the reading method and takes the value.
NETWORK_LIBRARIES = frozenset({"netty", "okhttp", "grpc"})


def _app_calls(ctx: CheckContext, site) -> bool:
    """The app's own code calls the library method that makes this read."""
    m = site.caller
    return any(
        ctx.owner_of(s.caller.class_desc).kind == "app"
        for s in ctx.facts.calls.of(m.class_desc, m.name, m.proto, exact=True)
    )


@check(
    "android.privacy.installed-apps",
    title=("Installed-app list read", "读取已安装应用列表"),
    description=(
        "The code lists the apps installed on the device. The app list reveals interests, "
        "finances, health and religion, and MIIT names sharing it with third parties as a "
        "violation (MIIT Notice 337 item 3: list of commonly used apps). From Android 11 the list is filtered "
        "unless the app declares QUERY_ALL_PACKAGES or <queries>.",
        "代码获取了设备上已安装的应用列表。应用列表可反映兴趣、财务、健康和宗教信仰等,工信部"
        "将向第三方共享应用列表列为违规(337号文第 3 项:常用软件应用列表)。从 Android 11 起,"
        "除非声明 QUERY_ALL_PACKAGES 或 <queries>,列表会被过滤。",
    ),
    remediation=(
        "Query only the packages a function needs (getPackageInfo for a known package, "
        "<queries> entries), state the purpose in the privacy policy, and never read the "
        "list before consent.",
        "只查询功能所需的具体应用(对已知包名使用 getPackageInfo,声明 <queries>),在隐私政策中说明"
        "目的,且不得在用户同意前读取。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
    standards={"191": ("4.1",), "MIIT-337": ("2", "3")},
)
def installed_apps(ctx: CheckContext) -> Iterator[Finding]:
    use = ctx.facts.pi_collection.uses.get("installed-apps")
    if use is None:
        return
    for a in use.accesses:
        if a.confidence != "low":  # queryIntentActivities mostly resolves one intent
            yield ctx.code_finding(a.site, message=access_message(a), key=a.source.id)
