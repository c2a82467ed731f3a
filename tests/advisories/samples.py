"""Advisories to export in tests: an app, an SDK (Maven), an npm library, a minimal one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from mobsec.advisories import Advisory, Credit, Product, Reference, Revision, Text

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
T1 = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)

APP = Advisory(
    id="MOBSEC-2026-0001",
    title=Text(
        "Exported content provider leaks orders in Example Shop for Android",
        "Example Shop 安卓版导出的内容提供器泄露订单",
    ),
    description=Text(
        "The OrderProvider content provider is exported without a permission; any app on the "
        "device can read the user's orders.",
        "OrderProvider 内容提供器未设置权限即被导出,设备上任意应用均可读取用户订单。",
    ),
    impact=Text("Disclosure of order history and addresses.", "泄露订单历史和收货地址。"),
    solution=Text("Update to version 4.2.1.", "升级到 4.2.1 版本。"),
    mitigation=Text("Uninstall other untrusted apps.", "卸载不可信的其他应用。"),
    products=(
        Product(
            vendor="Example Co.",
            name="Example Shop",
            package="com.example.shop",
            platform="android",
            introduced="4.0.0",
            fixed="4.2.1",
            versions=("4.1.0", "4.2.0"),
        ),
    ),
    cwe=("CWE-926", "CWE-200"),
    cvss_v31="CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    cvss_v40="CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
    references=(Reference("https://example.com/shop/releases/4.2.1", "fix", "Release notes"),),
    credits=(Credit("Li Lei", "finder", "Example Lab"),),
    revisions=(Revision(1, T0, "Initial release"), Revision(2, T1, "CVE id added")),
    cve_id="CVE-2026-12345",
    extra={
        "url": "https://mobsec.example/advisories/MOBSEC-2026-0001/",
        "csaf_url": "https://mobsec.example/.well-known/csaf/white/2026/mobsec-2026-0001.json",
    },
)

SDK = Advisory(
    id="MOBSEC-2026-0002",
    title=Text("Hard-coded key in Example Push SDK", "Example Push SDK 硬编码密钥"),
    description=Text(
        "The SDK encrypts messages with a key compiled into the library.",
        "该 SDK 使用编译在库中的密钥加密消息。",
    ),
    solution=Text("Update the SDK to 2.5.0.", "将 SDK 升级到 2.5.0。"),
    products=(
        Product(
            vendor="Example Push",
            name="Push SDK",
            package="com.example.push:push-sdk",
            platform="android",
            ecosystem="Maven",
            fixed="2.5.0",
        ),
        Product(
            vendor="Example Push",
            name="Push SDK for React Native",
            package="@example/push-rn",
            ecosystem="npm",
            introduced="1.0.0",
            fixed="1.3.2",
            versions=("1.3.1",),
        ),
    ),
    cwe=("CWE-321",),
    cvss_v31="CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
    cvss_v40="CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
    credits=(Credit("Anonymous reporter", "reporter"),),
    revisions=(Revision(1, T0, "Initial release"),),
    extra={"url": "https://mobsec.example/advisories/MOBSEC-2026-0002/"},
)

# Only a mitigation, no CVSS, a CWE that is a category (no CSAF cwe), no credits or CVE.
MINIMAL = Advisory(
    id="ACME-2027-0100",
    title=Text("Weak WebView settings", "WebView 配置不当"),
    description=Text("JavaScript bridges are exposed to remote pages.", "JS 桥暴露给远程页面。"),
    mitigation=Text("Do not open links from untrusted sources.", "不要打开来源不明的链接。"),
    products=(Product(vendor="ACME", name="ACME Reader", versions=("1.0",)),),
    cwe=("CWE-919",),
    revisions=(Revision(1, T1, "Initial release"),),
    extra={"url": "https://acme.example/advisories/ACME-2027-0100/"},
)

ALL = (APP, SDK, MINIMAL, replace(SDK, id="MOBSEC-2026-0003", cve_id="CVE-2026-0042"))
