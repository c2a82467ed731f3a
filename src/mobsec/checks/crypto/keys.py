"""Keys and IVs that are the same on every install: constants reaching key and IV specs."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import Reached, ValueAnalysis, constant_bytes, provenance, provenance_zh
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._meta import GBT_CRYPTO, MASVS_CRYPTO_ALGORITHMS, MASVS_CRYPTO_KEYS, OWASP_CRYPTO
from ._sites import calls

INIT = "<init>"
SECRET_KEY_SPEC = "Ljavax/crypto/spec/SecretKeySpec;"
# Key material constructors: (class, argument position of the key bytes, receiver first).
KEY_SPECS = (
    (SECRET_KEY_SPEC, 1, "SecretKeySpec"),
    ("Ljavax/crypto/spec/DESKeySpec;", 1, "DESKeySpec"),
    ("Ljavax/crypto/spec/DESedeKeySpec;", 1, "DESedeKeySpec"),
    ("Ljavax/crypto/spec/PBEKeySpec;", 1, "PBEKeySpec password"),
)
IV_SPECS = (
    ("Ljavax/crypto/spec/IvParameterSpec;", 1, "IvParameterSpec"),
    ("Ljavax/crypto/spec/GCMParameterSpec;", 2, "GCMParameterSpec"),
)
KEY_PREVIEW_BYTES = 2  # keys are secrets: enough to recognise, not to use
IV_PREVIEW_BYTES = 8


def constant_argument(
    ctx: CheckContext, resolver: ValueAnalysis, site: CodeSite, position: int
) -> tuple[bytes, Reached] | None:
    """The first constant byte/char array reaching argument ``position``, if any."""
    for r in resolver.arg(site, position):
        data = constant_bytes(r)
        if data is not None:
            return data, r
    return None


def describe(data: bytes, r: Reached, preview: int) -> tuple[str, str]:
    """How the constant looks, masked: length, kind and a short prefix only."""
    what = {"bytes": "literal bytes or string", "array": "constant array"}.get(r.value.kind, "")
    what_zh = {"bytes": "字面字节或字符串", "array": "常量数组"}.get(r.value.kind, "")
    if data and not any(data):
        what, what_zh = "all-zero array", "全零数组"
    shown = data[:preview].hex() + ("…" if len(data) > preview else "")
    return (
        f"{len(data)}-byte {what} {shown}{provenance(r)}",
        f"{len(data)} 字节{what_zh} {shown}{provenance_zh(r)}",
    )


@check(
    "android.crypto.hardcoded-key",
    title=("Hard-coded encryption key", "硬编码的加密密钥"),
    description=(
        "The key is a constant in the app (literal bytes, a string's bytes, a Base64 literal or "
        "a field only ever set to a constant). Anyone who unpacks the APK has it and can "
        "decrypt or forge everything it protects, on every device.",
        "密钥是应用中的常量(字面字节、字符串的字节、Base64 字面量,或只被赋值为常量的字段)。任何解包 "
        "APK 的人都能拿到它,并在所有设备上解密或伪造其保护的全部数据。",
    ),
    remediation=(
        "Generate keys at run time inside the Android Keystore (KeyGenerator with "
        "KeyGenParameterSpec) or derive them from a user secret with a random salt; never ship "
        "key material in the package.",
        "在运行时于 Android Keystore 中生成密钥(KeyGenerator 配合 KeyGenParameterSpec),或用随机盐"
        "从用户秘密派生密钥;不要在安装包中携带密钥材料。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[321, 798],
    masvs=[MASVS_CRYPTO_KEYS],
    owasp=[OWASP_CRYPTO, "M1"],
    gbt_34975=[GBT_CRYPTO],
)
def hardcoded_key(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for class_desc, position, label in KEY_SPECS:
        for site in calls(ctx, class_desc, INIT):
            found = constant_argument(ctx, resolver, site, position)
            if found is None:
                continue
            en, zh = describe(*found, KEY_PREVIEW_BYTES)
            yield ctx.code_finding(
                site,
                key=label,
                message=Text(f"{label} from a {en}", f"{label} 使用{zh}"),
            )


@check(
    "android.crypto.static-iv",
    title=("Constant initialisation vector or nonce", "初始化向量或 nonce 为常量"),
    description=(
        "The IV (IvParameterSpec) or GCM nonce is a constant: literal bytes, a string's bytes, "
        "or a new array never filled with random bytes (all zeros). With CBC, equal messages "
        "then encrypt equally and prefixes leak; with GCM, a repeated nonce under the same key "
        "reveals the XOR of plaintexts and lets an attacker forge messages.",
        "IV(IvParameterSpec)或 GCM nonce 是常量:字面字节、字符串的字节,或从未用随机数填充的新数组"
        "(全零)。CBC 模式下相同消息加密结果相同且会泄露前缀;GCM 模式下同一密钥重复使用 nonce 会泄露"
        "明文异或值并允许伪造消息。",
    ),
    remediation=(
        "Fill a new IV/nonce from SecureRandom for every encryption (or let Cipher.init generate "
        "it and read Cipher.getIV()), and store it next to the ciphertext.",
        "每次加密都用 SecureRandom 生成新的 IV/nonce(或让 Cipher.init 生成并通过 Cipher.getIV() "
        "读取),并与密文一起保存。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[329, 1204],
    masvs=[MASVS_CRYPTO_ALGORITHMS],
    owasp=[OWASP_CRYPTO],
    gbt_34975=[GBT_CRYPTO],
)
def static_iv(ctx: CheckContext) -> Iterator[Finding]:
    resolver = ctx.facts.values
    for class_desc, position, label in IV_SPECS:
        for site in calls(ctx, class_desc, INIT):
            found = constant_argument(ctx, resolver, site, position)
            if found is None:
                continue
            en, zh = describe(*found, IV_PREVIEW_BYTES)
            yield ctx.code_finding(
                site,
                key=label,
                message=Text(f"{label} from a {en}", f"{label} 使用{zh}"),
            )
