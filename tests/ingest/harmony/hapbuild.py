"""Build HAP files in tests from real parts: corpus module.json / modules.abc edited, native
libraries compiled here, and a ``<hap sign block>`` laid out as hapsigner writes it."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

from mobsec.ingest.harmony.sign_block import MAGIC, TYPE_PROFILE, TYPE_SIGNATURE


def corpus_member(hap: Path, name: str) -> bytes:
    with zipfile.ZipFile(hap) as z:
        return z.read(name)


def corpus_module_json(hap: Path) -> dict[str, Any]:
    return json.loads(corpus_member(hap, "module.json"))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def sign_block(blocks: list[tuple[int, bytes]], version: int = 3) -> bytes:
    """Sub-block headers, payloads, then the 32-byte head (count, size, magic, version)."""
    header_len = 12 * len(blocks)
    headers, payload = b"", b""
    for btype, data in blocks:
        headers += struct.pack("<III", btype, len(data), header_len + len(payload))
        payload += data
    size = header_len + len(payload) + 32
    return (
        headers
        + payload
        + struct.pack("<iq", len(blocks), size)
        + MAGIC
        + struct.pack("<i", version)
    )


def insert_before_cd(zip_data: bytes, block: bytes) -> bytes:
    """Put ``block`` between the last local entry and the central directory."""
    eocd = zip_data.rfind(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<I", zip_data, eocd + 16)
    out = bytearray(zip_data[:cd_offset] + block + zip_data[cd_offset:])
    struct.pack_into("<I", out, eocd + len(block) + 16, cd_offset + len(block))
    return bytes(out)


def signed_with_profile(files: dict[str, bytes], profile: dict[str, Any] | None) -> bytes:
    """A HAP whose sign block carries a CMS SignedData profile (made with cryptography)."""
    blocks = []
    if profile is not None:
        blocks.append((TYPE_PROFILE, cms_signed(json.dumps(profile).encode())))
    blocks.append((TYPE_SIGNATURE, cms_signed(b"\x02\x00\x00\x00digests")))
    return insert_before_cd(zip_bytes(files), sign_block(blocks))


def cms_signed(content: bytes) -> bytes:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mobsec test signer")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def replace_abc_string(abc: bytes, old: str, new: str) -> bytes:
    """Swap one ASCII string item for another of the same length; fix the Adler-32."""
    assert len(old) == len(new)
    raw = old.encode() + b"\x00"
    at = abc.index(raw)
    out = bytearray(abc)
    out[at : at + len(raw) - 1] = new.encode()
    struct.pack_into("<I", out, 8, zlib.adler32(bytes(out[12:])))
    return bytes(out)


def compile_so(tmp: Path, name: str, flags: list[str], extra: str = "") -> bytes:
    src = tmp / f"{name}.c"
    src.write_text(
        "#include <string.h>\nint copy(char *d, const char *s){char b[64]; strcpy(b, s);"
        " strcpy(d, b); return (int)strlen(b);}\n" + extra
    )
    out = tmp / f"{name}.so"
    subprocess.run(["gcc", "-shared", "-O1", *flags, "-o", str(out), str(src)], check=True)
    return out.read_bytes()


def tampered(hap: Path, at: int = 10) -> bytes:
    """The HAP with one byte changed (default: the first entry's modification time, which
    no reader checks, so only the signature can tell)."""
    data = bytearray(hap.read_bytes())
    data[at] ^= 0x01
    return bytes(data)
