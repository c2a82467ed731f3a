"""Certificate pinning present (informational): where the app pins, so a reviewer knows.

Three kinds: OkHttp's CertificatePinner (a call to ``CertificatePinner.Builder.add``), a
``<pin-set>`` still in force in the network security config, and a TrustManager whose
``checkServerTrusted`` can reject and looks at the server's public key (a hand-made pin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.network._common import EXTENDED_TRUST_MANAGER, GBT_COMMUNICATION, TRUST_MANAGER
from mobsec.checks.network._hierarchy import overrides
from mobsec.checks.network._rejects import can_reject
from mobsec.checks.network.trust_manager import SERVER_TRUSTED_PROTOS
from mobsec.checks.registry import check
from mobsec.facts.network_config import network_config
from mobsec.report.model import Confidence, Finding, Severity, Text

PINNER_BUILDERS = (
    "Lokhttp3/CertificatePinner$Builder;",
    "Lcom/squareup/okhttp/CertificatePinner$Builder;",
)
KEY_ACCESS = ("getPublicKey", "getEncoded")


@check(
    "android.network.certificate-pinning",
    title=("Certificate pinning present", "存在证书固定"),
    description=(
        "The app pins server certificates or public keys (OkHttp CertificatePinner, a "
        "<pin-set> in network_security_config, or a TrustManager that compares keys). "
        "Informational: pinning narrows who can intercept TLS; reviewers should check the "
        "pins cover every sensitive host, include a backup pin and are kept up to date.",
        "应用对服务器证书或公钥进行了固定(OkHttp CertificatePinner、network_security_config 中的 "
        "<pin-set>,或比对公钥的 TrustManager)。仅供参考:证书固定缩小了可拦截 TLS 的范围;审核时应"
        "确认固定覆盖所有敏感主机、包含备用固定值并及时更新。",
    ),
    remediation=(
        "Nothing to fix. Keep a backup pin, rotate pins with app updates, and prefer "
        "<pin-set> in network_security_config over hand-written TrustManagers.",
        "无需修复。保留备用固定值,随应用更新轮换固定值;优先使用 network_security_config 的 "
        "<pin-set>,而非手写 TrustManager。",
    ),
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    cwe=[295],
    masvs=["MASVS-NETWORK-2"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def certificate_pinning(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for builder in PINNER_BUILDERS:
        for site in code.call_sites(builder, "add"):
            yield ctx.code_finding(
                site,
                key="okhttp",
                message=Text(
                    "OkHttp CertificatePinner pins a host", "OkHttp CertificatePinner 固定了主机"
                ),
            )
    cfg = network_config(ctx.facts)
    if cfg.file is not None:
        today = dt.datetime.now(dt.UTC).date()
        for dc in cfg.domain_configs:
            ps = dc.pin_set_declared
            if ps is None or not ps.pins or ps.expired(today):
                continue
            names = ", ".join(dc.names()[:5])
            yield ctx.file_finding(
                cfg.file,
                evidence=cfg.excerpt(ps.line, ctx.facts.pkg.resources),
                line=ps.line,
                key=",".join(dc.names()),
                message=Text(
                    f"<pin-set> with {len(ps.pins)} pin(s) for {names}",
                    f"<pin-set> 为 {names} 固定了 {len(ps.pins)} 个值",
                ),
            )
    for o in overrides(
        code, (TRUST_MANAGER, EXTENDED_TRUST_MANAGER), "checkServerTrusted", SERVER_TRUSTED_PROTOS
    ):
        invoked = {o.dex.method_ref(r.target).name for r in o.dex.invokes_in(o.method.method_idx)}
        if invoked.isdisjoint(KEY_ACCESS) or not can_reject(code, o.dex, o.method).rejects:
            continue
        cls = java_name(o.class_def.descriptor)
        yield ctx.method_finding(
            o.dex,
            o.method.method_idx,
            _key_offset(o.dex, o.method.method_idx),
            key="trustmanager",
            confidence=Confidence.MEDIUM,
            message=Text(
                f"{cls}.checkServerTrusted compares the server's key (hand-made pinning)",
                f"{cls}.checkServerTrusted 比对服务器公钥(自行实现的证书固定)",
            ),
        )


def _key_offset(dex, method_idx: int) -> int | None:
    for r in dex.invokes_in(method_idx):
        if dex.method_ref(r.target).name in KEY_ACCESS:
            return r.offset
    return None
