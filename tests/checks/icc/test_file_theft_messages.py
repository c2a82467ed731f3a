"""The file-theft finding says where the URI comes from (the exported component, or the
implicit request another app answers, by its Intent constant's name), where it is opened and
where its content goes, in words of the message's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools
from tests.report.test_zh_messages import template_english

from mobsec import ScanOptions, scan

FIXTURE = Path(__file__).parent / "icc-file-theft"
CHECK = "android.icc.uri-file-theft"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def thefts() -> dict[str, dict]:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(FIXTURE), ScanOptions(include_unreachable=True)).to_json()
    return {
        f["location"]["class"].rsplit(".", 1)[-1]: f
        for f in doc["findings"]
        if f["check_id"] == CHECK
    }


def test_the_picker_result_is_named_by_its_action(thefts: dict[str, dict]) -> None:
    m = thefts["PickerActivity"]["message"]
    assert "implicit ACTION_PICK request (PickerActivity$1.onClick)" in m["en"]
    assert "ContentResolver.openInputStream in PickerActivity.save" in m["en"]
    assert "external storage" in m["en"] and "Environment.getExternalStorageDirectory" in m["en"]
    assert "ACTION_PICK" in m["zh-CN"] and "外部存储" in m["zh-CN"]


def test_the_exported_component_and_the_path_opener_are_named(thefts: dict[str, dict]) -> None:
    share = thefts["ShareActivity"]["message"]["en"]
    assert "exported activity com.example.theft.ShareActivity" in share
    assert "Context.getExternalFilesDir" in share
    path = thefts["PathActivity"]["message"]["en"]
    assert "new FileInputStream in PathActivity.onCreate" in path


def test_messages_speak_their_language(thefts: dict[str, dict]) -> None:
    for f in thefts.values():
        assert not CJK.search(f["message"]["en"]), f["message"]["en"]
        assert not template_english(f), (template_english(f), f["message"]["zh-CN"])
    assert set(thefts) == {
        "PickerActivity",
        "ShareActivity",
        "PathActivity",
        "ForwardActivity",
        "ContractActivity$1",
    }


def test_an_activity_result_contract_is_named(thefts: dict[str, dict]) -> None:
    m = thefts["ContractActivity$1"]["message"]
    assert "ActivityResultContracts.GetContent request (ContractActivity.onCreate)" in m["en"]
    assert "ActivityResultContracts.GetContent" in m["zh-CN"]


def test_a_uri_forwarded_to_an_internal_activity_is_reported_where_it_entered(
    thefts: dict[str, dict],
) -> None:
    m = thefts["ForwardActivity"]["message"]["en"]
    assert "exported activity com.example.theft.ForwardActivity" in m
    assert "ContentResolver.openInputStream in InternalCopyActivity.onCreate" in m
