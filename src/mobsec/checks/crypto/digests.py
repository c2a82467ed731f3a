"""Weak message digests and MACs chosen by name at getInstance."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.dataflow import Value
from mobsec.facts.values import ValueAnalysis, provenance, provenance_zh
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._algorithms import WEAK_DIGESTS, WEAK_MACS
from ._meta import GBT_CRYPTO, MASVS_CRYPTO_ALGORITHMS, OWASP_CRYPTO
from ._sites import MAC, MESSAGE_DIGEST, algorithm_names

# Digests a protocol prescribes: hashing them is not a choice the app made.
PROTOCOL_CONSTANTS = ("258EAFA5-E914-47DA-95CA-C5AB0DC85B11",)  # RFC 6455 Sec-WebSocket-Accept


@check(
    "android.crypto.weak-hash",
    title=("MD5 or SHA-1 message digest", "使用 MD5 或 SHA-1 消息摘要"),
    description=(
        "MD5 and SHA-1 have practical collision attacks, and as fast unsalted hashes they are "
        "no protection for passwords or PINs. Whether a given use is security-relevant (a "
        "password hash, a signature, an integrity check) or not (a cache key) needs a look at "
        "the code; the finding names the call site. A digest a protocol prescribes (the "
        "WebSocket handshake's SHA-1 of the key and RFC 6455's GUID) is not reported.",
        "MD5 和 SHA-1 已有可行的碰撞攻击,且作为快速、无盐的哈希无法保护口令或 PIN。某次使用是否与"
        "安全相关(口令哈希、签名、完整性校验)还是无关(缓存键)需要查看代码;发现项给出了调用位置。"
        "协议规定的摘要(WebSocket 握手对密钥与 RFC 6455 GUID 的 SHA-1)不报告。",
    ),
    remediation=(
        "Use SHA-256 or better for integrity, HMAC-SHA256 for authentication, and a slow "
        "password hash (PBKDF2 with many iterations, Argon2id, scrypt) for passwords and PINs.",
        "完整性校验使用 SHA-256 或更强的算法,认证使用 HMAC-SHA256,口令和 PIN 使用慢速口令哈希"
        "(高迭代 PBKDF2、Argon2id、scrypt)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[328, 327],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def weak_hash(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, names in algorithm_names(ctx, resolver, MESSAGE_DIGEST):
        for text, reached in names:
            name = WEAK_DIGESTS.get(text.strip().upper())
            if name is None:
                continue
            if _protocol_mandated(resolver, site):
                break  # the WebSocket handshake's SHA-1: the protocol leaves no choice
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f'MessageDigest.getInstance("{text}"){provenance(reached)}',
                    f'MessageDigest.getInstance("{text}"){provenance_zh(reached)}',
                ),
            )
            break


def _protocol_mandated(values: ValueAnalysis, site: CodeSite) -> bool:
    """True when the digest made at ``site`` hashes a protocol constant in the same method:
    RFC 6455's accept key is SHA-1(key + "258EAFA5-..."), followed across methods (the GUID
    in a field, the key concatenated by a helper)."""
    flow = values.flow(site.dex, site.caller_idx)
    if flow is None:
        return False
    for call in flow.invokes():
        c = call.callee
        if c.class_desc != MESSAGE_DIGEST or c.name not in ("update", "digest"):
            continue
        args = flow.args_at(call.offset)
        if len(args) < 2 or not any(
            v.kind == "result" and v.offset == site.offset for v in args[0]
        ):
            continue
        inputs = [args[1]]
        # (key + GUID).getBytes(): the text before it became bytes
        inputs += [
            got[0]
            for v in args[1]
            if v.kind == "result" and v.data.name == "getBytes" and v.offset is not None  # type: ignore[union-attr]
            if (got := flow.args_at(v.offset))
        ]
        for given in inputs:
            for r in values.resolve(site.dex, site.caller_idx, given):
                if _mentions_text(r.value, PROTOCOL_CONSTANTS):
                    return True
    return False


def _mentions_text(v: Value, needles: tuple[str, ...]) -> bool:
    """A constant text or a concat part (a byte array made from one) that holds a needle."""
    todo, seen = [v], 0
    while todo and seen < 64:
        x = todo.pop()
        seen += 1
        t = x.text()
        if t is None and x.kind == "bytes":
            t = bytes(x.data).decode("latin-1")  # type: ignore[arg-type]
        if t is not None and any(n in t for n in needles):
            return True
        if x.kind == "concat":
            todo.extend(x.data)  # type: ignore[arg-type]
    return False


@check(
    "android.crypto.weak-mac",
    title=("HMAC built on MD5", "基于 MD5 的 HMAC"),
    description=(
        "HMAC-MD5 is not broken as a MAC today, but MD5 is deprecated everywhere and its "
        "margins are thin; new code has no reason to choose it.",
        "HMAC-MD5 目前作为 MAC 尚未被攻破,但 MD5 已被普遍弃用、安全余量很小,新代码没有理由选择它。",
    ),
    remediation=("Use HmacSHA256 or stronger.", "使用 HmacSHA256 或更强的算法。"),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[327],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def weak_mac(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, names in algorithm_names(ctx, resolver, MAC):
        for text, reached in names:
            name = WEAK_MACS.get(text.strip().upper())
            if name is None:
                continue
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f'Mac.getInstance("{text}"){provenance(reached)}',
                    f'Mac.getInstance("{text}"){provenance_zh(reached)}',
                ),
            )
            break
