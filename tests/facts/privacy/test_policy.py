"""Privacy-policy reading: zh and en texts written for these tests, HTML, hostile input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.facts.owners import SdkCatalog
from mobsec.facts.privacy.policy import html_to_text, parse_policy, split_sentences

ZH_POLICY = """
<html><head><title>隐私政策</title><style>p{color:red}</style><script>var imei="x";</script></head>
<body>
<h1>某某地图隐私政策</h1>
<p>为向您提供定位和导航服务，我们会收集您的位置信息。</p>
<p>为保障账号安全，我们会收集您的设备标识信息（如IMEI、Android ID）。</p>
<p>我们的产品集成了友盟统计SDK，用于统计分析。</p>
<p>如您对本政策有任何疑问，可通过客服邮箱联系我们进行投诉或举报。</p>
</body></html>
"""

EN_POLICY = """Privacy Policy

We collect your phone number when you register. We may read your contacts to help you
find friends! We use Firebase Analytics to understand app usage.
We do not sell your data."""


def test_zh_html_policy_declares_types_sdks_and_channel() -> None:
    doc = parse_policy(ZH_POLICY.encode("utf-8"), "zh.html", sdk_catalog=SdkCatalog.load())
    assert doc.language == "zh"
    assert {"location", "device-id", "android-id"} <= set(doc.pi_types)
    assert "contacts" not in doc.pi_types
    # the script's "imei" is not policy text
    assert all("var imei" not in s for s in doc.sentences)
    assert doc.pi_types["location"].sentences == [
        "为向您提供定位和导航服务，我们会收集您的位置信息。"
    ]
    assert "umeng-analytics" in doc.sdks  # 友盟统计 is the analytics SDK; 友盟 alone is shared
    assert doc.complaint_channel


def test_en_text_policy_whole_words() -> None:
    doc = parse_policy(EN_POLICY, "en.txt", sdk_catalog=SdkCatalog.load())
    assert doc.language == "en"
    assert {"phone-number", "contacts"} <= set(doc.pi_types)
    # "MAC" must not match inside words like "machine"; "SMS" not inside other words
    doc2 = parse_policy("Our machine learning improves results.", "x.txt")
    assert "mac-address" not in doc2.pi_types
    assert any(sdk.startswith("firebase") for sdk in doc.sdks), doc.sdks
    assert not doc.complaint_channel


def test_gb18030_and_utf16_policies_decode() -> None:
    text = "我们会收集您的通讯录。"
    for data in (text.encode("gb18030"), text.encode("utf-16")):
        assert "contacts" in parse_policy(data).pi_types


def test_sentences_split_on_chinese_and_western_ends() -> None:
    assert split_sentences("第一句。第二句！Third one. Fourth?\nFifth") == [
        "第一句。",
        "第二句！",
        "Third one.",
        "Fourth?",
        "Fifth",
    ]


def test_unclosed_and_nested_script_tags_drop_only_script_text() -> None:
    assert html_to_text("<p>a<script>b<p>c</script>d").replace("\n", "") == "ad"


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=4000), st.text(max_size=4000)))
def test_fuzz_policy_parser_never_raises(data: bytes | str) -> None:
    doc = parse_policy(data)
    assert doc.language in ("zh", "en", "mixed")
    assert isinstance(doc.to_json(), dict)
