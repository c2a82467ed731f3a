"""Hostile class files: every malformed one is a ClassFormatError naming the problem (a
``jvm.bad_class`` diagnostic naming the class file in a JAR), never another exception or a
hang; fuzzed from a javac-built class (hypothesis, like the APK readers)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fixtures.sdkbuild import SDKS, build_jar

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.jvm import ClassFormatError, JvmCode, parse_class

FUZZ = settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def tracker_class(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    jar = build_jar(SDKS / "tracker", tmp_path_factory.mktemp("jvm") / "t.jar")
    with zipfile.ZipFile(jar) as z:
        return z.read("com/example/sdk/Tracker.class")


def _cp_count_offset() -> int:
    return 8  # magic, minor, major


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda b: b[:3], "magic"),
        (lambda b: b"\xca\xfe\xba\xbf" + b[4:], "not a class file"),
        (lambda b: b[:8] + b"\xff\xff" + b[10:], "constant_pool_count"),
        (lambda b: b[:-1], "needs"),
        (lambda b: b + b"\0", "after the last attribute"),
        (lambda b: b[:10] + b"\x63" + b[11:], "unknown tag"),
    ],
    ids=["truncated-magic", "bad-magic", "huge-pool", "truncated", "trailing", "bad-tag"],
)
def test_malformed_is_named(tracker_class: bytes, mutate, message: str) -> None:
    with pytest.raises(ClassFormatError, match=message):
        parse_class(mutate(tracker_class))


def test_lying_code_length(tracker_class: bytes) -> None:
    """A Code attribute whose code_length runs past the attribute is refused."""
    name = struct.pack(">H", _utf8_index(tracker_class, "Code"))
    pos = tracker_class.index(name, 10)
    while True:  # the first place that reads as a Code attribute header
        attr_len, code_len = struct.unpack_from(">I4xI", tracker_class, pos + 2)
        if code_len > 0 and 12 + code_len <= attr_len < len(tracker_class):
            break
        pos = tracker_class.index(name, pos + 1)
    length_at = pos + 2 + 4 + 4  # name, attribute_length, max_stack, max_locals
    bad = tracker_class[:length_at] + struct.pack(">I", 0xFFFF) + tracker_class[length_at + 4 :]
    with pytest.raises(ClassFormatError, match="code"):
        parse_class(bad)


def _utf8_index(data: bytes, text: str) -> int:
    """Index of a UTF8 constant (walks the pool as the reader does, for the test)."""
    n = struct.unpack_from(">H", data, 8)[0]
    pos, i = 10, 1
    sizes = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 18: 4}
    while i < n:
        tag = data[pos]
        if tag == 1:
            length = struct.unpack_from(">H", data, pos + 1)[0]
            if data[pos + 3 : pos + 3 + length] == text.encode():
                return i
            pos += 3 + length
        else:
            pos += 1 + sizes[tag]
        i += 2 if tag in (5, 6) else 1
    raise AssertionError(text)


def test_bad_class_in_jar_is_a_diagnostic_naming_it(tracker_class: bytes) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("com/example/sdk/Tracker.class", tracker_class)
        z.writestr("com/example/sdk/Broken.class", tracker_class[:200])
    diags = Diagnostics()
    code = JvmCode()
    with Archive.open(buf.getvalue(), diags, display_name="classes.jar") as arch:
        code.add_jar(arch, "classes.jar!/", diags)
    assert list(code.classes) == ["Lcom/example/sdk/Tracker;"]
    bad = [d for d in diags if d.code == "jvm.bad_class"]
    assert [d.file for d in bad] == ["classes.jar!/com/example/sdk/Broken.class"]
    assert bad[0].zh and "malformed class file" in bad[0].en
    assert code.jars == [{"name": "classes.jar", "classes": 1, "malformed": 1}]


@FUZZ
@given(data=st.data())
def test_fuzz_raises_only_class_format_error(tracker_class: bytes, data: st.DataObject) -> None:
    raw = bytearray(tracker_class)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(raw)))
        raw = raw[:cut]
    try:
        cls = parse_class(bytes(raw))
    except ClassFormatError as e:
        assert str(e)
        return
    for m in cls.methods:  # what parsed is consistent with the data
        assert 0 < m.code_length < 65536 or not m.code
        assert all(0 <= i.offset < m.code_length for i in m.code)
