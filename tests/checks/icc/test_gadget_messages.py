"""The deserialisation-gadget finding names the hook, the effect, the path to it and where the
value comes from, in words of the message's language (zh-CN has no English template words,
en no Chinese), and says which exported component lets another app send the object."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools
from tests.report.test_zh_messages import template_english

from mobsec import ScanOptions, scan

FIXTURE = Path(__file__).parent / "icc-gadgets"
CHECK = "android.icc.deserialization-gadget"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def gadgets() -> dict[str, dict]:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(FIXTURE), ScanOptions()).to_json()
    return {
        f["location"]["class"].rsplit(".", 1)[-1]: f
        for f in doc["findings"]
        if f["check_id"] == CHECK
    }


def test_path_through_a_helper_and_the_source_are_named(gadgets: dict[str, dict]) -> None:
    m = gadgets["DeleteOnRead"]["message"]
    assert "via Cleaner.wipe -> File.delete" in m["en"]
    assert "ObjectInputStream.readUTF()" in m["en"]
    assert "exported com.example.gadgets.MainActivity" in m["en"]
    assert "经 Cleaner.wipe -> File.delete" in m["zh-CN"]
    native = gadgets["NativeHandle"]["message"]["en"]
    assert "field ptr (restored from the stream)" in native and "NativeHandle.free" in native


def test_the_most_severe_effect_of_a_hook_is_its_one_finding(gadgets: dict[str, dict]) -> None:
    # readResolve loads a class (medium) and instantiates it (high): one finding, high.
    plugin = gadgets["PluginRef"]
    assert plugin["severity"] == "high" and "Class.newInstance" in plugin["message"]["en"]
    assert gadgets["ClassNameParcel"]["severity"] == "medium"


def test_messages_are_pure_in_their_language(gadgets: dict[str, dict]) -> None:
    assert len(gadgets) == 7, sorted(gadgets)
    for f in gadgets.values():
        assert not CJK.search(f["message"]["en"]), f["message"]["en"]
        assert CJK.search(f["message"]["zh-CN"]), f["message"]["zh-CN"]
        assert template_english({**f, "evidence": ""}) == [], f["message"]["zh-CN"]
