"""What a JCA algorithm name or transformation string means for its strength.

A transformation is "algorithm[/mode/padding]". Android's providers (Conscrypt, Bouncy
Castle) give a block cipher named alone its ECB mode with PKCS#5 padding, so "AES" is
"AES/ECB/PKCS5Padding"; RSA's "ECB" is a misnomer (one block, no chaining) and is not ECB.
"""

from __future__ import annotations

from typing import NamedTuple

# Block ciphers whose provider default mode is ECB.
BLOCK_CIPHERS = frozenset(
    {
        "AES", "AES_128", "AES_192", "AES_256", "DES", "DESEDE", "TRIPLEDES", "3DES",
        "BLOWFISH", "RC2", "TWOFISH", "CAMELLIA", "SEED", "ARIA", "SM4", "CAST5", "CAST6",
        "IDEA", "SERPENT", "SKIPJACK", "TEA", "XTEA", "GOST28147", "NOEKEON", "RC5", "RC6",
    }
)  # fmt: skip
# Ciphers broken or too weak for new data: 56-bit keys, 64-bit blocks, biased streams.
WEAK_CIPHERS = {
    "DES": ("DES (56-bit key)", "DES(56 位密钥)"),
    "DESEDE": ("Triple DES (64-bit block, Sweet32)", "三重 DES(64 位分组,Sweet32 攻击)"),
    "TRIPLEDES": ("Triple DES (64-bit block, Sweet32)", "三重 DES(64 位分组,Sweet32 攻击)"),
    "3DES": ("Triple DES (64-bit block, Sweet32)", "三重 DES(64 位分组,Sweet32 攻击)"),
    "RC4": ("RC4 (biased key stream)", "RC4(密钥流有偏差)"),
    "ARC4": ("RC4 (biased key stream)", "RC4(密钥流有偏差)"),
    "ARCFOUR": ("RC4 (biased key stream)", "RC4(密钥流有偏差)"),
    "RC2": ("RC2 (weak key schedule)", "RC2(密钥编排弱)"),
    "BLOWFISH": ("Blowfish (64-bit block)", "Blowfish(64 位分组)"),
    "IDEA": ("IDEA (64-bit block)", "IDEA(64 位分组)"),
    "CAST5": ("CAST5 (64-bit block)", "CAST5(64 位分组)"),
    "SKIPJACK": ("Skipjack (80-bit key)", "Skipjack(80 位密钥)"),
    "TEA": ("TEA (related-key attacks)", "TEA(相关密钥攻击)"),
    "XTEA": ("XTEA (64-bit block)", "XTEA(64 位分组)"),
}
WEAK_DIGESTS = {"MD5": "MD5", "MD4": "MD4", "MD2": "MD2", "SHA-1": "SHA-1", "SHA1": "SHA-1",
                "SHA": "SHA-1"}  # fmt: skip
WEAK_MACS = {"HMACMD5": "HmacMD5", "HMACMD4": "HmacMD4", "HMACMD2": "HmacMD2"}


class Transformation(NamedTuple):
    algorithm: str  # upper case
    mode: str | None  # upper case, None when the string names the algorithm only
    padding: str | None

    @property
    def is_ecb(self) -> bool:
        """ECB explicitly, or a block cipher named alone (provider default ECB)."""
        if self.algorithm not in BLOCK_CIPHERS:
            return False
        return self.mode is None or self.mode == "ECB"

    @property
    def weak_cipher(self) -> tuple[str, str] | None:
        """(en, zh) name of the weak cipher this uses, or None."""
        if self.algorithm in WEAK_CIPHERS:
            return WEAK_CIPHERS[self.algorithm]
        if self.algorithm.startswith("PBEWITH"):
            # PBEWithMD5AndDES, PBEWithSHA1AndDESede, PBEWithSHAAnd40BitRC2-CBC ...
            for name in ("DESEDE", "TRIPLEDES", "3DES", "DES", "RC2", "RC4"):
                if name in self.algorithm:
                    return WEAK_CIPHERS[name]
        return None

    @property
    def is_rsa(self) -> bool:
        return self.algorithm == "RSA"

    @property
    def rsa_without_oaep(self) -> bool:
        return self.is_rsa and not (self.padding or "").startswith("OAEP")


def parse_transformation(text: str) -> Transformation | None:
    """Split "alg/mode/padding" (as Cipher.getInstance does); None for an empty name."""
    parts = [p.strip().upper() for p in text.split("/")]
    if not parts or not parts[0]:
        return None
    if len(parts) == 1:
        return Transformation(parts[0], None, None)
    if len(parts) == 3:
        return Transformation(parts[0], parts[1] or None, parts[2] or None)
    return Transformation(parts[0], parts[1] or None, None)
