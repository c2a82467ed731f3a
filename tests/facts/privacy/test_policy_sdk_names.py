"""Which SDKs a privacy policy names: each SDK by its own names, never by a shared vendor.

A vendor such as Google, 腾讯 or Alibaba Cloud ships dozens of catalogued SDKs; a policy
that mentions "Google" once names none of them. Policies written for these tests.
"""

from __future__ import annotations

from collections import Counter

import pytest

from mobsec.facts.owners import SdkCatalog
from mobsec.facts.privacy.policy import parse_policy


@pytest.fixture(scope="module")
def catalog() -> SdkCatalog:
    return SdkCatalog.load()


def _shared_vendors(catalog: SdkCatalog) -> list[tuple[str, str]]:
    counts = Counter(s.vendor["en"] for s in catalog)
    return [
        (s.vendor["en"].split(" (")[0], s.vendor["zh-CN"].split("（")[0])
        for s in catalog
        if counts[s.vendor["en"]] >= 5
    ]


@pytest.mark.parametrize(
    "text",
    [
        "We use services provided by Google to show maps.",
        "我们使用谷歌提供的服务。",
        "本应用使用了腾讯提供的服务。",
        "We host data on Alibaba Cloud.",
        "Some features rely on Huawei services.",
    ],
)
def test_a_shared_vendor_name_names_no_sdk(catalog: SdkCatalog, text: str) -> None:
    assert parse_policy(text, "p.txt", sdk_catalog=catalog).sdks == {}


def test_every_vendor_shared_by_many_sdks_names_none(catalog: SdkCatalog) -> None:
    vendors = set(_shared_vendors(catalog))
    assert len(vendors) >= 5  # Google, Tencent, Alibaba Cloud, Huawei, Baidu...
    for en, zh in vendors:
        doc = parse_policy(f"We work with {en}. 我们与{zh}合作。", "p.txt", sdk_catalog=catalog)
        assert doc.sdks == {}, (en, sorted(doc.sdks)[:5])


def test_an_sdk_is_named_by_its_own_name_with_the_sentence(catalog: SdkCatalog) -> None:
    text = (
        "We use Firebase Analytics to understand usage. 我们集成了友盟统计SDK。"
        "Maps are provided by Google."
    )
    doc = parse_policy(text, "p.txt", sdk_catalog=catalog)
    firebase = [s for s in doc.sdks if s.startswith("firebase")]
    assert firebase and all("Firebase Analytics" in doc.sdks[s].sentences[0] for s in firebase)
    assert "flutter" not in " ".join(doc.sdks)
    assert doc.sdks["umeng-analytics"].sentences == ["我们集成了友盟统计SDK。"]
    assert not any("Google." in d.sentences[0] for d in doc.sdks.values())


def test_named_sdks_are_the_apps_and_a_vendor_mention_hides_no_reader(
    corpus_apks, tmp_path
) -> None:
    import mobsec

    policy = tmp_path / "policy.txt"
    policy.write_text(
        "We use Google services and Firebase Analytics. 我们使用谷歌的服务。\n", encoding="utf-8"
    )
    doc = mobsec.scan(
        corpus_apks / "vulnapps" / "InsecureBankv2.apk",
        mobsec.ScanOptions(privacy_policy=policy),
    ).to_json()
    cmp = doc["privacy"]["policy_comparison"]
    present = {s["id"] for s in doc["sdks"]}
    assert set(cmp["named_sdks"]) <= present  # Firebase is not in this app
    assert cmp["pi_reading_sdks_not_named"], cmp  # "Google" named none of its SDKs
    assert set(cmp["pi_reading_sdks_not_named"]) <= present
