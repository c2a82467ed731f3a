"""Password-based key derivation with a constant salt or too few iterations."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import constant_bytes, integers, provenance, provenance_zh
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._meta import GBT_CRYPTO, MASVS_CRYPTO_KEYS, OWASP_CRYPTO
from ._sites import calls

# OWASP's password storage guidance asks for 600 000 PBKDF2-HMAC-SHA256 rounds; below ten
# thousand no current recommendation considers a derivation slow enough.
MIN_ITERATIONS = 10_000
PBE_KEY_SPEC = "Ljavax/crypto/spec/PBEKeySpec;"
PBE_PARAMETER_SPEC = "Ljavax/crypto/spec/PBEParameterSpec;"


def pbe_sites(ctx: CheckContext) -> Iterator[tuple[CodeSite, str, int, int]]:
    """(site, label, salt position, iterations position) of every spec with a salt."""
    for site in calls(ctx, PBE_KEY_SPEC, "<init>"):
        # PBEKeySpec(char[] password, byte[] salt, int iterationCount[, int keyLength])
        if site.caller is not None and _arity(ctx, site) >= 4:
            yield site, "PBEKeySpec", 2, 3
    for site in calls(ctx, PBE_PARAMETER_SPEC, "<init>"):
        # PBEParameterSpec(byte[] salt, int iterationCount[, AlgorithmParameterSpec])
        yield site, "PBEParameterSpec", 1, 2


def _arity(ctx: CheckContext, site: CodeSite) -> int:
    """Arguments of the invoke at ``site`` (receiver included)."""
    return len(ctx.facts.values.raw_args(site))


@check(
    "android.crypto.pbe-constant-salt",
    title=("Constant salt in password-based key derivation", "口令派生密钥使用常量盐"),
    description=(
        "The salt given to PBEKeySpec/PBEParameterSpec is a constant, so the same password gives "
        "the same key on every device and one precomputed table attacks all users at once.",
        "传给 PBEKeySpec/PBEParameterSpec 的盐是常量,相同口令在所有设备上得到相同密钥,一张预计算表即"
        "可同时攻击所有用户。",
    ),
    remediation=(
        "Generate a random salt of at least 16 bytes with SecureRandom for each password and "
        "store it with the derived data.",
        "为每个口令用 SecureRandom 生成至少 16 字节的随机盐,并与派生结果一起保存。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[760],
    masvs=[MASVS_CRYPTO_KEYS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def pbe_constant_salt(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, label, salt_at, _iter_at in pbe_sites(ctx):
        for r in resolver.arg(site, salt_at):
            data = constant_bytes(r)
            if data is None:
                continue
            yield ctx.code_finding(
                site,
                key=label,
                message=Text(
                    f"{label} with a constant {len(data)}-byte salt{provenance(r)}",
                    f"{label} 使用 {len(data)} 字节常量盐{provenance_zh(r)}",
                ),
            )
            break


@check(
    "android.crypto.pbe-low-iterations",
    title=("Too few iterations in password-based key derivation", "口令派生密钥迭代次数过少"),
    description=(
        f"The iteration count that reaches PBEKeySpec/PBEParameterSpec is below {MIN_ITERATIONS}, "
        "so guessing passwords against the derived key or hash is cheap.",
        f"传给 PBEKeySpec/PBEParameterSpec 的迭代次数低于 {MIN_ITERATIONS},针对派生密钥或哈希的"
        "口令猜测成本很低。",
    ),
    remediation=(
        "Use PBKDF2WithHmacSHA256 with at least 600 000 iterations (OWASP 2023), or a memory-hard "
        "function such as Argon2id or scrypt.",
        "使用 PBKDF2WithHmacSHA256 且迭代不少于 600 000 次(OWASP 2023),或使用 Argon2id、scrypt 等"
        "内存困难函数。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[916],
    masvs=[MASVS_CRYPTO_KEYS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def pbe_low_iterations(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for site, label, _salt_at, iter_at in pbe_sites(ctx):
        for n, r in integers(resolver.arg(site, iter_at)):
            if n >= MIN_ITERATIONS:
                continue
            yield ctx.code_finding(
                site,
                key=label,
                message=Text(
                    f"{label} with {n} iterations{provenance(r)}",
                    f"{label} 迭代次数为 {n}{provenance_zh(r)}",
                ),
            )
            break
