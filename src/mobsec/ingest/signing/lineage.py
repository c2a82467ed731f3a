"""Proof-of-rotation lineage (v3/v3.1 attribute 0x3ba06f8c): the chain of signing keys.

Each node holds a certificate and is signed by the previous node's key, so a verified
lineage proves the new key was authorised by the old one. Layout::

    u32 version (1) | lp(node)*   node = lp(lp(cert) u32 signed_alg) u32 flags u32 alg lp(sig)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.diagnostics import FormatError

from .algorithms import SIG_ALGORITHMS, VerifyError, verify_signature
from .block import Reader
from .certs import ParsedCertificate, parse_certificate

MAX_LINEAGE_NODES = 64  # Android's rotation history stays tiny; bound hostile input


@dataclass
class Lineage:
    certs: list[ParsedCertificate] = field(default_factory=list)
    flags: list[int] = field(default_factory=list)


def _err(code: str, en: str, zh: str) -> FormatError:
    return FormatError(en, zh, code=code)


def parse_lineage(value: memoryview) -> Lineage:
    """Parse and verify the chain; raise FormatError with a ``signing.scheme.*`` code."""
    lin = Lineage()
    try:
        r = Reader(value)
        if r.u32() != 1:
            raise _err("signing.scheme.malformed_lineage", "unknown lineage version",
                       "未知的 lineage 版本")  # fmt: skip
        last: ParsedCertificate | None = None
        last_alg = 0
        seen: set[bytes] = set()
        while r.has_remaining():
            if len(lin.certs) >= MAX_LINEAGE_NODES:
                raise _err("signing.scheme.malformed_lineage", "too many lineage nodes",
                           "lineage 节点过多")  # fmt: skip
            node = r.lp_reader()
            signed = node.lp()
            flags = node.u32()
            alg_id = node.u32()
            sig = bytes(node.lp())
            if last is not None:
                alg = SIG_ALGORITHMS.get(last_alg)
                if alg is None:
                    raise _err("signing.scheme.por_did_not_verify",
                               f"unknown algorithm 0x{last_alg:04x}",
                               f"未知算法 0x{last_alg:04x}")  # fmt: skip
                try:
                    ok = verify_signature(last.public_key, alg.key, alg.hash_name, sig, signed,
                                          alg.pss_salt)  # fmt: skip
                except VerifyError as e:
                    raise _err("signing.scheme.por_did_not_verify", str(e), str(e)) from None
                if not ok:
                    raise _err("signing.scheme.por_did_not_verify",
                               f"node #{len(lin.certs) + 1} signature does not verify",
                               f"第 {len(lin.certs) + 1} 个节点的签名校验失败")  # fmt: skip
            sr = Reader(signed)
            der = bytes(sr.lp())
            signed_alg = sr.u32()
            if last is not None and signed_alg != last_alg:
                raise _err("signing.scheme.por_did_not_verify", "signature algorithm mismatch",
                           "签名算法不一致")  # fmt: skip
            cert = parse_certificate(der)
            if der in seen:
                raise _err("signing.scheme.por_did_not_verify", "duplicate certificate",
                           "证书重复")  # fmt: skip
            seen.add(der)
            lin.certs.append(cert)
            lin.flags.append(flags)
            last, last_alg = cert, alg_id
    except FormatError as e:
        if e.code.startswith("signing.scheme."):
            raise
        raise _err("signing.scheme.malformed_lineage", e.en, e.zh) from None
    return lin
