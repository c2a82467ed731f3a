"""Hostile HarmonyOS input: damaged sign blocks, Ark bytecode, module.json and HAP packs
raise nothing but FormatError and never hang (hypothesis, like the APK readers)."""

from __future__ import annotations

import contextlib
import json
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import CORPUS
from tests.ingest.harmony.hapbuild import insert_before_cd, sign_block, zip_bytes

from mobsec.diagnostics import Diagnostics, FormatError, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.harmony.abc import read_abc
from mobsec.ingest.harmony.hap import read_harmony
from mobsec.ingest.harmony.module_config import parse_config_json, parse_module_json
from mobsec.ingest.harmony.sign_block import read_sign_block
from mobsec.limits import DEFAULT_LIMITS

HAP = CORPUS / "formats" / "hap"
HELLO = HAP / "helloworld-demo_entry-default-signed.hap"
FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


def _tail(path: Path) -> tuple[bytes, int]:
    data = path.read_bytes()
    eocd = data.rfind(b"PK\x05\x06")
    (cd,) = struct.unpack_from("<I", data, eocd + 16)
    return data[:cd], cd


@pytest.mark.corpus
@FUZZ
@given(st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 255)), min_size=1, max_size=12))
def test_damaged_sign_block(corpus_dir: Path, edits: list[tuple[int, int]]) -> None:
    head, cd = _tail(HELLO)
    buf = bytearray(head)
    for back, value in edits:
        buf[max(0, cd - 1 - back)] = value  # the block sits right before the CD
    read_sign_block(bytes(buf), cd, Diagnostics())


@FUZZ
@given(
    st.integers(-(2**31), 2**31 - 1),
    st.integers(-(2**63), 2**63 - 1),
    st.lists(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)),
        max_size=5,
    ),
)
def test_lying_sign_block_numbers(count: int, size: int, subs: list[tuple[int, int, int]]) -> None:
    body = b"".join(struct.pack("<III", *s) for s in subs) + b"\x30\x82" * 20
    data = body + struct.pack("<iq", count, size) + b"<hap sign block>" + struct.pack("<i", 3)
    read_sign_block(data, len(data), Diagnostics())
    # and the same numbers laid out by the packer, with junk CMS payloads
    blob = sign_block([(t & 0x2000000F | 0x20000000, bytes(min(o, 64))) for t, _, o in subs])
    read_sign_block(blob, len(blob), Diagnostics())


@pytest.mark.corpus
@FUZZ
@given(st.data())
def test_damaged_abc(corpus_dir: Path, data: st.DataObject) -> None:
    import zipfile

    abc = bytearray(zipfile.ZipFile(HELLO).read("ets/modules.abc"))
    for _ in range(data.draw(st.integers(1, 20))):
        abc[data.draw(st.integers(0, len(abc) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(abc)))
    with contextlib.suppress(FormatError):
        read_abc(bytes(abc[:cut]), "ets/modules.abc")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "app",
                    "module",
                    "abilities",
                    "extensionAbilities",
                    "requestPermissions",
                    "reqPermissions",
                    "name",
                    "exported",
                    "visible",
                    "skills",
                    "actions",
                    "entities",
                    "uris",
                    "usedScene",
                    "debug",
                    "deviceConfig",
                    "default",
                    "network",
                    "bundleName",
                    "version",
                    "apiVersion",
                    "metadata",
                    "resource",
                    "type",
                    "permissions",
                    "minAPIVersion",
                    "distro",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=6,
        )
    ),
    max_leaves=40,
)


@FUZZ
@given(JSON)
def test_any_json_as_module_config(doc: object) -> None:
    raw = json.dumps(doc).encode()
    for parse in (parse_module_json, parse_config_json):
        with contextlib.suppress(FormatError):
            parse(raw)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["module.json", "config.json", "entry.hap"]))
def test_garbage_members(blob: bytes, name: str) -> None:
    files = {name: blob, "pack.info": blob[:40]}
    data = insert_before_cd(zip_bytes(files), sign_block([(0x20000002, blob[:80])]))
    diags = Diagnostics()
    try:
        with Archive.open(data, diags) as archive:
            read_harmony(archive, diags, DEFAULT_LIMITS)
    except InputError:
        pass


def test_hap_inside_app_inside_app_is_not_opened() -> None:
    """Nesting is bounded: an .app's HAP entries are opened, a HAP's own .hap entries are not."""
    inner = zip_bytes(
        {"module.json": b'{"app": {"bundleName": "inner"}, "module": {"type": "entry"}}'}
    )
    middle = zip_bytes({"pack.info": b"{}", "deep.hap": inner})
    outer = zip_bytes({"pack.info": b"{}", "entry.hap": middle})
    diags = Diagnostics()
    with Archive.open(outer, diags) as archive:
        pkg = read_harmony(archive, diags, DEFAULT_LIMITS)
    assert pkg.modules == [] and "harmony.module_not_hap" in diags.codes()
