"""Hostile input: crafted signing blocks, signer records, lineages, PKCS#7 and manifests.

Every reader must end in a verdict with issues, or a FormatError/InputError — never
another exception, never a hang. ZIPs are assembled here by hand (stdlib zipfile for the
entries, then a signing block spliced in before the central directory).
"""

from __future__ import annotations

import io
import struct
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.signing import verify_apk_signatures
from mobsec.ingest.signing.block import MAGIC, V2_BLOCK_ID, V3_BLOCK_ID, Reader
from mobsec.ingest.signing.jarmanifest import ManifestParser
from mobsec.ingest.signing.lineage import parse_lineage
from mobsec.ingest.signing.pkcs7 import verify_block

FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


def _zip_with_block(pairs: list[tuple[int, bytes]], meta: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00" + b"\x00" * 4)
        z.writestr("classes.dex", b"dex\n035\x00")
        for name, data in (meta or {}).items():
            z.writestr(name, data)
    data = buf.getvalue()
    eocd = data.rfind(b"PK\x05\x06")
    _cd_size, cd_off = struct.unpack_from("<II", data, eocd + 12)
    body = b"".join(struct.pack("<QI", len(v) + 4, i) + v for i, v in pairs)
    size = len(body) + 24
    block = struct.pack("<Q", size) + body + struct.pack("<Q", size) + MAGIC
    out = bytearray(data[:cd_off] + block + data[cd_off:])
    struct.pack_into("<I", out, eocd + len(block) + 16, cd_off + len(block))
    return bytes(out)


def _lp(b: bytes) -> bytes:
    return struct.pack("<I", len(b)) + b


def _run(data: bytes, min_sdk: int = 1) -> None:
    diags = Diagnostics()
    try:
        archive = Archive.open(data, diags, display_name="fuzz.apk")
    except InputError:
        return
    report = verify_apk_signatures(archive, diags, min_sdk=min_sdk)
    assert not report.verified or report.signers
    if not report.verified:
        assert report.all_error_codes()
    report.to_json()


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([V2_BLOCK_ID, V3_BLOCK_ID]), st.integers(1, 40))
def test_random_scheme_block(value: bytes, block_id: int, min_sdk: int) -> None:
    _run(_zip_with_block([(block_id, value)]), min_sdk)


@FUZZ
@given(
    st.lists(st.binary(max_size=80), max_size=4),
    st.lists(st.integers(0, 0xFFFF), max_size=3),
    st.binary(max_size=120),
    st.sampled_from([V2_BLOCK_ID, V3_BLOCK_ID]),
)
def test_structured_signer(certs: list[bytes], algs: list[int], key: bytes, block_id: int) -> None:
    # Well-formed length prefixes, garbage contents: reaches the deep checks.
    digests = b"".join(_lp(struct.pack("<I", a) + _lp(b"\x00" * 32)) for a in algs)
    sdk = struct.pack("<ii", 24, 0x7FFFFFFF) if block_id == V3_BLOCK_ID else b""
    signed = _lp(digests) + _lp(b"".join(_lp(c) for c in certs)) + sdk + _lp(b"")
    sigs = b"".join(_lp(struct.pack("<I", a) + _lp(b"\x01" * 64)) for a in algs)
    signer = _lp(signed) + sdk + _lp(sigs) + _lp(key)
    _run(_zip_with_block([(block_id, _lp(_lp(signer)))]), 24)


@FUZZ
@given(st.binary(max_size=400))
def test_random_lineage(value: bytes) -> None:
    try:
        parse_lineage(memoryview(struct.pack("<I", 1) + value))
    except FormatError as e:
        assert e.code.startswith("signing.")


@FUZZ
@given(st.binary(max_size=400), st.binary(max_size=100), st.integers(1, 40))
def test_random_pkcs7(block: bytes, sf: bytes, min_sdk: int) -> None:
    verdict = verify_block(b"\x30\x82" + block, sf, "META-INF/CERT.RSA", "META-INF/CERT.SF",
                           min_sdk, 2**31 - 1)  # fmt: skip
    assert verdict.issue is not None or verdict.chain


@FUZZ
@given(st.binary(max_size=300), st.binary(max_size=300), st.binary(max_size=300))
def test_random_jar_signature(manifest: bytes, sf: bytes, rsa: bytes) -> None:
    meta = {
        "META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\r\n\r\n" + manifest,
        "META-INF/CERT.SF": b"Signature-Version: 1.0\r\n" + sf,
        "META-INF/CERT.RSA": rsa,
    }
    _run(_zip_with_block([(0x42726577, b"\x00" * 8)], meta))


@FUZZ
@given(st.binary(max_size=500))
def test_manifest_parser_terminates(data: bytes) -> None:
    p = ManifestParser(data)
    p.read_section()
    sections = p.read_all()
    assert all(0 <= s.start <= len(data) and s.size >= 0 for s in sections)


def test_reader_bounds() -> None:
    r = Reader(b"\x05\x00\x00\x00ab")
    try:
        r.lp()
    except FormatError as e:
        assert e.code == "signing.record.truncated"
    else:
        raise AssertionError("length beyond the buffer must raise FormatError")


def test_block_size_mismatch_is_ignored_like_android() -> None:
    data = bytearray(_zip_with_block([(V2_BLOCK_ID, b"\x00" * 16)]))
    cd_offset = data.find(MAGIC) + len(MAGIC)
    size = struct.unpack_from("<Q", data, cd_offset - 24)[0]
    struct.pack_into("<Q", data, cd_offset - size - 8, size + 1)  # header != footer
    diags = Diagnostics()
    report = verify_apk_signatures(Archive.open(bytes(data), diags, display_name="x"), diags)
    assert "signing.block.size_mismatch" in report.warnings
    assert not report.schemes["v2"].present
    assert "signing.v1.no_manifest" in report.all_error_codes()
