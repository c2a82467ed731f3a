"""Cipher algorithms and modes: ECB, broken ciphers, RSA without OAEP, pinned providers."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import provenance, provenance_zh, texts
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._algorithms import parse_transformation
from ._meta import GBT_CRYPTO, MASVS_CRYPTO_ALGORITHMS, OWASP_CRYPTO
from ._sites import CIPHER, KEY_GENERATOR, SECRET_KEY_FACTORY, algorithm_names, calls


@check(
    "android.crypto.ecb-mode",
    title=("Block cipher in ECB mode", "分组密码使用 ECB 模式"),
    description=(
        "ECB encrypts equal plaintext blocks to equal ciphertext blocks, so structure and "
        "repetitions of the data stay visible and blocks can be reordered or replayed. A block "
        'cipher named alone ("AES", "DES") gets ECB from Android\'s providers by default.',
        "ECB 模式下相同的明文分组加密成相同的密文分组,数据的结构和重复内容仍然可见,分组还可被重排或"
        '重放。只写算法名("AES"、"DES")时,Android 的加密提供者默认使用 ECB 模式。',
    ),
    remediation=(
        'Use an authenticated mode with a fresh random nonce, e.g. "AES/GCM/NoPadding" with a '
        "12-byte nonce from SecureRandom, and always name the mode explicitly.",
        '使用带认证的加密模式并每次使用新的随机 nonce,例如 "AES/GCM/NoPadding" 配合 '
        "SecureRandom 生成的 12 字节 nonce,并始终显式写出模式。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[327],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
    references=["https://mas.owasp.org/MASTG/knowledge/android/MASVS-CRYPTO/MASTG-KNOW-0013/"],
)
def ecb_mode(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, names in algorithm_names(ctx, resolver, CIPHER):
        for text, reached in names:
            t = parse_transformation(text)
            if t is None or not t.is_ecb:
                continue
            how = "explicit ECB" if t.mode else "provider default mode ECB"
            how_zh = "显式 ECB" if t.mode else "提供者默认的 ECB 模式"
            yield ctx.code_finding(
                site,
                key=text,
                message=Text(
                    f'Cipher.getInstance("{text}"): {how}{provenance(reached)}',
                    f'Cipher.getInstance("{text}"):{how_zh}{provenance_zh(reached)}',
                ),
            )
            break


@check(
    "android.crypto.weak-cipher",
    title=("Broken or weak cipher", "使用已被攻破或强度不足的加密算法"),
    description=(
        "DES has a 56-bit key that is searched exhaustively in hours; Triple DES, Blowfish and "
        "other 64-bit block ciphers leak plaintext after a few gigabytes (Sweet32); RC4's key "
        "stream is biased and RC2's key schedule is weak. Data they protect is not confidential.",
        "DES 的 56 位密钥可在数小时内穷举;三重 DES、Blowfish 等 64 位分组密码在加密数 GB 数据后会"
        "泄露明文(Sweet32);RC4 的密钥流有偏差,RC2 的密钥编排较弱。用它们保护的数据并不保密。",
    ),
    remediation=(
        "Use AES (128 or 256-bit keys) in GCM mode, or ChaCha20-Poly1305; re-encrypt data "
        "stored with the old cipher.",
        "改用 AES(128 或 256 位密钥)GCM 模式或 ChaCha20-Poly1305;用旧算法加密存储的数据应重新加密。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[327],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def weak_cipher(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    # (dex, method, weakness) of the Cipher findings: a key factory or generator for the
    # same weak cipher in the same method is that weakness again, not a second one.
    ciphers: set[tuple[str, int, str]] = set()
    for api, label in ((CIPHER, "Cipher"), (KEY_GENERATOR, "KeyGenerator"),
                       (SECRET_KEY_FACTORY, "SecretKeyFactory")):  # fmt: skip
        for site, names in algorithm_names(ctx, resolver, api):
            for text, reached in names:
                t = parse_transformation(text)
                weak = t.weak_cipher if t is not None else None
                if weak is None:
                    continue
                place = (site.dex.name, site.caller_idx, weak[0])
                if api == CIPHER:
                    ciphers.add(place)
                elif place in ciphers:
                    break
                yield ctx.code_finding(
                    site,
                    key=f"{label}:{text}",
                    message=Text(
                        f'{label}.getInstance("{text}"): {weak[0]}{provenance(reached)}',
                        f'{label}.getInstance("{text}"):{weak[1]}{provenance_zh(reached)}',
                    ),
                )
                break


@check(
    "android.crypto.rsa-no-oaep",
    title=("RSA encryption without OAEP padding", "RSA 加密未使用 OAEP 填充"),
    description=(
        'RSA with PKCS#1 v1.5 padding (the default for "RSA") is open to padding-oracle '
        "attacks (Bleichenbacher) and RSA without padding is deterministic and malleable; "
        "OAEP is the padding designed for encryption.",
        '使用 PKCS#1 v1.5 填充("RSA" 的默认填充)的 RSA 易受填充预言攻击(Bleichenbacher),'
        "不填充的 RSA 是确定性的且可被篡改;OAEP 才是为加密设计的填充方式。",
    ),
    remediation=(
        'Use "RSA/ECB/OAEPWithSHA-256AndMGF1Padding" (or encrypt a random AES key with OAEP and '
        "the data with AES-GCM).",
        '使用 "RSA/ECB/OAEPWithSHA-256AndMGF1Padding"(或用 OAEP 加密随机 AES 密钥,再用 AES-GCM 加密数据)。',
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[780],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def rsa_no_oaep(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, names in algorithm_names(ctx, resolver, CIPHER):
        for text, reached in names:
            t = parse_transformation(text)
            if t is None or not t.rsa_without_oaep:
                continue
            raw = t.padding == "NOPADDING"
            what = "no padding (textbook RSA)" if raw else "PKCS#1 v1.5 padding"
            what_zh = "无填充(教科书式 RSA)" if raw else "PKCS#1 v1.5 填充"
            yield ctx.code_finding(
                site,
                key=text,
                severity=Severity.HIGH if raw else None,
                message=Text(
                    f'Cipher.getInstance("{text}"): {what}{provenance(reached)}',
                    f'Cipher.getInstance("{text}"):{what_zh}{provenance_zh(reached)}',
                ),
            )
            break


@check(
    "android.crypto.bc-provider",
    title=('Crypto provider pinned to "BC"', '加密提供者被固定为 "BC"'),
    description=(
        "Android deprecated the platform's Bouncy Castle implementations in Android 9 and "
        'removed many of them (getInstance(..., "BC") then throws); naming the provider also '
        "bypasses the maintained, hardware-accelerated default (Conscrypt).",
        "Android 9 起弃用了平台内置的 Bouncy Castle 实现并移除了其中许多(此时 getInstance(..., "
        '"BC") 会抛出异常);指定提供者还会绕过持续维护且有硬件加速的默认实现(Conscrypt)。',
    ),
    remediation=(
        "Call getInstance without a provider argument, or bundle a maintained provider and "
        "pass its instance.",
        "调用 getInstance 时不要指定提供者,或随应用打包维护中的提供者并传入其实例。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[477],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
    references=[
        "https://android-developers.googleblog.com/2018/03/cryptography-changes-in-android-p.html"
    ],
)
def bc_provider(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for api, label in ((CIPHER, "Cipher"), (KEY_GENERATOR, "KeyGenerator"),
                       (SECRET_KEY_FACTORY, "SecretKeyFactory")):  # fmt: skip
        for site in calls(ctx, api, "getInstance"):
            if site.opcode not in (0x71, 0x77):
                continue
            args = resolver.raw_args(site)
            if len(args) != 2:
                continue
            if any(
                text == "BC" for text, _r in texts(resolver.arg(site, 1, follow_parameters=False))
            ):
                yield ctx.code_finding(
                    site,
                    key=label,
                    message=Text(
                        f'{label}.getInstance(..., "BC")', f'{label}.getInstance(..., "BC")'
                    ),
                )
