"""The secret pattern catalog is valid data, masking never leaks a value, and the matchers
stay clean (no exception, masked output) on arbitrary text."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from mobsec.checks.secrets._patterns import find_secrets, looks_random, mask, mask_in, patterns
from mobsec.checks.secrets._sources import search_many


def _data(name: str) -> dict:
    return json.loads(resources.files("mobsec.checks.secrets").joinpath(name).read_text("utf-8"))


def test_catalog_matches_its_schema() -> None:
    jsonschema.validate(_data("patterns.json"), _data("patterns.schema.json"))
    ids = [p.id for p in patterns()]
    assert len(ids) == len(set(ids))


def test_known_formats_and_near_misses() -> None:
    hits = {m.pattern.id for m in find_secrets("key=AKIAIOSFODNN7EXAMPLQ")}
    assert hits == {"aws-access-key-id"}
    assert not find_secrets("AKIAIOSFODNN7EXAMPLQX1")  # longer token: not an access key id
    assert {m.pattern.id for m in find_secrets("LTAI5tFakeAccessKey12")} == {
        "alibaba-cloud-access-key-id"
    }
    cognito = "us-east-1:6a7b8c9d-1e2f-4a5b-8c7d-9e0f1a2b3c4d"
    assert {m.pattern.id for m in find_secrets(cognito)} == {"aws-cognito-identity-pool"}
    assert not find_secrets("https://example.com/path?user=alice")


def test_mask_hides_the_middle() -> None:
    assert mask("AKIAIOSFODNN7EXAMPLQ") == "AKIA****MPLQ"
    assert mask("vendorsecretkey") == "ve****ey"
    assert mask("short") == "****"
    text = 'const-string v0, "AKIAIOSFODNN7EXAMPLQ"'
    assert mask_in(text, ["AKIAIOSFODNN7EXAMPLQ"]) == 'const-string v0, "AKIA****MPLQ"'


def test_search_many_places_matches_in_the_right_text() -> None:
    texts = ["nothing here", "AIzaSyD3x4mPl3K3yV4lu3F0rT3st1ngPurp0s3", "xoxb-0000000000-abcdef"]
    found = {(h.text_index, h.match.pattern.id) for h in search_many(texts)}
    assert found == {(1, "google-api-key"), (2, "slack-token")}


def test_entropy_filter() -> None:
    assert looks_random("q8Zr3Kf7Xw2Lp9Vb4Nt6Hy1M")
    assert not looks_random("this_is_a_long_identifier")
    # words with an acronym (a Xerces message key), while random tokens stay keys
    assert not looks_random("InvalidXPointerToken")
    assert looks_random("AB12CD34EF56GH78JK90")
    assert not looks_random("aaaaaaaaaaaaaaaaaaaa")


@settings(max_examples=300, deadline=5000)
@given(st.text(max_size=300))
def test_matchers_never_raise_and_mask_every_value(text: str) -> None:
    for m in find_secrets(text):
        masked = mask(m.value)
        if len(m.value) >= 12:
            assert m.value not in masked
    for h in search_many([text, text[::-1]]):
        assert h.text_index in (0, 1)
    looks_random(text)
