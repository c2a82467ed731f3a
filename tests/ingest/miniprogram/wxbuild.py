"""Write .wxapkg files in tests: the container as the WeChat tools write it, and the PC
client's V1MMWX encryption (the inverse of mobsec.ingest.miniprogram.pc_crypto)."""

from __future__ import annotations

import hashlib
import json
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def pack_wxapkg(files: dict[str, bytes]) -> bytes:
    names = [("/" + n.lstrip("/")).encode() for n in files]
    index_len = 4 + sum(12 + len(n) for n in names)
    offset = 14 + index_len
    index, body = struct.pack(">I", len(files)), b""
    for name, data in zip(names, files.values(), strict=True):
        index += (
            struct.pack(">I", len(name)) + name + struct.pack(">II", offset + len(body), len(data))
        )
        body += data
    return b"\xbe" + struct.pack(">III", 0, index_len, len(body)) + b"\xed" + index + body


def app_service(modules: dict[str, str]) -> bytes:
    """app-service.js as the compiler bundles sources: one define() per file."""
    head = "var __wxAppData = {}; var __wxRoute; var __wxAppCode__ = {};\n"
    parts = [
        f'define("{name}", function(require, module, exports, window, document){{\n{code}\n}});\n'
        for name, code in modules.items()
    ]
    return (head + "".join(parts) + 'require("app.js");\n').encode()


def miniprogram(modules: dict[str, str], config: dict | None = None) -> bytes:
    cfg = {
        "pages": ["pages/index/index"],
        "entryPagePath": "pages/index/index.html",
        **(config or {}),
    }
    return pack_wxapkg(
        {"app-config.json": json.dumps(cfg).encode(), "app-service.js": app_service(modules)}
    )


def encrypt_pc(data: bytes, app_id: str) -> bytes:
    key = hashlib.pbkdf2_hmac("sha1", app_id.encode(), b"saltiest", 1000, 32)
    head = data[:1023] + b"\x01"  # PKCS#7 padding of 1023 bytes to one block boundary
    enc = Cipher(algorithms.AES(key), modes.CBC(b"the iv: 16 bytes")).encryptor()
    xor = ord(app_id[-2]) if len(app_id) >= 2 else 0x66
    return b"V1MMWX" + enc.update(head) + enc.finalize() + bytes(b ^ xor for b in data[1023:])
