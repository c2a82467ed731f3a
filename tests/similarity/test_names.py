"""App name comparison: what must match (copies of a brand) and what must not."""

from __future__ import annotations

import pytest

from mobsec.similarity.names import NameMatch, compare_names, index_keys, normalise
from mobsec.similarity.signals import NAME_MATCH


@pytest.mark.parametrize(
    ("candidate", "genuine", "how"),
    [
        ("微信", "微信", "exact"),
        ("WeChat", "ＷｅＣｈａｔ", "confusable"),  # full-width
        ("Wеchаt", "Wechat", "confusable"),  # Cyrillic е and а
        ("支付保", "支付宝", "pinyin"),  # homophone
        ("微信极速版", "微信", "brand"),
        ("Alipay Lite", "Alipay", "brand"),
        ("Alipey", "Alipay", "edit"),
    ],
)
def test_imitations_match(candidate: str, genuine: str, how: str) -> None:
    m = compare_names(candidate, genuine)
    assert m.how == how and m.score >= NAME_MATCH, m


@pytest.mark.parametrize(
    ("candidate", "genuine"),
    [("淘宝", "微信"), ("Calculator", "Alipay"), ("Super Cleaner 清理大师", "Diva"), ("", "微信")],
)
def test_other_names_do_not(candidate: str, genuine: str) -> None:
    assert compare_names(candidate, genuine).score < NAME_MATCH


def test_normalise_and_index_keys_meet_one_edit_apart() -> None:
    assert normalise("Ｐａｙ－Ｐａ1") == "paypal"  # width, case, punctuation, look-alikes
    assert index_keys("Alipay") & index_keys("Alipey")
    assert index_keys("支付宝") & index_keys("支付保")
    assert not index_keys("Alipay") & index_keys("Taobao")
    assert isinstance(compare_names("x" * 10_000, "y" * 10_000), NameMatch)  # bounded
