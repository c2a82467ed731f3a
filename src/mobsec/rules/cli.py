"""The command line of rule packs: ``mobsec rules keygen|sign|verify|check|test`` and the
``--rules`` options of ``mobsec scan`` (wired in from :mod:`mobsec.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import RuleFileError


def add_scan_args(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--rules",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="rule pack to run with the built-in checks (repeatable; verified with "
        "--rules-pubkey) / 附加的规则包目录(可重复,用 --rules-pubkey 验证签名)",
    )
    s.add_argument(
        "--rules-pubkey",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="Ed25519 public key (PEM) a --rules pack must be signed with (repeatable) / "
        "规则包发布者的 Ed25519 公钥",
    )
    s.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="run --rules packs that are not signed (a signed pack must still verify) / "
        "允许运行未签名的规则包(已签名的规则包仍须验证通过)",
    )
    s.add_argument(
        "--facts-dir",
        metavar="DIR",
        type=Path,
        help="keep the facts rules need per package here (<sha256>.facts), for "
        "--rules-only re-scans / 保存规则所需的事实数据,供仅规则重扫使用",
    )
    s.add_argument(
        "--rules-only",
        action="store_true",
        help="run only the --rules packs, on the stored facts of --facts-dir when they are "
        "there and of this engine (else a full scan that stores them); writes the rule "
        "results JSON / 仅运行规则包:有本引擎版本的事实数据时直接使用,否则完整扫描并保存",
    )


def load_for_scan(args: argparse.Namespace) -> tuple:
    """The verified packs of ``--rules``; :class:`RuleFileError` says why one is refused."""
    if not args.rules:  # the loader brings in PyYAML and the rule evaluator: only for packs
        return ()
    from mobsec.checks.registry import load_all

    from .loader import load_pack
    from .signing import is_signed, verify_pack

    builtin = set(load_all("android"))
    packs = []
    for root in args.rules:
        if is_signed(root) or not args.allow_unsigned:
            if not is_signed(root):
                raise RuleFileError(
                    str(root),
                    None,
                    "the pack is not signed; refused (use --allow-unsigned to run it anyway)",
                    "规则包未签名,已拒绝(如确需运行请使用 --allow-unsigned)",
                )
            verify_pack(root, args.rules_pubkey)
        packs.append(load_pack(root, builtin))
    ids = [r.meta.id for p in packs for r in p.rules]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise RuleFileError(
            ", ".join(str(r) for r in args.rules),
            None,
            f"rule ids in more than one pack: {', '.join(dup)}",
            f"多个规则包中存在相同规则 id:{', '.join(dup)}",
        )
    return tuple(packs)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rules", help="rule packs: check, test, sign, verify / 规则包:检查、测试、签名、验证"
    )
    rs = p.add_subparsers(dest="rules_command", required=True)
    k = rs.add_parser("keygen", help="make an Ed25519 key pair / 生成 Ed25519 密钥对")
    k.add_argument("--key", type=Path, required=True, help="private key file to write / 私钥")
    k.add_argument("--pubkey", type=Path, required=True, help="public key file to write / 公钥")
    s = rs.add_parser("sign", help="sign a pack (writes DIR/pack.sig) / 签名规则包")
    s.add_argument("dir", type=Path)
    s.add_argument("--key", type=Path, required=True, help="Ed25519 private key (PEM) / 私钥")
    v = rs.add_parser("verify", help="verify a pack's signature / 验证规则包签名")
    v.add_argument("dir", type=Path)
    v.add_argument(
        "--pubkey",
        type=Path,
        action="append",
        required=True,
        help="Ed25519 public key (PEM), repeatable / 公钥",
    )
    c = rs.add_parser("check", help="load a pack and list its rules / 检查并列出规则")
    c.add_argument("dir", type=Path)
    t = rs.add_parser("test", help="run the pack's fixtures (tests.yaml) / 运行规则包测试样本")
    t.add_argument("dir", type=Path)


def run(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 a fixture test failed, 2 the pack/key/signature was refused."""
    from .fixtures import run_tests
    from .loader import load_pack
    from .signing import generate_key, sign_pack, verify_pack

    try:
        cmd = args.rules_command
        if cmd == "keygen":
            generate_key(args.key, args.pubkey)
            print(f"wrote {args.key} (keep it secret / 请妥善保管) and {args.pubkey}")
        elif cmd == "sign":
            out = sign_pack(args.dir, args.key)
            print(f"signed / 已签名: {out}")
        elif cmd == "verify":
            key_id = verify_pack(args.dir, args.pubkey)
            pack = load_pack(args.dir)
            print(f"{pack.id} {pack.version}: signature OK (key {key_id}) / 签名验证通过")
        elif cmd == "check":
            pack = load_pack(args.dir)
            print(f"{pack.id} {pack.version} ({pack.publisher}): {len(pack.rules)} rules / 条规则")
            for r in pack.rules:
                print(
                    f"  {r.meta.id:<48} {r.meta.severity.value:<8} {r.meta.title.en} / {r.meta.title.zh}"
                )
        elif cmd == "test":
            pack = load_pack(args.dir)
            outcome = run_tests(pack)
            for line in outcome.lines:
                print(line)
            print(
                f"{outcome.passed} passed, {outcome.failures} failed / "
                f"{outcome.passed} 项通过,{outcome.failures} 项失败"
            )
            return 1 if outcome.failures else 0
    except RuleFileError as e:
        print(f"mobsec: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"mobsec: {e}", file=sys.stderr)
        return 2
    return 0
