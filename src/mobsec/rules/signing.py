"""Signed rule packs: the publisher signs, a testing organisation verifies before running.

``pack.sig`` (JSON) lists every other file of the pack with its SHA-256, the pack id and
version, and an Ed25519 signature over that listing in canonical form. Verification
recomputes the listing from the files on disk: a changed, added or removed file, or a
signature by another key, refuses the pack. Keys are PEM files (PKCS#8 private, SPKI
public), as ``mobsec rules keygen`` writes them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import RuleFileError
from .loader import load_pack

SIGNATURE_FILE = "pack.sig"
MAX_PACK_FILES = 2000
MAX_SIG_BYTES = 1 << 20


def _listing(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == SIGNATURE_FILE or "__pycache__" in path.parts:
            continue
        if path.is_symlink():
            raise RuleFileError(
                str(path),
                None,
                "symbolic links are not allowed in a pack",
                "规则包中不允许符号链接",
            )
        if path.is_file():
            with path.open("rb") as f:  # streamed: fixture packages may be large
                out[rel] = hashlib.file_digest(f, "sha256").hexdigest()
            if len(out) > MAX_PACK_FILES:
                raise RuleFileError(
                    str(root),
                    None,
                    f"more than {MAX_PACK_FILES} files",
                    f"文件数超过 {MAX_PACK_FILES}",
                )
    return out


def _payload(pack_id: str, version: str, files: dict[str, str]) -> bytes:
    doc = {"pack": pack_id, "version": version, "files": files}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _read_key(path: Path, private: bool):
    try:
        data = path.read_bytes()
        key = (
            serialization.load_pem_private_key(data, password=None)
            if private
            else serialization.load_pem_public_key(data)
        )
    except (OSError, ValueError, TypeError) as e:
        raise RuleFileError(
            str(path), None, f"not a readable PEM key: {e}", f"无法读取 PEM 密钥:{e}"
        ) from e
    want = Ed25519PrivateKey if private else Ed25519PublicKey
    if not isinstance(key, want):
        raise RuleFileError(str(path), None, "not an Ed25519 key", "不是 Ed25519 密钥")
    return key


def generate_key(private_path: Path, public_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def sign_pack(root: Path, key_path: Path) -> Path:
    """Check the pack loads, then write ``pack.sig``; returns its path."""
    pack = load_pack(root)
    key = _read_key(key_path, private=True)
    files = _listing(root)
    signature = key.sign(_payload(pack.id, pack.version, files))
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    doc = {
        "algorithm": "ed25519",
        "pack": pack.id,
        "version": pack.version,
        "files": files,
        "key_id": hashlib.sha256(public).hexdigest()[:16],
        "signature": base64.b64encode(signature).decode(),
    }
    out = root / SIGNATURE_FILE
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out


def is_signed(root: Path) -> bool:
    return (root / SIGNATURE_FILE).is_file()


def verify_pack(root: Path, pubkey_paths: list[Path]) -> str:
    """Raise :class:`RuleFileError` unless ``pack.sig`` is a valid signature by one of the
    keys over exactly the files now in the pack; returns the key id that signed."""
    sig_path = root / SIGNATURE_FILE
    name = str(sig_path)
    if not sig_path.is_file():
        raise RuleFileError(
            str(root), None, "the pack is not signed (no pack.sig)", "规则包未签名(缺少 pack.sig)"
        )
    if not pubkey_paths:
        raise RuleFileError(
            str(root),
            None,
            "no public key given to verify the pack with",
            "未提供用于验证规则包的公钥",
        )
    try:
        if sig_path.stat().st_size > MAX_SIG_BYTES:
            raise ValueError("too large")
        doc = json.loads(sig_path.read_text(encoding="utf-8"))
        files = doc["files"]
        signature = base64.b64decode(doc["signature"], validate=True)
        pack_id, version = str(doc["pack"]), str(doc["version"])
        if not isinstance(files, dict) or doc.get("algorithm") != "ed25519":
            raise ValueError("unexpected content")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise RuleFileError(
            name, None, f"unreadable signature file: {e}", f"签名文件无法读取:{e}"
        ) from e
    actual = _listing(root)
    changed = sorted(k for k in set(files) | set(actual) if files.get(k) != actual.get(k))
    if changed:
        shown = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
        raise RuleFileError(
            str(root),
            None,
            f"the pack was modified after signing: {shown}",
            f"规则包在签名后被修改:{shown}",
        )
    pack = load_pack(root)
    if (pack.id, pack.version) != (pack_id, version):
        raise RuleFileError(
            name,
            None,
            "signature is for another pack id or version",
            "签名对应的规则包 id 或版本不符",
        )
    payload = _payload(pack_id, version, files)
    for path in pubkey_paths:
        key = _read_key(path, private=False)
        try:
            key.verify(signature, payload)
        except InvalidSignature:
            continue
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]
    raise RuleFileError(
        name,
        None,
        "the signature does not verify with the given public key(s)",
        "签名无法用所给公钥验证",
    )


def pack_digest(pack_id: str, version: str, root: Path) -> str:
    """SHA-256 of the pack's canonical listing: changes with any file of the pack (what a
    batch resume or a stored result keys on, signed or not)."""
    return hashlib.sha256(_payload(pack_id, version, _listing(root))).hexdigest()
