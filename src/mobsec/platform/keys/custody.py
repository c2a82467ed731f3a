"""Load, create and rotate named Ed25519 keys in the key directory.

Files: ``NAME.pem`` (current private key, PKCS#8, mode 0600) and
``NAME.retired-YYYYMMDDTHHMMSSZ.pem`` after a rotation, kept so that signatures made before
it still verify (delete them once nothing signed with them matters). The directory is 0700.
A key file readable by group or others is refused: a leaked signing key is worse than a
platform that will not start.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

# The keys the platform itself uses; created at start so that their public halves can be
# published before anything is signed.
STANDARD_KEYS = ("webhooks", "rule-packs", "certificates")

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class KeyCustodyError(Exception):
    """A key that cannot be used (bad name, unsafe permissions, unreadable file)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def key_dir() -> Path:
    return Path(getattr(settings, "MOBSEC_KEY_DIR", None) or Path(settings.DATA_DIR) / "keys")


def _path(name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise KeyCustodyError(
            f"invalid key name {name!r}: lower-case letters, digits and '-', at most 40",
            f"密钥名称 {name!r} 无效：只能使用小写字母、数字和“-”，最多 40 个字符",
        )
    return key_dir() / f"{name}.pem"


def _ensure_dir() -> Path:
    d = key_dir()
    d.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    return d


def _write_new(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two processes starting at once cannot both write; the loser reads the winner's.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return key


def _load(path: Path) -> Ed25519PrivateKey:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyCustodyError(
            f"{path}: the key file is accessible to other users (mode {oct(mode & 0o777)}); "
            f"run: chmod 600 {path}",
            f"{path}：密钥文件可被其他用户访问（权限 {oct(mode & 0o777)}）；请执行 chmod 600 {path}",
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise KeyCustodyError(
            f"{path}: not a readable private key ({e})", f"{path}：无法读取私钥（{e}）"
        ) from e
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyCustodyError(f"{path}: not an Ed25519 key", f"{path}：不是 Ed25519 密钥")
    return key


def signing_key(name: str) -> Ed25519PrivateKey:
    """The current private key called ``name``, created on first use."""
    path = _path(name)
    if not path.exists():
        _ensure_dir()
        try:
            return _write_new(path)
        except FileExistsError:
            pass  # created meanwhile by another process
    return _load(path)


def ensure(names: tuple[str, ...] = STANDARD_KEYS) -> list[Path]:
    """Create the standard keys at first start; returns their paths."""
    for name in names:
        signing_key(name)
    return [_path(n) for n in names]


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    """Short stable id of a public key: what a signature header names."""
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def public_key_pem(name: str) -> str:
    return (
        signing_key(name)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sign(name: str, data: bytes) -> tuple[str, str]:
    """Sign ``data``: (key id, base64 signature)."""
    key = signing_key(name)
    return key_id(key.public_key()), base64.b64encode(key.sign(data)).decode()


def retired_keys(name: str) -> list[Path]:
    _path(name)  # validates the name
    return sorted(key_dir().glob(f"{name}.retired-*.pem"))


def public_keys(name: str) -> dict[str, Ed25519PublicKey]:
    """Current and retired public keys by key id (what a verifier needs)."""
    keys = [signing_key(name).public_key()] + [_load(p).public_key() for p in retired_keys(name)]
    return {key_id(k): k for k in keys}


def verify(name: str, data: bytes, kid: str, signature_b64: str) -> bool:
    public = public_keys(name).get(kid)
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def rotate(name: str, now: datetime | None = None) -> tuple[str, str]:
    """Retire the current key (kept for verification) and create a new one.
    Returns (old key id, new key id)."""
    path = _path(name)
    old = signing_key(name)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    retired = key_dir() / f"{name}.retired-{stamp}.pem"
    os.replace(path, retired)
    new = _write_new(path)
    return key_id(old.public_key()), key_id(new.public_key())
