"""String leaves match all of an app's strings in one RE2 pass (``Pattern.matching`` over a
``Haystack``): the answer must be exactly ``search`` on each string, whatever the pattern
does at the joins, and stay linear on a regex bomb; ``urls_in`` finds the URLs and hosts the
per-string search found."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from mobsec.rules.patterns import Haystack, Pattern, _joinable
from mobsec.rules.records import urls_in

# Anchors, word boundaries, classes that cross a newline, empty matches, flags, and the
# patterns the joined pass must leave to per-string search.
PATTERNS = [
    "c2\\.evil", "^ab", "b$", "^$", "^a.*b$", "\\bkey\\b", "\\Bx", "[^z]+q", "(?s)a.*c", "x*",
    "(?i)SeCrEt", "a\\nb", "\\s", "^", "$", "\\Aab", "ab\\z", "(?-m)^b", "(?i-m:^a)", "(?m)^c",
    "[\\x{4e00}-\\x{9fff}]+", "é$", "^(a+)+$",
]  # fmt: skip
TEXTS = st.lists(
    st.text(alphabet="abcqxz \n\\.é中-\ud800", max_size=12)
    | st.sampled_from(["c2.evil", "key", ""]),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(texts=TEXTS, source=st.sampled_from(PATTERNS))
def test_joined_matching_is_search_on_each_text(texts, source):
    pattern = Pattern(source)
    assert pattern.matching(Haystack(texts)) == {t for t in texts if pattern.search(t)}


def test_patterns_that_joining_would_change_go_text_by_text():
    assert not _joinable("\\Aab") and not _joinable("ab\\z")
    assert not _joinable("(?-m)^b") and not _joinable("(?i-m:^a)")
    assert _joinable("(?i)^a") and _joinable("(?m)^a") and _joinable("(?-i)a")
    hay = Haystack(["ab", "xab", "b\nab"])
    assert Pattern("\\Aab").matching(hay) == {"ab"}


def test_one_pass_stays_linear_on_a_regex_bomb():
    texts = [f"{'a' * 50}{i}" for i in range(20_000)] + ["a" * 100_000 + "!"]
    start = time.perf_counter()
    assert Pattern("^(a+)+$").matching(Haystack(texts)) == set()
    assert time.perf_counter() - start < 5


# What urls_in found before, one RE2 call per string: the reference.
RE2_URL = re2.compile(r"(?i)\b(?:https?|wss?|ftp)://[^\s\"'<>]+")


def per_string_urls(strings):
    expected = []
    for text, handle in strings:
        for u in RE2_URL.findall(text[:4096]):
            try:
                host = urlsplit(u).hostname or ""
            except ValueError:
                host = ""
            expected.append((u, host, handle))
    return expected


def test_urls_and_hosts_as_the_per_string_search_found_them():
    strings = [
        ("see https://api.example.com/v1?x=1 and http://[::1]:8080/p", 1),
        ("no url here", 2),
        ("ftp://files.example.org/a#frag\nwss://Sock.Example.NET:443", 3),
        ("http://[broken/x", 4),
        ("x" * 5000 + " https://beyond.example/after-the-first-4096", 5),
        ("https://a.example/" + "p" * 5000, 6),
        ("mail https://user:pw@auth.example.com:99/path", 7),
        ("_https://glued.example x-https://dash.example éhttp://accent.example", 8),
    ]
    expected = per_string_urls(strings)
    assert urls_in(strings) == expected
    assert ("http://[broken/x", "", 4) in expected  # an unparsable host is empty, no error
    assert [u for u, _, h in expected if h == 8] == [
        "https://dash.example",
        "http://accent.example",
    ]
    # a lone surrogate (broken MUTF-8), which RE2 cannot be given, stays as it is
    assert urls_in([("a \ud800 https://s.example/\udc00x", 9)]) == [
        ("https://s.example/\udc00x", "s.example", 9)
    ]


URL_PIECES = ["http", "HTTPS", "wss", "fTp", "://", "ſ", "\u212a", "é", "_", "a", ".", "/", "?", "#", "@",
              ":", "[", "]", " ", "\t", "\n", "\v", "\f", "\x1c", "\xa0", "\u3000", '"', "'",
              "<", ">", "中"]  # fmt: skip
URL_TEXT = st.lists(st.sampled_from(URL_PIECES), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(URL_TEXT, max_size=12))
def test_one_pass_finds_what_re2_found_string_by_string(texts):
    strings = [(t, i) for i, t in enumerate(texts)]
    assert urls_in(strings) == per_string_urls(strings)
