"""TrustManagers whose checkServerTrusted cannot say no, and HostnameVerifiers that always say yes.

Both are decided on the bytecode of the app's own implementations (and of SDKs, whose
findings stay attributed): see :mod:`._rejects` for what "can reject" means, and
:func:`_always_true` for the data-flow test of ``verify``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.network._common import (
    EXTENDED_TRUST_MANAGER,
    GBT_COMMUNICATION,
    HOSTNAME_VERIFIER,
    TRUST_MANAGER,
)
from mobsec.checks.network._hierarchy import is_instantiated, overrides
from mobsec.checks.network._rejects import THROW, can_reject
from mobsec.checks.registry import check
from mobsec.facts.dataflow import method_flow
from mobsec.ingest.dex import DexFile, MethodDef
from mobsec.report.model import Confidence, Finding, Severity, Text

CHAIN = "[Ljava/security/cert/X509Certificate;"
SERVER_TRUSTED_PROTOS = (
    f"({CHAIN}Ljava/lang/String;)V",
    f"({CHAIN}Ljava/lang/String;Ljava/net/Socket;)V",
    f"({CHAIN}Ljava/lang/String;Ljavax/net/ssl/SSLEngine;)V",
)
VERIFY_PROTO = "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"
RETURN_VALUE = 0x0F  # return (32-bit); verify() returns a boolean


def _first_offset(dex: DexFile, method: MethodDef) -> int | None:
    for insn in dex.iter_instructions(method):
        return insn.offset
    return None


@check(
    "android.network.trustmanager-accepts-all",
    title=("TrustManager accepts every certificate", "TrustManager 接受任意证书"),
    description=(
        "The app implements X509TrustManager.checkServerTrusted so that it never throws: "
        "the body is empty, only logs, only checks the validity period, or catches and "
        "drops the exception of the real check. Any TLS connection using it accepts a "
        "certificate made by anyone, so a man in the middle reads and changes the traffic.",
        "应用实现的 X509TrustManager.checkServerTrusted 从不抛出异常:方法体为空、只记录日志、只检查"
        "有效期,或捕获并丢弃真正校验的异常。使用它的 TLS 连接会接受任何人伪造的证书,中间人可读取"
        "并篡改流量。",
    ),
    remediation=(
        "Remove the custom TrustManager and use the platform default; to trust a private CA "
        "or pin keys, use network_security_config (<trust-anchors>, <pin-set>) or delegate "
        "to the default TrustManager and let its CertificateException propagate.",
        "删除自定义 TrustManager,使用系统默认实现;如需信任私有 CA 或固定公钥,使用 "
        "network_security_config(<trust-anchors>、<pin-set>),或委托给默认 TrustManager 并让其 "
        "CertificateException 向上抛出。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[295],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def trustmanager_accepts_all(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for o in overrides(
        code, (TRUST_MANAGER, EXTENDED_TRUST_MANAGER), "checkServerTrusted", SERVER_TRUSTED_PROTOS
    ):
        verdict = can_reject(code, o.dex, o.method)
        if verdict.rejects:
            continue
        cls = java_name(o.class_def.descriptor)
        if verdict.swallowed:
            calls = ", ".join(sorted(set(verdict.swallowed))[:3])
            en = f"{cls}.checkServerTrusted catches and drops the rejection of {calls}"
            zh = f"{cls}.checkServerTrusted 捕获并丢弃了 {calls} 的拒绝异常"
        elif verdict.validity_only:
            en = f"{cls}.checkServerTrusted only checks the validity period of the certificate"
            zh = f"{cls}.checkServerTrusted 只检查证书有效期"
        else:
            en = f"{cls}.checkServerTrusted never throws: every certificate chain is accepted"
            zh = f"{cls}.checkServerTrusted 从不抛出异常:接受任意证书链"
        confidence = None
        if not is_instantiated(code, o.class_def.descriptor):
            confidence = Confidence.MEDIUM
            en += " (the class is not instantiated by name in the app's code)"
            zh += "(应用代码中未直接实例化该类)"
        ref = o.dex.method_ref(o.method.method_idx)
        yield ctx.method_finding(
            o.dex,
            o.method.method_idx,
            _first_offset(o.dex, o.method),
            message=Text(en, zh),
            key=ref.proto,
            confidence=confidence,
        )


@check(
    "android.network.hostname-verifier-accepts-all",
    title=("HostnameVerifier accepts every host name", "HostnameVerifier 接受任意主机名"),
    description=(
        "The app's HostnameVerifier.verify returns true on every path, so a certificate "
        "issued for any other host is accepted: whoever holds a valid certificate for their "
        "own domain can impersonate the app's servers.",
        "应用的 HostnameVerifier.verify 在所有路径上都返回 true,因此为其他任意主机签发的证书也会被"
        "接受:持有自己域名有效证书的任何人都能冒充应用的服务器。",
    ),
    remediation=(
        "Do not replace the default HostnameVerifier; if one is needed, delegate to "
        "HttpsURLConnection.getDefaultHostnameVerifier() and return false when it fails.",
        "不要替换默认 HostnameVerifier;确需自定义时,委托给 "
        "HttpsURLConnection.getDefaultHostnameVerifier(),校验失败时返回 false。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[297],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def hostname_verifier_accepts_all(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for o in overrides(code, (HOSTNAME_VERIFIER,), "verify", (VERIFY_PROTO,)):
        first_return = _always_true(o.dex, o.method)
        if first_return is None:
            continue
        cls = java_name(o.class_def.descriptor)
        en = f"{cls}.verify returns true for every host name"
        zh = f"{cls}.verify 对任意主机名都返回 true"
        confidence = None
        if not is_instantiated(code, o.class_def.descriptor):
            confidence = Confidence.MEDIUM
            en += " (the class is not instantiated by name in the app's code)"
            zh += "(应用代码中未直接实例化该类)"
        yield ctx.method_finding(
            o.dex,
            o.method.method_idx,
            first_return,
            message=Text(en, zh),
            confidence=confidence,
        )


def _always_true(dex: DexFile, method: MethodDef) -> int | None:
    """Offset of the first ``return`` when every reachable one returns the constant 1."""
    flow = method_flow(dex, method)
    if flow is None or not flow.complete:
        return None
    first: int | None = None
    for insn, state in flow.iter_states():
        if insn.op == THROW:
            return None
        if insn.op != RETURN_VALUE:
            continue
        reg = insn.regs[0]
        values = state[reg] if reg < len(state) else frozenset()
        if not values or any(v.kind != "const" or v.data != 1 for v in values):
            return None
        if first is None or insn.pc < first:
            first = insn.pc
    return first
