"""Predictable random numbers where security depends on them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import (
    Reached,
    ValueAnalysis,
    constant_bytes,
    integers,
    provenance,
    provenance_zh,
)
from mobsec.facts.values.path import java_method
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._meta import GBT_CRYPTO, MASVS_CRYPTO_ALGORITHMS, OWASP_CRYPTO
from ._sites import calls

RANDOM = "Ljava/util/Random;"
SECURE_RANDOM = "Ljava/security/SecureRandom;"
MATH = "Ljava/lang/Math;"
# Where random bytes become key material or an IV: (class, argument position, receiver first).
SECRET_SINKS = (
    ("Ljavax/crypto/spec/SecretKeySpec;", 1),
    ("Ljavax/crypto/spec/IvParameterSpec;", 1),
    ("Ljavax/crypto/spec/GCMParameterSpec;", 2),
    ("Ljavax/crypto/spec/PBEKeySpec;", 2),
    ("Ljavax/crypto/spec/PBEParameterSpec;", 1),
)
# A class calling into these packages/classes does security work: a Random there is suspect.
CRYPTO_PREFIXES = (
    "Ljavax/crypto/",
    "Ljava/security/MessageDigest;",
    "Ljava/security/SecureRandom;",
    "Ljava/security/KeyPairGenerator;",
    "Ljava/security/Signature;",
    "Ljava/security/KeyStore;",
)
# Method names that say the number is a secret (camelCase words).
SECRET_WORDS = frozenset(
    {"key", "token", "password", "passwd", "salt", "nonce", "iv", "otp", "secret", "crypt",
     "encrypt", "cipher", "session", "pin", "auth", "csrf", "captcha", "verification"}
)  # fmt: skip
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _method_words(name: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(name)}


def _does_crypto(ctx: CheckContext, class_desc: str, memo: dict[str, bool]) -> bool:
    """True if a method of the class invokes a JCA crypto API (answers memoised per class)."""
    known = memo.get(class_desc)
    if known is not None:
        return known
    found = ctx.code.find_class(class_desc)
    result = False
    if found is not None:
        dex, cls = found
        for method in cls.methods:
            for ref in dex.invokes_in(method.method_idx):
                if dex.method_ref(ref.target).class_desc.startswith(CRYPTO_PREFIXES):
                    result = True
                    break
            if result:
                break
    memo[class_desc] = result
    return result


def _random_bytes_into_secrets(ctx: CheckContext, resolver: ValueAnalysis) -> Iterator[CodeSite]:
    """``Random.nextBytes(a)`` where the same array ``a`` reaches a key or IV spec."""
    for site in calls(ctx, RANDOM, "nextBytes"):
        args = resolver.raw_args(site)
        if len(args) != 2 or not args[0]:
            continue
        if not all(v.kind == "new" and v.data == RANDOM for v in args[0]):
            continue  # the receiver may be a SecureRandom held in a Random variable
        arrays = {v.offset for v in args[1] if v.kind in ("array", "bytes")}
        if not arrays or not _reaches_sink(ctx, resolver, site, arrays):
            continue
        yield site


def _random_bytes_into_secrets_elsewhere(
    ctx: CheckContext, resolver: ValueAnalysis
) -> Iterator[tuple[CodeSite, CodeSite, Reached]]:
    """``Random.nextBytes(a)`` in one method, ``a`` a key or IV in another: returned by a
    helper, passed to one, or kept in a field (followed by the value analysis)."""
    for class_desc, pos in SECRET_SINKS:
        for sink in calls(ctx, class_desc, "<init>"):
            for r in resolver.arg(sink, pos):
                if not r.steps or r.made_in is None or r.value.kind != "array":
                    continue
                dex, idx = r.made_in
                flow = resolver.flow(dex, idx)
                if flow is None:
                    continue
                for call in flow.invokes():
                    if call.callee.class_desc != RANDOM or call.callee.name != "nextBytes":
                        continue
                    args = flow.args_at(call.offset)
                    if len(args) != 2 or not args[0]:
                        continue
                    if not all(v.kind == "new" and v.data == RANDOM for v in args[0]):
                        continue
                    if any(v.kind == "array" and v.offset == r.value.offset for v in args[1]):
                        site = CodeSite(dex, flow.ref, idx, call.offset, call.opcode)
                        yield site, sink, r


def _reaches_sink(
    ctx: CheckContext, resolver: ValueAnalysis, site: CodeSite, arrays: set[int | None]
) -> bool:
    flow = resolver.flow(site.dex, site.caller_idx)
    if flow is None:
        return False
    sinks = {(c, "<init>"): pos for c, pos in SECRET_SINKS}
    for call in flow.invokes():
        pos = sinks.get((call.callee.class_desc, call.callee.name))
        if pos is None or call.offset <= site.offset:
            continue
        args = flow.args_at(call.offset)
        if pos < len(args) and any(
            v.kind in ("array", "bytes") and v.offset in arrays for v in args[pos]
        ):
            return True
    return False


@check(
    "android.crypto.insecure-random",
    title=("Predictable random numbers for security values", "安全相关数值使用可预测的随机数"),
    description=(
        "java.util.Random and Math.random are linear congruential generators seeded from the "
        "clock: after a few outputs the rest can be computed. Keys, IVs, tokens, OTPs and "
        "salts made with them can be predicted. The finding is certain when Random.nextBytes "
        "fills an array that becomes a key or IV (in the same method, or in another one the "
        "array is returned, passed or stored to); otherwise it is a "
        "heuristic (a Random in a class that also does cryptography, or in a method whose name "
        "says key/token/password/nonce...), with low confidence.",
        "java.util.Random 与 Math.random 是以时钟为种子的线性同余生成器,观察少量输出后即可推算其余"
        "输出,用它们生成的密钥、IV、令牌、一次性口令和盐都可被预测。若 Random.nextBytes 填充的数组在"
        "同一方法中(或经返回、传参、字段传到的其他方法中)成为密钥或 IV,则结论确定;"
        "否则为启发式判断(该 Random 所在的类同时进行密码运算,或方法名表明生成密钥/令牌/口令/nonce 等),置信度低。",
    ),
    remediation=(
        "Use java.security.SecureRandom (default constructor, no setSeed) for every value an "
        "attacker must not guess.",
        "凡攻击者不应猜到的值,都使用 java.security.SecureRandom(默认构造,不调用 setSeed)生成。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[330, 338],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def insecure_random(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    certain_methods: set[tuple[str, int]] = set()
    for site in _random_bytes_into_secrets(ctx, resolver):
        certain_methods.add((site.dex.name, site.caller_idx))
        yield ctx.code_finding(
            site,
            key="nextBytes",
            severity=Severity.HIGH,
            message=Text(
                "java.util.Random.nextBytes fills an array used as a key or IV in this method",
                "java.util.Random.nextBytes 填充的数组在本方法中被用作密钥或 IV",
            ),
        )
    for site, sink, reached in _random_bytes_into_secrets_elsewhere(ctx, resolver):
        if (site.dex.name, site.caller_idx) in certain_methods:
            continue
        certain_methods.add((site.dex.name, site.caller_idx))
        where = java_method(sink.caller)
        yield ctx.code_finding(
            site,
            key="nextBytes",
            severity=Severity.HIGH,
            message=Text(
                f"java.util.Random.nextBytes fills an array that becomes a key or IV in "
                f"{where}{provenance(reached)}",
                f"java.util.Random.nextBytes 填充的数组在 {where} 中被用作密钥或 IV"
                f"{provenance_zh(reached)}",
            ),
        )
    memo: dict[str, bool] = {}
    candidates = [(s, "java.util.Random") for s in calls(ctx, RANDOM, "<init>")]
    candidates += [(s, "Math.random") for s in calls(ctx, MATH, "random")]
    for site, what in sorted(
        candidates, key=lambda c: (c[0].dex.name, c[0].caller_idx, c[0].offset)
    ):
        if (site.dex.name, site.caller_idx) in certain_methods:
            continue
        cls = site.caller.class_desc
        if (
            what == "java.util.Random"
            and site.caller.name == "<init>"
            and ctx.code.is_subtype(cls, RANDOM)
        ):
            continue  # a Random subclass calling super(): the class itself, not a use
        words = _method_words(site.caller.name) & SECRET_WORDS
        if _does_crypto(ctx, cls, memo):
            why = ("in a class that also does cryptography", "所在类同时进行密码运算")
        elif words:
            w = ", ".join(sorted(words))
            why = (f"in a method named for a secret ({w})", f"所在方法名表明用于秘密值({w})")
        else:
            continue
        used_en, used_zh = _used_by(ctx, site)
        yield ctx.code_finding(
            site,
            key=what,
            confidence=Confidence.LOW,
            message=Text(
                f"{what} {why[0]} (heuristic){used_en}", f"{what}{why[1]}(启发式判断){used_zh}"
            ),
        )


MAX_CALLERS_SHOWN = 3


def _used_by(ctx: CheckContext, site: CodeSite) -> tuple[str, str]:
    """Who calls a helper that returns a value (pivaa's ``Encryption.rng()`` is called by
    ``EncryptionActivity$2.onClick``, which shows the number): where a reviewer judges what
    the random value is for. Only for a method that returns something and has few callers."""
    ref = site.caller
    if ref.proto.endswith(")V"):
        return "", ""
    sites = ctx.code.call_sites(ref.class_desc, ref.name, ref.proto)
    callers = sorted({java_method(s.caller) for s in sites})
    if not callers or len(callers) > MAX_CALLERS_SHOWN:
        return "", ""
    names = ", ".join(callers)
    return (
        f"; {java_method(ref)} is called by {names}",
        f";{java_method(ref)} 的调用方:{names}",
    )


@check(
    "android.crypto.seeded-securerandom",
    title=("SecureRandom seeded with a constant", "SecureRandom 使用常量种子"),
    description=(
        "A constant seed given to SecureRandom (constructor or setSeed). With the SHA1PRNG "
        "implementation of Android 4.1 and older, or any provider that replaces rather than "
        "supplements the seed, the output is the same on every device; on current Android the "
        "seed is mixed in and the call is at best useless.",
        "向 SecureRandom 传入了常量种子(构造函数或 setSeed)。在 Android 4.1 及更早版本的 SHA1PRNG "
        "实现或任何用种子替换而非补充内部状态的提供者中,所有设备的输出都相同;在当前 Android 上种子"
        "仅被混入,调用至多毫无作用。",
    ),
    remediation=(
        "Use new SecureRandom() without a seed and never call setSeed with fixed data.",
        "使用不带种子的 new SecureRandom(),不要用固定数据调用 setSeed。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[336, 337],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def seeded_securerandom(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for name in ("<init>", "setSeed"):
        for site in calls(ctx, SECURE_RANDOM, name):
            reached = resolver.arg(site, 1)
            seed = next((r for r in reached if constant_bytes(r) is not None), None)
            if seed is None and name == "setSeed":
                seed = next((r for _n, r in integers(reached)), None)
            if seed is None:
                continue
            label = "new SecureRandom(seed)" if name == "<init>" else "SecureRandom.setSeed"
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(f"{label} with a constant seed", f"{label} 使用常量种子"),
            )
