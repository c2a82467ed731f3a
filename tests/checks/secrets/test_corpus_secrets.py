"""Labelled secrets of the deliberately vulnerable apps (GROUND_TRUTH.md section 3) are
found, in resources.arsc (no source line, so not covered by the annotated fixtures), and
reported masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec import ScanOptions, scan

CASES = [
    # ovaa README line 23: test_url in strings.xml (https://adm1n:passw0rd@dev.victim.com)
    ("ovaa.apk", "url-credentials", "passw0rd"),
    # InsecureShop README line 43: AWS Cognito identity pool id in strings.xml
    ("InsecureShop.apk", "aws-cognito-identity-pool", "7e9426f7-42af-4717-8689-00a9a4b65c1c"),
]


@pytest.mark.parametrize(("apk", "pattern", "secret"), CASES)
def test_resource_secret_found_and_masked(
    corpus_apks: Path, apk: str, pattern: str, secret: str
) -> None:
    report = scan(corpus_apks / "vulnapps" / apk, ScanOptions()).to_json()
    hits = [
        f
        for f in report["findings"]
        if f["check_id"] == "android.secrets.hardcoded-secret"
        and f["location"]["file"] == "resources.arsc"
    ]
    assert hits, f"no resource secret in {apk}"
    names = {"url-credentials": "Credentials in a URL", "aws-cognito-identity-pool": "Cognito"}
    assert any(names[pattern] in f["message"]["en"] for f in hits)
    for f in hits:
        text = f["evidence"] + " ".join(f["message"].values())
        assert secret not in text
