"""``mobsec certificate verify`` and ``mobsec scheme check``: offline, no platform needed."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

MAX_KEY_BYTES = 64 * 1024


def add_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("certificate", help="certificates: verify offline / 证书:离线验证")
    cs = c.add_subparsers(dest="certificate_command", required=True)
    v = cs.add_parser(
        "verify",
        help="check a certificate file's Ed25519 signature and validity period / 验证证书签名与有效期",
    )
    v.add_argument("file", type=Path, help="certificate JSON / 证书 JSON 文件")
    v.add_argument(
        "--public-key", type=Path, required=True, help="the issuer's public key (PEM) / 签发方公钥"
    )
    v.add_argument("--at", help="check the validity period at this ISO time instead of now")
    s = sub.add_parser("scheme", help="evaluation schemes: check a file / 评估方案:检查文件")
    ss = s.add_subparsers(dest="scheme_command", required=True)
    k = ss.add_parser("check", help="validate scheme files / 校验评估方案文件")
    k.add_argument("files", type=Path, nargs="+")


def _read(path: Path, limit: int) -> bytes:
    if not path.is_file():
        raise OSError(f"{path}: not a regular file / 不是普通文件")
    with path.open("rb") as f:
        return f.read(limit + 1)


def run_certificate(args: argparse.Namespace) -> int:
    """Exit 0 valid, 1 not valid (signature, tampering, period), 2 unusable input."""
    from . import certdoc

    try:
        public = certdoc.load_public_key(_read(args.public_key, MAX_KEY_BYTES))
        data = _read(args.file, certdoc.MAX_BYTES)
        now = datetime.fromisoformat(args.at) if args.at else datetime.now(UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    except (OSError, ValueError) as e:
        print(f"mobsec: {e}")
        return 2
    result = certdoc.verify(data, public, now)
    cert = result.certificate or {}
    if result.valid:
        subject = cert.get("subject") or {}
        print(
            f"VALID / 有效: {cert.get('serial')} {subject.get('package_name')} "
            f"{subject.get('version_name')} ({(cert.get('scheme') or {}).get('code')}), "
            f"until / 有效期至 {cert.get('valid_until')}"
        )
        print(
            "The signature proves what was issued; whether it is suspended or revoked is on "
            f"the verification page / 是否暂停或撤销请查看验证页面: {cert.get('verify_url')}"
        )
        return 0
    for en, zh in result.problems:
        print(f"NOT VALID / 无效: {en} / {zh}")
    return 1


def run_scheme(args: argparse.Namespace) -> int:
    """Exit 0 when every scheme file is valid, 2 naming file, line and problem otherwise."""
    from .schemes import SchemeFileError, load_scheme

    bad = 0
    for path in args.files:
        try:
            s = load_scheme(path, str(path))
        except SchemeFileError as e:
            print(f"mobsec: {e}")
            bad += 1
        else:
            review = sum(1 for i in s.items if i.needs_review)
            print(f"{path}: {s.id} {s.version}, {len(s.items)} items ({review} need review)")
    return 2 if bad else 0
