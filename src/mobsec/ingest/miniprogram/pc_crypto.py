"""PC-WeChat encrypted packages (``V1MMWX``), decrypted as published.

The PC client stores ``"V1MMWX"`` + AES-256-CBC(first 1024 bytes) + XOR(rest). The AES key
is PBKDF2-HMAC-SHA1(password = app id, salt = "saltiest", 1000 iterations, 32 bytes), the IV
is the ASCII text "the iv: 16 bytes"; 1023 of the 1024 decrypted bytes are the package's
head. The rest is XORed with the app id's second-to-last byte (0x66 for ids shorter than
two characters). Without the app id nothing can be read: the scan reports
``wxapkg.encrypted`` and asks for it.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MAGIC = b"V1MMWX"
SALT = b"saltiest"
IV = b"the iv: 16 bytes"
ITERATIONS = 1000
AES_PART = 1024


def is_pc_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def decrypt(data: bytes, app_id: str) -> bytes:
    """The plain wxapkg bytes (whether the app id was right is for the caller to check)."""
    raw_id = app_id.encode("utf-8")
    key = hashlib.pbkdf2_hmac("sha1", raw_id, SALT, ITERATIONS, 32)
    body = data[len(MAGIC) :]
    head = body[:AES_PART]
    head = head[: len(head) - len(head) % 16]  # a truncated file: decrypt the whole blocks
    decryptor = Cipher(algorithms.AES(key), modes.CBC(IV)).decryptor()
    plain_head = (decryptor.update(head) + decryptor.finalize())[: AES_PART - 1]
    xor = raw_id[-2] if len(raw_id) >= 2 else 0x66  # a byte of the id, as the client takes it
    rest = body[AES_PART:]
    table = bytes(b ^ xor for b in range(256))
    return plain_head + rest.translate(table)
