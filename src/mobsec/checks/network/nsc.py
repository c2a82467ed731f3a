"""Checks on the network security config file (res/xml/..., named by the manifest).

They report what the file itself declares, at the line that declares it; the platform
defaults by targetSdk (cleartext before API 28, user CAs up to API 23) are the manifest
checks' business, and the cleartext-URL check combines both (see ``cleartext_url``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.network._cleartext_use import app_cleartext_use
from mobsec.checks.network._common import GBT_COMMUNICATION
from mobsec.checks.registry import check
from mobsec.facts.network_config import Certificates, NetworkConfig, network_config
from mobsec.report.model import Confidence, Finding, Severity, Text


def _finding(
    ctx: CheckContext,
    cfg: NetworkConfig,
    line: int,
    message: Text,
    key: str,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
) -> Finding:
    assert cfg.file is not None
    return ctx.file_finding(
        cfg.file,
        evidence=cfg.excerpt(line, ctx.facts.pkg.resources),
        message=message,
        key=key,
        line=line,
        severity=severity,
        confidence=confidence,
    )


def _domains_text(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" (+{len(names) - 5})" if len(names) > 5 else "")


@check(
    "android.network.nsc-cleartext-permitted",
    title=("Network security config permits cleartext traffic", "网络安全配置允许明文流量"),
    description=(
        'cleartextTrafficPermitted="true" lets the app send HTTP (and other unencrypted '
        "traffic) that anyone on the network path can read and change. In <base-config> it "
        "applies to every host no <domain-config> covers; in a <domain-config> to its domains.",
        'cleartextTrafficPermitted="true" 允许应用发送 HTTP 等未加密流量,网络路径上的任何人都能读取'
        "和篡改。在 <base-config> 中对所有未被 <domain-config> 覆盖的主机生效;在 <domain-config> 中对其"
        "域名生效。",
    ),
    remediation=(
        'Serve every endpoint over HTTPS and remove cleartextTrafficPermitted="true"; if a '
        "legacy host cannot move yet, permit cleartext only in a <domain-config> for that host.",
        '所有接口改用 HTTPS 并删除 cleartextTrafficPermitted="true";确有无法迁移的旧主机时,仅在针对'
        "该主机的 <domain-config> 中允许明文。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def nsc_cleartext_permitted(ctx: CheckContext) -> Iterator[Finding]:
    cfg = network_config(ctx.facts)
    if not cfg.has_file:
        return
    if cfg.base_cleartext_declared and cfg.base_line is not None:
        use = app_cleartext_use(ctx)
        note = use.note()
        yield _finding(
            ctx,
            cfg,
            cfg.base_line,
            Text(
                "<base-config> permits cleartext traffic to every host" + note.en,
                "<base-config> 允许与所有主机进行明文通信" + note.zh,
            ),
            key="base-config",
            # Cleartext to the loopback interface never leaves the device.
            severity=Severity.INFO if use.loopback_only else None,
        )
    for dc in cfg.domain_configs:
        if not dc.cleartext_declared:
            continue
        names = _domains_text(dc.names())
        yield _finding(
            ctx,
            cfg,
            dc.line,
            Text(
                f"<domain-config> permits cleartext traffic to {names or 'its domains'}",
                f"<domain-config> 允许与 {names or '其域名'} 进行明文通信",
            ),
            key="domain-config:" + ",".join(dc.names()),
            severity=Severity.LOW,
        )


@check(
    "android.network.nsc-user-ca-trusted",
    title=("Network security config trusts user-installed CAs", "网络安全配置信任用户安装的 CA"),
    description=(
        '<certificates src="user"/> in the release configuration makes the app accept any '
        "certificate issued by a CA the user (or a device administrator, or someone who "
        "persuaded the user) installed, so that party can read and change the app's TLS "
        "traffic. Only <debug-overrides> is meant for such anchors.",
        '正式配置中的 <certificates src="user"/> 使应用接受用户(或设备管理员、诱导用户的攻击者)'
        "安装的任意 CA 所签发的证书,该方即可读取和篡改应用的 TLS 流量。此类信任锚只应放在 "
        "<debug-overrides> 中。",
    ),
    remediation=(
        'Remove src="user" from <base-config> and <domain-config>; to test through a proxy, '
        "put it in <debug-overrides>, which only debuggable builds honour.",
        '从 <base-config> 和 <domain-config> 中删除 src="user";如需通过代理测试,将其放入仅对可调试'
        "构建生效的 <debug-overrides>。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[295],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def nsc_user_ca_trusted(ctx: CheckContext) -> Iterator[Finding]:
    cfg = network_config(ctx.facts)
    if not cfg.has_file:
        return
    for c in cfg.base_anchors_declared or ():
        if c.is_user:
            yield _finding(
                ctx,
                cfg,
                c.line,
                Text(
                    "<base-config> trusts user-installed CAs for every host",
                    "<base-config> 对所有主机信任用户安装的 CA",
                ),
                key="base-config",
            )
    for dc in cfg.domain_configs:
        for c in dc.anchors_declared or ():
            if c.is_user:
                names = _domains_text(dc.names())
                yield _finding(
                    ctx,
                    cfg,
                    c.line,
                    Text(
                        f"<domain-config> trusts user-installed CAs for {names}",
                        f"<domain-config> 对 {names} 信任用户安装的 CA",
                    ),
                    key="domain-config:" + ",".join(dc.names()),
                    severity=Severity.MEDIUM,
                )


@check(
    "android.network.nsc-override-pins",
    title=("Trust anchors override certificate pins", "信任锚绕过证书固定"),
    description=(
        'overridePins="true" on a <certificates> anchor makes certificates from that anchor '
        'pass even when they match none of the pins: with src="user" anyone who installs a '
        "CA on the device defeats the pinning; with system or bundled anchors any of those "
        "CAs can.",
        '<certificates> 上的 overridePins="true" 使来自该信任锚的证书即使不匹配任何固定值也能通过:'
        'src="user" 时任何在设备上安装 CA 的人都能绕过证书固定;系统或内置信任锚时,其中任一 CA 均可'
        "绕过。",
    ),
    remediation=(
        'Remove overridePins="true" from release trust anchors (keep it, if at all, inside '
        "<debug-overrides>).",
        '从正式配置的信任锚中删除 overridePins="true"(如确需,仅保留在 <debug-overrides> 中)。',
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[295],
    masvs=["MASVS-NETWORK-2"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def nsc_override_pins(ctx: CheckContext) -> Iterator[Finding]:
    cfg = network_config(ctx.facts)
    if not cfg.has_file:
        return
    declared: list[Certificates] = list(cfg.base_anchors_declared or ())
    for dc in cfg.domain_configs:
        declared.extend(dc.anchors_declared or ())
    for c in declared:
        if not c.override_pins:
            continue
        # Only configs that both use this anchor and have pins are weakened by it.
        pinned = [
            d
            for d in cfg.domain_configs
            if d.pin_set is not None and any(a is c for a in d.anchors)
        ]
        names = _domains_text([n for d in pinned for n in d.names()])
        if pinned:
            en = f'certificates src="{c.src}" override the pins of {names}'
            zh = f'certificates src="{c.src}" 绕过了 {names} 的证书固定'
        else:
            en = f'certificates src="{c.src}" set overridePins, but no pin-set is in force there'
            zh = f'certificates src="{c.src}" 设置了 overridePins,但该范围内没有生效的 pin-set'
        yield _finding(
            ctx,
            cfg,
            c.line,
            Text(en, zh),
            key=f"{c.src}:{c.line}",
            severity=Severity.MEDIUM if c.is_user else Severity.LOW,
            confidence=Confidence.HIGH if pinned else Confidence.LOW,
        )


@check(
    "android.network.nsc-pin-expired",
    title=("Certificate pins have expired", "证书固定已过期"),
    description=(
        "A <pin-set> whose expiration date has passed is ignored by Android: the app then "
        "trusts any certificate its trust anchors accept for those domains, and the pinning "
        "the developers meant to have is silently gone.",
        "expiration 日期已过的 <pin-set> 会被 Android 忽略:此后应用对这些域名接受信任锚认可的任何证书,"
        "开发者期望的证书固定已悄然失效。",
    ),
    remediation=(
        "Update the pins (with a backup pin) and their expiration date in every release, or "
        "remove the expiration if the pins are rotated with app updates.",
        "在每个版本中更新固定值(含备用固定值)及其到期日期;如固定值随应用更新轮换,可去掉 expiration。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[295, 324],
    masvs=["MASVS-NETWORK-2"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def nsc_pin_expired(ctx: CheckContext) -> Iterator[Finding]:
    cfg = network_config(ctx.facts)
    if not cfg.has_file:
        return
    today = dt.datetime.now(dt.UTC).date()
    for dc in cfg.domain_configs:
        ps = dc.pin_set_declared
        if ps is None or not ps.expired(today):
            continue
        names = _domains_text(dc.names())
        yield _finding(
            ctx,
            cfg,
            ps.line,
            Text(
                f"the pins for {names} expired on {ps.expiration}; Android no longer checks them",
                f"{names} 的证书固定已于 {ps.expiration} 过期,Android 不再校验",
            ),
            key=",".join(dc.names()),
        )
